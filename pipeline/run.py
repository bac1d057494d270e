"""The library entry point: each command's whole job as one function a test, a notebook or a county tool can call.

`report` is the weekly run: lock → read and archive → history → judge → write → record (the weekly job
and `--record` only: every other run is a trial that reads the history and leaves it as it was). This is the only
module that uses pipeline.store or changes process-wide state (GC tuning, file descriptor 2, the umask read),
and every such change is undone before it returns; it starts the side-output writer. (The reading pool lives
in pipeline.read.inbox: created and shut down within one call.) Every failure of the machine becomes a
`ChuangchengError` (pipeline.stops). It never prints: results and stops go to the caller, which for the
office is pipeline.cli.
"""

import datetime as dt
import errno
import gc
import hashlib
import multiprocessing
import os
import sqlite3
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path

from pipeline.config.campaign import Campaign, load_campaign
from pipeline.config.roster import Roster
from pipeline.errors import ChuangchengError, InternalError, Notice, Said, Stop, gone_files, os_reason
from pipeline.judge.redone import replaced_notice
from pipeline.judge.report import Report, build_report
from pipeline.judge.validation import Validation
from pipeline.judge.validation import validate as check
from pipeline.model import Outcome, RunSnapshot
from pipeline.read.inbox import Keep, Memo, read_inbox
from pipeline.read.refusals import RefusalCode
from pipeline.stops import machine_stops, writable_folder
from pipeline.store.archive import SHA_START, Archive
from pipeline.store.blocks import RowBlocks
from pipeline.store.cache import ReadCache
from pipeline.store.history import Damaged, History, Periods, RunRecord, campaign_key
from pipeline.store.lock import RunLock
from pipeline.write.outbox import Outbox, Staged, Written, write_side_outputs
from pipeline.write.workbook import write_supervision_workbook

LOCK_NAME = "运行中.lock"
HISTORY_NAME = "history.sqlite3"
GC_THRESHOLD = (100_000, 50, 100)
"""The garbage collector's thresholds while a report runs (see _fewer_collections)."""
PARALLEL_FROM_UNITS = 200
"""From this many units the gap lists, bulletin and reminders are written by a forked helper process
while this process writes the supervision workbook (where fork exists; elsewhere one after the other)."""
PARALLEL_UP_TO_ROWS = 150_000
"""Above this many ledger rows in use, one after the other all the same. The helper shares this process's
memory, and each page of records the workbook touches while it lives is copied: at N = 10,000 ledgers (700,000
rows) that took the peak from about 545 to 950 MB for no time saved on a busy machine, and 8 % more CPU. Up to
here the copies stay under about 90 MB and the helper saves a few tenths of a second."""


@dataclass(frozen=True, kw_only=True)
class Setup:
    """What campaign.yaml gave: the campaign, its roster, warnings for the office, and the file's hash."""

    campaign: Campaign
    roster: Roster
    warnings: tuple[str, ...]
    config_sha256: str


@dataclass(frozen=True, kw_only=True)
class ReportSettings:
    setup: Setup
    inbox: Path
    outbox: Path
    archive: Path
    as_of: dt.date
    lock_timeout: float = 120.0
    record: bool = False
    """Record this run in the history although as_of is not today (`--record`: redoing a week)."""

    def official(self) -> bool:
        """Whether the run enters the weekly series: the weekly job (as_of is today in the campaign's time
        zone) or a run asked to. A run for another date is a trial and leaves the history as it was."""
        return self.record or self.as_of == self.setup.campaign.today()


@dataclass(frozen=True, kw_only=True)
class RunResult:
    report: Report
    written: Written
    notices: tuple[Said, ...] = ()
    """What the office must know although the run completed (e.g. a damaged history set aside)."""
    recorded: tuple[dt.date, dt.date] | None = None
    """The reporting period (first and last day) whose history entry this run became; None for a trial."""
    reused: int = 0
    """Files whose reading came from the read cache (the archive's 读取缓存) instead of being read again."""


def load(config: Path) -> Setup:
    """Read and check campaign.yaml; a mistake raises ConfigError listing every one found."""
    campaign, warnings = load_campaign(config)
    return Setup(campaign=campaign, roster=Roster.of(campaign), warnings=tuple(warnings),
                 config_sha256=hashlib.sha256(config.read_bytes()).hexdigest())


def as_of(value: str | None, setup: Setup) -> dt.date:
    """An --as-of text as a date; none means today in the campaign's time zone."""
    if not value:
        return setup.campaign.today()
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ChuangchengError(Stop.BAD_AS_OF, value=value) from None


