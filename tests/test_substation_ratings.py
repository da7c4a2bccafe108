"""Substation machines at published rating points; simulation and optimiser on one formula.

Reference ranges (EN 14511 rating conditions, water-to-water units, as found on manufacturers'
data sheets of units of some tens to hundreds of kW):

* heat pump W10/W35 (source water in 10 degC, out 7 degC; sink water out 35 degC): COP about
  4.5-6.5;
* heat pump W10/W45 (same source; sink water out 45 degC): COP about 3.5-5.0;
* water-cooled chiller, chilled water 12/7 degC, condenser water 30/35 degC: EER about 4.0-6.0
  (Eurovent certified water-cooled chillers mostly lie in this band).

shared/DESIGN.md section 4a adds the physical reading: real machines reach about 0.4-0.55 of the
Carnot COP at their refrigerant temperatures, with a 2-3 K approach on the source side.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sizing_cases import TECH, building, inputs, year_steps

from tsg.common.units import C_TO_K
from tsg.grid.substation import substation_loads
from tsg.optimisation.sizing.performance import coefficients, loop_substation_spec
from tsg.simulation_inputs import CARNOT_EFFICIENCY


def _one_hour(heat_kw: float, dhw_kw: float, cool_kw: float) -> pd.DataFrame:
    return pd.DataFrame({"heat_kw": [heat_kw], "dhw_kw": [dhw_kw], "cool_kw": [cool_kw]})


def _catalogue_spec(*, heating_c: float = 35.0, cooling_c: float = 7.0):
    return loop_substation_spec(
        heating_supply_c=heating_c,
        dhw_supply_c=60.0,
        cooling_supply_c=cooling_c,
        technologies=TECH,
    )


def test_catalogue_approaches_are_within_the_cited_band():
    hp = TECH.building_heat_pump
    for approach_k in (
        hp.evaporator_approach_k,
        hp.condenser_approach_k,
        TECH.heat_exchanger_approach_k,
    ):
        assert 2.0 <= approach_k <= 3.0


@pytest.mark.parametrize(
    ("sink_c", "low", "high"),
    [(35.0, 4.5, 6.5), (45.0, 3.5, 5.0)],
    ids=["W10/W35", "W10/W45"],
)
def test_heat_pump_cop_at_en14511_water_rating_points(sink_c, low, high):
    # source water 10 -> 7 degC: the loop's warm line at 10, cold line at 7
    spec = _catalogue_spec(heating_c=sink_c)
    out = substation_loads(_one_hour(100.0, 0.0, 0.0), spec=spec, t_warm_c=10.0, t_cold_c=7.0)
    cop = float(out.cop_heating.iloc[0])
    assert low <= cop <= high
    # independent hand calculation at the refrigerant temperatures
    t_evap_k = 7.0 - TECH.building_heat_pump.evaporator_approach_k + C_TO_K
    t_cond_k = sink_c + TECH.building_heat_pump.condenser_approach_k + C_TO_K
    eta = TECH.building_heat_pump.carnot_efficiency
    assert cop == pytest.approx(eta * t_cond_k / (t_cond_k - t_evap_k), rel=1e-12)
    # the approaches cost efficiency: against Carnot at the water temperatures the COP
    # reaches less than eta
    carnot_water = (sink_c + C_TO_K) / (sink_c - 7.0)
    assert cop / carnot_water < eta


def test_chiller_eer_at_7_12_chilled_water():
    # chilled water supply 7 degC; condenser water 30 -> 35 degC (cold line 30, warm line 35)
    spec = _catalogue_spec(cooling_c=7.0)
    out = substation_loads(_one_hour(0.0, 0.0, 100.0), spec=spec, t_warm_c=35.0, t_cold_c=30.0)
    assert not out.free_cooling.iloc[0]
    eer = float(out.eer_cooling.iloc[0])
    assert 4.0 <= eer <= 6.0
    t_evap_k = 7.0 - TECH.building_heat_pump.evaporator_approach_k + C_TO_K
    t_cond_k = 35.0 + TECH.building_heat_pump.condenser_approach_k + C_TO_K
    eta = TECH.building_heat_pump.carnot_efficiency
    assert eer == pytest.approx(eta * t_evap_k / (t_cond_k - t_evap_k), rel=1e-12)


def test_air_handling_chilled_water_is_not_free_on_an_ambient_loop():
    # a 16/10 degC loop cools 16 degC ceilings for free but not 8 degC air handling
    ceilings = substation_loads(
        _one_hour(0.0, 0.0, 1.0), spec=_catalogue_spec(cooling_c=16.0), t_warm_c=16, t_cold_c=10
    )
    air = substation_loads(
        _one_hour(0.0, 0.0, 1.0), spec=_catalogue_spec(cooling_c=8.0), t_warm_c=16, t_cold_c=10
    )
    assert ceilings.free_cooling.iloc[0]
    assert not air.free_cooling.iloc[0] and air.elec_cooling_kw.iloc[0] > 0.0


def test_simulation_and_optimiser_use_the_same_substation():
    assert CARNOT_EFFICIENCY == TECH.building_heat_pump.carnot_efficiency
    case = inputs([building("h", heat=100.0, cooling_supply_c=8.0)])
    coef = coefficients(case, year_steps(case))
    spec = _catalogue_spec(heating_c=45.0, cooling_c=8.0)
    sim = substation_loads(
        _one_hour(1.0, 0.0, 1.0), spec=spec, t_warm_c=case.t_warm_c, t_cold_c=case.t_cold_c
    )
    assert np.allclose(coef.loop_heat_elec_per_kwh[0], sim.elec_heating_kw.iloc[0], rtol=1e-12)
    assert coef.loop_cool_elec_per_kwh[0] == pytest.approx(sim.elec_cooling_kw.iloc[0], rel=1e-12)
    assert not coef.free_cooling[0]
