"""The benchmark's own instruments: the true floor writes exactly the cells it is told to, and the memory
sampler sees the memory of a process's children."""

import random
import sys
from pathlib import Path

import pytest
import python_calamine as calamine

from bench.floor import DEFLATE_LEVEL, Shape, run, share
from bench.generate import write_ledger
from bench.memory import measure
from pipeline.write import sheetxml


def cells_per_sheet(path: Path) -> list[tuple[str, int, int]]:
    book = calamine.CalamineWorkbook.from_path(str(path))
    out = []
    for name in book.sheet_names:
        rows = book.get_sheet_by_name(name).to_python()
        out.append((name, sum(1 for r in rows if any(v != "" for v in r)), sum(v != "" for r in rows for v in r)))
    return out


def test_share_deals_every_item_once() -> None:
    # 10 items over 3 parts: 3, 3, 4 (10*1//3 = 3, 10*2//3 = 6), starting at 0, 3, 6.
    assert [share(10, i, 3) for i in range(3)] == [(0, 3), (3, 3), (6, 4)]


def test_floor_writes_the_shape_it_is_given(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    rng = random.Random(1)
    for i in range(3):
        write_ledger(inbox / f"单位{i:05d}_台账.xlsx", f"单位{i:05d}", i, rng)
    # Three ledgers of 40 activities each: 121 rows holding 1,814 cells (14 or 15 a row); a small sheet of
    # 2 rows (fewer rows than ledgers: one ledger contributes none); gap lists for two of the units.
    shape = Shape(sheets=(("总览", 2, 5), ("活动明细", 121, 1814)), gap_lists={"单位00000": 45, "单位00002": 7})
    run(inbox, tmp_path / "out", shape)
    assert cells_per_sheet(tmp_path / "out" / "floor.xlsx") == [("总览", 2, 5), ("活动明细", 121, 1814)]
    gaps = sorted(p.name for p in (tmp_path / "out" / "整改清单").iterdir())
    assert gaps == ["单位00000.xlsx", "单位00002.xlsx"]
    # 45 cells in rows of 6: 8 rows; 7 cells: 2 rows.
    assert cells_per_sheet(tmp_path / "out" / "整改清单" / "单位00000.xlsx") == [("整改清单", 8, 45)]
    assert cells_per_sheet(tmp_path / "out" / "整改清单" / "单位00002.xlsx") == [("整改清单", 2, 7)]
    book = calamine.CalamineWorkbook.from_path(str(tmp_path / "out" / "floor.xlsx"))
    row = book.get_sheet_by_name("活动明细").to_python()[0]
    # The first ledger's 活动台账 from its header row, as bench.generate writes it: 序号, 活动日期, 活动类型 …
    assert row[:3] == ["序号", "活动日期", "活动类型"]


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs Linux /proc")
def test_sampler_sums_the_children() -> None:
    # The parent holds 40 MB, each of two forked children 60 MB of its own for half a second: the tree's
    # summed PSS must pass 40 + 2 × 60 = 160 MB.
    script = ("import multiprocessing as m, time\n"
              "def hold(_):\n    b = bytearray(60 * 2**20); time.sleep(0.5)\n"
              "if __name__ == '__main__':\n    a = bytearray(40 * 2**20)\n"
              "    with m.get_context('fork').Pool(2) as p: p.map(hold, [1, 2], chunksize=1)\n")
    result = measure([sys.executable, "-c", script])
    assert result.peak_pss_mb > 160
    # Summed RSS counts the parent's 40 MB again in each forked child (3 × 40 + 2 × 60 = 240); PSS does not.
    assert result.peak_rss_mb > 240 > result.peak_pss_mb


def test_floor_deflates_as_the_workbook_does() -> None:
    """The floor is only a floor if it compresses as much as the pipeline: the same zlib level."""
    assert DEFLATE_LEVEL == sheetxml.DEFLATE_LEVEL