@contextmanager
def _quiet_native_stderr() -> Iterator[None]:
    """The Rust spreadsheet reader prints its panic messages straight to file descriptor 2; a clerk should
    never see them (the panic itself still arrives as an exception and becomes a Chinese reason)."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    sink = os.open(os.devnull, os.O_WRONLY)
    os.dup2(sink, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(sink)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Hundreds of thousands of records and no reference cycles among them: collect garbage less often
    while a report runs (about 10 % faster for a county-sized inbox; memory is unchanged)."""
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _read(inbox: Path, setup: Setup, *, keep: Keep | None, memo: Memo | None) -> list[Outcome]:
    if inbox.exists() and not inbox.is_dir():
        raise ChuangchengError(Stop.NOT_A_FOLDER, path=inbox, what="--inbox")
    if not inbox.is_dir():
        raise ChuangchengError(Stop.NO_INBOX, inbox=inbox)
    with _quiet_native_stderr():
        return read_inbox(inbox, campaign=setup.campaign, roster=setup.roster, keep=keep, memo=memo)


def _write(report: Report, outbox: Path, *, modes: tuple[int, int], settle: Callable[[], None],
           blocks: RowBlocks) -> Written:
    """The workbook here; the other outputs beside it in a forked process when there are many units but not a
    county's rows (see PARALLEL_UP_TO_ROWS). `settle` ends this process's other threads first (the read cache's
    saving): a process is forked from one thread. The detail rows rendered are kept for the next report once the
    outputs are in place."""
    box = Outbox(outbox, as_of=report.as_of, mode=modes[0], folder_mode=modes[1])
    try:
        with box as staged:
            if _beside_a_helper(report):
                settle()
                _write_beside_a_helper(report, staged, blocks)
            else:
                write_side_outputs(report, staged)
                write_supervision_workbook(report, staged.workbook, blocks=blocks)
            written = box.commit()
    except BaseException:
        blocks.discard()
        raise
    blocks.save()
    return written


def _beside_a_helper(report: Report) -> bool:
    rows = sum(len(s.activities) + len(s.rectifications) + len(s.publicity) for s in report.intake.adopted.values())
    return (len(report.rows) >= PARALLEL_FROM_UNITS and rows <= PARALLEL_UP_TO_ROWS
            and "fork" in multiprocessing.get_all_start_methods())


def _write_beside_a_helper(report: Report, staged: Staged, blocks: RowBlocks) -> None:
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    helper = context.Process(target=_side_outputs, args=(report, staged, send), daemon=True)
    helper.start()
    send.close()
    try:
        write_supervision_workbook(report, staged.workbook, blocks=blocks)
    finally:
        helper.join()
    try:
        failure = receive.recv()
    except EOFError:  # the helper sent nothing: it succeeded, or died before it could say why
        failure = None
    receive.close()
    if isinstance(failure, OSError):
        raise failure
    if isinstance(failure, str):
        raise InternalError(failure)
    if helper.exitcode != 0:
        raise ChuangchengError(Stop.SIDE_WRITER, exitcode=helper.exitcode)


def _side_outputs(report: Report, staged: Staged, send: Connection) -> None:
    """In the helper: any failure goes back to the parent, which words it; the helper prints nothing."""
    try:
        write_side_outputs(report, staged)
    except OSError as exc:
        send.send(OSError(exc.errno, exc.strerror, exc.filename))
    except BaseException:  # a fault of the program: its traceback goes to the parent's error log
        send.send(traceback.format_exc())
    finally:
        send.close()


