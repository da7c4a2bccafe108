"""Read EnergyPlus weather files (EPW) into the weather vocabulary.

An EPW file has 8 header lines (``LOCATION`` ... ``DATA PERIODS``) followed by one
comma-separated row per hour. The 9th field of the ``LOCATION`` line is the file's time zone
as hours from UTC (standard time, no summer time); the hour field 1..24 of each row is the
hour ENDING at that time in this clock. Only the fields up to the wind speed (the 22nd) are
used; later fields may be absent.

Typical-year files (TMY, IWEC, ...) take each month from a different year. Pass ``year`` to
label all rows with one calendar year (the file is then treated as a cyclic typical year);
without ``year`` a file whose rows all carry the same year is read as that year.
"""

from __future__ import annotations

from pathlib import Path

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
    WIND_SPEED_M_PER_S,
    check_time_zone,
    check_year,
)
from tsg.buildings.weather.year_alignment import (
    fit_to_local_year,
    relabel_typical_year,
    wrap_typical_year,
)
from tsg.common.errors import InputError

EPW_HEADER_LINES = 8

# The first 22 fields of an EPW data row, in file order.
_FIELDS = (
    "year",
    "month",
    "day",
    "hour",
    "minute",
    "data_source_flags",
    "dry_bulb_temperature",
    "dew_point_temperature",
    "relative_humidity",
    "atmospheric_station_pressure",
    "extraterrestrial_horizontal_radiation",
    "extraterrestrial_direct_normal_radiation",
    "horizontal_infrared_radiation_intensity",
    "global_horizontal_radiation",
    "direct_normal_radiation",
    "diffuse_horizontal_radiation",
    "global_horizontal_illuminance",
    "direct_normal_illuminance",
    "diffuse_horizontal_illuminance",
    "zenith_luminance",
    "wind_direction",
    "wind_speed",
)

# EPW field -> vocabulary column.
_RENAME = {
    "dry_bulb_temperature": TEMP_AIR_C,
    "global_horizontal_radiation": GHI_W_PER_M2,
    "diffuse_horizontal_radiation": DHI_W_PER_M2,
    "wind_speed": WIND_SPEED_M_PER_S,
    "relative_humidity": RELATIVE_HUMIDITY_PCT,
}

# Values at or above these codes mean "missing" in the EPW definition.
_MISSING_CODES = {
    "dry_bulb_temperature": 99.9,
    "relative_humidity": 999.0,
    "global_horizontal_radiation": 9999.0,
    "diffuse_horizontal_radiation": 9999.0,
    "wind_speed": 999.0,
}

_LOCATION_TIME_ZONE_FIELD = 8  # 0-based: LOCATION,city,state,country,source,WMO,lat,lon,TZ


def read_epw(path: str | Path, *, year: int | None, time_zone: str) -> pd.DataFrame:
    """Read an hourly EnergyPlus weather file.

    Parameters
    ----------
    path
        The ``.epw`` file.
    year
        Calendar year to label the data with [-]; the file is then used as a cyclic typical
        year (29 February dropped, or repeated from 28 February, as the year needs). ``None``
        uses the file's own year, which all rows must share.
    time_zone
        IANA time zone of the result, e.g. ``"Europe/Amsterdam"``.

    Returns
    -------
    pandas.DataFrame
        Hourly weather of one calendar year in ``time_zone`` (see
        :mod:`buildings.weather.vocabulary`): dry-bulb temperature [°C], global and diffuse
        horizontal radiation [W/m²], wind speed [m/s], relative humidity [%]. Missing
        diffuse radiation, wind or humidity (EPW missing codes) are NaN.

    Raises
    ------
    InputError
        If the file is missing or not an hourly EPW file, a field is not a number, an hour
        is missing or repeated, temperature or global radiation is missing (EPW code) in
        any hour, ``year`` is ``None`` while the rows carry several years, or a value is
        implausible.

    """
    if year is not None:
        check_year(year, source=path)
    check_time_zone(time_zone, source=path)
    file, text = read_text(path)
    lines = text.splitlines()
    utc_offset_h = _read_header(lines, file)
    table = _parse_rows(lines, file)
    if year is None:
        year = _single_year(table, file)
        typical = False
    else:
        typical = True
    data = relabel_typical_year(table, year=year, utc_offset_h=utc_offset_h, source=file)
    if typical:
        data = wrap_typical_year(data)
    return fit_to_local_year(
        data,
        year=year,
        time_zone=time_zone,
        source=file,
        max_gap_hours=0,
        source_fields={column: field for field, column in _RENAME.items()},
    )


