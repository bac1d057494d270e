"""Where a workbook's ledgers are: the 基本信息 sheet, each ledger sheet and its continuations, for the file's
unit and for every other unit whose set of sheets (or rows, by a 单位名称 column) the file holds."""

import re
from collections.abc import Callable, Set
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from pipeline.config.campaign import Unit
from pipeline.config.roster import Roster
from pipeline.read.grids import Grid, Table, cell_ref, find_table, header_label
from pipeline.read.schema import (
    ACTIVITY,
    GUIDE_SHEET,
    INFO_LABELS,
    INFO_SHEET,
    INFO_SYNONYMS,
    LEDGER_SPECS,
    SheetKind,
    SheetSpec,
)
from pipeline.read.units import UnknownRowUnit, sheet_owners, split_rows, unit_column, without_unit
from pipeline.read.values import compact

Base = Callable[[str], str]
"""A sheet's name as the template would name it (for another unit's sheets: without that unit's name)."""


Owner = Callable[[str], str | None]
"""The roster unit a sheet's name names (`乡妇联活动台账` → 乡妇联), or None."""


def _as_named(name: str) -> str:
    return name


def same_name(a: str, b: str) -> bool:
    return compact(a) == compact(b)


@dataclass(frozen=True)
class Info:
    """The 基本信息 sheet (None when the file has none), its label → (value, A1 of the value), and label → formula
    of a value whose formula has no saved result (read/formulas.py)."""

    grid: Grid | None
    values: dict[str, tuple[Any, str]]
    formulas: dict[str, str]


def find_info(grids: list[Grid], *, base: Base = _as_named, owner: Owner | None = None, unit: str = "") -> Info:
    """The 基本信息 sheet, by name, else by its labels. Given an `owner` and the `unit` the file's name names,
    of sheets found by their labels one named for that unit comes first, then one naming no unit: a workbook
    whose every 基本信息 is named for its unit (`乡团委-基本信息` before `乡妇联-基本信息`) is the file-name
    unit's, not the first unit's."""
    labels = {label: label for label in INFO_LABELS}
    labels |= {syn: label for label, syns in INFO_SYNONYMS.items() for syn in syns}

    def rank(grid: Grid) -> tuple[bool, int]:
        named = owner(grid.name) if owner else None
        return not same_name(base(grid.name), INFO_SHEET), 0 if named and named == unit else 1 if named is None else 2
    ordered = sorted(grids, key=rank)
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
        if same_name(base(grid.name), INFO_SHEET) or ("单位名称" in found and "填报日期" in found):
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


def find_sheets(grids: list[Grid], info: Grid | None, *, owner: Owner | None = None, unit: str = "",
                base: Base = _as_named) -> Sheets:
    """Each ledger sheet: by its template name first, else the best-matching header elsewhere. Given the
    file's `unit` and an `owner`, a sheet whose name names this unit is preferred."""
    tables: dict[SheetKind, Found] = {}
    continued: dict[SheetKind, list[Table | HeaderMissing]] = {}
    sequels = {spec.kind: [g for g in grids if _continues(base(g.name), spec.name)] for spec in LEDGER_SPECS}
    used = {info.name} if info else set()
    used |= {g.name for found in sequels.values() for g in found}
    for spec in LEDGER_SPECS:
        named = [g for g in grids if same_name(base(g.name), spec.name)]
        others = [g for g in grids if g.name not in used and not same_name(base(g.name), spec.name)]
        table = next((t for g in named if (t := find_table(g, spec))), None)
        if table is None and not named:
            owners = {g.name: owner(g.name) if owner else None for g in others}
            candidates = [t for g in others if owners[g.name] in (None, unit) and (t := find_table(g, spec))]
            table = max(candidates, key=lambda t: (owners[t.sheet] == unit, len(t.columns)), default=None)
        if table is not None:
            used.add(table.sheet)
        tables[spec.kind] = HeaderMissing(named[0].name) if table is None and named else table
        continued[spec.kind] = [find_table(g, spec) or HeaderMissing(g.name) for g in sequels[spec.kind]]
    used |= {t.sheet for t in tables.values() if isinstance(t, Table)}
    unread = [(g.name, ACTIVITY) for g in grids if g.name not in used and not same_name(base(g.name), GUIDE_SHEET)
              and (t := find_table(g, ACTIVITY)) and set(ACTIVITY.essential) <= set(t.columns)]
    return Sheets(tables=tables, continued=continued, unread=unread)


