"""Reading ledgers filled in the committed template: typed records, and every problem at its exact cell."""

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest

from pipeline.config.campaign import Campaign
from pipeline.config.roster import Roster
from pipeline.judge.codes import SelectionCode as S
from pipeline.model import Code, Ignored, Outcome, Problem, Refusal, Submission
from pipeline.read.inbox import read_inbox
from pipeline.read.refusals import IgnoreCode
from pipeline.read.refusals import RefusalCode as R
from pipeline.read.texts import ProblemCode as P
from tests.ledgers import CORPUS, activity, d, problem, write_ledger


def read(inbox: Path, campaign: Campaign, roster: Roster) -> list[Outcome]:
    return read_inbox(inbox, campaign=campaign, roster=roster)


def only_submission(inbox: Path, campaign: Campaign, roster: Roster) -> Submission:
    (outcome,) = read(inbox, campaign, roster)
    assert isinstance(outcome, Submission), outcome
    return outcome


def problems(sub: Submission) -> list[tuple[str, str, str, Code]]:
    return [(p.sheet, p.cell, p.level, p.code) for p in sub.problems]


def test_clean_ledger_reads_into_typed_records(tmp_path: Path, campaign: Campaign, roster: Roster) -> None:
    write_ledger(tmp_path / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-03"), "大讨论", "1-转作风、见行动、促创建", 30, 协办单位="乡妇联、乡团委"),
                             activity(d("2026-12-10"), "大行动", 2, 45)],
                 problems=[problem(d("2027-01-10"), found=d("2026-12-03"))],
                 publicity=[{"序号": 1, "发布日期": d("2026-12-05"), "发布平台": "微信公众号", "标题": "开展大讨论",
                             "典型案例": "是"}])
    sub = only_submission(tmp_path, campaign, roster)
    assert sub.unit == "荷花村"
    assert sub.filed == d("2026-12-18")
    assert sub.problems == ()
    first, second = sub.activities
    assert (first.date, first.kind, first.subthemes, first.participants) == (d("2026-12-03"), "大讨论", (1,), 30)
    assert first.co_units == ("乡妇联", "乡团委")
    assert (first.source.sheet, first.source.row) == ("活动台账", 4)
    assert (second.kind, second.subthemes, second.participants, second.source.row) == ("大行动", (2,), 45, 5)
    (rect,) = sub.rectifications
    assert (rect.due, rect.status, rect.found) == (d("2027-01-10"), "整改中", d("2026-12-03"))
    (item,) = sub.publicity
    assert (item.platform, item.typical) == ("微信公众号", True)


def _faulty_rows(tmp_path: Path) -> None:
    write_ledger(tmp_path / "柳林村.xlsx", unit="柳林村", filed=d("2026-12-18"), activities=[
        activity("12月32日"),                                  # row 4: bad date → 错误 at B4
        activity(d("2026-12-05"), people="若干"),              # row 5: bad count → 错误 at G5
        activity(d("2026-12-06"), summary=""),                 # row 6: missing summary → 错误 at K6
        activity(d("2026-12-07"), evidence=None),              # row 7: counted, 警告 at L7
        activity(d("2026-12-20")),                             # row 8: after 填报日期 → 错误 at B8
        activity(d("2026-11-20")),                             # row 9: before start → 警告 at B9, not counted
        activity(d("2026-12-07"), evidence=None, 序号=9),       # row 10: duplicate of row 7 → 警告 at A10
        activity(d("2026-12-08"), 协办单位="东风村"),            # row 11: unknown co-unit → 警告 at I11
    ])


def test_row_problems_point_at_their_cells(tmp_path: Path, campaign: Campaign, roster: Roster) -> None:
    _faulty_rows(tmp_path)
    sub = only_submission(tmp_path, campaign, roster)
    assert problems(sub) == [
        ("活动台账", "B4", "错误", P.INVALID_VALUE),
        ("活动台账", "G5", "错误", P.INVALID_VALUE),
        ("活动台账", "K6", "错误", P.MISSING_REQUIRED),
        ("活动台账", "L7", "警告", P.MISSING_EVIDENCE),
        ("活动台账", "B8", "错误", P.AFTER_FILED),
        ("活动台账", "B9", "警告", P.OUTSIDE_WINDOW),
        ("活动台账", "L10", "警告", P.MISSING_EVIDENCE),
        ("活动台账", "A10", "警告", P.DUPLICATE_ROW),
        ("活动台账", "I11", "警告", P.UNKNOWN_CO_UNIT),
    ]
    counted = [a.source.row for a in sub.activities if a.counted]
    assert counted == [7, 11]
    assert all(p.unit == "柳林村" and p.file == "柳林村.xlsx" for p in sub.problems)


