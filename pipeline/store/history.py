"""Weekly history in an embedded SQLite database: one row per run and per unit, kept per campaign.

The schema is versioned (PRAGMA user_version) and migrated on open; WAL lets a reader and a writer
coexist. Re-running the same as-of date replaces that run, never duplicates it.
"""

import datetime as dt
import sqlite3
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
)


def campaign_key(campaign: Campaign) -> str:
    """History is kept per campaign: name + township + start; another campaign.yaml never mixes in."""
    return f"{campaign.name}|{campaign.township}|{campaign.start.isoformat()}"


@dataclass(frozen=True)
class RunRecord:
    """What one report run writes into the history."""

    as_of: dt.date
    config_sha256: str
    inputs: tuple[tuple[str, str, str], ...]
    snapshot: RunSnapshot


class History:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(path, timeout=60, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            self.conn.execute("BEGIN IMMEDIATE")
            for statement in filter(str.strip, script.split(";")):
                self.conn.execute(statement)
            self.conn.execute(f"PRAGMA user_version = {number}")
            self.conn.execute("COMMIT")

    def __enter__(self) -> "History":
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.conn.close()

    def runs_before(self, key: str, as_of: dt.date) -> tuple[RunSnapshot, ...]:
        """Earlier reports of this campaign, oldest first."""
        runs = self.conn.execute(
            "SELECT id, as_of, units, submitted, discussions, actions, participants FROM runs "
            "WHERE campaign = ? AND as_of < ? ORDER BY as_of", (key, as_of.isoformat())).fetchall()
        out = []
        for run_id, day, units_total, submitted, discussions, actions, participants in runs:
            rows = self.conn.execute(
                "SELECT unit, status, discussions, actions, participants FROM unit_metrics WHERE run_id = ?",
                (run_id,)).fetchall()
            out.append(RunSnapshot(as_of=dt.date.fromisoformat(day), units_total=units_total, submitted=submitted,
                                   discussions=discussions, actions=actions, participants=participants,
                                   units={u: UnitSnapshot(s, d, a, p) for u, s, d, a, p in rows}))
        return tuple(out)

    def record(self, key: str, run: RunRecord) -> None:
        """Store a run, replacing any earlier run for the same campaign and as-of date."""
        snap = run.snapshot
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.execute("DELETE FROM runs WHERE campaign = ? AND as_of = ?", (key, run.as_of.isoformat()))
            cursor = self.conn.execute(
                "INSERT INTO runs (campaign, as_of, run_at, config_sha256, units, submitted, discussions, actions, "
                "participants) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (key, run.as_of.isoformat(), dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                 run.config_sha256, snap.units_total, snap.submitted, snap.discussions, snap.actions,
                 snap.participants))
            run_id = cursor.lastrowid
            self.conn.executemany("INSERT INTO run_inputs VALUES (?, ?, ?, ?)",
                                  [(run_id, f, sha, result) for f, sha, result in run.inputs])
            self.conn.executemany("INSERT INTO unit_metrics VALUES (?, ?, ?, ?, ?, ?)",
                                  [(run_id, unit, u.status, u.discussions, u.actions, u.participants)
                                   for unit, u in snap.units.items()])
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise

    def names_for(self, sha256: str) -> list[str]:
        """File names a stored file arrived under (for restoring it)."""
        rows = self.conn.execute("SELECT DISTINCT file FROM run_inputs WHERE sha256 = ? ORDER BY file", (sha256,))
        return [r[0] for r in rows]
