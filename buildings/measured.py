"""Measured hourly demand profiles that replace the model for a building."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from tsg.common import InputError

MEASURED_COLUMNS = {"heat": "heat_kw", "dhw": "dhw_kw", "cool": "cool_kw"}
"""Allowed value columns of a measured-profile CSV and the profile quantity each replaces."""

UNIT_TO_KW = {"kw": 1.0, "kwh_per_hour": 1.0, "mw": 1000.0, "mwh_per_hour": 1000.0}
"""Allowed units of a measured profile and their factor to kW (hourly energy = mean power)."""


MAX_PROFILE_BYTES = 50_000_000
"""Largest measured-profile CSV [bytes] (8784 rows of four columns need well under 1 MB)."""
MAX_KW = 1e6
"""Largest measured demand of one building in one hour [kW] (1 GW)."""
MAX_LINE_CHARS = 1000
"""Longest line of a measured-profile CSV [characters]."""


def _read_text(path: Path) -> str:
    """Read the file as UTF-8 text, with size and line-length limits."""
    try:
        if not path.is_file():
            raise InputError("measured profile file not found", file=path)
        if path.stat().st_size > MAX_PROFILE_BYTES:
            raise InputError(
                f"file is {path.stat().st_size:,} bytes; a measured profile may have at most "
                f"{MAX_PROFILE_BYTES:,}",
                file=path,
            )
        data = path.read_bytes()
    except OSError as error:
        raise InputError(
            f"cannot read the measured profile ({error.strerror})", file=path
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"not UTF-8 text: byte 0x{data[error.start]:02x} at offset {error.start}; save the "
            "CSV as UTF-8",
            file=path,
        ) from None
    if "\x00" in text:
        raise InputError("the file holds NUL characters; expected a UTF-8 text CSV", file=path)
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > MAX_LINE_CHARS:
            raise InputError(
                f"line {number} has {len(line):,} characters; at most {MAX_LINE_CHARS:,} "
                "are allowed per line",
                file=path,
                field=f"line {number}",
            )
    return text


def _header(first: list[str], path: Path) -> list[str]:
    """Return the column names (stripped, lower case); a name twice in any case is an error."""
    names = [cell.strip().lower() for cell in first]
    seen: dict[str, str] = {}
    for raw, name in zip(first, names, strict=True):
        if name in seen:
            raise InputError(
                f"column '{raw.strip()}' appears twice (also as '{seen[name]}'; names are "
                "compared ignoring case); give each column once",
                file=path,
                field=name,
            )
        seen[name] = raw.strip()
    return names


def _read_table(path: Path) -> pd.DataFrame:
    """Read the CSV as text cells: one header line, every row as many cells as the header."""
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    try:
        records = [(reader.line_num, row) for row in reader if row]
    except csv.Error as error:
        raise InputError(
            f"not a readable CSV file ({error})", file=path, field=f"line {reader.line_num}"
        ) from None
    if not records:
        raise InputError("not a readable CSV file: it is empty; expected a header line", file=path)
    names = _header(records[0][1], path)
    for number, row in records[1:]:
        if len(row) != len(names):
            raise InputError(
                f"line {number} has {len(row)} cells, the header {len(names)}; not a readable "
                "CSV table",
                file=path,
                field=f"line {number}",
            )
    return pd.DataFrame([row for _, row in records[1:]], columns=names, dtype=object)


def _check_time_column(times: pd.Series, index: pd.DatetimeIndex, path: Path) -> None:
    try:
        parsed = pd.DatetimeIndex(pd.to_datetime(times, utc=True))
    except (ValueError, TypeError) as error:
        raise InputError(
            f"cannot parse the times ({error}); use ISO 8601 with UTC offset, "
            "e.g. 2025-01-01T00:00:00+01:00",
            file=path,
            field="time",
        ) from None
    expected = index.tz_convert("UTC")
    mismatch = np.flatnonzero(parsed.to_numpy() != expected.to_numpy())
    if mismatch.size:
        row = int(mismatch[0])
        raise InputError(
            f"row {row + 2} has time {times.iloc[row]}, expected {index[row].isoformat()} "
            f"(one row per hour of the profile year, starting {index[0].isoformat()})",
            file=path,
            field="time",
        )


def _values(table: pd.DataFrame, column: str, path: Path) -> np.ndarray:
    values = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(values))
    if bad.size:
        raw = table[column].iloc[int(bad[0])]
        raise InputError(
            f"row {int(bad[0]) + 2} holds '{raw}'; every value must be a finite number "
            f"({bad.size} bad rows in total)",
            file=path,
            field=column,
        )
    negative = np.flatnonzero(values < 0)
    if negative.size:
        raise InputError(
            f"row {int(negative[0]) + 2} is negative ({values[negative[0]]}); demand is >= 0",
            file=path,
            field=column,
        )
    return values


def read_measured_profile(
    path: Path, *, unit: str, index: pd.DatetimeIndex
) -> dict[str, np.ndarray]:
    """Read a building's measured hourly demand.

    The CSV has one row per hour of the profile year and any of the columns ``heat`` (space
    heating), ``dhw`` (hot water) and ``cool`` (cooling); an optional ``time`` column (ISO 8601
    with UTC offset, start of the hour) is checked against the profile year.

    Parameters
    ----------
    path
        The CSV file.
    unit
        Unit of the values: ``kw`` or ``kwh_per_hour`` (the same numbers for hourly data),
        ``mw`` or ``mwh_per_hour``.
    index
        Hourly time index of the profile year (local, time-zone aware).

    Returns
    -------
    dict[str, numpy.ndarray]
        Profiles in kW by quantity (``heat_kw``, ``dhw_kw``, ``cool_kw``) for the columns present.
    """
    path = Path(path)
    if unit not in UNIT_TO_KW:
        raise InputError(f"unit '{unit}' is not one of {sorted(UNIT_TO_KW)}", file=path)
    table = _read_table(path)
    unknown = sorted(set(table.columns) - set(MEASURED_COLUMNS) - {"time"})
    if unknown:
        raise InputError(
            f"unknown columns {unknown}; allowed: time, {', '.join(MEASURED_COLUMNS)}", file=path
        )
    present = [c for c in MEASURED_COLUMNS if c in table.columns]
    if not present:
        raise InputError(
            f"no value column; give at least one of {list(MEASURED_COLUMNS)}", file=path
        )
    if len(table) != len(index):
        raise InputError(
            f"{len(table)} rows, expected {len(index)} (one per hour of {index[0].year})",
            file=path,
        )
    if "time" in table.columns:
        _check_time_column(table["time"], index, path)
    factor = UNIT_TO_KW[unit]
    profiles = {}
    for column in present:
        values = _values(table, column, path)
        if values.max(initial=0.0) > MAX_KW / factor:
            row = int(np.argmax(values))
            raise InputError(
                f"row {row + 2} is {values[row]:.3g} {unit}; a building's hourly demand may be "
                f"at most {MAX_KW:,.0f} kW",
                file=path,
                field=column,
            )
        kw = values * factor
        profiles[MEASURED_COLUMNS[column]] = kw
    return profiles
