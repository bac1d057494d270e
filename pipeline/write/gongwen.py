"""The page and fonts of a township 公文 (GB/T 9704-2012), for the weekly 通报.

A4 with margins 37 / 35 / 28 / 26 mm; title 方正小标宋简体 二号 (22 pt) centred; body 仿宋_GB2312 三号 (16 pt) at a
fixed 28.95 pt line (22 lines a page, 28 characters a line); 一、 headings 黑体, （一） headings 楷体_GB2312; page
numbers `— 1 —` in 宋体 四号 from a PAGE field. Each font is named as the run's East Asian font (w:eastAsia),
which Word and WPS use for Chinese text; where a font is not installed the viewer falls back, the name stays.
"""

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Row
from docx.text.paragraph import Paragraph

from pipeline.config.characters import UNWRITABLE

FONTS = {
    # kind: (East Asian font, size in pt)
    "title": ("方正小标宋简体", 22),
    "heading": ("黑体", 16),
    "subheading": ("楷体_GB2312", 16),
    "body": ("仿宋_GB2312", 16),
    "table": ("仿宋_GB2312", 12),
    "page": ("宋体", 14),
}
LINE = Pt(28.95)
"""22 lines in the 225 mm type area."""
INDENT = Pt(32)
"""Two characters of 三号."""
STYLE_OF = {"title": "title", "heading": "heading", "subheading": "subheading"}
"""A paragraph kind of pipeline.write.bulletin → its style here; every other kind is body text."""


_MARK = "\ue000"
"""The text of each cell of the attachment's one template row, where `save` puts each data row's values (a
private-use character)."""
_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ROW_START = re.compile(rb"<w:tr[ >]")


def _xml_text(value: str) -> bytes:
    """A text node's content as lxml serializes it (and, as lxml does, no text XML cannot hold)."""
    if _SPECIAL.search(value) is None:  # the usual text: nothing to escape
        return value.encode()
    if UNWRITABLE.search(value):
        raise ValueError(f"not XML-compatible text: {value!r}")
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;").encode()


def _filled(xml: bytes, rows: Sequence[Sequence[str]]) -> Iterator[bytes]:
    """document.xml in parts, with its template row (the last `w:tr`, whose cells hold _MARK) replaced by one row
    per values (found from the end: the bulletin's text before the table may hold anything a unit's name holds).
    Row by row, so a county's 15 MB of rows are never held whole."""
    mark = _MARK.encode()
    last = xml.rindex(mark)
    start = [m.start() for m in _ROW_START.finditer(xml, 0, last)][-1]
    end = xml.index(b"</w:tr>", last) + len(b"</w:tr>")
    head, *tails = xml[start:end].split(mark)
    yield xml[:start]
    for values in rows:
        yield head + b"".join(_xml_text(value) + tail for value, tail in zip(values, tails, strict=True))
    yield xml[end:]


