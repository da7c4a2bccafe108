"""The vectorised tree solver against plain per-hour pandapipes (grid.hydraulics.solve_hour)."""

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from tsg.common.errors import InputError
from tsg.grid.fast_annual import simulate_year
from tsg.grid.fast_hydraulics import colebrook_lambda
from tsg.grid.hydraulics import solve_hour
from tsg.grid.network import LoopSpec, build_network, heating_return_k
from tsg.grid.sizing import SizingRule, size_edges_by_peak_flow
from tsg.grid.soil import soil_temperature_c
from tsg.grid.tree_flows import is_tree, tree_topology
from tsg.grid.water_flow import colebrook_friction_factor

LOOP = LoopSpec(t_warm_c=18.0, t_cold_c=12.0)


def line_network(n_buildings, *, length_m=100.0, dn_mm=110):
    ids = ["ates"] + [f"b{i}" for i in range(n_buildings)]
    edges = pd.DataFrame(
        {"from_id": ids[:-1], "to_id": ids[1:], "length_m": length_m, "dn_mm": dn_mm}
    )
    return build_network(edges=edges, building_ids=ids[1:], balancing_id="ates", loop=LOOP)


def star_network():
    # edges in mixed orientation so that from_id is sometimes the child
    edges = pd.DataFrame(
        {
            "from_id": ["j", "ates", "a", "b", "j"],
            "to_id": ["ates", "c", "j", "j", "d"],
            "length_m": [200.0, 80.0, 120.0, 60.0, 300.0],
            "dn_mm": [160, 90, 110, 90, 75],
        }
    )
    return build_network(
        edges=edges, building_ids=["a", "b", "c", "d"], balancing_id="ates", loop=LOOP
    )


def compare_with_pandapipes(network, loads, soil):
    """Run the fast solver on all hours, then pandapipes hour by hour; assert tolerances.

    pandapipes runs with a tight outer tolerance (rtol_load 1e-6 instead of 1e-3): with the
    default, each building load is only met within 0.1 %, which moves the balancing-unit load
    of a cancelling hour by more than 0.5 % of its (small) value; the comparison is about the
    model, not about solve_hour's stopping rule (checked separately below).
    """
    year = simulate_year(network, building_heat_kw=loads, t_soil_c=soil, fallback=False)
    assert year.valid.all(), year.hours.reason.tolist()
    assert (year.hours.solver == "fast").all()
    for k in range(len(loads)):
        hour = {"building_heat_kw": loads.iloc[k].to_dict(), "t_soil_c": float(soil.iloc[k])}
        ref = solve_hour(network, **hour, rtol_load=1e-6, max_iter=200)
        plain = solve_hour(network, **hour)  # default stopping rule: within rtol_load x gross
        gross = np.abs(loads.iloc[k]).sum()
        assert abs(plain.balancing_heat_kw - ref.balancing_heat_kw) <= 2e-3 * gross + 1e-6
        t_ref = ref.junctions.t_c.to_numpy()
        t_fast = year.t_node_c[k]
        np.testing.assert_array_equal(np.isnan(t_ref), np.isnan(t_fast))
        np.testing.assert_allclose(t_fast, t_ref, atol=0.05, equal_nan=True)
        h = year.hours.iloc[k]
        assert h.pump_elec_kw == pytest.approx(ref.pump_elec_kw, rel=0.01, abs=1e-6)
        assert h.balancing_heat_kw == pytest.approx(ref.balancing_heat_kw, rel=0.005, abs=0.01)
        assert h.soil_gain_kw == pytest.approx(ref.soil_gain_kw, rel=0.01, abs=0.02)
        assert h.balancing_direction == ref.balancing_direction
        assert h.energy_residual_rel < 1e-6
        np.testing.assert_allclose(
            year.pipe_mdot_kg_per_s[k], ref.pipes.mdot_kg_per_s, rtol=0.005, atol=1e-4
        )
        np.testing.assert_allclose(year.pipe_dp_bar[k], ref.pipes.dp_bar, rtol=0.01, atol=1e-7)
        np.testing.assert_allclose(
            year.bld_heat_delivered_kw[k], ref.buildings.heat_delivered_kw, rtol=2e-3, atol=1e-3
        )
    return year


