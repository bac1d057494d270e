"""Writing a report's files into the outbox: each under a temporary name first, then renamed into place.

A run killed at any moment leaves no partial file under a final name. The previous outputs of the same
date are first moved aside, then the new ones renamed in; if any rename fails (a file held open by Excel or
WPS on Windows) every previous output is put back. If a run dies in between, the next run puts back what
was moved aside and has no replacement.
Who writes what, and in which process, is the entry point's choice (pipeline.run); this module only
stages and commits.
"""

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from pipeline.judge.report import Report

_OLD = ".旧版_"
_NEW = ".写入中_"


@dataclass(frozen=True)
class Written:
    workbook: Path
    gap_list_folder: Path
    gap_lists: tuple[Path, ...]
    bulletin: Path
    reminders: Path


@dataclass(frozen=True)
class Staged:
    """Temporary paths beside the final ones: the writers fill these, `Outbox.commit` renames them."""

    workbook: Path
    gap_lists: Path
    bulletin: Path
    reminders: Path


def workbook_name(as_of: dt.date) -> str:
    return f"督查汇总表_{as_of.isoformat()}.xlsx"


def gap_folder_name(as_of: dt.date) -> str:
    return f"整改清单_{as_of.isoformat()}"


def recover(outbox: Path) -> None:
    """Undo what an interrupted run left: put back a folder moved aside, drop half-written temporaries."""
    if not outbox.is_dir():
        return
    for path in sorted(outbox.iterdir()):
        if path.name.startswith(_OLD):
            final = outbox / path.name[len(_OLD):]
            if final.exists():
                _remove(path)
            else:
                os.replace(path, final)
        elif path.name.startswith(_NEW):
            _remove(path)


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _temp(folder: Path, suffix: str, mode: int) -> Path:
    """A temporary file beside the final one, with the permissions a file the user saves there would get
    (mkstemp makes it private to the user, which would stay so after the rename)."""
    handle, name = tempfile.mkstemp(prefix=_NEW, suffix=suffix, dir=folder)
    os.close(handle)
    os.chmod(name, mode)
    return Path(name)


def write_side_outputs(report: Report, staged: Staged) -> None:
    """Everything but the supervision workbook: gap lists, bulletin, reminders (one process may do this
    while another writes the workbook). Their writers are imported here, so a forked helper loads them while
    the main process goes on with the workbook."""
    from pipeline.write.bulletin import write_bulletin
    from pipeline.write.gaplists import write_gap_lists
    from pipeline.write.reminders import write_reminders

    write_gap_lists(report, staged.gap_lists)
    write_bulletin(report, staged.bulletin)
    write_reminders(report, staged.reminders)


class Outbox:
    """All outputs for one date, staged then committed; a previous run's files for that date are replaced whole.

    `with Outbox(folder, as_of=d) as staged:` … write into `staged` … `written = outbox.commit()`; leaving
    the block without commit (an error) removes every temporary and leaves the previous files as they were.
    """

    def __init__(self, folder: Path, *, as_of: dt.date, mode: int, folder_mode: int) -> None:
        self.folder, self.mode, self.folder_mode = folder, mode, folder_mode
        day = as_of.isoformat()
        self.workbook = folder / workbook_name(as_of)
        self.gap_list_folder = folder / gap_folder_name(as_of)
        self.bulletin = folder / f"工作通报_{day}.docx"
        self.reminders = folder / f"催报提醒_{day}.txt"
        self._staged: Staged | None = None

    def __enter__(self) -> Staged:
        self.folder.mkdir(parents=True, exist_ok=True)
        recover(self.folder)
        gap_lists = Path(tempfile.mkdtemp(prefix=_NEW, dir=self.folder))
        os.chmod(gap_lists, self.folder_mode)
        self._staged = Staged(gap_lists=gap_lists, workbook=_temp(self.folder, ".xlsx", self.mode),
                              bulletin=_temp(self.folder, ".docx", self.mode),
                              reminders=_temp(self.folder, ".txt", self.mode))
        return self._staged

    def commit(self) -> Written:
        """Put every staged output in place as one step: the previous ones aside first, then the new ones in;
        on any failure the previous ones are back and the new ones gone (the caller words the error)."""
        staged = self._staged
        assert staged is not None, "commit() belongs inside the with block"
        pairs = ((staged.workbook, self.workbook), (staged.bulletin, self.bulletin),
                 (staged.reminders, self.reminders), (staged.gap_lists, self.gap_list_folder))
        names = sorted(p.name for p in staged.gap_lists.iterdir())
        aside: list[tuple[Path, Path]] = []
        placed: list[Path] = []
        try:
            for _, final in pairs:
                if final.exists():
                    old = self.folder / f"{_OLD}{final.name}"
                    os.replace(final, old)
                    aside.append((final, old))
            for temp, final in pairs:
                os.replace(temp, final)
                placed.append(final)
        except OSError:
            for final in placed:
                _remove(final)
            for final, old in aside:
                os.replace(old, final)
            raise
        for _, old in aside:
            _remove(old)
        return Written(workbook=self.workbook, gap_list_folder=self.gap_list_folder,
                       gap_lists=tuple(self.gap_list_folder / n for n in names), bulletin=self.bulletin,
                       reminders=self.reminders)

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        staged, self._staged = self._staged, None
        if staged is None:
            return
        if staged.gap_lists.exists():
            shutil.rmtree(staged.gap_lists, ignore_errors=True)
        for temp in (staged.workbook, staged.bulletin, staged.reminders):
            temp.unlink(missing_ok=True)
