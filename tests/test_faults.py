"""Faults of the machine and of the run itself, done for real where this machine allows it: killed runs, a locked
or damaged history, a reading process that dies, a full disk, a read-only outbox, a file held open, runs at once.

Each must end in a Chinese sentence and an exit code (never a traceback), lose no submission, archive entry or
history row, and leave every output complete or absent.
"""

import errno
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import pipeline.read.inbox
import pipeline.read.ledger
import pipeline.run
import pipeline.write.bulletin
import pipeline.write.gaplists
import pipeline.write.outbox
import pipeline.write.reminders
from pipeline.cli import main
from pipeline.errors import ChuangchengError, InternalError, Stop
from pipeline.read import refusals as read_refusals
from pipeline.store.lock import RunLock
from tests.ledgers import CAMPAIGN, ROOT, activity, d, read_sheet, resaved_copy, write_ledger
from tests.runs import report as trial_or_recorded

AS_OF = "2026-12-20"


def report(inbox: Path, outbox: Path, as_of: str, *, archive: Path | None = None) -> pipeline.run.RunResult:
    """A run recorded in the history, as the weekly job's are (these dates are not today: hence `record`)."""
    return trial_or_recorded(inbox, outbox, as_of, archive=archive, record=True)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    box = tmp_path / "inbox"
    for i, unit in enumerate(("荷花村", "柳林村", "白塔村")):
        write_ledger(box / f"{unit}.xlsx", unit=unit, filed=d("2026-12-18"),
                     activities=[activity(d("2026-12-05"), summary=f"第{i}次")])
    return box


def outputs(outbox: Path) -> dict[str, bytes]:
    """Every file under the outbox by relative path (the .docx is rebuilt with its own zip times, so only
    its presence is compared)."""
    return {str(p.relative_to(outbox)): (b"" if p.suffix == ".docx" else p.read_bytes())
            for p in sorted(outbox.rglob("*")) if p.is_file()}


def leftovers(outbox: Path) -> list[str]:
    return [p.name for p in outbox.rglob("*") if p.name.startswith((".写入中_", ".旧版_"))]


def runs(archive: Path) -> int:
    with sqlite3.connect(archive / "history.sqlite3") as db:
        return int(db.execute("SELECT count(*) FROM runs").fetchone()[0])


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--config", str(CAMPAIGN)])
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stderr


def stop_of(call: object) -> Stop:
    assert callable(call)
    with pytest.raises(ChuangchengError) as info:
        call()
    return info.value.code


def agree(outbox: Path, archive: Path, as_of: str) -> None:
    """文件清单, the archive and the history's inputs name the same files with the same contents."""
    listed = {(r["文件"], r["SHA256"]) for r in read_sheet(outbox / f"督查汇总表_{as_of}.xlsx", "文件清单")}
    stored = {p.name.split(".")[0] for p in (archive / "files").iterdir()}
    assert {sha for _, sha in listed if sha} <= stored
    with sqlite3.connect(archive / "history.sqlite3") as db:
        inputs = set(db.execute("SELECT file, sha256 FROM run_inputs JOIN runs ON runs.id = run_id WHERE as_of = ?",
                                (as_of,)).fetchall())
    assert inputs == {(f, sha or "") for f, sha in listed}


