"""read/'s registry of data problems: every problem code the read stage finds in a unit's file, each with the
Chinese a clerk reads for it (why a file is ignored or refused is `pipeline.read.refusals`).

A builder returns a `Note` (code, sentence, hint), so a code and its words are written in one place and
cannot drift apart. Code values are stable strings: validate --json shows them.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import unique
from typing import Any

from pipeline.model import Code, Note


@unique
class ProblemCode(Code):
    """A data problem in a unit's file (数据问题, 整改清单)."""

    MISSING_REQUIRED = "missing-required"
    INVALID_VALUE = "invalid-value"
    ZERO_PARTICIPANTS = "zero-participants"
    MISSING_EVIDENCE = "missing-evidence"
    AFTER_FILED = "after-filed"
    OUTSIDE_WINDOW = "outside-window"
    DUPLICATE_ROW = "duplicate-row"
    UNKNOWN_CO_UNIT = "unknown-co-unit"
    MISSING_COLUMNS = "missing-columns"
    HEADER_NOT_FOUND = "header-not-found"
    SHEET_MISSING = "sheet-missing"
    EXAMPLE_MODIFIED = "example-modified"
    FILED_MISSING = "filed-missing"
    UNIT_CONFLICT = "unit-conflict"
    UNIT_FROM_FILENAME = "unit-from-filename"
    UNKNOWN_PLATFORM = "unknown-platform"
    COUNT_AT_LEAST = "count-at-least"
    STATUS_MISSING = "status-missing"
    DONE_MISSING = "done-missing"
    DONE_BEFORE_FOUND = "done-before-found"
    DONE_AFTER_FILED = "done-after-filed"
    DUE_WITHOUT_FOUND = "due-without-found"
    STRAY_CELL = "stray-cell"
    INFO_SHEET_MISSING = "info-sheet-missing"
    UNREAD_LEDGER = "unread-ledger"
    UNKNOWN_ROW_UNIT = "unknown-row-unit"
    ROW_UNIT_NEARLY = "row-unit-nearly"
    FORMULA_NO_RESULT = "formula-no-result"
    NOTE_ROW = "note-row"


# Parts of sentences about one cell value (values.py builds an `Invalid` from them).
DATE_HINT = "请填写如 2026-12-03 的日期"
COUNT_HINT = "请填写数字，如 30"
CHINESE_COUNT_HINT = "请填写阿拉伯数字，如 330（“三百三”可能是303或330，“十十”无法识别，不作猜测）"


def d(value: dt.date) -> str:
    return value.isoformat()


def bad_date(value: Any) -> str:
    return f"无法识别日期“{value}”"


def bad_count(value: Any) -> str:
    return f"无法识别人数“{value}”"


def missing(field: str) -> str:
    return f"“{field}”未填写"


def subtheme_choices(labels: Sequence[str]) -> str:
    """Every choice, so a clerk can correct the cell without opening the template."""
    return f"请从下拉列表选择或填编号，可选：{'；'.join(labels)}；一次活动涉及几个子主题的，用“、”分隔编号，如“5、6”"


def bad_subtheme(value: str) -> str:
    return f"无法识别子主题“{value}”"


def ambiguous_subtheme(value: str) -> str:
    return f"子主题“{value}”可能指多个子主题，无法确定"


def bad_choice(field: str, value: str, choices: Sequence[str]) -> str:
    return f"“{field}”填写的“{value}”不是可选值"


def choice_hint(choices: Sequence[str]) -> str:
    return "请从下拉列表选择：" + "、".join(choices)


# Data problems: ProblemCode
REQUIRED_HINT = {
    "活动日期": DATE_HINT,
    "活动类型": "请选择“大讨论”或“大行动”",
    "子主题": "请从下拉列表选择子主题，如“1-转作风、见行动、促创建”",
    "参加人数": COUNT_HINT,
    "内容摘要": "请简要写明讨论或行动的内容，如“围绕门前三包开展讨论，梳理问题3条”",
    "问题描述": "请写明查摆出的问题，如“村部周边乱堆乱放”",
    "发布日期": DATE_HINT,
    "发布平台": "请从下拉列表选择发布平台",
    "标题": "请填写报道标题",
}


def required_missing(field: str) -> Note:
    return Note(ProblemCode.MISSING_REQUIRED, f"“{field}”未填写，此条记录不计入统计", REQUIRED_HINT[field])


PLATFORM_MISSING = Note(ProblemCode.MISSING_REQUIRED, missing("发布平台"), REQUIRED_HINT["发布平台"])


def invalid_counted(message: str, hint: str) -> Note:
    return Note(ProblemCode.INVALID_VALUE, f"{message}，此条记录不计入统计", hint)


