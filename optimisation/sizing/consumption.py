"""Annual energy a building uses on its own (reference) supply, before any solve."""

from __future__ import annotations

import numpy as np

from tsg.optimisation.sizing.inputs import SizingInputs
from tsg.optimisation.sizing.performance import coefficients
from tsg.optimisation.sizing.periods import full_year

__all__ = ["reference_consumption"]


def reference_consumption(inputs: SizingInputs) -> tuple[np.ndarray, np.ndarray]:
    """Return each building's annual gas and electricity on its reference supply.

    Parameters
    ----------
    inputs
        Sizing inputs (every hour of the series counts once).

    Returns
    -------
    tuple[numpy.ndarray, numpy.ndarray]
        Gas [m³/yr] (gas boiler) and electricity [kWh/yr] (air-source heat pump and air-cooled
        chiller) per building, in the order of ``inputs.buildings``; what sets its energy-tax
        bracket when it is not connected.
    """
    steps = full_year(inputs)
    coef = coefficients(inputs, steps)
    w = steps.weights_h
    heat, cool = steps.total_heat_kw, steps.cool_kw
    gas = np.sum(w * heat * coef.ref_heat_gas_m3_per_kwh, axis=1)
    elec = np.sum(w * heat * coef.ref_heat_elec_per_kwh, axis=1)
    elec = elec + np.sum(w * cool * np.asarray(coef.ref_cool_elec_per_kwh), axis=1)
    return gas, elec
