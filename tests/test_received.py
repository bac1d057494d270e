"""Received is not silence (SPEC §3, issue 13): a unit that sent a file is told what became of it, everywhere.

Each case builds the files as a unit does and reads what the unit (its 整改清单, its 催报提醒), the township
(工作通报) and the supervisors (督查汇总表) are shown.
"""

import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import openpyxl
import pytest

from pipeline import run
from tests.ledgers import activity, d, read_sheet, write_ledger
from tests.runs import report, setup


@dataclass(frozen=True)
class Seen:
    """What each reader of the report sees, for one unit."""

    progress: dict[str, object]
    gaps: list[dict[str, object]]
    problems: list[dict[str, object]]
    files: dict[str, dict[str, object]]
    gap_list: list[str]
    reminder: str
    issues: str
    steps: str


def seen(box: Path, tmp: Path, as_of: str, unit: str) -> Seen:
    return seen_in(report(box, tmp / "out", as_of), unit)


def seen_in(result: run.RunResult, unit: str) -> Seen:
    book = result.written.workbook
    progress = next(r for r in read_sheet(book, "单位进度") if r["单位名称"] == unit)
    gaps = [r for r in read_sheet(book, "差距清单") if r["单位名称"] == unit]
    problems = [r for r in read_sheet(book, "数据问题") if r["单位名称"] == unit]
    files = {str(r["文件"]): r for r in read_sheet(book, "文件清单")}
    ws = openpyxl.load_workbook(result.written.gap_list_folder / f"{unit}.xlsx")["整改清单"]
    gap_list = [str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None]
    reminders = result.written.reminders.read_text(encoding="utf-8-sig").splitlines()
    reminder = next(line for line in reminders if line.startswith(f"【乡创城办提醒】{unit}："))
    text = [p.text for p in docx.Document(str(result.written.bulletin)).paragraphs]
    issues = next(text[i + 1] for i, t in enumerate(text) if t.endswith("存在问题"))
    return Seen(progress=progress, gaps=gaps, problems=problems, files=files, gap_list=gap_list, reminder=reminder,
                issues=issues, steps=next(text[i + 1] for i, t in enumerate(text) if t.endswith("下步要求")))


def not_among_the_silent(unit: str, issues: str) -> None:
    """The bulletin names the unit in its own group, never among the units that sent nothing."""
    silent = next((c for c in issues.split("；") if c.endswith("尚未报送台账")), "")
    assert unit not in silent
    assert f"{unit}报送的台账未能采用（原因见各单位整改清单），暂按未报送统计" in issues


def test_a_year_slip_in_the_filed_date_is_an_error_at_its_cell_and_told_to_the_unit(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / "柳林村.xlsx", unit="柳林村", filed=d("2027-12-11"), activities=[activity(d("2026-12-05"))])
    s = seen(box, tmp_path, "2026-12-20", "柳林村")
    assert s.progress["状态"] == "未报送"
    assert s.progress["未采用文件"] == ("《柳林村.xlsx》：填报日期晚于统计日期（2027-12-11 > 2026-12-20），本期不采用；"
                                    "该日期晚于活动截止日期，可能是年份填错")
    assert s.files["柳林村.xlsx"]["处理结果"] == "未采用"
    (gap,) = s.gaps
    assert gap["规则"] == "R5 按时报送"
    assert str(gap["差距说明"]).startswith("已收到台账，但未能采用（按未报送统计）。《柳林村.xlsx》：填报日期晚于统计日期")
    (slip,) = s.problems
    # 2027-12-11 lies after the deadline 2027-02-04; the same day in the window 2026-11-27…2027-02-04 is 2026-12-11
    assert (slip["工作表"], slip["单元格"], slip["等级"]) == ("基本信息", "B5", "错误")
    assert slip["问题"] == "填报日期 2027-12-11 晚于活动截止日期 2027-02-04，可能是年份填错，是否应为 2026-12-11；本表因此未被采用"
    assert "请核对“填报日期”的年份，改正后重新报送" in s.gap_list
    assert "已收到未采用" in s.gap_list and "《柳林村.xlsx》" in s.gap_list
    assert "无" not in s.gap_list    # neither “台账填写问题：无” nor a gap-less list
    assert s.reminder.startswith("【乡创城办提醒】柳林村：截至12月20日，本单位报送的《柳林村.xlsx》已收到，但未能采用：填报日期晚于统计日期")
    assert "；暂按未报送统计（期限12月4日，已逾期16天），请立即更正后重新报送；" in s.reminder
    not_among_the_silent("柳林村", s.issues)
    assert "台账未能采用的单位按整改清单更正后于2026年12月27日前重新报送" in s.steps


