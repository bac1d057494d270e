"""One 整改清单 per unit with gaps, data problems or files not used, written for that unit alone.

It is printed and handed over, so it is laid out for one A4 landscape page at nearly full size: the unit's
figures in three short rows, its gaps most urgent first, its data problems in the same columns. The page is
fitted to its width only (about 94 %); a very long list runs on to a second page rather than shrinking.
"""

import io
from pathlib import Path

from pipeline.judge.codes import SelectionCode
from pipeline.judge.report import Report, UnitRow
from pipeline.judge.texts import EARLY_HINT, GONE_HINT, gone_names, undated_filed
from pipeline.model import GAP_LEVELS, FileRecord, Gap
from pipeline.read.refusals import CUT_SHORT
from pipeline.write.stencil import Grid, Stencil
from pipeline.write.xlsx import (
    Cell,
    Cells,
    Styles,
    display_width,
    footer_code,
    open_workbook,
    print_setup,
    safe_filename,
    write_cell,
    write_header,
    write_rows,
)
from pipeline.write.xlsxwriter_internals import style_number

SHEET = "整改清单"

GAP_LIST_COLUMNS = ("规则", "等级", "差距说明", "整改建议", "截止日期", "剩余天数")
UNIT_PROBLEM_COLUMNS = ("位置", "等级", "问题", "建议", "文件", "")
UNUSED_HINT = "按原因更正后重新报送"
RESEND_HINT = "重新报送一次（收到的文件不完整，原文件不必修改）"
PROBLEMS_HEADING = "二、台账填写问题（请按单元格位置修改后重新报送）"
EARLY_HEADING = "二、台账填写问题及未采用的文件（请按各行的“建议”处理）"
"""Beside a file merely sent early (无误则不必重报), gone from the inbox or cut short (send it again): not a heading
that says to correct and resend."""
WIDTHS = (13, 7, 46, 46, 11, 7)
"""Shared by both tables of a gap list: 130 widths of an Arial digit, one A4 landscape page at about 94 %."""
GAP_WRAP = (13, 7, 50, 50, 11, 7)
"""What the columns hold, in widths of a Calibri digit (two per Chinese character) as `write_table` measures
text: an Arial digit is wider, so a text column holds about 25 characters a line."""
PROBLEM_WRAP = (13, 7, 50, 50, 19)
"""The file name is one cell over the last two columns (18 widths of an Arial digit: about 9 Chinese characters
a line) and wraps there: a name as long as WeChat passes them on stays inside the page's table, whole."""
FILE_SPAN = {4: 5}
"""The problem table's 文件 column (E) merged with the empty one after it (F): write_rows' `merged`."""
UNUSED_ROW_WIDTH = 117
"""Room for the received-but-unused files' names after their label (columns B to F): more is told by count."""


def units_needing_lists(report: Report) -> list[UnitRow]:
    """Also a unit whose only news is a file received and not used (one sent early)."""
    return [r for r in report.rows if r.gaps or r.unused or report.problems_of(r.unit.name)]


def by_urgency(gaps: tuple[Gap, ...]) -> list[Gap]:
    """未达标 → 滞后 → 待完成 → 提醒, then the earliest due date first."""
    return sorted(gaps, key=lambda g: (GAP_LEVELS.index(g.level), g.deadline, g.rule))


def _unused_hint(record: FileRecord, row: UnitRow) -> str:
    """What the unit does about a file received and not used: only a wrong one has anything to correct."""
    if record in row.facts.early:
        return EARLY_HINT
    if record.code in CUT_SHORT:
        return RESEND_HINT
    return GONE_HINT if record.code is SelectionCode.GONE_FROM_INBOX else UNUSED_HINT


def _figures(ws: Cells, report: Report, row: UnitRow, styles: Styles, start: int) -> int:
    """The unit's figures as a form: two label / value pairs a row. Returns the next free row."""
    left: list[tuple[str, Cell]] = [("当前状态", row.status), ("大讨论次数", row.facts.discussions),
                                    ("大行动次数", row.facts.actions)]
    filed: Cell = undated_filed(row.last_filed.isoformat(), row.filed_note) if row.last_filed and row.filed_note else row.last_filed
    right: list[tuple[str, Cell]] = [("最近填报日期", filed or "未报送"),
                                     ("活动截止日期", report.campaign.deadline)]
    if not report.campaign.contact_is_placeholder:
        right.append(("联系", report.campaign.contact))
    for offset, (label, value) in enumerate(left):
        ws.write_string(start + offset, 0, label, styles.label)
        write_cell(ws, start + offset, 1, value, styles)
    for offset, (label, value) in enumerate(right):
        ws.write_string(start + offset, 2, f"{label}：", styles.right)
        write_cell(ws, start + offset, 3, value, styles)
    next_row = start + max(len(left), len(right))
    received, gone = row.facts.received, row.facts.gone
    for label, files, names in (("已收到未采用", received, "、".join(f"《{f.file}》" for f in received)),
                                ("已不在收件箱", gone, gone_names(gone))):
        if not files:
            continue
        ws.write_string(next_row, 0, label, styles.label)
        if display_width(names) > UNUSED_ROW_WIDTH:  # each is named in full in the table below, as 整个文件
            names = f"共{len(files)}个文件，各文件名和原因见下面“二、台账填写问题”中的“整个文件”行"
        ws.write_string(next_row, 1, names, styles.text)
        next_row += 1
    return next_row


