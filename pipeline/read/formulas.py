"""Formulas that a file holds without their results (issue 13 case 7).

Excel, WPS and LibreOffice save each formula's result beside it, and the reader reads those results. Files
written by web tools and scripts often hold the formula alone, so the reader finds the cell empty although
it shows 30 when opened. For an .xlsx/.xlsm such cells are looked for in the sheet XML, only once reading has found a value
missing (read/ledger.py), and simple formulas are computed as Excel would: literals
(`=30`, `="大讨论"`), references to cells of the same workbook (`=基本信息!B5`), `+ - * / &` and `SUM` over
numbers. Any other formula without a result is kept as text in `Grid.formulas`, so the cell is named
("公式没有保存结果") instead of being taken for one the unit left empty.

The XML is read with regular expressions over bytes, as in read/extent.py: no entity is ever expanded.
"""

import datetime as dt
import html
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import replace
from posixpath import dirname
from typing import Any

from pipeline.read.extent import sheet_names
from pipeline.read.grids import Grid

_HAS_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.DOTALL)
_REF = re.compile(rb"\br=\"([A-Z]{1,3})(\d{1,7})\"")
_TYPE = re.compile(rb"\bt=\"(\w+)\"")
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.DOTALL)
_VALUE = re.compile(rb"<(?:\w+:)?v\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?v>)", re.DOTALL)

MAX_DEPTH = 50
"""References followed from one formula to another before giving up (a chain this long is no ledger's)."""
MAX_RANGE = 100_000
"""Cells a SUM may add up."""

_TOKEN = re.compile(r"""\s*(?:
    (?P<num>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+)
  | (?P<str>"(?:[^"]|"")*")
  | (?P<ref>(?:(?:'(?:[^']|'')+'|[^\s!:()+\-*/&,'"=<>^]+)!)?\$?[A-Za-z]{1,3}\$?\d{1,7}
            (?::\$?[A-Za-z]{1,3}\$?\d{1,7})?)(?![\w(])
  | (?P<func>[A-Za-z][A-Za-z0-9.]*)\s*\(
  | (?P<op>[-+*/&(),])
)""", re.VERBOSE)
_A1 = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")


def _column(letters: str) -> int:
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index - 1


def _cells_without_result(xml: bytes) -> Iterator[tuple[int, int, str]]:
    """(0-based row, column, formula text) of each cell with a formula and no saved result. An empty result
    of a string formula (t="str") is a result: Excel writes `=IF(…,"",…)` so."""
    for cell in _CELL.finditer(xml):
        body = cell[2]
        if not body or not _HAS_FORMULA.search(body):
            continue
        value = _VALUE.search(body)
        kind = _TYPE.search(cell[1])
        if value is not None and (value[1] or (kind is not None and kind[1] == b"str")):
            continue
        ref, formula = _REF.search(cell[1]), _FORMULA.search(body)
        if ref is None or formula is None:
            continue
        text = html.unescape((formula[1] or b"").decode("utf-8", "replace"))
        yield int(ref[2]) - 1, _column(ref[1].decode()), text


