"""Parallel pipes in a trench: options, cuts, the design loop, both solvers, by hand."""

import json
import math
import warnings
from dataclasses import replace

import numpy as np
import pandapipes as pp
import pandas as pd
import pytest
import sizing_cases
import yaml
from stage_helpers import add_ates, stub_year
from test_grid_fast_annual import compare_with_pandapipes

from tsg import run_layout as layout
from tsg.common.errors import InputError
from tsg.demand import district_demand
from tsg.design_cuts import FLOW_MARGIN, design_cuts
from tsg.district import load_district
from tsg.grid.design_checks import CHECK_COLUMNS
from tsg.grid.design_limits import load_design_limits
from tsg.grid.fast_annual import simulate_year
from tsg.grid.hydraulics import solve_hour
from tsg.grid.network import LoopSpec, build_network
from tsg.grid.pipe_catalogue import load_pipe_catalogue
from tsg.grid.sizing import size_edges_by_peak_flow
from tsg.grid.year_result import YearResult
from tsg.optimisation.sizing import SizingOptions, build_model, pipe_options, solve_and_extract
from tsg.optimisation.sizing.technologies import load_technologies
from tsg.stages import RunContext, RunSettings, run_stage
from tsg.synthetic import synthetic_district_document

LIMITS = load_design_limits()
CATALOGUE = load_pipe_catalogue()
SPEC = CATALOGUE.set_index("dn_mm")
PIPES = pipe_options(CATALOGUE, delta_t_k=6.0, limits=LIMITS, max_parallel=3)
LOOP = LoopSpec(t_warm_c=18.0, t_cold_c=12.0)

# water at 15 degC (tables, e.g. Engineering ToolBox): density, dynamic viscosity
RHO_15, MU_15 = 999.10, 1.138e-3
# water at 18 degC, the warm line of LOOP
RHO_18, MU_18 = 998.60, 1.053e-3


def _colebrook(re: float, rel_roughness: float) -> float:
    lam = 0.02
    for _ in range(100):
        lam = (-2.0 * math.log10(rel_roughness / 3.71 + 2.51 / (re * math.sqrt(lam)))) ** -2
    return lam


def _per_pipe(dn: int, mdot: float, rho: float = RHO_15, mu: float = MU_15) -> tuple[float, float]:
    """Velocity [m/s] and Darcy-Weisbach gradient [Pa/m] of one pipe carrying ``mdot``."""
    d = SPEC.loc[dn, "di_mm"] / 1000.0
    v = mdot / (rho * math.pi * d**2 / 4)
    lam = _colebrook(rho * v * d / mu, SPEC.loc[dn, "roughness_mm"] / 1000.0 / d)
    return v, lam / d * rho * v**2 / 2


def _carries(dn: int, n: int, mdot: float) -> bool:
    v, g = _per_pipe(dn, mdot / n)
    return v <= LIMITS.max_velocity_m_per_s and g <= LIMITS.max_pressure_gradient_pa_per_m


def _hand_capacity(dn: int, n: int) -> float:
    lo, hi = 0.0, 2000.0
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if _carries(dn, n, mid) else (lo, mid)
    return lo


def test_parallel_options_cost_capacity_and_soil_by_hand():
    singles = [p for p in PIPES if p.parallel == 1]
    largest = max(singles, key=lambda p: p.max_mdot_kg_per_s)
    assert largest.dn_mm == 450
    parallel = [p for p in PIPES if p.parallel > 1]
    # only options that carry more than the largest single pipe, at most 3 per line
    assert parallel and all(p.max_mdot_kg_per_s > largest.max_mdot_kg_per_s for p in parallel)
    assert {p.parallel for p in parallel} == {2, 3}
    two = next(p for p in PIPES if (p.dn_mm, p.parallel) == (450, 2))
    material = 2 * SPEC.loc[450, "cost_material_eur_per_m"]  # warm and cold line
    civil = 2 * SPEC.loc[450, "cost_installed_paved_eur_per_m"] - material
    tech = load_technologies().network
    assert tech.max_parallel_pipes == 3
    factor = tech.parallel_civil_factor
    assert two.cost_eur_per_m == pytest.approx(2 * material + civil * (1 + factor))
    assert two.max_mdot_kg_per_s == pytest.approx(2 * largest.max_mdot_kg_per_s)
    assert two.max_mdot_kg_per_s == pytest.approx(2 * _hand_capacity(450, 1), rel=0.01)
    assert two.u_w_per_mk == pytest.approx(2 * SPEC.loc[450, "u_w_per_mk"])
    assert two.label == "2 x DN 450"
    # cheaper per kg/s than a third pipe line of the same capacity would be without sharing
    assert two.cost_eur_per_m < 2 * largest.cost_eur_per_m


