"""Ledgers that are one plain table (issue 13 case 10): a web system's “.xls” that is an HTML table, and a
sheet saved from Excel or WPS as .csv. They are read with the same header matching as a workbook's sheets,
cells named from the table's own A1, the unit from the file name."""

import csv
import datetime as dt
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from tests.ledgers import ROOT, activity, d, read_sheet, write_ledger
from tests.runs import report


def excel_csv(ledger: Path, target: Path, *, encoding: str) -> Path:
    """活动台账 saved as CSV the way Excel does it: every row as wide as the used range, dates as Chinese
    Excel shows them (2026/12/5), CRLF line ends; `gbk` is 另存为“CSV(逗号分隔)”, `utf-8-sig` “CSV UTF-8”."""
    ws = openpyxl.load_workbook(ledger)["活动台账"]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for row in ws.iter_rows(values_only=True):
        writer.writerow(f"{v.year}/{v.month}/{v.day}" if isinstance(v, dt.date) else "" if v is None else v
                        for v in row)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(out.getvalue().encode(encoding))
    return target


def seen(box: Path, tmp: Path, unit: str) -> tuple[dict[str, Any], list[tuple[Any, ...]], dict[str, Any], str]:
    """单位进度 row, 数据问题 (sheet, cell, level, message) and 文件清单 row of a unit, and the bulletin's 存在问题."""
    result = report(box, tmp / "out", "2026-12-20")
    book = result.written.workbook
    progress = next(r for r in read_sheet(book, "单位进度") if r["单位名称"] == unit)
    problems = [(p["工作表"], p["单元格"], p["等级"], p["问题"]) for p in read_sheet(book, "数据问题")
                if p["单位名称"] == unit]
    (listed,) = [r for r in read_sheet(book, "文件清单") if r["单位名称"] == unit]
    text = [p.text for p in docx.Document(str(result.written.bulletin)).paragraphs]
    issues = next(text[i + 1] for i, t in enumerate(text) if t.endswith("存在问题"))
    return progress, problems, listed, issues


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig", "utf-8"])
def test_a_sheet_saved_as_csv_is_read_as_that_ledger(tmp_path: Path, encoding: str) -> None:
    ledger = write_ledger(tmp_path / "src" / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                          activities=[activity(d("2026-12-05")),
                                      activity(d("2026-12-12"), "大行动", 2, people=None, 序号=2)])
    box = tmp_path / "inbox"
    excel_csv(ledger, box / "荷花村台账.csv", encoding=encoding)
    progress, problems, listed, issues = seen(box, tmp_path, "荷花村")
    # the table's rows as the template has them: title (1), header (2), 示例 (3), then the unit's rows 4 and 5
    assert problems == [
        ("基本信息", None, "错误", "文件是逗号分隔的文本表格（CSV），只有一张表，没有“基本信息”：单位已按文件名识别为“荷花村”，"
                              "填报日期按表中最晚的记录日期计"),
        ("活动台账", "G5", "错误", "“参加人数”未填写，此条记录不计入统计"),
        ("问题整改", None, "错误", "文件是逗号分隔的文本表格（CSV），只有一张表，其中没有“问题整改”"),
        ("宣传报道", None, "警告", "文件是逗号分隔的文本表格（CSV），只有一张表，其中没有“宣传报道”")]
    # one 大讨论 of 30 counted; the 大行动 without 参加人数 is not; dated by its latest record read, 12-05
    assert (progress["状态"], progress["大讨论次数"], progress["大行动次数"], progress["参与人次"]) == ("进行中", 1, 0, 30)
    assert progress["最近填报日期"] == dt.datetime(2026, 12, 5)
    assert (listed["文件"], listed["处理结果"], listed["活动数"]) == ("荷花村台账.csv", "已采用", 1)
    assert "荷花村的台账有填写错误" in issues and "荷花村" not in issues.split("尚未报送台账")[0]


