"""Space heating meets both the annual demand and the design heat load; pool water heat.

References: the nPro heat-load guide (table 1, Berlin: heat demand and heat load of average
existing buildings and of new construction, e.g. hotel 77-100 W/m2, theatre 54-84 W/m2,
school 60-109 W/m2) gives each archetype's cited range ``design_heat_range_w_per_m2`` and the
full-load hours ``full_load_hours_range_h`` (nPro demand / nPro load, new and existing), both
stored next to the value in ``data/catalogues/archetypes.yaml``. Shops are the exception: their
full-load hours are those of existing Dutch shops (CBS StatLine 83374 demand over nPro's load,
``full_load_hours_source`` in the catalogue), since nPro's ratio is that of German shops, which
use more heat per m2. The design outdoor temperature is -10 degC (ISSO 51 / NEN-EN 12831).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from tsg.buildings.activity import activity_profile, heating_pattern
from tsg.buildings.archetypes import load_archetypes
from tsg.buildings.calendar import HourlyCalendar, draw_event_dates, public_holidays
from tsg.buildings.heating import heating_days, heating_line, space_heating_kw
from tsg.common import data_path

CATALOGUE = yaml.safe_load(data_path("catalogues", "archetypes.yaml").read_text())["archetypes"]
ARCHETYPES = load_archetypes()
DESIGN_C = -10.0
TZ = "Europe/Amsterdam"
CITED = sorted(name for name, entry in CATALOGUE.items() if entry["design_heat_range_w_per_m2"])


def _pattern(weather, name):
    """The archetype's weekday/hour heating pattern (default event calendar, NL holidays)."""
    archetype = ARCHETYPES[name]
    calendar = HourlyCalendar.from_index(
        weather.index, holidays=public_holidays([2025], country="NL")
    )
    events = draw_event_dates(
        year=2025, events_per_year=archetype.default_events_per_year, seed=2018
    )
    activity = activity_profile(calendar, archetype=archetype, event_dates=events)
    return heating_pattern(activity, archetype=archetype)


def _profile(weather, name, floor_area_m2=1000.0):
    archetype = ARCHETYPES[name]
    return space_heating_kw(
        weather,
        annual_kwh=archetype.heat_kwh_per_m2 * floor_area_m2,
        design_load_kw=archetype.design_heat_w_per_m2 * floor_area_m2 / 1000.0,
        heating_limit_c=archetype.heating_limit_c,
        design_temperature_c=DESIGN_C,
        pattern=_pattern(weather, name),
    )


def _extrapolated_w_per_m2(weather, load_kw, floor_area_m2=1000.0, pattern=None):
    """Least-squares line through the 200 coldest hours, read at the design temperature.

    With a weekday/hour pattern the hours are first divided by it (the 200 coldest hours mix
    nights at set-back, boosts and hours in use, which no single line through them describes),
    and the line's value at the design temperature is multiplied by the pattern's largest
    value: the boost on a design day, which is what the design load sizes.
    """
    pattern = np.ones(len(load_kw)) if pattern is None else pattern
    t_out = weather["temp_air_c"].to_numpy()
    coldest = np.argsort(t_out)[:200]
    slope, intercept = np.polyfit(t_out[coldest], load_kw[coldest] / pattern[coldest], 1)
    return (intercept + slope * DESIGN_C) * pattern.max() * 1000.0 / floor_area_m2


@pytest.mark.parametrize("name", CITED)
def test_design_load_from_the_coldest_hours_lies_in_the_cited_range(hvz_weather, name):
    load_kw = _profile(hvz_weather, name)
    low, high = CATALOGUE[name]["design_heat_range_w_per_m2"]
    w_per_m2 = _extrapolated_w_per_m2(hvz_weather, load_kw, pattern=_pattern(hvz_weather, name))
    assert w_per_m2 == pytest.approx(ARCHETYPES[name].design_heat_w_per_m2, rel=1e-6)
    assert low - 1e-9 <= w_per_m2 <= high + 1e-9
    # the reference year never reaches -10 degC: its own peak stays below the design load
    assert hvz_weather["temp_air_c"].min() > DESIGN_C
    assert load_kw.max() * 1000.0 / 1000.0 < ARCHETYPES[name].design_heat_w_per_m2


