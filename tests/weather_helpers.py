"""Shared helpers of the weather tests: sample files and an InputError expectation."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pandas as pd
import pytest

from tsg.common.errors import InputError

DATA = Path(__file__).parent / "data" / "weather"
KNMI_SAMPLE = DATA / "knmi_uurgeg_260_2023.txt"
EPW_SAMPLE = DATA / "typical_year_utc+1.epw"
AMS = "Europe/Amsterdam"


@contextlib.contextmanager
def input_error(file: Path | str | None, *, field: str | None = None, match: str | None = None):
    """Expect an InputError naming ``file`` (and ``field``, and text ``match``)."""
    with pytest.raises(InputError) as info:
        yield info
    error = info.value
    if file is not None:
        assert error.file == Path(file)
        assert str(file) in str(error)
    if field is not None:
        assert error.field == field, str(error)
    if match is not None:
        assert match in str(error), str(error)


def at(frame: pd.DataFrame, stamp: str) -> pd.Series:
    """The row at an ISO timestamp with UTC offset (unique even on the DST fold)."""
    return frame.loc[pd.Timestamp(stamp).tz_convert(frame.index.tz)]
