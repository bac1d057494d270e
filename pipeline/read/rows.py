"""Header-keyed rows of one ledger sheet → typed records (through the frozen models) plus data problems."""

import datetime as dt
from collections.abc import Callable
from itertools import compress, islice
from typing import Any

from pipeline.model import Activity, ActivityKind, Problem, PublicityItem, Rectification
from pipeline.read import texts as T
from pipeline.read.cells import RowContext, RowReader, TableResult
from pipeline.read.grids import Table, header_label
from pipeline.read.schema import (
    ACTIVITY_KINDS,
    DUE_IMMEDIATE,
    DUE_ONGOING,
    EXAMPLE_MARK,
    KIND_SYNONYMS,
    PLATFORM_SYNONYMS,
    PLATFORMS,
    RECT_STATUSES,
    STATUS_SYNONYMS,
    YES_NO,
    YES_NO_SYNONYMS,
    SheetKind,
    SheetSpec,
)
from pipeline.read.values import (
    Invalid,
    clean,
    compact,
    is_blank,
    parse_date,
    parse_due,
    read_count,
    shown,
    split_names,
)
from pipeline.records import quick

_Activity, _Rectification, _Publicity = quick(Activity), quick(Rectification), quick(PublicityItem)
_TOTAL_MARKS = ("合计", "总计", "小计")
"""A row whose first cells begin with one of these is a total, not a record. Each holds 计, which the clean
text of such a cell therefore holds too: a cell without it is no mark, found without removing its spaces."""


def _is_total(reader: RowReader) -> bool:
    texts = reader.texts
    if "计" not in "".join(islice(texts.values(), 3)):
        return False  # the usual answer, found without a Python step per cell
    return any(isinstance(v, str) and "计" in (text := texts[c]) and text.replace(" ", "").startswith(_TOTAL_MARKS)
               for c, v in islice(reader.values.items(), 3))


_PLACEHOLDERS = ("示例", "例如", "样例", "举例", "xxx", "XXX", "××", "…", "某")


def _probes(table: Table, spec: SheetSpec) -> tuple[str, str, frozenset[str]]:
    """Two columns every record fills with different texts (活动日期 and 活动类型; 问题描述 and 整改措施), and the
    texts of the first one's label: a row failing that test is one to look at as a header or a note."""
    probe = spec.essential[0]
    other = next(c for c in (*spec.required, *table.columns) if c in table.columns and c != probe)
    header = table.grid.rows[table.header_row]
    labels = {label for label, column in spec.labels.items() if column == probe}
    label = header[table.columns[probe]]
    return probe, other, frozenset({*labels, clean(label), compact(label)})


_NUMERALS = frozenset("〇零一二三四五六七八九十百千万两")


def _not_a_record(reader: RowReader) -> bool:
    """A row repeating the header (skipped, as a 合计 row is) or a note between records (skipped with a 警告).

    A repeated header: at least 3 cells, and more than half of those filled, hold a label of their own column.
    A note: every filled cell holds the same text, either its 序号 cell alone or a range merged across the row,
    the first of them in the table's first two columns; the text is no date and holds at least 4 characters, 2 of
    them Chinese characters other than numerals. One data cell alone (a 问题描述 whose measures are not decided
    yet, in a layout without 序号) is a record typed in part, never a note: it keeps its 错误s."""
    filled = [(column, value) for column, value in reader.values.items() if reader.texts[column]]
    labels = reader.spec.labels
    own = sum(1 for column, value in filled if labels.get(header_label(value)) == column)
    if own >= 3 and 2 * own > len(filled):
        return True
    column, value = filled[0]
    text = reader.texts[column]
    if (not isinstance(value, str) or (len(filled) == 1 and column != "序号")
            or any(reader.texts[c] != text for c, _ in filled)
            or list(reader.table.columns).index(column) > 1 or len(text) < 4
            or sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" and ch not in _NUMERALS) < 2
            or not isinstance(parse_due(value, window=reader.ctx.window), Invalid)):
        return False
    reader.problem("警告", column, T.note_row(shown(value)))
    return True