@pytest.mark.parametrize("name", [n for n in CITED if CATALOGUE[n]["full_load_hours_range_h"]])
def test_full_load_hours_lie_in_the_cited_range(hvz_weather, name):
    load_kw = _profile(hvz_weather, name)
    pattern = _pattern(hvz_weather, name)
    design_kw = _extrapolated_w_per_m2(hvz_weather, load_kw, pattern=pattern)  # W/m2 x 1000 m2
    full_load_h = load_kw.sum() / design_kw
    low, high = CATALOGUE[name]["full_load_hours_range_h"]
    assert low - 1.0 <= full_load_h <= high + 1.0


@pytest.mark.parametrize("name", sorted(ARCHETYPES))
def test_annual_demand_is_preserved_exactly(hvz_weather, name):
    load_kw = _profile(hvz_weather, name)
    assert load_kw.sum() == pytest.approx(ARCHETYPES[name].heat_kwh_per_m2 * 1000.0, rel=1e-12)
    assert (load_kw >= 0.0).all()
    on = heating_days(hvz_weather, heating_limit_c=ARCHETYPES[name].heating_limit_c)
    assert (load_kw[~on] == 0.0).all()


def test_line_with_base_load_by_hand():
    # 4 heating hours at 10, 5, 0, 5 degC; limit 15, design -10: drives 5, 10, 15, 10 (sum 40)
    t_out = np.array([10.0, 5.0, 0.0, 5.0])
    # E = 200 kWh, P = 60 kW: slope = (200 - 240) / (40 - 25 * 4) = 2/3; base = 60 - 50/3
    line = heating_line(
        t_out, annual_kwh=200.0, design_load_kw=60.0, heating_limit_c=15.0, design_temperature_c=-10
    )
    assert line.slope_kw_per_k == pytest.approx(2.0 / 3.0)
    assert line.base_kw == pytest.approx(60.0 - 50.0 / 3.0)
    assert line.load_kw(t_out).sum() == pytest.approx(200.0)
    assert float(line.load_kw(-10.0)) == pytest.approx(60.0)


def test_line_with_lower_balance_temperature_by_hand():
    # E / P below the pure line's full-load hours: no base load, balance temperature T_b with
    # sum max(0, T_b - t) / (T_b + 10) = E / P. For T_b = 6: drives 1, 6, 1 -> 8 / 16 = 0.5
    t_out = np.array([10.0, 5.0, 0.0, 5.0])
    line = heating_line(
        t_out, annual_kwh=30.0, design_load_kw=60.0, heating_limit_c=15.0, design_temperature_c=-10
    )
    assert line.base_kw == 0.0
    assert line.balance_c == pytest.approx(6.0, abs=1e-9)
    assert line.load_kw(t_out).sum() == pytest.approx(30.0)
    assert float(line.load_kw(-10.0)) == pytest.approx(60.0)


def test_weighted_line_by_hand():
    # weights (pattern) 1, 0.5, 1.2, 1: weighted hours 3.7, weighted drive 5 + 5 + 18 + 10 = 38
    t_out = np.array([10.0, 5.0, 0.0, 5.0])
    weights = np.array([1.0, 0.5, 1.2, 1.0])
    line = heating_line(
        t_out,
        annual_kwh=200.0,
        design_load_kw=60.0,
        heating_limit_c=15.0,
        design_temperature_c=-10,
        weights=weights,
    )
    # slope = (200 - 60 x 3.7) / (38 - 25 x 3.7) = 22 / 54.5
    assert line.slope_kw_per_k == pytest.approx(22.0 / 54.5)
    assert line.base_kw == pytest.approx(60.0 - 25.0 * 22.0 / 54.5)
    assert (weights * line.load_kw(t_out)).sum() == pytest.approx(200.0)


