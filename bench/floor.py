"""The true floor: the cheapest way this machine does the pipeline's unavoidable work, and nothing else.

A pool of reading processes (one per core) reads every cell of every ledger with python-calamine and renders,
from those cells, as many cells as each sheet of the pipeline's supervision workbook holds, as raw sheet XML
rows; the main process deflates them as they arrive (at the level pipeline/write/sheetxml.py deflates its sheets with), each
sheet into a temporary file, and joins those into one workbook file at the end. Each reading process also
writes the gap lists of its ledgers' units, each a small workbook with as many cells as the pipeline's gap
list for that unit holds. No validation, no rules, no styles beyond a date format: rows stream from the
readers into the zip, a few batches in flight, so memory stays flat whatever N is.

The shape to write (`Shape`: each sheet's rows and non-empty cells, and each unit's gap-list cells) is read
once from the pipeline's own outputs (`shape_of`); the cells themselves come from the ledgers: a detail
sheet's from the matching ledger sheet's cells (its header row too), every other sheet's from all the
ledger's cells, taken in order and repeated as needed.
"""

import datetime as dt
import json
import os
import struct
import sys
import tempfile
import zipfile
import zlib
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import python_calamine as calamine

DEFLATE_LEVEL = 3
"""pipeline.write.sheetxml.DEFLATE_LEVEL, the same compression (not imported: the floor does not pay for
importing the pipeline; tests/test_bench.py holds the two equal)."""

SOURCES = {"活动明细": "活动台账", "问题整改": "问题整改", "宣传报道": "宣传报道"}
"""Sheets of the supervision workbook whose cells come from one ledger sheet's (the rest from all its sheets')."""
INFO_SHEET = "基本信息"
BATCH = 8
"""Ledgers per task: small enough that both cores finish together, large enough to keep pickling cheap."""

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_PKG = "http://schemas.openxmlformats.org/package/2006"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS} {_RNS}><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"
STYLES = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet {_NS}><numFmts count="1">'
          '<numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts><fonts count="1"><font><sz val="11"/>'
          '<name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill>'
          '</fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
          '<cellXfs count="2"><xf/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>')
_EPOCH = dt.date(1899, 12, 30).toordinal()


