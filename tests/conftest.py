import pytest

from pipeline.config.campaign import Campaign, load_campaign
from pipeline.config.roster import Roster
from tests.ledgers import CAMPAIGN


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    loaded, _ = load_campaign(CAMPAIGN)
    return loaded


@pytest.fixture(scope="session")
def roster(campaign: Campaign) -> Roster:
    return Roster.of(campaign)


@pytest.fixture(autouse=True)
def _run_in_a_scratch_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Commands default to ./archive and ./outbox: keep every test's defaults out of the repository."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))
