"""The read cache beside the archive: a weekly rerun reads again only the ledgers that changed, and its outputs are
byte for byte those of a cold run; a change of file, name, campaign or reader is a miss; damaged entries, a cache
that cannot be written, runs at once and a killed run never change a result; validate only reads it.
"""

import hashlib
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import pipeline.read.inbox
import pipeline.read.ledger
import pipeline.store.cache as cache_module
from pipeline import run
from pipeline.errors import Notice
from pipeline.model import Note, Refusal
from pipeline.read import refusals as read_refusals
from pipeline.store.blocks import PACK, SUBFOLDER
from pipeline.store.cache import FOLDER, MAGIC, ReadCache
from pipeline.store.files import TEMP_PREFIX
from tests.ledgers import CAMPAIGN, CORPUS, ROOT, activity, d, read_sheet, resaved_copy, write_ledger
from tests.runs import report, setup

AS_OF = "2026-12-20"


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    """Three ledgers and a file that is no workbook (its refusal is cached too): four files read."""
    box = tmp_path / "inbox"
    for i, unit in enumerate(("荷花村", "柳林村", "白塔村")):
        write_ledger(box / f"{unit}.xlsx", unit=unit, filed=d("2026-12-18"),
                     activities=[activity(d("2026-12-05"), summary=f"第{i}次"), activity(d("2026-12-06"), "大行动")])
    (box / "乡工会.xlsx").write_bytes(b"not a workbook")
    return box


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files actually parsed in this process (inboxes under 64 files are read without a pool)."""
    parsed: list[str] = []
    real = pipeline.read.ledger.read_ledger

    def counting(data: bytes, **kwargs: object) -> object:
        parsed.append(str(kwargs["file"]))
        return real(data, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline.read.inbox, "read_ledger", counting)
    return parsed


def outputs(outbox: Path) -> dict[str, bytes]:
    """Every file in the outbox by relative path, as bytes (the bulletin's too: its parts are dated the report date)."""
    return {str(p.relative_to(outbox)): p.read_bytes() for p in sorted(outbox.rglob("*")) if p.is_file()}


def cold(inbox: Path, tmp: Path, *, config: Path = CAMPAIGN, as_of: str = AS_OF) -> dict[str, bytes]:
    """The outputs of a run with an archive (and so a cache) of its own, made for this comparison."""
    name = f"cold_{len(list(tmp.glob('cold_*')))}"
    result = report(inbox, tmp / name, as_of, archive=tmp / f"{name}_archive", config=config)
    assert result.reused == 0
    return outputs(tmp / name)


def entries(archive: Path) -> list[Path]:
    """The read cache's entries (the rendered rows' pack beside them is tested in test_blocks)."""
    return sorted(p for p in (archive / FOLDER).rglob("*") if p.is_file() and p.parent.name != SUBFOLDER)


def state(archive: Path) -> list[tuple[str, bytes, int]]:
    """The cache folder as it is: every path, its bytes and its modification time."""
    return [(str(p), p.read_bytes(), p.stat().st_mtime_ns) for p in sorted((archive / FOLDER).rglob("*"))
            if p.is_file()]


def test_a_rerun_reads_no_unchanged_file_and_writes_the_same_bytes(inbox: Path, tmp_path: Path,
                                                                  parses: list[str]) -> None:
    archive = tmp_path / "archive"
    first = report(inbox, tmp_path / "week1", AS_OF, archive=archive)
    assert first.reused == 0 and sorted(parses) == ["乡工会.xlsx", "柳林村.xlsx", "白塔村.xlsx", "荷花村.xlsx"]
    assert len(entries(archive)) == 4  # one entry per file read, the refusal's included
    parses.clear()
    second = report(inbox, tmp_path / "week2", AS_OF, archive=archive)
    assert second.reused == 4 and parses == []
    assert outputs(tmp_path / "week2") == outputs(tmp_path / "week1")
    assert second.report.intake == first.report.intake


def test_a_file_to_parse_goes_to_the_pool_as_soon_as_a_batch_of_files_has_been_found() -> None:
    """When most files are recalled, a file to parse is handed out once `size` files have been found since the last
    batch, not when `size` files to parse have gathered (a rerun's last ones would wait until the whole inbox had
    been recalled); with nothing recalled the batches are as before."""
    def job(n: int) -> tuple[str, str, str, bytes]:
        return f"{n}.xlsx", f"{n}.xlsx", str(n), b""

    found = iter([None] * 9 + [job(1)] + [None] * 9 + [job(2)] + [None] * 3)
    batches = pipeline.read.inbox._batches(found, 5)
    assert next(batches) == [job(1)]
    assert len(list(found)) == 13  # handed out the moment it was found, the 10th of 23
    assert [len(b) for b in pipeline.read.inbox._batches(iter([job(n) for n in range(12)]), 5)] == [5, 5, 2]


def test_a_rerun_through_the_reading_pool_writes_what_a_cold_run_writes(inbox: Path, tmp_path: Path) -> None:
    """Enough files for the pool: most recalled, a few changed, parsed in the pool and put back in their places."""
    for i in range(pipeline.read.inbox.PARALLEL_FROM):
        resaved_copy(inbox / ("荷花村.xlsx", "柳林村.xlsx")[i % 2], inbox / f"副本_{i:03}.xlsx")
    archive = tmp_path / "archive"
    report(inbox, tmp_path / "week1", AS_OF, archive=archive)
    for i in (5, 30, 61):
        resaved_copy(inbox / "白塔村.xlsx", inbox / f"副本_{i:03}.xlsx")
    warm = report(inbox, tmp_path / "warm", AS_OF, archive=archive)
    cold = report(inbox, tmp_path / "cold", AS_OF, archive=tmp_path / "fresh")
    assert warm.reused == pipeline.read.inbox.PARALLEL_FROM + 4 - 3 and cold.reused == 0
    assert warm.report.intake == cold.report.intake
    assert outputs(tmp_path / "warm") == outputs(tmp_path / "cold")


def test_a_changed_or_renamed_file_is_read_again_and_only_it(inbox: Path, tmp_path: Path, parses: list[str]) -> None:
    archive = tmp_path / "archive"
    report(inbox, tmp_path / "week1", AS_OF, archive=archive)
    write_ledger(inbox / "柳林村.xlsx", unit="柳林村", filed=d("2026-12-19"),
                 activities=[activity(d("2026-12-05")), activity(d("2026-12-12"), summary="第二次讨论")])
    (inbox / "白塔村.xlsx").rename(inbox / "白塔村台账.xlsx")  # same bytes; the name is read too
    parses.clear()
    rerun = report(inbox, tmp_path / "week2", AS_OF, archive=archive)
    assert rerun.reused == 2 and sorted(parses) == ["柳林村.xlsx", "白塔村台账.xlsx"]
    rows = {r["单位名称"]: r for r in read_sheet(tmp_path / "week2" / f"督查汇总表_{AS_OF}.xlsx", "单位进度")}
    assert rows["柳林村"]["大讨论次数"] == 2  # both activities default to 大讨论: the new file's count
    assert outputs(tmp_path / "week2") == cold(inbox, tmp_path)


def _variant(tmp: Path, name: str, old: str, new: str) -> Path:
    text = CAMPAIGN.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp / f"{name}.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


VARIANTS = {
    # 荷花社区 is no unit of the roster until it is 荷花村's alias: its ledger is refused, then adopted.
    "roster": ("  - name: 荷花村\n    kinds: [村]\n", "  - name: 荷花村\n    kinds: [村]\n    aliases: [荷花社区]\n"),
    # 子主题 环境整治 names no sub-theme until it is a keyword of sub-theme 1.
    "keywords": ("    title: 转作风、见行动、促创建\n", "    title: 转作风、见行动、促创建\n    keywords: [环境整治]\n"),
    # An activity of 11-28 falls before a start moved to 12-01.
    "dates": ("start: 2026-11-27 ", "start: 2026-12-01 "),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_campaign_change_that_reading_uses_reads_everything_again(inbox: Path, tmp_path: Path,
                                                                    variant: str) -> None:
    write_ledger(inbox / "柳林村.xlsx", unit="柳林村", filed=d("2026-12-18"),
                 activities=[activity(d("2026-11-28"), subtheme="环境整治")])
    write_ledger(inbox / "荷花社区.xlsx", unit="荷花社区", filed=d("2026-12-19"), activities=[activity(d("2026-12-05"))])
    archive = tmp_path / "archive"
    report(inbox, tmp_path / "before", AS_OF, archive=archive)
    config = _variant(tmp_path, variant, *VARIANTS[variant])
    after = report(inbox, tmp_path / "after", AS_OF, archive=archive, config=config)
    assert after.reused == 0
    assert outputs(tmp_path / "after") == cold(inbox, tmp_path, config=config)
    assert outputs(tmp_path / "after") != outputs(tmp_path / "before")


def test_a_new_reader_reads_everything_again(inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "archive"
    report(inbox, tmp_path / "week1", AS_OF, archive=archive)
    monkeypatch.setattr(cache_module, "_versions", lambda: "python-calamine=99")
    assert report(inbox, tmp_path / "week2", AS_OF, archive=archive).reused == 0
    monkeypatch.setattr(cache_module, "_reader_source", lambda: b"pipeline/read changed")
    assert report(inbox, tmp_path / "week3", AS_OF, archive=archive).reused == 0


def test_a_later_report_date_reuses_the_reading(inbox: Path, tmp_path: Path) -> None:
    """Reading does not depend on the report date: the next week's run reuses every file."""
    archive = tmp_path / "archive"
    report(inbox, tmp_path / "week1", AS_OF, archive=archive)
    later = report(inbox, tmp_path / "week2", "2026-12-27", archive=archive)
    assert later.reused == 4
    assert outputs(tmp_path / "week2") == cold(inbox, tmp_path, as_of="2026-12-27")


def _truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _flipped(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 1])


def _not_a_pickle(data: bytes) -> bytes:
    payload = b"\x80\x05garbage"
    return MAGIC + hashlib.sha256(payload).digest() + payload


DAMAGE: dict[str, Callable[[bytes], bytes]] = {"truncated": _truncated, "one bit flipped": _flipped, "empty": lambda _: b"",
          "garbage": lambda _: os.urandom(300), "sound checksum, no pickle": _not_a_pickle,
          "older format": lambda data: b"chuangcheng read cache 0\n" + data[len(MAGIC):]}


@pytest.mark.parametrize("damage", DAMAGE)
def test_damaged_entries_are_read_again_and_rewritten(inbox: Path, tmp_path: Path, damage: str,
                                                      parses: list[str]) -> None:
    archive = tmp_path / "archive"
    report(inbox, tmp_path / "week1", AS_OF, archive=archive)
    damaged = entries(archive)[:2]
    for path in damaged:
        path.write_bytes(DAMAGE[damage](path.read_bytes()))
    parses.clear()
    rerun = report(inbox, tmp_path / "week2", AS_OF, archive=archive)
    assert rerun.reused == 2 and len(parses) == 2
    assert outputs(tmp_path / "week2") == outputs(tmp_path / "week1")
    assert all(p.read_bytes().startswith(MAGIC) for p in damaged)  # rewritten
    parses.clear()
    assert report(inbox, tmp_path / "week3", AS_OF, archive=archive).reused == 4 and parses == []


def test_a_cache_that_cannot_be_written_leaves_the_run_as_it_was(inbox: Path, tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    (archive / FOLDER).write_text("a file where the cache folder belongs")  # fails for root too, unlike chmod
    result = report(inbox, tmp_path / "out", AS_OF, archive=archive)
    assert result.reused == 0
    assert outputs(tmp_path / "out") == cold(inbox, tmp_path)
    said = [n.text for n in result.notices if n.code is Notice.CACHE_NOT_SAVED]  # once, for all four files
    assert said == [f"提示：读取缓存文件夹“{archive / FOLDER}”无法写入（路径中有一项是文件而不是文件夹），本次读取的结果没有（全部）"
                    "保存，下次汇总会把没保存的台账重新读一遍；本次汇总结果不受影响。"]
    unsaved = [n.code for n in result.notices if n.code in (Notice.CACHE_NOT_SAVED, Notice.ROWS_NOT_SAVED)]
    assert unsaved == [Notice.CACHE_NOT_SAVED, Notice.ROWS_NOT_SAVED]  # the laid-out rows were not saved either


def test_a_damaged_entry_that_cannot_be_rewritten_is_said(inbox: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A damaged entry is there, so the file of that name exists; its replacement cannot even be started (no new
    file may be made in the folder): that is a cache that cannot be written, said as such, not a file in use."""
    archive = tmp_path / "archive"
    report(inbox, tmp_path / "week1", AS_OF, archive=archive)
    for entry in entries(archive):
        entry.write_bytes(_truncated(entry.read_bytes()))
    real_open = os.open

    def refusing(path: Any, flags: int, *args: Any) -> int:
        if Path(path).name.startswith(TEMP_PREFIX) and Path(path).parent.parent.name == FOLDER:
            raise PermissionError(13, "Permission denied", str(path))
        return int(real_open(path, flags, *args))

    monkeypatch.setattr("pipeline.store.files.os.open", refusing)
    result = report(inbox, tmp_path / "week2", AS_OF, archive=archive)
    assert [n.code for n in result.notices if n.code is Notice.CACHE_NOT_SAVED] == [Notice.CACHE_NOT_SAVED]
    assert outputs(tmp_path / "week2") == cold(inbox, tmp_path)


def test_validate_reads_the_cache_and_never_writes_it(inbox: Path, tmp_path: Path, parses: list[str]) -> None:
    archive = tmp_path / "archive"
    as_of = d(AS_OF)
    report(inbox, tmp_path / "out", AS_OF, archive=archive)
    (inbox / "乡妇联.xlsx").write_bytes(b"also not a workbook")  # a miss validate must not save
    entries(archive)[0].write_bytes(b"damaged")  # nor repair
    before = state(archive)
    time.sleep(0.01)  # a touched entry would show a later modification time
    parses.clear()
    validated = run.validate(setup=setup(), inbox=inbox, as_of=as_of, archive=archive)
    assert state(archive) == before
    assert len(parses) == 2  # the new file and the damaged entry's; the other three from the cache
    assert validated.as_json() == run.validate(setup=setup(), inbox=inbox, as_of=as_of).as_json()
    run.validate(setup=setup(), inbox=inbox, as_of=as_of, archive=tmp_path / "none")
    assert not (tmp_path / "none").exists()


def _age(path: Path, days: float) -> None:
    then = time.time() - days * 86400
    os.utime(path, (then, then))


def _entry(archive: Path, inbox: Path, name: str) -> Path:
    job = (name, name, hashlib.sha256((inbox / name).read_bytes()).hexdigest())
    return ReadCache.beside(archive, campaign=setup().campaign, writable=False).path_for(job)


def test_a_report_prunes_what_no_run_of_eight_weeks_used_and_validate_never_prunes(inbox: Path, tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    report(inbox, tmp_path / "week1", AS_OF, archive=archive)
    union, baita = _entry(archive, inbox, "乡工会.xlsx"), _entry(archive, inbox, "白塔村.xlsx")
    (inbox / "乡工会.xlsx").unlink()
    (inbox / "白塔村.xlsx").unlink()
    _age(union, 57)  # unused for 8 weeks and a day (report_interval_days: 7): goes
    _age(baita, 55)  # unused for 55 days: stays
    for path in (_entry(archive, inbox, "荷花村.xlsx"), _entry(archive, inbox, "柳林村.xlsx")):
        _age(path, 100)  # used by the next run, which makes them recent again
    leftover = archive / FOLDER / "00" / f"{TEMP_PREFIX}killed"
    leftover.parent.mkdir(exist_ok=True)
    leftover.write_bytes(b"half")
    _age(leftover, 2)  # a killed run's temporary file of two days ago: goes
    run.validate(setup=setup(), inbox=inbox, as_of=d(AS_OF), archive=archive)
    assert len(entries(archive)) == 5
    assert report(inbox, tmp_path / "week2", AS_OF, archive=archive).reused == 2
    assert entries(archive) == sorted([baita, _entry(archive, inbox, "荷花村.xlsx"),
                                       _entry(archive, inbox, "柳林村.xlsx")])


def test_beyond_the_size_cap_the_longest_unused_go_first(inbox: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "archive"
    report(inbox, tmp_path / "week1", AS_OF, archive=archive)
    paths = entries(archive)
    for days, path in enumerate(paths):
        _age(path, days + 1)
    sizes = {p: p.stat().st_size for p in paths}
    pack = archive / FOLDER / SUBFOLDER / PACK  # written by the report just now: it counts, and goes last
    monkeypatch.setattr(cache_module, "MAX_BYTES", sizes[paths[0]] + sizes[paths[1]] + pack.stat().st_size)
    ReadCache.beside(archive, campaign=setup().campaign, writable=True).prune(interval_days=7)
    assert entries(archive) == paths[:2]  # aged 1 and 2 days: the two used last
    assert pack.is_file()


def _hammer(root: str, fingerprint: str, rounds: int) -> None:
    """Write and read the same few entries as fast as possible (as runs at once would)."""
    store = ReadCache(Path(root), fingerprint)
    for i in range(rounds):
        job = (f"单位{i % 5}.xlsx", f"单位{i % 5}.xlsx", "0" * 64)
        value = store.recall(job)
        assert value is None or value == Refusal(job[0], _reason(i % 5)), value
        store.remember(job, Refusal(job[0], _reason(i % 5)))
    assert store.failure is None


def _reason(i: int) -> Note:
    from pipeline.read import refusals

    return refusals.corrupted("x" * (1000 * (i + 1)))  # entries of different sizes: a torn write would show


def test_processes_writing_and_reading_the_same_entries_at_once_never_see_half_an_entry(tmp_path: Path) -> None:
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_hammer, args=(str(tmp_path / FOLDER), "f", 400)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    assert [w.exitcode for w in workers] == [0, 0, 0]
    assert len(entries(tmp_path)) == 5
    assert not [p for p in (tmp_path / FOLDER).rglob(f"{TEMP_PREFIX}*")]


def _cli(inbox: Path, outbox: Path, archive: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "pipeline", *args, "--inbox", str(inbox), "--outbox",
                             str(outbox), "--archive", str(archive), "--config", str(CAMPAIGN), "--as-of", AS_OF],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_two_reports_and_a_validate_at_once_are_all_correct(inbox: Path, tmp_path: Path) -> None:
    for i in range(80):  # enough for the reading pool
        resaved_copy(inbox / "荷花村.xlsx", inbox / f"副本_{i:03}.xlsx")
    archive = tmp_path / "archive"
    report(inbox, tmp_path / "warm", AS_OF, archive=archive)
    for path in entries(archive)[::2]:
        path.unlink()  # half the files must be read again, by whichever run comes first
    runs = [_cli(inbox, tmp_path / f"out{i}", archive, "report") for i in range(2)]
    check = subprocess.run([sys.executable, "-m", "pipeline", "validate", "--inbox", str(inbox), "--archive",
                            str(archive), "--config", str(CAMPAIGN), "--as-of", AS_OF, "--json"],
                           cwd=ROOT, capture_output=True, check=False)
    assert [p.wait(180) for p in runs] == [0, 0]
    assert check.returncode in (0, 1) and b"Traceback" not in check.stderr
    expected = cold(inbox, tmp_path)
    assert outputs(tmp_path / "out0") == outputs(tmp_path / "out1") == expected
    alone = subprocess.run([sys.executable, "-m", "pipeline", "validate", "--inbox", str(inbox), "--config",
                            str(CAMPAIGN), "--as-of", AS_OF, "--json", "--archive", str(tmp_path / "none")],
                           cwd=ROOT, capture_output=True, check=False)
    assert check.stdout == alone.stdout
    assert report(inbox, tmp_path / "after", AS_OF, archive=archive).reused == 84


KILL_AFTER = """
import os, signal, sys
import pipeline.store.files as files
from pipeline.cli import main
real, moved = files.os.replace, []
def replace(source, target):
    if "读取缓存" in str(target):
        moved.append(target)
        if len(moved) == 3:  # the third entry is written under its temporary name: die before it is in place
            os.kill(os.getpid(), signal.SIGKILL)
    return real(source, target)
files.os.replace = replace
main(sys.argv[1:])
"""


def test_a_run_killed_while_saving_entries_leaves_a_cache_the_next_run_trusts_only_where_whole(
        inbox: Path, tmp_path: Path) -> None:
    archive, outbox = tmp_path / "archive", tmp_path / "out"
    killed = subprocess.run([sys.executable, "-c", KILL_AFTER, "report", "--inbox", str(inbox), "--outbox",
                             str(outbox), "--archive", str(archive), "--config", str(CAMPAIGN), "--as-of", AS_OF],
                            cwd=ROOT, capture_output=True, check=False)
    assert killed.returncode == -9
    assert len(entries(archive)) == 3  # two whole entries and the third's temporary file
    assert len(list((archive / FOLDER).rglob(f"{TEMP_PREFIX}*"))) == 1
    rerun = report(inbox, outbox, AS_OF, archive=archive)
    assert rerun.reused == 2
    assert outputs(outbox) == cold(inbox, tmp_path)


@pytest.mark.skipif(not (CORPUS / "python-calamine" / "password.xls").is_file(), reason="shared corpus not present")
def test_a_refusal_caused_by_the_machine_is_not_remembered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An encrypted .xls is opened through a copy in the temporary folder. While that folder is full, the file is
    refused with the machine's reason (not as damaged); the next run, with the folder fine again and the same
    cache, reads the file and tells the unit what is really wrong with it."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "荷花村.xls").write_bytes((CORPUS / "python-calamine" / "password.xls").read_bytes())
    archive = tmp_path / "archive"

    real = tempfile.mkstemp

    def full(*args: Any, **kwargs: Any) -> tuple[int, str]:
        if kwargs.get("dir") is None and kwargs.get("suffix") in (".xls", ".ods"):  # only the reader's copy
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(tempfile, "mkstemp", full)
        first = report(inbox, tmp_path / "out1", AS_OF, archive=archive)
    assert [(f.result, f.reason) for f in first.report.intake.files] == [("未采用", read_refusals.NO_TEMP_COPY.text)]
    again = report(inbox, tmp_path / "out2", AS_OF, archive=archive)
    assert again.reused == 0
    assert [(f.result, f.reason) for f in again.report.intake.files] == [("未采用", read_refusals.ENCRYPTED.text)]


def test_a_cache_folder_that_cannot_be_listed_leaves_the_finished_report_standing(
        inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pruning comes after the outputs (and, in an official run, the history): a 读取缓存 folder that cannot be
    listed there (no read rights; deleted by the clerk a moment before, which README allows) prunes nothing."""
    real = os.listdir

    def listdir(path: Any = ".") -> list[str]:
        if str(path).endswith(FOLDER):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "listdir", listdir)
    result = report(inbox, tmp_path / "out", AS_OF, archive=tmp_path / "archive")
    assert result.written.workbook.is_file() and result.reused == 0
