"""Several units' ledgers in one workbook (issue 13 case 6, SPEC §3 every ledger in a workbook is read):
each unit's ledger is read as that unit's submission from the file, and the file stays one 文件清单 row.

Units do it two ways, both built here as they build them: a set of sheets per unit, copied in WPS and
renamed for the unit (`乡团委-活动台账`, `活动台账（乡团委）`), or one 活动台账 with a 单位名称 column.
"""

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.read.schema import ACTIVITY, FIRST_DATA_ROW, HEADER_ROW, INFO_SHEET, LEDGER_SPECS, info_cell
from tests.ledgers import CAMPAIGN, activity, d, read_sheet, write_ledger
from tests.test_received import seen

Naming = Callable[[str, str], str]
DASHED: Naming = lambda unit, sheet: f"{unit}-{sheet}"          # noqa: E731
BRACKETED: Naming = lambda unit, sheet: f"{sheet}（{unit}）"     # noqa: E731


def add_unit_sheets(path: Path, *, unit: str, rows: Sequence[dict[str, Any]], naming: Naming,
                    filed: Any = None) -> None:
    """Another unit's set of sheets, as a clerk makes it: 移动或复制 → 建立副本 of the ledger sheets (of 基本信息
    too when the unit keeps its own), renamed for the unit, its rows typed over the copied ones."""
    wb = openpyxl.load_workbook(path)
    for spec in LEDGER_SPECS:
        ws = wb.copy_worksheet(wb[spec.name])
        ws.title = naming(unit, spec.name)
        ws.delete_rows(FIRST_DATA_ROW + 1, ws.max_row)   # keep title, header and 示例 rows
        if spec is ACTIVITY:
            header = {cell.value: cell.column for cell in ws[HEADER_ROW + 1] if cell.value}
            for offset, values in enumerate(rows):
                for name, value in values.items():
                    ws.cell(row=FIRST_DATA_ROW + 1 + offset, column=header[name], value=value)
    if filed is not None:
        info = wb.copy_worksheet(wb[INFO_SHEET])
        info.title = naming(unit, INFO_SHEET)
        info[info_cell("单位名称")], info[info_cell("填报日期")] = unit, filed
    wb.save(path)


def rename_for(path: Path, unit: str, naming: Naming) -> None:
    """The filing unit's own ledger sheets renamed for it too (its 基本信息 stays the file's)."""
    wb = openpyxl.load_workbook(path)
    for spec in LEDGER_SPECS:
        wb[spec.name].title = naming(unit, spec.name)
    wb.save(path)


def validate_text(box: Path, as_of: str) -> str:
    result = CliRunner().invoke(main, ["validate", "--inbox", str(box), "--as-of", as_of, "--config", str(CAMPAIGN)])
    return result.stdout


