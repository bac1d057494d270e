"""One ledger file → a `Submission` with its data problems, or a `Refusal` saying why it cannot be used."""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import Any

from pipeline.config.campaign import Campaign, Limits
from pipeline.config.roster import Roster
from pipeline.model import Note, Problem, ProblemLevel, Refusal, Submission
from pipeline.read import texts as T
from pipeline.read.extent import Stray, table_total_rows, trim_stray_cells
from pipeline.read.flat import read_flat
from pipeline.read.formulas import formulas_without_results
from pipeline.read.formulas import resolve as resolve_formulas
from pipeline.read.grids import Grid, ReadFailure, Table, cell_ref, find_table, header_label, read_grids, uses_1904
from pipeline.read.rows import RowContext, read_table
from pipeline.read.schema import (
    ACTIVITY,
    GUIDE_SHEET,
    INFO_LABELS,
    INFO_SHEET,
    INFO_SYNONYMS,
    LEDGER_SPECS,
    SheetKind,
    SheetSpec,
    info_cell,
)
from pipeline.read.sniff import Kind, check_container, sniff
from pipeline.read.texts import ProblemCode, RefusalCode
from pipeline.read.values import clean, compact, parse_date


def _template_cell(label: str) -> str:
    """Where the template keeps a 基本信息 value (column B of the label's row), for problems when it is absent."""
    return info_cell(label)


def _is_ledger_sheet(name: str) -> bool:
    return any(_same_name(name, spec.name) for spec in LEDGER_SPECS) or _same_name(name, INFO_SHEET)


def _same_name(a: str, b: str) -> bool:
    return compact(a) == compact(b)


@dataclass(frozen=True)
class Info:
    """The 基本信息 sheet (None when the file has none), its label → (value, A1 of the value), and label → formula
    of a value whose formula has no saved result (read/formulas.py)."""

    grid: Grid | None
    values: dict[str, tuple[Any, str]]
    formulas: dict[str, str]


def _info(grids: list[Grid]) -> Info:
    """The 基本信息 sheet, by name, else by its labels."""
    labels = {label: label for label in INFO_LABELS}
    labels |= {syn: label for label, syns in INFO_SYNONYMS.items() for syn in syns}
    ordered = sorted(grids, key=lambda g: not _same_name(g.name, INFO_SHEET))
    for grid in ordered:
        found: dict[str, tuple[Any, str]] = {}
        formulas: dict[str, str] = {}
        for r, row in enumerate(grid.rows[:30]):
            for c, raw in enumerate(row[:10]):
                label = labels.get(header_label(raw))
                if label and label not in found:
                    value = row[c + 1] if c + 1 < len(row) else ""
                    found[label] = (value, cell_ref(r, c + 1))
                    if (formula := grid.formulas.get((r, c + 1))) is not None:
                        formulas[label] = formula
        if _same_name(grid.name, INFO_SHEET) or ("单位名称" in found and "填报日期" in found):
            return Info(grid, found, formulas)
    return Info(None, {}, {})


@dataclass(frozen=True)
class HeaderMissing:
    """A sheet with a ledger sheet's template name in which no header row was found."""

    sheet: str


Found = Table | HeaderMissing | None
"""A ledger sheet in a workbook: its table, its named sheet without a header, or nothing at all."""

_CONTINUED = re.compile(r"^[（(]?(?:\d+|续\d*)[)）]?$")


def _continues(name: str, base: str) -> bool:
    """`活动台账 (2)`, `活动台账（续）`, `活动台账续2`: a ledger sheet continued on another (Excel and WPS name a
    copied sheet `名 (2)`)."""
    key, stem = compact(name), compact(base)
    return key != stem and key.startswith(stem) and bool(_CONTINUED.match(key[len(stem):]))


@dataclass(frozen=True)
class Sheets:
    """Where a workbook's ledger is: each kind's sheet, the sheets continuing it, and other sheets that hold a
    ledger header but are not read (named in a 警告, never dropped silently)."""

    tables: dict[SheetKind, Found]
    continued: dict[SheetKind, list[Table | HeaderMissing]]
    unread: list[tuple[str, SheetSpec]]


