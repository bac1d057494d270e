"""Issue 14: values and numbers counted as a careful clerk would, or flagged at the cell.

One test per case of the issue, through the library entry point, reading back what a supervisor and a
unit see: 单位进度, the detail sheets, 数据问题, 文件清单 and the unit's own 整改清单. Every expected number
is worked out by hand in the comment beside it.
"""

import datetime as dt
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from pipeline.config.campaign import load_campaign
from pipeline.config.roster import Roster
from pipeline.read.schema import EXAMPLE_ROW
from pipeline.write.template import guide_lines, unit_duties
from tests.ledgers import CAMPAIGN, activity, d, problem, read_sheet, write_ledger
from tests.runs import report as run_report
from tests.test_config import config_with, line_of

LABELS = {1: "1-转作风、见行动、促创建", 2: "2-文明城市人人创 文明成果人人享", 5: "5-诚信经营 文明同行",
          6: "6-创城我知晓 创建我建言"}


def run(inbox: Path, out: Path, as_of: str) -> tuple[Path, Path]:
    written = run_report(inbox, out, as_of).written
    return written.workbook, written.gap_list_folder


def progress(book: Path, unit: str) -> dict[str, Any]:
    return next(r for r in read_sheet(book, "单位进度") if r["单位名称"] == unit)


def rows(book: Path, sheet: str, unit: str) -> list[dict[str, Any]]:
    return [r for r in read_sheet(book, sheet) if r["单位名称"] == unit]


def gap_list(folder: Path, unit: str) -> list[tuple[Any, ...]]:
    """A unit's 整改清单 as the rows it prints, blank cells dropped."""
    ws = openpyxl.load_workbook(folder / f"{unit}.xlsx").active
    return [tuple(c for c in row if c not in (None, "")) for row in ws.iter_rows(values_only=True)]


def gap_rules(folder: Path, unit: str) -> list[str]:
    return [str(r[0]) for r in gap_list(folder, unit) if r and re.match(r"R\d ", str(r[0]))]


# 1. Several sub-themes in one cell count as one activity covering each.
@pytest.mark.parametrize(("talk", "action"), [("1、2", "（五）（六）"), ("1,2", "5/6"), ("1和2", "5和6"),
                                              ("转作风、乡村居民", "诚信经营、流动人口")])
def test_several_subthemes_in_one_cell_count_once_covering_each(tmp_path: Path, talk: str, action: str) -> None:
    write_ledger(tmp_path / "in" / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-05"), "大讨论", talk, 30),
                             activity(d("2026-12-12"), "大行动", action, 25, 序号=2)])
    book, lists = run(tmp_path / "in", tmp_path / "out", "2026-12-20")
    lotus = progress(book, "荷花村")
    # Two activities (not four): 1 大讨论 + 1 大行动, 30 + 25 people, all four duties 1, 2, 5, 6 covered.
    assert (lotus["大讨论次数"], lotus["大行动次数"], lotus["参与人次"]) == (1, 1, 55)
    assert (lotus["应覆盖子主题"], lotus["已覆盖子主题"]) == ("1、2、5、6", "1、2、5、6")
    # So no R2 gap: only R1 (one more 大讨论) and R4 (no problem recorded) remain.
    assert gap_rules(lists, "荷花村") == ["R1 大讨论次数", "R4 查摆整改"]
    coverage = rows(book, "子主题覆盖", "荷花村")[0]
    assert [coverage[LABELS[i]] for i in (1, 2, 5, 6)] == ["已覆盖"] * 4
    detail = rows(book, "活动明细", "荷花村")
    assert [r["子主题"] for r in detail] == [f"{LABELS[1]}；{LABELS[2]}", f"{LABELS[5]}；{LABELS[6]}"]
    overview = {r[0]: r[2] for r in openpyxl.load_workbook(book).worksheets[0].iter_rows(values_only=True) if r[0]}
    assert (overview["大讨论场次"], overview["大行动场次"], overview["参与人次合计"]) == (1, 1, 55)


