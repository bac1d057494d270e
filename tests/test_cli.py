"""The command line as the clerk meets it: exact wording, exit codes, and the Windows way of starting it.

What the commands compute is tested through the library (tests/test_run.py and the others)."""

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.read.inbox import PARALLEL_FROM
from tests.inboxes import four_units
from tests.ledgers import CAMPAIGN, activity, d, resaved_copy, write_ledger

SHEETS = ["总览", "单位进度", "子主题覆盖", "差距清单", "活动明细", "问题整改", "宣传报道", "数据问题", "文件清单"]


def run(*args: str) -> tuple[int, str]:
    """Exit code and standard output; errors go to standard error (see `run_error`)."""
    result = CliRunner().invoke(main, [*args, "--config", str(CAMPAIGN)])
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout


def run_error(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--config", str(CAMPAIGN)])
    return result.exit_code, result.stderr.splitlines()[-1]


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    return four_units(tmp_path / "inbox")




















def test_validate_lists_problems_and_exit_codes(inbox: Path, tmp_path: Path) -> None:
    code, output = run("validate", "--inbox", str(inbox), "--as-of", "2027-01-20")
    assert code == 1
    assert "【已采用】柳林村_新.xlsx（柳林村）\n    活动台账 B6 [错误] 无法识别日期“12月32日”，此条记录不计入统计。建议：请填写如 2026-12-03 的日期\n" in output
    assert "【已被新版本替代】柳林村_旧.xlsx（柳林村）\n    原因：已被更新的台账“柳林村_新.xlsx”替代\n" in output
    assert output.rstrip().splitlines()[-1] == ("合计：文件 6 个（已采用 4，已被新版本替代 1，未采用 1，已忽略 0）；"
                                                "数据问题 错误 1 条，警告 0 条")
    clean = tmp_path / "clean"
    write_ledger(clean / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    code, output = run("validate", "--inbox", str(clean), "--as-of", "2027-01-20")
    assert (code, output.splitlines()[-1]) == (0, "合计：文件 1 个（已采用 1，已被新版本替代 0，未采用 0，已忽略 0）；数据问题 错误 0 条，警告 0 条")


def test_bad_as_of_and_missing_inbox_exit_2(tmp_path: Path) -> None:
    assert run_error("report", "--as-of", "2026-13-01", "--inbox", str(tmp_path)) == (
        2, "错误：--as-of 日期“2026-13-01”无效，请写成 2026-12-20 这样的格式")
    code, output = run_error("report", "--inbox", str(tmp_path / "nope"), "--as-of", "2026-12-01")
    assert (code, output) == (2, f"错误：收件箱文件夹“{tmp_path / 'nope'}”不存在，请先创建并放入各单位报送的台账")




def test_validate_json_for_machines(inbox: Path) -> None:
    import json

    code, output = run("validate", "--inbox", str(inbox), "--as-of", "2027-01-20", "--json")
    data = json.loads(output)
    assert code == 1 and data["ok"] is False
    assert data["summary"] == {"files": 6, "已采用": 4, "已被新版本替代": 1, "未采用": 1, "已忽略": 0, "错误": 1, "警告": 0}
    willow = next(f for f in data["files"] if f["file"] == "柳林村_新.xlsx")
    assert [(p["sheet"], p["cell"], p["level"], p["code"]) for p in willow["problems"]] == [
        ("活动台账", "B6", "错误", "invalid-value")]
    assert {f["file"]: (f["result"], f["code"]) for f in data["files"] if f["file"] != "柳林村_新.xlsx"} == {
        "荷花村_1218.xlsx": ("已采用", None), "妇联.xlsx": ("已采用", None), "白塔村.xlsx": ("已采用", None),
        "柳林村_旧.xlsx": ("已被新版本替代", "superseded"), "活动照片.jpg": ("未采用", "not-a-spreadsheet")}






def test_click_usage_errors_are_chinese_too() -> None:
    result = CliRunner().invoke(main, ["report", "--asof", "2026-12-20"])
    assert result.exit_code == 2
    assert result.stderr.startswith("错误：命令用法有误（")
    assert "运行“main report --help”查看用法。" in result.stderr
    assert "Traceback" not in result.output


def test_python_dash_m_with_spawned_reading_processes(tmp_path: Path) -> None:
    """Windows starts the reading processes by spawning (no fork): they get only what is sent to them, not
    the parent's memory. An inbox big enough for the pool still reads whole, as `生成周报.bat` runs it."""
    ledger = write_ledger(tmp_path / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                          activities=[activity(d("2026-12-05"))])
    box = tmp_path / "inbox"
    box.mkdir()
    for i in range(PARALLEL_FROM):
        resaved_copy(ledger, box / f"荷花村_{i:02d}.xlsx")
    windows_like = ("import multiprocessing, runpy, sys; multiprocessing.set_start_method('spawn'); "
                    "sys.argv[0] = 'pipeline'; runpy.run_module('pipeline', run_name='__main__', alter_sys=True)")
    result = subprocess.run([sys.executable, "-c", windows_like, "report", "--inbox", str(box), "--outbox",
                             str(tmp_path / "out"), "--archive", str(tmp_path / "a"), "--config", str(CAMPAIGN),
                             "--as-of", "2026-12-20"], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert f"文件：共 {PARALLEL_FROM} 个；已采用 1，已被新版本替代 {PARALLEL_FROM - 1}" in result.stdout
    assert (tmp_path / "out" / "督查汇总表_2026-12-20.xlsx").is_file()


def test_report_prints_its_summary_and_exits_0(inbox: Path, tmp_path: Path) -> None:
    code, output = run("report", "--inbox", str(inbox), "--outbox", str(tmp_path / "out"), "--as-of", "2026-12-20",
                       "--archive", str(tmp_path / "archive"))
    assert code == 0
    assert output.splitlines() == [
        "统计日期：2026-12-20（距截止日期 2027-02-04 还有 46 天）",
        "单位：共 16 个；已达标 0，进行中 3，滞后 0，未达标 0，未报送 13",
        "文件：共 6 个；已采用 3，已被新版本替代 0，未采用 3，已忽略 0",
        "数据问题：错误 0 条，警告 0 条；差距 22 项",  # 荷花村 1, 乡妇联 4, 柳林村 4, 13 units R5(a)
        f"已生成：{tmp_path / 'out' / '督查汇总表_2026-12-20.xlsx'}",
        f"已生成：{tmp_path / 'out' / '整改清单_2026-12-20'}（整改清单 16 份）",
        f"已生成：{tmp_path / 'out' / '工作通报_2026-12-20.docx'}",
        f"已生成：{tmp_path / 'out' / '催报提醒_2026-12-20.txt'}",
    ]


def test_demo_says_where_the_sample_is(tmp_path: Path) -> None:
    code, output = run("demo", "--dir", str(tmp_path / "demo"))
    assert code == 0
    assert output.splitlines()[0] == f"已生成示例报送：{tmp_path / 'demo' / 'inbox'}"
    assert output.splitlines()[-1] == f"已生成：{tmp_path / 'demo' / 'outbox' / '催报提醒_2027-01-15.txt'}"


def test_templates_say_what_they_wrote(tmp_path: Path) -> None:
    assert run("templates", "--out", str(tmp_path / "t")) == (0, f"已生成模板：{tmp_path / 't' / '创城大讨论台账模板.xlsx'}\n")
    assert run("templates", "--per-unit", "--out", str(tmp_path / "u")) == (0, f"已为 16 个单位生成模板：{tmp_path / 'u'}\n")
