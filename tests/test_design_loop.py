"""The design with its annual simulation in the loop: cuts from failed checks, re-solves."""

import json
import math

import numpy as np
import pandas as pd
import pytest
import yaml
from stage_helpers import run_sizing

from tsg.demand import district_demand
from tsg.design_cuts import FLOW_MARGIN, design_cuts
from tsg.district import load_district
from tsg.grid.design_limits import load_design_limits
from tsg.grid.pipe_catalogue import load_pipe_catalogue
from tsg.grid.soil import soil_temperature_c
from tsg.grid.water_flow import pressure_gradient_pa_per_m, water_density_kg_per_m3
from tsg.grid.year_result import HOUR_COLUMNS, YearResult
from tsg.optimisation.sizing import SizingOptions, pipe_options
from tsg.stages import RunContext, RunSettings, compute_stage
from tsg.synthetic import synthetic_district_document

LIMITS = load_design_limits()
PIPES = pipe_options(load_pipe_catalogue(), delta_t_k=6.0, limits=LIMITS)
BY_DN = {p.dn_mm: p for p in PIPES}


class _Inputs:
    """The one field of the sizing inputs the cuts read."""

    pipes = PIPES


def _year(pipes: pd.DataFrame, mdot: np.ndarray, dp_building_bar: np.ndarray, buildings):
    n_h, n_p = mdot.shape
    index = pd.date_range("2025-01-01", periods=n_h, freq="h", tz="Europe/Amsterdam")
    hours = pd.DataFrame(index=index, columns=HOUR_COLUMNS)
    hours["converged"] = True
    hours["reason"] = ""
    hours["balancing_direction"] = "heating"
    nan = np.full((n_h, n_p), np.nan)
    nb = len(buildings)
    return YearResult(
        index=index,
        junctions=pd.DataFrame({"node_id": [], "line": []}),
        pipes=pipes,
        building_ids=tuple(buildings),
        hours=hours,
        t_node_c=np.full((n_h, 0), 15.0),
        p_node_bar=np.full((n_h, 0), np.nan),
        pipe_mdot_kg_per_s=mdot,
        pipe_velocity_m_per_s=nan.copy(),
        pipe_dp_bar=nan.copy(),
        pipe_t_in_c=np.full((n_h, n_p), 15.0),
        pipe_t_out_c=nan.copy(),
        pipe_soil_gain_kw=nan.copy(),
        bld_mode=np.ones((n_h, nb), dtype=np.int8),
        bld_heat_requested_kw=np.zeros((n_h, nb)),
        bld_heat_delivered_kw=np.zeros((n_h, nb)),
        bld_mdot_kg_per_s=np.zeros((n_h, nb)),
        bld_t_in_c=np.full((n_h, nb), 18.0),
        bld_t_out_c=np.full((n_h, nb), 12.0),
        bld_dp_bar=dp_building_bar,
    )


def _pipes(trenches):
    rows = []
    for k, (a, b, dn, length) in enumerate(trenches):
        for line in ("warm", "cold"):
            rows.append(
                {"edge": k, "from_id": a, "to_id": b, "line": line, "dn_mm": dn, "length_m": length}
            )
    return pd.DataFrame(rows)