# 2. Common spellings of dates, counts, kinds, sub-themes and deadlines are read.
def _spelled(box: Path) -> None:
    write_ledger(box / "柳林村.xlsx", unit="柳林村", filed=d("2026-12-18"), activities=[
        activity("12月3号", "大讨论活动", "子主题五", "30（其中党员12人）"),        # row 4
        activity("2026年12月15日上午", "大行动", "流动人口", "20+", 序号=2),       # row 5: 20, with a 警告 at G5
        activity("12月16日下午", "大讨论", "第二子主题", "十八人", 序号=3),          # row 6
    ], problems=[problem("2027年1月", found=d("2026-12-03")),                     # due 2027-01-31
                 problem("长期", found=d("2026-12-03"), 序号=2, 问题描述="门前三包落实不到位")])


def test_spellings_units_really_use_are_counted(tmp_path: Path) -> None:
    _spelled(tmp_path / "in")
    book, lists = run(tmp_path / "in", tmp_path / "out", "2027-01-20")
    willow = progress(book, "柳林村")
    # 2 大讨论 (rows 4 and 6), 1 大行动; 30 + 20 + 18 = 68 people; sub-themes 5, 6 and 2 of duties 1, 2, 5, 6.
    assert (willow["大讨论次数"], willow["大行动次数"], willow["参与人次"]) == (2, 1, 68)
    assert willow["已覆盖子主题"] == "2、5、6"
    assert (willow["查摆问题数"], willow["超期未整改数"]) == (2, 0)
    # Both deadlines were read, so no R4 gap for a missing 整改时限; R2 for sub-theme 1; R5 提醒 (33 days old).
    assert gap_rules(lists, "柳林村") == ["R2 子主题责任", "R5 按时报送"]
    assert [(r["单元格"], r["等级"], r["问题"]) for r in rows(book, "数据问题", "柳林村")] == [
        ("G5", "警告", "参加人数“20+”不是确切人数，已按20人计入")]
    detail = rows(book, "活动明细", "柳林村")
    assert [(r["活动日期"], r["活动类型"], r["参加人数"], r["计入统计"]) for r in detail] == [
        (dt.datetime(2026, 12, 3), "大讨论", 30, "是"), (dt.datetime(2026, 12, 15), "大行动", 20, "是"),
        (dt.datetime(2026, 12, 16), "大讨论", 18, "是")]
    rect = rows(book, "问题整改", "柳林村")
    assert [(r["整改时限"], r["是否超期"]) for r in rect] == [(dt.datetime(2027, 1, 31), "否"), ("长期坚持", "否")]


def test_a_month_as_deadline_is_overdue_after_its_last_day_and_long_term_never(tmp_path: Path) -> None:
    _spelled(tmp_path / "in")
    book, lists = run(tmp_path / "in", tmp_path / "out", "2027-02-01")
    # 2027年1月 means 2027-01-31: overdue on 02-01 (1 day); 长期 = 长期坚持 is never overdue.
    assert progress(book, "柳林村")["超期未整改数"] == 1
    (r4,) = [g for g in read_sheet(book, "差距清单") if g["单位名称"] == "柳林村" and g["规则"] == "R4 查摆整改"]
    assert (r4["等级"], r4["截止日期"], r4["剩余天数"]) == ("未达标", dt.datetime(2027, 1, 31), -1)
    assert r4["整改建议"] == "已逾期1天，请立即完成整改，并在“问题整改”表更新整改状态和完成日期"
    assert "R4 查摆整改" in gap_rules(lists, "柳林村")


# 3. Wrong numbers are refused at their cell, never guessed.
def test_ambiguous_numbers_are_refused_at_the_cell(tmp_path: Path) -> None:
    write_ledger(tmp_path / "in" / "白塔村.xlsx", unit="白塔村", filed=d("2026-12-18"), activities=[
        activity(d("2026-12-03"), people="三百三"),                 # row 4: 303 or 330? → 错误 at G4
        activity(d("2026-12-04"), people="十十", 序号=2),           # row 5: no numeral → 错误 at G5
        activity(d("2026-12-05"), subtheme=1.5, 序号=3),            # row 6: not sub-theme 1 → 错误 at D6
        activity(d("2026-12-06"), subtheme="大行动", 序号=4),        # row 7: the campaign's word → 错误 at D7
        activity(d("2026-12-07"), people="二百零五", 序号=5),        # row 8: 205, counted
    ])
    book, lists = run(tmp_path / "in", tmp_path / "out", "2026-12-20")
    tower = progress(book, "白塔村")
    assert (tower["大讨论次数"], tower["参与人次"]) == (1, 205)
    found = [(r["单元格"], r["等级"], r["问题"]) for r in rows(book, "数据问题", "白塔村")]
    assert found == [("G4", "错误", "无法识别人数“三百三”，此条记录不计入统计"),
                     ("G5", "错误", "无法识别人数“十十”，此条记录不计入统计"),
                     ("D6", "错误", "无法识别子主题“1.5”，此条记录不计入统计"),
                     ("D7", "错误", "无法识别子主题“大行动”，此条记录不计入统计")]
    hints = [r["建议"] for r in rows(book, "数据问题", "白塔村")]
    assert "三百三" in hints[0] and all(LABELS[i] in hints[2] for i in LABELS)
    detail = rows(book, "活动明细", "白塔村")
    assert [(r["行号"], r["计入统计"]) for r in detail] == [(4, "否"), (5, "否"), (6, "否"), (7, "否"), (8, "是")]
    assert detail[0]["参加人数"] == "三百三" and detail[3]["子主题"] == "大行动"   # as typed, as evidence
    problems = [r for r in gap_list(lists, "白塔村") if len(r) > 1 and r[1] == "错误"]    # 位置, 等级, …
    assert [r[0] for r in problems] == ["活动台账 G4", "活动台账 G5", "活动台账 D6", "活动台账 D7"]


