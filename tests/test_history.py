"""Archive, weekly history, trend, R8, restore, locking and killed runs."""

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import RESTORE_COMMAND, ChuangchengError
from pipeline.judge.redone import replaced_notice
from pipeline.model import RunSnapshot, UnitSnapshot
from pipeline.store.history import History, Periods, RunRecord
from pipeline.store.lock import RunLock
from tests.ledgers import CAMPAIGN, ROOT, activity, d, problem, read_sheet, resaved_copy, write_ledger
from tests.runs import report as run_report
from tests.runs import setup


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args])
    return result.exit_code, result.stdout, result.stderr


def report(box: Path, tmp: Path, as_of: str, *, config: Path = CAMPAIGN, out: str = "out", record: bool = True) -> Path:
    """A run recorded in the history, as the weekly job's are (these dates are not today: hence `record`)."""
    return run_report(box, tmp / out, as_of, archive=tmp / "archive", config=config, record=record).written.workbook


def test_every_file_read_is_archived_once_and_restorable(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    ledger = write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    (box / "照片.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(40))
    with zipfile.ZipFile(box / "打包.zip", "w") as archive:
        archive.write(ledger, "柳林村.xlsx")
    book = report(box, tmp_path, "2026-12-20")
    report(box, tmp_path, "2026-12-27")
    stored = sorted(p.name for p in (tmp_path / "archive" / "files").iterdir())
    sha = hashlib.sha256(ledger.read_bytes()).hexdigest()
    photo = hashlib.sha256((box / "照片.jpg").read_bytes()).hexdigest()
    assert stored == sorted([f"{sha}.xlsx", f"{photo}.jpg"])  # the zip member has the same content as 荷花村.xlsx
    listed = {r["文件"]: r["SHA256"] for r in read_sheet(book, "文件清单")}
    assert listed == {"荷花村.xlsx": sha, "照片.jpg": photo, "打包.zip/柳林村.xlsx": sha}
    ledger.unlink()
    code, stdout, _ = run("restore", sha[:8], "--archive", str(tmp_path / "archive"), "--to", str(tmp_path / "back"))
    assert (code, stdout) == (0, f"已恢复：{tmp_path / 'back' / '荷花村.xlsx'}\n")
    assert hashlib.sha256((tmp_path / "back" / "荷花村.xlsx").read_bytes()).hexdigest() == sha
    code, _, stderr = run("restore", "abcdef", "--archive", str(tmp_path / "archive"))
    assert code == 2 and "存档中没有以“abcdef”开头的文件" in stderr
    code, _, stderr = run("restore", sha[:4], "--archive", str(tmp_path / "archive"))   # too short: not “没有”
    assert code == 2 and f"“{sha[:4]}”不是 SHA256 的开头：请照文件清单最后一列抄写 SHA256 的前几位（至少 6 位" in stderr


def test_redoing_a_past_week_tells_what_its_replaced_entry_said_and_how_to_get_it_back(tmp_path: Path) -> None:
    """Week 1 (12-11) recorded 荷花村 已达标; in week 2 the unit overwrote 荷花村.xlsx with a ledger filed 12-17 and
    柳林村 sent one filed 12-10. Redoing week 1 with --record replaced its entry (荷花村 now 未报送: its only file is
    dated after 12-11) and the clerk only read 已记入历史：第1期周报. The run now says what changed and how to
    restore the ledger the replaced entry stood on; the exit code is the same (SPEC §6)."""
    box = tmp_path / "inbox"
    acts = [activity(d("2026-12-01")), activity(d("2026-12-03"), "大行动", 2, 序号=2),
            activity(d("2026-12-05"), subtheme=5, 序号=3), activity(d("2026-12-06"), subtheme=6, 序号=4)]
    lotus = write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-10"), activities=acts,
                         problems=[problem(d("2027-01-30"))])
    sha = hashlib.sha256(lotus.read_bytes()).hexdigest()
    first = run_report(box, tmp_path / "w1", "2026-12-11", archive=tmp_path / "archive", record=True)
    assert not [n for n in first.notices if n.code.value == "replaced-entry"]    # nothing replaced
    statuses = {r["单位名称"]: r["状态"] for r in read_sheet(first.written.workbook, "单位进度")}
    assert (statuses["荷花村"], statuses["柳林村"]) == ("已达标", "未报送")
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-17"), activities=acts,
                 problems=[problem(d("2027-01-30"))])
    write_ledger(box / "柳林村.xlsx", unit="柳林村", filed=d("2026-12-10"), activities=[activity(d("2026-12-02"))])
    report(box, tmp_path, "2026-12-18")
    redone = run_report(box, tmp_path / "redo", "2026-12-11", archive=tmp_path / "archive", record=True)
    now = {r["单位名称"]: r["状态"] for r in read_sheet(redone.written.workbook, "单位进度")}
    assert [n.text for n in redone.notices if n.code.value == "replaced-entry"] == [
        f"提示：历史中原有的第1期周报（统计日期 2026-12-11）已被本次运行替换，2 个单位的状态与原记录不同：荷花村 已达标→未报送、"
        f"柳林村 未报送→{now['柳林村']}。如不是有意替换，请从存档取回原记录采用的台账放回收件箱（与单位的新文件同名时先改名，"
        f"不要覆盖），再用 --as-of 2026-12-11 --record 重新运行：荷花村《荷花村.xlsx》用 {RESTORE_COMMAND} "
        f"{sha[:8]} 取回"]
    assert now["柳林村"] != "未报送"
    code, stdout, _ = run("restore", sha[:8], "--archive", str(tmp_path / "archive"), "--to", str(tmp_path / "back"))
    assert code == 0 and stdout.startswith("已恢复：")     # the command the notice gives brings the bytes back
    assert hashlib.sha256(Path(stdout.removeprefix("已恢复：").strip()).read_bytes()).hexdigest() == sha
    again = run_report(box, tmp_path / "again", "2026-12-11", archive=tmp_path / "archive", record=True)
    assert [n.text for n in again.notices if n.code.value == "replaced-entry"] == [
        "提示：历史中原有的第1期周报（统计日期 2026-12-11）已被本次运行替换，各单位的状态与原记录相同。"]
    code, stdout, stderr = run("report", "--inbox", str(box), "--outbox", str(tmp_path / "cli"), "--archive",
                               str(tmp_path / "archive"), "--as-of", "2026-12-11", "--record", "--config", str(CAMPAIGN))
    assert code == 0 and "已记入历史：第1期周报" in stdout and "已被本次运行替换，各单位的状态与原记录相同。" in stderr


