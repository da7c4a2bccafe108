"""Heating degree days and daily mean temperatures of a weather table.

The heating degree days follow the CBS (Statistics Netherlands) definition without seasonal
weighting: for every day, the amount by which the daily mean outdoor temperature falls below
the base temperature (18 °C), summed over the days. Days are calendar days in the time zone
of the weather table's index, so the day summer time starts averages 23 hours and the day it
ends 25 hours.
"""

from __future__ import annotations

import math

import pandas as pd

from tsg.buildings.weather.vocabulary import TEMP_AIR_C
from tsg.common.errors import InputError

CBS_BASE_TEMPERATURE_C = 18.0
"""Base temperature of the CBS heating degree days [°C]."""


def daily_mean_temperature_c(weather: pd.DataFrame) -> pd.Series:
    """Return the mean air temperature of each local calendar day.

    Parameters
    ----------
    weather
        Table with column ``temp_air_c`` [°C] and a time-zone-aware hourly index.

    Returns
    -------
    pandas.Series
        Daily mean temperature [°C], indexed by the local midnight starting each day (index
        named ``date``); days without any value are left out.

    Raises
    ------
    InputError
        If the column is missing or the index is not a time-zone-aware DatetimeIndex.

    """
    if not isinstance(weather, pd.DataFrame) or TEMP_AIR_C not in weather.columns:
        raise InputError(
            f"weather must be a DataFrame with column {TEMP_AIR_C!r}", field=TEMP_AIR_C
        )
    index = weather.index
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        raise InputError(
            "weather index must be a time-zone-aware DatetimeIndex, so days are local days",
            field="time",
        )
    daily = weather[TEMP_AIR_C].astype(float).resample("D").mean().dropna()
    daily.index = daily.index.rename("date")
    return daily.rename("daily_mean_temp_air_c")


def heating_degree_days(weather: pd.DataFrame, *, base_c: float = CBS_BASE_TEMPERATURE_C) -> float:
    """Return the heating degree days: the sum over days of max(0, base - daily mean).

    Parameters
    ----------
    weather
        Table with column ``temp_air_c`` [°C] and a time-zone-aware hourly index.
    base_c
        Base temperature [°C]; 18 °C as used by CBS.

    Returns
    -------
    float
        Heating degree days [K·d] over the local calendar days in ``weather``.

    Raises
    ------
    InputError
        If ``base_c`` is not a finite number, or as :func:`daily_mean_temperature_c`.

    """
    if isinstance(base_c, bool) or not isinstance(base_c, int | float) or not math.isfinite(base_c):
        raise InputError(
            f"base temperature {base_c!r} is not allowed; use a finite number in °C",
            field="base_c",
        )
    daily = daily_mean_temperature_c(weather)
    return float((base_c - daily).clip(lower=0.0).sum())
