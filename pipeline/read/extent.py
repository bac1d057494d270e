"""What the sheet XML of an .xlsx says that the cell reader does not: stray far cells and Excel tables' total rows.

A stray cell far from a sheet's table (a space typed in row 1,048,576) must not make a ledger unreadable.

The reader holds a sheet as a dense grid from A1 to its last cell, so one such cell would cost the memory
of a million rows, and the row limit would refuse the file. For an .xlsx/.xlsm whose sheet claims such an
extent, the sheet XML is scanned before reading: cells cut off from the table by a wide empty band are left
out of what the reader gets, and each one with a value is named in a 警告 (`Stray`). A file whose far
cells are many is not trimmed: it is measured as it is, and refused by the limits if it is over them.
This is done only once the reader has refused a workbook for its size, so ordinary files never pay for it.
"""

import io
import re
import zipfile
import zlib
from bisect import bisect_right
from dataclasses import dataclass
from posixpath import dirname, join, normpath

from pipeline.config.campaign import Limits

EMPTY_ROWS = 1000
"""A band of this many empty rows (or EMPTY_COLUMNS columns) separates a stray cell from the table."""
EMPTY_COLUMNS = 100
MAX_STRAYS = 20
"""More far cells than this are data, not a slip of the hand."""
_HEAD = 4096

_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]{0,3}\d*:?([A-Z]{1,3})(\d+)\"")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/>|>.*?</(?:\w+:)?c>)", re.DOTALL)
_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*?\br=\"(\d{1,7})\"")
_REF = re.compile(rb"\br=\"([A-Z]{1,3})(\d{1,7})\"")
_VALUE = re.compile(rb"<(?:\w+:)?(?:v|is|f)\b")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"[^>]*?\br:id=\"([^\"]*)\"")
_REL = re.compile(rb"<Relationship\b[^>]*>")
_ATTR = re.compile(rb"\b(Id|Target|Type)=\"([^\"]*)\"")
_TABLE = re.compile(rb"<(?:\w+:)?table\b[^>]*>")
_TABLE_ATTR = re.compile(rb"\b(ref|totalsRowCount)=\"([^\"]*)\"")
_RANGE = re.compile(rb"^[A-Z]{1,3}(\d+):[A-Z]{1,3}(\d+)$")


@dataclass(frozen=True)
class Stray:
    """A cell left out of reading: its sheet and A1 reference."""

    sheet: str
    cell: str


def _column(letters: bytes) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ch - 64
    return index


def _claims_too_much(head: bytes, limits: Limits) -> bool:
    match = _DIMENSION.search(head)
    if match is None:
        return True
    rows, columns = int(match[2]), _column(match[1])
    return rows > limits.max_rows or rows * columns > limits.max_cells


def _near(values: list[int], gap: int) -> int:
    """The last of the sorted occupied rows (or columns) before the first band of `gap` empty ones."""
    last = values[0]
    for value in values[1:]:
        if value - last > gap:
            return last
        last = value
    return last


def _trim(xml: bytes) -> tuple[bytes, list[str]] | None:
    """The sheet XML without the cells cut off from its table, and the A1 references of those with a value;
    None when there is nothing to trim or too much to call stray. Rows are looked at first, so a sheet that
    is simply long (a real 100,000-row table) is given up on without listing its cells."""
    rows = sorted({int(r) for r in _ROW.findall(xml)})
    if not rows:
        return None
    far_rows = len(rows) - bisect_right(rows, _near(rows, EMPTY_ROWS))
    dimension = _DIMENSION.search(xml[:_HEAD])
    wide = dimension is None or _column(dimension[1]) > EMPTY_COLUMNS
    if far_rows > MAX_STRAYS or (far_rows == 0 and not wide):
        return None
    cells = []
    for match in _CELL.finditer(xml):
        ref = _REF.search(match[1])
        if ref is not None:
            cells.append((int(ref[2]), _column(ref[1]), match, bool(_VALUE.search(match[2])),
                          (ref[1] + ref[2]).decode()))
    occupied = [(row, col) for row, col, _, valued, _ in cells if valued]
    if not occupied:
        return None
    last_row = _near(sorted({row for row, _ in occupied}), EMPTY_ROWS)
    last_col = _near(sorted({col for _, col in occupied}), EMPTY_COLUMNS)
    far = [(m, valued, ref) for row, col, m, valued, ref in cells if row > last_row or col > last_col]
    strays = [ref for _, valued, ref in far if valued]
    if not far or len(strays) > MAX_STRAYS:
        return None
    kept, start = [], 0
    for match, _, _ in far:
        kept.append(xml[start:match.start()])
        start = match.end()
    kept.append(xml[start:])
    return b"".join(kept), strays


