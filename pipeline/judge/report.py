"""The report for one as-of date: one object that drives the workbook, the gap lists and the CLI summary."""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property
from typing import get_args

from pipeline.config.campaign import Campaign, Unit
from pipeline.config.roster import Roster
from pipeline.judge import texts as T
from pipeline.judge.facts import UnitFacts, is_overdue, unit_facts
from pipeline.judge.merge import Event, Intake, counted_activities, events, gone_from_inbox, select
from pipeline.judge.renames import follow_renames, former_units
from pipeline.judge.rules import RuleContext, evaluate_unit, sort_gaps
from pipeline.model import (
    STATUSES,
    ActivityKind,
    FileRecord,
    Gap,
    Outcome,
    Problem,
    RunSnapshot,
    UnitSnapshot,
    UnitStatus,
    count_results,
)


@dataclass(frozen=True)
class UnitRow:
    """One row of 单位进度."""

    unit: Unit
    status: UnitStatus
    facts: UnitFacts
    required: tuple[int, ...]
    exempted: tuple[int, ...]
    problems_found: int
    rectified: int
    overdue: int
    last_filed: dt.date | None
    gaps: tuple[Gap, ...]

    @property
    def unused(self) -> tuple[FileRecord, ...]:
        """Files received from this unit but not used, with why (SPEC §3 received is not silence)."""
        return self.facts.unused

    @property
    def filed_note(self) -> str:
        """Beside `last_filed`, what it is when the unit's file has no 填报日期 (dated by its latest row), else ""."""
        sub = self.facts.submission
        return T.undated(sub.dated_by) if sub is not None and sub.dated_by else ""

    @property
    def covered(self) -> tuple[int, ...]:
        return tuple(s for s in self.required if s in self.facts.covered)


@dataclass(frozen=True)
class SubthemeTotal:
    subtheme: int
    discussions: int
    actions: int
    participants: int
    units_required: int
    units_covered: int


