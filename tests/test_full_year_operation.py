"""The design operated over the full year: its LP, its hand-over and the re-evaluated cost."""

import json
from dataclasses import replace

import numpy as np
import pyomo.environ as pyo
import pytest
import yaml
from stage_helpers import add_ates

from tsg.demand import district_demand
from tsg.district import load_district
from tsg.optimisation.sizing import SizingOptions, build_model, solve_and_extract
from tsg.optimisation.sizing.handover import operated_dispatch
from tsg.optimisation.sizing.operation import fix_design, operate_design
from tsg.optimisation.sizing.performance import coefficients
from tsg.optimisation.sizing.periods import full_year, time_steps
from tsg.optimisation.sizing.solver_runs import solve_lp
from tsg.progress import Progress
from tsg.sizing_inputs import sizing_inputs
from tsg.synthetic import synthetic_district_document
from tsg.verification_stage import compute_verification

QUIET = Progress(quiet=True)


@pytest.fixture(scope="module")
def two_buildings(tmp_path_factory):
    """A hotel and a second building next to an ATES; its design on 4 typical days."""
    doc = synthetic_district_document(n_buildings=2, seed=7, n_partners=1, mix={"hotel": 1.0})
    add_ates(doc, north_deg=0.0005, flow_m3_per_h=15)
    path = tmp_path_factory.mktemp("two") / "district.yaml"
    path.write_text(yaml.safe_dump(json.loads(json.dumps(doc, default=float))), encoding="utf-8")
    district = load_district(path)
    demand = district_demand(district, district_file=path)
    inputs = sizing_inputs(district, demand)
    options = SizingOptions(n_typical_periods=4, ates_exclusive_direction="never")
    design = solve_and_extract(
        build_model(inputs, time_steps(inputs, n_periods=4), options=options)
    )
    assert design.connected_buildings, "the test needs a grid"
    return district, demand, inputs, design, operate_design(inputs, design, options=options)


def test_a_design_operated_on_its_own_time_steps_costs_its_objective(two_buildings):
    # a design solved to a tiny MIP gap is optimal for its own time steps: fixing its
    # decisions and re-optimising every step cannot change its cost
    _, _, inputs, _, _ = two_buildings
    options = SizingOptions(n_typical_periods=4, ates_exclusive_direction="never", mip_gap=1e-7)
    steps = time_steps(inputs, n_periods=4)
    design = solve_and_extract(build_model(inputs, steps, options=options))
    operated = operate_design(inputs, design, options=options, steps=steps)
    assert operated.optimal
    assert operated.cost_eur_per_yr == pytest.approx(design.design.cost_eur_per_yr, rel=1e-5)
    assert operated.heat_from_grid_kw.shape == (len(inputs.buildings), steps.n_steps)


def test_the_operated_year_keeps_every_capacity_and_the_annual_heat_balance(two_buildings):
    _, _, inputs, design, operated = two_buildings
    assert operated.optimal
    for b, bld in enumerate(inputs.buildings):
        unit = design.building(bld.building_id)
        assert operated.heat_from_grid_kw[b].max() <= unit.heat_pump_kw + 1e-6
        assert operated.cold_from_grid_kw[b].max() <= unit.network_cooling_kw + 1e-6
        if not unit.connected:
            assert operated.heat_from_grid_kw[b].max() == pytest.approx(0.0, abs=1e-6)
    (ates,) = [p for p in design.plants if p.kind == "ates"]
    assert operated.ates_in_kw.max() <= ates.capacity_kw + 1e-6
    assert operated.ates_out_kw.max() <= ates.capacity_kw + 1e-6
    # what the buildings take from the loop, the ATES and the soil give it, over the year
    coef = coefficients(inputs, full_year(inputs))
    loads_kwh = sum(
        float(
            np.sum(
                operated.heat_from_grid_kw[b] * (1.0 - coef.loop_heat_elec_per_kwh[b])
                - operated.cold_from_grid_kw[b] * (1.0 + coef.loop_cool_elec_per_kwh[b])
            )
        )
        for b in range(len(inputs.buildings))
    )
    ates_in_mwh, ates_out_mwh = operated.ates_mwh_per_yr()
    given_mwh = ates_out_mwh - ates_in_mwh + operated.soil_gain_mwh_per_yr
    assert loads_kwh / 1000.0 == pytest.approx(given_mwh, rel=1e-4, abs=0.01)
    # the permit's balance over the year
    tolerance = inputs.ates[0].balance_tolerance
    assert abs(ates_in_mwh - ates_out_mwh) <= tolerance * max(ates_in_mwh, ates_out_mwh) + 1e-6


