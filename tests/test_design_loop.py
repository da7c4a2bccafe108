"""The design with its annual simulation in the loop: cuts from failed checks, re-solves."""

import json
import math

import numpy as np
import pandas as pd
import pytest
import yaml
from stage_helpers import run_sizing

from tsg.demand import district_demand
from tsg.design_cuts import design_cuts
from tsg.district import load_district
from tsg.grid.design_limits import load_design_limits
from tsg.grid.pipe_catalogue import load_pipe_catalogue
from tsg.grid.water_flow import pressure_gradient_pa_per_m, water_density_kg_per_m3
from tsg.grid.year_result import HOUR_COLUMNS, YearResult
from tsg.optimisation.sizing import SizingOptions, pipe_options
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
    # the cut size carries the peak within both limits, the next smaller one does not
    assert _within_limits(cut.min_dn_mm, peak)
    smaller = sizes[sizes.index(cut.min_dn_mm) - 1]
    assert not _within_limits(smaller, peak)


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
    assert frozenset(("ates", "c")) not in new  # not on b's path
    saved = sum(
        _friction_bar(90, 4.0, 300.0) - _friction_bar(new.get(frozenset((a, b)), 90), 4.0, 300.0)
        for a, b, _, _ in trenches[:2]
    )
    assert saved >= missing


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    doc = synthetic_district_document(n_buildings=4, seed=3, n_partners=2)
    first = doc["buildings"][0]["location"]
    doc["sources"] = [
        {
            "type": "ates",
            "id": "ates",
            "name": "ATES",
            "partner": doc["partners"][0]["id"],
            "location": {
                "latitude_deg": float(first["latitude_deg"]) + 0.0003,
                "longitude_deg": float(first["longitude_deg"]),
            },
            "max_flow_m3_per_h": 100,
            "warm_well_c": 16.0,
            "cold_well_c": 9.0,
        }
    ]
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
