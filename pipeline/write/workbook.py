"""The supervision workbook 督查汇总表_D.xlsx (SPEC §5): sheet and column names are contract."""

import io
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, islice
from pathlib import Path

from pipeline.judge.facts import is_overdue
from pipeline.judge.report import Report
from pipeline.judge.texts import ids, status_change
from pipeline.model import FILE_RESULTS, GAP_LEVELS, STATUSES, Problem
from pipeline.write.overview import write_overview
from pipeline.write.sheetxml import Body, RowWriter, StyleIds, splice
from pipeline.write.trend import TREND_SHEET, write_trend
from pipeline.write.xlsx import (
    MAX_COLUMN_WIDTH,
    WIDTH_SAMPLE_ROWS,
    Cell,
    Styles,
    colour_by_value,
    colour_rows_where,
    column_widths,
    open_workbook,
    print_setup,
    table_frame,
)

SHEETS = ("总览", "单位进度", "子主题覆盖", "差距清单", "活动明细", "问题整改", "宣传报道", "数据问题", "文件清单")
PROGRESS_COLUMNS = ("单位名称", "单位类别", "状态", "大讨论次数", "大行动次数", "参与人次", "应覆盖子主题", "已覆盖子主题",
                    "查摆问题数", "已整改数", "超期未整改数", "宣传报道数", "最近填报日期", "差距项数")
GAP_COLUMNS = ("单位名称", "规则", "等级", "差距说明", "整改建议", "截止日期", "剩余天数")
PROBLEM_COLUMNS = ("文件", "工作表", "单元格", "单位名称", "等级", "问题", "建议")
FILE_COLUMNS = ("文件", "单位名称", "处理结果", "原因", "活动数", "问题数", "宣传数", "SHA256")
ACTIVITY_COLUMNS = ("单位名称", "活动日期", "活动类型", "子主题", "活动主题", "活动地点", "参加人数", "组织人", "协办单位",
                    "活动形式", "内容摘要", "佐证材料", "备注", "计入统计", "不计入原因", "来源文件", "工作表", "行号")
RECT_COLUMNS = ("单位名称", "序号", "发现日期", "问题描述", "整改措施", "责任人", "整改时限", "整改状态", "完成日期",
                "是否超期", "来源文件", "工作表", "行号")
PUBLICITY_COLUMNS = ("单位名称", "发布日期", "发布平台", "标题", "链接", "典型案例", "备注", "来源文件", "工作表", "行号")
HISTORY_PROGRESS_COLUMNS = ("本周新增大讨论", "本周新增大行动", "较上次变化")
COVERAGE_MARKS = {"covered": "已覆盖", "missing": "未覆盖", "exempted": "已免除", "extra": "已开展（非责任）"}


def progress_rows(report: Report) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    previous = report.previous
    for r in report.rows:
        row: list[Cell] = [r.unit.name, "、".join(r.unit.kinds), r.status, r.facts.discussions, r.facts.actions,
                           r.facts.participants, ids(r.required), ids(r.covered), r.problems_found, r.rectified,
                           r.overdue, len(r.facts.publicity), r.last_filed, len(r.gaps)]
        if previous is not None:
            before = previous.units.get(r.unit.name)
            talks = r.facts.discussions - (before.discussions if before else 0)
            actions = r.facts.actions - (before.actions if before else 0)
            change = status_change(before.status, r.status, talks + actions) if before else "新增单位"
            row += [talks, actions, change]
        rows.append(row)
    return rows


def gap_rows(report: Report) -> list[list[Cell]]:
    return [[g.unit, g.rule, g.level, g.description, g.suggestion, g.deadline, g.days_left]
            for g in report.gaps]


def _coverage(report: Report) -> tuple[list[str], list[list[Cell]]]:
    headers = ["单位名称", "单位类别", *(s.label for s in report.campaign.subthemes)]
    rows: list[list[Cell]] = []
    for r in report.rows:
        marks: list[Cell] = []
        for sub in report.campaign.subthemes:
            done = sub.id in r.facts.covered
            if sub.id in r.exempted:
                marks.append(COVERAGE_MARKS["exempted"])
            elif sub.id in r.required:
                marks.append(COVERAGE_MARKS["covered" if done else "missing"])
            else:
                marks.append(COVERAGE_MARKS["extra"] if done else "")
        rows.append([r.unit.name, "、".join(r.unit.kinds), *marks])
    return headers, rows


def _activities(report: Report) -> Iterator[list[Cell]]:
    return ([a.unit, a.date, a.kind, report.campaign.label(a.subtheme), a.topic, a.place, a.participants,
             a.organizer, "、".join(a.co_units), a.form, a.summary, a.evidence, a.note,
             "是" if a.counted and a.date <= report.as_of else "否", a.not_counted_reason,
             a.source.file, a.source.sheet, a.source.row]
            for unit in sorted(report.intake.adopted) for a in report.intake.adopted[unit].activities)


def _rectifications(report: Report) -> Iterator[list[Cell]]:
    for row in report.rows:
        for r in row.facts.rectifications:
            due: Cell = r.due if r.due and r.due_text not in ("立行立改",) else (r.due_text or None)
            yield [r.unit, r.seq, r.found, r.description, r.measure, r.owner, due, r.status or "未填写", r.done,
                   "是" if is_overdue(r, report.as_of) else "否", r.source.file, r.source.sheet, r.source.row]


def _publicity(report: Report) -> Iterator[list[Cell]]:
    return ([p.unit, p.date, p.platform, p.title, p.link, "是" if p.typical else "否", p.note,
             p.source.file, p.source.sheet, p.source.row]
            for row in report.rows for p in row.facts.publicity)