def test_the_hand_over_is_the_operated_dispatch_and_the_simulation_follows_it(two_buildings):
    district, demand, inputs, design, operated = two_buildings
    buildings, plants = operated_dispatch(design, inputs, operated)
    coef = coefficients(inputs, full_year(inputs))
    b = next(i for i, x in enumerate(inputs.buildings) if x.building_id in buildings.columns)
    hour = int(np.argmax(operated.heat_from_grid_kw[b]))
    by_hand = operated.heat_from_grid_kw[b, hour] * (1.0 - coef.loop_heat_elec_per_kwh[b, hour])
    by_hand -= operated.cold_from_grid_kw[b, hour] * (1.0 + coef.loop_cool_elec_per_kwh[b])
    assert buildings[inputs.buildings[b].building_id].iloc[hour] == pytest.approx(by_hand)
    assert plants.shape[1] == 0  # no plants in this district

    verified = compute_verification(
        district, demand, design, inputs, progress=QUIET, operated=operated
    )
    comparison = verified.comparison
    assert comparison["dispatch"]["source"] == "full_year_lp"
    balancing = comparison["balancing_mwh_per_yr"]
    for way in ("to_loop", "from_loop"):
        # the simulated ATES moves what the optimiser's year asks of it, up to the soil and
        # pump heat the simulation computes with its own water temperatures
        assert balancing["simulation"][way] == pytest.approx(
            balancing["operated_full_year"][way], rel=0.05
        )
    # the re-evaluated cost, by hand: the operated year with the simulation's pump and ATES
    # well-pump electricity at the shared items' electricity price plus CO2
    cost = comparison["annual_cost_eur_per_yr"]
    prices = inputs.prices
    eur_per_kwh = (
        prices.electricity_price_eur_per_kwh
        + prices.electricity_emission_kg_per_kwh / 1000 * prices.co2_price_eur_per_t
    )
    lp_pump_kwh = sum(x.electricity_kwh_per_yr for x in operated.lines if x.item == "pumping")
    sim_pump_kwh = 1000 * comparison["pump_electricity_mwh_per_yr"]["simulation"]
    well = inputs.technologies.ates_pump_kwh_per_kwh
    lp_moved_kwh = 1000 * sum(operated.ates_mwh_per_yr())
    sim_moved_kwh = 1000 * (
        balancing["simulation"]["to_loop"] + balancing["simulation"]["from_loop"]
    )
    expected = operated.cost_eur_per_yr + eur_per_kwh * (
        sim_pump_kwh - lp_pump_kwh + well * (sim_moved_kwh - lp_moved_kwh)
    )
    assert cost["simulated_operation_eur_per_yr"] == pytest.approx(expected, rel=1e-9)
    assert cost["typical_periods_eur_per_yr"] == design.design.cost_eur_per_yr
    assert cost["relative_difference"] == pytest.approx(
        (expected - design.design.cost_eur_per_yr) / design.design.cost_eur_per_yr
    )


def test_the_lp_file_route_loads_a_solution_whose_objective_is_the_solvers(two_buildings):
    # the variables come back by the LP file's symbols: the model's own objective, evaluated
    # at the loaded values, is the objective HiGHS reports
    _, _, inputs, design, _ = two_buildings
    sm = build_model(inputs, time_steps(inputs, n_periods=4))
    fix_design(sm, design, capacities=False)
    status, objective = solve_lp(sm, 60.0)
    assert status == "optimal"
    assert pyo.value(sm.model.total_cost) == pytest.approx(objective, rel=1e-6)
    # the typical-period design re-optimised with its binaries fixed is no dearer than it
    assert objective <= design.design.cost_eur_per_yr * (1 + 1e-6)


