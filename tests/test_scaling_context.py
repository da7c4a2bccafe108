"""Context indicators and success conditions on hand-computable cases."""

import dataclasses
import json

import pandas as pd
import pytest

from tsg.cli import main
from tsg.scaling.conditions import SuccessCondition, compare_context, load_conditions
from tsg.scaling.context import ContextInputs, context_indicators


def _inputs(**changes):
    index = pd.date_range("2025-01-01", periods=2, freq="h", tz="UTC")
    base = ContextInputs(
        heat_kw=pd.DataFrame({"a": [10_000.0, 0.0], "b": [0.0, 0.0]}, index=index),
        cool_kw=pd.DataFrame({"a": [0.0, 0.0], "b": [4_000.0, 6_000.0]}, index=index),
        nodes=pd.DataFrame(
            {"id": ["a", "b", "ates"], "x_m": [0.0, 100.0, 100.0], "y_m": [0.0, 0.0, 50.0]}
        ),
        n_partners=2,
        ates_allowed=True,
        gas_price_eur_per_m3=1.0,
        electricity_price_eur_per_kwh=0.25,
        detour_factor=1.0,
    )
    return dataclasses.replace(base, **changes)


def test_indicators_by_hand():
    result = context_indicators(_inputs())
    # H = [10, 0] MW, C = [4, 6] MW: min = [4, 0] -> overlap = 2 * 4 / 20
    assert result.heat_mwh_per_yr == pytest.approx(10.0)
    assert result.cool_mwh_per_yr == pytest.approx(10.0)
    assert result.demand_overlap == pytest.approx(0.4)
    assert result.heat_to_cool_ratio == pytest.approx(1.0)
    assert result.trench_length_m == pytest.approx(150.0)  # MST: a-b 100 m, b-ates 50 m
    assert result.linear_heat_density_mwh_per_m_yr == pytest.approx(20.0 / 150.0)
    assert result.anchor_load_share == pytest.approx(0.5)
    assert result.electricity_to_gas_price_ratio == pytest.approx(0.25 / (1.0 / (31.65 / 3.6)))
    assert result.n_buildings == 2 and result.ates_allowed


def test_no_cooling_gives_infinite_ratio_and_zero_overlap():
    index = pd.date_range("2025-01-01", periods=2, freq="h", tz="UTC")
    result = context_indicators(
        _inputs(cool_kw=pd.DataFrame({"a": [0.0, 0.0], "b": [0.0, 0.0]}, index=index))
    )
    assert result.demand_overlap == 0.0 and result.heat_to_cool_ratio == float("inf")


def test_conditions_hold_differ_and_fail():
    reference = context_indicators(_inputs())
    conditions = (
        SuccessCondition(indicator="demand_overlap", at_least=0.15, source="test"),
        SuccessCondition(indicator="n_partners", at_most=3, source="test"),
        SuccessCondition(indicator="ates_allowed", equals=True, source="test"),
    )
    same = compare_context(reference, reference, conditions=conditions, similarity_tolerance=0.3)
    assert set(same["status"]) == {"holds"}
    other = dataclasses.replace(reference, demand_overlap=0.1, n_partners=1, ates_allowed=False)
    table = compare_context(
        reference, other, conditions=conditions, similarity_tolerance=0.3
    ).set_index("indicator")
    assert table.loc["demand_overlap", "status"] == "fails"
    assert table.loc["n_partners", "status"] == "differs"  # 1 vs 2 partners: 50 % apart
    assert table.loc["ates_allowed", "status"] == "fails"


def test_shipped_conditions_name_their_source():
    conditions, tolerance = load_conditions()
    assert 0 < tolerance < 1 and len(conditions) >= 6
    assert all(len(c.source) > 20 for c in conditions)


def test_translating_a_district_onto_itself_holds_every_condition_it_meets(tmp_path, capsys):
    assert (
        main(
            [
                "scale",
                "translate",
                "hart-van-zuid",
                "hart-van-zuid",
                "--out",
                str(tmp_path),
                "--quiet",
                "--no-sizing",
            ]
        )
        == 0
    )
    result = json.loads((tmp_path / "scaling" / "context_comparison.json").read_text())
    assert result["reference"] == result["target"]
    for row in result["conditions"]:
        assert row["status"] == ("holds" if row["reference_meets"] else "fails")
    assert "holds" in capsys.readouterr().out
