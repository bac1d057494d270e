"""One ledger file → a `Submission` with its data problems, or a `Refusal` saying why it cannot be used; a
workbook holding several units' ledgers → `Shared`, one of those for each unit (read/sheets.py finds them)."""

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from zipfile import ZipInfo

from pipeline.config.campaign import Campaign, Limits
from pipeline.config.roster import Roster
from pipeline.model import (
    Activity,
    Note,
    Problem,
    ProblemLevel,
    PublicityItem,
    Rectification,
    Refusal,
    Shared,
    Submission,
)
from pipeline.read import refusals as R
from pipeline.read import texts as T
from pipeline.read.cells import RowContext
from pipeline.read.extent import Stray, table_total_rows, trim_stray_cells
from pipeline.read.flat import read_flat
from pipeline.read.formulas import formulas_without_results
from pipeline.read.formulas import resolve as resolve_formulas
from pipeline.read.grids import Epoch, Grid, ReadFailure, Table, read_grids
from pipeline.read.refusals import RefusalCode
from pipeline.read.rows import Seen, read_table
from pipeline.read.schema import INFO_SHEET, LEDGER_SPECS, SheetKind, SheetSpec, info_cell
from pipeline.read.sheets import HeaderMissing, Info, Share, find_info, find_sheets, owner_of, plan_shares, same_name
from pipeline.read.sniff import Kind, check_container, sniff
from pipeline.read.texts import ProblemCode
from pipeline.read.units import unit_in_path
from pipeline.read.values import clean, parse_date, shown


def _template_cell(label: str) -> str:
    """Where the template keeps a 基本信息 value (column B of the label's row), for problems when it is absent."""
    return info_cell(label)


def _is_ledger_sheet(name: str) -> bool:
    return any(same_name(name, spec.name) for spec in LEDGER_SPECS) or same_name(name, INFO_SHEET)


FLAT_KINDS = {Kind.HTML: "网页表格（HTML）", Kind.CSV: "逗号分隔的文本表格（CSV）"}
"""Files that are one plain table rather than a workbook, as their problems name them."""


def _read_workbook(data: bytes, found: str, limits: Limits,
                   entries: tuple[ZipInfo, ...] | None) -> tuple[list[Grid], tuple[Stray, ...]] | Note:
    """A workbook's sheets and the stray far cells left out of them, or why it cannot be read."""
    container = check_container(data, limits, workbook=True, entries=entries)
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
            return R.ET_NOT_XLS
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


class _Problems:
    def __init__(self, file: str) -> None:
        self.file = file
        self.unit = ""
        self.items: list[Problem] = []

    def add(self, level: ProblemLevel, note: Note, *, sheet: str = "", cell: str = "", at: int | None = None) -> None:
        """`at`: the place among the problems already added, for one said only once the rows are read."""
        problem = Problem(code=note.code, file=self.file, sheet=sheet, cell=cell, unit=self.unit, level=level,
                          message=note.text, hint=note.hint)
        self.items.insert(len(self.items) if at is None else at, problem)


def read_ledger(data: bytes, *, file: str, sha256: str, campaign: Campaign, roster: Roster,
                found: str = "") -> Submission | Refusal | Shared:
    """Read one workbook's bytes. Never raises for anything a file can contain.

    `file` is the name every output shows; `found`, when given, the name as found in the inbox, from which
    the extension and the unit a file name names are read (they differ when a repeated name was numbered)."""
    limits = campaign.limits
    found = found or file
    if len(data) > limits.max_file_mb * 2**20:
        return Refusal(file, R.over_limit("max_file_mb", f"文件 {len(data) / 2**20:.1f} MB，上限 {limits.max_file_mb} MB"))
    sniffed = sniff(data, found)
    flat = FLAT_KINDS.get(sniffed.kind, "")
    if sniffed.kind is not Kind.SPREADSHEET and not flat:
        return Refusal(file, sniffed.why or R.not_a_spreadsheet("压缩包"))
    read = _read_flat(data, found, sniffed.kind, limits) if flat else _read_workbook(data, found, limits, sniffed.entries)
    if isinstance(read, Note):
        return Refusal(file, read)
    grids, strays = read
    job = _Job(file=file, found=found, sha256=sha256, flat=flat, epoch=Epoch(data))
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
    epoch: Epoch


_BLANK = frozenset({ProblemCode.MISSING_REQUIRED, ProblemCode.MISSING_EVIDENCE, ProblemCode.STATUS_MISSING,
                    ProblemCode.DONE_MISSING, ProblemCode.FILED_MISSING, ProblemCode.UNIT_FROM_FILENAME})


def _left_blank(outcome: Submission | Refusal | Shared) -> bool:
    """Whether reading found a value missing that a formula without a saved result may hold. Only then is the
    sheet XML looked into (read/formulas.py), so files with every value in place never pay for it."""
    if isinstance(outcome, Shared):
        return any(_left_blank(part) for part in outcome.parts)
    if isinstance(outcome, Refusal):
        return outcome.code in (RefusalCode.UNKNOWN_UNIT, RefusalCode.NO_DATES)
    return any(p.code in _BLANK for p in outcome.problems)


