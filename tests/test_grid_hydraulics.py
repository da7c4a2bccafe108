import math

import numpy as np
import pandas as pd
import pytest

from tsg.common.errors import InputError
from tsg.grid.hydraulics import HydraulicsError, solve_hour
from tsg.grid.network import LoopSpec, build_network
from tsg.grid.pipe_catalogue import (
    catalogue_rows,
    installed_cost_eur_per_m,
    load_pipe_catalogue,
    material_cost_eur_per_m,
    size_pipe_by_rule,
    soil_heat_transfer_w_per_mk,
)
from tsg.grid.water_flow import (
    colebrook_friction_factor,
    pressure_gradient_pa_per_m,
    water_density_kg_per_m3,
    water_viscosity_pa_s,
)

CP_WATER = 4186.0  # J/(kg K), independent of pandapipes' property tables
LOOP = LoopSpec(t_warm_c=18.0, t_cold_c=12.0)


def swamee_jain(re, rel_rough):
    """Explicit friction factor (Swamee & Jain 1976), independent of the Colebrook solver."""
    return 0.25 / math.log10(rel_rough / 3.7 + 5.74 / re**0.9) ** 2


# --- catalogue ---------------------------------------------------------------------------


def test_shipped_catalogue_matches_formulas_and_has_sources():
    shipped = load_pipe_catalogue()
    fresh = catalogue_rows()
    num = [c for c in fresh.columns if c not in ("source", "note")]
    pd.testing.assert_frame_equal(
        shipped[num].reset_index(drop=True), fresh[num], check_dtype=False, atol=1e-9
    )
    assert shipped.source.str.len().gt(20).all()
    assert shipped.note.str.startswith("assumption").all()
    assert (shipped.di_mm < shipped.da_mm).all()
    # SDR 11: wall = DA/11 within EN 12201 rounding (0.1 mm)
    assert np.allclose(shipped.wall_mm, shipped.da_mm / 11, atol=0.15)


def test_costs_reproduce_data_md():
    # DATA.md: material about 31 EUR/m at DA110 and 164 EUR/m at DA250
    assert material_cost_eur_per_m(110) == pytest.approx(31, abs=0.5)
    assert material_cost_eur_per_m(250) == pytest.approx(164, abs=1.0)
    # installed unpaved DA32 104, DA50 120, DA80 146 EUR/m (fitted line, within 1.5 EUR/m)
    for da, cost in [(32, 104), (50, 120), (80, 146)]:
        assert installed_cost_eur_per_m(da, paved=False) == pytest.approx(cost, abs=1.5)
        assert installed_cost_eur_per_m(da, paved=True) > cost


def test_soil_heat_transfer_by_hand():
    # DA110/di90, depth 1 m: R_wall = ln(110/90)/(2 pi 0.4) = 0.07985 mK/W,
    # R_soil = acosh(2/0.11)/(2 pi 1.5) = 3.5933/9.4248 = 0.38127 mK/W -> U' = 2.1687 W/mK
    assert soil_heat_transfer_w_per_mk(da_mm=110, di_mm=90) == pytest.approx(2.1687, rel=1e-3)


def test_water_properties_against_tables():
    # IAPWS reference values: 998.21 kg/m3 and 1.0016 mPa s at 20 C; 999.70 / 1.3059 at 10 C
    assert water_density_kg_per_m3(20) == pytest.approx(998.21, abs=0.05)
    assert water_density_kg_per_m3(10) == pytest.approx(999.70, abs=0.05)
    assert water_viscosity_pa_s(20) == pytest.approx(1.0016e-3, rel=0.01)
    assert water_viscosity_pa_s(10) == pytest.approx(1.3059e-3, rel=0.01)


@pytest.mark.parametrize("re", [5e3, 3e4, 1e5, 1e6])
@pytest.mark.parametrize("rr", [1e-5, 1e-4, 1e-3])
def test_colebrook_against_swamee_jain(re, rr):
    # Swamee-Jain approximates Colebrook within 1-2 % in this range
    assert colebrook_friction_factor(reynolds=re, relative_roughness=rr) == pytest.approx(
        swamee_jain(re, rr), rel=0.02
    )


