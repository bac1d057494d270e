"""Per-unit facts the rules judge: counted sessions, covered sub-themes, rectifications, publicity."""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from pipeline.config.campaign import Unit
from pipeline.judge.codes import SelectionCode
from pipeline.judge.merge import Event, Intake
from pipeline.model import FileRecord, PublicityItem, Rectification, Submission
from pipeline.read.refusals import CUT_SHORT


@dataclass(frozen=True)
class UnitFacts:
    unit: Unit
    submission: Submission | None
    discussions: int
    actions: int
    participants: int
    covered: frozenset[int]
    rectifications: tuple[Rectification, ...]
    publicity: tuple[PublicityItem, ...]
    unused: tuple[FileRecord, ...] = ()
    """Files received from the unit but not used (Intake.unused)."""
    early: tuple[FileRecord, ...] = ()
    """Those of `unused` merely sent early for a later report (Intake.early)."""

    @property
    def gone(self) -> tuple[FileRecord, ...]:
        """Those of `unused` the previous report used and the inbox no longer holds (merge.gone_from_inbox): not
        received this time, so never told as 已收到."""
        return tuple(r for r in self.unused if r.code is SelectionCode.GONE_FROM_INBOX)

    @property
    def received(self) -> tuple[FileRecord, ...]:
        """Those of `unused` in the inbox now: received and not used."""
        return tuple(r for r in self.unused if r.code is not SelectionCode.GONE_FROM_INBOX)

    @property
    def only_early(self) -> bool:
        """Every file received and not used was merely sent early: its 填报日期 may be right, nothing to resend (a
        ledger gone from the inbox beside it is told apart, never as received)."""
        return bool(self.received) and len(self.early) == len(self.received)

    @property
    def only_gone(self) -> bool:
        """Every file not used is one the previous report used and the inbox no longer holds: nothing to correct,
        the unit sends its ledger again (merge.gone_from_inbox)."""
        return bool(self.unused) and all(r.code is SelectionCode.GONE_FROM_INBOX for r in self.unused)

    @property
    def only_cut_short(self) -> bool:
        """Every file received and not used arrived incomplete (read.refusals.CUT_SHORT): nothing to correct, the
        unit sends it again (a ledger gone from the inbox beside it is told apart)."""
        return bool(self.received) and all(r.code in CUT_SHORT for r in self.received)

    @property
    def submitted(self) -> bool:
        return self.submission is not None


def is_overdue(rect: Rectification, as_of: dt.date) -> bool:
    """整改时限 < as_of and not 已整改; 长期坚持 never is."""
    return not rect.ongoing and rect.due is not None and rect.due < as_of and rect.status != "已整改"


def unit_facts(units: tuple[Unit, ...], intake: Intake, events: list[Event]) -> dict[str, UnitFacts]:
    """Facts for every roster unit; credited events include those a co-organiser reported."""
    credited: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        for name in event.units:
            credited[name].append(event)
    facts = {}
    for unit in units:
        kinds: Counter[str] = Counter()
        participants, covered = 0, set[int]()
        for e in credited.get(unit.name, ()):  # one pass over a unit's events
            kinds[e.kind] += 1
            participants += e.participants_of(unit.name)
            covered.update(e.subthemes)
        sub = intake.adopted.get(unit.name)
        publicity = tuple(p for p in sub.publicity if p.date <= intake.as_of) if sub else ()
        facts[unit.name] = UnitFacts(
            unit=unit, submission=sub, discussions=kinds["大讨论"], actions=kinds["大行动"],
            participants=participants, covered=frozenset(covered),
            rectifications=sub.rectifications if sub else (),
            publicity=publicity,
            unused=intake.unused.get(unit.name, ()),
            early=intake.early.get(unit.name, ()),
        )
    return facts
