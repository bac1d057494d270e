"""Writing a file whole or not at all, cheaply: a county's run writes two thousand of them (archive and read cache)."""

import os
from itertools import count
from pathlib import Path

TEMP_PREFIX = ".写入中_"
"""The name a file has while it is written: a killed run leaves only such files, which a later run removes."""
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
_SERIAL = count()


class InUse(PermissionError):
    """The file was written whole but could not be moved into place: on Windows, a file of that name that another
    program (or run) holds open cannot be replaced. The one there is whole too."""


def write_whole(target: Path, data: bytes, *, mode: int) -> None:
    """Write `data` under a temporary name beside `target`, then move it into place (os.replace: atomic on
    Windows too), so that no reader ever sees part of it. `mode` is the permission the user's umask gives (the
    file is created with it, where tempfile.mkstemp would make it private first). A failure names the temporary
    file, in the folder it was going to (or, for InUse, the target); nothing is left behind but what a killed
    process would leave."""
    temp = target.with_name(f"{TEMP_PREFIX}{target.name}.{os.getpid()}.{next(_SERIAL)}")
    handle = os.open(temp, _FLAGS, mode)
    try:
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror, str(temp)) from exc
        try:
            os.replace(temp, target)
        except PermissionError as exc:
            raise InUse(exc.errno, exc.strerror, str(target)) from exc
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
