"""总览: the dashboard the supervision team projects in its weekly meeting.

The few numbers a meeting starts with stand at the top as large tiles, readable from the back of the room;
the charts stand beside them; every number follows below as a table (printed on a second page), which is
also what the charts draw from.
"""

from dataclasses import dataclass
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from pipeline.judge.report import Report
from pipeline.model import STATUSES
from pipeline.write.trend import trend_chart
from pipeline.write.xlsx import STATUS_COLOURS, Cell, Styles, display_width, write_cell

SHEET = "总览"
TITLE_FONT = {"size": 12, "bold": True}
"""Chart titles on the dashboard."""
COLUMN_WIDTH = 13
"""Every column of the sheet (96 pixels): a tile is two columns wide, a table label two, a value one."""
TILE_VALUE_FONT = 32
TILE_LABEL_FONT = 14
TILE_DETAIL_FONT = 10
TILE_ROWS = (22, 58, 18, 10)
"""Heights in points of a band of tiles: label, value, detail, gap below (144 pixels in all)."""
TILES_WIDTH = 6
"""Columns the tiles take (576 pixels); two charts stand beside them, one above the other."""
SIDE_CHART = (500, 211)
"""Pixels of each chart beside the tiles: together as tall as the three bands of tiles."""
WIDE_CHART = (540, 300)
"""Pixels of each chart in the row below the tiles (one of twice the width when there is no trend yet)."""
GAP = 12
ROW_PX = 20
"""A row of the default height, in pixels."""
TABLE_COLUMNS = (0, 4)
"""Where the tables below start: the main numbers, and beside them the sub-theme, status and kind tables."""
TILE_FILL = ("#DDEBF7", "#1F3864")
ALERT_FILL = STATUS_COLOURS["未达标"]


@dataclass(frozen=True)
class KindProgress:
    kind: str
    units: int
    reached: int
    sessions: int


@dataclass(frozen=True)
class Tile:
    """One large figure: what it is, the figure, a line saying what it is made of, and its colours."""

    label: str
    value: Cell
    detail: str
    colours: tuple[str, str] = TILE_FILL
    num_format: str = ""


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


@dataclass(frozen=True)
class DiscussionProgress:
    """大讨论 against the requirement: each discussion unit counts up to the minimum, so one unit's extra
    sessions never hide another's missing ones."""

    done: int
    due: int
    reached: int
    units: int


def discussion_progress(report: Report) -> DiscussionProgress:
    need = report.campaign.min_discussions
    rows = [r for r in report.rows if report.roster.is_discussion_unit(r.unit)]
    return DiscussionProgress(done=sum(min(r.facts.discussions, need) for r in rows), due=need * len(rows),
                              reached=sum(1 for r in rows if r.facts.discussions >= need), units=len(rows))


def headline(report: Report) -> list[tuple[str, Cell]]:
    """The numbers a meeting starts with; the tiles and the bulletin quote the same ones."""
    c = report.campaign
    units = len(report.rows)
    progress = discussion_progress(report)
    pairs: list[tuple[str, Cell]] = [
        ("活动名称", c.name), ("乡镇", c.township), ("统计日期", report.as_of), ("活动期间", f"{c.start} 至 {c.deadline}"),
        ("距截止日期剩余天数", report.days_left), ("名册单位数", units), ("已报送单位数", report.submitted),
        ("报送率", report.submitted / units if units else 0.0), ("按时报送单位数", report.on_time),
        ("按时报送率", report.on_time / units if units else 0.0),
    ]
    pairs += [(f"状态：{status}", count) for status, count in report.by_status.items()]
    problems = sum(r.problems_found for r in report.rows)
    rectified = sum(r.rectified for r in report.rows)
    pairs += [("大讨论场次", report.sessions("大讨论")), ("大讨论应开展场次（合计）", progress.due),
              ("计入要求的大讨论场次", progress.done),
              ("大讨论参与人次", report.participants("大讨论")), ("大行动场次", report.sessions("大行动")),
              ("大行动参与人次", report.participants("大行动")), ("参与人次合计", report.participants()),
              ("已开展的子主题数", sum(1 for t in report.subtheme_totals() if t.discussions + t.actions)),
              ("查摆问题数", problems), ("已整改数", rectified), ("整改率", rectified / problems if problems else 0.0),
              ("超期未整改数", sum(r.overdue for r in report.rows)),
              ("宣传报道数", sum(len(r.facts.publicity) for r in report.rows)),
              ("差距项数", len(report.gaps)), ("数据问题数", len(report.problems))]
    pairs += [(f"文件：{k}", v) for k, v in report.files_by_result().items()]
    return pairs


