"""Header-keyed rows of one ledger sheet → typed records (through the frozen models) plus data problems."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice
from typing import Any, TypeVar, cast

from pipeline.config.campaign import Campaign
from pipeline.config.roster import Roster
from pipeline.model import (
    Activity,
    ActivityKind,
    LedgerTable,
    Note,
    Problem,
    ProblemLevel,
    PublicityItem,
    Rectification,
    SkippedRow,
    Source,
    quick,
)
from pipeline.read import texts as T
from pipeline.read.grids import Row, Table
from pipeline.read.schema import (
    ACTIVITY_KINDS,
    DUE_IMMEDIATE,
    DUE_ONGOING,
    EXAMPLE_MARK,
    KIND_SYNONYMS,
    PLATFORM_SYNONYMS,
    PLATFORMS,
    RECT_STATUSES,
    STATUS_SYNONYMS,
    YES_NO,
    YES_NO_SYNONYMS,
    SheetKind,
    SheetSpec,
)
from pipeline.read.subthemes import SubthemeMatcher
from pipeline.read.values import (
    Invalid,
    clean,
    compact,
    is_blank,
    parse_choice,
    parse_date,
    parse_due,
    read_count,
    shown,
    split_names,
)

V = TypeVar("V")
_Activity, _Rectification, _Publicity = quick(Activity), quick(Rectification), quick(PublicityItem)
_Problem, _Source = quick(Problem), quick(Source)
_BLANK_CODES = frozenset({T.ProblemCode.MISSING_REQUIRED, T.ProblemCode.MISSING_EVIDENCE, T.ProblemCode.STATUS_MISSING,
                          T.ProblemCode.DONE_MISSING})
"""Problems that say a cell was left empty."""
_TOTAL_MARKS = ("合计", "总计", "小计")


@dataclass(frozen=True)
class RowContext:
    campaign: Campaign
    roster: Roster
    unit: str
    file: str
    filed: dt.date | None
    date1904: bool = False

    @cached_property
    def window(self) -> tuple[dt.date, dt.date]:
        return self.campaign.start, self.campaign.deadline

    @cached_property
    def subthemes(self) -> SubthemeMatcher:
        return SubthemeMatcher.of(self.campaign)

    # What the pure cell readers made of each text already met in this ledger: a unit types the same
    # 活动类型, 子主题, 地点, 组织人 and 佐证材料 row after row, and each is read once.
    @cached_property
    def texts(self) -> dict[str, str]:
        return {}

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


class _RowReader:
    """Parses one row's cells, recording a problem at the exact cell for each unusable value."""

    def __init__(self, row: Row, table: Table, ctx: RowContext, spec: SheetSpec, out: TableResult) -> None:
        self.row, self.table, self.ctx, self.spec, self.out = row, table, ctx, spec, out
        self.values = row.values
        self.failed = False
        self.errors: list[str] = []
        self.formulas_named: set[str] = set()

    def formula(self, column: str) -> str | None:
        """The formula a cell holds without a result (read/formulas.py), or None."""
        formulas = self.table.grid.formulas
        col = self.table.columns.get(column)
        return None if not formulas or col is None else formulas.get((self.row.cells.index, col))

    def problem(self, level: ProblemLevel, column: str, note: Note) -> None:
        """Record a problem at the column's cell. A cell that reads empty because its formula has no saved result
        is named as that, not as a value the unit left out."""
        if note.code in _BLANK_CODES and (formula := self.formula(column)) is not None:
            note = T.formula_without_result(formula, T.FORMULA_UNCOUNTED if level == "错误" else T.FORMULA_AS_BLANK)
            self.formulas_named.add(column)
        cell = self.row.cells.get(column) or self.table.header_cell
        self.out.problems.append(_Problem(code=note.code, file=self.ctx.file, sheet=self.table.sheet, cell=cell,
                                         unit=self.ctx.unit, level=level, message=note.text, hint=note.hint))
        if level == "错误":
            self.errors.append(note.text)

    def skip(self, reason: str = "") -> None:
        """Keep the row, as typed, for the detail sheets: it counts for nothing, and says why."""
        cells = tuple((column, shown(value)) for column, value in self.values.items() if not self.blank(column))
        self.out.skipped.append(SkippedRow(source=self.source, unit=self.ctx.unit,
                                           table=cast(LedgerTable, self.spec.name), cells=cells,
                                           reason=reason or "；".join(self.errors)))

    def date(self, column: str) -> dt.date | Invalid:
        return parse_date(self.values.get(column, ""), window=self.ctx.window, date1904=self.ctx.date1904)

    def raw(self, column: str) -> Any:
        return self.values.get(column, "")

    def text(self, column: str) -> str:
        """The cell's `clean` text, worked out once for each text in the ledger."""
        value = self.values.get(column, "")
        if type(value) is not str:
            return clean(value)
        text = self.ctx.texts.get(value)
        if text is None:
            text = self.ctx.texts[value] = clean(value)
        return text

    def compact(self, column: str) -> str:
        text = self.text(column)
        return text.replace(" ", "") if " " in text else text

    def blank(self, column: str) -> bool:
        """`is_blank` of the cell: a text cell is blank exactly when its clean text is empty."""
        value = self.values.get(column, "")
        return not self.text(column) if isinstance(value, str) else value is None

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
        if self.blank(column):
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
        if self.blank(column):
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

    @property
    def source(self) -> Source:
        return _Source(file=self.ctx.file, sheet=self.table.sheet, row=self.row.number)


