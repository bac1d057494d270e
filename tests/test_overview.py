"""总览 as a meeting sees it projected: large tiles at the top, charts beside them, every number below."""

from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font

from tests.ledgers import activity, d, problem, write_ledger
from tests.runs import report as run_report

LABEL_ROWS = (4, 8, 12)
"""Excel rows of the three bands' tile labels; each value is the row below its label."""


@pytest.fixture
def book(tmp_path: Path) -> Path:
    box = tmp_path / "inbox"
    # 荷花村 alone reports (filed 12-18): one 大讨论 (30 people), one 大行动 (25), one problem due 01-10 still open.
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-05"), "大讨论", 1, 30), activity(d("2026-12-12"), "大行动", 2, 25, 序号=2)],
                 problems=[problem(d("2027-01-10"), found=d("2026-12-05"))])
    return run_report(box, tmp_path / "out", "2027-01-12").written.workbook


def tiles(book: Path) -> dict[str, tuple[object, str, Font]]:
    """Each tile's label → (value, detail, the value cell's font)."""
    ws = openpyxl.load_workbook(book)["总览"]
    out = {}
    for row in LABEL_ROWS:
        for col in range(1, 7):
            label = ws.cell(row, col).value
            if label:
                out[str(label)] = (ws.cell(row + 1, col).value, str(ws.cell(row + 2, col).value), ws.cell(row + 1, col).font)
    return out


def table(book: Path) -> dict[str, object]:
    """The 主要数字 table below the tiles: label (columns A–B) → value (column C)."""
    ws = openpyxl.load_workbook(book)["总览"]
    rows = list(ws.iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "项目")
    return {str(r[0]): r[2] for r in rows[header + 1:] if r[0]}


def test_the_key_figures_are_large_tiles_at_the_top(book: Path) -> None:
    found = tiles(book)
    assert list(found) == ["报送率", "按时报送率", "距截止日期", "大讨论 已开展 / 应开展", "超期未整改问题", "参与人次",
                           "已达标", "进行中", "滞后", "未达标", "未报送", "名册单位"]
    figures = {label: value for label, (value, _, _) in found.items()}
    assert figures == {
        "报送率": 1 / 16,          # 荷花村 of 16 roster units
        "按时报送率": 0.0,          # filed 25 days before 01-12, more than the 7-day interval
        "距截止日期": 23,           # 02-04 − 01-12
        "大讨论 已开展 / 应开展": "1 / 24",  # 12 discussion units (3 村, 9 乡直单位) × 2; 荷花村 has held 1
        "超期未整改问题": 1,        # due 01-10, still 整改中
        "参与人次": 55,             # 30 + 25
        "已达标": 0, "进行中": 0, "滞后": 0, "未达标": 1, "未报送": 15, "名册单位": 16}
    assert found["大讨论 已开展 / 应开展"][1] == "0 / 12 个单位已开展满 2 次"
    assert found["超期未整改问题"][1] == "查摆问题 1 个，已整改 0 个"
    for label, (_, _, font) in found.items():
        assert font.sz >= 28 and font.b, label  # readable from the back of a meeting room


def test_tiles_quote_the_table_below(book: Path) -> None:
    figures = {label: value for label, (value, _, _) in tiles(book).items()}
    numbers = table(book)
    assert figures["报送率"] == numbers["报送率"] and figures["按时报送率"] == numbers["按时报送率"]
    assert figures["距截止日期"] == numbers["距截止日期剩余天数"]
    assert figures["大讨论 已开展 / 应开展"] == f"{numbers['计入要求的大讨论场次']} / {numbers['大讨论应开展场次（合计）']}"
    assert figures["超期未整改问题"] == numbers["超期未整改数"] and figures["参与人次"] == numbers["参与人次合计"]
    for status in ("已达标", "进行中", "滞后", "未达标", "未报送"):
        assert figures[status] == numbers[f"状态：{status}"]


def test_charts_stand_beside_the_tiles_and_the_table_prints_on_its_own_page(book: Path) -> None:
    ws = openpyxl.load_workbook(book)["总览"]
    anchors = sorted((c.anchor._from.row, c.anchor._from.col) for c in ws._charts)
    # status and kinds charts in column G beside the tiles (rows 4–15, 0-based 3–14), one above the other;
    # sub-themes from column A right below the tiles
    assert anchors == [(3, 6), (8, 6), (15, 0)]
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "全部数据")
    assert [b.id for b in ws.row_breaks.brk] == [header - 1]   # the break sits just above 全部数据
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0
