import pytest

from pipeline.config import Campaign, load_campaign
from pipeline.roster import Roster
from tests.ledgers import CAMPAIGN


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    loaded, _ = load_campaign(CAMPAIGN)
    return loaded


@pytest.fixture(scope="session")
def roster(campaign: Campaign) -> Roster:
    return Roster.of(campaign)
