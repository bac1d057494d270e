"""What a clerk reads about dates: each row's date named by its own column, and a file without 填报日期 named as one.

Each case builds the files as a unit does and reads the words where the unit and the township read them:
数据问题, the 不计入原因 column of the detail sheets, 文件清单 and the unit's 整改清单.
"""

from pathlib import Path

import docx
import openpyxl
import pytest

import pipeline.write.workbook as workbook_module
from pipeline import run
from pipeline.run import RunResult
from tests.ledgers import activity, d, problem, read_sheet, write_ledger
from tests.runs import report, setup


def gap_list_rows(result: RunResult, unit: str) -> list[tuple[str, ...]]:
    """The rows of the unit's 整改清单 under its 台账填写问题 header (位置, 等级, 问题, 建议, 文件)."""
    ws = openpyxl.load_workbook(result.written.gap_list_folder / f"{unit}.xlsx")["整改清单"]
    rows = [tuple(str(v) for v in row if v not in (None, "")) for row in ws.iter_rows(values_only=True)]
    start = next(i for i, row in enumerate(rows) if row[:1] == ("位置",))
    return [row for row in rows[start + 1:] if row]


def problem_rows(result: RunResult, unit: str) -> list[tuple[object, ...]]:
    return [(r["工作表"], r["单元格"], r["等级"], r["问题"], r["建议"])
            for r in read_sheet(result.written.workbook, "数据问题") if r["单位名称"] == unit]


PUBLISHED_LATE = ("报道的发布日期 2026-12-20 晚于本表填报日期 2026-12-18，台账只能记录填表时已发布的报道，此条不计入统计",
                  "请核对本行的“发布日期”和“基本信息”表的“填报日期”")
PUBLISHED_EARLY = ("报道的发布日期 2026-11-20 早于活动开始日期（2026-11-27 至 2027-02-04），不计入统计",
                   "如日期填错请更正；本次活动期间以外的报道不计入")
FOUND_LATE = ("问题的发现日期 2026-12-19 晚于本表填报日期 2026-12-18，台账只能记录填表时已查摆出的问题，此条不计入统计",
              "请核对本行的“发现日期”和“基本信息”表的“填报日期”")


def test_a_report_or_a_problem_dated_after_the_form_is_named_by_its_own_date_column(tmp_path: Path) -> None:
    """A 宣传报道 row is a 报道 dated by 发布日期 and a 问题整改 row a 问题 dated by 发现日期 (SPEC §3): neither
    is an activity, and the words say so (they said “活动日期 … 晚于本表填报日期” for both)."""
    box = tmp_path / "inbox"
    write_ledger(box / "柳林村.xlsx", unit="柳林村", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-05"))],
                 problems=[problem(d("2026-12-30"), found=d("2026-12-19"))],                  # row 4: found after
                 publicity=[{"序号": 1, "发布日期": d("2026-12-20"), "发布平台": "微信群", "标题": "柳林村开展大讨论"},
                            {"序号": 2, "发布日期": d("2026-11-20"), "发布平台": "微信群", "标题": "柳林村动员会"}])
    result = report(box, tmp_path / "out", "2026-12-20")
    # the template's rows start at 4 (title, header, 示例); every date column is column B
    assert problem_rows(result, "柳林村") == [
        ("问题整改", "B4", "错误", *FOUND_LATE),
        ("宣传报道", "B4", "错误", *PUBLISHED_LATE),
        ("宣传报道", "B5", "警告", *PUBLISHED_EARLY),
    ]
    book = result.written.workbook
    reasons = {r["标题"]: r["不计入原因"] for r in read_sheet(book, "宣传报道") if r["单位名称"] == "柳林村"}
    assert reasons == {"柳林村开展大讨论": PUBLISHED_LATE[0], "柳林村动员会": PUBLISHED_EARLY[0]}
    (rect,) = [r for r in read_sheet(book, "问题整改") if r["单位名称"] == "柳林村"]
    assert (rect["计入统计"], rect["不计入原因"]) == ("否", FOUND_LATE[0])
    assert gap_list_rows(result, "柳林村") == [
        ("问题整改 B4", "错误", *FOUND_LATE, "柳林村.xlsx"),
        ("宣传报道 B4", "错误", *PUBLISHED_LATE, "同上"),  # the file named once, on its first row
        ("宣传报道 B5", "警告", *PUBLISHED_EARLY, "同上"),
    ]


