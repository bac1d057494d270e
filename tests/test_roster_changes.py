"""The roster changing during the campaign: a unit added late (`joined`), a unit renamed (its former name kept
as an alias). Expected dates are worked out by hand from start 2026-11-27, interval 7 (report dates 12-04, 12-11,
12-18 …) and deadline 2027-02-04."""

from pathlib import Path
from typing import Any

import pytest

from pipeline.config.campaign import load_campaign
from pipeline.errors import ConfigError
from pipeline.run import RunResult
from tests.ledgers import CAMPAIGN, activity, read_sheet, write_ledger
from tests.runs import report

DEFAULT = CAMPAIGN.read_text(encoding="utf-8")
LOTUS = "  - name: 荷花村\n    kinds: [村]\n    example: true\n"


def config(tmp_path: Path, unit: str) -> Path:
    """The default campaign.yaml with 荷花村's entry replaced by `unit` (YAML lines)."""
    assert LOTUS in DEFAULT
    path = tmp_path / "campaign.yaml"
    path.write_text(DEFAULT.replace(LOTUS, unit), encoding="utf-8")
    return path


def reminder_of(result: RunResult, unit: str) -> str:
    text = result.written.reminders.read_text(encoding="utf-8-sig")
    return next(line for line in text.splitlines() if line.startswith(f"【乡创城办提醒】{unit}："))


def r5_of(book: Path, unit: str) -> dict[str, Any]:
    return next(g for g in read_sheet(book, "差距清单") if g["单位名称"] == unit and g["规则"] == "R5 按时报送")


def test_a_unit_that_joined_late_is_not_overdue_in_its_first_week(tmp_path: Path) -> None:
    """新河村 joins on 12-10: its first report date after that is 12-11, so on 12-11 it is 待完成 (0 days left),
    where without `joined` it is told 已逾期7天 counted from 12-04; on 12-18 it is 7 days late."""
    joined = config(tmp_path, LOTUS + "  - name: 新河村\n    kinds: [村]\n    joined: 2026-12-10\n")
    (tmp_path / "inbox").mkdir()
    first = report(tmp_path / "inbox", tmp_path / "out1", "2026-12-11", config=joined)
    gap = r5_of(first.written.workbook, "新河村")
    assert (gap["等级"], gap["截止日期"].date().isoformat(), gap["剩余天数"]) == ("待完成", "2026-12-11", 0)
    assert gap["整改建议"].startswith("请于2026年12月11日前报送台账")
    assert reminder_of(first, "新河村").startswith(
        "【乡创城办提醒】新河村：截至12月11日，本单位尚未报送台账，请于2026年12月11日前报送台账；")
    lotus = r5_of(first.written.workbook, "荷花村")    # there from the start: as before
    assert (lotus["等级"], lotus["剩余天数"]) == ("未达标", -7)
    later = report(tmp_path / "inbox", tmp_path / "out2", "2026-12-18", config=joined)
    gap = r5_of(later.written.workbook, "新河村")
    assert (gap["等级"], gap["剩余天数"]) == ("未达标", -7)
    assert "尚未报送台账（期限12月11日，已逾期7天），请立即报送台账" in reminder_of(later, "新河村")


def test_without_joined_a_late_unit_counts_from_the_start(tmp_path: Path) -> None:
    plain = config(tmp_path, LOTUS + "  - name: 新河村\n    kinds: [村]\n")
    (tmp_path / "inbox").mkdir()
    result = report(tmp_path / "inbox", tmp_path / "out", "2026-12-11", config=plain)
    gap = r5_of(result.written.workbook, "新河村")
    assert (gap["等级"], gap["剩余天数"]) == ("未达标", -7)
    assert "尚未报送台账（期限12月4日，已逾期7天）" in reminder_of(result, "新河村")


def test_a_late_unit_is_behind_schedule_by_its_own_window(tmp_path: Path) -> None:
    """As of 2027-01-12 the units there from the start need floor(2×46/69) = 1 大讨论 (R7); 新河村, joined 12-27,
    needs floor(2×16/39) = 0 and is 进行中, where counted from the start it is 滞后."""
    inbox = tmp_path / "inbox"
    for unit in ("新河村", "柳林村"):
        write_ledger(inbox / f"{unit}.xlsx", unit=unit, filed="2027-01-11",
                     activities=[activity("2027-01-05", "大行动", 2)])
    joined = config(tmp_path, LOTUS + "  - name: 新河村\n    kinds: [村]\n    joined: 2026-12-27\n")
    result = report(inbox, tmp_path / "out", "2027-01-12", config=joined)
    rows = {r["单位名称"]: r for r in read_sheet(result.written.workbook, "单位进度")}
    assert (rows["新河村"]["状态"], rows["柳林村"]["状态"]) == ("进行中", "滞后")
    assert not any(g["单位名称"] == "新河村" and g["规则"] == "R7 序时进度"
                   for g in read_sheet(result.written.workbook, "差距清单"))


