"""Read the German test reference years (DWD TRY 2010) shipped with ``demandlib``.

The Deutscher Wetterdienst published test reference years (Testreferenzjahre, TRY 2010) for
15 climate regions of Germany, each a "mean year" assembled from observed weather of the
reference period 1988-2007. The PyPI package ``demandlib`` ships the 15 files as
``demandlib/vdi/resources_weather/TRY2010_{region:02d}_Jahr.dat``; this module parses them
itself (fixed-width text, header row just above the ``***`` line) and returns the weather
vocabulary of :mod:`buildings.weather.vocabulary`.

Why region 1 is the default for Dutch districts
-----------------------------------------------
Region 1, "Nordseeküste" (reference station Bremerhaven, 53°32'N 8°35'E, 7 m above sea
level), is the TRY region closest to the Netherlands. Like the Dutch coast and Rotterdam it
has a maritime North Sea climate: mild, windy winters, cool summers and a small annual
temperature swing; the inland regions of Germany are more continental. It is a stand-in for
a Dutch typical year that needs no download. Its heating degree days are whatever the file
gives: ``tests/test_weather.py`` recomputes them from the raw file (annual mean air
temperature 10.09 °C; 2975 K·d heating degree days at an 18 °C base over the MEZ days of the
file, 2974 K·d over the days of Europe/Amsterdam).
The reference period ends in 2007, so a recent Dutch year is usually somewhat warmer; use
:func:`buildings.weather.read_knmi_hourly` with KNMI measurements for a specific year.

Time convention of the files: ``HH`` 1..24 is the hour ENDING at HH:00 MEZ (Central
European time without summer time, UTC+1). A TRY has no calendar year of its own; it is
relabelled to the requested year (29 February repeats 28 February) and treated as cyclic,
so a time zone whose calendar year does not line up with MEZ takes its first or last hours
from the other end of the same typical year.
"""

from __future__ import annotations

import importlib.resources
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

DEFAULT_TRY_REGION = 1
"""TRY region used when none is given: 1, Nordseeküste (Bremerhaven), see module docstring."""

TRY_REGIONS = range(1, 16)
"""The DWD TRY 2010 climate regions, numbered 1 to 15."""

MEZ_UTC_OFFSET_H = 1.0
"""The TRY clock, MEZ (CET without summer time), is UTC+1 [h]."""

_DATA_MARKER = "***"

# TRY field -> vocabulary column (GHI is computed as B + D).
_RENAME = {
    "t": TEMP_AIR_C,
    "D": DHI_W_PER_M2,
    "WG": WIND_SPEED_M_PER_S,
    "RF": RELATIVE_HUMIDITY_PCT,
}
_NUMERIC_FIELDS = ("MM", "DD", "HH", "t", "B", "D", "WG", "RF")
_SOURCE_FIELDS = {
    TEMP_AIR_C: "t",
    GHI_W_PER_M2: "B+D",
    DHI_W_PER_M2: "D",
    WIND_SPEED_M_PER_S: "WG",
    RELATIVE_HUMIDITY_PCT: "RF",
}


def try_file_path(region: int = DEFAULT_TRY_REGION) -> Path:
    """Return the path of the TRY 2010 file of a region inside the ``demandlib`` package.

    Parameters
    ----------
    region
        DWD TRY 2010 climate region, 1 to 15.

    Returns
    -------
    pathlib.Path
        ``.../demandlib/vdi/resources_weather/TRY2010_{region:02d}_Jahr.dat``.

    Raises
    ------
    InputError
        If ``region`` is not an integer from 1 to 15.

    """
    if isinstance(region, bool) or not isinstance(region, int) or region not in TRY_REGIONS:
        raise InputError(
            f"TRY region {region!r} does not exist; use an integer from 1 to 15 "
            f"(default {DEFAULT_TRY_REGION}, Nordseeküste)",
            field="region",
        )
    resources = importlib.resources.files("demandlib") / "vdi" / "resources_weather"
    return Path(str(resources / f"TRY2010_{region:02d}_Jahr.dat"))


def read_dwd_try(*, region: int = DEFAULT_TRY_REGION, year: int, time_zone: str) -> pd.DataFrame:
    """Read a DWD test reference year 2010 shipped with ``demandlib``.

    Parameters
    ----------
    region
        DWD TRY 2010 climate region, 1 to 15; default 1, Nordseeküste (see module
        docstring).
    year
        Calendar year the typical year is labelled with [-].
    time_zone
        IANA time zone of the result, e.g. ``"Europe/Amsterdam"``.

    Returns
    -------
    pandas.DataFrame
        Hourly weather of one calendar year in ``time_zone`` (see
        :mod:`buildings.weather.vocabulary`): air temperature [°C], GHI = direct + diffuse
        horizontal [W/m²], DHI [W/m²], wind speed [m/s], relative humidity [%].

    Raises
    ------
    InputError
        For an unknown region, a bad year or time zone, or a damaged file.

    """
    return read_dwd_try_file(try_file_path(region), year=year, time_zone=time_zone)


def read_dwd_try_file(path: str | Path, *, year: int, time_zone: str) -> pd.DataFrame:
    """Read a DWD TRY 2010 file (``TRY2010_xx_Jahr.dat`` format) from any location.

    Parameters
    ----------
    path
        The ``.dat`` file.
    year
        Calendar year the typical year is labelled with [-].
    time_zone
        IANA time zone of the result.

    Returns
    -------
    pandas.DataFrame
        As :func:`read_dwd_try`.

    Raises
    ------
    InputError
        If the file is missing, has no header row above a ``***`` line, lacks a needed
        field, holds a non-number, or does not cover every hour of the year once.

    """
    check_year(year, source=path)
    check_time_zone(time_zone, source=path)
    file, text = read_text(path)
    table = _parse(text, file)
    data = relabel_typical_year(table, year=year, utc_offset_h=MEZ_UTC_OFFSET_H, source=file)
    return fit_to_local_year(
        wrap_typical_year(data),
        year=year,
        time_zone=time_zone,
        source=file,
        max_gap_hours=0,
        source_fields=_SOURCE_FIELDS,
    )


def _parse(text: str, file: Path) -> pd.DataFrame:
    """Parse the table below the ``***`` line into month/day/hour and vocabulary columns."""
    lines = text.splitlines()
    marker = next((i for i, line in enumerate(lines) if line.strip() == _DATA_MARKER), None)
    if marker is None or marker == 0:
        raise InputError(
            f"not a DWD TRY file: no header row followed by a '{_DATA_MARKER}' line",
            file=file,
        )
    names = lines[marker - 1].split()
    absent = [name for name in _NUMERIC_FIELDS if name not in names]
    if absent:
        raise InputError(
            f"the header row above '{_DATA_MARKER}' lacks field {absent[0]!r}; "
            f"needed: {', '.join(_NUMERIC_FIELDS)}",
            file=file,
            field=f"line {marker}",
        )
    rows = [(i + 1, line) for i, line in enumerate(lines[marker + 1 :], marker + 1) if line.strip()]
    table = to_numbers(
        split_rows(rows, names=names, sep=None, source=file), _NUMERIC_FIELDS, source=file
    )
    table["month"] = require_integers(table, "MM", 1, 12, source=file)
    table["day"] = require_integers(table, "DD", 1, 31, source=file)
    table["hour"] = require_integers(table, "HH", 1, 24, source=file)
    table[GHI_W_PER_M2] = table["B"] + table["D"]
    return table.rename(columns=_RENAME)
