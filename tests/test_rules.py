"""SPEC §4 rules at every boundary; expected values worked out by hand from the SPEC text."""

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.config.campaign import Campaign, parse_campaign
from pipeline.config.roster import Roster
from pipeline.config.yaml12 import load_yaml
from pipeline.judge.merge import events
from pipeline.judge.report import Report, UnitRow, build_report
from pipeline.model import (
    Activity,
    ActivityKind,
    Outcome,
    PublicityItem,
    Rectification,
    RectStatus,
    RunSnapshot,
    Source,
    Submission,
    UnitSnapshot,
)
from tests.ledgers import CAMPAIGN, d

SRC = Source(file="f.xlsx", sheet="活动台账", row=4)


def act(unit: str, day: str, kind: ActivityKind = "大讨论", subtheme: int | tuple[int, ...] = 1, people: int = 30, co: tuple[str, ...] = (),
        row: int = 4) -> Activity:
    return Activity(file=SRC.file, sheet=SRC.sheet, row=row, unit=unit, seq="1", date=d(day), kind=kind,
                    subthemes=subtheme if isinstance(subtheme, tuple) else (subtheme,), participants=people,
                    summary="讨论", co_units=co)


def rect(unit: str, due: str | None, status: RectStatus | None = "整改中", *, found: str | None = None, ongoing: bool = False,
         due_text: str | None = None, row: int = 4, **extra: Any) -> Rectification:
    return Rectification(file=SRC.file, sheet="问题整改", row=row, unit=unit, seq="1",
                         found=d(found) if found else None, description="乱堆乱放", measure=extra.get("measure", "清理"),
                         owner=extra.get("owner", "王五"), due=d(due) if due else None,
                         due_text=due_text if due_text is not None else (due or ""), ongoing=ongoing,
                         status=status)


def sub(unit: str, filed: str, *, activities: tuple[Activity, ...] = (), rects: tuple[Rectification, ...] = (),
        publicity: tuple[PublicityItem, ...] = (), file: str | None = None) -> Submission:
    return Submission(file=file or f"{unit}.xlsx", sha256="0", unit=unit, filed=d(filed), effective_date=d(filed),
                      activities=activities, rectifications=rects, publicity=publicity)


def run(campaign: Campaign, outcomes: list[Outcome], as_of: str, history: tuple[RunSnapshot, ...] = ()) -> Report:
    return build_report(campaign=campaign, roster=Roster.of(campaign), outcomes=outcomes, as_of=d(as_of),
                        history=history)


def row_of(report: Report, unit: str) -> UnitRow:
    return next(r for r in report.rows if r.unit.name == unit)


def gaps_of(report: Report, unit: str) -> list[tuple[str, str]]:
    return sorted((g.rule, g.level) for g in report.gaps if g.unit == unit)


def variant(**changes: Any) -> Campaign:
    raw = load_yaml(text=CAMPAIGN.read_text(encoding="utf-8"), path="campaign.yaml")
    raw.update(changes)
    return parse_campaign(raw, path="campaign.yaml")[0]


# The worked example: 甲村 = 荷花村 (村; responsible for sub-themes 1, 2, 5, 6).
EXAMPLE = sub("荷花村", "2026-12-18",
              activities=(act("荷花村", "2026-12-05", "大讨论", 1), act("荷花村", "2026-12-12", "大行动", 2)),
              rects=(rect("荷花村", "2027-01-10", found="2026-12-05"),))


def test_worked_example_2026_12_20(campaign: Campaign) -> None:
    report = run(campaign, [EXAMPLE], "2026-12-20")
    assert gaps_of(report, "荷花村") == [("R1 大讨论次数", "待完成"), ("R2 子主题责任", "待完成")]
    gaps = {g.rule: g for g in report.gaps if g.unit == "荷花村"}
    assert gaps["R1 大讨论次数"].description == "大讨论已开展1次，还差1次（要求不少于2次）"
    assert gaps["R2 子主题责任"].description == "子主题5、6未开展"
    assert gaps["R1 大讨论次数"].deadline == d("2027-02-04")
    assert gaps["R1 大讨论次数"].days_left == 46
    assert row_of(report, "荷花村").status == "进行中"