# 4. Invisible characters do not make a value unreadable.
def test_zero_width_spaces_and_boms_are_cleaned(tmp_path: Path) -> None:
    write_ledger(tmp_path / "in" / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"), activities=[
        activity(d("2026-12-05"), "大\u200b讨论", "\ufeff5", "\ufeff30\u200b"),
        activity(d("2026-12-06"), "大行动\u2060", "6\u200d", "2\u20605", 序号=2)])
    book, _ = run(tmp_path / "in", tmp_path / "out", "2026-12-20")
    lotus = progress(book, "荷花村")
    assert (lotus["大讨论次数"], lotus["大行动次数"], lotus["参与人次"], lotus["已覆盖子主题"]) == (1, 1, 55, "5、6")
    assert rows(book, "数据问题", "荷花村") == []


# 5. Every row read is in the detail sheets; a unit's 参与人次 is its own rows' figure.
def test_every_row_read_is_listed_with_whether_it_counts(tmp_path: Path) -> None:
    write_ledger(tmp_path / "in" / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"), activities=[
        activity(d("2026-12-05"), "大讨论", 1, 30),
        activity(d("2026-12-06"), "大讨论", 1, "全体党员", 序号=2),             # 错误: not counted
        activity(d("2026-12-07"), "大讨论", 1, 30, 序号=3),
        activity(d("2026-12-07"), "大讨论", 1, 30, 序号=4),                   # duplicate of row 6
    ], problems=[problem(d("2027-01-10")), problem(d("2027-01-10"), 序号=2, 问题描述="")],
        publicity=[{"序号": 1, "发布日期": d("2026-12-08"), "发布平台": "抖音", "标题": "大讨论"},
                   {"序号": 2, "发布日期": d("2026-11-01"), "发布平台": "抖音", "标题": "早前报道"}])
    book, _ = run(tmp_path / "in", tmp_path / "out", "2026-12-20")
    detail = rows(book, "活动明细", "荷花村")
    assert [(r["行号"], r["参加人数"], r["计入统计"]) for r in detail] == [
        (4, 30, "是"), (5, "全体党员", "否"), (6, 30, "是"), (7, 30, "否")]
    assert detail[1]["不计入原因"] == "无法识别人数“全体党员”，此条记录不计入统计"
    assert detail[3]["不计入原因"] == "与第6行内容完全相同（序号除外），只计一次"
    # 单位进度 counts exactly the 是 rows: 2 大讨论, 60 people.
    lotus = progress(book, "荷花村")
    assert (lotus["大讨论次数"], lotus["参与人次"], lotus["查摆问题数"], lotus["宣传报道数"]) == (2, 60, 1, 1)
    rect = rows(book, "问题整改", "荷花村")
    assert [(r["行号"], r["计入统计"], r["不计入原因"]) for r in rect] == [
        (4, "是", None), (5, "否", "“问题描述”未填写，此条记录不计入统计")]
    news = rows(book, "宣传报道", "荷花村")
    assert [(r["行号"], r["计入统计"]) for r in news] == [(4, "是"), (5, "否")]
    assert news[1]["不计入原因"] == "报道的发布日期 2026-11-01 早于活动开始日期（2026-11-27 至 2027-02-04），不计入统计"


