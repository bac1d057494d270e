"""A problem about a whole sheet names the sheet as the unit's file names it, never as the template does.

Units rename the template's sheets for themselves, by their name or a roster alias (`妇联-宣传报道`), or keep them
with a space typed in (`宣传 报道`); in a workbook holding several units' sets of sheets the template's own name is
another unit's sheet. A clerk looks for the tab the message names.
"""

from pathlib import Path

import openpyxl

from pipeline.read.schema import HEADER_ROW
from tests.ledgers import activity, d, read_sheet, write_ledger
from tests.runs import report
from tests.test_shared_workbook import DASHED, add_unit_sheets, rename_for


def problems(box: Path, out: Path) -> list[tuple[str, str, str, str, str]]:
    book = report(box, out, "2026-12-20").written.workbook
    return [(str(p["单位名称"]), str(p["工作表"]), str(p["单元格"]), str(p["等级"]), str(p["问题"]))
            for p in read_sheet(book, "数据问题")]


def wipe_header(path: Path, sheet: str, *, only: str = "") -> None:
    """The header row of `sheet` typed over (`only`: just that label, typed as 说明)."""
    wb = openpyxl.load_workbook(path)
    for cell in wb[sheet][HEADER_ROW + 1]:
        if not only or cell.value == only:
            cell.value = "说明" if only else None
    wb.save(path)


def test_the_filers_sheet_named_by_its_alias_is_named_as_the_file_names_it(tmp_path: Path) -> None:
    """乡妇联 renamed its sheets with its alias 妇联. Its 宣传报道 sheet lost its header row: the 警告 (乡妇联 is not a
    publicity unit) was 未找到“宣传报道”工作表, with no cell, though the file has that sheet under its own name."""
    box = tmp_path / "inbox"
    book = write_ledger(box / "妇联台账.xlsx", unit="乡妇联", filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    rename_for(book, "妇联", DASHED)
    wipe_header(book, "妇联-宣传报道")
    assert problems(box, tmp_path / "out") == [
        ("乡妇联", "妇联-宣传报道", "A1", "警告", "未找到“妇联-宣传报道”的表头行，该表数据无法读取")]


def test_the_filers_alias_named_sheet_is_continued_as_the_template_sheet_is(tmp_path: Path) -> None:
    """`妇联-活动台账 (2)` (WPS's 移动或复制 of `妇联-活动台账`) continues it, as `活动台账 (2)` continues 活动台账:
    both rows count (30 + 25 people), with no 警告 of a second ledger sheet left unread."""
    box = tmp_path / "inbox"
    book = write_ledger(box / "妇联台账.xlsx", unit="乡妇联", filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    rename_for(book, "妇联", DASHED)
    wb = openpyxl.load_workbook(book)
    more = wb.copy_worksheet(wb["妇联-活动台账"])
    more.title = "妇联-活动台账 (2)"
    more["G4"] = 25           # the copied row is the 12-05 row of 30; a second meeting of 25 on 12-12
    more["B4"] = d("2026-12-12")
    wb.save(book)
    book_out = report(box, tmp_path / "out", "2026-12-20").written.workbook
    assert sorted((r["工作表"], r["参加人数"]) for r in read_sheet(book_out, "活动明细")) == [
        ("妇联-活动台账", 30), ("妇联-活动台账 (2)", 25)]
    assert [r for r in read_sheet(book_out, "数据问题") if r["单位名称"] == "乡妇联"] == []


def test_another_units_alias_named_sheets_are_named_as_the_file_names_them(tmp_path: Path) -> None:
    """乡妇联's file also holds 乡团委's set, named by its alias 团委. 团委-宣传报道 lost its header row and 团委-问题整改's
    问题描述 was typed over: the messages named “宣传报道” and “问题整改”, which in this workbook are 乡妇联's sheets.
    乡妇联's own 宣传报道, with a space typed in its name (`宣传 报道`) and no header, is named as it is written too."""
    box = tmp_path / "inbox"
    book = write_ledger(box / "群团台账.xlsx", unit="乡妇联", filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    add_unit_sheets(book, unit="团委", naming=DASHED, rows=[activity(d("2026-12-06"), subtheme=2, people=25)])
    wipe_header(book, "团委-宣传报道")
    wipe_header(book, "团委-问题整改", only="问题描述")
    wb = openpyxl.load_workbook(book)
    wb["宣传报道"].title = "宣传 报道"
    wb.save(book)
    wipe_header(book, "宣传 报道")
    header = f"A{HEADER_ROW + 1}"   # a missing column is said at the header row's first cell
    assert problems(box, tmp_path / "out") == [
        ("乡团委", "团委-问题整改", header, "错误", "“团委-问题整改”表头缺少必填列：问题描述，该表数据无法计入"),
        ("乡团委", "团委-宣传报道", "A1", "警告", "未找到“团委-宣传报道”的表头行，该表数据无法读取"),
        ("乡妇联", "宣传 报道", "A1", "警告", "未找到“宣传 报道”的表头行，该表数据无法读取")]
