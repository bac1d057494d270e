"""The offline install package's decisions that need no network: what the zip holds, that unpacking a newer one
over an older folder keeps the office's data, and which wheels each target machine still lacks."""

import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tools.bundle import TOP, check, layout, stamp, write_zip
from tools.wheels import TARGETS, Target, unmet

ROOT = Path(__file__).resolve().parent.parent
WIN312 = Target("Windows", (3, 12))
LINUX = Target("Linux", (3, 11))


def _wheel(folder: Path, filename: str, *requires: str, python: str = "") -> Path:
    """A wheel with just enough inside for its requirements to be read."""
    name, version = filename.split("-")[:2]
    path = folder / filename
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    meta += f"Requires-Python: {python}\n" if python else ""
    meta += "".join(f"Requires-Dist: {r}\n" for r in requires)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(f"{name}-{version}.dist-info/METADATA", meta)
    return path


def _names(found: list[Requirement]) -> list[str]:
    return sorted(r.name for r in found)


def test_windows_only_requirements_are_found_missing_for_windows_only(tmp_path: Path) -> None:
    """pip on Linux skips these even with --platform win_amd64; the office PC would then fail to start."""
    wheels = [_wheel(tmp_path, "app-1.0-py3-none-any.whl", "click>=8", 'tzdata; sys_platform == "win32"'),
              _wheel(tmp_path, "click-8.1-py3-none-any.whl", 'colorama; platform_system == "Windows"')]
    assert _names(unmet(target=WIN312, wheels=wheels, root="app")) == ["colorama", "tzdata"]
    assert unmet(target=LINUX, wheels=wheels, root="app") == []


def test_a_compiled_wheel_serves_only_its_own_python_and_system(tmp_path: Path) -> None:
    wheels = [_wheel(tmp_path, "app-1.0-py3-none-any.whl", "core"),
              _wheel(tmp_path, "core-2.0-cp312-cp312-win_amd64.whl"),
              _wheel(tmp_path, "core-2.0-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64.whl")]
    assert unmet(target=WIN312, wheels=wheels, root="app") == []
    assert unmet(target=LINUX, wheels=wheels, root="app") == []
    assert _names(unmet(target=Target("Windows", (3, 13)), wheels=wheels, root="app")) == ["core"]
    newer_glibc = [wheels[0], _wheel(tmp_path, "core-2.0-cp311-cp311-manylinux_2_34_x86_64.whl")]
    assert _names(unmet(target=LINUX, wheels=newer_glibc, root="app")) == ["core"]


def test_versions_pythons_and_extras_are_honoured(tmp_path: Path) -> None:
    wheels = [_wheel(tmp_path, "app-1.0-py3-none-any.whl", "lib[fast]<2"),
              _wheel(tmp_path, "lib-2.0-py3-none-any.whl", 'speedup; extra == "fast"')]
    assert _names(unmet(target=LINUX, wheels=wheels, root="app")) == ["lib"]
    wheels.append(_wheel(tmp_path, "lib-1.6-py3-none-any.whl", python=">=3.12"))
    assert _names(unmet(target=LINUX, wheels=wheels, root="app")) == ["lib"]
    assert unmet(target=WIN312, wheels=wheels, root="app") == []
    wheels.append(_wheel(tmp_path, "lib-1.5-py3-none-any.whl", 'speedup; extra == "fast"'))
    assert _names(unmet(target=LINUX, wheels=wheels, root="app")) == ["speedup"]


def test_zip_holds_the_program_and_nothing_the_office_owns(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path, "chuangcheng-0.1.0-py3-none-any.whl")
    entries = layout(root=ROOT, wheels=[wheel], stamp=b"x\r\n")
    names = {e.name.removeprefix(f"{TOP}/") for e in entries}
    assert all(e.name.startswith(f"{TOP}/") for e in entries)
    assert {"生成周报.bat", "生成模板.bat", "检查台账.bat", "launcher/prepare.cmd", "README.md", "campaign.example.yaml",
            "templates/xlsx/创城大讨论台账模板.xlsx", "wheels/chuangcheng-0.1.0-py3-none-any.whl",
            "wheels/bundle.txt", "inbox/", "outbox/"} <= names
    assert "campaign.yaml" not in names
    office = ("inbox/", "outbox/", "archive", ".venv", "demo", "恢复的文件")
    assert [n for n in names if n.startswith(office) and n not in ("inbox/", "outbox/")] == []
    example = next(e for e in entries if e.name.endswith("campaign.example.yaml"))
    assert example.source == ROOT / "campaign.yaml"