@pytest.mark.parametrize(("naming", "own_info"), [(DASHED, False), (BRACKETED, True)])
def test_each_units_set_of_sheets_is_that_units_submission(tmp_path: Path, naming: Naming, own_info: bool) -> None:
    box = tmp_path / "inbox"
    book = write_ledger(box / "群团组织台账.xlsx", unit="乡妇联", filed=d("2026-12-18"),
                        activities=[activity(d("2026-12-05")), activity(d("2026-12-12"), "大行动", 2, 40, 序号=2)])
    add_unit_sheets(book, unit="乡团委", naming=naming, filed=d("2026-12-17") if own_info else None,
                    rows=[activity(d("2026-12-06"), subtheme=2, people=25, evidence=None)])
    rename_for(book, "乡妇联", naming)
    league = seen(box, tmp_path, "2026-12-20", "乡团委")
    women = seen(box, tmp_path / "again", "2026-12-20", "乡妇联")
    # 乡妇联: 30 + 40 people; 乡团委: its one row of 25, dated by its own 基本信息 when it keeps one, else the file's
    assert (women.progress["大讨论次数"], women.progress["大行动次数"], women.progress["参与人次"]) == (1, 1, 70)
    assert (league.progress["大讨论次数"], league.progress["大行动次数"], league.progress["参与人次"]) == (1, 0, 25)
    assert league.progress["最近填报日期"].date() == d("2026-12-17" if own_info else "2026-12-18")  # type: ignore[attr-defined]
    assert league.progress["状态"] != "未报送" and league.progress["未采用文件"] is None
    (row,) = league.files.values()
    assert (row["文件"], row["单位名称"], row["处理结果"], row["活动数"]) == ("群团组织台账.xlsx", "乡妇联、乡团委", "已采用", 3)
    assert row["原因"] == "本文件含2个单位的台账，各按该单位的报送计——乡妇联：已采用；乡团委：已采用"
    sheet = naming("乡团委", "活动台账")
    assert [(p["文件"], p["工作表"], p["单元格"], p["等级"]) for p in league.problems] == [
        ("群团组织台账.xlsx", sheet, "L4", "警告")]        # its row lacks 佐证材料, at the cell of its own sheet
    assert women.problems == []
    assert f"{sheet} L4" in league.gap_list and women.gap_list.count("群团组织台账.xlsx") == 0
    assert "乡团委" not in next((c for c in league.issues.split("；") if c.endswith("尚未报送台账")), "")
    assert "报送的台账未能采用" not in league.issues
    text = validate_text(box, "2026-12-20")
    assert ("【已采用】群团组织台账.xlsx（乡妇联、乡团委）\n    乡妇联：已采用\n    乡团委：已采用\n"
            f"    乡团委 {sheet} L4 [警告] ") in text
    assert "合计：文件 1 个（已采用 1，" in text


def test_of_two_units_sheets_in_a_workbook_each_is_read_for_its_unit(tmp_path: Path) -> None:
    """乡团委 sends one workbook holding 乡妇联's activity sheet before its own, named after each unit."""
    box = tmp_path / "inbox"
    ledger = write_ledger(box / "群团台账.xlsx", unit="乡团委", filed=d("2026-12-18"),
                          activities=[activity(d("2026-12-05"), subtheme=2, people=11)])
    wb = openpyxl.load_workbook(ledger)
    own = wb.copy_worksheet(wb["活动台账"])
    own.title = "乡团委活动台账"
    own["G4"] = 22
    wb["活动台账"].title = "乡妇联活动台账"
    wb.move_sheet(own, offset=-2)               # 填报说明, 基本信息, 乡妇联活动台账, 乡团委活动台账, 问题整改, 宣传报道
    wb.save(ledger)
    book = tmp_path / "out"
    from tests.runs import report
    workbook = report(box, book, "2026-12-20").written.workbook
    assert sorted((r["单位名称"], r["工作表"], r["参加人数"]) for r in read_sheet(workbook, "活动明细")) == [
        ("乡团委", "乡团委活动台账", 22), ("乡妇联", "乡妇联活动台账", 11)]
    # 问题整改 and 宣传报道 are the filing unit's (乡团委's): 乡妇联's set lacks them, said at its own names
    assert [(p["单位名称"], p["工作表"], p["等级"], p["问题"]) for p in read_sheet(workbook, "数据问题")] == [
        ("乡妇联", "问题整改", "错误", "未找到“乡妇联”的“问题整改”工作表"),
        ("乡妇联", "宣传报道", "警告", "未找到“乡妇联”的“宣传报道”工作表")]


def unit_column_ledger(path: Path, *, filed: str, rows: Sequence[tuple[dict[str, Any], str]]) -> Path:
    """乡妇联's file in which a column 单位名称 (N, after 备注) says whose each activity is; blank: 乡妇联's."""
    write_ledger(path, unit="乡妇联", filed=d(filed), activities=[r for r, _ in rows])
    wb = openpyxl.load_workbook(path)
    ws = wb["活动台账"]
    ws.cell(row=HEADER_ROW + 1, column=14, value="单位名称")
    for offset, (_, unit) in enumerate(rows):
        if unit:
            ws.cell(row=FIRST_DATA_ROW + 1 + offset, column=14, value=unit)
    wb.save(path)
    return path


