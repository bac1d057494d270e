"""campaign.yaml → a frozen `Campaign`: the roster, dates, sub-themes and thresholds every step reads."""

import datetime as dt
import difflib
import re
import unicodedata
from pathlib import Path
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from pipeline.config import texts
from pipeline.config.characters import LINE_BREAK, UNWRITABLE
from pipeline.config.mistakes import find_mistakes
from pipeline.config.yaml12 import Lines, decode_text, load_yaml
from pipeline.errors import ConfigError

Kind = Literal["村", "乡直单位", "窗口单位", "学校", "群团组织", "社会组织", "派驻单位"]
KINDS: tuple[str, ...] = get_args(Kind)

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def _iso_date(value: Any) -> dt.date:
    """Dates only as YYYY-MM-DD (a bare number would otherwise be read as a Unix timestamp)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    match = _ISO_DATE.match(value) if isinstance(value, str) else None
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    raise PydanticCustomError("cc_date", "{message}", {"message": texts.bad_config_date(value)})


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]

_TEXT_ERROR = "cc_text"
"""The error type of a text refused for its characters (the characters may not show in an editor)."""


def _text(value: Any) -> Any:
    """Refuse what a .docx or .xlsx cannot hold (before pydantic's own check, which would call a lone surrogate
    just 无效)."""
    if isinstance(value, str) and UNWRITABLE.search(value):
        raise PydanticCustomError(_TEXT_ERROR, "{message}", {"message": texts.unwritable_text(value)})
    return value


def _name(value: Any) -> Any:
    """A name is also one line: it heads a unit's reminder, names its gap list file and fills a table cell."""
    value = _text(value)
    if isinstance(value, str) and LINE_BREAK.search(value):
        raise PydanticCustomError(_TEXT_ERROR, "{message}", {"message": texts.name_not_one_line(value)})
    return value