def test_worked_example_2027_01_10(campaign: Campaign) -> None:
    report = run(campaign, [EXAMPLE], "2027-01-10")
    assert gaps_of(report, "荷花村") == [("R1 大讨论次数", "待完成"), ("R2 子主题责任", "待完成"), ("R5 按时报送", "提醒")]
    reminder = next(g for g in report.gaps if g.unit == "荷花村" and g.level == "提醒")
    assert reminder.description == "最近一次填报日期为2026年12月18日，已23天未更新台账"
    assert reminder.deadline == d("2027-01-17")
    assert row_of(report, "荷花村").status == "进行中"


def test_worked_example_without_discussions_is_behind_on_2027_01_10(campaign: Campaign) -> None:
    no_talks = replace(EXAMPLE, activities=(act("荷花村", "2026-12-12", "大行动", 2),))
    report = run(campaign, [no_talks], "2027-01-10")
    assert ("R7 序时进度", "滞后") in gaps_of(report, "荷花村")
    assert row_of(report, "荷花村").status == "滞后"


def test_worked_example_2027_01_12_overdue(campaign: Campaign) -> None:
    report = run(campaign, [EXAMPLE], "2027-01-12")
    assert gaps_of(report, "荷花村") == [("R1 大讨论次数", "待完成"), ("R2 子主题责任", "待完成"), ("R4 查摆整改", "未达标"),
                                        ("R5 按时报送", "提醒")]
    overdue = next(g for g in report.gaps if g.rule == "R4 查摆整改")
    assert overdue.deadline == d("2027-01-10")
    assert overdue.days_left == -2
    assert row_of(report, "荷花村").status == "未达标"


def test_worked_example_after_the_deadline(campaign: Campaign) -> None:
    report = run(campaign, [EXAMPLE], "2027-02-10")
    assert gaps_of(report, "荷花村") == [("R1 大讨论次数", "未达标"), ("R2 子主题责任", "未达标"), ("R4 查摆整改", "未达标")]
    assert row_of(report, "荷花村").status == "未达标"


@pytest.mark.parametrize(("as_of", "level"), [("2027-02-03", "待完成"), ("2027-02-04", "待完成"), ("2027-02-05", "未达标")])
def test_deadline_day_is_still_pending(campaign: Campaign, as_of: str, level: str) -> None:
    report = run(campaign, [sub("荷花村", "2027-02-03", activities=(act("荷花村", "2026-12-05"),))], as_of)
    assert ("R1 大讨论次数", level) in gaps_of(report, "荷花村")


@pytest.mark.parametrize(("day", "counted"), [("2026-11-27", 1), ("2027-02-04", 1), ("2027-02-06", 0)])
def test_activity_on_start_and_deadline_counts(campaign: Campaign, day: str, counted: int) -> None:
    activity = replace(act("荷花村", day), counted=day <= "2027-02-04")
    report = run(campaign, [sub("荷花村", "2027-02-06", activities=(activity,))], "2027-02-06")
    assert row_of(report, "荷花村").facts.discussions == counted


def test_activity_after_as_of_does_not_count(campaign: Campaign) -> None:
    report = run(campaign, [sub("荷花村", "2026-12-10", activities=(act("荷花村", "2026-12-11"),))], "2026-12-10")
    assert row_of(report, "荷花村").facts.discussions == 0