@pytest.mark.parametrize(("own", "lotus_people"), [(25, 25), (None, 40)])
def test_a_units_participants_are_its_own_rows_figure(tmp_path: Path, own: int | None, lotus_people: int) -> None:
    # 乡妇联 reports a joint 大讨论 on 12-10 with 40 people naming 荷花村; 荷花村 reports it too with 25
    # (or not at all). Each unit counts its own figure (荷花村 the host's 40 when it has none); the
    # campaign counts the event once, with the larger figure, 40.
    box = tmp_path / "in"
    write_ledger(box / "妇联.xlsx", unit="乡妇联", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-10"), "大讨论", 2, 40, 协办单位="荷花村")])
    mine = [activity(d("2026-12-10"), "大讨论", 2, own, 协办单位="乡妇联")] if own else []
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                 activities=[*mine, activity(d("2026-12-05"), "大行动", 1, 10, 序号=2)])
    book, _ = run(box, tmp_path / "out", "2026-12-20")
    assert (progress(book, "荷花村")["大讨论次数"], progress(book, "荷花村")["参与人次"]) == (1, lotus_people + 10)
    assert (progress(book, "乡妇联")["大讨论次数"], progress(book, "乡妇联")["参与人次"]) == (1, 40)
    overview = {r[0]: r[2] for r in openpyxl.load_workbook(book).worksheets[0].iter_rows(values_only=True) if r[0]}
    assert (overview["大讨论场次"], overview["参与人次合计"]) == (1, 40 + 10)


