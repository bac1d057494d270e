"""Where reading takes a short way for the common cell, it gives exactly what the full way gives."""

import datetime as dt

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.read.values import _clean_fully, clean, is_blank

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


@settings(max_examples=500)
@given(TEXT)
@example("\u3000\u200b\u00a0")
def test_a_text_cell_is_blank_exactly_when_its_clean_text_is_empty(raw: str) -> None:
    """What rows._RowReader.blank relies on to answer `is_blank` from the text it has already cleaned."""
    assert is_blank(raw) == (clean(raw) == "")
