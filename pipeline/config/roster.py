"""Who is who: resolving the names units write to roster units, and what each unit owes."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from pipeline.config.campaign import Campaign, Unit, closest, name_key

MAX_NAME_IN_FILENAME = 255
"""File names (at most 255 characters on Windows and Linux; a crafted zip member may be longer and is cut)
are searched for roster names piece by piece, not name by name, which would grow with the roster."""
_SUFFIXES = ("村民委员会", "居民委员会", "村委会", "居委会", "委会", "村委")
TYPO_FROM = 3
"""Names this long or longer are matched one character off; a shorter one differs from too many others."""
_ANY = "\0"


@dataclass(frozen=True)
class _Typos:
    """Roster names (of at least TYPO_FROM characters) indexed by every one-character slip, each map giving the
    unit names a pattern can come from: one character replaced, one left out, one added."""

    replaced: dict[str, frozenset[str]]
    inner: dict[str, frozenset[str]]
    """As `replaced`, but never the last character: inside a longer file name, 白塔小学 is not a slip of 白塔村."""
    dropped: dict[str, frozenset[str]]
    exact: dict[str, str]
    lengths: frozenset[int]


@dataclass(frozen=True)
class Roster:
    """Name lookup and duties over a campaign's units; build once with `Roster.of`.

    Names, exemptions, responsibilities and publicity units are indexed by name key once, so asking
    about one unit costs the same for a township of 50 units as for a prefecture of 10,000."""

    campaign: Campaign
    by_key: dict[str, Unit] = field(repr=False)
    exempted_by_key: dict[str, frozenset[int]] = field(repr=False)
    named_duties: dict[str, frozenset[int]] = field(repr=False)
    kind_duties: dict[str, frozenset[int]] = field(repr=False)
    publicity_keys: frozenset[str] = field(repr=False)

    @classmethod
    def of(cls, campaign: Campaign) -> "Roster":
        by_key: dict[str, Unit] = {}
        for unit in campaign.units:
            for label in (unit.name, *unit.aliases):
                by_key[name_key(label)] = unit
        exempted: dict[str, set[int]] = defaultdict(set)
        for e in campaign.exemptions:
            exempted[name_key(e.unit)].add(e.subtheme)
        named: dict[str, set[int]] = defaultdict(set)
        kinds: dict[str, set[int]] = defaultdict(set)
        for sub in campaign.subthemes:
            for r in sub.responsible:
                if r.unit is not None:
                    named[name_key(r.unit)].add(sub.id)
                if r.kind is not None:
                    kinds[r.kind].add(sub.id)
        return cls(campaign=campaign, by_key=by_key,
                   exempted_by_key={k: frozenset(v) for k, v in exempted.items()},
                   named_duties={k: frozenset(v) for k, v in named.items()},
                   kind_duties={k: frozenset(v) for k, v in kinds.items()},
                   publicity_keys=frozenset(name_key(p) for p in campaign.publicity_units))

    @property
    def units(self) -> tuple[Unit, ...]:
        return self.campaign.units

    def _candidates(self, name: str) -> list[str]:
        key = name_key(name)
        township = name_key(self.campaign.township)
        bases = [key]
        for prefix in (township, township.rstrip("乡镇")):
            if prefix and prefix in key:
                bases.append(key.split(prefix, 1)[1])
        out: list[str] = []
        for base in bases:
            out.append(base)
            for suffix in _SUFFIXES:
                if base.endswith(suffix) and len(base) > len(suffix):
                    stem = base[: -len(suffix)]
                    out.extend([stem, stem + "村"])
        return out

    def resolve(self, name: str) -> Unit | None:
        """The roster unit a written name means (township prefix, 村委会-style suffixes, aliases)."""
        for candidate in self._candidates(name):
            if candidate in self.by_key:
                return self.by_key[candidate]
        return None

    def from_filename(self, stem: str) -> Unit | None:
        """The one roster unit whose name or alias appears in a file name, the longest if several; None if none or
        several as long."""
        return self._in_key(name_key(stem)[:MAX_NAME_IN_FILENAME])

    def named_in_filename(self, stem: str) -> Unit | None:
        """The unit a file name is about, for telling a unit that a file bearing its name was read as another's: as
        from_filename, except that the office's name beside another unit's is the addressee (城西湖乡创城办台账（荷花村）
        is about 荷花村). Never what a ledger is read as: a file the office names for a partner stays the office's."""
        found = self.from_filename(stem)
        office = self.resolve(self.campaign.office)
        if found is None or office is None or found.name != office.name:
            return found
        key = name_key(stem)[:MAX_NAME_IN_FILENAME]
        for label in sorted((name_key(n) for n in (office.name, *office.aliases)), key=len, reverse=True):
            key = key.replace(label, "\0") if label else key   # no name holds NUL: no hit spans the cut
        return self._in_key(key) or found

    def _in_key(self, key: str) -> Unit | None:
        pieces = {key[i:j] for i in range(len(key)) for j in range(i + 2, len(key) + 1)}
        hits = [(len(k), self.by_key[k]) for k in pieces if k in self.by_key]
        if not hits:
            return None
        longest = max(length for length, _ in hits)
        units = {unit.name: unit for length, unit in hits if length == longest}
        return next(iter(units.values())) if len(units) == 1 else None

    def in_filename(self, stem: str, unit: Unit) -> bool:
        """Whether a file name holds `unit`'s name or an alias anywhere, even where from_filename picks a longer
        name: 城西湖乡创城办台账（荷花村） names 荷花村 as well as 城西湖乡创城办."""
        key = name_key(stem)[:MAX_NAME_IN_FILENAME]
        return any(label and label in key for label in (name_key(n) for n in (unit.name, *unit.aliases)))

    def near(self, name: str) -> Unit | None:
        """For a name that does not resolve (a 基本信息 name, a file name): the one roster unit it most likely
        means, so a file that cannot be used is still told to that unit. A roster name with extra characters
        around it, else a name one character off from exactly one roster name (also inside a longer file name);
        None when there is none or more than one."""
        contained = self.from_filename(name)
        if contained is not None:
            return contained
        key = name_key(name)[:MAX_NAME_IN_FILENAME]
        typos = self._typos
        found: set[str] = set(typos.dropped.get(key, ()))
        for length in typos.lengths:
            for start in range(len(key) - length + 1):
                window = key[start:start + length]
                patterns = typos.replaced if length == len(key) else typos.inner
                found.update(u for i in range(length) for u in patterns.get(window[:i] + _ANY + window[i + 1:], ()))
                wider = key[start:start + length + 1]
                if len(wider) == length + 1:
                    found.update(typos.exact[w] for i in range(length + 1) if (w := wider[:i] + wider[i + 1:]) in typos.exact)
        return self.by_key[name_key(found.pop())] if len(found) == 1 else None

    @cached_property
    def _typos(self) -> _Typos:
        replaced: dict[str, set[str]] = defaultdict(set)
        inner: dict[str, set[str]] = defaultdict(set)
        dropped: dict[str, set[str]] = defaultdict(set)
        exact: dict[str, str] = {}
        for key, unit in self.by_key.items():
            if len(key) < TYPO_FROM:
                continue
            exact[key] = unit.name
            for i in range(len(key)):
                replaced[key[:i] + _ANY + key[i + 1:]].add(unit.name)
                if i < len(key) - 1:
                    inner[key[:i] + _ANY + key[i + 1:]].add(unit.name)
                dropped[key[:i] + key[i + 1:]].add(unit.name)
        return _Typos(replaced={k: frozenset(v) for k, v in replaced.items()},
                      inner={k: frozenset(v) for k, v in inner.items()},
                      dropped={k: frozenset(v) for k, v in dropped.items()}, exact=exact,
                      lengths=frozenset(len(k) for k in exact))

    def closest(self, name: str) -> list[str]:
        return closest(name, [u.name for u in self.units])

    def responsible_subthemes(self, unit: Unit) -> tuple[int, ...]:
        """Sub-themes the seed makes this unit responsible for, by name or by kind."""
        duties = set(self.named_duties.get(name_key(unit.name), ()))
        for kind in unit.kinds:
            duties |= self.kind_duties.get(kind, frozenset())
        return tuple(s.id for s in self.campaign.subthemes if s.id in duties)

    def exempted_subthemes(self, unit: Unit) -> tuple[int, ...]:
        return tuple(sorted(self.exempted_by_key.get(name_key(unit.name), ())))

    def required_subthemes(self, unit: Unit) -> tuple[int, ...]:
        exempt = set(self.exempted_subthemes(unit))
        return tuple(s for s in self.responsible_subthemes(unit) if s not in exempt)

    def is_discussion_unit(self, unit: Unit) -> bool:
        return any(kind in self.campaign.min_discussions_kinds for kind in unit.kinds)

    def is_publicity_unit(self, unit: Unit) -> bool:
        return name_key(unit.name) in self.publicity_keys
