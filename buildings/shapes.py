"""Hourly shapes of space heating, hot water and cooling (relative, not yet scaled).

Each function returns a non-negative array with one value per hour; :mod:`buildings.profiles`
scales it to the annual demand.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from demandlib import bdew

from tsg.buildings.archetypes import Archetype


def space_heating_shape(
    weather: pd.DataFrame, *, archetype: Archetype, holidays: dict[date, str]
) -> np.ndarray:
    """BDEW standard heat load profile (space heating only) for the weather year.

    Uses demandlib's implementation of the BDEW profiles with hot water excluded
    (``ww_incl=False``), so the shape follows the daily mean outdoor temperature, the day of
    the week and the hour of the day. Days whose mean outdoor temperature reaches the
    archetype's heating limit get no space heating (the BDEW curve alone keeps a summer tail).

    Parameters
    ----------
    weather
        Weather in the toolkit vocabulary (``temp_air_c`` [degC], hourly local index).
    archetype
        Supplies the BDEW profile type and building class.
    holidays
        Public holidays (treated as Sundays by BDEW).

    Returns
    -------
    numpy.ndarray
        Relative hourly space-heating shape, summing to 1.
    """
    building = bdew.HeatBuilding(
        weather.index,
        temperature=weather["temp_air_c"],
        shlp_type=archetype.bdew_shlp_type,
        building_class=archetype.bdew_building_class,
        wind_class=0,
        annual_heat_demand=1.0,
        ww_incl=False,
        holidays=holidays,
        name=archetype.name,
    )
    shape = np.clip(np.asarray(building.get_bdew_profile(), dtype=float), 0.0, None)
    temperature = weather["temp_air_c"]
    daily_mean_c = temperature.groupby(weather.index.date).transform("mean").to_numpy()
    shape = np.where(daily_mean_c < archetype.heating_limit_c, shape, 0.0)
    return shape / shape.sum()


def cooling_drive_k(
    weather: pd.DataFrame, *, archetype: Archetype, activity: np.ndarray
) -> np.ndarray:
    """Cooling drive [K]: how far outdoor conditions plus gains exceed the balance temperature.

    ``drive = T_out + k_solar * GHI + k_internal * activity - T_balance``, clipped at zero. The
    drive vanishes in cold weather even in full use, because outdoor air then removes the
    internal gains (economiser / free ventilation cooling).

    Parameters
    ----------
    weather
        ``temp_air_c`` [degC] and ``ghi_w_per_m2`` [W/m2].
    archetype
        Balance temperature and gain coefficients.
    activity
        Hourly activity [-].

    Returns
    -------
    numpy.ndarray
        Drive per hour [K], >= 0.
    """
    drive = (
        weather["temp_air_c"].to_numpy()
        + archetype.solar_gain_k_per_kw_m2 * weather["ghi_w_per_m2"].to_numpy() / 1000.0
        + archetype.internal_gain_k * activity
        - archetype.cooling_balance_c
    )
    return np.clip(drive, 0.0, None)


def cooling_shape(
    weather: pd.DataFrame, *, archetype: Archetype, activity: np.ndarray
) -> np.ndarray:
    """Relative hourly cooling shape, summing to 1 (or all zeros when nothing drives cooling).

    A constant process part (``process_cool_share``) plus a comfort part proportional to the
    cooling drive times activity (cooling plant runs while the building is in use).

    Returns
    -------
    numpy.ndarray
        Relative shape; all zeros when neither process nor comfort cooling occurs.
    """
    comfort = cooling_drive_k(weather, archetype=archetype, activity=activity) * activity
    process = np.full(len(activity), 1.0 / len(activity))
    if comfort.sum() <= 0.0:
        return process if archetype.process_cool_share > 0 else np.zeros(len(activity))
    share = archetype.process_cool_share
    return share * process + (1.0 - share) * comfort / comfort.sum()


def hot_water_shape(
    index: pd.DatetimeIndex, *, archetype: Archetype, activity: np.ndarray
) -> np.ndarray:
    """Relative hourly domestic-hot-water shape, summing to 1.

    Follows the archetype's 24 clock-hour weights where given (homes, hotels), otherwise the
    building's activity (offices, venues, pools: near-constant when base activity is high).

    Returns
    -------
    numpy.ndarray
        Relative shape.
    """
    if archetype.dhw_hourly_weights is not None:
        weights = np.asarray(archetype.dhw_hourly_weights)[index.hour.to_numpy()]
    else:
        weights = activity
    return weights / weights.sum()