@pytest.mark.parametrize(("problem", "overdue"), [
    (rect("荷花村", "2027-01-09"), True),                                      # due yesterday
    (rect("荷花村", "2027-01-10"), False),                                     # due today
    (rect("荷花村", "2027-01-09", "已整改"), False),                            # done
    (rect("荷花村", "2027-01-02", found="2027-01-02", due_text="立行立改"), True),  # 立行立改 = due on 发现日期
    (rect("荷花村", None, ongoing=True, due_text="长期坚持"), False),              # never overdue
])
def test_rectification_deadlines(campaign: Campaign, problem: Rectification, overdue: bool) -> None:
    report = run(campaign, [sub("荷花村", "2027-01-08", rects=(problem,))], "2027-01-10")
    assert (("R4 查摆整改", "未达标") in gaps_of(report, "荷花村")) is overdue
    assert row_of(report, "荷花村").overdue == int(overdue)


def test_incomplete_rectification_rows_are_named(campaign: Campaign) -> None:
    problems = (rect("荷花村", "2027-01-20", measure="", row=5), rect("荷花村", None, owner="", due_text="", row=7))
    report = run(campaign, [sub("荷花村", "2026-12-18", rects=problems)], "2026-12-20")
    gap = next(g for g in report.gaps if g.rule == "R4 查摆整改")
    assert gap.level == "待完成"
    assert gap.description == "2个问题的整改要素不全（“问题整改”表第5行缺整改措施；第7行缺责任人、整改时限）"


@pytest.mark.parametrize(("filed", "reminded"), [("2027-01-03", False), ("2027-01-02", True)])
def test_reporting_interval_seven_and_eight_days(campaign: Campaign, filed: str, reminded: bool) -> None:
    report = run(campaign, [sub("荷花村", filed, activities=(act("荷花村", "2026-12-05"),))], "2027-01-10")
    assert (("R5 按时报送", "提醒") in gaps_of(report, "荷花村")) is reminded


@pytest.mark.parametrize(("as_of", "level", "when"), [("2026-12-04", "待完成", "请于2026年12月4日前"),
                                                     ("2026-12-05", "未达标", "已逾期1天，请立即")])
def test_unreported_unit_gets_one_gap_stating_everything(campaign: Campaign, as_of: str, level: str,
                                                         when: str) -> None:
    report = run(campaign, [], as_of)
    assert gaps_of(report, "荷花村") == [("R5 按时报送", level)]
    gap = next(g for g in report.gaps if g.unit == "荷花村")
    assert gap.deadline == d("2026-12-04")
    assert gap.suggestion == (f"{when}报送台账（用乡创城办下发的模板填写）。截至2027年2月4日须完成："
                              "大讨论不少于2次、大行动至少1次、查摆问题并逐一整改；子主题1、2、5、6各至少开展1次活动")
    assert row_of(report, "荷花村").status == "未报送"


@pytest.mark.parametrize(("as_of", "behind"), [("2026-12-19", False), ("2026-12-20", True),
                                                ("2027-01-11", False), ("2027-01-12", True)])
def test_schedule_floor_steps(as_of: str, behind: bool) -> None:
    """min 3: floor(3×elapsed/69) steps 0→1 at elapsed 23 (12-20) and 1→2 at elapsed 46 (01-12)."""
    campaign = variant(min_discussions=3)
    talks = () if as_of < "2027-01-01" else (act("荷花村", "2026-12-05"),)
    report = run(campaign, [sub("荷花村", as_of, activities=talks)], as_of)
    assert (("R7 序时进度", "滞后") in gaps_of(report, "荷花村")) is behind


def test_responsibility_by_name_kind_both_and_exemption() -> None:
    campaign = variant(exemptions=[{"unit": "荷花村", "subtheme": 5, "reason": "辖区内无经营户", "approved_by": "乡创城办"}])
    roster = Roster.of(campaign)
    units = {u.name: u for u in campaign.units}
    assert roster.required_subthemes(units["乡妇联"]) == (1, 2)          # 1 by kind 乡直单位, 2 by name
    assert roster.required_subthemes(units["新时代文明实践所"]) == (1, 2, 4, 6)
    assert roster.required_subthemes(units["荷花村"]) == (1, 2, 6)       # 5 exempted
    both = variant(subthemes=[{"id": 1, "audience": "a", "title": "转作风、见行动、促创建",
                               "responsible": [{"kind": "村"}, {"unit": "荷花村"}]}])
    assert Roster.of(both).required_subthemes(next(u for u in both.units if u.name == "荷花村")) == (1,)
    report = run(campaign, [EXAMPLE], "2026-12-20")
    r2 = next(g for g in report.gaps if g.unit == "荷花村" and g.rule == "R2 子主题责任")
    assert r2.description == "子主题6未开展"


