"""One report at a time, through an operating-system lock (filelock: fcntl on Linux and macOS, msvcrt on Windows).

The system releases the lock when its holder ends, however it ends, so a killed or crashed run never
blocks the next one, and no process ever deletes a lock another holds. The lock file itself stays in
the archive folder between runs; it is not a sign that a run is going on.
"""

from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from pipeline.errors import ChuangchengError, Stop


class RunLock:
    """Context manager: wait up to `timeout` seconds for the lock, then give up with a Chinese message."""

    def __init__(self, path: Path, *, timeout: float, poll: float = 0.2) -> None:
        self.path, self.timeout = path, timeout
        self._lock = FileLock(path, timeout=timeout, poll_interval=poll, thread_local=False)

    def __enter__(self) -> "RunLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire()
        except Timeout:
            raise ChuangchengError(Stop.LOCKED, path=self.path, timeout=self.timeout) from None
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._lock.release()
