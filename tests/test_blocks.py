"""The detail sheets' rows kept between reports (读取缓存/明细行): a later report renders again only the ledgers that
changed, fills in the cells that depend on its own date, and writes the same bytes as a cold run; a damaged pack,
a new renderer, a pack that cannot be written, a failed or killed run never change what is written.
"""

import datetime as dt
import os
import pickle
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import pipeline.store.blocks as store_blocks
import pipeline.write.blocks as write_blocks
import pipeline.write.sheetxml as sheetxml
import pipeline.write.workbook as workbook_module
from pipeline.errors import ChuangchengError, Notice
from pipeline.model import Source
from pipeline.store.blocks import PACK, SUBFOLDER, RowBlocks
from pipeline.store.cache import FOLDER
from pipeline.store.files import TEMP_PREFIX
from pipeline.write.blocks import Block, Detail, prepared_rows
from pipeline.write.sheetxml import RowWriter, StyleIds
from tests.ledgers import activity, d, problem, read_sheet, write_ledger
from tests.runs import report
from tests.test_shared_workbook import DASHED, add_unit_sheets

FIRST, LATER = "2026-12-12", "2026-12-20"
PUBLICITY = {"序号": 1, "发布日期": d("2026-12-08"), "发布平台": "微信公众号", "标题": "创城讨论"}


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """Two ledgers with all three tables, a row that is not counted, and a rectification due between the dates."""
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-10"),
                 activities=[activity(d("2026-12-05")), activity(d("2026-12-06"), summary=None, 序号=2)],
                 problems=[problem(d("2026-12-15")), problem(d("2026-12-30"), 序号=2)], publicity=[PUBLICITY])
    write_ledger(box / "柳林村.xlsx", unit="柳林村", filed=d("2026-12-10"),
                 activities=[activity(d("2026-12-07"), "大行动")], problems=[problem(d("2026-12-09"), "已整改")])
    return box


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The detail sheets' ledgers (as `sheet|unit`) whose rows this process rendered rather than recalled."""
    seen: list[str] = []
    real = write_blocks._render

    def counting(detail: Detail, items: list, sources: tuple, **kwargs: object) -> object:  # type: ignore[type-arg]
        seen.append(f"{sources[0][0]}|{items[0].unit}")
        return real(detail, items, sources, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(write_blocks, "_render", counting)
    return seen


def workbook(outbox: Path) -> bytes:
    return next(outbox.glob("督查汇总表_*.xlsx")).read_bytes()


def cold(inbox: Path, tmp: Path, as_of: str) -> bytes:
    name = f"cold_{len(list(tmp.glob('cold_*')))}"
    report(inbox, tmp / name, as_of, archive=tmp / f"{name}_archive")
    return workbook(tmp / name)


def pack(archive: Path) -> Path:
    return archive / FOLDER / SUBFOLDER / PACK


ALL = ["活动台账|柳林村", "活动台账|荷花村", "问题整改|荷花村", "问题整改|柳林村", "宣传报道|荷花村"]


def test_a_later_report_renders_no_unchanged_ledger_and_fills_in_its_own_date(inbox: Path, tmp_path: Path,
                                                                             rendered: list[str]) -> None:
    archive = tmp_path / "archive"
    report(inbox, tmp_path / "first", FIRST, archive=archive)
    assert rendered == ALL
    rendered.clear()
    report(inbox, tmp_path / "later", LATER, archive=archive)
    assert rendered == []
    assert workbook(tmp_path / "later") == cold(inbox, tmp_path, LATER)
    overdue = [(r["整改时限"].date(), r["是否超期"]) for r in read_sheet(tmp_path / "first" / "督查汇总表_2026-12-12.xlsx",
                                                                       "问题整改")]
    assert overdue == [(dt.date(2026, 12, 15), "否"), (dt.date(2026, 12, 30), "否"), (dt.date(2026, 12, 9), "否")]
    later = read_sheet(tmp_path / "later" / "督查汇总表_2026-12-20.xlsx", "问题整改")
    assert [(r["整改时限"].date(), r["是否超期"]) for r in later] == [
        (dt.date(2026, 12, 15), "是"), (dt.date(2026, 12, 30), "否"), (dt.date(2026, 12, 9), "否")]
    activities = read_sheet(tmp_path / "later" / "督查汇总表_2026-12-20.xlsx", "活动明细")
    assert [(r["单位名称"], r["计入统计"], r["不计入原因"]) for r in activities] == [
        ("柳林村", "是", None), ("荷花村", "是", None), ("荷花村", "否", "“内容摘要”未填写，此条记录不计入统计")]


def test_only_the_changed_ledger_is_rendered_again(inbox: Path, tmp_path: Path, rendered: list[str]) -> None:
    archive = tmp_path / "archive"
    report(inbox, tmp_path / "first", FIRST, archive=archive)
    write_ledger(inbox / "柳林村.xlsx", unit="柳林村", filed=d("2026-12-11"),
                 activities=[activity(d("2026-12-07"), "大行动"), activity(d("2026-12-11"), 序号=2)])
    rendered.clear()
    report(inbox, tmp_path / "later", LATER, archive=archive)
    assert rendered == ["活动台账|柳林村"]  # its 问题整改 rows are gone: nothing to render
    assert workbook(tmp_path / "later") == cold(inbox, tmp_path, LATER)


def _flip_inside_first_block(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(store_blocks.MAGIC) + 40] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", ["truncated", "garbage", "a block's byte", "empty", "a folder"])
def test_a_damaged_pack_is_not_trusted_and_the_next_one_is_whole(inbox: Path, tmp_path: Path, damage: str,
                                                                rendered: list[str]) -> None:
    archive = tmp_path / "archive"
    report(inbox, tmp_path / "first", FIRST, archive=archive)
    path = pack(archive)
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:-7])
    elif damage == "garbage":
        path.write_bytes(os.urandom(path.stat().st_size))
    elif damage == "a block's byte":
        _flip_inside_first_block(path)
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        path.unlink()
        path.mkdir()
    rendered.clear()
    report(inbox, tmp_path / "later", LATER, archive=archive)
    assert rendered == (ALL[:1] if damage == "a block's byte" else ALL)
    assert workbook(tmp_path / "later") == cold(inbox, tmp_path, LATER)
    rendered.clear()
    if damage != "a folder":
        report(inbox, tmp_path / "again", LATER, archive=archive)
        assert rendered == []


