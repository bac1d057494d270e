"""The command line as the clerk meets it: exact wording, exit codes, and the Windows way of starting it.

What the commands compute is tested through the library (tests/test_run.py and the others)."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.read.inbox import PARALLEL_FROM
from tests.inboxes import four_units
from tests.ledgers import CAMPAIGN, ROOT, activity, d, resaved_copy, write_ledger

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
    assert output.rstrip().splitlines()[-2:] == [
        "合计：文件 6 个（已采用 4，已被新版本替代 1，未采用 1，已忽略 0）；数据问题 错误 1 条，警告 0 条",
        "以上问题需要由报送单位改正台账后重新报送；这是台账内容的问题，不是程序出错。"]
    clean = tmp_path / "clean"
    write_ledger(clean / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    code, output = run("validate", "--inbox", str(clean), "--as-of", "2027-01-20")
    assert (code, output.splitlines()[-1]) == (0, "合计：文件 1 个（已采用 1，已被新版本替代 0，未采用 0，已忽略 0）；数据问题 错误 0 条，警告 0 条")


def test_validate_does_not_ask_to_resend_a_ledger_sent_early(tmp_path: Path) -> None:
    """荷花村's only ledger has 填报日期 12-25, after the 统计日期 12-20 and within the campaign: its 填报日期 may be
    right, so the closing line says to resend only if it is wrong, as the unit's 整改清单 says; the exit code still
    says not every file is used. An early file beside a real 错误 keeps the usual closing line."""
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-25"), activities=[activity(d("2026-12-05"))])
    code, output = run("validate", "--inbox", str(box), "--as-of", "2026-12-20")
    assert code == 1
    assert ("【未采用】荷花村.xlsx（荷花村）\n    原因：填报日期晚于统计日期（2026-12-25 > 2026-12-20），本期不采用。"
            "建议：填报日期无误则不必重报，统计日期到该日后即采用；如填错请更正后重新报送\n") in output
    assert output.rstrip().splitlines()[-1] == ("以上未采用的台账填报日期晚于统计日期：填报日期无误则不必重报，统计日期到该日后即采用；"
                                                "如填错，请报送单位更正后重新报送。这不是程序出错。")
    code, output = run("validate", "--inbox", str(box), "--as-of", "2026-12-20", "--json")
    found = json.loads(output)
    assert (code, found["ok"], found["only_early"], found["files"][0]["early"]) == (1, False, True, True)
    write_ledger(box / "柳林村.xlsx", unit="柳林村", filed=d("2026-12-18"), activities=[activity("12月32日")])
    code, output = run("validate", "--inbox", str(box), "--as-of", "2026-12-20")
    assert (code, output.rstrip().splitlines()[-2:]) == (1, [
        "以上问题需要由报送单位改正台账后重新报送；这是台账内容的问题，不是程序出错。",
        "其中填报日期晚于统计日期的台账，按各自的“建议”处理：填报日期无误则不必重报。"])
    found = json.loads(run("validate", "--inbox", str(box), "--as-of", "2026-12-20", "--json")[1])
    assert (found["only_early"], [f["early"] for f in found["files"]]) == (False, [False, True])


def test_validate_keeps_a_line_break_typed_in_a_cell_under_its_problem(tmp_path: Path) -> None:
    """A date typed over two lines of its cell (Alt+Enter) is quoted as typed; its second line is indented under the
    problem, not at the start of a line where it would read as something else."""
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                 activities=[activity("12月\n32日"), activity(d("2026-12-05"), 序号=2)])
    code, output = run("validate", "--inbox", str(box), "--as-of", "2026-12-20")
    assert code == 1
    assert ("【已采用】荷花村.xlsx（荷花村）\n    活动台账 B4 [错误] 无法识别日期“12月\n      32日”，此条记录不计入统计。"
            "建议：请填写如 2026-12-03 的日期\n合计：") in output


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






@pytest.mark.parametrize(("args", "message"), [
    (["reprot"], "错误：没有“reprot”这个命令，是不是要用“report”？运行“chuangcheng --help”查看用法。"),
    (["report", "--asof", "2026-12-20"],
     "错误：没有“--asof”这个选项，是不是要用“--as-of”？运行“chuangcheng report --help”查看用法。"),
    (["validate", "-x"], "错误：没有“-x”这个选项。运行“chuangcheng validate --help”查看用法。"),
    (["report", "--as-of"], "错误：选项 --as-of 后面缺少取值。运行“chuangcheng report --help”查看用法。"),
    (["validate", "--json=yes"], "错误：选项 --json 是开关，后面不能带取值。运行“chuangcheng validate --help”查看用法。"),
    (["restore"], "错误：缺少参数 SHA256。运行“chuangcheng restore --help”查看用法。"),
    (["report", "--lock-timeout", "两分钟"],
     "错误：选项 --lock-timeout 的取值“两分钟”不是数字，请写秒数，例如 120。运行“chuangcheng report --help”查看用法。"),
    (["report", "D:/台账", "收件箱"],
     "错误：多出了“D:/台账 收件箱”（路径中有空格时请整个加上英文引号）。运行“chuangcheng report --help”查看用法。"),
])
def test_click_usage_errors_are_chinese_too(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, args)
    assert (result.exit_code, result.stderr, result.stdout) == (2, message + "\n", "")


ALLOWED_LATIN = {"chuangcheng", "YYYY", "MM", "DD", "SHA256", "JSON", "xlsx", "README", "inbox", "outbox", "campaign",
                 "yaml", "archive", "make", "demo", "report", "restore", "templates", "validate"}
"""Latin words a clerk may read in help: the program and command names, formats, and default paths."""


def english_words(text: str) -> set[str]:
    """Latin words left once option names (--as-of, -h) are taken out."""
    return set(re.findall(r"[A-Za-z]{2,}\w*", re.sub(r"(?<![\w-])--?[a-z][\w-]*", " ", text))) - ALLOWED_LATIN


@pytest.mark.parametrize("command", [[], ["report"], ["validate"], ["templates"], ["demo"], ["restore"]])
def test_help_is_chinese(command: list[str]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    assert english_words(result.stdout) == set(), result.stdout
    assert result.stdout.startswith(f"用法：chuangcheng {' '.join(command)}".rstrip() + " [选项]")
    assert "选项：\n" in result.stdout and "  -h, --help" in result.stdout and "显示本说明并退出" in result.stdout
    assert "默认：" in result.stdout or command == []
    assert "default" not in result.stdout and "Usage" not in result.stdout


def test_help_marks_defaults_in_chinese_and_names_record() -> None:
    lines = CliRunner().invoke(main, ["report", "--help"]).stdout.splitlines()
    assert "  --inbox 文件夹       各单位报送文件所在文件夹（默认：inbox）" in lines
    assert "  --lock-timeout 秒数  另一次汇总正在运行时最多等待的秒数（默认：120 秒）" in lines
    assert any(line.startswith("  --record             把本次记入历史，作为统计日期所在报告周的正式周报") for line in lines)


def test_bare_command_prints_a_chinese_overview() -> None:
    result = CliRunner().invoke(main, [])
    assert result.exit_code == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[:3] == ["创城台账汇总：校验各单位台账，生成督查汇总表和整改清单。", "", "常用命令："]
    assert "  chuangcheng validate   逐个文件检查台账，列出每个问题所在的工作表和单元格。" in lines
    assert [line.split()[1] for line in lines[3:8]] == ["demo", "report", "restore", "templates", "validate"]
    assert lines[-1] == "查看某个命令的全部选项：chuangcheng 命令 --help（例如 chuangcheng report --help）"
    assert english_words(result.stdout) == set()


def test_version_is_chinese() -> None:
    result = CliRunner().invoke(main, ["--version"])
    assert re.fullmatch(r"chuangcheng 版本 \d+\.\d+\.\d+\n", result.stdout)


def test_make_validate_ends_with_the_units_line_and_exit_0(inbox: Path) -> None:
    """make adds no “Error 1” line for ledger problems (the CLI's exit 1 is for scripts); a stop still fails make."""
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    done = subprocess.run(["make", "-s", "validate", f"INBOX={inbox}", "AS_OF=2027-01-20", f"CONFIG={CAMPAIGN}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "以上问题需要由报送单位改正台账后重新报送；这是台账内容的问题，不是程序出错。"
    assert "Error" not in done.stderr
    failed = subprocess.run(["make", "-s", "validate", f"INBOX={inbox}", "CONFIG=没有这个文件.yaml"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert failed.returncode != 0 and "无法读取配置文件" in failed.stderr


FAKE_PYTHON = """#!/bin/sh
# Stands in for python3 in `make setup`: passes the version check; `-m venv DIR` makes a DIR/bin/python that talks
# as pip does, on both streams, and exits with PIP_EXIT.
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin"
  printf '#!/bin/sh\\necho "Collecting openpyxl"\\necho "ERROR: No matching distribution found" >&2\\nexit ${PIP_EXIT:-0}\\n' \\
    > "$3/bin/python"
  chmod +x "$3/bin/python"
fi
"""


def make_setup(tmp_path: Path, *, pip_exit: int) -> subprocess.CompletedProcess[str]:
    """`make setup` with the fake Python and its own venv, as a clerk's shell runs it (not as a sub-make of
    `make test`, whose flags would add “Entering directory” lines)."""
    python = tmp_path / "python"
    python.write_text(FAKE_PYTHON, encoding="utf-8")
    python.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    return subprocess.run(["make", "setup", f"PYTHON={python}", f"VENV={tmp_path / 'venv'}"], cwd=ROOT,
                          env={**env, "PIP_EXIT": str(pip_exit)}, capture_output=True, text=True, timeout=60,
                          check=False)


@pytest.mark.skipif(sys.platform == "win32" or not shutil.which("make"), reason="make and sh are not here")
def test_make_installs_saying_one_line(tmp_path: Path) -> None:
    """The first `make report` printed the Makefile's venv and pip command lines; it says one line."""
    first = make_setup(tmp_path, pip_exit=0)
    assert (first.returncode, first.stdout, first.stderr) == (0, "首次运行，正在安装（约 1 分钟）……\n", "")
    assert (tmp_path / "venv" / ".installed-stamp").exists()


@pytest.mark.skipif(sys.platform == "win32" or not shutil.which("make"), reason="make and sh are not here")
def test_make_shows_what_pip_said_when_the_install_fails_and_redoes_it(tmp_path: Path) -> None:
    failed = make_setup(tmp_path, pip_exit=1)
    assert failed.returncode != 0
    assert failed.stdout == "首次运行，正在安装（约 1 分钟）……\n"
    assert failed.stderr.startswith(
        "Collecting openpyxl\nERROR: No matching distribution found\n"
        "安装失败：原因见上面的信息。请检查网络后重新运行，会自动重新安装；不能上网时请改用离线安装包（见 README.md 中“安装到办公电脑”一节）。\n")
    assert not (tmp_path / "venv" / ".installed-stamp").exists()
    redone = make_setup(tmp_path, pip_exit=0)
    assert (redone.returncode, redone.stdout) == (0, "上次安装没有完成，现在重新安装（约 1 分钟）……\n")


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
    assert output.splitlines()[-2:] == [f"已生成：{tmp_path / 'demo' / 'outbox' / '催报提醒_2027-01-15.txt'}",
                                         "已记入历史：第1期周报（报告周 2027-01-15 至 2027-01-21）"]  # start 11-27 + 7 weeks


def test_templates_say_what_they_wrote(tmp_path: Path) -> None:
    assert run("templates", "--out", str(tmp_path / "t")) == (0, f"已生成模板：{tmp_path / 't' / '创城大讨论台账模板.xlsx'}\n")
    assert run("templates", "--per-unit", "--out", str(tmp_path / "u")) == (0, f"已为 16 个单位生成模板：{tmp_path / 'u'}\n")


def test_a_fresh_copy_of_the_project_reports_no_files(tmp_path: Path) -> None:
    """inbox/ of a fresh clone holds only the repository's .gitkeep: the clerk's first report lists no file."""
    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / ".gitkeep").write_bytes(b"")
    code, output = run("report", "--inbox", str(tmp_path / "inbox"), "--outbox", str(tmp_path / "out"), "--archive",
                       str(tmp_path / "archive"), "--as-of", "2026-12-20")
    assert code == 0
    assert "文件：共 0 个；已采用 0，已被新版本替代 0，未采用 0，已忽略 0" in output.splitlines()
