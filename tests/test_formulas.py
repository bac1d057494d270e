"""Formulas a file holds without their results (issue 13 case 7): a web tool or script writes `=30` and no result,
so the cell shows 30 when opened but reads empty. Simple ones are computed; any other is named at its cell."""

import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest

from pipeline.read import ledger as ledger_module
from pipeline.read.formulas import formulas_without_results
from tests.ledgers import activity, d, read_sheet, write_ledger
from tests.runs import report

SAVE_HINT = "公式没有保存结果，请在 WPS/Excel 中打开后保存"


def web_tool_ledger(path: Path) -> Path:
    """A ledger a web system writes with openpyxl: values typed as formulas, and no results saved (openpyxl never
    computes them; Excel, WPS and LibreOffice would store each result beside its formula)."""
    write_ledger(path, unit="荷花村", filed=None, activities=[
        activity(d("2026-12-05"), "大讨论", 1, people=None, 序号=1),
        activity(d("2026-12-12"), "大行动", 2, people=None, 序号=2),
        activity(d("2026-12-15"), "大讨论", 5, people=None, 序号=3),
        activity(d("2026-12-16"), "大讨论", 6, people=20, evidence=None, 序号=4)])
    wb = openpyxl.load_workbook(path)
    info, ws = wb["基本信息"], wb["活动台账"]
    info["B1"] = '="荷花村"'
    info["B5"] = "=TODAY()"                                  # the day it was exported: not computable
    ws["C4"], ws["G4"] = '="大讨论"', "=30"                     # literals
    ws["N2"], ws["O2"], ws["N5"], ws["O5"] = "党员", "群众", 12, 18
    ws["G5"] = "=SUM(N5:O5)"                                  # 12 + 18
    ws["G6"] = "=VLOOKUP(A6,人数!A:B,2,FALSE)"                 # not simple
    ws["L7"] = '=HYPERLINK("http://x/1.jpg","照片")'           # optional column, not simple
    wb.save(path)
    return path


def test_formulas_without_results_are_computed_or_named_at_their_cell(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    ledger = web_tool_ledger(box / "荷花村.xlsx")
    assert formulas_without_results(ledger.read_bytes())["活动台账"][(3, 6)] == "30"   # the file has no result
    result = report(box, tmp_path / "out", "2026-12-20")
    book = result.written.workbook
    problems = [(p["工作表"], p["单元格"], p["等级"], p["问题"]) for p in read_sheet(book, "数据问题")]
    assert problems == [
        # the ledger's latest activity is row 7's, 2026-12-16
        ("基本信息", "B5", "错误", f"{SAVE_HINT}（公式：=TODAY()）；填报日期暂按表中最晚活动日期 2026-12-16 计"),
        ("活动台账", "G6", "错误", f"{SAVE_HINT}（公式：=VLOOKUP(A6,人数!A:B,2,FALSE)）；此条记录暂不计入统计"),
        ("活动台账", "L7", "警告", f'{SAVE_HINT}（公式：=HYPERLINK("http://x/1.jpg","照片")）；暂按空白处理')]
    progress = next(r for r in read_sheet(book, "单位进度") if r["单位名称"] == "荷花村")
    # rows 4, 5 and 7 count: 大讨论 30 (sub-theme 1), 大行动 12 + 18 (2), 大讨论 20 (6); dated by row 7, 12-16
    assert (progress["大讨论次数"], progress["大行动次数"], progress["参与人次"]) == (2, 1, 80)
    assert (progress["已覆盖子主题"], progress["最近填报日期"].date()) == ("1、2、6", d("2026-12-16"))
    rows = {r["行号"]: r["参加人数"] for r in read_sheet(book, "活动明细")}
    assert rows == {4: 30, 5: 30, 6: None, 7: 20}
    (listed,) = read_sheet(book, "文件清单")
    assert (listed["单位名称"], listed["处理结果"]) == ("荷花村", "已采用")
    gap_list = openpyxl.load_workbook(result.written.gap_list_folder / "荷花村.xlsx")["整改清单"]
    texts = [str(v) for row in gap_list.iter_rows(values_only=True) for v in row if v is not None]
    assert sum(SAVE_HINT in t for t in texts) == 3
    paragraphs = [p.text for p in docx.Document(str(result.written.bulletin)).paragraphs]
    assert any("荷花村的台账有填写错误" in p for p in paragraphs)


def test_a_workbook_saved_by_excel_keeps_its_own_results(tmp_path: Path) -> None:
    """A formula with a saved result is read as that result, whatever the formula (here one the reader could not
    compute); an empty result of a text formula (=IF(…,"",…)) is a result too."""
    box = tmp_path / "inbox"
    ledger = write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                          activities=[activity(d("2026-12-05"), people=None)])
    wb = openpyxl.load_workbook(ledger)
    wb["活动台账"]["G4"] = "=VLOOKUP(A4,人数!A:B,2,FALSE)"
    wb["活动台账"]["M4"] = '=IF(A4="","",A4)'
    wb.save(ledger)
    # what Excel writes on saving: the result beside each formula (<v>45</v>; t="str" and <v></v> for "")
    with zipfile.ZipFile(ledger) as archive:
        parts = {i.filename: archive.read(i) for i in archive.infolist()}
    sheet = next(name for name, xml in parts.items() if b"VLOOKUP" in xml)
    parts[sheet] = (parts[sheet].replace(b"2,FALSE)</f><v></v>", b"2,FALSE)</f><v>45</v>")
                    .replace(b'<c r="M4"><f>', b'<c r="M4" t="str"><f>'))
    with zipfile.ZipFile(ledger, "w") as archive:
        for name, xml in parts.items():
            archive.writestr(name, xml)
    assert formulas_without_results(ledger.read_bytes()) == {}
    book = report(box, tmp_path / "out", "2026-12-20").written.workbook
    assert read_sheet(book, "数据问题") == []
    progress = next(r for r in read_sheet(book, "单位进度") if r["单位名称"] == "荷花村")
    assert progress["参与人次"] == 45


def test_only_a_file_with_a_value_missing_is_looked_into_for_formulas(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Keeping ordinary files cheap: the sheet XML is searched for formulas only once a value reads empty."""
    looked: list[int] = []

    def counting(data: bytes) -> dict[str, dict[tuple[int, int], str]]:
        looked.append(len(data))
        return formulas_without_results(data)

    monkeypatch.setattr(ledger_module, "formulas_without_results", counting)
    box = tmp_path / "inbox"
    write_ledger(box / "柳林村.xlsx", unit="柳林村", filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    report(box, tmp_path / "out", "2026-12-20")
    assert looked == []
    web_tool_ledger(box / "荷花村.xlsx")
    report(box, tmp_path / "out2", "2026-12-20")
    assert len(looked) == 1