def test_a_building_the_grid_cannot_serve_in_some_hour_gets_a_larger_own_unit(two_buildings):
    # take away every unit of a connected building: over the full year its own units must
    # grow to its peaks (the full-year peaks the design covers), and that growth is reported
    _, _, inputs, design, _ = two_buildings
    bid = design.connected_buildings[0]
    starved = tuple(
        replace(
            b,
            heat_pump_kw=0.0,
            network_cooling_kw=0.0,
            reference_heating_kw=0.0,
            reference_cooling_kw=0.0,
        )
        if b.building_id == bid
        else b
        for b in design.buildings
    )
    operated = operate_design(inputs, replace(design, buildings=starved))
    assert operated.optimal
    b = [x.building_id for x in inputs.buildings].index(bid)
    steps = full_year(inputs)
    heat_kw, cool_kw = operated.reference_growth_kw[bid]
    assert heat_kw == pytest.approx(steps.total_heat_kw[b].max(), rel=1e-4)
    assert cool_kw == pytest.approx(steps.cool_kw[b].max(), rel=1e-4, abs=1e-3)
    assert operated.heat_from_grid_kw[b].max() == pytest.approx(0.0, abs=1e-4)
    # the others keep their design's units
    assert set(operated.reference_growth_kw) == {bid}


def test_an_operation_that_does_not_solve_says_so_instead_of_numbers(two_buildings):
    _, _, inputs, design, _ = two_buildings
    operated = operate_design(inputs, design, time_limit_s=1e-3)
    assert not operated.optimal
    assert np.isnan(operated.cost_eur_per_yr) and np.isnan(operated.heat_from_grid_kw).all()
    with pytest.raises(ValueError, match="did not solve"):
        operated_dispatch(design, inputs, operated)


def test_report_shows_the_optimiser_against_the_simulated_operation():
    from tsg.report.i18n import texts
    from tsg.report.operation_table import operation_table_html

    verification = {
        "dispatch": {"source": "full_year_lp"},
        "annual_cost_eur_per_yr": {
            "typical_periods_eur_per_yr": 1_000_000.0,
            "operated_full_year_eur_per_yr": 1_010_000.0,
            "simulated_operation_eur_per_yr": 1_015_000.0,
        },
        "balancing_mwh_per_yr": {
            "optimiser": {"to_loop": 200.0, "from_loop": 100.0},
            "operated_full_year": {"to_loop": 190.0, "from_loop": 95.0},
            "simulation": {"to_loop": 190.5, "from_loop": 94.0},
        },
        "pump_electricity_mwh_per_yr": {"optimiser": 10.0, "simulation": 9.0},
        "soil_net_gain_mwh_per_yr": {"optimiser": -5.0, "simulation": -4.0},
    }
    html = operation_table_html(verification, texts("en"))
    assert html.count("<tr") == 6  # header, cost, ATES both ways, pumping, soil
    assert "1,015,000" in html and ">1.50<" in html  # simulated cost, +1.5 % on typical days
    assert ">-10<" in html  # pump electricity 9 against 10 [%]
    assert "as the optimiser operates the fixed design" in html
    dutch = operation_table_html(verification, texts("nl"))
    assert "1.015.000" in dutch and "Jaarkosten" in dutch
    rules = operation_table_html({**verification, "dispatch": {"source": "rules"}}, texts("en"))
    assert "rule-based dispatch" in rules
    assert operation_table_html({"note": "nothing to simulate"}, texts("en")) == ""


def test_the_operation_keeps_the_pipe_headroom_it_is_given(two_buildings):
    _, _, inputs, design, operated = two_buildings
    built = {(e.from_id, e.to_id): e for e in design.edges if e.built}
    share = 0.5
    halved = operate_design(inputs, design, pipe_capacity_share=share)
    assert halved.optimal
    for k, edge in enumerate(inputs.edges):
        chosen = built.get((edge.from_id, edge.to_id))
        if chosen is None:
            assert halved.trench_peak_kw[k] == pytest.approx(0.0, abs=1e-6)
            continue
        assert operated.trench_peak_kw[k] <= chosen.capacity_kw * (1 + 1e-6)
        assert halved.trench_peak_kw[k] <= share * chosen.capacity_kw * (1 + 1e-6)
    # less of the grid can only cost more
    assert halved.cost_eur_per_yr >= operated.cost_eur_per_yr * (1 - 1e-9)
    with pytest.raises(ValueError, match="pipe_capacity_share"):
        operate_design(inputs, design, pipe_capacity_share=0.0)
