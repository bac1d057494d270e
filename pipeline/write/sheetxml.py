"""Large tables written as worksheet XML directly, then spliced into a workbook xlsxwriter has laid out.

A county's supervision workbook holds over a million cells and xlsxwriter spends about 6 µs on each;
here a row is one formatted string (well under 1 µs a cell). xlsxwriter still writes everything
around the rows: formats, the header row, widths, filters, conditional colours, print setup and
charts. Cell text follows xlsxwriter's own rules (control characters as _xHHHH_, leading or trailing
spaces kept), is always a string cell (never a formula) and carries the quote prefix when it starts
like a formula. What splicing relies on in xlsxwriter beyond its documented API is listed, and checked,
in pipeline.write.xlsxwriter_internals.
"""

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from queue import Queue
from threading import Thread
from typing import Protocol

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name

from pipeline.write.xlsx import FORMULA_START, LONG_TEXT, Cell, NotedDate, Styles, row_height, wrap_lines
from pipeline.write.xlsxwriter_internals import PackageMismatch, check_styles, locate, open_rows, style_number

EXCEL_MAX_CHARS = 32_767
"""Excel keeps at most this many characters in a cell (xlsxwriter cuts longer text the same way)."""

_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$")
"""Text that needs escaping or its spaces kept."""
_ESCAPE_LIKE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")
_EDGE_SPACE = re.compile(r"^\s|\s$")
_EXCEL_EPOCH = dt.date(1899, 12, 31).toordinal()
_CHUNK_ROWS = 2_000
DEFLATE_LEVEL = 3
"""zlib level of the workbook's parts. Its sheet XML deflates about 2.5 times as fast at 3 as at the default 6,
for a file about 9 % larger (a county's 62 MB of sheet XML: 0.20 s and 4.4 MB against 0.51 s and 4.1 MB)."""
PLACE = "\x01"
"""Where a prepared row's number goes: never in rendered text (control characters are written as _xHHHH_)."""
PLACE_BYTE = PLACE.encode()
Prepared = tuple[str, int]
"""A row's cells rendered with PLACE for its number, and the printed lines they need."""
Encoded = tuple[bytes, int]
"""A prepared row as UTF-8, as rows are written (and the detail sheets' rows kept between runs, see
pipeline.write.blocks)."""
_SEEN_PER_COLUMN = 20_000
"""Distinct texts remembered per column; beyond it the memory starts afresh (a text is then rendered again)."""


@dataclass(frozen=True)
class StyleIds:
    """Style numbers of the workbook's cell formats, as its styles part lists them."""

    text: int
    quoted: int
    wrap: int
    date: int
    number: int
    noted: Mapping[str, int] = field(default_factory=dict, repr=False)
    """The number of each NotedDate note's format, reserved after the others, so theirs are the same with or
    without notes (and the detail tables' kept rows, keyed by this object's repr, never use them)."""

    @classmethod
    def of(cls, styles: Styles, *, notes: Iterable[str] = ()) -> "StyleIds":
        """The numbers reserved before any cell uses the formats (see style_number)."""
        return cls(text=style_number(styles.text), quoted=style_number(styles.quoted), wrap=style_number(styles.wrap),
                   date=style_number(styles.date), number=style_number(styles.number),  # in this order, then the notes
                   noted={note: style_number(styles.noted(note)) for note in sorted(set(notes))})

    def formats(self, styles: Styles) -> dict[int, Format]:
        """Each number with its format, for splice to check against the styles part xlsxwriter wrote."""
        return {self.text: styles.text, self.quoted: styles.quoted, self.wrap: styles.wrap, self.date: styles.date,
                self.number: styles.number, **{number: styles.noted(note) for note, number in self.noted.items()}}


def inline_string(value: str) -> str:
    """The `t="inlineStr"` content of a text cell (RowWriter.prepare copies plain text itself, for speed)."""
    if len(value) > EXCEL_MAX_CHARS:
        value = value[:EXCEL_MAX_CHARS]
    if not _SPECIAL.search(value):
        return f"<is><t>{value}</t></is>"
    text = _ESCAPE_LIKE.sub(r"_x005F\1", value)
    text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
    space = ' xml:space="preserve"' if _EDGE_SPACE.search(text) else ""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<is><t{space}>{text}</t></is>"


