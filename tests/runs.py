"""Behaviour tests run the weekly job through the library entry point (pipeline.run), as a county tool would."""

from functools import cache
from pathlib import Path

from pipeline import run
from tests.ledgers import CAMPAIGN, d


@cache
def setup(config: Path = CAMPAIGN) -> run.Setup:
    return run.load(config)


def report(inbox: Path, outbox: Path, as_of: str, *, archive: Path | None = None,
           config: Path = CAMPAIGN, record: bool = False) -> run.RunResult:
    """One report for `as_of`; the archive defaults to a folder beside the outbox, named after it. Like the
    office's runs for another date, it is a trial unless `record` (the dates here are never today)."""
    settings = run.ReportSettings(setup=setup(config), inbox=inbox, outbox=outbox, as_of=d(as_of),
                                  archive=archive or outbox.parent / f"archive_{outbox.name}", record=record)
    return run.report(settings)