def _is_total(reader: _RowReader) -> bool:
    return any(isinstance(v, str) and reader.compact(c).startswith(_TOTAL_MARKS)
               for c, v in islice(reader.values.items(), 3))


_PLACEHOLDERS = ("示例", "例如", "样例", "举例", "xxx", "XXX", "××", "…", "某")


def _placeholder(value: Any) -> bool:
    """A value that only shows where something goes: `（示例）`, `XXX`, `某某村`, or punctuation alone."""
    text = compact(value)
    return any(mark in text for mark in _PLACEHOLDERS) or not any(ch.isalnum() for ch in text)


def _check_example(row: Row, spec: SheetSpec, reader: _RowReader) -> None:
    """The 示例 row never counts; warn only when a unit has typed a real-looking record into it: a required
    value that is neither the template's example nor a placeholder."""
    expected = dict(zip(spec.columns, spec.example, strict=True))
    for column in spec.required:
        value, example = row.values.get(column, ""), expected.get(column, "")
        if is_blank(value) or compact(value) == compact(example) or _placeholder(value):
            continue
        if column.endswith("日期") and reader.date(column) == parse_date(example, window=reader.ctx.window):
            continue      # the example's date as a CSV shows it (2026/12/3)
        reader.problem("警告", "序号", T.EXAMPLE_MODIFIED)
        return


def _is_example(seq: Any) -> bool:
    return isinstance(seq, str) and compact(seq).strip("()[]【】").startswith(EXAMPLE_MARK)


def read_table(table: Table, spec: SheetSpec, ctx: RowContext) -> TableResult:
    """Every data row of one ledger sheet, skipping blank rows, 合计 rows and the 示例 row."""
    result = TableResult()
    missing = [c for c in spec.required if c not in table.columns]
    if missing:
        note = T.missing_columns(spec.name, missing)
        result.problems.append(Problem(code=note.code, file=ctx.file, sheet=table.sheet, cell=table.header_cell,
                                       unit=ctx.unit, level="错误", message=note.text, hint=note.hint))
    if any(c not in table.columns for c in spec.essential):
        return result
    seen: dict[tuple[str, ...], int] = {}
    for row in table.rows():
        reader = _RowReader(row, table, ctx, spec, result)
        if _is_example(row.values.get("序号", "")):
            _check_example(row, spec, reader)
            continue
        if _is_total(reader):
            continue
        key = tuple([v.strip() if isinstance(v, str) else v for c, v in row.values.items() if c != "序号"])
        _ROW_PARSERS[spec.kind](reader, seen.setdefault(key, row.number), result)
        reader.name_formulas()
    return result


def _duplicate(reader: _RowReader, duplicate_of: int) -> str:
    """The reason a row repeats an earlier one (with its 警告), or "" when it does not."""
    if duplicate_of != reader.row.number:
        note = T.duplicate_row(duplicate_of)
        reader.problem("警告", "序号", note)
        return note.text
    return ""


def _after_filed(reader: _RowReader, column: str, when: dt.date) -> bool:
    filed = reader.ctx.filed
    if filed is not None and when > filed:
        reader.problem("错误", column, T.after_filed(when, filed))
        return True
    return False


def _window_reason(reader: _RowReader, column: str, when: dt.date) -> str:
    start, deadline = reader.ctx.campaign.start, reader.ctx.campaign.deadline
    if start <= when <= deadline:
        return ""
    note = T.outside_window(when, start, deadline)
    reader.problem("警告", column, note)
    return note.text


def _participants(r: _RowReader) -> int | None:
    count = r.required("参加人数", read_count(r.raw("参加人数")))
    if count is None:
        return None
    if count.value == 0:
        r.problem("错误", "参加人数", T.ZERO_PARTICIPANTS)
        r.failed = True
    elif count.at_least:
        r.problem("警告", "参加人数", T.count_at_least(shown(r.raw("参加人数")), count.value))
    return count.value


