"""Parsing the text tables of weather files, with line numbers in every error."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from tsg.common.errors import InputError

MAX_WEATHER_BYTES = 200_000_000
"""Largest weather file [bytes] (a KNMI station file of 1951 to today has about 60 MB)."""

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
    try:
        if not file.is_file():
            raise InputError("weather file not found (or not a regular file)", file=file)
        size = file.stat().st_size
        if size > MAX_WEATHER_BYTES:
            raise InputError(
                f"file is {size:,} bytes; a weather file may have at most {MAX_WEATHER_BYTES:,}",
                file=file,
            )
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