def formulas_without_results(data: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet name → {(row, column): formula text} of the cells whose formula has no saved result."""
    if not data.startswith(b"PK"):
        return {}
    found: dict[str, dict[tuple[int, int], str]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names: dict[str, str] | None = None
            for info in archive.infolist():
                if dirname(info.filename) != "xl/worksheets" or not info.filename.endswith(".xml"):
                    continue
                xml = archive.read(info)
                if not _HAS_FORMULA.search(xml):
                    continue
                cells = {(r, c): text for r, c, text in _cells_without_result(xml)}
                if cells:
                    names = sheet_names(archive) if names is None else names
                    found[names.get(info.filename, info.filename)] = cells
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
        return {}
    return found


class _Unsupported(Exception):
    """A formula this module does not compute: the cell is named instead."""


def _number(value: Any) -> float:
    if value is None or value == "":
        return 0.0
    if isinstance(value, bool | dt.date | dt.time | dt.timedelta):
        raise _Unsupported
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        raise _Unsupported from None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date | dt.time | dt.timedelta | bool):
        raise _Unsupported
    return str(value)


class _Workbook:
    """The grids and their formulas without results, computed on demand (each at most once)."""

    def __init__(self, grids: list[Grid], pending: dict[str, dict[tuple[int, int], str]]) -> None:
        self.grids = {g.name: g for g in grids}
        self.pending = pending
        self.done: dict[tuple[str, int, int], Any] = {}
        self.failed: set[tuple[str, int, int]] = set()
        self.stack: list[tuple[str, int, int]] = []

    def value(self, sheet: str, row: int, col: int) -> Any:
        key = (sheet, row, col)
        if key in self.done:
            return self.done[key]
        if key in self.failed or key in self.stack or len(self.stack) >= MAX_DEPTH:
            raise _Unsupported
        formula = self.pending.get(sheet, {}).get((row, col))
        if formula is None:
            grid = self.grids.get(sheet)
            if grid is None:
                raise _Unsupported
            rows = grid.rows
            return rows[row][col] if row < len(rows) and col < len(rows[row]) else None
        self.stack.append(key)
        try:
            result = _Parser(formula, sheet, self).result()
        except _Unsupported:
            self.failed.add(key)
            raise
        finally:
            self.stack.pop()
        self.done[key] = result
        return result


class _Parser:
    """Recursive descent over one formula: `&` below `+ -` below `* /` below unary minus and terms."""

    def __init__(self, formula: str, sheet: str, book: _Workbook) -> None:
        self.sheet, self.book = sheet, book
        self.tokens: list[tuple[str, str]] = []
        text = formula.lstrip("=")
        at = 0
        while at < len(text.rstrip()):
            match = _TOKEN.match(text, at)
            if match is None or match.end() == at:
                raise _Unsupported
            kind = match.lastgroup or ""
            self.tokens.append((kind, match[kind]))
            at = match.end()
        self.at = 0

    def result(self) -> Any:
        if not self.tokens:
            raise _Unsupported
        if len(self.tokens) == 1 and self.tokens[0][0] == "ref" and ":" not in self.tokens[0][1]:
            value = self._cell(self.tokens[0][1])      # a plain reference keeps what it points at (a date too)
            return 0 if value is None or value == "" else value
        value = self._concat()
        if self.at != len(self.tokens):
            raise _Unsupported
        return int(value) if isinstance(value, float) and value.is_integer() else value

    def _peek(self) -> tuple[str, str]:
        return self.tokens[self.at] if self.at < len(self.tokens) else ("", "")

    def _take(self) -> tuple[str, str]:
        token = self._peek()
        self.at += 1
        return token

    def _concat(self) -> Any:
        value = self._sum()
        while self._peek() == ("op", "&"):
            self._take()
            value = _text(value) + _text(self._sum())
        return value

    def _sum(self) -> Any:
        value = self._product()
        while self._peek() in (("op", "+"), ("op", "-")):
            sign = self._take()[1]
            right = _number(self._product())
            value = _number(value) + right if sign == "+" else _number(value) - right
        return value

    def _product(self) -> Any:
        value = self._unary()
        while self._peek() in (("op", "*"), ("op", "/")):
            sign = self._take()[1]
            right = _number(self._unary())
            if sign == "/" and right == 0:
                raise _Unsupported
            value = _number(value) * right if sign == "*" else _number(value) / right
        return value

    def _unary(self) -> Any:
        if self._peek() in (("op", "-"), ("op", "+")):
            sign = self._take()[1]
            value = _number(self._unary())
            return -value if sign == "-" else value
        return self._term()

    def _term(self) -> Any:
        kind, text = self._take()
        if kind == "num":
            return float(text)
        if kind == "str":
            return text[1:-1].replace('""', '"')
        if kind == "ref" and ":" not in text:
            return self._cell(text)
        if kind == "func" and text.upper() == "SUM":
            return self._sum_call()
        if (kind, text) == ("op", "("):
            value = self._concat()
            if self._take() != ("op", ")"):
                raise _Unsupported
            return value
        raise _Unsupported

    def _sum_call(self) -> float:
        total = 0.0
        while True:
            kind, text = self._peek()
            if kind == "ref" and ":" in text:
                self._take()
                total += sum(v for v in self._range(text) if isinstance(v, int | float) and not isinstance(v, bool))
            else:
                total += _number(self._concat())
            separator = self._take()
            if separator == ("op", ")"):
                return total
            if separator != ("op", ","):
                raise _Unsupported

    def _split(self, ref: str) -> tuple[str, str]:
        if "!" not in ref:
            return self.sheet, ref
        sheet, cell = ref.rsplit("!", 1)
        return (sheet[1:-1].replace("''", "'") if sheet.startswith("'") else sheet), cell

    def _cell(self, ref: str) -> Any:
        sheet, cell = self._split(ref)
        match = _A1.fullmatch(cell)
        if match is None:
            raise _Unsupported
        return self.book.value(sheet, int(match[2]) - 1, _column(match[1]))

    def _range(self, ref: str) -> Iterator[Any]:
        sheet, cells = self._split(ref)
        first, last = (_A1.fullmatch(part) for part in cells.split(":"))
        if first is None or last is None:
            raise _Unsupported
        r0, r1 = sorted((int(first[2]) - 1, int(last[2]) - 1))
        c0, c1 = sorted((_column(first[1]), _column(last[1])))
        if (r1 - r0 + 1) * (c1 - c0 + 1) > MAX_RANGE:
            raise _Unsupported
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                yield self.book.value(sheet, r, c)


def resolve(grids: list[Grid], pending: dict[str, dict[tuple[int, int], str]]) -> list[Grid]:
    """The grids with each formula of `pending` (formulas_without_results) computed where simple, and the
    others listed in `Grid.formulas` (their cells stay empty)."""
    book = _Workbook(grids, pending)
    out = []
    for grid in grids:
        cells = pending.get(grid.name)
        if not cells:
            out.append(grid)
            continue
        rows = [list(row) for row in grid.rows]
        unresolved: dict[tuple[int, int], str] = {}
        for (r, c), formula in sorted(cells.items()):
            try:
                value = book.value(grid.name, r, c)
            except _Unsupported:
                unresolved[(r, c)] = formula
                continue
            while len(rows) <= r:
                rows.append([])
            if len(rows[r]) <= c:
                rows[r].extend([""] * (c + 1 - len(rows[r])))
            rows[r][c] = value
        out.append(replace(grid, rows=rows, formulas=unresolved))
    return out