def excel_serial(day: dt.date) -> int:
    """Excel's 1900 day number (counting its phantom 1900-02-29, as Excel does)."""
    serial = day.toordinal() - _EXCEL_EPOCH
    return serial + 1 if serial > 59 else serial


class RowWriter:
    """Renders table rows: text as text, numbers as numbers, dates as dates, long text wrapped and its row
    made tall enough to print whole (the same layout pipeline.write.xlsx.write_table gives a small table)."""

    def __init__(self, *, ids: StyleIds, limits: Sequence[int]) -> None:
        self.ids, self.limits = ids, list(limits)
        self.refs = [f'<c r="{xl_col_to_name(col)}{PLACE}' for col in range(len(limits))]
        self.seen: list[dict[str, tuple[str, int]]] = [{} for _ in limits]
        self.serials: dict[dt.date, int] = {}
        self.text = f'" s="{ids.text}" t="inlineStr">'
        self.wrap = f'" s="{ids.wrap}" t="inlineStr">'
        self.quoted = f'" s="{ids.quoted}" t="inlineStr">'
        self.number = f'" s="{ids.number}"><v>'
        self.date = f'" s="{ids.date}"><v>'

    def prepare(self, values: Sequence[Cell], *, first_col: int = 0) -> Prepared:
        """The cells of one row (or of its columns from `first_col` on) with PLACE where the row number goes, and
        the printed lines they need: the innermost loop of a county-sized report. Empty values get no cell at
        all, nor do columns a short row does not reach. A text's rendering (its escaping, style and wrapped
        lines) is worked out once per column: the same unit names, types and file names recur on every row."""
        cells: list[str] = []
        lines = 1
        refs, seens, limits = self.refs, self.seen, self.limits
        if first_col:
            refs, seens, limits = refs[first_col:], seens[first_col:], limits[first_col:]
        for ref, seen, limit, value in zip(refs, seens, limits, values, strict=False):
            if type(value) is str:
                known = seen.get(value)
                if known is None:
                    if not value:
                        continue
                    known = seen[value] = self._text(value, limit)
                    if len(seen) > _SEEN_PER_COLUMN:
                        seen.clear()
                cells.append(f"{ref}{known[0]}")
                if known[1] > lines:
                    lines = known[1]
            elif value is None:
                continue
            elif (kind := type(value)) is int or kind is float:
                cells.append(f"{ref}{self.number}{value:.16G}</v></c>")
            elif kind is bool:
                cells.append(f'{ref}{self.text}<is><t>{"是" if value else "否"}</t></is></c>')
            elif isinstance(value, str):
                cells.append(f"{ref}{self._text(value, limit)[0]}")
            elif isinstance(value, int | float):
                cells.append(f"{ref}{self.number}{value:.16G}</v></c>")
            elif isinstance(value, NotedDate):
                cells.append(f'{ref}" s="{self.ids.noted[value.note]}"><v>{excel_serial(value.day)}</v></c>')
            else:
                serial = self.serials.get(value)
                if serial is None:
                    serial = self.serials[value] = excel_serial(value)
                cells.append(f"{ref}{self.date}{serial}</v></c>")
        return "".join(cells), lines

    def encode(self, values: Sequence[Cell]) -> Encoded:
        """A whole row prepared, as UTF-8 (as `chunks` takes it)."""
        text, lines = self.prepare(values)
        return text.encode(), lines

    def _text(self, value: str, limit: int) -> tuple[str, int]:
        """A text cell after its reference: style, content and end tag, and the printed lines it needs."""
        if not value:
            return "", 1
        attrs, lines = self.text, 1
        if len(value) > LONG_TEXT:
            lines = wrap_lines(value, limit)
            if lines > 1:
                attrs = self.wrap
        if value.startswith(FORMULA_START):
            attrs = self.quoted
        if len(value) <= EXCEL_MAX_CHARS and _SPECIAL.search(value) is None:
            return f"{attrs}<is><t>{value}</t></is></c>", lines
        return f"{attrs}{inline_string(value)}</c>", lines

    @staticmethod
    def chunks(rows: Iterable[Encoded], *, first_index: int) -> Iterator[bytes]:
        """Prepared rows finished a few thousand at a time (numbered from `first_index` + 1, their height fitted
        to their lines), so a large table never sits in memory whole."""
        rows = iter(rows)
        start = first_index + 1
        while batch := list(islice(rows, _CHUNK_ROWS)):
            numbers = [b"%d" % n for n in range(start, start + len(batch))]
            yield b"".join([b'<row r="%b"%b>%b</row>' % (
                number, b' ht="%d" customHeight="1"' % row_height(lines) if lines > 1 else b"",
                cells.replace(PLACE_BYTE, number)) for number, (cells, lines) in zip(numbers, batch, strict=True)])
            start += len(batch)


