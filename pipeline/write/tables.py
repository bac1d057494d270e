"""The eight tables of the supervision workbook after 总览 (SPEC §5): sheet and column names are contract.

Each table's row count and its rows come from one collection (see `table`), so the sheets sized for a
table always hold every row it yields; the rows stay lazy, as a county's activity table is large.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain, groupby
from operator import attrgetter
from typing import Any, Generic, Protocol, TypeVar

from pipeline.judge.facts import is_overdue
from pipeline.judge.report import Report, UnitRow
from pipeline.judge.texts import after_as_of, ids, received, status_change
from pipeline.model import (
    FILE_RESULTS,
    GAP_LEVELS,
    STATUSES,
    Activity,
    FileRecord,
    Gap,
    Problem,
    PublicityItem,
    Rectification,
    SkippedRow,
    Submission,
)
from pipeline.write.blocks import Detail, Key
from pipeline.write.xlsx import Cell, NotedDate

PROGRESS_COLUMNS = ("单位名称", "单位类别", "状态", "大讨论次数", "大行动次数", "参与人次", "应覆盖子主题", "已覆盖子主题",
                    "查摆问题数", "已整改数", "超期未整改数", "宣传报道数", "最近填报日期", "差距项数", "未采用文件")
"""SPEC §5's columns, then 未采用文件: the files received from the unit but not used, each with why."""
GAP_COLUMNS = ("单位名称", "规则", "等级", "差距说明", "整改建议", "截止日期", "剩余天数")
PROBLEM_COLUMNS = ("文件", "工作表", "单元格", "单位名称", "等级", "问题", "建议")
FILE_COLUMNS = ("文件", "单位名称", "处理结果", "原因", "活动数", "问题数", "宣传数", "SHA256")
ACTIVITY_COLUMNS = ("单位名称", "活动日期", "活动类型", "子主题", "活动主题", "活动地点", "参加人数", "组织人", "协办单位",
                    "活动形式", "内容摘要", "佐证材料", "备注", "计入统计", "不计入原因", "来源文件", "工作表", "行号")
RECT_COLUMNS = ("单位名称", "序号", "发现日期", "问题描述", "整改措施", "责任人", "整改时限", "整改状态", "完成日期",
                "是否超期", "计入统计", "不计入原因", "来源文件", "工作表", "行号")
PUBLICITY_COLUMNS = ("单位名称", "发布日期", "发布平台", "标题", "链接", "典型案例", "备注", "计入统计", "不计入原因",
                     "来源文件", "工作表", "行号")
HISTORY_PROGRESS_COLUMNS = ("本周新增大讨论", "本周新增大行动", "较上次变化")
COVERAGE_MARKS = {"covered": "已覆盖", "missing": "未覆盖", "exempted": "已免除", "extra": "已开展（非责任）"}

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Counted(Protocol[T_co]):
    """A collection that knows its length without being iterated."""

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[T_co]: ...


class Flat(Generic[T]):
    """The items of several groups one after another: counted without being listed, iterated lazily."""

    def __init__(self, groups: Iterable[Sequence[T]]) -> None:
        self._groups = tuple(groups)

    def __len__(self) -> int:
        return sum(map(len, self._groups))

    def __iter__(self) -> Iterator[T]:
        return chain.from_iterable(self._groups)


@dataclass(frozen=True)
class TableSource:
    """One table: its contract sheet, header row, `count` rows (an iterator, read once, while the file is
    written), the statuses or levels coloured in a column, and the column that colours overdue rows."""

    name: str
    headers: Sequence[str]
    count: int
    rows: Iterator[Sequence[Cell]] = field(repr=False)
    colour: Mapping[int, Sequence[str]]
    overdue_col: int | None = None
    detail: Detail[Any] | None = None
    """For a detail table, its rows by ledger (rendered once per ledger, see pipeline.write.blocks)."""
    fit: Sequence[Sequence[Cell]] = ()
    """Rows the column widths must fit besides the first ones they are fitted to: a noted date beyond them would
    print as ### (a number does not spill into the next cell as text does)."""


