"""A sheet written through a Grid into a stencil reads back as the same calls on xlsxwriter's own Worksheet do:
the same values, types, fonts, fills, borders, alignment, row heights, widths and print setup."""

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import python_calamine as calamine
from xlsxwriter.utility import xl_col_to_name

from pipeline.write.stencil import Grid, Stencil
from pipeline.write.xlsx import Cells, Styles, footer_code, open_workbook, print_setup, write_cell
from pipeline.write.xlsxwriter_internals import PackageMismatch, style_number
from tests.test_sheetxml import TRICKY

SHEET = "清单"
FOOTER = "荷花村 整改清单 & <附> 截至 2027-01-12"


def _formats(styles: Styles) -> tuple[Any, ...]:
    return (styles.title, styles.label, styles.text, styles.right, styles.date, styles.number, styles.bold,
            styles.header, styles.wrap, styles.quoted)


def _layout(ws: Any, footer: str) -> None:
    ws.set_column(0, 0, 13)
    ws.set_column(1, 30, 20)
    print_setup(ws, footer=footer, header_row=None)
    ws.set_margins(left=0.4, right=0.4, top=0.4, bottom=0.5)


def _cells(ws: Cells, styles: Styles) -> None:
    """Every kind of cell a gap list has: each format, typed values, blanks with and without a format, tall rows."""
    ws.write_string(0, 0, "荷花村 整改清单（截至 2027-01-12）", styles.title)
    for col, fmt in enumerate(_formats(styles)):
        ws.write_string(1, col, f"格式{col}", fmt)
        ws.write_blank(2, col, None, fmt)
    ws.write_blank(2, len(_formats(styles)), None)
    ws.write_string(3, 0, "", styles.header)
    for col, value in enumerate(TRICKY):
        write_cell(ws, 4, col, value, styles)
        write_cell(ws, 6, col, value, styles, styles.wrap)
    ws.set_row(4, 45)
    ws.set_row(8, 30)
    ws.merge_range(10, 1, 10, 3, "", styles.wrap)  # blank first, then written over, as write_rows merges a cell
    write_cell(ws, 10, 1, "跨三列的长文件名.xlsx", styles, styles.wrap)
    ws.merge_range(11, 0, 12, 1, "", styles.header)
    ws.write_datetime(9, 0, dt.datetime(2027, 1, 12, 18), styles.date)


def _by_xlsxwriter(path: Path) -> Path:
    workbook = open_workbook(path, created=dt.date(2027, 1, 12), default_font="Arial")
    styles = Styles(workbook)
    ws = workbook.add_worksheet(SHEET)
    _layout(ws, FOOTER)
    _cells(ws, styles)
    workbook.close()
    return path


def _stencil(footer: str = SHEET, *, said: str | None = None) -> tuple[Stencil, Styles]:
    """A stencil made as the gap lists' is; `said` is the footer the stencil is told the chrome has."""
    chrome = io.BytesIO()
    workbook = open_workbook(chrome, created=dt.date(2027, 1, 12), default_font="Arial")
    styles = Styles(workbook)
    numbers = {style_number(fmt): fmt for fmt in _formats(styles)}
    _layout(workbook.add_worksheet(SHEET), footer)
    workbook.close()
    told = footer_code(footer if said is None else said)
    return Stencil(chrome.getvalue(), sheet=SHEET, footer=told, styles=numbers), styles


def _by_stencil(path: Path) -> Path:
    stencil, styles = _stencil()
    grid = Grid(stencil.numbers)
    _cells(grid, styles)
    stencil.write(path, grid, footer=footer_code(FOOTER))
    return path


def _value(values: list[list[Any]], row: int, col: int) -> Any:
    """calamine leaves out the blank rows and columns at a sheet's end (merged cells' formatted blanks)."""
    return values[row][col] if row < len(values) and col < len(values[row]) else ""