def test_unpacking_a_newer_zip_over_the_folder_keeps_the_office_data(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path, "chuangcheng-0.2.0-py3-none-any.whl")
    package = tmp_path / "new.zip"
    write_zip(layout(root=ROOT, wheels=[wheel], stamp=stamp(project=wheel)), package)
    folder = tmp_path / "d" / TOP
    kept = {"campaign.yaml": "本乡名册", "inbox/荷花村.xlsx": "台账", "outbox/督查汇总表_2026-12-18.xlsx": "报表",
            "archive/history.sqlite3": "历史", "templates/xlsx/old.xlsx": "旧模板"}
    for name, text in kept.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "生成周报.bat").write_text("old", encoding="utf-8")
    with zipfile.ZipFile(package) as zf:
        zf.extractall(tmp_path / "d")
    assert {name: (folder / name).read_text(encoding="utf-8") for name in kept} == kept
    assert (folder / "生成周报.bat").read_bytes() == (ROOT / "生成周报.bat").read_bytes()
    assert (folder / "campaign.example.yaml").read_bytes() == (ROOT / "campaign.yaml").read_bytes()


def test_launchers_in_the_zip_have_crlf_even_from_an_lf_checkout(tmp_path: Path) -> None:
    """A checkout with core.autocrlf may hand over LF files; cmd.exe needs CRLF to find its labels."""
    root = tmp_path / "src"
    (root / "launcher").mkdir(parents=True)
    (root / "生成周报.bat").write_bytes(b"@echo off\nchcp 65001 >nul\n")
    (root / "launcher" / "prepare.cmd").write_bytes(b"@echo off\r\nexit /b 0\r\n")
    for name in ("README.md", "campaign.yaml"):
        (root / name).write_bytes(b"a\nb\n")
    package = tmp_path / "p.zip"
    write_zip(layout(root=root, wheels=[], stamp=b"x\r\n"), package)
    with zipfile.ZipFile(package) as zf:
        assert zf.read(f"{TOP}/生成周报.bat") == b"@echo off\r\nchcp 65001 >nul\r\n"
        assert zf.read(f"{TOP}/launcher/prepare.cmd") == b"@echo off\r\nexit /b 0\r\n"
        assert zf.read(f"{TOP}/README.md") == b"a\nb\n"


def test_stamp_names_the_build_so_a_rebuilt_package_reinstalls(tmp_path: Path) -> None:
    first = _wheel(tmp_path, "chuangcheng-0.1.0-py3-none-any.whl", "click")
    before = stamp(project=first)
    line, end = before.decode("ascii").split("\r\n")
    assert line.startswith("chuangcheng 0.1.0 ") and end == ""
    assert {"cp311-win_amd64", "cp312-win_amd64", "cp313-win_amd64", "cp311-manylinux_2_17_x86_64"} <= set(line.split())
    rebuilt = _wheel(tmp_path, "chuangcheng-0.1.0-py3-none-any.whl", "click>=8")
    assert stamp(project=rebuilt) != before


@pytest.mark.parametrize("missing", ["tzdata", "click"])
def test_check_names_every_target_a_zip_cannot_serve(tmp_path: Path, missing: str) -> None:
    project = _wheel(tmp_path, "chuangcheng-0.1.0-py3-none-any.whl", "click", 'tzdata; sys_platform == "win32"')
    others = [_wheel(tmp_path, f"{name}-1.0-py3-none-any.whl") for name in ("click", "tzdata") if name != missing]
    package = tmp_path / "p.zip"
    write_zip(layout(root=ROOT, wheels=[project, *others], stamp=stamp(project=project)), package)
    lines = check(package)
    lacking = [t.key for t in TARGETS if missing == "click" or t.system == "Windows"]
    assert [line.split(" ")[0] for line in lines] == lacking
    assert all(missing in line for line in lines)
