"""Ledgers that are one plain table, not a workbook: web-system exports saved as `.xls` (an HTML table) and
`.csv` files saved from Excel or WPS (GBK or UTF-8, with or without BOM).

Each table becomes a `Grid` read by the same header matching as a sheet, with cell references counted from
the table's first row and column (A1), as Excel shows the file when it opens it. A table is named after the
ledger sheet its header matches best, so problems read `活动台账!G5` like a workbook's. pandas is imported
here, inside the function, so `--help` and runs over ordinary workbooks never pay for importing it.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from pipeline.config.campaign import Limits
from pipeline.read import refusals as R
from pipeline.read.grids import Grid, ReadFailure, check_size, find_table
from pipeline.read.schema import LEDGER_SPECS

_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_-]{2,20})""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_UNNAMED = re.compile(r"^Unnamed: \d+(?:_level_\d+)?$")
_MANGLED = re.compile(r"^(.*)\.(\d+)$")
_DELIMITERS = (",", "\t", ";")
_SNIFF_CHARS = 4096
_CELL_TAG = re.compile(r"<t[dh]\b[^>]*>", re.IGNORECASE)
_SPAN = re.compile(r"\b(colspan|rowspan)\s*=\s*[\"']?\s*(\d{1,9})", re.IGNORECASE)


def decode(data: bytes, *, declared: str = "") -> str:
    """Text of a file from a Chinese PC: a BOM or a declared charset first, else UTF-8, else GB18030 (which
    reads GBK and GB2312). Undecodable bytes never stop the reading: they show as �."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    encodings = [declared.lower()] if declared else []
    for encoding in [*encodings, "utf-8", "gb18030"]:
        if encoding.startswith("gb"):
            encoding = "gb18030"
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("gb18030", "replace")


def _label(value: Any, earlier: Sequence[Any]) -> Any:
    """A header cell as the file has it: pandas names an empty one `Unnamed: 3_level_0` and a repeated one
    `备注.1`; both are undone."""
    if not isinstance(value, str):
        return value
    if _UNNAMED.match(value):
        return ""
    mangled = _MANGLED.match(value)
    return mangled[1] if mangled and mangled[1] in earlier else value


def _header_rows(columns: Any) -> list[list[Any]]:
    """pandas moves a table's leading header rows (<thead>, or rows of <th> only) into its column labels:
    they are put back as the table's first rows, so row numbers stay the table's own."""
    if type(columns).__name__ == "RangeIndex":
        return []
    labels = [label if isinstance(label, tuple) else (label,) for label in columns]
    rows: list[list[Any]] = []
    for level in range(len(labels[0]) if labels else 0):
        row: list[Any] = []
        for label in labels:
            row.append(_label(label[level], row))
        rows.append(row)
    return rows


def _cell(value: Any) -> Any:
    """A value from pandas as a plain Python value (numbers as int or float, everything else as text)."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | float | str):
        return value
    item = getattr(value, "item", None)   # a numpy scalar
    return item() if callable(item) else str(value)


def _check_spans(text: str, limits: Limits) -> None:
    """Refuse before parsing a table whose cells would fill more than the limits once colspan and rowspan are
    spread out (`<td colspan="100000" rowspan="100000">` is a few bytes)."""
    cells = 0
    for tag in _CELL_TAG.finditer(text):
        spans = dict((k.lower(), min(int(v), 10**7)) for k, v in _SPAN.findall(tag[0]))
        cells += max(spans.get("colspan", 1), 1) * max(spans.get("rowspan", 1), 1)
        if cells > limits.max_cells:
            raise ReadFailure(R.over_limit("max_cells", f"网页表格展开合并单元格后超过 {limits.max_cells} 个单元格"))


def read_html_tables(data: bytes, limits: Limits) -> list[list[list[Any]]]:
    """Every <table> of an HTML file as rows of cells (colspan and rowspan filled, as merged cells are)."""
    import lxml.etree
    import pandas as pd

    declared = _CHARSET.search(data[:_SNIFF_CHARS])
    text = _XML_DECLARATION.sub("", decode(data, declared=declared[1].decode() if declared else ""))
    _check_spans(text, limits)
    try:
        frames = pd.read_html(io.StringIO(text), flavor="lxml", header=None, keep_default_na=False,
                              displayed_only=False)
    except ValueError as exc:
        if "No tables found" in str(exc):
            raise ReadFailure(R.not_a_spreadsheet("网页（HTML）文件，但其中没有表格")) from None
        raise ReadFailure(R.corrupted(R.calamine_detail(str(exc)))) from None
    except (lxml.etree.LxmlError, LookupError, TypeError) as exc:
        raise ReadFailure(R.corrupted(R.calamine_detail(str(exc)))) from None
    return [_header_rows(frame.columns) + [[_cell(v) for v in row] for row in frame.itertuples(index=False)]
            for frame in frames]


def _delimiter(text: str) -> str:
    """Excel writes `,` (`;` where the decimal mark is a comma); its 文本文件(制表符分隔) writes tabs."""
    head = text[:_SNIFF_CHARS]
    return max(_DELIMITERS, key=head.count)


def read_csv_table(data: bytes, limits: Limits) -> list[list[Any]]:
    """A CSV file's rows as text cells. The standard library's reader is used rather than pandas.read_csv:
    it keeps every cell as the text the unit typed (no guessing of numbers, leading zeros kept), keeps blank
    lines so row numbers stay those Excel shows, and accepts rows of different lengths (a title row).
    Reading stops at the row limit, so an oversized file is refused without being held whole."""
    text = decode(data)
    rows: list[list[Any]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)):
            rows.append(row)
            if len(rows) > limits.max_rows:
                break
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise ReadFailure(R.over_limit("max_cell_chars", f"第 {len(rows) + 1} 行有一个单元格超过 "
                                                             f"{csv.field_size_limit()} 个字符")) from None
        detail = "含有空字符，可能不是文本文件" if "NUL" in str(exc) else f"第 {len(rows) + 1} 行的引号不成对"
        raise ReadFailure(R.corrupted(f"CSV 格式错误：{detail}")) from None
    return rows


def _named(tables: Iterable[list[list[Any]]], fallback: str) -> list[Grid]:
    """Each table as a grid named after the ledger sheet whose header it matches best (a title row above the
    header is fine); a table matching none, or a sheet already taken, keeps a name of its own."""
    grids: list[Grid] = []
    taken: set[str] = set()
    for number, rows in enumerate(tables, start=1):
        probe = Grid(name="", rows=rows)
        scores = [(len(t.columns) + len(set(t.columns) & set(spec.required)), -i, spec.name)
                  for i, spec in enumerate(LEDGER_SPECS) if (t := find_table(probe, spec))]
        best = max(scores, default=None)
        name = best[2] if best and best[2] not in taken else fallback if number == 1 else f"{fallback}（表{number}）"
        taken.add(name)
        grids.append(Grid(name=name, rows=rows))
    return grids


def read_flat(data: bytes, *, html: bool, name: str, limits: Limits) -> list[Grid]:
    """The tables of an HTML or CSV ledger as grids, or ReadFailure saying why not; `name` (the file's stem)
    names a table that matches no ledger sheet, as Excel names the one sheet of a CSV it opens."""
    tables = read_html_tables(data, limits) if html else [read_csv_table(data, limits)]
    grids = _named(tables, name)
    for grid in grids:
        check_size(grid.name, grid.rows, limits)
    return grids