def _placeholder(value: Any) -> bool:
    """A value that only shows where something goes: `（示例）`, `XXX`, `某某村`, or punctuation alone."""
    text = compact(value)
    return any(mark in text for mark in _PLACEHOLDERS) or not any(ch.isalnum() for ch in text)


def _check_example(spec: SheetSpec, reader: RowReader) -> None:
    """The 示例 row never counts; warn only when a unit has typed a real-looking record into it: a required
    value that is neither the template's example nor a placeholder."""
    expected = dict(zip(spec.columns, spec.example, strict=True))
    for column in spec.required:
        value, example = reader.raw(column), expected.get(column, "")
        if is_blank(value) or compact(value) == compact(example) or _placeholder(value):
            continue
        if column.endswith("日期") and reader.date(column) == parse_date(example, window=reader.ctx.window):
            continue      # the example's date as a CSV shows it (2026/12/3)
        reader.problem("警告", "序号", T.EXAMPLE_MODIFIED)
        return


def _is_example(seq: Any, texts: dict[str, str]) -> bool:
    """Whether a 序号 cell marks the 示例 row; its clean text holds the mark's first character if it does."""
    if not isinstance(seq, str) or EXAMPLE_MARK[0] not in (text := texts["序号"]):
        return False
    return text.replace(" ", "").strip("()[]【】").startswith(EXAMPLE_MARK)


Seen = dict[tuple[str, ...], dict[tuple[Any, ...], tuple[str, int]]]
"""A unit's rows of one kind read so far, by the layout of their sheet's columns: each row's values (序号
aside) → the sheet and row that first held them. Shared by a sheet and its continuations (`活动台账 (2)`, which
WPS's 移动或复制 fills with every row of the sheet copied), so a row copied along is counted once."""


def read_table(table: Table, spec: SheetSpec, ctx: RowContext, *, seen: Seen | None = None) -> TableResult:
    """Every data row of one ledger sheet, skipping blank rows, 合计 rows and the 示例 row. `seen`: the rows of
    the sheets read before it for the same unit and kind, which a row repeating one of them repeats."""
    result = TableResult()
    missing = [c for c in spec.required if c not in table.columns]
    if missing:
        note = T.missing_columns(table.sheet, missing)  # as the file names it, not as the template does
        result.problems.append(Problem(code=note.code, file=ctx.file, sheet=table.sheet, cell=table.header_cell,
                                       unit=ctx.unit, level="错误", message=note.text, hint=note.hint))
    if any(c not in table.columns for c in spec.essential):
        return result
    names = tuple(table.columns)
    first_of = (seen if seen is not None else {}).setdefault(names, {})
    absent = {c: "" for c in spec.columns if c not in table.columns}
    key_cells = [name != "序号" for name in names]
    clean_cell, strip_cell = ctx.cleaner(table), ctx.stripped.__getitem__
    parse, formulas = _ROW_PARSERS[spec.kind], bool(table.grid.formulas)
    probe, other, probe_labels = _probes(table, spec)
    for index, row in table.row_values():
        texts = dict(zip(names, map(clean_cell, row), strict=True))
        if not any(texts.values()):
            continue
        if absent:
            texts.update(absent)
        values = dict(zip(names, row, strict=True))
        reader = RowReader(index, values, texts, table, ctx, spec, result)
        if _is_example(values.get("序号", ""), texts):
            _check_example(spec, reader)
            continue
        if _is_total(reader):
            continue
        probed, compared = texts[probe], texts[other]
        if (not probed or not compared or probed == compared or probed in probe_labels) and _not_a_record(reader):
            continue
        key = tuple(map(strip_cell, compress(row, key_cells)))
        parse(reader, first_of.setdefault(key, (table.sheet, index + 1)), result)
        if formulas:
            reader.name_formulas()
    return result