def test_the_slip_is_named_by_validate_too(tmp_path: Path) -> None:
    write_ledger(tmp_path / "柳林村.xlsx", unit="柳林村", filed=d("2027-12-11"), activities=[activity(d("2026-12-05"))])
    (check,) = run.validate(setup=setup(), inbox=tmp_path, as_of=d("2026-12-20")).files
    assert [(p.sheet, p.cell, p.level) for p in check.problems] == [("基本信息", "B5", "错误")]


def test_a_file_dated_after_the_report_date_within_the_window_is_not_a_slip(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / "柳林村.xlsx", unit="柳林村", filed=d("2027-01-08"), activities=[activity(d("2026-12-05"))])
    s = seen(box, tmp_path, "2026-12-20", "柳林村")
    assert s.problems == []
    assert s.progress["未采用文件"] == "《柳林村.xlsx》：填报日期晚于统计日期（2027-01-08 > 2026-12-20），本期不采用"
    assert s.reminder.startswith("【乡创城办提醒】柳林村：截至12月20日，本单位报送的《柳林村.xlsx》已收到，但未能采用")


@pytest.mark.parametrize(("file", "named"), [
    ("柳琳村台账.xlsx", "柳琳村"),          # one character off in 基本信息 and the file name
    ("柳琳村台账.xlsx", None),              # nothing in 基本信息: the file name one character off
    ("台账.xlsx", "城西湖乡柳林村党支部"),   # a roster name with extra characters
])
def test_a_name_that_is_almost_a_roster_name_is_told_to_that_unit(tmp_path: Path, file: str,
                                                                  named: str | None) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / file, unit=named, filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    s = seen(box, tmp_path, "2026-12-20", "柳林村")
    assert s.progress["状态"] == "未报送"
    record = s.files[file]
    assert (record["单位名称"], record["处理结果"]) == ("柳林村", "未采用")
    assert "疑为“柳林村”" in str(record["原因"]) and "请在“基本信息”填写名册中的单位全称后重新报送" in str(record["原因"])
    assert str(s.progress["未采用文件"]).startswith(f"《{file}》：")
    assert f"《{file}》" in str(s.gaps[0]["差距说明"])
    assert any(v.startswith("单位名称") and "疑为“柳林村”" in v for v in s.gap_list) or named is None
    assert s.reminder.startswith(f"【乡创城办提醒】柳林村：截至12月20日，本单位报送的《{file}》已收到，但未能采用")
    not_among_the_silent("柳林村", s.issues)


