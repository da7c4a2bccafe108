"""The design with its annual simulation in the loop: cuts from failed checks, re-solves."""

import json
import math
import os

import numpy as np
import pandas as pd
import pytest
import yaml
from stage_helpers import add_ates, run_sizing, stub_year

from tsg.demand import district_demand
from tsg.design_cuts import FLOW_MARGIN, design_cuts
from tsg.district import load_district
from tsg.grid.design_checks import CHECK_COLUMNS
from tsg.grid.design_limits import load_design_limits
from tsg.grid.pipe_catalogue import load_pipe_catalogue
from tsg.grid.soil import soil_temperature_c
from tsg.grid.water_flow import pressure_gradient_pa_per_m, water_density_kg_per_m3
from tsg.optimisation.sizing import SizingOptions, pipe_options
from tsg.stages import RunContext, RunSettings, compute_stage
from tsg.synthetic import synthetic_district_document

LIMITS = load_design_limits()
PIPES = pipe_options(load_pipe_catalogue(), delta_t_k=6.0, limits=LIMITS)
BY_DN = {p.dn_mm: p for p in PIPES}


class _Inputs:
    """The one field of the sizing inputs the cuts read."""

    pipes = PIPES


def _pipes(trenches):
    rows = []
    for k, (a, b, dn, length) in enumerate(trenches):
        for line in ("warm", "cold"):
            rows.append(
                {"edge": k, "from_id": a, "to_id": b, "line": line, "dn_mm": dn, "length_m": length}
            )
    return pd.DataFrame(rows)


def _checks(rows):
    return pd.DataFrame(rows, columns=CHECK_COLUMNS)


def _within_limits(dn: int, mdot: float) -> bool:
    pipe = BY_DN[dn]
    rho = water_density_kg_per_m3(15.0)
    velocity = mdot / (rho * math.pi * (pipe.di_mm / 1000) ** 2 / 4)
    gradient = pressure_gradient_pa_per_m(
        mdot_kg_per_s=mdot, di_mm=pipe.di_mm, roughness_mm=pipe.roughness_mm
    )
    return (
        velocity <= LIMITS.max_velocity_m_per_s
        and gradient <= LIMITS.max_pressure_gradient_pa_per_m
    )


def test_a_trench_over_its_limits_gets_the_smallest_size_that_carries_its_peak():
    peak = 12.0  # kg/s in hour 1; DN 110 is far too small for it
    year = stub_year(
        _pipes([("ates", "a", 110, 100.0)]),
        np.array([[3.0, -3.0], [peak, -peak], [5.0, -5.0]]),
        np.zeros((3, 1)),
        ["a"],
    )
    checks = _checks(
        [("pressure_gradient", "pipe", "ates-a", "warm", 1, None, 900.0, 100.0, "Pa/m")]
    )
    cuts, unresolved = design_cuts(year, checks, _Inputs(), balancing_id="ates", limits=LIMITS)
    assert unresolved == []
    (cut,) = cuts
    assert (cut.from_id, cut.to_id, cut.check) == ("ates", "a", "pressure_gradient")
    sizes = sorted(BY_DN, key=lambda dn: BY_DN[dn].di_mm)
    # the cut size carries the peak with its headroom within both limits, the next smaller
    # one does not
    assert _within_limits(cut.min_dn_mm, peak * FLOW_MARGIN)
    smaller = sizes[sizes.index(cut.min_dn_mm) - 1]
    assert not _within_limits(smaller, peak * FLOW_MARGIN)


def test_a_flow_no_catalogue_pipe_carries_is_unresolved_with_its_reason():
    huge = 5.0 * max(p.max_mdot_kg_per_s for p in PIPES)
    year = stub_year(
        _pipes([("ates", "a", 450, 50.0)]), np.array([[huge, -huge]]), np.zeros((1, 1)), ["a"]
    )
    checks = _checks([("velocity", "pipe", "ates-a", "warm", 0, None, 9.0, 2.0, "m/s")])
    cuts, unresolved = design_cuts(year, checks, _Inputs(), balancing_id="ates", limits=LIMITS)
    assert cuts == []
    (item,) = unresolved
    assert item.element_id == "ates-a" and "parallel pipes" in item.reason


def _friction_bar(dn: int, mdot: float, length_m: float) -> float:
    pipe = BY_DN[dn]
    g = pressure_gradient_pa_per_m(
        mdot_kg_per_s=mdot, di_mm=pipe.di_mm, roughness_mm=pipe.roughness_mm
    )
    return 2 * g * length_m / 1e5  # warm and cold line


