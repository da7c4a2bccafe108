"""Spreading: a candidate that only adds cost is not beneficial at its step; KPIs per step."""

import pytest
from sizing_cases import building, inputs, year_steps

from tsg.optimisation.sizing import SizingOptions, size
from tsg.scaling.kpis import grid_kpis, partner_charges
from tsg.scaling.spreading import spread

EXACT = SizingOptions(n_typical_periods=None, mip_gap=0.0)


@pytest.fixture(scope="module")
def district():
    items = [
        building("a", heat=400.0),
        building("b", cool=330.0, x=50.0),
        building("c", heat=150.0, cool=20.0, x=100.0, partner="p-new"),
        building("far", heat=2.0, x=3000.0),
    ]
    edges = [("a", "b", 60.0), ("b", "c", 60.0), ("c", "far", 2950.0)]
    inp = inputs(items, edges)
    return inp, year_steps(inp)


@pytest.mark.parametrize("order", ["distance", "marginal"])
def test_far_tiny_candidate_is_not_beneficial(district, order):
    inp, steps = district
    result = spread(inp, ["far", "c"], order=order, options=EXACT, steps=steps)
    table = result.steps.set_index("candidate")
    assert list(result.steps["candidate"]) == ["", "c", "far"]
    assert bool(table.loc["c", "beneficial"]) is True
    assert bool(table.loc["far", "beneficial"]) is False
    assert table.loc["far", "marginal_saving_eur_per_yr"] < 0
    assert table.loc["c", "new_partners"] == "p-new"
    assert table.loc["far", "partners_rather_out"] == "p-far"
    assert table.loc["far", "n_buildings"] == 4
    assert table.loc["", "n_buildings"] == 2
    assert (result.steps["largest_dn_mm"] > 0).all()
    if order == "marginal":
        assert table.loc["far", "estimated_value_eur_per_yr"] < 0
        assert table.loc["c", "estimated_value_eur_per_yr"] > 0


def test_kpis_of_a_sized_pair():
    inp = inputs([building("a", heat=400.0), building("b", cool=330.0, x=50.0)], [("a", "b", 60)])
    result = size(inp, options=EXACT, steps=year_steps(inp))
    kpis = grid_kpis(result)
    assert kpis.n_connected == 2 and kpis.n_buildings == 2 and kpis.n_partners == 2
    assert kpis.saving_eur_per_yr == pytest.approx(
        result.reference.cost_eur_per_yr - result.design.cost_eur_per_yr
    )
    assert kpis.cost_eur_per_mwh == pytest.approx(
        result.design.cost_eur_per_yr / kpis.demand_mwh_per_yr
    )
    assert kpis.demand_mwh_per_yr == pytest.approx((400 + 330) * 8.76, rel=1e-6)
    assert kpis.co2_reduction_t_per_yr > 0 and kpis.alliance_stable is None
    charges = partner_charges(result)
    assert charges["charged_eur_per_yr"].sum() == pytest.approx(result.design.cost_eur_per_yr)
    assert not charges["would_stay_out"].any()
