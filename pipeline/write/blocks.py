"""The detail sheets' rows (活动明细, 问题整改, 宣传报道) rendered once per ledger, so a weekly rerun renders again
only the ledgers that changed.

A ledger's rows are kept as rendered, without their row numbers (given as the rows are written), with the values of
the cells that depend on the report date (计入统计 and 不计入原因, 是否超期): a later report takes the rows as they are when
those values are the same, as they are for most rows from week to week, and renders those cells again where they
differ. Otherwise what a ledger's rows render to depends on nothing but its records and this program, so a block is
known by the file its rows were read from (sha256, name as shown: a unit's merged incremental files are a block
each), its unit and table, and the renderer's settings; the caller's store adds the reader's and the program's
fingerprint. A block is used only when it lists the same sheet rows, in the same order, as the records it stands
for; otherwise they are rendered again. Whether a block came from the store or was just rendered, the rows written
are the same bytes (one code path renders both), and every block used is kept for the next run.
"""

import pickle
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter
from typing import Generic, Protocol, TypeVar

from pipeline.write.sheetxml import Encoded, RowWriter
from pipeline.write.xlsx import Cell

Key = tuple[str, ...]
_SOURCE = attrgetter("sheet", "row")
"""An item's (sheet, row): what a block is checked against (in C: a rerun checks 70,000 rows)."""


class _Sourced(Protocol):
    @property
    def sheet(self) -> str: ...

    @property
    def row(self) -> int: ...


T = TypeVar("T", bound=_Sourced)


@dataclass(frozen=True)
class Block:
    """One ledger's rows of one table: the sheet and row each came from; each row as rendered (with its row number
    left open) and its printed lines; where its report-date cells start in it, the values they were rendered from,
    and the lines the row's other cells need. A later report whose report-date values are the same takes the rows
    as they are; a row whose values differ has those cells replaced."""

    sources: tuple[tuple[str, int], ...]
    rows: tuple[Encoded, ...]
    cuts: tuple[int, ...]
    dated: tuple[tuple[Cell, ...], ...]
    lines: tuple[int, ...]


class Blocks(Protocol):
    """Where blocks are kept between runs, as bytes (pipeline.store.blocks); `recall` gives None for a block
    not kept, or not kept whole."""

    def recall(self, key: Key) -> bytes | None: ...

    def keep(self, key: Key, data: bytes) -> None: ...


def _recalled(data: bytes, sources: tuple[tuple[str, int], ...]) -> Block | None:
    """The block kept, if it is one and stands for these rows."""
    try:
        block = pickle.loads(data)
    except Exception:  # whole (its checksum holds) but not a block this program wrote: rendered again
        return None
    return block if isinstance(block, Block) and block.sources == sources else None


@dataclass(frozen=True)
class Detail(Generic[T]):
    """A detail table by ledger: each group's key (None: rendered, never kept) and items in order; `row` gives an
    item's cells, `dated` the `width` cells from column `cut` on that depend on the report date (they equal
    `row(item)[cut:cut + width]`)."""

    groups: Sequence[tuple[Key | None, Sequence[T]]]
    row: Callable[[T], Sequence[Cell]]
    dated: Callable[[T], tuple[Cell, ...]]
    cut: int
    width: int


def prepared_rows(detail: Detail[T], *, writer: RowWriter, blocks: Blocks | None, salt: str) -> Iterator[Encoded]:
    """Every item's row, prepared: the ledger's block recalled (or rendered and kept), its report-date cells
    rendered now (once per distinct value)."""
    return chain.from_iterable(_by_ledger(detail, writer=writer, blocks=blocks, salt=salt))


def _by_ledger(detail: Detail[T], *, writer: RowWriter, blocks: Blocks | None,
               salt: str) -> Iterator[Sequence[Encoded]]:
    dated: dict[tuple[Cell, ...], Encoded] = {}
    cut = detail.cut

    def rendered(values: tuple[Cell, ...]) -> Encoded:
        known = dated.get(values)
        if known is None:
            text, lines = writer.prepare(values, first_col=cut)
            known = dated[values] = text.encode(), lines
        return known

    refs = [ref.encode() for ref in writer.refs]
    for key, items in detail.groups:
        if not items:
            continue
        sources: tuple[tuple[str, int], ...] = tuple(map(_SOURCE, items))
        if blocks is None or key is None:
            yield _render(detail, items, sources, writer=writer, rendered=rendered, refs=refs).rows
            continue
        full = (*key, salt)
        data = blocks.recall(full)
        block = None if data is None else _recalled(data, sources)
        if data is None or block is None:
            block = _render(detail, items, sources, writer=writer, rendered=rendered, refs=refs)
            data = pickle.dumps(block, protocol=pickle.HIGHEST_PROTOCOL)
            rows: Sequence[Encoded] = block.rows
        else:
            rows = _refilled(block, tuple(map(detail.dated, items)), rendered=rendered)
        blocks.keep(full, data)
        yield rows


def _refilled(block: Block, dated: tuple[tuple[Cell, ...], ...], *,
              rendered: Callable[[tuple[Cell, ...]], Encoded]) -> Sequence[Encoded]:
    """A recalled block's rows with this report's report-date cells: as kept when their values are the same (the
    usual week: the rows were all before both report dates), else those rows' cells rendered again."""
    if dated == block.dated:
        return block.rows
    rows = list(block.rows)
    for i, (now, was) in enumerate(zip(dated, block.dated, strict=True)):
        if now != was:
            data, start = rows[i][0], block.cuts[i]
            cells, more = rendered(now)
            rows[i] = (data[:start] + cells + data[start + len(rendered(was)[0]):],
                       block.lines[i] if block.lines[i] >= more else more)
    return rows


def _render(detail: Detail[T], items: Sequence[T], sources: tuple[tuple[str, int], ...], *, writer: RowWriter,
            rendered: Callable[[tuple[Cell, ...]], Encoded], refs: Sequence[bytes]) -> Block:
    """A ledger's block, each row rendered whole, once; its report-date cells are found by their cell references,
    which no text can hold."""
    cut, end = detail.cut, detail.cut + detail.width
    rows, cuts, dated, lines = [], [], [], []
    for item in items:
        values = detail.row(item)
        text, full = writer.prepare(values)
        data = text.encode()
        now = tuple(values[cut:end])
        more = rendered(now)[1]
        start = data.find(refs[cut])
        if start < 0:  # no report-date cell (both empty): what follows starts at the next cell there is
            start = next((at for at in (data.find(ref) for ref in refs[cut + 1:]) if at >= 0), len(data))
        rows.append((data, full))
        cuts.append(start)
        dated.append(now)
        if full > more or full == 1:
            lines.append(full)
        else:  # the report-date cells need as many lines as the row: what do the others need?
            lines.append(max(writer.prepare(values[:cut])[1], writer.prepare(values[end:], first_col=end)[1]))
    return Block(sources=sources, rows=tuple(rows), cuts=tuple(cuts), dated=tuple(dated), lines=tuple(lines))
