"""The ledger template units fill in (SPEC §3, contract), blank or pre-filled for one roster unit."""

import datetime as dt
from pathlib import Path

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from pipeline.config.campaign import Campaign, Unit
from pipeline.config.roster import Roster
from pipeline.judge.texts import cn_date
from pipeline.read.schema import (
    ACTIVITY,
    ACTIVITY_KINDS,
    EXAMPLE_ROW,
    GUIDE_SHEET,
    HEADER_ROW,
    INFO_LABEL_COL,
    INFO_LABELS,
    INFO_SHEET,
    INFO_VALUE_COL,
    PLATFORMS,
    PUBLICITY,
    RECT_STATUSES,
    RECTIFICATION,
    TEMPLATE_VERSION,
    TITLE_ROW,
    YES_NO,
    SheetSpec,
    info_cell,
    info_row,
)
from pipeline.write.xlsx import Styles, display_width, open_workbook, safe_filename

TEMPLATE_NAME = "创城大讨论台账模板.xlsx"
DATA_ROWS = 500
_DATE_COLUMNS = {"活动日期", "发现日期", "完成日期", "发布日期"}
_NUMBER_COLUMNS = {"参加人数"}


def per_unit_filename(unit: Unit, *, taken: set[str]) -> str:
    """`荷花村_创城大讨论台账.xlsx`, safe on Windows whatever the roster name holds."""
    return f"{safe_filename(f'{unit.name}_创城大讨论台账', taken=taken)}.xlsx"


def _cn_count(n: int) -> str:
    """How the guide writes a small count: 六个子主题; a large one stays in digits."""
    return "一两三四五六七八九十"[n - 1] if 1 <= n <= 10 else str(n)


def guide_lines(campaign: Campaign, roster: Roster, unit: Unit | None) -> list[str]:
    """填报说明 in plain Chinese: what to fill, the rules that apply, the deadline; a unit's own duties."""
    c = campaign
    lines = [
        f"{c.township}“{c.name}”台账填报说明",
        "",
        f"一、时间要求：活动从{cn_date(c.start)}开始，{cn_date(c.deadline)}前完成。"
        f"每个{'、'.join(c.min_discussions_kinds)}大讨论原则上不少于{c.min_discussions}次，边讨论边查摆边整改，"
        "并把讨论成果转化为大行动。",
        f"二、报送要求：每{c.report_interval_days}天把本台账报{c.office}一次。台账是累计的：每次报送都包含以往全部记录，"
        "只在后面追加新行，不要删除旧记录；每次报送前更新“基本信息”里的填报日期。",
        "三、怎么填：",
        "  1. “基本信息”：填写单位名称（与乡里名册一致）、填报人、联系电话和填报日期。",
        "  2. “活动台账”：每开展一次活动填一行。活动日期、活动类型（大讨论/大行动）、子主题、参加人数、内容摘要必须填写，"
        "（表头为橙色）缺一项该次活动就不计入统计；佐证材料（照片、签到表、会议记录）请注明。几个单位联合开展的，在“协办单位”中写上其他单位名称，"
        "用“、”分隔，活动同时计入这些单位。",
        "  3. “问题整改”：大讨论中查摆出的每个问题填一行，写清整改措施、责任人、整改时限（日期，或“立行立改”“长期坚持”）"
        "和整改状态；整改完成后把状态改为“已整改”并填完成日期。超过时限仍未整改的，督查时按未达标通报。",
        "  4. “宣传报道”：在微信、公众号、抖音、广播、县融媒体“创城大家谈”等发布的宣传信息填一行，典型案例请选“是”。",
        "  5. 各表第一行数据为“示例”，不计入统计，可以保留或删除；请勿修改表头。日期请写成 2026-12-03 的格式，人数填数字。",
        "四、什么算数：活动日期须在活动期间内且不晚于填报日期；内容完全相同的重复行只计一次。",
        f"五、{_cn_count(len(c.subthemes))}个子主题及责任单位：",
    ]
    for sub in c.subthemes:
        parties = "、".join(r.unit or f"各{r.kind}" for r in sub.responsible)
        lines.append(f"  {sub.label}（对象：{sub.audience}；责任单位：{parties}）")
    if not c.contact_is_placeholder:
        lines.append(f"六、联系方式：{c.contact}")
    if unit is not None:
        lines += ["", *unit_duties(campaign, roster, unit)]
    return lines


def unit_duties(campaign: Campaign, roster: Roster, unit: Unit) -> list[str]:
    """What this one unit owes, for its pre-filled template."""
    lines = [f"【{unit.name}的任务】（截止{cn_date(campaign.deadline)}）"]
    if roster.is_discussion_unit(unit):
        lines.append(f"· 开展大讨论不少于{campaign.min_discussions}次，至少开展1次大行动，登记查摆出的问题并逐一整改。")
    else:
        lines.append(f"· 本单位不在“不少于{campaign.min_discussions}次大讨论”的考核范围内，但须完成下列子主题的责任。")
    required = roster.required_subthemes(unit)
    if required:
        labels = "、".join(campaign.label(s) for s in required)
        lines.append(f"· 负责的子主题：{labels}，每个子主题至少开展1次活动（大讨论或大行动均可）。")
    for e in campaign.exemptions:
        if roster.resolve(e.unit) == unit:
            lines.append(f"· 已免除：子主题{e.subtheme}（{e.reason}，{e.approved_by or campaign.office}批准）。")
    if roster.is_publicity_unit(unit):
        lines.append("· 负责宣传报道：及时在“宣传报道”表登记宣传信息和典型案例，每个报送周期都应有新的报道。")
    lines.append(f"· 每{campaign.report_interval_days}天报送一次台账。")
    return lines