def tiles(report: Report) -> list[list[Tile]]:
    """The bands of tiles, top first: how many reported and on time, 大讨论 against what is due, overdue
    rectifications, days left; then units per status in the status colours."""
    numbers = dict(headline(report))
    units, need = len(report.rows), report.campaign.min_discussions
    progress = discussion_progress(report)
    overdue = sum(r.overdue for r in report.rows)
    left = report.days_left
    first = [
        Tile("报送率", numbers["报送率"], f"已报送 {report.submitted} 个 / 共 {units} 个单位", num_format="0.0%"),
        Tile("按时报送率", numbers["按时报送率"], f"{report.campaign.report_interval_days} 天内报送 {report.on_time} 个单位",
             num_format="0.0%"),
        Tile("距截止日期" if left >= 0 else "已过截止日期", abs(left), f"截止日期 {report.campaign.deadline.isoformat()}",
             colours=TILE_FILL if left >= 0 else ALERT_FILL, num_format='0" 天"'),
    ]
    second = [
        Tile("大讨论 已开展 / 应开展", f"{progress.done} / {progress.due}",
             f"{progress.reached} / {progress.units} 个单位已开展满 {need} 次"),
        Tile("超期未整改问题", overdue, f"查摆问题 {numbers['查摆问题数']} 个，已整改 {numbers['已整改数']} 个",
             colours=ALERT_FILL if overdue else TILE_FILL, num_format='0" 个"'),
        Tile("参与人次", numbers["参与人次合计"],
             f"大讨论 {numbers['大讨论参与人次']}，大行动 {numbers['大行动参与人次']}"),
    ]
    statuses = [Tile(status, count, "个单位", colours=STATUS_COLOURS[status]) for status, count in report.by_status.items()]
    return [first, second, [*statuses, Tile("名册单位", units, "个单位")]]


class _TileFormats:
    """The formats of tiles, made once per colour."""

    def __init__(self, workbook: Any) -> None:
        self._workbook = workbook
        self._made: dict[tuple[str, str, str, str], Format] = {}

    def get(self, part: str, colours: tuple[str, str], num_format: str = "") -> Format:
        key = (part, *colours, num_format)
        if key not in self._made:
            bg, fg = colours
            size = {"label": TILE_LABEL_FONT, "value": TILE_VALUE_FONT, "detail": TILE_DETAIL_FONT}[part]
            edge = {"label": {"top": 2}, "value": {}, "detail": {"bottom": 2}}[part]
            self._made[key] = self._workbook.add_format({
                "font_name": "宋体", "font_size": size, "bold": part != "detail", "font_color": fg, "bg_color": bg,
                "align": "center", "valign": "vcenter", "left": 2, "right": 2, "border_color": "#FFFFFF",
                "num_format": num_format, **edge, **({"text_wrap": True} if part == "detail" else {})})
        return self._made[key]


def _write_tiles(ws: Worksheet, bands: list[list[Tile]], formats: _TileFormats, *, top: int) -> int:
    """Each band's tiles side by side (a band of more than three takes one column each). Returns the next row."""
    row = top
    for band in bands:
        span = 2 if len(band) <= 3 else 1
        for offset, height in enumerate(TILE_ROWS):
            ws.set_row(row + offset, height)
        for index, tile in enumerate(band):
            col = index * span
            for offset, part, value in ((0, "label", tile.label), (1, "value", tile.value), (2, "detail", tile.detail)):
                fmt = formats.get(part, tile.colours, tile.num_format if part == "value" else "")
                if span == 1:
                    ws.write(row + offset, col, value, fmt)
                else:
                    ws.merge_range(row + offset, col, row + offset, col + 1, "", fmt)
                    ws.write(row + offset, col, value, fmt)
        row += len(TILE_ROWS)
    return row


def _chart(workbook: Any, kind: str, title: str, size: tuple[int, int], **options: Any) -> Any:
    chart = workbook.add_chart({"type": kind, **options})
    chart.set_title({"name": title, "name_font": TITLE_FONT})
    chart.set_legend({"position": "bottom"})
    chart.set_size({"width": size[0], "height": size[1]})
    return chart


def _table(ws: Worksheet, styles: Styles, *, title: str, headers: tuple[str, ...], rows: list[list[Cell]],
           top: int, left: int, formats: dict[int, Format] | None = None) -> int:
    """A table whose first column is two columns wide (labels are long). Returns the row of its header."""
    ws.write_string(top, left, title, styles.bold)
    header = top + 1
    if any(display_width(name) > COLUMN_WIDTH - 1 for name in headers[1:]):
        ws.set_row(header, 30)
    ws.merge_range(header, left, header, left + 1, headers[0], styles.header)
    for col, name in enumerate(headers[1:], start=left + 2):
        ws.write_string(header, col, name, styles.header)
    for r, values in enumerate(rows, start=header + 1):
        ws.merge_range(r, left, r, left + 1, "", styles.label)
        write_cell(ws, r, left, values[0], styles, styles.label)
        for col, value in enumerate(values[1:], start=left + 2):
            write_cell(ws, r, col, value, styles, (formats or {}).get(r - header - 1))
    return header