def problem_rows(problems: Sequence[Problem]) -> list[list[Cell]]:
    return [[p.file, p.sheet, p.cell, p.unit, p.level, p.message, p.hint] for p in problems]


MAX_DATA_ROWS = 1_048_575
"""Excel's 1,048,576 rows less the header: a longer table continues on 活动明细2, 活动明细3 … never truncated."""


def _row_counts(report: Report) -> dict[str, int]:
    adopted = report.intake.adopted.values()
    return {"单位进度": len(report.rows), "子主题覆盖": len(report.rows), "差距清单": len(report.gaps),
            "活动明细": sum(len(s.activities) for s in adopted),
            "问题整改": sum(len(r.facts.rectifications) for r in report.rows),
            "宣传报道": sum(len(r.facts.publicity) for r in report.rows), "数据问题": len(report.problems),
            "文件清单": len(report.intake.files)}


def sheet_parts(counts: dict[str, int]) -> dict[str, list[str]]:
    """Each contract sheet and the numbered continuation sheets its row count needs."""
    parts = {name: [name] for name in SHEETS}
    for name, count in counts.items():
        extra = max(0, -(-count // MAX_DATA_ROWS) - 1)
        parts[name] += [f"{name}{i}" for i in range(2, extra + 2)]
    return parts


def write_supervision_workbook(report: Report, path: Path) -> None:
    """Write the nine sheets in contract order (周趋势 after them once history exists), print-ready.

    xlsxwriter lays the workbook out (总览, header rows, widths, filters, colours, print setup); the
    tables' rows are rendered by pipeline.write.sheetxml and streamed into the file, so a county-sized
    workbook is neither slow nor held in memory.
    """
    chrome = io.BytesIO()
    workbook = open_workbook(chrome, created=report.as_of)
    styles = Styles(workbook)
    ids = StyleIds.of(styles)
    counts = _row_counts(report)
    parts = sheet_parts(counts)
    names = [part for name in SHEETS for part in parts[name]] + ([TREND_SHEET] if report.history else [])
    sheets = {name: workbook.add_worksheet(name) for name in names}
    footer = f"{report.campaign.name}　截至 {report.as_of.isoformat()}"
    split = {name: p for name, p in parts.items() if len(p) > 1}
    write_overview(workbook, sheets["总览"], report, styles, notes=[split_note(name, p) for name, p in split.items()])
    print_setup(sheets["总览"], footer=footer, header_row=None, one_page=True)
    bodies: list[Body] = []
    streams: list[Iterator[Sequence[Cell]]] = []

    def table(name: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]], colour: dict[int, Sequence[str]],
              overdue_col: int | None = None) -> None:
        """Rows stay lazy until the file is written; past MAX_DATA_ROWS they continue on the next numbered sheet."""
        stream = iter(rows)
        sample = list(islice(stream, WIDTH_SAMPLE_ROWS))
        widths = column_widths(headers, sample)
        stream = chain(sample, stream)
        streams.append(stream)
        writer = RowWriter(ids=ids, limits=[MAX_COLUMN_WIDTH] * len(headers))
        remaining = counts[name]
        for part in parts[name]:
            ws, count = sheets[part], min(remaining, MAX_DATA_ROWS)
            remaining -= count
            table_frame(ws, headers=headers, widths=widths, styles=styles, start_row=0, count=count)
            for col, values in colour.items():
                colour_by_value(ws, styles, first_row=1, last_row=count, col=col, values=values)
            if overdue_col is not None:
                colour_rows_where(ws, styles, first_row=1, last_row=count, last_col=len(headers) - 1,
                                  col=overdue_col, value="是", colour="未达标")
            print_setup(ws, footer=footer)
            bodies.append(Body(sheet=part, chunks=writer.chunks(islice(stream, count), first_index=1),
                               last_row=count, last_col=len(headers) - 1))

    progress_headers = (*PROGRESS_COLUMNS, *HISTORY_PROGRESS_COLUMNS) if report.history else PROGRESS_COLUMNS
    table("单位进度", progress_headers, progress_rows(report), {2: STATUSES})
    headers, rows = _coverage(report)
    table("子主题覆盖", headers, rows, {c: ("已覆盖", "未覆盖", "已免除") for c in range(2, len(headers))})
    table("差距清单", GAP_COLUMNS, gap_rows(report), {2: GAP_LEVELS})
    table("活动明细", ACTIVITY_COLUMNS, _activities(report), {})
    table("问题整改", RECT_COLUMNS, _rectifications(report), {}, overdue_col=RECT_COLUMNS.index("是否超期"))
    table("宣传报道", PUBLICITY_COLUMNS, _publicity(report), {})
    table("数据问题", PROBLEM_COLUMNS, problem_rows(report.problems), {4: ("错误", "警告")})
    files: list[list[Cell]] = [[f.file, f.unit, f.result, f.reason, f.activities, f.rectifications, f.publicity,
                                f.sha256] for f in report.intake.files]
    table("文件清单", FILE_COLUMNS, files, {2: FILE_RESULTS})
    if report.history:
        write_trend(workbook, sheets[TREND_SHEET], report, styles)
        print_setup(sheets[TREND_SHEET], footer=footer)
    workbook.close()
    splice(chrome.getvalue(), path, bodies, styles=ids.formats(styles))
    if any(next(stream, None) is not None for stream in streams):
        raise RuntimeError("internal: a table has more rows than counted; refusing to drop them")


def split_note(name: str, parts: Sequence[str]) -> str:
    return f"“{name}”超过 Excel 单表行数上限，已依次分为{'、'.join('“' + p + '”' for p in parts)}，没有删减。"
