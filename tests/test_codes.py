"""The registries of codes: every code has Chinese words a clerk reads, and no code is shared or left without them.

Every `Note` the text modules build (constants and builders, found by their type, called with sample values)
is checked, so a new code without words, or a data problem without a hint, fails here.
"""

import datetime as dt
import inspect
import re
from types import ModuleType

from pipeline.judge import codes as judge_codes
from pipeline.judge.codes import SelectionCode
from pipeline.model import Code, Note
from pipeline.read import refusals as read_refusals
from pipeline.read import texts as read_texts
from pipeline.read.refusals import IgnoreCode, RefusalCode
from pipeline.read.texts import ProblemCode

REGISTRIES: tuple[type[Code], ...] = (ProblemCode, RefusalCode, IgnoreCode, SelectionCode)
PROBLEMS = {*ProblemCode, SelectionCode.TIE, SelectionCode.INCREMENTAL, SelectionCode.ROWS_VANISHED,
            SelectionCode.YEAR_SLIP}
"""Codes of data problems: shown with a 建议 (hint). The others are 文件清单 reasons, which have no hint column."""

SAMPLES: dict[str, object] = {
    "field": "活动日期", "message": "无法识别日期“12月32日”", "hint": "请填写如 2026-12-03 的日期",
    "column": "发布日期", "when": dt.date(2026, 12, 20), "latest": dt.date(2026, 12, 19), "filed": dt.date(2026, 12, 18), "start": dt.date(2026, 11, 27),
    "deadline": dt.date(2027, 2, 4), "first_row": 7, "name": "东风村", "suggestions": ["柳林村"], "sheet": "活动台账",
    "columns": ["参加人数"], "named": "荷花村", "typed": "荷花村委会", "file_unit": "白塔村", "named_for": "白塔村", "unit": "柳林村", "value": "报纸", "what": "图片",
    "detail": "内容被截断", "key": "max_rows", "found": ["工资表"], "date": dt.date(2026, 12, 18),
    "chosen": "荷花村_c.xlsx", "others": ["荷花村_a.xlsx", "荷花村_c.xlsx"], "older": "荷花村_1.xlsx",
    "label": "2026-12-05 大讨论 子主题1“第二次讨论”", "newer": "荷花村_2.xlsx", "as_of": dt.date(2026, 12, 10),
    "counted": 20, "ledger": "活动台账", "owner": "乡团委", "sheets": ["乡团委-活动台账", "乡团委-问题整改"], "first": "荷花村台账.xlsx", "guess": "柳林村", "slip": True,
    "parts": [("乡妇联", "已采用", ""), ("乡团委", "已被新版本替代", "已被更新的台账“乡团委.xlsx”替代")],
    "undated": [("荷花村_c.xlsx", "活动日期")], "meant": dt.date(2026, 12, 11), "flat": "逗号分隔的文本表格（CSV）", "by": "压缩包“荷花村.zip”", "previous": dt.date(2026, 12, 11), "known": True, "formula": "TODAY()", "consequence": "暂按空白处理",
    "found_on": dt.date(2026, 12, 22), "size": 23_962,
    "reason": "单位名称“荷花村”不在名册中；名册中最接近的是：荷花社区。请核对单位名称，或请乡创城办在 campaign.yaml 中登记该单位",
}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _notes(module: ModuleType) -> list[Note]:
    """Every Note constant of a text module, and what every Note builder says for sample values."""
    notes = [value for value in vars(module).values() if isinstance(value, Note)]
    for function in vars(module).values():
        if inspect.isfunction(function) and inspect.signature(function).return_annotation is Note:
            notes.append(function(**{p: SAMPLES[p] for p in inspect.signature(function).parameters}))
    return notes


NOTES = _notes(read_texts) + _notes(read_refusals) + _notes(judge_codes)


def test_every_code_has_words_and_every_data_problem_a_hint() -> None:
    assert {n.code for n in NOTES} == {code for registry in REGISTRIES for code in registry}
    for note in NOTES:
        assert CJK.search(note.text), note
        if note.code in PROBLEMS:
            assert CJK.search(note.hint), note
        else:
            assert note.hint == "", note   # a 文件清单 reason carries its advice in the sentence itself


def test_codes_are_distinct_across_stages() -> None:
    values = [code.value for registry in REGISTRIES for code in registry]
    assert len(values) == len(set(values))
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", v) for v in values), values
