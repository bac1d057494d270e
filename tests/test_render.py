"""Outputs checked as a person sees them: printed to PDF by LibreOffice, read back with pdftotext."""

import re
from pathlib import Path

import openpyxl
import pytest

from docs.render import available, pages, text_of, to_pdf
from tests.ledgers import activity, d, problem, write_ledger
from tests.runs import report

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
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-05"), "大讨论", 1, 1234567)])
    report(box, tmp / "out", "2027-01-05")
    return tmp / "out"


def test_workbook_prints_with_names_numbers_and_no_hashes(outbox: Path) -> None:
    (pdf,) = to_pdf([outbox / "督查汇总表_2027-01-05.xlsx"], outbox / "pdf")
    text = text_of(pdf)
    assert "###" not in text
    for expected in ("城西湖乡“我为创城做什么 大讨论大行动”督查汇总", "乡创城办", "荷花村", "乡便民服务中心", "1234567",
                     "R4 查摆整改", "第 1 页 共"):
        assert expected in text, expected


def test_gap_list_fits_one_page(outbox: Path) -> None:
    book = outbox / "整改清单_2027-01-05" / "乡创城办.xlsx"
    rows = list(openpyxl.load_workbook(book).active.iter_rows(values_only=True))
    assert sum(1 for r in rows if r[0] in ("错误", "警告")) >= 10                    # ≥ 10 data problems
    assert sum(1 for r in rows if str(r[0]).startswith("R")) >= 7                   # 7 gaps
    (pdf,) = to_pdf([book], outbox / "pdf")
    assert pages(pdf) == 1
    text = text_of(pdf)
    assert "乡创城办 整改清单（截至 2027-01-05）" in text
    assert "乡创城办 联系电话" in text and "###" not in text


def test_bulletin_prints(outbox: Path) -> None:
    (pdf,) = to_pdf([outbox / "工作通报_2027-01-05.docx"], outbox / "pdf")
    text = re.sub(r"\s+", "", text_of(pdf))  # the PDF breaks lines and spaces digits apart from CJK
    assert "关于“我为创城做什么”大讨论大行动开展情况的通报（第1期）" in text
    assert "乡创城办有1个问题超期未整改" in text
