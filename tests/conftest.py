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
