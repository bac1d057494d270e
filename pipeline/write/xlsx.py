"""Shared xlsxwriter plumbing: safe workbooks, typed cell writing, and column widths for Chinese text.

Every workbook is opened with string-to-formula/URL/number conversion off, and text that a
spreadsheet would take for a formula carries Excel's quote prefix, so unit text stays text.
"""

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from pipeline.write.xlsxwriter_internals import literal_text

DATE_FORMAT = "yyyy-mm-dd"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""Text starting with one of these would be taken for a formula; it is written with a quote prefix."""
MAX_COLUMN_WIDTH = 50
"""Widest a fitted column gets; longer text wraps."""
WIDTH_SAMPLE_ROWS = 500
"""Column widths are fitted to the first rows; a sheet of 40,000 rows does not need every cell measured."""


@dataclass(frozen=True)
class NotedDate:
    """A date that is not what its column says, shown with why: still a date cell (it sorts with the others,
    SPEC §5), its number format printing `note` after it, e.g. 2026-12-10（未填写，按最晚活动日期）."""

    day: dt.date
    note: str


def noted_format(note: str) -> str:
    """DATE_FORMAT, then the note as literal text (a note holds no quotation mark: it is built in judge/texts)."""
    return f'{DATE_FORMAT}"（{note}）"'


Cell = str | int | float | dt.date | NotedDate | None


def open_workbook(target: Path | BinaryIO, *, created: dt.date, default_font: str = "Calibri") -> xlsxwriter.Workbook:
    """A workbook whose content depends only on what is written (fixed creation time), built in memory.

    Everything xlsxwriter writes here is small; the large tables of the supervision workbook are
    rendered by pipeline.write.sheetxml and spliced in. `default_font` sets the unit of column widths: Arial
    measures the same in Excel, WPS and LibreOffice (which has no Calibri and substitutes a wider font).
    """
    workbook = xlsxwriter.Workbook(target, {
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False, "in_memory": True,
        "default_format_properties": {"font_name": default_font, "font_size": 11},
    })
    workbook.set_properties({"created": dt.datetime.combine(created, dt.time()), "author": "创城台账汇总"})
    return workbook


def display_width(text: str) -> int:
    """Columns a text needs: CJK and full-width characters (3 bytes in UTF-8) count double, ASCII single."""
    return (len(text.encode("utf-8")) + len(text)) // 2


STATUS_COLOURS = {"已达标": ("#C6EFCE", "#006100"), "进行中": ("#F2F2F2", "#000000"), "滞后": ("#FFEB9C", "#9C5700"),
                  "未达标": ("#FFC7CE", "#9C0006"), "未报送": ("#D9D9D9", "#404040")}
LEVEL_COLOURS = {"未达标": STATUS_COLOURS["未达标"], "错误": STATUS_COLOURS["未达标"], "滞后": STATUS_COLOURS["滞后"],
                 "警告": STATUS_COLOURS["滞后"], "待完成": STATUS_COLOURS["进行中"], "提醒": ("#DDEBF7", "#1F4E78"),
                 "未覆盖": STATUS_COLOURS["未达标"], "已覆盖": STATUS_COLOURS["已达标"], "已免除": STATUS_COLOURS["未报送"],
                 "已采用": STATUS_COLOURS["已达标"], "未采用": STATUS_COLOURS["未达标"],
                 "已被新版本替代": STATUS_COLOURS["未报送"], "已忽略": STATUS_COLOURS["未报送"]}


class Styles:
    """The formats one workbook uses, created once."""

    def __init__(self, workbook: xlsxwriter.Workbook) -> None:
        base = {"font_name": "宋体", "font_size": 11, "valign": "top"}
        self.text = workbook.add_format(base)
        self.quoted = workbook.add_format({**base, "quote_prefix": True})
        self.wrap = workbook.add_format({**base, "text_wrap": True})
        self.date = workbook.add_format({**base, "num_format": DATE_FORMAT, "align": "left"})
        self.number = workbook.add_format({**base, "align": "left"})
        self.percent = workbook.add_format({**base, "num_format": "0.0%", "align": "left"})
        self.header = workbook.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1,
                                           "text_wrap": True, "valign": "vcenter", "align": "center"})
        self.title = workbook.add_format({**base, "bold": True, "font_size": 16, "valign": "vcenter"})
        self.bold = workbook.add_format({**base, "bold": True})
        self.label = workbook.add_format({**base, "bold": True, "bg_color": "#F2F2F2", "border": 1})
        self.right = workbook.add_format({**base, "bold": True, "align": "right"})
        self.big = workbook.add_format({**base, "bold": True, "font_size": 14, "align": "left"})
        self._base = base
        self._workbook = workbook
        self._colours: dict[str, Format] = {}
        self._noted: dict[str, Format] = {}

    def noted(self, note: str) -> Format:
        """The format of a NotedDate with this note, made when first used."""
        if note not in self._noted:
            self._noted[note] = self._workbook.add_format({**self._base, "num_format": noted_format(note),
                                                           "align": "left"})
        return self._noted[note]

    def colour(self, name: str) -> Format:
        """The fill and font of a status or level, made when first used (a gap list needs none of them)."""
        if name not in self._colours:
            bg, fg = {**STATUS_COLOURS, **LEVEL_COLOURS}[name]
            self._colours[name] = self._workbook.add_format({"bg_color": bg, "font_color": fg})
        return self._colours[name]


class Cells(Protocol):
    """Where cells are written: an xlsxwriter Worksheet, or a pipeline.write.stencil.Grid that takes the same
    calls for a sheet whose package is laid out once and written again for each unit."""

    def write_string(self, row: int, col: int, string: str, cell_format: Format | None = None, /) -> object: ...

    def write_number(self, row: int, col: int, number: float, cell_format: Format | None = None, /) -> object: ...

    def write_blank(self, row: int, col: int, blank: Any, cell_format: Format | None = None, /) -> object: ...

    def write_datetime(self, row: int, col: int, date: dt.datetime, cell_format: Format | None = None,
                       /) -> object: ...

    def set_row(self, row: int, height: float | None, /) -> object: ...

    def merge_range(self, first_row: int, first_col: int, last_row: int, last_col: int, data: str,
                    cell_format: Format | None = None, /) -> object: ...


def write_cell(ws: Cells, row: int, col: int, value: Cell, styles: Styles, fmt: Format | None = None) -> None:
    """Strings as strings (quote-prefixed when they look like formulas), numbers as numbers, dates as dates."""
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt or styles.text)
    elif isinstance(value, str):
        quoted = value.startswith(FORMULA_START)
        ws.write_string(row, col, literal_text(value), styles.quoted if quoted else (fmt or styles.text))
    elif isinstance(value, bool):
        ws.write_string(row, col, "是" if value else "否", fmt or styles.text)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt or styles.number)
    elif isinstance(value, NotedDate):
        ws.write_datetime(row, col, dt.datetime.combine(value.day, dt.time()), styles.noted(value.note))
    else:
        ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt or styles.date)


def _cell_width(value: Cell) -> int:
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, NotedDate):
        return 10 + display_width(f"（{value.note}）")
    return max((display_width(line) for line in str(value if value is not None else "").splitlines()), default=0)


def column_widths(headers: Sequence[str], sample: Iterable[Sequence[Cell]], *, max_width: int = MAX_COLUMN_WIDTH) -> list[int]:
    """Widths fitted to the header and the sample rows' content, capped at max_width."""
    fitted = [display_width(h) + 2 for h in headers]
    measured: dict[str, int] = {}  # the same unit names, types and file names recur on every row
    for values in sample:
        for col, value in enumerate(values):
            if type(value) is str:
                width = measured.get(value)
                if width is None:
                    width = measured[value] = min(_cell_width(value) + 2, max_width)
            else:
                width = min(_cell_width(value) + 2, max_width)
            if width > fitted[col]:
                fitted[col] = width
    return fitted


