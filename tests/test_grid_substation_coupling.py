"""Substations evaluated at the delivered temperatures (grid.substation_coupling)."""

import numpy as np
import pandas as pd
import pytest

from tsg.common.errors import InputError
from tsg.grid.network import LoopSpec, build_network
from tsg.grid.substation import SubstationSpec, substation_loads
from tsg.grid.substation_coupling import simulate_year_coupled, substations_at_inlet

LOOP = LoopSpec(t_warm_c=18.0, t_cold_c=12.0)


def branch_network():
    edges = pd.DataFrame(
        {
            "from_id": ["ates", "j", "j"],
            "to_id": ["j", "office", "homes"],
            "length_m": [150.0, 80.0, 1200.0],
            "dn_mm": [160, 110, 110],
        }
    )
    return build_network(
        edges=edges, building_ids=["office", "homes"], balancing_id="ates", loop=LOOP
    )


def demand_tables():
    homes = pd.DataFrame(
        {"heat_kw": [6.0, 3.0, 0.0], "dhw_kw": [1.0, 1.0, 0.0], "cool_kw": [0.0, 0.0, 0.0]}
    )
    office = pd.DataFrame(
        {"heat_kw": [200.0, 0.0, 20.0], "dhw_kw": [0.0, 0.0, 0.0], "cool_kw": [0.0, 90.0, 20.0]}
    )
    return {"homes": homes, "office": office}


SPECS = {
    "homes": SubstationSpec(t_heating_supply_c=35.0),
    "office": SubstationSpec(t_heating_supply_c=45.0),
}


def test_cop_follows_the_delivered_temperature_and_balances_close():
    demand = demand_tables()
    soil = pd.Series([6.0, 8.0, 10.0])
    out = simulate_year_coupled(branch_network(), demand=demand, specs=SPECS, t_soil_c=soil)
    assert out.year.valid.all() and out.max_load_change_kw <= 0.1 and out.passes <= 5
    nominal = {
        b: substation_loads(demand[b], spec=SPECS[b], t_warm_c=18.0, t_cold_c=12.0) for b in demand
    }
    homes, got = nominal["homes"], out.substations["homes"]
    k = out.year.building_ids.index("homes")
    # the homes get cold water at the end of their branch: lower COP, more electricity ...
    assert np.all(out.year.bld_t_in_c[:2, k] < LOOP.t_cold_c + 3.0)
    assert np.all(got.cop_heating[:2] < homes.cop_heating[:2] - 0.5)
    assert np.all(got.elec_kw[:2] > homes.elec_kw[:2])
    # ... and less heat from the loop for the same heat delivered (substation balance exact)
    np.testing.assert_allclose(
        got.network_extract_kw + got.elec_heating_kw + got.elec_dhw_kw,
        demand["homes"].heat_kw + demand["homes"].dhw_kw,
    )
    np.testing.assert_allclose(out.loads_kw.homes[:2], got.network_heat_kw[:2], atol=0.1)
    # the office (net cooling in hour 1, its own cooling and heating cancel in hour 2)
    office = out.substations["office"]
    assert office.network_inject_kw[1] == pytest.approx(90.0)  # free cooling at 12 degC
    assert office.elec_kw[2] == pytest.approx(nominal["office"].elec_kw[2], rel=1e-6)
    assert out.year.hours.energy_residual_rel.max() < 5e-3


def test_missing_spec_is_an_input_error():
    demand = demand_tables()
    out = simulate_year_coupled(
        branch_network(), demand=demand, specs=SPECS, t_soil_c=10.0, max_passes=1
    )
    assert out.passes == 1
    with pytest.raises(InputError, match="homes"):
        substations_at_inlet(
            out.year, demand=demand, specs={"office": SPECS["office"]}, t_warm_c=18, t_cold_c=12
        )