def test_co_organised_activity_counts_for_both_and_once_overall(campaign: Campaign) -> None:
    joint = act("乡妇联", "2026-12-10", "大讨论", 2, people=40, co=("荷花村",))
    own = act("荷花村", "2026-12-10", "大讨论", 2, people=35, co=("乡妇联",))
    report = run(campaign, [sub("乡妇联", "2026-12-18", activities=(joint,)),
                            sub("荷花村", "2026-12-18", activities=(own,))], "2026-12-20")
    assert row_of(report, "乡妇联").facts.discussions == 1
    assert row_of(report, "荷花村").facts.discussions == 1
    assert report.sessions("大讨论") == 1
    assert report.participants() == 40


def test_publicity_units(campaign: Campaign) -> None:
    item = PublicityItem(file=SRC.file, sheet=SRC.sheet, row=SRC.row, unit="乡文广站", seq="1", date=d("2026-12-01"), platform="抖音", title="t")
    report = run(campaign, [sub("乡文广站", "2026-12-18", publicity=(item,))], "2026-12-20")
    assert ("R6 宣传报道", "提醒") in gaps_of(report, "乡文广站")
    report = run(campaign, [sub("乡创城办", "2026-12-18")], "2026-12-20")
    assert ("R6 宣传报道", "待完成") in gaps_of(report, "乡创城办")


def test_no_recent_publicity_reminder_on_the_deadline_day(campaign: Campaign) -> None:
    """SPEC: R6's second part is a 提醒 before the deadline only (as R7): on 2027-02-04 itself there is no next
    report to send a new item by."""
    item = PublicityItem(file=SRC.file, sheet=SRC.sheet, row=SRC.row, unit="乡文广站", seq="1", date=d("2026-12-01"), platform="抖音", title="t")
    report = run(campaign, [sub("乡文广站", "2027-02-01", publicity=(item,))], "2027-02-04")
    assert not [g for g in gaps_of(report, "乡文广站") if g[0] == "R6 宣传报道"]
    report = run(campaign, [sub("乡文广站", "2027-02-01", publicity=(item,))], "2027-02-03")
    assert ("R6 宣传报道", "提醒") in gaps_of(report, "乡文广站")


def test_status_precedence(campaign: Campaign) -> None:
    done = sub("荷花村", "2026-12-18", activities=(
        act("荷花村", "2026-12-01", "大讨论", 1), act("荷花村", "2026-12-02", "大讨论", 2),
        act("荷花村", "2026-12-03", "大行动", 5), act("荷花村", "2026-12-04", "大行动", 6)),
        rects=(rect("荷花村", "2026-12-10", "已整改"),))
    report = run(campaign, [done], "2026-12-20")
    assert gaps_of(report, "荷花村") == []
    assert row_of(report, "荷花村").status == "已达标"
    assert report.by_status["已达标"] == 1
    assert dt.date(2026, 12, 20) == report.as_of


def last_run(day: str, **units: tuple[int, int]) -> RunSnapshot:
    """A previous run in which each named unit had (discussions, actions) counted."""
    return RunSnapshot(as_of=d(day), units_total=16, submitted=len(units), discussions=0, actions=0, participants=0,
                       units={name: UnitSnapshot(status="进行中", discussions=talks, actions=acts, participants=0)
                              for name, (talks, acts) in units.items()})