@dataclass
class Share:
    """One unit's ledger in a workbook: what is read as its submission from this file.

    `filer` is the unit the file is from (its 基本信息 or name); `info` its own 基本信息, else the file's, shared
    (填报日期, 填报人 and 联系电话 then hold for every unit in the file). `named_sheets` when its sheets are named
    for it among other units' sets; `borrowed` when all its rows come from tables of other units' sheets by
    their 单位名称 column (it then has no sheet of its own that could be missing). The filer's `headless`: another
unit's sheets, named for it, in none of which a header was found (so that unit has no share to name them)."""

    unit: Unit
    info: Info
    tables: dict[SheetKind, Found]
    parts: dict[SheetKind, list[Table | HeaderMissing]]
    unread: list[tuple[str, SheetSpec]]
    filer: bool = False
    named_sheets: bool = False
    borrowed: bool = False
    unknown: list[UnknownRowUnit] = field(default_factory=list)
    nearly: list[UnknownRowUnit] = field(default_factory=list)
    headless: list[tuple[str, Unit, SheetSpec]] = field(default_factory=list)


def _share(unit: Unit, info: Info, sheets: Sheets, *, filer: bool = False, named_sheets: bool = False) -> Share:
    parts: dict[SheetKind, list[Table | HeaderMissing]] = {}
    for spec in LEDGER_SPECS:
        main = sheets.tables[spec.kind]
        parts[spec.kind] = [*([main] if isinstance(main, Table) else []), *sheets.continued[spec.kind]]
    return Share(unit=unit, info=info, tables=sheets.tables, parts=parts, unread=sheets.unread, filer=filer,
                 named_sheets=named_sheets)


def owner_of(roster: Roster) -> Owner:
    """The roster unit any sheet name names (a file name's way), for preferring the filer's own sheets."""
    def owner(sheet: str) -> str | None:
        found = roster.from_filename(sheet)
        return found.name if found else None
    return owner


def _template_named(name: str) -> bool:
    """A template sheet name or a continuation of one: what is left of another unit's sheet's name without it."""
    return same_name(name, INFO_SHEET) or any(same_name(name, spec.name) or _continues(name, spec.name)
                                              for spec in LEDGER_SPECS)


def _own_base(name: str, *, owned: Set[str], unit: Unit) -> str:
    """The filer's sheet as the template names it: its own sheets named for it (`妇联-宣传报道`, by an alias too) are
    its ledger sheets by name, as another unit's are, so a sheet without a header is named as the file names it."""
    return without_unit(name, unit) if name in owned else name


def plan_shares(grids: list[Grid], about: Info, *, unit: Unit, roster: Roster, flat: bool) -> list[Share]:
    """The file's unit's share first, then each other unit whose sheets or rows the file holds, in the order
    the workbook first names them. A file of one unit gives one share, read exactly as before."""
    owners = {} if flat else sheet_owners(grids, roster, template=_template_named)
    mine = [g for g in grids if owners.get(g.name, unit).name == unit.name]
    filer = _share(unit, about, find_sheets(mine, about.grid, owner=owner_of(roster), unit=unit.name,
                                            base=partial(_own_base, owned=owners.keys(), unit=unit)), filer=True)
    shares = [filer]
    for other in {u.name: u for u in owners.values() if u.name != unit.name}.values():
        theirs = [g for g in grids if g.name in owners and owners[g.name].name == other.name]
        base = partial(without_unit, unit=other)
        own = find_info(theirs, base=base)
        sheets = find_sheets(theirs, own.grid, base=base)
        if any(isinstance(t, Table) for t in sheets.tables.values()) or any(sheets.continued.values()):
            shares.append(_share(other, own if own.grid else about, sheets, named_sheets=True))
        else:
            filer.headless.extend((found.sheet, other, spec) for spec in LEDGER_SPECS
                                  if isinstance(found := sheets.tables[spec.kind], HeaderMissing))
    return _by_column(shares, roster)


def _by_column(shares: list[Share], roster: Roster) -> list[Share]:
    """Rows of a table with a 单位名称 column go to the unit each names (a blank one: the sheet's unit); a
    unit with rows only there gets a share of its own, with the 基本信息 of the sheet's unit."""
    by_unit = {s.unit.name: s for s in shares}
    parts: dict[str, dict[SheetKind, list[Table | HeaderMissing]]] = {s.unit.name: {} for s in shares}
    for share in shares:
        for kind, found in share.parts.items():
            for part in found:
                column = unit_column(part) if isinstance(part, Table) else None
                if not isinstance(part, Table) or column is None:
                    parts[share.unit.name].setdefault(kind, []).append(part)
                    continue
                split = split_rows(part, column, owner=share.unit, roster=roster)
                share.unknown.extend(split.unknown)
                share.nearly.extend(split.nearly)
                for name, (unit, view) in split.shares.items():
                    if name not in by_unit:
                        by_unit[name] = Share(unit=unit, info=share.info, tables={}, parts={}, unread=[], borrowed=True)
                        parts[name] = {}
                    parts[name].setdefault(kind, []).append(view)
    for name, share in by_unit.items():
        share.parts = parts[name]
    return list(by_unit.values())