def _duplicate(reader: RowReader, duplicate_of: tuple[str, int]) -> str:
    """The reason a row repeats an earlier one (with its 警告), or "" when it does not."""
    sheet, row = duplicate_of
    if row != reader.number or sheet != reader.table.sheet:
        note = T.duplicate_row(row, sheet="" if sheet == reader.table.sheet else sheet)
        reader.problem("警告", "序号", note)
        return note.text
    return ""


def _after_filed(reader: RowReader, column: str, when: dt.date) -> bool:
    filed = reader.ctx.filed
    if filed is not None and when > filed:
        reader.problem("错误", column, T.after_filed(column, when, filed))
        return True
    return False


def _window_reason(reader: RowReader, column: str, when: dt.date) -> str:
    start, deadline = reader.ctx.campaign.start, reader.ctx.campaign.deadline
    if start <= when <= deadline:
        return ""
    note = T.outside_window(column, when, start, deadline)
    reader.problem("警告", column, note)
    return note.text


def _participants(r: RowReader) -> int | None:
    count = r.required("参加人数", read_count(r.raw("参加人数")))
    if count is None:
        return None
    if count.value == 0:
        r.problem("错误", "参加人数", T.ZERO_PARTICIPANTS)
        r.failed = True
    elif count.at_least:
        r.problem("警告", "参加人数", T.count_at_least(shown(r.raw("参加人数")), count.value))
    return count.value


def _activity(r: RowReader, duplicate_of: tuple[str, int], out: TableResult) -> None:
    when = r.required("活动日期", r.date("活动日期"))
    kind = r.required("活动类型", r.choice("活动类型", choices=ACTIVITY_KINDS, synonyms=KIND_SYNONYMS))
    subthemes = r.required("子主题", r.subthemes())
    participants = _participants(r)
    summary = r.required("内容摘要", r.text("内容摘要"))
    if r.failed or when is None or kind is None or subthemes is None or participants is None or summary is None:
        r.skip()
        return
    if _after_filed(r, "活动日期", when):
        r.skip()
        return
    co_units: list[str] = []
    for name in [] if r.blank("协办单位") else split_names(r.raw("协办单位")):
        unit = r.ctx.roster.resolve(name)
        if unit is None:
            r.problem("警告", "协办单位", T.unknown_co_unit(name, r.ctx.roster.closest(name)))
        elif unit.name != r.ctx.unit and unit.name not in co_units:
            co_units.append(unit.name)
    if r.blank("佐证材料"):
        r.problem("警告", "佐证材料", T.EVIDENCE_MISSING)
    reason = _window_reason(r, "活动日期", when) or _duplicate(r, duplicate_of)
    activity_kind: ActivityKind = "大讨论" if kind == "大讨论" else "大行动"
    out.activities.append(_Activity(
        file=r.ctx.file, sheet=r.table.sheet, row=r.number, unit=r.ctx.unit, seq=r.text("序号"), date=when,
        kind=activity_kind, subthemes=subthemes, topic=r.text("活动主题"), place=r.text("活动地点"),
        participants=participants, organizer=r.text("组织人"), co_units=tuple(co_units), form=r.text("活动形式"),
        summary=summary, evidence=r.text("佐证材料"), note=r.text("备注"), counted=not reason,
        not_counted_reason=reason))


