"""The 催报提醒 texts: one WeChat message per unit naming every item it owes, most urgent first, each with its date.

Built from the unit's gaps and facts (never from the gaps' sentences), so each number is said once; a message
over `LIMIT` characters keeps its most urgent items and points to the gap list for the rest
(../shared/style/bulletin.md).
"""

import datetime as dt
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Literal, get_args

from pipeline.judge import texts as T
from pipeline.judge.report import Report, UnitRow
from pipeline.judge.rules import R1, R2, R3, R4, R5, R6, R7, R8, scheduled_discussions

ItemKind = Literal["未采用的报送", "未报送", "超期整改", "滞后", "待完成", "提醒"]
ITEM_KINDS: tuple[ItemKind, ...] = get_args(ItemKind)
"""Most urgent first: the order of a unit's items in its message, and of the units in the file."""

LIMIT = 300
"""About what one chat message shows without folding."""


@dataclass(frozen=True)
class Item:
    """One thing a unit owes: what is missing, what to do, and by when."""

    kind: ItemKind
    what: str
    do: str
    due: dt.date


def items(report: Report, row: UnitRow) -> list[Item]:
    """Every item of the unit, most urgent first, then by due date (the order is stable within a day)."""
    c, as_of, facts = report.campaign, report.as_of, row.facts
    rules = {(g.rule, g.level): g for g in row.gaps}
    by_rule = {g.rule: g for g in row.gaps}
    next_report = as_of + dt.timedelta(days=c.report_interval_days)
    out: list[Item] = []
    if row.unused:
        # a unit whose ledger is gone reported last time: asked by the next report date, as its 整改建议 says
        due = (min(next_report, c.deadline) if facts.gone else by_rule[R5].deadline
               if not facts.submitted and R5 in by_rule else next_report)
        named = [f.file for f in facts.gone if f.file != T.GONE_NAME]
        if facts.only_gone and report.previous is not None:
            out.append(Item("未采用的报送", T.remind_gone(report.previous.as_of, files=named), T.REMIND_GONE_DO, due))
        elif facts.received:
            do = T.REMIND_EARLY_DO if facts.only_early else T.REMIND_RESEND_DO if facts.only_cut_short else T.REMIND_UNUSED_DO
            files = [(f.file, f.reason) for f in facts.received]
            out.append(Item("未采用的报送", T.remind_unused(files, reported=facts.submitted, gone=named), do, due))
    if not facts.submitted:
        if not row.unused and R5 in by_rule:
            out.append(Item("未报送", T.REMIND_MISSING, T.REMIND_MISSING_DO, by_rule[R5].deadline))
        if report.roster.is_discussion_unit(row.unit):  # less what it is credited with as a 协办单位 (SPEC §3)
            out.append(Item("待完成", T.remind_owed_discussions(c.min_discussions, done=facts.discussions,
                                                                 actions=facts.actions), T.REMIND_DO, c.deadline))
        if missing := [s for s in row.required if s not in facts.covered]:
            out.append(Item("待完成", T.remind_owed_subthemes(missing), T.REMIND_DO, c.deadline))
        if report.roster.is_publicity_unit(row.unit):
            out.append(Item("待完成", T.REMIND_OWED_PUBLICITY, T.REMIND_DO, c.deadline))
        return _ordered(out)
    rects = facts.rectifications
    r4 = [g for g in row.gaps if g.rule == R4]
    if row.overdue:
        first = min(g.deadline for g in r4 if g.level == "未达标")
        out.append(Item("超期整改", T.remind_overdue(row.overdue), T.REMIND_OVERDUE_DO, first))
    said = False
    if (R7, "滞后") in rules:
        gap = rules[(R7, "滞后")]
        out.append(Item("滞后", T.remind_behind(facts.discussions, scheduled_discussions(c, as_of=as_of, unit=row.unit)), "补齐", gap.deadline))
        said = True
    owed = [g for g in row.gaps if g.level in ("待完成", "未达标")]
    for gap in owed:
        if gap.rule == R1:
            out.append(Item("待完成", T.remind_discussions(facts.discussions, c.min_discussions, said=said),
                            T.REMIND_DO, gap.deadline))
        elif gap.rule == R2:
            missing = [s for s in row.required if s not in facts.covered]
            out.append(Item("待完成", T.remind_subthemes(missing), "补齐", gap.deadline))
        elif gap.rule == R3:
            out.append(Item("待完成", T.REMIND_ACTIONS, T.REMIND_DO, gap.deadline))
        elif gap.rule == R6:
            out.append(Item("待完成", T.REMIND_PUBLICITY, T.REMIND_DO, gap.deadline))
    if r4 and not rects and report.roster.is_discussion_unit(row.unit):
        out.append(Item("待完成", T.REMIND_REGISTER, T.REMIND_DO, c.deadline))
    incomplete = sum(1 for r in rects if not (r.measure and r.owner and r.due_text))
    if r4 and incomplete:
        out.append(Item("待完成", T.remind_incomplete(incomplete), "补全", c.deadline))
    for gap in row.gaps:
        if gap.level != "提醒":
            continue
        if gap.rule == R5 and row.last_filed and row.facts.submission:
            stale = T.remind_stale(row.last_filed, (as_of - row.last_filed).days, dated_by=row.facts.submission.dated_by)
            out.append(Item("提醒", stale, T.REMIND_STALE_DO, gap.deadline))
        elif gap.rule == R6:
            out.append(Item("提醒", T.REMIND_NO_NEWS, T.REMIND_NO_NEWS_DO, gap.deadline))
        elif gap.rule == R8 and report.previous:
            out.append(Item("提醒", T.remind_no_progress(report.previous.as_of), T.REMIND_NO_PROGRESS_DO, gap.deadline))
    return _ordered(out)


