"""Rows rendered as worksheet XML read back exactly as xlsxwriter's own cells would, with the same formats."""

import datetime as dt
import io
import zipfile
import zlib
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine as calamine
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from pipeline.write.sheetxml import DEFLATE_LEVEL, Body, RowWriter, StyleIds, _compress_aside, splice
from pipeline.write.xlsx import Cell, Styles, open_workbook, write_cell
from tests.ledgers import activity, d, read_sheet, write_ledger
from tests.runs import report

TRICKY: list[Cell] = [
    "普通文字", "  前后有空格  ", "a & b < c > d \"引号\"", "竖排\x0b制表\x01符", "字面 _x0041_ 转义", "换行\n第二行",
    "<r><t>注入</t></r>", "=SUM(A1:A3)", "+86 138", "-3", "@某人", "\t制表开头", "长" * 60, 42, 3.5, -7, True, False,
    dt.date(2026, 12, 3), dt.date(1900, 1, 15), dt.date(1900, 3, 1), None, "", "\ufffe非字符",
]
HEADERS = [f"列{i}" for i in range(len(TRICKY))]


def _spliced(path: Path, rows: list[list[Cell]]) -> Path:
    chrome = io.BytesIO()
    workbook = open_workbook(chrome, created=dt.date(2026, 12, 20))
    styles = Styles(workbook)
    ids = StyleIds.of(styles)
    ws = workbook.add_worksheet("表")
    for col, name in enumerate(HEADERS):
        ws.write_string(0, col, name, styles.header)
    workbook.close()
    writer = RowWriter(ids=ids, limits=[50] * len(HEADERS))
    body = Body(sheet="表", chunks=writer.chunks(map(writer.encode, rows), first_index=1), last_row=len(rows),
                last_col=len(HEADERS) - 1)
    splice(chrome.getvalue(), path, [body], styles=ids.formats(styles))
    return path