def _read_header(lines: list[str], file: Path) -> float:
    """Check the 8 header lines and return the time zone offset from UTC [h]."""
    if len(lines) <= EPW_HEADER_LINES or not lines[0].upper().startswith("LOCATION"):
        raise InputError(
            "not an EPW file: the first line must start with LOCATION, followed by 7 more "
            "header lines and hourly data rows",
            file=file,
            field="line 1",
        )
    if not lines[EPW_HEADER_LINES - 1].upper().startswith("DATA PERIODS"):
        raise InputError(
            f"not an EPW file: header line {EPW_HEADER_LINES} must start with DATA PERIODS",
            file=file,
            field=f"line {EPW_HEADER_LINES}",
        )
    _check_hourly(lines[EPW_HEADER_LINES - 1], file)
    location = lines[0].split(",")
    try:
        offset = float(location[_LOCATION_TIME_ZONE_FIELD])
    except (IndexError, ValueError):
        offset = float("nan")
    if not -12.0 <= offset <= 14.0:
        raise InputError(
            "the 9th LOCATION field must be the time zone in hours from UTC, -12 to 14",
            file=file,
            field="line 1, LOCATION time zone",
        )
    return offset


def _check_hourly(data_periods: str, file: Path) -> None:
    """Raise unless the DATA PERIODS line declares one record per hour."""
    fields = data_periods.split(",")
    per_hour = fields[2].strip() if len(fields) > 2 else ""
    if per_hour != "1":
        raise InputError(
            f"only hourly EPW files are supported; DATA PERIODS declares {per_hour or '?'} "
            "records per hour",
            file=file,
            field=f"line {EPW_HEADER_LINES}, records per hour",
        )


def _parse_rows(lines: list[str], file: Path) -> pd.DataFrame:
    """Parse the data rows into month/day/hour, ``line`` and vocabulary columns."""
    rows = [
        (number, line)
        for number, line in enumerate(lines[EPW_HEADER_LINES:], EPW_HEADER_LINES + 1)
        if line.strip()
    ]
    if not rows:
        raise InputError("the EPW file has no data rows", file=file)
    numeric = ("year", "month", "day", "hour", *_RENAME)
    table = to_numbers(
        split_rows(rows, names=_FIELDS, sep=",", source=file, exact=False), numeric, source=file
    )
    table["year"] = require_integers(table, "year", 1, 9999, source=file)
    table["month"] = require_integers(table, "month", 1, 12, source=file)
    table["day"] = require_integers(table, "day", 1, 31, source=file)
    table["hour"] = require_integers(table, "hour", 1, 24, source=file)
    for field, code in _MISSING_CODES.items():
        table[field] = table[field].where(table[field] < code)
    return table.rename(columns=_RENAME)


def _single_year(table: pd.DataFrame, file: Path) -> int:
    """Return the one year all rows carry, or raise asking the caller to choose one."""
    years = sorted(table["year"].unique().tolist())
    if len(years) > 1:
        shown = ", ".join(str(year) for year in years[:6]) + (", ..." if len(years) > 6 else "")
        raise InputError(
            f"the rows carry several years ({shown}), as typical-year files do; pass year= "
            "to label the data with one calendar year",
            file=file,
            field="year",
        )
    return check_year(years[0], source=file)
