"""Hourly heat, hot-water and cooling demand of buildings: shapes scaled to annual demand.

Space heating follows the heat-loss line of :mod:`buildings.heating` (annual demand and design
load both met) times the building's weekday/hour pattern of set-back and morning boost
(:func:`buildings.activity.heating_pattern`, from the same activity as hot water and cooling);
a swimming pool adds the heat that keeps its water warm
(:mod:`buildings.pool`) to ``heat_kw``; hot water and cooling are relative shapes
(:mod:`buildings.shapes`) scaled to their annual demand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from tsg.buildings.activity import activity_profile, heating_pattern
from tsg.buildings.archetypes import Archetype
from tsg.buildings.calendar import HourlyCalendar
from tsg.buildings.heating import heating_days, space_heating_kw
from tsg.buildings.pool import pool_water_kw
from tsg.buildings.shapes import cooling_shape, hot_water_shape

QUANTITIES = ("heat_kw", "dhw_kw", "cool_kw")
"""Profile quantities, thermal kW (hourly mean): space heating, domestic hot water, cooling."""


@dataclass(frozen=True)
class BuildingDemandSpec:
    """What the demand model needs to know about one building.

    Attributes
    ----------
    building_id
        Unique id; becomes the column prefix ``<building_id>.<quantity>``.
    archetype
        Default specific demand and shape parameters.
    floor_area_m2
        Gross floor area [m2].
    annual_kwh
        Overrides of annual demand [kWh/yr] by quantity (``heat_kw``, ``dhw_kw``, ``cool_kw``);
        quantities not given use ``specific demand x floor area``.
    event_dates, event_hours
        Event calendar of an event-driven building (days; local clock hours or ``None`` for
        the archetype's opening hours).
    measured_kw
        Measured hourly profiles [kW] by quantity that replace the model for that quantity.
    design_temperature_c
        Design outdoor temperature of the heat load [degC].
    pool_water_surface_m2
        Water surface of a swimming pool [m2]; ``None``: the archetype's share of the floor
        area (ignored for archetypes without pool physics).
    """

    building_id: str
    archetype: Archetype
    floor_area_m2: float
    annual_kwh: dict[str, float] = field(default_factory=dict)
    event_dates: tuple[date, ...] = ()
    event_hours: tuple[int, int] | None = None
    measured_kw: dict[str, np.ndarray] = field(default_factory=dict)
    design_temperature_c: float = -10.0
    pool_water_surface_m2: float | None = None

    def annual_target_kwh(self, quantity: str) -> float:
        """Annual demand of one quantity [kWh/yr]: the override, or specific x floor area."""
        if quantity in self.annual_kwh:
            return self.annual_kwh[quantity]
        specific = {
            "heat_kw": self.archetype.heat_kwh_per_m2,
            "dhw_kw": self.archetype.dhw_kwh_per_m2,
            "cool_kw": self.archetype.cool_kwh_per_m2,
        }[quantity]
        return specific * self.floor_area_m2

    def design_heat_load_kw(self) -> float:
        """Space-heating load at the design outdoor temperature [kW].

        The archetype's W/m2 times the floor area; an annual override keeps the archetype's
        full-load hours (the load scales with the annual demand).
        """
        load_kw = self.archetype.design_heat_w_per_m2 * self.floor_area_m2 / 1000.0
        default_kwh = self.archetype.heat_kwh_per_m2 * self.floor_area_m2
        if "heat_kw" in self.annual_kwh and default_kwh > 0.0:
            load_kw *= self.annual_kwh["heat_kw"] / default_kwh
        return load_kw

    def water_surface_m2(self) -> float:
        """Pool water surface [m2] (0 for archetypes without a pool)."""
        pool = self.archetype.pool
        if pool is None:
            return 0.0
        if self.pool_water_surface_m2 is not None:
            return self.pool_water_surface_m2
        return pool.water_surface_per_floor_area * self.floor_area_m2


class UnreachableDemandError(ValueError):
    """An annual demand was asked for but the weather never drives that demand.

    Attributes
    ----------
    building_id, quantity
        Which building and which quantity.
    """

    def __init__(self, message: str, *, building_id: str, quantity: str) -> None:
        super().__init__(message)
        self.building_id = building_id
        self.quantity = quantity


class _ShapeCache:
    """The calendar of the weather year, computed once."""

    def __init__(self, weather: pd.DataFrame, holidays: dict[date, str]) -> None:
        self.calendar = HourlyCalendar.from_index(weather.index, holidays=holidays)


def _heating_kw(
    spec: BuildingDemandSpec, weather: pd.DataFrame, activity: np.ndarray
) -> np.ndarray:
    target_kwh = spec.annual_target_kwh("heat_kw")
    on = heating_days(weather, heating_limit_c=spec.archetype.heating_limit_c)
    if target_kwh > 0.0 and not on.any():
        raise UnreachableDemandError(
            f"building '{spec.building_id}': an annual heat demand of {target_kwh / 1000:.1f} "
            "MWh is asked for, but with this weather the archetype never needs it; give a "
            "measured profile or set the annual demand to 0",
            building_id=spec.building_id,
            quantity="heat_kw",
        )
    return space_heating_kw(
        weather,
        annual_kwh=target_kwh,
        design_load_kw=spec.design_heat_load_kw(),
        heating_limit_c=spec.archetype.heating_limit_c,
        design_temperature_c=spec.design_temperature_c,
        pattern=heating_pattern(activity, archetype=spec.archetype),
    )


def _scaled(shape: np.ndarray, target_kwh: float, *, building_id: str, quantity: str) -> np.ndarray:
    total = shape.sum()
    if target_kwh == 0.0:
        return np.zeros(len(shape))
    if total <= 0.0:
        raise UnreachableDemandError(
            f"building '{building_id}': an annual {quantity.removesuffix('_kw')} demand of "
            f"{target_kwh / 1000:.1f} MWh is asked for, but with this weather the archetype "
            "never needs it; give a measured profile or set the annual demand to 0",
            building_id=building_id,
            quantity=quantity,
        )
    # hourly values are kW averaged over one hour, so the sum of kW equals kWh
    return shape * (target_kwh / total)


def _building_columns(
    spec: BuildingDemandSpec, weather: pd.DataFrame, *, shapes: _ShapeCache
) -> dict[str, np.ndarray]:
    activity = activity_profile(
        shapes.calendar,
        archetype=spec.archetype,
        event_dates=spec.event_dates,
        event_hours=spec.event_hours,
    )
    model = {
        "dhw_kw": lambda: hot_water_shape(
            weather.index, archetype=spec.archetype, activity=activity
        ),
        "cool_kw": lambda: cooling_shape(weather, archetype=spec.archetype, activity=activity),
    }
    columns = {}
    for quantity in QUANTITIES:
        if quantity in spec.measured_kw:
            columns[quantity] = np.asarray(spec.measured_kw[quantity], dtype=float)
        elif quantity == "heat_kw":
            columns[quantity] = _heating_kw(spec, weather, activity)
            if spec.archetype.pool is not None:
                columns[quantity] = columns[quantity] + pool_water_kw(
                    activity >= 1.0,
                    water_surface_m2=spec.water_surface_m2(),
                    pool=spec.archetype.pool,
                )
        else:
            columns[quantity] = _scaled(
                model[quantity](),
                spec.annual_target_kwh(quantity),
                building_id=spec.building_id,
                quantity=quantity,
            )
    return columns


def district_profiles(
    buildings: list[BuildingDemandSpec],
    weather: pd.DataFrame,
    *,
    holidays: dict[date, str],
) -> pd.DataFrame:
    """Hourly demand of every building of a district.

    Parameters
    ----------
    buildings
        The buildings, each with its archetype, floor area and optional overrides.
    weather
        Hourly weather in the toolkit vocabulary (``temp_air_c`` [degC], ``ghi_w_per_m2``
        [W/m2]) with a time-zone aware local index covering the profile year.
    holidays
        Public holidays of the district's country.

    Returns
    -------
    pandas.DataFrame
        Index ``time`` (the weather's), one column per building and quantity named
        ``<building_id>.<quantity>`` with quantities ``heat_kw``, ``dhw_kw``, ``cool_kw``
        [kW thermal, hourly mean].

    Raises
    ------
    UnreachableDemandError
        When a building asks for a demand its archetype never has under this weather.
    """
    shapes = _ShapeCache(weather, holidays)
    data: dict[str, np.ndarray] = {}
    for spec in buildings:
        for quantity, values in _building_columns(spec, weather, shapes=shapes).items():
            data[f"{spec.building_id}.{quantity}"] = values
    return pd.DataFrame(data, index=weather.index.rename("time"))


def building_quantity(profiles: pd.DataFrame, quantity: str) -> pd.DataFrame:
    """One quantity of every building: columns are building ids.

    Parameters
    ----------
    profiles
        Output of :func:`district_profiles`.
    quantity
        ``heat_kw``, ``dhw_kw`` or ``cool_kw``.
    """
    suffix = f".{quantity}"
    selected = profiles.loc[:, [c for c in profiles.columns if c.endswith(suffix)]]
    return selected.rename(columns=lambda c: c.removesuffix(suffix))
