"""The Windows launchers, read as cmd.exe would run them (no Windows runs here): they must recover from a failed
install, find a usable Python, use the offline package when it is there, and never close on an error unseen."""

import re
from pathlib import Path

import pytest

from tools.bundle import STAMP, WHEELS
from tools.wheels import TARGETS

ROOT = Path(__file__).resolve().parent.parent
PREPARE = ROOT / "launcher" / "prepare.cmd"
LAUNCHERS = {"生成周报.bat": "report", "生成模板.bat": "templates", "检查台账.bat": "validate"}
ALL = [*(ROOT / name for name in LAUNCHERS), PREPARE]


def _lines(path: Path) -> list[str]:
    return path.read_bytes().decode("utf-8").split("\r\n")


def _label(lines: list[str], name: str) -> int:
    return lines.index(f":{name}")


def _run(lines: list[str], start: int) -> tuple[list[int], int]:
    """Follow cmd.exe from line `start` taking no conditional branch: the lines run and the exit code reached."""
    ran: list[int] = []
    depth = 0
    i = start
    while i < len(lines) and len(ran) <= len(lines):
        line = lines[i].strip()
        if depth == 0:
            ran.append(i)
        depth += line.endswith("(") - (line == ")")
        if depth == 0 and (jump := re.fullmatch(r"goto :(\w+)", line)):
            i = _label(lines, jump[1]) + 1
            continue
        if depth == 0 and (leave := re.fullmatch(r"exit /b (\d+)", line)):
            return ran, int(leave[1])
        i += 1
    raise AssertionError(f"from line {start + 1} the script loops or runs off its end")


def _failure_label(line: str) -> str:
    found = re.search(r"\|\| goto :(\w+)$", line)
    assert found, f"a failure here would go unnoticed: {line}"
    return found[1]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_cmd_reads_the_file_as_written(path: Path) -> None:
    """CRLF throughout (cmd.exe mis-finds labels in LF files), UTF-8 without BOM (a BOM breaks `@echo off`),
    and `chcp 65001` before the first Chinese character so cmd.exe reads the rest as UTF-8."""
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\n") == raw.count(b"\r\n") > 0
    raw.decode("utf-8")
    first_non_ascii = next(i for i, byte in enumerate(raw) if byte > 0x7F)
    assert raw.find(b"\r\nchcp 65001 >nul\r\n") in range(0, first_non_ascii)
    assert raw.startswith(b"@echo off\r\n")


def test_every_launcher_in_the_folder_is_checked_here() -> None:
    assert sorted(p.name for p in ROOT.glob("*.bat")) == sorted(LAUNCHERS)


@pytest.mark.parametrize(("name", "command"), LAUNCHERS.items())
def test_launcher_runs_its_command_only_after_a_successful_install(name: str, command: str) -> None:
    lines = _lines(ROOT / name)
    prepare = lines.index('call "launcher\\prepare.cmd" /from-launcher')
    assert lines[prepare + 1] == "if errorlevel 1 goto :failed"
    run = next(i for i, line in enumerate(lines) if "-m pipeline" in line)
    assert lines[run] == f'".venv\\Scripts\\python.exe" -P -m pipeline {command} %*'
    assert prepare < run


@pytest.mark.parametrize("name", LAUNCHERS)
def test_launcher_window_stays_open_on_every_way_out(name: str) -> None:
    """Double-clicked, the window closes at exit: each exit is right after a pause, and a failed install pauses."""
    lines = _lines(ROOT / name)
    exits = [i for i, line in enumerate(lines) if line.startswith("exit")]
    assert exits
    assert all(lines[i - 1] == "pause" for i in exits)
    ran, code = _run(lines, _label(lines, "failed"))
    assert code == 1 and "pause" in [lines[i] for i in ran]
    ran, code = _run(lines, _label(lines, "not_unpacked"))
    assert code == 1 and any("全部解压" in lines[i] for i in ran)


def test_install_is_recorded_only_after_pip_succeeded() -> None:
    lines = _lines(PREPARE)
    marker = [i for i, line in enumerate(lines) if "CC_MARKER%" in line and ">" in line]
    assert len(marker) == 1, "the marker is written in one place"
    assert lines[marker[0]] == '>"%CC_MARKER%" echo %CC_WANT%'
    pips = [i for i, line in enumerate(lines) if " -m pip install " in line]
    assert len(pips) == 2
    for pip in pips:
        ran, code = _run(lines, pip + 1)
        assert marker[0] in ran and code == 0, "success leads to the marker, then to ready"
        ran, code = _run(lines, _label(lines, _failure_label(lines[pip])) + 1)
        assert marker[0] not in ran and code == 1, "failure leaves no marker"
    assert 'set "CC_MARKER=.venv\\安装完成.txt"' in lines


