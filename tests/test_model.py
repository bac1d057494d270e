"""Records are validated when built and survive the trip back from the reading processes unchanged."""

import dataclasses
import datetime as dt
import pickle

import pydantic
import pytest

from pipeline import records
from pipeline.model import Activity, FileRecord, Problem, PublicityItem, Rectification, SkippedRow, Source, Submission
from pipeline.read.texts import ProblemCode

SRC = Source(file="荷花村.xlsx", sheet="活动台账", row=4)


def _submission() -> Submission:
    activity = Activity(file="荷花村.xlsx", sheet="活动台账", row=4, unit="荷花村", seq="1", date=dt.date(2026, 12, 5),
                        kind="大讨论", subthemes=(1,), participants=30, summary="讨论", co_units=("柳林村",))
    rect = Rectification(file="荷花村.xlsx", sheet="问题整改", row=4, unit="荷花村", seq="1", description="乱堆",
                         due=dt.date(2026, 12, 20), status="整改中")
    item = PublicityItem(file="荷花村.xlsx", sheet="活动台账", row=4, unit="荷花村", seq="1", date=dt.date(2026, 12, 6),
                         platform="抖音", title="标题")
    problem = Problem(code=ProblemCode.AFTER_FILED, file="荷花村.xlsx", sheet="活动台账", cell="B4", level="警告", message="m")
    skipped = SkippedRow(file="荷花村.xlsx", sheet="活动台账", row=5, unit="荷花村", table="活动台账",
                         cells=(("序号", "2"), ("活动主题", "学习")), reason="活动日期未填写")
    return Submission(file="荷花村.xlsx", sha256="0" * 64, unit="荷花村", filed=dt.date(2026, 12, 18),
                      effective_date=dt.date(2026, 12, 18), activities=(activity,), rectifications=(rect,),
                      publicity=(item,), skipped=(skipped,), problems=(problem,))


def test_records_survive_pickling_unchanged_and_frozen() -> None:
    original = _submission()
    copy = pickle.loads(pickle.dumps(original))
    assert copy == original and hash(copy.activities[0]) == hash(original.activities[0])
    assert copy.activities[0].source.row == 4 and copy.rectifications[0].status == "整改中"
    assert copy.problems[0].code is ProblemCode.AFTER_FILED       # the member itself, not just an equal string
    assert copy.skipped[0].source.row == 5 and copy.skipped[0].cell("活动主题") == "学习"
    with pytest.raises(dataclasses.FrozenInstanceError):
        copy.activities[0].participants = 1
    record = FileRecord(file="荷花村.xlsx", result="未采用", code=ProblemCode.AFTER_FILED, reason="r")
    assert pickle.loads(pickle.dumps(record)) == record and pickle.loads(pickle.dumps(SRC)) == SRC


def test_the_values_rebuilt_records_share_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A library caller rebuilding records again and again (a service reporting every hour) must not keep every
    序号 text a unit ever typed: the shared values are let go past a bound, and records rebuild the same."""
    monkeypatch.setattr(records, "_ONCE_AT_MOST", 10)
    original = _submission()
    many = [dataclasses.replace(original.activities[0], seq=f"第{i}条") for i in range(25)]
    copies = pickle.loads(pickle.dumps(many))
    assert copies == many and len(records._ONCE) <= 10


def test_records_are_validated_when_built() -> None:
    with pytest.raises(pydantic.ValidationError):
        Activity(file="a.xlsx", sheet="活动台账", row=4, unit="荷花村", seq="1", date=dt.date(2026, 12, 5),
                 kind="座谈", subthemes=(1,), participants=30, summary="讨论")  # type: ignore[arg-type]
    with pytest.raises(pydantic.ValidationError):
        Source(file="a.xlsx", sheet="活动台账", row="第四行")  # type: ignore[arg-type]
    with pytest.raises(pydantic.ValidationError):  # a code is a registry member, never a bare string
        Problem(code="after-filed", file="a.xlsx", level="警告", message="m")  # type: ignore[arg-type]
