"""What a benchmark measured: the machine and library versions, and the commit of the program."""

import os
import platform
import subprocess
from importlib.metadata import version
from pathlib import Path


def machine() -> str:
    return (f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}; python-calamine "
            f"{version('python-calamine')}, xlsxwriter {version('xlsxwriter')}, pandas {version('pandas')}, "
            f"openpyxl {version('openpyxl')}")


def commit() -> str:
    """The commit measured, so that figures are never read as another version's ("uncommitted changes" when
    pipeline/ or bench/ differ from it, new files included; the results file itself does not count); without git,
    said so."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], capture_output=True, text=True, check=True,
                              cwd=Path(__file__).parent.parent).stdout.strip()
    try:
        head = git("rev-parse", "--short", "HEAD")
        changed = git("status", "--porcelain", "--", "pipeline", "bench", ":!bench/results.md", ":!bench/data",
                      ":!**/__pycache__")
    except (OSError, subprocess.CalledProcessError):
        return "commit unknown (no git)"
    return f"commit {head}" + (" with uncommitted changes to pipeline/ or bench/" if changed else "")
