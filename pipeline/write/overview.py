"""总览: the dashboard the supervision team projects in its weekly meeting — headline numbers and native charts."""

from dataclasses import dataclass
from typing import Any

from xlsxwriter.worksheet import Worksheet

from pipeline.judge.report import Report
from pipeline.model import STATUSES
from pipeline.write.trend import trend_chart
from pipeline.write.xlsx import STATUS_COLOURS, Cell, Styles, write_pairs, write_table

SHEET = "总览"
TITLE_FONT = {"size": 12, "bold": True}
"""Chart titles on the dashboard."""


@dataclass(frozen=True)
class KindProgress:
    kind: str
    units: int
    reached: int
    sessions: int


def kind_progress(report: Report) -> list[KindProgress]:
    """Per unit kind owing the minimum: how many units reached it, and sessions held."""
    out = []
    need = report.campaign.min_discussions
    for kind in report.campaign.min_discussions_kinds:
        rows = [r for r in report.rows if kind in r.unit.kinds]
        if rows:
            out.append(KindProgress(kind=kind, units=len(rows), reached=sum(1 for r in rows if r.facts.discussions >= need),
                                    sessions=sum(r.facts.discussions for r in rows)))
    return out


def headline(report: Report) -> list[tuple[str, Cell]]:
    """The numbers a meeting starts with; the bulletin quotes the same ones."""
    c = report.campaign
    units = len(report.rows)
    required = sum(c.min_discussions for r in report.rows if report.roster.is_discussion_unit(r.unit))
    pairs: list[tuple[str, Cell]] = [
        ("活动名称", c.name), ("乡镇", c.township), ("统计日期", report.as_of), ("活动期间", f"{c.start} 至 {c.deadline}"),
        ("距截止日期剩余天数", report.days_left), ("名册单位数", units), ("已报送单位数", report.submitted),
        ("报送率", report.submitted / units if units else 0.0), ("按时报送单位数", report.on_time),
        ("按时报送率", report.on_time / units if units else 0.0),
    ]
    pairs += [(f"状态：{status}", count) for status, count in report.by_status.items()]
    problems = sum(r.problems_found for r in report.rows)
    rectified = sum(r.rectified for r in report.rows)
    pairs += [("大讨论场次", report.sessions("大讨论")), ("大讨论应开展场次（合计）", required),
              ("大讨论参与人次", report.participants("大讨论")), ("大行动场次", report.sessions("大行动")),
              ("大行动参与人次", report.participants("大行动")), ("参与人次合计", report.participants()),
              ("已开展的子主题数", sum(1 for t in report.subtheme_totals() if t.discussions + t.actions)),
              ("查摆问题数", problems), ("已整改数", rectified), ("整改率", rectified / problems if problems else 0.0),
              ("超期未整改数", sum(r.overdue for r in report.rows)),
              ("宣传报道数", sum(len(r.facts.publicity) for r in report.rows)),
              ("差距项数", len(report.gaps)), ("数据问题数", len(report.problems))]
    pairs += [(f"文件：{k}", v) for k, v in report.files_by_result().items()]
    return pairs


def _chart(workbook: Any, kind: str, title: str, **options: Any) -> Any:
    chart = workbook.add_chart({"type": kind, **options})
    chart.set_title({"name": title, "name_font": TITLE_FONT})
    chart.set_legend({"position": "bottom"})
    return chart


