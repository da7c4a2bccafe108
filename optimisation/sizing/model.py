"""Build the sizing MILP (Pyomo): who connects, pipe sizes, plant sizes, hourly operation.

Decisions (``b`` building, ``e`` candidate trench, ``d`` pipe size, ``t`` time step):

* ``y[b]`` binary: building connects; ``x[e, d]`` binary: trench ``e`` built with size ``d``
  (at most one size per trench);
* capacities [kW]: booster heat pump ``cap_hp[b]``, loop cooling (free-cooling exchanger or
  water-cooled chiller) ``cap_nc[b]``, reference heating ``cap_rh[b]`` (gas boiler or
  air-source heat pump) and cooling ``cap_rc[b]`` (air-cooled chiller), ATES ``cap_ates``,
  waste heat, central plants;
* operation [kW]: heat and cold a building takes through the loop ``q_nh[b, t]``,
  ``q_nc[b, t]``; the rest of its demand comes from its reference units; ATES charge
  ``q_ain`` / discharge ``q_aout``; heat flow ``f[e, t]`` on each trench (kW carried at the
  loop spread, either direction).

Constraints: loop-side units only if connected (``cap <= peak * y``); capacities cover each
building's full-year peak; per step, units within capacity; per node and step, heat flows
balance (building loop loads from fixed efficiencies, sources, plants); ``|f| <= capacity of
the chosen size``; a connected building needs a built trench at its node; ATES charge and
discharge within capacity and, when switched on, the annual balance
``(1 - tol) E_in <= E_out`` and ``(1 - tol) E_out <= E_in`` (equivalent to
``|E_in - E_out| <= tol max(E_in, E_out)``).

Objective [EUR/yr]: ``capex_factor * sum(investment * (CRF + O&M))`` + electricity + gas +
CO2 price + waste heat bought. Prices and the capex factor are mutable parameters; the
``member`` and ``available`` variables are always fixed (1 = in the coalition) so that
:mod:`optimisation.sizing.coalitions` restricts the same model to a coalition by fixing values.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import pyomo.environ as pyo

from tsg.common.errors import InputError
from tsg.optimisation.sizing.ates_block import add_ates
from tsg.optimisation.sizing.blocks import (
    add_buildings,
    add_heat_sources,
    add_network,
    add_plants,
    model_data,
)
from tsg.optimisation.sizing.costs import CostItemKey, add_costs
from tsg.optimisation.sizing.inputs import SizingInputs
from tsg.optimisation.sizing.options import SizingOptions
from tsg.optimisation.sizing.performance import Coefficients, coefficients
from tsg.optimisation.sizing.periods import TimeSteps

__all__ = ["SizingModel", "build_model"]


@dataclass(eq=False)
class SizingModel:
    """A built model and the maps needed to read it.

    Attributes
    ----------
    inputs, steps, options, coef
        What it was built from.
    model
        The Pyomo model.
    edge_options
        Per edge position: the allowed pipe-option positions (``inputs.pipes``).
    build_time_s
        Wall time of :func:`build_model` [s].
    peak_heat_kw, peak_cool_kw
        Full-year peaks per building [kW].
    cost_items
        Owner and name of every cost item (index of the model's ``ITEMS``).
    solver_cache
        The persistent solver used on this model (reused between solves).

    """

    inputs: SizingInputs
    steps: TimeSteps
    options: SizingOptions
    coef: Coefficients
    model: pyo.ConcreteModel
    edge_options: dict[int, list[int]]
    peak_heat_kw: np.ndarray
    peak_cool_kw: np.ndarray
    cost_items: list[CostItemKey] = field(default_factory=list)
    build_time_s: float = 0.0
    solver_cache: dict = field(default_factory=dict)

    def size(self) -> dict[str, int]:
        """Return the number of variables, binaries and active constraints."""
        variables = list(self.model.component_data_objects(pyo.Var))
        return {
            "variables": len(variables),
            "binaries": sum(1 for v in variables if v.is_binary()),
            "constraints": sum(
                1 for _ in self.model.component_data_objects(pyo.Constraint, active=True)
            ),
        }


def build_model(
    inputs: SizingInputs, steps: TimeSteps, *, options: SizingOptions | None = None
) -> SizingModel:
    """Build the sizing MILP.

    Parameters
    ----------
    inputs
        Validated inputs.
    steps
        Time steps (:func:`optimisation.sizing.periods.time_steps`).
    options
        Model switches (default :class:`SizingOptions`).

    Returns
    -------
    SizingModel

    Raises
    ------
    InputError
        Unknown building ids in ``force_connect`` / ``exclude``.

    """
    start = time.perf_counter()
    options = options or SizingOptions()
    coef = coefficients(inputs, steps)
    ids = [b.building_id for b in inputs.buildings]
    for name in ("force_connect", "exclude"):
        unknown = sorted(set(getattr(options, name)) - set(ids))
        if unknown:
            raise InputError(f"unknown building ids {unknown}; known: {ids}", field=name)
    data = model_data(inputs, steps, options, coef)
    m = pyo.ConcreteModel(name="tsg_sizing")
    m.gas_price = pyo.Param(mutable=True, initialize=inputs.prices.gas_price_eur_per_m3)
    m.elec_price = pyo.Param(mutable=True, initialize=inputs.prices.electricity_price_eur_per_kwh)
    m.co2_price = pyo.Param(mutable=True, initialize=inputs.prices.co2_price_eur_per_t)
    m.capex_factor = pyo.Param(mutable=True, initialize=1.0)
    add_buildings(m, data)
    add_ates(m, data)
    add_heat_sources(m, data)
    add_plants(m, data)
    edge_options = add_network(m, data)
    items = add_costs(m, inputs=inputs, steps=steps, coef=coef, edge_options=edge_options)
    return SizingModel(
        inputs=inputs,
        steps=steps,
        options=options,
        coef=coef,
        model=m,
        edge_options=edge_options,
        peak_heat_kw=data.peak_heat_kw,
        peak_cool_kw=data.peak_cool_kw,
        cost_items=items,
        build_time_s=time.perf_counter() - start,
    )