def test_an_unfinished_or_outdated_install_is_redone_from_a_clean_venv() -> None:
    lines = _lines(PREPARE)
    ran, code = _run(lines, _label(lines, "check") + 1)
    ready = [lines[i] for i in ran]
    assert code == 0
    assert 'if not exist "%CC_MARKER%" goto :unfinished' in ready
    assert 'if not "%CC_HAVE%"=="%CC_WANT%" goto :changed' in ready
    for why in ("first", "unfinished", "changed", "broken"):
        ran, _ = _run(lines, _label(lines, why) + 1)
        done = [lines[i] for i in ran]
        assert done.index('if exist ".venv" rmdir /s /q ".venv"') < done.index("%CC_PY% -m venv .venv || goto :venv_failed")
    unfinished = lines[_label(lines, "unfinished") + 1]
    assert "上次安装没有完成" in unfinished and "重新安装" in unfinished


def test_python_is_looked_for_with_the_py_launcher_first_and_must_be_3_11() -> None:
    lines = _lines(PREPARE)
    finder = lines[_label(lines, "find_python"):_label(lines, "probe")]
    assert finder.index("call :probe py -3") < finder.index("if not defined CC_PY call :probe python")
    probe = lines[_label(lines, "probe"):_label(lines, "accept")]
    assert "if %CC_NUM% LSS 311 (" in probe
    assert 'set /a CC_NUM=CC_MAJOR*100+CC_MINOR' in probe
    ran, code = _run(lines, _label(lines, "too_old") + 1)
    said = "".join(lines[i] for i in ran)
    assert code == 1 and "3.11 或更高" in said and "python.org" in said and "Add python.exe to PATH" in said
    ran, code = _run(lines, _label(lines, "no_python") + 1)
    assert code == 1 and "没有找到 Python" in "".join(lines[i] for i in ran)


def test_offline_package_is_used_when_the_folder_has_one() -> None:
    lines = _lines(PREPARE)
    stamp = f"{WHEELS}\\{STAMP}"
    assert lines.index(f'if exist "{stamp}" goto :offline_mode') < lines.index('if exist "pyproject.toml" goto :source_mode')
    offline, online = (next(line for line in lines if " -m pip install " in line and (" --no-index " in line) is flag)
                       for flag in (True, False))
    assert f"--no-index --find-links {WHEELS} chuangcheng" in offline and "--isolated" in offline
    assert "--find-links" not in online
    said = {label: "".join(lines[i] for i in _run(lines, _label(lines, _failure_label(line)) + 1)[0])
            for label, line in (("offline", offline), ("online", online))}
    assert "网络" in said["online"] and "离线安装包" in said["online"]
    assert "重新完整解压" in said["offline"] and "网络" not in said["offline"]


def test_launcher_knows_the_pythons_the_offline_package_serves() -> None:
    """The versions the launcher tries and names are the bundle's; its tag is the one bundle.txt lists."""
    windows = [t for t in TARGETS if t.system == "Windows"]
    text = PREPARE.read_bytes().decode("utf-8")
    tried = re.search(r"for %%V in \(([\d. ]+)\) do if not defined CC_PY call :probe py -%%V", text)
    assert tried and tried[1].split() == sorted((t.version for t in windows), key=lambda v: -int(v.split(".")[1]))
    assert f"适用于 64 位的 Python {'、'.join(t.version for t in windows)}。" in text
    pattern = re.search(r'set "CC_TAG=(cp%CC_MAJOR%%CC_MINOR%-\w+)"', text)
    assert pattern
    for t in windows:
        assert pattern[1].replace("%CC_MAJOR%", str(t.python[0])).replace("%CC_MINOR%", str(t.python[1])) == t.key


def test_campaign_yaml_is_made_from_the_example_only_when_there_is_none() -> None:
    lines = _lines(PREPARE)
    config = lines[_label(lines, "config"):_label(lines, "check")]
    assert config.index('if exist "campaign.yaml" goto :check') < config.index('copy "campaign.example.yaml" "campaign.yaml" >nul')
