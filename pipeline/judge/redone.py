"""What recording a run changed in the history entry it replaced: a past week redone with --record after units
changed their files silently turned its 已达标 into 未报送, and the clerk only read 已记入历史：第1期周报."""

import datetime as dt
from dataclasses import dataclass

from pipeline.errors import RESTORE_COMMAND, Notice, Said
from pipeline.model import RunSnapshot

NAMED = 5
"""Units named in the notice; more are counted."""


@dataclass(frozen=True, kw_only=True)
class Change:
    """A unit whose status in the replaced entry differs from this run's, with the file the entry stood on."""

    unit: str
    before: str
    after: str
    file: str
    sha256: str
    """Empty when the entry used no file of the unit's, or the same file as this run, or was recorded before
    the history kept files."""


def changes(replaced: RunSnapshot, now: RunSnapshot) -> list[Change]:
    """Units on both rosters whose status changed, in this run's order (the roster's)."""
    out = []
    for unit, after in now.units.items():
        before = replaced.units.get(unit)
        if before is None or before.status == after.status:
            continue
        restorable = before.sha256 and before.sha256 != after.sha256
        out.append(Change(unit=unit, before=before.status, after=after.status, file=before.file if restorable else "",
                          sha256=before.sha256 if restorable else ""))
    return out


def replaced_notice(replaced: RunSnapshot, now: RunSnapshot, *, number: int) -> Said:
    """The entry replaced, what changed in a line the clerk can act on, and how to get the old entry back."""
    changed = changes(replaced, now)
    named = changed[:NAMED]
    if changed:
        listed = "、".join(f"{c.unit} {c.before}→{c.after}" for c in named) + ("等" if len(changed) > NAMED else "")
        what = f"{len(changed)} 个单位的状态与原记录不同：{listed}"
    else:
        what = "各单位的状态与原记录相同"
    files = "；".join(f"{c.unit}《{c.file}》用 {RESTORE_COMMAND} {c.sha256[:8]} 取回" for c in named if c.sha256)
    return Said.of(Notice.REPLACED_ENTRY, number=number, before=replaced.as_of, changes=what,
                   restore=_restore(files, replaced.as_of) if files else "")


def _restore(files: str, as_of: dt.date) -> str:
    return (f"如不是有意替换，请从存档取回原记录采用的台账放回收件箱（与单位的新文件同名时先改名，不要覆盖），再用 --as-of "
            f"{as_of.isoformat()} --record 重新运行：{files}")
