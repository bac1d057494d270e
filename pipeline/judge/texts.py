"""User-facing Chinese text of the rules' gaps and the report's labels, kept in one place."""

import datetime as dt
from collections.abc import Sequence

from pipeline.config.campaign import Campaign, Unit
from pipeline.config.roster import Roster
from pipeline.model import FileRecord


def cn_date(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def md(value: dt.date) -> str:
    return f"{value.month}月{value.day}日"


def ids(values: Sequence[int]) -> str:
    return "、".join(str(v) for v in values)


def by(due: dt.date, as_of: dt.date, *, please: bool = False) -> str:
    """When to do something: `2027年2月4日前` (`请于…前`), or once that day has passed `已逾期N天，请立即`:
    a date in the past is never a deadline."""
    if due < as_of:
        return f"已逾期{(as_of - due).days}天，请立即"
    return f"请于{cn_date(due)}前" if please else f"{cn_date(due)}前"


def after_as_of(when: dt.date, as_of: dt.date) -> str:
    return f"日期 {when.isoformat()} 晚于统计日期 {as_of.isoformat()}，本期不计入"


def r1_gap(done: int, need: int) -> str:
    return f"大讨论已开展{done}次，还差{need - done}次（要求不少于{need}次）"


def r1_todo(more: int, deadline: dt.date, as_of: dt.date) -> str:
    return f"{by(deadline, as_of)}再组织开展{more}次大讨论，并及时录入“活动台账”"


def r2_gap(missing: Sequence[int]) -> str:
    return f"子主题{ids(missing)}未开展"


def r2_todo(labels: Sequence[str], deadline: dt.date, as_of: dt.date) -> str:
    each = "各" if len(labels) > 1 else ""
    return f"{by(deadline, as_of)}围绕{'、'.join('“' + t + '”' for t in labels)}{each}开展至少1次大讨论或大行动"


R3_GAP = "尚未开展大行动（讨论成果尚未转化为行动）"


def r3_todo(deadline: dt.date, as_of: dt.date) -> str:
    if deadline < as_of:
        return f"{by(deadline, as_of)}把讨论成果转化为实际行动，至少开展1次大行动"
    return f"把讨论成果转化为实际行动，{cn_date(deadline)}前至少开展1次大行动"


R4A_GAP = "尚未登记大讨论中查摆出的问题"


def r4a_todo(deadline: dt.date, as_of: dt.date) -> str:
    return f"{by(deadline, as_of)}在“问题整改”表登记查摆出的问题及整改措施"


def r4b_gap(rows: Sequence[tuple[int, Sequence[str]]]) -> str:
    detail = "；".join(f"第{row}行缺{'、'.join(fields)}" for row, fields in rows)
    return f"{len(rows)}个问题的整改要素不全（“问题整改”表{detail}）"


def r4b_todo(deadline: dt.date, as_of: dt.date) -> str:
    return f"{by(deadline, as_of)}补全每个问题的整改措施、责任人和整改时限"


def r4c_gap(items: Sequence[tuple[int, str, dt.date | None]]) -> str:
    detail = "；".join(f"第{row}行“{text[:20]}”（时限{cn_date(due) if due else ''}）" for row, text, due in items)
    return f"{len(items)}个问题超期未整改：{detail}"


def r4c_todo(due: dt.date, as_of: dt.date) -> str:
    return f"{by(due, as_of)}完成整改，并在“问题整改”表更新整改状态和完成日期"

R5A_GAP = "尚未报送台账"


def owed_summary(campaign: Campaign, roster: Roster, unit: Unit, *, discussions: int = 0, actions: int = 0,
                 covered: frozenset[int] = frozenset()) -> str:
    """Everything a unit that has not reported owes by the deadline, in one sentence: less what it is already
    credited with as another unit's 协办单位 (SPEC §3), which 单位进度 shows for it."""
    parts = []
    if roster.is_discussion_unit(unit):
        left = max(0, campaign.min_discussions - discussions)
        owed = [f"大讨论不少于{campaign.min_discussions}次" if not discussions
                else f"大讨论再开展{left}次（作为协办单位已计{discussions}次）" if left else "",
                "" if actions else "大行动至少1次", "查摆问题并逐一整改"]
        parts.append("、".join(p for p in owed if p))
    required = [s for s in roster.required_subthemes(unit) if s not in covered]
    if required:
        each = "各" if len(required) > 1 else ""
        parts.append(f"子主题{ids(required)}{each}至少开展1次活动")
    if roster.is_publicity_unit(unit):
        parts.append("报送宣传报道")
    owed_text = "；".join(parts) if parts else "按要求开展活动并如实填报"
    return f"截至{cn_date(campaign.deadline)}须完成：{owed_text}"


def r5a_todo(due: dt.date, owed: str, as_of: dt.date) -> str:
    return f"{by(due, as_of, please=True)}报送台账（用乡创城办下发的模板填写）。{owed}"


GONE_NAME = "上期采用的台账"
"""What a file gone from the inbox is called when the history entry does not say which it was: its reason says it
all, so it is never put in 《》 as a file name."""


def gone_names(files: Sequence[FileRecord]) -> str:
    """Ledgers gone from the inbox, for a short cell: `《荷花村.xlsx》（上期周报采用的台账）`, or its own words
    for one whose history entry kept no name (GONE_NAME)."""
    names = "、".join(f"《{f.file}》" for f in files if f.file != GONE_NAME)
    return f"{names}（上期周报采用的台账）" if names else "上期周报采用的台账"


def received(files: Sequence[tuple[str, str]]) -> str:
    """Files received but not used, each with why: `《a.xlsx》：填报日期晚于…`, joined by `；` (a ledger gone
    from the inbox without its name: its reason alone)."""
    return "；".join(reason.rstrip("。") if name == GONE_NAME else f"《{name}》：{reason.rstrip('。')}"
                    for name, reason in files)


def r5a_received_gap(files: Sequence[tuple[str, str]], *, gone: Sequence[tuple[str, str]] = ()) -> str:
    """`gone`: ledgers the previous report used, no longer in the inbox (never said to be received)."""
    also = f"。另：{received(gone)}" if gone else ""
    return f"已收到台账，但未能采用（按未报送统计）。{received(files)}{also}"


def r5a_received_todo(due: dt.date, owed: str, as_of: dt.date) -> str:
    return f"请按差距说明中的原因核对更正台账，{by(due, as_of)}重新报送。{owed}"


def r5a_resend_todo(due: dt.date, owed: str, as_of: dt.date) -> str:
    """Every file received arrived incomplete (UnitFacts.only_cut_short): the unit sends it again, unchanged."""
    return f"{by(due, as_of, please=True)}重新报送一次（收到的文件不完整，原文件不必修改）。{owed}"


def r5a_gone_gap(files: Sequence[tuple[str, str]]) -> str:
    """Every file not used is one the previous report used, gone from the inbox (judge.merge.gone_from_inbox): the
    unit did report, so it is not told 尚未报送 or 已收到…未能采用."""
    return f"上期已报送，本期收件箱中没有本单位的台账（按未报送统计）。{received(files)}"


def r5a_gone_todo(due: dt.date, owed: str, as_of: dt.date) -> str:
    """`due`: the next report date (RuleContext.next_report), by which it is asked for its ledger (it met R5(a)'s
    first due date, which the gap's 截止日期 keeps: SPEC §4); nothing to correct."""
    when = f"请于下次统计日期（{cn_date(due)}）前" if due >= as_of else by(due, as_of)
    return f"{when}把本单位最新的台账再报送一次（没有变化的照原样报送）。{owed}"


def r5a_early_todo(due: dt.date, owed: str, as_of: dt.date) -> str:
    """Every file received is merely dated after the report date (Intake.early): the date may be right."""
    return f"请核对填报日期：无误则不必重报，统计日期到该日后即采用；如填错，{by(due, as_of, please=True)}更正后重新报送。{owed}"


def r5b_gap(filed: dt.date, age: int, *, dated_by: str = "") -> str:
    """`dated_by`: the date column a file without 填报日期 is dated by (Submission.dated_by), said as that."""
    if dated_by:
        return f"最近一次报送的台账未填写填报日期（表中最晚{dated_by}为{cn_date(filed)}），已{age}天未更新台账"
    return f"最近一次填报日期为{cn_date(filed)}，已{age}天未更新台账"


def undated(dated_by: str) -> str:
    """What a 最近填报日期 cell says beside the date of a file without 填报日期 (Submission.dated_by: the column of
    its latest row, which dates it): short enough for a table cell."""
    return f"未填写，按最晚{dated_by}"


def undated_filed(filed: str, note: str) -> str:
    """The 最近填报日期 of a file without 填报日期 as text (a gap list's figures, the bulletin's attachment): its
    date as that output writes dates, and what it is (UnitRow.filed_note)."""
    return f"{filed}（{note}）"


def r5b_todo(due: dt.date, as_of: dt.date) -> str:
    return f"{by(due, as_of, please=True)}更新台账并报送乡创城办"


R6A_GAP = "尚未报送宣传报道"


def r6a_todo(deadline: dt.date, as_of: dt.date) -> str:
    return (f"{by(deadline, as_of)}在“宣传报道”表登记宣传信息（微信、公众号、抖音、广播、县融媒体“创城大家谈”等）"
            "及典型案例")


def r6b_gap(since: dt.date, as_of: dt.date) -> str:
    return f"近一个报送周期（{md(since)}至{md(as_of)}）没有新的宣传报道"


def r6b_todo(due: dt.date, as_of: dt.date) -> str:
    return f"{by(due, as_of, please=True)}报送新的宣传信息和典型案例"


def r7_gap(done: int, required: int) -> str:
    return f"大讨论已开展{done}次，按序时进度此时应不少于{required}次，进度滞后"


def r7_todo(required: int, due: dt.date, as_of: dt.date) -> str:
    return f"{by(due, as_of, please=True)}把大讨论补到至少{required}次"


def r8_gap(since: dt.date, count: int) -> str:
    return f"自上次统计（{md(since)}）以来活动数没有增加（仍为{count}次）"


def r8_todo(due: dt.date, as_of: dt.date) -> str:
    if due < as_of:
        return f"{by(due, as_of)}开展活动并更新台账"
    return f"请抓紧开展活动，于{cn_date(due)}前更新台账"


def status_change(before: str, after: str, delta: int) -> str:
    """较上次变化, e.g. `滞后→进行中；活动+2`."""
    status = f"{before}→{after}" if before != after else f"{after}（不变）"
    return f"{status}；活动{delta:+d}" if delta else f"{status}；活动无增加"


# 催报提醒: short clauses, each what is owed (`what`) and what to do by its date (`do`); write/reminders.py
# adds the date and joins them (../shared/style/bulletin.md).
def when(due: dt.date, as_of: dt.date, do: str) -> str:
    """`请于2027年2月4日前补齐`, or for a date already passed `（期限12月15日，已逾期5天），请立即补齐`."""
    if due < as_of:
        return f"（期限{md(due)}，已逾期{(as_of - due).days}天），请立即{do}"
    return f"，请于{cn_date(due)}前{do}"


def remind_unused(files: Sequence[tuple[str, str]], *, reported: bool, gone: Sequence[str] = ()) -> str:
    """`reported`: another file of the unit was used, so the report stands on that one. `gone`: names of ledgers
    the previous report used, no longer in the inbox (never said to be received)."""
    counted = "本期按此前采用的台账统计" if reported else "暂按未报送统计"
    why = received(files) if len(files) > 1 else files[0][1].rstrip("。")
    also = f"；上期采用的{''.join(f'《{name}》' for name in gone)}本期已不在收件箱中" if gone else ""
    return f"报送的{''.join(f'《{name}》' for name, _ in files)}已收到，但未能采用：{why}{also}；{counted}"


def remind_gone(previous: dt.date, *, files: Sequence[str]) -> str:
    """A unit whose every file not used is a ledger the previous report used, gone from the inbox; `files`: their
    names where the history kept them."""
    what = "".join(f"《{name}》" for name in files) or "台账"
    return f"上期（{md(previous)}）已报送，本期收件箱中已没有上期采用的{what}，暂按未报送统计"


REMIND_UNUSED_DO = "更正后重新报送"
REMIND_EARLY_DO = "核对填报日期（无误则不必重报）"
REMIND_GONE_DO = "把最新的台账再报送一次"
REMIND_RESEND_DO = "重新报送一次（收到的文件不完整）"
GONE_HINT = "把本单位最新的台账再报送一次，没有变化的照原样报送"
"""What a unit does about a ledger gone from the inbox (judge.merge.gone_from_inbox): nothing to correct."""
EARLY_HINT = "填报日期无误则不必重报，统计日期到该日后即采用；如填错请更正后重新报送"
"""What a unit does about a file sent early (Intake.early): nothing to correct unless its 填报日期 is a typo."""
REMIND_MISSING = "尚未报送台账"
REMIND_MISSING_DO = "报送台账"


def remind_overdue(count: int) -> str:
    return f"有{count}个问题超期未整改"


REMIND_OVERDUE_DO = "整改并更新整改状态"


def remind_behind(done: int, required: int) -> str:
    return f"大讨论已开展{done}次，按序时进度应不少于{required}次"


def remind_discussions(done: int, need: int, *, said: bool) -> str:
    """`said`: the count was already given in this message (by the 滞后 clause), so only what is missing."""
    return f"大讨论还差{need - done}次（要求不少于{need}次）" if said else f"大讨论已开展{done}次，还差{need - done}次"


def remind_subthemes(missing: Sequence[int]) -> str:
    return f"子主题{ids(missing)}尚未开展"


REMIND_ACTIONS = "尚未开展大行动"
REMIND_REGISTER = "尚未登记查摆出的问题"


def remind_incomplete(count: int) -> str:
    return f"{count}个问题的整改措施、责任人或时限未填全"


REMIND_PUBLICITY = "尚未报送宣传报道"
REMIND_OWED_PUBLICITY = "须报送宣传报道"


def remind_owed_discussions(need: int, *, done: int = 0, actions: int = 0) -> str:
    """What a unit that has not reported owes in sessions, less those credited to it as another unit's 协办单位."""
    if not done and not actions:
        return f"须开展大讨论不少于{need}次、大行动至少1次，查摆问题并逐一整改"
    owed = []
    if done < need:
        owed.append(f"大讨论须再开展{need - done}次（作为协办单位已计{done}次）" if done else f"须开展大讨论不少于{need}次")
    if not actions:
        owed.append("须开展大行动至少1次")
    return "，".join([*owed, "查摆问题并逐一整改"])


def remind_owed_subthemes(required: Sequence[int]) -> str:
    return f"子主题{ids(required)}{'各' if len(required) > 1 else ''}须开展至少1次活动"


def remind_stale(filed: dt.date, age: int, *, dated_by: str = "") -> str:
    if dated_by:
        return f"台账已{age}天未更新（未填写填报日期，表中最晚{dated_by}为{md(filed)}）"
    return f"台账已{age}天未更新（最近填报{md(filed)}）"


REMIND_STALE_DO = "更新台账"
REMIND_NO_NEWS = "近一个报送周期没有新的宣传报道"
REMIND_NO_NEWS_DO = "报送新的宣传信息"


def remind_no_progress(since: dt.date) -> str:
    return f"自{md(since)}以来活动数没有增加"


REMIND_NO_PROGRESS_DO = "开展活动"
REMIND_DO = "完成"


def remind_more(count: int) -> str:
    return f"另有{count}项，详见整改清单"


def reminder_message(office: str, unit: str, as_of: dt.date, clauses: Sequence[str]) -> str:
    return (f"【{office}提醒】{unit}：截至{md(as_of)}，本单位{'；'.join(clauses)}。"
            f"完成后请及时更新台账报{office}。")