@dataclass(frozen=True)
class Shape:
    """What the pipeline wrote: (sheet, rows, non-empty cells) in sheet order, and unit → gap-list cells."""

    sheets: tuple[tuple[str, int, int], ...]
    gap_lists: dict[str, int]

    def dump(self, path: Path) -> None:
        path.write_text(json.dumps({"sheets": self.sheets, "gap_lists": self.gap_lists}, ensure_ascii=False),
                        encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "Shape":
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls(sheets=tuple((s, r, c) for s, r, c in raw["sheets"]), gap_lists=raw["gap_lists"])


def _count(path: Path) -> list[tuple[str, int, int]]:
    book = calamine.CalamineWorkbook.from_path(str(path))
    counts = []
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python()
        filled = [sum(1 for v in row if v != "") for row in rows]
        counts.append((name, sum(1 for f in filled if f), sum(filled)))
    return counts


def shape_of(workbook: Path, gap_folder: Path) -> Shape:
    """The shape of the pipeline's supervision workbook and gap lists (a gap list is named after its unit)."""
    gap_lists = {p.stem: sum(c for _, _, c in _count(p)) for p in sorted(gap_folder.glob("*.xlsx"))}
    return Shape(sheets=tuple(_count(workbook)), gap_lists=gap_lists)


def share(total: int, index: int, parts: int) -> tuple[int, int]:
    """(start, size) of part `index` when `total` items are dealt to `parts` parts as evenly as possible."""
    start = total * index // parts
    return start, total * (index + 1) // parts - start


def _column(col: int) -> str:
    name = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        name = chr(65 + rest) + name
    return name


_COLUMNS = [_column(c) for c in range(64)]


def cell_rest(value: Any) -> str:
    """A cell of sheet XML after its reference: text inline, numbers as numbers, dates as day numbers in the
    date style (each value is rendered once, then placed wherever it is used)."""
    if isinstance(value, str):
        if "&" in value or "<" in value or ">" in value:
            value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f'" t="inlineStr"><is><t>{value}</t></is></c>'
    if isinstance(value, bool):
        return f'" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'"><v>{value:.16G}</v></c>'
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return f'" s="1"><v>{day.toordinal() - _EPOCH}</v></c>'
    return f'" t="inlineStr"><is><t>{value}</t></is></c>'


def rows_xml(values: Sequence[Any], *, first_row: int, rows: int, of_rows: int, of_cells: int) -> str:
    """Rows `first_row` … `first_row + rows - 1` (0-based) of a sheet whose `of_rows` rows hold `of_cells`
    cells dealt evenly over them, the cells taken from `values` in order (repeated as needed)."""
    start, _ = share(of_cells, first_row, of_rows)
    end, _ = share(of_cells, first_row + rows, of_rows)
    rendered = [cell_rest(v) for v in values]
    pool = rendered * -(-(end - start) // len(rendered))
    out, taken = [], 0
    for k in range(first_row, first_row + rows):
        _, width = share(of_cells, k, of_rows)
        number = str(k + 1)
        cells = [f'<c r="{col}{number}{rest}'
                 for col, rest in zip(_COLUMNS[:width], pool[taken:taken + width], strict=True)]
        taken += width
        out.append(f'<row r="{number}">{"".join(cells)}</row>')
    return "".join(out)


def _filled(rows: list[list[Any]]) -> list[Any]:
    return [v for row in rows for v in row if v != ""]


_job: tuple[Shape, int, Path] | None = None


def _init(shape: Shape, ledgers: int, gap_folder: Path) -> None:
    global _job
    _job = (shape, ledgers, gap_folder)


def _read_batch(batch: list[tuple[int, str]]) -> list[bytes]:
    """Each sheet's rows from these ledgers (in sheet order, UTF-8), gap lists written on the way."""
    assert _job is not None
    shape, ledgers, gap_folder = _job
    parts: list[list[str]] = [[] for _ in shape.sheets]
    for index, path in batch:
        book = calamine.CalamineWorkbook.from_path(path)
        sheets = {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}
        everything = _filled([row for rows in sheets.values() for row in rows]) or [""]
        for at, (name, rows, cells) in enumerate(shape.sheets):
            first, count = share(rows, index, ledgers)
            source = SOURCES.get(name)
            values = (_filled(sheets[source]) if source in sheets else []) or everything
            parts[at].append(rows_xml(values, first_row=first, rows=count, of_rows=rows, of_cells=cells))
        info = sheets.get(INFO_SHEET, [])
        unit = info[0][1] if info and len(info[0]) > 1 else ""
        if isinstance(unit, str) and unit in shape.gap_lists:
            cells = shape.gap_lists[unit]
            lines = -(-cells // 6)
            write_small_book(gap_folder / f"{unit}.xlsx", "整改清单",
                             rows_xml(everything, first_row=0, rows=lines, of_rows=lines, of_cells=cells))
    return ["".join(p).encode("utf-8") for p in parts]


def _package(sheets: Sequence[str]) -> list[tuple[str, bytes]]:
    """The parts around the sheets that make the zip a workbook a spreadsheet program opens."""
    overrides = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.'
                        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, len(sheets) + 1))
    types = (f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_PKG}/content-types"><Default Extension="rels" '
             'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
             'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
             'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" '
             'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
             f"{overrides}</Types>")
    rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}/relationships"><Relationship '
            f'Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    entries = "".join(f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>' for i, name in enumerate(sheets, 1))
    book = f'<?xml version="1.0" encoding="UTF-8"?><workbook {_NS} {_RNS}><sheets>{entries}</sheets></workbook>'
    links = "".join(f'<Relationship Id="rId{i}" Type="{_DOC}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                    for i in range(1, len(sheets) + 1))
    book_rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG}/relationships">{links}'
                 f'<Relationship Id="rId{len(sheets) + 1}" Type="{_DOC}/styles" Target="styles.xml"/></Relationships>')
    return [("[Content_Types].xml", types.encode()), ("_rels/.rels", rels.encode()),
            ("xl/workbook.xml", book.encode()), ("xl/_rels/workbook.xml.rels", book_rels.encode()),
            ("xl/styles.xml", STYLES.encode())]


