"""The inbox folder → one entry per file (zip members included), read into submissions or refusals.

The inbox is only ever read: archives are opened in memory, never extracted, and nothing is executed.
"""

import hashlib
import io
import os
import pickle
import zipfile
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from itertools import chain
from pathlib import Path, PurePosixPath
from typing import Protocol

from pipeline.config.campaign import Campaign, Limits
from pipeline.config.roster import Roster
from pipeline.model import Ignored, JobKey, Outcome, Parsed, Refusal, Shared
from pipeline.read import refusals as R
from pipeline.read.ledger import read_ledger
from pipeline.read.names import member_name
from pipeline.read.sniff import SPREADSHEET_EXTS, Kind, check_container, cut_short, ignored_reason, sniff
from pipeline.read.units import unit_in_path

Keep = Callable[[str, str, bytes], None]
"""Called with (file name, sha256, bytes) for every file actually read, e.g. to archive it."""


class Memo(Protocol):
    """Remembers what reading a file yielded, so an unchanged file is not read again (the entry point passes the
    store's read cache, as it passes `keep`). Everything else reading depends on (campaign, roster, the reader's
    own code) is the memo's to take into account; what it recalls must be what reading would yield."""

    def recall(self, job: JobKey) -> Parsed | None: ...

    def remember(self, job: JobKey, parsed: Parsed, *, pickled: bytes | None = None) -> None:
        """`pickled`, when given, is `parsed` as a reading process pickled it (so it need not be pickled again)."""


@dataclass(frozen=True)
class _File:
    """A file or zip member to be read: `name` as 文件清单 shows it, `found` as it was found (they differ only
    when a repeated name was numbered; the extension and the unit in the name are read from `found`)."""

    name: str
    data: bytes
    found: str = ""
    packed: bool = False
    """A member of a zip whose own directory and checksums are whole: a file cut short was cut before packing."""


_Entry = _File | Refusal | Ignored