class _Writable(Protocol):
    def write(self, data: bytes, /) -> int: ...


@dataclass(frozen=True)
class Body:
    """The data rows of one worksheet: the sheet's name, the rendered rows in order, and the last cell they
    reach (0-based) for the sheet's dimension."""

    sheet: str
    chunks: Iterable[bytes]
    last_row: int
    last_col: int


def splice(chrome: bytes, target: Path, bodies: Sequence[Body], *, styles: Mapping[int, Format]) -> None:
    """Write `chrome` (a workbook from xlsxwriter whose table sheets hold only their header row) to `target`
    with each body's rows placed after that header row, streaming, in the sheets' order. `styles` are the
    formats the rows refer to, by the numbers reserved for them."""
    with zipfile.ZipFile(io.BytesIO(chrome)) as source:
        parts = locate(source)
        check_styles(source.read(parts.styles), styles)
        members = set(source.namelist())
        by_part: dict[str, Body] = {}
        for each in bodies:
            if parts.worksheets.get(each.sheet) not in members:
                raise PackageMismatch(f"no worksheet part for sheet {each.sheet!r}")
            by_part[parts.worksheets[each.sheet]] = each
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=DEFLATE_LEVEL) as out:
            for info in source.infolist():
                copy = zipfile.ZipInfo(info.filename, info.date_time)
                copy.compress_type, copy.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
                # A ZipInfo made here would be deflated at zlib's default level, not the ZipFile's: zipfile takes
                # the level from this attribute (`compress_level` from Python 3.13, which keeps this name as an alias).
                copy._compresslevel = DEFLATE_LEVEL  # type: ignore[attr-defined]
                body = by_part.get(info.filename)
                if body is None:
                    out.writestr(copy, source.read(info))
                    continue
                head, tail = open_rows(source.read(info).decode("utf-8"), last_row=body.last_row,
                                       last_col=body.last_col)
                big = (body.last_row + 1) * (body.last_col + 1) > 10_000_000
                with out.open(copy, "w", force_zip64=big) as member:
                    _compress_aside(member, chain([head.encode()], body.chunks, [tail.encode()]))


def _compress_aside(member: _Writable, parts: Iterator[bytes]) -> None:
    """Write parts through a second thread: deflating releases the GIL, so compressing overlaps the
    rendering of the next rows. A failed write (disk full) is raised here, after the thread ends."""
    queue: Queue[bytes | None] = Queue(maxsize=8)
    failure: list[BaseException] = []

    def drain() -> None:
        while (part := queue.get()) is not None:
            if not failure:
                try:
                    member.write(part)
                except BaseException as exc:  # handed to the caller below
                    failure.append(exc)

    thread = Thread(target=drain, name="压缩", daemon=True)
    thread.start()
    try:
        for part in parts:
            if failure:
                break
            queue.put(part)
    finally:
        queue.put(None)
        thread.join()
    if failure:
        raise failure[0]
