"""Files saved by LibreOffice read exactly like the original: committed fixtures always, live round trips with soffice."""

import shutil
import subprocess
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from pipeline.config.campaign import Campaign
from pipeline.config.roster import Roster
from pipeline.model import Submission
from pipeline.read.inbox import read_inbox
from tests.ledgers import read_sheet, write_ledger
from tests.test_messy import FIXTURES, LOTUS, WOMEN, clean_inbox, report


def records(path: Path, campaign: Campaign, roster: Roster) -> tuple[object, ...]:
    """What the report takes from a file: every typed record without its source location, and the problems."""
    box = path.parent
    (sub,) = [o for o in read_inbox(box, campaign=campaign, roster=roster) if o.file == path.name]
    assert isinstance(sub, Submission), sub
    def fields(record: Any) -> dict[str, Any]:
        return {k: v for k, v in asdict(record).items() if k not in ("file", "sheet", "row")}

    return (sub.unit, sub.filed, [fields(a) for a in sub.activities], [fields(r) for r in sub.rectifications],
            [fields(p) for p in sub.publicity],
            [(p.sheet, p.cell, p.level, p.code, p.message) for p in sub.problems])


@pytest.mark.parametrize("fixture", ["乡妇联_libreoffice.xls", "乡妇联_libreoffice.ods", "乡妇联_libreoffice.xlsx"])
def test_committed_libreoffice_fixtures_read_like_the_original(tmp_path: Path, campaign: Campaign, roster: Roster,
                                                               fixture: str) -> None:
    original = write_ledger(tmp_path / "a" / "乡妇联.xlsx", **WOMEN)
    copy = tmp_path / "b" / fixture
    copy.parent.mkdir()
    shutil.copyfile(FIXTURES / fixture, copy)
    assert records(copy, campaign, roster) == records(original, campaign, roster)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_live_round_trip_through_libreoffice_reports_the_same(tmp_path: Path) -> None:
    clean_inbox(tmp_path / "clean")
    write_ledger(tmp_path / "clean" / "荷花村.xlsx", **LOTUS)
    profile = (tmp_path / "lo-profile").as_uri()
    expected = report(tmp_path / "clean", tmp_path / "out_clean", "2027-01-12")
    for fmt in ("xls", "ods", "xlsx"):
        box = tmp_path / f"via_{fmt}"
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation={profile}", "--convert-to", fmt,
                        "--outdir", str(box), *sorted(str(p) for p in (tmp_path / "clean").glob("*.xlsx"))],
                       check=True, capture_output=True, timeout=300)
        assert len(list(box.iterdir())) == 3
        converted = report(box, tmp_path / f"out_{fmt}", "2027-01-12")
        assert read_sheet(converted, "单位进度") == read_sheet(expected, "单位进度"), fmt
        assert read_sheet(converted, "差距清单") == read_sheet(expected, "差距清单"), fmt
