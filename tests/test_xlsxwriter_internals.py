"""What splicing relies on in xlsxwriter still holds for the installed version, and breaks loudly if not."""

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import pytest

from pipeline.write.sheetxml import Body, StyleIds, splice
from pipeline.write.xlsx import Styles, footer_code, open_workbook
from pipeline.write.xlsxwriter_internals import PackageMismatch, check_styles, locate, open_rows, replace_footer

CREATED = dt.date(2026, 12, 20)


def _package(*, first_rows: int = 1) -> bytes:
    """A small workbook as the supervision workbook's chrome is made: styles reserved, then header rows."""
    chrome = io.BytesIO()
    workbook = open_workbook(chrome, created=CREATED)
    styles = Styles(workbook)
    StyleIds.of(styles)
    ws = workbook.add_worksheet("表")
    for row in range(first_rows):
        ws.write_string(row, 0, "表头", styles.header)
    workbook.close()
    return chrome.getvalue()


def _empty_package() -> tuple[io.BytesIO, Styles, StyleIds]:
    """A workbook with the formats' numbers reserved and one sheet, 表, without cells."""
    chrome = io.BytesIO()
    workbook = open_workbook(chrome, created=CREATED)
    styles = Styles(workbook)
    ids = StyleIds.of(styles)
    workbook.add_worksheet("表")
    workbook.close()
    return chrome, styles, ids


