"""One report at a time: a lock file created exclusively (works on Windows, macOS and Linux alike)."""

import os
import time
from pathlib import Path
from types import TracebackType

from pipeline.errors import ChuangchengError, Stop


class LockTimeout(ChuangchengError):
    """Another run holds the lock longer than we are willing to wait."""


class RunLock:
    """Context manager: wait up to `timeout` seconds for the lock; a lock older than `stale_after` is broken."""

    def __init__(self, path: Path, *, timeout: float, stale_after: float = 1800.0, poll: float = 0.2) -> None:
        self.path, self.timeout, self.stale_after, self.poll = path, timeout, stale_after, poll

    def __enter__(self) -> "RunLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                handle = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                self._break_if_stale()
                if time.monotonic() >= deadline:
                    raise LockTimeout(Stop.LOCKED, path=self.path, timeout=self.timeout) from None
                time.sleep(self.poll)
                continue
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(f"pid={os.getpid()} time={time.time():.0f}\n")
            return self

    def _break_if_stale(self) -> None:
        try:
            age = time.time() - self.path.stat().st_mtime
        except FileNotFoundError:
            return
        if age > self.stale_after:
            self.path.unlink(missing_ok=True)

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.path.unlink(missing_ok=True)