def test_colebrook_laminar_and_blasius():
    assert colebrook_friction_factor(reynolds=1000, relative_roughness=1e-4) == pytest.approx(0.064)
    # smooth pipe, Re = 1e5: Blasius 0.316 Re^-0.25 = 0.01777
    f = colebrook_friction_factor(reynolds=1e5, relative_roughness=0.0)
    assert f == pytest.approx(0.316 / 1e5**0.25, rel=0.02)


def test_size_pipe_by_rule_against_independent_check():
    cat = load_pipe_catalogue()
    mdot = 10.0  # kg/s, i.e. 250 kW at 6 K
    dn = size_pipe_by_rule(mdot, max_velocity_m_per_s=1.5, max_pressure_gradient_pa_per_m=100)
    rho, mu = 999.1, 1.138e-3  # water at 15 C
    ok = []
    for row in cat.itertuples():
        d = row.di_mm / 1000
        v = mdot / (rho * math.pi * d**2 / 4)
        re = rho * v * d / mu
        dpdx = swamee_jain(re, row.roughness_mm / row.di_mm) * rho * v**2 / (2 * d)
        if v <= 1.5 and dpdx <= 100:
            ok.append(row.dn_mm)
    assert dn == min(ok) == 160
    assert pressure_gradient_pa_per_m(mdot_kg_per_s=0.0, di_mm=90, roughness_mm=0.01) == 0.0
    with pytest.raises(InputError, match="no catalogue pipe"):
        size_pipe_by_rule(1e4, max_velocity_m_per_s=1.0, max_pressure_gradient_pa_per_m=50)
    with pytest.raises(InputError):
        size_pipe_by_rule(1.0, max_velocity_m_per_s=0, max_pressure_gradient_pa_per_m=50)


# --- network + hydraulics ----------------------------------------------------------------


def line_network(n_buildings, *, length_m=100.0, dn_mm=110, t_soil_c=10.0, loop=LOOP):
    ids = ["ates"] + [f"b{i}" for i in range(n_buildings)]
    edges = pd.DataFrame(
        {"from_id": ids[:-1], "to_id": ids[1:], "length_m": length_m, "dn_mm": dn_mm}
    )
    return build_network(
        edges=edges, building_ids=ids[1:], balancing_id="ates", loop=loop, t_soil_c=t_soil_c
    )


def assert_balanced(res):
    assert res.converged, res.reason
    assert res.energy_residual_rel < 5e-3
    delivered = res.buildings.heat_delivered_kw.sum()
    assert res.balancing_heat_kw + res.soil_gain_kw == pytest.approx(
        delivered, abs=5e-3 * max(1.0, res.buildings.heat_delivered_kw.abs().sum())
    )
    on = res.buildings["mode"] != "off"
    np.testing.assert_allclose(
        res.buildings.heat_delivered_kw[on], res.buildings.heat_requested_kw[on], rtol=1.5e-3
    )
    t = res.junctions.t_c[res.junctions.has_flow]
    assert t.between(min(LOOP.t_cold_c, 10.0) - 0.05, LOOP.t_warm_c + 0.05).all()


def test_single_pipe_pressure_drop_and_soil_loss_against_hand_calculation():
    length = 500.0
    net = line_network(1, length_m=length, dn_mm=110, t_soil_c=10.0)
    q_kw = 200.0
    res = solve_hour(net, building_heat_kw={"b0": q_kw})
    assert_balanced(res)
    warm = res.pipes[res.pipes.line == "warm"].iloc[0]
    mdot = abs(warm.mdot_kg_per_s)
    b = res.buildings.iloc[0]
    # heat pump evaporator: mdot = Q / (cp (t_in - 12 C)), t_in after the soil loss
    assert mdot == pytest.approx(q_kw * 1000 / (CP_WATER * (b.t_in_c - 12.0)), rel=0.005)
    assert warm.direction == 1  # ates -> b0 on the warm line
    # Darcy-Weisbach with Swamee-Jain and textbook water properties at the pipe temperature
    cat = load_pipe_catalogue().set_index("dn_mm").loc[110]
    d = cat.di_mm / 1000
    t_mean = 0.5 * (warm.t_in_c + warm.t_out_c)
    rho = water_density_kg_per_m3(t_mean)
    mu = water_viscosity_pa_s(t_mean)
    v = mdot / (rho * math.pi * d**2 / 4)
    re = rho * v * d / mu
    dp = swamee_jain(re, cat.roughness_mm / cat.di_mm) * length / d * rho * v**2 / 2
    assert warm.dp_bar * 1e5 == pytest.approx(dp, rel=0.03)
    assert warm.velocity_m_per_s == pytest.approx(v, rel=0.01)
    # soil loss: exponential decay towards the soil temperature with U' per metre
    t_out = 10.0 + (warm.t_in_c - 10.0) * math.exp(-cat.u_w_per_mk * length / (mdot * CP_WATER))
    assert warm.t_out_c == pytest.approx(t_out, abs=0.01 * (warm.t_in_c - t_out) + 1e-3)
    assert warm.t_in_c == pytest.approx(18.0, abs=1e-6)  # balancing unit supplies 18 C
    q_loss = cat.u_w_per_mk * length * (t_mean - 10.0) / 1000  # kW, linearised
    assert -warm.soil_gain_kw == pytest.approx(q_loss, rel=0.01)
    # heating building returns at the cold-line set point
    assert b.t_out_c == pytest.approx(12.0, abs=1e-6)
    assert res.balancing_direction == "heating"


