"""Outcomes of all files → the submission each unit stands on for an as-of date, and the merged ledger.

Which file counts is decided by 填报日期 only (never modification times); jointly organised
activities are credited to every unit involved and counted once campaign-wide.
"""

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from operator import itemgetter
from typing import NamedTuple

from pipeline.judge import codes as C
from pipeline.judge.texts import GONE_NAME
from pipeline.model import (
    Activity,
    ActivityKind,
    FileRecord,
    FileResult,
    Ignored,
    Note,
    Outcome,
    Problem,
    Refusal,
    RunSnapshot,
    Source,
    Submission,
)
from pipeline.read.texts import ProblemCode
from pipeline.read.values import compact

Window = tuple[dt.date, dt.date]
"""The campaign's (start, deadline)."""


@dataclass(frozen=True)
class Intake:
    """What the report for one as-of date stands on."""

    as_of: dt.date
    adopted: dict[str, Submission]
    files: tuple[FileRecord, ...]
    unused: dict[str, tuple[FileRecord, ...]] = field(default_factory=dict)
    """Per roster unit, the files received from it but not used, which every output naming the unit mentions
    (SPEC §3 received is not silence): all its 未采用 files, also one merely dated after as_of beside an adopted
    file (a later report's file: the unit would otherwise take its newest file for the one used)."""
    early: dict[str, tuple[FileRecord, ...]] = field(default_factory=dict)
    """Per unit, those of `unused` sent early: a typed 填报日期 after as_of, not after the deadline. Nothing in them
    is to correct if that date is right (a report for a past date, or a file filed ahead): a later report uses them.
    Whether or not the unit has a file in use, it is told the same (check the date, else nothing to resend)."""
    unused_problems: tuple[Problem, ...] = ()
    """Problems about files not used (a 填报日期 after the deadline; no 填报日期 on a file its rows date after as_of),
    listed with the adopted files' problems."""

    @cached_property
    def problems(self) -> tuple[Problem, ...]:
        adopted = tuple(p for unit in sorted(self.adopted) for p in self.adopted[unit].problems)
        return adopted + self.unused_problems


def _record(sub: Submission, result: FileResult, why: Note | None = None) -> FileRecord:
    return FileRecord(file=sub.file, unit=sub.unit, result=result, code=why.code if why else None,
                      reason=why.text if why else "", activities=len(sub.activities),
                      rectifications=len(sub.rectifications), publicity=len(sub.publicity), sha256=sub.sha256)


def _meant(filed: dt.date, window: Window) -> dt.date | None:
    """The date in the campaign window with the same month and day as a mistyped 填报日期, if exactly one."""
    start, deadline = window
    fits = []
    for year in range(start.year, deadline.year + 1):
        try:
            day = filed.replace(year=year)
        except ValueError:  # 29 February
            continue
        if start <= day <= deadline:
            fits.append(day)
    return fits[0] if len(fits) == 1 else None


def _slip(sub: Submission, window: Window | None) -> Problem | None:
    """A 错误 at the 填报日期 cell of a file not used because it is dated after the campaign deadline."""
    if window is None or sub.filed is None or sub.filed <= window[1]:
        return None
    note = C.year_slip(sub.filed, window[1], _meant(sub.filed, window))
    sheet, _, cell = sub.filed_at.partition("!")
    return Problem(code=note.code, file=sub.file, sheet=sheet, cell=cell, unit=sub.unit, level="错误",
                   message=note.text, hint=note.hint)


_UNDATED = frozenset({ProblemCode.FILED_MISSING, ProblemCode.INFO_SHEET_MISSING})


def _undated(sub: Submission) -> list[Problem]:
    """The 错误 saying a file has no 填报日期 (none typed, a formula without its result, or no 基本信息 at all): told
    to its unit even while the date it is dated by lies after as_of, or the unit would not learn what to fix
    until a report late enough to use the file."""
    return [p for p in sub.problems if p.code in _UNDATED
            or (p.code is ProblemCode.FORMULA_NO_RESULT and f"{p.sheet}!{p.cell}" == sub.filed_at)]