def test_pump_head_cut_saves_at_least_the_missing_head_on_the_building_path_only():
    # ates - a - b (the building b needs 0.4 bar beyond its pump's head) and ates - c (fine)
    trenches = [("ates", "a", 90, 300.0), ("a", "b", 90, 300.0), ("ates", "c", 90, 300.0)]
    mdot = np.array([[4.0, -4.0, 4.0, -4.0, 1.0, -1.0]])
    missing = 0.4
    dp = np.array([[-(LIMITS.building_pump_head_bar + missing), 0.1]])
    year = stub_year(_pipes(trenches), mdot, dp, ["b", "c"])
    checks = _checks([("building_pump_head", "building", "b", "", 0, None, -dp[0, 0], 0.5, "bar")])
    cuts, unresolved = design_cuts(year, checks, _Inputs(), balancing_id="ates", limits=LIMITS)
    assert unresolved == []
    new = {frozenset((c.from_id, c.to_id)): c.min_dn_mm for c in cuts}
    assert new.get(frozenset(("ates", "c")), 0) <= 90  # not on b's path: not enlarged
    saved = sum(
        _friction_bar(90, 4.0, 300.0) - _friction_bar(new.get(frozenset((a, b)), 90), 4.0, 300.0)
        for a, b, _, _ in trenches[:2]
    )
    assert saved >= missing
    # the larger pipe cuts the friction; the trench keeps the flow limit of the DN 90 it had
    limit = {frozenset((c.from_id, c.to_id)): c.max_heat_kw for c in cuts}
    assert limit[frozenset(("ates", "a"))] == BY_DN[90].max_heat_kw
    assert limit.get(frozenset(("ates", "c")), math.inf) == math.inf


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    doc = synthetic_district_document(n_buildings=4, seed=3, n_partners=2)
    # no balance rule: every building runs its loop units at the peak hour
    add_ates(doc, north_deg=0.0003, flow_m3_per_h=100, thermal_balance_tolerance=1.0)
    path = tmp_path_factory.mktemp("district") / "district.yaml"
    path.write_text(yaml.safe_dump(json.loads(json.dumps(doc, default=float))), encoding="utf-8")
    district = load_district(path)
    return district, district_demand(district, district_file=path)


def test_the_loop_resizes_a_trench_that_fits_the_typical_day_but_not_the_peak_hour(small, tmp_path):
    district, demand = small
    # one typical day: the pipes are sized on an average day, the year's peak overloads them
    stage = run_sizing(
        district,
        demand,
        out_dir=tmp_path,
        options=SizingOptions(n_typical_periods=1),
        sensitivity=False,
    )
    loop = json.loads((tmp_path / "sizing" / "design.json").read_text())["simulation_loop"]
    first, last = loop["rounds"][0], loop["rounds"][-1]
    assert set(first["violated_hours"]) & {"velocity", "pressure_gradient"}
    assert first["cuts"]
    assert len(loop["rounds"]) >= 2
    assert not set(last["violated_hours"]) & {"velocity", "pressure_gradient", "building_pump_head"}
    assert loop["buildable_as_is"] is True
    # later rounds repair the layout by an LP; the design the loop ends on is judged by a full
    # solve started from it, and stands within the MIP gap of that solve's bound
    assert first["solve"] == "mip"
    assert {r["solve"] for r in loop["rounds"][1:]} <= {"repaired", "mip"}
    if last["solve"] == "repaired":
        assert last["certify_time_s"] > 0
    if last["solve"] == "repaired" and last["dispatch"] == "full_year_lp":
        # judged alongside the full-year operation, on the second core
        assert last["certify_alongside"] is ((os.cpu_count() or 1) >= 2)
    solve = stage.result.solve
    assert solve.bound_eur_per_yr <= stage.result.design.cost_eur_per_yr + 1e-6
    assert solve.gap <= SizingOptions().mip_gap + 1e-9
    built = {frozenset((e.from_id, e.to_id)): e.dn_mm for e in stage.result.edges if e.built}
    for cut in first["cuts"]:
        dn = built.get(frozenset((cut["from_id"], cut["to_id"])))
        assert dn is None or dn >= cut["min_dn_mm"]
    # the last round's simulated year is the verification of the design
    year = stage.loop.verification.year
    assert float(np.nanmax(year.pipe_velocity_m_per_s[year.valid])) <= LIMITS.max_velocity_m_per_s
    gradient = year.pipe_dp_bar * 1e5 / year.pipes.length_m.to_numpy()
    assert float(np.nanmax(gradient[year.valid])) <= LIMITS.max_pressure_gradient_pa_per_m