def test_net_heating_net_cooling_cancelling_and_alternating_hours_match_pandapipes():
    loads = pd.DataFrame(
        [
            [120.0, -30.0, 60.0, 0.0],  # net heating
            [20.0, -150.0, -40.0, 10.0],  # net cooling
            [50.0, -50.0, 0.0, 0.0],  # loads cancel exactly
            [100.0, -100.0, 100.0, -100.0],  # alternating, near-zero trunk flow
            [5.0, -100.0, 100.0, -5.0],  # alternating with a tiny end load
            [0.0, 0.0, 0.0, 0.0],  # idle hour
        ],
        columns=["b0", "b1", "b2", "b3"],
    )
    soil = pd.Series([4.0, 15.0, 10.0, 10.0, 8.0, 10.0])
    year = compare_with_pandapipes(line_network(4), loads, soil)
    alternating = year.pipe_mdot_kg_per_s[3][:2]  # trunk edge, both lines
    assert np.abs(alternating).max() < 0.1 * year.bld_mdot_kg_per_s[3].max()
    assert year.hours.balancing_direction.iloc[5] == "idle"
    assert np.isnan(year.t_node_c[5]).all()


def test_flow_reversal_between_consecutive_hours_on_a_branched_tree():
    loads = pd.DataFrame(
        {
            "a": [150.0, -20.0, 150.0, 60.0],
            "b": [-60.0, -120.0, -60.0, 60.0],
            "c": [40.0, 10.0, 40.0, -200.0],
            "d": [30.0, -90.0, 0.0, 25.0],
        }
    )
    soil = pd.Series([6.0, 14.0, 9.0, 11.0])
    year = compare_with_pandapipes(star_network(), loads, soil)
    trunk = (year.pipes.edge == 0) & (year.pipes.line == "warm")
    signs = np.sign(year.pipe_mdot_kg_per_s[:, trunk.to_numpy()]).ravel()
    assert signs[0] != signs[1] and signs[1] != signs[2]
    assert list(year.hours.balancing_direction[:2]) == ["heating", "cooling"]


def test_meshed_network_falls_back_to_pandapipes():
    edges = pd.DataFrame(
        {
            "from_id": ["ates", "a", "b", "ates"],
            "to_id": ["a", "b", "c", "c"],
            "length_m": [100.0, 80.0, 90.0, 120.0],
            "dn_mm": [110, 110, 110, 110],
        }
    )
    net = build_network(edges=edges, building_ids=["a", "b", "c"], balancing_id="ates", loop=LOOP)
    loads = pd.DataFrame({"a": [60.0, -30.0], "b": [-20.0, -40.0], "c": [30.0, 10.0]})
    year = simulate_year(net, building_heat_kw=loads, t_soil_c=10.0)
    assert (year.hours.solver == "pandapipes").all() and year.valid.all()
    assert year.hours.energy_residual_rel.max() < 5e-3


def test_impossible_hour_is_resolved_then_flagged_with_nan():
    edges = pd.DataFrame(
        {"from_id": ["ates"], "to_id": ["x"], "length_m": [5000.0], "dn_mm": [225]}
    )
    net = build_network(edges=edges, building_ids=["x"], balancing_id="ates", loop=LOOP)
    loads = pd.DataFrame({"x": [2.0, 500.0]})
    year = simulate_year(net, building_heat_kw=loads, t_soil_c=2.0)
    assert list(year.valid) == [False, True]
    reason = year.hours.reason.iloc[0]
    assert "fast solver" in reason and "pandapipes" in reason and "less than" in reason
    assert year.hours.solver.iloc[0] == "pandapipes"
    assert math.isnan(year.hours.balancing_heat_kw.iloc[0])
    assert np.isnan(year.t_node_c[0]).all() and np.isnan(year.pipe_mdot_kg_per_s[0]).all()
    no_fallback = simulate_year(net, building_heat_kw=loads, t_soil_c=2.0, fallback=False)
    assert no_fallback.hours.reason.iloc[0].startswith("fast solver")
    assert not no_fallback.valid[0] and no_fallback.valid[1]


