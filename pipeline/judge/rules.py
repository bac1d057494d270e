"""SPEC §4 rules R1–R8: pure functions of a unit's facts, the as-of date and the previous run, returning `Gap`s.

One function per rule; `evaluate_unit` applies them all in one place: it gives a 未报送 unit its single
R5 gap, merges gaps of the same unit, rule and level into one, derives the status, and only then adds
R8, a 提醒 that needs that status and never changes it.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from pipeline.config.campaign import Campaign, Unit
from pipeline.config.roster import Roster
from pipeline.judge import texts as T
from pipeline.judge.facts import UnitFacts, is_overdue
from pipeline.model import GAP_LEVELS, Gap, GapLevel, RunSnapshot, UnitStatus

R1 = "R1 大讨论次数"
R2 = "R2 子主题责任"
R3 = "R3 讨论转行动"
R4 = "R4 查摆整改"
R5 = "R5 按时报送"
R6 = "R6 宣传报道"
R7 = "R7 序时进度"
R8 = "R8 持续无进展"


@dataclass(frozen=True)
class RuleContext:
    campaign: Campaign
    roster: Roster
    as_of: dt.date
    previous: RunSnapshot | None = None
    """The last run before this one, from the history (R8); None without history."""

    @property
    def after_deadline(self) -> bool:
        return self.as_of > self.campaign.deadline

    @property
    def owed_level(self) -> GapLevel:
        """待完成 until the deadline day inclusive, 未达标 after it."""
        return "未达标" if self.after_deadline else "待完成"

    @property
    def next_report(self) -> dt.date:
        return min(self.as_of + dt.timedelta(days=self.campaign.report_interval_days), self.campaign.deadline)

    def gap(self, facts: UnitFacts, rule: str, level: GapLevel, description: str, suggestion: str,
            deadline: dt.date) -> Gap:
        return Gap(unit=facts.unit.name, rule=rule, level=level, description=description, suggestion=suggestion,
                   deadline=deadline, days_left=(deadline - self.as_of).days)


def r1_discussions(f: UnitFacts, ctx: RuleContext) -> list[Gap]:
    need = ctx.campaign.min_discussions
    if not ctx.roster.is_discussion_unit(f.unit) or f.discussions >= need:
        return []
    return [ctx.gap(f, R1, ctx.owed_level, T.r1_gap(f.discussions, need),
                    T.r1_todo(need - f.discussions, ctx.campaign.deadline, ctx.as_of), ctx.campaign.deadline)]


def r2_subthemes(f: UnitFacts, ctx: RuleContext) -> list[Gap]:
    missing = [s for s in ctx.roster.required_subthemes(f.unit) if s not in f.covered]
    if not missing:
        return []
    titles = [ctx.campaign.label(s) for s in missing]
    return [ctx.gap(f, R2, ctx.owed_level, T.r2_gap(missing), T.r2_todo(titles, ctx.campaign.deadline, ctx.as_of),
                    ctx.campaign.deadline)]


def r3_actions(f: UnitFacts, ctx: RuleContext) -> list[Gap]:
    if not ctx.roster.is_discussion_unit(f.unit) or f.actions >= 1:
        return []
    return [ctx.gap(f, R3, ctx.owed_level, T.R3_GAP, T.r3_todo(ctx.campaign.deadline, ctx.as_of), ctx.campaign.deadline)]


def r4_rectification(f: UnitFacts, ctx: RuleContext) -> list[Gap]:
    gaps = []
    deadline = ctx.campaign.deadline
    if ctx.roster.is_discussion_unit(f.unit) and not f.rectifications:
        gaps.append(ctx.gap(f, R4, ctx.owed_level, T.R4A_GAP, T.r4a_todo(deadline, ctx.as_of), deadline))
    incomplete = [(r.row, [name for name, value in (("整改措施", r.measure), ("责任人", r.owner),
                                                    ("整改时限", r.due_text)) if not value])
                  for r in f.rectifications]
    incomplete = [(row, fields) for row, fields in incomplete if fields]
    if incomplete:
        gaps.append(ctx.gap(f, R4, ctx.owed_level, T.r4b_gap(incomplete), T.r4b_todo(deadline, ctx.as_of), deadline))
    overdue = sorted((r for r in f.rectifications if is_overdue(r, ctx.as_of)), key=lambda r: (r.due, r.row))
    if overdue:
        first_due = overdue[0].due
        assert first_due is not None
        gaps.append(ctx.gap(f, R4, "未达标", T.r4c_gap([(r.row, r.description, r.due) for r in overdue]),
                            T.r4c_todo(first_due, ctx.as_of), first_due))
    return gaps


def first_due(campaign: Campaign, *, unit: Unit) -> dt.date:
    """R5(a)'s due date: start + one interval, the first report date; for a unit that joined later (`joined`), the
    first report date (start + a whole number of intervals) after the day it joined, so it has up to one interval
    as every unit had at the start, and is not told 已逾期 before it could report."""
    interval = campaign.report_interval_days
    joined = campaign.start_of(unit)
    periods = max(1, -(-((joined - campaign.start).days + 1) // interval))
    return min(campaign.start + dt.timedelta(days=periods * interval), campaign.deadline)


def r5_reporting(f: UnitFacts, ctx: RuleContext, *, open_gaps: bool) -> list[Gap]:
    interval = ctx.campaign.report_interval_days
    if f.submission is None:
        due = first_due(ctx.campaign, unit=f.unit)
        level: GapLevel = "未达标" if ctx.as_of > due else "待完成"
        owed = T.owed_summary(ctx.campaign, ctx.roster, f.unit, discussions=f.discussions, actions=f.actions,
                              covered=f.covered)
        gone = [(r.file, r.reason) for r in f.gone]
        if f.only_gone:  # it reported then: asked by the next report date (its 整改建议), R5(a)'s due kept (SPEC §4)
            return [ctx.gap(f, R5, level, T.r5a_gone_gap(gone), T.r5a_gone_todo(ctx.next_report, owed, ctx.as_of), due)]
        if f.unused:  # what was received decides what it does; a ledger gone beside it is said apart, and asked
            # for by the next report date, as it reported then
            todo = T.r5a_early_todo if f.only_early else T.r5a_resend_todo if f.only_cut_short else T.r5a_received_todo
            received = [(r.file, r.reason) for r in f.received]
            by = ctx.next_report if gone else due
            return [ctx.gap(f, R5, level, T.r5a_received_gap(received, gone=gone), todo(by, owed, ctx.as_of), due)]
        return [ctx.gap(f, R5, level, T.R5A_GAP, T.r5a_todo(due, owed, ctx.as_of), due)]
    age = (ctx.as_of - f.submission.effective_date).days
    if open_gaps and age > interval:
        stale = T.r5b_gap(f.submission.effective_date, age, dated_by=f.submission.dated_by)
        return [ctx.gap(f, R5, "提醒", stale, T.r5b_todo(ctx.next_report, ctx.as_of), ctx.next_report)]
    return []


def r6_publicity(f: UnitFacts, ctx: RuleContext) -> list[Gap]:
    if not ctx.roster.is_publicity_unit(f.unit):
        return []
    if not f.publicity:
        return [ctx.gap(f, R6, ctx.owed_level, T.R6A_GAP, T.r6a_todo(ctx.campaign.deadline, ctx.as_of),
                        ctx.campaign.deadline)]
    since = ctx.as_of - dt.timedelta(days=ctx.campaign.report_interval_days)
    if ctx.as_of < ctx.campaign.deadline and not any(since <= p.date <= ctx.as_of for p in f.publicity):
        return [ctx.gap(f, R6, "提醒", T.r6b_gap(since, ctx.as_of), T.r6b_todo(ctx.next_report, ctx.as_of), ctx.next_report)]
    return []


def scheduled_discussions(campaign: Campaign, *, as_of: dt.date, unit: Unit) -> int:
    """R7's 序时进度: the 大讨论 a unit should have held by as_of, pro rata over its window, from the campaign's start
    (or the day it joined: Campaign.start_of) to the deadline."""
    start = campaign.start_of(unit)
    window = (campaign.deadline - start).days
    elapsed = max(0, (as_of - start).days)
    return campaign.min_discussions * elapsed // window if window > 0 else 0


def r7_schedule(f: UnitFacts, ctx: RuleContext) -> list[Gap]:
    if not ctx.roster.is_discussion_unit(f.unit) or ctx.as_of >= ctx.campaign.deadline:
        return []
    required = scheduled_discussions(ctx.campaign, as_of=ctx.as_of, unit=f.unit)
    if f.discussions >= required:
        return []
    return [ctx.gap(f, R7, "滞后", T.r7_gap(f.discussions, required), T.r7_todo(required, ctx.next_report, ctx.as_of),
                    ctx.next_report)]


def r8_progress(f: UnitFacts, ctx: RuleContext, *, status: UnitStatus) -> list[Gap]:
    """A unit not 已达标 whose counted activities did not grow since its previous report (needs history)."""
    previous = ctx.previous.units.get(f.unit.name) if ctx.previous else None
    if ctx.previous is None or previous is None or status in ("已达标", "未报送"):
        return []
    now = f.discussions + f.actions
    if now > previous.activities:
        return []
    return [ctx.gap(f, R8, "提醒", T.r8_gap(ctx.previous.as_of, now), T.r8_todo(ctx.next_report, ctx.as_of), ctx.next_report)]


PER_UNIT_RULES: tuple[Callable[[UnitFacts, RuleContext], list[Gap]], ...] = (
    r1_discussions, r2_subthemes, r3_actions, r4_rectification, r6_publicity, r7_schedule,
)


def _merge(gaps: list[Gap]) -> list[Gap]:
    """At most one gap per unit, rule and level: texts joined, the earliest deadline kept."""
    merged: dict[tuple[str, str, str], Gap] = {}
    for gap in gaps:
        key = (gap.unit, gap.rule, gap.level)
        if key not in merged:
            merged[key] = gap
            continue
        old = merged[key]
        deadline = min(old.deadline, gap.deadline)
        merged[key] = replace(
            old, description=f"{old.description}；{gap.description}", suggestion=f"{old.suggestion}；{gap.suggestion}",
            deadline=deadline, days_left=old.days_left if deadline == old.deadline else gap.days_left)
    return list(merged.values())


@dataclass(frozen=True)
class Verdict:
    """What the rules say about one unit: its status and every gap, R8 last."""

    status: UnitStatus
    gaps: tuple[Gap, ...]


def _gaps_r1_to_r7(f: UnitFacts, ctx: RuleContext) -> list[Gap]:
    """A unit with no submission gets only R5(a), which states everything it owes."""
    if f.submission is None:
        return r5_reporting(f, ctx, open_gaps=True)
    gaps = [gap for rule in PER_UNIT_RULES for gap in rule(f, ctx)]
    open_gaps = any(g.level in ("待完成", "滞后") for g in gaps)
    gaps += r5_reporting(f, ctx, open_gaps=open_gaps)
    return _merge(gaps)


def evaluate_unit(f: UnitFacts, ctx: RuleContext) -> Verdict:
    """R1–R8 for one unit. R8 is judged on the status the other gaps give and, being a 提醒, leaves it as is."""
    gaps = _gaps_r1_to_r7(f, ctx)
    status = unit_status(gaps, submitted=f.submitted)
    return Verdict(status=status, gaps=(*gaps, *r8_progress(f, ctx, status=status)))


def unit_status(gaps: list[Gap], *, submitted: bool) -> UnitStatus:
    """First that applies: 未报送 → 未达标 → 滞后 → 进行中 → 已达标 (提醒 never changes it)."""
    levels = {g.level for g in gaps}
    if not submitted:
        return "未报送"
    if "未达标" in levels:
        return "未达标"
    if "滞后" in levels:
        return "滞后"
    if "待完成" in levels:
        return "进行中"
    return "已达标"


def sort_gaps(gaps: list[Gap], unit_order: dict[str, int]) -> list[Gap]:
    """By level (未达标 first), then unit in roster order, then rule."""
    return sorted(gaps, key=lambda g: (GAP_LEVELS.index(g.level), unit_order.get(g.unit, 0), g.rule))