NO_FILED = ("基本信息", "B5", "错误", "“填报日期”未填写或无法识别，已按表中最晚活动日期 2026-12-19 计",
            "请在“基本信息”表填写填报日期，如 2026-12-18")


def undated_ledger(box: Path, name: str = "荷花村.xlsx") -> Path:
    """No 填报日期: the file is dated by its latest row, the activity of 2026-12-19 (a 12-09 report is older)."""
    return write_ledger(box / name, unit="荷花村", filed=None,
                        activities=[activity(d("2026-12-05")), activity(d("2026-12-19"), 序号=2, summary="第二次讨论")],
                        publicity=[{"序号": 1, "发布日期": d("2026-12-09"), "发布平台": "微信群", "标题": "荷花村开展大讨论"}])


def test_a_file_without_filed_date_is_told_as_one_at_a_report_date_before_its_latest_activity(tmp_path: Path) -> None:
    """At 12-18 the file is dated 12-19 by its latest activity and not used: 文件清单 said “填报日期晚于统计日期
    （2026-12-19 > 2026-12-18）”, a 填报日期 the unit never typed, and the 错误 that 填报日期 is missing appeared
    only in a report late enough to use the file. Now both say the truth, at either date; nothing else changes."""
    box = tmp_path / "inbox"
    undated_ledger(box)
    early = report(box, tmp_path / "early", "2026-12-18")
    reason = "未填写填报日期，按表中最晚活动日期 2026-12-19 计，晚于统计日期 2026-12-18，本期不采用"
    files = {r["文件"]: (r["处理结果"], r["原因"]) for r in read_sheet(early.written.workbook, "文件清单")}
    assert files == {"荷花村.xlsx": ("未采用", reason)}
    assert problem_rows(early, "荷花村") == [NO_FILED]
    assert gap_list_rows(early, "荷花村") == [("整个文件", "未采用", reason, "按原因更正后重新报送", "荷花村.xlsx"),
                                            ("基本信息 B5", *NO_FILED[2:], "同上")]
    progress = next(r for r in read_sheet(early.written.workbook, "单位进度") if r["单位名称"] == "荷花村")
    assert (progress["状态"], progress["未采用文件"]) == ("未报送", f"《荷花村.xlsx》：{reason}")

    later = report(box, tmp_path / "later", "2026-12-20")
    files = {r["文件"]: (r["处理结果"], r["原因"]) for r in read_sheet(later.written.workbook, "文件清单")}
    assert files == {"荷花村.xlsx": ("已采用", None)}
    assert problem_rows(later, "荷花村") == [NO_FILED]
    assert ("基本信息 B5", *NO_FILED[2:], "荷花村.xlsx") in gap_list_rows(later, "荷花村")


