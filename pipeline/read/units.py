"""Several units' ledgers in one workbook (SPEC §3 every ledger in a workbook is read or named).

Units that share one file do it in two ways: one set of sheets per unit, named for it (`乡妇联-活动台账`,
`基本信息（乡团委）`), or one table with a 单位名称 column. This module says which sheets a unit's name
names and which rows a 单位名称 column gives to which unit; ledger.py reads each unit's share as that
unit's submission.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import Any

from pipeline.config.campaign import Unit, name_key
from pipeline.config.roster import Roster
from pipeline.read.grids import Grid, Table, cell_ref, header_label
from pipeline.read.values import clean, compact

UNIT_COLUMN_LABELS = frozenset({"单位名称", "填报单位", "报送单位", "所属单位"})
"""A header label of a column naming the unit each row belongs to. Not a bare `单位` (a 问题整改 sheet may say
whose fault a problem is) and not 协办单位 (the co-organisers of a unit's own activity)."""

_EMPTY_BRACKETS = re.compile(r"[（(【\[〔]\s*[）)】\]〕]")
_SEPARATORS = "-_—–·、:：.。 "
_NOT_RECORDS = ("示例", "合计", "总计", "小计")


def sheet_owners(grids: list[Grid], roster: Roster, *, template: Callable[[str], bool]) -> dict[str, Unit]:
    """Sheet name → the one roster unit its name names (`乡妇联活动台账` → 乡妇联), when the name without that
    unit's is a `template` sheet name: `与团委联合活动` is the filer's own sheet about a joint activity (and
    `团委` alone no set of sheets), so both are left out, as are sheets naming no unit."""
    owners: dict[str, Unit] = {}
    for grid in grids:
        unit = roster.from_filename(grid.name)
        if unit is not None and template(without_unit(grid.name, unit)):
            owners[grid.name] = unit
    return owners


def without_unit(sheet: str, unit: Unit) -> str:
    """A sheet's name with its unit's name taken out, as the template would name it: `乡妇联-活动台账（2）` →
    `活动台账（2）`, `基本信息（乡团委）` → `基本信息`, so template names and continuation marks are recognised."""
    key = name_key(compact(sheet))
    for label in sorted((unit.name, *unit.aliases), key=len, reverse=True):
        found = name_key(compact(label))
        if found and found in key:
            key = key.replace(found, "", 1)
            break
    return _EMPTY_BRACKETS.sub("", key).strip(_SEPARATORS)


def unit_in_path(found: str, *, roster: Roster) -> tuple[Unit, str] | None:
    """The unit the folders or zips holding a file name, innermost first, with where, as a clerk reads it
    (`压缩包“荷花村.zip”`, `文件夹“荷花村台账”`). Windows' 发送到 → 压缩文件夹 packs a folder, so a unit's ledger
    arrives as `荷花村.zip/荷花村台账/台账.xlsx`: only the file's own name is no guide to whose it is. Used where
    the file itself names no unit, never against a 单位名称 it holds (a zip may carry other units' files)."""
    for part in reversed(PurePosixPath(found.replace("\\", "/")).parts[:-1]):
        packed = PurePosixPath(part).suffix.lower() == ".zip"
        unit = roster.from_filename(PurePosixPath(part).stem if packed else part)
        if unit is not None:
            return unit, f"{'压缩包' if packed else '文件夹'}“{part}”"
    return None


def unit_column(table: Table) -> int | None:
    """The column of a ledger table's header that names each row's unit (`单位名称`), if it has one."""
    for col, raw in enumerate(table.grid.rows[table.header_row]):
        if header_label(raw) in UNIT_COLUMN_LABELS and col not in table.columns.values():
            return col
    return None


@dataclass(frozen=True)
class UnknownRowUnit:
    """A row whose 单位名称 names no roster unit: an 错误 at its cell, and the row counted for nobody; or, when
    the unit it most likely means is the sheet's own, a 警告 there and the row counted for the sheet's unit."""

    sheet: str
    cell: str
    value: str


@dataclass(frozen=True)
class Split:
    """A table's rows by the unit their 单位名称 cell names: unit name → the unit and a view of the table holding
    only that unit's rows (the others blanked, so every row keeps its number and cells), the rows naming no
    unit, and the rows counted for the sheet's unit though they name it only nearly (`荷花村第一村民小组`)."""

    shares: dict[str, tuple[Unit, Table]] = field(default_factory=dict)
    unknown: list[UnknownRowUnit] = field(default_factory=list)
    nearly: list[UnknownRowUnit] = field(default_factory=list)


def _not_record(raw: list[Any]) -> bool:
    """The 示例 row and a 合计 row are the table's own: they stay with the sheet's unit, never named unknown."""
    return any(isinstance(v, str) and compact(v).strip("()（）[]【】").startswith(_NOT_RECORDS) for v in raw[:4])


def split_rows(table: Table, column: int, *, owner: Unit, roster: Roster) -> Split:
    """Rows with a blank 单位名称 (and the 示例 and 合计 rows) belong to `owner`, the sheet's unit.

    The column divides rows among units only when some row names another roster unit (or nearly: `乡团伟`):
    a unit's own ledger with a 填报单位 column naming its 村民小组 on every row is that unit's, read as it
    always was. In a column that divides, a name resolving to no unit but most likely meaning the sheet's own
    (it holds its name, or is one character off) is counted for it, with a 警告 at the cell; any other is an
    错误 and counted for no one, as its row may be another unit's."""
    grid = table.grid.rows
    named: list[tuple[int, str, Unit | None, bool]] = []      # row index, cell as written, its unit, nearly
    for row in table.rows():
        index = row.number - 1
        raw = grid[index]
        value = clean(raw[column]) if column < len(raw) else ""
        if value and not _not_record(raw):
            unit = roster.resolve(value)
            nearly = unit is None and (unit := roster.near(value)) is not None
            named.append((index, str(raw[column]), unit, nearly))
    if all(unit is None or unit.name == owner.name for _, _, unit, _ in named):
        return Split(shares={owner.name: (owner, table)})
    listed = {index for index, _, _, _ in named}
    units = {owner.name: owner}
    rows_of = {owner.name: {row.number - 1 for row in table.rows() if row.number - 1 not in listed}}
    split = Split()
    for index, value, unit, nearly in named:
        if unit is None or nearly:
            cell = UnknownRowUnit(sheet=table.sheet, cell=cell_ref(index, column), value=value)
            if unit is None or unit.name != owner.name:
                split.unknown.append(cell)
                continue
            split.nearly.append(cell)
        units[unit.name] = unit
        rows_of.setdefault(unit.name, set()).add(index)
    split.shares.update({name: (units[name], _view(table, keep)) for name, keep in rows_of.items()})
    return split


def _view(table: Table, keep: set[int]) -> Table:
    rows = table.grid.rows
    kept = [row if i <= table.header_row or i in keep else [] for i, row in enumerate(rows)]
    return replace(table, grid=replace(table.grid, rows=kept))