def optional_invalid(message: str, hint: str) -> Note:
    return Note(ProblemCode.INVALID_VALUE, f"{message}，已按空白处理", hint)


def count_at_least(value: str, counted: int) -> Note:
    return Note(ProblemCode.COUNT_AT_LEAST, f"参加人数“{value}”不是确切人数，已按{counted}人计入",
                f"请按签到表填写实际人数，如 {counted}")


ZERO_PARTICIPANTS = Note(ProblemCode.ZERO_PARTICIPANTS, "“参加人数”为0，此条记录不计入统计", COUNT_HINT)
EVIDENCE_MISSING = Note(ProblemCode.MISSING_EVIDENCE, "未填写“佐证材料”（照片、签到表、会议记录等）",
                        "请注明佐证材料，如“照片3张、签到表1份”")


@dataclass(frozen=True)
class _Dated:
    """What a ledger sheet's date column dates, as its row's problems name it."""

    named: str
    """The date as a sentence names it: the column, and what the row is where the column alone does not say."""
    record: str
    """What a row of the sheet records, as the ledger holds it once it has happened."""
    check: str
    """Which cells to check when the date is later than the form."""
    outside: str
    """What the campaign does not count outside its window."""


_DATED = {
    "活动日期": _Dated(named="活动日期", record="已开展的活动", check="请核对活动日期或填报日期", outside="活动"),
    "发布日期": _Dated(named="报道的发布日期", record="填表时已发布的报道",
                      check="请核对本行的“发布日期”和“基本信息”表的“填报日期”", outside="报道"),
    "发现日期": _Dated(named="问题的发现日期", record="填表时已查摆出的问题",
                      check="请核对本行的“发现日期”和“基本信息”表的“填报日期”", outside="问题"),
}
"""Each ledger sheet's date column (SPEC §3): a 宣传报道 row is a 报道 dated by 发布日期, not an activity."""


def after_filed(column: str, when: dt.date, filed: dt.date) -> Note:
    """A row dated after the form was filled in: `column` is the date column it is dated by."""
    dated = _DATED[column]
    return Note(ProblemCode.AFTER_FILED,
                f"{dated.named} {d(when)} 晚于本表填报日期 {d(filed)}，台账只能记录{dated.record}，此条不计入统计",
                dated.check)


def outside_window(column: str, when: dt.date, start: dt.date, deadline: dt.date) -> Note:
    dated = _DATED[column]
    side = "早于活动开始日期" if when < start else "晚于活动截止日期"
    return Note(ProblemCode.OUTSIDE_WINDOW, f"{dated.named} {d(when)} {side}（{d(start)} 至 {d(deadline)}），不计入统计",
                f"如日期填错请更正；本次活动期间以外的{dated.outside}不计入")


def duplicate_row(first_row: int, *, sheet: str = "") -> Note:
    """`sheet`: the other sheet the first row is on, when it is not this row's (a sheet and its continuation)."""
    if sheet:
        return Note(ProblemCode.DUPLICATE_ROW, f"与“{sheet}”表第{first_row}行内容完全相同（序号除外），只计一次",
                    f"复制工作表时带过来的记录只需保留一份：请删去本表中与“{sheet}”重复的行；如确为两次活动，请核对日期或内容")
    return Note(ProblemCode.DUPLICATE_ROW, f"与第{first_row}行内容完全相同（序号除外），只计一次",
                "如确为两次活动，请核对日期或内容；否则删除重复行")


def unknown_co_unit(name: str, suggestions: Sequence[str]) -> Note:
    near = f"（名册中相近的有：{'、'.join(suggestions)}）" if suggestions else ""
    return Note(ProblemCode.UNKNOWN_CO_UNIT, f"协办单位“{name}”不在单位名册中，未计入其活动{near}",
                "请填写名册中的单位全称，多个单位用“、”分隔")


def missing_columns(sheet: str, columns: Sequence[str]) -> Note:
    return Note(ProblemCode.MISSING_COLUMNS, f"“{sheet}”表头缺少必填列：{'、'.join(columns)}，该表数据无法计入",
                f"请使用最新模板，或在表头补上列名：{'、'.join(columns)}")


def header_not_found(sheet: str) -> Note:
    return Note(ProblemCode.HEADER_NOT_FOUND, f"未找到“{sheet}”的表头行，该表数据无法读取", "请勿删除或改动模板的表头行")


def sheet_missing(sheet: str, *, unit: str = "") -> Note:
    """`unit`: one of several units whose sets of sheets share a workbook, each set named for its unit."""
    if unit:
        return Note(ProblemCode.SHEET_MISSING, f"未找到“{unit}”的“{sheet}”工作表",
                    f"一个文件报送几个单位的台账时，每个单位一套工作表，名称注明单位，如“{unit}-{sheet}”")
    return Note(ProblemCode.SHEET_MISSING, f"未找到“{sheet}”工作表", "请使用乡创城办下发的台账模板填写")