def write_overview(workbook: Any, ws: Worksheet, report: Report, styles: Styles, *, notes: list[str]) -> None:
    ws.merge_range(0, 0, 0, 10, f"{report.campaign.township}“{report.campaign.name}”督查汇总", styles.title)
    ws.write_string(1, 0, f"截至 {report.as_of.isoformat()}，距截止日期（{report.campaign.deadline.isoformat()}）"
                          f"还有 {report.days_left} 天", styles.big)
    if notes:
        ws.write_string(2, 0, "说明：" + "".join(notes), styles.bold)
    pairs = headline(report)
    formats = {i: styles.percent for i, (label, _) in enumerate(pairs) if label.endswith("率")}
    formats |= {i: styles.date for i, (label, _) in enumerate(pairs) if label == "统计日期"}
    row = write_pairs(ws, pairs=pairs, styles=styles, start_row=3, fmt=formats) + 1

    status_top = row
    ws.write_string(row, 0, "各状态单位数", styles.bold)
    row = write_table(ws, headers=("状态", "单位数"), rows=[[s, n] for s, n in report.by_status.items()],
                      styles=styles, start_row=row + 1, widths=(24, 28, 14, 14, 12, 14), header_tools=False) + 1
    subtheme_top = row + 1
    ws.write_string(row, 0, "各子主题开展情况", styles.bold)
    totals = report.subtheme_totals()
    row = write_table(ws, headers=("子主题", "大讨论场次", "大行动场次", "参与人次", "责任单位数", "已覆盖单位数"),
                      rows=[[report.campaign.label(t.subtheme), t.discussions, t.actions, t.participants, t.units_required,
                             t.units_covered] for t in totals], styles=styles, start_row=row + 1, widths=(24, 28, 14, 14, 12, 14),
                      header_tools=False) + 1
    kinds = kind_progress(report)
    kind_top = row + 1
    ws.write_string(row, 0, f"各类单位大讨论进度（要求不少于{report.campaign.min_discussions}次）", styles.bold)
    write_table(ws, headers=("单位类别", "单位数", "已达到要求的单位数", "大讨论次数合计"),
                rows=[[k.kind, k.units, k.reached, k.sessions] for k in kinds], styles=styles, start_row=row + 1,
                widths=(24, 28, 14, 14, 12, 14), header_tools=False)

    status_chart = _chart(workbook, "column", "各状态单位数")
    status_chart.add_series({
        "name": "单位数", "categories": [SHEET, status_top + 2, 0, status_top + 1 + len(STATUSES), 0],
        "values": [SHEET, status_top + 2, 1, status_top + 1 + len(STATUSES), 1], "data_labels": {"value": True},
        "points": [{"fill": {"color": STATUS_COLOURS[s][1] if s != "进行中" else "#7F7F7F"}} for s in STATUSES]})
    status_chart.set_legend({"none": True})
    ws.insert_chart(3, 3, status_chart, {"x_scale": 1.1, "y_scale": 1.0})

    sub_chart = _chart(workbook, "bar", "各子主题开展场次", subtype="stacked")
    last = subtheme_top + len(totals)
    for col, colour in ((1, "#2F5597"), (2, "#C55A11")):
        sub_chart.add_series({"name": [SHEET, subtheme_top, col], "categories": [SHEET, subtheme_top + 1, 0, last, 0],
                              "values": [SHEET, subtheme_top + 1, col, last, col], "fill": {"color": colour}})
    sub_chart.set_y_axis({"reverse": True})
    ws.insert_chart(3, 10, sub_chart, {"x_scale": 1.3, "y_scale": 1.0})

    if kinds:
        kind_chart = _chart(workbook, "bar", "各类单位大讨论达标情况")
        end = kind_top + len(kinds)
        for col, colour in ((1, "#BFBFBF"), (2, "#548235")):
            kind_chart.add_series({"name": [SHEET, kind_top, col], "categories": [SHEET, kind_top + 1, 0, end, 0],
                                   "values": [SHEET, kind_top + 1, col, end, col], "fill": {"color": colour},
                                   "data_labels": {"value": True}})
        ws.insert_chart(23, 3, kind_chart, {"x_scale": 1.1, "y_scale": 1.0})
    if report.history:
        trend = trend_chart(workbook, report, title_font=TITLE_FONT)
        ws.insert_chart(23, 10, trend, {"x_scale": 1.3, "y_scale": 1.0})