def select(outcomes: list[Outcome], *, as_of: dt.date, window: Window | None = None) -> Intake:
    """Each unit's newest file with 填报日期 ≤ as_of; ties by more rows, then the later file name (with a 警告).

    Files are ranked per (file, unit): a unit's ledger in a workbook shared with other units competes only with
    that unit's other files. With the campaign `window`, a file not used because its 填报日期 is after the
    deadline gets a 错误; a file without 填报日期 not used because its rows date it after as_of keeps its 错误
    saying so."""
    records: dict[tuple[str, str], FileRecord] = {}
    by_unit: dict[str, list[Submission]] = defaultdict(list)
    slips: list[Problem] = []
    undated: list[Problem] = []
    for outcome in outcomes:
        if isinstance(outcome, Ignored):
            records[outcome.file, ""] = FileRecord(file=outcome.file, result="已忽略", code=outcome.code,
                                                   reason=outcome.reason, sha256=outcome.sha256)
        elif isinstance(outcome, Refusal):
            records[outcome.file, outcome.unit] = FileRecord(
                file=outcome.file, unit=outcome.unit, result="未采用", code=outcome.code, reason=outcome.reason,
                sha256=outcome.sha256)
        elif outcome.effective_date > as_of and outcome.filed is None:
            undated += _undated(outcome)
            records[outcome.file, outcome.unit] = _record(
                outcome, "未采用", C.undated_after_as_of(outcome.dated_by, outcome.effective_date, as_of))
        elif outcome.effective_date > as_of:
            slip = _slip(outcome, window)
            slips += [slip] if slip else []
            records[outcome.file, outcome.unit] = _record(
                outcome, "未采用", C.filed_after_as_of(outcome.effective_date, as_of, slip=slip is not None))
        else:
            by_unit[outcome.unit].append(outcome)
    adopted: dict[str, Submission] = {}
    for unit, subs in by_unit.items():
        ranked = sorted(subs, key=lambda s: (s.effective_date, s.data_rows, s.file))
        latest = {s.effective_date: s for s in ranked}
        chain = [latest[day] for day in sorted(latest)]
        chosen = chain[-1]
        tied = [s.file for s in ranked if s.effective_date == chosen.effective_date]
        if len(tied) > 1:
            by_row = [(s.file, s.dated_by) for s in ranked if s.effective_date == chosen.effective_date and s.dated_by]
            tie = chosen.filed_problem(C.tie(chosen.effective_date, chosen.file, tied, undated=by_row))
            chain[-1] = replace(chosen, problems=(*chosen.problems, tie))
        chosen, merged = accumulate(chain)
        adopted[unit] = chosen
        records[chosen.file, unit] = _record(chain[-1], "已采用")  # its own rows: merged ones are on their own files' rows
        for older in ranked[:-1]:
            reason = (C.merged_into(chosen.file) if older.file in merged
                      else C.tied_out(chosen.file, older.effective_date) if older.file in tied
                      else C.superseded_by(chosen.file))
            records[older.file, unit] = _record(older, "已被新版本替代", reason)
    slipped = {(p.file, p.unit) for p in slips}
    unused: dict[str, list[FileRecord]] = defaultdict(list)
    early: dict[str, list[FileRecord]] = defaultdict(list)
    for key in sorted(records):
        record = records[key]
        if record.result == "未采用" and record.unit:
            unused[record.unit].append(record)
            if record.code is C.SelectionCode.FILED_AFTER_AS_OF and key not in slipped:
                early[record.unit].append(record)
    # told to the unit the file's name names, which 文件清单 does not list it under; not to one whose own ledger
    # is here (adopted, or not used: dated after as_of, a year slip): that file is this period's, and the other is
    # most likely the unit its 基本信息 names
    own = {o.unit for o in outcomes if isinstance(o, Submission)}
    named_for = [(o, o.named_for) for o in outcomes
                 if isinstance(o, Submission) and o.named_for and o.named_for not in own]
    for sub, other in named_for:
        why = C.read_as_other(sub.unit, named_for=other)
        unused[other].append(FileRecord(file=sub.file, unit=other, result="未采用", code=why.code, reason=why.text,
                                        sha256=sub.sha256))
    told = sorted(slips + undated, key=lambda p: (p.unit, p.file))
    read_order = {(o.file, o.unit if isinstance(o, (Submission, Refusal)) else ""): i for i, o in enumerate(outcomes)}
    return Intake(as_of=as_of, adopted=adopted, files=_per_file(records, read_order),
                  unused={u: tuple(r) for u, r in unused.items()}, early={u: tuple(r) for u, r in early.items()},
                  unused_problems=tuple(told))


