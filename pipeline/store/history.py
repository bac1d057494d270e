"""Weekly history in an embedded SQLite database: one row per run and per unit, kept per campaign.

The history is the official weekly series: one entry per reporting period (the `report_interval_days`
periods counted from the campaign's start). Recording a run replaces the entry of its period, never adds a
second one; only run.py decides which runs are recorded. The schema is versioned (PRAGMA user_version)
and migrated on open; WAL lets a reader and a writer coexist. A file that is not a sound database is set
aside under a dated name and a fresh one started, so one damaged file never stops the weekly report.
"""

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from pipeline.config.campaign import Campaign
from pipeline.model import RunSnapshot, UnitSnapshot

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        campaign TEXT NOT NULL,
        as_of TEXT NOT NULL,
        run_at TEXT NOT NULL,
        config_sha256 TEXT NOT NULL,
        units INTEGER NOT NULL,
        submitted INTEGER NOT NULL,
        discussions INTEGER NOT NULL,
        actions INTEGER NOT NULL,
        participants INTEGER NOT NULL,
        UNIQUE (campaign, as_of)
    );
    CREATE TABLE run_inputs (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        file TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        result TEXT NOT NULL
    );
    CREATE TABLE unit_metrics (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        unit TEXT NOT NULL,
        status TEXT NOT NULL,
        discussions INTEGER NOT NULL,
        actions INTEGER NOT NULL,
        participants INTEGER NOT NULL,
        PRIMARY KEY (run_id, unit)
    );
    """,
    """
    ALTER TABLE unit_metrics ADD COLUMN file TEXT NOT NULL DEFAULT '';
    ALTER TABLE unit_metrics ADD COLUMN sha256 TEXT NOT NULL DEFAULT ''
    """,
)
"""Version 2 keeps the file each unit's report stood on, so a unit whose file leaves the inbox is told by name."""


def campaign_key(campaign: Campaign) -> str:
    """History is kept per campaign: name + township + start; another campaign.yaml never mixes in."""
    return f"{campaign.name}|{campaign.township}|{campaign.start.isoformat()}"