def test_a_replaced_entry_names_five_changed_units_and_counts_the_rest() -> None:
    """Six units changed: five are named, the count says six (numbers typed by hand)."""
    def week(status: str, sha: str) -> RunSnapshot:
        units = {f"单位{i}": UnitSnapshot(status, 1, 0, 10, f"单位{i}.xlsx", sha) for i in range(1, 8)}
        units["单位7"] = UnitSnapshot("进行中", 1, 0, 10, "单位7.xlsx", "same")    # unchanged: not named
        return RunSnapshot(as_of=d("2026-12-11"), units_total=7, submitted=7, discussions=7, actions=0,
                           participants=70, units=units)
    said = replaced_notice(week("已达标", "a" * 64), week("进行中", "b" * 64), number=3)
    assert said.text == (
        "提示：历史中原有的第3期周报（统计日期 2026-12-11）已被本次运行替换，6 个单位的状态与原记录不同：单位1 已达标→进行中、"
        "单位2 已达标→进行中、单位3 已达标→进行中、单位4 已达标→进行中、单位5 已达标→进行中等。如不是有意替换，请从存档取回原记录"
        "采用的台账放回收件箱（与单位的新文件同名时先改名，不要覆盖），再用 --as-of 2026-12-11 --record 重新运行："
        + "；".join(f"单位{i}《单位{i}.xlsx》用 {RESTORE_COMMAND} aaaaaaaa 取回" for i in range(1, 6)))


