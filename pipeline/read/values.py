"""The one place where a raw cell value becomes a typed value, or an `Invalid` saying why not.

Units type dates, counts and choices in many spellings; each parser accepts all of them and
returns `Invalid` (message + example of a correct value) for anything else, never raising.
"""

import calendar
import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.read import texts as T
from pipeline.read.schema import DUE_IMMEDIATE, DUE_ONGOING


@dataclass(frozen=True)
class Invalid:
    message: str
    hint: str


_SPACE = re.compile(r"\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f\u202a\u202c"))
"""Zero-width spaces and joiners, word joiners, BOMs, soft hyphens, direction marks: pasted from web pages
and chat apps, invisible in a cell, and enough to make `30` or `大讨论` unreadable."""
_ODD_SPACE = re.compile(r"[^\S ]| \s")
"""Whitespace that clean() has to rewrite: any but a single plain space (which only strip() may remove)."""


_WIDE = (("，", ","), ("：", ":"), ("；", ";"), ("（", "("), ("）", ")"), ("！", "!"), ("？", "?"))
"""The full-width punctuation of Chinese prose that NFKC folds, each to one ASCII character."""


def clean(raw: Any) -> str:
    """Cell value as normalised text: invisible characters dropped, NFKC (full width folded), every kind of
    whitespace removed at the ends. Messages quote `shown` instead, the value as the unit typed it.

    Most cells are printable text without doubled spaces (so hold no invisible character and no whitespace
    to rewrite) and are NFKC already or become so by folding their full-width punctuation: they take a
    short way that gives what the full way (`_clean_fully`) would, at a fraction of its cost (NFKC itself
    costs about 0.3 µs a character)."""
    if type(raw) is float:  # 序号 and counts: what _clean_fully makes of them, ASCII without spaces
        return str(int(raw)) if raw.is_integer() else str(raw)
    if type(raw) is not str or not raw.isprintable() or "  " in raw:
        return _clean_fully(raw)
    if raw.isascii() or unicodedata.is_normalized("NFKC", raw):
        return raw.strip()
    folded = raw
    for wide, narrow in _WIDE:
        if wide in folded:
            folded = folded.replace(wide, narrow)
    # Each folded character was replaced by its whole compatibility decomposition, so the text has the NFKC
    # of the cell's; when it is normalised, it is that NFKC. The ASCII put in is no whitespace.
    return folded.strip() if unicodedata.is_normalized("NFKC", folded) else _clean_fully(raw)


def _clean_fully(raw: Any) -> str:
    if type(raw) is str:
        text = raw
    elif raw is None:
        return ""
    else:
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        if isinstance(raw, dt.datetime) and raw.time() == dt.time():
            raw = raw.date()
        text = str(raw)
    if not text.isascii():
        text = text.translate(_INVISIBLE)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if _ODD_SPACE.search(text) is None:
        return text.strip()
    return _SPACE.sub(" ", text).strip()


def shown(raw: Any) -> str:
    """A value as the unit typed it (only the ends trimmed), for quoting in a message as evidence."""
    return raw.strip() if isinstance(raw, str) else clean(raw)


def compact(raw: Any) -> str:
    """Text with all whitespace removed, for matching keywords and labels."""
    text = clean(raw)
    return text.replace(" ", "") if " " in text else text


def is_blank(raw: Any) -> bool:
    """None, empty, or only whitespace or invisible characters of any kind."""
    if not isinstance(raw, str):
        return raw is None
    return not raw.strip() or (not raw.isascii() and not clean(raw))


_EXCEL_1900 = dt.date(1899, 12, 30)
_EXCEL_1904 = dt.date(1904, 1, 1)
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
_COMPACT_YMD = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MD = re.compile(r"^(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*[日号]?$")
_TIME_OF_DAY = re.compile(
    r"(?<=[\d日号])\s*(?:\(?(?:周|星期)[一二三四五六日天]\)?)?\s*"
    r"(?:上午|下午|中午|晚上|早上|早晨|傍晚|晚间|夜间|全天|晚)?\s*"
    r"(?:\d{1,2}:\d{2}(?::\d{2})?|\d{1,2}[点时](?:\d{1,2}分|半)?)?"
    r"(?:\s*[-~至]\s*(?:\d{1,2}:\d{2}|\d{1,2}[点时](?:\d{1,2}分|半)?))?$")