def _ordered(found: list[Item]) -> list[Item]:
    return sorted(found, key=lambda i: (ITEM_KINDS.index(i.kind), i.due))


def clauses(chosen: list[Item], as_of: dt.date) -> list[str]:
    """Neighbouring items due the same (future) day share one date; a passed date is said per item. The item
    about files not used keeps its own date and what to do about them (a shared 请于…前完成 would lose it)."""
    out = []
    for (due, _), group in groupby(chosen, key=lambda i: (i.due, i.kind == "未采用的报送")):
        same = list(group)
        if len(same) == 1 or due < as_of:
            out += [f"{i.what}{T.when(i.due, as_of, i.do)}" for i in same]
        else:
            do = same[0].do if len({i.do for i in same}) == 1 else T.REMIND_DO
            out.append(f"{'，'.join(i.what for i in same)}{T.when(due, as_of, do)}")
    return out


def reminder(report: Report, row: UnitRow) -> str:
    """The unit's message: all its items if they fit in `LIMIT` characters, else the most urgent ones and a count."""
    office, as_of = report.campaign.office, report.as_of
    found = items(report, row)
    for keep in range(len(found), 0, -1):
        said = clauses(found[:keep], as_of)
        if keep < len(found):
            said.append(T.remind_more(len(found) - keep))
        message = T.reminder_message(office, row.unit.name, as_of, said)
        if len(message) <= LIMIT:
            return message
    return message


def reminders(report: Report) -> list[tuple[str, str]]:
    """(unit, message) for every unit with a gap or an unused file, most urgent units first; none for the rest."""
    owing = [(found, r) for r in report.rows if (found := items(report, r))]
    owing.sort(key=lambda pair: (ITEM_KINDS.index(pair[0][0].kind), pair[0][0].due))
    return [(r.unit.name, reminder(report, r)) for _, r in owing]


def write_reminders(report: Report, path: Path) -> None:
    """UTF-8 with BOM and CRLF, so Notepad on the office PC shows it right."""
    found = reminders(report)
    lines = [f"催报提醒（截至{T.cn_date(report.as_of)}，共{len(found)}条；每段复制到对应单位的微信群）", ""]
    for _, message in found:
        lines += [message, ""]
    path.write_text("\r\n".join(lines), encoding="utf-8-sig", newline="")
