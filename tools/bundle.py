"""`make bundle`: one zip the office PC installs from with no internet (README “安装到办公电脑”).

The zip holds one folder, 创城台账汇总/, laid out so that unpacking a newer zip over an older folder replaces the
program and never the office's data: it carries no campaign.yaml (the launcher makes one from campaign.example.yaml
when there is none), and inbox/ and outbox/ only as empty folders; archive/ and its history are never in it.

    python -m tools.bundle [--out dist]   build dist/创城台账汇总-<version>.zip (needs the package index)
    python -m tools.bundle --check ZIP    check that every target installs from the zip alone (no network)
"""

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.utils import canonicalize_name, parse_wheel_filename
from packaging.version import Version

from tools.wheels import TARGETS, download, problems

TOP = "创城台账汇总"
WHEELS = "wheels"
# One line: the package's identity and the targets it serves; the launcher's install marker holds a copy of it.
STAMP = "bundle.txt"
EXAMPLE = "campaign.example.yaml"
# What the office fills: shipped empty (a first install has them), so a newer zip has nothing in them to overwrite.
OFFICE_FOLDERS = ("inbox", "outbox")
# cmd.exe runs batch files with LF endings but mis-finds labels in them; the zip always carries CRLF.
_CRLF_SUFFIXES = (".bat", ".cmd")


@dataclass(frozen=True, slots=True)
class Entry:
    """One member of the zip: a copy of `source`, bytes made here (`data`), or an empty folder (neither)."""

    name: str
    source: Path | None = None
    data: bytes | None = None


def layout(*, root: Path, wheels: Sequence[Path], stamp: bytes) -> tuple[Entry, ...]:
    """Everything the zip holds, by name inside it, in the order written."""
    files = [*sorted(root.glob("*.bat")), *sorted((root / "launcher").glob("*.cmd")), root / "README.md",
             *sorted((root / "templates" / "xlsx").glob("*.xlsx"))]
    entries = [Entry(f"{TOP}/{f.relative_to(root).as_posix()}", source=f) for f in files]
    entries.append(Entry(f"{TOP}/{EXAMPLE}", source=root / "campaign.yaml"))
    entries += [Entry(f"{TOP}/{folder}/") for folder in OFFICE_FOLDERS]
    entries += [Entry(f"{TOP}/{WHEELS}/{w.name}", source=w) for w in wheels]
    entries.append(Entry(f"{TOP}/{WHEELS}/{STAMP}", data=stamp))
    return tuple(sorted(entries, key=lambda e: e.name))


def stamp(*, project: Path) -> bytes:
    """The build (version and the wheel's hash, so a rebuilt zip reinstalls) and its targets, on one line: the
    launcher reads one line with `set /p` and looks for its own target in it with findstr."""
    name, version, _, _ = parse_wheel_filename(project.name)
    digest = hashlib.sha256(project.read_bytes()).hexdigest()[:12]
    return f"{name} {version} {digest} {' '.join(t.key for t in TARGETS)}\r\n".encode("ascii")


def _content(entry: Entry) -> bytes:
    data = entry.data if entry.data is not None else entry.source.read_bytes() if entry.source else b""
    if entry.name.endswith(_CRLF_SUFFIXES):
        data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    return data


def write_zip(entries: Sequence[Entry], path: Path) -> None:
    """Write the zip beside its final name and rename it, so an interrupted build leaves no half zip."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.partial")
    now = time.localtime()[:6]
    with zipfile.ZipFile(partial, "w") as zf:
        for entry in entries:
            if entry.source is None and entry.data is None:
                zf.mkdir(entry.name.rstrip("/"))
                continue
            info = zipfile.ZipInfo(entry.name, date_time=now)
            info.compress_type = zipfile.ZIP_STORED if entry.name.endswith(".whl") else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, _content(entry))
    partial.replace(path)


def build(*, root: Path, out: Path) -> Path:
    """Build the project wheel, fetch every target's wheels, check them, and write the zip into `out`."""
    with tempfile.TemporaryDirectory() as tmp:
        wheels = Path(tmp)
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
                        "--wheel-dir", str(wheels), str(root)], check=True)
        (project,) = wheels.glob("*.whl")
        download(project=project, targets=TARGETS, dest=wheels)
        found = sorted(wheels.glob("*.whl"))
        _fail_on(problems(project=project, targets=TARGETS, wheels=found))
        version = parse_wheel_filename(project.name)[1]
        path = out / f"{TOP}-{version}.zip"
        write_zip(layout(root=root, wheels=found, stamp=stamp(project=project)), path)
    return path


def check(zip_path: Path) -> list[str]:
    """What keeps a target from installing from this zip alone (empty when every target can)."""
    prefix = f"{TOP}/{WHEELS}/"
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(zip_path) as zf:
        project_name, version = zf.read(prefix + STAMP).decode("ascii").split()[:2]
        wheels = []
        for member in zf.namelist():
            if member.startswith(prefix) and member.endswith(".whl"):
                wheels.append(Path(tmp) / member.removeprefix(prefix))
                wheels[-1].write_bytes(zf.read(member))
        wanted = (canonicalize_name(project_name), Version(version))
        project = next(w for w in wheels if parse_wheel_filename(w.name)[:2] == wanted)
        return problems(project=project, targets=TARGETS, wheels=wheels)


def _fail_on(lines: Sequence[str]) -> None:
    if lines:
        raise SystemExit("离线安装包不完整：\n" + "\n".join(lines))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.bundle", description="生成或检查离线安装包")
    parser.add_argument("--out", type=Path, default=Path("dist"), help="输出文件夹（默认 dist/）")
    parser.add_argument("--check", type=Path, metavar="ZIP", help="只检查已生成的安装包，不联网")
    args = parser.parse_args(argv)
    if args.check:
        _fail_on(check(args.check))
        print(f"离线安装包可用于：{'、'.join(t.key for t in TARGETS)}")
        return
    path = build(root=Path(__file__).resolve().parent.parent, out=args.out)
    print(f"已生成离线安装包：{path}（{path.stat().st_size / 1e6:.0f} MB）")


if __name__ == "__main__":
    main()
