"""One ledger file → a `Submission` with its data problems, or a `Refusal` saying why it cannot be used."""

import datetime as dt
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from pipeline.config.campaign import Campaign
from pipeline.config.roster import Roster
from pipeline.model import Note, Problem, ProblemLevel, Refusal, Submission
from pipeline.read import texts as T
from pipeline.read.grids import Grid, ReadFailure, Table, cell_ref, find_table, header_label, read_grids, uses_1904
from pipeline.read.rows import RowContext, read_table
from pipeline.read.schema import (
    INFO_LABELS,
    INFO_SHEET,
    INFO_SYNONYMS,
    LEDGER_SPECS,
    SheetKind,
    SheetSpec,
    info_cell,
)
from pipeline.read.sniff import Kind, check_container, sniff
from pipeline.read.texts import RefusalCode
from pipeline.read.values import clean, compact, parse_date


def _template_cell(label: str) -> str:
    """Where the template keeps a 基本信息 value (column B of the label's row), for problems when it is absent."""
    return info_cell(label)


def _is_ledger_sheet(name: str) -> bool:
    return any(_same_name(name, spec.name) for spec in LEDGER_SPECS) or _same_name(name, INFO_SHEET)


def _same_name(a: str, b: str) -> bool:
    return compact(a) == compact(b)


def _info(grids: list[Grid]) -> tuple[Grid | None, dict[str, tuple[Any, str]]]:
    """The 基本信息 sheet (by name, else by its labels) and its label → (value, A1 of the value)."""
    labels = {label: label for label in INFO_LABELS}
    labels |= {syn: label for label, syns in INFO_SYNONYMS.items() for syn in syns}
    ordered = sorted(grids, key=lambda g: not _same_name(g.name, INFO_SHEET))
    for grid in ordered:
        found: dict[str, tuple[Any, str]] = {}
        for r, row in enumerate(grid.rows[:30]):
            for c, raw in enumerate(row[:10]):
                label = labels.get(header_label(raw))
                if label and label not in found:
                    value = row[c + 1] if c + 1 < len(row) else ""
                    found[label] = (value, cell_ref(r, c + 1))
        if _same_name(grid.name, INFO_SHEET) or ("单位名称" in found and "填报日期" in found):
            return grid, found
    return None, {}


@dataclass(frozen=True)
class HeaderMissing:
    """A sheet with a ledger sheet's template name in which no header row was found."""

    sheet: str


Found = Table | HeaderMissing | None
"""A ledger sheet in a workbook: its table, its named sheet without a header, or nothing at all."""


def _tables(grids: list[Grid], info: Grid | None) -> dict[SheetKind, Found]:
    """Each ledger sheet: by its template name first, else the best-matching header elsewhere."""
    tables: dict[SheetKind, Found] = {}
    used = {info.name} if info else set()
    for spec in LEDGER_SPECS:
        named = [g for g in grids if _same_name(g.name, spec.name)]
        others = [g for g in grids if g.name not in used and not _same_name(g.name, spec.name)]
        table = next((t for g in named if (t := find_table(g, spec))), None)
        if table is None and not named:
            candidates = [t for g in others if (t := find_table(g, spec))]
            table = max(candidates, key=lambda t: len(t.columns), default=None)
        if table is not None:
            used.add(table.sheet)
        tables[spec.kind] = HeaderMissing(named[0].name) if table is None and named else table
    return tables


class _Problems:
    def __init__(self, file: str) -> None:
        self.file = file
        self.unit = ""
        self.items: list[Problem] = []

    def add(self, level: ProblemLevel, note: Note, *, sheet: str = "", cell: str = "") -> None:
        self.items.append(Problem(code=note.code, file=self.file, sheet=sheet, cell=cell, unit=self.unit,
                                  level=level, message=note.text, hint=note.hint))