def _modes() -> tuple[int, int]:
    """The permissions a file and a folder the user makes get. The umask can only be read by setting it: it is
    put back at once (a library caller that writes files from other threads at this moment could see 0o022)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask, 0o777 & ~umask


def report(settings: ReportSettings) -> RunResult:
    """The weekly job. Every file read is archived; an official run (see `ReportSettings.official`) is recorded
    as the entry of its reporting period, replacing what that period held; any other run records nothing.

    An official run takes the history's write transaction before any output is written and commits it after
    them, so a database held by another program stops the run before it changes anything."""
    s = settings
    modes = _modes()
    history_path = s.archive / HISTORY_NAME
    notices: list[Said] = []
    official = s.official()
    periods = Periods.of(s.setup.campaign)
    writable_folder(s.outbox, what="--outbox")
    writable_folder(s.archive, what="--archive")
    with machine_stops(folder=s.outbox, history=history_path, timeout=s.lock_timeout), _fewer_collections(), \
            RunLock(s.archive / LOCK_NAME, timeout=s.lock_timeout):
        cache = ReadCache.beside(s.archive, campaign=s.setup.campaign, writable=True, mode=modes[0])
        blocks = RowBlocks.beside(s.archive, fingerprint=cache.fingerprint, mode=modes[0])
        outcomes = _read(s.inbox, s.setup, keep=Archive(s.archive, mode=modes[0]).store, memo=cache)
        if not official and not history_path.exists():
            return _pruned(cache, blocks, s, _trial(s, outcomes, history=(), modes=modes, notices=notices,
                                                    settle=cache.finish, blocks=blocks))
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        history, aside = History.open_or_set_aside(history_path, timeout=s.lock_timeout, stamp=stamp)
        if aside is not None:
            notices.append(Said.of(Notice.HISTORY_SET_ASIDE, path=history_path, aside=aside.name,
                                   name=history_path.name))
        key = campaign_key(s.setup.campaign)
        with history:
            earlier = history.runs_before(key, s.as_of, periods=periods)
            if official:
                with history.writing():
                    replaced = history.entry_of(key, s.as_of, periods=periods)
                    built = _build(s, outcomes, history=earlier)
                    if replaced is not None:
                        notices.append(replaced_notice(replaced, built.snapshot(), number=len(earlier) + 1))
                    written = _write(built, s.outbox, modes=modes, settle=cache.finish, blocks=blocks)
                    inputs = tuple((f.file, f.sha256, f.result) for f in built.intake.files)
                    history.record(key, RunRecord(as_of=s.as_of, config_sha256=s.setup.config_sha256,
                                                  inputs=inputs, snapshot=built.snapshot()), periods=periods)
        if not official:
            return _pruned(cache, blocks, s, _trial(s, outcomes, history=earlier, modes=modes, notices=notices,
                                                    settle=cache.finish, blocks=blocks))
        week = (periods.first_day(s.as_of), periods.last_day(s.as_of))
        return _pruned(cache, blocks, s, RunResult(report=built, written=written, notices=tuple(notices),
                                                   recorded=week))


def _unsaved(exc: OSError) -> str:
    """Why the read cache could not be saved, in a clerk's words (the run goes on: no stop says it)."""
    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "磁盘空间不足"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "没有写入权限，或磁盘是只读的"
    if not exc.errno:
        return "程序在保存时出错（报表不受影响）"
    return os_reason(exc)


def _pruned(cache: ReadCache, blocks: RowBlocks, s: ReportSettings, result: RunResult) -> RunResult:
    """After the outputs (still under the run lock): the cache's new entries are all saved (a thread saved them
    while the run judged and wrote), and it loses what no recent run used; the result says how many files it
    gave, and whether its entries could not be saved."""
    cache.finish()
    cache.prune(interval_days=s.setup.campaign.report_interval_days)
    unsaved = []  # each says what the next run does again: read the ledgers, lay out their rows
    if cache.failure is not None:
        unsaved.append(Said.of(Notice.CACHE_NOT_SAVED, path=cache.root, reason=_unsaved(cache.failure)))
    if blocks.failure is not None:
        unsaved.append(Said.of(Notice.ROWS_NOT_SAVED, path=blocks.folder, reason=_unsaved(blocks.failure)))
    return replace(result, reused=cache.hits,
                   notices=(*unsaved, *result.notices, *_gone(result.report), *_incomplete(result.report)))


def _incomplete(report: Report) -> list[Said]:
    """Files cut short (still being copied, a download cut off): the clerk fetches them again before the reminders
    send their units to resend a file that may be fine on their side (their outputs say so all the same)."""
    cut = [f for f in report.intake.files if f.code is RefusalCode.TRUNCATED]
    files = "、".join(f"《{f.file}》" + (f"（{f.unit}）" if f.unit else "") for f in cut)
    return [Said.of(Notice.INCOMPLETE_FILES, files=files)] if cut else []


def _gone(report: Report) -> list[Said]:
    """The units whose ledger the previous official report used and the inbox no longer holds, told to the clerk
    who can put it back (the units themselves are told in their outputs: judge.merge.gone_from_inbox)."""
    gone = [f for row in report.rows for f in row.facts.gone]   # roster order, as the outputs name them
    if not gone or not report.history:
        return []
    files = gone_files([(f.unit, f.file, f.sha256) for f in gone])
    units = "、".join(f.unit for f in gone)
    return [Said.of(Notice.GONE_FROM_INBOX, previous=report.history[-1].as_of, units=units, files=files)]


