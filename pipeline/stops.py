"""Failures of the machine as the office can act on them: which folder is full or read-only, which file to close.

The entry point (pipeline.run) wraps every command in `machine_stops`, so an OSError, a database error or
xlsxwriter's wrapped file error always becomes a `ChuangchengError` with a Chinese sentence, never a traceback.
"""

import errno
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from xlsxwriter.exceptions import FileCreateError

from pipeline.errors import ChuangchengError, Stop, os_reason

_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_SHARING_VIOLATION = 32
"""Windows: the file is open in another program (Excel and WPS hold their files this way)."""


def os_stop(exc: OSError, *, folder: Path) -> ChuangchengError:
    """A failed write; `folder` is where the work was going when the error names no file."""
    path = Path(exc.filename) if exc.filename else folder
    where = path if path.is_dir() or not exc.filename else path.parent
    if exc.errno in _DISK_FULL:
        return ChuangchengError(Stop.DISK_FULL, folder=where)
    if exc.errno == errno.EROFS:
        return ChuangchengError(Stop.READ_ONLY, folder=where)
    if isinstance(exc, PermissionError):
        target = Path(exc.filename2) if exc.filename2 else None
        held = target if target is not None and target.exists() else path if exc.filename else None
        if held is not None and (getattr(exc, "winerror", None) == _SHARING_VIOLATION or held.exists()):
            return ChuangchengError(Stop.FOLDER_IN_USE if held.is_dir() else Stop.FILE_IN_USE, path=held)
        return ChuangchengError(Stop.READ_ONLY, folder=where)
    return ChuangchengError(Stop.UNWRITABLE, path=path, reason=os_reason(exc))


def history_stop(exc: sqlite3.Error, *, path: Path, timeout: float) -> ChuangchengError:
    name = getattr(exc, "sqlite_errorname", "")
    if name in ("SQLITE_BUSY", "SQLITE_LOCKED"):
        return ChuangchengError(Stop.HISTORY_BUSY, path=path, timeout=timeout)
    if name == "SQLITE_FULL":
        return ChuangchengError(Stop.DISK_FULL, folder=path.parent)
    if name in ("SQLITE_READONLY", "SQLITE_PERM"):
        return ChuangchengError(Stop.READ_ONLY, folder=path.parent)
    if path.is_dir():
        return ChuangchengError(Stop.HISTORY_FAILED, path=path, reason="它是一个文件夹，不是数据库文件")
    return ChuangchengError(Stop.HISTORY_FAILED, path=path, reason=f"数据库错误（{name or '未知'}）")


@contextmanager
def machine_stops(*, folder: Path, history: Path | None = None, timeout: float = 0.0) -> Iterator[None]:
    """Turn the machine's failures inside the block into stops worded for the office."""
    try:
        yield
    except sqlite3.Error as exc:
        raise history_stop(exc, path=history or folder, timeout=timeout) from None
    except FileCreateError as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(errno.EIO, str(exc))
        raise os_stop(cause, folder=folder) from None
    except OSError as exc:
        raise os_stop(exc, folder=folder) from None


def writable_folder(path: Path, *, what: str) -> None:
    """Make sure `path` is a folder this run can write into, before any long work starts."""
    if path.exists() and not path.is_dir():
        raise ChuangchengError(Stop.NOT_A_FOLDER, path=path, what=what)
    with machine_stops(folder=path):
        path.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=".写入中_", dir=path)
        os.close(handle)
        os.unlink(probe)