def test_office_heats_by_its_use_with_set_back_and_morning_boost(hvz_weather):
    office = ARCHETYPES["office"]
    pattern = pd.Series(_pattern(hvz_weather, "office"), index=hvz_weather.index)
    load = pd.Series(_profile(hvz_weather, "office"), index=hvz_weather.index)
    t_out = hvz_weather["temp_air_c"]
    # Monday 13 January 2025: boost 6-8, in use 8-18, set-back otherwise; Sunday all set-back
    monday = pattern["2025-01-13"].to_numpy()
    assert (monday[6:8] == 1.2).all() and (monday[8:18] == 1.0).all()
    assert (monday[:6] == 0.5).all() and (monday[18:] == 0.5).all()
    assert (pattern["2025-01-12"] == 0.5).all()
    # the load divided by the pattern is one line in the outdoor temperature (below the
    # balance temperature, on heating days)
    cold = (load > 0) & (t_out < 5.0)
    line_kw = load[cold] / pattern[cold]
    fit = np.polyfit(t_out[cold], line_kw, 1)
    assert np.abs(np.polyval(fit, t_out[cold]) - line_kw).max() < 1e-6
    # the boost at the design temperature is the design load; in use it is 1 / 1.2 of it
    design_w_per_m2 = np.polyval(fit, DESIGN_C) * 1.2  # kW per 1000 m2 = W/m2
    assert design_w_per_m2 == pytest.approx(office.design_heat_w_per_m2, rel=1e-6)
    assert load.sum() == pytest.approx(office.heat_kwh_per_m2 * 1000.0, rel=1e-12)
    # a Sunday hour carries half the in-use load of its outdoor temperature, a boost hour 1.2x
    sunday, boost = (pd.Timestamp(t, tz=TZ) for t in ("2025-01-12 10:00", "2025-01-13 06:00"))
    for hour, share in ((sunday, 0.5), (boost, 1.2)):
        in_use_kw = np.polyval(fit, t_out[hour])
        assert load[hour] / in_use_kw == pytest.approx(share, rel=1e-6)


def test_flat_pattern_is_the_pure_line(hvz_weather):
    hotel = ARCHETYPES["hotel"]
    assert (_pattern(hvz_weather, "hotel") == 1.0).all()
    kwargs = {
        "annual_kwh": 90_000.0,
        "design_load_kw": 78.8,
        "heating_limit_c": hotel.heating_limit_c,
        "design_temperature_c": DESIGN_C,
    }
    flat = space_heating_kw(hvz_weather, pattern=np.full(len(hvz_weather), 1.0), **kwargs)
    np.testing.assert_allclose(flat, space_heating_kw(hvz_weather, **kwargs), rtol=1e-12)


def test_colder_design_temperature_flattens_the_year_at_the_same_annual_sum(hvz_weather):
    archetype = ARCHETYPES["school"]
    kwargs = {
        "annual_kwh": archetype.heat_kwh_per_m2 * 1000.0,
        "design_load_kw": archetype.design_heat_w_per_m2,
        "heating_limit_c": archetype.heating_limit_c,
    }
    at_10 = space_heating_kw(hvz_weather, design_temperature_c=-10.0, **kwargs)
    at_14 = space_heating_kw(hvz_weather, design_temperature_c=-14.0, **kwargs)
    assert at_14.sum() == pytest.approx(at_10.sum(), rel=1e-12)
    assert at_14.max() < at_10.max()


def test_design_temperature_field_default_and_bounds(tmp_path, hvz_path):
    from tsg.common import InputError
    from tsg.district import load_district

    document = yaml.safe_load(hvz_path.read_text())
    assert load_district(hvz_path).climate.design_temperature_c == -10.0
    for bad in (-40.0, 15.0, "cold"):
        document["climate"]["design_temperature_c"] = bad
        path = tmp_path / "district.yaml"
        path.write_text(yaml.safe_dump(document))
        with pytest.raises(InputError, match="design_temperature_c"):
            load_district(path)


def test_pool_water_surface_only_for_pools(tmp_path, hvz_path):
    from tsg.common import InputError
    from tsg.district import load_district

    document = yaml.safe_load(hvz_path.read_text())
    document["buildings"][0]["pool_water_surface_m2"] = 100.0  # the arena
    path = tmp_path / "district.yaml"
    path.write_text(yaml.safe_dump(document))
    with pytest.raises(InputError, match="pool_water_surface_m2"):
        load_district(path)