def _build(s: ReportSettings, outcomes: list[Outcome], *, history: tuple[RunSnapshot, ...]) -> Report:
    return build_report(campaign=s.setup.campaign, roster=s.setup.roster, outcomes=outcomes, as_of=s.as_of,
                        history=history)


def _trial(s: ReportSettings, outcomes: list[Outcome], *, history: tuple[RunSnapshot, ...], modes: tuple[int, int],
           notices: Sequence[Said] = (), settle: Callable[[], None], blocks: RowBlocks) -> RunResult:
    """A run outside the weekly series: the same outputs from the same history, and nothing recorded."""
    built = _build(s, outcomes, history=history)
    written = _write(built, s.outbox, modes=modes, settle=settle, blocks=blocks)
    return RunResult(report=built, written=written, notices=(*notices, Said.of(Notice.NOT_RECORDED, as_of=s.as_of)))


def validate(*, setup: Setup, inbox: Path, as_of: dt.date, archive: Path | None = None) -> Validation:
    """Read exactly as `report` does, without archiving or recording anything. With the archive, files its read
    cache holds are not read again; the cache is only read, never written, touched or pruned."""
    campaign = setup.campaign
    cache = None if archive is None else ReadCache.beside(archive, campaign=campaign, writable=False)
    with machine_stops(folder=inbox):
        return check(_read(inbox, setup, keep=None, memo=cache), as_of=as_of,
                     window=(campaign.start, campaign.deadline))


def templates(*, setup: Setup, folder: Path, per_unit: bool) -> list[Path]:
    """The blank template, or one pre-filled copy per roster unit."""
    from pipeline.write.template import TEMPLATE_NAME, per_unit_filename, write_template

    writable_folder(folder, what="--out")
    with machine_stops(folder=folder):
        if not per_unit:
            write_template(folder / TEMPLATE_NAME, campaign=setup.campaign, roster=setup.roster)
            return [folder / TEMPLATE_NAME]
        taken: set[str] = set()
        paths = []
        for unit in setup.campaign.units:
            path = folder / per_unit_filename(unit, taken=taken)
            write_template(path, campaign=setup.campaign, roster=setup.roster, unit=unit)
            paths.append(path)
        return paths


def demo(*, setup: Setup, folder: Path) -> tuple[Path, RunResult]:
    """A sample inbox under folder/inbox and its reports under folder/outbox (archive under folder/archive).

    The sample's date is weeks after the start, not today; it is recorded all the same, in the sample's own
    archive (never the office's), so the sample keeps a series of its own."""
    from pipeline.write.demo import demo_as_of, write_demo_inbox

    inbox = folder / "inbox"
    writable_folder(inbox, what="--dir")
    with machine_stops(folder=inbox):
        write_demo_inbox(inbox, campaign=setup.campaign, roster=setup.roster)
    result = report(ReportSettings(setup=setup, inbox=inbox, outbox=folder / "outbox", archive=folder / "archive",
                                   as_of=demo_as_of(setup.campaign), record=True))
    return inbox, result


def restore(*, sha: str, archive: Path, target: Path) -> Path:
    """Copy one archived file (found by the start of its SHA256) back under the name it arrived with."""
    if not SHA_START.fullmatch(sha.strip()):   # a shorter start, or a typo, is not told as a file not archived
        raise ChuangchengError(Stop.NOT_A_SHA, sha=sha)
    found = Archive(archive).find(sha)
    if len(found) != 1:
        raise ChuangchengError(Stop.NOT_ARCHIVED if not found else Stop.AMBIGUOUS_SHA, sha=sha)
    names: list[str] = []
    if (archive / HISTORY_NAME).exists():
        try:
            with History(archive / HISTORY_NAME) as history:
                names = history.names_for(found[0].name.split(".")[0])
        except (Damaged, sqlite3.Error):
            names = []  # without the history the copy keeps its archive name; the content is what matters
    original = Path(names[-1]).name if names else found[0].name
    writable_folder(target, what="--to")
    destination = target / original
    if destination.exists():
        raise ChuangchengError(Stop.RESTORE_EXISTS, path=destination)
    with machine_stops(folder=target):
        destination.write_bytes(found[0].read_bytes())
    return destination