def read_ledger(data: bytes, *, file: str, sha256: str, campaign: Campaign, roster: Roster) -> Submission | Refusal:
    """Read one workbook's bytes. Never raises for anything a file can contain."""
    limits = campaign.limits
    if len(data) > limits.max_file_mb * 2**20:
        return Refusal(file, T.over_limit("max_file_mb", f"文件 {len(data) / 2**20:.1f} MB，上限 {limits.max_file_mb} MB"))
    sniffed = sniff(data, file)
    if sniffed.kind is not Kind.SPREADSHEET:
        return Refusal(file, sniffed.why or T.not_a_spreadsheet("压缩包"))
    container = check_container(data, limits)
    if container:
        return Refusal(file, container)
    try:
        grids = read_grids(data, limits=limits, keep=_is_ledger_sheet)
    except ReadFailure as failure:
        if PurePosixPath(file).suffix.lower() == ".et" and failure.why.code is RefusalCode.CORRUPTED:
            return Refusal(file, T.ET_NOT_XLS)
        return Refusal(file, failure.why)
    info_grid, info = _info(grids)
    tables = _tables(grids, info_grid)
    if info_grid is None and not any(isinstance(t, Table) for t in tables.values()):
        return Refusal(file, T.not_template([g.name for g in grids]))

    problems = _Problems(file)
    info_sheet = info_grid.name if info_grid else INFO_SHEET
    named = clean(info.get("单位名称", ("", ""))[0])
    file_unit = roster.from_filename(PurePosixPath(file).stem)
    unit = roster.resolve(named) if named else file_unit
    if unit is None:
        return Refusal(file, T.unknown_unit(named, roster.closest(named or PurePosixPath(file).stem)))
    problems.unit = unit.name
    name_cell = info.get("单位名称", ("", _template_cell("单位名称")))[1]
    if not named:
        problems.add("警告", T.unit_from_filename(unit.name), sheet=info_sheet, cell=name_cell)
    elif file_unit is not None and file_unit.name != unit.name:
        problems.add("警告", T.unit_name_conflict(unit.name, file_unit.name), sheet=info_sheet, cell=name_cell)

    window = (campaign.start, campaign.deadline)
    filed_raw, filed_cell = info.get("填报日期", ("", _template_cell("填报日期")))
    date1904 = uses_1904(data)
    filed_value = parse_date(filed_raw, window=window, date1904=date1904) if clean(filed_raw) else None
    filed = filed_value if isinstance(filed_value, dt.date) else None
    if filed is None:
        problems.add("错误", T.FILED_MISSING, sheet=info_sheet, cell=filed_cell)

    context = RowContext(campaign=campaign, roster=roster, unit=unit.name, file=file, filed=filed, date1904=date1904)
    activities, rects, publicity, skipped = [], [], [], []
    for spec in LEDGER_SPECS:
        table = tables[spec.kind]
        if not isinstance(table, Table):
            _missing_table(problems, spec, table, unit_is_publicity=roster.is_publicity_unit(unit))
            continue
        result = read_table(table, spec, context)
        problems.items.extend(result.problems)
        activities.extend(result.activities)
        rects.extend(result.rectifications)
        publicity.extend(result.publicity)
        skipped.extend(result.skipped)

    dated = [a.date for a in activities] + [p.date for p in publicity] + [r.found for r in rects if r.found]
    effective = filed or max(dated, default=None)
    if effective is None:
        return Refusal(file, T.NO_DATES, unit=unit.name)
    return Submission(
        file=file, sha256=sha256, unit=unit.name, filed=filed, effective_date=effective,
        filed_at=f"{info_sheet}!{filed_cell}",
        reporter=clean(info.get("填报人", ("", ""))[0]), phone=clean(info.get("联系电话", ("", ""))[0]),
        template_version=clean(info.get("模板版本", ("", ""))[0]),
        activities=tuple(activities), rectifications=tuple(rects), publicity=tuple(publicity),
        skipped=tuple(skipped), problems=tuple(problems.items),
    )


def _missing_table(problems: _Problems, spec: SheetSpec, found: HeaderMissing | None, *,
                   unit_is_publicity: bool) -> None:
    level: ProblemLevel = "警告" if spec.kind is SheetKind.PUBLICITY and not unit_is_publicity else "错误"
    if found is None:
        problems.add(level, T.sheet_missing(spec.name), sheet=spec.name)
    else:
        problems.add(level, T.header_not_found(spec.name), sheet=found.sheet, cell="A1")


