"""子主题 cells → the sub-themes they name, precisely: one cell may name several (`5、6`), and a word that
could mean more than one sub-theme (`文明`) or the campaign itself (`创城`, `大行动`) names none.

A cell names a sub-theme by its number, its Chinese ordinal (`六`, `子主题六`, `第二子主题`, `（五）`), its
full title, a fragment of two or more characters of exactly one sub-theme's title or audience (对象), or
a keyword the office lists for it in campaign.yaml (`keywords:`).
"""

import re
from dataclasses import dataclass
from typing import Any

from pipeline.config.campaign import Campaign
from pipeline.read import texts as T
from pipeline.read.values import Invalid, chinese_number, compact, shown

_ORDINAL = re.compile(r"^第?(?:子主题|主题)?第?\(?(\d+|[一二三四五六七八九十]+)\)?[、.:-]?(?:个?子主题|主题)?$")
_LABELLED = re.compile(r"^(?:子主题|主题)?\(?(\d+|[一二三四五六七八九十]+)\)?[-、.:\s]+(?![\d一二三四五六七八九十])(.+)$")
"""A number, a separator, then words (`1-转作风、见行动、促创建`); never a list such as `1、2` or `1.5`."""
_SEPARATORS = re.compile(r"[、,/;和及与+&]+|\s+")
_BRACKETED = re.compile(r"\(([^()]+)\)")
_TITLE_PIECES = re.compile(r"[、,\s—-]+")


@dataclass(frozen=True)
class SubthemeMatcher:
    """The campaign's sub-themes as a clerk names them; built once per campaign (RowContext keeps it)."""

    ids: tuple[int, ...]
    titles: dict[int, str]
    """Compacted titles, to compare with compacted cells."""
    words: dict[int, tuple[str, ...]]
    """Each sub-theme's compacted title and audience: the texts a fragment may come from."""
    pieces: dict[int, tuple[str, ...]]
    """Title pieces of three or more characters (`小手拉大手`) that a longer cell may contain."""
    keywords: dict[int, tuple[str, ...]]
    reserved: str
    """The campaign's name: a word from it (`创城`, `行动`) says nothing about which sub-theme."""
    hint: str

    @classmethod
    def of(cls, campaign: Campaign) -> "SubthemeMatcher":
        subs = campaign.subthemes
        return cls(
            ids=tuple(s.id for s in subs), titles={s.id: compact(s.title) for s in subs},
            words={s.id: (compact(s.title), compact(s.audience)) for s in subs},
            pieces={s.id: tuple(p for p in map(compact, _TITLE_PIECES.split(s.title)) if len(p) >= 3) for s in subs},
            keywords={s.id: tuple(k for k in map(compact, s.keywords) if k) for s in subs},
            reserved=compact(campaign.name), hint=T.subtheme_choices([s.label for s in subs]))

    def parse(self, raw: Any) -> tuple[int, ...] | Invalid:
        """The sub-themes a cell names, in order of their numbers, or an `Invalid` listing the choices.

        The whole cell is tried first (a title has `、` in it), then its parts (`5、6`, `（五）（六）`), and
        only then the title pieces or keywords a longer text contains (`围绕小手拉大手开展`)."""
        text = compact(raw)
        if not text:
            return Invalid(T.missing("子主题"), self.hint)
        if isinstance(raw, float) and not raw.is_integer():
            return Invalid(T.bad_subtheme(shown(raw)), self.hint)
        found, ambiguous = self._one(text)
        if found is not None:
            return (found,)
        if not ambiguous:
            parts = _BRACKETED.findall(text) if not _BRACKETED.sub("", text) else _SEPARATORS.split(text)
            each = [self._one(part)[0] for part in parts if part]
            if len(each) > 1 and all(i is not None for i in each):
                return tuple(sorted({i for i in each if i is not None}))
            found, ambiguous = self._within(text)
            if found is not None:
                return (found,)
        why = T.ambiguous_subtheme if ambiguous else T.bad_subtheme
        return Invalid(why(shown(raw)), self.hint)

    def _one(self, text: str) -> tuple[int | None, bool]:
        """The one sub-theme `text` is the number, ordinal, title, fragment or keyword of, or (None, whether
        it could mean several)."""
        if text.isdigit():
            number = int(text) if text.isascii() else None
            return (number if number in self.ids else None), False
        match = _ORDINAL.match(text)
        if match:
            return self._numbered(match[1]), False
        match = _LABELLED.match(text)
        if match and (number := self._numbered(match[1])) is not None:
            named, _ = self._one(match[2])
            if named == number or (named is None and match[2] not in self.reserved):
                return number, False  # `1-转作风`, `1-子主题`: the words name no other sub-theme and are no
                # word of the campaign's (`5、流动人口` names 6 too, `5、大行动` a type: both are read as lists)
        exact = [i for i, title in self.titles.items() if title == text]
        exact = exact or [i for i, words in self.keywords.items() if text in words]
        if exact:
            return exact[0], False
        if len(text) < 2 or text in self.reserved:
            return None, False
        return self._single({i for i, words in self.words.items() if any(text in w for w in words)})

    def _within(self, text: str) -> tuple[int | None, bool]:
        """The one sub-theme whose keyword or distinctive title piece a longer text contains."""
        return self._single({i for i in self.ids if any(k in text for k in self.keywords[i])
                             or any(p in text and self._distinctive(p) for p in self.pieces[i])})

    def _numbered(self, number: str) -> int | None:
        found = int(number) if number.isdigit() else chinese_number(number)
        return found if found in self.ids else None

    @staticmethod
    def _single(hits: set[int]) -> tuple[int | None, bool]:
        return (hits.pop(), False) if len(hits) == 1 else (None, len(hits) > 1)

    def _distinctive(self, piece: str) -> bool:
        """In one sub-theme's words only, and not in the campaign's name."""
        return piece not in self.reserved and sum(1 for w in self.words.values() if any(piece in x for x in w)) == 1
