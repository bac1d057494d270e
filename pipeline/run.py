"""The library entry point: each command's whole job as one function a test, a notebook or a county tool can call.

`report` is the weekly run: lock → read and archive → history → judge → write → record (the weekly job
and `--record` only: every other run is a trial that reads the history and leaves it as it was). This is the only
module that uses pipeline.store, starts processes or changes process-wide state, and every such change
is undone before it returns. It never prints: results and stops (`ChuangchengError`) go to the caller,
which for the office is pipeline.cli.
"""

import datetime as dt
import errno
import gc
import hashlib
import multiprocessing
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from xlsxwriter.exceptions import FileCreateError

from pipeline.config.campaign import Campaign, load_campaign
from pipeline.config.roster import Roster
from pipeline.errors import ChuangchengError, Notice, Said, Stop
from pipeline.judge.report import Report, build_report
from pipeline.judge.validation import Validation
from pipeline.judge.validation import validate as check
from pipeline.model import Outcome, RunSnapshot
from pipeline.read.inbox import Keep, read_inbox
from pipeline.store.archive import Archive
from pipeline.store.history import Damaged, History, Periods, RunRecord, campaign_key
from pipeline.store.lock import RunLock
from pipeline.write.outbox import Outbox, Staged, Written, write_side_outputs
from pipeline.write.workbook import write_supervision_workbook