Owner = Callable[[str], str | None]
"""The roster unit a sheet's name names (`乡妇联活动台账` → 乡妇联), or None."""


def _sheets(grids: list[Grid], info: Grid | None, *, owner: Owner | None = None, unit: str = "") -> Sheets:
    """Each ledger sheet: by its template name first, else the best-matching header elsewhere. Given the
    file's `unit` and an `owner`, a sheet whose name names this unit is preferred, and one whose name names
    another unit is never read as this unit's (it is named in a 警告)."""
    tables: dict[SheetKind, Found] = {}
    continued: dict[SheetKind, list[Table | HeaderMissing]] = {}
    sequels = {spec.kind: [g for g in grids if _continues(g.name, spec.name)] for spec in LEDGER_SPECS}
    used = {info.name} if info else set()
    used |= {g.name for found in sequels.values() for g in found}
    for spec in LEDGER_SPECS:
        named = [g for g in grids if _same_name(g.name, spec.name)]
        others = [g for g in grids if g.name not in used and not _same_name(g.name, spec.name)]
        table = next((t for g in named if (t := find_table(g, spec))), None)
        if table is None and not named:
            owners = {g.name: owner(g.name) if owner else None for g in others}
            candidates = [t for g in others if owners[g.name] in (None, unit) and (t := find_table(g, spec))]
            table = max(candidates, key=lambda t: (owners[t.sheet] == unit, len(t.columns)), default=None)
        if table is not None:
            used.add(table.sheet)
        tables[spec.kind] = HeaderMissing(named[0].name) if table is None and named else table
        continued[spec.kind] = [find_table(g, spec) or HeaderMissing(g.name) for g in sequels[spec.kind]]
    used |= {t.sheet for t in tables.values() if isinstance(t, Table)} | {GUIDE_SHEET}
    unread = [(g.name, ACTIVITY) for g in grids if g.name not in used
              and (t := find_table(g, ACTIVITY)) and set(ACTIVITY.essential) <= set(t.columns)]
    return Sheets(tables=tables, continued=continued, unread=unread)


FLAT_KINDS = {Kind.HTML: "网页表格（HTML）", Kind.CSV: "逗号分隔的文本表格（CSV）"}
"""Files that are one plain table rather than a workbook, as their problems name them."""


def _read_workbook(data: bytes, found: str, limits: Limits) -> tuple[list[Grid], tuple[Stray, ...]] | Note:
    """A workbook's sheets and the stray far cells left out of them, or why it cannot be read."""
    container = check_container(data, limits, workbook=True)
    if container:
        return container
    strays: tuple[Stray, ...] = ()
    try:
        try:
            grids = read_grids(data, limits=limits, keep=_is_ledger_sheet)
        except ReadFailure as failure:
            if failure.why.code is not RefusalCode.OVER_LIMIT:
                raise
            readable, strays = trim_stray_cells(data, limits)
            if not strays:
                raise
            grids = read_grids(readable, limits=limits, keep=_is_ledger_sheet)
    except ReadFailure as failure:
        if PurePosixPath(found).suffix.lower() == ".et" and failure.why.code is RefusalCode.CORRUPTED:
            return T.ET_NOT_XLS
        return failure.why
    totals = table_total_rows(data)
    if totals:
        grids = [replace(g, total_rows=totals.get(g.name, frozenset())) for g in grids]
    return grids, strays


def _read_flat(data: bytes, found: str, kind: Kind, limits: Limits) -> tuple[list[Grid], tuple[Stray, ...]] | Note:
    try:
        return read_flat(data, html=kind is Kind.HTML, name=PurePosixPath(found).stem, limits=limits), ()
    except ReadFailure as failure:
        return failure.why


def _owner(roster: Roster) -> Owner:
    def owner(sheet: str) -> str | None:
        found = roster.from_filename(sheet)
        return found.name if found else None
    return owner


class _Problems:
    def __init__(self, file: str) -> None:
        self.file = file
        self.unit = ""
        self.items: list[Problem] = []

    def add(self, level: ProblemLevel, note: Note, *, sheet: str = "", cell: str = "") -> None:
        self.items.append(Problem(code=note.code, file=self.file, sheet=sheet, cell=cell, unit=self.unit,
                                  level=level, message=note.text, hint=note.hint))


