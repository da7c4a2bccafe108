"""The handover to the simulation: balancing cap, plant and storage dispatch, ATES balance.

Every expectation is computed by hand from a small load table.
"""

import numpy as np
import pandas as pd
import pytest


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
