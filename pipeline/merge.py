"""Outcomes of all files → the submission each unit stands on for an as-of date, and the merged ledger.

Which file counts is decided by 填报日期 only (never modification times); jointly organised
activities are credited to every unit involved and counted once campaign-wide.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from pipeline import ingest_texts as T
from pipeline.inbox import Ignored, Outcome
from pipeline.ingest import Refusal
from pipeline.model import Activity, FileRecord, FileResult, Problem, Submission


@dataclass(frozen=True)
class Intake:
    """What the report for one as-of date stands on."""

    as_of: dt.date
    adopted: dict[str, Submission]
    files: tuple[FileRecord, ...]

    @property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(p for unit in sorted(self.adopted) for p in self.adopted[unit].problems)


def _record(sub: Submission, result: FileResult, reason: str = "") -> FileRecord:
    return FileRecord(file=sub.file, unit=sub.unit, result=result,
                      reason=reason, activities=len(sub.activities), rectifications=len(sub.rectifications),
                      publicity=len(sub.publicity), sha256=sub.sha256)


def select(outcomes: list[Outcome], *, as_of: dt.date) -> Intake:
    """Each unit's newest file with 填报日期 ≤ as_of; ties by more rows, then the later file name (with a 警告)."""
    records: dict[str, FileRecord] = {}
    by_unit: dict[str, list[Submission]] = defaultdict(list)
    for outcome in outcomes:
        if isinstance(outcome, Ignored):
            records[outcome.file] = FileRecord(file=outcome.file, result="已忽略", reason=outcome.reason)
        elif isinstance(outcome, Refusal):
            records[outcome.file] = FileRecord(file=outcome.file, unit=outcome.unit, result="未采用",
                                               reason=outcome.reason, sha256=outcome.sha256)
        elif outcome.effective_date > as_of:
            records[outcome.file] = _record(outcome, "未采用", T.filed_after_as_of(outcome.effective_date, as_of))
        else:
            by_unit[outcome.unit].append(outcome)
    adopted: dict[str, Submission] = {}
    for unit, subs in by_unit.items():
        ranked = sorted(subs, key=lambda s: (s.effective_date, s.data_rows, s.file))
        chosen = ranked[-1]
        tied = [s.file for s in ranked if s.effective_date == chosen.effective_date]
        if len(tied) > 1:
            tie = Problem(code="tie", file=chosen.file, sheet="基本信息", cell="", unit=unit, level="警告",
                          message=T.tie(chosen.effective_date, chosen.file, tied), hint=T.TIE_HINT)
            chosen = chosen.model_copy(update={"problems": (*chosen.problems, tie)})
        adopted[unit] = chosen
        records[chosen.file] = _record(chosen, "已采用")
        for older in ranked[:-1]:
            records[older.file] = _record(older, "已被新版本替代", T.superseded_by(chosen.file))
    files = tuple(records[name] for name in sorted(records))
    return Intake(as_of=as_of, adopted=adopted, files=files)


@dataclass(frozen=True)
class Event:
    """One real-world activity, possibly reported by several co-organising units."""

    date: dt.date
    kind: str
    subtheme: int
    units: frozenset[str]
    participants: int
    activities: tuple[Activity, ...]


def counted_activities(intake: Intake) -> list[Activity]:
    return [a for unit in sorted(intake.adopted) for a in intake.adopted[unit].activities
            if a.counted and a.date <= intake.as_of]


def events(activities: list[Activity]) -> list[Event]:
    """Group activities that are the same event: same date, type and sub-theme, one naming the other's unit."""
    parent = list(range(len(activities)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    index: dict[tuple[str, dt.date, str, int], list[int]] = defaultdict(list)
    for i, a in enumerate(activities):
        index[(a.unit, a.date, a.kind, a.subtheme)].append(i)
    for i, a in enumerate(activities):
        for co in a.co_units:
            for j in index.get((co, a.date, a.kind, a.subtheme), []):
                parent[find(j)] = find(i)
    groups: dict[int, list[Activity]] = defaultdict(list)
    for i, a in enumerate(activities):
        groups[find(i)].append(a)
    out = []
    for members in groups.values():
        first = members[0]
        units = frozenset(u for a in members for u in (a.unit, *a.co_units))
        out.append(Event(date=first.date, kind=first.kind, subtheme=first.subtheme, units=units,
                         participants=max(a.participants for a in members), activities=tuple(members)))
    return sorted(out, key=lambda e: (e.date, e.kind, e.subtheme, sorted(e.units)))
