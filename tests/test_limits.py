"""Limits measure what is read (issue 13): photos pasted into a ledger, or one stray far cell, do not make a
unit 未报送; a file that is really too big still is refused with the limit named."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl

from pipeline.read.extent import MAX_STRAYS
from tests.ledgers import CAMPAIGN, ROOT, activity, d, read_sheet, write_ledger
from tests.runs import report


def test_a_ledger_with_three_pasted_photos_is_read(tmp_path: Path) -> None:
    ledger = write_ledger(tmp_path / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                          activities=[activity(d("2026-12-05"))])
    box = tmp_path / "inbox"
    box.mkdir()
    with zipfile.ZipFile(ledger) as src, zipfile.ZipFile(box / "荷花村.xlsx", "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        for i in range(1, 4):   # photos do not compress: 3 × 19 MiB stored ≈ 58 MB, over the old 50 MB cap
            dst.writestr(f"xl/media/image{i}.jpeg", b"\xff\xd8\xff\xe0" + os.urandom(19 * 2**20))
    assert (box / "荷花村.xlsx").stat().st_size > 57 * 2**20
    book = report(box, tmp_path / "out", "2026-12-20").written.workbook
    (row,) = read_sheet(book, "文件清单")
    assert (row["处理结果"], row["活动数"]) == ("已采用", 1)
    progress = next(r for r in read_sheet(book, "单位进度") if r["单位名称"] == "荷花村")
    assert (progress["状态"], progress["大讨论次数"]) == ("进行中", 1)


def test_one_stray_space_in_the_last_row_is_ignored_with_a_warning_naming_it(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    ledger = write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    wb = openpyxl.load_workbook(ledger)
    wb["活动台账"]["A1048576"] = " "          # Excel's last row: the sheet's used range is now a million rows
    wb.save(ledger)
    # In a process of its own: the reader holds the million-row range once before the stray cell is found,
    # memory this test process would keep (and hand on to the processes later tests fork and measure).
    result = subprocess.run([sys.executable, "-m", "pipeline", "report", "--inbox", str(box), "--outbox",
                             str(tmp_path / "out"), "--archive", str(tmp_path / "a"), "--config", str(CAMPAIGN),
                             "--as-of", "2026-12-20"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    book = tmp_path / "out" / "督查汇总表_2026-12-20.xlsx"
    (row,) = read_sheet(book, "文件清单")
    assert (row["处理结果"], row["活动数"]) == ("已采用", 1)
    (warning,) = [p for p in read_sheet(book, "数据问题") if p["单元格"] == "A1048576"]
    assert (warning["工作表"], warning["等级"]) == ("活动台账", "警告")
    assert str(warning["问题"]).startswith("该单元格远离表格")


def test_a_sheet_really_over_the_row_limit_is_still_refused(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    ledger = write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    wb = openpyxl.load_workbook(ledger)
    ws = wb["活动台账"]
    for r in range(105_000, 105_000 + MAX_STRAYS + 1):   # more far cells than a slip of the hand: rows
        ws.cell(row=r, column=1, value="x")                 # 105000 … 105020
    wb.save(ledger)
    book = report(box, tmp_path / "out", "2026-12-20").written.workbook
    (row,) = read_sheet(book, "文件清单")
    assert row["处理结果"] == "未采用"
    assert str(row["原因"]).startswith("文件超出处理上限（工作表“活动台账”有 105020 行，上限 100000 行")