def test_the_missing_filed_date_of_a_later_file_is_told_beside_the_adopted_one(tmp_path: Path) -> None:
    """Beside the unit's file of 12-10, adopted at 12-18, its undated file (dated 12-19 by its rows) is a later
    report's, as one with 填报日期 12-19 would be: among its 未采用文件 (the unit is told its newest file was not
    used, and why; it has a 填报日期 to fill in, so 按原因更正), and its missing 填报日期 is told now."""
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村_1.xlsx", unit="荷花村", filed=d("2026-12-10"), activities=[activity(d("2026-12-05"))])
    undated_ledger(box, "荷花村_2.xlsx")
    result = report(box, tmp_path / "out", "2026-12-18")
    reason = "未填写填报日期，按表中最晚活动日期 2026-12-19 计，晚于统计日期 2026-12-18，本期不采用"
    files = {r["文件"]: (r["处理结果"], r["原因"]) for r in read_sheet(result.written.workbook, "文件清单")}
    assert files == {"荷花村_1.xlsx": ("已采用", None), "荷花村_2.xlsx": ("未采用", reason)}
    progress = next(r for r in read_sheet(result.written.workbook, "单位进度") if r["单位名称"] == "荷花村")
    assert (progress["状态"], progress["大讨论次数"], progress["未采用文件"]) == ("进行中", 1, f"《荷花村_2.xlsx》：{reason}")
    assert problem_rows(result, "荷花村") == [NO_FILED]
    assert gap_list_rows(result, "荷花村") == [("整个文件", "未采用", reason, "按原因更正后重新报送", "荷花村_2.xlsx"),
                                             ("基本信息 B5", *NO_FILED[2:], "同上")]
    reminders = result.written.reminders.read_text(encoding="utf-8-sig")
    assert (f"本单位报送的《荷花村_2.xlsx》已收到，但未能采用：{reason}；本期按此前采用的台账统计，"
            "请于2026年12月25日前更正后重新报送") in reminders
    checks = {c.record.file: [p.message for p in c.problems]
              for c in run.validate(setup=setup(), inbox=box, as_of=d("2026-12-18")).files}
    assert checks == {"荷花村_1.xlsx": [], "荷花村_2.xlsx": [NO_FILED[3]]}     # told once


def test_a_file_dated_by_a_report_says_so(tmp_path: Path) -> None:
    """The latest dated row may be a 宣传报道 row: then the file is dated by its 发布日期, and said so."""
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=None, activities=[activity(d("2026-12-05"))],
                 publicity=[{"序号": 1, "发布日期": d("2026-12-19"), "发布平台": "微信群", "标题": "荷花村开展大讨论"}])
    result = report(box, tmp_path / "out", "2026-12-18")
    (record,) = read_sheet(result.written.workbook, "文件清单")
    assert record["原因"] == "未填写填报日期，按表中最晚发布日期 2026-12-19 计，晚于统计日期 2026-12-18，本期不采用"
    assert [row[3] for row in problem_rows(result, "荷花村")] == ["“填报日期”未填写或无法识别，已按表中最晚发布日期 2026-12-19 计"]


def test_a_stale_file_without_filed_date_is_not_said_to_have_been_filed_on_its_latest_activity(tmp_path: Path) -> None:
    """R5(b): the file is 10 days old on 12-20 (> 7) by its latest activity, 12-10; neither the gap nor the
    reminder may call that its 填报日期 (they said 最近一次填报日期为2026年12月10日 and 最近填报12月10日)."""
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=None,
                 activities=[activity(d("2026-12-05")), *(activity(d("2026-12-10"), "大行动", s, 序号=s) for s in (2, 5, 6))],
                 problems=[problem(d("2027-01-20"), found=d("2026-12-05"))])
    result = report(box, tmp_path / "out", "2026-12-20")
    (stale,) = [r for r in read_sheet(result.written.workbook, "差距清单")
                if r["单位名称"] == "荷花村" and r["规则"] == "R5 按时报送"]
    assert (stale["等级"], stale["差距说明"]) == (
        "提醒", "最近一次报送的台账未填写填报日期（表中最晚活动日期为2026年12月10日），已10天未更新台账")
    ws = openpyxl.load_workbook(result.written.gap_list_folder / "荷花村.xlsx")["整改清单"]
    assert stale["差距说明"] in [v for row in ws.iter_rows(values_only=True) for v in row]
    reminders = result.written.reminders.read_text(encoding="utf-8-sig").splitlines()
    (reminder,) = [line for line in reminders if line.startswith("【乡创城办提醒】荷花村：")]
    assert ("；台账已10天未更新（未填写填报日期，表中最晚活动日期为12月10日），请于2026年12月27日前更新台账。"
            in reminder)


