"""The 195 real-world spreadsheets of ../shared/corpus/real-world as one inbox: nothing crashes, every file is accounted for."""

import re
from pathlib import Path

import pytest

from pipeline.config.campaign import Campaign
from pipeline.config.roster import Roster
from pipeline.model import Submission
from pipeline.read.inbox import read_inbox
from pipeline.read.refusals import RefusalCode
from tests.ledgers import CORPUS, read_sheet
from tests.runs import report

pytestmark = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
CJK = re.compile(r"[\u4e00-\u9fff]")
ALLOWED_WORDS = {"Office", "Numbers", "Excel", "HTML", "Word", "OpenDocument", "xlsx", "yaml", "campaign"}


def test_corpus_as_an_inbox(tmp_path: Path) -> None:
    report(CORPUS, tmp_path, "2026-12-20")
    listed = [r["文件"] for r in read_sheet(tmp_path / "督查汇总表_2026-12-20.xlsx", "文件清单")]
    on_disk = sorted(p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*") if p.is_file())
    assert sorted(listed) == on_disk
    rows = read_sheet(tmp_path / "督查汇总表_2026-12-20.xlsx", "文件清单")
    for row in rows:
        assert row["处理结果"] in ("未采用", "已忽略"), row
        assert row["原因"] and CJK.search(str(row["原因"])), row
        reason = re.sub(r"“[^”]*”|limits\.[a-z_]+", "", str(row["原因"]).split("文件中的工作表：")[0])  # quoted names, limit keys
        words = set(re.findall(r"[A-Za-z]{4,}", reason))
        assert words <= ALLOWED_WORDS, row  # no library English leaks into a clerk's reason


def test_corpus_files_are_refused_for_what_they_are(campaign: Campaign, roster: Roster) -> None:
    outcomes = read_inbox(CORPUS, campaign=campaign, roster=roster)
    codes = {o.file: o.code for o in outcomes if not isinstance(o, Submission)}
    assert len(codes) == len(outcomes)
    assert codes["calamine/issue_594_dos.ods"] is RefusalCode.OVER_LIMIT
    assert codes["python-calamine/password.xlsx"] is RefusalCode.ENCRYPTED
    assert codes["python-calamine/empty_file.xlsx"] is RefusalCode.EMPTY_FILE
