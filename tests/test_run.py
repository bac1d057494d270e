"""End to end through the library entry point: ledgers written as units write them, the weekly report run,
outputs read back as the supervisors see them.

The expected numbers below were worked out by hand from SPEC §4 for this inbox (see each comment).
"""

import hashlib
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest

from pipeline import run
from tests.inboxes import four_units
from tests.ledgers import activity, d, read_sheet, write_ledger
from tests.runs import report as run_report
from tests.runs import setup

SHEETS = ["总览", "单位进度", "子主题覆盖", "差距清单", "活动明细", "问题整改", "宣传报道", "数据问题", "文件清单"]


def report(inbox: Path, outbox: Path, as_of: str) -> Path:
    return run_report(inbox, outbox, as_of).written.workbook


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    return four_units(tmp_path / "inbox")


def progress(book: Path) -> dict[str, dict[str, object]]:
    return {str(r["单位名称"]): r for r in read_sheet(book, "单位进度")}


def gaps(book: Path, unit: str) -> list[tuple[str, str]]:
    return sorted((str(r["规则"]), str(r["等级"])) for r in read_sheet(book, "差距清单") if r["单位名称"] == unit)


def test_mid_december(inbox: Path, tmp_path: Path) -> None:
    book = report(inbox, tmp_path / "out", "2026-12-20")
    assert openpyxl.load_workbook(book, read_only=True).sheetnames == SHEETS
    units = progress(book)
    lotus = units["荷花村"]
    # 大讨论: own 12-05 + 乡妇联's joint 12-10 = 2; 大行动 12-12 = 1; 人次 30 + 40 + 25.
    assert (lotus["状态"], lotus["大讨论次数"], lotus["大行动次数"], lotus["参与人次"]) == ("进行中", 2, 1, 95)
    assert (lotus["应覆盖子主题"], lotus["已覆盖子主题"], lotus["查摆问题数"], lotus["超期未整改数"]) == ("1、2、5、6", "1、2", 1, 0)
    assert gaps(book, "荷花村") == [("R2 子主题责任", "待完成")]
    # 乡妇联 (乡直单位 + 群团组织): one 大讨论 on 2; owes a second, sub-theme 1, a 大行动 and a problem.
    assert units["乡妇联"]["状态"] == "进行中"
    assert gaps(book, "乡妇联") == [("R1 大讨论次数", "待完成"), ("R2 子主题责任", "待完成"), ("R3 讨论转行动", "待完成"),
                                   ("R4 查摆整改", "待完成")]
    # 柳林村: the 2027-01-08 file is not used yet; the 12-10 one is 10 days old → reminder.
    assert gaps(book, "柳林村") == [("R1 大讨论次数", "待完成"), ("R2 子主题责任", "待完成"), ("R4 查摆整改", "待完成"),
                                   ("R5 按时报送", "提醒")]
    # 白塔村 has filed nothing dated by 12-20; more than 7 days since start → 未达标 via R5(a) alone.
    assert units["白塔村"]["状态"] == "未报送"
    assert gaps(book, "白塔村") == [("R5 按时报送", "未达标")]
    files = {r["文件"]: (r["处理结果"], r["原因"]) for r in read_sheet(book, "文件清单")}
    assert files["柳林村_旧.xlsx"] == ("已采用", None)
    assert files["柳林村_新.xlsx"] == ("未采用", "填报日期晚于统计日期（2027-01-08 > 2026-12-20），本期不采用")
    assert files["白塔村.xlsx"][0] == "未采用"
    assert files["活动照片.jpg"] == ("未采用", "不是可读取的表格文件（图片），请将台账另存为 .xlsx 后重新报送")
    assert run_report(inbox, tmp_path / "again", "2026-12-20").report.by_status == {
        "已达标": 0, "进行中": 3, "滞后": 0, "未达标": 0, "未报送": 13}
    overview = {r[0]: r[2] for r in openpyxl.load_workbook(book).worksheets[0].iter_rows(values_only=True) if r[0]}
    assert overview["大讨论场次"] == 2          # 荷花村 12-05 and the joint 12-10, counted once
    assert overview["参与人次合计"] == 95 + 20   # plus 柳林村's 大行动


