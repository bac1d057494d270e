"""A one-sheet workbook laid out once by xlsxwriter and written again with each unit's cells: the gap lists.

Hundreds of gap lists differ only in their sheet's cells, row heights and footer; xlsxwriter spent about 80 %
of each file on the package around them (styles, theme, properties, relationships, each deflated anew). Here
xlsxwriter writes that package once, with every format the cells use reserved (as the supervision workbook's
spliced rows do, pipeline.write.sheetxml); each unit's cells are taken by a `Grid` through the same calls a
Worksheet takes, rendered as the sheet's rows, and the file is that sheet plus the other parts copied, already
deflated. What this relies on in xlsxwriter is listed, and checked here, in pipeline.write.xlsxwriter_internals.
"""

import datetime as dt
import struct
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name

from pipeline.write.sheetxml import excel_serial, inline_string
from pipeline.write.xlsxwriter_internals import (
    PackageMismatch,
    add_merges,
    check_styles,
    locate,
    open_rows,
    replace_footer,
)

_CONTROL = {c: f"_x{c:04X}_" for c in (*range(0x09), *range(0x0B, 0x20))}
"""Control characters as xlsxwriter writes them in rich text (_xHHHH_)."""
_SECONDS_A_DAY = 86_400


class Grid:
    """A sheet's cells, written as xlsxwriter's Worksheet.write_* take them (text as write_string takes it,
    rich text included: see xlsxwriter_internals 3) and rendered as the sheet's `<row>` elements, text inline.
    `numbers` are the style numbers the package lists for the formats the cells may use."""

    def __init__(self, numbers: Mapping[Format, int]) -> None:
        self._numbers = numbers
        self._cells: dict[int, dict[int, str]] = {}
        self._heights: dict[int, float] = {}
        self._merges: list[str] = []

    def _put(self, row: int, col: int, fmt: Format | None, rest: str) -> None:
        style = 0 if fmt is None else self._number(fmt)
        s = f' s="{style}"' if style else ""
        self._cells.setdefault(row, {})[col] = f'<c r="{xl_col_to_name(col)}{row + 1}"{s}{rest}'

    def _number(self, fmt: Format) -> int:
        try:
            return self._numbers[fmt]
        except KeyError:
            raise ValueError("a format the stencil's styles part does not list") from None

    def write_string(self, row: int, col: int, string: str, cell_format: Format | None = None, /) -> None:
        if string.startswith("<r>") and string.endswith("</r>"):
            content = f"<is>{string.translate(_CONTROL)}</is>"
        else:
            content = inline_string(string)
        self._put(row, col, cell_format, f' t="inlineStr">{content}</c>')

    def write_number(self, row: int, col: int, number: float, cell_format: Format | None = None, /) -> None:
        self._put(row, col, cell_format, f"><v>{number:.16G}</v></c>")

    def write_blank(self, row: int, col: int, blank: Any, cell_format: Format | None = None, /) -> None:
        """A blank cell is kept only for its format, as xlsxwriter keeps it."""
        if cell_format is not None:
            self._put(row, col, cell_format, "/>")

    def write_datetime(self, row: int, col: int, date: dt.datetime, cell_format: Format | None = None,
                       /) -> None:
        """Excel's 1900 day number with the time as its fraction (see sheetxml.excel_serial)."""
        seconds = date.hour * 3600 + date.minute * 60 + date.second + date.microsecond / 1e6
        serial = excel_serial(date.date()) + seconds / _SECONDS_A_DAY
        self.write_number(row, col, serial, cell_format)

    def merge_range(self, first_row: int, first_col: int, last_row: int, last_col: int, data: str,
                    cell_format: Format | None = None, /) -> None:
        """The range as one cell, as xlsxwriter merges it: `data` (text) in its first cell, every cell formatted."""
        for row in range(first_row, last_row + 1):
            for col in range(first_col, last_col + 1):
                self.write_blank(row, col, None, cell_format)
        if data:
            self.write_string(first_row, first_col, data, cell_format)
        self._merges.append(f"{xl_col_to_name(first_col)}{first_row + 1}:{xl_col_to_name(last_col)}{last_row + 1}")

    @property
    def merges(self) -> tuple[str, ...]:
        """The merged ranges, in the order merged."""
        return tuple(self._merges)

    def set_row(self, row: int, height: float | None, /) -> None:
        if height is not None:
            self._heights[row] = height

    @property
    def last_row(self) -> int:
        return max((*self._cells, *self._heights), default=0)

    @property
    def last_col(self) -> int:
        return max((max(cells) for cells in self._cells.values()), default=0)

    def rows(self) -> str:
        out = []
        for row in sorted({*self._cells, *self._heights}):
            height = self._heights.get(row)
            attrs = f' ht="{height:g}" customHeight="1"' if height is not None else ""
            cells = self._cells.get(row, {})
            out.append(f'<row r="{row + 1}"{attrs}>{"".join(cells[c] for c in sorted(cells))}</row>')
        return "".join(out)