LOCK_NAME = "运行中.lock"
HISTORY_NAME = "history.sqlite3"
PARALLEL_FROM_UNITS = 200
"""From this many units the gap lists, bulletin and reminders are written by a forked helper process
while this process writes the supervision workbook (where fork exists; elsewhere one after the other)."""


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
    gc.set_threshold(100_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _read(inbox: Path, setup: Setup, *, keep: Keep | None) -> list[Outcome]:
    if not inbox.is_dir():
        raise ChuangchengError(Stop.NO_INBOX, inbox=inbox)
    with _quiet_native_stderr():
        return read_inbox(inbox, campaign=setup.campaign, roster=setup.roster, keep=keep)


def _write(report: Report, outbox: Path, *, mode: int) -> Written:
    """The workbook here; the other outputs beside it in a forked process when there are many units."""
    box = Outbox(outbox, as_of=report.as_of, mode=mode)
    with box as staged:
        if len(report.rows) >= PARALLEL_FROM_UNITS and "fork" in multiprocessing.get_all_start_methods():
            _write_beside_a_helper(report, staged)
        else:
            write_side_outputs(report, staged)
            write_supervision_workbook(report, staged.workbook)
        return box.commit()


def _write_beside_a_helper(report: Report, staged: Staged) -> None:
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    helper = context.Process(target=_side_outputs, args=(report, staged, send), daemon=True)
    helper.start()
    send.close()
    try:
        write_supervision_workbook(report, staged.workbook)
    finally:
        helper.join()
    try:
        failure = receive.recv()
    except EOFError:  # the helper sent nothing: it succeeded, or died before it could say why
        failure = None
    receive.close()
    if isinstance(failure, OSError):
        raise failure
    if failure is not None or helper.exitcode != 0:
        reason = failure or f"进程异常退出（代码 {helper.exitcode}）"
        raise ChuangchengError(Stop.SIDE_WRITER, reason=reason)


def _side_outputs(report: Report, staged: Staged, send: Connection) -> None:
    """In the helper: any failure goes back to the parent, which words it; the helper prints nothing."""
    try:
        write_side_outputs(report, staged)
    except OSError as exc:
        send.send(OSError(exc.errno, exc.strerror, exc.filename))
    except BaseException as exc:  # handed to the parent, which stops the run with it
        send.send(f"{type(exc).__name__}: {exc}")
    finally:
        send.close()


def _file_mode() -> int:
    """What permissions a file the user saves gets (the umask can only be read by setting it)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _os_stop(exc: OSError, *, folder: Path) -> ChuangchengError:
    """A failed write as the office would act on it: which folder is full or read-only, which file to close."""
    path = Path(exc.filename) if exc.filename else folder
    where = path.parent if exc.filename and not path.is_dir() else path
    if exc.errno in _DISK_FULL:
        return ChuangchengError(Stop.DISK_FULL, folder=where)
    if exc.errno == errno.EROFS:
        return ChuangchengError(Stop.READ_ONLY, folder=where)
    if isinstance(exc, PermissionError):
        target = Path(exc.filename2) if exc.filename2 else None
        if getattr(exc, "winerror", None) == 32 or (target is not None and target.exists()):
            return ChuangchengError(Stop.FILE_IN_USE, path=target or path)
        return ChuangchengError(Stop.READ_ONLY, folder=where)
    return ChuangchengError(Stop.UNWRITABLE, path=path, reason=exc.strerror or exc)


_DISK_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def _history_stop(exc: sqlite3.Error, *, path: Path, timeout: float) -> ChuangchengError:
    name = getattr(exc, "sqlite_errorname", "")
    if name in ("SQLITE_BUSY", "SQLITE_LOCKED"):
        return ChuangchengError(Stop.HISTORY_BUSY, path=path, timeout=timeout)
    if name == "SQLITE_FULL":
        return ChuangchengError(Stop.DISK_FULL, folder=path.parent)
    if name in ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM"):
        return ChuangchengError(Stop.READ_ONLY, folder=path.parent)
    return ChuangchengError(Stop.HISTORY_FAILED, path=path, reason=exc)


def report(settings: ReportSettings) -> RunResult:
    """The weekly job. Every file read is archived; an official run (see `ReportSettings.official`) is recorded
    as the entry of its reporting period, replacing what that period held; any other run records nothing.

    An official run takes the history's write transaction before any output is written and commits it after
    them, so a database held by another program stops the run before it changes anything."""
    s = settings
    mode = _file_mode()
    history_path = s.archive / HISTORY_NAME
    notices: list[Said] = []
    official = s.official()
    periods = Periods.of(s.setup.campaign)
    try:
        with _fewer_collections(), RunLock(s.archive / LOCK_NAME, timeout=s.lock_timeout):
            outcomes = _read(s.inbox, s.setup, keep=Archive(s.archive, mode=mode).store)
            if not official and not history_path.exists():
                return _trial(s, outcomes, history=(), mode=mode)
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
                        built = _build(s, outcomes, history=earlier)
                        written = _write(built, s.outbox, mode=mode)
                        inputs = tuple((f.file, f.sha256, f.result) for f in built.intake.files)
                        history.record(key, RunRecord(as_of=s.as_of, config_sha256=s.setup.config_sha256,
                                                      inputs=inputs, snapshot=built.snapshot()), periods=periods)
            if not official:
                return _trial(s, outcomes, history=earlier, mode=mode, notices=notices)
    except sqlite3.Error as exc:
        raise _history_stop(exc, path=history_path, timeout=s.lock_timeout) from None
    except FileCreateError as exc:
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else OSError(str(exc))
        raise _os_stop(cause, folder=s.outbox) from None
    except OSError as exc:
        raise _os_stop(exc, folder=s.outbox) from None
    week = (periods.first_day(s.as_of), periods.last_day(s.as_of))
    return RunResult(report=built, written=written, notices=tuple(notices), recorded=week)


def _build(s: ReportSettings, outcomes: list[Outcome], *, history: tuple[RunSnapshot, ...]) -> Report:
    return build_report(campaign=s.setup.campaign, roster=s.setup.roster, outcomes=outcomes, as_of=s.as_of,
                        history=history)


def _trial(s: ReportSettings, outcomes: list[Outcome], *, history: tuple[RunSnapshot, ...], mode: int,
           notices: Sequence[Said] = ()) -> RunResult:
    """A run outside the weekly series: the same outputs from the same history, and nothing recorded."""
    built = _build(s, outcomes, history=history)
    written = _write(built, s.outbox, mode=mode)
    return RunResult(report=built, written=written, notices=(*notices, Said.of(Notice.NOT_RECORDED, as_of=s.as_of)))


def validate(*, setup: Setup, inbox: Path, as_of: dt.date) -> Validation:
    """Read exactly as `report` does, without archiving or recording anything."""
    return check(_read(inbox, setup, keep=None), as_of=as_of)


def templates(*, setup: Setup, folder: Path, per_unit: bool) -> list[Path]:
    """The blank template, or one pre-filled copy per roster unit."""
    from pipeline.write.template import TEMPLATE_NAME, per_unit_filename, write_template

    folder.mkdir(parents=True, exist_ok=True)
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
    write_demo_inbox(inbox, campaign=setup.campaign, roster=setup.roster)
    result = report(ReportSettings(setup=setup, inbox=inbox, outbox=folder / "outbox", archive=folder / "archive",
                                   as_of=demo_as_of(setup.campaign), record=True))
    return inbox, result


def restore(*, sha: str, archive: Path, target: Path) -> Path:
    """Copy one archived file (found by the start of its SHA256) back under the name it arrived with."""
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
    target.mkdir(parents=True, exist_ok=True)
    destination = target / original
    if destination.exists():
        raise ChuangchengError(Stop.RESTORE_EXISTS, path=destination)
    destination.write_bytes(found[0].read_bytes())
    return destination
