"""Sizing optimisation: behaviour on tiny cases with known answers."""

import math

import numpy as np
import pytest
from sizing_cases import (
    LIMITS,
    PIPES,
    PRICES,
    TECH,
    building,
    inputs,
    neighbours,
    year_steps,
)

from tsg.common.errors import InputError
from tsg.grid.pipe_catalogue import size_pipe_by_rule
from tsg.optimisation.sizing import (
    AtesInput,
    PlantOffer,
    SizingOptions,
    capital_recovery_factor,
    size,
)

FULL = SizingOptions(n_typical_periods=None, mip_gap=1e-6)


def _size(inp, **kw):
    return size(
        inp,
        options=SizingOptions(n_typical_periods=None, mip_gap=1e-6, **kw),
        steps=year_steps(inp),
    )


def _annual(costs, capex):
    return capex * (
        capital_recovery_factor(discount_rate=PRICES.discount_rate, lifetime_yr=costs.lifetime_yr)
        + costs.om_fraction_per_yr
    )


def test_annualised_cost_of_one_building_matches_hand_calculation():
    inp = inputs([building("solo", heat=100.0, cool=50.0)], t_air=20.0)
    result = _size(inp)
    boiler, chiller = TECH.gas_boiler, TECH.air_chiller
    gas_m3 = 100.0 * 8760 / (boiler.efficiency * boiler.gas_lhv_kwh_per_m3)
    # air-cooled chiller: EER = eta * T_evap / (T_cond - T_evap), evap 16 - 5, cond 20 + 10
    t_evap = 16.0 - chiller.evaporator_approach_k + 273.15
    t_cond = 20.0 + chiller.condenser_approach_k + 273.15
    eer = chiller.carnot_efficiency * t_evap / (t_cond - t_evap)
    elec_kwh = 50.0 * 8760 / eer
    expected = (
        _annual(boiler.costs, 100.0 * boiler.costs.capex_eur_per_kw)
        + _annual(chiller.costs, 50.0 * chiller.costs.capex_eur_per_kw)
        + gas_m3 * PRICES.gas_price_eur_per_m3
        + elec_kwh * PRICES.electricity_price_eur_per_kwh
    )
    assert result.design.cost_eur_per_yr == pytest.approx(expected, rel=1e-9)
    assert result.reference.cost_eur_per_yr == pytest.approx(expected, rel=1e-9)
    assert result.design.gas_m3_per_yr == pytest.approx(gas_m3, rel=1e-9)
    assert result.npv_eur == pytest.approx(0.0, abs=1e-3)
    assert sum(c.total_eur_per_yr for c in result.costs) == pytest.approx(
        result.solve.objective_eur_per_yr, rel=1e-9
    )


def test_complementary_neighbours_connect():
    result = _size(neighbours())
    assert set(result.connected_buildings) == {"a", "b"}
    assert result.edges[0].built
    assert result.design.cost_eur_per_yr < 0.6 * result.reference.cost_eur_per_yr
    assert result.npv_eur > 0
    a = result.building("a")
    # the loop heat the heat pump takes equals the heat the cooled building rejects
    assert a.loop_extraction_mwh_per_yr == pytest.approx(
        result.building("b").loop_injection_mwh_per_yr, rel=1e-6
    )


