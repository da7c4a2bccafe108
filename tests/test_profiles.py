"""Hourly demand profiles against independent references: targets, weather, calendars."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
import yaml

from tsg.buildings.archetypes import load_archetypes
from tsg.buildings.profiles import (
    QUANTITIES,
    BuildingDemandSpec,
    UnreachableDemandError,
    district_profiles,
)
from tsg.common import data_path
from tsg.demand import demand_specs

CATALOGUE = yaml.safe_load(data_path("catalogues", "archetypes.yaml").read_text())["archetypes"]
SPECIFIC = {"heat_kw": "heat_kwh_per_m2", "dhw_kw": "dhw_kwh_per_m2", "cool_kw": "cool_kwh_per_m2"}
OVERRIDE = {"heat_kw": "heat_mwh", "dhw_kw": "dhw_mwh", "cool_kw": "cool_mwh"}


def _expected_kwh(building, quantity):
    overrides = building.annual_demand_mwh
    if overrides is not None and getattr(overrides, OVERRIDE[quantity]) is not None:
        return getattr(overrides, OVERRIDE[quantity]) * 1000
    return CATALOGUE[building.archetype][SPECIFIC[quantity]] * building.floor_area_m2


def test_annual_sums_match_each_building_target(hvz, hvz_demand):
    for building in hvz.buildings:
        for quantity in QUANTITIES:
            got = hvz_demand.profiles[f"{building.id}.{quantity}"].sum()
            expected = _expected_kwh(building, quantity)
            if quantity == "heat_kw" and "pool" in CATALOGUE[building.archetype]:
                # pools add their pool water (tests/test_heating_design.py checks it by hand)
                assert got > expected
                continue
            assert got == pytest.approx(expected, rel=0.005), (building.id, quantity)


def test_profiles_cover_the_year_without_gaps(hvz, hvz_demand):
    profiles = hvz_demand.profiles
    assert len(profiles) == 8760
    assert profiles.index[0] == pd.Timestamp("2025-01-01 00:00", tz="Europe/Amsterdam")
    assert (np.diff(profiles.index.asi8) == 3600 * 10**9).all()
    assert list(profiles.columns) == [f"{b.id}.{q}" for b in hvz.buildings for q in QUANTITIES]
    assert np.isfinite(profiles.to_numpy()).all() and (profiles.to_numpy() >= 0).all()


def _weekly_hdd(weather):
    daily = weather["temp_air_c"].groupby(weather.index.date).mean()
    daily.index = pd.DatetimeIndex(daily.index)
    return np.maximum(0.0, 18.0 - daily).resample("W").sum()


def _weekly(series):
    return series.groupby(series.index.tz_localize(None).to_period("W")).sum()


def _space_heated(hvz):
    """Buildings whose heat_kw is space heating only (pools add their pool water)."""
    return [b for b in hvz.buildings if "pool" not in CATALOGUE[b.archetype]]


def test_space_heating_follows_heating_degree_days(hvz, hvz_demand, hvz_weather):
    hdd = _weekly_hdd(hvz_weather).to_numpy()
    for building in _space_heated(hvz):
        heat = _weekly(hvz_demand.profiles[f"{building.id}.heat_kw"]).to_numpy()
        n = min(len(heat), len(hdd))
        # colder weeks need more heat: rank correlation (the heat-loss line of a building with
        # internal gains starts below 18 degC, so the relation is monotone, not proportional)
        correlation = pd.Series(heat[:n]).corr(pd.Series(hdd[:n]), method="spearman")
        assert correlation > 0.95, (building.id, correlation)


def test_space_heating_is_near_zero_in_warm_weeks(hvz, hvz_demand, hvz_weather):
    weekly_temp = (
        hvz_weather["temp_air_c"].groupby(hvz_weather.index.tz_localize(None).to_period("W")).mean()
    )
    warm = weekly_temp[weekly_temp > 17.0].index
    assert len(warm) >= 3
    for building in _space_heated(hvz):
        heat = _weekly(hvz_demand.profiles[f"{building.id}.heat_kw"])
        # hospitals keep a little heating in summer; all stay below 7 % of peak week
        assert heat[warm].max() < 0.07 * heat.max(), building.id


def test_no_space_heating_on_days_above_the_heating_limit(hvz, hvz_demand, hvz_weather):
    archetypes = load_archetypes()
    daily_mean = hvz_weather["temp_air_c"].groupby(hvz_weather.index.date).transform("mean")
    for building in _space_heated(hvz):
        limit = archetypes[building.archetype].heating_limit_c
        heat = hvz_demand.profiles[f"{building.id}.heat_kw"]
        assert (heat[daily_mean >= limit] == 0).all(), building.id
        # every cold day is heated (the fitted balance temperatures lie at 8-14 degC; mild
        # days above it are covered by internal gains)
        cold_days = heat[daily_mean < 5.0]
        assert (cold_days.groupby(cold_days.index.date).sum() > 0).all(), building.id


def test_comfort_cooling_is_near_zero_in_cold_weeks(hvz, hvz_demand, hvz_weather):
    archetypes = load_archetypes()
    weekly_temp = (
        hvz_weather["temp_air_c"].groupby(hvz_weather.index.tz_localize(None).to_period("W")).mean()
    )
    cold = weekly_temp[weekly_temp < 4.0].index
    assert len(cold) >= 3
    for building in hvz.buildings:
        cool = hvz_demand.profiles[f"{building.id}.cool_kw"]
        share = archetypes[building.archetype].process_cool_share
        comfort = _weekly(cool - share * cool.sum() / len(cool))
        assert comfort[cold].max() < 0.05 * comfort.max(), building.id


def test_arena_cools_mostly_on_its_event_days(hvz, hvz_demand, hvz_weather):
    (arena,) = [
        s for s in demand_specs(hvz, index=hvz_weather.index) if s.building_id == "ahoy-arena"
    ]
    assert len(arena.event_dates) == 120
    cool = hvz_demand.profiles["ahoy-arena.cool_kw"]
    summer = cool[(cool.index.month >= 6) & (cool.index.month <= 8)]
    daily = summer.groupby(summer.index.date).sum()
    is_event = daily.index.isin(arena.event_dates)
    assert 5 < is_event.sum() < 60
    assert daily[is_event].mean() > 3 * daily[~is_event].mean()


def test_pool_water_is_heated_all_year_and_showers_follow_opening_hours(hvz_demand):
    heat = hvz_demand.profiles["swimming-pool.heat_kw"]
    summer = heat[(heat.index.month >= 6) & (heat.index.month <= 8)]
    # no space heating in summer, but the pool water still evaporates day and night
    assert (summer > 0).all()
    dhw = hvz_demand.profiles["swimming-pool.dhw_kw"]
    by_hour = dhw.groupby(dhw.index.hour).mean()
    assert by_hour[3] < 0.1 * by_hour[12]


def test_home_hot_water_peaks_morning_and_evening(hvz_demand):
    dhw = hvz_demand.profiles["homes.dhw_kw"]
    by_hour = dhw.groupby(dhw.index.hour).mean()
    assert by_hour.idxmax() in {6, 7, 8, 18, 19, 20}
    assert by_hour[3] < 0.1 * by_hour.max()


def _weather(temp_c, hours=8760, ghi=0.0):
    index = pd.date_range(
        pd.Timestamp("2025-01-01", tz="Europe/Amsterdam"), periods=hours, freq="h", name="time"
    )
    return pd.DataFrame({"temp_air_c": temp_c, "ghi_w_per_m2": ghi}, index=index)


def test_measured_profile_replaces_the_model():
    weather = _weather(5.0 + 10 * np.sin(np.arange(8760) / 8760 * 2 * np.pi))
    measured = np.linspace(0, 100, 8760)
    spec = BuildingDemandSpec(
        building_id="b",
        archetype=load_archetypes()["office"],
        floor_area_m2=1000,
        measured_kw={"heat_kw": measured},
    )
    profiles = district_profiles([spec], weather, holidays={})
    np.testing.assert_array_equal(profiles["b.heat_kw"].to_numpy(), measured)
    assert profiles["b.cool_kw"].sum() == pytest.approx(40.0 * 1000, rel=1e-9)


def test_demand_the_weather_never_drives_is_an_error():
    archetype = load_archetypes()["residential"]  # no process cooling
    spec = BuildingDemandSpec(building_id="cold", archetype=archetype, floor_area_m2=100)
    with pytest.raises(UnreachableDemandError, match="cold") as caught:
        district_profiles([spec], _weather(-5.0), holidays={})
    assert caught.value.building_id == "cold" and caught.value.quantity == "cool_kw"


def test_zero_demand_gives_zero_profile_even_when_unreachable():
    archetype = load_archetypes()["residential"]
    spec = BuildingDemandSpec(
        building_id="z", archetype=archetype, floor_area_m2=100, annual_kwh={"cool_kw": 0.0}
    )
    profiles = district_profiles([spec], _weather(-5.0), holidays={})
    assert profiles["z.cool_kw"].sum() == 0.0


def test_event_dates_shift_hot_water_to_event_days():
    archetype = load_archetypes()["arena"]
    event = date(2025, 3, 14)
    spec = BuildingDemandSpec(
        building_id="a",
        archetype=archetype,
        floor_area_m2=1000,
        event_dates=(event,),
        event_hours=(18, 23),
    )
    dhw = district_profiles([spec], _weather(10.0), holidays={})["a.dhw_kw"]
    on_event = dhw[(dhw.index.date == event) & (dhw.index.hour == 20)].iloc[0]
    assert on_event == pytest.approx(dhw.max())
    assert on_event == pytest.approx(dhw.min() / archetype.base_activity)