def test_history_gives_a_trend_new_columns_and_r8(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村_1.xlsx", unit="荷花村", filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    first = report(box, tmp_path, "2026-12-20")
    assert "周趋势" not in openpyxl.load_workbook(first, read_only=True).sheetnames
    write_ledger(box / "荷花村_2.xlsx", unit="荷花村", filed=d("2026-12-25"),
                 activities=[activity(d("2026-12-05")), activity(d("2026-12-22"), "大行动", 2, 序号=2)])
    second = report(box, tmp_path, "2026-12-27")
    third = report(box, tmp_path, "2027-01-03")
    again = report(box, tmp_path, "2027-01-03")        # same date again: replaces, never duplicates
    wb = openpyxl.load_workbook(third)
    assert wb.sheetnames[-1] == "周趋势"
    assert wb["周趋势"]._charts
    trend = read_sheet(third, "周趋势")
    assert [(r["统计日期"].date(), r["累计大讨论场次"], r["累计大行动场次"]) for r in trend] == [
        (d("2026-12-20"), 1, 0), (d("2026-12-27"), 1, 1), (d("2027-01-03"), 1, 1)]
    lotus = next(r for r in read_sheet(second, "单位进度") if r["单位名称"] == "荷花村")
    assert (lotus["本周新增大讨论"], lotus["本周新增大行动"], lotus["较上次变化"]) == (0, 1, "进行中（不变）；活动+1")
    gaps = {(r["单位名称"], r["规则"]): r for r in read_sheet(third, "差距清单")}
    assert gaps[("荷花村", "R8 持续无进展")]["等级"] == "提醒"
    assert gaps[("荷花村", "R8 持续无进展")]["差距说明"] == "自上次统计（12月27日）以来活动数没有增加（仍为2次）"
    assert ("荷花村", "R8 持续无进展") not in {(r["单位名称"], r["规则"]) for r in read_sheet(second, "差距清单")}
    with sqlite3.connect(tmp_path / "archive" / "history.sqlite3") as db:
        assert db.execute("SELECT as_of FROM runs ORDER BY as_of").fetchall() == [
            ("2026-12-20",), ("2026-12-27",), ("2027-01-03",)]
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert db.execute("PRAGMA user_version").fetchone() == (2,)   # version 2 keeps each unit's file
    assert hashlib.sha256(again.read_bytes()).digest() == hashlib.sha256(third.read_bytes()).digest()


def test_another_campaign_never_mixes_into_the_trend(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    report(box, tmp_path, "2026-12-20")
    other = tmp_path / "other.yaml"
    other.write_text(CAMPAIGN.read_text(encoding="utf-8").replace("start: 2026-11-27", "start: 2026-11-28"),
                     encoding="utf-8")
    book = report(box, tmp_path, "2026-12-27", config=other)
    assert "周趋势" not in openpyxl.load_workbook(book, read_only=True).sheetnames


def test_same_inputs_and_history_give_identical_gap_lists(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    report(box, tmp_path, "2026-12-20", out="a")
    report(box, tmp_path, "2026-12-20", out="b")
    for name in ("荷花村.xlsx", "乡团委.xlsx"):
        a = (tmp_path / "a" / "整改清单_2026-12-20" / name).read_bytes()
        b = (tmp_path / "b" / "整改清单_2026-12-20" / name).read_bytes()
        assert hashlib.sha256(a).digest() == hashlib.sha256(b).digest()


def test_lock_times_out_with_a_chinese_message(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    with RunLock(tmp_path / "archive" / "运行中.lock", timeout=1):
        code, _, stderr = run("report", "--inbox", str(tmp_path / "inbox"), "--outbox", str(tmp_path / "out"),
                              "--archive", str(tmp_path / "archive"), "--lock-timeout", "0.5",
                              "--config", str(CAMPAIGN), "--as-of", "2026-12-20")
    assert code == 2
    assert stderr.splitlines()[-1].startswith("错误：另一次汇总正在运行（锁文件")
    assert "已等待 0.5 秒" in stderr
    with RunLock(tmp_path / "l", timeout=1), pytest.raises(ChuangchengError), RunLock(tmp_path / "l", timeout=0.3):
        pass
    with RunLock(tmp_path / "l", timeout=0):  # released: free again at once
        pass


def _cli(tmp: Path, box: Path, as_of: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "pipeline", "report", "--inbox", str(box), "--outbox", str(tmp / "out"),
                             "--archive", str(tmp / "archive"), "--config", str(CAMPAIGN), "--as-of", as_of, "--record"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _inbox(box: Path, n: int) -> None:
    for i in range(n):
        unit = ("荷花村", "柳林村", "白塔村")[i % 3]
        write_ledger(box / f"{unit}_{i}.xlsx", unit=unit, filed=d("2026-12-18"),
                     activities=[activity(d("2026-12-05"), summary=f"第{i}次")])


def test_two_concurrent_runs_never_corrupt_anything(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    _inbox(box, 9)
    first, second = _cli(tmp_path, box, "2026-12-20"), _cli(tmp_path, box, "2026-12-27")
    assert first.wait(120) == 0, first.stderr.read() if first.stderr else ""
    assert second.wait(120) == 0, second.stderr.read() if second.stderr else ""
    for as_of in ("2026-12-20", "2026-12-27"):
        openpyxl.load_workbook(tmp_path / "out" / f"督查汇总表_{as_of}.xlsx")
    with sqlite3.connect(tmp_path / "archive" / "history.sqlite3") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM runs").fetchone() == (2,)
    with RunLock(tmp_path / "archive" / "运行中.lock", timeout=0):  # both released it
        pass


def test_a_killed_run_leaves_the_previous_outputs_intact(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    _inbox(box, 3)
    for i in range(300):  # enough files that the run lasts about a second, so the kills land mid-run
        resaved_copy(box / "荷花村_0.xlsx", box / f"副本_{i:03}.xlsx")
    report(box, tmp_path, "2026-12-20")
    before = {p.relative_to(tmp_path / "out"): p.read_bytes() for p in (tmp_path / "out").rglob("*.xlsx")}
    killed = 0
    for delay in (0.15, 0.3, 0.45, 0.6, 0.75, 0.9, 1.05, 1.2):
        proc = _cli(tmp_path, box, "2026-12-20")
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed += 1
        proc.wait()  # the system released the killed run's lock: nothing for the clerk to delete
        finals = sorted(p for p in (tmp_path / "out").rglob("*.xlsx") if not any(
            part.startswith(".") for part in p.relative_to(tmp_path / "out").parts))
        for path in finals:
            openpyxl.load_workbook(path, read_only=True)  # never a partial file under a final name
        if proc.returncode != 0:
            report(box, tmp_path, "2026-12-27")  # the next run recovers whatever was moved aside
            now = {p.relative_to(tmp_path / "out"): p.read_bytes() for p in (tmp_path / "out").rglob("*.xlsx")
                   if "2026-12-20" in str(p.relative_to(tmp_path / "out"))}
            assert now == before
            assert not [p for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]
    assert killed >= 3


def test_helper_process_writes_the_same_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.run

    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    report(box, tmp_path, "2026-12-20", out="inline")
    monkeypatch.setattr(pipeline.run, "PARALLEL_FROM_UNITS", 1)
    report(box, tmp_path, "2026-12-20", out="forked")
    inline = {p.relative_to(tmp_path / "inline"): p.read_bytes() for p in (tmp_path / "inline").rglob("*")
              if p.is_file() and p.suffix != ".docx"}
    forked = {p.relative_to(tmp_path / "forked"): p.read_bytes() for p in (tmp_path / "forked").rglob("*")
              if p.is_file() and p.suffix != ".docx"}
    assert inline == forked and len(inline) == 2 + 16
    assert (tmp_path / "forked" / "工作通报_2026-12-20.docx").stat().st_size > 0


def entries(archive: Path) -> list[str]:
    with sqlite3.connect(archive / "history.sqlite3") as db:
        return [day for (day,) in db.execute("SELECT as_of FROM runs ORDER BY as_of")]


def test_a_trial_run_reads_the_history_and_records_nothing(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    trial = run_report(box, tmp_path / "first", "2026-12-20", archive=tmp_path / "archive")
    assert trial.recorded is None and not (tmp_path / "archive" / "history.sqlite3").exists()  # nothing to read
    (notice,) = trial.notices
    assert notice.text.startswith("提示：统计日期 2026-12-20 不是今天，本次为试算，没有记入历史")
    report(box, tmp_path, "2026-12-20")                                   # recorded: the week's entry
    before = (tmp_path / "archive" / "history.sqlite3").read_bytes()
    later = run_report(box, tmp_path / "trial", "2027-01-03", archive=tmp_path / "archive")
    assert later.recorded is None and [r.as_of for r in later.report.history] == [d("2026-12-20")]
    assert (tmp_path / "archive" / "history.sqlite3").read_bytes() == before
    assert entries(tmp_path / "archive") == ["2026-12-20"]
    text = [p.text for p in docx.Document(str(later.written.bulletin)).paragraphs]
    assert text[0].endswith("（第2期）")                                   # one official entry before it


def test_a_recorded_run_replaces_the_entry_of_its_week(tmp_path: Path) -> None:
    """Weeks are counted from start 2026-11-27 (a Friday): 12-11..12-17, 12-18..12-24, 12-25..12-31."""
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-10"), activities=[activity(d("2026-12-05"))])
    report(box, tmp_path, "2026-12-13")
    report(box, tmp_path, "2026-12-18")
    redone = run_report(box, tmp_path / "out", "2026-12-24", archive=tmp_path / "archive", record=True)
    assert redone.recorded == (d("2026-12-18"), d("2026-12-24"))
    assert [r.as_of for r in redone.report.history] == [d("2026-12-13")]  # not the entry it replaces
    assert entries(tmp_path / "archive") == ["2026-12-13", "2026-12-24"]
    book = report(box, tmp_path, "2026-12-27")
    assert [r["统计日期"].date() for r in read_sheet(book, "周趋势")] == [d("2026-12-13"), d("2026-12-24"), d("2026-12-27")]


def test_r8_compares_with_the_previous_official_entry_not_a_trial(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村_1.xlsx", unit="荷花村", filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    report(box, tmp_path, "2026-12-20")                                   # official: 1 activity
    write_ledger(box / "荷花村_2.xlsx", unit="荷花村", filed=d("2026-12-26"),
                 activities=[activity(d("2026-12-05")), activity(d("2026-12-22"), "大行动", 2, 序号=2)])
    run_report(box, tmp_path / "trial", "2026-12-27", archive=tmp_path / "archive")   # a look: 2 activities
    book = report(box, tmp_path, "2027-01-03")                            # official: still 2 activities
    rules = {(r["单位名称"], r["规则"]) for r in read_sheet(book, "差距清单")}
    assert ("荷花村", "R8 持续无进展") not in rules                        # grew from 1 (12-20), the official entry
    lotus = next(r for r in read_sheet(book, "单位进度") if r["单位名称"] == "荷花村")
    assert lotus["本周新增大行动"] == 1
    again = report(box, tmp_path, "2027-01-10")                           # and now it did not grow: R8
    gaps = {(r["单位名称"], r["规则"]): r for r in read_sheet(again, "差距清单")}
    assert gaps[("荷花村", "R8 持续无进展")]["差距说明"] == "自上次统计（1月3日）以来活动数没有增加（仍为2次）"


def test_the_weekly_job_records_without_being_asked(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-11-28"), activities=[activity(d("2026-11-28"))])
    today = setup().campaign.today()
    result = run_report(box, tmp_path / "out", today.isoformat(), archive=tmp_path / "archive")
    assert result.recorded is not None and result.notices == ()
    assert entries(tmp_path / "archive") == [today.isoformat()]


def test_the_cli_records_with_record_and_says_so(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    args = ["report", "--inbox", str(box), "--outbox", str(tmp_path / "out"), "--archive", str(tmp_path / "archive"),
            "--config", str(CAMPAIGN), "--as-of", "2026-12-20"]
    code, stdout, stderr = run(*args)
    assert code == 0 and "已记入历史" not in stdout and not (tmp_path / "archive" / "history.sqlite3").exists()
    assert stderr.splitlines()[-1].endswith("请加 --record 重新运行（make report 写 RECORD=1）。")
    code, stdout, stderr = run(*args, "--record")
    assert code == 0 and "试算" not in stderr
    assert stdout.splitlines()[-1] == "已记入历史：第1期周报（报告周 2026-12-18 至 2026-12-24）"
    assert entries(tmp_path / "archive") == ["2026-12-20"]


def test_a_history_with_several_entries_in_a_week_reads_as_the_last_recorded(tmp_path: Path) -> None:
    """Histories written before one entry per week was the rule hold every run; the one recorded last counts."""
    def snapshot(day: str, discussions: int) -> RunSnapshot:
        return RunSnapshot(as_of=d(day), units_total=1, submitted=1, discussions=discussions, actions=0,
                           participants=0, units={"荷花村": UnitSnapshot("进行中", discussions, 0, 0)})

    daily = Periods(start=d("2026-11-27"), days=1)
    with History(tmp_path / "history.sqlite3") as history, history.writing():
        for day, discussions in (("2026-12-22", 3), ("2026-12-19", 2), ("2026-12-12", 1)):
            history.record("活动", RunRecord(as_of=d(day), config_sha256="", inputs=(),
                                             snapshot=snapshot(day, discussions)), periods=daily)
    with History(tmp_path / "history.sqlite3") as history:
        weekly = history.runs_before("活动", d("2026-12-27"), periods=Periods(start=d("2026-11-27"), days=7))
    assert [(r.as_of, r.discussions) for r in weekly] == [(d("2026-12-12"), 1), (d("2026-12-19"), 2)]


def test_a_ledger_gone_from_the_inbox_is_told_not_taken_for_silence(tmp_path: Path) -> None:
    """The clerk moves last week's files out of inbox/: 荷花村, 进行中 in the week-1 report, has no file in week 2.
    It is 未报送 by the inbox, but was named 尚未报送台账 in the bulletin and told so in its reminder with no word
    that its ledger was used a week before; now every output says the ledger is gone, and the clerk is told how
    to put it back (its SHA256 is the one 文件清单 listed in week 1)."""
    box = tmp_path / "inbox"
    lotus = write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-10"), activities=[
        activity(d("2026-12-01")), activity(d("2026-12-03"), "大行动", 2, 序号=2)])
    write_ledger(box / "柳林村.xlsx", unit="柳林村", filed=d("2026-12-10"), activities=[activity(d("2026-12-02"))])
    sha = hashlib.sha256(lotus.read_bytes()).hexdigest()
    report(box, tmp_path, "2026-12-11")
    lotus.unlink()
    result = run_report(box, tmp_path / "out2", "2026-12-18", archive=tmp_path / "archive", record=True)
    gone = "《荷花村.xlsx》：上期周报（2026-12-11）采用了这份台账，本期收件箱中已没有它（可能被移走或删除）"
    row = next(r for r in read_sheet(result.written.workbook, "单位进度") if r["单位名称"] == "荷花村")
    assert (row["状态"], row["未采用文件"], row["较上次变化"]) == ("未报送", gone, "进行中→未报送；活动-2")
    reminder = next(line for line in result.written.reminders.read_text(encoding="utf-8-sig").splitlines()
                    if line.startswith("【乡创城办提醒】荷花村："))
    # It reported for 12-11, so it is asked for the next report (12-18 + 7 days), not told 已逾期14天 since 12-04
    assert reminder.startswith("【乡创城办提醒】荷花村：截至12月18日，本单位上期（12月11日）已报送，本期收件箱中已没有上期采用的"
                               "《荷花村.xlsx》，暂按未报送统计，请于2026年12月25日前把最新的台账再报送一次；")
    r5 = next(g for g in read_sheet(result.written.workbook, "差距清单") if g["单位名称"] == "荷花村")
    # SPEC §4 R5(a): due start + interval = 11-27 + 7 = 12-04, passed on 12-18 (12-04 − 12-18 = −14 days) → 未达标;
    # what it is asked for now, by the next report date, is in the 整改建议 only
    assert (r5["规则"], r5["等级"], r5["差距说明"], r5["截止日期"].date().isoformat(), r5["剩余天数"]) == (
        "R5 按时报送", "未达标", f"上期已报送，本期收件箱中没有本单位的台账（按未报送统计）。{gone}", "2026-12-04", -14)
    assert r5["整改建议"].startswith("请于下次统计日期（2026年12月25日）前把本单位最新的台账再报送一次（没有变化的照原样报送）。截至")
    gap_list = openpyxl.load_workbook(result.written.gap_list_folder / "荷花村.xlsx")["整改清单"]
    cells = [[v for v in r if v is not None] for r in gap_list.iter_rows(values_only=True)]
    assert ["整个文件", "未采用", gone.split("：", 1)[1], "把本单位最新的台账再报送一次，没有变化的照原样报送",
            "荷花村.xlsx"] in cells
    text = [p.text for p in docx.Document(str(result.written.bulletin)).paragraphs]
    issues = next(text[i + 1] for i, t in enumerate(text) if t.endswith("存在问题"))
    assert "荷花村上期采用的台账本期不在收件箱中，暂按未报送统计" in issues and "未能采用" not in issues
    assert "荷花村" not in issues.split("尚未报送台账")[0]
    steps = next(text[i + 1] for i, t in enumerate(text) if t.endswith("下步要求"))
    assert "上期台账本期不在收件箱中的单位于2026年12月25日前把最新的台账再报送一次" in steps and "更正后" not in steps
    assert [n.text for n in result.notices if n.code.value == "gone-from-inbox"] == [
        "提示：上期正式周报（2026-12-11）采用的荷花村的台账本期已不在收件箱中，荷花村本期按未报送统计（整改清单、催报提醒和"
        "工作通报里都写明了上期采用的台账本期不在收件箱中）。如是移走或误删，请放回收件箱后重新运行：荷花村《荷花村.xlsx》用 "
        f"{RESTORE_COMMAND} {sha[:8]} 从存档取回"]
    willow = next(r for r in read_sheet(result.written.workbook, "单位进度") if r["单位名称"] == "柳林村")
    assert willow["未采用文件"] is None   # its file is still there: nothing to say


def test_a_ledger_gone_beside_one_sent_early_is_told_as_early_and_never_as_received(tmp_path: Path) -> None:
    """Week 2: 荷花村's week-1 file is moved out of inbox/ and its new one is dated 12-20, after the 统计日期 12-18.
    What it sent decides what it is asked (check the date, nothing to correct: as for any early file), and the gone
    ledger is said apart: it was not received this week, so never listed as 已收到…未能采用. It reported last time, so
    it is asked by the next report date (12-25), not told 已逾期14天 since the first due date 12-04, which its R5 gap's
    截止日期 keeps (SPEC §4). It was told to correct and resend, and 《荷花村.xlsx》 was listed as received."""
    box = tmp_path / "inbox"
    lotus = write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-10"), activities=[activity(d("2026-12-01"))])
    report(box, tmp_path, "2026-12-11")
    lotus.unlink()
    write_ledger(box / "荷花村_新.xlsx", unit="荷花村", filed=d("2026-12-20"), activities=[activity(d("2026-12-01"))])
    result = run_report(box, tmp_path / "out2", "2026-12-18", archive=tmp_path / "archive", record=True)
    early = "填报日期晚于统计日期（2026-12-20 > 2026-12-18），本期不采用"
    gone = "上期周报（2026-12-11）采用了这份台账，本期收件箱中已没有它（可能被移走或删除）"
    r5 = next(g for g in read_sheet(result.written.workbook, "差距清单") if g["单位名称"] == "荷花村")
    assert r5["差距说明"] == f"已收到台账，但未能采用（按未报送统计）。《荷花村_新.xlsx》：{early}。另：《荷花村.xlsx》：{gone}"
    assert r5["整改建议"].startswith("请核对填报日期：无误则不必重报，统计日期到该日后即采用；如填错，请于2026年12月25日前更正后重新报送。")
    assert r5["截止日期"].date().isoformat() == "2026-12-04"
    reminder = next(line for line in result.written.reminders.read_text(encoding="utf-8-sig").splitlines()
                    if line.startswith("【乡创城办提醒】荷花村："))
    assert reminder.startswith(
        f"【乡创城办提醒】荷花村：截至12月18日，本单位报送的《荷花村_新.xlsx》已收到，但未能采用：{early}；上期采用的"
        "《荷花村.xlsx》本期已不在收件箱中；暂按未报送统计，请于2026年12月25日前核对填报日期（无误则不必重报）；")
    sheet = openpyxl.load_workbook(result.written.gap_list_folder / "荷花村.xlsx")["整改清单"]
    labels = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r[0] in ("已收到未采用", "已不在收件箱")}
    assert labels == {"已收到未采用": "《荷花村_新.xlsx》", "已不在收件箱": "《荷花村.xlsx》（上期周报采用的台账）"}
    assert "二、台账填写问题及未采用的文件（请按各行的“建议”处理）" in [r[0] for r in sheet.iter_rows(values_only=True)]
    text = [p.text for p in docx.Document(str(result.written.bulletin)).paragraphs]
    issues = next(text[i + 1] for i, t in enumerate(text) if t.endswith("存在问题"))
    assert "荷花村上期采用的台账本期不在收件箱中、新报的台账未能采用（原因见各单位整改清单），暂按未报送统计" in issues
    assert issues.count("荷花村") == 1
    steps = next(text[i + 1] for i, t in enumerate(text) if t.endswith("下步要求"))
    assert "台账填报日期晚于统计日期的单位核对填报日期，无误则不必重报" in steps and "更正后" not in steps


def test_a_history_recorded_before_files_were_kept_is_upgraded_and_still_tells_a_gone_ledger(tmp_path: Path) -> None:
    """A history written by the version before (user_version 1, no file per unit) is upgraded in place by the
    next run, which still tells 荷花村 its ledger of the week before is gone, without the name it cannot know."""
    box = tmp_path / "inbox"
    lotus = write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-10"), activities=[activity(d("2026-12-01"))])
    report(box, tmp_path, "2026-12-11")
    path = tmp_path / "archive" / "history.sqlite3"
    with sqlite3.connect(path) as db:   # as version 1 left it
        db.execute("ALTER TABLE unit_metrics DROP COLUMN file")
        db.execute("ALTER TABLE unit_metrics DROP COLUMN sha256")
        db.execute("PRAGMA user_version = 1")
    lotus.unlink()
    result = run_report(box, tmp_path / "out2", "2026-12-18", archive=tmp_path / "archive", record=True)
    row = next(r for r in read_sheet(result.written.workbook, "单位进度") if r["单位名称"] == "荷花村")
    assert (row["状态"], row["未采用文件"]) == (
        "未报送", "上期周报（2026-12-11）采用了本单位的台账，本期收件箱中已没有它（可能被移走或删除）")  # no 《》: not a name
    sheet = openpyxl.load_workbook(result.written.gap_list_folder / "荷花村.xlsx")["整改清单"]
    labels = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r[0] in ("已收到未采用", "已不在收件箱")}
    assert labels == {"已不在收件箱": "上期周报采用的台账"}
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (2,)
        assert db.execute("SELECT unit, status, file FROM unit_metrics WHERE unit = ? ORDER BY run_id", ("荷花村",)).fetchall() == [
            ("荷花村", "进行中", ""), ("荷花村", "未报送", "")]
