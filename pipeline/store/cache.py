"""The read cache: what reading each ledger yielded, kept beside the archive so that a weekly rerun reads again
only the ledgers that changed.

An entry is known by a key that covers everything reading depends on: the file's bytes (sha256), its name as
shown and as found (the unit is read from the name), the whole campaign (roster, keywords, dates, limits: the
roster is derived from it) and the reader itself (the package version, the source of pipeline/read,
pipeline/config and pipeline/model.py, and the versions of the libraries that parse the files), so a change to
any of them is simply a different key. Reading does not depend on the report date.

One file per entry, DIR/<key[:2]>/<key>, written to a temporary file in the same folder and moved into place
with os.replace (atomic on Windows too): a concurrent or killed run never leaves a half entry under a key. Each
entry starts with a format line and the sha256 of its payload, so a damaged, truncated or foreign file is
detected and read again (then rewritten), never trusted. The cache only ever saves work: a folder that cannot
be written makes the run proceed uncached, and the whole folder can be deleted at any time.
"""

import hashlib
import importlib.metadata
import os
import pickle
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import pipeline
from pipeline.config.campaign import Campaign
from pipeline.model import JobKey, Parsed
from pipeline.store.files import TEMP_PREFIX, InUse, write_whole

FOLDER = "读取缓存"
MAGIC = b"chuangcheng read cache 1\n"
_DIGEST = 32
READER_PACKAGES = ("pipeline.read", "pipeline.config")
READER_MODULES = ("model.py", "records.py")
READER_LIBRARIES = ("chuangcheng", "python-calamine", "pandas", "lxml", "numpy", "pydantic", "pydantic-core")
"""Distributions whose version changes what a file reads as (the package itself; the parsers of xlsx/xls/ods
and of web-system HTML tables; the validators of what the fast paths do not build themselves)."""
KEEP_RUNS = 8
"""An entry not used by this many reporting periods' runs is removed at the end of a report."""
MAX_BYTES = 1 << 30
"""Beyond this size the entries used longest ago are removed at the end of a report."""
STALE_TEMP_SECONDS = 24 * 3600
"""A temporary file this old is a killed run's leftover (a live run renames its own within moments)."""


def source_digest(packages: tuple[str, ...], modules: tuple[str, ...] = ()) -> bytes:
    """The sha256 of the source of every module of `packages` and of pipeline's `modules`, in a fixed order (works
    from a zip import too): what a kept result was made by."""
    digest = hashlib.sha256()
    root = resources.files(pipeline)
    sources = [(f"{package}/{item.name}", item) for package in packages
               for item in resources.files(package).iterdir() if item.name.endswith(".py")]
    sources += [(name, root / name) for name in modules]
    for name, item in sorted(sources, key=lambda pair: pair[0]):
        digest.update(name.encode() + b"\0" + item.read_bytes() + b"\0")
    return digest.digest()


def _reader_source() -> bytes:
    """The source of every module that affects reading."""
    return source_digest(READER_PACKAGES, READER_MODULES)


def _versions() -> str:
    found = []
    for name in READER_LIBRARIES:
        try:
            found.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            found.append(f"{name}=-")
    return f"{sys.version}|{'|'.join(found)}"


def fingerprint(campaign: Campaign) -> str:
    """What every key of one run shares: the reader and the campaign (computed once per run)."""
    digest = hashlib.sha256(_reader_source())
    digest.update(_versions().encode())
    digest.update(campaign.model_dump_json().encode())
    return digest.hexdigest()


def _encoded(parsed: Parsed, pickled: bytes | None = None) -> bytes:
    payload = pickled if pickled is not None else pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)
    return MAGIC + hashlib.sha256(payload).digest() + payload


def _decoded(data: bytes) -> Parsed | None:
    """The entry's value, or None when the file is not a whole, sound entry of this format."""
    start = len(MAGIC) + _DIGEST
    if len(data) <= start or not data.startswith(MAGIC):
        return None
    payload = data[start:]
    if hashlib.sha256(payload).digest() != data[len(MAGIC):start]:
        return None
    try:
        # The checksum finds damage, not forgery: whoever can write the archive folder could plant an entry, as they
        # could replace the program itself; the archive is the office's own folder (README 存档、历史和安全).
        value: Parsed = pickle.loads(payload)
    except Exception:  # a sound checksum over a payload that will not load: treated as damaged all the same
        return None
    return value


