"""Messy equals clean: the same ledgers sent the way units really send them give the same report.

The messy inbox has what WPS, Tencent Docs, LibreOffice and people do: renamed sheets, title rows and
merged cells, blank lines, reordered/extra/synonym columns, text dates, Chinese and full-width numbers,
sub-theme keywords, unit-name suffixes, a 合计 row, prefixed XML namespaces, a zip and an .xls.
"""

import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl

from tests.ledgers import activity, d, problem, read_sheet, write_ledger
from tests.runs import report as run_report

FIXTURES = Path(__file__).resolve().parent / "fixtures"

LOTUS: dict[str, Any] = {
    "unit": "荷花村", "filed": d("2026-12-18"),
    "activities": [activity(d("2026-12-05"), "大讨论", 1, 30, "党员讨论创城任务"),
                   activity(d("2026-12-05"), "大行动", 2, 25, "清理村内卫生", 序号=2),
                   activity(d("2026-12-12"), "大讨论", 4, 30, "小学生文明讨论", 序号=3),
                   activity(d("2026-12-15"), "大行动", 5, 40, "经营户诚信承诺", 序号=4)],
    "problems": [problem(d("2027-01-10"), found=d("2026-12-05"))],
}
WILLOW: dict[str, Any] = {
    "unit": "柳林村", "filed": d("2027-01-08"),
    "activities": [activity(d("2026-12-08"), "大行动", 1, 20), activity(d("2027-01-05"), "大讨论", 5, 30, 序号=2)],
}
WOMEN: dict[str, Any] = {
    "unit": "乡妇联", "filed": d("2026-12-19"),
    "activities": [activity(d("2026-12-10"), "大讨论", 2, 40, 协办单位="荷花村"),
                   activity(d("2026-12-15"), "大行动", 1, 25, 序号=2)],
    "problems": [problem("长期坚持", found=d("2026-12-10"))],
}


def clean_inbox(box: Path) -> None:
    write_ledger(box / "荷花村.xlsx", **LOTUS)
    write_ledger(box / "柳林村.xlsx", **WILLOW)
    write_ledger(box / "乡妇联.xlsx", **WOMEN)


def _messy_lotus(path: Path) -> None:
    """Typed from scratch in a spreadsheet, not from the template."""
    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "基本情况"
    for row in (["单位基本情况"], [], ["单位", "城西湖乡荷花村村民委员会"], ["填表人", "张三"], ["报送日期", "2026年12月18日"]):
        info.append(row)
    ws = wb.create_sheet("Sheet1")
    ws.append(["城西湖乡荷花村“我为创城做什么”大讨论大行动台账"])
    ws.merge_cells("A1:H1")
    ws.append([])
    ws.append(["编号", "类型", "日 期", "所属子主题", "人数", "照片数", "内容", "佐证"])
    ws.append([1, "大讨论", "2026年12月5日", "（一）", "30人", 3, "党员讨论创城任务", "照片2张"])
    ws.append([2, "大行动", None, "2", "２５", 2, "清理村内卫生", "照片2张"])
    ws.merge_cells("C4:C5")                                    # one date cell for two rows
    ws.append([])                                              # WPS-style blank line
    ws.append([3, " 大讨论 ", "12月12日", "小手拉大手", "三十", 1, "小学生文明讨论", "照片2张"])
    ws.append([4, "大行动", "2026.12.15", "诚信经营 文明同行", "约 40 人", 5, "经营户诚信承诺", "照片2张"])
    ws.append(["合计", None, None, None, 125])
    ws.row_dimensions[7].hidden = True                         # hidden rows and columns still count
    ws.column_dimensions["F"].hidden = True
    rect = wb.create_sheet("Sheet2")
    rect.append(["问题整改台账"])
    rect.append([])
    rect.append(["序号", "问题", "措施", "整改责任人", "时限", "状态", "发现时间"])
    rect.append([1, "村部周边乱堆乱放", "组织清理", "王五", "2027/1/10", "正在整改", "2026-12-5"])
    wb.save(path)
    _prefix_namespaces(path)


