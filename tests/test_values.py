"""Cell values → typed values: every accepted spelling parses to its value; anything else is Invalid, never raises."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.read.values import Invalid, chinese_number, parse_count, parse_date, parse_subtheme

WINDOW = (dt.date(2026, 11, 27), dt.date(2027, 2, 4))
TITLES = {1: "转作风、见行动、促创建", 2: "文明城市人人创 文明成果人人享", 3: "争做文明使者 树立窗口形象",
          4: "小手拉大手 文明一起走", 5: "诚信经营 文明同行", 6: "创城我知晓 创建我建言"}


@pytest.mark.parametrize("raw", ["2026.12.3", "2026/12/03", "2026-12-3", "2026年12月3日", "12月3日", "20261203",
                                 "２０２６－１２－０３", " 2026-12-03 ", 46359, 46359.0, "12.3", "12/3",
                                 dt.datetime(2026, 12, 3, 9, 30), dt.date(2026, 12, 3)])
def test_date_spellings(raw: object) -> None:
    assert parse_date(raw, window=WINDOW) == dt.date(2026, 12, 3)


def test_month_day_year_is_inferred_from_the_window() -> None:
    assert parse_date("1月15日", window=WINDOW) == dt.date(2027, 1, 15)
    assert parse_date("12月1日", window=WINDOW) == dt.date(2026, 12, 1)


@pytest.mark.parametrize("raw", ["12月32日", "2026-13-01", "下周三", "", True, -5, 12.3, 12])
def test_bad_dates_are_invalid_with_an_example(raw: object) -> None:
    result = parse_date(raw, window=WINDOW)
    assert isinstance(result, Invalid)
    assert result.hint == "请填写如 2026-12-03 的日期"


def test_bad_date_message_quotes_the_value() -> None:
    assert parse_date("12月32日", window=WINDOW) == Invalid("无法识别日期“12月32日”", "请填写如 2026-12-03 的日期")


@pytest.mark.parametrize(("raw", "value"), [(30, 30), (30.0, 30), ("30", 30), ("30人", 30), ("约30人", 30),
                                            ("３０", 30), ("三十", 30), ("一百二十", 120), ("十五", 15),
                                            ("两百", 200), ("50余人", 50)])
def test_count_spellings(raw: object, value: int) -> None:
    assert parse_count(raw) == value


@pytest.mark.parametrize("raw", ["若干", "30.5", -1, "三十多个村民", True])
def test_bad_counts(raw: object) -> None:
    assert isinstance(parse_count(raw), Invalid)


@pytest.mark.parametrize(("raw", "value"), [(1, 1), ("1", 1), ("1-转作风、见行动、促创建", 1), ("（一）", 1), ("四", 4),
                                            ("小手拉大手", 4), ("诚信经营 文明同行", 5), ("子主题6", 6),
                                            ("创城我知晓", 6), (6.0, 6)])
def test_subtheme_spellings(raw: object, value: int) -> None:
    assert parse_subtheme(raw, titles=TITLES) == value


@pytest.mark.parametrize("raw", ["7", "文明", "随便", ""])
def test_bad_or_ambiguous_subthemes(raw: str) -> None:
    assert isinstance(parse_subtheme(raw, titles=TITLES), Invalid)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)),
       st.sampled_from(["{y}-{m}-{d}", "{y}/{m:02}/{d:02}", "{y}.{m}.{d}", "{y}年{m}月{d}日", "{y}{m:02}{d:02}"]))
def test_any_accepted_date_spelling_parses_to_its_date(day: dt.date, pattern: str) -> None:
    text = pattern.format(y=day.year, m=day.month, d=day.day)
    assert parse_date(text, window=WINDOW) == day


@given(st.integers(min_value=0, max_value=99999), st.sampled_from(["{n}", "{n}人", "约{n}人", "{n}名"]))
def test_any_accepted_count_spelling_parses_to_its_value(n: int, pattern: str) -> None:
    assert parse_count(pattern.format(n=n)) == n


def _numeral(n: int) -> str:
    """How a person writes 1..9999 in Chinese: 一千三百零一, 二十, 十五 is written 一十五 here and 十五 below."""
    digits = "零一二三四五六七八九"
    parts: list[str] = []
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        q = n // value % 10
        if q:
            parts.append(digits[q] + unit)
        elif parts and n % value and parts[-1] != "零":
            parts.append("零")
    return "".join(parts)


@given(st.integers(min_value=1, max_value=9999))
def test_chinese_numerals_parse_to_their_value(n: int) -> None:
    assert chinese_number(_numeral(n)) == n


@pytest.mark.parametrize(("text", "value"), [("十五", 15), ("两千零八", 2008), ("一百二十", 120), ("三十", 30)])
def test_common_chinese_numerals(text: str, value: int) -> None:
    assert chinese_number(text) == value


@given(st.one_of(st.text(max_size=20), st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(),
                 st.dates(), st.datetimes()))
def test_parsers_never_raise(raw: object) -> None:
    for result in (parse_date(raw, window=WINDOW), parse_count(raw), parse_subtheme(raw, titles=TITLES)):
        assert result is not None


@given(st.integers(min_value=1, max_value=6),
       st.sampled_from(["{i}", "{i}-{title}", "（{cn}）", "{title}", "子主题{i}", "{cn}", " {i} "]))
def test_any_accepted_subtheme_spelling_parses_to_its_id(i: int, pattern: str) -> None:
    text = pattern.format(i=i, title=TITLES[i], cn="一二三四五六"[i - 1])
    assert parse_subtheme(text, titles=TITLES) == i
