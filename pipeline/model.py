"""Typed records that flow from the reader to the rules and the writers (all frozen).

Pydantic dataclasses with slots: validated when built like a model, but a county's 700,000 rows take
about a seventh of the memory of BaseModel instances and cross between processes faster.
"""

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from enum import StrEnum
from typing import Literal, get_args

from pydantic import InstanceOf
from pydantic.dataclasses import dataclass

from pipeline.records import _Record, quick

ProblemLevel = Literal["错误", "警告"]
ActivityKind = Literal["大讨论", "大行动"]
RectStatus = Literal["未整改", "整改中", "已整改"]
FileResult = Literal["已采用", "已被新版本替代", "未采用", "已忽略"]
FILE_RESULTS: tuple[FileResult, ...] = get_args(FileResult)


class Code(StrEnum):
    """What kind of data problem, refusal or ignored file something is: a stable string (validate --json shows it).

    Empty here, the lowest layer: each stage subclasses it next to the Chinese it writes for each member
    (read/texts.py, read/refusals.py, judge/codes.py), and the records below hold any stage's members.
    """


@dataclasses.dataclass(frozen=True, slots=True)
class Note:
    """A code with the Chinese a clerk reads for it and, for a data problem, what to do about it.

    The stages' text builders return these, so a code can never be paired with another code's words.
    """

    code: Code
    text: str
    hint: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem(_Record):
    """A data problem in a unit's file: stable code, location down to the cell, level, message, hint."""

    code: InstanceOf[Code]
    file: str
    sheet: str = ""
    cell: str = ""
    unit: str = ""
    level: ProblemLevel
    message: str
    hint: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Source(_Record):
    """Where a record came from, so any number in the report can be traced to a cell row."""

    file: str
    sheet: str
    row: int


_source = quick(Source)


class _Placed(_Record):
    """A ledger row's record: where it came from is held as three fields (a Source object for each of a county's
    700,000 rows took 40 MB) and given as a Source."""

    __slots__ = ()
    file: str
    sheet: str
    row: int

    @property
    def source(self) -> Source:
        return _source(file=self.file, sheet=self.sheet, row=self.row)


@dataclass(frozen=True, slots=True, kw_only=True)
class Activity(_Placed):
    file: str
    sheet: str
    row: int
    unit: str
    seq: str
    date: dt.date
    kind: ActivityKind
    subthemes: tuple[int, ...]
    """One activity may cover several sub-themes (a cell `5、6`); it counts once, for each of them."""
    topic: str = ""
    place: str = ""
    participants: int
    organizer: str = ""
    co_units: tuple[str, ...] = ()
    form: str = ""
    summary: str
    evidence: str = ""
    note: str = ""
    counted: bool = True
    not_counted_reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Rectification(_Placed):
    """One problem found in a discussion and its rectification (a 问题整改 row)."""

    file: str
    sheet: str
    row: int
    unit: str
    seq: str
    found: dt.date | None = None
    activity_seq: str = ""
    description: str
    measure: str = ""
    owner: str = ""
    due: dt.date | None = None
    due_text: str = ""
    ongoing: bool = False
    status: RectStatus | None = None
    done: dt.date | None = None
    note: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PublicityItem(_Placed):
    file: str
    sheet: str
    row: int
    unit: str
    seq: str
    date: dt.date
    platform: str
    title: str
    link: str = ""
    typical: bool = False
    note: str = ""


