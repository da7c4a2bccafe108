"""Shared fixtures: the built-in district, its weather and profiles (computed once)."""

import pytest

from tsg.demand import district_demand, load_weather
from tsg.district import built_in_district_path, load_district


@pytest.fixture(scope="session")
def hvz_path():
    return built_in_district_path()


@pytest.fixture(scope="session")
def hvz(hvz_path):
    return load_district(hvz_path)


@pytest.fixture(scope="session")
def hvz_weather(hvz):
    return load_weather(hvz)


@pytest.fixture(scope="session")
def hvz_demand(hvz, hvz_path):
    return district_demand(hvz, district_file=hvz_path)


@pytest.fixture(scope="session")
def small_run_dir(tmp_path_factory):
    """A sized and allocated run of a 3-building + ATES district (no scaling, about a minute)."""
    from exchange_helpers import small_district

    from tsg.cli import main

    folder = tmp_path_factory.mktemp("small-run")
    out = folder / "run"
    district = small_district(folder)
    assert main(["run", str(district), "--out", str(out), "--skip", "scaling", "--quiet"]) == 0
    return out


@pytest.fixture(scope="session", autouse=True)
def coalition_cache_of_the_session(tmp_path_factory):
    """Commands cache solved coalitions in a folder of this session, not the user's cache."""
    patch = pytest.MonkeyPatch()
    patch.setenv("TSG_CACHE_DIR", str(tmp_path_factory.mktemp("coalition-cache")))
    yield
    patch.undo()
