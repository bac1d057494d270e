"""Which wheels the offline package needs, per machine it must install on, and fetching them with pip.

pip evaluates environment markers for the machine it runs on, even with `--platform win_amd64`: built on Linux,
`pip download` leaves out Windows-only requirements (such as the project's `tzdata`), and
`pip install --dry-run --platform win_amd64` does not miss them either. So the closure is walked here, with each
target's own marker environment, and whatever pip left out is fetched until nothing is missing. Markers, tags and
versions are read with `packaging`, the library pip itself uses (in the dev environment through pytest).
"""

import email.parser
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.tags import Tag, compatible_tags, cpython_tags
from packaging.utils import NormalizedName, canonicalize_name, parse_wheel_filename
from packaging.version import Version

# The newest glibc a bundled Linux wheel may need is 2.17 (manylinux2014), so the package installs on old Linux too.
_MANYLINUX = (*(f"manylinux_2_{minor}_x86_64" for minor in range(17, 4, -1)),
              "manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64")


@dataclass(frozen=True, slots=True)
class Target:
    """One kind of machine the zip installs on with no internet: an operating system and a CPython version."""

    system: str
    python: tuple[int, int]

    @property
    def platforms(self) -> tuple[str, ...]:
        return ("win_amd64",) if self.system == "Windows" else _MANYLINUX

    @property
    def key(self) -> str:
        """`cp312-win_amd64`: what bundle.txt lists and the Windows launcher looks for."""
        return f"cp{self.python[0]}{self.python[1]}-{self.platforms[0]}"

    @property
    def version(self) -> str:
        return f"{self.python[0]}.{self.python[1]}"

    def environment(self, *, extra: str = "") -> dict[str, str]:
        """The marker variables (PEP 508) this machine's interpreter would report."""
        windows = self.system == "Windows"
        return {
            "implementation_name": "cpython", "implementation_version": f"{self.version}.0",
            "os_name": "nt" if windows else "posix", "platform_machine": "AMD64" if windows else "x86_64",
            "platform_python_implementation": "CPython", "platform_release": "", "platform_system": self.system,
            "platform_version": "", "python_full_version": f"{self.version}.0", "python_version": self.version,
            "sys_platform": "win32" if windows else "linux", "extra": extra,
        }

    def tags(self) -> frozenset[Tag]:
        return frozenset((*cpython_tags(self.python, platforms=self.platforms),
                          *compatible_tags(self.python, f"cp{self.python[0]}{self.python[1]}", self.platforms)))

    def accepts(self, wheel: Path) -> bool:
        return not self.tags().isdisjoint(parse_wheel_filename(wheel.name)[3])


# Every CPython the office PC may have from python.org today, and the Linux of the project's own machines.
TARGETS = (
    Target("Windows", (3, 11)), Target("Windows", (3, 12)), Target("Windows", (3, 13)), Target("Windows", (3, 14)),
    Target("Linux", (3, 11)),
)


def metadata(wheel: Path) -> tuple[SpecifierSet, tuple[Requirement, ...]]:
    """The wheel's Requires-Python and Requires-Dist, read from its METADATA without installing it."""
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1)
        meta = email.parser.BytesParser().parsebytes(zf.read(name), headersonly=True)
    return SpecifierSet(meta.get("Requires-Python") or ""), tuple(Requirement(r) for r in meta.get_all("Requires-Dist") or [])


def _applies(req: Requirement, *, target: Target, extras: frozenset[str]) -> bool:
    marker: Marker | None = req.marker
    if marker is None:
        return True
    return any(marker.evaluate(target.environment(extra=e)) for e in ("", *sorted(extras)))


def unmet(*, target: Target, wheels: Iterable[Path], root: str) -> list[Requirement]:
    """Requirements of `root` no wheel here satisfies on `target`, walked as pip would: of the wheels that fit the
    target's tags and Python, the highest version that meets the requirement."""
    available: dict[NormalizedName, list[tuple[Version, Path]]] = {}
    for wheel in wheels:
        if target.accepts(wheel) and metadata(wheel)[0].contains(f"{target.version}.0", prereleases=True):
            name, version, _, _ = parse_wheel_filename(wheel.name)
            available.setdefault(name, []).append((version, wheel))
    queue = [Requirement(root)]
    seen: set[tuple[Path, frozenset[str]]] = set()
    missing: list[Requirement] = []
    while queue:
        req = queue.pop(0)
        found = available.get(canonicalize_name(req.name), [])
        fits = [(v, w) for v, w in found if req.specifier.contains(v, prereleases=True)]
        if not fits:
            missing.append(req)
            continue
        chosen = max(fits)[1]
        extras = frozenset(req.extras)
        if (chosen, extras) in seen:
            continue
        seen.add((chosen, extras))
        queue += [r for r in metadata(chosen)[1] if _applies(r, target=target, extras=extras)]
    return missing


def _pip_download(*, target: Target, dest: Path, requirements: Sequence[str]) -> None:
    platforms = [arg for p in target.platforms for arg in ("--platform", p)]
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
                    "--only-binary=:all:", *platforms, "--python-version", target.version, "--implementation", "cp",
                    "--dest", str(dest), *requirements], check=True)


def download(*, project: Path, targets: Sequence[Target], dest: Path) -> None:
    """Every wheel `project` (a built wheel file) needs on each target, into dest; fails if one cannot be had.

    The project is passed to pip as a file, never by name, so a same-named project on the index cannot replace it.
    """
    for target in targets:
        _pip_download(target=target, dest=dest, requirements=[str(project)])
        asked: set[str] = set()
        while missing := unmet(target=target, wheels=dest.glob("*.whl"), root=_root(project)):
            wanted = sorted({f"{r.name}{r.specifier}" for r in missing})
            if asked.issuperset(wanted):
                raise SystemExit(f"无法为 {target.key} 下载：{'、'.join(wanted)}")
            asked.update(wanted)
            _pip_download(target=target, dest=dest, requirements=wanted)


def _root(project: Path) -> str:
    name, version, _, _ = parse_wheel_filename(project.name)
    return f"{name}=={version}"


def problems(*, project: Path, targets: Sequence[Target], wheels: Sequence[Path]) -> list[str]:
    """One line per target that could not install the project from these wheels alone (empty when all can)."""
    lines = []
    for target in targets:
        missing = unmet(target=target, wheels=wheels, root=_root(project))
        if missing:
            lines.append(f"{target.key} 缺少：{'、'.join(str(r) for r in missing)}")
    return lines
