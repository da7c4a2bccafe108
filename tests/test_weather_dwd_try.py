"""The DWD test reference year reader (files shipped with demandlib).

Reference values are computed independently: the TRY file is re-parsed here with plain
Python, sample-file rows are written by tests/data/weather/make_samples.py with hand-chosen
values, and unit conversions are worked out by hand in the comments.
"""

from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from weather_helpers import AMS, at, input_error

import tsg.buildings.weather as weather_pkg
from tsg.buildings.weather import (
    WEATHER_COLUMNS,
    heating_degree_days,
    read_dwd_try,
    read_dwd_try_file,
    try_file_path,
)

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