# 6. An incremental merge keeps every data problem; 文件清单 counts each row once.
def test_incremental_merge_keeps_the_older_files_problems(tmp_path: Path) -> None:
    box = tmp_path / "in"
    write_ledger(box / "荷花村_1.xlsx", unit="荷花村", filed=d("2026-12-10"),
                 activities=[activity(d("2026-12-05"), evidence=None),                      # 警告 at L4
                             activity(d("2026-12-06"), people="若干", 序号=2)])              # 错误 at G5
    write_ledger(box / "荷花村_2.xlsx", unit="荷花村", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-12"), "大行动", 2, "20+")])               # 警告 at G4
    book, lists = run(box, tmp_path / "out", "2026-12-20")
    found = [(r["文件"], r["工作表"], r["单元格"], r["等级"]) for r in rows(book, "数据问题", "荷花村")]
    assert found == [("荷花村_1.xlsx", "活动台账", "L4", "警告"), ("荷花村_1.xlsx", "活动台账", "G5", "错误"),
                     ("荷花村_2.xlsx", "活动台账", "G4", "警告"), ("荷花村_2.xlsx", "基本信息", "B5", "警告")]
    listed = [r for r in gap_list(lists, "荷花村") if len(r) > 1 and r[1] in ("错误", "警告")]
    assert [(r[0], r[-1]) for r in listed] == [("活动台账 L4", "荷花村_1.xlsx"), ("活动台账 G5", "同上"),
                                               ("活动台账 G4", "荷花村_2.xlsx"), ("基本信息 B5", "同上")]
    files = {r["文件"]: (r["处理结果"], r["活动数"]) for r in read_sheet(book, "文件清单")}
    # Each file counts its own rows: 1 activity in the new file, 1 in the old (the 若干 row is no record).
    assert files == {"荷花村_1.xlsx": ("已被新版本替代", 1), "荷花村_2.xlsx": ("已采用", 1)}
    detail = rows(book, "活动明细", "荷花村")
    assert [(r["来源文件"], r["行号"], r["计入统计"]) for r in detail] == [
        ("荷花村_1.xlsx", 4, "是"), ("荷花村_1.xlsx", 5, "否"), ("荷花村_2.xlsx", 4, "是")]
    assert (progress(book, "荷花村")["大讨论次数"], progress(book, "荷花村")["大行动次数"]) == (1, 1)


# 7. A date in the past is never a deadline.
@pytest.mark.parametrize("as_of", ["2027-01-15", "2027-02-10"])
def test_passed_due_dates_read_overdue(tmp_path: Path, as_of: str) -> None:
    write_ledger(tmp_path / "in" / "荷花村.xlsx", unit="荷花村", filed=d("2027-01-10"),
                 activities=[activity(d("2026-12-05"))])
    book, lists = run(tmp_path / "in", tmp_path / "out", as_of)
    day = d(as_of)
    tower = next(g for g in read_sheet(book, "差距清单") if g["单位名称"] == "白塔村")
    # 白塔村 filed nothing: due start + 7 = 2026-12-04; 42 days before 01-15 (27 + 15), 68 before 02-10.
    overdue = (day - d("2026-12-04")).days
    assert tower["整改建议"].startswith(f"已逾期{overdue}天，请立即报送台账")
    assert any(str(c).startswith(f"已逾期{overdue}天") for r in gap_list(lists, "白塔村") for c in r)
    for gap in read_sheet(book, "差距清单"):
        for y, m, dd in re.findall(r"(\d{4})年(\d{1,2})月(\d{1,2})日前", gap["整改建议"]):
            assert dt.date(int(y), int(m), int(dd)) >= day, gap
    if as_of == "2027-02-10":   # after the deadline (02-04): 荷花村 still owes a 大讨论, 6 days overdue
        r1 = next(g for g in read_sheet(book, "差距清单") if g["单位名称"] == "荷花村" and g["规则"] == "R1 大讨论次数")
        assert r1["整改建议"] == "已逾期6天，请立即再组织开展1次大讨论，并及时录入“活动台账”"


# 8. The 示例 row warns only for real-looking data.
@pytest.mark.parametrize(("values", "warned"), [
    ({"序号": "（示例）", "活动日期": "（示例）", "活动类型": "（示例）", "子主题": "（示例）", "参加人数": "（示例）",
      "内容摘要": "（示例）"}, False),
    ({"活动日期": "XXXX-XX-XX", "内容摘要": "某某村开展讨论……", "备注": "请勿删除"}, False),
    ({"活动日期": d("2026-12-09"), "参加人数": 42, "内容摘要": "围绕垃圾分类开展讨论"}, True)])
def test_example_row_warns_only_for_real_looking_data(tmp_path: Path, values: dict[str, Any], warned: bool) -> None:
    path = write_ledger(tmp_path / "in" / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                        activities=[activity(d("2026-12-05"))])
    wb = openpyxl.load_workbook(path)
    ws = wb["活动台账"]
    header = {cell.value: cell.column for cell in ws[EXAMPLE_ROW]}
    for name, value in values.items():
        ws.cell(row=EXAMPLE_ROW + 1, column=header[name], value=value)
    wb.save(path)
    book, _ = run(tmp_path / "in", tmp_path / "out", "2026-12-20")
    problems = [(r["单元格"], r["问题"]) for r in rows(book, "数据问题", "荷花村")]
    assert problems == ([("A3", "“示例”行的内容被改动过；示例行不计入统计")] if warned else [])
    assert progress(book, "荷花村")["大讨论次数"] == 1


# 9. The template's texts come from campaign.yaml.
def test_guide_texts_follow_the_campaign(tmp_path: Path) -> None:
    path = config_with(tmp_path, "min_discussions: 2", "min_discussions: 3")
    campaign = load_campaign(path)[0]
    campaign = campaign.model_copy(update={"subthemes": campaign.subthemes[:5], "min_discussions_kinds": ("村",)})
    roster = Roster.of(campaign)
    text = "\n".join(guide_lines(campaign, roster, None))
    assert "每个村大讨论原则上不少于3次" in text
    assert "五、五个子主题及责任单位：" in text and "六个子主题" not in text
    office = roster.resolve("乡妇联")
    assert office is not None
    assert "· 本单位不在“不少于3次大讨论”的考核范围内，但须完成下列子主题的责任。" in unit_duties(campaign, roster, office)


# 10. An exemption that waives nothing is a config warning.
def test_exemption_that_waives_nothing_is_a_config_warning(tmp_path: Path) -> None:
    path = config_with(tmp_path, "exemptions: []", "exemptions:\n  - {unit: 乡团委, subtheme: 5, reason: 无经营户}\n"
                       "  - {unit: 荷花村, subtheme: 5, reason: 辖区内无经营户}")
    warnings = load_campaign(path)[1]
    line = line_of("exemptions: []") + 1  # the first item is on the line under `exemptions:`
    assert [w for w in warnings if "免除" in w] == [
        f"提示：第{line}行，exemptions → 第1项：单位“乡团委”本不负责子主题5，这项免除不起作用；请核对单位名称或子主题编号。"]
    assert [w for w in load_campaign(CAMPAIGN)[1] if "免除" in w] == []
