"""Where reading takes a short way for the common cell or record, it gives exactly what the full way gives."""

import dataclasses
import datetime as dt
import typing
from typing import Any

import pydantic
from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.config.campaign import Campaign
from pipeline.config.roster import Roster
from pipeline.model import Activity, Problem, PublicityItem, Rectification, Source
from pipeline.read.cells import RowContext
from pipeline.read.grids import Grid, Table
from pipeline.read.texts import ProblemCode
from pipeline.read.values import _clean_fully, clean, is_blank
from pipeline.records import quick

SRC = Source(file="荷花村.xlsx", sheet="活动台账", row=4)

_PIECES = [" ", "  ", "a", "30", "大讨论", "，", "：（", "）", "ａ", "１", "\u3000", "\u00a0", "\t", "\n", "\u200b",
           "\ufeff", "\u00ad", "¨", "…", "。、", "“”", "㈠", "ｶﾞ", "e\u0301", "三十", "\u2474", "\r\n"]
"""Pieces of each kind the short way must tell apart: spaces single and doubled, ASCII, CJK, the folded
punctuation and other full-width forms, odd whitespace, invisible characters, a character whose NFKC holds a
space, others that NFKC changes or keeps."""
TEXT = st.one_of(st.lists(st.sampled_from(_PIECES), max_size=6).map("".join), st.text(max_size=10))
CELL = st.one_of(TEXT, st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.dates(),
                                 st.datetimes(), st.times(), st.timedeltas(max_value=dt.timedelta(days=9999))))


@settings(max_examples=1000)
@given(CELL)
@example("活动，ａ")
@example("会议  室")
@example("摘要 ¨")
def test_clean_agrees_with_the_full_way(raw: object) -> None:
    assert clean(raw) == _clean_fully(raw)


@settings(max_examples=1000)
@given(CELL)
@example("\u3000\u200b\u00a0")
@example(0.0)
@example(False)
@example(dt.timedelta(0))
def test_a_cell_is_blank_exactly_when_its_clean_text_is_empty(raw: object) -> None:
    """What cells.RowReader.blank relies on to answer `is_blank` of any cell from its clean text."""
    assert is_blank(raw) == (clean(raw) == "")


_RECORDS = (Activity, Rectification, PublicityItem, Problem, Source)
_JUNK = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=3), st.dates(), st.datetimes(),
                  st.lists(st.integers(), max_size=2), st.tuples(st.text(max_size=2)), st.sampled_from(list(ProblemCode)),
                  st.sampled_from(["大讨论", "大行动", "错误", "警告", "已整改", "整改中"]),
                  st.tuples(st.integers(), st.booleans()), st.tuples(st.sampled_from(["1", "x", 2.0, 3, True])),
                  st.just(SRC), st.just(ProblemCode.AFTER_FILED.value), st.just("1"))


def _right(annotation: Any) -> st.SearchStrategy[Any]:
    """Values of the annotation's own type (the parsers' usual output)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    simple = {str: st.text(max_size=4), int: st.integers(), bool: st.booleans(), dt.date: st.dates(),
              Source: st.builds(Source, file=st.text(max_size=3), sheet=st.text(max_size=3), row=st.integers())}
    if annotation in simple:
        return simple[annotation]
    if origin is typing.Literal:
        return st.sampled_from(args)
    if origin is typing.Annotated:
        return st.sampled_from(list(ProblemCode))
    if origin is tuple:
        return st.lists(_right(args[0]), max_size=3).map(tuple)
    return st.one_of(st.none(), *(_right(a) for a in args if a is not type(None)))


@st.composite
def _arguments(draw: st.DrawFn) -> tuple[type, dict[str, Any]]:
    """A record's arguments as the parsers give them, with at most one value of another type (near misses such
    as a datetime for a date, "1" or True for an int, a list for a tuple, a string for a code)."""
    cls = draw(st.sampled_from(_RECORDS))
    kwargs = {}
    fields = dataclasses.fields(cls)
    odd = draw(st.integers(-1, len(fields) - 1))
    for i, f in enumerate(fields):
        if i != odd and f.default is not dataclasses.MISSING and draw(st.booleans()):
            continue  # left to its default
        kwargs[f.name] = draw(_JUNK if i == odd else _right(f.type))
    return cls, kwargs


def _built(make: Any, kwargs: dict[str, Any]) -> object:
    try:
        return make(**kwargs)
    except pydantic.ValidationError as error:
        return [(e["loc"], e["type"]) for e in error.errors()]


@settings(max_examples=1000)
@given(_arguments())
@example((Problem, {"code": "after-filed", "file": "a.xlsx", "level": "警告", "message": "m"}))  # a bare string
def test_the_quick_constructor_builds_what_pydantic_builds_or_refuses_alike(case: tuple[type, dict[str, Any]]) -> None:
    cls, kwargs = case
    expected, got = _built(cls, kwargs), _built(quick(cls), kwargs)
    assert got == expected and type(got) is type(expected)


def test_cells_equal_to_a_bool_keep_their_own_text(campaign: Campaign, roster: Roster) -> None:
    """The per-ledger text memo is keyed by value, and 1.0 == True: a table holding a bool is read cell by
    cell, and the numbers and dates the memo starts from read as clean makes them."""
    grid = Grid(name="活动台账", rows=[["序号", "备注", "活动日期"], [1.0, True, dt.date(2026, 12, 3)], [True, 1.0, 0.0],
                                       [False, 0.0, 2.0]])
    table = Table(sheet="活动台账", header_row=0, columns={"序号": 0, "备注": 1, "活动日期": 2}, grid=grid)
    ctx = RowContext(campaign=campaign, roster=roster, unit="荷花村", file="荷花村.xlsx", filed=None)
    clean_cell = ctx.cleaner(table)
    # clean(True) is str(True); floats lose a zero fraction; a date reads in ISO form
    assert [list(map(clean_cell, row)) for row in grid.rows[1:]] == [
        ["1", "True", "2026-12-03"], ["True", "1", "0"], ["False", "0", "2"]]
    plain = Table(sheet="活动台账", header_row=0, columns={"序号": 0}, grid=Grid(name="活动台账", rows=[["序号"], [3.0]]))
    assert ctx.cleaner(plain)(3.0) == "3" and ctx.cleaner(plain)(dt.date(2027, 1, 5)) == "2027-01-05"