@dataclass(frozen=True, kw_only=True)
class Periods:
    """The campaign's reporting periods: `days` long, the first starting on `start`."""

    start: dt.date
    days: int

    @classmethod
    def of(cls, campaign: Campaign) -> "Periods":
        return cls(start=campaign.start, days=campaign.report_interval_days)

    def first_day(self, day: dt.date) -> dt.date:
        return self.start + dt.timedelta(days=(day - self.start).days // self.days * self.days)

    def last_day(self, day: dt.date) -> dt.date:
        return self.first_day(day) + dt.timedelta(days=self.days - 1)


@dataclass(frozen=True)
class RunRecord:
    """What one report run writes into the history."""

    as_of: dt.date
    config_sha256: str
    inputs: tuple[tuple[str, str, str], ...]
    snapshot: RunSnapshot


_RUN_COLUMNS = "id, as_of, units, submitted, discussions, actions, participants"

DAMAGED = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB"})
"""sqlite3 error names that mean the file itself is broken (not busy, not full)."""


class Damaged(Exception):
    """The history file is not a sound SQLite database."""


class History:
    def __init__(self, path: Path, *, timeout: float = 60.0) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        try:
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA foreign_keys=ON")
            if self.conn.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise Damaged(str(path))
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            if getattr(exc, "sqlite_errorname", "") in DAMAGED:
                raise Damaged(str(path)) from None
            raise
        except Damaged:
            self.conn.close()
            raise

    @classmethod
    def open_or_set_aside(cls, path: Path, *, timeout: float, stamp: str) -> tuple["History", Path | None]:
        """The history at `path`; a damaged file (with its -wal and -shm companions) is renamed to
        `<name>.损坏_<stamp>` and a fresh database started. Returns the history and where the old file went."""
        try:
            return cls(path, timeout=timeout), None
        except Damaged:
            aside = path.with_name(f"{path.name}.损坏_{stamp}")
            for companion in ("", "-wal", "-shm"):
                source = path.with_name(path.name + companion)
                if source.exists():
                    os.replace(source, aside.with_name(aside.name + companion))
            return cls(path, timeout=timeout), aside

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            self.conn.execute("BEGIN IMMEDIATE")
            for statement in filter(str.strip, script.split(";")):
                self.conn.execute(statement)
            self.conn.execute(f"PRAGMA user_version = {number}")
            self.conn.execute("COMMIT")

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One write transaction, taken before the outputs are written: a database another program holds
        fails the run before anything changes; an error or a killed run leaves the history as it was."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def __enter__(self) -> "History":
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.conn.close()

    def runs_before(self, key: str, as_of: dt.date, *, periods: Periods) -> tuple[RunSnapshot, ...]:
        """The entries of the periods before as_of's, oldest first: the previous reports of the weekly series.

        A period holding several entries (a history recorded before one entry per period was the rule) gives
        the one recorded last, as if each recording had replaced the one before."""
        rows = self.conn.execute(
            f"SELECT {_RUN_COLUMNS} FROM runs WHERE campaign = ? AND as_of < ? ORDER BY run_at, id",
            (key, periods.first_day(as_of).isoformat())).fetchall()
        latest = {periods.first_day(dt.date.fromisoformat(row[1])): row for row in rows}
        return tuple(self._snapshot(row) for _, row in sorted(latest.items()))

    def entry_of(self, key: str, day: dt.date, *, periods: Periods) -> RunSnapshot | None:
        """The entry of day's period, which recording a run for that day replaces (the one recorded last)."""
        row = self.conn.execute(
            f"SELECT {_RUN_COLUMNS} FROM runs WHERE campaign = ? AND as_of BETWEEN ? AND ? "
            "ORDER BY run_at DESC, id DESC LIMIT 1",
            (key, periods.first_day(day).isoformat(), periods.last_day(day).isoformat())).fetchone()
        return None if row is None else self._snapshot(row)

    def _snapshot(self, row: tuple[int, str, int, int, int, int, int]) -> RunSnapshot:
        run_id, day, units_total, submitted, discussions, actions, participants = row
        units = self.conn.execute(
            "SELECT unit, status, discussions, actions, participants, file, sha256 FROM unit_metrics WHERE run_id = ?",
            (run_id,)).fetchall()
        return RunSnapshot(as_of=dt.date.fromisoformat(day), units_total=units_total, submitted=submitted,
                           discussions=discussions, actions=actions, participants=participants,
                           units={u: UnitSnapshot(*values) for u, *values in units})

    def record(self, key: str, run: RunRecord, *, periods: Periods) -> None:
        """Store a run as the entry of its reporting period, replacing what that period held (inside `writing`)."""
        snap = run.snapshot
        self.conn.execute("DELETE FROM runs WHERE campaign = ? AND as_of BETWEEN ? AND ?",
                          (key, periods.first_day(run.as_of).isoformat(), periods.last_day(run.as_of).isoformat()))
        cursor = self.conn.execute(
            "INSERT INTO runs (campaign, as_of, run_at, config_sha256, units, submitted, discussions, actions, "
            "participants) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (key, run.as_of.isoformat(), dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
             run.config_sha256, snap.units_total, snap.submitted, snap.discussions, snap.actions,
             snap.participants))
        run_id = cursor.lastrowid
        self.conn.executemany("INSERT INTO run_inputs VALUES (?, ?, ?, ?)",
                              [(run_id, f, sha, result) for f, sha, result in run.inputs])
        self.conn.executemany("INSERT INTO unit_metrics VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                              [(run_id, unit, u.status, u.discussions, u.actions, u.participants, u.file, u.sha256)
                               for unit, u in snap.units.items()])

    def names_for(self, sha256: str) -> list[str]:
        """File names a stored file arrived under (for restoring it)."""
        rows = self.conn.execute("SELECT DISTINCT file FROM run_inputs WHERE sha256 = ? ORDER BY file", (sha256,))
        return [r[0] for r in rows]
