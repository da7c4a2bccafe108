"""District indicators on a hand-computed four-hour case."""

import pandas as pd
import pytest

from tsg.buildings.indicators import building_summary, district_indicators


@pytest.fixture
def profiles():
    index = pd.date_range("2025-01-01", periods=4, freq="h", tz="Europe/Amsterdam")
    return pd.DataFrame(
        {
            "a.heat_kw": [10.0, 0.0, 5.0, 0.0],
            "a.dhw_kw": [0.0, 0.0, 0.0, 0.0],
            "a.cool_kw": [0.0, 0.0, 0.0, 0.0],
            "b.heat_kw": [0.0, 6.0, 0.0, 0.0],
            "b.dhw_kw": [0.0, 2.0, 0.0, 0.0],
            "b.cool_kw": [4.0, 6.0, 5.0, 0.0],
        },
        index=index,
    )


def test_exchange_overlap_and_simultaneity_by_hand(profiles):
    result = district_indicators(profiles, heating_degree_days_k_d=100.0)
    # H = [10, 8, 5, 0], C = [4, 6, 5, 0]; min = [4, 6, 5, 0]
    assert result.heat_mwh_per_yr == pytest.approx(23 / 1000)
    assert result.cool_mwh_per_yr == pytest.approx(15 / 1000)
    assert result.exchangeable_mwh_per_yr == pytest.approx(15 / 1000)
    assert result.demand_overlap == pytest.approx(2 * 15 / (23 + 15))
    assert result.peak_heat_kw == 10.0
    assert result.simultaneity_heat == pytest.approx(10 / (10 + 8))
    assert result.simultaneity_cool == pytest.approx(1.0)
    assert result.heating_degree_days_k_d == 100.0
    table = result.as_table().set_index("indicator")
    assert table.loc["demand_overlap", "unit"] == "-"


def test_building_summary_total_row_uses_peak_of_sum(profiles):
    summary = building_summary(profiles)
    assert summary.loc["b", "heat_mwh_per_yr"] == pytest.approx(8 / 1000)
    assert summary.loc["b", "dhw_mwh_per_yr"] == pytest.approx(2 / 1000)
    assert summary.loc["TOTAL", "peak_heat_kw"] == 10.0  # not 10 + 8
    assert summary.loc["a", "full_load_hours_heat_h"] == pytest.approx(15 / 10)
    assert summary.loc["a", "full_load_hours_cool_h"] == 0.0


def test_no_cooling_means_zero_overlap():
    index = pd.date_range("2025-01-01", periods=2, freq="h", tz="UTC")
    profiles = pd.DataFrame(
        {"a.heat_kw": [1.0, 2.0], "a.dhw_kw": [0.0, 0.0], "a.cool_kw": [0.0, 0.0]}, index=index
    )
    result = district_indicators(profiles, heating_degree_days_k_d=0.0)
    assert result.demand_overlap == 0.0 and result.simultaneity_cool == 0.0