EXAMPLE_MODIFIED = Note(ProblemCode.EXAMPLE_MODIFIED, "“示例”行的内容被改动过；示例行不计入统计",
                        "如这是真实开展的活动，请另起一行填写，并删去序号中的“示例”")
def filed_missing(column: str, latest: dt.date) -> Note:
    """No 填报日期: the file is dated by its latest row, said as that row's date column, never as a 填报日期."""
    return Note(ProblemCode.FILED_MISSING, f"“填报日期”未填写或无法识别，已按表中最晚{column} {d(latest)} 计",
                "请在“基本信息”表填写填报日期，如 2026-12-18")


def unit_name_conflict(typed: str, unit: str, file_unit: str) -> Note:
    """`typed`: the 单位名称 cell as the unit wrote it, which the clerk finds there; `unit`: the roster unit it names."""
    named = f"“{typed}”" if typed == unit else f"“{typed}”（即名册中的“{unit}”）"
    return Note(ProblemCode.UNIT_CONFLICT, f"“基本信息”中的单位名称为{named}，文件名却像是“{file_unit}”的，已按“{unit}”读取",
                "请核对文件是否报错了单位")


def unread_ledger(sheet: str, ledger: str, *, owner: str = "") -> Note:
    """Another sheet with a ledger's header that is not read: said, so no ledger in a workbook goes unnoticed.
    `owner`: the other unit its name names, though it is not one of that unit's set of sheets (`与团委联合活动`)."""
    if owner:
        return Note(ProblemCode.UNREAD_LEDGER,
                    f"工作表“{sheet}”像是“{owner}”的{ledger}，未计入本单位，也未计入“{owner}”",
                    f"每个单位用一个文件报送：请把该表移到“{owner}”自己的台账文件中报送")
    return Note(ProblemCode.UNREAD_LEDGER, f"工作表“{sheet}”也有“{ledger}”的表头，未读取（只读取“{ledger}”工作表）",
                f"如是续表，请把工作表命名为“{ledger}（续）”；如是草稿，请删除")


def empty_share(sheets: list[str], owner: str) -> Note:
    """Another unit's sheets, named for it, holding no row and no 基本信息 of its own: a copy made ready for it."""
    named = "、".join(f"“{s}”" for s in sheets)
    return Note(ProblemCode.UNREAD_LEDGER, f"工作表{named}像是“{owner}”的台账，但一行也没有填写，未计入“{owner}”（它仍算未报送）",
                f"如是“{owner}”的台账，请填写后重新报送；否则可删去这些工作表")


def unread_headless(sheet: str, ledger: str, owner: str) -> Note:
    """Another unit's sheet, named for it, without a header row: that unit has nothing else in the file."""
    return Note(ProblemCode.UNREAD_LEDGER, f"工作表“{sheet}”像是“{owner}”的{ledger}，但未找到表头行，未计入“{owner}”",
                f"请勿删除或改动模板的表头行；或请“{owner}”用自己的台账文件报送")


def unknown_row_unit(value: str, suggestions: Sequence[str]) -> Note:
    """A row of a table with a 单位名称 column (several units' rows in one file) naming no roster unit."""
    listed = f"；名册中最接近的是：{'、'.join(suggestions)}" if suggestions else ""
    return Note(ProblemCode.UNKNOWN_ROW_UNIT, f"单位名称“{value}”不在名册中，本行未计入任何单位{listed}",
                "请填写名册中的单位全称；几个单位联合开展的活动，由一个单位填写，其余单位填在“协办单位”列")


def row_unit_nearly(value: str, unit: str) -> Note:
    """A row of a table with a 单位名称 column naming, not quite, the sheet's own unit (`荷花村第一村民小组`)."""
    return Note(ProblemCode.ROW_UNIT_NEARLY, f"单位名称“{value}”不在名册中，本行按本表所属的“{unit}”计入",
                f"请填写名册中的单位全称“{unit}”；村民小组、科室等的活动记在所属单位名下")


TEMPLATE_HINT = "请使用乡创城办下发的台账模板（.xlsx）填写后报送"


def info_sheet_missing(unit: str, *, flat: str = "", by: str = "文件名") -> Note:
    """No 基本信息 sheet at all: say so, rather than point at cells of a sheet the file does not have.

    `flat` names a file that is one plain table (a CSV or web table), which cannot have the sheet; `by` what the
    unit was known by (the file's name, else the zip or folder holding it: read/units.unit_in_path)."""
    where = f"文件是{flat}，只有一张表，没有“基本信息”" if flat else "未找到“基本信息”工作表"
    return Note(ProblemCode.INFO_SHEET_MISSING,
                f"{where}：单位已按{by}识别为“{unit}”，填报日期按表中最晚的记录日期计",
                "请使用乡创城办下发的台账模板，在“基本信息”表填写单位名称和填报日期")