def _year(trenches, mdot: np.ndarray) -> YearResult:
    rows = []
    for k, (a, b, dn, n, length) in enumerate(trenches):
        for line in ("warm", "cold"):
            rows.append(
                {"edge": k, "from_id": a, "to_id": b, "line": line, "dn_mm": dn}
                | {"parallel_pipes": n, "length_m": length}
            )
    return stub_year(pd.DataFrame(rows), mdot, np.zeros((mdot.shape[0], 1)), ["a"])


class _Inputs:
    pipes = PIPES


def _velocity_check():
    return pd.DataFrame(
        [("velocity", "pipe", "ates-a", "warm", 0, None, 3.0, 2.0, "m/s")], columns=CHECK_COLUMNS
    )


def _cuts(year):
    return design_cuts(year, _velocity_check(), _Inputs(), balancing_id="ates", limits=LIMITS)


def test_a_flow_beyond_the_largest_pipe_gets_the_smallest_parallel_option_that_carries_it():
    single = _hand_capacity(450, 1)
    peak = 1.3 * single  # kg/s: no single pipe carries it, with its headroom
    year = _year([("ates", "a", 450, 1, 80.0)], np.array([[peak, -peak]]))
    cuts, unresolved = design_cuts(
        year, _velocity_check(), _Inputs(), balancing_id="ates", limits=LIMITS
    )
    assert unresolved == []
    (cut,) = cuts
    need = peak * FLOW_MARGIN
    # by hand: of the options on offer (ordered by what they carry), the first that carries
    # the need within both limits with each pipe at need / n; the one before it does not
    order = sorted(((p.dn_mm, p.parallel) for p in PIPES), key=lambda o: _hand_capacity(*o))
    fits = [o for o in order if _carries(*o, need)]
    assert (cut.min_dn_mm, cut.parallel) == fits[0]
    assert cut.parallel >= 2 and "x DN" in cut.reason
    before = order[order.index(fits[0]) - 1]
    assert not _carries(*before, need)
    # a margin to the limits the property tables cannot flip
    assert _hand_capacity(*fits[0]) > 1.01 * need > 1.01 * _hand_capacity(*before)


def test_only_beyond_the_most_parallel_pipes_is_a_trench_unresolved():
    peak = 1.05 * 3 * _hand_capacity(450, 1)
    year = _year([("ates", "a", 450, 3, 80.0)], np.array([[peak, -peak]]))
    cuts, unresolved = design_cuts(
        year, _velocity_check(), _Inputs(), balancing_id="ates", limits=LIMITS
    )
    assert cuts == []
    (item,) = unresolved
    assert "3 x DN 450" in item.reason and "second route" in item.reason
    assert "max_parallel_pipes" in item.reason


def test_rule_sizing_of_the_simulation_stage_uses_parallel_pipes():
    edges = pd.DataFrame({"from_id": ["ates"], "to_id": ["a"], "length_m": [100.0]})
    # 1.5 x what one DN 450 carries, at the nominal spread of 6 K (cp 4186 J/(kg K))
    load_kw = 1.5 * _hand_capacity(450, 1) * 4.186 * 6.0 / 1.1
    out = size_edges_by_peak_flow(
        edges,
        building_heat_kw=pd.DataFrame({"a": [load_kw]}),
        balancing_id="ates",
        delta_t_k=6.0,
        max_parallel=3,
    )
    dn, n = int(out.dn_mm[0]), int(out.parallel_pipes[0])
    assert n == 2 and not out.undersized[0]
    assert _carries(dn, 2, out.design_mdot_kg_per_s[0])


def _trench_network(dn: int, n: int) -> object:
    edges = pd.DataFrame(
        {"from_id": ["ates"], "to_id": ["a"], "length_m": [300.0], "dn_mm": [dn]}
        | {"parallel_pipes": [n]}
    )
    return build_network(edges=edges, building_ids=["a"], balancing_id="ates", loop=LOOP)