def _rectification(r: RowReader, duplicate_of: tuple[str, int], out: TableResult) -> None:
    description = r.required("问题描述", r.text("问题描述"))
    if description is None:
        r.skip()
        return
    if reason := _duplicate(r, duplicate_of):
        r.skip(reason)
        return
    found = r.optional("发现日期", r.date("发现日期"))
    if found is not None and _after_filed(r, "发现日期", found):
        r.skip()
        return
    parsed_due = r.due("整改时限")
    due_text = r.text("整改时限")  # "" when blank
    due: dt.date | None = None
    ongoing = parsed_due == DUE_ONGOING
    if parsed_due == DUE_IMMEDIATE:
        due = found
        if found is None:
            r.problem("警告", "整改时限", T.DUE_WITHOUT_FOUND)
    elif isinstance(parsed_due, dt.date):
        due = parsed_due
    elif isinstance(parsed_due, Invalid) and due_text:
        r.problem("警告", "整改时限", T.optional_invalid(parsed_due.message, parsed_due.hint))
        due_text = ""
    if isinstance(parsed_due, str):
        due_text = parsed_due
    status = r.optional("整改状态", r.choice("整改状态", choices=RECT_STATUSES, synonyms=STATUS_SYNONYMS))
    if r.blank("整改状态"):
        r.problem("警告", "整改状态", T.STATUS_MISSING)
    done = r.optional("完成日期", r.date("完成日期"))
    if status == "已整改" and done is None and "完成日期" in r.table.columns:
        r.problem("警告", "完成日期", T.DONE_MISSING)
    if done is not None:
        status = _check_done(r, done, found, status)
    typed_status = next((s for s in RECT_STATUSES if s == status), None)
    out.rectifications.append(_Rectification(
        file=r.ctx.file, sheet=r.table.sheet, row=r.number, unit=r.ctx.unit, seq=r.text("序号"), found=found,
        activity_seq=r.text("关联活动序号"), description=description, measure=r.text("整改措施"), owner=r.text("责任人"),
        due=due, due_text=due_text, ongoing=ongoing, status=typed_status, done=done, note=r.text("备注")))


def _check_done(r: RowReader, done: dt.date, found: dt.date | None, status: str | None) -> str | None:
    """The 整改状态 a row counts with, given its 完成日期: one before the 发现日期, or a 已整改 one after the 填报日期,
    is a 警告 at the cell, and the row counts as typed (see texts.done_before_found, done_after_filed)."""
    filed = r.ctx.filed
    if found is not None and done < found:
        r.problem("警告", "完成日期", T.done_before_found(done, found))
    elif status == "已整改" and filed is not None and done > filed:
        r.problem("警告", "完成日期", T.done_after_filed(done, filed))
    return status


def _publicity(r: RowReader, duplicate_of: tuple[str, int], out: TableResult) -> None:
    when = r.required("发布日期", r.date("发布日期"))
    title = r.required("标题", r.text("标题"))
    platform_raw = r.raw("发布平台")
    platform = r.choice("发布平台", choices=PLATFORMS, synonyms=PLATFORM_SYNONYMS)
    if r.blank("发布平台"):
        r.problem("警告", "发布平台", T.PLATFORM_MISSING)
    if isinstance(platform, Invalid):
        if not r.blank("发布平台"):
            r.problem("警告", "发布平台", T.unknown_platform(shown(platform_raw), platform.hint))
        platform = "其他"
    typical = r.optional("典型案例", r.choice("典型案例", choices=YES_NO, synonyms=YES_NO_SYNONYMS))
    if r.failed or when is None or title is None or _after_filed(r, "发布日期", when):
        r.skip()
        return
    if reason := _window_reason(r, "发布日期", when) or _duplicate(r, duplicate_of):
        r.skip(reason)
        return
    out.publicity.append(_Publicity(
        file=r.ctx.file, sheet=r.table.sheet, row=r.number, unit=r.ctx.unit, seq=r.text("序号"), date=when,
        platform=platform, title=title, link=r.text("链接"), typical=typical == "是", note=r.text("备注")))


_ROW_PARSERS: dict[SheetKind, Callable[[RowReader, tuple[str, int], TableResult], None]] = {
    SheetKind.ACTIVITY: _activity, SheetKind.RECTIFICATION: _rectification, SheetKind.PUBLICITY: _publicity}