def flat_sheet_missing(flat: str, sheet: str) -> Note:
    """A one-table file (CSV, web table) lacks the template's other ledger sheets."""
    return Note(ProblemCode.SHEET_MISSING, f"文件是{flat}，只有一张表，其中没有“{sheet}”", TEMPLATE_HINT)


def unit_from_filename(unit: str, *, by: str = "文件名") -> Note:
    """`by`: the file's name, else the zip or folder holding it that names the unit (read/units.unit_in_path)."""
    return Note(ProblemCode.UNIT_FROM_FILENAME, f"“基本信息”未填写单位名称，已按{by}识别为“{unit}”",
                "请在“基本信息”表填写单位名称")


def unknown_platform(value: str, hint: str) -> Note:
    return Note(ProblemCode.UNKNOWN_PLATFORM, f"发布平台“{value}”不在可选范围内，已按“其他”统计", hint)


STATUS_MISSING = Note(ProblemCode.STATUS_MISSING, "“整改状态”未填写，按“未整改”统计", "请从下拉列表选择：未整改、整改中、已整改")
DONE_MISSING = Note(ProblemCode.DONE_MISSING, "整改状态为“已整改”，但未填写“完成日期”", "请填写整改完成的日期，如 2026-12-10")


def done_before_found(when: dt.date, found_on: dt.date) -> Note:
    """An impossible pair of dates on one row: it is said, and the row counts as typed (both dates are before the
    form, so whichever is wrong, the problem was found and rectified by the time it was filled in)."""
    return Note(ProblemCode.DONE_BEFORE_FOUND, f"完成日期 {d(when)} 早于发现日期 {d(found_on)}，问题不会在发现之前就整改完成",
                "两个日期至少有一个填错了，请核对本行的“发现日期”和“完成日期”")


def done_after_filed(when: dt.date, filed: dt.date) -> Note:
    """A rectification said to be finished after the form was filled in. Units often type 填报日期 once and never
    update it, so this is most likely a stale 填报日期: said at the cell, and the row counts as typed (已整改); taking
    it for 整改中 made a rectified problem 超期未整改 and the unit 未达标."""
    return Note(ProblemCode.DONE_AFTER_FILED,
                f"完成日期 {d(when)} 晚于本表填报日期 {d(filed)}，按填写的“已整改”统计",
                "多半是填报日期没有更新：请把“基本信息”表的填报日期改为报送当天；如完成日期填错，请更正")


DUE_HINT = "请填写日期（如 2027-01-10），或“立行立改”“长期坚持”"
DUE_WITHOUT_FOUND = Note(ProblemCode.DUE_WITHOUT_FOUND, "整改时限为“立行立改”，但未填写“发现日期”，无法确定时限", DATE_HINT)


def formula_without_result(formula: str, consequence: str) -> Note:
    """A cell whose formula the file holds without its result (written by a web tool or a script), which the
    reader could not compute: it reads empty, but the unit did fill it. `consequence`: what that means here."""
    shown = f"（公式：={formula}）" if formula else ""
    return Note(ProblemCode.FORMULA_NO_RESULT, f"公式没有保存结果，请在 WPS/Excel 中打开后保存{shown}；{consequence}",
                "网页系统或程序生成的表格常常只存公式、不存结果；用 WPS 或 Excel 打开、保存一次后重新报送即可")


def note_row(value: str) -> Note:
    """A row holding one text only, in its first cells or merged across it (`以下为第二阶段活动`): not a record."""
    return Note(ProblemCode.NOTE_ROW, f"此行像是说明文字（“{value}”），未作为记录读取",
                "如是一条记录，请把各项分别填在表头对应的列中；说明文字请写在“备注”列")


FORMULA_UNCOUNTED = "此条记录暂不计入统计"
FORMULA_AS_BLANK = "暂按空白处理"
def formula_filed(column: str, latest: dt.date) -> str:
    return f"填报日期暂按表中最晚{column} {d(latest)} 计"


def formula_unit(unit: str) -> str:
    return f"单位名称暂按文件名识别为“{unit}”"


STRAY_CELL = Note(ProblemCode.STRAY_CELL, "该单元格远离表格（与表格之间隔着大片空白），内容可能是误输入的空格等，已忽略未读取",
                  "如是误输入，请在 WPS/Excel 中清除该单元格；如是台账内容，请移到表格中")