def _zip_entries(archive_name: str, data: bytes, limits: Limits) -> Iterator[_Entry]:
    over = check_container(data, limits)
    if over:
        yield Refusal(archive_name, over)
        return
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield Refusal(archive_name, R.corrupted(R.calamine_detail(f"zip {exc}")))
        return
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if not members:
            yield Refusal(archive_name, R.EMPTY_ZIP)
            return
        for info in members:
            inner = member_name(info)
            name = f"{archive_name}/{inner}"
            path = PurePosixPath(inner.replace("\\", "/"))
            if path.is_absolute() or ".." in path.parts or inner[1:2] == ":":
                yield Refusal(name, R.zip_member_unsafe(inner))
            elif ignored := ignored_reason(name):
                yield Ignored(name, ignored)
            elif path.suffix.lower() == ".zip":
                yield Refusal(name, R.NESTED_ZIP)
            else:
                try:
                    yield _File(name, archive.read(info), packed=True)
                except (zipfile.BadZipFile, zlib.error, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
                    why = R.ENCRYPTED if "encrypted" in str(exc) else R.corrupted(R.calamine_detail(f"zip {exc}"))
                    yield Refusal(name, why)


def _display_name(name: str) -> str:
    """A file name as the clerk knows it. On Linux a name that is not UTF-8 (often GBK, from a zip unpacked
    without its encoding) arrives with surrogate escapes, which no output could hold; it is read as GB18030,
    failing that with its undecodable bytes shown as �. The file itself is opened by its real path."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that never was a byte (possible in a Windows name)
        return name.encode("utf-8", "replace").decode("utf-8")
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")


PLACEHOLDER = ".gitkeep"
"""The empty file that keeps inbox/ in a fresh copy of the project: the office's own, never something a unit sent."""


def _files(inbox: Path) -> list[tuple[str, Path]]:
    return sorted((_display_name(p.relative_to(inbox).as_posix()), p) for p in inbox.rglob("*")
                  if p.is_file() and p.relative_to(inbox).as_posix() != PLACEHOLDER)


def _may_be_archive(name: str) -> bool:
    """A file named like a spreadsheet is never opened as an archive of ledgers (sniff says so from its
    content alone), so only other names are sniffed here; the reading process sniffs every file itself."""
    return PurePosixPath(name).suffix.lower() not in SPREADSHEET_EXTS


def _entries(files: list[tuple[str, Path]], limits: Limits) -> Iterator[_Entry]:
    for name, path in files:
        if ignored := ignored_reason(name):
            yield Ignored(name, ignored)
            continue
        try:
            size = path.stat().st_size
            data = b"" if size > limits.max_file_mb * 2**20 else path.read_bytes()
        except OSError:  # moved, renamed or held exclusively by another program while the run reads
            yield Refusal(name, R.corrupted("无法打开：读取时文件被移走、改名或正被其他程序独占"))
            continue
        if size > limits.max_file_mb * 2**20:
            yield Refusal(name, R.over_limit("max_file_mb", f"文件 {size / 2**20:.0f} MB，上限 {limits.max_file_mb} MB"))
            continue
        if _may_be_archive(name) and sniff(data, name).kind is Kind.ARCHIVE:
            yield from _zip_entries(name, data, limits)
        else:
            yield _File(name, data)


class _Names:
    """One 文件清单 row per file: a name already given (two zip members alike, two raw names that decode alike)
    gets `（第2个）`, `（第3个）`… in order (SPEC §5)."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def unique(self, name: str) -> str:
        if name not in self.seen:
            self.seen[name] = 1
            return name
        count = self.seen[name]
        while True:
            count += 1
            numbered = f"{name}（第{count}个）"
            if numbered not in self.seen:
                self.seen[name] = count
                self.seen[numbered] = 1
                return numbered


def _numbered(entry: _Entry, names: _Names) -> _Entry:
    if isinstance(entry, _File):
        return replace(entry, name=names.unique(entry.name), found=entry.found or entry.name)
    shown = names.unique(entry.file)
    return entry if shown == entry.file else replace(entry, file=shown)


def _attributed(refusal: Refusal, found: str, roster: Roster) -> Refusal:
    """A file that cannot be read is still told to the unit its name names, else the unit the zip or folder
    holding it names (SPEC §3 received is not silence)."""
    if refusal.unit or refusal.code is R.RefusalCode.UNKNOWN_UNIT:
        return refusal
    stem = PurePosixPath(found).stem
    held = unit_in_path(found, roster=roster)
    unit = roster.from_filename(stem) or roster.near(stem) or (held[0] if held else None)
    return replace(refusal, unit=unit.name) if unit else refusal


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


PARALLEL_FROM = 64
"""Below this many files a process pool costs more (start-up, pickling) than it saves."""

_worker: tuple[Campaign, Roster] | None = None


def _init_worker(campaign: Campaign) -> None:
    """A reading process only reads ledgers: the Rust reader's panic messages on its fd 2 go nowhere (each
    panic still becomes a Chinese reason), as in the parent while it reads."""
    global _worker
    _worker = (campaign, Roster.of(campaign))
    os.dup2(os.open(os.devnull, os.O_WRONLY), 2)


Job = tuple[str, str, str, bytes]
"""(file name as shown, name as found, sha256, bytes) of one ledger to parse."""


Result = tuple[Parsed, bytes | None]
"""What reading one file yielded, and the same pickled when it came from a reading process."""


def _read_batch(batch: list[Job]) -> list[bytes]:
    """Each result pickled here, once: the main process unpickles it and hands the same bytes to the memo."""
    assert _worker is not None
    return [pickle.dumps(read_ledger(data, file=name, found=found, sha256=digest, campaign=_worker[0],
                                     roster=_worker[1]), protocol=pickle.HIGHEST_PROTOCOL)
            for name, found, digest, data in batch]


def _loaded(pickled: bytes) -> Result:
    parsed: Parsed = pickle.loads(pickled)  # from our own reading process
    return parsed, pickled


def _batches(jobs: Iterable[Job | None], size: int) -> Iterator[list[Job]]:
    """Jobs `size` at a time, counting the recalled files between them (None) as places: when most files are
    recalled, each file to parse goes to the pool soon after it is found, not when enough others have been."""
    batch: list[Job] = []
    places = 0
    for job in jobs:
        places += 1
        if job is not None:
            batch.append(job)
        if places >= size and batch:
            yield batch
            batch, places = [], 0
    if batch:
        yield batch


def _pool(campaign: Campaign, workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(campaign,))


def _read_alone(job: Job, campaign: Campaign) -> Result:
    """One file in a process of its own: if that process dies too, the file is what kills it."""
    with _pool(campaign, 1) as pool:
        try:
            return _loaded(pool.submit(_read_batch, [job]).result()[0])
        except BrokenProcessPool:
            return Refusal(job[0], R.READER_DIED), None


def _pooled(jobs: Iterable[Job | None], *, size: int, workers: int, campaign: Campaign) -> Iterator[Result]:
    """Outcomes in job order from a pool, a few batches' worth of files in flight at a time (so memory stays flat).

    A reading process that dies (killed, out of memory, a crash in the native reader) breaks the pool: the
    batches in flight are read again file by file, each alone in a fresh process, and the rest continue
    in a new pool. A file whose own process dies again is refused with that reason; the run completes.
    """
    batches = _batches(jobs, size)
    first = next(batches, None)
    if first is None:  # every file was recalled: no pool to start
        return
    batches = chain([first], batches)
    while True:
        failed: list[list[Job]] = []
        with _pool(campaign, workers) as pool:
            window: deque[tuple[list[Job], Future[list[bytes]]]] = deque()
            exhausted, refused, in_flight = False, False, 0
            while window or not exhausted:
                while not exhausted and not refused and in_flight < workers * 4 * size:
                    batch = next(batches, None)
                    if batch is None:
                        exhausted = True
                        continue
                    try:
                        future = pool.submit(_read_batch, batch)
                    except BrokenProcessPool as exc:  # a process died while the next files were being found:
                        future = Future()  # this batch is read again below, after the batches before it
                        future.set_exception(exc)
                        refused = True
                    window.append((batch, future))
                    in_flight += len(batch)
                if not window:
                    break
                batch, future = window.popleft()
                in_flight -= len(batch)
                try:
                    yield from map(_loaded, future.result())
                except BrokenProcessPool:
                    failed = [batch, *(b for b, _ in window)]
                    break
        if not failed:
            return
        for batch in failed:
            for job in batch:
                yield _read_alone(job, campaign)


def _read_all(jobs: Iterable[Job | None], *, expected: int, campaign: Campaign, roster: Roster) -> Iterator[Result]:
    """Parse ledgers, in a pool of processes sized to the cores when there are enough of them. Jobs are
    handed to the pool as they are read, so parsing starts while later files are still being read; batches
    are small so that both processes finish together. Results come in job order, as they are parsed."""
    cores = os.cpu_count() or 1
    if expected < PARALLEL_FROM or cores < 2:
        return ((read_ledger(data, file=name, found=found, sha256=digest, campaign=campaign, roster=roster), None)
                for name, found, digest, data in filter(None, jobs))
    return _pooled(jobs, size=max(1, expected // (cores * 32)), workers=min(cores, 8), campaign=campaign)


def _by_chance(parsed: Parsed) -> bool:
    """An outcome of this run's circumstances, not of the file (its reading process was killed, perhaps for want
    of memory; no temporary copy could be made): never remembered, so the next run reads the file again."""
    return isinstance(parsed, Refusal) and parsed.why.code in R.CIRCUMSTANTIAL


def read_inbox(inbox: Path, *, campaign: Campaign, roster: Roster, keep: Keep | None = None,
               memo: Memo | None = None) -> list[Outcome]:
    """Every file in the inbox, each with one outcome under a name of its own (a workbook holding several units'
    ledgers, one for each of them), in file-name order.

    A file with the same bytes as one before it is one submission: only the first is read (SPEC §3). A file the
    memo recalls is not parsed; the others are, and what they yield is given to the memo."""
    slots: list[Outcome | Shared | None] = []
    where: list[tuple[int, str]] = []
    keys: list[JobKey] = []
    read_as: dict[int, Parsed] = {}
    """What each file read as, by its place among the files read: recalled from the memo, or parsed."""
    misses: list[int] = []
    found: dict[str, str] = {}
    first_of: dict[str, str] = {}
    names = _Names()
    files = _files(inbox)

    def jobs() -> Iterator[Job | None]:
        for raw in _entries(files, campaign.limits):
            entry = _numbered(raw, names)
            if not isinstance(entry, _File):
                found[entry.file] = raw.file if isinstance(raw, (Refusal, Ignored)) else entry.file
                slots.append(entry)
                continue
            digest = sha256_of(entry.data)
            if keep is not None:
                keep(entry.name, digest, entry.data)
            if digest in first_of:
                slots.append(Ignored(entry.name, R.identical(first_of[digest]), sha256=digest))
                continue
            if entry.data:  # empty files are each refused as empty, not copies of one another
                first_of[digest] = entry.name
            found[entry.name] = entry.found
            if entry.packed and cut_short(entry.data):  # fetching the zip again would not help: the unit packs anew
                slots.append(Refusal(entry.name, R.packed_truncated(len(entry.data)), sha256=digest))
                continue
            key = (entry.name, entry.found, digest)
            hit = memo.recall(key) if memo is not None else None
            if hit is not None:
                read_as[len(where)] = hit
            where.append((len(slots), digest))
            keys.append(key)
            slots.append(None)
            if hit is None:
                misses.append(len(keys) - 1)
                yield *key, entry.data
            else:
                yield None

    for n, (outcome, pickled) in enumerate(_read_all(jobs(), expected=len(files), campaign=campaign, roster=roster)):
        i = misses[n]  # the job was listed before it was handed out, so its place is known by now
        read_as[i] = outcome
        if memo is not None and not _by_chance(outcome):
            memo.remember(keys[i], outcome, pickled=pickled)  # as it comes, so its bytes are not kept
    outcomes = [read_as[i] for i in range(len(where))]
    for (index, digest), outcome in zip(where, outcomes, strict=True):
        slots[index] = replace(outcome, sha256=digest) if isinstance(outcome, Refusal) else outcome
    flat = [part for o in slots if o is not None
            for part in (o.parts if isinstance(o, Shared) else (o,))]    # each unit's ledger in a shared file
    return [_attributed(o, found.get(o.file, o.file), roster) if isinstance(o, Refusal) else o for o in flat]
