"""The design loop's candidates: a layout repaired by an LP, and the full solve that judges it."""

import json
from dataclasses import replace

import pytest
import yaml
from stage_helpers import add_ates

from tsg.demand import district_demand
from tsg.design_candidates import (
    REPAIRED_STATUS,
    BackgroundCertificate,
    certify,
    repaired_design,
)
from tsg.district import load_district
from tsg.optimisation.sizing import SizingOptions, build_model, solve_and_extract
from tsg.optimisation.sizing.layout import layout_values
from tsg.optimisation.sizing.periods import time_steps
from tsg.sizing_inputs import sizing_inputs
from tsg.synthetic import synthetic_district_document

OPTIONS = SizingOptions(n_typical_periods=4, mip_gap=1e-4)


@pytest.fixture(scope="module")
def designed(tmp_path_factory):
    """Three buildings around an ATES, solved to a 0.01 % gap on 4 typical days."""
    doc = synthetic_district_document(n_buildings=3, seed=11, n_partners=1)
    add_ates(doc, north_deg=0.0004, flow_m3_per_h=60)
    path = tmp_path_factory.mktemp("three") / "district.yaml"
    path.write_text(yaml.safe_dump(json.loads(json.dumps(doc, default=float))), encoding="utf-8")
    district = load_district(path)
    inputs = sizing_inputs(district, district_demand(district, district_file=path))
    steps = time_steps(inputs, n_periods=OPTIONS.n_typical_periods)
    design = solve_and_extract(build_model(inputs, steps, options=OPTIONS))
    built = [e for e in design.edges if e.built]
    assert built, "the test needs a grid"
    return inputs, steps, design


def _with_largest_pipe_floor(inputs, edge):
    """The inputs with the trench ``edge`` asked for the catalogue's largest single pipe."""
    largest = max(p.dn_mm for p in inputs.pipes if p.parallel == 1)
    key = frozenset((edge.from_id, edge.to_id))
    edges = tuple(
        replace(e, min_dn_mm=largest) if frozenset((e.from_id, e.to_id)) == key else e
        for e in inputs.edges
    )
    return replace(inputs, edges=edges), largest


def test_the_layout_keeps_connections_and_lifts_a_floored_trench_to_its_smallest_option(designed):
    inputs, steps, design = designed
    edge = next(e for e in design.edges if e.built)
    floored, largest = _with_largest_pipe_floor(inputs, edge)
    sm = build_model(floored, steps, options=OPTIONS)
    values = layout_values(sm, design)
    m = sm.model
    connected = set(design.connected_buildings)
    for b, bld in enumerate(floored.buildings):
        assert values[m.y[b]] == (1.0 if bld.building_id in connected else 0.0)
    built = {
        frozenset((e.from_id, e.to_id)): (e.dn_mm, e.parallel_pipes)
        for e in design.edges
        if e.built
    }
    for k, e in enumerate(floored.edges):
        key = frozenset((e.from_id, e.to_id))
        chosen = [floored.pipes[d] for d in sm.edge_options[k] if values[m.x[k, d]] == 1.0]
        if key not in built:
            assert chosen == []
        elif key == frozenset((edge.from_id, edge.to_id)):
            # the floor left out the design's pipe: the smallest offered one carries the floor
            assert [(p.dn_mm, p.parallel) for p in chosen] == [(largest, 1)]
        else:
            assert [(p.dn_mm, p.parallel) for p in chosen] == [built[key]]


def test_repairing_a_design_on_its_own_inputs_reproduces_its_cost(designed):
    inputs, steps, design = designed
    _, repaired, kind = repaired_design(inputs, steps, OPTIONS, design, design.reference_costs)
    assert kind == "repaired"
    assert repaired.solve.status == REPAIRED_STATUS
    assert repaired.connected_buildings == design.connected_buildings
    # the same layout leaves the same LP: the same optimum
    assert repaired.design.cost_eur_per_yr == pytest.approx(design.design.cost_eur_per_yr, rel=1e-6)


