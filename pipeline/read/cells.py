"""One data row of a ledger sheet as the row parsers (read/rows.py) read it: each cell's raw value and clean
text, and the problems recorded at its exact cell."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import chain
from typing import Any, TypeVar, cast

from pipeline.config.campaign import Campaign
from pipeline.config.roster import Roster
from pipeline.model import (
    Activity,
    LedgerTable,
    Note,
    Problem,
    ProblemLevel,
    PublicityItem,
    Rectification,
    SkippedRow,
)
from pipeline.read import texts as T
from pipeline.read.grids import Epoch, Table, cell_ref
from pipeline.read.schema import SheetSpec
from pipeline.read.subthemes import SubthemeMatcher
from pipeline.read.values import Invalid, clean, parse_choice, parse_date, parse_due, shown
from pipeline.records import quick

V = TypeVar("V")
_Problem = quick(Problem)
_BLANK_CODES = frozenset({T.ProblemCode.MISSING_REQUIRED, T.ProblemCode.MISSING_EVIDENCE, T.ProblemCode.STATUS_MISSING,
                          T.ProblemCode.DONE_MISSING})
"""Problems that say a cell was left empty."""


class _Cleaned(dict[Any, str]):
    """Cell value → its `clean` text, each worked out the first time it is met. Keyed by the value alone,
    which is exact for every kind of cell but a bool, equal to 1 or 0 (1 == 1.0 == True) with another clean
    text: a table holding one is read through `_clean_exactly`."""

    def __missing__(self, raw: Any) -> str:
        text = self[raw] = clean(raw)
        return text


class _Stripped(dict[Any, Any]):
    """Cell value → the value with its text's ends stripped, as the duplicate-row check compares them (a bool
    standing in for an equal number here compares the same)."""

    def __missing__(self, raw: Any) -> Any:
        value = self[raw] = raw.strip() if isinstance(raw, str) else raw
        return value


_is_bool = bool.__instancecheck__


@lru_cache(maxsize=4)
def _known_texts(start: dt.date, deadline: dt.date) -> dict[Any, str]:
    """The clean text of the numbers and dates most cells hold (序号, 参加人数, dates around the campaign's),
    which every ledger would otherwise work out again: each ledger's memo starts as a copy."""
    days = (deadline - start).days + 2 * _DATE_MARGIN
    first = start - dt.timedelta(days=_DATE_MARGIN)
    dates = [first + dt.timedelta(days=n) for n in range(days + 1)]
    return {raw: clean(raw) for raw in [*map(float, range(_KNOWN_NUMBERS)), *dates]}


_KNOWN_NUMBERS = 1000
_DATE_MARGIN = 62


@dataclass(frozen=True)
class RowContext:
    campaign: Campaign
    roster: Roster
    unit: str
    file: str
    filed: dt.date | None
    epoch: Epoch = field(default_factory=Epoch)

    @cached_property
    def window(self) -> tuple[dt.date, dt.date]:
        return self.campaign.start, self.campaign.deadline

    @cached_property
    def subthemes(self) -> SubthemeMatcher:
        return SubthemeMatcher.of(self.campaign)

    # What the pure cell readers made of each value already met in this ledger: a unit types the same
    # 活动类型, 子主题, 地点, 组织人 and 佐证材料 row after row, and each is read once.
    @cached_property
    def texts(self) -> _Cleaned:
        return _Cleaned(_known_texts(*self.window))

    @cached_property
    def stripped(self) -> _Stripped:
        return _Stripped()

    def cleaner(self, table: Table) -> Callable[[Any], str]:
        """`clean` of a cell of the table: a look-up in `texts` unless the table holds a bool."""
        if not any(map(_is_bool, chain.from_iterable(table.grid.rows[table.header_row + 1:]))):
            return self.texts.__getitem__
        texts = self.texts

        def clean_exactly(raw: Any) -> str:
            return texts[raw] if type(raw) is str else clean(raw)
        return clean_exactly

    @cached_property
    def choices(self) -> dict[tuple[str, str], str | Invalid]:
        return {}

    @cached_property
    def subtheme_cells(self) -> dict[str, tuple[int, ...] | Invalid]:
        return {}


@dataclass
class TableResult:
    activities: list[Activity] = field(default_factory=list)
    rectifications: list[Rectification] = field(default_factory=list)
    publicity: list[PublicityItem] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class RowReader:
    """Parses one row's cells, recording a problem at the exact cell for each unusable value.

    `values` holds the raw value of each column the table has; `texts` the `clean` text of every column of
    the sheet ("" for one the table lacks), so that `text(column)` is a dictionary look-up. A cell is blank
    exactly when its clean text is empty (tests/test_fastpaths.py holds `is_blank` to that)."""

    __slots__ = ("ctx", "errors", "failed", "formulas_named", "index", "number", "out", "spec", "table", "text",
                 "texts", "values")

    def __init__(self, index: int, values: dict[str, Any], texts: dict[str, str], table: Table, ctx: RowContext,
                 spec: SheetSpec, out: TableResult) -> None:
        self.index, self.number, self.values, self.texts = index, index + 1, values, texts
        self.table, self.ctx, self.spec, self.out = table, ctx, spec, out
        self.text = texts.__getitem__
        """The cell's `clean` text."""
        self.failed = False
        self.errors: list[str] = []
        self.formulas_named: set[str] = set()

    def formula(self, column: str) -> str | None:
        """The formula a cell holds without a result (read/formulas.py), or None."""
        formulas = self.table.grid.formulas
        col = self.table.columns.get(column)
        return None if not formulas or col is None else formulas.get((self.index, col))

    def cell(self, column: str) -> str:
        """The column's A1 reference in this row; the header's first cell for a column the table lacks."""
        col = self.table.columns.get(column)
        return self.table.header_cell if col is None else cell_ref(self.index, col)

    def problem(self, level: ProblemLevel, column: str, note: Note) -> None:
        """Record a problem at the column's cell. A cell that reads empty because its formula has no saved result
        is named as that, not as a value the unit left out."""
        if note.code in _BLANK_CODES and (formula := self.formula(column)) is not None:
            note = T.formula_without_result(formula, T.FORMULA_UNCOUNTED if level == "错误" else T.FORMULA_AS_BLANK)
            self.formulas_named.add(column)
        self.out.problems.append(_Problem(code=note.code, file=self.ctx.file, sheet=self.table.sheet,
                                         cell=self.cell(column), unit=self.ctx.unit, level=level, message=note.text,
                                         hint=note.hint))
        if level == "错误":
            self.errors.append(note.text)

    def skip(self, reason: str = "") -> None:
        """Keep the row, as typed, for the detail sheets: it counts for nothing, and says why."""
        cells = tuple((column, shown(value)) for column, value in self.values.items() if not self.blank(column))
        self.out.skipped.append(SkippedRow(file=self.ctx.file, sheet=self.table.sheet, row=self.number,
                                           unit=self.ctx.unit, table=cast(LedgerTable, self.spec.name), cells=cells,
                                           reason=reason or "；".join(self.errors)))

    def date(self, column: str) -> dt.date | Invalid:
        raw = self.values.get(column, "")
        if type(raw) is dt.date:
            return raw  # what parse_date makes of it
        return parse_date(raw, window=self.ctx.window, date1904=self.ctx.epoch.of(raw))

    def due(self, column: str) -> dt.date | str | Invalid:
        raw = self.values.get(column, "")
        return parse_due(raw, window=self.ctx.window, date1904=self.ctx.epoch.of(raw))

    def raw(self, column: str) -> Any:
        return self.values.get(column, "")

    def compact(self, column: str) -> str:
        text = self.texts[column]
        return text.replace(" ", "") if " " in text else text

    def blank(self, column: str) -> bool:
        """`is_blank` of the cell."""
        return not self.texts[column]

    def choice(self, column: str, *, choices: tuple[str, ...], synonyms: dict[str, str]) -> str | Invalid:
        """`parse_choice` of the cell (its message names the column), once for each text in the ledger."""
        value = self.values.get(column, "")
        if type(value) is not str:
            return parse_choice(value, choices=choices, synonyms=synonyms, field=column)
        found = self.ctx.choices.get((column, value))
        if found is None:
            found = self.ctx.choices[column, value] = parse_choice(value, choices=choices, synonyms=synonyms,
                                                                   field=column)
        return found

    def subthemes(self) -> tuple[int, ...] | Invalid:
        """The sub-themes the 子主题 cell names, once for each text in the ledger."""
        value = self.values.get("子主题", "")
        if type(value) is not str:
            return self.ctx.subthemes.parse(value)
        found = self.ctx.subtheme_cells.get(value)
        if found is None:
            found = self.ctx.subtheme_cells[value] = self.ctx.subthemes.parse(value)
        return found

    def required(self, column: str, parsed: V | Invalid) -> V | None:
        """A required value: blank or invalid makes the row an 错误 that does not count."""
        if not self.texts[column]:
            self.problem("错误", column, T.required_missing(column))
            self.failed = True
            return None
        if isinstance(parsed, Invalid):
            self.problem("错误", column, T.invalid_counted(parsed.message, parsed.hint))
            self.failed = True
            return None
        return parsed

    def optional(self, column: str, parsed: V | Invalid) -> V | None:
        """An optional value: blank is fine, invalid is a 警告 and reads as blank."""
        if not self.texts[column]:
            return None
        if isinstance(parsed, Invalid):
            self.problem("警告", column, T.optional_invalid(parsed.message, parsed.hint))
            return None
        return parsed

    def name_formulas(self) -> None:
        """Every other cell of the row whose formula has no result, in a 警告: no value is dropped unsaid."""
        if not self.table.grid.formulas:
            return
        for column in self.table.columns:
            if column not in self.formulas_named and (formula := self.formula(column)) is not None:
                self.problem("警告", column, T.formula_without_result(formula, T.FORMULA_AS_BLANK))