def _members(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_reserved_style_numbers_are_the_ones_xlsxwriter_gives_cells() -> None:
    """xlsxwriter's own cells with the five formats, written first, get the reserved numbers, and its styles
    part is then the same as the one the spliced rows are checked against."""
    reserved = io.BytesIO()
    workbook = open_workbook(reserved, created=CREATED)
    styles = Styles(workbook)
    ids = StyleIds.of(styles)
    workbook.add_worksheet("表").write_string(1, 0, "表头", styles.header)
    workbook.close()

    written = io.BytesIO()
    workbook = open_workbook(written, created=CREATED)
    theirs = Styles(workbook)
    ws = workbook.add_worksheet("表")
    ws.write_string(0, 0, "文字", theirs.text)
    ws.write_string(0, 1, "=1", theirs.quoted)
    ws.write_string(0, 2, "长" * 60, theirs.wrap)
    ws.write_datetime(0, 3, dt.datetime(2026, 12, 3), theirs.date)
    ws.write_number(0, 4, 7, theirs.number)
    ws.write_string(1, 0, "表头", theirs.header)
    workbook.close()

    sheet = _members(written.getvalue())["xl/worksheets/sheet1.xml"].decode("utf-8")
    numbers = dict(re.findall(r'<c r="([A-E])1" s="(\d+)"', sheet))
    assert numbers == {"A": str(ids.text), "B": str(ids.quoted), "C": str(ids.wrap), "D": str(ids.date),
                       "E": str(ids.number)}
    assert _members(reserved.getvalue())["xl/styles.xml"] == _members(written.getvalue())["xl/styles.xml"]


def test_a_reserved_number_naming_another_style_is_refused() -> None:
    chrome, styles, ids = _empty_package()
    part = _members(chrome.getvalue())["xl/styles.xml"]
    check_styles(part, ids.formats(styles))
    for wrong in ({ids.quoted: styles.wrap}, {ids.wrap: styles.text}, {ids.text: styles.date},
                  {ids.number + 1: styles.number}):
        with pytest.raises(PackageMismatch, match="internal: xlsxwriter"):
            check_styles(part, wrong)


def test_each_sheet_is_found_in_the_part_xlsxwriter_wrote_it_to() -> None:
    """Found by name through the package's relationships, whatever xlsxwriter calls the parts (a chart
    sheet among the worksheets shifts its numbering)."""
    chrome = io.BytesIO()
    workbook = open_workbook(chrome, created=CREATED)
    names = ("总览", "活动明细", "活动明细2", "周趋势")
    for i, name in enumerate(names[:2]):
        workbook.add_worksheet(name).write_number(0, 0, 1000 + i)
    chart = workbook.add_chart({"type": "line"})
    chart.add_series({"values": ["总览", 0, 0, 0, 0]})
    workbook.add_chartsheet("图").set_chart(chart)
    for i, name in enumerate(names[2:], start=2):
        workbook.add_worksheet(name).write_number(0, 0, 1000 + i)
    workbook.close()
    members = _members(chrome.getvalue())
    with zipfile.ZipFile(chrome) as archive:
        parts = locate(archive)
    assert set(parts.worksheets) == set(names)
    for i, name in enumerate(names):
        assert f"<v>{1000 + i}</v>" in members[parts.worksheets[name]].decode("utf-8"), name
    assert parts.styles in members


def test_rows_go_after_the_header_row_xlsxwriter_wrote() -> None:
    sheet = _members(_package())["xl/worksheets/sheet1.xml"].decode("utf-8")
    head, tail = open_rows(sheet, last_row=0, last_col=3)
    assert head + tail == sheet
    head, tail = open_rows(sheet, last_row=5, last_col=3)
    assert head.endswith("</row>") and tail.startswith("</sheetData>")
    assert '<dimension ref="A1:D6"/>' in head and head + tail != sheet


@pytest.mark.parametrize("damage", ["twice", "none", "no dimension", "a second row"])
def test_a_worksheet_part_not_as_expected_is_refused(damage: str) -> None:
    part = "xl/worksheets/sheet1.xml"
    sheet = _members(_package(first_rows=2 if damage == "a second row" else 1))[part].decode("utf-8")
    sheet = {"twice": sheet.replace("</sheetData>", "</sheetData></sheetData>"),
             "none": re.sub(r"<sheetData>.*</sheetData>", "<sheetData/>", sheet),
             "no dimension": re.sub(r"<dimension [^>]*/>", "", sheet)}.get(damage, sheet)
    with pytest.raises(PackageMismatch, match="internal: xlsxwriter"):
        open_rows(sheet, last_row=3, last_col=1)


def test_rows_go_into_a_sheet_xlsxwriter_wrote_without_cells() -> None:
    """A gap list's stencil has no cells: xlsxwriter writes one empty <sheetData/>; a row there is refused."""
    empty = _package(first_rows=0)
    sheet = _members(empty)["xl/worksheets/sheet1.xml"].decode("utf-8")
    head, tail = open_rows(sheet, last_row=4, last_col=2, written=0)
    assert head.endswith("<sheetData>") and tail.startswith("</sheetData>") and '<dimension ref="A1:C5"/>' in head
    with pytest.raises(PackageMismatch, match="internal: xlsxwriter"):
        open_rows(sheet, last_row=4, last_col=2)
    with_row = _members(_package())["xl/worksheets/sheet1.xml"].decode("utf-8")
    with pytest.raises(PackageMismatch, match="internal: xlsxwriter"):
        open_rows(with_row, last_row=4, last_col=2, written=0)


@pytest.mark.parametrize("footer", ["荷花村 整改清单　截至 2027-01-12", "A&B <村> \"委\" 'x'"])
def test_the_footer_is_found_where_xlsxwriter_wrote_it(footer: str) -> None:
    chrome = io.BytesIO()
    workbook = open_workbook(chrome, created=CREATED)
    workbook.add_worksheet("表").set_footer(footer_code(footer))
    workbook.close()
    sheet = _members(chrome.getvalue())["xl/worksheets/sheet1.xml"].decode("utf-8")
    _, tail = open_rows(sheet, last_row=0, last_col=0, written=0)
    replaced = replace_footer(tail, was=footer_code(footer), now=footer_code("别的 & 单位"))
    assert "<oddFooter>&amp;L别的 &amp;&amp; 单位&amp;R第 &amp;P 页 共 &amp;N 页</oddFooter>" in replaced
    with pytest.raises(PackageMismatch, match="footer"):
        replace_footer(tail, was=footer_code("另一个"), now=footer_code(footer))


def test_rows_for_a_sheet_the_package_lacks_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    chrome, styles, ids = _empty_package()
    target = tmp_path / "t.xlsx"
    with pytest.raises(PackageMismatch, match="活动明细2"):
        splice(chrome.getvalue(), target, [Body(sheet="活动明细2", chunks=[b"<row/>"], last_row=1, last_col=0)],
               styles=ids.formats(styles))
    assert not target.exists()