def test_long_tables_and_input_errors():
    net = line_network(2)
    loads = pd.DataFrame({"b0": [50.0, 10.0], "b1": [-20.0, -60.0]})
    year = simulate_year(net, building_heat_kw=loads, t_soil_c=pd.Series([9.0, 12.0]))
    assert len(year.nodes_long()) == 2 * 6 and len(year.pipes_long()) == 2 * 4
    b = year.buildings_long()
    assert list(b["mode"]) == [1, -1, 1, -1]
    with pytest.raises(InputError, match="unknown"):
        simulate_year(net, building_heat_kw=pd.DataFrame({"zz": [1.0]}), t_soil_c=10.0)
    with pytest.raises(InputError, match="finite"):
        simulate_year(net, building_heat_kw=pd.DataFrame({"b0": [np.nan]}), t_soil_c=10.0)
    with pytest.raises(InputError, match="index"):
        simulate_year(net, building_heat_kw=loads, t_soil_c=pd.Series([1.0, 2.0], index=[5, 6]))


def test_subtree_flows_against_networkx():
    edges = pd.DataFrame(
        {"from_id": ["r", "b", "b", "d"], "to_id": ["b", "c", "d", "e"], "length_m": 1.0}
    )
    ids = ["r", "b", "c", "d", "e"]
    topo = tree_topology(edges, node_ids=ids, root_id="r")
    rng = np.random.default_rng(3)
    withdrawal = rng.normal(size=(5, 5))
    flows = topo.downward_flows(withdrawal)
    graph = nx.from_pandas_edgelist(edges, "from_id", "to_id")
    for c, nid in enumerate(ids[1:], start=1):
        below = nx.descendants(nx.bfs_tree(graph, "r"), nid) | {nid}
        expected = withdrawal[:, [ids.index(n) for n in below]].sum(axis=1)
        np.testing.assert_allclose(flows[:, c], expected)
    assert is_tree(edges, ids)
    meshed = pd.concat([edges, pd.DataFrame([{"from_id": "c", "to_id": "e", "length_m": 1.0}])])
    assert not is_tree(meshed, ids)


@pytest.mark.parametrize("re", [3e3, 3e4, 3e5, 3e6])
def test_vectorised_colebrook_matches_scalar_solver(re):
    # the scalar solver uses k/(3.7 d), pandapipes (and the fast solver) k/(3.71 d)
    got = colebrook_lambda(np.array([re]), 1e-4 * 3.71 / 3.7)[0]
    assert got == pytest.approx(colebrook_friction_factor(reynolds=re, relative_roughness=1e-4))


def test_soil_temperature_is_damped_and_lagged_air_harmonic():
    index = pd.date_range("2025-01-01", periods=8760, freq="h", tz="Europe/Amsterdam")
    day = np.asarray(index.dayofyear - 1) + np.asarray(index.hour) / 24
    air = pd.Series(10.0 - 8.0 * np.cos(2 * np.pi * (day - 20) / 365.25), index=index)
    soil = soil_temperature_c(air, depth_m=1.0)
    assert soil.mean() == pytest.approx(10.0, abs=0.05)
    d = math.sqrt(0.05 * 365.25 / math.pi)
    assert (soil.max() - soil.min()) / 2 == pytest.approx(8.0 * math.exp(-1 / d), rel=0.01)
    lag_days = (soil.idxmin() - air.idxmin()).total_seconds() / 86400
    assert lag_days == pytest.approx(365.25 / (2 * math.pi) / d, abs=1.0)
    with pytest.raises(InputError):
        soil_temperature_c(air.iloc[:100])