def test_a_repaired_design_is_certified_only_within_the_gap_of_the_full_solve(designed):
    inputs, steps, design = designed
    edge = next(e for e in design.edges if e.built)
    floored, largest = _with_largest_pipe_floor(inputs, edge)
    _, candidate, _ = repaired_design(floored, steps, OPTIONS, design, design.reference_costs)
    repaired_edge = next(
        e for e in candidate.edges if {e.from_id, e.to_id} == {edge.from_id, edge.to_id}
    )
    assert repaired_edge.dn_mm == largest
    assert candidate.design.cost_eur_per_yr > design.design.cost_eur_per_yr
    # judged on its own (floored) inputs, the candidate is the optimum's layout: certified
    own = certify(floored, steps, OPTIONS, candidate, design.reference_costs)
    assert own.certified
    assert own.candidate.solve.bound_eur_per_yr <= candidate.design.cost_eur_per_yr + 1e-6
    assert own.candidate.solve.gap <= OPTIONS.mip_gap
    # judged on the inputs without the floor, the design solved there is cheaper by more than
    # the gap: not certified, and the full solve's design is the cheaper one
    free = certify(inputs, steps, OPTIONS, candidate, design.reference_costs)
    excess = candidate.design.cost_eur_per_yr - design.design.cost_eur_per_yr
    assert excess > OPTIONS.mip_gap * candidate.design.cost_eur_per_yr
    assert not free.certified
    assert free.candidate.solve.gap > OPTIONS.mip_gap
    assert free.design.design.cost_eur_per_yr < candidate.design.cost_eur_per_yr
    assert free.candidate.design.cost_eur_per_yr == candidate.design.cost_eur_per_yr
    assert free.cheaper_eur_per_yr == pytest.approx(excess, rel=1e-6)
    assert "cheaper" in free.why_not_certified() and own.why_not_certified() == ""
    # a full solve that finds the candidate again but cannot prove the gap (e.g. at its time
    # limit) is no new design to simulate: the loop keeps the candidate and says why
    unproven = replace(own, certified=False)
    assert unproven.cheaper_eur_per_yr == 0.0
    assert "found no cheaper layout" in unproven.why_not_certified()


def test_the_full_solve_alongside_certifies_as_the_full_solve_here(designed):
    inputs, steps, design = designed
    here = certify(inputs, steps, OPTIONS, design, design.reference_costs)
    alongside = BackgroundCertificate(inputs, steps, OPTIONS, design, design.reference_costs)
    got = alongside.result()
    assert got.alongside and not alongside.running
    assert got.certified == here.certified
    assert got.candidate.solve.bound_eur_per_yr == pytest.approx(
        here.candidate.solve.bound_eur_per_yr, rel=1e-9
    )
    assert got.design.design.cost_eur_per_yr == pytest.approx(
        here.design.design.cost_eur_per_yr, rel=1e-9
    )
    assert got.model.inputs is inputs  # rebuilt here for later re-solves
    # a candidate that failed its year: the solve alongside is stopped, no process is left
    stopped = BackgroundCertificate(inputs, steps, OPTIONS, design, design.reference_costs)
    stopped.cancel()
    assert not stopped.running


def test_a_trench_flow_limit_bounds_the_optimisers_flow_and_own_units_cover_the_rest(designed):
    inputs, steps, design = designed
    edge = max((e for e in design.edges if e.built), key=lambda e: e.peak_flow_kw)
    limit_kw = 0.5 * edge.peak_flow_kw
    key = frozenset((edge.from_id, edge.to_id))
    limited = replace(
        inputs,
        edges=tuple(
            replace(e, max_heat_kw=limit_kw) if frozenset((e.from_id, e.to_id)) == key else e
            for e in inputs.edges
        ),
    )
    _, capped, _ = repaired_design(limited, steps, OPTIONS, design, design.reference_costs)
    after = next(e for e in capped.edges if frozenset((e.from_id, e.to_id)) == key)
    assert after.peak_flow_kw <= limit_kw * (1 + 1e-6)
    assert after.dn_mm == edge.dn_mm  # the pipe stays; only its flow is limited
    # less through the trench: the buildings' own units take over, at a cost
    own = sum(b.reference_heating_kw + b.reference_cooling_kw for b in capped.buildings)
    own_before = sum(b.reference_heating_kw + b.reference_cooling_kw for b in design.buildings)
    assert own > own_before
    assert capped.design.cost_eur_per_yr > design.design.cost_eur_per_yr


def test_a_flow_limit_must_be_positive():
    from tsg.common.errors import InputError
    from tsg.optimisation.sizing.inputs import EdgeInput

    with pytest.raises(InputError, match="max_heat_kw must be positive"):
        EdgeInput("a", "b", 10.0, max_heat_kw=0.0)
    with pytest.raises(InputError, match="max_heat_kw"):
        EdgeInput("a", "b", 10.0, max_heat_kw=float("nan"))