@dataclass(frozen=True)
class _Member:
    """A zip member deflated once, with what its headers say of it."""

    name: bytes
    deflated: bytes
    crc: int
    size: int
    external_attr: int

    @classmethod
    def of(cls, info: zipfile.ZipInfo, data: bytes, *, level: int) -> "_Member":
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        deflated = packer.compress(data) + packer.flush()
        return cls(name=info.filename.encode("utf-8"), deflated=deflated, crc=zlib.crc32(data), size=len(data),
                   external_attr=info.external_attr)


_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")
_DOS_1980_01_01 = (0, (0 << 9) | (1 << 5) | 1)
"""Time and date fields of 1980-01-01 00:00, the time xlsxwriter gives every part."""
_UTF8_NAME = 0x800


def _zip(members: Sequence[_Member]) -> bytes:
    """A zip of deflated members (no zip64: a gap list is a few kB). zipfile would deflate every member again."""
    out = BytesIO()
    central = []
    time, date = _DOS_1980_01_01
    for m in members:
        flags = 0 if m.name.isascii() else _UTF8_NAME
        offset = out.tell()
        out.write(_LOCAL.pack(b"PK\x03\x04", 20, flags, zipfile.ZIP_DEFLATED, time, date, m.crc, len(m.deflated),
                              m.size, len(m.name), 0))
        out.write(m.name)
        out.write(m.deflated)
        central.append(_CENTRAL.pack(b"PK\x01\x02", 20, 20, flags, zipfile.ZIP_DEFLATED, time, date, m.crc,
                                     len(m.deflated), m.size, len(m.name), 0, 0, 0, 0, m.external_attr, offset)
                       + m.name)
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    out.write(_END.pack(b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), start, 0))
    return out.getvalue()


class Stencil:
    """`chrome`, a workbook from xlsxwriter whose sheet `sheet` has no cells and the footer `footer` (as
    set_footer took it), written again with other cells and footers. `styles` are the formats the cells may
    use, by the numbers reserved for them before the chrome was closed."""

    def __init__(self, chrome: bytes, *, sheet: str, footer: str, styles: Mapping[int, Format],
                 level: int = 6) -> None:
        with zipfile.ZipFile(BytesIO(chrome)) as source:
            parts = locate(source)
            check_styles(source.read(parts.styles), styles)
            part = parts.worksheets.get(sheet)
            if part not in source.namelist():
                raise PackageMismatch(f"no worksheet part for sheet {sheet!r}")
            infos = source.infolist()
            self._members = [None if info.filename == part else _Member.of(info, source.read(info), level=level)
                             for info in infos]
            self._sheet_info = next(info for info in infos if info.filename == part)
            self._sheet = source.read(part).decode("utf-8")
        self._footer, self._level = footer, level
        replace_footer(open_rows(self._sheet, last_row=0, last_col=0, written=0)[1], was=footer, now=footer)
        self.numbers = {fmt: number for number, fmt in styles.items()}

    def write(self, target: Path, grid: Grid, *, footer: str) -> None:
        head, tail = open_rows(self._sheet, last_row=grid.last_row, last_col=grid.last_col, written=0)
        tail = add_merges(replace_footer(tail, was=self._footer, now=footer), grid.merges)
        sheet = _Member.of(self._sheet_info, f"{head}{grid.rows()}{tail}".encode(), level=self._level)
        target.write_bytes(_zip([m or sheet for m in self._members]))