def _by_xlsxwriter(path: Path, rows: list[list[Cell]]) -> Path:
    """The same rows through xlsxwriter's own streaming writer (inline strings, as the renderer writes)."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False,
                                               "strings_to_urls": False, "strings_to_numbers": False})
    styles = Styles(workbook)
    ws = workbook.add_worksheet("表")
    for col, name in enumerate(HEADERS):
        ws.write_string(0, col, name, styles.header)
    for r, values in enumerate(rows, start=1):
        for col, value in enumerate(values):
            write_cell(ws, r, col, value, styles)
    workbook.close()
    return path


def _calamine(path: Path) -> list[list[Any]]:
    return calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("表").to_python()


def test_cells_read_back_as_xlsxwriter_cells_do(tmp_path: Path) -> None:
    rows: list[list[Cell]] = [TRICKY, list(reversed(TRICKY)), ["超" * 40_000]]
    ours, theirs = _spliced(tmp_path / "ours.xlsx", rows), _by_xlsxwriter(tmp_path / "theirs.xlsx", rows)
    assert _calamine(ours) == _calamine(theirs)
    mine, reference = openpyxl.load_workbook(ours)["表"], openpyxl.load_workbook(theirs)["表"]
    for row_a, row_b in zip(mine.iter_rows(), reference.iter_rows(), strict=True):
        for a, b in zip(row_a, row_b, strict=True):
            assert (a.value, a.data_type, a.number_format, a.quotePrefix) == (b.value, b.data_type, b.number_format,
                                                                              b.quotePrefix), a.coordinate


def test_values_keep_their_types_and_formats(tmp_path: Path) -> None:
    ws = openpyxl.load_workbook(_spliced(tmp_path / "t.xlsx", [TRICKY, ["长" * 60], ["超" * 40_000]]))["表"]
    cell = {TRICKY.index(value): ws.cell(row=2, column=TRICKY.index(value) + 1) for value in TRICKY}
    for day in (dt.date(2026, 12, 3), dt.date(1900, 1, 15), dt.date(1900, 3, 1)):
        assert cell[TRICKY.index(day)].value == dt.datetime.combine(day, dt.time())
        assert cell[TRICKY.index(day)].number_format == "yyyy-mm-dd"
    assert (cell[TRICKY.index(42)].value, cell[TRICKY.index(42)].data_type) == (42, "n")
    assert (cell[TRICKY.index(3.5)].value, cell[TRICKY.index(-7)].value) == (3.5, -7)
    assert (cell[TRICKY.index(True)].value, cell[TRICKY.index(False)].value) == ("是", "否")
    for text in ("=SUM(A1:A3)", "+86 138", "-3", "@某人", "\t制表开头"):
        found = cell[TRICKY.index(text)]
        assert (found.value, found.data_type, found.quotePrefix) == (text, "s", True)
    # 60 Chinese characters are 120 digit widths: 3 lines of a 50-wide column, 17 points a line
    assert cell[TRICKY.index("长" * 60)].alignment.wrap_text and ws.row_dimensions[3].height == 51
    assert cell[TRICKY.index("  前后有空格  ")].value == "  前后有空格  "
    assert ws["A4"].value == "超" * 32_767  # Excel's limit, as xlsxwriter cuts
    assert ws.row_dimensions[4].height == 409  # Excel's tallest row
    assert ws.max_row == 4 and ws.max_column == len(TRICKY)


def test_text_that_looks_like_cell_markup_stays_text(tmp_path: Path) -> None:
    markup = "<r><t>注入</t></r>"
    assert _calamine(_by_xlsxwriter(tmp_path / "x.xlsx", [[markup, f" {markup}"]]))[1][:2] == [markup, f" {markup}"]
    book = _spliced(tmp_path / "m.xlsx", [[markup, '</t></is></c><c r="Z9"><v>1</v></c>']])
    assert _calamine(book)[1][:2] == [markup, '</t></is></c><c r="Z9"><v>1</v></c>']
    with zipfile.ZipFile(book) as archive:
        assert archive.testzip() is None
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert f'<dimension ref="A1:{xl_col_to_name(len(HEADERS) - 1)}2"/>' in sheet and '<c r="Z9"' not in sheet


def test_every_table_of_the_report_reads_back_whole(tmp_path: Path) -> None:
    """A unit's text that xlsxwriter would paste in as raw XML (`<r>…</r>`) arrives in 活动明细 as typed."""
    markup = "<r><t>注入</t></r>"
    write_ledger(tmp_path / "inbox" / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-05"), 活动主题=markup), activity(d("2026-12-06"), 序号=2)])
    report(tmp_path / "inbox", tmp_path / "out", "2026-12-20")
    rows = read_sheet(tmp_path / "out" / "督查汇总表_2026-12-20.xlsx", "活动明细")
    assert [(r["活动日期"], r["活动主题"]) for r in rows] == [(dt.datetime(2026, 12, 5), markup),
                                                             (dt.datetime(2026, 12, 6), None)]


def test_a_full_disk_while_compressing_is_raised_not_hung() -> None:
    """Compression runs in a second thread; its write error must reach the run (→ 无法写入…), not stall it."""

    class FullDisk(io.RawIOBase):
        written = 0

        def writable(self) -> bool:
            return True

        def write(self, data: Any) -> int:
            if self.written > 1000:
                raise OSError(28, "No space left on device")
            self.written += len(data)
            return len(data)

    with pytest.raises(OSError, match="No space"):
        _compress_aside(FullDisk(), iter([b"x" * 600] * 10_000))


def test_every_part_is_deflated_at_the_workbooks_level_not_zlibs_default(tmp_path: Path) -> None:
    """zipfile deflates a member given as a ZipInfo at zlib's default level unless the ZipInfo says otherwise."""
    path = _spliced(tmp_path / "out.xlsx", [[f"第{i}行", "重复的文字" * (i % 7), i, dt.date(2026, 12, i % 28 + 1)]
                                             for i in range(20_000)])
    with zipfile.ZipFile(path) as book:
        sheet = book.getinfo("xl/worksheets/sheet1.xml")
        data = book.read(sheet)

    def deflated(level: int) -> int:
        packer = zlib.compressobj(level, zlib.DEFLATED, -15)
        return len(packer.compress(data) + packer.flush())

    assert deflated(DEFLATE_LEVEL) != deflated(6)
    assert abs(sheet.compress_size - deflated(DEFLATE_LEVEL)) < abs(sheet.compress_size - deflated(6))
