"""The heat of an indoor swimming pool: the pool block by hand and the total per m2.

References: VDI 2089 part 1 (evaporation coefficients 28 m/h for a full public pool deeper
than 1.35 m, 7 m/h for a still surface), DIN 19643 (30 l of fresh water per bather; design
load one bather per 4.5 m2 of water every two hours), Ecodesign regulation (EU) 1253/2014
(heat recovery of ventilation units at least 68 % for run-around coils), the nPro heat-load
guide (public swimming pool 125-175 kWh/m2). The numbers typed in below are those of
``data/catalogues/archetypes.yaml``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tsg.buildings.activity import activity_profile
from tsg.buildings.archetypes import load_archetypes
from tsg.buildings.calendar import HourlyCalendar, public_holidays
from tsg.buildings.pool import pool_water_kw
from tsg.buildings.profiles import BuildingDemandSpec, district_profiles

POOL = load_archetypes()["swimming_pool"]
NPRO_PUBLIC_POOL_KWH_PER_M2 = (125.0, 175.0)


def _pool_by_hand_kwh(surface_m2: float, open_hours: int, hours: int) -> dict[str, float]:
    """VDI 2089 evaporation, heat recovery, basin transmission, DIN 19643 fresh water."""
    water_c, hall_c, phi = 30.0, 32.0, 0.55
    p_water = 611.2 * math.exp(17.62 * 30.0 / (243.12 + 30.0))  # 4,243 Pa
    p_air = phi * 611.2 * math.exp(17.62 * 32.0 / (243.12 + 32.0))  # 0.55 x 4,754 Pa
    t_mean_k = 31.0 + 273.15
    latent_kwh_per_kg = (2501.0 - 2.37 * water_c) / 3600.0  # 0.675 kWh/kg
    eps_use = 7.0 + (28.0 - 7.0) * 1.0 / 1.5  # 21 m/h: one bather per m2 and day of 1.5
    kg_use = eps_use / (461.52 * t_mean_k) * (p_water - p_air)  # 0.243 kg/(m2 h)
    kg_rest = 7.0 / (461.52 * t_mean_k) * (p_water - p_air)  # 0.081 kg/(m2 h)
    evaporation = (
        (1.0 - 0.68) * latent_kwh_per_kg * (kg_use * open_hours + kg_rest * (hours - open_hours))
    )
    transmission = 0.5 * 1.45 * (water_c - 10.0) * hours / 1000.0
    fresh = 1.0 * hours / 24.0 * 30.0 * 1.163 * (water_c - 10.0) / 1000.0
    assert hall_c - water_c == 2.0
    return {
        "evaporation": surface_m2 * evaporation,
        "transmission": surface_m2 * transmission,
        "fresh_water": surface_m2 * fresh,
    }


def test_pool_water_heat_from_its_surface_by_hand():
    in_use = np.zeros(8760, dtype=bool)
    in_use[np.arange(8760) % 24 >= 9] = True  # 15 open hours a day
    got = pool_water_kw(in_use, water_surface_m2=1440.0, pool=POOL.pool)
    parts = _pool_by_hand_kwh(1440.0, int(in_use.sum()), 8760)
    assert got.sum() == pytest.approx(sum(parts.values()), rel=1e-9)
    # per m2 of water and year: evaporation 0.32 x (164.0 W x 5,475 h + 54.7 W x 3,285 h)
    # = 345 kWh (1,078 without heat recovery), transmission 127, fresh water 255
    per_m2 = {k: v / 1440.0 for k, v in parts.items()}
    assert per_m2["evaporation"] == pytest.approx(
        0.32 * (164.0 * 5475 + 54.66 * 3285) / 1e3, rel=1e-3
    )
    assert per_m2["transmission"] == pytest.approx(127.02, rel=1e-9)
    assert per_m2["fresh_water"] == pytest.approx(254.7, abs=0.01)
    # per hour and m2 of water: open 0.32 x 164.0 + 14.5 + 254.7 kWh / 5,475 h = 113.5 W,
    # closed 0.32 x 54.66 + 14.5 = 32.0 W
    assert got[in_use] * 1000.0 / 1440.0 == pytest.approx(113.5, abs=0.05)
    assert got[~in_use] * 1000.0 / 1440.0 == pytest.approx(32.0, abs=0.05)


def test_mean_use_lies_between_still_and_full_pool():
    assert POOL.pool.coefficient_in_use_m_per_h() == pytest.approx(21.0)
    full = POOL.pool.__class__(**{**POOL.pool.__dict__, "bathers_per_water_m2_day": 3.0})
    assert full.coefficient_in_use_m_per_h() == pytest.approx(28.0)  # capped at the full pool


def _hvz_like_pool(hvz_weather):
    holidays = public_holidays([2025], country="NL")
    spec = BuildingDemandSpec("pool", POOL, 9000.0, pool_water_surface_m2=1437.0)
    table = district_profiles([spec], hvz_weather, holidays=holidays)
    calendar = HourlyCalendar.from_index(hvz_weather.index, holidays=holidays)
    open_hours = int((activity_profile(calendar, archetype=POOL) >= 1.0).sum())
    return table, open_hours


def test_pool_building_is_hall_pool_water_and_showers_by_hand(hvz_weather):
    table, open_hours = _hvz_like_pool(hvz_weather)
    water = _pool_by_hand_kwh(1437.0, open_hours, len(hvz_weather))
    hall_kwh = 85.0 * 9000.0
    assert table["pool.heat_kw"].sum() == pytest.approx(hall_kwh + sum(water.values()), rel=1e-9)
    # showers stay hot water, not counted twice
    assert table["pool.dhw_kw"].sum() == pytest.approx(71.0 * 9000.0, rel=1e-9)
    total_kwh_per_m2 = (table["pool.heat_kw"].sum() + table["pool.dhw_kw"].sum()) / 9000.0
    # hall 85 + pool water about 113 + showers 71: about 270 kWh/m2 (about 420 before the
    # evaporation was taken at the pool's mean use and net of heat recovery)
    assert 260.0 < total_kwh_per_m2 < 280.0
    assert isinstance(table.index, pd.DatetimeIndex)


@pytest.mark.xfail(
    strict=True,
    reason="a 50 m competition pool with 0.16 m2 of water per m2 of floor needs about 200 "
    "kWh/m2 of heat (hall 85 + pool water 113) after the corrections; no sourced number "
    "brings it to nPro's 125-175 (a smaller water share, fewer bathers or heat recovery on "
    "the discharged pool water would each be an unsourced assumption)",
)
def test_pool_heat_per_m2_lies_in_the_cited_range(hvz_weather):
    # the heat (hall + pool water), the quantity the catalogue compares with nPro's demand
    # figures for every archetype; showers are hot water (dhw_kw) as in every archetype
    table, _ = _hvz_like_pool(hvz_weather)
    low, high = NPRO_PUBLIC_POOL_KWH_PER_M2
    assert low <= table["pool.heat_kw"].sum() / 9000.0 <= high


def test_default_water_surface_is_the_archetypes_share(hvz_weather):
    holidays = public_holidays([2025], country="NL")
    given = BuildingDemandSpec("p", POOL, 9000.0, pool_water_surface_m2=1440.0)
    default = BuildingDemandSpec("q", POOL, 9000.0)
    table = district_profiles([given, default], hvz_weather, holidays=holidays)
    hall_kwh = POOL.heat_kwh_per_m2 * 9000.0
    ratio = (table["q.heat_kw"].sum() - hall_kwh) / (table["p.heat_kw"].sum() - hall_kwh)
    assert ratio == pytest.approx(0.15 * 9000.0 / 1440.0, rel=1e-9)
