"""Who is who: resolving the names units write to roster units, and what each unit owes."""

from dataclasses import dataclass, field

from pipeline.config import Campaign, Unit, closest, name_key

MAX_NAME_IN_FILENAME = 255
"""File names (at most 255 characters on Windows and Linux; a crafted zip member may be longer and is cut)
are searched for roster names piece by piece, not name by name, which would grow with the roster."""
_SUFFIXES = ("村民委员会", "居民委员会", "村委会", "居委会", "委会", "村委")


@dataclass(frozen=True)
class Roster:
    """Name lookup and duties over a campaign's units; build once with `Roster.of`."""

    campaign: Campaign
    by_key: dict[str, Unit] = field(repr=False)

    @classmethod
    def of(cls, campaign: Campaign) -> "Roster":
        by_key: dict[str, Unit] = {}
        for unit in campaign.units:
            for label in (unit.name, *unit.aliases):
                by_key[name_key(label)] = unit
        return cls(campaign=campaign, by_key=by_key)

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
        """The one roster unit whose name or alias appears in a file name; None if none or several."""
        key = name_key(stem)[:MAX_NAME_IN_FILENAME]
        pieces = {key[i:j] for i in range(len(key)) for j in range(i + 2, len(key) + 1)}
        hits = [(len(k), self.by_key[k]) for k in pieces if k in self.by_key]
        if not hits:
            return None
        longest = max(length for length, _ in hits)
        units = {unit.name: unit for length, unit in hits if length == longest}
        return next(iter(units.values())) if len(units) == 1 else None

    def closest(self, name: str) -> list[str]:
        return closest(name, [u.name for u in self.units])

    def responsible_subthemes(self, unit: Unit) -> tuple[int, ...]:
        """Sub-themes the seed makes this unit responsible for, by name or by kind."""
        return tuple(
            s.id for s in self.campaign.subthemes
            if any((r.unit is not None and name_key(r.unit) == name_key(unit.name))
                   or (r.kind is not None and r.kind in unit.kinds) for r in s.responsible)
        )

    def exempted_subthemes(self, unit: Unit) -> tuple[int, ...]:
        return tuple(sorted({e.subtheme for e in self.campaign.exemptions
                             if name_key(e.unit) == name_key(unit.name)}))

    def required_subthemes(self, unit: Unit) -> tuple[int, ...]:
        exempt = set(self.exempted_subthemes(unit))
        return tuple(s for s in self.responsible_subthemes(unit) if s not in exempt)

    def is_discussion_unit(self, unit: Unit) -> bool:
        return any(kind in self.campaign.min_discussions_kinds for kind in unit.kinds)

    def is_publicity_unit(self, unit: Unit) -> bool:
        return any(name_key(p) == name_key(unit.name) for p in self.campaign.publicity_units)