"""What follows a date in a cell and says nothing about the day: `上午`, `(周三)`, `14:30`, `9点-11点`."""


def _infer_year(month: int, day: int, window: tuple[dt.date, dt.date]) -> dt.date | None:
    """`12月3日` → the date in the campaign window; failing that, the candidate year nearest to it."""
    start, deadline = window
    candidates = []
    for year in range(start.year - 1, deadline.year + 2):
        try:
            candidates.append(dt.date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return None

    def distance(d: dt.date) -> int:
        return 0 if start <= d <= deadline else min(abs((d - start).days), abs((d - deadline).days))

    return min(candidates, key=distance)


def _text_date(text: str, window: tuple[dt.date, dt.date]) -> dt.date | None:
    match = _YMD.match(text) or _COMPACT_YMD.match(text)
    try:
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        match = _MD.match(text)
        if match:
            return _infer_year(int(match[1]), int(match[2]), window)
    except ValueError:
        pass
    return None


def parse_date(raw: Any, *, window: tuple[dt.date, dt.date], date1904: bool = False) -> dt.date | Invalid:
    """A real date, an Excel serial (1900 or 1904 system) or any text spelling SPEC §3 lists, also with
    `号` for `日` and a time of day after it (`12月3号`, `2026年12月15日上午`, `12月20日 14:30`)."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, bool):
        return Invalid(T.bad_date(raw), T.DATE_HINT)
    if isinstance(raw, int | float):
        if not 1 <= raw < 2958466:
            return Invalid(T.bad_date(clean(raw)), T.DATE_HINT)
        serial = (_EXCEL_1904 if date1904 else _EXCEL_1900) + dt.timedelta(days=int(raw))
        # A number like 12.3 typed into a cell is a month.day the spreadsheet stored as a number
        # (12.30 and 12.3 are the same number), never a serial from 1900: ask for the full date.
        return serial if serial.year >= 2000 else Invalid(T.bad_date(clean(raw)), T.DATE_HINT)
    text = clean(raw)
    found = _text_date(text, window)
    if found is None and (bare := _TIME_OF_DAY.sub("", text, count=1)) != text:
        found = _text_date(bare, window)
    return found if found is not None else Invalid(T.bad_date(shown(raw)), T.DATE_HINT)


_MONTH = re.compile(r"^(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*月?\s*(底|末|份|上旬|中旬|下旬)?$")
_DUE_BEFORE = re.compile(r"(?:之前|以前|前)$")
_PERIOD_DAY = {"上旬": 10, "中旬": 20}


def parse_due(raw: Any, *, window: tuple[dt.date, dt.date], date1904: bool = False) -> dt.date | str | Invalid:
    """整改时限: a date (`2027年1月10日前` too), a month meaning its last day (`2027年1月`, `1月底`; 上旬 the
    10th, 中旬 the 20th), or one of the two words SPEC §3 allows, in the spellings clerks use for them."""
    text = compact(raw)
    if text in _DUE_WORDS:
        return _DUE_WORDS[text]
    parsed = parse_date(raw, window=window, date1904=date1904)
    if not isinstance(parsed, Invalid):
        return parsed
    bare = _DUE_BEFORE.sub("", text)
    if bare != text and not isinstance(on := parse_date(bare, window=window), Invalid):
        return on
    month = _MONTH.match(bare) if ("月" in bare or "-" in bare or "/" in bare or "." in bare) else None
    if month and 1 <= int(month[2]) <= 12:
        year = int(month[1]) if month[1] else _infer_year(int(month[2]), 1, window)
        if isinstance(year, dt.date):
            year = year.year
        if year is not None:
            last = calendar.monthrange(year, int(month[2]))[1]
            return dt.date(year, int(month[2]), _PERIOD_DAY.get(month[3] or "", last))
    return Invalid(T.bad_date(shown(raw)), T.DUE_HINT)


_DUE_WORDS = {
    **dict.fromkeys(("长期坚持", "长期", "长期整改", "持续整改", "长期推进", "常态化", "常态化整改", "持续推进"), DUE_ONGOING),
    **dict.fromkeys(("立行立改", "立即整改", "立即", "马上整改", "即知即改", "立改"), DUE_IMMEDIATE),
}


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZEROS = "零〇"


def chinese_number(text: str) -> int | None:
    """三十 → 30, 一百二十 → 120, 十五 → 15, 两百 → 200, 三百零三 → 303.

    Only the standard spelling is read: None for a colloquial or malformed one that a person could read
    two ways (三百三 is 303 or 330, 一千三 1003 or 1300) or not at all (十十, 百千, 三百零): never a guess."""
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    if len(text) == 1 and text in _DIGITS:
        return _DIGITS[text]
    total, last_unit, zero, i = 0, 10_000, False, 0
    while i < len(text):
        ch = text[i]
        if ch in _ZEROS:
            if zero or i == 0:
                return None
            zero, i = True, i + 1
            continue
        digit = None
        if ch in _DIGITS:
            digit, i = _DIGITS[ch], i + 1
            if i == len(text):  # the ones: after 十, or after a 零 that says a place was skipped
                return total + digit if (last_unit == 10 and not zero) or (last_unit > 10 and zero) else None
            if text[i] not in _UNITS:
                return None
        unit = _UNITS[text[i]]
        skipped = last_unit // unit > 10 and total > 0
        if unit >= last_unit or (digit is None and (unit != 10 or total)) or zero != skipped:
            return None
        total, last_unit, zero, i = total + (1 if digit is None else digit) * unit, unit, False, i + 1
    return None if zero else total


@dataclass(frozen=True)
class Count:
    """A head count, and whether the unit wrote it as a lower bound (`20+`, `20人以上`) rather than a figure."""

    value: int
    at_least: bool = False


_COUNT_PREFIX = re.compile(r"^(约|大约|共|共计|合计|计|总计)")
_COUNT_SUFFIX = re.compile(r"(人次|余人|多人|人左右|左右|人|名|位|余|多|\+|以上)$")
_COUNT_NOTE = re.compile(r"^(.+?)(?:\([^()]*\)|[,;](?:其中|含|包括|包含).*)$")
"""A note after the figure: `30(其中党员12人)`, `30人,其中党员12人` (NFKC has folded the brackets and commas)."""


def read_count(raw: Any) -> Count | Invalid:
    """A head count: 30, 30.0, '30人', '约30人', '３０', '三十', '30（其中党员12人）', '20+' (a lower bound)."""
    if isinstance(raw, bool):
        return Invalid(T.bad_count(raw), T.COUNT_HINT)
    if isinstance(raw, int | float):
        if raw >= 0 and float(raw).is_integer():
            return Count(int(raw))
        return Invalid(T.bad_count(raw), T.COUNT_HINT)
    text = compact(raw)
    if (note := _COUNT_NOTE.match(text)) is not None:
        text = note[1]
    core, at_least = _COUNT_PREFIX.sub("", text), False
    for _ in range(3):
        stripped = _COUNT_SUFFIX.sub("", core)
        at_least = at_least or core.endswith(("+", "以上"))
        core = stripped
    if core.isdigit() and core.isascii():
        return Count(int(core), at_least)
    value = chinese_number(core)
    if value is not None:
        return Count(value, at_least)
    return Invalid(T.bad_count(shown(raw)), T.CHINESE_COUNT_HINT if core and all(
        ch in _DIGITS or ch in _UNITS for ch in core) else T.COUNT_HINT)


def parse_count(raw: Any) -> int | Invalid:
    """The figure of `read_count`, for callers that need no more."""
    count = read_count(raw)
    return count if isinstance(count, Invalid) else count.value


@lru_cache(maxsize=64)
def _compact_choices(choices: tuple[str, ...]) -> dict[str, str]:
    return {compact(choice): choice for choice in reversed(choices)}


def parse_choice(raw: Any, *, choices: Sequence[str], synonyms: dict[str, str], field: str) -> str | Invalid:
    """One of an enumerated set, accepting listed synonyms, also with a trailing `活动` (`大讨论活动`);
    the message names the allowed values."""
    text = compact(raw)
    lookup = _compact_choices(tuple(choices))
    for candidate in (text, text.removesuffix("活动")) if text.endswith("活动") else (text,):
        choice = lookup.get(candidate) or synonyms.get(candidate)
        if choice is not None:
            return choice
    return Invalid(T.bad_choice(field, shown(raw), choices), T.choice_hint(choices))


def split_names(raw: Any) -> list[str]:
    """协办单位 lists: separated by 、，,; and their full-width forms."""
    return [part for part in (p.strip() for p in re.split(r"[、，,;；/]+", clean(raw))) if part]