def _activity(r: _RowReader, duplicate_of: int, out: TableResult) -> None:
    when = r.required("活动日期", r.date("活动日期"))
    kind = r.required("活动类型", r.choice("活动类型", choices=ACTIVITY_KINDS, synonyms=KIND_SYNONYMS))
    subthemes = r.required("子主题", r.subthemes())
    participants = _participants(r)
    summary = r.required("内容摘要", r.text("内容摘要"))
    if r.failed or when is None or kind is None or subthemes is None or participants is None or summary is None:
        r.skip()
        return
    if _after_filed(r, "活动日期", when):
        r.skip()
        return
    co_units: list[str] = []
    for name in [] if r.blank("协办单位") else split_names(r.raw("协办单位")):
        unit = r.ctx.roster.resolve(name)
        if unit is None:
            r.problem("警告", "协办单位", T.unknown_co_unit(name, r.ctx.roster.closest(name)))
        elif unit.name != r.ctx.unit and unit.name not in co_units:
            co_units.append(unit.name)
    if r.blank("佐证材料"):
        r.problem("警告", "佐证材料", T.EVIDENCE_MISSING)
    reason = _window_reason(r, "活动日期", when) or _duplicate(r, duplicate_of)
    activity_kind: ActivityKind = "大讨论" if kind == "大讨论" else "大行动"
    out.activities.append(_Activity(
        source=r.source, unit=r.ctx.unit, seq=r.text("序号"), date=when, kind=activity_kind, subthemes=subthemes,
        topic=r.text("活动主题"), place=r.text("活动地点"), participants=participants, organizer=r.text("组织人"),
        co_units=tuple(co_units), form=r.text("活动形式"), summary=summary, evidence=r.text("佐证材料"),
        note=r.text("备注"), counted=not reason, not_counted_reason=reason))


def _rectification(r: _RowReader, duplicate_of: int, out: TableResult) -> None:
    description = r.required("问题描述", r.text("问题描述"))
    if description is None:
        r.skip()
        return
    if reason := _duplicate(r, duplicate_of):
        r.skip(reason)
        return
    found = r.optional("发现日期", r.date("发现日期"))
    if found is not None and _after_filed(r, "发现日期", found):
        r.skip()
        return
    parsed_due = parse_due(r.raw("整改时限"), window=r.ctx.window, date1904=r.ctx.date1904)
    due_text = r.text("整改时限")  # "" when blank
    due: dt.date | None = None
    ongoing = parsed_due == DUE_ONGOING
    if parsed_due == DUE_IMMEDIATE:
        due = found
        if found is None:
            r.problem("警告", "整改时限", T.DUE_WITHOUT_FOUND)
    elif isinstance(parsed_due, dt.date):
        due = parsed_due
    elif isinstance(parsed_due, Invalid) and due_text:
        r.problem("警告", "整改时限", T.optional_invalid(parsed_due.message, parsed_due.hint))
        due_text = ""
    if isinstance(parsed_due, str):
        due_text = parsed_due
    status = r.optional("整改状态", r.choice("整改状态", choices=RECT_STATUSES, synonyms=STATUS_SYNONYMS))
    if r.blank("整改状态"):
        r.problem("警告", "整改状态", T.STATUS_MISSING)
    done = r.optional("完成日期", r.date("完成日期"))
    if status == "已整改" and done is None and "完成日期" in r.table.columns:
        r.problem("警告", "完成日期", T.DONE_MISSING)
    typed_status = next((s for s in RECT_STATUSES if s == status), None)
    out.rectifications.append(_Rectification(
        source=r.source, unit=r.ctx.unit, seq=r.text("序号"), found=found, activity_seq=r.text("关联活动序号"),
        description=description, measure=r.text("整改措施"), owner=r.text("责任人"), due=due,
        due_text=due_text, ongoing=ongoing, status=typed_status, done=done, note=r.text("备注")))


def _publicity(r: _RowReader, duplicate_of: int, out: TableResult) -> None:
    when = r.required("发布日期", r.date("发布日期"))
    title = r.required("标题", r.text("标题"))
    platform_raw = r.raw("发布平台")
    platform = r.choice("发布平台", choices=PLATFORMS, synonyms=PLATFORM_SYNONYMS)
    if r.blank("发布平台"):
        r.problem("警告", "发布平台", T.PLATFORM_MISSING)
    if isinstance(platform, Invalid):
        if not r.blank("发布平台"):
            r.problem("警告", "发布平台", T.unknown_platform(shown(platform_raw), platform.hint))
        platform = "其他"
    typical = r.optional("典型案例", r.choice("典型案例", choices=YES_NO, synonyms=YES_NO_SYNONYMS))
    if r.failed or when is None or title is None or _after_filed(r, "发布日期", when):
        r.skip()
        return
    if reason := _window_reason(r, "发布日期", when) or _duplicate(r, duplicate_of):
        r.skip(reason)
        return
    out.publicity.append(_Publicity(
        source=r.source, unit=r.ctx.unit, seq=r.text("序号"), date=when, platform=platform, title=title,
        link=r.text("链接"), typical=typical == "是", note=r.text("备注")))


_ROW_PARSERS: dict[SheetKind, Callable[[_RowReader, int, TableResult], None]] = {
    SheetKind.ACTIVITY: _activity, SheetKind.RECTIFICATION: _rectification, SheetKind.PUBLICITY: _publicity}