def table(*, name: str, headers: Sequence[str], items: Counted[T], row: Callable[[T], Sequence[Cell]],
          colour: Mapping[int, Sequence[str]], overdue_col: int | None = None) -> TableSource:
    """A table of one row per item: the count is the items' and the rows are rendered as they are read."""
    return TableSource(name=name, headers=headers, count=len(items), rows=map(row, items), colour=colour,
                       overdue_col=overdue_col)


def table_sources(report: Report) -> tuple[TableSource, ...]:
    """The tables in contract order."""
    return (progress(report), coverage(report), gaps(report), activities(report), rectifications(report),
            publicity(report), problems(report), files(report))


def last_filed(r: UnitRow) -> Cell:
    """最近填报日期: a date, as SPEC §5 writes dates, and for a file without 填报日期 one that says so at its cell."""
    return NotedDate(r.last_filed, r.filed_note) if r.last_filed and r.filed_note else r.last_filed


def notes(report: Report) -> set[str]:
    """The notes of 单位进度's NotedDate cells, whose formats the workbook reserves before its rows are written."""
    return {cell.note for r in report.rows if isinstance(cell := last_filed(r), NotedDate)}


def progress(report: Report) -> TableSource:
    previous = report.previous

    def row(r: UnitRow) -> list[Cell]:
        cells: list[Cell] = [r.unit.name, "、".join(r.unit.kinds), r.status, r.facts.discussions, r.facts.actions,
                             r.facts.participants, ids(r.required), ids(r.covered), r.problems_found, r.rectified,
                             r.overdue, len(r.facts.publicity), last_filed(r), len(r.gaps),
                             received([(f.file, f.reason) for f in r.unused])]
        if previous is not None:
            before = previous.units.get(r.unit.name)
            talks = r.facts.discussions - (before.discussions if before else 0)
            actions = r.facts.actions - (before.actions if before else 0)
            change = status_change(before.status, r.status, talks + actions) if before else "新增单位"
            cells += [talks, actions, change]
        return cells

    headers = (*PROGRESS_COLUMNS, *HISTORY_PROGRESS_COLUMNS) if report.history else PROGRESS_COLUMNS
    noted = [row(r) for r in report.rows if isinstance(last_filed(r), NotedDate)]
    return replace(table(name="单位进度", headers=headers, items=report.rows, row=row, colour={2: STATUSES}), fit=noted)


def coverage(report: Report) -> TableSource:
    subthemes = report.campaign.subthemes

    def row(r: UnitRow) -> list[Cell]:
        marks: list[Cell] = []
        for sub in subthemes:
            done = sub.id in r.facts.covered
            if sub.id in r.exempted:
                marks.append(COVERAGE_MARKS["exempted"])
            elif sub.id in r.required:
                marks.append(COVERAGE_MARKS["covered" if done else "missing"])
            else:
                marks.append(COVERAGE_MARKS["extra"] if done else "")
        return [r.unit.name, "、".join(r.unit.kinds), *marks]

    headers = ["单位名称", "单位类别", *(s.label for s in subthemes)]
    return table(name="子主题覆盖", headers=headers, items=report.rows, row=row,
                 colour={c: ("已覆盖", "未覆盖", "已免除") for c in range(2, len(headers))})


def gaps(report: Report) -> TableSource:
    def row(g: Gap) -> list[Cell]:
        return [g.unit, g.rule, g.level, g.description, g.suggestion, g.deadline, g.days_left]

    return table(name="差距清单", headers=GAP_COLUMNS, items=report.gaps, row=row, colour={2: GAP_LEVELS})


R = TypeVar("R", Activity, Rectification, PublicityItem)
Item = TypeVar("Item", Activity, Rectification, PublicityItem)