def test_distant_building_stays_on_its_reference():
    distance = 3000.0
    result = _size(neighbours(distant_m=distance))
    assert "c" not in result.connected_buildings
    boiler = TECH.gas_boiler
    reference = _annual(boiler.costs, 50.0 * boiler.costs.capex_eur_per_kw) + (
        50.0 * 8760 / (boiler.efficiency * boiler.gas_lhv_kwh_per_m3) * PRICES.gas_price_eur_per_m3
    )
    assert result.building("c").cost_eur_per_yr == pytest.approx(reference, rel=1e-9)
    # connecting costs at least the cheapest trench plus the heat pump's electricity
    cheapest = min(PIPES, key=lambda p: p.cost_eur_per_m)
    trench = (
        distance
        * cheapest.cost_eur_per_m
        * (
            capital_recovery_factor(discount_rate=0.04, lifetime_yr=cheapest.lifetime_yr)
            + cheapest.om_fraction_per_yr
        )
    )
    hp = TECH.building_heat_pump
    cop = hp.carnot_efficiency * (45 + 273.15) / (45 - 16)
    connected_lower_bound = trench + 50.0 * 8760 / cop * PRICES.electricity_price_eur_per_kwh
    assert connected_lower_bound > reference
    forced = size(
        neighbours(distant_m=distance),
        options=SizingOptions(n_typical_periods=None, mip_gap=1e-6, force_connect={"c"}),
        steps=year_steps(neighbours(distant_m=distance)),
    )
    assert "c" in forced.connected_buildings
    assert forced.design.cost_eur_per_yr > result.design.cost_eur_per_yr


def test_chosen_pipe_is_never_below_the_rule_size():
    for option in PIPES:
        assert (
            size_pipe_by_rule(
                option.max_mdot_kg_per_s,
                max_velocity_m_per_s=LIMITS.max_velocity_m_per_s,
                max_pressure_gradient_pa_per_m=LIMITS.max_pressure_gradient_pa_per_m,
            )
            == option.dn_mm
        )
    loads = [("a", 900.0, 0.0), ("b", 0.0, 250.0), ("c", 120.0, 0.0), ("d", 0.0, 700.0)]
    blds = [building(b, heat=h, cool=c, x=60.0 * k) for k, (b, h, c) in enumerate(loads)]
    edges = [("a", "b", 60.0), ("b", "c", 60.0), ("c", "d", 60.0)]
    result = _size(inputs(blds, edges))
    built = [e for e in result.edges if e.built]
    assert built
    for e in built:
        rule = size_pipe_by_rule(
            e.peak_mdot_kg_per_s,
            max_velocity_m_per_s=LIMITS.max_velocity_m_per_s,
            max_pressure_gradient_pa_per_m=LIMITS.max_pressure_gradient_pa_per_m,
        )
        assert e.dn_mm >= rule
        assert e.peak_mdot_kg_per_s <= e.capacity_mdot_kg_per_s * (1 + 1e-9)


def _seasonal(dry_cooler: bool):
    """Summer: a cooled building rejects 600 kW; winter: a heated one takes about 330 kW."""
    hours = 48
    summer = np.r_[np.ones(24), np.zeros(24)]
    blds = [
        building("cool", cool=600.0 * summer, hours=hours),
        building("heat", heat=400.0 * (1 - summer), x=80.0, hours=hours),
    ]
    ates = (AtesInput("ates", None, max_heat_kw=3000.0, balance_tolerance=0.1, x_m=40.0, y_m=0),)
    plants = (PlantOffer("dry_cooler", "ates"),) if dry_cooler else ()
    return inputs(
        blds,
        [("cool", "ates", 40.0), ("heat", "ates", 40.0)],
        t_air=np.where(summer > 0, 25.0, 0.0),
        hours=hours,
        ates=ates,
        plants=plants,
    )


@pytest.mark.parametrize("dry_cooler", [True, False])
def test_ates_balance_changes_the_design(dry_cooler):
    inp = _seasonal(dry_cooler)
    free = _size(inp, ates_balance=False)
    bound = _size(inp, ates_balance=True)
    ates_free = next(p for p in free.plants if p.kind == "ates")
    ates_bound = next(p for p in bound.plants if p.kind == "ates")
    assert ates_free.balance_ratio > 0.3  # unbalanced when allowed
    assert ates_bound.balance_ratio <= 0.1 + 1e-6
    assert bound.design.cost_eur_per_yr > free.design.cost_eur_per_yr
    if dry_cooler:
        cooler = next(p for p in bound.plants if p.kind == "dry_cooler")
        assert cooler.capacity_kw > 0 and cooler.heat_from_loop_mwh_per_yr > 0
        assert next(p for p in free.plants if p.kind == "dry_cooler").capacity_kw == 0
    else:
        # without a dry cooler the cooled building exchanges less through the grid
        assert (
            bound.building("cool").cold_from_grid_mwh_per_yr
            < free.building("cool").cold_from_grid_mwh_per_yr - 1.0
        )