def test_sizing_by_peak_flow():
    edges = pd.DataFrame({"from_id": ["ates", "a"], "to_id": ["a", "b"], "length_m": [50.0, 50.0]})
    loads = pd.DataFrame({"a": [100.0, -300.0], "b": [250.0, 0.0]})
    out = size_edges_by_peak_flow(edges, building_heat_kw=loads, balancing_id="ates", delta_t_k=6)
    m = 1.1 * 1000 / (4186 * 6)
    np.testing.assert_allclose(out.design_mdot_kg_per_s, [350 * m, 250 * m])
    assert out.dn_mm.iloc[0] >= out.dn_mm.iloc[1] and not out.undersized.any()
    huge = pd.DataFrame({"a": [1e5], "b": [0.0]})
    with pytest.raises(InputError, match="no catalogue pipe"):
        size_edges_by_peak_flow(edges, building_heat_kw=huge, balancing_id="ates", delta_t_k=6)
    capped = size_edges_by_peak_flow(
        edges, building_heat_kw=huge, balancing_id="ates", delta_t_k=6, allow_undersized=True
    )
    assert capped.undersized.iloc[0] and capped.dn_mm.iloc[0] == 450
    with pytest.raises(InputError):
        SizingRule(flow_margin=0.9)


def low_supply_branch_network():
    # a small heating load at the end of a long branch: in cold soil its warm water cools
    # towards the soil temperature before it arrives
    edges = pd.DataFrame(
        {
            "from_id": ["ates", "j", "j", "j"],
            "to_id": ["j", "big", "homes", "office"],
            "length_m": [150.0, 60.0, 1200.0, 80.0],
            "dn_mm": [160, 110, 110, 90],
        }
    )
    return build_network(
        edges=edges, building_ids=["big", "homes", "office"], balancing_id="ates", loop=LOOP
    )


def test_low_supply_branch_returns_below_the_cold_line_and_matches_pandapipes():
    loads = pd.DataFrame(
        {
            "big": [150.0, 100.0, -60.0, 150.0, 80.0],
            "homes": [3.0, 8.0, 2.0, 1.0, 0.5],
            "office": [0.0, -30.0, -40.0, -10.0, 0.0],
        }
    )
    soil = pd.Series([8.0, 9.0, 6.0, 5.0, 6.0])
    year = compare_with_pandapipes(low_supply_branch_network(), loads, soil)
    homes = year.building_ids.index("homes")
    t_in, t_out = year.bld_t_in_c[:, homes], year.bld_t_out_c[:, homes]
    # the water arrives less than 3 K above the 12 degC cold line in every hour ...
    assert np.all(t_in < LOOP.t_cold_c + LOOP.min_evaporator_delta_t_k)
    # ... so the heat pump cools it by 3 K (hours 0-1), but not below 4 degC (hours 2-4)
    np.testing.assert_allclose(t_out, np.maximum(t_in - 3.0, 4.0), atol=1e-6)
    assert np.all(t_out < LOOP.t_cold_c) and np.all(t_out >= LOOP.min_return_c - 1e-9)
    np.testing.assert_allclose(year.bld_heat_delivered_kw[:, homes], loads.homes, rtol=1e-6)
    # a cooling building downstream on the cold line gets the colder mixed water
    office = year.building_ids.index("office")
    assert year.bld_t_in_c[2, office] < LOOP.t_cold_c - 0.1


def test_heating_return_rule_and_its_limits():
    t_in_k = np.array([18.0, 15.0, 14.0, 9.0, 6.0, 3.0]) + 273.15
    got = heating_return_k(t_in_k, LOOP) - 273.15
    np.testing.assert_allclose(got, [12.0, 12.0, 11.0, 6.0, 4.0, 4.0])
    # never above the cold line, even when the cold line lies below the floor
    cold = LoopSpec(t_warm_c=6.0, t_cold_c=3.0)
    assert heating_return_k(20.0 + 273.15, cold) == pytest.approx(3.0 + 273.15)
    assert heating_return_k(5.0 + 273.15, cold) == pytest.approx(3.0 + 273.15)
    with pytest.raises(InputError, match="min_evaporator_delta_t_k"):
        LoopSpec(min_evaporator_delta_t_k=0.0)
    with pytest.raises(InputError, match="min_return_c"):
        LoopSpec(min_return_c=-1.0)
