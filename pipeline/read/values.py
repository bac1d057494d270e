"""The one place where a raw cell value becomes a typed value, or an `Invalid` saying why not.

Units type dates, counts and choices in many spellings; each parser accepts all of them and
returns `Invalid` (message + example of a correct value) for anything else, never raising.
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pipeline.read import texts as T


@dataclass(frozen=True)
class Invalid:
    message: str
    hint: str


_SPACE = re.compile(r"\s+")
_ODD_SPACE = re.compile(r"[^\S ]| \s")
"""Whitespace that clean() has to rewrite: any but a single plain space (which only strip() may remove)."""


def clean(raw: Any) -> str:
    """Cell value as normalised text: NFKC (full width folded), every kind of whitespace removed at the ends."""
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
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if _ODD_SPACE.search(text) is None:
        return text.strip()
    return _SPACE.sub(" ", text).strip()


def compact(raw: Any) -> str:
    """Text with all whitespace removed, for matching keywords and labels."""
    text = clean(raw)
    return text.replace(" ", "") if " " in text else text


def is_blank(raw: Any) -> bool:
    """None, empty, or only whitespace of any kind (str.strip knows the full-width space too)."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


_EXCEL_1900 = dt.date(1899, 12, 30)
_EXCEL_1904 = dt.date(1904, 1, 1)
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_COMPACT_YMD = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MD = re.compile(r"^(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?$")


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


def parse_date(raw: Any, *, window: tuple[dt.date, dt.date], date1904: bool = False) -> dt.date | Invalid:
    """A real date, an Excel serial (1900 or 1904 system) or any text spelling SPEC §3 lists."""
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
    match = _YMD.match(text) or _COMPACT_YMD.match(text)
    try:
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        match = _MD.match(text)
        if match:
            inferred = _infer_year(int(match[1]), int(match[2]), window)
            if inferred:
                return inferred
    except ValueError:
        pass
    return Invalid(T.bad_date(text), T.DATE_HINT)


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_COUNT_NOISE = re.compile(r"^(约|大约|共|共计|合计|计)|(人次|余人|多人|人左右|左右|人|名|位|余|多)$")


def chinese_number(text: str) -> int | None:
    """三十 → 30, 一百二十 → 120, 十五 → 15, 两百 → 200; None when not a plain Chinese numeral."""
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in "零〇" and len(text) > 1:
            continue
        if ch in _DIGITS:
            if digit is not None:
                return None
            digit = _DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
    return total + (digit or 0)


def parse_count(raw: Any) -> int | Invalid:
    """A head count: 30, 30.0, '30人', '约30人', '３０', '三十'."""
    if isinstance(raw, bool):
        return Invalid(T.bad_count(raw), T.COUNT_HINT)
    if isinstance(raw, int | float):
        if raw >= 0 and float(raw).is_integer():
            return int(raw)
        return Invalid(T.bad_count(raw), T.COUNT_HINT)
    text = compact(raw)
    core = text
    for _ in range(3):
        core = _COUNT_NOISE.sub("", core)
    if core.isdigit():
        return int(core)
    value = chinese_number(core)
    return value if value is not None else Invalid(T.bad_count(text), T.COUNT_HINT)


_CN_INDEX = re.compile(r"^[(（]?([一二三四五六七八九十]+)[)）、.]?$")
_NUM_PREFIX = re.compile(r"^(?:子主题|主题)?[(（]?(\d+)[)）]?(?:[-、.:：\s]|$)")


def _fragments(title: str) -> list[str]:
    return [f for f in re.split(r"[、，,\s—-]+", compact(title)) if len(f) >= 3]


def parse_subtheme(raw: Any, *, titles: dict[int, str]) -> int | Invalid:
    """`1`, `1-转作风…`, `（一）`, the full title, or an unambiguous keyword such as `小手拉大手`."""
    text = compact(raw)
    if not text:
        return Invalid(T.missing("子主题"), T.subtheme_hint(titles))
    found: int | None = None
    match = _NUM_PREFIX.match(text)
    if match:
        found = int(match[1])
    elif (cn := _CN_INDEX.match(text)) is not None:
        found = chinese_number(cn[1])
    if found is not None:
        return found if found in titles else Invalid(T.bad_subtheme(clean(raw)), T.subtheme_hint(titles))
    hint = T.subtheme_hint(titles)
    hits = {i for i, title in titles.items()
            if compact(title) in text or (len(text) >= 3 and text in compact(title))
            or any(f in text for f in _fragments(title))}
    if len(hits) == 1:
        return hits.pop()
    return Invalid(T.ambiguous_subtheme(clean(raw)) if hits else T.bad_subtheme(clean(raw)), hint)


@lru_cache(maxsize=64)
def _compact_choices(choices: tuple[str, ...]) -> dict[str, str]:
    return {compact(choice): choice for choice in reversed(choices)}


def parse_choice(raw: Any, *, choices: Sequence[str], synonyms: dict[str, str], field: str) -> str | Invalid:
    """One of an enumerated set, accepting listed synonyms; the message names the allowed values."""
    text = compact(raw)
    choice = _compact_choices(tuple(choices)).get(text)
    if choice is not None:
        return choice
    if text in synonyms:
        return synonyms[text]
    return Invalid(T.bad_choice(field, clean(raw), choices), T.choice_hint(choices))


def split_names(raw: Any) -> list[str]:
    """协办单位 lists: separated by 、，,; and their full-width forms."""
    return [part for part in (p.strip() for p in re.split(r"[、，,;；/]+", clean(raw))) if part]