def _checks(rows):
    return pd.DataFrame(
        rows,
        columns=[
            "check",
            "element",
            "element_id",
            "line",
            "hour",
            "time",
            "value",
            "limit",
            "unit",
        ],
    )


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
    year = _year(
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
    year = _year(
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
    year = _year(_pipes(trenches), mdot, dp, ["b", "c"])
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


def _add_ates(doc: dict, *, north_deg: float, flow_m3_per_h: float, **extra) -> None:
    """Put an ATES of the first partner just north of the first building."""
    first = doc["buildings"][0]["location"]
    doc["sources"] = [
        {
            "type": "ates",
            "id": "ates",
            "name": "ATES",
            "partner": doc["partners"][0]["id"],
            "location": {
                "latitude_deg": float(first["latitude_deg"]) + north_deg,
                "longitude_deg": float(first["longitude_deg"]),
            },
            "max_flow_m3_per_h": flow_m3_per_h,
            "warm_well_c": 16.0,
            "cold_well_c": 9.0,
            **extra,
        }
    ]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    doc = synthetic_district_document(n_buildings=4, seed=3, n_partners=2)
    # no balance rule: every building runs its loop units at the peak hour
    _add_ates(doc, north_deg=0.0003, flow_m3_per_h=100, thermal_balance_tolerance=1.0)
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
    built = {frozenset((e.from_id, e.to_id)): e.dn_mm for e in stage.result.edges if e.built}
    for cut in first["cuts"]:
        dn = built.get(frozenset((cut["from_id"], cut["to_id"])))
        assert dn is None or dn >= cut["min_dn_mm"]
    # the last round's simulated year is the verification of the design
    year = stage.loop.verification.year
    assert float(np.nanmax(year.pipe_velocity_m_per_s[year.valid])) <= LIMITS.max_velocity_m_per_s
    gradient = year.pipe_dp_bar * 1e5 / year.pipes.length_m.to_numpy()
    assert float(np.nanmax(gradient[year.valid])) <= LIMITS.max_pressure_gradient_pa_per_m


def test_loads_beyond_the_balancing_capacity_are_scaled_down_together():
    from tsg.optimisation.sizing.handover import cap_to_balancing

    loads = pd.DataFrame(
        {"a": [500.0, 100.0, -50.0], "b": [300.0, -900.0, 20.0], "c": [-100.0, -300.0, 0.0]}
    )
    capped = cap_to_balancing(loads, give_kw=400.0, take_kw=600.0)
    # hour 0: net 700 > 400: positive loads x (400 + 100) / 800; hour 1: net -1,100 < -600:
    # negative loads x (100 + 600) / 1,200; hour 2 within both: unchanged
    assert capped.loc[0].tolist() == pytest.approx([312.5, 187.5, -100.0])
    assert capped.loc[1].tolist() == pytest.approx([100.0, -900 * 700 / 1200, -300 * 700 / 1200])
    assert capped.loc[2].tolist() == pytest.approx([-50.0, 20.0, 0.0])
    assert capped.sum(axis=1).tolist() == pytest.approx([400.0, -600.0, -30.0])


def test_loads_are_capped_to_what_is_left_of_the_balancing_unit_hour_by_hour():
    from tsg.optimisation.sizing.handover import cap_to_balancing

    loads = pd.DataFrame({"a": [500.0, -300.0], "b": [-100.0, 100.0]})
    # hour 0: a plant takes 200 kW (give 400 - 200 left): positive loads x (200 + 100) / 500;
    # hour 1: a plant gives 100 kW (take 300 - 100 left): the net -200 just fits, unchanged
    capped = cap_to_balancing(
        loads, give_kw=np.array([200.0, 400.0]), take_kw=np.array([300.0, 200.0])
    )
    assert capped.loc[0].tolist() == pytest.approx([300.0, -100.0])
    assert capped.loc[1].tolist() == pytest.approx([-300.0, 100.0])
    # what the loads cannot make up is not turned into a negative factor
    short = cap_to_balancing(loads, give_kw=np.array([-500.0, 0.0]), take_kw=np.array([0.0, 0.0]))
    assert short.loc[0].tolist() == pytest.approx([0.0, -100.0])


def test_proportional_dispatch_by_hand():
    from tsg.optimisation.sizing.plant_dispatch import follow_then_fill, proportional_dispatch

    weight = np.array([100.0, 60.0, 0.0, 30.0])
    upper = np.full(4, 50.0)
    # 120 kWh: 50 + 60 s + 30 s = 120 -> s = 7/9 (the first hour at its limit)
    out = proportional_dispatch(weight, upper, 120.0)
    assert out.tolist() == pytest.approx([50.0, 60 * 7 / 9, 0.0, 30 * 7 / 9])
    # more than the hours with weight hold: each at its limit
    assert proportional_dispatch(weight, upper, 400.0).tolist() == [50.0, 50.0, 0.0, 50.0]
    # follow, then fill: 160 kWh = 150 in the followed hours + 10 in the headroom left
    filled = follow_then_fill(weight, upper, 160.0)
    assert filled.tolist() == pytest.approx([50.0, 50.0, 10.0, 50.0])


def test_storage_dispatch_by_hand():
    from tsg.optimisation.sizing.storage_dispatch import storage_dispatch

    net = np.array([-100.0, -100.0, 50.0, 50.0, 50.0, -20.0])
    # as much as it can: 80 kW rate, 150 kWh full after 80 + 70, empty after -80 - 70
    most = storage_dispatch(net, capacity_kwh=150.0, rate_kw=80.0, charge_kwh=1e9)
    assert most.tolist() == pytest.approx([80.0, 70.0, -80.0, -70.0, 0.0, 80.0])
    # 100 kWh charged: 100 s + 100 s + 20 s = 100 -> s = 5/11, discharges 50 s each hour
    s = 5 / 11
    out = storage_dispatch(net, capacity_kwh=150.0, rate_kw=80.0, charge_kwh=100.0)
    assert out.tolist() == pytest.approx(
        [100 * s, 100 * s, -50 * s, -50 * s, -50 * s, 20 * s], rel=1e-6
    )
    assert float(out.clip(0).sum()) == pytest.approx(100.0, rel=1e-6)
    # the state of charge stays within [0, capacity] and the rate within 80 kW
    soc = np.cumsum(most)
    assert soc.min() >= 0.0 and soc.max() <= 150.0 and np.abs(most).max() <= 80.0


def test_plant_dispatch_on_a_hand_made_load_table():
    from types import SimpleNamespace

    from tsg.optimisation.sizing.plant_dispatch import feed_in_plants, plant_loads_kw
    from tsg.optimisation.sizing.result import PlantDesign

    loads = pd.DataFrame({"b1": [200.0, 50.0, -80.0, 30.0], "b2": [-100.0, 10.0, -20.0, 0.0]})
    # net load 100, 60, -100, 30 kW; waste heat of 50 kW that gave 0.12 MWh in the optimiser
    waste = PlantDesign("waste", "heat_source", None, 50.0, 0.0, 0.12)
    ates = PlantDesign("ates", "ates", None, 500.0, 0.0, 0.0)
    edges = pd.DataFrame({"from_id": ["ates", "b1", "b1"], "to_id": ["b1", "b2", "waste"]})
    result = SimpleNamespace(plants=(ates, waste), design_edges=lambda: edges)
    inputs = SimpleNamespace(
        buildings=(SimpleNamespace(building_id="b1"), SimpleNamespace(building_id="b2")),
        ates=(SimpleNamespace(source_id="ates"),),
        heat_sources=(SimpleNamespace(source_id="waste"),),
        plants=(),
    )
    (fed,) = feed_in_plants(result, inputs)
    assert (fed.node_id, fed.energy_mwh_per_yr) == ("waste", 0.12)
    # a plant at a building's node has no node of its own: it stays lumped into the ATES
    at_b1 = PlantDesign("central_heat_pump@b1", "central_heat_pump", None, 80.0, 0.0, 0.1)
    lumped = SimpleNamespace(plants=(ates, waste, at_b1), design_edges=lambda: edges)
    offer = SimpleNamespace(plant_id="central_heat_pump@b1", node_id="b1")
    assert feed_in_plants(lumped, SimpleNamespace(**{**vars(inputs), "plants": (offer,)})) == (fed,)
    plants = plant_loads_kw(result, inputs, loads)
    # it gives heat where the buildings extract it, in proportion (s = 7/9), within 50 kW
    assert plants["waste"].tolist() == pytest.approx([-50.0, -60 * 7 / 9, 0.0, -30 * 7 / 9])
    assert -plants["waste"].sum() == pytest.approx(120.0)
    # 0.16 MWh: 150 kWh in the extraction hours, 10 in hour 2, where the ATES takes it
    more = SimpleNamespace(
        plants=(ates, PlantDesign("waste", "heat_source", None, 50.0, 0.0, 0.16)),
        design_edges=lambda: edges,
    )
    assert plant_loads_kw(more, inputs, loads)["waste"].tolist() == pytest.approx(
        [-50.0, -50.0, -10.0, -50.0]
    )
    # ... unless the ATES cannot take it (take 20 kW < 100 kW net injection in hour 2)
    capped = plant_loads_kw(more, inputs, loads, balancing_kw=(500.0, 20.0))
    assert capped["waste"].tolist() == pytest.approx([-50.0, -50.0, 0.0, -50.0])


@pytest.fixture(scope="module")
def one_pipe(tmp_path_factory):
    """One hotel 55 m from an ATES: one trench, one building."""
    doc = synthetic_district_document(n_buildings=1, seed=5, n_partners=1, mix={"hotel": 1.0})
    _add_ates(doc, north_deg=0.0005, flow_m3_per_h=10)  # about 80 kW for one hotel
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
                {"round": 2, "cost_eur_per_yr": 1_250_000.0, "violated_hours": {"velocity": 3}},
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
    dutch = design_rounds_html(design, texts("nl"))
    assert "Niet zo te bouwen" in dutch and "1.235.000" in dutch
    assert design_rounds_html({"no_loop": 1}, texts("en")) == ""


def test_the_handed_over_year_keeps_the_ates_permit_balance():
    from tsg.optimisation.sizing.ates_balance import ates_exchange_mwh, balance_to_permit

    loads = pd.DataFrame({"a": [100.0, 100.0, -50.0, -50.0], "b": [0.0, 0.0, 0.0, 0.0]})
    # out 200 kWh, in 100 kWh: 10 % allows out <= 100 / 0.9: heating loads x (100 / 0.9) / 200
    balanced = balance_to_permit(loads, other_kw=np.zeros(4), tolerance=0.1)
    factor = (100 / 0.9) / 200
    assert balanced["a"].tolist() == pytest.approx([100 * factor, 100 * factor, -50, -50], rel=1e-9)
    out, into = ates_exchange_mwh(balanced.sum(axis=1).to_numpy())
    assert abs(out - into) <= 0.1 * max(out, into) * (1 + 1e-9)
    # within the rule already: unchanged; the other side's excess scales the negative loads
    assert balance_to_permit(loads, other_kw=np.zeros(4), tolerance=0.5).equals(loads)
    cooling = -loads
    flipped = balance_to_permit(cooling, other_kw=np.zeros(4), tolerance=0.1)
    assert flipped["a"].tolist() == pytest.approx([-100 * factor, -100 * factor, 50, 50], rel=1e-9)