def _stencil(report: Report) -> tuple[Stencil, Styles]:
    """What every gap list of a run shares, laid out once: widths, print setup, margins and the formats."""
    chrome = io.BytesIO()
    workbook = open_workbook(chrome, created=report.as_of, default_font="Arial")
    styles = Styles(workbook)
    used = (styles.title, styles.label, styles.text, styles.right, styles.date, styles.number, styles.bold,
            styles.header, styles.wrap, styles.quoted)
    numbers = {style_number(fmt): fmt for fmt in used}
    ws = workbook.add_worksheet(SHEET)
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    print_setup(ws, footer=SHEET, header_row=None)
    ws.set_margins(left=0.4, right=0.4, top=0.4, bottom=0.5)
    workbook.close()
    return Stencil(chrome.getvalue(), sheet=SHEET, footer=footer_code(SHEET), styles=numbers), styles


def _cells(report: Report, row: UnitRow, styles: Styles, grid: Grid) -> None:
    grid.write_string(0, 0, f"{row.unit.name} 整改清单（截至 {report.as_of}）", styles.title)
    next_row = _figures(grid, report, row, styles, 1)
    grid.write_string(next_row, 0, "一、差距及整改要求（按紧急程度排列）", styles.bold)
    gaps: list[list[Cell]] = [[g.rule, g.level, g.description, g.suggestion, g.deadline, g.days_left]
                              for g in by_urgency(row.gaps)] or [["", "", "无", "", None, None]]
    write_header(grid, headers=GAP_LIST_COLUMNS, styles=styles, row=next_row + 1)
    next_row = write_rows(grid, rows=gaps, styles=styles, start_row=next_row + 1, limits=GAP_WRAP)
    as_advised = row.facts.early or row.facts.gone or row.facts.only_cut_short   # files with nothing to correct
    grid.write_string(next_row, 0, EARLY_HEADING if as_advised else PROBLEMS_HEADING, styles.bold)
    problems: list[list[Cell]] = [["整个文件", f.result, f.reason, _unused_hint(f, row), f.file] for f in row.unused]
    problems += [[f"{p.sheet} {p.cell}".strip(), p.level, p.message, p.hint, p.file]
                 for p in report.problems_of(row.unit.name)]
    problems = _once_per_file(problems) or [["", "", "无", "", ""]]
    write_header(grid, headers=UNIT_PROBLEM_COLUMNS, styles=styles, row=next_row + 1)
    grid.merge_range(next_row + 1, 4, next_row + 1, 5, "", styles.header)
    grid.write_string(next_row + 1, 4, UNIT_PROBLEM_COLUMNS[4], styles.header)
    write_rows(grid, rows=problems, styles=styles, start_row=next_row + 1, limits=PROBLEM_WRAP, merged=FILE_SPAN)


def _once_per_file(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Each file named in full on its first row, as 同上 on the rows right after it from the same file: a name
    WeChat passed on can take three lines, which every one of that file's rows would otherwise repeat."""
    return [[*row[:4], SAME if i and row[4] and row[4] == rows[i - 1][4] else row[4]] for i, row in enumerate(rows)]


SAME = "同上"


def write_gap_lists(report: Report, folder: Path) -> list[Path]:
    """Gap lists into `folder` (already created and empty); returns the paths written."""
    taken: set[str] = set()
    paths: list[Path] = []
    rows = units_needing_lists(report)
    if not rows:
        return paths
    stencil, styles = _stencil(report)
    for row in rows:
        path = folder / f"{safe_filename(row.unit.name, taken=taken)}.xlsx"
        grid = Grid(stencil.numbers)
        _cells(report, row, styles, grid)
        stencil.write(path, grid, footer=footer_code(f"{row.unit.name} 整改清单　截至 {report.as_of.isoformat()}"))
        paths.append(path)
    return paths