def test_a_file_that_cannot_be_read_is_told_to_the_unit_its_name_names(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    box.mkdir()
    (box / "柳林村台账.xlsx").write_bytes(b"PK\x03\x04" + bytes(60))   # cut off in transit
    s = seen(box, tmp_path, "2026-12-20", "柳林村")
    assert s.files["柳林村台账.xlsx"]["单位名称"] == "柳林村"
    assert str(s.progress["未采用文件"]).startswith("《柳林村台账.xlsx》：文件不完整，无法读取（收到的只有 64 字节")
    not_among_the_silent("柳林村", s.issues)


def test_a_zipped_folder_names_the_unit_of_the_ledger_inside(tmp_path: Path) -> None:
    """Windows' 发送到 → 压缩文件夹 packs a folder: 荷花村.zip holds 荷花村台账/台账.xlsx. Its 单位名称 left blank, the
    ledger is the unit's the folder names (it was refused as no unit's: 荷花村 stayed 未报送 without a word), and a
    ledger inside that cannot be read is told to the unit the zip names."""
    ledger = write_ledger(tmp_path / "src" / "台账.xlsx", unit=None, filed=d("2026-12-18"),
                          activities=[activity(d("2026-12-05")), activity(d("2026-12-08"), "大行动", 序号=2)])
    box = tmp_path / "inbox"
    box.mkdir()
    with zipfile.ZipFile(box / "荷花村.zip", "w") as archive:
        archive.writestr("荷花村台账/", b"")
        archive.write(ledger, "荷花村台账/台账.xlsx")
    cut = ledger.read_bytes()
    with zipfile.ZipFile(box / "柳林村.zip", "w") as archive:
        archive.writestr("新建文件夹/台账.xlsx", cut[: len(cut) // 2])   # saved while still being copied
    lotus = seen(box, tmp_path, "2026-12-20", "荷花村")
    assert (lotus.progress["状态"], lotus.progress["大讨论次数"], lotus.progress["大行动次数"]) == ("进行中", 1, 1)
    assert lotus.files["荷花村.zip/荷花村台账/台账.xlsx"]["处理结果"] == "已采用"
    assert [(p["单元格"], p["等级"], p["问题"]) for p in lotus.problems] == [
        ("B1", "警告", "“基本信息”未填写单位名称，已按文件夹“荷花村台账”识别为“荷花村”")]
    willow = seen(box, tmp_path, "2026-12-20", "柳林村")
    assert willow.files["柳林村.zip/新建文件夹/台账.xlsx"]["单位名称"] == "柳林村"
    assert str(willow.progress["未采用文件"]).startswith("《柳林村.zip/新建文件夹/台账.xlsx》：压缩包里的这个文件本身不完整")
    not_among_the_silent("柳林村", willow.issues)


def test_a_file_cut_short_is_fetched_again_by_the_clerk_before_the_unit_is_asked(tmp_path: Path) -> None:
    """柳林村.zip still being copied into inbox/ (half of it there): its unit is told, and the run ends telling the
    clerk to fetch it again before the reminders go out; a whole zip holding a cut-off file is the unit's to pack
    again, so it is not in that notice. 4000 bytes are 3.9 KB (4000 / 1024 = 3.91)."""
    ledger = write_ledger(tmp_path / "src" / "台账.xlsx", unit="柳林村", filed=d("2026-12-18"),
                          activities=[activity(d("2026-12-05"))]).read_bytes()
    box = tmp_path / "inbox"
    box.mkdir()
    with zipfile.ZipFile(tmp_path / "src" / "柳林村.zip", "w") as archive:
        archive.writestr("柳林村台账.xlsx", ledger)
    (box / "柳林村.zip").write_bytes((tmp_path / "src" / "柳林村.zip").read_bytes()[:4000])
    with zipfile.ZipFile(box / "白塔村.zip", "w") as archive:
        archive.writestr("台账.xlsx", ledger[: len(ledger) // 2])
    result = report(box, tmp_path / "out", "2026-12-20")
    assert [n.text for n in result.notices if n.code.value == "incomplete-files"] == [
        "提示：《柳林村.zip》（柳林村）不完整（结尾缺失），可能尚未复制完或从微信下载不完整，本次未能读取。发催报提醒之前，"
        "请先从微信重新下载或重新复制到收件箱，再运行一次；重新下载后仍不完整的，再请单位重新报送。"]
    willow = seen(box, tmp_path, "2026-12-20", "柳林村")
    reason = "文件不完整，无法读取（收到的只有 3.9 KB，结尾缺失），可能尚未复制完或下载不完整"  # the unit reads it too
    assert willow.files["柳林村.zip"]["原因"] == reason
    assert willow.reminder.startswith(f"【乡创城办提醒】柳林村：截至12月20日，本单位报送的《柳林村.zip》已收到，但未能采用：{reason}；")
    # nothing to correct: the unit is asked to send it again, not to correct it
    assert "请立即重新报送一次（收到的文件不完整）" in willow.reminder and "更正" not in willow.reminder
    assert reason in willow.gap_list and "重新报送一次（收到的文件不完整，原文件不必修改）" in willow.gap_list
    # R5 was due 12-04 (start 11-27 + 7 days): 16 days late at 12-20
    (r5,) = [g for g in willow.gaps if g["规则"] == "R5 按时报送"]
    assert str(r5["整改建议"]).startswith("已逾期16天，请立即重新报送一次（收到的文件不完整，原文件不必修改）。")
    assert "报送的文件不完整的单位于2026年12月27日前重新报送一次" in willow.steps and "更正后" not in willow.steps
    assert willow.issues.endswith("尚未报送台账；柳林村、白塔村报送的台账未能采用（原因见各单位整改清单），暂按未报送统计。")


def test_a_unit_that_sent_nothing_is_still_told_so(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    s = seen(box, tmp_path, "2026-12-20", "柳林村")
    assert s.progress["未采用文件"] is None
    assert s.gaps[0]["差距说明"] == "尚未报送台账"
    assert "柳林村" in next(c for c in s.issues.split("；") if c.endswith("尚未报送台账"))
    assert s.reminder.startswith("【乡创城办提醒】柳林村：截至12月20日，本单位尚未报送台账")


def test_identical_files_are_one_submission_and_never_blamed_on_the_unit(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    ledger = write_ledger(box / "荷花村台账.xlsx", unit="荷花村", filed=d("2026-12-18"),
                          activities=[activity(d("2026-12-05"), evidence=None)])
    shutil.copyfile(ledger, box / "荷花村台账(1).xlsx")          # WeChat saved it again
    result = report(box, tmp_path / "out", "2026-12-20")
    files = {r["文件"]: r for r in read_sheet(result.written.workbook, "文件清单")}
    # "(" (U+0028) sorts before "." (U+002E): the (1) copy is first in name order and is the one read
    assert files["荷花村台账(1).xlsx"]["处理结果"] == "已采用"
    ignored = files["荷花村台账.xlsx"]
    assert (ignored["处理结果"], ignored["原因"]) == ("已忽略", "与《荷花村台账(1).xlsx》内容相同，按同一份报送只读取一次")
    assert ignored["SHA256"] == files["荷花村台账(1).xlsx"]["SHA256"]
    problems = [(r["单元格"], r["问题"]) for r in read_sheet(result.written.workbook, "数据问题")]
    assert problems == [("L4", "未填写“佐证材料”（照片、签到表、会议记录等）")]   # once, and no 每次报送请更新填报日期
    progress = next(r for r in read_sheet(result.written.workbook, "单位进度") if r["单位名称"] == "荷花村")
    assert (progress["大讨论次数"], progress["参与人次"], progress["未采用文件"]) == (1, 30, None)
    assert "更新“填报日期”" not in result.written.reminders.read_text(encoding="utf-8-sig")


def test_repeated_names_in_a_zip_each_get_their_own_row(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    first = write_ledger(tmp_path / "a.xlsx", unit="荷花村", filed=d("2026-12-11"), activities=[activity(d("2026-12-05"))])
    second = write_ledger(tmp_path / "b.xlsx", unit="荷花村", filed=d("2026-12-18"),
                          activities=[activity(d("2026-12-05")), activity(d("2026-12-12"), 序号=2)])
    box.mkdir()
    with pytest.warns(UserWarning), zipfile.ZipFile(box / "打包.zip", "w") as archive:
        archive.write(first, "荷花村.xlsx")
        archive.write(second, "荷花村.xlsx")     # zip tools allow a name twice
    result = report(box, tmp_path / "out", "2026-12-20")
    files = {r["文件"]: (r["处理结果"], r["活动数"]) for r in read_sheet(result.written.workbook, "文件清单")}
    assert files == {"打包.zip/荷花村.xlsx": ("已被新版本替代", 1), "打包.zip/荷花村.xlsx（第2个）": ("已采用", 2)}


@pytest.mark.skipif(os.name == "nt", reason="a file name that is not UTF-8 exists only on POSIX file systems")
def test_two_raw_names_that_read_alike_each_get_their_own_row(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-11"), activities=[activity(d("2026-12-05"))])
    gbk = box / os.fsdecode("荷花村.xlsx".encode("gbk"))      # unpacked from a Windows zip without its encoding
    write_ledger(gbk, unit="荷花村", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-05")), activity(d("2026-12-12"), 序号=2)])
    result = report(box, tmp_path / "out", "2026-12-20")
    names = sorted(r["文件"] for r in read_sheet(result.written.workbook, "文件清单"))
    assert names == ["荷花村.xlsx", "荷花村.xlsx（第2个）"]


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u2060", "\u200d\u3000"])
def test_invisible_characters_copied_with_a_name_do_not_hide_the_unit(tmp_path: Path, invisible: str) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit=f"荷花村{invisible}", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-05"))])
    write_ledger(box / f"{invisible}乡妇联{invisible}台账.xlsx", unit=None, filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-05"), subtheme=2)])
    result = report(box, tmp_path / "out", "2026-12-20")
    files = {r["文件"]: (r["单位名称"], r["处理结果"]) for r in read_sheet(result.written.workbook, "文件清单")}
    assert files == {"荷花村.xlsx": ("荷花村", "已采用"), f"{invisible}乡妇联{invisible}台账.xlsx": ("乡妇联", "已采用")}
    progress = {r["单位名称"]: r["状态"] for r in read_sheet(result.written.workbook, "单位进度")}
    assert progress["荷花村"] != "未报送" and progress["乡妇联"] != "未报送"


def test_long_names_of_unused_files_are_counted_at_the_top_and_named_in_full_below(tmp_path: Path) -> None:
    """Three unused files with the long names WeChat and clerks give them: the figures row says how many and where
    they are named (its one unwrapped line would run far past the page and shrink the whole printout); each file
    is named in full in its 整个文件 row, wrapped in the 文件 column (18 widths a line), never past the table."""
    box = tmp_path / "inbox"
    names = [f"新时代文明实践所2026年12月第三周大讨论大行动台账（修订版）最终版{i}.xlsx" for i in (1, 2, 3)]
    for i, name in enumerate(names, start=1):  # different rows: identical files would count once
        write_ledger(box / name, unit="新时代文明实践所", filed=d("2027-12-11"), activities=[activity(d(f"2026-12-0{i}"))])
    s = seen(box, tmp_path, "2026-12-20", "新时代文明实践所")
    assert "共3个文件，各文件名和原因见下面“二、台账填写问题”中的“整个文件”行" in s.gap_list
    assert all(name in s.gap_list for name in names)
    book = tmp_path / "out" / "整改清单_2026-12-20" / "新时代文明实践所.xlsx"
    ws = openpyxl.load_workbook(book)["整改清单"]
    whole = [cell.row for cell in ws["A"] if cell.value == "整个文件"]
    # each reason (“填报日期晚于统计日期（2027-12-11 > 2026-12-20），本期不采用；该日期晚于活动截止日期，可能是年份填错”:
    # 38 Chinese characters and 23 others, 99 digit widths) takes 3 lines of 49 in the 问题 column; each name (29
    # Chinese characters, 12 others: 70 widths) takes 4 lines of 18 in the 文件 column: 4 × 17 points
    assert [ws.row_dimensions[r].height for r in whole] == [68, 68, 68]
    assert [ws[f"E{r}"].value for r in whole] == names and all(ws[f"E{r}"].alignment.wrap_text for r in whole)


def test_a_newer_file_sent_early_is_told_to_the_unit_beside_the_file_in_use(tmp_path: Path) -> None:
    """荷花村 sent 荷花村_1 (填报日期 12-10, used at 12-20) and 荷花村_2 (填报日期 12-22, after the 统计日期): only
    文件清单 said 荷花村_2 was not used, so the unit took its newest file for the one counted. Now its 单位进度 row,
    its 整改清单 and its reminder name the file and why, as for a unit whose only file was not used, and say
    there is nothing to correct unless the date is a typo (it is within the campaign: no year slip)."""
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村_1.xlsx", unit="荷花村", filed=d("2026-12-10"), activities=[activity(d("2026-12-05"))])
    write_ledger(box / "荷花村_2.xlsx", unit="荷花村", filed=d("2026-12-22"),
                 activities=[activity(d("2026-12-05")), activity(d("2026-12-21"), "大行动", 2, 序号=2)])
    s = seen(box, tmp_path, "2026-12-20", "荷花村")
    reason = "填报日期晚于统计日期（2026-12-22 > 2026-12-20），本期不采用"
    assert (s.files["荷花村_1.xlsx"]["处理结果"], s.files["荷花村_2.xlsx"]["处理结果"]) == ("已采用", "未采用")
    assert s.files["荷花村_2.xlsx"]["原因"] == reason
    assert (s.progress["状态"], s.progress["大讨论次数"], s.progress["未采用文件"]) == (
        "进行中", 1, f"《荷花村_2.xlsx》：{reason}")
    assert s.gap_list[s.gap_list.index("已收到未采用") + 1] == "《荷花村_2.xlsx》"
    whole = s.gap_list.index("整个文件")
    assert s.gap_list[whole:whole + 5] == [
        "整个文件", "未采用", reason, "填报日期无误则不必重报，统计日期到该日后即采用；如填错请更正后重新报送", "荷花村_2.xlsx"]
    # first and most urgent; due by the next report, 12-20 + 7 days
    assert s.reminder.startswith(
        f"【乡创城办提醒】荷花村：截至12月20日，本单位报送的《荷花村_2.xlsx》已收到，但未能采用：{reason}；"
        "本期按此前采用的台账统计，请于2026年12月27日前核对填报日期（无误则不必重报）；")
    assert s.problems == []


def test_the_early_file_keeps_its_own_date_in_the_reminder(tmp_path: Path) -> None:
    """At 1-10 the unit is 滞后 (no 大讨论, R7 wants 1), due by the next report, 1-17, as is the early file's item:
    the two shared one 请于…前完成, which lost what to do about the file."""
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村_1.xlsx", unit="荷花村", filed=d("2026-12-11"),
                 activities=[activity(d("2026-12-05"), "大行动")])
    write_ledger(box / "荷花村_2.xlsx", unit="荷花村", filed=d("2027-01-12"),
                 activities=[activity(d("2026-12-05"), "大行动"), activity(d("2027-01-11"), 序号=2)])
    s = seen(box, tmp_path, "2027-01-10", "荷花村")
    assert ("本期按此前采用的台账统计，请于2027年1月17日前核对填报日期（无误则不必重报）；"
            "大讨论已开展0次，按序时进度应不少于1次，请于2027年1月17日前补齐；") in s.reminder


def test_a_unit_whose_only_file_is_sent_early_is_told_to_check_the_date_not_to_resend(tmp_path: Path) -> None:
    """荷花村's only file has 填报日期 12-25, after the 统计日期 12-20 and within the campaign (no year slip): a report
    for an earlier date, or a file filed ahead. It is 未报送 for 12-20, and told, as a unit with a file in use would
    be, to check the date rather than to correct and resend; the 整改清单's heading does not say to resend either."""
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-25"), activities=[activity(d("2026-12-05"))])
    s = seen(box, tmp_path, "2026-12-20", "荷花村")
    reason = "填报日期晚于统计日期（2026-12-25 > 2026-12-20），本期不采用"
    assert (s.progress["状态"], s.progress["未采用文件"]) == ("未报送", f"《荷花村.xlsx》：{reason}")
    (gap,) = s.gaps
    # the first report was due 11-27 + 7 days = 12-04, before 12-20: 立即
    assert str(gap["整改建议"]).startswith(
        "请核对填报日期：无误则不必重报，统计日期到该日后即采用；如填错，已逾期16天，请立即更正后重新报送。截至2027年2月4日须完成：")
    assert "二、台账填写问题及未采用的文件（请按各行的“建议”处理）" in s.gap_list
    assert "二、台账填写问题（请按单元格位置修改后重新报送）" not in s.gap_list
    whole = s.gap_list.index("整个文件")
    assert s.gap_list[whole + 3] == "填报日期无误则不必重报，统计日期到该日后即采用；如填错请更正后重新报送"
    assert s.reminder.startswith(
        f"【乡创城办提醒】荷花村：截至12月20日，本单位报送的《荷花村.xlsx》已收到，但未能采用：{reason}；"
        "暂按未报送统计（期限12月4日，已逾期16天），请立即核对填报日期（无误则不必重报）；")
    assert "台账填报日期晚于统计日期的单位核对填报日期，无误则不必重报" in s.steps
    assert "按整改清单更正后" not in s.steps
    not_among_the_silent("荷花村", s.issues)


def test_a_file_named_for_a_unit_but_filled_in_as_another_is_told_to_both(tmp_path: Path) -> None:
    """乡团委 starts from 乡妇联's ledger, saves it as 乡团委.xlsx and types its own rows, but leaves 单位名称 乡妇联.
    The file is read as 乡妇联's (its 基本信息 says so, with a 警告 to 乡妇联); 乡团委, whose name the file bears, was
    told 尚未报送台账 with no word of it. Now every place 乡团委 reads names the file and what to correct."""
    box = tmp_path / "inbox"
    write_ledger(box / "乡团委.xlsx", unit="乡妇联", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-09"), subtheme=2, summary="团员青年讨论")])
    league = seen(box, tmp_path, "2026-12-20", "乡团委")
    why = ("文件名像是本单位的，但“基本信息”中的单位名称为“乡妇联”，已按“乡妇联”的台账计；"
           "如是本单位的台账，请把单位名称改为“乡团委”后重新报送")
    assert (league.progress["状态"], league.progress["未采用文件"]) == ("未报送", f"《乡团委.xlsx》：{why}")
    assert "《乡团委.xlsx》" in league.gap_list and why in league.gap_list
    assert f"本单位报送的《乡团委.xlsx》已收到，但未能采用：{why}；暂按未报送统计" in league.reminder
    not_among_the_silent("乡团委", league.issues)
    # 文件清单 still lists the file once, as 乡妇联's, whose own 数据问题 has the 警告 at 单位名称
    assert (league.files["乡团委.xlsx"]["单位名称"], league.files["乡团委.xlsx"]["处理结果"]) == ("乡妇联", "已采用")
    women = seen(box, tmp_path / "again", "2026-12-20", "乡妇联")
    assert [(p["单元格"], p["问题"]) for p in women.problems] == [
        ("B1", "“基本信息”中的单位名称为“乡妇联”，文件名却像是“乡团委”的，已按“乡妇联”读取")]
    assert (women.progress["状态"], women.progress["未采用文件"]) == ("进行中", None)