def test_demand_no_option_can_meet_names_the_building():
    inp = inputs(
        [
            building("a", heat=100.0),
            building("homes", heat=200.0, reference_heating="none", may_connect=False, x=50.0),
        ],
        [("a", "homes", 60.0)],
    )
    with pytest.raises(InputError, match="homes.*heat.*200.*cannot connect"):
        _size(inp)


def test_grid_without_heat_for_a_building_without_reference_names_the_cause():
    # two heated buildings, one without own heating, and nothing that gives heat to the loop
    inp = inputs(
        [
            building("a", heat=100.0),
            building("homes", heat=200.0, reference_heating="none", x=50.0),
        ],
        [("a", "homes", 60.0)],
    )
    with pytest.raises(InputError, match="without a reference supply.*homes"):
        _size(inp)


def test_largest_pipe_too_small_for_a_grid_only_building():
    big = max(p.max_heat_kw for p in PIPES)
    inp = inputs(
        [
            building("a", cool=3 * big),
            building("b", heat=3 * big, reference_heating="none", x=50.0),
        ],
        [("a", "b", 60.0)],
    )
    with pytest.raises(InputError, match="'b'.*exceeds the largest pipe"):
        _size(inp)


def test_result_json_is_plain():
    import json

    result = _size(neighbours())
    doc = json.loads(json.dumps(result.to_json_dict()))
    assert doc["connected_buildings"] == ["a", "b"]
    assert math.isclose(doc["total_cost_eur_per_yr"], result.design.cost_eur_per_yr)
    table = result.design_edges()
    assert list(table.columns) == ["from_id", "to_id", "length_m", "dn_mm", "parallel_pipes"]


def _circulation_tempts():
    """Heat all year, a little cooling in summer: charging and discharging the ATES in the
    same hour would fake its thermal balance (both sums grow, the imbalance does not)."""
    hours = 48
    summer = np.r_[np.ones(24), np.zeros(24)]
    blds = [
        building("heat", heat=400.0 * (1 - summer) + 100.0 * summer, hours=hours),
        building("cool", cool=120.0 * summer, x=80.0, hours=hours),
    ]
    ates = (AtesInput("ates", None, max_heat_kw=3000.0, balance_tolerance=0.1, x_m=40.0, y_m=0),)
    return inputs(
        blds,
        [("heat", "ates", 40.0), ("cool", "ates", 40.0)],
        t_air=np.where(summer > 0, 25.0, 0.0),
        hours=hours,
        ates=ates,
    )


def test_auto_ates_direction_matches_the_exact_binary_model():
    inp = _circulation_tempts()
    faked = _size(inp, ates_exclusive_direction="never")
    exact = _size(inp, ates_exclusive_direction="always")
    auto = _size(inp, ates_exclusive_direction="auto")
    assert faked.design.cost_eur_per_yr < exact.design.cost_eur_per_yr - 1.0
    assert auto.design.cost_eur_per_yr == pytest.approx(exact.design.cost_eur_per_yr, rel=1e-6)
    assert auto.solve.n_solves == 3  # relaxed MIP, LP repair (outside 1e-6), MIP again
    ates = next(p for p in auto.plants if p.kind == "ates")
    assert ates.balance_ratio <= 0.1 + 1e-6


def test_the_lp_repair_is_kept_when_it_lies_within_the_gap():
    inp = _circulation_tempts()
    options = SizingOptions(n_typical_periods=None, mip_gap=0.01)
    auto = size(inp, options=options, steps=year_steps(inp), with_reference=False)
    exact = _size(inp, ates_exclusive_direction="always")
    assert auto.solve.n_solves == 2  # no second MIP
    assert auto.design.cost_eur_per_yr >= exact.design.cost_eur_per_yr * (1 - 1e-9)
    assert auto.design.cost_eur_per_yr <= exact.design.cost_eur_per_yr * 1.01
    assert auto.solve.gap <= 0.01
