"""Writing a report's files into the outbox: each under a temporary name first, then renamed into place."""

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.gaplists import write_gap_lists
from pipeline.report import Report
from pipeline.workbook import write_supervision_workbook


@dataclass(frozen=True)
class Written:
    workbook: Path
    gap_list_folder: Path
    gap_lists: tuple[Path, ...]


def workbook_name(report: Report) -> str:
    return f"督查汇总表_{report.as_of.isoformat()}.xlsx"


def gap_folder_name(report: Report) -> str:
    return f"整改清单_{report.as_of.isoformat()}"


def write_outputs(report: Report, outbox: Path) -> Written:
    """The workbook and the gap-list folder; a previous run's files for the same date are replaced whole."""
    outbox.mkdir(parents=True, exist_ok=True)
    target = outbox / workbook_name(report)
    handle, tmp_name = tempfile.mkstemp(prefix=".写入中_", suffix=".xlsx", dir=outbox)
    os.close(handle)
    try:
        write_supervision_workbook(report, Path(tmp_name))
        os.replace(tmp_name, target)
    finally:
        Path(tmp_name).unlink(missing_ok=True)
    folder = outbox / gap_folder_name(report)
    staging = Path(tempfile.mkdtemp(prefix=".写入中_", dir=outbox))
    try:
        paths = write_gap_lists(report, staging)
        old = None
        if folder.exists():
            old = Path(tempfile.mkdtemp(prefix=".旧版_", dir=outbox))
            os.replace(folder, old / folder.name)
        os.replace(staging, folder)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return Written(workbook=target, gap_list_folder=folder, gap_lists=tuple(folder / p.name for p in paths))
