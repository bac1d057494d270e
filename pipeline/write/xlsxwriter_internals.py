"""Everything the workbook writers rely on in xlsxwriter beyond its documented API, in one place.

pipeline.write.sheetxml renders the large tables' rows itself and splices them into the package xlsxwriter
wrote around them. That relies on exactly these behaviours of xlsxwriter (3.x):

1. Style numbers: the private `Format._get_xf_index()` gives a format the number cells refer to it by (its
   place in the styles part's <cellXfs>) before any cell uses it, and xlsxwriter keeps that number and lists
   the format there when the workbook closes. The undocumented attributes `Format.num_format`,
   `.quote_prefix` and `.text_wrap` say what a format was set to (read only to check this).
2. Worksheet parts: the rows xlsxwriter wrote for a sheet (its header row) lie inside the part's one
   <sheetData>, closed by the part's only "</sheetData>", all above the rows spliced in after them (a sheet
   without cells has one empty `<sheetData/>` instead); the sheet's extent is the part's one
   `<dimension ref="…"/>`; its footer is the one `<oddFooter>` element, holding the footer's codes XML-escaped.
   A sheet without protection, filter or merged cells has nothing between "</sheetData>" and where its
   <mergeCells> go (OOXML's order), so merged ranges are put right after it.
3. Rich text: `write_string` copies text that starts with "<r>" and ends with "</r>" into the file as raw
   rich-text XML (as its write_rich_string does); `literal_text` wraps such unit text so it stays text.

1 and 2 are checked on every splice (and on every stencil, pipeline.write.stencil): a mismatch raises PackageMismatch, an internal error, so a new
xlsxwriter that behaves otherwise stops the run instead of restyling or dropping rows;
tests/test_xlsxwriter_internals.py compares them with what xlsxwriter writes itself. 3 is checked by
tests/test_sheetxml.py. Not assumed: which part holds which sheet. xlsxwriter happens to write the N-th
worksheet added as xl/worksheets/sheetN.xml; `locate` reads each sheet's part from the package's own
workbook part and relationships instead, as OOXML defines them.
"""

import html
import posixpath
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_SHEET_DATA_END = "</sheetData>"
_NO_SHEET_DATA = "<sheetData/>"
_DIMENSION = re.compile(r'<dimension ref="[^"]*"/>')
_ROW_START = '<row r="'
_BUILT_IN_FORMATS = 164
"""numFmtId below this is one of Excel's built-in number formats (0 is General); the styles part lists the rest."""


class PackageMismatch(RuntimeError):
    """The package xlsxwriter wrote is not what this module relies on (a new xlsxwriter version?)."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"internal: xlsxwriter {xlsxwriter.__version__} did not write what "
                         f"pipeline.write.xlsxwriter_internals relies on: {detail}; refusing to write the workbook")


def style_number(fmt: Format) -> int:
    """The number cells refer to `fmt` by. Asked before any cell uses the format, this reserves the very
    number xlsxwriter's own cells would get, so its styles part lists every format spliced rows refer to."""
    try:
        return int(fmt._get_xf_index())
    except AttributeError as exc:
        raise PackageMismatch("Format._get_xf_index() is gone") from exc


def literal_text(value: str) -> str:
    """`value` as write_string must be given it to show exactly as typed (see 3 above)."""
    if value.startswith("<r>") and value.endswith("</r>"):
        return f'<r><t xml:space="preserve">{html.escape(value, quote=False)}</t></r>'
    return value


@dataclass(frozen=True)
class Parts:
    """Where a package keeps its worksheets (by sheet name) and its styles, as its relationships say."""

    worksheets: Mapping[str, str]
    styles: str


def locate(package: zipfile.ZipFile) -> Parts:
    """The parts of an xlsx package, found the OOXML way: root relationships → workbook part → its relationships."""
    found = _related(package, "", "officeDocument")
    if len(found) != 1:
        raise PackageMismatch(f"{len(found)} workbook parts")
    workbook = found[0]
    folder = posixpath.dirname(workbook)
    rels = _relationships(package, workbook)
    root = _parse(package, workbook)
    sheets: dict[str, str] = {}
    for sheet in root.iter(f"{_MAIN}sheet"):
        target = rels.get(sheet.get(f"{_DOC_RELS}id", ""))
        if target is not None and target[0] == "worksheet":
            sheets[sheet.get("name", "")] = _resolve(folder, target[1])
    styles = [_resolve(folder, path) for kind, path in rels.values() if kind == "styles"]
    if len(styles) != 1:
        raise PackageMismatch(f"{len(styles)} styles parts")
    return Parts(worksheets=sheets, styles=styles[0])