def test_n_parallel_pipes_carry_what_one_pipe_carries_at_one_nth_of_the_flow_by_hand():
    load_kw, t_soil = 400.0, 8.0
    two = _trench_network(160, 2)
    assert len(two.net.pipe) == 4  # two pipes per line
    assert two.pipes.parallel_pipes.tolist() == [2, 2]
    hour = solve_hour(two, building_heat_kw={"a": load_kw}, t_soil_c=t_soil)
    one = solve_hour(_trench_network(160, 1), building_heat_kw={"a": load_kw / 2}, t_soil_c=t_soil)
    warm = hour.pipes[hour.pipes.line == "warm"].iloc[0]
    half = one.pipes[one.pipes.line == "warm"].iloc[0]
    mdot = abs(warm.mdot_kg_per_s)  # the trench line's flow, both pipes
    # each pipe of the pair is one pipe at half the flow (and half the load)
    assert abs(half.mdot_kg_per_s) == pytest.approx(mdot / 2, rel=1e-3)
    assert warm.velocity_m_per_s == pytest.approx(half.velocity_m_per_s, rel=1e-3)
    assert warm.dp_bar == pytest.approx(half.dp_bar, rel=1e-3)
    assert warm.t_out_c == pytest.approx(half.t_out_c, abs=0.01)
    assert warm.soil_gain_kw == pytest.approx(2 * half.soil_gain_kw, rel=1e-3)
    # by hand: velocity and Darcy-Weisbach friction of one DN 160 at mdot / 2, water at 18 degC
    v, gradient = _per_pipe(160, mdot / 2, RHO_18, MU_18)
    assert warm.velocity_m_per_s == pytest.approx(v, rel=0.005)
    assert warm.dp_bar * 1e5 == pytest.approx(gradient * 300.0, rel=0.01)
    # soil: both pipes exchange with the soil, T_out = T_s + (T_in - T_s) exp(-n U'L / (m cp))
    ua = 2 * SPEC.loc[160, "u_w_per_mk"] * 300.0
    t_out = t_soil + (warm.t_in_c - t_soil) * math.exp(-ua / (mdot * 4186.0))
    assert warm.t_out_c == pytest.approx(t_out, abs=0.01)
    # the fast solver gives the same hour
    year = simulate_year(
        two,
        building_heat_kw=pd.DataFrame({"a": [load_kw]}),
        t_soil_c=pd.Series([t_soil]),
        fallback=False,
    )
    assert year.valid.all()
    assert year.pipe_velocity_m_per_s[0, 0] == pytest.approx(warm.velocity_m_per_s, rel=1e-3)
    assert year.pipe_dp_bar[0, 0] == pytest.approx(warm.dp_bar, rel=0.01)
    assert year.pipe_t_out_c[0, 0] == pytest.approx(warm.t_out_c, abs=0.01)


def test_fast_solver_and_pandapipes_agree_on_a_tree_with_parallel_trenches():
    edges = pd.DataFrame(
        {
            "from_id": ["j", "ates", "a", "b", "j"],
            "to_id": ["ates", "c", "j", "j", "d"],
            "length_m": [200.0, 80.0, 120.0, 60.0, 300.0],
            "dn_mm": [110, 90, 110, 90, 75],
            "parallel_pipes": [2, 1, 3, 1, 2],
        }
    )
    network = build_network(
        edges=edges, building_ids=["a", "b", "c", "d"], balancing_id="ates", loop=LOOP
    )
    assert len(network.net.pipe) == 2 * (2 + 1 + 3 + 1 + 2)
    loads = pd.DataFrame(
        {
            "a": [150.0, -20.0, 150.0, 60.0],
            "b": [-60.0, -120.0, -60.0, 60.0],
            "c": [40.0, 10.0, 40.0, -200.0],
            "d": [30.0, -90.0, 0.0, 25.0],
        }
    )
    year = compare_with_pandapipes(network, loads, pd.Series([6.0, 14.0, 9.0, 11.0]))
    assert year.pipes.parallel_pipes.tolist() == [2, 2, 1, 1, 3, 3, 1, 1, 2, 2]


@pytest.fixture(scope="module")
def tight(tmp_path_factory):
    """Four buildings and an ATES under a velocity limit so low that DN 450 is too small.

    0.035 m/s lets one DN 450 carry about 3.7 kg/s: more than the smallest building needs,
    less than the trench to the ATES carries at the peak.
    """
    doc = synthetic_district_document(n_buildings=4, seed=3, n_partners=2)
    add_ates(doc, north_deg=0.0003, flow_m3_per_h=100, thermal_balance_tolerance=1.0)
    doc["network"]["design_limits"] = {"max_velocity_m_per_s": 0.035}
    folder = tmp_path_factory.mktemp("tight")
    path = folder / "district.yaml"
    path.write_text(yaml.safe_dump(json.loads(json.dumps(doc, default=float))), encoding="utf-8")
    district = load_district(path)
    demand = district_demand(district, district_file=path)
    settings = RunSettings(sizing_options=SizingOptions(n_typical_periods=1), sensitivity=False)
    ctx = RunContext.of(district, path, demand=demand, settings=settings)
    stage, _ = run_stage("sizing", ctx, folder)
    run_stage("verification", ctx, folder)  # writes sizing/network_pandapipes.json
    return folder, stage