@pytest.mark.parametrize("day", ["2026-11-20", "2027-02-05"])
def test_a_joined_date_outside_the_campaign_is_refused_at_its_line(tmp_path: Path, day: str) -> None:
    path = config(tmp_path, LOTUS + f"  - name: 新河村\n    kinds: [村]\n    joined: {day}\n")
    with pytest.raises(ConfigError) as info:
        load_campaign(path)
    # 荷花村's entry ends at line 85 of the default file: 新河村 is item 13, its joined: on line 88
    assert info.value.messages == [f"第88行，units → 第13项（新河村）→ joined：加入日期 {day} 不在活动期间"
                                   "（2026-11-27 至 2027-02-04）内，请检查日期"]


RENAMED = "  - name: 荷花社区\n    kinds: [村]\n"


def test_a_renamed_unit_keeps_its_ledgers_and_history_under_its_former_name_as_alias(tmp_path: Path) -> None:
    """荷花村 is renamed 荷花社区 after the 12-11 report, its former name kept as an alias: its ledger, still naming
    荷花村, is its own, and the 12-18 report compares it with its 12-11 entry (no new activity: R8), not 新增单位."""
    inbox = tmp_path / "inbox"
    write_ledger(inbox / "荷花村.xlsx", unit="荷花村", filed="2026-12-10",
                 activities=[activity("2026-12-01"), activity("2026-12-03", "大行动", 2, 序号=2)])
    report(inbox, tmp_path / "out1", "2026-12-11", archive=tmp_path / "archive", record=True)
    renamed = config(tmp_path, RENAMED + "    aliases: [荷花村]\n")
    result = report(inbox, tmp_path / "out2", "2026-12-18", archive=tmp_path / "archive", config=renamed, record=True)
    book = result.written.workbook
    row = next(r for r in read_sheet(book, "单位进度") if r["单位名称"] == "荷花社区")
    assert (row["状态"], row["大讨论次数"], row["大行动次数"], row["本周新增大讨论"], row["较上次变化"]) == (
        "进行中", 1, 1, 0, "进行中（不变）；活动无增加")
    assert [(f["单位名称"], f["处理结果"]) for f in read_sheet(book, "文件清单")] == [("荷花社区", "已采用")]
    assert ("R8 持续无进展", "提醒") in [(g["规则"], g["等级"]) for g in read_sheet(book, "差距清单")
                                       if g["单位名称"] == "荷花社区"]


def test_a_ledger_under_a_former_name_is_refused_with_how_to_keep_the_name(tmp_path: Path) -> None:
    """The same rename without the alias: 荷花村.xlsx names no roster unit; the 12-11 report counted it for 荷花村,
    so its 文件清单 reason says how to keep the name."""
    inbox = tmp_path / "inbox"
    write_ledger(inbox / "荷花村.xlsx", unit="荷花村", filed="2026-12-10", activities=[activity("2026-12-01")])
    report(inbox, tmp_path / "out1", "2026-12-11", archive=tmp_path / "archive", record=True)
    result = report(inbox, tmp_path / "out2", "2026-12-18", archive=tmp_path / "archive",
                    config=config(tmp_path, RENAMED))
    [listed] = read_sheet(result.written.workbook, "文件清单")
    assert (listed["单位名称"], listed["处理结果"]) == (None, "未采用")
    assert listed["原因"] == (
        "单位名称“荷花村”不在名册中；名册中最接近的是：荷花社区、柳林村、白塔村。请核对单位名称，或请乡创城办在 campaign.yaml "
        "中登记该单位。2026-12-11 的周报曾把这份台账（或同名文件）计入“荷花村”，名册中现已没有“荷花村”：如该单位已改名，"
        "请乡创城办在 campaign.yaml 中该单位的新名称下写上 aliases: [荷花村]，写着旧名称的台账即计入新名称")


def test_two_units_merged_into_one_carry_neither_history(tmp_path: Path) -> None:
    """撤村并居: 荷花村 and 柳林村 become 荷花社区, both former names among its aliases. Either one's 12-11 entry alone
    would pass for the merged unit's (the reviewer's repro took 荷花村's: 活动+1 against 柳林村's ledger too), so the
    12-18 report compares 荷花社区 with nothing: 新增单位, no R8."""
    inbox = tmp_path / "inbox"
    write_ledger(inbox / "荷花村.xlsx", unit="荷花村", filed="2026-12-10", activities=[activity("2026-12-01")])
    write_ledger(inbox / "柳林村.xlsx", unit="柳林村", filed="2026-12-10", activities=[activity("2026-12-02")])
    report(inbox, tmp_path / "out1", "2026-12-11", archive=tmp_path / "archive", record=True)
    willow = "  - name: 柳林村\n    kinds: [村]\n    example: true\n"
    merged = config(tmp_path, RENAMED + "    aliases: [荷花村, 柳林村]\n")
    merged.write_text(merged.read_text(encoding="utf-8").replace(willow, ""), encoding="utf-8")
    result = report(inbox, tmp_path / "out2", "2026-12-18", archive=tmp_path / "archive", config=merged, record=True)
    book = result.written.workbook
    row = next(r for r in read_sheet(book, "单位进度") if r["单位名称"] == "荷花社区")
    assert row["较上次变化"] == "新增单位"
    assert "R8 持续无进展" not in [g["规则"] for g in read_sheet(book, "差距清单") if g["单位名称"] == "荷花社区"]
