"""The weather vocabulary: the one hourly table layout every weather reader returns.

A weather table is a :class:`pandas.DataFrame` with

* a time-zone-aware hourly :class:`pandas.DatetimeIndex` named ``time`` whose labels are the
  START of each hour, covering exactly one calendar year in the caller's time zone: the first
  label is local 1 January 00:00, followed by consecutive absolute hours up to (excluding)
  local 1 January 00:00 of the next year. That is 8760 rows (8784 in a leap year); the local
  day on which summer time starts has 23 rows, the day it ends has 25;
* the float columns of :data:`WEATHER_COLUMNS` (units in the names).

Readers rename the source's own field names to this vocabulary at the edge and finish with
:func:`validate_weather`. The second half of this module holds the small helpers the readers
share: parsing text tables with line numbers, relabelling a typical year to a calendar year,
and fitting data to the local calendar year with a bounded gap filling.
"""

from __future__ import annotations

import calendar
import zoneinfo
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from common.errors import InputError

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

_WRAP_HOURS = 48
"""Hours a typical year is continued cyclically on each side (covers any UTC offset)."""


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
                f"no value at {_when(out.index[np.argmax(nan)])}; {column} may not be missing",
                file=source,
                field=column,
            )
    for column, (low, high, unit) in PLAUSIBLE_RANGES.items():
        values = out[column]
        bad = ((values < low) | (values > high)).to_numpy()
        if bad.any():
            first = int(np.argmax(bad))
            raise InputError(
                f"value {values.iloc[first]:g} {unit} at {_when(out.index[first])} is "
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
        problem = f"row {first} is {_when(index[first])}, expected {_when(expected[first])}"
    else:
        problem = f"it has {len(index)} rows"
    raise InputError(
        f"weather index must be the complete hourly year {year} in {index.tz}: {size} "
        f"consecutive hours from local 1 January 00:00; {problem}",
        file=source,
        field=INDEX_NAME,
    )


def _when(stamp: pd.Timestamp) -> str:
    """Format a timestamp for error messages (ISO date, hour and UTC offset)."""
    return stamp.isoformat(sep=" ", timespec="minutes")


# --------------------------------------------------------------------------------------
# Helpers shared by the readers
# --------------------------------------------------------------------------------------


def read_text(path: str | Path) -> tuple[Path, str]:
    """Read a weather text file, turning file-system problems into :class:`InputError`.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    tuple of (pathlib.Path, str)
        The path and the text (undecodable bytes replaced; only numbers are parsed).

    """
    file = Path(path)
    if not file.is_file():
        raise InputError("weather file not found (or not a regular file)", file=file)
    try:
        return file, file.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise InputError(f"weather file cannot be read: {exc.strerror}", file=file) from exc


def split_rows(
    rows: Sequence[tuple[int, str]],
    *,
    names: Sequence[str],
    sep: str | None,
    source: str | Path,
    exact: bool = True,
) -> pd.DataFrame:
    """Split text rows into a table of strings, remembering each row's line number.

    Parameters
    ----------
    rows
        ``(line number, text)`` per data row.
    names
        Names of the leading fields.
    sep
        Field separator; ``None`` splits on runs of whitespace.
    source
        File name for error messages.
    exact
        If true every row must have exactly ``len(names)`` fields, otherwise at least that
        many (further fields are ignored).

    Returns
    -------
    pandas.DataFrame
        One string column per name plus an integer column ``line``.

    """
    table = []
    for line, text in rows:
        fields = text.split(sep)
        if len(fields) < len(names) or (exact and len(fields) != len(names)):
            wanted = f"{len(names)}" if exact else f"at least {len(names)}"
            raise InputError(
                f"expected {wanted} fields ({', '.join(names)}), found {len(fields)}",
                file=source,
                field=f"line {line}",
            )
        table.append(fields[: len(names)])
    frame = pd.DataFrame(table, columns=list(names), dtype=object)
    frame["line"] = [line for line, _ in rows]
    return frame


def to_numbers(table: pd.DataFrame, columns: Sequence[str], *, source: str | Path) -> pd.DataFrame:
    """Convert string columns to floats; blank fields become NaN.

    Parameters
    ----------
    table
        Output of :func:`split_rows`.
    columns
        The columns to convert (others are left alone).
    source
        File name for error messages.

    Returns
    -------
    pandas.DataFrame
        ``table`` with the given columns as float.

    Raises
    ------
    InputError
        Naming line and column of the first field that is neither blank nor a number.

    """
    out = table.copy()
    for column in columns:
        out[column] = _column_to_numbers(table, column, source=source)
    return out


def _column_to_numbers(table: pd.DataFrame, column: str, *, source: str | Path) -> pd.Series:
    """Convert one string column of :func:`split_rows` output to float (blank -> NaN)."""
    text = table[column].astype(str)
    try:  # fast path: every field is a number (surrounding spaces are allowed)
        values = text.astype(float)
    except ValueError:
        values = None
    if values is None or values.isna().any():
        values = pd.to_numeric(text, errors="coerce")
    unparsed = values.isna().to_numpy()
    bad = np.zeros_like(unparsed)
    bad[unparsed] = (text[unparsed].str.strip() != "").to_numpy()
    if bad.any():
        first = int(np.argmax(bad))
        raise InputError(
            f"{column} value {text.iloc[first].strip()!r} is not a number",
            file=source,
            field=f"line {table['line'].iloc[first]}, column {column}",
        )
    return values.astype(float)


def require_integers(
    table: pd.DataFrame, column: str, low: int, high: int, *, source: str | Path
) -> pd.Series:
    """Return a column as integers after checking it holds whole numbers in ``[low, high]``.

    Parameters
    ----------
    table
        Table with float column ``column`` and integer column ``line``.
    column
        Column to check.
    low, high
        Allowed range (inclusive).
    source
        File name for error messages.

    Returns
    -------
    pandas.Series
        The column as ``int64``.

    """
    values = table[column]
    bad = values.isna() | (values != values.round()) | (values < low) | (values > high)
    bad = bad.to_numpy()
    if bad.any():
        first = int(np.argmax(bad))
        raise InputError(
            f"{column} value {values.iloc[first]} is not allowed; use a whole number "
            f"from {low} to {high}",
            file=source,
            field=f"line {table['line'].iloc[first]}, column {column}",
        )
    return values.astype("int64")


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
                f"{_when(target[start])}; at most {max_gap_hours} missing hour(s) in a row "
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