def _from_grids(grids: list[Grid], strays: tuple[Stray, ...], *, job: _Job, campaign: Campaign,
                roster: Roster) -> Submission | Refusal | Shared:
    """The submissions in a file's sheets: its unit's, and those of other units whose ledgers it holds."""
    file, found, flat = job.file, job.found, job.flat
    stem = PurePosixPath(found).stem
    file_unit = roster.from_filename(stem)
    about = find_info(grids, owner=owner_of(roster), unit=file_unit.name if file_unit else "")
    info_grid, info = about.grid, about.values
    if info_grid is None and not any(isinstance(t, Table) for t in find_sheets(grids, info_grid).tables.values()):
        return Refusal(file, R.flat_not_template(flat) if flat else R.not_template([g.name for g in grids]))

    named = clean(info.get("单位名称", ("", ""))[0])
    held = None if file_unit else unit_in_path(found, roster=roster)
    by = held[1] if held and not named else "文件名"
    unit = roster.resolve(named) if named else file_unit or (held[0] if held else None)
    if unit is None:
        guess = (roster.near(named) if named else None) or file_unit or roster.near(stem) or (held[0] if held else None)
        why = R.unknown_unit(named, roster.closest(named or stem), guess=guess.name if guess else "")
        return Refusal(file, why, unit=guess.name if guess else "")
    shares = plan_shares(grids, about, unit=unit, roster=roster, flat=bool(flat))
    filer = _Problems(file)
    filer.unit = unit.name
    for stray in strays:
        filer.add("警告", T.STRAY_CELL, sheet=stray.sheet, cell=stray.cell)
    name_cell = info.get("单位名称", ("", _template_cell("单位名称")))[1]
    info_sheet = info_grid.name if info_grid else INFO_SHEET
    if info_grid is None:
        filer.add("错误", T.info_sheet_missing(unit.name, flat=flat, by=by), sheet=INFO_SHEET)
    elif not named and "单位名称" in about.formulas:
        filer.add("警告", T.formula_without_result(about.formulas["单位名称"], T.formula_unit(unit.name)),
                  sheet=info_sheet, cell=name_cell)
    elif not named:
        filer.add("警告", T.unit_from_filename(unit.name, by=by), sheet=info_sheet, cell=name_cell)
    elif (about_unit := roster.named_in_filename(stem)) is not None and about_unit.name != unit.name \
            and not roster.in_filename(stem, unit):
        filer.add("警告", T.unit_name_conflict(shown(info["单位名称"][0]), unit.name, about_unit.name), sheet=info_sheet, cell=name_cell)
    parts = [_read_share(share, filer.items if share.filer else [], job=job, campaign=campaign, roster=roster)
             for share in shares]
    kept = [part for share, part in zip(shares, parts, strict=True) if share.filer or not _left_empty(share, part, about=about)]
    for share, part in zip(shares, parts, strict=True):
        if part not in kept and isinstance(kept[0], Submission):
            sheets = [t.sheet for t in share.tables.values() if isinstance(t, Table)]
            note = T.empty_share(sheets, share.unit.name)
            kept[0] = replace(kept[0], problems=(*kept[0].problems, Problem(
                code=note.code, file=file, sheet=sheets[0], cell="A1", unit=unit.name, level="警告",
                message=note.text, hint=note.hint)))
    about_unit = roster.named_in_filename(stem) if named else None
    if (about_unit is not None and isinstance(kept[0], Submission)
            and about_unit.name not in {part.unit for part in kept} and not roster.in_filename(stem, unit)):
        kept[0] = replace(kept[0], named_for=about_unit.name)
    return kept[0] if len(kept) == 1 else Shared(file=file, parts=tuple(kept))


def _left_empty(share: Share, part: Submission | Refusal, *, about: Info) -> bool:
    """Another unit's set of sheets copied ready for it and never filled in (no row, no 基本信息 of its own, so
    dated by the file's): not that unit's submission, or it would count as having reported."""
    return (share.named_sheets and share.info is about and isinstance(part, Submission)
            and not (part.activities or part.rectifications or part.publicity or part.skipped))