def detail_table(*, name: str, headers: Sequence[str],
                 groups: Sequence[tuple[Key | None, Sequence[Item | SkippedRow]]],
                 row: Callable[[Item | SkippedRow], Sequence[Cell]],
                 dated: Callable[[Item | SkippedRow], tuple[Cell, ...]], dated_cols: tuple[str, ...],
                 overdue_col: int | None = None) -> TableSource:
    """A detail table: one group of rows per ledger, `dated_cols` the columns that depend on the report date."""
    items = Flat(items for _, items in groups)
    cut = list(headers).index(dated_cols[0])
    return TableSource(name=name, headers=headers, count=len(items), rows=map(row, items), colour={},
                       overdue_col=overdue_col,
                       detail=Detail(groups=groups, row=row, dated=dated, cut=cut, width=len(dated_cols)))


def _hashes(report: Report) -> dict[str, str]:
    """Each file's sha256 by its name as shown (made once per table: a county has thousands of files)."""
    return {f.file: f.sha256 for f in report.intake.files if f.sha256}


def _by_file(hashes: Mapping[str, str], sub: Submission, table: str,
             items: Sequence[Item | SkippedRow]) -> list[tuple[Key | None, Sequence[Item | SkippedRow]]]:
    """A unit's rows of one table as blocks, one per file they were read from, each known by what its rows render
    from besides the program and the campaign (see blocks): that file's bytes and name, the unit and the table.
    A submission may hold an older file's rows besides its own (incremental files merged, judge.merge), under
    the newer file's name and bytes; a file whose bytes are not known is rendered without a block."""
    if set(map(attrgetter("file"), items)) <= {sub.file}:  # the usual case: its own file's rows only
        return [((table, sub.sha256, sub.file, sub.unit), items)]
    groups: list[tuple[Key | None, Sequence[Item | SkippedRow]]] = []
    for file, rows in groupby(items, key=lambda item: item.file):
        sha256 = sub.sha256 if file == sub.file else hashes.get(file)
        groups.append(((table, sha256, file, sub.unit) if sha256 else None, list(rows)))
    return groups


def _every_row(records: Sequence[R], sub: Submission | None, sheet: str) -> Sequence[R | SkippedRow]:
    """A sheet's records and its skipped rows, in the order of the unit's files and rows, so every row
    read is listed once (records alone when nothing was skipped, the usual case, without a copy)."""
    skipped: list[SkippedRow] = [s for s in sub.skipped if s.table == sheet] if sub else []
    if not skipped:
        return records
    both: list[R | SkippedRow] = list(records)
    both.extend(skipped)
    rank: dict[str, int] = {}
    for item in both:
        rank.setdefault(item.file, len(rank))
    return sorted(both, key=lambda item: (rank[item.file], item.row))


def _skipped_cells(s: SkippedRow, columns: Sequence[str]) -> list[Cell]:
    """A skipped row as the unit typed it (text, nothing parsed), then 否 and why."""
    return [s.unit, *(s.cell(c) for c in columns), "否", s.reason, s.file, s.sheet, s.row]


_ACTIVITY_TYPED = ACTIVITY_COLUMNS[1:ACTIVITY_COLUMNS.index("计入统计")]


def activities(report: Report) -> TableSource:
    adopted, label, as_of = report.intake.adopted, report.campaign.label, report.as_of

    def dated(a: Activity | SkippedRow) -> tuple[Cell, Cell]:
        if isinstance(a, SkippedRow):
            return "否", a.reason
        counted = a.counted and a.date <= as_of
        return "是" if counted else "否", a.not_counted_reason or ("" if counted else after_as_of(a.date, as_of))

    def row(a: Activity | SkippedRow) -> list[Cell]:
        if isinstance(a, SkippedRow):
            return _skipped_cells(a, _ACTIVITY_TYPED)
        return [a.unit, a.date, a.kind, "；".join(map(label, a.subthemes)), a.topic, a.place, a.participants,
                a.organizer, "、".join(a.co_units), a.form, a.summary, a.evidence, a.note, *dated(a),
                a.file, a.sheet, a.row]

    hashes = _hashes(report)
    groups = [group for u in sorted(adopted)
              for group in _by_file(hashes, adopted[u], "活动台账", _every_row(adopted[u].activities, adopted[u], "活动台账"))]
    return detail_table(name="活动明细", headers=ACTIVITY_COLUMNS, groups=groups, row=row, dated=dated,
                        dated_cols=("计入统计", "不计入原因"))