def check_styles(styles_part: bytes, reserved: Mapping[int, Format]) -> None:
    """Each reserved style number must name, in the written styles part, a style with its format's number
    format, quote prefix and wrapping: otherwise the spliced cells would silently show other formats.
    (A reserved format's number format is General or one the styles part lists, as DATE_FORMAT is.)"""
    root = ElementTree.fromstring(styles_part)
    codes = {int(f.get("numFmtId", "-1")): f.get("formatCode") for f in root.iter(f"{_MAIN}numFmt")}
    cell_xfs = root.find(f"{_MAIN}cellXfs")
    xfs = [] if cell_xfs is None else list(cell_xfs.iter(f"{_MAIN}xf"))
    for number, fmt in reserved.items():
        if not 0 <= number < len(xfs):
            raise PackageMismatch(f"style {number} reserved but the styles part lists {len(xfs)}")
        xf = xfs[number]
        alignment = xf.find(f"{_MAIN}alignment")
        format_id = int(xf.get("numFmtId", "0"))
        written = (codes.get(format_id) if format_id >= _BUILT_IN_FORMATS else format_id,
                   xf.get("quotePrefix") == "1", alignment is not None and alignment.get("wrapText") == "1")
        try:
            wanted = (fmt.num_format if fmt.num_format != "General" else 0, bool(fmt.quote_prefix),
                      bool(fmt.text_wrap))
        except AttributeError as exc:
            raise PackageMismatch(f"Format has no {exc.name}") from exc
        if written != wanted:
            raise PackageMismatch(f"style {number} is {written} (number format, quote prefix, wrap), not {wanted}")


def open_rows(sheet_part: str, *, last_row: int, last_col: int, written: int = 1) -> tuple[str, str]:
    """A worksheet part xlsxwriter wrote with `written` rows (1: the header row; 0: no cells at all), cut where
    the rows below them go: the text before (its dimension set to reach cell `last_row`, `last_col`, 0-based,
    when there are such rows) and after."""
    ends, empty = sheet_part.count(_SHEET_DATA_END), sheet_part.count(_NO_SHEET_DATA)
    if written == 0 and (ends, empty) == (0, 1):
        sheet_part = sheet_part.replace(_NO_SHEET_DATA, f"<sheetData>{_SHEET_DATA_END}")
    elif (ends, empty) != (1, 0):
        raise PackageMismatch(f'"{_SHEET_DATA_END}" occurs {ends} times and "{_NO_SHEET_DATA}" {empty} times '
                              f"in a worksheet with {written} rows")
    head, end, tail = sheet_part.partition(_SHEET_DATA_END)
    last = head.rfind(_ROW_START)
    found = head[last + len(_ROW_START):].partition('"')[0] if last >= 0 else "0"
    if found != str(written):
        raise PackageMismatch(f"a worksheet ends at row {found} where the spliced rows go after row {written}")
    if last_row > 0:
        ref = f"A1:{xl_col_to_name(last_col)}{last_row + 1}"
        head, dimensions = _DIMENSION.subn(f'<dimension ref="{ref}"/>', head)
        if dimensions != 1:
            raise PackageMismatch(f"{dimensions} dimension elements in a worksheet")
    return head, end + tail


def replace_footer(tail: str, *, was: str, now: str) -> str:
    """`tail` of a worksheet part (from open_rows) with its footer `was` (Excel's codes, as set_footer was
    given them) replaced by `now`."""
    old = f"<oddFooter>{html.escape(was, quote=False)}</oddFooter>"
    found = tail.count(old)
    if found != 1 or tail.count("<oddFooter>") != 1:
        raise PackageMismatch(f"the footer {old!r} occurs {found} times in a worksheet")
    return tail.replace(old, f"<oddFooter>{html.escape(now, quote=False)}</oddFooter>")


def _parse(package: zipfile.ZipFile, part: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(package.read(part))
    except KeyError as exc:
        raise PackageMismatch(f"part {part} is missing") from exc


def _relationships(package: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (kind, target) of a part; kind is the last segment of the relationship type."""
    folder, name = posixpath.split(part)
    root = _parse(package, posixpath.join(folder, "_rels", f"{name}.rels"))
    return {r.get("Id", ""): (r.get("Type", "").rpartition("/")[2], r.get("Target", ""))
            for r in root.iter(f"{_PACKAGE_RELS}Relationship")}


def _related(package: zipfile.ZipFile, part: str, kind: str) -> list[str]:
    folder = posixpath.dirname(part)
    return [_resolve(folder, target) for k, target in _relationships(package, part).values() if k == kind]


def _resolve(folder: str, target: str) -> str:
    """A relationship target as a zip member name (targets are relative to the source part, or absolute)."""
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))


_BEFORE_MERGES = ("<sheetCalcPr", "<sheetProtection", "<protectedRanges", "<scenarios", "<autoFilter", "<sortState",
                  "<dataConsolidate", "<customSheetViews", "<mergeCells")
"""What OOXML puts between <sheetData> and <mergeCells>, or is <mergeCells> itself."""


def add_merges(tail: str, ranges: Sequence[str]) -> str:
    """`tail` of a worksheet part (from open_rows) with the merged `ranges` (A1 references: "E12:F12") in place."""
    if not ranges:
        return tail
    if not tail.startswith(_SHEET_DATA_END) or any(tag in tail for tag in _BEFORE_MERGES):
        raise PackageMismatch("a worksheet has elements between its rows and where merged cells go")
    merges = "".join(f'<mergeCell ref="{ref}"/>' for ref in ranges)
    return f'{_SHEET_DATA_END}<mergeCells count="{len(ranges)}">{merges}</mergeCells>{tail[len(_SHEET_DATA_END):]}'