def write_small_book(path: Path, sheet: str, rows: str) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in _package([sheet]):
            book.writestr(name, data)
        book.writestr("xl/worksheets/sheet1.xml", f"{SHEET_HEAD}{rows}{SHEET_TAIL}")


class Deflated:
    """One sheet's XML deflated as it arrives into a temporary file (raw deflate, as a zip member holds it)."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.zip = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
        self.crc = self.size = 0

    def write(self, data: bytes) -> None:
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        self.file.write(self.zip.compress(data))

    def close(self) -> None:
        self.file.write(self.zip.flush())


def _zip(target: Path, members: Sequence[tuple[str, Deflated]]) -> None:
    """A zip of already deflated members (zipfile cannot take deflated bytes; below 4 GB, no zip64)."""
    central, offset = [], 0
    with target.open("wb") as out:
        for name, member in members:
            raw = name.encode("utf-8")
            csize = member.file.tell()
            header = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0x800, 8, 0, 0x21, member.crc, csize,
                                 member.size, len(raw), 0)
            out.write(header + raw)
            member.file.seek(0)
            while chunk := member.file.read(1 << 20):
                out.write(chunk)
            central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0x800, 8, 0, 0x21, member.crc, csize,
                                       member.size, len(raw), 0, 0, 0, 0, 0o644 << 16, offset) + raw)
            offset += len(header) + len(raw) + csize
        directory = b"".join(central)
        out.write(directory)
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0))


def _streamed(batches: list[list[tuple[int, str]]], pool: ProcessPoolExecutor, window: int) -> Iterator[list[bytes]]:
    """Batch results in order, at most `window` batches in flight (so memory stays flat)."""
    pending: deque[Future[list[bytes]]] = deque()
    todo = iter(batches)
    while True:
        while len(pending) < window and (batch := next(todo, None)) is not None:
            pending.append(pool.submit(_read_batch, batch))
        if not pending:
            return
        yield pending.popleft().result()


def run(inbox: Path, out: Path, shape: Shape) -> None:
    out.mkdir(parents=True, exist_ok=True)
    gap_folder = out / "整改清单"
    gap_folder.mkdir(exist_ok=True)
    paths = [str(p) for p in sorted(inbox.iterdir())]
    jobs = list(enumerate(paths))
    batches = [jobs[i:i + BATCH] for i in range(0, len(jobs), BATCH)]
    cores = os.cpu_count() or 1
    names = [name for name, _, _ in shape.sheets]
    parts = _package(names)
    with ExitStack() as temporary:
        streams = [Deflated(temporary.enter_context(tempfile.TemporaryFile(dir=out)))
                   for _ in range(len(names) + len(parts))]
        package, sheets = streams[:len(parts)], streams[len(parts):]
        for stream in sheets:
            stream.write(SHEET_HEAD.encode())
        with ProcessPoolExecutor(max_workers=cores, initializer=_init,
                                 initargs=(shape, len(paths), gap_folder)) as pool:
            for rows in _streamed(batches, pool, window=cores * 4):
                for stream, data in zip(sheets, rows, strict=True):
                    stream.write(data)
        for stream in sheets:
            stream.write(SHEET_TAIL.encode())
        for stream, (_, data) in zip(package, parts, strict=True):
            stream.write(data)
        for stream in streams:
            stream.close()
        _zip(out / "floor.xlsx", [(name, s) for (name, _), s in zip(parts, package, strict=True)]
             + [(f"xl/worksheets/sheet{i}.xml", s) for i, s in enumerate(sheets, 1)])


if __name__ == "__main__":
    run(Path(sys.argv[1]), Path(sys.argv[2]), Shape.load(Path(sys.argv[3])))
