"""Hostile files are refused quickly, within bounded memory, with the limit named; unit text never becomes a formula."""

import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from tests.ledgers import CAMPAIGN, ROOT, activity, d, read_sheet, write_ledger


def _rewrite(source: Path, target: Path, edit: dict[str, bytes | None], extra: dict[str, bytes] | None = None) -> None:
    """Copy a workbook's zip, replacing (or dropping, with None) some parts and adding others."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = edit.get(item.filename, src.read(item))
            if data is not None:
                dst.writestr(item.filename, data)
        for name, data in (extra or {}).items():
            dst.writestr(name, data)


@pytest.fixture(scope="module")
def hostile_inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    box = tmp / "inbox"
    ledger = write_ledger(tmp / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    box.mkdir()
    # 1. a zip bomb: a small file whose worksheet (a part the reader opens) inflates to 600 MiB
    with zipfile.ZipFile(ledger) as src, zipfile.ZipFile(box / "炸弹.xlsx", "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != "xl/worksheets/sheet3.xml":
                dst.writestr(item.filename, src.read(item))
        with dst.open("xl/worksheets/sheet3.xml", "w", force_zip64=True) as out:
            block = bytes(2**20)
            for _ in range(600):
                out.write(block)
    # 2. billion laughs in a worksheet part (基本信息 is sheet2)
    with zipfile.ZipFile(ledger) as src:
        sheet = src.read("xl/worksheets/sheet2.xml").decode("utf-8")
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    laughs = (f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol0 "lol">{entities}]>'
              + re.sub(r"^<\?xml[^>]*\?>", "", sheet).replace("<t>", "<t>&lol9;", 1))
    _rewrite(ledger, box / "笑话.xlsx", {"xl/worksheets/sheet2.xml": laughs.encode("utf-8")})
    # 3. a sheet claiming the whole grid
    with zipfile.ZipFile(ledger) as src:
        names = [n for n in src.namelist() if n.startswith("xl/worksheets/sheet")]
        sheets = {n: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', src.read(n)) for n in names}
    _rewrite(ledger, box / "巨幅.xlsx", dict(sheets))
    # 4. a 100,000-row ledger
    book = xlsxwriter.Workbook(str(box / "十万行.xlsx"), {"constant_memory": True})
    ws = book.add_worksheet("活动台账")
    ws.write_row(0, 0, ["序号", "活动日期", "活动类型", "子主题", "参加人数", "内容摘要"])
    for r in range(1, 100_001):
        ws.write_row(r, 0, [r, "2026-12-05", "大讨论", 1, 30, "讨论"])
    book.close()
    # 5. a zip with 1,000 members
    with zipfile.ZipFile(box / "千个文件.zip", "w") as archive:
        for i in range(1000):
            archive.writestr(f"{i}.xlsx", b"x")
    return box


def test_hostile_files_are_refused_naming_the_limit_within_500_mb(hostile_inbox: Path, tmp_path: Path) -> None:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = subprocess.run([sys.executable, "-m", "pipeline", "report", "--inbox", str(hostile_inbox),
                             "--outbox", str(tmp_path / "out"), "--archive", str(tmp_path / "archive"),
                             "--config", str(CAMPAIGN), "--as-of", "2026-12-20"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert before / 1024 < 500 and peak_mb < 500, peak_mb
    reasons = {r["文件"]: (r["处理结果"], r["原因"]) for r in read_sheet(tmp_path / "out" / "督查汇总表_2026-12-20.xlsx", "文件清单")}
    assert reasons["炸弹.xlsx"] == ("未采用", "文件超出处理上限（解压后 600 MB，上限 200 MB；上限项 limits.max_unpacked_mb），"
                                            "未读取；请只保留台账内容后重新报送")
    assert reasons["十万行.xlsx"][1].startswith("文件超出处理上限（工作表“活动台账”有 100001 行，上限 100000 行；上限项 limits.max_rows）")
    assert reasons["千个文件.zip"] == ("未采用", "文件超出处理上限（压缩结构内有 1000 个部件，上限 500 个；上限项 limits.max_zip_entries），"
                                             "未读取；请只保留台账内容后重新报送")
    assert reasons["笑话.xlsx"] == ("未采用", "文件已损坏或不完整，无法读取（工作表“基本信息”含有自定义 XML 实体，可能是恶意构造的文件，"
                                           "未展开读取），请重新保存后报送")
    assert reasons["巨幅.xlsx"][0] == "已采用"                  # the claimed dimension is not trusted


INJECTIONS = ["=HYPERLINK(\"http://evil\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_unit_text_is_never_a_formula_anywhere(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / "=cmd.xlsx", unit="荷花村", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-05"), summary=text, 序号=i, 活动主题=text, evidence=None)
                             for i, text in enumerate(INJECTIONS, start=1)] + [activity("=1+2", 序号=9)])
    result = subprocess.run([sys.executable, "-m", "pipeline", "report", "--inbox", str(box), "--outbox",
                             str(tmp_path / "out"), "--archive", str(tmp_path / "a"), "--config", str(CAMPAIGN),
                             "--as-of", "2026-12-20"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    books = [tmp_path / "out" / "督查汇总表_2026-12-20.xlsx", tmp_path / "out" / "整改清单_2026-12-20" / "荷花村.xlsx"]
    seen = 0
    for book in books:
        for ws in openpyxl.load_workbook(book).worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@", "\t", "\r")):
                        assert cell.data_type == "s" and cell.quotePrefix, (book.name, ws.title, cell.coordinate)
                        seen += 1
    assert seen >= len(INJECTIONS) * 2 + 2  # summaries, topics, the file name in two sheets
