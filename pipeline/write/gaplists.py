"""One 整改清单 per unit with gaps or data problems, written for that unit alone."""

from pathlib import Path

from pipeline.judge.report import Report, UnitRow
from pipeline.write.xlsx import Cell, Styles, open_workbook, print_setup, safe_filename, write_pairs, write_table

GAP_LIST_COLUMNS = ("规则", "等级", "差距说明", "整改建议", "截止日期", "剩余天数")
UNIT_PROBLEM_COLUMNS = ("等级", "位置", "问题", "建议", "文件")
UNUSED_HINT = "按原因更正后重新报送"
WIDTHS = (16, 16, 46, 46, 22, 10)
"""Shared by both tables of a gap list; about one A4 landscape page wide."""


def units_needing_lists(report: Report) -> list[UnitRow]:
    return [r for r in report.rows if r.gaps or report.problems_of(r.unit.name)]


def write_gap_list(report: Report, row: UnitRow, path: Path) -> None:
    workbook = open_workbook(path, created=report.as_of)
    styles = Styles(workbook)
    ws = workbook.add_worksheet("整改清单")
    ws.write_string(0, 0, f"{row.unit.name} 整改清单（截至 {report.as_of}）", styles.title)
    pairs: list[tuple[str, Cell]] = [
        ("当前状态", row.status), ("大讨论次数", row.facts.discussions), ("大行动次数", row.facts.actions),
        ("最近填报日期", row.last_filed or "未报送"), ("活动截止日期", report.campaign.deadline),
        ("联系", report.campaign.contact)]
    if row.unused:
        pairs.insert(4, ("已收到未采用", "、".join(f"《{f.file}》" for f in row.unused)))
    date_rows = {i: styles.date for i, (_, v) in enumerate(pairs) if hasattr(v, "isoformat")}
    next_row = write_pairs(ws, pairs=pairs, styles=styles, start_row=2, fmt=date_rows) + 1
    ws.write_string(next_row, 0, "一、差距及整改要求", styles.bold)
    gaps: list[list[Cell]] = [[g.rule, g.level, g.description, g.suggestion, g.deadline, g.days_left]
                              for g in row.gaps] or [["", "", "无", "", None, None]]
    next_row = write_table(ws, headers=GAP_LIST_COLUMNS, rows=gaps, styles=styles, start_row=next_row + 1,
                           widths=WIDTHS, header_tools=False) + 1
    ws.write_string(next_row, 0, "二、台账填写问题（请按单元格位置修改后重新报送）", styles.bold)
    problems: list[list[Cell]] = [[f.result, "整个文件", f.reason, UNUSED_HINT, f.file] for f in row.unused]
    problems += [[p.level, f"{p.sheet} {p.cell}".strip(), p.message, p.hint, p.file]
                 for p in report.problems_of(row.unit.name)]
    problems = problems or [["", "", "无", "", ""]]
    write_table(ws, headers=UNIT_PROBLEM_COLUMNS, rows=problems, styles=styles, start_row=next_row + 1,
                widths=WIDTHS, header_tools=False)
    print_setup(ws, footer=f"{row.unit.name} 整改清单　截至 {report.as_of.isoformat()}", header_row=None, one_page=True)
    workbook.close()


def write_gap_lists(report: Report, folder: Path) -> list[Path]:
    """Gap lists into `folder` (already created and empty); returns the paths written."""
    taken: set[str] = set()
    paths = []
    for row in units_needing_lists(report):
        path = folder / f"{safe_filename(row.unit.name, taken=taken)}.xlsx"
        write_gap_list(report, row, path)
        paths.append(path)
    return paths
