"""Cell values → typed values: every accepted spelling parses to its value; anything else is Invalid, never raises."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.config.campaign import load_campaign
from pipeline.read.subthemes import SubthemeMatcher
from pipeline.read.values import (
    Count,
    Invalid,
    chinese_number,
    clean,
    is_blank,
    parse_count,
    parse_date,
    parse_due,
    read_count,
    shown,
)
from tests.ledgers import CAMPAIGN

WINDOW = (dt.date(2026, 11, 27), dt.date(2027, 2, 4))
TITLES = {1: "转作风、见行动、促创建", 2: "文明城市人人创 文明成果人人享", 3: "争做文明使者 树立窗口形象",
          4: "小手拉大手 文明一起走", 5: "诚信经营 文明同行", 6: "创城我知晓 创建我建言"}
MATCHER = SubthemeMatcher.of(load_campaign(CAMPAIGN)[0])


def parse_subtheme(raw: object) -> tuple[int, ...] | Invalid:
    return MATCHER.parse(raw)


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
    assert parse_subtheme(raw) == (value,)


@pytest.mark.parametrize("raw", ["7", "文明", "随便", ""])
def test_bad_or_ambiguous_subthemes(raw: str) -> None:
    assert isinstance(parse_subtheme(raw), Invalid)


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
    for result in (parse_date(raw, window=WINDOW), parse_count(raw), parse_subtheme(raw)):
        assert result is not None


@given(st.integers(min_value=1, max_value=6),
       st.sampled_from(["{i}", "{i}-{title}", "（{cn}）", "{title}", "子主题{i}", "{cn}", " {i} "]))
def test_any_accepted_subtheme_spelling_parses_to_its_id(i: int, pattern: str) -> None:
    text = pattern.format(i=i, title=TITLES[i], cn="一二三四五六"[i - 1])
    assert parse_subtheme(text) == (i,)


# Issue 14: spellings units really use, and values that must be refused rather than guessed.
@pytest.mark.parametrize(("raw", "day"), [("12月3号", "2026-12-03"), ("2026年12月15日上午", "2026-12-15"),
                                          ("12月20日下午", "2026-12-20"), ("1月8号 晚上", "2027-01-08"),
                                          ("2026.12.9（周三）", "2026-12-09"), ("12月21日14:30", "2026-12-21"),
                                          ("2026-12-22 9点-11点", "2026-12-22")])
def test_dates_with_hao_and_a_time_of_day(raw: str, day: str) -> None:
    assert parse_date(raw, window=WINDOW) == dt.date.fromisoformat(day)


@pytest.mark.parametrize("raw", ["12月3号号", "上午", "12月下午3日", "2026年12月"])
def test_dates_that_are_still_not_dates(raw: str) -> None:
    assert isinstance(parse_date(raw, window=WINDOW), Invalid)


@pytest.mark.parametrize(("raw", "count", "at_least"), [
    ("20+", 20, True), ("15人以上", 15, True), ("30（其中党员12人）", 30, False), ("45人(含党员8人)", 45, False),
    ("28人，其中党员9人", 28, False), ("三百零三", 303, False), ("两千零八", 2008, False), ("50余人", 50, False)])
def test_counts_with_notes_and_lower_bounds(raw: str, count: int, at_least: bool) -> None:
    assert read_count(raw) == Count(count, at_least)


@pytest.mark.parametrize("raw", ["三百三", "十十", "一千三", "百千", "三百零", "二十零三", "全体党员", "（12人）"])
def test_ambiguous_or_malformed_counts_are_refused_not_guessed(raw: str) -> None:
    assert isinstance(read_count(raw), Invalid)


def test_ambiguous_chinese_numeral_hint_says_why() -> None:
    refused = read_count("三百三")
    assert refused == Invalid("无法识别人数“三百三”", "请填写阿拉伯数字，如 330（“三百三”可能是303或330，“十十”无法识别，不作猜测）")


@pytest.mark.parametrize(("raw", "due"), [("2027年1月", dt.date(2027, 1, 31)), ("2026年12月", dt.date(2026, 12, 31)),
                                          ("2027-02", dt.date(2027, 2, 28)), ("1月底", dt.date(2027, 1, 31)),
                                          ("12月中旬", dt.date(2026, 12, 20)), ("2027年1月10日前", dt.date(2027, 1, 10)),
                                          ("长期", "长期坚持"), ("常态化", "长期坚持"), ("立即整改", "立行立改"),
                                          ("2027-01-05", dt.date(2027, 1, 5))])
def test_rectification_deadlines_as_clerks_write_them(raw: str, due: object) -> None:
    assert parse_due(raw, window=WINDOW) == due


@pytest.mark.parametrize("raw", ["尽快", "13月", "2027年13月", "下个月"])
def test_unreadable_deadlines(raw: str) -> None:
    assert isinstance(parse_due(raw, window=WINDOW), Invalid)


@pytest.mark.parametrize(("raw", "ids"), [
    ("5、6", (5, 6)), ("1、2、5、6", (1, 2, 5, 6)), ("5,6", (5, 6)), ("5，6", (5, 6)), ("5/6", (5, 6)), ("5和6", (5, 6)),
    ("（五）（六）", (5, 6)), ("诚信经营、流动人口", (5, 6)), ("子主题五", (5,)), ("第五子主题", (5,)), ("子主题二", (2,)),
    ("第二子主题", (2,)), ("六", (6,)), ("诚信", (5,)), ("流动人口", (6,)), ("经营户", (5,)), ("窗口", (3,)),
    ("学生", (4,)), ("乡村居民", (2,)), ("干部职工", (1,)), ("围绕小手拉大手开展", (4,)), ("6、5、5", (5, 6)),
    ("5、流动人口", (5, 6)), ("1-转作风、见行动、促创建", (1,)), ("一、转作风", (1,)), ("1-转作风见行动促创建", (1,))])
def test_subtheme_cells_name_one_or_several(raw: str, ids: tuple[int, ...]) -> None:
    assert parse_subtheme(raw) == ids


@pytest.mark.parametrize("raw", ["大行动", "创城", "文明", "行动", "1.5", 1.5, "5、7", "5、大行动", "十十", "0", "子主题"])
def test_words_of_the_campaign_or_of_several_subthemes_name_none(raw: object) -> None:
    refused = parse_subtheme(raw)
    assert isinstance(refused, Invalid)
    # The hint lists all six choices, so a clerk can correct the cell without the template at hand.
    assert all(f"{i}-{TITLES[i]}" in refused.hint for i in TITLES)


def test_office_keywords_name_a_subtheme(tmp_path: object) -> None:
    campaign = load_campaign(CAMPAIGN)[0]
    fifth = campaign.subthemes[4].model_copy(update={"keywords": ("个体工商户", "门店")})
    matcher = SubthemeMatcher.of(campaign.model_copy(update={"subthemes": (*campaign.subthemes[:4], fifth,
                                                                           campaign.subthemes[5])}))
    assert matcher.parse("个体工商户") == (5,)
    assert matcher.parse("沿街门店座谈") == (5,)
    assert matcher.parse("门店、流动人口") == (5, 6)


@pytest.mark.parametrize(("raw", "text"), [("大\u200b讨论", "大讨论"), ("\ufeff30", "30"), ("30\u2060", "30"),
                                           ("\u200d小手拉大手\u00ad", "小手拉大手"), ("３０\u200b人", "30人")])
def test_invisible_characters_are_cleaned_from_every_value(raw: str, text: str) -> None:
    assert clean(raw) == text
    assert shown(raw) == raw.strip()          # messages quote what the unit typed
    assert not is_blank(raw) and is_blank("\u200b\ufeff ")


def test_invisible_characters_do_not_stop_a_value_being_read() -> None:
    assert parse_count("\ufeff30\u200b") == 30
    assert parse_date("2026-12-03\u200b", window=WINDOW) == dt.date(2026, 12, 3)
    assert parse_subtheme("5\u200b、6") == (5, 6)


@pytest.mark.parametrize("raw", ["1-子主题", "3-窗口服务", "2-子主题二的讨论", "6-", "4."])
def test_a_number_label_whose_words_name_no_other_subtheme_is_that_number(raw: str) -> None:
    """`N-…` as typed over the dropdown's label: the number counts when the words do not name another sub-theme."""
    assert parse_subtheme(raw) == (int(raw[0]),)