def test_loads_cancel_balancing_unit_only_covers_soil():
    net = line_network(2, t_soil_c=10.0)
    res = solve_hour(net, building_heat_kw={"b0": 100.0, "b1": -100.0})
    assert_balanced(res)
    # buildings exchange 100 kW directly; the balancing unit only makes up the soil exchange
    assert abs(res.balancing_heat_kw) < 0.1 * 100
    assert res.balancing_heat_kw == pytest.approx(-res.soil_gain_kw, abs=0.5)
    mdot_bld = res.buildings.mdot_kg_per_s.mean()
    assert res.balancing_mdot_kg_per_s < 0.1 * mdot_bld


def test_loads_cancel_without_soil_exchange_is_exact():
    # with the soil at 15 C the pipes still exchange; with equal loads and no soil gradient
    # (soil at mean temperature) the balance is near zero in both directions
    net = line_network(2, t_soil_c=15.0)
    res = solve_hour(net, building_heat_kw={"b0": 50.0, "b1": -50.0})
    assert_balanced(res)
    assert abs(res.balancing_heat_kw) < 1.0


def test_net_heating_and_net_cooling_hours():
    net = line_network(3)
    heat = solve_hour(net, building_heat_kw={"b0": 120.0, "b1": -30.0, "b2": 60.0})
    assert_balanced(heat)
    assert heat.balancing_direction == "heating"
    assert heat.balancing_heat_kw == pytest.approx(150.0 - heat.soil_gain_kw, rel=1e-3)
    cool = solve_hour(net, building_heat_kw={"b0": 20.0, "b1": -150.0, "b2": -40.0})
    assert_balanced(cool)
    assert cool.balancing_direction == "cooling"
    assert cool.balancing_heat_kw < -160.0
    # cooling buildings deliver at the warm set point
    cb = cool.buildings[cool.buildings["mode"] == "cool"]
    np.testing.assert_allclose(cb.t_out_c, 18.0, atol=0.02)


def test_flow_reversal_between_consecutive_hours_and_no_memory():
    net = line_network(2)
    h1 = solve_hour(net, building_heat_kw={"b0": 100.0, "b1": -20.0})
    h2 = solve_hour(net, building_heat_kw={"b0": 20.0, "b1": -100.0})
    h3 = solve_hour(net, building_heat_kw={"b0": 100.0, "b1": -20.0})
    for h in (h1, h2, h3):
        assert_balanced(h)
    trunk = (h1.pipes.edge == 0) & (h1.pipes.line == "warm")
    assert h1.pipes.direction[trunk].item() == 1
    assert h2.pipes.direction[trunk].item() == -1
    assert h1.balancing_direction == "heating" and h2.balancing_direction == "cooling"
    # the same hour solved again gives the same numbers: no dependence on the previous hour
    assert h3.balancing_heat_kw == pytest.approx(h1.balancing_heat_kw, rel=1e-9)
    np.testing.assert_allclose(h3.junctions.t_c, h1.junctions.t_c, atol=1e-9)