def test_a_unit_name_column_gives_each_unit_its_rows_and_an_unknown_name_is_an_error_at_its_cell(
        tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    unit_column_ledger(box / "群团活动汇总.xlsx", filed="2026-12-18", rows=[
        (activity(d("2026-12-05")), ""),                                              # row 4: 乡妇联's own
        (activity(d("2026-12-06"), subtheme=2, people=25, 序号=2), "乡团委"),          # row 5
        (activity(d("2026-12-07"), "大行动", 2, 15, 序号=3), " 团委 "),               # row 6: an alias, spaces
        (activity(d("2026-12-08"), people=50, 序号=4), "乡团伟")])                     # row 7: a slip
    women = seen(box, tmp_path, "2026-12-20", "乡妇联")
    league = seen(box, tmp_path / "again", "2026-12-20", "乡团委")
    assert (women.progress["大讨论次数"], women.progress["大行动次数"], women.progress["参与人次"]) == (1, 0, 30)
    # 乡团委: rows 5 and 6, 25 + 15 people; row 7 counts for no one
    assert (league.progress["大讨论次数"], league.progress["大行动次数"], league.progress["参与人次"]) == (1, 1, 40)
    assert league.progress["最近填报日期"].date() == d("2026-12-18")  # type: ignore[attr-defined]
    assert [(p["工作表"], p["单元格"], p["等级"], p["问题"]) for p in women.problems] == [
        ("活动台账", "N7", "错误", "单位名称“乡团伟”不在名册中，本行未计入任何单位；名册中最接近的是：乡团委")]
    assert league.problems == []          # rows from another unit's sheets: no sheet of its own can be missing
    assert "活动台账 N7" in women.gap_list
    (row,) = league.files.values()
    assert (row["单位名称"], row["处理结果"], row["活动数"]) == ("乡妇联、乡团委", "已采用", 3)
    data = json.loads(CliRunner().invoke(main, ["validate", "--inbox", str(box), "--as-of", "2026-12-20", "--json",
                                                "--config", str(CAMPAIGN)]).stdout)
    (file,) = data["files"]
    assert [(p["unit"], p["result"], p["activities"]) for p in file["parts"]] == [("乡妇联", "已采用", 1),
                                                                                  ("乡团委", "已采用", 2)]
    assert [(p["unit"], p["cell"], p["code"]) for p in file["problems"]] == [("乡妇联", "N7", "unknown-row-unit")]
    assert data["ok"] is False


def test_a_unit_that_also_sent_its_own_file_competes_only_with_its_own_files(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    unit_column_ledger(box / "群团活动汇总.xlsx", filed="2026-12-18", rows=[
        (activity(d("2026-12-05")), ""),
        (activity(d("2026-12-06"), subtheme=2, people=25, 序号=2), "乡团委")])
    write_ledger(box / "乡团委.xlsx", unit="乡团委", filed=d("2026-12-19"), activities=[
        activity(d("2026-12-06"), subtheme=2, people=25), activity(d("2026-12-15"), "大行动", 1, 20, 序号=2)])
    # 12-20: 乡团委's own file (filed 12-19) is newer than its rows in the shared file (12-18): 25 + 20 people
    league = seen(box, tmp_path, "2026-12-20", "乡团委")
    assert (league.progress["大讨论次数"], league.progress["大行动次数"], league.progress["参与人次"]) == (1, 1, 45)
    shared = league.files["群团活动汇总.xlsx"]
    assert (shared["单位名称"], shared["处理结果"]) == ("乡妇联、乡团委", "已采用")       # still 乡妇联's submission
    assert shared["原因"] == ("本文件含2个单位的台账，各按该单位的报送计——乡妇联：已采用；"
                            "乡团委：已被新版本替代（已被更新的台账“乡团委.xlsx”替代）")
    assert (league.files["乡团委.xlsx"]["处理结果"], league.files["乡团委.xlsx"]["单位名称"]) == ("已采用", "乡团委")
    women = seen(box, tmp_path / "w", "2026-12-20", "乡妇联")
    assert women.progress["参与人次"] == 30
    # 12-18: the own file is dated after the report date, so the shared file's rows stand for 乡团委: 25 people
    earlier = seen(box, tmp_path / "earlier", "2026-12-18", "乡团委")
    assert (earlier.progress["状态"] != "未报送", earlier.progress["参与人次"]) == (True, 25)
    assert earlier.files["群团活动汇总.xlsx"]["原因"] == "本文件含2个单位的台账，各按该单位的报送计——乡妇联：已采用；乡团委：已采用"
    assert earlier.files["乡团委.xlsx"]["处理结果"] == "未采用"
    text = validate_text(box, "2026-12-20")
    assert ("【已采用】群团活动汇总.xlsx（乡妇联、乡团委）\n    乡妇联：已采用\n"
            "    乡团委：已被新版本替代，原因：已被更新的台账“乡团委.xlsx”替代\n") in text


def test_a_continued_sheet_of_a_units_set_is_read_as_one_with_it(tmp_path: Path) -> None:
    """`乡团委-活动台账 (2)`: 移动或复制 of a unit's sheet is its continuation, not another unit's ledger."""
    box = tmp_path / "inbox"
    book = write_ledger(box / "群团组织台账.xlsx", unit="乡妇联", filed=d("2026-12-18"),
                        activities=[activity(d("2026-12-05"))])
    add_unit_sheets(book, unit="乡团委", naming=DASHED, rows=[activity(d("2026-12-06"), subtheme=2, people=25)])
    wb = openpyxl.load_workbook(book)
    more = wb.copy_worksheet(wb["乡团委-活动台账"])
    more.title = "乡团委-活动台账 (2)"
    more["B4"], more["G4"], more["C4"] = d("2026-12-13"), 35, "大行动"
    wb.save(book)
    league = seen(box, tmp_path, "2026-12-20", "乡团委")
    # 25 + 35 people, one of each kind; 乡妇联 keeps its 30
    assert (league.progress["大讨论次数"], league.progress["大行动次数"], league.progress["参与人次"]) == (1, 1, 60)
    assert league.problems == []


@pytest.mark.parametrize("sheet", ["与团委联合活动", "乡团委"])
def test_a_sheet_that_only_mentions_another_unit_is_the_filers_unread_sheet(tmp_path: Path, sheet: str) -> None:
    """乡妇联's own file with an extra sheet about its joint activity with 乡团委 (协办单位 乡团委): a name holding
    a unit's name (团委 is 乡团委's alias) but no template sheet name is not that unit's set of sheets."""
    box = tmp_path / "inbox"
    book = write_ledger(box / "乡妇联台账.xlsx", unit="乡妇联", filed=d("2026-12-05"),
                        activities=[activity(d("2026-12-01"))])
    wb = openpyxl.load_workbook(book)
    ws = wb.copy_worksheet(wb["活动台账"])
    ws.title = sheet
    header = {cell.value: cell.column for cell in ws[HEADER_ROW + 1] if cell.value}
    for name, value in activity(d("2026-12-02"), 协办单位="乡团委", summary="联合开展").items():
        ws.cell(row=FIRST_DATA_ROW + 1, column=header[name], value=value)
    wb.save(book)
    women = seen(box, tmp_path, "2026-12-20", "乡妇联")
    league = seen(box, tmp_path / "again", "2026-12-20", "乡团委")
    # 乡妇联: its 活动台账's one row of 30 people; the extra sheet is named, counted for no one
    assert (women.progress["大讨论次数"], women.progress["参与人次"]) == (1, 30)
    assert [(p["工作表"], p["单元格"], p["等级"], p["问题"]) for p in women.problems] == [
        (sheet, "A1", "警告", f"工作表“{sheet}”像是“乡团委”的活动台账，未计入本单位，也未计入“乡团委”")]
    assert f"{sheet} A1" in women.gap_list
    assert league.progress["状态"] == "未报送" and league.progress["参与人次"] == 0
    assert league.problems == [] and not any("乡妇联台账.xlsx" in text for text in league.gap_list)
    assert "乡团委" in next(c for c in league.issues.split("；") if c.endswith("尚未报送台账"))
    (row,) = women.files.values()
    assert (row["单位名称"], row["处理结果"], row["活动数"]) == ("乡妇联", "已采用", 1)


def group_column_ledger(path: Path, rows: Sequence[tuple[dict[str, Any], str]]) -> Path:
    """荷花村's own file with a column 填报单位 added after 备注 (N), filled on each row."""
    write_ledger(path, unit="荷花村", filed=d("2026-12-05"), activities=[r for r, _ in rows])
    wb = openpyxl.load_workbook(path)
    ws = wb["活动台账"]
    ws.cell(row=HEADER_ROW + 1, column=14, value="填报单位")
    for offset, (_, unit) in enumerate(rows):
        ws.cell(row=FIRST_DATA_ROW + 1 + offset, column=14, value=unit)
    wb.save(path)
    return path


def test_a_column_naming_only_the_units_own_group_leaves_its_ledger_as_it_is(tmp_path: Path) -> None:
    """No row names another roster unit: the 填报单位 column is one more column of 荷花村's own ledger."""
    box = tmp_path / "inbox"
    group_column_ledger(box / "荷花村台账.xlsx", [(activity(d("2026-12-01")), "荷花村第一村民小组"),
                                               (activity(d("2026-12-02"), 序号=2), "荷花村第一村民小组")])
    village = seen(box, tmp_path, "2026-12-20", "荷花村")
    assert (village.progress["大讨论次数"], village.progress["参与人次"]) == (2, 60)     # 30 + 30
    assert village.problems == []
    (row,) = village.files.values()
    assert (row["单位名称"], row["处理结果"], row["活动数"], row["原因"]) == ("荷花村", "已采用", 2, None)


def test_in_a_unit_column_a_name_nearly_the_sheets_unit_is_counted_for_it_with_a_warning(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    group_column_ledger(box / "荷花村台账.xlsx", [
        (activity(d("2026-12-01")), "荷花村第一村民小组"),                              # row 4: holds 荷花村's name
        (activity(d("2026-12-02"), subtheme=2, people=25, 序号=2), "柳林村"),           # row 5: another unit's
        (activity(d("2026-12-03"), "大行动", 2, 40, 序号=3), "荷花材"),                 # row 6: one character off
        (activity(d("2026-12-04"), people=50, 序号=4), "第一村民小组")])                # row 7: names no unit
    village = seen(box, tmp_path, "2026-12-20", "荷花村")
    willow = seen(box, tmp_path / "again", "2026-12-20", "柳林村")
    # 荷花村: rows 4 and 6, 30 + 40 people; 柳林村: row 5, 25; row 7 for no one
    assert (village.progress["大讨论次数"], village.progress["大行动次数"], village.progress["参与人次"]) == (1, 1, 70)
    assert (willow.progress["大讨论次数"], willow.progress["大行动次数"], willow.progress["参与人次"]) == (1, 0, 25)
    problems = sorted((p["单元格"], p["等级"], p["问题"]) for p in village.problems)
    assert problems[:2] == [("N4", "警告", "单位名称“荷花村第一村民小组”不在名册中，本行按本表所属的“荷花村”计入"),
                            ("N6", "警告", "单位名称“荷花材”不在名册中，本行按本表所属的“荷花村”计入")]
    assert [p[:2] for p in problems[2:]] == [("N7", "错误")]
    assert str(problems[2][2]).startswith("单位名称“第一村民小组”不在名册中，本行未计入任何单位")
    assert "活动台账 N4" in village.gap_list and "活动台账 N7" in village.gap_list
    assert willow.problems == []
    (row,) = village.files.values()
    assert (row["单位名称"], row["处理结果"], row["活动数"]) == ("荷花村、柳林村", "已采用", 3)


def test_every_set_named_for_its_unit_the_file_names_unit_is_the_filer(tmp_path: Path) -> None:
    """乡妇联台账.xlsx: both 基本信息 named for their units, 乡团委's whole set first in the workbook."""
    box = tmp_path / "inbox"
    book = write_ledger(box / "乡妇联台账.xlsx", unit="乡妇联", filed=d("2026-12-05"),
                        activities=[activity(d("2026-12-01"))])
    add_unit_sheets(book, unit="乡团委", naming=DASHED, filed=d("2026-12-04"),
                    rows=[activity(d("2026-12-02")), activity(d("2026-12-03"), 序号=2)])
    rename_for(book, "乡妇联", DASHED)
    wb = openpyxl.load_workbook(book)
    wb[INFO_SHEET].title = "乡妇联-基本信息"
    for name in [n for n in wb.sheetnames if n.startswith("乡团委")][::-1]:
        wb.move_sheet(name, offset=-wb.sheetnames.index(name))
    assert wb.sheetnames[:4] == ["乡团委-活动台账", "乡团委-问题整改", "乡团委-宣传报道", "乡团委-基本信息"]
    wb.save(book)
    women = seen(box, tmp_path, "2026-12-20", "乡妇联")
    league = seen(box, tmp_path / "again", "2026-12-20", "乡团委")
    # each dated by its own 基本信息; 乡妇联 30 people, 乡团委 30 + 30; no 单位名称 conflict with the file's name
    assert (women.progress["参与人次"], women.progress["最近填报日期"].date()) == (30, d("2026-12-05"))  # type: ignore[attr-defined]
    assert (league.progress["参与人次"], league.progress["最近填报日期"].date()) == (60, d("2026-12-04"))  # type: ignore[attr-defined]
    assert women.problems == [] and league.problems == []
    (row,) = women.files.values()
    assert (row["单位名称"], row["处理结果"], row["活动数"]) == ("乡妇联、乡团委", "已采用", 3)


def test_another_units_sheet_without_a_header_is_named_to_the_filer(tmp_path: Path) -> None:
    """乡妇联's file with 乡团委's activity sheet whose title and header rows were deleted: nothing of 乡团委's
    can be read, so 乡团委 has not filed, and the sheet is named in a 警告 to 乡妇联 (SPEC §3)."""
    box = tmp_path / "inbox"
    book = write_ledger(box / "乡妇联台账.xlsx", unit="乡妇联", filed=d("2026-12-05"),
                        activities=[activity(d("2026-12-01"))])
    add_unit_sheets(book, unit="乡团委", naming=DASHED, rows=[activity(d("2026-12-02"))])
    wb = openpyxl.load_workbook(book)
    for spec in LEDGER_SPECS:
        wb[DASHED("乡团委", spec.name)].delete_rows(1, HEADER_ROW + 1)
    wb.save(book)
    women = seen(box, tmp_path, "2026-12-20", "乡妇联")
    league = seen(box, tmp_path / "again", "2026-12-20", "乡团委")
    assert women.progress["参与人次"] == 30 and league.progress["状态"] == "未报送"
    assert [(p["工作表"], p["单元格"], p["等级"], p["问题"]) for p in women.problems] == [
        (DASHED("乡团委", spec.name), "A1", "警告",
         f"工作表“乡团委-{spec.name}”像是“乡团委”的{spec.name}，但未找到表头行，未计入“乡团委”") for spec in LEDGER_SPECS]
    assert "乡团委-活动台账 A1" in women.gap_list
    assert league.problems == []
    (row,) = women.files.values()
    assert (row["单位名称"], row["处理结果"], row["活动数"]) == ("乡妇联", "已采用", 1)


def test_a_column_nearly_naming_another_unit_divides_the_rows(tmp_path: Path) -> None:
    """乡团伟 is one character off 乡团委, not 乡妇联: its row may be 乡团委's, so it is counted for no one."""
    box = tmp_path / "inbox"
    unit_column_ledger(box / "乡妇联台账.xlsx", filed="2026-12-18", rows=[
        (activity(d("2026-12-05")), ""), (activity(d("2026-12-06"), people=50, 序号=2), "乡团伟")])
    women = seen(box, tmp_path, "2026-12-20", "乡妇联")
    assert women.progress["参与人次"] == 30                       # row 4 only; row 5's 50 for no one
    assert [(p["单元格"], p["等级"], p["问题"]) for p in women.problems] == [
        ("N5", "错误", "单位名称“乡团伟”不在名册中，本行未计入任何单位；名册中最接近的是：乡团委")]


def test_another_units_sheets_copied_and_left_empty_are_not_its_submission(tmp_path: Path) -> None:
    """乡妇联 copied a set of sheets for 乡团委 (as in WPS) and never filled them: no row, no 基本信息 of its own.
    乡团委 has not reported (it must not be dated by 乡妇联's 基本信息 and leave the bulletin's list of units that
    have not reported); 乡妇联 is told at the first of those sheets why they were not counted."""
    box = tmp_path / "inbox"
    book = write_ledger(box / "乡妇联台账.xlsx", unit="乡妇联", filed=d("2026-12-18"),
                        activities=[activity(d("2026-12-01"))])
    add_unit_sheets(book, unit="乡团委", naming=DASHED, rows=[])
    women = seen(box, tmp_path, "2026-12-20", "乡妇联")
    league = seen(box, tmp_path / "again", "2026-12-20", "乡团委")
    assert league.progress["状态"] == "未报送" and league.progress["最近填报日期"] is None
    assert "乡团委" in next(c for c in league.issues.split("；") if c.endswith("尚未报送台账"))
    assert women.progress["参与人次"] == 30
    sheets = "、".join(f"“乡团委-{spec.name}”" for spec in LEDGER_SPECS)
    assert [(p["工作表"], p["单元格"], p["等级"], p["问题"]) for p in women.problems] == [
        ("乡团委-活动台账", "A1", "警告", f"工作表{sheets}像是“乡团委”的台账，但一行也没有填写，未计入“乡团委”（它仍算未报送）")]
    (row,) = women.files.values()
    assert (row["单位名称"], row["处理结果"]) == ("乡妇联", "已采用")


EARLY_ADVICE = "建议：填报日期无误则不必重报，统计日期到该日后即采用；如填错请更正后重新报送"


@pytest.mark.parametrize(("filed", "closing"), [
    ("2026-12-25", ["以上未采用的台账填报日期晚于统计日期：填报日期无误则不必重报，统计日期到该日后即采用；"
                    "如填错，请报送单位更正后重新报送。这不是程序出错。"]),
    ("2027-12-05", ["以上问题需要由报送单位改正台账后重新报送；这是台账内容的问题，不是程序出错。",
                    "其中填报日期晚于统计日期的台账，按各自的“建议”处理：填报日期无误则不必重报。"])])
def test_validate_tells_each_unit_of_a_shared_workbook_sent_early_to_check_its_date(
        tmp_path: Path, filed: str, closing: list[str]) -> None:
    """乡团委's workbook holds 乡妇联's set with its own 基本信息. Both dated 12-25 (after the 统计日期 12-20, within
    the campaign): each part is told to check its date, and so is the office. 乡妇联's dated 2027-12-05 (a year
    slip, after the deadline): that part is an 错误 to correct, 乡团委's still only a date to check."""
    box = tmp_path / "inbox"
    ledger = write_ledger(box / "群团台账.xlsx", unit="乡团委", filed=d("2026-12-25"),
                          activities=[activity(d("2026-12-05"), subtheme=2)])
    add_unit_sheets(ledger, unit="乡妇联", naming=DASHED, filed=d(filed), rows=[
        {"序号": 1, "活动日期": d("2026-12-06"), "活动类型": "大讨论", "子主题": 2, "参加人数": 9, "内容摘要": "讨论"}])
    lines = validate_text(box, "2026-12-20").rstrip().splitlines()
    assert lines[1] == f"    乡团委：未采用，原因：填报日期晚于统计日期（2026-12-25 > 2026-12-20），本期不采用。{EARLY_ADVICE}"
    assert lines[2].endswith(EARLY_ADVICE) == (filed == "2026-12-25")
    assert lines[-len(closing):] == closing


def test_a_file_of_two_units_named_for_the_second_tells_it_nothing_more(tmp_path: Path) -> None:
    """A workbook named 乡团委.xlsx holding 乡妇联's ledger and 乡团委's own set of sheets: 乡团委's ledger is in it,
    so 乡团委 has reported and is not told of a file read as another unit's."""
    box = tmp_path / "inbox"
    book = write_ledger(box / "乡团委.xlsx", unit="乡妇联", filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    add_unit_sheets(book, unit="乡团委", naming=DASHED, rows=[activity(d("2026-12-06"), subtheme=2, people=25)])
    league = seen(box, tmp_path, "2026-12-20", "乡团委")
    assert (league.progress["参与人次"], league.progress["未采用文件"]) == (25, None)
