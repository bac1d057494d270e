"""Outputs checked as a person sees them: printed to PDF by LibreOffice, read back with pdftotext."""

import re
from pathlib import Path

import openpyxl
import pytest

from docs.render import available, pages, printed_size, text_of, to_pdf
from tests.ledgers import activity, d, problem, write_ledger
from tests.runs import report

LONG_NAME = "荷花村创城台账（12月第2周）最终修改版-发乡里"
"""A file named as WeChat passes names on: 46 widths of an Arial digit, with .xlsx 51, where the gap list's 文件
column holds 18 a line."""
pytestmark = pytest.mark.skipif(not available(), reason="LibreOffice and poppler-utils are not installed")


@pytest.fixture(scope="module")
def outbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("render")
    box = tmp / "inbox"
    # 乡创城办 owes nearly everything (7 gaps: R1, R2, R4 twice, R5, R6, R7) and has 10 rows with a data problem:
    # its gap list must still fit one A4 page.
    bad = [activity(d("2026-12-05"), "大行动", 2, 300 + i, f"第{i}次清理卫生死角活动", evidence=None, 序号=i)
           for i in range(1, 11)]
    write_ledger(box / "乡创城办.xlsx", unit="乡创城办", filed=d("2026-12-25"), activities=bad,
                 problems=[problem(d("2026-12-31"), found=d("2026-12-05")),
                           problem(None, 序号=2, 问题描述="道路两侧乱堆乱放", 整改措施=None)])
    # 乡文广站 has the 8 gaps a unit can have at once without history (R4 twice, R7, R1, R2, R3, R6, R5) and
    # 10 rows whose date cannot be read (so nothing counts).
    unread = [activity(f"12月3{i}日", 序号=i) for i in range(2, 12)]
    write_ledger(box / "乡文广站.xlsx", unit="乡文广站", filed=d("2026-12-25"), activities=unread,
                 problems=[problem(d("2026-12-31"), found=d("2026-12-05")),
                           problem(None, 序号=2, 问题描述="道路两侧乱堆乱放", 整改措施=None)])
    write_ledger(box / f"{LONG_NAME}.xlsx", unit="荷花村", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-05"), "大讨论", 1, 1234567, evidence=None),
                             activity(d("2026-12-06"), "大讨论", 2, 40, evidence=None, 序号=2)])
    report(box, tmp / "out", "2027-01-05")
    return tmp / "out"


def test_workbook_prints_with_names_numbers_and_no_hashes(outbox: Path) -> None:
    (pdf,) = to_pdf([outbox / "督查汇总表_2027-01-05.xlsx"], outbox / "pdf")
    text = text_of(pdf)
    assert "###" not in text
    for expected in ("城西湖乡“我为创城做什么 大讨论大行动”督查汇总", "乡创城办", "荷花村", "乡便民服务中心", "1234567",
                     "R4 查摆整改", "第 1 页 共"):
        assert expected in text, expected


def test_gap_list_is_most_urgent_first_and_prints_on_one_page_at_nearly_full_size(outbox: Path) -> None:
    book = outbox / "整改清单_2027-01-05" / "乡文广站.xlsx"
    rows = list(openpyxl.load_workbook(book).active.iter_rows(values_only=True))
    gaps = [r for r in rows if str(r[0]).startswith("R")]
    # 未达标 (the problem due 12-31) → 滞后 (R7, by the next report 1-12) → 待完成 (all by 2-04, by rule)
    # → 提醒 (R5, 1-12): level first, then the due date, though the 提醒 is due before the 待完成 items
    assert [(r[0], r[1], r[4].date().isoformat()) for r in gaps] == [
        ("R4 查摆整改", "未达标", "2026-12-31"), ("R7 序时进度", "滞后", "2027-01-12"),
        ("R1 大讨论次数", "待完成", "2027-02-04"), ("R2 子主题责任", "待完成", "2027-02-04"),
        ("R3 讨论转行动", "待完成", "2027-02-04"), ("R4 查摆整改", "待完成", "2027-02-04"),
        ("R6 宣传报道", "待完成", "2027-02-04"), ("R5 按时报送", "提醒", "2027-01-12")]
    assert sum(1 for r in rows if r[1] == "错误") == 10
    (pdf,) = to_pdf([book], outbox / "pdf")
    assert pages(pdf) == 1
    # 11 pt text printed at no less than 90 %: the header “差距说明” is at least 10 pt a character
    assert printed_size(pdf, "差距说明") >= 10
    text = text_of(pdf)
    assert "乡文广站 整改清单（截至 2027-01-05）" in text
    assert "联系电话" not in text and "###" not in text   # the contact is still a placeholder: left out


def test_gap_list_names_a_long_file_once_inside_its_table(outbox: Path) -> None:
    book = outbox / "整改清单_2027-01-05" / "荷花村.xlsx"
    ws = openpyxl.load_workbook(book).active
    first = next(row[0].row for row in ws.iter_rows() if row[0].value == "活动台账 L4")  # 佐证材料 of 序号 1
    # the name is one wrapped cell over the last two columns, its row three lines tall (51 widths, 18 a line)
    assert f"E{first}:F{first}" in {str(r) for r in ws.merged_cells.ranges}
    assert ws[f"E{first}"].value == f"{LONG_NAME}.xlsx" and ws[f"E{first}"].alignment.wrap_text
    assert ws.row_dimensions[first].height == 3 * 17
    assert (ws[f"A{first + 1}"].value, ws[f"E{first + 1}"].value) == ("活动台账 L5", "同上")
    (pdf,) = to_pdf([book], outbox / "pdf")
    text = re.sub(r"\s+", "", text_of(pdf))
    assert pages(pdf) == 1 and printed_size(pdf, "差距说明") >= 10  # not shrunk to make room for the name
    assert text.count(f"{LONG_NAME}.xlsx") == 1 and text.count("同上") == 1


def test_bulletin_prints(outbox: Path) -> None:
    (pdf,) = to_pdf([outbox / "工作通报_2027-01-05.docx"], outbox / "pdf")
    text = re.sub(r"\s+", "", text_of(pdf))  # the PDF breaks lines and spaces digits apart from CJK
    assert "关于“我为创城做什么”大讨论大行动开展情况的通报（第1期）" in text
    assert "乡创城办有1个问题、乡文广站有1个问题超期未整改" in text