@pytest.mark.parametrize(
    "loads",
    [[100.0, -100.0, 100.0, -100.0], [100.0, -100.0, -100.0, 100.0], [5.0, -100.0, 100.0, -5.0]],
)
def test_alternating_heating_and_cooling_near_zero_trunk_flow(loads):
    net = line_network(len(loads))
    res = solve_hour(net, building_heat_kw={f"b{i}": q for i, q in enumerate(loads)})
    assert_balanced(res)
    mdot_bld = res.buildings.mdot_kg_per_s.max()
    trunk = res.pipes[(res.pipes.edge == 0)]
    assert trunk.mdot_kg_per_s.abs().max() < 0.1 * mdot_bld
    # no local loop drifts: flowing junctions stay near their nominal line temperatures
    j = res.junctions[res.junctions.has_flow]
    warm = j[j.line == "warm"].t_c
    cold = j[j.line == "cold"].t_c
    assert warm.min() > 15.5 and cold.max() < 12.05 and cold.min() > 11.0
    assert abs(res.balancing_heat_kw + res.soil_gain_kw) < 5e-3 * sum(map(abs, loads))


def test_zero_load_junctions_are_nan_not_default_temperature():
    net = line_network(2)
    res = solve_hour(net, building_heat_kw={"b0": 50.0, "b1": 0.0})
    assert_balanced(res)
    far = res.junctions[res.junctions.node_id == "b1"]
    assert (~far.has_flow).all() and far.t_c.isna().all()
    assert res.buildings.set_index("building_id").loc["b1", "mode"] == "off"
    idle = solve_hour(net, building_heat_kw={})
    assert idle.converged and idle.balancing_direction == "idle"
    assert idle.junctions.t_c.isna().all()


def test_impossible_hour_is_flagged_or_raised():
    # 5 km of pipe to a tiny heating load in 2 C soil: the water arrives below 12.5 C and the
    # heat pump cannot return it at the 12 C set point
    net = line_network(1, length_m=5000.0, dn_mm=225, t_soil_c=2.0)
    with pytest.raises(HydraulicsError, match="less than"):
        solve_hour(net, building_heat_kw={"b0": 2.0})
    res = solve_hour(net, building_heat_kw={"b0": 2.0}, raise_on_failure=False)
    assert not res.converged and "less than" in res.reason
    assert math.isnan(res.balancing_heat_kw) and res.junctions.t_c.isna().all()


def test_input_errors():
    net = line_network(1)
    with pytest.raises(InputError, match="unknown building"):
        solve_hour(net, building_heat_kw={"nope": 1.0})
    with pytest.raises(InputError, match="finite"):
        solve_hour(net, building_heat_kw={"b0": float("nan")})
    edges = pd.DataFrame({"from_id": ["a"], "to_id": ["b"], "length_m": [10.0], "dn_mm": [111]})
    with pytest.raises(InputError, match="catalogue"):
        build_network(edges=edges, building_ids=["b"], balancing_id="a", loop=LOOP)
    edges["dn_mm"] = 110
    with pytest.raises(InputError, match="balancing"):
        build_network(edges=edges, building_ids=["a", "b"], balancing_id="a", loop=LOOP)
    with pytest.raises(InputError):
        LoopSpec(t_warm_c=12.0, t_cold_c=12.0)


def test_pump_power_and_branched_network():
    # star: ates in the middle, three buildings on branches of different length
    edges = pd.DataFrame(
        {
            "from_id": ["ates", "ates", "j", "j"],
            "to_id": ["j", "c", "a", "b"],
            "length_m": [200.0, 80.0, 120.0, 60.0],
            "dn_mm": [160, 90, 110, 90],
        }
    )
    net = build_network(edges=edges, building_ids=["a", "b", "c"], balancing_id="ates", loop=LOOP)
    res = solve_hour(net, building_heat_kw={"a": 150.0, "b": -60.0, "c": 40.0}, t_soil_c=8.0)
    assert_balanced(res)
    assert res.pipe_friction_w > 0 and res.pump_elec_kw > 0
    # friction power equals sum of V * dp over the pipes
    rho = 999.0
    v_dp = (res.pipes.mdot_kg_per_s.abs() / rho * res.pipes.dp_bar * 1e5).sum()
    assert res.pipe_friction_w == pytest.approx(v_dp, rel=0.01)
    assert res.max_velocity_m_per_s < 2.0