def test_mid_january(inbox: Path, tmp_path: Path) -> None:
    book = report(inbox, tmp_path / "out", "2027-01-12")
    units = progress(book)
    # 荷花村's problem was due 01-10 and is still 整改中 → R4 未达标.
    assert units["荷花村"]["状态"] == "未达标"
    assert gaps(book, "荷花村") == [("R2 子主题责任", "待完成"), ("R4 查摆整改", "未达标"), ("R5 按时报送", "提醒")]
    # 柳林村 now stands on its 01-08 file: 1 大讨论 (“诚信经营” → 5, 三十 people), 1 大行动; R7 needs 1.
    willow = units["柳林村"]
    assert (willow["状态"], willow["大讨论次数"], willow["大行动次数"], willow["参与人次"]) == ("进行中", 1, 1, 50)
    assert willow["已覆盖子主题"] == "1、5"
    assert gaps(book, "柳林村") == [("R1 大讨论次数", "待完成"), ("R2 子主题责任", "待完成"), ("R4 查摆整改", "待完成")]
    files = {r["文件"]: r["处理结果"] for r in read_sheet(book, "文件清单")}
    assert (files["柳林村_旧.xlsx"], files["柳林村_新.xlsx"]) == ("已被新版本替代", "已采用")
    problems = [(r["文件"], r["工作表"], r["单元格"], r["等级"]) for r in read_sheet(book, "数据问题")]
    assert problems == [("柳林村_新.xlsx", "活动台账", "B6", "错误")]
    detail = [r for r in read_sheet(book, "活动明细") if r["单位名称"] == "柳林村"]
    # Every row read is listed: the unreadable row 6 too, as typed (text), not counted, with the reason.
    assert [(r["来源文件"], r["行号"], r["参加人数"], r["计入统计"]) for r in detail] == [
        ("柳林村_新.xlsx", 4, 20, "是"), ("柳林村_新.xlsx", 5, 30, "是"), ("柳林村_新.xlsx", 6, "30", "否")]
    assert (detail[2]["活动日期"], detail[2]["不计入原因"]) == ("12月32日", "无法识别日期“12月32日”，此条记录不计入统计")
    gap_list = tmp_path / "out" / "整改清单_2027-01-12" / "柳林村.xlsx"
    cells = [c for row in openpyxl.load_workbook(gap_list).active.iter_rows(values_only=True) for c in row if c]
    assert "柳林村 整改清单（截至 2027-01-12）" in cells
    assert "活动台账 B6" in cells
    assert not any("联系电话" in str(c) for c in cells)      # the contact is still campaign.yaml's placeholder


def test_after_the_deadline(inbox: Path, tmp_path: Path) -> None:
    book = report(inbox, tmp_path / "out", "2027-02-10")
    units = progress(book)
    assert units["白塔村"]["状态"] == "已达标"
    assert gaps(book, "白塔村") == []
    assert units["荷花村"]["状态"] == "未达标"
    assert gaps(book, "荷花村") == [("R2 子主题责任", "未达标"), ("R4 查摆整改", "未达标")]
    assert gaps(book, "乡妇联") == [("R1 大讨论次数", "未达标"), ("R2 子主题责任", "未达标"), ("R3 讨论转行动", "未达标"),
                                   ("R4 查摆整改", "未达标")]
    lists = sorted(p.stem for p in (tmp_path / "out" / "整改清单_2027-02-10").iterdir())
    assert "白塔村" not in lists and "荷花村" in lists and "乡团委" in lists


def test_same_inputs_give_identical_outputs(inbox: Path, tmp_path: Path) -> None:
    first = report(inbox, tmp_path / "a", "2027-01-12")
    second = report(inbox, tmp_path / "b", "2027-01-12")
    assert hashlib.sha256(first.read_bytes()).digest() == hashlib.sha256(second.read_bytes()).digest()


