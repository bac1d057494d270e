"""Which roster unit a file name or a written name means."""

import pytest

from pipeline.config.campaign import load_campaign
from pipeline.config.roster import Roster
from tests.ledgers import CAMPAIGN


@pytest.fixture(scope="module")
def roster() -> Roster:
    return Roster.of(load_campaign(CAMPAIGN)[0])


@pytest.mark.parametrize(("stem", "unit"), [
    ("荷花村台账", "荷花村"),
    ("2026年12月18日 荷花村 我为创城做什么台账（第二版）", "荷花村"),
    ("城西湖乡妇联-台账", "乡妇联"),            # the longest name found wins over 妇联
    ("城北所 市场监管所", "城北市场监管所"),     # two aliases of one unit
    ("荷花村和柳林村联合台账", None),           # two units: not guessed
    ("台账", None),
    ("荷" * 100_000 + "荷花村", None),           # a crafted name is cut, not searched for ever
])
def test_unit_from_file_name(roster: Roster, stem: str, unit: str | None) -> None:
    found = roster.from_filename(stem)
    assert (found.name if found else None) == unit


@pytest.mark.parametrize(("written", "unit"), [
    ("荷花村", "荷花村"), ("城西湖乡荷花村村民委员会", "荷花村"), ("荷花村委会", "荷花村"), ("中心小学", "城西湖乡中心小学"),
    ("ＨＥ花村", None),
])
def test_written_names(roster: Roster, written: str, unit: str | None) -> None:
    found = roster.resolve(written)
    assert (found.name if found else None) == unit