@dataclass
class ReadCache:
    """The read layer's `Memo` over DIR/读取缓存. `writable=False` (validate) recalls but never writes, touches
    or removes anything."""

    root: Path
    fingerprint: str
    writable: bool = True
    mode: int = 0o644
    hits: int = 0
    misses: int = 0
    damaged: int = 0
    failure: OSError | None = field(default=None)
    """Why entries could not be saved this run (the first failure; later saves are not tried)."""
    _saving: ThreadPoolExecutor | None = field(default=None, repr=False, compare=False)
    _saved: list["Future[None]"] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def beside(cls, archive: Path, *, campaign: Campaign, writable: bool, mode: int = 0o644) -> "ReadCache":
        return cls(archive / FOLDER, fingerprint(campaign), writable=writable, mode=mode)

    def path_for(self, job: JobKey) -> Path:
        digest = hashlib.sha256(self.fingerprint.encode())
        for part in job:
            digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
        key = digest.hexdigest()
        return self.root / key[:2] / key

    def recall(self, job: JobKey) -> Parsed | None:
        path = self.path_for(job)
        try:
            data = path.read_bytes()
        except OSError:  # absent (the usual miss), removed by a concurrent prune, or unreadable
            self.misses += 1
            return None
        value = _decoded(data)
        if value is None:
            self.damaged += 1
            self.misses += 1
            return None
        self.hits += 1
        if self.writable:
            with suppress(OSError):  # used now: pruning goes by when an entry was last used
                os.utime(path)
        return value

    def remember(self, job: JobKey, parsed: Parsed, *, pickled: bytes | None = None) -> None:
        """Hand the entry to a thread that saves it while the run goes on (creating a file costs the file system
        a few tenths of a millisecond, 0.4 s for a county's inbox); `finish` waits for it."""
        if not self.writable or self.failure is not None:
            return
        if self._saving is None:
            self._saving = ThreadPoolExecutor(max_workers=1, thread_name_prefix="读取缓存")
        self._saved.append(self._saving.submit(self._save, self.path_for(job), parsed, pickled))

    def finish(self) -> None:
        """Wait until every entry handed to `remember` is saved or given up (see `failure`, which a fault in
        saving also sets: the report is complete by now and stands)."""
        if self._saving is None:
            return
        self._saving.shutdown(wait=True)
        self._saving = None
        saved, self._saved = self._saved, []
        for future in saved:
            fault = future.exception()
            if fault is not None and self.failure is None:  # a fault of the program, not of the disk: the report
                self.failure = OSError(0, f"{type(fault).__name__}: {fault}")  # is complete; only saving stopped

    def _save(self, path: Path, parsed: Parsed, pickled: bytes | None) -> None:
        if self.failure is not None:
            return
        data = _encoded(parsed, pickled)
        try:
            try:
                write_whole(path, data, mode=self.mode)
            except FileNotFoundError:  # the first entry of its folder
                path.parent.mkdir(parents=True, exist_ok=True)
                write_whole(path, data, mode=self.mode)
        except OSError as exc:
            # On Windows an entry open in a concurrent reader cannot be replaced: it stays, and is sound. Any other
            # failure (a read-only folder, a full disk) means no more saving this run: it goes on uncached.
            if not (isinstance(exc, InUse) and path.is_file()):
                self.failure = exc

    def prune(self, *, interval_days: int, now: float | None = None) -> None:
        """Remove entries no run used for KEEP_RUNS reporting periods, then the longest unused beyond MAX_BYTES,
        and killed runs' temporary files. Only a report prunes; an entry another run is reading or has just
        written may go, which costs that run one reading, never a wrong value."""
        if not self.writable or not self.root.is_dir():
            return
        now = time.time() if now is None else now
        oldest = now - KEEP_RUNS * interval_days * 86400
        kept: list[tuple[float, int, Path]] = []
        try:
            folders = list(self.root.iterdir())
        except OSError:  # deleted by the clerk a moment ago, or not readable: nothing to prune, the report stands
            return
        for folder in folders:
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                try:
                    stat = entry.stat()
                except OSError:
                    continue
                path = Path(entry.path)
                stale = now - STALE_TEMP_SECONDS if entry.name.startswith(TEMP_PREFIX) else oldest
                if stat.st_mtime < stale:
                    _remove(path)
                elif not entry.name.startswith(TEMP_PREFIX):
                    kept.append((stat.st_mtime, stat.st_size, path))
        total = sum(size for _, size, _ in kept)
        for _, size, path in sorted(kept):
            if total <= MAX_BYTES:
                break
            _remove(path)
            total -= size


def _remove(path: Path) -> None:
    with suppress(OSError):  # open in another run on Windows, or a read-only folder: it goes next time
        path.unlink(missing_ok=True)
