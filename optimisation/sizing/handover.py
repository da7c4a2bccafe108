"""Hand a sized design to the annual network simulation (``grid``): edges and hourly loads.

The optimiser decides capacities on (typical) time steps; the simulation needs every hour.
Each connected building runs its loop-side units first, up to their capacity, and its own
(backup) units cover the rest: loop heat = ``min(demand, capacity)`` converted with the same
substation efficiencies the model used. Waste heat, a central heat pump and a dry cooler are
feed-in points of the network with an hourly load that reproduces their annual energy
(:func:`optimisation.sizing.plant_dispatch.plant_loads_kw`), as is thermal storage. The
balancing unit (the ATES, with plants without a node of their own lumped into it) takes the rest
and has a capacity: in an hour where buildings and plants together ask more of it than it
can give (or take), the building loads that point the same way are scaled down together
until it fits, and those buildings' own units cover the rest (:func:`balancing_capacity_kw`).
The pipes are not curtailed: where the network cannot carry what the buildings' units take,
the simulation's checks say so and the design loop enlarges the pipe
(:mod:`tsg.design_loop`).
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from tsg.optimisation.sizing.ates_balance import balance_to_permit
from tsg.optimisation.sizing.inputs import SizingInputs
from tsg.optimisation.sizing.operation import OperatedYear
from tsg.optimisation.sizing.performance import coefficients
from tsg.optimisation.sizing.periods import full_year
from tsg.optimisation.sizing.plant_dispatch import feed_in_plants, plant_loads_kw
from tsg.optimisation.sizing.result import SizingResult

__all__ = [
    "balancing_capacity_kw",
    "building_loads_kw",
    "cap_to_balancing",
    "design_loop_dispatch",
    "design_loop_loads_kw",
    "operated_dispatch",
]


def balancing_capacity_kw(
    result: SizingResult, inputs: SizingInputs, *, exclude: Collection[str] = ()
) -> tuple[float, float]:
    """Heat the design's balancing side can give the loop and take from it [kW].

    ATES and thermal storage (at its largest charge rate) both ways, waste heat and a central
    heat pump give, a dry cooler takes; plants whose ``plant_id`` is in ``exclude`` (those
    simulated as feed-in points) do not count.
    """
    give = take = 0.0
    c_rate = inputs.technologies.thermal_storage.max_c_rate_per_h
    for plant in result.plants:
        if plant.plant_id in exclude:
            continue
        cap = max(plant.capacity_kw, 0.0)
        if plant.kind == "thermal_storage":
            cap *= c_rate
        if plant.kind in ("ates", "thermal_storage", "heat_source", "central_heat_pump"):
            give += cap
        if plant.kind in ("ates", "thermal_storage", "dry_cooler"):
            take += cap
    return give, take


def cap_to_balancing(
    loads_kw: pd.DataFrame, *, give_kw: float | np.ndarray, take_kw: float | np.ndarray
) -> pd.DataFrame:
    """Scale down the loads that exceed the balancing side's capacity, hour by hour.

    Parameters
    ----------
    loads_kw
        Net loop load per building and hour [kW] (> 0: takes heat from the loop).
    give_kw, take_kw
        Heat the balancing side can give to / take from the loop [kW]: one value, or one per
        hour (what is left of its capacity after the plants' loads).

    Returns
    -------
    pandas.DataFrame
        The loads with ``-take_kw <= sum <= give_kw`` in every hour: where the net load is
        above ``give_kw`` the positive loads are scaled by one factor per hour, where it is
        below ``-take_kw`` the negative ones (down to 0 at most: what the loads cannot
        make up stays with the balancing unit).
    """
    values = loads_kw.to_numpy(dtype=float)
    pos = np.clip(values, 0.0, None).sum(axis=1)
    neg = np.clip(-values, 0.0, None).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        f_pos = np.where(pos - neg > give_kw, (give_kw + neg) / pos, 1.0)
        f_neg = np.where(neg - pos > take_kw, (pos + take_kw) / neg, 1.0)
    f_pos, f_neg = np.clip(f_pos, 0.0, 1.0), np.clip(f_neg, 0.0, 1.0)
    scaled = np.where(values > 0, values * f_pos[:, None], values * f_neg[:, None])
    return pd.DataFrame(scaled, index=loads_kw.index, columns=loads_kw.columns)


def building_loads_kw(result: SizingResult, inputs: SizingInputs) -> pd.DataFrame:
    """Hourly net loop load of every connected building, not yet curtailed [kW].

    Parameters
    ----------
    result, inputs
        The design and its sizing inputs (full hourly series).

    Returns
    -------
    pandas.DataFrame
        One row per hour (``inputs.time_index`` when given), one column per connected
        building; > 0: the building takes heat from the loop (the sign convention of
        :func:`grid.annual.simulate_hours`).
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
    return pd.DataFrame(columns, index=index)


def design_loop_dispatch(
    result: SizingResult, inputs: SizingInputs
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hourly loads of the connected buildings and of the feed-in plants [kW].

    Parameters
    ----------
    result, inputs
        The design and its sizing inputs (full hourly series).

    Returns
    -------
    buildings, plants : pandas.DataFrame
        Same index; one column per connected building (:func:`building_loads_kw`, curtailed
        where the balancing unit cannot make up the rest) and one per feed-in plant, named
        by its node (:func:`~optimisation.sizing.plant_dispatch.plant_loads_kw`). In every
        hour ``-take <= sum(buildings) + sum(plants) <= give`` where the building loads can
        make it so, ``give``/``take`` being the balancing unit's capacity: the ATES with what
        stays lumped into it (:func:`balancing_capacity_kw` without the feed-in plants).
        Over the year the ATES keeps its permit's balance where the optimiser's design
        does (:func:`~optimisation.sizing.ates_balance.balance_to_permit`; the trenches'
        soil exchange spread evenly over the hours).
    """
    raw = building_loads_kw(result, inputs)
    fed = feed_in_plants(result, inputs)
    give, take = balancing_capacity_kw(result, inputs, exclude={p.plant_id for p in fed})
    plants = plant_loads_kw(result, inputs, raw, balancing_kw=(give, take))
    total = plants.to_numpy(dtype=float).sum(axis=1)
    buildings = cap_to_balancing(raw, give_kw=give - total, take_kw=take + total)
    if inputs.ates:
        soil_kw = result.soil_gain_mwh_per_yr * 1000.0 / max(len(buildings), 1)
        buildings = balance_to_permit(
            buildings, other_kw=total - soil_kw, tolerance=inputs.ates[0].balance_tolerance
        )
    return buildings, plants


def operated_dispatch(
    result: SizingResult, inputs: SizingInputs, operated: OperatedYear
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Hourly loads of the connected buildings and feed-in plants as the optimiser operates them.

    Parameters
    ----------
    result, inputs
        The design and its sizing inputs (full hourly series).
    operated
        The design operated over the full year (:func:`~optimisation.sizing.operation.
        operate_design`, solved to optimality).

    Returns
    -------
    buildings, plants : pandas.DataFrame
        As :func:`design_loop_dispatch`, but every hour is the full-year LP's: a building's
        load is the heat it takes through the loop times ``1 - e_h`` minus the cold times
        ``1 + e_c`` (its substation's efficiencies); a plant's load is what it moves (> 0:
        takes heat: dry cooler, storage charging; < 0: gives heat). Every capacity, pipe
        capacity and the ATES permit's balance hold by construction.
    """
    if not operated.optimal:
        raise ValueError(f"the full-year operation did not solve: {operated.status}")
    coef = coefficients(inputs, full_year(inputs))
    loop_h = 1.0 - coef.loop_heat_elec_per_kwh
    loop_c = 1.0 + coef.loop_cool_elec_per_kwh
    index = inputs.time_index if inputs.time_index is not None else None
    connected = set(result.connected_buildings)
    buildings = pd.DataFrame(
        {
            bld.building_id: operated.heat_from_grid_kw[b] * loop_h[b]
            - operated.cold_from_grid_kw[b] * loop_c[b]
            for b, bld in enumerate(inputs.buildings)
            if bld.building_id in connected
        },
        index=index,
    )
    moved = {s.source_id: -operated.heat_source_kw[i] for i, s in enumerate(inputs.heat_sources)}
    for p, plant in enumerate(inputs.plants):
        gives = plant.kind in ("central_heat_pump", "heat_source")
        load = -operated.plant_kw[p] if gives else operated.plant_kw[p]
        moved[plant.plant_id] = load - operated.plant_out_kw[p]
    fed = feed_in_plants(result, inputs)
    plants = pd.DataFrame(
        {p.node_id: moved[p.plant_id] for p in fed},
        index=buildings.index,
        columns=[p.node_id for p in fed],
    )
    return buildings, plants


def design_loop_loads_kw(result: SizingResult, inputs: SizingInputs) -> pd.DataFrame:
    """Hourly net loop load of every connected building and feed-in plant [kW].

    Parameters
    ----------
    result
        A sizing result.
    inputs
        The inputs it was computed from (full hourly series).

    Returns
    -------
    pandas.DataFrame
        The two tables of :func:`design_loop_dispatch` side by side: buildings, then plants
        (columns named by their node); > 0: takes heat from the loop.
    """
    buildings, plants = design_loop_dispatch(result, inputs)
    return pd.concat([buildings, plants], axis=1)