def test_row_problems_say_what_is_wrong_and_what_to_do(tmp_path: Path, campaign: Campaign, roster: Roster) -> None:
    """The exact Chinese a clerk reads in 数据问题 and the 整改清单 (the wording test of the data problems)."""
    _faulty_rows(tmp_path)
    sub = only_submission(tmp_path, campaign, roster)
    assert [(p.message, p.hint) for p in sub.problems] == [
        ("无法识别日期“12月32日”，此条记录不计入统计", "请填写如 2026-12-03 的日期"),
        ("无法识别人数“若干”，此条记录不计入统计", "请填写数字，如 30"),
        ("“内容摘要”未填写，此条记录不计入统计", "请简要写明讨论或行动的内容，如“围绕门前三包开展讨论，梳理问题3条”"),
        ("未填写“佐证材料”（照片、签到表、会议记录等）", "请注明佐证材料，如“照片3张、签到表1份”"),
        ("活动日期 2026-12-20 晚于本表填报日期 2026-12-18，台账只能记录已开展的活动，此条不计入统计", "请核对活动日期或填报日期"),
        ("活动日期 2026-11-20 早于活动开始日期（2026-11-27 至 2027-02-04），不计入统计",
         "如日期填错请更正；本次活动期间以外的活动不计入"),
        ("未填写“佐证材料”（照片、签到表、会议记录等）", "请注明佐证材料，如“照片3张、签到表1份”"),
        ("与第7行内容完全相同（序号除外），只计一次", "如确为两次活动，请核对日期或内容；否则删除重复行"),
        ("协办单位“东风村”不在单位名册中，未计入其活动（名册中相近的有：柳林村、白塔村、荷花村）",
         "请填写名册中的单位全称，多个单位用“、”分隔"),
    ]
    (duplicate,) = [a for a in sub.activities if a.source.row == 10]
    assert duplicate.not_counted_reason == "与第7行内容完全相同（序号除外），只计一次"


def test_missing_required_column_is_one_error_at_the_header(tmp_path: Path, campaign: Campaign,
                                                            roster: Roster) -> None:
    path = write_ledger(tmp_path / "白塔村.xlsx", unit="白塔村", filed=d("2026-12-18"),
                        activities=[activity(d("2026-12-03"))])
    wb = openpyxl.load_workbook(path)
    wb["活动台账"].protection.sheet = False
    wb["活动台账"]["G2"] = "人员"
    wb.save(path)
    sub = only_submission(tmp_path, campaign, roster)
    assert problems(sub) == [("活动台账", "A2", "错误", P.MISSING_COLUMNS)]
    assert sub.problems[0].message == "“活动台账”表头缺少必填列：参加人数，该表数据无法计入"
    assert sub.activities == ()


def test_missing_filed_date_is_an_error_but_the_file_is_used(tmp_path: Path, campaign: Campaign,
                                                             roster: Roster) -> None:
    write_ledger(tmp_path / "荷花村.xlsx", unit="荷花村", filed=None,
                 activities=[activity(d("2026-12-03")), activity(d("2026-12-09"), 序号=2, summary="第二次")])
    sub = only_submission(tmp_path, campaign, roster)
    assert problems(sub) == [("基本信息", "B5", "错误", P.FILED_MISSING)]
    assert sub.filed is None
    assert sub.effective_date == d("2026-12-09")


def test_unit_names_with_suffixes_aliases_and_file_name_hints(tmp_path: Path, campaign: Campaign,
                                                              roster: Roster) -> None:
    write_ledger(tmp_path / "a.xlsx", unit="城西湖乡荷花村村民委员会", filed=d("2026-12-18"))
    write_ledger(tmp_path / "b.xlsx", unit="妇联", filed=d("2026-12-18"))
    write_ledger(tmp_path / "柳林村台账.xlsx", unit=None, filed=d("2026-12-18"))
    write_ledger(tmp_path / "白塔村台账.xlsx", unit="荷花村委会", filed=d("2026-12-18"))
    a, b, c, e = read(tmp_path, campaign, roster)
    assert isinstance(a, Submission) and a.unit == "荷花村"
    assert isinstance(b, Submission) and b.unit == "乡妇联"
    assert isinstance(c, Submission) and c.unit == "柳林村"
    assert problems(c) == [("基本信息", "B1", "警告", P.UNIT_FROM_FILENAME)]
    assert isinstance(e, Submission) and e.unit == "荷花村"
    assert problems(e) == [("基本信息", "B1", "警告", P.UNIT_CONFLICT)]
    assert e.problems[0].message == (
        "“基本信息”中的单位名称为“荷花村委会”（即名册中的“荷花村”），文件名却像是“白塔村”的，已按“荷花村”读取")


