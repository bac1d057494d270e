"""The supervision workbook 督查汇总表_D.xlsx (SPEC §5): sheet and column names are contract."""

import io
from collections.abc import Mapping, Sequence
from itertools import chain, islice
from pathlib import Path

from xlsxwriter.worksheet import Worksheet

from pipeline.judge.report import Report
from pipeline.write.blocks import Blocks, prepared_rows
from pipeline.write.overview import write_overview
from pipeline.write.sheetxml import Body, RowWriter, StyleIds, splice
from pipeline.write.tables import TableSource, notes, table_sources
from pipeline.write.trend import TREND_SHEET, write_trend
from pipeline.write.xlsx import (
    MAX_COLUMN_WIDTH,
    WIDTH_SAMPLE_ROWS,
    Styles,
    colour_by_value,
    colour_rows_where,
    column_widths,
    open_workbook,
    print_setup,
    table_frame,
)

SHEETS = ("总览", "单位进度", "子主题覆盖", "差距清单", "活动明细", "问题整改", "宣传报道", "数据问题", "文件清单")

MAX_DATA_ROWS = 1_048_575
"""Excel's 1,048,576 rows less the header: a longer table continues on 活动明细2, 活动明细3 … never truncated."""


def sheet_parts(counts: Mapping[str, int]) -> dict[str, list[str]]:
    """Each contract sheet and the numbered continuation sheets its row count needs."""
    parts = {name: [name] for name in SHEETS}
    for name, count in counts.items():
        extra = max(0, -(-count // MAX_DATA_ROWS) - 1)
        parts[name] += [f"{name}{i}" for i in range(2, extra + 2)]
    return parts


def write_supervision_workbook(report: Report, path: Path, *, blocks: Blocks | None = None) -> None:
    """Write the nine sheets in contract order (周趋势 after them once history exists), print-ready.

    xlsxwriter lays the workbook out (总览, header rows, widths, filters, colours, print setup); the
    tables' rows are rendered by pipeline.write.sheetxml and streamed into the file, so a county-sized
    workbook is neither slow nor held in memory. The detail sheets' rows come from `blocks` for the ledgers
    a previous run rendered (pipeline.write.blocks), and the ones rendered now are kept there.
    """
    chrome = io.BytesIO()
    workbook = open_workbook(chrome, created=report.as_of)
    styles = Styles(workbook)
    ids = StyleIds.of(styles, notes=notes(report))
    tables = table_sources(report)
    parts = sheet_parts({t.name: t.count for t in tables})
    names = [part for name in SHEETS for part in parts[name]] + ([TREND_SHEET] if report.history else [])
    sheets = {name: workbook.add_worksheet(name) for name in names}
    footer = f"{report.campaign.name}　截至 {report.as_of.isoformat()}"
    split = {name: p for name, p in parts.items() if len(p) > 1}
    write_overview(workbook, sheets["总览"], report, styles, notes=[split_note(name, p) for name, p in split.items()])
    print_setup(sheets["总览"], footer=footer, header_row=None)
    bodies = [body for t in tables
              for body in _table(t, [sheets[part] for part in parts[t.name]], styles=styles, ids=ids, footer=footer,
                              blocks=blocks)]
    if report.history:
        write_trend(workbook, sheets[TREND_SHEET], report, styles)
        print_setup(sheets[TREND_SHEET], footer=footer)
    workbook.close()
    splice(chrome.getvalue(), path, bodies, styles=ids.formats(styles))


def _table(source: TableSource, sheets: Sequence[Worksheet], *, styles: Styles, ids: StyleIds,
           footer: str, blocks: Blocks | None) -> list[Body]:
    """Lay out a table's sheets now (the contract sheet, then as many continuation sheets as its count
    needs, MAX_DATA_ROWS each); its rows stay lazy until the file is written."""
    headers = source.headers
    limits = [MAX_COLUMN_WIDTH] * len(headers)
    writer = RowWriter(ids=ids, limits=limits)
    sample = list(islice(source.rows, WIDTH_SAMPLE_ROWS))
    widths = column_widths(headers, chain(sample, source.fit))
    rows = (map(writer.encode, chain(sample, source.rows)) if source.detail is None
            else prepared_rows(source.detail, writer=writer, blocks=blocks, salt=f"{source.name}|{ids}|{limits}"))
    bodies: list[Body] = []
    remaining = source.count
    for ws in sheets:
        count = min(remaining, MAX_DATA_ROWS)
        remaining -= count
        table_frame(ws, headers=headers, widths=widths, styles=styles, start_row=0, count=count)
        for col, values in source.colour.items():
            colour_by_value(ws, styles, first_row=1, last_row=count, col=col, values=values)
        if source.overdue_col is not None:
            colour_rows_where(ws, styles, first_row=1, last_row=count, last_col=len(headers) - 1,
                              col=source.overdue_col, value="是", colour="未达标")
        print_setup(ws, footer=footer)
        bodies.append(Body(sheet=ws.get_name(), chunks=writer.chunks(islice(rows, count), first_index=1),
                           last_row=count, last_col=len(headers) - 1))
    return bodies


def split_note(name: str, parts: Sequence[str]) -> str:
    return f"“{name}”超过 Excel 单表行数上限，已依次分为{'、'.join('“' + p + '”' for p in parts)}，没有删减。"
