"""Efficiencies per building and time step, computed before the model is built (keeps it linear).

Loop-side substations use :func:`grid.substation.substation_loads` (the same physics the
network simulation uses). Air-coupled machines use a Carnot model with an efficiency factor
on the step's outdoor air temperature: heating ``COP = eta T_sink / (T_sink - T_source)``,
cooling ``EER = eta T_evap / (T_cond - T_evap)`` (kelvin), both capped at ``max_cop``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tsg.common.units import C_TO_K
from tsg.grid.substation import SubstationSpec, substation_loads
from tsg.optimisation.sizing.inputs import SizingInputs
from tsg.optimisation.sizing.periods import TimeSteps
from tsg.optimisation.sizing.technologies import AirUnit, Technologies

__all__ = [
    "Coefficients",
    "air_cooling_eer",
    "air_heating_cop",
    "coefficients",
    "loop_substation_spec",
]


def loop_substation_spec(
    *,
    heating_supply_c: float,
    dhw_supply_c: float,
    cooling_supply_c: float,
    technologies: Technologies,
) -> SubstationSpec:
    """Substation of a building on the loop, from the technology catalogue.

    The network simulation (:mod:`tsg.simulation_inputs`) and the optimiser
    (:func:`coefficients`) both build their substations here, so both use the same machine
    efficiencies and approach temperatures.

    Parameters
    ----------
    heating_supply_c, dhw_supply_c, cooling_supply_c
        Supply temperatures of the building's systems [degC].
    technologies
        The catalogue (``building_heat_pump`` efficiency and approaches,
        ``network_heat_exchanger`` approach).

    Returns
    -------
    SubstationSpec
    """
    hp = technologies.building_heat_pump
    return SubstationSpec(
        t_heating_supply_c=heating_supply_c,
        t_dhw_c=dhw_supply_c,
        t_cooling_supply_c=cooling_supply_c,
        carnot_efficiency=hp.carnot_efficiency,
        max_cop=hp.max_cop,
        hx_approach_k=technologies.heat_exchanger_approach_k,
        evaporator_approach_k=hp.evaporator_approach_k,
        condenser_approach_k=hp.condenser_approach_k,
    )


def air_heating_cop(*, t_sink_c: float, t_air_c: np.ndarray, unit: AirUnit) -> np.ndarray:
    """COP of an air-source heat pump delivering at ``t_sink_c`` [-] per step.

    Parameters
    ----------
    t_sink_c
        Delivery temperature [degC].
    t_air_c
        Outdoor air temperature [degC] per step.
    unit
        Efficiency data (evaporator ``evaporator_approach_k`` below the air).

    Returns
    -------
    numpy.ndarray
        COP [-], ``max_cop`` where the air is warm enough for no lift.

    """
    sink = t_sink_c + unit.condenser_approach_k + C_TO_K
    source = np.asarray(t_air_c, dtype=float) - unit.evaporator_approach_k + C_TO_K
    lift = sink - source
    with np.errstate(divide="ignore", invalid="ignore"):
        cop = np.where(lift > 0, unit.carnot_efficiency * sink / lift, unit.max_cop)
    return np.clip(cop, 1.0, unit.max_cop)


def air_cooling_eer(*, t_chilled_c: float, t_air_c: np.ndarray, unit: AirUnit) -> np.ndarray:
    """EER of an air-cooled chiller producing water at ``t_chilled_c`` [-] per step.

    Parameters
    ----------
    t_chilled_c
        Chilled-water supply temperature [degC].
    t_air_c
        Outdoor air temperature [degC] per step.
    unit
        Efficiency data (condenser ``condenser_approach_k`` above the air, evaporator
        ``evaporator_approach_k`` below the chilled water).

    Returns
    -------
    numpy.ndarray
        EER [-] (cooling delivered per unit of electricity).

    """
    evap = t_chilled_c - unit.evaporator_approach_k + C_TO_K
    cond = np.asarray(t_air_c, dtype=float) + unit.condenser_approach_k + C_TO_K
    lift = cond - evap
    with np.errstate(divide="ignore", invalid="ignore"):
        eer = np.where(lift > 0, unit.carnot_efficiency * evap / lift, unit.max_cop)
    return np.clip(eer, 0.5, unit.max_cop)


@dataclass(frozen=True, eq=False)
class Coefficients:
    """Linear coefficients of the model, shape ``(B, T)`` unless noted.

    Attributes
    ----------
    loop_heat_elec_per_kwh
        Electricity of the booster heat pumps per kWh of heat delivered [-].
    loop_cool_elec_per_kwh
        Electricity of loop-side cooling per kWh of cold, shape ``(B,)`` [-] (0: free cooling).
    heating_direct, free_cooling
        Shape ``(B,)``: the building heats directly from the warm line / cools directly from
        the cold line (heat exchanger instead of a machine).
    ref_heat_elec_per_kwh
        Electricity per kWh of reference heat (air-source heat pump; 0 for gas boilers and
        district heating) [-].
    ref_heat_gas_m3_per_kwh
        Gas per kWh of reference heat [m³/kWh] (0 for air-source heat pumps and district
        heating, whose heat :mod:`.costs` prices at its tariff).
    ref_cool_elec_per_kwh
        Electricity per kWh of reference cooling (air-cooled chiller) [-].
    central_hp_elec_per_kwh
        Shape ``(T,)``: electricity of the central air-source heat pump per kWh delivered [-].
    dry_cooler_availability
        Shape ``(T,)``: usable fraction of the dry cooler's capacity [-].

    """

    loop_heat_elec_per_kwh: np.ndarray
    loop_cool_elec_per_kwh: np.ndarray
    heating_direct: np.ndarray
    free_cooling: np.ndarray
    ref_heat_elec_per_kwh: np.ndarray
    ref_heat_gas_m3_per_kwh: np.ndarray
    ref_cool_elec_per_kwh: np.ndarray
    central_hp_elec_per_kwh: np.ndarray
    dry_cooler_availability: np.ndarray


def _mix(
    heat: np.ndarray, dhw: np.ndarray, per_heat: np.ndarray, per_dhw: np.ndarray
) -> np.ndarray:
    total = heat + dhw
    with np.errstate(divide="ignore", invalid="ignore"):
        mixed = (heat * per_heat + dhw * per_dhw) / total
    return np.where(total > 0, mixed, per_heat)


def coefficients(inputs: SizingInputs, steps: TimeSteps) -> Coefficients:
    """Compute every efficiency of the model for the given time steps.

    Parameters
    ----------
    inputs
        Sizing inputs (temperatures, technologies).
    steps
        Modelled time steps.

    Returns
    -------
    Coefficients

    """
    tech = inputs.technologies
    boiler = tech.gas_boiler
    t_air = steps.t_air_c
    n_t = steps.n_steps
    loop_heat, loop_cool, direct, free = [], [], [], []
    ref_elec, ref_gas, ref_cool = [], [], []
    unit = pd.DataFrame({"heat_kw": [1.0, 0.0], "dhw_kw": [0.0, 1.0], "cool_kw": [1.0, 1.0]})
    for k, b in enumerate(inputs.buildings):
        spec = loop_substation_spec(
            heating_supply_c=b.heating_supply_c,
            dhw_supply_c=b.dhw_supply_c,
            cooling_supply_c=b.cooling_supply_c,
            technologies=tech,
        )
        loads = substation_loads(
            unit, spec=spec, t_warm_c=inputs.t_warm_c, t_cold_c=inputs.t_cold_c
        )
        e_heat = float(loads["elec_heating_kw"].iloc[0])
        e_dhw = float(loads["elec_dhw_kw"].iloc[1])
        heat, dhw = steps.heat_kw[k], steps.dhw_kw[k]
        loop_heat.append(_mix(heat, dhw, np.full(n_t, e_heat), np.full(n_t, e_dhw)))
        loop_cool.append(float(loads["elec_cooling_kw"].iloc[0]))
        direct.append(bool(loads["heating_direct"].iloc[0] and loads["dhw_direct"].iloc[1]))
        free.append(bool(loads["free_cooling"].iloc[0]))
        if b.reference_heating in ("none", "district_heating"):  # heat bought: see costs
            ref_elec.append(np.zeros(n_t))
            ref_gas.append(np.zeros(n_t))
        elif b.reference_heating == "gas_boiler":
            ref_elec.append(np.zeros(n_t))
            ref_gas.append(np.full(n_t, 1.0 / (boiler.efficiency * boiler.gas_lhv_kwh_per_m3)))
        else:
            ashp = tech.air_source_heat_pump
            cop_h = air_heating_cop(t_sink_c=b.heating_supply_c, t_air_c=t_air, unit=ashp)
            cop_w = air_heating_cop(t_sink_c=b.dhw_supply_c, t_air_c=t_air, unit=ashp)
            ref_elec.append(_mix(heat, dhw, 1.0 / cop_h, 1.0 / cop_w))
            ref_gas.append(np.zeros(n_t))
        eer = air_cooling_eer(t_chilled_c=b.cooling_supply_c, t_air_c=t_air, unit=tech.air_chiller)
        ref_cool.append(1.0 / eer)
    central = air_heating_cop(t_sink_c=inputs.t_warm_c, t_air_c=t_air, unit=tech.central_heat_pump)
    approach = tech.dry_cooler_approach_k
    availability = np.clip((inputs.t_warm_c - approach - t_air) / inputs.delta_t_k, 0.0, 1.0)
    return Coefficients(
        loop_heat_elec_per_kwh=np.vstack(loop_heat),
        loop_cool_elec_per_kwh=np.asarray(loop_cool),
        heating_direct=np.asarray(direct),
        free_cooling=np.asarray(free),
        ref_heat_elec_per_kwh=np.vstack(ref_elec),
        ref_heat_gas_m3_per_kwh=np.vstack(ref_gas),
        ref_cool_elec_per_kwh=np.vstack(ref_cool),
        central_hp_elec_per_kwh=1.0 / central,
        dry_cooler_availability=availability,
    )
