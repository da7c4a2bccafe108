"""The weather vocabulary: the one hourly table layout every weather reader returns.

A weather table is a :class:`pandas.DataFrame` with

* a time-zone-aware hourly :class:`pandas.DatetimeIndex` named ``time`` whose labels are the
  START of each hour, covering exactly one calendar year in the caller's time zone: the first
  label is local 1 January 00:00, followed by consecutive absolute hours up to (excluding)
  local 1 January 00:00 of the next year. That is 8760 rows (8784 in a leap year); the local
  day on which summer time starts has 23 rows, the day it ends has 25;
* the float columns of :data:`WEATHER_COLUMNS` (units in the names).

Readers rename the source's own field names to this vocabulary at the edge and finish with
:func:`validate_weather`. The helpers they share live beside this module: parsing text tables
with line numbers (:mod:`buildings.weather.text_table`) and aligning data to the local
calendar year (:mod:`buildings.weather.year_alignment`).
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tsg.common.errors import InputError

TEMP_AIR_C = "temp_air_c"
"""Air temperature about 2 m above ground [°C]."""
GHI_W_PER_M2 = "ghi_w_per_m2"
"""Global horizontal irradiance, mean over the hour [W/m²]."""
DHI_W_PER_M2 = "dhi_w_per_m2"
"""Diffuse horizontal irradiance, mean over the hour [W/m²]; NaN where the source has none."""
WIND_SPEED_M_PER_S = "wind_speed_m_per_s"
"""Wind speed about 10 m above ground [m/s]."""
RELATIVE_HUMIDITY_PCT = "relative_humidity_pct"
"""Relative humidity of the air [%]."""

WEATHER_COLUMNS: tuple[str, ...] = (
    TEMP_AIR_C,
    GHI_W_PER_M2,
    DHI_W_PER_M2,
    WIND_SPEED_M_PER_S,
    RELATIVE_HUMIDITY_PCT,
)
"""The columns of a weather table, in this order."""

REQUIRED_COLUMNS: tuple[str, ...] = (TEMP_AIR_C, GHI_W_PER_M2)
"""Columns that may not contain NaN."""

INDEX_NAME = "time"

PLAUSIBLE_RANGES: Mapping[str, tuple[float, float, str]] = {
    TEMP_AIR_C: (-50.0, 60.0, "°C"),
    GHI_W_PER_M2: (0.0, 1400.0, "W/m²"),
    DHI_W_PER_M2: (0.0, 1400.0, "W/m²"),
    # Wider than any plausible hourly mean, because the DWD TRY 2010 files hold isolated
    # spikes (66 m/s in region 7, Kassel); it still rejects wind given in 0.1 m/s.
    WIND_SPEED_M_PER_S: (0.0, 75.0, "m/s"),
    RELATIVE_HUMIDITY_PCT: (0.0, 100.0, "%"),
}
"""Allowed ``(lowest, highest, unit)`` per column; values outside are rejected."""

YEAR_RANGE: tuple[int, int] = (1900, 2100)
"""Calendar years a weather table may be labelled with."""


# --------------------------------------------------------------------------------------
# Checks of caller arguments
# --------------------------------------------------------------------------------------


def check_time_zone(time_zone: Any, *, source: str | Path | None) -> str:
    """Return ``time_zone`` if it is a known IANA time zone name.

    Parameters
    ----------
    time_zone
        IANA name such as ``"Europe/Amsterdam"``.
    source
        File the request is about, for the error message.

    Returns
    -------
    str
        The unchanged name.

    Raises
    ------
    InputError
        If the name is not a string or not a known IANA time zone.

    """
    allowed = "use an IANA time zone name such as 'Europe/Amsterdam' or 'UTC'"
    if not isinstance(time_zone, str) or not time_zone:
        raise InputError(
            f"time zone {time_zone!r} is not a name; {allowed}", file=source, field="time_zone"
        )
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(
            f"unknown time zone {time_zone!r}; {allowed}", file=source, field="time_zone"
        ) from exc
    return time_zone


def check_year(year: Any, *, source: str | Path | None) -> int:
    """Return ``year`` if it is an integer calendar year in :data:`YEAR_RANGE`.

    Parameters
    ----------
    year
        The calendar year asked for.
    source
        File the request is about, for the error message.

    Returns
    -------
    int
        The year.

    Raises
    ------
    InputError
        If the year is not an integer in the allowed range.

    """
    low, high = YEAR_RANGE
    if isinstance(year, bool) or not isinstance(year, int | np.integer) or not low <= year <= high:
        raise InputError(
            f"year {year!r} is not allowed; use an integer calendar year from {low} to {high}",
            file=source,
            field="year",
        )
    return int(year)


def hourly_year_index(year: int, time_zone: Any) -> pd.DatetimeIndex:
    """Return the hour-start labels of one calendar year in a time zone.

    Parameters
    ----------
    year
        Calendar year.
    time_zone
        IANA name or tzinfo object.

    Returns
    -------
    pandas.DatetimeIndex
        Labels from local 1 January 00:00 in steps of one absolute hour up to (excluding)
        local 1 January 00:00 of ``year + 1``; named ``time``.

    """
    start = pd.Timestamp(year=year, month=1, day=1).tz_localize(time_zone)
    end = pd.Timestamp(year=year + 1, month=1, day=1).tz_localize(time_zone)
    return pd.date_range(start, end, freq="h", inclusive="left", name=INDEX_NAME).as_unit("ns")


# --------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------


def validate_weather(df: pd.DataFrame, *, source: str | Path) -> pd.DataFrame:
    """Check that a table follows the weather vocabulary and return it in canonical form.

    Parameters
    ----------
    df
        Candidate weather table.
    source
        File (or description) the table came from; named in error messages.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`WEATHER_COLUMNS` in that order as float, index named ``time``.

    Raises
    ------
    InputError
        If the index is not a tz-aware, complete hourly calendar year; a column is missing;
        :data:`REQUIRED_COLUMNS` contain NaN; or a value lies outside
        :data:`PLAUSIBLE_RANGES`.

    """
    if not isinstance(df, pd.DataFrame):
        raise InputError(
            f"weather must be a pandas DataFrame, not {type(df).__name__}", file=source
        )
    _check_index(df.index, source=source)
    missing = [column for column in WEATHER_COLUMNS if column not in df.columns]
    if missing:
        raise InputError(
            f"weather column {missing[0]!r} is missing; required columns: "
            f"{', '.join(WEATHER_COLUMNS)}",
            file=source,
            field=missing[0],
        )
    try:
        out = df.loc[:, list(WEATHER_COLUMNS)].astype(float)
    except (TypeError, ValueError) as exc:
        raise InputError(f"weather columns must be numeric: {exc}", file=source) from exc
    out.index = out.index.rename(INDEX_NAME)
    for column in REQUIRED_COLUMNS:
        nan = out[column].isna().to_numpy()
        if nan.any():
            raise InputError(
                f"no value at {describe_time(out.index[np.argmax(nan)])}; "
                f"{column} may not be missing",
                file=source,
                field=column,
            )
    for column, (low, high, unit) in PLAUSIBLE_RANGES.items():
        values = out[column]
        bad = ((values < low) | (values > high)).to_numpy()
        if bad.any():
            first = int(np.argmax(bad))
            raise InputError(
                f"value {values.iloc[first]:g} {unit} at {describe_time(out.index[first])} is "
                f"implausible; allowed {low:g} to {high:g} {unit}",
                file=source,
                field=column,
            )
    return out


def _check_index(index: pd.Index, *, source: str | Path) -> None:
    """Raise unless ``index`` is the complete hourly calendar year of its time zone."""
    if not isinstance(index, pd.DatetimeIndex) or index.tz is None:
        raise InputError(
            "weather index must be a time-zone-aware DatetimeIndex of hour starts",
            file=source,
            field=INDEX_NAME,
        )
    if len(index) == 0:
        raise InputError(
            "weather table is empty; one full calendar year is required",
            file=source,
            field=INDEX_NAME,
        )
    year = index[0].year
    expected = hourly_year_index(year, index.tz)
    if len(index) == len(expected) and (index.asi8 == expected.asi8).all():
        return
    size = len(expected)
    if len(index) == size:
        first = int(np.argmax(index.asi8 != expected.asi8))
        problem = (
            f"row {first} is {describe_time(index[first])}, "
            f"expected {describe_time(expected[first])}"
        )
    else:
        problem = f"it has {len(index)} rows"
    raise InputError(
        f"weather index must be the complete hourly year {year} in {index.tz}: {size} "
        f"consecutive hours from local 1 January 00:00; {problem}",
        file=source,
        field=INDEX_NAME,
    )


def describe_time(stamp: pd.Timestamp) -> str:
    """Format a timestamp for error messages (ISO date, hour and UTC offset)."""
    return stamp.isoformat(sep=" ", timespec="minutes")
