"""Weather vocabulary validation and heating degree days.

Reference values are computed independently: the TRY file is re-parsed here with plain
Python, sample-file rows are written by tests/data/weather/make_samples.py with hand-chosen
values, and unit conversions are worked out by hand in the comments.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from weather_helpers import AMS, input_error

import tsg.buildings.weather as weather_pkg
from tsg.buildings.weather import (
    WEATHER_COLUMNS,
    daily_mean_temperature_c,
    heating_degree_days,
    hourly_year_index,
    validate_weather,
)

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