GBK_EXPORT = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=GBK"></head><body>
<table border="1">
<thead><tr><th colspan="7">柳林村“我为创城做什么”活动台账</th></tr>
<tr><th>序号</th><th>开展日期</th><th>活动类型</th><th>子主题</th><th>参会人数</th><th>活动内容</th><th>附件</th></tr></thead>
<tbody>
<tr><td>1</td><td>2026-12-06</td><td>大讨论</td><td>1</td><td>25</td><td>围绕门前三包开展讨论</td><td>照片3张</td></tr>
<tr><td>2</td><td>2026-12-10</td><td>大行动</td><td>小手拉大手</td><td>40人</td><td>清理村部周边</td><td></td></tr>
<tr><td>3</td><td>2026-12-11</td><td>大讨论</td><td>2</td><td>18</td><td></td><td>签到表</td></tr>
</tbody></table></body></html>
"""


def test_a_web_systems_xls_that_is_an_html_table_is_read_as_a_ledger(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    box.mkdir()
    (box / "柳林村活动台账.xls").write_bytes(GBK_EXPORT.encode("gbk"))   # the system's “导出 Excel”
    progress, problems, listed, issues = seen(box, tmp_path, "柳林村")
    assert problems == [
        ("基本信息", None, "错误", "文件是网页表格（HTML），只有一张表，没有“基本信息”：单位已按文件名识别为“柳林村”，"
                              "填报日期按表中最晚的记录日期计"),
        # its header rows count: title row 1, header row 2, data rows 3 to 5; columns A to G
        ("活动台账", "G4", "警告", "未填写“佐证材料”（照片、签到表、会议记录等）"),
        ("活动台账", "F5", "错误", "“内容摘要”未填写，此条记录不计入统计"),
        ("问题整改", None, "错误", "文件是网页表格（HTML），只有一张表，其中没有“问题整改”"),
        ("宣传报道", None, "警告", "文件是网页表格（HTML），只有一张表，其中没有“宣传报道”")]
    # rows 3 and 4 count: 大讨论 25 people, 大行动 40 on 子主题4 (小手拉大手)
    assert (progress["大讨论次数"], progress["大行动次数"], progress["参与人次"]) == (1, 1, 65)
    assert progress["已覆盖子主题"] == "1"        # 4 is not among 柳林村's 1、2、5、6
    assert (listed["处理结果"], listed["活动数"]) == ("已采用", 2)
    assert "柳林村的台账有填写错误" in issues


def test_a_plain_table_that_is_no_ledger_is_refused_with_what_it_lacks(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    box.mkdir()
    (box / "荷花村.csv").write_text("姓名,电话\n王五,13800000000\n", encoding="utf-8")
    (box / "荷花村导出.xls").write_bytes(b"<html><body><table><tr><td>1</td></tr></table></body></html>")
    book = report(box, tmp_path / "out", "2026-12-20").written.workbook
    files = {r["文件"]: (r["单位名称"], r["处理结果"], r["原因"]) for r in read_sheet(book, "文件清单")}
    lacks = ("中没有台账的表头（未找到“活动日期”“活动类型”“参加人数”或“问题描述”“发布日期”等列），不是本活动的台账；"
             "请使用乡创城办下发的台账模板（.xlsx）填写后报送")
    assert files == {"荷花村.csv": ("荷花村", "未采用", f"逗号分隔的文本表格（CSV）{lacks}"),
                     "荷花村导出.xls": ("荷花村", "未采用", f"网页表格（HTML）{lacks}")}


def _run(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, *args], cwd=tmp, env=env, capture_output=True, text=True, check=False,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def _imports_pandas(tmp: Path, outbox: str) -> bool:
    """Whether a report over tmp/inbox imports pandas. Asked of sys.modules, not of `-X importtime`: the run
    silences file descriptor 2, where importtime writes, while it reads ledgers."""
    code = (f"import sys; from pathlib import Path; from tests.runs import report; "
            f"report(Path('inbox'), Path('{outbox}'), '2026-12-20'); print(sorted(sys.modules))")
    modules = _run(tmp, "-c", code).stdout
    assert "'python_calamine'" in modules
    return "'pandas'" in modules


def test_help_and_runs_over_workbooks_do_not_import_pandas(tmp_path: Path) -> None:
    helped = _run(tmp_path, "-X", "importtime", "-m", "pipeline", "--help").stderr
    imported = {line.split("|")[-1].strip().split(".")[0] for line in helped.splitlines() if "|" in line}
    assert "click" in imported and "pandas" not in imported
    write_ledger(tmp_path / "inbox" / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-05"))])
    assert not _imports_pandas(tmp_path, "out")
    (tmp_path / "inbox" / "柳林村.csv").write_bytes(b"a,b\n")        # a CSV is read without pandas too
    assert not _imports_pandas(tmp_path, "out2")
    (tmp_path / "inbox" / "白塔村.xls").write_bytes(b"<table><tr><td>1</td></tr></table>")
    assert _imports_pandas(tmp_path, "out3")                        # a web table does need it


def test_a_web_table_whose_merged_cells_would_fill_millions_of_cells_is_refused_unread(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    box.mkdir()
    # 100,000 × 100,000 cells once spread, in 80 bytes
    (box / "荷花村.xls").write_bytes(b'<table><tr><td colspan="100000" rowspan="100000">x</td></tr></table>')
    book = report(box, tmp_path / "out", "2026-12-20").written.workbook
    (listed,) = read_sheet(book, "文件清单")
    assert (listed["单位名称"], listed["处理结果"]) == ("荷花村", "未采用")
    assert listed["原因"] == ("文件超出处理上限（网页表格展开合并单元格后超过 5000000 个单元格；上限项 limits.max_cells），"
                            "未读取；请只保留台账内容后重新报送")