def test_the_design_loop_resolves_a_trench_with_parallel_pipes(tight):
    folder, stage = tight
    design = json.loads((folder / "sizing" / "design.json").read_text())
    loop = design["simulation_loop"]
    assert loop["buildable_as_is"] is True, loop["stop_reason"]
    assert loop["not_buildable_because"] == []
    assert all(not r.get("unresolved") for r in loop["rounds"])
    parallel = [e for e in design["edges"] if e["built"] and e["parallel_pipes"] >= 2]
    assert parallel, design["edges"]
    # the trench's peak needs more than one pipe of the largest size under this limit
    limit = 0.035
    big = [p for p in stage.inputs.pipes if p.parallel == 1][-1]
    assert max(e["peak_mdot_kg_per_s"] for e in parallel) > big.max_mdot_kg_per_s
    assert big.max_mdot_kg_per_s == pytest.approx(
        limit * RHO_15 * math.pi * (SPEC.loc[450, "di_mm"] / 1000) ** 2 / 4, rel=0.002
    )
    # the simulated year of the design keeps both limits, every pipe at its share of the flow
    year = stage.loop.verification.year
    ok = year.valid
    assert ok.mean() > 0.9
    assert float(np.nanmax(year.pipe_velocity_m_per_s[ok])) <= limit * (1 + 1e-6)
    gradient = year.pipe_dp_bar * 1e5 / year.pipes.length_m.to_numpy()
    assert float(np.nanmax(gradient[ok])) <= LIMITS.max_pressure_gradient_pa_per_m
    assert set(year.pipes.parallel_pipes) >= {2}
    # the edge table and the pandapipes net of the design show the count
    edges = pd.read_csv(folder / "sizing" / "edges.csv")
    assert (edges.parallel_pipes >= 2).any()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        net = pp.from_json(str(layout.SIZING_PANDAPIPES.under(folder)))
    built = edges[edges.built]
    assert len(net.pipe) == 2 * int(built.parallel_pipes.sum())
    for e in parallel:
        trench = f"{e['from_id']}-{e['to_id']}/"
        names = sorted(net.pipe.name[net.pipe.name.str.startswith(trench)])
        n = e["parallel_pipes"]
        lines = ("warm", "cold")
        assert names == sorted(f"{trench}{ln} ({i}/{n})" for ln in lines for i in range(1, n + 1))
        pipes = net.pipe[net.pipe.name.str.startswith(trench)]
        assert (pipes.inner_diameter_mm == SPEC.loc[e["dn_mm"], "di_mm"]).all()


def test_the_optimiser_offers_and_chooses_parallel_pipes_only_where_one_pipe_is_too_small():
    # 0.056 m/s: one DN 450 carries about 150 kW at the 6 K spread; a-b must carry more
    tight = replace(LIMITS, max_velocity_m_per_s=0.056)
    pipes = pipe_options(CATALOGUE, delta_t_k=6.0, limits=tight, max_parallel=3)
    largest_kw = max(p.max_heat_kw for p in pipes if p.parallel == 1)
    assert 140.0 < largest_kw < 160.0
    items = [
        sizing_cases.building("a", heat=400.0),
        sizing_cases.building("b", cool=330.0, x=50.0),
        sizing_cases.building("c", heat=60.0, x=90.0),
    ]
    inp = replace(sizing_cases.inputs(items, [("a", "b", 60.0), ("b", "c", 40.0)]), pipes=pipes)
    options = SizingOptions(n_typical_periods=None)
    sm = build_model(inp, sizing_cases.year_steps(inp), options=options)
    offered = {k: {pipes[d].parallel for d in opts} for k, opts in sm.edge_options.items()}
    assert offered[0] > {1} and offered[1] == {1}  # c's 60 kW fit one pipe
    result = solve_and_extract(sm)
    ab = next(e for e in result.edges if (e.from_id, e.to_id) == ("a", "b"))
    assert ab.built and ab.parallel_pipes >= 2
    assert ab.peak_flow_kw > largest_kw and ab.capacity_kw >= ab.peak_flow_kw - 1e-6
    chosen = next(p for p in pipes if (p.dn_mm, p.parallel) == (ab.dn_mm, ab.parallel_pipes))
    assert ab.capacity_kw == pytest.approx(chosen.max_heat_kw)
    # the cost line of the pipes counts the parallel option's cost per metre
    assert result.design_edges().parallel_pipes.tolist()[0] == ab.parallel_pipes


@pytest.mark.parametrize("bad", [0, 1.5])
def test_a_parallel_count_that_is_not_a_whole_number_from_one_is_refused(bad):
    edges = pd.DataFrame(
        {"from_id": ["ates"], "to_id": ["a"], "length_m": [10.0], "dn_mm": [110]}
        | {"parallel_pipes": [bad]}
    )
    with pytest.raises(InputError, match="parallel_pipes"):
        build_network(edges=edges, building_ids=["a"], balancing_id="ates", loop=LOOP)