@pytest.mark.parametrize(("before", "stalled"), [((1, 1), True), ((2, 1), True), ((1, 0), False)])
def test_no_progress_since_last_run_is_a_reminder_that_keeps_the_status(
        campaign: Campaign, before: tuple[int, int], stalled: bool) -> None:
    report = run(campaign, [EXAMPLE], "2026-12-20", history=(last_run("2026-12-13", 荷花村=before),))
    assert (("R8 持续无进展", "提醒") in gaps_of(report, "荷花村")) is stalled
    assert row_of(report, "荷花村").status == "进行中"
    if stalled:
        r8 = next(g for g in report.gaps if g.unit == "荷花村" and g.rule == "R8 持续无进展")
        assert r8.description == "自上次统计（12月13日）以来活动数没有增加（仍为2次）"
        assert r8.deadline == d("2026-12-27")


def test_no_progress_reminder_needs_history_and_an_unfinished_reported_unit(campaign: Campaign) -> None:
    assert ("R8 持续无进展", "提醒") not in gaps_of(run(campaign, [EXAMPLE], "2026-12-20"), "荷花村")
    done = sub("荷花村", "2026-12-18", activities=(
        act("荷花村", "2026-12-01", "大讨论", 1), act("荷花村", "2026-12-02", "大讨论", 2),
        act("荷花村", "2026-12-03", "大行动", 5), act("荷花村", "2026-12-04", "大行动", 6)),
        rects=(rect("荷花村", "2026-12-10", "已整改"),))
    history = (last_run("2026-12-13", 荷花村=(2, 2), 柳林村=(0, 0)),)
    report = run(campaign, [done], "2026-12-20", history=history)
    assert gaps_of(report, "荷花村") == []                                  # 已达标: nothing to remind
    assert gaps_of(report, "柳林村") == [("R5 按时报送", "未达标")]            # 未报送: only R5(a)


def _reference_groups(activities: list[Activity]) -> list[list[int]]:
    """SPEC §3 said plainly: two rows are one event when they share date, type and a sub-theme and one names the
    other's unit as co-organiser; an event is every row joined to it that way, directly or through others."""
    def joins(a: Activity, b: Activity) -> bool:
        return (a.date == b.date and a.kind == b.kind and bool(set(a.subthemes) & set(b.subthemes))
                and (b.unit in a.co_units or a.unit in b.co_units))

    unseen, groups = set(range(len(activities))), []
    for start in range(len(activities)):
        if start not in unseen:
            continue
        group, todo = [], [start]
        unseen.discard(start)
        while todo:
            i = todo.pop()
            group.append(i)
            for j in sorted(unseen):
                if joins(activities[i], activities[j]):
                    unseen.discard(j)
                    todo.append(j)
        groups.append(sorted(group))
    return groups


_UNITS = ("荷花村", "柳林村", "乡妇联", "乡团委")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_UNITS), st.integers(1, 3), st.sampled_from(("大讨论", "大行动")),
                          st.sets(st.integers(1, 3), min_size=1, max_size=2), st.integers(1, 60),
                          st.sets(st.sampled_from(_UNITS), max_size=2)), max_size=25))
def test_events_group_exactly_the_rows_that_are_one_activity(rows: list[tuple[Any, ...]]) -> None:
    activities = [act(unit, f"2026-12-0{day}", kind, tuple(sorted(subs)), people=people,
                      co=tuple(sorted(co - {unit})), row=i + 5)
                  for i, (unit, day, kind, subs, people, co) in enumerate(rows)]
    found = events(activities)
    place = {id(a): i for i, a in enumerate(activities)}
    assert sorted(sorted(place[id(a)] for a in e.activities) for e in found) == sorted(_reference_groups(activities))
    for e in found:
        assert e.participants == max(a.participants for a in e.activities)
        assert e.subthemes == tuple(sorted({s for a in e.activities for s in a.subthemes}))
        assert e.units == {u for a in e.activities for u in (a.unit, *a.co_units)}
    keys = [(e.date, e.kind, e.subthemes, sorted(e.units)) for e in found]
    assert keys == sorted(keys)