def test_text_from_units_is_never_a_formula(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-05"), summary="=HYPERLINK(\"http://x\",\"点我\")")])
    book = report(box, tmp_path / "out", "2026-12-20")
    ws = openpyxl.load_workbook(book)["活动明细"]
    cell = ws["K2"]
    assert cell.value == "=HYPERLINK(\"http://x\",\"点我\")"
    assert cell.data_type == "s" and cell.quotePrefix


def test_sheets_are_print_ready_and_coloured(inbox: Path, tmp_path: Path) -> None:
    book = report(inbox, tmp_path / "out", "2027-01-12")
    wb = openpyxl.load_workbook(book)
    assert len(wb["总览"]._charts) == 3                      # units by status, sessions by sub-theme, kinds
    for name in SHEETS[1:]:
        ws = wb[name]
        assert (ws.page_setup.paperSize, ws.page_setup.orientation) == (9, "landscape"), name
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1), name  # 1 = default
        assert ws.page_setup.fitToHeight == 0, name                               # as many pages tall as needed
        assert ws.print_title_rows == "$1:$1", name
        assert "第 &P 页 共 &N 页" in ws.oddFooter.right.text, name
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref, name
    rules = {str(r.formula[0]) for rng in wb["单位进度"].conditional_formatting for r in rng.rules}
    assert rules == {f'"{s}"' for s in ("已达标", "进行中", "滞后", "未达标", "未报送")}
    overdue = [r.formula[0] for rng in wb["问题整改"].conditional_formatting for r in rng.rules]
    assert overdue == ['$J2="是"']
    fills = {str(r.formula[0]): r.dxf.fill.bgColor.rgb for rng in wb["单位进度"].conditional_formatting
             for r in rng.rules}
    assert fills['"已达标"'].endswith("C6EFCE") and fills['"未达标"'].endswith("FFC7CE")


def test_tables_longer_than_excel_allows_continue_on_numbered_sheets(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.write.workbook

    monkeypatch.setattr(pipeline.write.workbook, "MAX_DATA_ROWS", 3)   # stands in for Excel's 1,048,575
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-01") + timedelta(days=i), 序号=i + 1,
                                      summary=f"第{i + 1}次") for i in range(8)])
    book = report(box, tmp_path / "out", "2026-12-20")
    names = openpyxl.load_workbook(book).sheetnames
    start = names.index("活动明细")
    assert names[start:start + 4] == ["活动明细", "活动明细2", "活动明细3", "问题整改"]
    rows = [r for name in ("活动明细", "活动明细2", "活动明细3") for r in read_sheet(book, name)]
    assert [r["内容摘要"] for r in rows] == [f"第{i}次" for i in range(1, 9)]   # all 8, in order, none lost
    note = openpyxl.load_workbook(book)["总览"]["A3"].value
    assert "“活动明细”超过 Excel 单表行数上限，已依次分为“活动明细”、“活动明细2”、“活动明细3”，没有删减。" in note


def test_demo_populates_every_sheet(tmp_path: Path) -> None:
    _, result = run.demo(setup=setup(), folder=tmp_path / "demo")
    book = result.written.workbook
    statuses = {r["状态"] for r in read_sheet(book, "单位进度")}
    assert statuses == {"已达标", "进行中", "滞后", "未达标", "未报送"}
    for sheet in SHEETS[1:]:
        assert read_sheet(book, sheet), sheet
    results = {r["处理结果"] for r in read_sheet(book, "文件清单")}
    assert results == {"已采用", "已被新版本替代", "未采用", "已忽略"}


def test_empty_inbox_writes_a_complete_workbook(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    result = run_report(tmp_path / "inbox", tmp_path / "out", "2026-12-01")
    assert {r["状态"] for r in read_sheet(result.written.workbook, "单位进度")} == {"未报送"}
    assert len(list((tmp_path / "out" / "整改清单_2026-12-01").iterdir())) == 16
    assert len(result.written.gap_lists) == 16