Text = Annotated[str, BeforeValidator(_text)]
"""A free text (the campaign's name, contact, audience, an exemption's reason): tabs and line breaks are kept."""
Name = Annotated[str, BeforeValidator(_name)]
"""A unit's name or alias (also where responsible, publicity_units and exemptions name one), the township, the office,
a sub-theme's title or keyword."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Responsible(_Frozen):
    """One responsible party of a sub-theme: a named unit or every unit of a kind."""

    unit: Name | None = None
    kind: Kind | None = None

    @model_validator(mode="after")
    def _one_of(self) -> "Responsible":
        if (self.unit is None) == (self.kind is None):
            raise PydanticCustomError("cc_responsible", "{message}", {"message": texts.RESPONSIBLE_ONE_OF})
        return self


class Subtheme(_Frozen):
    id: int = Field(ge=1)
    audience: Text = Field(min_length=1)
    title: Name = Field(min_length=1)
    responsible: tuple[Responsible, ...] = Field(min_length=1)
    keywords: tuple[Name, ...] = ()
    """Optional words that name this sub-theme in a 子主题 cell (`keywords: [市场, 个体户]`)."""

    @property
    def label(self) -> str:
        """The dropdown text in the template, e.g. `1-转作风、见行动、促创建`."""
        return f"{self.id}-{self.title}"


class Unit(_Frozen):
    name: Name = Field(min_length=1)
    kinds: tuple[Kind, ...] = Field(min_length=1)
    aliases: tuple[Name, ...] = ()
    """Other ways its ledgers write its name: short and full forms, and its former name after a rename."""
    joined: IsoDate | None = None
    """The day a unit added to the roster during the campaign joined it: what counts from the start for the others
    (R5's first due date, R7's schedule) counts from this day for it."""
    example: bool = False


class Exemption(_Frozen):
    unit: Name = Field(min_length=1)
    subtheme: int
    reason: Text = Field(min_length=1)
    approved_by: Text = ""


class Limits(_Frozen):
    """What one file may cost to read; a file over any limit is 未采用 with the limit named.

    Defaults fit a ledger many times over; the office may raise them under `limits:` in campaign.yaml.
    """

    max_file_mb: int = Field(default=200, ge=1)
    """A guard on the raw size before anything is read; a ledger with a few pasted photos is far below it."""
    max_unpacked_mb: int = Field(default=200, ge=1)
    max_zip_entries: int = Field(default=500, ge=1)
    max_compression_ratio: int = Field(default=500, ge=10)
    max_rows: int = Field(default=100_000, ge=100)
    max_cells: int = Field(default=5_000_000, ge=10_000)
    max_cell_chars: int = Field(default=10_000, ge=100, le=32_767)
    """At most what an Excel cell holds: longer text could not be written into the report whole."""


class Campaign(_Frozen):
    """Everything campaign.yaml says; passed explicitly to every step, never read from globals."""

    name: Text = Field(min_length=1)
    township: Name = Field(min_length=1)
    office: Name = Field(min_length=1)
    contact: Text = Field(min_length=1)
    timezone: Text = "Asia/Shanghai"
    start: IsoDate
    deadline: IsoDate
    min_discussions: int = Field(default=2, ge=1)
    min_discussions_kinds: tuple[Kind, ...] = ("村", "乡直单位")
    report_interval_days: int = Field(default=7, ge=1)
    publicity_units: tuple[Name, ...] = ()
    subthemes: tuple[Subtheme, ...] = Field(min_length=1)
    units: tuple[Unit, ...] = Field(min_length=1)
    exemptions: tuple[Exemption, ...] = ()
    limits: Limits = Limits()

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise PydanticCustomError("cc_tz", "{message}", {"message": texts.bad_timezone(value)}) from None
        return value

    @property
    def window_days(self) -> int:
        return (self.deadline - self.start).days

    def start_of(self, unit: Unit) -> dt.date:
        """The day the campaign started for a unit: its `joined` day if it joined later, else `start`."""
        return unit.joined if unit.joined is not None and unit.joined > self.start else self.start

    @property
    def contact_is_placeholder(self) -> bool:
        """`联系电话：（请填写）` as shipped: outputs leave the contact line out until the office fills it in."""
        return any(mark in self.contact for mark in texts.PLACEHOLDER_MARKS)

    def today(self) -> dt.date:
        """Today in the campaign's time zone, not the machine's."""
        return dt.datetime.now(ZoneInfo(self.timezone)).date()

    def subtheme(self, subtheme_id: int) -> Subtheme | None:
        return next((s for s in self.subthemes if s.id == subtheme_id), None)

    def label(self, subtheme_id: int) -> str:
        """`1-转作风、见行动、促创建`; just the number for an id the campaign does not define."""
        sub = self.subtheme(subtheme_id)
        return sub.label if sub else str(subtheme_id)


_UNSEEN = re.compile(r"[\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
                     r"\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb]+")
"""Whitespace and the characters a copy from WeChat or a web page carries without showing them: zero-width
spaces and joiners, the BOM, word joiners, direction marks, variation selectors, soft hyphens."""


def name_key(name: str) -> str:
    """Compare names as a person would: full-width folded, whitespace and invisible characters removed."""
    return _UNSEEN.sub("", unicodedata.normalize("NFKC", name))


def closest(name: str, candidates: list[str], *, n: int = 3) -> list[str]:
    """The n candidates most like `name`, most similar first (for 'did you mean' messages)."""
    key = name_key(name)
    scored = sorted(
        candidates, key=lambda c: (-difflib.SequenceMatcher(None, key, name_key(c)).ratio(), c)
    )
    return [c for c in scored if difflib.SequenceMatcher(None, key, name_key(c)).ratio() > 0][:n]


def _responsible(campaign: Campaign, exemption: Exemption, *, owner: dict[str, int]) -> bool:
    """Whether the exempted unit owes the exempted sub-theme at all (by name or by one of its kinds). `owner` is
    the unit index of each compared name and alias (a county has thousands of units and exemptions)."""
    index = owner.get(name_key(exemption.unit))
    unit = None if index is None else campaign.units[index]
    sub = next((s for s in campaign.subthemes if s.id == exemption.subtheme), None)
    if unit is None or sub is None:
        return True
    return any((r.unit is not None and name_key(r.unit) == name_key(unit.name)) or r.kind in unit.kinds
               for r in sub.responsible)


def _cross_check(campaign: Campaign, *, lines: Lines) -> tuple[list[str], list[str]]:
    """Checks across keys that one field's validator cannot see, each message at the line of the key or list item
    it is about (the Campaign's tuples keep the file's order, so an index is the file's). Returns (errors,
    warnings)."""
    errors: list[str] = []
    warnings: list[str] = []
    if campaign.deadline <= campaign.start:
        errors.append(texts.deadline_not_after_start(start=campaign.start, deadline=campaign.deadline,
                                                     line=lines.of(("deadline",))))

    owner: dict[str, int] = {}
    for index, unit in enumerate(campaign.units):
        where = f"units → 第{index + 1}项（{unit.name}）"
        if unit.joined is not None and not campaign.start <= unit.joined <= campaign.deadline:
            errors.append(texts.joined_outside(where=where, joined=unit.joined, start=campaign.start,
                                               deadline=campaign.deadline, line=lines.of(("units", index, "joined"))))
        labels: dict[str, tuple[str | int, ...]] = {unit.name: ("name",)}
        for a_index, alias in enumerate(unit.aliases):
            labels.setdefault(alias, ("aliases", a_index))
        for label, step in labels.items():
            key = name_key(label)
            if key in owner:
                other = campaign.units[owner[key]].name
                errors.append(texts.duplicate_name(
                    where=where, name=label, other=f"单位“{other}”" if owner[key] != index else "本单位名称",
                    line=lines.of(("units", index, *step))))
            owner[key] = index
    names = [u.name for u in campaign.units]
    known = {name_key(n) for n in names}

    def check_unit(where: str, name: str, loc: tuple[str | int, ...]) -> None:
        if name_key(name) not in known:
            errors.append(texts.unknown_unit(where=where, name=name, suggestions=closest(name, names),
                                             line=lines.of(loc)))

    first: dict[int, int] = {}
    for s_index, sub in enumerate(campaign.subthemes):
        if sub.id in first:
            errors.append(texts.duplicate_subtheme(
                where=f"subthemes → 第{s_index + 1}项（{sub.id}）", subtheme=sub.id,
                line=lines.of(("subthemes", s_index, "id")), first=lines.of(("subthemes", first[sub.id], "id"))))
        first.setdefault(sub.id, s_index)
    used_kinds: list[str] = list(campaign.min_discussions_kinds)
    for s_index, sub in enumerate(campaign.subthemes):
        for r_index, resp in enumerate(sub.responsible):
            where = f"subthemes → 第{s_index + 1}项（{sub.id}）→ responsible → 第{r_index + 1}项"
            if resp.unit is not None:
                check_unit(where, resp.unit, ("subthemes", s_index, "responsible", r_index, "unit"))
            if resp.kind is not None:
                used_kinds.append(resp.kind)
    for p_index, name in enumerate(campaign.publicity_units):
        check_unit(f"publicity_units → 第{p_index + 1}项", name, ("publicity_units", p_index))
    for e_index, exemption in enumerate(campaign.exemptions):
        where = f"exemptions → 第{e_index + 1}项"
        check_unit(where, exemption.unit, ("exemptions", e_index, "unit"))
        if exemption.subtheme not in first:
            errors.append(texts.unknown_subtheme(where=where, subtheme=exemption.subtheme,
                                                 line=lines.of(("exemptions", e_index, "subtheme"))))
        elif name_key(exemption.unit) in known and not _responsible(campaign, exemption, owner=owner):
            warnings.append(texts.exemption_waives_nothing(where=where, unit=exemption.unit,
                                                           subtheme=exemption.subtheme,
                                                           line=lines.of(("exemptions", e_index))))

    roster_kinds = {k for u in campaign.units for k in u.kinds}
    for kind in dict.fromkeys(used_kinds):
        if kind not in roster_kinds:
            warnings.append(texts.kind_without_units(kind))
    examples = [u.name for u in campaign.units if u.example or any(m in u.name for m in texts.PLACEHOLDER_MARKS)]
    if examples or campaign.contact_is_placeholder:
        warnings.append(texts.placeholders(contact=campaign.contact_is_placeholder, units=examples))
    return errors, warnings


KEYS = frozenset(name for model in (Campaign, Subtheme, Responsible, Unit, Exemption, Limits)
                 for name in model.model_fields)
"""Every key campaign.yaml may use, for the line checks that name a typing mistake (pipeline.config.mistakes)."""


def parse_campaign(raw: Any, *, path: str, text: str | None = None) -> tuple[Campaign, list[str]]:
    """Validate already-parsed YAML; returns the campaign and its warnings, or raises ConfigError. With the file's
    `text`, each message names the line of the key or list item it is about (a clerk edits the file in Notepad)."""
    if not isinstance(raw, dict):
        raise ConfigError(path, [texts.CONFIG_NOT_MAPPING])
    lines = Lines(text)
    try:
        campaign = Campaign.model_validate(raw)
    except ValidationError as exc:
        messages = []
        errs = exc.errors()
        locs = [tuple(e["loc"]) for e in errs]
        for err in errs:
            loc = [step for step in err["loc"] if not (isinstance(step, str) and step.startswith("function-"))]
            if any(len(other) > len(err["loc"]) and other[: len(err["loc"])] == err["loc"] for other in locs):
                continue
            what = texts.config_field_error(kind=err["type"], loc=loc, value=err.get("input"),
                                            ctx=dict(err.get("ctx") or {}))
            messages.append(texts.config_problem(where=texts.config_where(loc, raw), what=what, line=lines.of(loc)))
        raise ConfigError(path, list(dict.fromkeys(messages))) from None
    errors, warnings = _cross_check(campaign, lines=lines)
    if errors:
        raise ConfigError(path, errors)
    return campaign, warnings


def load_campaign(path: Path) -> tuple[Campaign, list[str]]:
    """Read campaign.yaml (UTF-8 with or without BOM, or GBK) into a Campaign plus warnings."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(str(path), [texts.config_unreadable(str(path), "文件不存在")]) from None
    except OSError as exc:
        raise ConfigError(str(path), [texts.config_unreadable(str(path), exc.strerror or "无法打开")]) from None
    try:
        text = decode_text(data)
    except UnicodeDecodeError:
        raise ConfigError(str(path), [texts.config_unreadable(str(path), "文件编码无法识别，请另存为 UTF-8")]) from None
    raw = load_yaml(text=text, path=str(path), keys=KEYS)
    try:
        return parse_campaign(raw, path=str(path), text=text)
    except ConfigError:
        mistakes = find_mistakes(text, keys=KEYS)  # e.g. `[村，乡直单位]` is valid YAML: one kind named “村，乡直单位”
        if mistakes:
            raise ConfigError(str(path), mistakes) from None
        raise