def _read_share(share: Share, first: list[Problem], *, job: _Job, campaign: Campaign,
                roster: Roster) -> Submission | Refusal:
    """One unit's ledger among a file's sheets (all of them, for a file of one unit)."""
    file, flat = job.file, job.flat
    unit = share.unit
    problems = _Problems(file)
    problems.unit = unit.name
    problems.items.extend(first)
    about = share.info
    info_grid, info = about.grid, about.values
    info_sheet = info_grid.name if info_grid else INFO_SHEET
    window = (campaign.start, campaign.deadline)
    filed_raw, filed_cell = info.get("填报日期", ("", _template_cell("填报日期")))
    filed_value = parse_date(filed_raw, window=window, date1904=job.epoch.of(filed_raw)) if clean(filed_raw) else None
    filed = filed_value if isinstance(filed_value, dt.date) else None
    # the 错误 of a missing 填报日期 goes here, with 基本信息's, but names the date the rows date the file by
    undated_at = len(problems.items) if filed is None and info_grid is not None else None
    for unknown in share.unknown:
        near = roster.near(unknown.value)
        problems.add("错误", T.unknown_row_unit(unknown.value, [near.name] if near else roster.closest(unknown.value)),
                     sheet=unknown.sheet, cell=unknown.cell)
    for nearly in share.nearly:
        problems.add("警告", T.row_unit_nearly(nearly.value, unit.name), sheet=nearly.sheet, cell=nearly.cell)

    context = RowContext(campaign=campaign, roster=roster, unit=unit.name, file=file, filed=filed, epoch=job.epoch)
    activities, rects, publicity, skipped = [], [], [], []
    for spec in LEDGER_SPECS:
        table = share.tables.get(spec.kind)
        # a sheet named only as a continuation (`活动台账 (2)`, when the sheet was copied into a new workbook) is
        # read as the sheet itself: it is not missing
        if not isinstance(table, Table) and not share.borrowed and not (table is None and share.parts.get(spec.kind)):
            _missing_table(problems, spec, table, unit_is_publicity=roster.is_publicity_unit(unit), flat=flat,
                           unit=unit.name if share.named_sheets else "")
        seen: Seen = {}
        for part in share.parts.get(spec.kind, []):
            if isinstance(part, HeaderMissing):
                problems.add("错误", T.header_not_found(part.sheet), sheet=part.sheet, cell="A1")
                continue
            result = read_table(part, spec, context, seen=seen)
            problems.items.extend(result.problems)
            activities.extend(result.activities)
            rects.extend(result.rectifications)
            publicity.extend(result.publicity)
            skipped.extend(result.skipped)
    for sheet, spec in share.unread:
        other = roster.from_filename(sheet)
        owner = other.name if other is not None and other.name != unit.name else ""
        problems.add("警告", T.unread_ledger(sheet, spec.name, owner=owner), sheet=sheet, cell="A1")
    for sheet, other, spec in share.headless:
        problems.add("警告", T.unread_headless(sheet, spec.name, other.name), sheet=sheet, cell="A1")

    latest = _latest(activities, publicity, rects)
    if filed is not None:
        dated_by, effective = "", filed
    elif latest is not None:
        dated_by, effective = latest
        if undated_at is not None:
            formula = about.formulas.get("填报日期")
            note = (T.filed_missing(dated_by, effective) if formula is None
                    else T.formula_without_result(formula, T.formula_filed(dated_by, effective)))
            problems.add("错误", note, sheet=info_sheet, cell=filed_cell, at=undated_at)
    else:
        return Refusal(file, R.NO_DATES, unit=unit.name, sha256=job.sha256)
    return Submission(
        file=file, sha256=job.sha256, unit=unit.name, filed=filed, effective_date=effective, dated_by=dated_by,
        filed_at=f"{info_sheet}!{filed_cell}" if info_grid is not None else "",
        reporter=clean(info.get("填报人", ("", ""))[0]), phone=clean(info.get("联系电话", ("", ""))[0]),
        template_version=clean(info.get("模板版本", ("", ""))[0]),
        activities=tuple(activities), rectifications=tuple(rects), publicity=tuple(publicity),
        skipped=tuple(skipped), problems=tuple(problems.items),
    )


def _latest(activities: list[Activity], publicity: list[PublicityItem],
            rects: list[Rectification]) -> tuple[str, dt.date] | None:
    """The date column and date of the ledger's latest dated row, which dates a file without 填报日期 (SPEC §3);
    an activity's where rows of several sheets share that date. None when no row has a date."""
    dated = [*(("活动日期", a.date) for a in activities), *(("发布日期", p.date) for p in publicity),
             *(("发现日期", r.found) for r in rects if r.found)]
    return max(dated, key=lambda item: item[1], default=None)


def _missing_table(problems: _Problems, spec: SheetSpec, found: HeaderMissing | None, *,
                   unit_is_publicity: bool, flat: str, unit: str) -> None:
    """`unit`: set for a unit whose sheets are named for it among other units' sets in the file. A sheet found by a
    variant of the template's name (`乡团委-宣传报道`, `团委-宣传报道`, `宣传 报道`) is named as the file names it:
    in a shared workbook the template's name is another unit's sheet."""
    level: ProblemLevel = "警告" if spec.kind is SheetKind.PUBLICITY and not unit_is_publicity else "错误"
    if found is None:
        note = T.flat_sheet_missing(flat, spec.name) if flat else T.sheet_missing(spec.name, unit=unit)
        problems.add(level, note, sheet=spec.name)
    else:
        problems.add(level, T.header_not_found(found.sheet), sheet=found.sheet, cell="A1")