def _cli_process(box: Path, tmp: Path, as_of: str, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "pipeline", "report", "--inbox", str(box), "--outbox",
                             str(tmp / "out"), "--archive", str(tmp / "archive"), "--config", str(CAMPAIGN),
                             "--as-of", as_of, "--record", *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _reading(tmp: Path) -> bool:
    files, out = tmp / "archive" / "files", tmp / "out"
    return files.is_dir() and any(files.iterdir()) and out.is_dir() and not any(out.iterdir())


def _writing(tmp: Path) -> bool:
    return (tmp / "out").is_dir() and any(p.name.startswith(".写入中_") for p in (tmp / "out").iterdir())


@pytest.mark.parametrize("phase", [_reading, _writing], ids=["while reading", "while writing"])
def test_a_killed_run_never_blocks_the_next_and_everything_agrees_after_the_rerun(
        inbox: Path, tmp_path: Path, phase: object) -> None:
    assert callable(phase)
    for i in range(200):  # a run of a second or two
        resaved_copy(inbox / "荷花村.xlsx", inbox / f"副本_{i:03}.xlsx")
    report(inbox, tmp_path / "out", AS_OF, archive=tmp_path / "archive")  # last week's outputs exist
    shutil.rmtree(tmp_path / "out")
    shutil.rmtree(tmp_path / "archive" / "files")
    proc = _cli_process(inbox, tmp_path, AS_OF)
    deadline = time.monotonic() + 60
    while not phase(tmp_path) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, "the run ended before the phase was reached"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    started = time.monotonic()
    rerun = _cli_process(inbox, tmp_path, AS_OF)  # default options: the default lock wait is 120 s
    assert rerun.wait(60) == 0, rerun.stderr.read() if rerun.stderr else ""
    assert "Traceback" not in (rerun.stderr.read().decode() if rerun.stderr else "")
    assert time.monotonic() - started < 30  # the killed run's lock did not hold it up
    assert not leftovers(tmp_path / "out")
    agree(tmp_path / "out", tmp_path / "archive", AS_OF)
    assert runs(tmp_path / "archive") == 1


def test_runs_held_by_another_wait_then_give_up_and_three_at_once_all_finish(inbox: Path, tmp_path: Path) -> None:
    for i in range(200):
        resaved_copy(inbox / "荷花村.xlsx", inbox / f"副本_{i:03}.xlsx")
    held = _cli_process(inbox, tmp_path, AS_OF)
    lock = tmp_path / "archive" / "运行中.lock"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # wait until the first run holds the lock, then freeze it mid-run
        try:
            with RunLock(lock, timeout=0):
                pass
        except ChuangchengError:
            break
        time.sleep(0.02)
    held.send_signal(signal.SIGSTOP)
    try:
        waiters = [_cli_process(inbox, tmp_path, "2026-12-27", "--lock-timeout", "1") for _ in range(2)]
        for waiter in waiters:
            assert waiter.wait(60) == 2
            stderr = waiter.stderr.read().decode() if waiter.stderr else ""
            last = stderr.splitlines()[-1]
            assert last.startswith("错误：另一次汇总正在运行（锁文件") and last.endswith("已等待 1 秒；请等它结束后再试")
            assert "Traceback" not in stderr
    finally:
        held.send_signal(signal.SIGCONT)
    assert held.wait(120) == 0
    three = [_cli_process(inbox, tmp_path, day) for day in ("2027-01-03", "2027-01-10", "2027-01-17")]
    assert [p.wait(180) for p in three] == [0, 0, 0]
    assert runs(tmp_path / "archive") == 4  # 12-20 and the three, each in its own reporting week
    with sqlite3.connect(tmp_path / "archive" / "history.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_history_held_by_another_program_stops_the_run_before_anything_changes(inbox: Path, tmp_path: Path) -> None:
    report(inbox, tmp_path / "out", AS_OF, archive=tmp_path / "archive")
    before = outputs(tmp_path / "out")
    holder = sqlite3.connect(tmp_path / "archive" / "history.sqlite3", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, stderr = cli("report", "--inbox", str(inbox), "--outbox", str(tmp_path / "out"), "--archive",
                           str(tmp_path / "archive"), "--as-of", "2026-12-27", "--record", "--lock-timeout", "0.3")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 2
    assert stderr.splitlines()[-1] == (
        f"错误：历史数据库“{tmp_path / 'archive' / 'history.sqlite3'}”正被另一个程序占用，已等待 0.3 秒。"
        "请关闭正在打开它的程序（如数据库查看软件）后重新运行")
    assert outputs(tmp_path / "out") == before and runs(tmp_path / "archive") == 1


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_damaged_history_is_set_aside_and_the_run_goes_on(inbox: Path, tmp_path: Path, damage: str) -> None:
    archive = tmp_path / "archive"
    report(inbox, tmp_path / "out", "2026-12-13", archive=archive)
    db = archive / "history.sqlite3"
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2] if damage == "truncated" else b"not a database" * 100)
    damaged = hashlib.sha256(db.read_bytes()).hexdigest()
    result = report(inbox, tmp_path / "out", AS_OF, archive=archive)
    aside = [p for p in archive.iterdir() if p.name.startswith("history.sqlite3.损坏_")]
    assert len(aside) == 1 and hashlib.sha256(aside[0].read_bytes()).hexdigest() == damaged
    assert runs(archive) == 1 and result.report.history == ()  # 期号 and 周趋势 start again
    (notice,) = result.notices
    assert notice.text.startswith(f"提示：历史数据库“{db}”已损坏，已改名为“{aside[0].name}”保存，并新建了一个空的历史数据库；")
    assert "通报的期号和周趋势从本次重新开始" in notice.text


def test_the_clerk_is_told_when_the_history_was_set_aside(inbox: Path, tmp_path: Path) -> None:
    (tmp_path / "archive").mkdir()
    (tmp_path / "archive" / "history.sqlite3").write_bytes(b"\x00" * 4096)
    code, stderr = cli("report", "--inbox", str(inbox), "--outbox", str(tmp_path / "out"), "--archive",
                       str(tmp_path / "archive"), "--as-of", AS_OF)
    assert code == 0 and "提示：历史数据库" in stderr and "如需找回以前的记录" in stderr


def _dies_on(monkeypatch: pytest.MonkeyPatch, name: str, *, once: Path | None = None) -> None:
    """Reading `name` kills the reading process (forked, so it runs this patched function); with `once`, only
    the first time (a passing fault)."""
    real = pipeline.read.ledger.read_ledger

    def reader(data: bytes, *, file: str, **kwargs: object) -> object:
        if file == name and (once is None or not once.exists()):
            if once is not None:
                once.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return real(data, file=file, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline.read.inbox, "read_ledger", reader)


@pytest.mark.parametrize("again", [True, False])
def test_a_reading_process_killed_mid_file_is_retried_once(inbox: Path, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch, again: bool) -> None:
    for i in range(pipeline.read.inbox.PARALLEL_FROM):
        resaved_copy(inbox / "荷花村.xlsx", inbox / f"副本_{i:03}.xlsx")
    resaved_copy(inbox / "柳林村.xlsx", inbox / "致命.xlsx")
    _dies_on(monkeypatch, "致命.xlsx", once=None if again else tmp_path / "died-once")
    book = report(inbox, tmp_path / "out", AS_OF).written.workbook
    files = {r["文件"]: (r["处理结果"], r["原因"]) for r in read_sheet(book, "文件清单")}
    assert len(files) == pipeline.read.inbox.PARALLEL_FROM + 4  # every file accounted for
    if again:
        assert files["致命.xlsx"] == ("未采用", read_refusals.READER_DIED.text)
    else:
        assert files["致命.xlsx"][0] in ("已采用", "已被新版本替代")
    assert files["白塔村.xlsx"] == ("已采用", None)
    assert sum(1 for result, _ in files.values() if result == "已被新版本替代") >= pipeline.read.inbox.PARALLEL_FROM


def test_a_reading_process_that_dies_while_files_are_still_being_found_is_a_refusal(
        inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pool breaks between two hand-outs (the main process is still finding the next file when the process
    reading the first dies): the pool refuses the next batch, which is read again like the ones in flight."""
    for i in range(pipeline.read.inbox.PARALLEL_FROM):
        resaved_copy(inbox / "荷花村.xlsx", inbox / f"副本_{i:03}.xlsx")
    resaved_copy(inbox / "柳林村.xlsx", inbox / "0致命.xlsx")  # the first file found, the first handed out
    _dies_on(monkeypatch, "0致命.xlsx")
    fatal, real = (inbox / "0致命.xlsx").read_bytes(), pipeline.read.inbox.sha256_of
    after_fatal = [False]

    def slow_after_fatal(data: bytes) -> str:
        if after_fatal.pop():
            time.sleep(1)  # finding the next file: meanwhile the process reading 0致命.xlsx dies
        after_fatal.append(data == fatal)
        return real(data)

    monkeypatch.setattr(pipeline.read.inbox, "sha256_of", slow_after_fatal)
    book = report(inbox, tmp_path / "out", AS_OF).written.workbook
    files = {r["文件"]: (r["处理结果"], r["原因"]) for r in read_sheet(book, "文件清单")}
    assert len(files) == pipeline.read.inbox.PARALLEL_FROM + 4  # every file accounted for
    assert files["0致命.xlsx"] == ("未采用", read_refusals.READER_DIED.text)
    assert files["白塔村.xlsx"] == ("已采用", None)


def test_a_file_whose_reading_process_died_is_read_again_next_run(inbox: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The death was this run's circumstance (memory, a killed process), not the file's: the read cache must not
    keep it, so the next run, with the same archive and its cache, reads the file and uses it."""
    for i in range(pipeline.read.inbox.PARALLEL_FROM):
        resaved_copy(inbox / "荷花村.xlsx", inbox / f"副本_{i:03}.xlsx")
    resaved_copy(inbox / "柳林村.xlsx", inbox / "致命.xlsx")
    archive = tmp_path / "archive"
    with monkeypatch.context() as patched:
        _dies_on(patched, "致命.xlsx")
        first = report(inbox, tmp_path / "out1", AS_OF, archive=archive).written.workbook
    assert {r["文件"]: r["处理结果"] for r in read_sheet(first, "文件清单")}["致命.xlsx"] == "未采用"
    again = report(inbox, tmp_path / "out2", AS_OF, archive=archive)
    assert again.reused > 0  # the cache was used for the others
    files = {r["文件"]: r["处理结果"] for r in read_sheet(again.written.workbook, "文件清单")}
    assert files["致命.xlsx"] in ("已采用", "已被新版本替代")


def test_the_side_writer_fails_in_the_parents_words(inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capfd: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(pipeline.run, "PARALLEL_FROM_UNITS", 1)

    def broken(*args: object) -> None:
        raise ValueError("坏了")

    monkeypatch.setattr(pipeline.write.reminders, "write_reminders", broken)
    with pytest.raises(InternalError) as info:  # a fault of the program: its traceback is kept for a technician
        report(inbox, tmp_path / "out", AS_OF)
    assert "ValueError: 坏了" in info.value.detail and "write_side_outputs" in info.value.detail
    assert "Traceback" not in capfd.readouterr().err  # the helper printed nothing
    assert not list((tmp_path / "out").iterdir())
    code, stderr = cli("report", "--inbox", str(inbox), "--outbox", str(tmp_path / "out"), "--archive",
                       str(tmp_path / "archive"), "--as-of", AS_OF)
    log = next(Path("错误记录").iterdir())
    assert code == 3
    assert stderr.splitlines()[-1] == (f"错误：程序内部出错（InternalError），本次没有完成。详细信息已写入“{log.resolve()}”，"
                                       "请把该文件发给技术人员。")
    assert "ValueError: 坏了" in log.read_text(encoding="utf-8")


def test_a_side_writer_that_dies_is_a_stop(inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline.run, "PARALLEL_FROM_UNITS", 1)
    monkeypatch.setattr(pipeline.write.bulletin, "write_bulletin", lambda *args: os._exit(9))
    with pytest.raises(ChuangchengError) as info:
        report(inbox, tmp_path / "out", AS_OF)
    assert str(info.value).startswith("写整改清单、工作通报和催报提醒的进程意外退出（代码 9）")


@pytest.mark.parametrize(("up_to", "here"), [(10_000, False), (0, True)])
def test_the_side_outputs_are_written_beside_the_workbook_only_below_a_countys_rows(
        inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, up_to: int, here: bool) -> None:
    """Above PARALLEL_UP_TO_ROWS the helper would copy the records' memory page by page: one process writes all."""
    monkeypatch.setattr(pipeline.run, "PARALLEL_FROM_UNITS", 1)
    monkeypatch.setattr(pipeline.run, "PARALLEL_UP_TO_ROWS", up_to)
    writers: list[int] = []  # appended to in this process only when the bulletin is written here
    real = pipeline.write.bulletin.write_bulletin

    def noting(*args: Any) -> None:
        writers.append(os.getpid())
        real(*args)

    monkeypatch.setattr(pipeline.write.bulletin, "write_bulletin", noting)
    result = report(inbox, tmp_path / "out", AS_OF)
    assert writers == ([os.getpid()] if here else [])
    assert result.written.bulletin.exists()


WRITE_SITES = {
    "workbook": ("pipeline.run.write_supervision_workbook", "out"),
    "gap lists": ("pipeline.write.gaplists.write_gap_lists", "out"),
    "bulletin": ("pipeline.write.bulletin.write_bulletin", "out"),
    "reminders": ("pipeline.write.reminders.write_reminders", "out"),
}


@pytest.mark.parametrize("site", WRITE_SITES)
def test_a_full_disk_at_each_write_names_the_folder_and_keeps_the_previous_outputs(
        inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, site: str) -> None:
    target, folder = WRITE_SITES[site]
    report(inbox, tmp_path / "out", AS_OF, archive=tmp_path / "archive")
    before = outputs(tmp_path / "out")
    write_ledger(inbox / "乡团委.xlsx", unit="乡团委", filed=d("2026-12-19"), activities=[activity(d("2026-12-06"))])
    full = OSError(errno.ENOSPC, "No space left on device")  # as a failed write() raises it: no file named

    def no_space(*args: object, **kwargs: object) -> None:
        raise full

    monkeypatch.setattr(target, no_space)
    with pytest.raises(ChuangchengError) as info:
        report(inbox, tmp_path / "out", AS_OF, archive=tmp_path / "archive")
    assert info.value.code is Stop.DISK_FULL
    assert str(info.value) == (f"磁盘空间不足，无法写入“{tmp_path / folder}”。请清理磁盘或换一个文件夹后重新运行；"
                               "已有的报表和存档没有被改动")
    assert outputs(tmp_path / "out") == before and not leftovers(tmp_path / "out")
    assert runs(tmp_path / "archive") == 1


def test_a_full_history_disk_is_a_full_disk(inbox: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorname = "SQLITE_FULL"

    def record(*args: object, **kwargs: object) -> None:
        raise full

    monkeypatch.setattr("pipeline.store.history.History.record", record)
    assert stop_of(lambda: report(inbox, tmp_path / "out", AS_OF, archive=tmp_path / "archive")) is Stop.DISK_FULL
    assert runs(tmp_path / "archive") == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MB filesystem (root can mount one here and in CI); skipped where mounting is not allowed."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True,
                          check=False)
    if done.returncode != 0:
        pytest.skip("cannot mount a small filesystem here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> Path:
    filler = disk / "填满.bin"
    handle = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(handle, b"\0" * 4096):
            pass
    except OSError as exc:
        assert exc.errno == errno.ENOSPC
    finally:
        os.close(handle)
    return filler


def test_a_really_full_archive_disk_names_the_archive(inbox: Path, tmp_path: Path, small_disk: Path) -> None:
    archive = small_disk / "archive"
    archive.mkdir()
    fill(small_disk)
    with pytest.raises(ChuangchengError) as info:
        report(inbox, tmp_path / "out", AS_OF, archive=archive)
    assert str(info.value).startswith(f"磁盘空间不足，无法写入“{archive / 'files'}”。")
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_really_full_disk(inbox: Path, tmp_path: Path, small_disk: Path) -> None:
    outbox = small_disk / "outbox"
    report(inbox, outbox, AS_OF, archive=tmp_path / "archive")
    before = outputs(outbox)
    filler = fill(small_disk)
    assert stop_of(lambda: report(inbox, outbox, AS_OF, archive=tmp_path / "archive")) is Stop.DISK_FULL
    assert outputs(outbox) == before and not leftovers(outbox)
    filler.unlink()
    report(inbox, outbox, AS_OF, archive=tmp_path / "archive")
    agree(outbox, tmp_path / "archive", AS_OF)


def test_a_read_only_outbox_is_named(inbox: Path, tmp_path: Path) -> None:
    outbox = tmp_path / "只读"
    outbox.mkdir()
    if os.geteuid() == 0:  # root writes anywhere: make the folder truly read-only with a read-only mount
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(outbox)],
                              capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip("cannot mount a read-only filesystem here")
    else:
        outbox.chmod(0o555)
    try:
        code, stderr = cli("report", "--inbox", str(inbox), "--outbox", str(outbox), "--archive",
                           str(tmp_path / "archive"), "--as-of", AS_OF)
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", "-l", str(outbox)], check=False)
    assert code == 2
    assert stderr.splitlines()[-1] == (f"错误：文件夹“{outbox}”只读或没有写入权限。请换一个文件夹（--outbox / --archive），"
                                       "或开放该文件夹的写入权限后重新运行")


@pytest.mark.parametrize("held", [f"督查汇总表_{AS_OF}.xlsx", f"工作通报_{AS_OF}.docx", f"整改清单_{AS_OF}"])
def test_an_output_held_open_in_excel_is_named_and_nothing_changes(inbox: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch, held: str) -> None:
    """On Windows a file that Excel or WPS has open cannot be renamed or replaced (nor a folder holding one)."""
    report(inbox, tmp_path / "out", AS_OF)
    before = outputs(tmp_path / "out")
    stamps = {p: p.stat().st_mtime_ns for p in (tmp_path / "out").rglob("*")}
    locked = tmp_path / "out" / held
    real = os.replace

    def replace(source: str, target: str) -> None:
        if locked in (Path(source), Path(target)):
            raise PermissionError(errno.EACCES, "Permission denied", str(source), None, str(target))
        real(source, target)

    monkeypatch.setattr("pipeline.write.outbox.os.replace", replace)
    with pytest.raises(ChuangchengError) as info:
        report(inbox, tmp_path / "out", AS_OF)
    if locked.is_dir():
        assert str(info.value) == (f"文件夹“{locked}”中有文件正被其他程序打开（多半是 Excel 或 WPS 打开的整改清单），无法替换。"
                                   "请关闭后重新运行")
    else:
        assert str(info.value) == f"“{locked}”正被其他程序打开（多半是 Excel 或 WPS），无法替换。请关闭该文件后重新运行"
    assert outputs(tmp_path / "out") == before and not leftovers(tmp_path / "out")
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "out").rglob("*")} == stamps  # not even rewritten


@pytest.mark.parametrize("umask", [0o022, 0o002])
def test_files_respect_the_umask(inbox: Path, tmp_path: Path, umask: int) -> None:
    previous = os.umask(umask)
    try:
        written = report(inbox, tmp_path / "out", AS_OF, archive=tmp_path / "archive").written
    finally:
        os.umask(previous)
    file_mode, folder_mode = 0o666 & ~umask, 0o777 & ~umask
    for path in (written.workbook, written.bulletin, written.reminders, *written.gap_lists,
                 *(tmp_path / "archive" / "files").iterdir()):
        assert path.stat().st_mode & 0o777 == file_mode, path
    assert written.gap_list_folder.stat().st_mode & 0o777 == folder_mode


def test_a_file_where_a_folder_belongs_is_named(inbox: Path, tmp_path: Path) -> None:
    taken = tmp_path / "同名文件"
    taken.write_text("x", encoding="utf-8")
    base = ["--inbox", str(inbox), "--as-of", AS_OF]
    for args, what in ((["report", *base, "--outbox", str(taken)], "--outbox"),
                       (["report", *base, "--outbox", str(tmp_path / "o"), "--archive", str(taken)], "--archive"),
                       (["validate", "--inbox", str(taken)], "--inbox"),
                       (["templates", "--out", str(taken)], "--out"),
                       (["demo", "--dir", str(taken)], "--dir")):
        code, stderr = cli(*args)
        shown = taken / "inbox" if what == "--dir" else taken
        assert code == 2, args
        assert stderr.splitlines()[-1] in (f"错误：“{shown}”是一个文件，不是文件夹；请指定一个文件夹（{what}）",
                                           f"错误：无法写入“{shown}”：路径中有一项是文件而不是文件夹。本次报表未生成，已有的报表没有被改动"), args


def test_restore_into_a_file_is_named(inbox: Path, tmp_path: Path) -> None:
    report(inbox, tmp_path / "out", AS_OF, archive=tmp_path / "archive")
    sha = hashlib.sha256((inbox / "荷花村.xlsx").read_bytes()).hexdigest()
    taken = tmp_path / "同名文件"
    taken.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["restore", sha[:8], "--archive", str(tmp_path / "archive"), "--to", str(taken)])
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        2, f"错误：“{taken}”是一个文件，不是文件夹；请指定一个文件夹（--to）")


def test_a_history_that_is_a_folder_is_named(inbox: Path, tmp_path: Path) -> None:
    (tmp_path / "archive" / "history.sqlite3").mkdir(parents=True)
    code, stderr = cli("report", "--inbox", str(inbox), "--outbox", str(tmp_path / "out"), "--archive",
                       str(tmp_path / "archive"), "--as-of", AS_OF)
    assert (code, stderr.splitlines()[-1]) == (2, f"错误：历史数据库“{tmp_path / 'archive' / 'history.sqlite3'}”无法使用："
                                                  "它是一个文件夹，不是数据库文件。本次报表未生成；请把该文件交给技术人员检查")