def _ledger_sheet(ws: Worksheet, spec: SheetSpec, styles: Styles, extra: dict[str, Format], title: str,
                  lists: dict[str, tuple[list[str], bool]]) -> None:
    ws.merge_range(TITLE_ROW, 0, TITLE_ROW, len(spec.columns) - 1, title, extra["title"])
    for col, name in enumerate(spec.columns):
        ws.write_string(HEADER_ROW, col, name, extra["required"] if name in spec.required else styles.header)
        width = max(display_width(name) + 4, display_width(spec.example[col]) + 2 if col else 8)
        fmt = extra["date"] if name in _DATE_COLUMNS else extra["cell"]
        ws.set_column(col, col, min(width, 40), fmt)
    example_fmt = extra["example"]
    for col, (name, value) in enumerate(zip(spec.columns, spec.example, strict=True)):
        if name in _DATE_COLUMNS and value:
            ws.write_datetime(EXAMPLE_ROW, col, dt.datetime.fromisoformat(value), extra["example_date"])
        elif name in _NUMBER_COLUMNS and value:
            ws.write_number(EXAMPLE_ROW, col, int(value), example_fmt)
        else:
            ws.write_string(EXAMPLE_ROW, col, value, example_fmt)
    last = EXAMPLE_ROW + DATA_ROWS
    for col, name in enumerate(spec.columns):
        if name in lists:
            source, strict = lists[name]
            ws.data_validation(EXAMPLE_ROW, col, last, col, {
                "validate": "list", "source": source, "error_type": "stop" if strict else "warning",
                "error_title": "请从下拉列表选择", "error_message": "可选：" + "、".join(source)[:200]})
        elif name in _DATE_COLUMNS:
            ws.data_validation(EXAMPLE_ROW, col, last, col, {
                "validate": "date", "criteria": "between", "minimum": dt.date(2020, 1, 1),
                "maximum": dt.date(2035, 12, 31), "error_type": "warning",
                "error_title": "日期格式", "error_message": "请填写日期，如 2026-12-03"})
    ws.freeze_panes(HEADER_ROW + 1, 0)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(HEADER_ROW)
    ws.protect("", {"insert_rows": True, "delete_rows": True, "format_cells": True, "format_columns": True,
                    "format_rows": True, "sort": True, "autofilter": True, "insert_columns": False})


def write_template(path: Path, *, campaign: Campaign, roster: Roster, unit: Unit | None = None) -> None:
    """The five sheets in contract order; header rows protected, every data cell left editable."""
    workbook = open_workbook(path, created=campaign.start)
    styles = Styles(workbook)
    base = {"font_name": "宋体", "font_size": 11, "valign": "top"}
    extra: dict[str, Format] = {
        "required": workbook.add_format({**base, "bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True,
                                         "valign": "vcenter", "align": "center"}),
        "title": workbook.add_format({**base, "bold": True, "font_size": 14, "align": "center", "locked": True}),
        "cell": workbook.add_format({**base, "locked": False}),
        "date": workbook.add_format({**base, "locked": False, "num_format": "yyyy-mm-dd", "align": "left"}),
        "example": workbook.add_format({**base, "locked": False, "font_color": "#808080", "italic": True}),
        "example_date": workbook.add_format({**base, "locked": False, "font_color": "#808080", "italic": True,
                                             "num_format": "yyyy-mm-dd", "align": "left"}),
    }
    guide = workbook.add_worksheet(GUIDE_SHEET)
    guide.set_column(0, 0, 74, styles.wrap)
    guide.set_margins(left=0.5, right=0.5)
    guide.set_paper(9)
    guide.fit_to_pages(1, 0)
    for row, line in enumerate(guide_lines(campaign, roster, unit)):
        guide.write_string(row, 0, line, styles.title if row == 0 else styles.wrap)
        lines = max(1, -(-display_width(line) // 68))
        guide.set_row(row, 24 if row == 0 else 16 * lines)

    info = workbook.add_worksheet(INFO_SHEET)
    info.set_column(INFO_LABEL_COL, INFO_LABEL_COL, 14)
    info.set_column(INFO_VALUE_COL, INFO_VALUE_COL, 36, extra["cell"])
    values = {"单位名称": unit.name if unit else "", "单位类别": "、".join(unit.kinds) if unit else "",
              "模板版本": TEMPLATE_VERSION}
    for label in INFO_LABELS:
        row = info_row(label)
        info.write_string(row, INFO_LABEL_COL, label, styles.label)
        if label == "填报日期":
            info.write_blank(row, INFO_VALUE_COL, None, extra["date"])
        else:
            info.write_string(row, INFO_VALUE_COL, values.get(label, ""), extra["cell"])
    info.write_comment(info_cell("填报日期"), "每次报送前更新为当天日期，如 2026-12-18")
    info.protect("", {"format_columns": True, "format_cells": True})

    subthemes = [s.label for s in campaign.subthemes]
    lists: dict[str, tuple[list[str], bool]] = {
        "活动类型": (list(ACTIVITY_KINDS), True), "子主题": (subthemes, False),
        "整改状态": (list[str](RECT_STATUSES), True), "发布平台": (list(PLATFORMS), False),
        "典型案例": (list(YES_NO), True)}
    titles = {ACTIVITY.name: "活动台账（每开展一次活动填一行，橙色表头的列必填）",
              RECTIFICATION.name: "问题整改（大讨论中查摆出的每个问题填一行）",
              PUBLICITY.name: "宣传报道（每条宣传信息填一行）"}
    for spec in (ACTIVITY, RECTIFICATION, PUBLICITY):
        _ledger_sheet(workbook.add_worksheet(spec.name), spec, styles, extra, titles[spec.name], lists)
    workbook.close()


