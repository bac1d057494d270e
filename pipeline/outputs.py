"""Writing a report's files into the outbox: each under a temporary name first, then renamed into place.

A run killed at any moment leaves no partial file under a final name. The gap-list folder is swapped
with two renames; if a run dies between them, the next run puts the previous folder back first.
"""

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.bulletin import write_bulletin, write_reminders
from pipeline.gaplists import write_gap_lists
from pipeline.report import Report
from pipeline.workbook import write_supervision_workbook

_OLD = ".旧版_"
_NEW = ".写入中_"


@dataclass(frozen=True)
class Written:
    workbook: Path
    gap_list_folder: Path
    gap_lists: tuple[Path, ...]
    bulletin: Path
    reminders: Path


def _atomic(target: Path, write: Callable[[Path], None]) -> None:
    """Write to a temporary file beside the target, then rename it into place."""
    handle, tmp_name = tempfile.mkstemp(prefix=_NEW, suffix=target.suffix, dir=target.parent)
    os.close(handle)
    try:
        write(Path(tmp_name))
        os.replace(tmp_name, target)
    finally:
        Path(tmp_name).unlink(missing_ok=True)


def workbook_name(report: Report) -> str:
    return f"督查汇总表_{report.as_of.isoformat()}.xlsx"


def gap_folder_name(report: Report) -> str:
    return f"整改清单_{report.as_of.isoformat()}"


def recover(outbox: Path) -> None:
    """Undo what an interrupted run left: put back a folder moved aside, drop half-written temporaries."""
    if not outbox.is_dir():
        return
    for path in sorted(outbox.iterdir()):
        if path.name.startswith(_OLD):
            final = outbox / path.name[len(_OLD):]
            if final.exists():
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.replace(path, final)
        elif path.name.startswith(_NEW):
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)


def write_outputs(report: Report, outbox: Path) -> Written:
    """The workbook and the gap-list folder; a previous run's files for the same date are replaced whole."""
    outbox.mkdir(parents=True, exist_ok=True)
    recover(outbox)
    target = outbox / workbook_name(report)
    _atomic(target, lambda tmp: write_supervision_workbook(report, tmp))
    day = report.as_of.isoformat()
    bulletin = outbox / f"工作通报_{day}.docx"
    _atomic(bulletin, lambda tmp: write_bulletin(report, tmp))
    reminders = outbox / f"催报提醒_{day}.txt"
    _atomic(reminders, lambda tmp: write_reminders(report, tmp))
    folder = outbox / gap_folder_name(report)
    staging = Path(tempfile.mkdtemp(prefix=_NEW, dir=outbox))
    try:
        paths = write_gap_lists(report, staging)
        aside = outbox / f"{_OLD}{folder.name}"
        if folder.exists():
            os.replace(folder, aside)
        os.replace(staging, folder)
        shutil.rmtree(aside, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return Written(workbook=target, gap_list_folder=folder, gap_lists=tuple(folder / p.name for p in paths),
                   bulletin=bulletin, reminders=reminders)
