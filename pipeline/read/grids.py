"""Workbook bytes → grids of cell values, and the one place where a sheet becomes header-keyed rows.

Headers are found by their labels (any of the first 10 rows, synonyms allowed), never by position,
so title rows, reordered and extra columns, and re-saved files all read the same.
"""

import io
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple

import python_calamine as calamine

from pipeline.config.campaign import Limits
from pipeline.model import Note
from pipeline.read import refusals as R
from pipeline.read.schema import SheetSpec
from pipeline.read.values import compact, is_blank

HEADER_SCAN_ROWS = 10


@dataclass(frozen=True)
class Grid:
    """One sheet's cells from A1 (row 0 is Excel row 1), merged cells filled from their top-left cell."""

    name: str
    rows: list[list[Any]]
    total_rows: frozenset[int] = frozenset()
    """0-based rows that an Excel table marks as its total row (汇总行): never records."""
    formulas: Mapping[tuple[int, int], str] = field(default_factory=dict)
    """(row, column) → text of a formula the file holds without its result, which could not be computed
    (read/formulas.py): the cell reads empty, and is named as a formula rather than as left blank."""


class ReadFailure(Exception):
    """The workbook cannot be opened: `why` is the refusal (encrypted, corrupted or over a limit)."""

    def __init__(self, why: Note) -> None:
        self.why = why
        super().__init__(f"{why.code}: {why.text}")


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """0-based row and column → an A1 reference."""
    return f"{column_letter(col)}{row + 1}"


def _fill_merged(rows: list[list[Any]], merged: list[Any] | None) -> None:
    for (r0, c0), (r1, c1) in merged or []:
        if r0 >= len(rows) or c0 >= len(rows[r0]):
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            for c in range(c0, min(c1, len(rows[r]) - 1) + 1):
                if (r, c) != (r0, c0) and is_blank(rows[r][c]):
                    rows[r][c] = value


def _is_panic(exc: BaseException) -> bool:
    """The Rust reader can panic on malformed input; pyo3 raises that as a BaseException named PanicException."""
    return type(exc).__name__ == "PanicException"


def _raise_if_panic(exc: BaseException, sheet: str) -> None:
    if _is_panic(exc):
        raise ReadFailure(R.corrupted(R.reader_crash(sheet))) from None


def _open_by_extension(data: bytes) -> Any:
    """calamine's content sniffing gives up on encrypted .xls/.ods; opening by extension names the real error.
    That needs a copy in the temporary folder: a copy that cannot be made is the machine's fault, not the file's."""
    ext = ".xls" if data.startswith(b"\xd0\xcf\x11\xe0") else ".ods"
    try:
        handle, name = tempfile.mkstemp(suffix=ext)
    except OSError:
        raise ReadFailure(R.NO_TEMP_COPY) from None
    try:
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
        except OSError:
            raise ReadFailure(R.NO_TEMP_COPY) from None
        return calamine.CalamineWorkbook.from_path(name)
    finally:
        with suppress(OSError):  # held by an antivirus scanner, say: a leftover in the temp folder, not a refusal
            Path(name).unlink(missing_ok=True)


def _open(data: bytes) -> Any:
    try:
        try:
            return calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        except calamine.CalamineError as exc:
            if "detect file format" not in str(exc):
                raise
            return _open_by_extension(data)
    except calamine.PasswordError:
        raise ReadFailure(R.ENCRYPTED) from None
    except (calamine.CalamineError, calamine.ZipError, calamine.XmlError, ValueError, OSError) as exc:
        if "cell limit" in str(exc).lower():
            raise ReadFailure(R.over_limit("max_cells", R.cell_limit(str(exc)))) from None
        raise ReadFailure(R.corrupted(R.calamine_detail(str(exc)))) from None
    except BaseException as exc:
        _raise_if_panic(exc, "")
        raise


_DATE1904 = re.compile(rb"date1904\s*=\s*[\"'](?:1|true)[\"']")


