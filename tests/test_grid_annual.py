import numpy as np
import pandas as pd
import pytest

from tsg.common.errors import InputError
from tsg.grid.annual import simulate_hours
from tsg.grid.network import LoopSpec, build_network


def small_net():
    ids = ["ates", "a", "b", "c"]
    edges = pd.DataFrame({"from_id": ids[:-1], "to_id": ids[1:], "length_m": 80.0, "dn_mm": 110})
    return build_network(edges=edges, building_ids=ids[1:], balancing_id="ates", loop=LoopSpec())


def profile():
    base = pd.DataFrame(
        {
            "a": [80.0, 0.0, 40.0, 80.0],
            "b": [-20.0, -90.0, -40.0, -20.0],
            "c": [30.0, 10.0, 0.0, 30.0],
        }
    )
    return pd.concat([base, base], ignore_index=True)  # 8 hours, 3 distinct


def test_reuse_gives_identical_numbers_to_plain_run():
    loads = profile()
    soil = pd.Series(10.0, index=loads.index)
    fast = simulate_hours(small_net(), building_heat_kw=loads, t_soil_c=soil)
    plain = simulate_hours(
        small_net(), building_heat_kw=loads, t_soil_c=soil, reuse_identical_hours=False
    )
    assert fast.converged.all() and plain.converged.all()
    assert (~fast.reused).sum() == 3
    num = ["balancing_heat_kw", "soil_gain_kw", "pump_elec_kw", "energy_residual_kw"]
    np.testing.assert_allclose(fast[num].to_numpy(), plain[num].to_numpy(), rtol=0, atol=1e-9)
    assert (fast.energy_residual_rel < 5e-3).all()
    assert list(fast.balancing_direction[:2]) == ["heating", "cooling"]


def test_rounding_error_bound_and_flagged_hours():
    loads = profile() + 0.004  # rounding to 0.01 kW moves each load by < 0.005 kW
    exact = simulate_hours(small_net(), building_heat_kw=loads, t_soil_c=10.0)
    coarse = simulate_hours(
        small_net(), building_heat_kw=loads, t_soil_c=10.0, load_resolution_kw=0.01
    )
    # every hour is valid, also those where building c asks for only 0.004 kW at the end of
    # the line (its heat pump returns the water below the cold line if it arrives too cold)
    assert exact.converged.all() and coarse.converged.all()
    # the balancing-unit load moves by at most n_buildings x resolution / 2 plus the change
    # of the soil exchange (c switching off changes the flow in its pipe)
    d_soil = exact.soil_gain_kw - coarse.soil_gain_kw
    diff = (exact.balancing_heat_kw - coarse.balancing_heat_kw + d_soil).abs().max()
    assert diff <= 3 * 0.005 + 2e-3
    # an impossible hour is kept and flagged, never dropped
    far = build_network(
        edges=pd.DataFrame(
            {"from_id": ["ates"], "to_id": ["x"], "length_m": [5000.0], "dn_mm": [225]}
        ),
        building_ids=["x"],
        balancing_id="ates",
        loop=LoopSpec(),
    )
    out = simulate_hours(far, building_heat_kw=pd.DataFrame({"x": [2.0, 500.0]}), t_soil_c=2.0)
    assert list(out.converged) == [False, True]
    assert np.isnan(out.balancing_heat_kw.iloc[0]) and out.reason.iloc[0]


def test_annual_input_errors():
    with pytest.raises(InputError, match="unknown"):
        simulate_hours(small_net(), building_heat_kw=pd.DataFrame({"z": [1.0]}), t_soil_c=10)
    with pytest.raises(InputError, match="index"):
        simulate_hours(
            small_net(),
            building_heat_kw=pd.DataFrame({"a": [1.0]}),
            t_soil_c=pd.Series([10.0], index=[5]),
        )