def _read(path: Path) -> dict[str, Any]:
    """What a user sees of the sheet. Values as calamine reads them: openpyxl leaves the escape of a literal
    "_x0041_" in inline text undone (calamine and LibreOffice undo it and show the text as typed)."""
    book = openpyxl.load_workbook(path)
    ws = book[SHEET]
    values = calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET).to_python()
    cells: dict[str, tuple[Any, ...]] = {}
    for row in ws.iter_rows():
        for c in row:
            if c.value is not None or c.has_style:
                cells[c.coordinate] = (_value(values, c.row - 1, c.column - 1), c.data_type, c.number_format, c.quotePrefix, repr(c.font),
                                       repr(c.fill), repr(c.border), repr(c.alignment))
    setup = ws.page_setup
    return {"sheets": book.sheetnames, "cells": cells, "dimensions": ws.dimensions,
            "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height is not None},
            "widths": {k: d.width for k, d in ws.column_dimensions.items()}, "setup": (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight),
            "merged": sorted(str(r) for r in ws.merged_cells.ranges), "fit": ws.sheet_properties.pageSetUpPr.fitToPage, "margins": repr(ws.page_margins),
            "footer": (ws.oddFooter.left.text, ws.oddFooter.right.text),
            "properties": (book.properties.creator, book.properties.created)}


def test_a_grid_in_a_stencil_reads_back_as_xlsxwriter_writes_the_same_cells(tmp_path: Path) -> None:
    ours, theirs = _read(_by_stencil(tmp_path / "ours.xlsx")), _read(_by_xlsxwriter(tmp_path / "theirs.xlsx"))
    assert ours == theirs
    markup = f"{xl_col_to_name(TRICKY.index('<r><t>注入</t></r>'))}5"
    assert ours["cells"][markup][:2] == ("<r><t>注入</t></r>", "s")  # unit text that looks like markup stays text
    # the unit's footer in place of the chrome's, its & written as Excel's code && (openpyxl shows the codes)
    assert ours["footer"] == ("荷花村 整改清单 && <附> 截至 2027-01-12", "第 &P 页 共 &N 页")
    assert ours["heights"] == {5: 45, 9: 30}  # the two set_row calls (rows 4 and 8, 0-based)
    assert ours["merged"] == ["A12:B13", "B11:D11"]
    assert ours["cells"]["B11"][0] == "跨三列的长文件名.xlsx" and "wrapText=True" in ours["cells"]["B11"][7]


def test_every_unit_gets_a_whole_package_of_its_own(tmp_path: Path) -> None:
    stencil, styles = _stencil()
    for name in ("甲村", "乙村"):
        grid = Grid(stencil.numbers)
        grid.write_string(0, 0, name, styles.title)
        stencil.write(tmp_path / f"{name}.xlsx", grid, footer=footer_code(name))
    for name in ("甲村", "乙村"):
        with zipfile.ZipFile(tmp_path / f"{name}.xlsx") as archive:
            assert archive.testzip() is None
        ws = openpyxl.load_workbook(tmp_path / f"{name}.xlsx")[SHEET]
        assert (ws["A1"].value, ws.oddFooter.left.text, ws.dimensions) == (name, name, "A1:A1")


def test_a_format_the_stencil_does_not_list_is_refused() -> None:
    stencil, styles = _stencil()
    with pytest.raises(ValueError, match="does not list"):
        Grid(stencil.numbers).write_string(0, 0, "大", styles.big)


@pytest.mark.parametrize("footer", ["另一个页脚", "清单 & 附"])
def test_a_chrome_whose_footer_is_not_the_one_given_is_refused(footer: str) -> None:
    with pytest.raises(PackageMismatch, match="footer"):
        _stencil(footer=footer, said=SHEET)


def test_merged_cells_go_only_where_the_sheet_has_nothing_before_them(tmp_path: Path) -> None:
    stencil, styles = _stencil()
    grid = Grid(stencil.numbers)
    grid.merge_range(0, 0, 0, 1, "", styles.text)
    sheet = stencil._sheet
    stencil._sheet = sheet.replace("<sheetData/>", '<sheetData/><autoFilter ref="A1:B1"/>')  # as a filter puts it
    with pytest.raises(PackageMismatch, match="merged cells"):
        stencil.write(tmp_path / "x.xlsx", grid, footer=footer_code(SHEET))

