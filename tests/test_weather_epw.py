"""The EnergyPlus weather (EPW) reader.

Reference values are computed independently: the TRY file is re-parsed here with plain
Python, sample-file rows are written by tests/data/weather/make_samples.py with hand-chosen
values, and unit conversions are worked out by hand in the comments.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from weather_helpers import AMS, EPW_SAMPLE, at, input_error

from tsg.buildings.weather import (
    read_epw,
)

# --------------------------------------------------------------------------------------
# EPW
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def epw_lines() -> list[str]:
    return EPW_SAMPLE.read_text(encoding="ascii").splitlines()


@pytest.fixture(scope="module")
def epw_2023() -> pd.DataFrame:
    return read_epw(EPW_SAMPLE, year=2023, time_zone=AMS)


def _epw_variant(tmp_path: Path, lines: list[str], name: str = "variant.epw") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


def _edit_epw_field(lines, month, day, hour, index, value):
    """Set field ``index`` of the data row (month, day, hour)."""
    out = list(lines)
    for i, line in enumerate(out[8:], 8):
        fields = line.split(",")
        if fields[1:4] == [str(month), str(day), str(hour)]:
            fields[index] = value
            out[i] = ",".join(fields)
            return out
    raise AssertionError("row not found")


def test_epw_typical_year_is_relabelled_with_hand_checked_values(epw_2023):
    assert epw_2023.shape == (8760, 5)
    # Hour 1 of 1 Jan ends 01:00 at UTC+1 (standard time) -> labelled 00:00 CET.
    assert epw_2023.iloc[0]["temp_air_c"] == 5.1
    assert epw_2023.iloc[1]["temp_air_c"] == 5.2
    # 21 Jun hour 13 = 12:00-13:00 UTC+1 = 13:00-14:00 CEST.
    row = at(epw_2023, "2023-06-21 13:00+02:00")
    assert row.to_dict() == {
        "temp_air_c": 21.5,
        "ghi_w_per_m2": 700.0,
        "dhi_w_per_m2": 200.0,
        "wind_speed_m_per_s": 4.5,
        "relative_humidity_pct": 65.0,
    }
    # Missing codes: DHI 9999 on 10 Mar hour 12 (11:00 CET), wind 999 on 1 Apr hour 3
    # (02:00-03:00 UTC+1 = 03:00 CEST) become NaN; nothing else is missing.
    assert np.isnan(at(epw_2023, "2023-03-10 11:00+01:00")["dhi_w_per_m2"])
    assert np.isnan(at(epw_2023, "2023-04-01 03:00+02:00")["wind_speed_m_per_s"])
    assert epw_2023.isna().sum().sum() == 2


def test_epw_typical_year_needs_a_year():
    with input_error(EPW_SAMPLE, field="year", match="pass year="):
        read_epw(EPW_SAMPLE, year=None, time_zone=AMS)


def test_epw_single_year_file_uses_its_own_year(tmp_path, epw_lines, epw_2023):
    rows = ["2019," + line.split(",", 1)[1] for line in epw_lines[8:]]
    path = _epw_variant(tmp_path, epw_lines[:8] + rows)
    own = read_epw(path, year=None, time_zone=AMS)
    assert own.index[0] == pd.Timestamp("2019-01-01 00:00+01:00")
    np.testing.assert_array_equal(own.to_numpy(), epw_2023.to_numpy())


def test_epw_single_year_file_must_cover_the_local_year(tmp_path, epw_lines):
    rows = ["2019," + line.split(",", 1)[1] for line in epw_lines[8:]]
    path = _epw_variant(tmp_path, epw_lines[:8] + rows)
    # The file's year is 2019 at UTC+1; in UTC its first hour is 2018-12-31 23:00 and the
    # UTC year's last hour (2019-12-31 23:00 UTC = 2020-01-01 00:00 UTC+1) is not there.
    with input_error(path, field="dry_bulb_temperature", match="2019-12-31 23:00+00:00"):
        read_epw(path, year=None, time_zone="UTC")


def test_epw_extra_trailing_fields_are_ignored(tmp_path, epw_lines, epw_2023):
    rows = [line + ",0,0,77777,9,999999999,0,0.1,0,88,0.2,0,0,0" for line in epw_lines[8:]]
    assert len(rows[0].split(",")) == 35
    path = _epw_variant(tmp_path, epw_lines[:8] + rows)
    pd.testing.assert_frame_equal(read_epw(path, year=2023, time_zone=AMS), epw_2023)


def test_epw_leap_year_repeats_28_february():
    leap = read_epw(EPW_SAMPLE, year=2024, time_zone=AMS)
    assert len(leap) == 8784
    np.testing.assert_array_equal(
        leap.loc["2024-02-28"].to_numpy(), leap.loc["2024-02-29"].to_numpy()
    )


def test_epw_leap_file_drops_29_february_for_a_common_year(tmp_path, epw_lines, epw_2023):
    feb28 = [line for line in epw_lines[8:] if line.split(",")[1:3] == ["2", "28"]]
    feb29 = [line.replace(",2,28,", ",2,29,", 1) for line in feb28]
    cut = epw_lines.index(feb28[-1]) + 1
    rows = [
        ("2020," + line.split(",", 1)[1]) for line in epw_lines[8:cut] + feb29 + epw_lines[cut:]
    ]
    path = _epw_variant(tmp_path, epw_lines[:8] + rows)
    own = read_epw(path, year=None, time_zone=AMS)
    assert len(own) == 8784 and own.index[0].year == 2020
    relabelled = read_epw(path, year=2023, time_zone=AMS)
    pd.testing.assert_frame_equal(relabelled, epw_2023)


def test_epw_is_cyclic_for_a_time_zone_offset_from_the_file():
    utc = read_epw(EPW_SAMPLE, year=2023, time_zone="UTC")
    # 00:00 UTC = 01:00 at UTC+1: hour 2 of 1 Jan; 31 Dec 23:00 UTC wraps to hour 1.
    assert utc.iloc[0]["temp_air_c"] == 5.2
    assert utc.iloc[-1]["temp_air_c"] == 5.1
    assert utc.iloc[-2]["temp_air_c"] == 3.9


def _epw_header_edit(index, text):
    def edit(lines):
        out = list(lines)
        out[index] = text
        return out

    return edit


@pytest.mark.parametrize(
    ("edit", "field", "match"),
    [
        (_epw_header_edit(0, "PLACE,Testdorp"), "line 1", "LOCATION"),
        (lambda ls: ls[:8], "line 1", "LOCATION"),
        (_epw_header_edit(7, "COMMENTS 3,x"), "line 8", "DATA PERIODS"),
        (
            _epw_header_edit(7, "DATA PERIODS,1,4,Data,Sunday, 1/ 1,12/31"),
            "line 8, records per hour",
            "4 records per hour",
        ),
        (
            _epw_header_edit(0, "LOCATION,Testdorp,ZH,NLD,x,999999,51.9,4.45,CET,-4.0"),
            "line 1, LOCATION time zone",
            None,
        ),
        (
            _epw_header_edit(0, "LOCATION,Testdorp,ZH,NLD,x,999999,51.9,4.45,25,-4.0"),
            "line 1, LOCATION time zone",
            None,
        ),
        (lambda ls: ls[:9] + ["2005,1,1,2,0,?,5.2"] + ls[10:99], "line 10", "found 7"),
        (
            lambda ls: _edit_epw_field(ls[:99], 1, 1, 2, 6, "warm"),
            "line 10, column dry_bulb_temperature",
            "'warm'",
        ),
        (
            lambda ls: _edit_epw_field(ls, 5, 5, 5, 6, "99.9"),
            "dry_bulb_temperature",
            "2023-05-05 05:00+02:00",
        ),
        (
            lambda ls: _edit_epw_field(ls, 5, 5, 5, 13, "9999"),
            "global_horizontal_radiation",
            "2023-05-05 05:00+02:00",
        ),
        (lambda ls: _edit_epw_field(ls, 5, 5, 5, 6, "75.0"), "temp_air_c", "implausible"),
        (lambda ls: _edit_epw_field(ls[:99], 1, 1, 2, 3, "25"), "line 10, column hour", "1 to 24"),
        (lambda ls: _edit_epw_field(ls[:99], 1, 1, 2, 2, "32"), "line 10, column day", None),
        (lambda ls: _edit_epw_field(ls, 2, 28, 2, 2, "30"), None, "not a calendar date"),
        (lambda ls: ls[:20] + ls[21:], None, "1 hour(s) of the year are missing"),
        (lambda ls: ls[:21] + ls[20:99], None, "more than once"),
    ],
)
def test_epw_rejects_damaged_files(tmp_path, epw_lines, edit, field, match):
    path = _epw_variant(tmp_path, edit(epw_lines))
    with input_error(path, field=field, match=match):
        read_epw(path, year=2023, time_zone=AMS)


def test_epw_missing_file(tmp_path):
    with input_error(tmp_path / "none.epw", match="not found"):
        read_epw(tmp_path / "none.epw", year=2023, time_zone=AMS)


def test_epw_rejects_bad_year_and_time_zone():
    with input_error(EPW_SAMPLE, field="year"):
        read_epw(EPW_SAMPLE, year=2023.0, time_zone=AMS)
    with input_error(EPW_SAMPLE, field="time_zone"):
        read_epw(EPW_SAMPLE, year=2023, time_zone="CET+1")