def gone_from_inbox(intake: Intake, previous: RunSnapshot | None, *, units: frozenset[str]) -> Intake:
    """Tell each unit the previous official report counted as reported, and none of whose files this run uses,
    that its ledger is no longer in the inbox (SPEC §3 received is not silence): a clerk who moves last week's files
    out of inbox/ must not see the unit named 尚未报送台账 in the bulletin with no word. The unit stays 未报送 (the
    inbox is what the report stands on); the file is among its unused ones, which every output naming it tells.
    `units`: the roster's (a unit since taken off it is not told)."""
    if previous is None:
        return intake
    here = {f.sha256 for f in intake.files} | {p.sha256 for f in intake.files for p in f.parts}
    unused = dict(intake.unused)
    for unit, snap in sorted(previous.units.items()):
        if unit not in units or snap.status == "未报送" or unit in intake.adopted or snap.sha256 in here:
            continue
        if not snap.sha256 and unit in unused:  # an entry without its file: only a unit that sent nothing now
            continue
        why = C.gone_from_inbox(previous.as_of, known=bool(snap.file))
        gone = FileRecord(file=snap.file or GONE_NAME, unit=unit, result="未采用", code=why.code, reason=why.text,
                          sha256=snap.sha256)
        unused[unit] = (gone, *unused.get(unit, ()))
    return replace(intake, unused=unused)


_FIRST_RESULT: tuple[FileResult, ...] = ("已采用", "已被新版本替代", "未采用", "已忽略")
"""A shared file's 处理结果 in 文件清单: the first that any of its units' ledgers has (used if used by any)."""


def _per_file(records: dict[tuple[str, str], FileRecord], order: dict[tuple[str, str], int]) -> tuple[FileRecord, ...]:
    """One 文件清单 row per file, in name order: a file holding several units' ledgers sums them up, its reason
    saying what became of each unit's (SPEC §5 one row per file found)."""
    by_file: dict[str, list[FileRecord]] = defaultdict(list)
    for key in sorted(records, key=lambda k: (k[0], order.get(k, 0))):   # a file's units in the order read
        by_file[key[0]].append(records[key])
    rows = []
    for name in sorted(by_file):
        parts = by_file[name]
        if len(parts) == 1:
            rows.append(parts[0])
            continue
        results = {p.result for p in parts}
        why = C.shared_file([(p.unit, p.result, p.reason) for p in parts])
        rows.append(FileRecord(
            file=name, unit="、".join(p.unit for p in parts), result=next(r for r in _FIRST_RESULT if r in results),
            code=why.code, reason=why.text, activities=sum(p.activities for p in parts),
            rectifications=sum(p.rectifications for p in parts), publicity=sum(p.publicity for p in parts),
            sha256=next(p.sha256 for p in parts if p.sha256) if any(p.sha256 for p in parts) else "",
            parts=tuple(parts)))
    return tuple(rows)


def _keys(sub: Submission) -> Counter[tuple[object, ...]]:
    """What identifies a record across a unit's successive files (text edits do not make a row new)."""
    keys: Counter[tuple[object, ...]] = Counter()
    keys.update(("活动", a.date, a.kind, a.subthemes) for a in sub.activities)
    keys.update(("问题", compact(r.description)) for r in sub.rectifications)
    keys.update(("宣传", p.date, compact(p.title)) for p in sub.publicity)
    return keys


def _vanished(older: Submission, newer: Submission) -> list[Problem]:
    """A 警告 for every record of the older file that the newer one no longer has, at the row where the older
    file held it (the newer file has no cell for a record it lacks)."""
    remaining = _keys(newer)
    gone: list[tuple[str, Source]] = []
    records = [*((("活动", a.date, a.kind, a.subthemes), C.describe_activity(a), a.source) for a in older.activities),
               *((("问题", compact(r.description)), C.describe_rectification(r), r.source)
                 for r in older.rectifications),
               *((("宣传", p.date, compact(p.title)), C.describe_publicity(p), p.source) for p in older.publicity)]
    for key, label, source in records:
        if remaining[key] > 0:
            remaining[key] -= 1
        else:
            gone.append((label, source))
    notes = [(C.vanished(older.file, label), source) for label, source in gone]
    return [Problem(code=note.code, file=source.file, sheet=source.sheet, cell=f"A{source.row}", unit=newer.unit,
                    level="警告", message=note.text, hint=note.hint) for note, source in notes]