def read_ledger(data: bytes, *, file: str, sha256: str, campaign: Campaign, roster: Roster,
                found: str = "") -> Submission | Refusal:
    """Read one workbook's bytes. Never raises for anything a file can contain.

    `file` is the name every output shows; `found`, when given, the name as found in the inbox, from which
    the extension and the unit a file name names are read (they differ when a repeated name was numbered)."""
    limits = campaign.limits
    found = found or file
    if len(data) > limits.max_file_mb * 2**20:
        return Refusal(file, T.over_limit("max_file_mb", f"文件 {len(data) / 2**20:.1f} MB，上限 {limits.max_file_mb} MB"))
    sniffed = sniff(data, found)
    flat = FLAT_KINDS.get(sniffed.kind, "")
    if sniffed.kind is not Kind.SPREADSHEET and not flat:
        return Refusal(file, sniffed.why or T.not_a_spreadsheet("压缩包"))
    read = _read_flat(data, found, sniffed.kind, limits) if flat else _read_workbook(data, found, limits)
    if isinstance(read, Note):
        return Refusal(file, read)
    grids, strays = read
    job = _Job(file=file, found=found, sha256=sha256, flat=flat, date1904=uses_1904(data))
    outcome = _from_grids(grids, strays, job=job, campaign=campaign, roster=roster)
    if flat or not _left_blank(outcome):
        return outcome
    pending = formulas_without_results(data)
    if not pending:
        return outcome
    return _from_grids(resolve_formulas(grids, pending), strays, job=job, campaign=campaign, roster=roster)


@dataclass(frozen=True)
class _Job:
    """One file being read: `file` as outputs show it, `found` as found (extension and unit in the name),
    `flat` the kind of a one-table file (FLAT_KINDS) or "" for a workbook."""

    file: str
    found: str
    sha256: str
    flat: str
    date1904: bool


_BLANK = frozenset({ProblemCode.MISSING_REQUIRED, ProblemCode.MISSING_EVIDENCE, ProblemCode.STATUS_MISSING,
                    ProblemCode.DONE_MISSING, ProblemCode.FILED_MISSING, ProblemCode.UNIT_FROM_FILENAME})


def _left_blank(outcome: Submission | Refusal) -> bool:
    """Whether reading found a value missing that a formula without a saved result may hold. Only then is the
    sheet XML looked into (read/formulas.py), so files with every value in place never pay for it."""
    if isinstance(outcome, Refusal):
        return outcome.code in (RefusalCode.UNKNOWN_UNIT, RefusalCode.NO_DATES)
    return any(p.code in _BLANK for p in outcome.problems)