def _relations(archive: zipfile.ZipFile, part: str) -> list[tuple[bytes, bytes, str]]:
    """(Id, Type, target part) of each relationship of a part, targets resolved against the part's folder."""
    folder = dirname(part)
    try:
        rels = archive.read(join(folder, "_rels", part.rsplit("/", 1)[-1] + ".rels"))
    except KeyError:
        return []
    out = []
    for rel in _REL.findall(rels):
        attrs = dict(_ATTR.findall(rel))
        if b"Id" in attrs and b"Target" in attrs:
            target = attrs[b"Target"].decode("utf-8", "replace")
            resolved = target.lstrip("/") if target.startswith("/") else normpath(join(folder, target))
            out.append((attrs[b"Id"], attrs.get(b"Type", b""), resolved))
    return out


def sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → sheet name, from the workbook and its relationships."""
    try:
        workbook = archive.read("xl/workbook.xml")
    except KeyError:
        return {}
    targets = {rid: target for rid, _, target in _relations(archive, "xl/workbook.xml")}
    return {targets[rid]: _unescape(name.decode("utf-8", "replace"))
            for name, rid in _SHEET.findall(workbook) if rid in targets}


def table_total_rows(data: bytes) -> dict[str, frozenset[int]]:
    """Sheet name → the 0-based rows that are an Excel table's total row (汇总行), which are not records.

    Only workbooks with table parts are looked into (their names stand uncompressed in the zip directory);
    any damage means no total rows (the reader names it)."""
    if not data.startswith(b"PK") or b"xl/tables/" not in data:
        return {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if not any(n.startswith("xl/tables/") for n in archive.namelist()):
                return {}
            totals: dict[str, set[int]] = {}
            for part, sheet in sheet_names(archive).items():
                for _, kind, target in _relations(archive, part):
                    if not kind.endswith(b"/table"):
                        continue
                    head = _TABLE.search(archive.read(target)[:_HEAD])
                    attrs = dict(_TABLE_ATTR.findall(head[0])) if head else {}
                    span = _RANGE.match(attrs.get(b"ref", b""))
                    count = int(attrs.get(b"totalsRowCount", b"0") or 0)
                    if span and count > 0:
                        last = int(span[2]) - 1
                        totals.setdefault(sheet, set()).update(range(last - count + 1, last + 1))
            return {sheet: frozenset(rows) for sheet, rows in totals.items()}
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        return {}


def _unescape(text: str) -> str:
    return (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'")
            .replace("&amp;", "&"))


def trim_stray_cells(data: bytes, limits: Limits) -> tuple[bytes, tuple[Stray, ...]]:
    """The workbook as the reader should get it, and the stray cells left out (none: the data as it is).

    Called only for a workbook the limits refused, so ordinary files cost nothing: a sheet is scanned when
    its dimension claims more than the limits, or says nothing."""
    if not data.startswith(b"PK"):
        return data, ()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = [i for i in archive.infolist()
                     if dirname(i.filename) == "xl/worksheets" and i.filename.endswith(".xml")]
            edits: dict[str, bytes] = {}
            strays: list[Stray] = []
            names: dict[str, str] | None = None
            for info in parts:
                with archive.open(info) as stream:
                    if not _claims_too_much(stream.read(_HEAD), limits):
                        continue
                trimmed = _trim(archive.read(info))
                if trimmed is None:
                    continue
                names = sheet_names(archive) if names is None else names
                edits[info.filename] = trimmed[0]
                sheet = names.get(info.filename, info.filename)
                strays += [Stray(sheet=sheet, cell=cell) for cell in trimmed[1]]
            if not edits:
                return data, ()
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
                for info in archive.infolist():
                    copy.writestr(info, edits.get(info.filename) or archive.read(info))
            return out.getvalue(), tuple(strays)
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        return data, ()   # the reader names what is wrong with the file
