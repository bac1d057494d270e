"""Writing a report's files into the outbox: each under a temporary name first, then renamed into place.

A run killed at any moment leaves no partial file under a final name. The gap-list folder is swapped
with two renames; if a run dies between them, the next run puts the previous folder back first.
"""

import multiprocessing
import multiprocessing.process
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.judge.report import Report
from pipeline.write.bulletin import write_bulletin, write_reminders
from pipeline.write.gaplists import write_gap_lists
from pipeline.write.workbook import write_supervision_workbook

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
    tmp = _temp(target.parent, target.suffix)
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


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


def _temp(folder: Path, suffix: str) -> Path:
    handle, name = tempfile.mkstemp(prefix=_NEW, suffix=suffix, dir=folder)
    os.close(handle)
    return Path(name)


PARALLEL_FROM_UNITS = 200
"""From this many units the gap lists, bulletin and reminders are written by a forked helper process
while the main process writes the supervision workbook (where fork exists; elsewhere one after the other)."""


def _side_outputs(report: Report, staging: Path, bulletin: Path, reminders: Path) -> None:
    write_gap_lists(report, staging)
    write_bulletin(report, bulletin)
    write_reminders(report, reminders)


def _start_side_outputs(report: Report, *args: Path) -> multiprocessing.process.BaseProcess | None:
    if len(report.rows) < PARALLEL_FROM_UNITS or "fork" not in multiprocessing.get_all_start_methods():
        _side_outputs(report, *args)
        return None
    helper = multiprocessing.get_context("fork").Process(target=_side_outputs, args=(report, *args), daemon=True)
    helper.start()
    return helper


def write_outputs(report: Report, outbox: Path) -> Written:
    """All outputs for one date; a previous run's files for the same date are replaced whole."""
    outbox.mkdir(parents=True, exist_ok=True)
    recover(outbox)
    day = report.as_of.isoformat()
    target = outbox / workbook_name(report)
    bulletin, reminders = outbox / f"工作通报_{day}.docx", outbox / f"催报提醒_{day}.txt"
    folder = outbox / gap_folder_name(report)
    staging = Path(tempfile.mkdtemp(prefix=_NEW, dir=outbox))
    temps = [_temp(outbox, suffix) for suffix in (".docx", ".txt")]
    try:
        helper = _start_side_outputs(report, staging, *temps)
        _atomic(target, lambda tmp: write_supervision_workbook(report, tmp))
        if helper is not None:
            helper.join()
            if helper.exitcode != 0:
                raise OSError(f"写整改清单、工作通报和催报提醒的进程异常退出（代码 {helper.exitcode}）")
        os.replace(temps[0], bulletin)
        os.replace(temps[1], reminders)
        paths = sorted(staging.iterdir())
        aside = outbox / f"{_OLD}{folder.name}"
        if folder.exists():
            os.replace(folder, aside)
        os.replace(staging, folder)
        shutil.rmtree(aside, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        for temp in temps:
            temp.unlink(missing_ok=True)
    return Written(workbook=target, gap_list_folder=folder, gap_lists=tuple(folder / p.name for p in paths),
                   bulletin=bulletin, reminders=reminders)