def _from_grids(grids: list[Grid], strays: tuple[Stray, ...], *, job: _Job, campaign: Campaign,
                roster: Roster) -> Submission | Refusal:
    """A unit's submission from the sheets of its file."""
    file, found, flat = job.file, job.found, job.flat
    about = _info(grids)
    info_grid, info = about.grid, about.values
    sheets = _sheets(grids, info_grid)
    tables = sheets.tables
    if info_grid is None and not any(isinstance(t, Table) for t in tables.values()):
        return Refusal(file, T.flat_not_template(flat) if flat else T.not_template([g.name for g in grids]))

    problems = _Problems(file)
    info_sheet = info_grid.name if info_grid else INFO_SHEET
    named = clean(info.get("单位名称", ("", ""))[0])
    stem = PurePosixPath(found).stem
    file_unit = roster.from_filename(stem)
    unit = roster.resolve(named) if named else file_unit
    if unit is None:
        guess = (roster.near(named) if named else None) or file_unit or roster.near(stem)
        why = T.unknown_unit(named, roster.closest(named or stem), guess=guess.name if guess else "")
        return Refusal(file, why, unit=guess.name if guess else "")
    problems.unit = unit.name
    if any(roster.from_filename(g.name) is not None for g in grids):
        sheets = _sheets(grids, info_grid, owner=_owner(roster), unit=unit.name)
        tables = sheets.tables
    for stray in strays:
        problems.add("警告", T.STRAY_CELL, sheet=stray.sheet, cell=stray.cell)
    name_cell = info.get("单位名称", ("", _template_cell("单位名称")))[1]
    if info_grid is None:
        problems.add("错误", T.info_sheet_missing(unit.name, flat=flat), sheet=INFO_SHEET)
    elif not named and "单位名称" in about.formulas:
        problems.add("警告", T.formula_without_result(about.formulas["单位名称"], T.formula_unit(unit.name)),
                     sheet=info_sheet, cell=name_cell)
    elif not named:
        problems.add("警告", T.unit_from_filename(unit.name), sheet=info_sheet, cell=name_cell)
    elif file_unit is not None and file_unit.name != unit.name:
        problems.add("警告", T.unit_name_conflict(unit.name, file_unit.name), sheet=info_sheet, cell=name_cell)

    window = (campaign.start, campaign.deadline)
    filed_raw, filed_cell = info.get("填报日期", ("", _template_cell("填报日期")))
    date1904 = job.date1904
    filed_value = parse_date(filed_raw, window=window, date1904=date1904) if clean(filed_raw) else None
    filed = filed_value if isinstance(filed_value, dt.date) else None
    if filed is None and info_grid is not None:
        formula = about.formulas.get("填报日期")
        note = T.FILED_MISSING if formula is None else T.formula_without_result(formula, T.FORMULA_FILED)
        problems.add("错误", note, sheet=info_sheet, cell=filed_cell)

    context = RowContext(campaign=campaign, roster=roster, unit=unit.name, file=file, filed=filed, date1904=date1904)
    activities, rects, publicity, skipped = [], [], [], []
    for spec in LEDGER_SPECS:
        table = tables[spec.kind]
        if not isinstance(table, Table):
            _missing_table(problems, spec, table, unit_is_publicity=roster.is_publicity_unit(unit), flat=flat)
        for part in ([table] if isinstance(table, Table) else []) + sheets.continued[spec.kind]:
            if isinstance(part, HeaderMissing):
                problems.add("错误", T.header_not_found(part.sheet), sheet=part.sheet, cell="A1")
                continue
            result = read_table(part, spec, context)
            problems.items.extend(result.problems)
            activities.extend(result.activities)
            rects.extend(result.rectifications)
            publicity.extend(result.publicity)
            skipped.extend(result.skipped)
    for sheet, spec in sheets.unread:
        other = roster.from_filename(sheet)
        owner = other.name if other is not None and other.name != unit.name else ""
        problems.add("警告", T.unread_ledger(sheet, spec.name, owner=owner), sheet=sheet, cell="A1")

    dated = [a.date for a in activities] + [p.date for p in publicity] + [r.found for r in rects if r.found]
    effective = filed or max(dated, default=None)
    if effective is None:
        return Refusal(file, T.NO_DATES, unit=unit.name)
    return Submission(
        file=file, sha256=job.sha256, unit=unit.name, filed=filed, effective_date=effective,
        filed_at=f"{info_sheet}!{filed_cell}" if info_grid is not None else "",
        reporter=clean(info.get("填报人", ("", ""))[0]), phone=clean(info.get("联系电话", ("", ""))[0]),
        template_version=clean(info.get("模板版本", ("", ""))[0]),
        activities=tuple(activities), rectifications=tuple(rects), publicity=tuple(publicity),
        skipped=tuple(skipped), problems=tuple(problems.items),
    )


def _missing_table(problems: _Problems, spec: SheetSpec, found: HeaderMissing | None, *,
                   unit_is_publicity: bool, flat: str) -> None:
    level: ProblemLevel = "警告" if spec.kind is SheetKind.PUBLICITY and not unit_is_publicity else "错误"
    if found is None:
        problems.add(level, T.flat_sheet_missing(flat, spec.name) if flat else T.sheet_missing(spec.name),
                     sheet=spec.name)
    else:
        problems.add(level, T.header_not_found(spec.name), sheet=found.sheet, cell="A1")