def test_a_unit_name_conflict_quotes_the_cell_as_typed(tmp_path: Path, campaign: Campaign, roster: Roster) -> None:
    """A 单位名称 that is the roster's own name is quoted once, with no gloss; one typed with full-width spaces is
    quoted with them, as the clerk finds it in the cell (not as it was normalised to be resolved)."""
    write_ledger(tmp_path / "白塔村台账.xlsx", unit="荷花村", filed=d("2026-12-18"))
    write_ledger(tmp_path / "白塔村台账2.xlsx", unit="荷　花　村", filed=d("2026-12-18"))
    e, f = read(tmp_path, campaign, roster)
    assert isinstance(e, Submission) and e.unit == "荷花村"
    assert e.problems[0].message == "“基本信息”中的单位名称为“荷花村”，文件名却像是“白塔村”的，已按“荷花村”读取"
    assert isinstance(f, Submission) and f.unit == "荷花村"
    assert f.problems[0].message == ("“基本信息”中的单位名称为“荷　花　村”（即名册中的“荷花村”），"
                                     "文件名却像是“白塔村”的，已按“荷花村”读取")


def test_unknown_unit_is_refused_with_the_closest_names(tmp_path: Path, campaign: Campaign, roster: Roster) -> None:
    write_ledger(tmp_path / "x.xlsx", unit="东风新村", filed=d("2026-12-18"))   # two characters off any roster name
    (outcome,) = read(tmp_path, campaign, roster)
    assert isinstance(outcome, Refusal) and outcome.code is R.UNKNOWN_UNIT
    # each shares only 村 with it: equally close, so in code-point order (柳 U+67F3, 白 U+767D, 荷 U+8377)
    assert outcome.reason == ("单位名称“东风新村”不在名册中；名册中最接近的是：柳林村、白塔村、荷花村。"
                              "请核对单位名称，或请乡创城办在 campaign.yaml 中登记该单位")


def test_modified_example_row_is_a_warning(tmp_path: Path, campaign: Campaign, roster: Roster) -> None:
    path = write_ledger(tmp_path / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"))
    wb = openpyxl.load_workbook(path)
    wb["活动台账"]["K3"] = "我村召开党员大会讨论创城"
    wb.save(path)
    sub = only_submission(tmp_path, campaign, roster)
    assert problems(sub) == [("活动台账", "A3", "警告", P.EXAMPLE_MODIFIED)]
    assert sub.activities == ()


def test_rectification_deadlines(tmp_path: Path, campaign: Campaign, roster: Roster) -> None:
    write_ledger(tmp_path / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"), problems=[
        problem("立行立改", found=d("2026-12-02")), problem("长期坚持", 序号=2, 问题描述="二"),
        problem("尽快", 序号=3, 问题描述="三"), problem(d("2027-01-10"), status="", 序号=4, 问题描述="四")])
    sub = only_submission(tmp_path, campaign, roster)
    immediate, ongoing, vague, no_status = sub.rectifications
    assert (immediate.due, immediate.ongoing) == (d("2026-12-02"), False)
    assert (ongoing.due, ongoing.ongoing) == (None, True)
    assert (vague.due, vague.due_text) == (None, "")
    assert no_status.status is None
    assert problems(sub) == [("问题整改", "G6", "警告", P.INVALID_VALUE), ("问题整改", "H7", "警告", P.STATUS_MISSING)]
    assert [(p.message, p.hint) for p in sub.problems] == [
        ("无法识别日期“尽快”，已按空白处理", "请填写日期（如 2027-01-10），或“立行立改”“长期坚持”"),
        ("“整改状态”未填写，按“未整改”统计", "请从下拉列表选择：未整改、整改中、已整改")]