def _prefix_namespaces(path: Path) -> None:
    """Rewrite the sheet XML as Tencent Docs writes it (tealeg-xlsx/namespaced.xlsx): `x:`-prefixed elements."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                text = text.replace('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
                                    'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"')
                text = re.sub(r"<(/?)(?![?!])([A-Za-z]+)([\s>/])", r"<\1x:\2\3", text)
                data = text.encode("utf-8")
            dst.writestr(item, data)
    tmp.replace(path)


def messy_inbox(box: Path, tmp: Path) -> None:
    box.mkdir(parents=True)
    _messy_lotus(box / "荷花村台账（最新）.xlsx")
    willow = {**WILLOW, "unit": "柳林村委会", "activities": [
        {**WILLOW["activities"][0], "活动日期": "2026/12/08", "子主题": "1-转作风、见行动、促创建", "参加人数": "20人"},
        {**WILLOW["activities"][1], "活动日期": "2027-1-5", "子主题": "诚信经营", "活动类型": "讨论"}]}
    source = write_ledger(tmp / "柳林村台账.xlsx", **willow)
    with zipfile.ZipFile(box / "柳林村报送.zip", "w") as archive:
        archive.write(source, "柳林村/柳林村台账.xlsx")
    shutil.copyfile(FIXTURES / "乡妇联_libreoffice.xls", box / "妇联台账.xls")


def report(box: Path, out: Path, as_of: str) -> Path:
    return run_report(box, out, as_of).written.workbook


def unnamed(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """Rows with the file names they quote (《…》, which differ between the two inboxes by design) left out."""
    return [{k: re.sub(r"《[^》]*》", "《…》", v) if isinstance(v, str) else v for k, v in r.items()} for r in rows]


def test_messy_equals_clean(tmp_path: Path) -> None:
    clean_inbox(tmp_path / "clean")
    messy_inbox(tmp_path / "messy", tmp_path)
    for as_of in ("2026-12-20", "2027-01-12", "2027-02-10"):
        clean = report(tmp_path / "clean", tmp_path / "out_clean", as_of)
        messy = report(tmp_path / "messy", tmp_path / "out_messy", as_of)
        assert unnamed(read_sheet(messy, "单位进度")) == unnamed(read_sheet(clean, "单位进度")), as_of
        # row numbers too (row 4 both)
        assert unnamed(read_sheet(messy, "差距清单")) == unnamed(read_sheet(clean, "差距清单")), as_of
        results = {r["文件"]: r["处理结果"] for r in read_sheet(messy, "文件清单")}
        assert set(results.values()) <= {"已采用", "未采用"}
    progress = {r["单位名称"]: r for r in read_sheet(messy, "单位进度")}
    assert (progress["荷花村"]["大讨论次数"], progress["荷花村"]["大行动次数"]) == (3, 2)  # incl. 乡妇联's joint one
    assert progress["荷花村"]["参与人次"] == 30 + 25 + 30 + 40 + 40


NEW_STATUS_WORDS = {
    "整改完毕": "已整改", "已整改完毕": "已整改", "已整改完成": "已整改", "整改已完成": "已整改", "已完成整改": "已整改",
    "完成整改": "已整改", "整改到位": "已整改", "已整改到位": "已整改", "已销号": "已整改", "销号": "已整改",
    "已落实": "已整改", "已落实到位": "已整改", "已解决": "已整改", "办结": "已整改",
    "整改推进中": "整改中", "整改进行中": "整改中", "进行中": "整改中", "正在进行": "整改中", "正在推进": "整改中",
    "处理中": "整改中", "正在处理": "整改中", "落实中": "整改中", "正在进行中": "整改中",
    "未开始": "未整改", "尚未开始": "未整改", "尚未整改": "未整改", "暂未整改": "未整改", "还未整改": "未整改",
    "未落实": "未整改", "尚未完成": "未整改", "未完成整改": "未整改", "未解决": "未整改",
}
"""Each way of writing a 整改状态 added after 乡工会 wrote 整改完毕 and was told it is no choice, and what it reads as."""


def test_each_way_units_write_a_state_of_rectification_reads_as_that_state(tmp_path: Path) -> None:
    """One problem per word, each done 12-15 and due 01-20 (so none is overdue at 01-12 and none lacks a
    完成日期); 基本完成 (done, or not quite?) stays a 警告 at its cell and reads as 未填写."""
    words = [*NEW_STATUS_WORDS, "基本完成"]
    rows = [problem(d("2027-01-20"), word, found=d("2026-12-10"), 序号=n, 问题描述=f"问题{n}", 完成日期=d("2026-12-15"))
            for n, word in enumerate(words, start=1)]
    box = tmp_path / "inbox"
    write_ledger(box / "乡工会.xlsx", unit="乡工会", filed=d("2027-01-10"), activities=[activity(d("2026-12-05"))],
                 problems=rows)
    book = run_report(box, tmp_path / "out", "2027-01-12").written.workbook
    shown = {r["问题描述"]: r["整改状态"] for r in read_sheet(book, "问题整改") if r["单位名称"] == "乡工会"}
    assert shown == {f"问题{n}": NEW_STATUS_WORDS.get(word, "未填写") for n, word in enumerate(words, start=1)}
    problems = [(r["单元格"], r["等级"], r["问题"]) for r in read_sheet(book, "数据问题") if r["单位名称"] == "乡工会"]
    last = 3 + len(words)   # rows start at 4 (title, header, 示例); 整改状态 is column H
    assert problems == [(f"H{last}", "警告", "“整改状态”填写的“基本完成”不是可选值，已按空白处理")]
    progress = next(r for r in read_sheet(book, "单位进度") if r["单位名称"] == "乡工会")
    assert (progress["查摆问题数"], progress["已整改数"]) == (len(words), 14)   # the 14 words above that mean 已整改
