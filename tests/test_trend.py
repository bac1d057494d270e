"""The trend chart on 总览 and on 周趋势 draws the cumulative sessions of every run so far."""

import re
import zipfile
from pathlib import Path

import openpyxl

from tests.ledgers import activity, d, write_ledger
from tests.runs import report


def test_both_trend_charts_draw_cumulative_sessions_of_every_run(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    for as_of in ("2026-12-13", "2026-12-20", "2026-12-27"):
        report(box, tmp_path / "out", as_of, archive=tmp_path / "a", record=True)  # weekly entries
    book = tmp_path / "out" / "督查汇总表_2026-12-27.xlsx"
    header = {cell.column_letter: cell.value for cell in openpyxl.load_workbook(book)["周趋势"][1]}
    with zipfile.ZipFile(book) as archive:
        charts = [archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("xl/charts/chart")]
    drawn = []
    for chart in (c for c in charts if "周趋势" in c):
        names = re.findall(r"<c:tx><c:strRef><c:f>'?周趋势'?!\$([A-Z]+)\$1</c:f>", chart)
        values = re.findall(r"<c:val><c:numRef><c:f>'?周趋势'?!\$([A-Z]+)\$2:\$([A-Z]+)\$(\d+)</c:f>", chart)
        assert values == [(col, col, "4") for col in names]          # rows 2–4: the three runs
        drawn.append([header[col] for col in names])
    assert drawn == [["累计大讨论场次", "累计大行动场次"]] * 2
