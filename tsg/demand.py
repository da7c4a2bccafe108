"""Pipeline stage 2: from a validated district to weather and hourly demand profiles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tsg.buildings.archetypes import load_archetypes
from tsg.buildings.calendar import draw_event_dates, public_holidays
from tsg.buildings.indicators import DistrictIndicators, building_summary, district_indicators
from tsg.buildings.measured import read_measured_profile
from tsg.buildings.profiles import BuildingDemandSpec, UnreachableDemandError, district_profiles
from tsg.buildings.weather import (
    DEFAULT_TRY_REGION,
    heating_degree_days,
    read_dwd_try,
    read_epw,
    read_knmi_hourly,
)
from tsg.common import InputError
from tsg.schema import Building, District

_OVERRIDE_FIELDS = {"heat_kw": "heat_mwh", "dhw_kw": "dhw_mwh", "cool_kw": "cool_mwh"}


@dataclass(frozen=True)
class DemandResult:
    """Weather and demand of a district.

    Attributes
    ----------
    weather
        Hourly weather in the toolkit vocabulary (local time index).
    profiles
        Hourly demand, columns ``<building_id>.<quantity>`` [kW thermal].
    buildings
        Annual demand and peaks per building (see :func:`buildings.indicators.building_summary`).
    indicators
        District-level indicators.
    district_file
        The district file the demand belongs to (named in later stages' error messages).
    """

    weather: pd.DataFrame
    profiles: pd.DataFrame
    buildings: pd.DataFrame
    indicators: DistrictIndicators
    district_file: Path | None = None


def load_weather(district: District) -> pd.DataFrame:
    """Hourly weather of the district's climate source, in its time zone."""
    climate = district.climate
    if climate.source == "dwd_try":
        return read_dwd_try(
            region=climate.region or DEFAULT_TRY_REGION,
            year=climate.year,
            time_zone=district.time_zone,
        )
    if climate.source == "epw":
        return read_epw(climate.file, year=climate.year, time_zone=district.time_zone)
    return read_knmi_hourly(
        climate.file, station=climate.station, year=climate.year, time_zone=district.time_zone
    )


def _event_dates(building: Building, position: int, district: District, year: int) -> tuple:
    archetype = load_archetypes()[building.archetype]
    calendar = building.events
    if calendar is not None and calendar.dates is not None:
        return tuple(d for d in calendar.dates if d.year == year)
    if not archetype.event_driven and calendar is None:
        return ()
    count = archetype.default_events_per_year if calendar is None else calendar.events_per_year
    # one reproducible stream per building: the district seed plus the building's position
    return draw_event_dates(year=year, events_per_year=count, seed=district.seed + position)


def demand_specs(district: District, *, index: pd.DatetimeIndex) -> list[BuildingDemandSpec]:
    """Describe every building for the demand model (measured profiles read and checked).

    Parameters
    ----------
    district
        The validated district.
    index
        Hourly index of the profile year (the weather's).
    """
    archetypes = load_archetypes()
    year = index[0].year
    specs = []
    for position, building in enumerate(district.buildings):
        overrides = building.annual_demand_mwh
        annual_kwh = {}
        if overrides is not None:
            for quantity, field in _OVERRIDE_FIELDS.items():
                value = getattr(overrides, field)
                if value is not None:
                    annual_kwh[quantity] = value * 1000.0
        measured = {}
        if building.measured_profile is not None:
            try:
                measured = read_measured_profile(
                    building.measured_profile.file,
                    unit=building.measured_profile.unit,
                    index=index,
                )
            except InputError as error:
                raise InputError(
                    f"measured profile of building '{building.id}': {error.message}",
                    file=error.file,
                    field=error.field,
                ) from None
        specs.append(
            BuildingDemandSpec(
                building_id=building.id,
                archetype=archetypes[building.archetype],
                floor_area_m2=building.floor_area_m2,
                annual_kwh=annual_kwh,
                event_dates=_event_dates(building, position, district, year),
                event_hours=None if building.events is None else building.events.hours,
                measured_kw=measured,
                design_temperature_c=district.climate.design_temperature_c,
                pool_water_surface_m2=building.pool_water_surface_m2,
            )
        )
    return specs


def district_demand(district: District, *, district_file: Path) -> DemandResult:
    """Weather, hourly profiles and indicators of a district.

    Parameters
    ----------
    district
        The validated district.
    district_file
        The file it came from (named in error messages).

    Returns
    -------
    DemandResult
    """
    weather = load_weather(district)
    specs = demand_specs(district, index=weather.index)
    holidays = public_holidays(sorted(set(weather.index.year)), country=district.country)
    try:
        profiles = district_profiles(specs, weather, holidays=holidays)
    except UnreachableDemandError as error:
        position = [b.id for b in district.buildings].index(error.building_id)
        raise InputError(
            str(error), file=district_file, field=f"buildings[{position}].annual_demand_mwh"
        ) from None
    if not np.isfinite(profiles.to_numpy()).all():
        raise RuntimeError("demand model produced non-finite values; this is a bug")
    return DemandResult(
        weather=weather,
        profiles=profiles,
        buildings=building_summary(profiles),
        indicators=district_indicators(
            profiles, heating_degree_days_k_d=heating_degree_days(weather)
        ),
        district_file=Path(district_file),
    )