def write_overview(workbook: Any, ws: Worksheet, report: Report, styles: Styles, *, notes: list[str]) -> None:
    """Tiles top left, two charts beside them and two below; on the second printed page every number."""
    c = report.campaign
    ws.set_column(0, 12, COLUMN_WIDTH)
    ws.set_row(0, 30)
    ws.merge_range(0, 0, 0, 10, f"{c.township}“{c.name}”督查汇总", styles.title)
    ws.write_string(1, 0, f"截至 {report.as_of.isoformat()}，距截止日期（{c.deadline.isoformat()}）"
                          f"还有 {report.days_left} 天", styles.big)
    if notes:
        ws.write_string(2, 0, "说明：" + "".join(notes), styles.bold)
    tiles_top = 3
    tiles_end = _write_tiles(ws, tiles(report), _TileFormats(workbook), top=tiles_top)

    top = tiles_end + -(-(WIDE_CHART[1] + GAP) // ROW_PX)
    ws.set_h_pagebreaks([top])
    ws.write_string(top, 0, "全部数据", styles.big)
    pairs = headline(report)
    formats = {i: styles.percent for i, (label, _) in enumerate(pairs) if label.endswith("率")}
    formats |= {i: styles.date for i, (label, _) in enumerate(pairs) if label == "统计日期"}
    main, side = TABLE_COLUMNS
    _table(ws, styles, title="主要数字", headers=("项目", "数值"), rows=[[label, value] for label, value in pairs],
           top=top + 1, left=main, formats=formats)
    totals = report.subtheme_totals()
    subtheme_header = _table(
        ws, styles, title="各子主题开展情况", headers=("子主题", "大讨论场次", "大行动场次", "参与人次", "责任单位数", "已覆盖单位数"),
        rows=[[c.label(t.subtheme), t.discussions, t.actions, t.participants, t.units_required, t.units_covered]
              for t in totals], top=top + 1, left=side)
    status_header = _table(ws, styles, title="各状态单位数", headers=("状态", "单位数"),
                           rows=[[s, n] for s, n in report.by_status.items()], top=subtheme_header + len(totals) + 2,
                           left=side)
    kinds = kind_progress(report)
    kind_header = _table(ws, styles, title=f"各类单位大讨论进度（要求不少于{c.min_discussions}次）",
                         headers=("单位类别", "单位数", "已达到要求的单位数", "大讨论次数合计"),
                         rows=[[k.kind, k.units, k.reached, k.sessions] for k in kinds],
                         top=status_header + len(STATUSES) + 2, left=side)
    value = side + 2  # a side table's first value column, after its two-column label

    beside = {"x_offset": GAP}
    status_chart = _chart(workbook, "column", "各状态单位数", SIDE_CHART)
    status_chart.add_series({
        "name": "单位数", "categories": [SHEET, status_header + 1, side, status_header + len(STATUSES), side],
        "values": [SHEET, status_header + 1, value, status_header + len(STATUSES), value], "data_labels": {"value": True},
        "points": [{"fill": {"color": STATUS_COLOURS[s][1] if s != "进行中" else "#7F7F7F"}} for s in STATUSES]})
    status_chart.set_legend({"none": True})
    ws.insert_chart(tiles_top, TILES_WIDTH, status_chart, beside)
    if kinds:
        kind_chart = _chart(workbook, "bar", "各类单位大讨论达标情况", SIDE_CHART)
        end = kind_header + len(kinds)
        for col, colour in ((value, "#BFBFBF"), (value + 1, "#548235")):
            kind_chart.add_series({"name": [SHEET, kind_header, col], "categories": [SHEET, kind_header + 1, side, end, side],
                                   "values": [SHEET, kind_header + 1, col, end, col], "fill": {"color": colour},
                                   "data_labels": {"value": True}})
        ws.insert_chart(tiles_top, TILES_WIDTH, kind_chart, beside | {"y_offset": SIDE_CHART[1] + GAP // 2})

    wide = WIDE_CHART if report.history else (2 * WIDE_CHART[0] + GAP, WIDE_CHART[1])
    sub_chart = _chart(workbook, "bar", "各子主题开展场次", wide, subtype="stacked")
    last = subtheme_header + len(totals)
    for col, colour in ((value, "#2F5597"), (value + 1, "#C55A11")):
        sub_chart.add_series({"name": [SHEET, subtheme_header, col],
                              "categories": [SHEET, subtheme_header + 1, side, last, side],
                              "values": [SHEET, subtheme_header + 1, col, last, col], "fill": {"color": colour}})
    sub_chart.set_y_axis({"reverse": True})
    ws.insert_chart(tiles_end, 0, sub_chart)
    if report.history:
        trend = trend_chart(workbook, report, title_font=TITLE_FONT)
        trend.set_size({"width": WIDE_CHART[0], "height": WIDE_CHART[1]})
        ws.insert_chart(tiles_end, 0, trend, {"x_offset": WIDE_CHART[0] + GAP})