def test_the_latest_filed_date_of_a_file_without_one_says_what_it_is(tmp_path: Path) -> None:
    """单位进度's 最近填报日期, the 整改清单's 最近填报日期 and the bulletin's 最近填报 showed 12-10 as a plain date,
    as though the unit had typed it: it is the file's latest activity. 单位进度 keeps a date cell (SPEC §5: dates
    are written as dates, so the column sorts) whose number format says what it is; the others are text."""
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=None,
                 activities=[activity(d("2026-12-05")), activity(d("2026-12-10"), "大行动", 2, 序号=2)])
    write_ledger(box / "柳林村.xlsx", unit="柳林村", filed=d("2026-12-12"), activities=[activity(d("2026-12-05"))])
    result = report(box, tmp_path / "out", "2026-12-20")
    ws = openpyxl.load_workbook(result.written.workbook)["单位进度"]
    column = next(c.column for c in ws[1] if c.value == "最近填报日期")
    cells = {row[0].value: ws.cell(row=row[0].row, column=column) for row in ws.iter_rows(min_row=2)}
    assert (cells["荷花村"].value.date(), cells["荷花村"].number_format) == (
        d("2026-12-10"), 'yyyy-mm-dd"（未填写，按最晚活动日期）"')
    assert (cells["柳林村"].value.date(), cells["柳林村"].number_format) == (
        d("2026-12-12"), "yyyy-mm-dd")
    gap_list = openpyxl.load_workbook(result.written.gap_list_folder / "荷花村.xlsx")["整改清单"]
    figures = [v for row in gap_list.iter_rows(max_row=4, values_only=True) for v in row if v is not None]
    assert figures[figures.index("最近填报日期：") + 1] == "2026-12-10（未填写，按最晚活动日期）"
    table = docx.Document(str(result.written.bulletin)).tables[0]
    filed = {row.cells[1].text: row.cells[6].text for row in table.rows[1:]}
    assert (filed["荷花村"], filed["柳林村"]) == ("12月10日（未填写，按最晚活动日期）", "12月12日")