def _fonts(element: object, east_asian: str) -> None:
    """Name the font for Chinese (w:eastAsia) and for Latin text and digits alike."""
    r_pr = element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = r_pr.get_or_add_rFonts()
    for attribute in ("w:eastAsia", "w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), east_asian)


def _field_char(kind: str) -> object:
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    return char


ZIP_EARLIEST, ZIP_LATEST = dt.datetime(1980, 1, 1), dt.datetime(2107, 12, 31, 23, 59, 58)
"""The dates a zip part can carry: a report date typed outside them (--as-of 1926-12-20) still gets its bulletin."""


class Gongwen:
    def __init__(self, *, title: str, author: str, created: dt.datetime) -> None:
        self.document = Document()
        props = self.document.core_properties
        props.author, props.title = author, title
        props.created = props.modified = created
        self._stamp = min(max(created, ZIP_EARLIEST), ZIP_LATEST).timetuple()[:6]
        section = self.document.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(28)
        self._rows: Sequence[Sequence[str]] = ()
        """The attachment's data rows, put in as text when the file is saved (see `attachment`)."""
        self._style_ids: dict[str, str] = {}
        """Style ids by kind: python-docx looks a style given by name up by scanning every style, ≈5 ms a call."""
        for kind, (font, size) in FONTS.items():
            style = self.document.styles.add_style(f"cc-{kind}", WD_STYLE_TYPE.PARAGRAPH)
            self._style_ids[kind] = style.style_id
            style.font.size = Pt(size)
            _fonts(style.element, font)
            fmt = style.paragraph_format
            fmt.space_before = fmt.space_after = Pt(0)
            if kind != "page":
                fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
        self._page_numbers(section.footer.paragraphs[0])

    def _page_numbers(self, paragraph: Paragraph) -> None:
        """`— 1 —`, centred: a PAGE field between em dashes."""
        paragraph._p.style = self._style_ids["page"]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run("— ")
        paragraph.add_run()._r.append(_field_char("begin"))
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = " PAGE "
        paragraph.add_run()._r.append(instr)
        paragraph.add_run()._r.append(_field_char("separate"))
        paragraph.add_run("1")
        paragraph.add_run()._r.append(_field_char("end"))
        paragraph.add_run(" —")

    def _paragraph(self, kind: str, text: str = "") -> Paragraph:
        """A paragraph at the end of the body in the style of `kind` (one of FONTS)."""
        p = self.document.add_paragraph(text)
        p._p.style = self._style_ids[kind]
        return p

    def add(self, kind: str, text: str) -> None:
        p = self._paragraph(STYLE_OF.get(kind, "body"), text)
        if kind in ("title", "meta"):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if kind == "title":
            p.paragraph_format.space_after = LINE
        elif kind in ("heading", "subheading", "body", "list"):
            p.paragraph_format.first_line_indent = INDENT

    def attachment(self, *, label: str, title: str, columns: Sequence[str], rows: Sequence[Sequence[str]],
                   widths_mm: Sequence[int]) -> None:
        """附件 on a new page: its label in 黑体 at the left, a centred title, a table in 仿宋 小四 (one attachment a
        document: its data rows are put in as the file is saved, see `save`)."""
        self._paragraph("body").add_run().add_break(WD_BREAK.PAGE)
        self._paragraph("heading", label)
        heading = self._paragraph("title", title)
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        table = self.document.add_table(rows=1, cols=len(columns))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths_mm, strict=True):  # the grid: what LibreOffice lays out by
            column.width = Mm(width)
        style_id = self._style_ids["table"]

        def shape(row: _Row) -> None:
            for cell, width in zip(row.cells, widths_mm, strict=True):
                cell.width = Mm(width)
                cell.paragraphs[0]._p.style = style_id
                cell.paragraphs[0].paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE

        shape(table.rows[0])
        for cell, name in zip(table.rows[0].cells, columns, strict=True):
            cell.paragraphs[0].add_run(name).bold = True
        if not rows:
            return
        # Data rows are one shaped row, serialized once, with each row's text put in as the file is saved:
        # building each through python-docx costs about 3 ms a row, and as lxml elements a county's 10,000 rows
        # take 200 MB.
        template = table.add_row()
        shape(template)
        for cell in template.cells:
            cell.paragraphs[0].add_run()._r.add_t(_MARK).set(qn("xml:space"), "preserve")
        self._rows = rows

    def save(self, path: Path) -> None:
        """Every part dated `created` (python-docx dates them now), so the same report gives the same bytes on any
        day it is run (SPEC §3); the table's rows are put in as document.xml is written."""
        laid_out = io.BytesIO()
        self.document.save(laid_out)
        with zipfile.ZipFile(laid_out) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
            for info in source.infolist():
                data = source.read(info)
                dated = zipfile.ZipInfo(info.filename, self._stamp)
                dated.compress_type, dated.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
                if info.filename != "word/document.xml" or not self._rows:
                    out.writestr(dated, data)
                    continue
                with out.open(dated, "w") as member:
                    for part in _filled(data, self._rows):
                        member.write(part)