def test_every_file_gets_one_outcome(tmp_path: Path, campaign: Campaign, roster: Roster) -> None:
    write_ledger(tmp_path / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"))
    (tmp_path / "~$荷花村.xlsx").write_bytes(b"lock")
    (tmp_path / ".~lock.荷花村.xlsx#").write_bytes(b"lock")
    (tmp_path / "Thumbs.db").write_bytes(b"x")
    (tmp_path / "照片.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(32))
    (tmp_path / "说明.pdf").write_bytes(b"%PDF-1.4 ...")
    (tmp_path / "空.xlsx").write_bytes(b"")
    (tmp_path / "坏.xlsx").write_bytes(b"PK\x03\x04" + bytes(40))
    (tmp_path / "别的表.xlsx").write_bytes(_foreign_workbook(tmp_path))
    outcomes = {o.file: o for o in read(tmp_path, campaign, roster)}
    assert set(outcomes) == {"荷花村.xlsx", "~$荷花村.xlsx", ".~lock.荷花村.xlsx#", "Thumbs.db", "照片.jpg", "说明.pdf",
                             "空.xlsx", "坏.xlsx", "别的表.xlsx"}
    assert {name: o.code for name, o in outcomes.items() if isinstance(o, Ignored)} == {
        "~$荷花村.xlsx": IgnoreCode.LOCK_FILE, ".~lock.荷花村.xlsx#": IgnoreCode.LOCK_FILE, "Thumbs.db": IgnoreCode.OS_DEBRIS}
    assert {name: o.code for name, o in outcomes.items() if isinstance(o, Refusal)} == {
        "照片.jpg": R.NOT_A_SPREADSHEET, "说明.pdf": R.NOT_A_SPREADSHEET, "空.xlsx": R.EMPTY_FILE,
        "坏.xlsx": R.TRUNCATED, "别的表.xlsx": R.NOT_TEMPLATE}


def test_file_reasons_tell_the_clerk_what_the_file_is_and_what_to_do(tmp_path: Path, campaign: Campaign,
                                                                      roster: Roster) -> None:
    """The exact Chinese of 文件清单 原因 (the wording test of refusals and ignored files)."""
    (tmp_path / "~$荷花村.xlsx").write_bytes(b"lock")
    (tmp_path / "Thumbs.db").write_bytes(b"x")
    (tmp_path / "照片.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(32))
    (tmp_path / "空.xlsx").write_bytes(b"")
    (tmp_path / "别的表.xlsx").write_bytes(_foreign_workbook(tmp_path))
    assert {o.file: o.reason for o in read(tmp_path, campaign, roster) if not isinstance(o, Submission)} == {
        "~$荷花村.xlsx": "办公软件打开文件时产生的临时锁文件，已忽略",
        "Thumbs.db": "系统或隐藏文件，已忽略",
        "照片.jpg": "不是可读取的表格文件（图片），请将台账另存为 .xlsx 后重新报送",
        "空.xlsx": "文件为空（0 字节），可能传输中断，请重新报送",
        "别的表.xlsx": "不是本活动的台账模板（未找到“活动台账”“问题整改”“宣传报道”等工作表；文件中的工作表：工资表）",
    }


def _foreign_workbook(tmp_path: Path) -> bytes:
    wb = openpyxl.Workbook()
    wb.active.title = "工资表"
    wb.active.append(["姓名", "工资"])
    wb.save(tmp_path / "tmp.bin")
    data = (tmp_path / "tmp.bin").read_bytes()
    (tmp_path / "tmp.bin").unlink()
    return data


@pytest.mark.parametrize("name", ["python-calamine/password.xlsx", "calamine/pass_protected.xlsb",
                                  "python-calamine/password.xls", "calamine/pass_protected.ods"])
def test_encrypted_workbooks_are_refused(tmp_path: Path, campaign: Campaign, roster: Roster, name: str) -> None:
    source = CORPUS / name
    if not source.exists():
        pytest.skip("shared corpus not present")
    (tmp_path / source.name).write_bytes(source.read_bytes())
    (outcome,) = read(tmp_path, campaign, roster)
    assert isinstance(outcome, Refusal) and outcome.code is R.ENCRYPTED


def test_zip_members_are_read_in_memory(tmp_path: Path, campaign: Campaign, roster: Roster) -> None:
    ledger = write_ledger(tmp_path / "src" / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with zipfile.ZipFile(inbox / "本周.zip", "w") as archive:
        archive.write(ledger, "荷花村.xlsx")
        archive.writestr("../逃逸.xlsx", b"x")
        archive.writestr("说明.txt", "见附件")
    outcomes = {o.file: o for o in read(inbox, campaign, roster)}
    assert isinstance(outcomes["本周.zip/荷花村.xlsx"], Submission)
    unsafe = outcomes["本周.zip/../逃逸.xlsx"]
    assert isinstance(unsafe, Refusal) and unsafe.code is R.UNSAFE_ZIP_MEMBER
    text = outcomes["本周.zip/说明.txt"]
    assert isinstance(text, Refusal) and text.code is R.NOT_A_SPREADSHEET
    assert sorted(p.name for p in inbox.iterdir()) == ["本周.zip"]


def test_inbox_files_are_never_modified(tmp_path: Path, campaign: Campaign, roster: Roster) -> None:
    path = write_ledger(tmp_path / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    read(tmp_path, campaign, roster)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_problem_is_a_value_with_code_and_location() -> None:
    p = Problem(code=P.AFTER_FILED, file="a.xlsx", sheet="活动台账", cell="B4", unit="荷花村", level="错误",
                message="m", hint="h")
    with pytest.raises(Exception):  # noqa: B017 - frozen pydantic model
        p.level = "警告"  # type: ignore[misc]
    assert dt.date(2026, 1, 1)


def test_tie_on_filed_date_prefers_more_rows_then_later_name(tmp_path: Path, campaign: Campaign,
                                                             roster: Roster) -> None:
    from pipeline.judge.merge import select

    rows = [activity(d("2026-12-03")), activity(d("2026-12-04"), 序号=2, summary="二")]
    write_ledger(tmp_path / "荷花村_a.xlsx", unit="荷花村", filed=d("2026-12-18"), activities=rows)
    write_ledger(tmp_path / "荷花村_b.xlsx", unit="荷花村", filed=d("2026-12-18"), activities=rows[:1])
    write_ledger(tmp_path / "荷花村_c.xlsx", unit="荷花村", filed=d("2026-12-18"),  # as many rows as _a, not a copy
                 activities=[rows[0], activity(d("2026-12-04"), 序号=2, summary="三")])
    intake = select(read(tmp_path, campaign, roster), as_of=d("2026-12-20"))
    results = {f.file: (f.result, f.code) for f in intake.files}
    assert results == {"荷花村_a.xlsx": ("已被新版本替代", S.TIED_OUT), "荷花村_b.xlsx": ("已被新版本替代", S.TIED_OUT),
                       "荷花村_c.xlsx": ("已采用", None)}
    # of the same date, not newer: 文件清单 does not say “已被更新的台账替代”
    assert {f.file: f.reason for f in intake.files}["荷花村_a.xlsx"] == "与“荷花村_c.xlsx”日期相同（2026-12-18），已采用“荷花村_c.xlsx”"
    (tie,) = intake.adopted["荷花村"].problems
    assert (tie.sheet, tie.cell, tie.code) == ("基本信息", "B5", S.TIE)      # at the 填报日期 it is about
    assert (tie.level, tie.message) == (
        "警告", "同一填报日期 2026-12-18 有多份台账（荷花村_b.xlsx、荷花村_a.xlsx、荷花村_c.xlsx），已采用“荷花村_c.xlsx”")


def test_generated_template_filled_validates_clean(tmp_path: Path, campaign: Campaign, roster: Roster) -> None:
    from pipeline.write.template import write_template

    template = tmp_path / "模板.xlsx"
    write_template(template, campaign=campaign, roster=roster)
    write_ledger(tmp_path / "inbox" / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"), template=template,
                 activities=[activity(d("2026-12-03"))], problems=[problem(d("2027-01-10"))],
                 publicity=[{"序号": 1, "发布日期": d("2026-12-05"), "发布平台": "抖音", "标题": "t", "典型案例": "否"}])
    sub = only_submission(tmp_path / "inbox", campaign, roster)
    assert sub.problems == ()
    assert (len(sub.activities), len(sub.rectifications), len(sub.publicity)) == (1, 1, 1)


def test_incremental_files_are_merged_with_a_warning(tmp_path: Path, campaign: Campaign, roster: Roster) -> None:
    from pipeline.judge.merge import select

    write_ledger(tmp_path / "荷花村_1.xlsx", unit="荷花村", filed=d("2026-12-10"), activities=[activity(d("2026-12-03"))])
    write_ledger(tmp_path / "荷花村_2.xlsx", unit="荷花村", filed=d("2026-12-17"),
                 activities=[activity(d("2026-12-15"), "大行动", 2)])
    intake = select(read(tmp_path, campaign, roster), as_of=d("2026-12-20"))
    sub = intake.adopted["荷花村"]
    assert [(a.date, a.source.file) for a in sub.activities] == [(d("2026-12-03"), "荷花村_1.xlsx"),
                                                                  (d("2026-12-15"), "荷花村_2.xlsx")]
    assert problems(sub) == [("基本信息", "B5", "警告", S.INCREMENTAL)]
    records = {f.file: (f.result, f.code) for f in intake.files}
    assert records["荷花村_1.xlsx"] == ("已被新版本替代", S.MERGED)


def test_rows_dropped_from_a_cumulative_file_are_warned(tmp_path: Path, campaign: Campaign, roster: Roster) -> None:
    from pipeline.judge.merge import select

    first = [activity(d("2026-12-03")), activity(d("2026-12-05"), summary="第二次讨论", 序号=2)]
    write_ledger(tmp_path / "荷花村_1.xlsx", unit="荷花村", filed=d("2026-12-10"), activities=first)
    write_ledger(tmp_path / "荷花村_2.xlsx", unit="荷花村", filed=d("2026-12-17"),
                 activities=[first[0], activity(d("2026-12-15"), "大行动", 2, 序号=3)])
    sub = select(read(tmp_path, campaign, roster), as_of=d("2026-12-20")).adopted["荷花村"]
    assert [a.date for a in sub.activities] == [d("2026-12-03"), d("2026-12-15")]
    assert [(p.level, p.code, p.message) for p in sub.problems] == [
        ("警告", S.ROWS_VANISHED, "较上次报送（荷花村_1.xlsx）减少的记录：2026-12-05 大讨论 子主题1“第二次讨论”")]
    # located where the older file holds the row: title row 1, header 2, 示例 3, its first activity 4, this one 5
    assert [(p.file, p.sheet, p.cell) for p in sub.problems] == [("荷花村_1.xlsx", "活动台账", "A5")]


def test_serial_dates_in_a_1904_workbook(tmp_path: Path, campaign: Campaign, roster: Roster) -> None:
    """A Mac-Excel workbook counts serials from 1904-01-01: 2026-12-03 is 46359 − 1462 = 44897 there."""
    path = write_ledger(tmp_path / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                        activities=[activity(44897)])
    wb = openpyxl.load_workbook(path)
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    wb.save(path)
    sub = only_submission(tmp_path, campaign, roster)
    assert [a.date for a in sub.activities] == [d("2026-12-03")]


def test_format_is_sniffed_from_content_not_extension(tmp_path: Path, campaign: Campaign, roster: Roster) -> None:
    from tests.test_messy import FIXTURES

    ledger = write_ledger(tmp_path / "src" / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                          activities=[activity(d("2026-12-03"))])
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "荷花村.xls").write_bytes(ledger.read_bytes())                       # xlsx named .xls
    (inbox / "乡妇联.xlsx").write_bytes((FIXTURES / "乡妇联_libreoffice.ods").read_bytes())  # ods named .xlsx
    (inbox / "乡团委.et").write_bytes((FIXTURES / "乡妇联_libreoffice.xls").read_bytes())     # WPS .et that is BIFF
    (inbox / "导出.xls").write_bytes(b"<html><body><table><tr><td>1</td></tr></table></body></html>")
    (inbox / "导出2.xls").write_text("单位名称,活动日期\n荷花村,2026-12-03\n", encoding="utf-8")
    (inbox / "截断.xlsx").write_bytes(ledger.read_bytes()[:3000])
    (inbox / "坏.et").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    outcomes = {o.file: o for o in read(inbox, campaign, roster)}
    assert isinstance(outcomes["荷花村.xls"], Submission)
    assert isinstance(outcomes["乡妇联.xlsx"], Submission)
    assert isinstance(outcomes["乡团委.et"], Submission) and outcomes["乡团委.et"].unit == "乡妇联"
    refused = {name: o for name, o in outcomes.items() if isinstance(o, Refusal)}
    assert {name: o.code for name, o in refused.items()} == {
        "导出.xls": R.NOT_TEMPLATE, "导出2.xls": R.NOT_TEMPLATE, "截断.xlsx": R.TRUNCATED, "坏.et": R.ET_NOT_XLS}
    # what the file really is, in the clerk's words: an HTML table and a CSV are read as tables (tests/test_flat.py),
    # and these two hold no ledger header
    assert refused["导出.xls"].reason.startswith("网页表格（HTML）中没有台账的表头")
    assert refused["导出2.xls"].reason.startswith("逗号分隔的文本表格（CSV）中没有台账的表头")
    assert refused["坏.et"].reason == "WPS 表格（.et）格式无法直接读取，请在 WPS 中“另存为” .xlsx 后重新报送"
    assert refused["截断.xlsx"].reason.startswith("文件不完整，无法读取（收到的只有 2.9 KB，结尾缺失）")  # 3000 / 1024


CUT_SHORT = "，结尾缺失），可能尚未复制完或下载不完整"


def test_a_file_cut_short_is_told_to_be_fetched_again_not_to_be_saved_again(tmp_path: Path, campaign: Campaign,
                                                                           roster: Roster) -> None:
    """A file still being copied into inbox/, or a WeChat download cut off, has no end: it read 文件已损坏或不完整
    （压缩结构损坏），请重新保存后报送, sending the unit to save again a file that is fine on its side. Sizes by
    hand: 6000 / 1024 = 5.86, 5000 / 1024 = 4.88, 4096 + 4096 zeros = 8.0 KB, 3072 / 1024 = 3.0."""
    ledger = write_ledger(tmp_path / "src" / "x.xlsx", unit=None, filed=d("2026-12-18"),
                          activities=[activity(d("2026-12-03"))]).read_bytes()
    assert len(ledger) > 9000
    box = tmp_path / "inbox"
    box.mkdir()
    (box / "乡应急所.xlsx").write_bytes(ledger[:6000])                       # still being copied
    packed = tmp_path / "src" / "柳林村.zip"
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("柳林村台账.xlsx", ledger)
    (box / "柳林村.zip").write_bytes(packed.read_bytes()[:5000])             # a zip cut off by the download
    (box / "白塔村.xlsx").write_bytes(ledger[:4096] + bytes(4096))          # made to size, never filled in
    with zipfile.ZipFile(box / "乡人社所.zip", "w") as archive:              # a whole zip of a cut-off file
        archive.writestr("新建文件夹/台账.xlsx", ledger[:3072])
    sheet = zipfile.ZipFile(io.BytesIO(ledger)).getinfo("xl/worksheets/sheet2.xml")   # 基本信息
    flipped = bytearray(ledger)
    flipped[sheet.header_offset + 30 + len(sheet.filename) + 10] ^= 0xFF    # inside its deflated data
    (box / "乡统计站.xlsx").write_bytes(bytes(flipped))
    refused = {o.file: (o.unit, o.code, o.reason) for o in read(box, campaign, roster) if isinstance(o, Refusal)}
    assert refused == {
        "乡应急所.xlsx": ("乡应急所", R.TRUNCATED, f"文件不完整，无法读取（收到的只有 5.9 KB{CUT_SHORT}"),
        "柳林村.zip": ("柳林村", R.TRUNCATED, f"文件不完整，无法读取（收到的只有 4.9 KB{CUT_SHORT}"),
        "白塔村.xlsx": ("白塔村", R.TRUNCATED, f"文件不完整，无法读取（收到的只有 8.0 KB{CUT_SHORT}"),
        "乡人社所.zip/新建文件夹/台账.xlsx": ("乡人社所", R.PACKED_TRUNCATED,
                                       "压缩包里的这个文件本身不完整，无法读取（只有 3.0 KB，结尾缺失），可能打包时它还没有保存或"
                                       "复制完：请单位打开原文件确认内容完整后重新打包报送"),
        # other damage keeps its words
        "乡统计站.xlsx": ("乡统计站", R.CORRUPTED,
                      "文件已损坏或不完整，无法读取（工作表“基本信息”压缩数据损坏，可能传输中断），请重新保存后报送")}


def test_nested_zip_is_listed_not_opened(tmp_path: Path, campaign: Campaign, roster: Roster) -> None:
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("a.xlsx", b"x")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    with zipfile.ZipFile(inbox / "outer.zip", "w") as archive:
        archive.write(inner, "inner.zip")
        archive.writestr("/etc/passwd.xlsx", b"x")
    refused = {o.file: (o.code, o.reason) for o in read(inbox, campaign, roster) if isinstance(o, Refusal)}
    assert refused == {
        "outer.zip/inner.zip": (R.NESTED_ZIP, "压缩包内又套压缩包，未读取；请解压后直接报送表格文件"),
        "outer.zip//etc/passwd.xlsx": (R.UNSAFE_ZIP_MEMBER, "压缩包内的路径“/etc/passwd.xlsx”不安全（绝对路径或含“..”），未读取")}


def _zip_with_raw_name(path: Path, *, source: Path, raw: bytes) -> None:
    """A zip whose one member's name is `raw` without the UTF-8 flag, as macOS 压缩, Linux `zip` (UTF-8) and
    Windows' 压缩文件夹 (GBK) write them: zipfile itself always flags a name that is not ASCII, so an ASCII name
    of the same length is written and its bytes replaced (in the local header and the central directory)."""
    placeholder = b"Q" * (len(raw) - 5) + b".xlsx"
    packed = source.with_suffix(".zip")
    with zipfile.ZipFile(packed, "w") as archive:
        archive.write(source, placeholder.decode("ascii"))
    data = packed.read_bytes()
    assert data.count(placeholder) == 2
    path.write_bytes(data.replace(placeholder, raw))


@pytest.mark.parametrize(("archive", "raw", "shown", "unit"), [
    ("报送.zip", "荷花村.xlsx".encode(), "荷花村.xlsx", "荷花村"),               # macOS 压缩, Linux zip: UTF-8
    # UTF-8 that also reads as GB18030 (as 鏌虫灄鏉戠殑鍙拌处.xlsx): Chinese from UTF-8 wins
    ("报送.zip", "柳林村的台账.xlsx".encode(), "柳林村的台账.xlsx", "柳林村"),
    ("报送.zip", "荷花村.xlsx".encode("gbk"), "荷花村.xlsx", "荷花村"),          # Windows' 压缩文件夹: GBK
    # GBK that also reads as UTF-8 (as Сѧ.xlsx, Cyrillic and Hebrew): no Chinese from UTF-8, so GBK; the unit
    # is the zip's
    ("城西湖乡中心小学.zip", "小学.xlsx".encode("gbk"), "小学.xlsx", "城西湖乡中心小学"),
    ("白塔村.zip", "Café.xlsx".encode("cp437"), "Café.xlsx", "白塔村"),          # neither: an old tool's cp437
], ids=["utf-8", "utf-8 also gb18030", "gbk", "gbk also utf-8", "cp437"])
def test_zip_member_names_without_the_utf8_flag_read_as_typed(tmp_path: Path, campaign: Campaign, roster: Roster,
                                                                archive: str, raw: bytes, shown: str,
                                                                unit: str) -> None:
    """Without the flag, a member's name is UTF-8 or GBK (or cp437) depending on what packed the zip; read
    wrongly, 荷花村.xlsx showed as Φì╖Φè▒µ¥æ.xlsx in 文件清单 and the unit could not be found from its name."""
    ledger = write_ledger(tmp_path / "src" / "x.xlsx", unit=None, filed=d("2026-12-18"),
                          activities=[activity(d("2026-12-03"))])
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _zip_with_raw_name(inbox / archive, source=ledger, raw=raw)
    (outcome,) = read(inbox, campaign, roster)
    assert outcome.file == f"{archive}/{shown}"
    assert isinstance(outcome, Submission) and outcome.unit == unit


@pytest.mark.skipif(os.name != "posix", reason="only POSIX file names can be bytes that are not UTF-8")
def test_a_gbk_file_name_on_linux_is_read_and_listed_in_chinese(tmp_path: Path, campaign: Campaign,
                                                                roster: Roster) -> None:
    """A zip unpacked on Linux without its encoding leaves GBK bytes as the name; nothing may crash on it."""
    ledger = write_ledger(tmp_path / "x.xlsx", unit=None, filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    box = tmp_path / "inbox"
    box.mkdir()
    os.rename(bytes(ledger), bytes(box) + b"/" + "柳林村台账.xlsx".encode("gbk"))
    os.rename(bytes(write_ledger(tmp_path / "y.xlsx", unit="荷花村", filed=d("2026-12-18"))),
              bytes(box) + b"/\xff\xfe.xlsx")
    outcomes = {o.file: o for o in read_inbox(box, campaign=campaign, roster=roster)}
    assert set(outcomes) == {"柳林村台账.xlsx", "\ufffd\ufffd.xlsx"}
    assert isinstance(outcomes["柳林村台账.xlsx"], Submission) and outcomes["柳林村台账.xlsx"].unit == "柳林村"