LedgerTable = Literal["活动台账", "问题整改", "宣传报道"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SkippedRow(_Placed):
    """A data row that was read but yields no counted record (a required value missing or unreadable, a
    date after 填报日期, a duplicate, a date outside the campaign): kept with its cells as the unit typed
    them, so the detail sheets show every row and every number in 单位进度 can be traced."""

    file: str
    sheet: str
    row: int
    unit: str
    table: LedgerTable
    cells: tuple[tuple[str, str], ...]
    """(column, text) of the row's non-blank cells, in template column names."""
    reason: str

    def cell(self, column: str) -> str:
        return next((text for name, text in self.cells if name == column), "")


@dataclass(frozen=True, slots=True, kw_only=True)
class Submission(_Record):
    """One readable ledger file of a roster unit."""

    file: str
    sha256: str
    unit: str
    filed: dt.date | None
    effective_date: dt.date
    filed_at: str = ""
    """Sheet and cell of 填报日期 (e.g. `基本信息!B5`), where file-level warnings point."""
    dated_by: str = ""
    """Without a 填报日期: the date column (活动日期, 发布日期 or 发现日期) whose latest date is `effective_date`,
    which outputs name as that, never as a 填报日期 the unit did not type; "" when 填报日期 is filled in."""
    reporter: str = ""
    phone: str = ""
    template_version: str = ""
    named_for: str = ""
    """The roster unit the file's name names when its 基本信息 names `unit` instead (乡团委.xlsx holding 乡妇联), the
    name does not name `unit` too (城西湖乡创城办台账（荷花村）holding 荷花村 is 荷花村's) and the file holds no
    ledger of that unit: it may be that unit's, sent with the wrong 单位名称, so it is told (unless its own is adopted)."""
    activities: tuple[Activity, ...] = ()
    rectifications: tuple[Rectification, ...] = ()
    publicity: tuple[PublicityItem, ...] = ()
    skipped: tuple[SkippedRow, ...] = ()
    problems: tuple[Problem, ...] = ()

    def filed_problem(self, note: Note) -> Problem:
        """A 警告 about the file as a whole, located at its 填报日期 cell."""
        sheet, _, cell = self.filed_at.partition("!")
        return Problem(code=note.code, file=self.file, sheet=sheet, cell=cell, unit=self.unit, level="警告",
                       message=note.text, hint=note.hint)

    @property
    def data_rows(self) -> int:
        return len(self.activities) + len(self.rectifications) + len(self.publicity)


@dataclass(frozen=True, slots=True, kw_only=True)
class FileRecord(_Record):
    """One row of 文件清单: what became of one file found in the inbox."""

    file: str
    unit: str = ""
    result: FileResult
    code: InstanceOf[Code] | None = None
    """The code of `reason` (None for an adopted file, which needs no reason)."""
    reason: str = ""
    activities: int = 0
    rectifications: int = 0
    publicity: int = 0
    sha256: str = ""
    parts: tuple["FileRecord", ...] = ()
    """For a workbook holding several units' ledgers, what became of each unit's (this row sums them up)."""

    def each_unit(self) -> tuple["FileRecord", ...]:
        """What became of each unit's ledger in the file: its parts, or the record itself."""
        return self.parts or (self,)


GapLevel = Literal["未达标", "滞后", "待完成", "提醒"]
UnitStatus = Literal["未报送", "未达标", "滞后", "进行中", "已达标"]
GAP_LEVELS: tuple[GapLevel, ...] = ("未达标", "滞后", "待完成", "提醒")
STATUSES: tuple[UnitStatus, ...] = ("已达标", "进行中", "滞后", "未达标", "未报送")


@dataclass(frozen=True, slots=True, kw_only=True)
class Gap(_Record):
    """A rule a unit does not (yet) meet: what is missing in numbers, what to do, and by when."""

    unit: str
    rule: str
    level: GapLevel
    description: str
    suggestion: str
    deadline: dt.date
    days_left: int


def count_results(records: Iterable["FileRecord"]) -> dict[str, int]:
    """Files per 处理结果, every result present (zero included), in 文件清单 order."""
    counts = Counter(r.result for r in records)
    return {result: counts.get(result, 0) for result in FILE_RESULTS}


# Shared value types of the stages (plain frozen dataclasses: few, and never validated twice).
class _Explained:
    """A file result whose reason is a Note: its code and Chinese text."""

    why: Note

    @property
    def code(self) -> Code:
        return self.why.code

    @property
    def reason(self) -> str:
        return self.why.text


@dataclasses.dataclass(frozen=True)
class Refusal(_Explained):
    """A file that cannot be used: 未采用, with the code and Chinese text of why."""

    file: str
    why: Note
    unit: str = ""
    sha256: str = ""


@dataclasses.dataclass(frozen=True)
class Ignored(_Explained):
    """A file never read (a lock file, OS debris, a second copy of a file): 已忽略, with the code and Chinese
    text of why, and the SHA256 of a copy (which shows that it is one)."""

    file: str
    why: Note
    sha256: str = ""


@dataclasses.dataclass(frozen=True)
class Shared:
    """A workbook holding several units' ledgers (a set of sheets each, or a 单位名称 column): each unit's ledger
    read as that unit's submission from this file, or refused (read/ledger.py). The inbox hands on the parts."""

    file: str
    parts: tuple[Submission | Refusal, ...]


Outcome = Submission | Refusal | Ignored
"""What became of one file, or of one unit's ledger in a shared file (several outcomes then name that file)."""


JobKey = tuple[str, str, str]
"""(file name as shown, name as found, sha256): all that reading one file takes from the file itself."""
Parsed = Submission | Refusal | Shared
"""What reading one file yields (read_ledger): a shared workbook gives each of its units' ledgers at once. Here,
not in the read layer, so that the store's read cache keeps it without depending on the reader."""


@dataclasses.dataclass(frozen=True)
class UnitSnapshot:
    status: str
    discussions: int
    actions: int
    participants: int
    file: str = ""
    """The file the unit's report stood on (empty: none, or an entry recorded before files were kept)."""
    sha256: str = ""

    @property
    def activities(self) -> int:
        return self.discussions + self.actions


@dataclasses.dataclass(frozen=True)
class RunSnapshot:
    as_of: dt.date
    units_total: int
    submitted: int
    discussions: int
    actions: int
    participants: int
    units: dict[str, UnitSnapshot]

    def count(self, status: str) -> int:
        return sum(1 for u in self.units.values() if u.status == status)