@dataclass(frozen=True)
class Report:
    campaign: Campaign
    roster: Roster
    as_of: dt.date
    intake: Intake
    events: tuple[Event, ...]
    rows: tuple[UnitRow, ...]
    gaps: tuple[Gap, ...]
    history: tuple[RunSnapshot, ...] = ()

    @property
    def previous(self) -> RunSnapshot | None:
        return self.history[-1] if self.history else None

    def snapshot(self) -> RunSnapshot:
        """This report's per-unit metrics, as the history keeps them."""
        return RunSnapshot(
            as_of=self.as_of, units_total=len(self.rows), submitted=self.submitted,
            discussions=self.sessions("大讨论"), actions=self.sessions("大行动"), participants=self.participants(),
            units={
            r.unit.name: UnitSnapshot(status=r.status, discussions=r.facts.discussions, actions=r.facts.actions,
                                      participants=r.facts.participants,
                                      file=r.facts.submission.file if r.facts.submission else "",
                                      sha256=r.facts.submission.sha256 if r.facts.submission else "")
            for r in self.rows})

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.intake.problems

    @property
    def days_left(self) -> int:
        return (self.campaign.deadline - self.as_of).days

    @property
    def by_status(self) -> dict[str, int]:
        counts = Counter(r.status for r in self.rows)
        return {s: counts.get(s, 0) for s in STATUSES}

    @property
    def submitted(self) -> int:
        return sum(1 for r in self.rows if r.facts.submitted)

    @property
    def on_time(self) -> int:
        """Units whose submission is no older than one reporting interval."""
        interval = self.campaign.report_interval_days
        return sum(1 for r in self.rows if r.facts.submission is not None
                   and (self.as_of - r.facts.submission.effective_date).days <= interval)

    def sessions(self, kind: ActivityKind) -> int:
        return self._by_kind[kind][0]

    def participants(self, kind: ActivityKind | None = None) -> int:
        return sum(p for _, p in self._by_kind.values()) if kind is None else self._by_kind[kind][1]

    @cached_property
    def _by_kind(self) -> dict[str, tuple[int, int]]:
        """Sessions and participants of each activity type, from one pass over the events (the overview and the
        bulletin ask for them several times)."""
        tally: dict[str, list[int]] = {kind: [0, 0] for kind in get_args(ActivityKind)}
        for e in self.events:
            counts = tally[e.kind]
            counts[0] += 1
            counts[1] += e.participants
        return {kind: (n, people) for kind, (n, people) in tally.items()}

    def subtheme_totals(self) -> list[SubthemeTotal]:
        return list(self._subtheme_totals)

    @cached_property
    def _subtheme_totals(self) -> tuple[SubthemeTotal, ...]:
        """One pass over the events (40,000 for a county's 1,000 units), not one pass per sub-theme; an event
        lists each of its sub-themes once."""
        tally = {sub.id: {"大讨论": 0, "大行动": 0, "participants": 0} for sub in self.campaign.subthemes}
        for e in self.events:
            for sub_id in e.subthemes:
                counts = tally.get(sub_id)
                if counts is not None:
                    if e.kind in counts:
                        counts[e.kind] += 1
                    counts["participants"] += e.participants
        out = []
        for sub in self.campaign.subthemes:
            required = [r for r in self.rows if sub.id in r.required]
            counts = tally[sub.id]
            out.append(SubthemeTotal(
                subtheme=sub.id, discussions=counts["大讨论"], actions=counts["大行动"],
                participants=counts["participants"], units_required=len(required),
                units_covered=sum(1 for r in required if sub.id in r.covered)))
        return tuple(out)

    def files_by_result(self) -> dict[str, int]:
        return count_results(self.intake.files)

    def problems_of(self, unit: str) -> tuple[Problem, ...]:
        return self._problems_by_unit.get(unit, ())

    @cached_property
    def _problems_by_unit(self) -> dict[str, tuple[Problem, ...]]:
        grouped: dict[str, list[Problem]] = defaultdict(list)
        for problem in self.problems:
            grouped[problem.unit].append(problem)
        return {unit: tuple(found) for unit, found in grouped.items()}


def build_report(*, campaign: Campaign, roster: Roster, outcomes: list[Outcome], as_of: dt.date,
                 history: tuple[RunSnapshot, ...] = ()) -> Report:
    """Select each unit's submission for as_of, merge, apply the rules (R8 with history). Pure: no I/O."""
    history = follow_renames(history, roster=roster)
    intake = gone_from_inbox(select(outcomes, as_of=as_of, window=(campaign.start, campaign.deadline)),
                             history[-1] if history else None, units=frozenset(u.name for u in campaign.units))
    intake = former_units(intake, history=history, roster=roster)
    merged = events(counted_activities(intake))
    facts = unit_facts(campaign.units, intake, merged)
    ctx = RuleContext(campaign=campaign, roster=roster, as_of=as_of, previous=history[-1] if history else None)
    rows = []
    for unit in campaign.units:
        f = facts[unit.name]
        verdict = evaluate_unit(f, ctx)
        rects = f.rectifications
        rows.append(UnitRow(
            unit=unit, status=verdict.status, facts=f,
            required=roster.required_subthemes(unit), exempted=roster.exempted_subthemes(unit),
            problems_found=len(rects), rectified=sum(1 for r in rects if r.status == "已整改"),
            overdue=sum(1 for r in rects if is_overdue(r, as_of)),
            last_filed=f.submission.effective_date if f.submission else None,
            gaps=verdict.gaps))
    order = {u.name: i for i, u in enumerate(campaign.units)}
    all_gaps = sort_gaps([g for r in rows for g in r.gaps], order)
    return Report(campaign=campaign, roster=roster, as_of=as_of, intake=intake, events=tuple(merged),
                  rows=tuple(rows), gaps=tuple(all_gaps), history=history)
