"""Tests of the weather layer: readers, vocabulary validation and degree days.

Reference values are computed independently: the TRY file is re-parsed here with plain
Python, sample-file rows are written by tests/data/weather/make_samples.py with hand-chosen
values, and unit conversions are worked out by hand in the comments.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import buildings.weather as weather_pkg
from buildings.weather import (
    WEATHER_COLUMNS,
    daily_mean_temperature_c,
    heating_degree_days,
    hourly_year_index,
    read_dwd_try,
    read_dwd_try_file,
    read_epw,
    read_knmi_hourly,
    try_file_path,
    validate_weather,
)
from common.errors import InputError

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


# --------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------


def good_weather(year: int = 2023, time_zone: str = AMS) -> pd.DataFrame:
    index = hourly_year_index(year, time_zone)
    return pd.DataFrame(
        {
            "relative_humidity_pct": 80,
            "temp_air_c": 10.0,
            "ghi_w_per_m2": 100.0,
            "dhi_w_per_m2": np.nan,
            "wind_speed_m_per_s": 3,
            "extra": "x",
        },
        index=index,
    )


def test_hourly_year_index_counts_absolute_hours_across_dst():
    index = hourly_year_index(2023, AMS)
    assert len(index) == 8760 and index.name == "time"
    assert index[0] == pd.Timestamp("2023-01-01 00:00+01:00")
    assert index[-1] == pd.Timestamp("2023-12-31 23:00+01:00")
    per_day = pd.Series(1, index=index).groupby(index.date).size()
    assert per_day[pd.Timestamp("2023-03-26").date()] == 23
    assert per_day[pd.Timestamp("2023-10-29").date()] == 25
    assert len(hourly_year_index(2024, AMS)) == 8784
    assert (np.diff(index.asi8) == 3600 * 10**9).all()


def test_validate_weather_orders_columns_and_casts_to_float():
    out = validate_weather(good_weather(), source="memory")
    assert tuple(out.columns) == WEATHER_COLUMNS
    assert (out.dtypes == "float64").all()
    assert out.index.name == "time"


def _naive(df):
    return df.tz_localize(None)


@pytest.mark.parametrize(
    ("change", "field", "match"),
    [
        (_naive, "time", "time-zone-aware"),
        (lambda df: df.drop(columns="ghi_w_per_m2"), "ghi_w_per_m2", "missing"),
        (lambda df: df.drop(df.index[100]), "time", "8759 rows"),
        (lambda df: df.iloc[1:], "time", "complete hourly year"),
        (lambda df: df.iloc[:0], "time", "empty"),
        (lambda df: df.assign(temp_air_c=np.nan), "temp_air_c", "2023-01-01 00:00+01:00"),
        (lambda df: df.assign(temp_air_c=75.0), "temp_air_c", "allowed -50 to 60 °C"),
        (lambda df: df.assign(ghi_w_per_m2=-1.0), "ghi_w_per_m2", "allowed 0 to 1400"),
        (lambda df: df.assign(relative_humidity_pct=101.0), "relative_humidity_pct", None),
        (lambda df: df.assign(wind_speed_m_per_s="fast"), None, "numeric"),
    ],
)
def test_validate_weather_rejects(change, field, match):
    with input_error("weather.csv", field=field, match=match):
        validate_weather(change(good_weather()), source="weather.csv")


# --------------------------------------------------------------------------------------
# DWD TRY 2010 (shipped with demandlib)
# --------------------------------------------------------------------------------------


def raw_try_rows(region: int = 1) -> list[dict[str, float]]:
    """Parse the TRY file with plain Python: header above '***', whitespace fields."""
    lines = try_file_path(region).read_text(encoding="utf-8").splitlines()
    star = [line.strip() for line in lines].index("***")
    names = lines[star - 1].split()
    return [dict(zip(names, map(float, line.split()), strict=True)) for line in lines[star + 1 :]]


@pytest.fixture(scope="module")
def try_raw() -> list[dict[str, float]]:
    return raw_try_rows(1)


@pytest.fixture(scope="module")
def try_ams() -> pd.DataFrame:
    return read_dwd_try(year=2023, time_zone=AMS)


def test_try_file_is_found_in_demandlib():
    path = try_file_path()
    assert path.name == "TRY2010_01_Jahr.dat" and path.is_file()
    assert "Nordseeküste" in path.read_text(encoding="utf-8").splitlines()[0]
    assert weather_pkg.DEFAULT_TRY_REGION == 1


def test_try_values_and_time_labels_match_raw_file(try_ams, try_raw):
    assert try_ams.shape == (8760, 5)
    assert tuple(try_ams.columns) == WEATHER_COLUMNS
    # MEZ = CET in winter: hour 1 of 1 January (00:00-01:00 MEZ) is labelled 00:00 local.
    first = try_raw[0]
    assert (first["MM"], first["DD"], first["HH"]) == (1, 1, 1)
    assert try_ams.iloc[0]["temp_air_c"] == first["t"]
    # In summer MEZ hour 13 (12:00-13:00 MEZ) is 13:00-14:00 CEST.
    july = next(r for r in try_raw if (r["MM"], r["DD"], r["HH"]) == (7, 1, 13))
    row = at(try_ams, "2023-07-01 13:00+02:00")
    assert row["temp_air_c"] == july["t"]
    assert row["ghi_w_per_m2"] == july["B"] + july["D"]
    assert row["dhi_w_per_m2"] == july["D"]
    assert row["wind_speed_m_per_s"] == july["WG"]
    assert row["relative_humidity_pct"] == july["RF"]
    assert row["ghi_w_per_m2"] > 0


def test_try_region_1_is_plausible_north_sea_climate(try_ams, try_raw):
    raw_mean = sum(r["t"] for r in try_raw) / len(try_raw)
    assert try_ams["temp_air_c"].mean() == pytest.approx(raw_mean, abs=1e-9)
    # Independent HDD18 over the file's own MEZ days (UTC+1 without DST = Etc/GMT-1).
    by_day = defaultdict(list)
    for r in try_raw:
        by_day[(r["MM"], r["DD"])].append(r["t"])
    raw_hdd = sum(max(0.0, 18.0 - sum(v) / len(v)) for v in by_day.values())
    mez = read_dwd_try(year=2023, time_zone="Etc/GMT-1")
    assert heating_degree_days(mez) == pytest.approx(raw_hdd, rel=1e-12)
    hdd_ams = heating_degree_days(try_ams)
    print(
        f"TRY region 1: mean {raw_mean:.3f} °C, HDD18 {raw_hdd:.1f} (MEZ days), "
        f"{hdd_ams:.1f} (Amsterdam days)"
    )
    assert hdd_ams == pytest.approx(raw_hdd, rel=0.005)
    # Maritime North Sea coast: mild mean temperature, roughly 2500-3500 K·d at 18 °C.
    assert 8.0 < raw_mean < 11.5
    assert 2500.0 < raw_hdd < 3500.0
    # Values quoted in the dwd_try module docstring.
    assert round(raw_mean, 2) == 10.09 and round(raw_hdd) == 2975 and round(hdd_ams) == 2974


def test_try_leap_year_repeats_28_february(try_raw):
    leap = read_dwd_try(year=2024, time_zone=AMS)
    assert len(leap) == 8784
    feb28 = leap.loc["2024-02-28"].to_numpy()
    feb29 = leap.loc["2024-02-29"].to_numpy()
    np.testing.assert_array_equal(feb28, feb29)
    march1 = next(r for r in try_raw if (r["MM"], r["DD"], r["HH"]) == (3, 1, 1))
    assert leap.loc[pd.Timestamp("2024-03-01 00:00+01:00"), "temp_air_c"] == march1["t"]
    assert leap.index[-1] == pd.Timestamp("2024-12-31 23:00+01:00")


def test_try_is_cyclic_for_a_time_zone_offset_from_mez(try_raw):
    utc = read_dwd_try(year=2023, time_zone="UTC")
    assert len(utc) == 8760
    # 00:00 UTC = 01:00 MEZ, the second raw row; 23:00 UTC on 31 Dec = 00:00 MEZ on 1 Jan,
    # which a typical year continues with its own first row.
    assert utc.iloc[0]["temp_air_c"] == try_raw[1]["t"]
    assert utc.iloc[-1]["temp_air_c"] == try_raw[0]["t"]
    assert utc.iloc[-2]["temp_air_c"] == try_raw[-1]["t"]


@pytest.mark.parametrize("region", [0, 16, -1, "1", 1.0, True, None])
def test_try_rejects_unknown_regions(region):
    with input_error(None, field="region", match="1 to 15"):
        read_dwd_try(region=region, year=2023, time_zone=AMS)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"year": "2023", "time_zone": AMS}, "year"),
        ({"year": 1800, "time_zone": AMS}, "year"),
        ({"year": 2023, "time_zone": "Mars/Olympus"}, "time_zone"),
        ({"year": 2023, "time_zone": ""}, "time_zone"),
        ({"year": 2023, "time_zone": "../etc/passwd"}, "time_zone"),
    ],
)
def test_try_rejects_bad_year_or_time_zone(kwargs, field):
    with input_error(try_file_path(1), field=field):
        read_dwd_try(**kwargs)


def _try_variant(tmp_path: Path, edit) -> Path:
    lines = try_file_path(1).read_text(encoding="utf-8").splitlines()
    path = tmp_path / "TRY_variant.dat"
    path.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
    return path


def _replace_row(lines, number, old, new):
    lines = list(lines)
    lines[number - 1] = lines[number - 1].replace(old, new, 1)
    return lines


def _set_try_fields(lines, number, **values):
    """Set named fields (RG IS MM DD HH ...) of the row on line ``number``."""
    names = lines[36].split()
    tokens = lines[number - 1].split()
    for name, value in values.items():
        tokens[names.index(name)] = value
    return _replace_row(lines, number, lines[number - 1], " ".join(tokens))


@pytest.mark.parametrize(
    ("edit", "field", "match"),
    [
        (lambda ls: [ln for ln in ls[:99] if ln.strip() != "***"], None, "***"),
        (lambda ls: _replace_row(ls[:99], 37, " t ", " T "), "line 37", "'t'"),
        (lambda ls: _replace_row(ls[:99], 39, "-0.2", "-0.x"), "line 39, column t", "'-0.x'"),
        (lambda ls: ls[:38] + ls[39:], None, "2023-01-01 00:00 (UTC+1 h)"),
        (lambda ls: ls[:39] + ls[38:99], "line 40", "more than once"),
        (lambda ls: _set_try_fields(ls[:99], 39, MM="13"), "line 39, column MM", "1 to 12"),
        (lambda ls: _set_try_fields(ls[:99], 39, MM="2", DD="30"), "line 39", "calendar"),
        (lambda ls: _set_try_fields(ls[:99], 39, HH="0.5"), "line 39, column HH", "whole number"),
        (lambda ls: ls[:99] + [" 1     1"], "line 100", "found 2"),
    ],
)
def test_try_file_rejects_damaged_files(tmp_path, edit, field, match):
    path = _try_variant(tmp_path, edit)
    with input_error(path, field=field, match=match):
        read_dwd_try_file(path, year=2023, time_zone=AMS)


def test_try_file_missing(tmp_path):
    with input_error(tmp_path / "nope.dat", match="not found"):
        read_dwd_try_file(tmp_path / "nope.dat", year=2023, time_zone=AMS)


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


# --------------------------------------------------------------------------------------
# KNMI hourly data
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def knmi_lines() -> list[str]:
    return KNMI_SAMPLE.read_text(encoding="ascii").splitlines()


@pytest.fixture(scope="module")
def knmi_2023() -> pd.DataFrame:
    return read_knmi_hourly(KNMI_SAMPLE, year=None, time_zone=AMS)


def _knmi_variant(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "uurgeg_variant.txt"
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


def _knmi_row(lines, date, hour, station=260):
    prefix = f"{station:>5},{date},{hour:>5},"
    return next(i for i, line in enumerate(lines) if line.startswith(prefix))


def _knmi_blank(lines, date, hours, column):
    """Blank one field (index into STN,YYYYMMDD,HH,FH,T,Q,U) in several hours."""
    out = list(lines)
    for hour in hours:
        i = _knmi_row(out, date, hour)
        fields = out[i].split(",")
        fields[column] = "     "
        out[i] = ",".join(fields)
    return out


def test_knmi_unit_conversions_and_time_labels(knmi_2023):
    assert knmi_2023.shape == (8760, 5)
    # 20230701 HH=12 is 11:00-12:00 UT = 13:00-14:00 CEST.
    row = at(knmi_2023, "2023-07-01 13:00+02:00")
    assert row["temp_air_c"] == pytest.approx(12.3)  # T = 123 [0.1 °C]
    assert row["ghi_w_per_m2"] == pytest.approx(100.0)  # 36 J/cm² * 10000 / 3600 s
    assert row["wind_speed_m_per_s"] == pytest.approx(4.5)  # FH = 45 [0.1 m/s]
    assert row["relative_humidity_pct"] == 67.0
    assert knmi_2023["dhi_w_per_m2"].isna().all()


def test_knmi_dst_days_have_23_and_25_local_hours(knmi_2023):
    per_day = knmi_2023.groupby(knmi_2023.index.date).size()
    assert per_day[pd.Timestamp("2023-03-26").date()] == 23
    assert per_day[pd.Timestamp("2023-10-29").date()] == 25
    # 20231029 HH=1 (00:00-01:00 UT) and HH=2 (01:00-02:00 UT) both start at 02:00 local.
    assert at(knmi_2023, "2023-10-29 02:00+02:00")["temp_air_c"] == pytest.approx(10.1)
    assert at(knmi_2023, "2023-10-29 02:00+01:00")["temp_air_c"] == pytest.approx(10.2)


def test_knmi_short_gaps_are_interpolated_long_optional_gaps_stay_nan(knmi_2023):
    # T blank for HH 10, 11 on 15 Mar between T=50 (HH 9) and T=80 (HH 12):
    # 09:00-10:00 UT (10:00 CET) -> 6.0 °C, 10:00-11:00 UT (11:00 CET) -> 7.0 °C.
    assert at(knmi_2023, "2023-03-15 10:00+01:00")["temp_air_c"] == pytest.approx(6.0)
    assert at(knmi_2023, "2023-03-15 11:00+01:00")["temp_air_c"] == pytest.approx(7.0)
    # FH blank for HH 6 on 10 Jun between 30 and 50 -> 4.0 m/s at 07:00 CEST.
    assert at(knmi_2023, "2023-06-10 07:00+02:00")["wind_speed_m_per_s"] == pytest.approx(4.0)
    # U blank for 5 hours on 20 May (HH 1..5 = 02:00..06:00 CEST) is too long: stays NaN.
    humidity = knmi_2023["relative_humidity_pct"]
    assert humidity.isna().sum() == 5
    assert humidity.loc["2023-05-20 02:00":"2023-05-20 06:00"].isna().all()


def test_knmi_year_edges(tmp_path, knmi_lines, knmi_2023):
    first = knmi_lines[_knmi_row(knmi_lines, 20230101, 1)]
    first_t = int(first.split(",")[4]) / 10
    # 00:00 CET on 1 Jan = 23:00 UT on 31 Dec 2022, not in the file: nearest value.
    assert knmi_2023.iloc[0]["temp_air_c"] == pytest.approx(first_t)
    assert knmi_2023.index[-1] == pd.Timestamp("2023-12-31 23:00+01:00")
    # With the UT hour of 31 Dec 2022 present, it is used; the file now spans two years.
    extra = "  260,20221231,   24,   40,  -33,    0,   90"
    at_header = knmi_lines.index("# STN,YYYYMMDD,   HH,   FH,    T,    Q,    U") + 2
    path = _knmi_variant(tmp_path, knmi_lines[:at_header] + [extra] + knmi_lines[at_header:])
    with input_error(path, field="YYYYMMDD", match="2022, 2023"):
        read_knmi_hourly(path, year=None, time_zone=AMS)
    edged = read_knmi_hourly(path, year=2023, time_zone=AMS)
    assert edged.iloc[0]["temp_air_c"] == pytest.approx(-3.3)
    utc = read_knmi_hourly(KNMI_SAMPLE, year=2023, time_zone="UTC")
    assert utc.iloc[0]["temp_air_c"] == pytest.approx(first_t)


def test_knmi_zip_style_header_without_hash(tmp_path, knmi_lines, knmi_2023):
    lines = [line.lstrip("# ") if line.startswith("#") else line for line in knmi_lines]
    path = _knmi_variant(tmp_path, ["BRON: KNMI", ""] + lines)
    pd.testing.assert_frame_equal(read_knmi_hourly(path, year=2023, time_zone=AMS), knmi_2023)


def test_knmi_several_stations(tmp_path, knmi_lines):
    data = [line for line in knmi_lines if line.startswith("  260,")]
    other = [line.replace("  260,", "  344,", 1) for line in data]
    j = _knmi_row(other, 20230701, 12, station=344)
    other[j] = "  344,20230701,   12,   10,  200,   72,   50"
    path = _knmi_variant(tmp_path, knmi_lines + other)
    rotterdam = read_knmi_hourly(path, station=344, year=2023, time_zone=AMS)
    row = at(rotterdam, "2023-07-01 13:00+02:00")
    assert row["temp_air_c"] == pytest.approx(20.0)
    assert row["ghi_w_per_m2"] == pytest.approx(200.0)  # 72 J/cm² per hour
    # Station choice errors arise before the year is assembled: a short file suffices.
    short = _knmi_variant(tmp_path, knmi_lines[:99] + other[:80])
    with input_error(short, field="STN", match="260, 344"):
        read_knmi_hourly(short, year=2023, time_zone=AMS)
    with input_error(short, field="STN", match="not in the file"):
        read_knmi_hourly(short, station=999, year=2023, time_zone=AMS)


def _knmi_replace(lines, date, hour, text):
    out = list(lines)
    out[_knmi_row(out, date, hour)] = text
    return out


def _knmi_drop_from(lines, date):
    return [ln for ln in lines if not (ln.startswith("  260,") and int(ln[6:14]) >= date)]


@pytest.mark.parametrize(
    ("edit", "kwargs", "field", "match"),
    [
        (lambda ls: [ln for ln in ls if "YYYYMMDD," not in ln], {}, None, "no header line"),
        (lambda ls: [ln.replace("    Q,", "   QQ,") for ln in ls[:99]], {}, "line 14", "field Q"),
        (lambda ls: [ln for ln in ls if ln.startswith("#")], {}, None, "no data rows"),
        (
            lambda ls: _knmi_replace(ls[:99], 20230102, 3, "  260,20230102,    3,   10,  1O3,0,90"),
            {},
            "line 42, column T",
            "'1O3'",
        ),
        (
            lambda ls: _knmi_replace(ls[:99], 20230102, 3, "  260,20230102,    3,   10,  103"),
            {},
            "line 42",
            "found 5",
        ),
        (
            lambda ls: _knmi_replace(ls[:99], 20230102, 3, "  260,20230230,    3,   10,  103,0,90"),
            {},
            "line 42, column YYYYMMDD",
            "'20230230'",
        ),
        (
            lambda ls: _knmi_replace(ls[:99], 20230102, 3, "  260,20230102,   25,   10,  103,0,90"),
            {},
            "line 42, column HH",
            None,
        ),
        (
            lambda ls: _knmi_replace(ls[:99], 20230102, 3, "  260,20230102,    2,   10,  103,0,90"),
            {},
            "line 42",
            "more than once",
        ),
        (
            lambda ls: _knmi_blank(ls, 20230801, range(1, 5), 4),
            {},
            "T",
            "4 consecutive hour(s) from the hour starting 2023-08-01 02:00+02:00",
        ),
        (
            lambda ls: _knmi_blank(ls, 20230801, range(1, 5), 5),
            {},
            "Q",
            "2023-08-01 02:00+02:00",
        ),
        (
            lambda ls: _knmi_drop_from(ls, 20231201),
            {},
            "T",
            "from the hour starting 2023-12-01 01:00+01:00",
        ),
        (lambda ls: ls[:99], {"year": 2021}, "year", "no data for the year 2021"),
        (lambda ls: ls[:99], {"station": "260"}, "STN", None),
        (lambda ls: ls, {"time_zone": "Amsterdam"}, "time_zone", None),
        (lambda ls: ls, {"year": 20231}, "year", None),
    ],
)
def test_knmi_rejects_bad_files_and_arguments(tmp_path, knmi_lines, edit, kwargs, field, match):
    path = _knmi_variant(tmp_path, edit(knmi_lines))
    arguments = {"year": None, "time_zone": AMS} | kwargs
    with input_error(path, field=field, match=match):
        read_knmi_hourly(path, **arguments)


def test_knmi_missing_file(tmp_path):
    with input_error(tmp_path / "uurgeg.txt", match="not found"):
        read_knmi_hourly(tmp_path / "uurgeg.txt", year=2023, time_zone=AMS)
    with input_error(tmp_path, match="not found"):
        read_knmi_hourly(tmp_path, year=2023, time_zone=AMS)


def test_committed_broken_samples():
    with input_error(DATA / "broken_not_an_epw.epw", field="line 1"):
        read_epw(DATA / "broken_not_an_epw.epw", year=2023, time_zone=AMS)
    # A daily file has the header line but no hour field.
    with input_error(DATA / "broken_knmi_daily.txt", field="line 4", match="field HH"):
        read_knmi_hourly(DATA / "broken_knmi_daily.txt", year=2023, time_zone=AMS)


# --------------------------------------------------------------------------------------
# Degree days
# --------------------------------------------------------------------------------------


def test_degree_days_use_local_days_including_dst():
    index = pd.date_range(
        pd.Timestamp("2023-03-25").tz_localize(AMS),
        pd.Timestamp("2023-03-28").tz_localize(AMS),
        freq="h",
        inclusive="left",
    )
    # Local days 25, 26 (23 hours) and 27 March at 8, 12 and 30 °C.
    temps = np.select([index.day == 25, index.day == 26], [8.0, 12.0], default=30.0)
    weather = pd.DataFrame({"temp_air_c": temps}, index=index)
    daily = daily_mean_temperature_c(weather)
    assert daily.tolist() == [8.0, 12.0, 30.0]
    assert daily.index.name == "date"
    assert (weather.groupby(weather.index.date).size().tolist()) == [24, 23, 24]
    # (18 - 8) + (18 - 12) + 0 = 16; base 10: (10 - 8) = 2.
    assert heating_degree_days(weather) == pytest.approx(16.0)
    assert heating_degree_days(weather, base_c=10.0) == pytest.approx(2.0)
    # Grouping by UTC days would mix the local days and give another answer.
    utc_daily = weather["temp_air_c"].tz_convert("UTC").resample("D").mean()
    assert (18.0 - utc_daily).clip(lower=0).sum() != pytest.approx(16.0)


def test_degree_days_mean_of_the_hours_not_of_min_and_max():
    index = hourly_year_index(2023, "UTC")[:24]
    temps = np.r_[np.full(18, 10.0), np.full(6, 22.0)]  # mean 13, (min+max)/2 = 16
    weather = pd.DataFrame({"temp_air_c": temps}, index=index)
    assert heating_degree_days(weather) == pytest.approx(5.0)


@settings(max_examples=30, deadline=None)
@given(
    temperature=st.floats(-30.0, 40.0, allow_nan=False),
    days=st.integers(1, 40),
    base=st.floats(10.0, 22.0),
)
def test_degree_days_of_constant_temperature(temperature, days, base):
    index = pd.date_range(
        pd.Timestamp("2023-03-10").tz_localize(AMS),
        pd.Timestamp("2023-03-10").tz_localize(AMS) + pd.Timedelta(days=days),
        freq="h",
        inclusive="left",
    )
    index = index[index.normalize() < index[0] + pd.Timedelta(days=days)]
    weather = pd.DataFrame({"temp_air_c": temperature}, index=index)
    n_days = len(daily_mean_temperature_c(weather))
    expected = n_days * max(0.0, base - temperature)
    assert heating_degree_days(weather, base_c=base) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize(
    ("weather", "base", "field"),
    [
        (pd.DataFrame({"t": [1.0]}, index=hourly_year_index(2023, AMS)[:1]), 18.0, "temp_air_c"),
        (pd.DataFrame({"temp_air_c": [1.0]}, index=[pd.Timestamp("2023-01-01")]), 18.0, "time"),
        (
            pd.DataFrame({"temp_air_c": [1.0]}, index=hourly_year_index(2023, AMS)[:1]),
            float("nan"),
            "base_c",
        ),
    ],
)
def test_degree_days_reject_bad_input(weather, base, field):
    with input_error(None, field=field):
        heating_degree_days(weather, base_c=base)


def test_package_exports():
    assert set(weather_pkg.__all__) >= {
        "WEATHER_COLUMNS",
        "read_dwd_try",
        "read_epw",
        "read_knmi_hourly",
        "heating_degree_days",
        "daily_mean_temperature_c",
        "validate_weather",
    }
    assert WEATHER_COLUMNS == (
        "temp_air_c",
        "ghi_w_per_m2",
        "dhi_w_per_m2",
        "wind_speed_m_per_s",
        "relative_humidity_pct",
    )