_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
"""What str.splitlines splits at."""
LONG_TEXT = 8
"""Text of at most this many characters fits any column; longer text is measured and may wrap."""


def wrap_lines(text: str, limit: int) -> int:
    """Printed lines a long text needs in a column `limit` wide: 1 when it fits (then it does not wrap)."""
    if 2 * len(text) + 1 <= limit:
        return 1
    width = _cell_width(text) if _LINE_BREAK.search(text) else display_width(text)
    return 1 if width + 1 <= limit else -(-width // max(limit - 1, 1))


LINE_POINTS = 17
"""Height of one printed line of 11 pt text in a wrapped cell. Calibri needs 15, but Chinese text is drawn in a CJK
font whose lines are taller (Noto Sans CJK in LibreOffice about 16 pt): at 15 the last line of a long 整改建议 was
cut off on paper."""


def row_height(lines: int) -> int:
    """Points for a row of `lines` printed lines, at most Excel's maximum row height (409 points)."""
    return min(LINE_POINTS * lines, 409)


def write_table(ws: Worksheet, *, headers: Sequence[str], rows: Sequence[Sequence[Cell]], styles: Styles,
                start_row: int = 0, max_width: int = MAX_COLUMN_WIDTH, widths: Sequence[int] | None = None,
                column_formats: dict[int, Format] | None = None, header_tools: bool = True,
                wrap_widths: Sequence[int] | None = None) -> int:
    """A small table (header plus rows from start_row) through xlsxwriter. Columns are fitted to the content
    (up to max_width) unless `widths` are given; longer text wraps and its row is made tall enough to print
    whole (measured against `wrap_widths` where a column holds more than its width says, e.g. in a workbook
    whose width unit is wider than Calibri's, or where text may run on into an empty column). Returns the
    next free row."""
    fitted = widths if widths is not None else column_widths(headers, rows[:WIDTH_SAMPLE_ROWS], max_width=max_width)
    table_frame(ws, headers=headers, widths=fitted, styles=styles, start_row=start_row, count=len(rows),
                header_tools=header_tools)
    return write_rows(ws, rows=rows, styles=styles, start_row=start_row,
                      limits=wrap_widths or widths or [max_width] * len(headers), column_formats=column_formats)


def write_rows(ws: Cells, *, rows: Sequence[Sequence[Cell]], styles: Styles, start_row: int, limits: Sequence[int],
               column_formats: dict[int, Format] | None = None, merged: Mapping[int, int] | None = None) -> int:
    """A table's rows below its header row at `start_row`: text longer than its column's limit wraps and its
    row is made tall enough to print whole; a column in `merged` is one cell with the columns up to the one it
    maps to (its limit is theirs together). Returns the next free row."""
    fixed, spans = column_formats or {}, merged or {}
    for r, values in enumerate(rows, start=start_row + 1):
        lines = 1
        for col, value in enumerate(values):
            fmt = fixed.get(col)
            if isinstance(value, str) and len(value) > LONG_TEXT:
                needed = wrap_lines(value, limits[col])
                if needed > 1:
                    fmt, lines = fmt or styles.wrap, max(lines, needed)
            if col in spans:  # merged blank first, then written over as any cell is (never as a formula)
                ws.merge_range(r, col, r, spans[col], "", fmt or styles.text)
            write_cell(ws, r, col, value, styles, fmt)
        if lines > 1:
            ws.set_row(r, row_height(lines))
    return start_row + len(rows) + 1


def table_frame(ws: Worksheet, *, headers: Sequence[str], widths: Sequence[int], styles: Styles, start_row: int,
                count: int, header_tools: bool = True) -> None:
    """What a table has besides its rows: the header row, column widths and, with header_tools, the header
    frozen and a filter over the `count` rows below it."""
    write_header(ws, headers=headers, styles=styles, row=start_row)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    if header_tools:
        ws.freeze_panes(start_row + 1, 0)
        ws.autofilter(start_row, 0, start_row + max(count, 1), len(headers) - 1)


def write_header(ws: Cells, *, headers: Sequence[str], styles: Styles, row: int) -> None:
    for col, name in enumerate(headers):
        ws.write_string(row, col, name, styles.header)


def write_pairs(ws: Worksheet, *, pairs: Sequence[tuple[str, Any]], styles: Styles, start_row: int,
                fmt: dict[int, Format] | None = None) -> int:
    """Label / value rows (for 总览 and gap-list headers). Returns the next free row."""
    for offset, (label, value) in enumerate(pairs):
        ws.write_string(start_row + offset, 0, label, styles.label)
        write_cell(ws, start_row + offset, 1, value, styles, (fmt or {}).get(offset))
    return start_row + len(pairs)


def safe_filename(name: str, *, taken: set[str], limit: int = 60) -> str:
    """A unit name as a file name that is safe on Windows: no separators or reserved names, capped, unique."""
    cleaned = "".join("_" if ch in '<>:"/\\|?*' or ord(ch) < 32 else ch for ch in name).strip(" .") or "未命名单位"
    stem = cleaned[:limit]
    reserved = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
    if stem.split(".")[0].upper() in reserved:
        stem = f"_{stem}"
    candidate, n = stem, 2
    while candidate.lower() in taken:
        candidate, n = f"{stem}_{n}", n + 1
    taken.add(candidate.lower())
    return candidate


def colour_by_value(ws: Worksheet, styles: Styles, *, first_row: int, last_row: int, col: int,
                    values: Sequence[str]) -> None:
    """Conditional formatting: a cell equal to a status or level gets that status's colour."""
    if last_row < first_row:
        return
    for value in values:
        ws.conditional_format(first_row, col, last_row, col, {
            "type": "cell", "criteria": "equal to", "value": f'"{value}"', "format": styles.colour(value)})


def colour_rows_where(ws: Worksheet, styles: Styles, *, first_row: int, last_row: int, last_col: int, col: int,
                      value: str, colour: str) -> None:
    """Conditional formatting of whole rows whose cell in `col` equals `value` (e.g. 是否超期 = 是)."""
    if last_row < first_row:
        return
    letter = xl_col_to_name(col)
    ws.conditional_format(first_row, 0, last_row, last_col, {
        "type": "formula", "criteria": f'=${letter}{first_row + 1}="{value}"', "format": styles.colour(colour)})


def print_setup(ws: Worksheet, *, footer: str, header_row: int | None = 0, landscape: bool = True,
                one_page: bool = False) -> None:
    """A4, fitted to one page wide (or one page whole), header row repeated, footer with 第 N 页 共 M 页."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    ws.fit_to_pages(1, 1 if one_page else 0)
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    if header_row is not None:
        ws.repeat_rows(header_row)
    ws.set_footer(footer_code(footer))


def footer_code(footer: str) -> str:
    """A footer as Excel's header/footer codes: `footer` on the left, 第 N 页 共 M 页 on the right."""
    return f"&L{footer.replace('&', '&&')}&R第 &P 页 共 &N 页"
