"""The KNMI hourly station data (uurgegevens) reader.

Reference values are computed independently: the TRY file is re-parsed here with plain
Python, sample-file rows are written by tests/data/weather/make_samples.py with hand-chosen
values, and unit conversions are worked out by hand in the comments.
"""

from pathlib import Path

import pandas as pd
import pytest
from weather_helpers import AMS, DATA, KNMI_SAMPLE, at, input_error

from tsg.buildings.weather import (
    read_epw,
    read_knmi_hourly,
)

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