@pytest.fixture(scope="module")
def one_pipe(tmp_path_factory):
    """One hotel 55 m from an ATES: one trench, one building."""
    doc = synthetic_district_document(n_buildings=1, seed=5, n_partners=1, mix={"hotel": 1.0})
    add_ates(doc, north_deg=0.0005, flow_m3_per_h=10)  # about 80 kW for one hotel
    path = tmp_path_factory.mktemp("one") / "district.yaml"
    path.write_text(yaml.safe_dump(json.loads(json.dumps(doc, default=float))), encoding="utf-8")
    district = load_district(path)
    demand = district_demand(district, district_file=path)
    settings = RunSettings(
        sizing_options=SizingOptions(n_typical_periods=6), sensitivity=False, design_rounds=2
    )
    ctx = RunContext.of(district, path, demand=demand, settings=settings)
    return district, demand, compute_stage("sizing", ctx)


def test_pumping_and_soil_of_the_optimiser_match_the_simulation_on_one_pipe(one_pipe):
    district, demand, stage = one_pipe
    (edge,) = [e for e in stage.result.edges if e.built]
    comparison = stage.loop.verification.comparison
    pump = comparison["pump_electricity_mwh_per_yr"]
    soil = comparison["soil_net_gain_mwh_per_yr"]
    assert pump["simulation"] > 0 and soil["simulation"] < 0
    assert pump["optimiser"] == pytest.approx(pump["simulation"], rel=0.05)
    assert soil["optimiser"] == pytest.approx(soil["simulation"], rel=0.08)
    balancing = comparison["balancing_mwh_per_yr"]
    for way in ("to_loop", "from_loop"):
        assert balancing["optimiser"][way] == pytest.approx(balancing["simulation"][way], rel=0.05)
    # the soil term by hand: u L (2 T_soil - T_warm - T_cold) over the hours of the year
    u = load_pipe_catalogue().set_index("dn_mm").loc[edge.dn_mm, "u_w_per_mk"]
    t_soil = soil_temperature_c(demand.weather["temp_air_c"]).to_numpy()
    warm, cold = district.network.warm_line_c, district.network.cold_line_c
    by_hand_mwh = u * edge.length_m * float(np.sum(2 * t_soil - warm - cold)) / 1e6
    assert stage.result.soil_gain_mwh_per_yr == pytest.approx(by_hand_mwh, rel=0.03)
    # the central pump by hand: head / (rho cp dT eta) per kWh the ATES moves
    ates = next(p for p in stage.result.plants if p.kind == "ates")
    moved_kwh = 1000 * (ates.heat_to_loop_mwh_per_yr + ates.heat_from_loop_mwh_per_yr)
    rho = water_density_kg_per_m3(0.5 * (warm + cold))
    per_kwh = LIMITS.central_pump_head_bar * 1e5 / (rho * 4186.0 * (warm - cold) * 0.6)
    lines = stage.result.cost_table()
    pumping_kwh = float(lines[lines["item"] == "pumping"]["electricity_kwh_per_yr"].sum())
    own = stage.inputs.physics.building_pump_kwh_per_kwh.get(edge.to_id, 0.0) + (
        stage.inputs.physics.building_pump_kwh_per_kwh.get(edge.from_id, 0.0)
    )
    if own == 0.0:
        assert pumping_kwh == pytest.approx(per_kwh * moved_kwh, rel=0.01)


def test_report_shows_the_rounds_and_why_a_design_is_not_buildable():
    from tsg.report.design_rounds import design_rounds_html
    from tsg.report.i18n import texts

    design = {
        "simulation_loop": {
            "rounds": [
                {
                    "round": 1,
                    "cost_eur_per_yr": 1_234_567.0,
                    "violated_hours": {"velocity": 12, "warm_inlet_drift": 5},
                    "cuts": [{"from_id": "a", "to_id": "b"}],
                    "solve_time_s": 3.2,
                },
                {
                    "round": 2,
                    "solve": "repaired",
                    "cost_eur_per_yr": 1_250_000.0,
                    "violated_hours": {"velocity": 3},
                    "certify_time_s": 41.0,
                },
            ],
            "buildable_as_is": False,
            "stop_reason": "checks still fail after 2 rounds (the limit)",
            "not_buildable_because": [{"element_id": "a-b", "reason": "it needs parallel pipes"}],
        }
    }
    html = design_rounds_html(design, texts("en"))
    assert html.count("<tr") == 3  # header and two rounds
    assert "Not buildable as is: checks still fail after 2 rounds" in html
    assert "a-b: it needs parallel pipes" in html
    assert "1,235,000" in html  # cost, rounded for people
    assert "full solve" in html and "repaired" in html and ">41<" in html
    dutch = design_rounds_html(design, texts("nl"))
    assert "Niet zo te bouwen" in dutch and "1.235.000" in dutch and "gerepareerd" in dutch
    assert design_rounds_html({"no_loop": 1}, texts("en")) == ""
