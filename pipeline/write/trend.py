"""周趋势: one row per run so far (SPEC §5), and the line chart of cumulative sessions that 总览 shows too."""

from typing import Any

from xlsxwriter.worksheet import Worksheet

from pipeline.judge.report import Report
from pipeline.write.xlsx import Cell, Styles, write_table

TREND_SHEET = "周趋势"
TREND_COLUMNS = ("统计日期", "已达标", "进行中", "滞后", "未达标", "未报送", "累计大讨论场次", "累计大行动场次", "参与人次", "报送率")
TREND_SERIES = (("累计大讨论场次", "#2F5597"), ("累计大行动场次", "#C55A11"))
"""The columns the chart draws, with their line colours."""


def trend_rows(report: Report) -> list[list[Cell]]:
    runs = [*report.history, report.snapshot()]
    return [[run.as_of, *(run.count(s) for s in ("已达标", "进行中", "滞后", "未达标", "未报送")), run.discussions,
             run.actions, run.participants, run.submitted / run.units_total if run.units_total else 0.0]
            for run in runs]


def trend_chart(workbook: Any, report: Report, *, title_font: dict[str, Any] | None = None) -> Any:
    """Cumulative sessions by statistics date, drawn from 周趋势 (every earlier run and this one)."""
    chart = workbook.add_chart({"type": "line"})
    last = len(report.history) + 1
    for name, colour in TREND_SERIES:
        col = TREND_COLUMNS.index(name)
        chart.add_series({"name": [TREND_SHEET, 0, col], "categories": [TREND_SHEET, 1, 0, last, 0],
                          "values": [TREND_SHEET, 1, col, last, col], "marker": {"type": "circle"},
                          "line": {"color": colour}})
    chart.set_title({"name": "累计场次（按统计日期）", **({"name_font": title_font} if title_font else {})})
    chart.set_x_axis({"date_axis": True, "num_format": "m月d日", "major_unit": 7, "major_unit_type": "days"})
    chart.set_legend({"position": "bottom"})
    return chart


def write_trend(workbook: Any, ws: Worksheet, report: Report, styles: Styles) -> None:
    rows = trend_rows(report)
    write_table(ws, headers=TREND_COLUMNS, rows=rows, styles=styles,
                column_formats={TREND_COLUMNS.index("报送率"): styles.percent})
    ws.insert_chart(len(rows) + 2, 0, trend_chart(workbook, report), {"x_scale": 1.4, "y_scale": 1.2})
