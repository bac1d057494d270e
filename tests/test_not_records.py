"""Rows inside a ledger table that are no records: a repeated header row is skipped (as a 合计 row is), a note
between records is skipped and told once at its cell, and a record with most cells blank still gets its 错误s."""

from pathlib import Path
from typing import Any

import openpyxl

from tests.ledgers import activity, d, problem, read_sheet, write_ledger
from tests.runs import report

NOTE_HINT = "如是一条记录，请把各项分别填在表头对应的列中；说明文字请写在“备注”列"


def note(text: str) -> str:
    return f"此行像是说明文字（“{text}”），未作为记录读取"


def put(ws: Any, row: int, values: dict[str, Any]) -> None:
    """Type values under the header labels of row 2 (the template's header row)."""
    header = {cell.value: cell.column for cell in ws[2] if cell.value}
    for name, value in values.items():
        ws.cell(row=row, column=header[name], value=value)


def test_a_repeated_header_and_a_note_row_are_no_records_but_a_half_filled_record_is(tmp_path: Path) -> None:
    """活动台账 rows: 4 a 大讨论; 5 a note merged across the row; 6 the header again (a second stage's table
    pasted below); 7 a 大行动; 8 a record with only 序号 and 内容摘要; 9 a note in column A only. The note and
    the header were each read as a record with 4–5 错误s; now the notes are one 警告 each and the header is
    skipped, while row 8 keeps the 错误 of each required cell it lacks (内容摘要 is its only one filled)."""
    box = tmp_path / "inbox"
    ledger = write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2027-01-10"),
                          activities=[activity(d("2026-12-01"))])
    wb = openpyxl.load_workbook(ledger)
    ws = wb["活动台账"]
    ws["A5"] = "以下为第二阶段活动"
    ws.merge_cells("A5:M5")
    for cell in ws[2]:
        ws.cell(row=6, column=cell.column, value=cell.value)
    put(ws, 7, activity(d("2026-12-20"), "大行动", 2, 序号=2))
    put(ws, 8, {"序号": 3, "内容摘要": "整理活动照片"})
    ws["A9"] = "备注：以上活动均有照片存档"
    wb.save(ledger)

    book = report(box, tmp_path / "out", "2027-01-12").written.workbook
    problems = [(p["单元格"], p["等级"], p["问题"], p["建议"]) for p in read_sheet(book, "数据问题")
                if p["单位名称"] == "荷花村"]
    assert problems == [
        ("A5", "警告", note("以下为第二阶段活动"), NOTE_HINT),
        ("B8", "错误", "“活动日期”未填写，此条记录不计入统计", "请填写如 2026-12-03 的日期"),
        ("C8", "错误", "“活动类型”未填写，此条记录不计入统计", "请选择“大讨论”或“大行动”"),
        ("D8", "错误", "“子主题”未填写，此条记录不计入统计", "请从下拉列表选择子主题，如“1-转作风、见行动、促创建”"),
        ("G8", "错误", "“参加人数”未填写，此条记录不计入统计", "请填写数字，如 30"),
        ("A9", "警告", note("备注：以上活动均有照片存档"), NOTE_HINT),
    ]
    progress = next(r for r in read_sheet(book, "单位进度") if r["单位名称"] == "荷花村")
    assert (progress["大讨论次数"], progress["大行动次数"], progress["参与人次"]) == (1, 1, 60)
    listed = [(r["行号"], r["计入统计"]) for r in read_sheet(book, "活动明细") if r["单位名称"] == "荷花村"]
    assert listed == [(4, "是"), (7, "是"), (8, "否")]


def test_a_repeated_header_in_the_problems_table_is_no_problem_found(tmp_path: Path) -> None:
    """问题整改's header again at row 5 was read as a problem “问题描述” (counted in 查摆问题数, with 警告s for
    its 整改时限 and 整改状态), and a merged note at row 7 as one more; 2 problems were found, not 4."""
    box = tmp_path / "inbox"
    ledger = write_ledger(box / "柳林村.xlsx", unit="柳林村", filed=d("2027-01-10"),
                          activities=[activity(d("2026-12-01"))],
                          problems=[problem(d("2027-01-30"), found=d("2026-12-01"))])
    wb = openpyxl.load_workbook(ledger)
    ws = wb["问题整改"]
    for cell in ws[2]:
        ws.cell(row=5, column=cell.column, value=cell.value)
    put(ws, 6, problem(d("2027-01-30"), found=d("2026-12-20"), 序号=2, 问题描述="广告乱贴"))
    ws["A7"] = "以上为12月查摆的问题"
    ws.merge_cells("A7:J7")
    wb.save(ledger)

    book = report(box, tmp_path / "out", "2027-01-12").written.workbook
    problems = [(p["工作表"], p["单元格"], p["等级"], p["问题"]) for p in read_sheet(book, "数据问题")
                if p["单位名称"] == "柳林村"]
    assert problems == [("问题整改", "A7", "警告", note("以上为12月查摆的问题"))]
    progress = next(r for r in read_sheet(book, "单位进度") if r["单位名称"] == "柳林村")
    assert progress["查摆问题数"] == 2
    assert [r["问题描述"] for r in read_sheet(book, "问题整改") if r["单位名称"] == "柳林村"] == ["村部周边乱堆乱放", "广告乱贴"]


def test_one_problem_typed_alone_in_a_layout_without_serial_is_a_record(tmp_path: Path) -> None:
    """A unit's own 问题整改 layout without 序号, 发现日期 and 关联活动序号 (SPEC §3 reads reordered and dropped
    columns) puts 问题描述 in column A; a problem typed there alone, its measures not decided yet, is a problem found
    (查摆问题数 2) with its missing cells told, never a note skipped with a 警告 (a reviewer's repro)."""
    box = tmp_path / "inbox"
    ledger = write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2027-01-10"),
                          activities=[activity(d("2026-12-01"))], problems=[problem(d("2027-01-31"))])
    wb = openpyxl.load_workbook(ledger)
    ws = wb["问题整改"]
    ws.delete_cols(1, 3)
    ws.delete_rows(3)   # the template's 示例 row, which its 序号 cell marked
    row = ws.max_row + 1
    ws.cell(row=row, column=1, value="村部周边乱堆乱放现象严重")
    wb.save(ledger)
    result = report(box, tmp_path / "out", "2027-01-12")
    problems = [(r["单元格"], r["问题"]) for r in read_sheet(result.written.workbook, "数据问题")
                if r["单位名称"] == "荷花村" and r["工作表"] == "问题整改"]
    assert problems and not [p for p in problems if "说明文字" in str(p[1])]
    assert all(cell.endswith(str(row)) for cell, _ in problems)   # each told at that row
    progress = next(r for r in read_sheet(result.written.workbook, "单位进度") if r["单位名称"] == "荷花村")
    assert progress["查摆问题数"] == 2
    gaps = [g["差距说明"] for g in read_sheet(result.written.workbook, "差距清单") if g["规则"] == "R4 查摆整改"
            and g["单位名称"] == "荷花村"]
    assert any(f"第{row}行" in str(g) for g in gaps)   # R4(b): its 整改措施, 责任人 and 整改时限 are still owed