def rectifications(report: Report) -> TableSource:
    as_of = report.as_of
    typed = RECT_COLUMNS[1:RECT_COLUMNS.index("是否超期")]

    def dated(r: Rectification | SkippedRow) -> tuple[Cell]:
        return ("" if isinstance(r, SkippedRow) else "是" if is_overdue(r, as_of) else "否"),

    def row(r: Rectification | SkippedRow) -> list[Cell]:
        if isinstance(r, SkippedRow):
            cells = _skipped_cells(r, typed)
            return [*cells[:len(typed) + 1], *dated(r), *cells[len(typed) + 1:]]
        due: Cell = r.due if r.due and r.due_text not in ("立行立改",) else (r.due_text or None)
        return [r.unit, r.seq, r.found, r.description, r.measure, r.owner, due, r.status or "未填写", r.done,
                *dated(r), "是", "", r.file, r.sheet, r.row]

    hashes = _hashes(report)
    groups = [group for u in report.rows if u.facts.submission is not None
              for group in _by_file(hashes, u.facts.submission, "问题整改",
                                    _every_row(u.facts.rectifications, u.facts.submission, "问题整改"))]
    return detail_table(name="问题整改", headers=RECT_COLUMNS, groups=groups, row=row, dated=dated,
                        dated_cols=("是否超期",), overdue_col=RECT_COLUMNS.index("是否超期"))


def publicity(report: Report) -> TableSource:
    as_of = report.as_of
    typed = PUBLICITY_COLUMNS[1:PUBLICITY_COLUMNS.index("计入统计")]

    def dated(p: PublicityItem | SkippedRow) -> tuple[Cell, Cell]:
        if isinstance(p, SkippedRow):
            return "否", p.reason
        counted = p.date <= as_of
        return "是" if counted else "否", "" if counted else after_as_of(p.date, as_of)

    def row(p: PublicityItem | SkippedRow) -> list[Cell]:
        if isinstance(p, SkippedRow):
            return _skipped_cells(p, typed)
        return [p.unit, p.date, p.platform, p.title, p.link, "是" if p.typical else "否", p.note, *dated(p),
                p.file, p.sheet, p.row]

    hashes = _hashes(report)
    groups = [group for u in report.rows if u.facts.submission is not None
              for group in _by_file(hashes, u.facts.submission, "宣传报道",
                                    _every_row(u.facts.submission.publicity, u.facts.submission, "宣传报道"))]
    return detail_table(name="宣传报道", headers=PUBLICITY_COLUMNS, groups=groups, row=row, dated=dated,
                        dated_cols=("计入统计", "不计入原因"))


def problems(report: Report) -> TableSource:
    def row(p: Problem) -> list[Cell]:
        return [p.file, p.sheet, p.cell, p.unit, p.level, p.message, p.hint]

    return table(name="数据问题", headers=PROBLEM_COLUMNS, items=report.problems, row=row,
                 colour={4: ("错误", "警告")})


def files(report: Report) -> TableSource:
    def row(f: FileRecord) -> list[Cell]:
        return [f.file, f.unit, f.result, f.reason, f.activities, f.rectifications, f.publicity, f.sha256]

    return table(name="文件清单", headers=FILE_COLUMNS, items=report.intake.files, row=row, colour={2: FILE_RESULTS})