def test_a_new_renderer_renders_everything_again(inbox: Path, tmp_path: Path, rendered: list[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "archive"
    report(inbox, tmp_path / "first", FIRST, archive=archive)
    monkeypatch.setattr(store_blocks, "_render_source", lambda: b"another version of pipeline/write")
    rendered.clear()
    report(inbox, tmp_path / "later", LATER, archive=archive)
    assert rendered == ALL


def test_a_pack_that_cannot_be_written_leaves_the_report_as_it_was(inbox: Path, tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    (archive / FOLDER).mkdir(parents=True)
    (archive / FOLDER / SUBFOLDER).write_text("a file where the folder belongs")
    result = report(inbox, tmp_path / "out", LATER, archive=archive)
    said = next(n for n in result.notices)
    assert said.code is Notice.ROWS_NOT_SAVED and "明细行" in said.text and "重新排版" in said.text
    assert workbook(tmp_path / "out") == cold(inbox, tmp_path, LATER)


def test_a_failed_run_keeps_the_previous_pack_and_a_killed_runs_leftover_goes(inbox: Path, tmp_path: Path,
                                                                            rendered: list[str],
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "archive"
    report(inbox, tmp_path / "first", FIRST, archive=archive)
    before = pack(archive).read_bytes()
    leftover = pack(archive).parent / f"{TEMP_PREFIX}killed"
    leftover.write_bytes(b"half a pack")
    old = time.time() - 2 * 86400
    os.utime(leftover, (old, old))

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr("pipeline.write.workbook.splice", broken)
        with pytest.raises(ChuangchengError):
            report(inbox, tmp_path / "failed", LATER, archive=archive)
    assert pack(archive).read_bytes() == before
    assert [p.name for p in pack(archive).parent.iterdir() if p.name.startswith(TEMP_PREFIX)] == [leftover.name]
    rendered.clear()
    report(inbox, tmp_path / "later", LATER, archive=archive)
    assert rendered == []
    assert not leftover.exists()  # a day old: a killed run's, removed by the report's pruning
    assert workbook(tmp_path / "later") == cold(inbox, tmp_path, LATER)


class _Kept:
    """A store that gives back one block whatever is asked (as a block kept under a colliding key would be)."""

    def __init__(self, block: Block) -> None:
        self.data, self.kept = pickle.dumps(block), 0

    def recall(self, key: tuple[str, ...]) -> bytes:
        return self.data

    def keep(self, key: tuple[str, ...], data: bytes) -> None:
        self.data, self.kept = data, self.kept + 1


def test_a_block_for_other_rows_is_never_used() -> None:
    ids = StyleIds(text=1, quoted=2, wrap=3, date=4, number=5)
    items = [Source(file="a.xlsx", sheet="活动台账", row=r) for r in (5, 6)]
    detail = Detail(groups=[(("k",), [type("Item", (), {"sheet": s.sheet, "row": s.row})() for s in items])],
                    row=lambda item: ["甲", f"第{item.row}行", "是"], dated=lambda item: ("是",), cut=2, width=1)
    stale = Block(sources=(("活动台账", 5), ("活动台账", 7)), rows=((b"x", 1), (b"y", 1)), cuts=(1, 1),
                  dated=(("是",), ("是",)), lines=(1, 1))
    store = _Kept(stale)
    rows = list(prepared_rows(detail, writer=RowWriter(ids=ids, limits=[50, 50, 50]), blocks=store, salt=""))
    assert store.kept == 1 and pickle.loads(store.data).sources == (("活动台账", 5), ("活动台账", 6))  # kept instead
    assert [cells.replace(sheetxml.PLACE_BYTE, b"2") for cells, _ in rows][1] == (
        '<c r="A2" s="1" t="inlineStr"><is><t>甲</t></is></c><c r="B2" s="1" t="inlineStr"><is><t>第6行</t></is></c>'
        '<c r="C2" s="1" t="inlineStr"><is><t>是</t></is></c>').encode()


_COUNTED, _LATE = ("是", ""), ("否", "晚于统计日期")


@pytest.mark.parametrize(("before", "after"), [(_COUNTED, _LATE), (_LATE, _COUNTED)])
def test_a_recalled_row_whose_report_date_cells_changed_gets_them_rendered_anew(before: tuple[str, str],
                                                                               after: tuple[str, str]) -> None:
    """The kept rows hold the report-date cells of the report that rendered them; a row whose values differ now
    has them replaced, longer or shorter, and the row's other cells stay as they were."""
    ids = StyleIds(text=1, quoted=2, wrap=3, date=4, number=5)
    items = [type("Item", (), {"sheet": "活动台账", "row": r})() for r in (5, 6)]
    now = {5: _COUNTED, 6: before}
    detail = Detail(groups=[(("k",), items)], row=lambda item: ["甲", *now[item.row], "尾"],
                    dated=lambda item: now[item.row], cut=1, width=2)
    store = _Kept(Block(sources=(), rows=(), cuts=(), dated=(), lines=()))  # kept for no rows: rendered, kept
    writer = RowWriter(ids=ids, limits=[50, 50, 50, 50])
    list(prepared_rows(detail, writer=writer, blocks=store, salt=""))
    now[6] = after
    rows = list(prepared_rows(detail, writer=writer, blocks=store, salt=""))
    cell = '<c r="{}2" s="1" t="inlineStr"><is><t>{}</t></is></c>'.format
    written = {_COUNTED: cell("B", "是"), _LATE: cell("B", "否") + cell("C", "晚于统计日期")}
    assert [cells.replace(sheetxml.PLACE_BYTE, b"2") for cells, _ in rows] == [
        (cell("A", "甲") + written[_COUNTED] + cell("D", "尾")).encode(),
        (cell("A", "甲") + written[after] + cell("D", "尾")).encode()]


@pytest.mark.parametrize("change", ["edited", "renamed"])
def test_an_older_file_merged_into_the_newer_one_is_rendered_again_when_it_changes(tmp_path: Path,
                                                                                   change: str) -> None:
    """A unit's incremental files are one submission under the newer file's name and bytes (judge.merge): the
    older file's rows must not be recalled after that file changed, nor shown under its old name."""
    box, archive = tmp_path / "inbox", tmp_path / "archive"
    older = write_ledger(box / "荷花村第一周.xlsx", unit="荷花村", filed=d("2026-12-05"),
                         activities=[activity(d("2026-12-03"), 活动主题="垃圾分类")])
    write_ledger(box / "荷花村第二周.xlsx", unit="荷花村", filed=d("2026-12-10"),
                 activities=[activity(d("2026-12-07"), "大行动")])
    report(box, tmp_path / "first", LATER, archive=archive)
    if change == "edited":
        write_ledger(older, unit="荷花村", filed=d("2026-12-05"), activities=[activity(d("2026-12-03"), 活动主题="文明交通")])
    else:
        older.rename(box / "荷花村首周.xlsx")
    report(box, tmp_path / "later", LATER, archive=archive)
    rows = read_sheet(tmp_path / "later" / "督查汇总表_2026-12-20.xlsx", "活动明细")
    # the later report's inbox as typed: the older file's row first (merged in file order), then the newer file's
    assert [(r["活动主题"], r["来源文件"]) for r in rows] == [
        ("文明交通" if change == "edited" else "垃圾分类", "荷花村第一周.xlsx" if change == "edited" else "荷花村首周.xlsx"),
        (None, "荷花村第二周.xlsx")]
    assert workbook(tmp_path / "later") == cold(box, tmp_path, LATER)


def _shared(box: Path, *, union_summary: str) -> None:
    """乡团委's ledger with 乡工会's set of sheets copied in beside it (test_shared_workbook): two units, one file."""
    path = write_ledger(box / "群团联合台账.xlsx", unit="乡团委", filed=d("2026-12-10"),
                        activities=[activity(d("2026-12-04"), summary="团委讨论")])
    add_unit_sheets(path, unit="乡工会", rows=[activity(d("2026-12-05"), summary=union_summary),
                                            activity(d("2026-12-16"), "大行动", 3, 序号=2)],
                    naming=DASHED, filed=d("2026-12-10"))


def _swap(box: Path, one: str, other: str) -> None:
    (box / one).rename(box / "换名中.xlsx")
    (box / other).rename(box / one)
    (box / "换名中.xlsx").rename(box / other)


CHANGES: dict[str, Callable[[Path], object]] = {
    "a shared workbook's other unit edited": lambda box: _shared(box, union_summary="工会讨论（已更正）"),
    "two units' files swap names": lambda box: _swap(box, "荷花村.xlsx", "柳林村.xlsx"),
    "a file truncated": lambda box: (box / "柳林村.xlsx").write_bytes((box / "柳林村.xlsx").read_bytes()[:3000]),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_later_report_after_a_weeks_change_writes_what_a_cold_run_writes(
        inbox: Path, tmp_path: Path, change: str, rendered: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Files a unit really sends between two reports with one archive: rows on continuation sheets (2 a sheet),
    a skipped row whose reason wraps beside counted rows, an activity counted only from the later date."""
    monkeypatch.setattr(workbook_module, "MAX_DATA_ROWS", 2)
    long_date = "十二月上旬某日（具体日期以会议记录为准，会议记录在村部档案柜）"
    write_ledger(inbox / "白塔村.xlsx", unit="白塔村", filed=d("2026-12-10"),
                 activities=[activity(d("2026-12-03")), activity(long_date, 序号=2), activity(d("2026-12-04"), 序号=3)])
    _shared(inbox, union_summary="工会讨论")
    archive = tmp_path / "archive"
    report(inbox, tmp_path / "first", FIRST, archive=archive)
    CHANGES[change](inbox)
    rendered.clear()
    report(inbox, tmp_path / "later", LATER, archive=archive)
    assert "活动台账|白塔村" not in rendered  # its file unchanged: its rows recalled, only their date cells new
    assert workbook(tmp_path / "later") == cold(inbox, tmp_path, LATER)


def test_a_block_kept_in_place_of_a_recalled_one_is_recalled_whole_next_time(tmp_path: Path) -> None:
    """A report recalls a block, finds it stands for other rows and keeps the one it rendered under the same key:
    the next report gets that block, not a checksum failure."""
    first = RowBlocks(tmp_path, "f")
    first.keep(("k",), b"old rows")
    first.save()
    second = RowBlocks(tmp_path, "f")
    assert second.recall(("k",)) == b"old rows"
    second.keep(("k",), b"rows rendered again")
    second.save()
    third = RowBlocks(tmp_path, "f")
    assert third.recall(("k",)) == b"rows rendered again"
    third.discard()


def test_a_block_recalled_and_kept_as_it_was_keeps_its_key_and_checksum(tmp_path: Path) -> None:
    """A rerun keeps each recalled block without hashing its key or its bytes again: the next report still finds it
    under its own key (not the key recalled just before it), and still finds damage in it."""
    first = RowBlocks(tmp_path, "f")
    first.keep(("a",), b"rows of a")
    first.keep(("b",), b"rows of b")
    first.save()
    second = RowBlocks(tmp_path, "f")
    a = second.recall(("a",))
    assert a == b"rows of a"
    second.keep(("b",), a)  # the bytes recalled last, under another key: hashed afresh
    b = second.recall(("b",))
    assert b == b"rows of b"
    second.keep(("b",), b)
    second.save()
    third = RowBlocks(tmp_path, "f")
    assert third.recall(("a",)) is None
    assert third.recall(("b",)) == b"rows of b"
    third.discard()
    pack = tmp_path / PACK
    data = pack.read_bytes()
    at = data.index(b"rows of b")
    pack.write_bytes(data[:at] + b"R" + data[at + 1:])
    fourth = RowBlocks(tmp_path, "f")
    assert fourth.recall(("b",)) is None
    fourth.discard()
