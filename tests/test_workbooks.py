"""Every ledger in a workbook is read or named, and messages point at what the file has (issue 13)."""

from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.table import Table

from tests.ledgers import activity, d, problem, read_sheet, write_ledger
from tests.runs import report


def test_a_ledger_without_its_info_sheet_is_told_so_not_sent_to_cells_it_lacks(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    ledger = write_ledger(box / "荷花村台账.xlsx", unit="荷花村", filed=d("2026-12-18"),
                          activities=[activity(d("2026-12-05")), activity(d("2026-12-12"), "大行动", 2, 序号=2)])
    wb = openpyxl.load_workbook(ledger)
    del wb["基本信息"]
    wb.save(ledger)
    book = report(box, tmp_path / "out", "2026-12-20").written.workbook
    problems = [(p["工作表"], p["单元格"], p["等级"], p["问题"]) for p in read_sheet(book, "数据问题")]
    assert problems == [("基本信息", None, "错误",
                         "未找到“基本信息”工作表：单位已按文件名识别为“荷花村”，填报日期按表中最晚的记录日期计")]
    progress = next(r for r in read_sheet(book, "单位进度") if r["单位名称"] == "荷花村")
    # dated by its latest row, 2026-12-12
    assert (progress["状态"], progress["最近填报日期"].date()) == ("进行中", d("2026-12-12"))


def test_an_excel_tables_total_row_is_not_a_record(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    ledger = write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                          activities=[activity(d("2026-12-05")), activity(d("2026-12-12"), "大行动", 2, 40, 序号=2)])
    wb = openpyxl.load_workbook(ledger)
    ws = wb["活动台账"]
    ws["A6"], ws["G6"] = "汇总", 70          # the total row Excel adds under a table (套用表格格式 → 汇总行)
    table = Table(displayName="活动表", ref="A2:M6", totalsRowCount=1)
    ws.add_table(table)
    wb.save(ledger)
    book = report(box, tmp_path / "out", "2026-12-20").written.workbook
    assert [(p["单元格"], p["问题"]) for p in read_sheet(book, "数据问题")] == []
    progress = next(r for r in read_sheet(book, "单位进度") if r["单位名称"] == "荷花村")
    assert (progress["大讨论次数"], progress["大行动次数"], progress["参与人次"]) == (1, 1, 70)   # 30 + 40


@pytest.mark.parametrize("name", ["活动台账 (2)", "活动台账（续）", "活动台账续"])
def test_a_ledger_continued_on_another_sheet_is_read_as_one(tmp_path: Path, name: str) -> None:
    box = tmp_path / "inbox"
    ledger = write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                          activities=[activity(d("2026-12-05"), people=30)])
    wb = openpyxl.load_workbook(ledger)
    more = wb.copy_worksheet(wb["活动台账"])      # 移动或复制工作表 → 建立副本: header and example row come along
    more.title = name
    for column, value in {"A": 2, "B": d("2026-12-12"), "C": "大行动", "D": 2, "G": 45, "K": "清理村部周边"}.items():
        more[f"{column}4"] = value
    wb.save(ledger)
    book = report(box, tmp_path / "out", "2026-12-20").written.workbook
    progress = next(r for r in read_sheet(book, "单位进度") if r["单位名称"] == "荷花村")
    assert (progress["大讨论次数"], progress["大行动次数"], progress["参与人次"]) == (1, 1, 75)   # 30 + 45
    sources = sorted((r["工作表"], r["行号"]) for r in read_sheet(book, "活动明细"))
    assert sources == sorted([("活动台账", 4), (name, 4)])
    assert read_sheet(book, "数据问题") == []      # its row 4 keeps the copied 佐证材料, and no duplicate-row 警告


def test_a_sheet_named_only_as_a_copy_is_the_sheet_not_missing(tmp_path: Path) -> None:
    """活动台账 copied into a new workbook (移动或复制 → 新工作簿) arrives as `活动台账 (2)`, with no 活动台账 beside it:
    its rows are read, and the unit is not told 未找到“活动台账”工作表 (an 错误 that said the sheet whose rows
    were counted was missing, and sent the unit to the template)."""
    box = tmp_path / "inbox"
    ledger = write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                          activities=[activity(d("2026-12-05")), activity(d("2026-12-12"), "大行动", 2, 40, 序号=2)])
    wb = openpyxl.load_workbook(ledger)
    wb["活动台账"].title = "活动台账 (2)"
    wb.save(ledger)
    book = report(box, tmp_path / "out", "2026-12-20").written.workbook
    assert read_sheet(book, "数据问题") == []
    progress = next(r for r in read_sheet(book, "单位进度") if r["单位名称"] == "荷花村")
    assert (progress["大讨论次数"], progress["大行动次数"], progress["参与人次"]) == (1, 1, 70)   # 30 + 40
    assert {r["工作表"] for r in read_sheet(book, "活动明细")} == {"活动台账 (2)"}

def test_rows_a_sheet_copy_brought_along_count_once(tmp_path: Path) -> None:
    """WPS's 移动或复制 → 建立副本 makes `活动台账 (2)` with every row of 活动台账; the unit goes on typing in the copy
    and sends both. The copied rows are the same activities and problems: each counts once, with a 警告 at the
    copy's row naming the row it repeats (they counted twice, and one 大讨论 made the two R1 asks for)."""
    box = tmp_path / "inbox"
    ledger = write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                          activities=[activity(d("2026-12-05"), people=30)],
                          problems=[problem(d("2027-01-10"), found=d("2026-12-05"))])
    wb = openpyxl.load_workbook(ledger)
    more = wb.copy_worksheet(wb["活动台账"])      # row 4 comes along as it is
    more.title = "活动台账 (2)"
    for column, value in {"A": 2, "B": d("2026-12-12"), "C": "大行动", "D": 2, "G": 45, "K": "清理村部周边",
                          "L": "照片2张"}.items():
        more[f"{column}5"] = value
    wb.copy_worksheet(wb["问题整改"]).title = "问题整改 (2)"
    wb.save(ledger)
    book = report(box, tmp_path / "out", "2026-12-20").written.workbook
    progress = next(r for r in read_sheet(book, "单位进度") if r["单位名称"] == "荷花村")
    # 12-05 大讨论 of 30 once, 12-12 大行动 of 45; one problem
    assert (progress["大讨论次数"], progress["大行动次数"], progress["参与人次"], progress["查摆问题数"]) == (1, 1, 75, 1)
    assert [(p["工作表"], p["单元格"], p["等级"], p["问题"]) for p in read_sheet(book, "数据问题")] == [
        ("活动台账 (2)", "A4", "警告", "与“活动台账”表第4行内容完全相同（序号除外），只计一次"),
        ("问题整改 (2)", "A4", "警告", "与“问题整改”表第4行内容完全相同（序号除外），只计一次")]
    rows = {(r["工作表"], r["行号"]): (r["计入统计"], r["不计入原因"]) for r in read_sheet(book, "活动明细")}
    assert rows == {("活动台账", 4): ("是", None), ("活动台账 (2)", 5): ("是", None),
                    ("活动台账 (2)", 4): ("否", "与“活动台账”表第4行内容完全相同（序号除外），只计一次")}
