"""The history across a change of the roster: a unit renamed in campaign.yaml, its former name kept as an alias.

The history keys each report's units by the name they had then; the roster resolves a former name only once the
office writes it under the new name's `aliases`. Until then a ledger still naming the unit by its former name is
refused as no roster unit's (read/): where the history shows that ledger counted for a unit no longer on the
roster, its 文件清单 reason says how to keep the name (SelectionCode.FORMER_UNIT).
"""

import datetime as dt
from dataclasses import replace

from pipeline.config.roster import Roster
from pipeline.judge import codes as C
from pipeline.judge.merge import Intake
from pipeline.model import RunSnapshot
from pipeline.read.refusals import RefusalCode


def follow_renames(history: tuple[RunSnapshot, ...], *, roster: Roster) -> tuple[RunSnapshot, ...]:
    """Each report's units under the names the roster gives them now: a unit renamed with its former name among
    its aliases keeps its history (较上次变化, 本周新增, R8, a ledger gone from the inbox), not 新增单位. An entry under
    the unit's own name wins over one under a former name; two former units merged into one (撤村并居, both names
    among its aliases) carry neither: one of them alone would pass for the merged unit's figures."""
    out = []
    for snapshot in history:
        formers: dict[str, list[str]] = {}
        for name in snapshot.units:
            unit = roster.resolve(name)
            if unit is not None and unit.name != name and unit.name not in snapshot.units:
                formers.setdefault(unit.name, []).append(name)
        units = dict(snapshot.units)
        for new, names in formers.items():
            moved = [units.pop(name) for name in names]
            if len(moved) == 1:
                units[new] = moved[0]
        out.append(replace(snapshot, units=units) if units != snapshot.units else snapshot)
    return tuple(out)


def former_units(intake: Intake, *, history: tuple[RunSnapshot, ...], roster: Roster) -> Intake:
    """Tell, beside the refusal of a ledger naming no roster unit, that an earlier report counted it (the same bytes,
    or a file of the same name) for a unit the roster no longer has, and how to keep that name for its new one."""
    former: dict[str, tuple[str, dt.date]] = {}
    for snapshot in reversed(history):     # the newest report that counted it
        for name, entry in snapshot.units.items():
            if entry.status != "未报送" and roster.resolve(name) is None:
                for key in (entry.sha256, entry.file):
                    if key:
                        former.setdefault(key, (name, snapshot.as_of))
    if not former:
        return intake
    files = []
    for record in intake.files:
        found = former.get(record.sha256) or former.get(record.file)
        if record.code is RefusalCode.UNKNOWN_UNIT and not record.unit and found:
            why = C.former_unit(record.reason, name=found[0], when=found[1])
            record = replace(record, code=why.code, reason=why.text)
        files.append(record)
    return replace(intake, files=tuple(files))
