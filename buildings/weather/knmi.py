"""Read KNMI hourly station data ("uurgegevens") into the weather vocabulary.

KNMI publishes hourly observations of its automatic weather stations as comma-separated
text: explanatory lines (starting with ``#`` in the scripted download), a header line such
as ``# STN,YYYYMMDD,   HH,   DD,   FH,   FF,   FX,    T, ...`` and data rows padded with
spaces. Blank fields are missing values. The fields used here:

===========  ==========================================================  =================
field        meaning                                                     conversion
===========  ==========================================================  =================
``STN``      station number                                              selects a station
``YYYYMMDD`` date in UT                                                  -
``HH``       hour 1..24 ENDING at HH:00 UT (hour 1 is 00:00-01:00 UT)    label 00:00 UT
``T``        air temperature at 1.5 m at the end of the hour [0.1 °C]    x 0.1 -> °C
``Q``        global radiation summed over the hour [J/cm²]               x 10000/3600 -> W/m²
``FH``       hourly mean wind speed [0.1 m/s] (optional)                 x 0.1 -> m/s
``U``        relative humidity [%] (optional)                            -
===========  ==========================================================  =================

All fields of a row are labelled with the start of its hour (also ``T``, which KNMI
observes at the end of the hour), then converted to the caller's time zone. KNMI gives no
diffuse radiation, so ``dhi_w_per_m2`` is NaN. Runs of up to
:data:`MAX_GAP_HOURS` missing hours are filled (linear interpolation inside the data, the
nearest value at the ends of the year: a file holding one UT calendar year lacks the first
local hour of a time zone east of UT). Longer gaps in temperature or global radiation raise
:class:`~common.errors.InputError`; in wind or humidity they stay NaN.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tsg.buildings.weather.text_table import (
    read_text,
    require_integers,
    split_rows,
    to_numbers,
)
from tsg.buildings.weather.vocabulary import (
    DHI_W_PER_M2,
    GHI_W_PER_M2,
    RELATIVE_HUMIDITY_PCT,
    TEMP_AIR_C,
    WEATHER_COLUMNS,
    WIND_SPEED_M_PER_S,
    check_time_zone,
    check_year,
)
from tsg.buildings.weather.year_alignment import (
    fit_to_local_year,
    hour_ending_stamps_utc,
)
from tsg.common.errors import InputError

MAX_GAP_HOURS = 3
"""Longest run of missing hours that is filled [h]."""

J_PER_CM2_PER_HOUR_TO_W_PER_M2 = 10_000.0 / 3600.0
"""1 J/cm² in one hour = 10 000 J/m² / 3600 s = 2.78 W/m²."""

# KNMI field -> (vocabulary column, factor to its unit).
_CONVERSIONS = {
    "T": (TEMP_AIR_C, 0.1),
    "Q": (GHI_W_PER_M2, J_PER_CM2_PER_HOUR_TO_W_PER_M2),
    "FH": (WIND_SPEED_M_PER_S, 0.1),
    "U": (RELATIVE_HUMIDITY_PCT, 1.0),
}
_REQUIRED_FIELDS = ("STN", "YYYYMMDD", "HH", "T", "Q")


def read_knmi_hourly(
    path: str | Path,
    *,
    station: int | None = None,
    year: int | None,
    time_zone: str,
) -> pd.DataFrame:
    """Read a KNMI hourly data file ("uurgegevens").

    Parameters
    ----------
    path
        The text file as downloaded from KNMI (with at least the fields STN, YYYYMMDD, HH,
        T and Q; FH and U are used when present).
    station
        KNMI station number, e.g. 260 (De Bilt) or 344 (Rotterdam); required when the file
        holds several stations.
    year
        Calendar year in ``time_zone`` [-]; required when the file's dates (UT) span
        several years. Rows outside the year are ignored.
    time_zone
        IANA time zone of the result, e.g. ``"Europe/Amsterdam"``.

    Returns
    -------
    pandas.DataFrame
        Hourly weather of one calendar year in ``time_zone`` (see
        :mod:`buildings.weather.vocabulary`): temperature [°C], global horizontal
        irradiance [W/m²], diffuse horizontal irradiance (NaN), wind speed [m/s],
        relative humidity [%].

    Raises
    ------
    InputError
        If the file is missing or has no KNMI header line, lacks a required field, holds a
        non-number, repeats an hour, the station or year is ambiguous or absent, or
        temperature or global radiation has a gap longer than :data:`MAX_GAP_HOURS` hours
        (including an incompletely covered year).

    """
    if year is not None:
        check_year(year, source=path)
    check_time_zone(time_zone, source=path)
    file, text = read_text(path)
    table = _parse(text, file)
    table = _select_station(table, station, file)
    stamps = hour_ending_stamps_utc(
        table,
        year=table["date"].dt.year,
        month=table["date"].dt.month,
        day=table["date"].dt.day,
        hour=table["hour"],
        utc_offset_h=0.0,
        source=file,
    )
    data = table.set_axis(stamps)
    _check_unique(data, file)
    if year is None:
        year = _single_year(data, file)
    return fit_to_local_year(
        data.loc[:, list(WEATHER_COLUMNS)],
        year=year,
        time_zone=time_zone,
        source=file,
        max_gap_hours=MAX_GAP_HOURS,
        source_fields={column: field for field, (column, _) in _CONVERSIONS.items()},
    )


def _parse(text: str, file: Path) -> pd.DataFrame:
    """Parse header and data rows; return station, date, hour, ``line`` and vocabulary."""
    lines = text.splitlines()
    header_at, names = _find_header(lines, file)
    absent = [name for name in _REQUIRED_FIELDS if name not in names]
    if absent:
        raise InputError(
            f"the header line lacks field {absent[0]}; needed: {', '.join(_REQUIRED_FIELDS)} "
            "(FH and U are used when present)",
            file=file,
            field=f"line {header_at + 1}",
        )
    rows = [
        (number, line)
        for number, line in enumerate(lines[header_at + 1 :], header_at + 2)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    if not rows:
        raise InputError("the file has no data rows below the header line", file=file)
    used = [name for name in ("STN", "YYYYMMDD", "HH", *_CONVERSIONS) if name in names]
    table = to_numbers(split_rows(rows, names=names, sep=",", source=file), used, source=file)
    table["station"] = require_integers(table, "STN", 0, 99_999, source=file)
    table["hour"] = require_integers(table, "HH", 1, 24, source=file)
    table["date"] = _dates(table, file)
    for field, (column, factor) in _CONVERSIONS.items():
        table[column] = table[field] * factor if field in table else np.nan
    table[DHI_W_PER_M2] = np.nan
    return table


def _find_header(lines: list[str], file: Path) -> tuple[int, list[str]]:
    """Return the index and field names of the line naming STN and YYYYMMDD."""
    for index, line in enumerate(lines):
        names = [name.strip() for name in line.lstrip("# \t").split(",")]
        if "STN" in names and "YYYYMMDD" in names:
            return index, names
    raise InputError(
        "not a KNMI hourly data file: no header line with the fields STN, YYYYMMDD, HH, ...",
        file=file,
    )


def _dates(table: pd.DataFrame, file: Path) -> pd.Series:
    """Parse the YYYYMMDD field; raise naming the line of the first invalid date."""
    numbers = require_integers(table, "YYYYMMDD", 1000_01_01, 9999_12_31, source=file)
    text = numbers.astype(str)
    dates = pd.to_datetime(text, format="%Y%m%d", errors="coerce")
    bad = dates.isna().to_numpy()
    if bad.any():
        first = int(np.argmax(bad))
        raise InputError(
            f"YYYYMMDD value {text.iloc[first]!r} is not a date (year, month, day)",
            file=file,
            field=f"line {table['line'].iloc[first]}, column YYYYMMDD",
        )
    return dates


def _select_station(table: pd.DataFrame, station: int | None, file: Path) -> pd.DataFrame:
    """Keep the rows of one station; raise if the choice is missing or impossible."""
    present = sorted(table["station"].unique().tolist())
    if station is None:
        if len(present) > 1:
            raise InputError(
                f"the file holds several stations ({', '.join(map(str, present))}); "
                "pass station= to choose one",
                file=file,
                field="STN",
            )
        return table
    if isinstance(station, bool) or not isinstance(station, int) or station not in present:
        raise InputError(
            f"station {station!r} is not in the file; it holds {', '.join(map(str, present))}",
            file=file,
            field="STN",
        )
    return table[table["station"] == station]


def _check_unique(data: pd.DataFrame, file: Path) -> None:
    """Raise if an hour occurs twice for the selected station."""
    duplicated = data.index.duplicated()
    if duplicated.any():
        first = int(np.argmax(duplicated))
        raise InputError(
            f"the hour starting {data.index[first]:%Y-%m-%d %H:%M} UT occurs more than once",
            file=file,
            field=f"line {data['line'].iloc[first]}",
        )


def _single_year(data: pd.DataFrame, file: Path) -> int:
    """Return the one calendar year (UT dates) in the data, or ask the caller to choose."""
    years = sorted(data["date"].dt.year.unique().tolist())
    if len(years) > 1:
        raise InputError(
            f"the file spans several years ({', '.join(map(str, years))}); pass year= to "
            "choose the calendar year to read",
            file=file,
            field="YYYYMMDD",
        )
    return check_year(years[0], source=file)
