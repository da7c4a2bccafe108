"""Hand a sized design to the annual network simulation (``grid``): edges and hourly loads.

The optimiser decides capacities on (typical) time steps; the simulation needs every hour.
Each connected building runs its loop-side units first, up to their capacity, and its own
(backup) units cover the rest: loop heat = ``min(demand, capacity)`` converted with the same
substation efficiencies the model used. The balancing side (ATES, waste heat and central
plants, which the simulation lumps into its balancing unit) has a capacity too: in an hour
where the buildings' net load exceeds what it can give (or take), the loads that point the
same way are scaled down together until it fits, and those buildings' own units cover the
rest (:func:`balancing_capacity_kw`). The pipes are not curtailed: where the network cannot
carry what the buildings' units take, the simulation's checks say so and the design loop
enlarges the pipe (:mod:`tsg.design_loop`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from tsg.optimisation.sizing.inputs import SizingInputs
from tsg.optimisation.sizing.performance import coefficients
from tsg.optimisation.sizing.periods import full_year
from tsg.optimisation.sizing.result import SizingResult

__all__ = ["balancing_capacity_kw", "cap_to_balancing", "design_loop_loads_kw"]


def balancing_capacity_kw(result: SizingResult, inputs: SizingInputs) -> tuple[float, float]:
    """Heat the design's balancing side can give the loop and take from it [kW].

    ATES and thermal storage (at its largest charge rate) both ways, waste heat and a central
    heat pump give, a dry cooler takes.
    """
    give = take = 0.0
    c_rate = inputs.technologies.thermal_storage.max_c_rate_per_h
    for plant in result.plants:
        cap = max(plant.capacity_kw, 0.0)
        if plant.kind == "thermal_storage":
            cap *= c_rate
        if plant.kind in ("ates", "thermal_storage", "heat_source", "central_heat_pump"):
            give += cap
        if plant.kind in ("ates", "thermal_storage", "dry_cooler"):
            take += cap
    return give, take


def cap_to_balancing(loads_kw: pd.DataFrame, *, give_kw: float, take_kw: float) -> pd.DataFrame:
    """Scale down the loads that exceed the balancing side's capacity, hour by hour.

    Parameters
    ----------
    loads_kw
        Net loop load per building and hour [kW] (> 0: takes heat from the loop).
    give_kw, take_kw
        Heat the balancing side can give to / take from the loop [kW].

    Returns
    -------
    pandas.DataFrame
        The loads with ``-take_kw <= sum <= give_kw`` in every hour: where the net load is
        above ``give_kw`` the positive loads are scaled by one factor per hour, where it is
        below ``-take_kw`` the negative ones.
    """
    values = loads_kw.to_numpy(dtype=float)
    pos = np.clip(values, 0.0, None).sum(axis=1)
    neg = np.clip(-values, 0.0, None).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        f_pos = np.where(pos - neg > give_kw, (give_kw + neg) / pos, 1.0)
        f_neg = np.where(neg - pos > take_kw, (pos + take_kw) / neg, 1.0)
    scaled = np.where(values > 0, values * f_pos[:, None], values * f_neg[:, None])
    return pd.DataFrame(scaled, index=loads_kw.index, columns=loads_kw.columns)


def design_loop_loads_kw(result: SizingResult, inputs: SizingInputs) -> pd.DataFrame:
    """Hourly net loop load of every connected building for the whole series [kW].

    Parameters
    ----------
    result
        A sizing result.
    inputs
        The inputs it was computed from (full hourly series).

    Returns
    -------
    pandas.DataFrame
        One row per hour (``inputs.time_index`` when given), one column per connected
        building; > 0: the building takes heat from the loop (the sign convention of
        :func:`grid.annual.simulate_hours`); within the balancing side's capacity
        (:func:`cap_to_balancing`).

    """
    steps = full_year(inputs)
    coef = coefficients(inputs, steps)
    columns = {}
    for b, bld in enumerate(inputs.buildings):
        design = result.building(bld.building_id)
        if not design.connected:
            continue
        heat = np.minimum(steps.total_heat_kw[b], design.heat_pump_kw)
        cool = np.minimum(steps.cool_kw[b], design.network_cooling_kw)
        loop_h = 1.0 - coef.loop_heat_elec_per_kwh[b]
        loop_c = 1.0 + coef.loop_cool_elec_per_kwh[b]
        columns[bld.building_id] = heat * loop_h - cool * loop_c
    index = inputs.time_index if inputs.time_index is not None else None
    give, take = balancing_capacity_kw(result, inputs)
    return cap_to_balancing(pd.DataFrame(columns, index=index), give_kw=give, take_kw=take)