def test_the_noted_date_fits_its_column_when_its_row_is_beyond_the_rows_widths_are_fitted_to(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Widths are fitted to the first 500 rows; a county's undated unit may come later, and a date cell too narrow
    for its text prints ###. Here the widths see only the first row (乡创城办, roster order), and 荷花村's noted date
    still fits: 10 for the date and 26 for （未填写，按最晚活动日期） (13 full-width characters), plus 2 of margin."""
    monkeypatch.setattr(workbook_module, "WIDTH_SAMPLE_ROWS", 1)
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=None, activities=[activity(d("2026-12-10"))])
    result = report(box, tmp_path / "out", "2026-12-20")
    ws = openpyxl.load_workbook(result.written.workbook)["单位进度"]
    assert ws.cell(row=2, column=1).value != "荷花村"
    column = next(c.column_letter for c in ws[1] if c.value == "最近填报日期")
    assert round(ws.column_dimensions[column].width) >= 38


def test_a_tie_between_files_without_filed_date_does_not_call_their_date_a_filed_one(tmp_path: Path) -> None:
    """Two files of one unit dated 12-10: one without 填报日期 (its latest activity), and then both. The warning
    said 同一填报日期 2026-12-10, a 填报日期 neither (or only one) of them holds."""
    box = tmp_path / "inbox"
    rows = [activity(d("2026-12-05")), activity(d("2026-12-10"), "大行动", 2, 序号=2)]
    write_ledger(box / "荷花村_a.xlsx", unit="荷花村", filed=d("2026-12-10"), activities=rows)
    write_ledger(box / "荷花村_b.xlsx", unit="荷花村", filed=None, activities=[*rows, activity(d("2026-12-08"), 序号=3)])
    hint = "请在“基本信息”表填写填报日期，每次报送更新它，并只报送最新的一份"
    # _b has more rows, so it is used; the warning is at its 填报日期 cell, B5, and names the file lacking one
    mixed = ("基本信息", "B5", "警告", "同一日期 2026-12-10 有多份台账（荷花村_a.xlsx、荷花村_b.xlsx；其中荷花村_b.xlsx"
             "未填写填报日期，按表中最晚活动日期计），已采用“荷花村_b.xlsx”",
             "请在荷花村_b.xlsx的“基本信息”表填写填报日期，每次报送更新它，并只报送最新的一份")
    assert mixed in problem_rows(report(box, tmp_path / "mixed", "2026-12-20"), "荷花村")
    write_ledger(box / "荷花村_a.xlsx", unit="荷花村", filed=None, activities=rows)
    both = ("基本信息", "B5", "警告", "多份台账（荷花村_a.xlsx、荷花村_b.xlsx）均未填写填报日期，按表中最晚活动日期 2026-12-10 计，"
            "日期相同，已采用“荷花村_b.xlsx”", hint)
    assert both in problem_rows(report(box, tmp_path / "both", "2026-12-20"), "荷花村")


DONE_EARLY = ("问题整改", "I4", "警告", "完成日期 2026-12-01 早于发现日期 2026-12-10，问题不会在发现之前就整改完成",
              "两个日期至少有一个填错了，请核对本行的“发现日期”和“完成日期”")
DONE_LATE = ("问题整改", "I5", "警告", "完成日期 2027-01-20 晚于本表填报日期 2027-01-10，按填写的“已整改”统计",
             "多半是填报日期没有更新：请把“基本信息”表的填报日期改为报送当天；如完成日期填错，请更正")


def test_a_done_date_that_cannot_be_true_is_told_at_its_cell(tmp_path: Path) -> None:
    """Two 已整改 rows found 12-10 and due 01-05 in a ledger filed 01-10: one done 12-01 (before it was found),
    one done 01-20 (after the form). Both were read without a word. Each is now a 警告 at its 完成日期 cell and
    counts as typed: the second is most often a 填报日期 the unit never updated, and taking it for 整改中 made a
    rectified problem 超期未整改 (due 01-05) and the unit 未达标 (a reviewer's repro). Both stay problems found."""
    rows = [problem(d("2027-01-05"), "已整改", found=d("2026-12-10"), 完成日期=d("2026-12-01")),
            problem(d("2027-01-05"), "已整改", found=d("2026-12-10"), 序号=2, 问题描述="广告乱贴", 完成日期=d("2027-01-20"))]
    box = tmp_path / "inbox"
    write_ledger(box / "柳林村.xlsx", unit="柳林村", filed=d("2027-01-10"), activities=[activity(d("2026-12-05"))],
                 problems=rows)
    result = report(box, tmp_path / "out", "2027-01-12")
    assert problem_rows(result, "柳林村") == [DONE_EARLY, DONE_LATE]   # rows 4 and 5; 完成日期 is column I
    book = result.written.workbook
    progress = next(r for r in read_sheet(book, "单位进度") if r["单位名称"] == "柳林村")
    # 1 大讨论 of 2, no 大行动, R7 needs 2 × 46 // 69 = 1 by 01-12: 进行中, nothing overdue
    assert (progress["状态"], progress["查摆问题数"], progress["已整改数"], progress["超期未整改数"]) == ("进行中", 2, 2, 0)
    shown = {r["问题描述"]: (r["整改状态"], r["是否超期"]) for r in read_sheet(book, "问题整改") if r["单位名称"] == "柳林村"}
    assert shown == {"村部周边乱堆乱放": ("已整改", "否"), "广告乱贴": ("已整改", "否")}
    assert not [r for r in read_sheet(book, "差距清单") if r["单位名称"] == "柳林村" and r["规则"] == "R4 查摆整改"]

    later = tmp_path / "later"
    write_ledger(later / "柳林村.xlsx", unit="柳林村", filed=d("2027-01-21"), activities=[activity(d("2026-12-05"))],
                 problems=rows)
    result = report(later, tmp_path / "out_later", "2027-01-21")
    assert problem_rows(result, "柳林村") == [DONE_EARLY]
    progress = next(r for r in read_sheet(result.written.workbook, "单位进度") if r["单位名称"] == "柳林村")
    assert (progress["查摆问题数"], progress["已整改数"], progress["超期未整改数"]) == (2, 2, 0)