def accumulate(chain: list[Submission]) -> tuple[Submission, set[str]]:
    """Walk a unit's files oldest to newest: a file sharing no record with the one before is incremental
    and is merged with it, rows, skipped rows and data problems of both (the older file's problems stay
    on its own cells); otherwise the newer file stands and every record it dropped gets a 警告.
    Returns the submission to use and the files merged into it."""
    current = chain[0]
    merged: set[str] = set()
    for newer in chain[1:]:
        old_keys, new_keys = _keys(current), _keys(newer)
        if old_keys and new_keys and not (old_keys & new_keys):
            warning = newer.filed_problem(C.incremental(current.file))
            merged.add(current.file)
            current = replace(
                newer, activities=(*current.activities, *newer.activities),
                rectifications=(*current.rectifications, *newer.rectifications),
                publicity=(*current.publicity, *newer.publicity), skipped=(*current.skipped, *newer.skipped),
                problems=(*current.problems, *newer.problems, warning))
        else:
            current = replace(newer, problems=(*newer.problems, *_vanished(current, newer)))
            merged = set()
    return current, merged


class Event(NamedTuple):
    """One real-world activity, possibly reported by several co-organising units (a named tuple: a county
    has tens of thousands, and a frozen dataclass takes five times as long to build)."""

    date: dt.date
    kind: ActivityKind
    subthemes: tuple[int, ...]
    units: frozenset[str]
    participants: int
    """Campaign-wide: the larger figure of the co-organisers' rows, once (SPEC §3)."""
    first: Activity
    others: tuple[Activity, ...]
    """The rows after the first: usually none (a tuple of one row for each event took 20 MB at county scale)."""

    @property
    def activities(self) -> tuple[Activity, ...]:
        return (self.first, *self.others)

    def participants_of(self, unit: str) -> int:
        """A unit's own figure: its own row's (the larger, had it two), else that of the row naming it."""
        if not self.others:  # the usual event, one row: its figure is every credited unit's
            return self.participants
        own = [a.participants for a in self.activities if a.unit == unit]
        host = [a.participants for a in self.activities if unit in a.co_units]
        return max(own or host or [self.participants])


def counted_activities(intake: Intake) -> list[Activity]:
    return [a for unit in sorted(intake.adopted) for a in intake.adopted[unit].activities
            if a.counted and a.date <= intake.as_of]


_new = tuple.__new__
"""Builds a named tuple from its values without the Python-level constructor named tuples have."""


def events(activities: list[Activity]) -> list[Event]:
    """Group activities that are the same event: same date and type, a sub-theme in common, one naming the
    other's unit. The event covers every sub-theme of its rows."""
    parent = list(range(len(activities)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    named = {co for a in activities for co in a.co_units}
    index: dict[tuple[str, dt.date, str, int], list[int]] = defaultdict(list)
    for i, a in enumerate(activities):
        if a.unit in named:  # only a unit some row names as co-organiser can be joined to that row
            for sub in a.subthemes:
                index[(a.unit, a.date, a.kind, sub)].append(i)
    joined: set[int] = set()
    for i, a in enumerate(activities):
        for co in a.co_units:
            for sub in a.subthemes:
                for j in index.get((co, a.date, a.kind, sub), ()):
                    parent[find(j)] = find(i)
                    joined.update((i, j))
    groups: dict[int, list[Activity]] = defaultdict(list)
    for i in sorted(joined):  # rows joined to others (few): each group in the order of its rows
        groups[find(i)].append(activities[i])
    keyed = []
    shared: dict[tuple[str, ...], tuple[frozenset[str], list[str]]] = {}
    for i, first in enumerate(activities):
        if i not in joined:  # the usual case, built without the loops over members
            members: Sequence[Activity] = (first,)
            names: tuple[str, ...] = (first.unit, *first.co_units) if first.co_units else (first.unit,)
            covered = first.subthemes if len(first.subthemes) == 1 else tuple(sorted(set(first.subthemes)))
            participants = first.participants
        else:
            group = groups.pop(find(i), None)
            if group is None:  # its group was built at its first row
                continue
            members, first = tuple(group), group[0]
            names = tuple(u for a in members for u in (a.unit, *a.co_units))
            covered = tuple(sorted({s for a in members for s in a.subthemes}))
            participants = max(a.participants for a in members)
        known = shared.get(names)
        if known is None:  # one set, and its names in order, per group of units
            known = shared[names] = frozenset(names), sorted(set(names))
        event = _new(Event, (first.date, first.kind, covered, known[0], participants, first, tuple(members[1:])))
        keyed.append(((first.date, first.kind, covered, known[1]), event))
    keyed.sort(key=itemgetter(0))
    return [event for _, event in keyed]
