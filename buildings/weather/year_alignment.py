"""Aligning weather data to one local calendar year: typical years, hour-ending stamps, gaps."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from tsg.buildings.weather.vocabulary import (
    REQUIRED_COLUMNS,
    WEATHER_COLUMNS,
    describe_time,
    hourly_year_index,
    validate_weather,
)
from tsg.common.errors import InputError

_WRAP_HOURS = 48
"""Hours a typical year is continued cyclically on each side (covers any UTC offset)."""


def hour_ending_stamps_utc(
    table: pd.DataFrame,
    *,
    year: pd.Series | int,
    month: pd.Series,
    day: pd.Series,
    hour: pd.Series,
    utc_offset_h: float,
    source: str | Path,
) -> pd.DatetimeIndex:
    """Turn dates plus hour-ending numbers 1..24 into UTC hour-start timestamps.

    Parameters
    ----------
    table
        The parsed rows (for the ``line`` column in error messages).
    year, month, day
        The calendar date of each row in the source's clock.
    hour
        Hour ending 1..24 in the source's clock: hour 1 is 00:00 to 01:00.
    utc_offset_h
        Offset of the source's clock from UTC [h], e.g. 1 for MEZ/CET without summer time.
    source
        File name for error messages.

    Returns
    -------
    pandas.DatetimeIndex
        UTC label of the start of each row's hour.

    """
    dates = pd.to_datetime(
        pd.DataFrame({"year": year, "month": month, "day": day}, index=table.index),
        errors="coerce",
    )
    bad = dates.isna().to_numpy()
    if bad.any():
        first = int(np.argmax(bad))
        raise InputError(
            f"month {month.iloc[first]} day {day.iloc[first]} is not a calendar date",
            file=source,
            field=f"line {table['line'].iloc[first]}",
        )
    local = dates + pd.to_timedelta(hour - 1, unit="h")
    utc = local - pd.Timedelta(hours=utc_offset_h)
    return pd.DatetimeIndex(utc).tz_localize("UTC").as_unit("ns")


def relabel_typical_year(
    table: pd.DataFrame,
    *,
    year: int,
    utc_offset_h: float,
    source: str | Path,
) -> pd.DataFrame:
    """Give a typical (or single) year the dates of calendar year ``year``.

    Rows of 29 February are dropped when ``year`` is not a leap year; when it is and the
    source has no 29 February, 28 February is repeated as 29 February.

    Parameters
    ----------
    table
        Parsed rows with integer columns ``month``, ``day``, ``hour`` (hour ending 1..24 in
        the source's clock), ``line`` and the :data:`WEATHER_COLUMNS`.
    year
        Calendar year to label the data with.
    utc_offset_h
        Offset of the source's clock from UTC [h] (standard time, no summer time).
    source
        File name for error messages.

    Returns
    -------
    pandas.DataFrame
        The :data:`WEATHER_COLUMNS`, indexed by UTC hour starts, exactly the hours of
        ``year`` in the source's clock.

    Raises
    ------
    InputError
        If a row is duplicated or an hour of the year is missing.

    """
    feb29 = (table["month"] == 2) & (table["day"] == 29)
    if not calendar.isleap(year):
        table = table[~feb29]
    elif not feb29.any():
        feb28 = table[(table["month"] == 2) & (table["day"] == 28)].assign(day=29)
        table = pd.concat([table, feb28], ignore_index=True)
    stamps = hour_ending_stamps_utc(
        table,
        year=year,
        month=table["month"],
        day=table["day"],
        hour=table["hour"],
        utc_offset_h=utc_offset_h,
        source=source,
    )
    data = table.set_axis(stamps).sort_index(kind="stable")
    start = pd.Timestamp(year=year, month=1, day=1) - pd.Timedelta(hours=utc_offset_h)
    hours = 24 * (366 if calendar.isleap(year) else 365)
    expected = pd.date_range(start.tz_localize("UTC"), periods=hours, freq="h").as_unit("ns")
    _check_unique_and_complete(data, expected, utc_offset_h=utc_offset_h, source=source)
    return data.loc[:, list(WEATHER_COLUMNS)]


def _check_unique_and_complete(
    data: pd.DataFrame,
    expected: pd.DatetimeIndex,
    *,
    utc_offset_h: float,
    source: str | Path,
) -> None:
    """Raise if ``data`` repeats an hour or lacks an hour of ``expected``."""
    duplicated = data.index.duplicated()
    if duplicated.any():
        first = int(np.argmax(duplicated))
        raise InputError(
            f"the hour starting {_source_clock(data.index[first], utc_offset_h)} occurs "
            "more than once; each hour of the year must appear exactly once",
            file=source,
            field=f"line {data['line'].iloc[first]}",
        )
    missing = expected.difference(data.index)
    if len(missing):
        raise InputError(
            f"{len(missing)} hour(s) of the year are missing, the first starting "
            f"{_source_clock(missing[0], utc_offset_h)}; a full year of hourly rows is "
            "required",
            file=source,
        )


def _source_clock(stamp_utc: pd.Timestamp, utc_offset_h: float) -> str:
    """Format a UTC timestamp in the source's fixed-offset clock for error messages."""
    local = stamp_utc.tz_convert(None) + pd.Timedelta(hours=utc_offset_h)
    return f"{local:%Y-%m-%d %H:%M} (UTC{utc_offset_h:+g} h)"


def wrap_typical_year(data: pd.DataFrame) -> pd.DataFrame:
    """Continue one complete typical year cyclically by two days on either side.

    A typical year has no real neighbours, so its end continues into its own start. This
    lets a time zone whose local year is offset from the source's clock take its first or
    last hours from the other end of the same typical year.

    Parameters
    ----------
    data
        Output of :func:`relabel_typical_year` (consecutive hours of one year).

    Returns
    -------
    pandas.DataFrame
        ``data`` with the last 48 hours prepended one year earlier and the first 48 hours
        appended one year later.

    """
    period = pd.Timedelta(hours=len(data))
    before = data.iloc[-_WRAP_HOURS:]
    after = data.iloc[:_WRAP_HOURS]
    return pd.concat(
        [before.set_axis(before.index - period), data, after.set_axis(after.index + period)]
    )


def fit_to_local_year(
    data: pd.DataFrame,
    *,
    year: int,
    time_zone: str,
    source: str | Path,
    max_gap_hours: int,
    source_fields: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Cut UTC-indexed data to the local calendar year, fill short gaps and validate.

    Parameters
    ----------
    data
        The :data:`WEATHER_COLUMNS` indexed by unique UTC hour starts; may reach beyond the
        year.
    year
        Calendar year in ``time_zone``.
    time_zone
        IANA time zone of the result.
    source
        File name for error messages.
    max_gap_hours
        Longest run of missing hours [h] that is filled: inside the data by linear
        interpolation, at the start or end of the year with the nearest value. Longer
        runs raise for :data:`REQUIRED_COLUMNS` and stay NaN in the other columns.
    source_fields
        The source's name of each vocabulary column, for error messages.

    Returns
    -------
    pandas.DataFrame
        A validated weather table (see :func:`validate_weather`).

    """
    target = hourly_year_index(year, time_zone)
    target_utc = target.tz_convert("UTC")
    if not target_utc.isin(data.index).any():
        raise InputError(
            f"the file has no data for the year {year} in time zone {time_zone}",
            file=source,
            field="year",
        )
    out = data.reindex(target_utc).set_axis(target)
    names = source_fields or {}
    for column in WEATHER_COLUMNS:
        filled, long_gap = _fill_short_gaps(out[column], max_gap_hours)
        if long_gap is not None and column in REQUIRED_COLUMNS:
            start, length = long_gap
            raise InputError(
                f"no {column} value for {length} consecutive hour(s) from the hour starting "
                f"{describe_time(target[start])}; at most {max_gap_hours} missing hour(s) in a row "
                f"are filled, and the whole year {year} in {time_zone} must be covered",
                file=source,
                field=names.get(column, column),
            )
        out[column] = filled
    return validate_weather(out, source=source)


def _fill_short_gaps(
    series: pd.Series, max_gap_hours: int
) -> tuple[pd.Series, tuple[int, int] | None]:
    """Fill runs of NaN no longer than ``max_gap_hours``; report the first longer run.

    Returns
    -------
    tuple
        The filled series and ``(start position, length)`` of the first run that was too
        long to fill, or ``None``.

    """
    missing = series.isna().to_numpy()
    runs = _runs(missing)
    fillable = np.zeros_like(missing)
    long_gap = None
    for start, length in runs:
        if length <= max_gap_hours:
            fillable[start : start + length] = True
        elif long_gap is None:
            long_gap = (int(start), int(length))
    if fillable.any():
        estimate = series.interpolate(method="linear", limit_area="inside").ffill().bfill()
        series = series.where(~fillable, estimate)
    return series, long_gap


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Start position and length of every run of ``True`` in a boolean array."""
    steps = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    starts = np.flatnonzero(steps == 1)
    ends = np.flatnonzero(steps == -1)
    return list(zip(starts.tolist(), (ends - starts).tolist(), strict=True))