def uses_1904(data: bytes) -> bool:
    """Whether an xlsx counts Excel serial dates from 1904 (Mac Excel); calamine converts formatted dates itself."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return bool(_DATE1904.search(archive.read("xl/workbook.xml")[:100_000]))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return False


class Epoch:
    """Whether a workbook counts serial dates from 1904 (`uses_1904`), looked up the first time a cell holding a
    serial number asks: calamine converts formatted dates itself, so most files are never looked into."""

    __slots__ = ("_data", "_uses_1904")

    def __init__(self, data: bytes = b"") -> None:
        self._data = data
        self._uses_1904: bool | None = None

    def uses_1904(self) -> bool:
        if self._uses_1904 is None:
            self._uses_1904 = uses_1904(self._data)
        return self._uses_1904

    def of(self, raw: Any) -> bool:
        """The `date1904` to read `raw` with: it only matters for a number (values.parse_date)."""
        return isinstance(raw, int | float) and self.uses_1904()


def _check_extent(sheet: str, rows: int, columns: int, limits: Limits) -> None:
    if rows > limits.max_rows:
        raise ReadFailure(R.over_limit("max_rows", f"工作表“{sheet}”有 {rows} 行，上限 {limits.max_rows} 行"))
    if rows * columns > limits.max_cells:
        raise ReadFailure(R.over_limit(
            "max_cells", f"工作表“{sheet}”范围 {rows} 行 × {columns} 列，上限 {limits.max_cells} 个单元格"))


def check_size(sheet: str, rows: list[list[Any]], limits: Limits) -> None:
    """A table read by other means than the workbook reader (HTML, CSV) is held to the same limits."""
    _check_extent(sheet, len(rows), max(map(len, rows), default=0), limits)
    _check_text(rows, sheet, limits.max_cell_chars)


_is_text = str.__instancecheck__


def _check_text(rows: list[list[Any]], sheet: str, limit: int) -> None:
    if max(map(len, filter(_is_text, chain.from_iterable(rows))), default=0) <= limit:
        return  # the usual answer, found without a Python step per cell
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str) and len(value) > limit:
                raise ReadFailure(R.over_limit(
                    "max_cell_chars", f"工作表“{sheet}”{cell_ref(r, c)} 有 {len(value)} 个字符，上限 {limit} 个"))


def read_grids(data: bytes, *, limits: Limits, keep: Callable[[str], bool]) -> list[Grid]:
    """Every sheet of an xlsx/xlsm/xlsb/xls/ods workbook, or ReadFailure saying why not.

    A sheet that cannot be read (a chart sheet, a part the workbook lists but lacks) is skipped
    unless `keep(name)` says it is one the ledger needs. The reader prints its own panic messages on file
    descriptor 2: the caller that shows a terminal to a clerk silences it (pipeline.run).
    """
    workbook = _open(data)
    grids = []
    for name in workbook.sheet_names:
        try:
            sheet = workbook.get_sheet_by_name(name)
            end_row, end_col = sheet.end or (0, 0)
            _check_extent(name, end_row + 1, end_col + 1, limits)
            rows = sheet.to_python(skip_empty_area=False, nrows=limits.max_rows)
            _check_text(rows, name, limits.max_cell_chars)
            _fill_merged(rows, sheet.merged_cell_ranges)
        except ReadFailure:
            raise
        except calamine.WorksheetNotFound:
            if keep(name):
                raise ReadFailure(R.corrupted(R.missing_sheet_part(name))) from None
            continue
        except (calamine.CalamineError, ValueError, OSError) as exc:
            if "cell limit" in str(exc).lower():
                raise ReadFailure(R.over_limit("max_cells", R.cell_limit(str(exc)))) from None
            if keep(name):
                raise ReadFailure(R.corrupted(f"工作表“{name}”{R.calamine_detail(str(exc))}")) from None
            continue
        except BaseException as exc:
            if not _is_panic(exc):
                raise
            if keep(name):
                _raise_if_panic(exc, name)
            continue
        grids.append(Grid(name=name, rows=rows))
    return grids


_REMARK = re.compile(r"[（(【\[<《].*?[）)】\]>》]")


@lru_cache(maxsize=4096, typed=True)
def header_label(raw: Any) -> str:
    """A header cell as a bare label: no spaces, no `*` required marks, no `（必填）` remarks."""
    text = compact(raw)
    text = _REMARK.sub("", text) if not text.startswith(("(", "（")) else text
    return text.strip("*＊:：")


class _Cells:
    """A1 references of one row's cells, computed only when a problem needs one."""

    __slots__ = ("columns", "index")

    def __init__(self, index: int, columns: dict[str, int]) -> None:
        self.index, self.columns = index, columns

    def get(self, column: str) -> str | None:
        col = self.columns.get(column)
        return None if col is None else cell_ref(self.index, col)


class Row(NamedTuple):
    """One data row keyed by template column, with the A1 reference of each of its cells."""

    number: int
    values: dict[str, Any]
    cells: _Cells


@dataclass(frozen=True)
class Table:
    sheet: str
    header_row: int
    columns: dict[str, int]
    grid: Grid

    @property
    def header_cell(self) -> str:
        return cell_ref(self.header_row, min(self.columns.values(), default=0))

    def cell(self, row: int, column: str) -> str:
        """A1 reference of a column in a 0-based row; the header's first cell for an absent column."""
        col = self.columns.get(column)
        return cell_ref(row, col) if col is not None else self.header_cell

    def row_values(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(0-based index, the values of `columns` in their order) of each row below the header but an Excel
        table's total row; a cell beyond a short row's end reads "". Blank rows are left in."""
        cols = tuple(self.columns.values())
        last = max(cols, default=0)
        pick = itemgetter(*cols) if len(cols) > 1 else None  # a tuple only for two or more
        grid, totals = self.grid.rows, self.grid.total_rows
        for index in range(self.header_row + 1, len(grid)):
            if index in totals:
                continue
            raw = grid[index]
            if pick is not None and len(raw) > last:
                yield index, pick(raw)
            else:
                width = len(raw)
                yield index, tuple([raw[col] if col < width else "" for col in cols])

    def rows(self) -> Iterator[Row]:
        names = list(self.columns)
        for index, row in self.row_values():
            values = dict(zip(names, row, strict=True))
            if all(is_blank(v) for v in values.values()):
                continue
            yield Row(index + 1, values, _Cells(index, self.columns))


def match_header(row: list[Any], spec: SheetSpec) -> dict[str, int]:
    """Template columns found in one row (first occurrence wins)."""
    found: dict[str, int] = {}
    for col, name in enumerate(map(spec.labels.get, map(header_label, row))):  # spec.canonical of each cell
        if name and name not in found:
            found[name] = col
    return found


def find_table(grid: Grid, spec: SheetSpec) -> Table | None:
    """The header row among the first rows: the one matching most template columns (at least 3)."""
    best: tuple[int, int, dict[str, int]] | None = None
    for index, row in enumerate(grid.rows[:HEADER_SCAN_ROWS]):
        found = match_header(row, spec)
        score = len(found) + len(set(found) & set(spec.required))
        if len(found) >= 3 and (best is None or score > best[0]):
            best = (score, index, found)
    if best is None:
        return None
    return Table(sheet=grid.name, header_row=best[1], columns=best[2], grid=grid)
