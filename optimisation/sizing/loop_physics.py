"""Pumping and soil terms of the loop, shared by the optimiser and the annual simulation.

The sizing model counts the loop's pump electricity and heat exchange with the soil with the
physics of the simulation (:mod:`grid.fast_tree_extract`):

* **central pump**: it lifts the balancing flow by the central pump head, so its electricity
  per kWh moved between the balancing side (ATES, waste heat, central plants) and the loop is
  ``head / (rho cp dT eta)`` (:func:`central_pump_kwh_per_kwh`);
* **building pumps**: where a building's path needs more head than the central pump lifts,
  its own pump adds the rest; its electricity per kWh the building exchanges with the loop is
  measured in the simulated year of the previous design round (:mod:`tsg.design_loop`), 0
  before the first simulation;
* **soil**: each built trench exchanges ``u L (T_soil - T_warm) + u L (T_soil - T_cold)``
  with the ground (``u`` of the chosen pipe size per metre, the undisturbed soil temperature
  of :func:`grid.soil.soil_temperature_c` at the pipes' depth), split between its two ends in
  the node balances, so the ATES balance carries it too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from tsg.common.errors import InputError

__all__ = ["LoopPhysics", "central_pump_kwh_per_kwh"]


def central_pump_kwh_per_kwh(
    *,
    head_bar: float,
    delta_t_k: float,
    pump_efficiency: float,
    rho_kg_per_m3: float,
    cp_kj_per_kg_k: float,
) -> float:
    """Electricity of the central pump per kWh of heat it moves at the loop spread [-].

    Parameters
    ----------
    head_bar
        Head the central pump lifts [bar].
    delta_t_k
        Loop spread warm - cold [K].
    pump_efficiency
        Wire-to-water efficiency [-].
    rho_kg_per_m3, cp_kj_per_kg_k
        Density and specific heat of the water.

    Returns
    -------
    float
        kWh electricity per kWh heat: ``head / (rho cp dT eta)``.
    """
    if not (head_bar >= 0 and delta_t_k > 0 and 0 < pump_efficiency <= 1):
        raise InputError(
            "central pump: head >= 0, spread > 0, efficiency in (0, 1]", field="head_bar"
        )
    return head_bar * 1e5 / (rho_kg_per_m3 * cp_kj_per_kg_k * 1000.0 * delta_t_k * pump_efficiency)


@dataclass(frozen=True, eq=False)
class LoopPhysics:
    """The loop's pumping and soil terms for the sizing model.

    Parameters
    ----------
    central_pump_kwh_per_kwh
        Central pump electricity per kWh moved by the balancing side [-].
    t_soil_c
        Hourly undisturbed soil temperature at the pipes' depth [degC] (the year of the
        demand series).
    building_pump_kwh_per_kwh
        Per building id: its own pump's electricity per kWh it exchanges with the loop [-]
        (missing: 0).
    """

    central_pump_kwh_per_kwh: float
    t_soil_c: np.ndarray
    building_pump_kwh_per_kwh: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        soil = np.asarray(self.t_soil_c, dtype=float).reshape(-1)
        if not np.all(np.isfinite(soil)):
            raise InputError("t_soil_c must be finite", field="t_soil_c")
        object.__setattr__(self, "t_soil_c", soil)
        values = [self.central_pump_kwh_per_kwh, *self.building_pump_kwh_per_kwh.values()]
        if not all(np.isfinite(v) and v >= 0 for v in values):
            raise InputError("pump electricity per kWh must be finite and >= 0", field="physics")
