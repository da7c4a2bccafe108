"""Hourly dispatch of the design's plants for the annual simulation: feed-in points.

Waste heat, a central heat pump, a dry cooler and thermal storage the optimiser built are
simulated as feed-in points at their own node of the network (like a building substation:
> 0 takes heat from the warm line and returns the water to the cold line, < 0 gives heat).
Their hourly load follows the buildings' net load and reproduces the annual energy the
optimiser gave them:

* a dry cooler takes heat in the hours in which the buildings' net load injects heat into the
  loop, in proportion to that injection, at most its capacity times the hour's availability
  (the optimiser's limit: the air must be cold enough);
* waste heat and a central heat pump give heat in the hours in which the net load extracts
  heat, in proportion to that extraction, at most their capacity;
* thermal storage charges in the hours of net injection and discharges in those of net
  extraction, within its charge rate and state of charge
  (:func:`~optimisation.sizing.storage_dispatch.storage_dispatch`).

One factor per plant scales the proportional profile so that the year's energy equals the
optimiser's (:func:`proportional_dispatch`). Where those hours cannot hold it -- the
optimiser also runs a dry cooler to take back from the ATES the heat the buildings stored in
summer (regenerating the wells in winter), and waste heat to charge it -- the rest is spread
over all hours as one share of the headroom the plant has left (:func:`follow_then_fill`);
the ATES, which takes the rest of every hour, moves that heat. In no hour does a plant ask
more of the ATES than its capacity. Plants that do not have a node of their own on the built
network stay lumped into the balancing unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tsg.common.units import KWH_PER_MWH
from tsg.optimisation.sizing.inputs import SizingInputs
from tsg.optimisation.sizing.performance import coefficients
from tsg.optimisation.sizing.periods import full_year
from tsg.optimisation.sizing.result import SizingResult
from tsg.optimisation.sizing.storage_dispatch import storage_dispatch

__all__ = [
    "FEED_IN_KINDS",
    "FeedIn",
    "daily_deviation",
    "feed_in_plants",
    "follow_then_fill",
    "plant_loads_kw",
    "proportional_dispatch",
]

FEED_IN_KINDS = ("heat_source", "central_heat_pump", "dry_cooler", "thermal_storage")
"""Plant kinds the simulation models as feed-in points."""


def daily_deviation(net_kw: np.ndarray) -> np.ndarray:
    """Return the net load minus its mean over each day (24 h blocks; a last partial block its own).

    A storage of a few hours shifts heat within the day: it charges below the day's mean load
    and discharges above it, as the optimiser uses it on its typical days.
    """
    net = np.asarray(net_kw, dtype=float)
    out = np.empty_like(net)
    for start in range(0, len(net), 24):
        block = net[start : start + 24]
        out[start : start + 24] = block - block.mean()
    return out


@dataclass(frozen=True)
class FeedIn:
    """A plant the simulation models at its own node.

    Attributes
    ----------
    plant_id, kind
        As in :class:`~optimisation.sizing.result.PlantDesign`.
    node_id
        Its node of the network (the element id in the simulation).
    capacity_kw
        Built capacity [kW] (thermal storage: [kWh]).
    energy_mwh_per_yr
        Annual heat it exchanges with the loop in the optimiser [MWh/yr]: taken for a dry
        cooler and thermal storage (charged), given for waste heat and a central heat pump.
    """

    plant_id: str
    kind: str
    node_id: str
    capacity_kw: float
    energy_mwh_per_yr: float

    @property
    def takes_heat(self) -> bool:
        """True for a dry cooler (it takes heat from the loop)."""
        return self.kind == "dry_cooler"


def _plant_nodes(inputs: SizingInputs) -> dict[str, str]:
    nodes = {s.source_id: s.source_id for s in inputs.heat_sources}
    nodes.update({p.plant_id: p.node_id for p in inputs.plants})
    return nodes


def feed_in_plants(result: SizingResult, inputs: SizingInputs) -> tuple[FeedIn, ...]:
    """Return the design's plants that the simulation models as feed-in points.

    A plant qualifies when it is of a kind in :data:`FEED_IN_KINDS`, was built
    (``capacity_kw > 0``) and sits at a node of its own on the built trenches (not a
    building's or the balancing unit's node, and no other plant's).

    Parameters
    ----------
    result, inputs
        The design and its sizing inputs.

    Returns
    -------
    tuple of FeedIn
        In the order of ``result.plants``.
    """
    edges = result.design_edges()
    on_network = set(edges.from_id.astype(str)) | set(edges.to_id.astype(str))
    taken = {b.building_id for b in inputs.buildings} | {a.source_id for a in inputs.ates}
    nodes = _plant_nodes(inputs)
    candidates = [
        p
        for p in result.plants
        if p.kind in FEED_IN_KINDS and p.capacity_kw > 0 and p.plant_id in nodes
    ]
    count: dict[str, int] = {}
    for p in candidates:
        count[nodes[p.plant_id]] = count.get(nodes[p.plant_id], 0) + 1
    out = []
    for p in candidates:
        node = nodes[p.plant_id]
        if node in on_network and node not in taken and count[node] == 1:
            takes = p.kind in ("dry_cooler", "thermal_storage")
            energy = p.heat_from_loop_mwh_per_yr if takes else p.heat_to_loop_mwh_per_yr
            out.append(FeedIn(p.plant_id, p.kind, node, float(p.capacity_kw), float(energy)))
    return tuple(out)


def proportional_dispatch(
    weight_kw: np.ndarray, upper_kw: np.ndarray, energy_kwh: float
) -> np.ndarray:
    """Hourly output ``min(upper, s * weight)`` whose sum is ``energy_kwh``.

    Parameters
    ----------
    weight_kw
        The profile to follow, per hour (>= 0; negative values count as 0).
    upper_kw
        Largest output per hour (>= 0).
    energy_kwh
        Wanted sum of the output over the hours [kWh].

    Returns
    -------
    numpy.ndarray
        Output per hour [kW]. The scale ``s`` is found exactly (the sum is piecewise linear
        in it); where ``energy_kwh`` exceeds ``sum(upper)`` over the hours with weight, every
        such hour runs at its ``upper``.
    """
    w = np.clip(np.asarray(weight_kw, dtype=float), 0.0, None)
    u = np.clip(np.asarray(upper_kw, dtype=float), 0.0, None)
    out = np.zeros_like(w)
    use = (w > 0) & (u > 0)
    if energy_kwh <= 0 or not use.any():
        return out
    if energy_kwh >= u[use].sum():
        out[use] = u[use]
        return out
    ratio = u[use] / w[use]  # scale at which an hour reaches its limit
    order = np.argsort(ratio, kind="stable")
    r, uu, ww = ratio[order], u[use][order], w[use][order]
    capped_sum = np.concatenate([[0.0], np.cumsum(uu)])  # hours below k at their limit
    free_w = ww.sum() - np.concatenate([[0.0], np.cumsum(ww)])  # weight of the rest
    # the sum at s = r[k] is capped_sum[k] + r[k] * free_w[k]; find the first k it exceeds
    at_breaks = capped_sum[:-1] + r * free_w[:-1]
    k = int(np.searchsorted(at_breaks, energy_kwh, side="left"))
    scale = (energy_kwh - capped_sum[k]) / free_w[k]
    out[use] = np.minimum(u[use], scale * w[use])
    return out


def follow_then_fill(follow_kw: np.ndarray, upper_kw: np.ndarray, energy_kwh: float) -> np.ndarray:
    """Output that follows a profile first and fills the plant's headroom with the rest.

    First :func:`proportional_dispatch` on ``follow_kw``; where that falls short of
    ``energy_kwh`` (the profile has too few hours), the rest is spread over every hour as one
    common share of the headroom ``upper - first`` left in it.

    Parameters
    ----------
    follow_kw
        The profile to follow [kW] (negative values count as 0).
    upper_kw
        Largest output per hour [kW].
    energy_kwh
        Wanted sum of the output [kWh].

    Returns
    -------
    numpy.ndarray
        Output per hour [kW], ``0 <= out <= upper``; its sum is ``energy_kwh``, or
        ``sum(upper)`` where that is smaller.
    """
    first = proportional_dispatch(follow_kw, upper_kw, energy_kwh)
    rest = energy_kwh - float(first.sum())
    if rest <= 1e-9 * max(energy_kwh, 1.0):
        return first
    headroom = np.clip(np.asarray(upper_kw, dtype=float) - first, 0.0, None)
    return first + proportional_dispatch(headroom, headroom, rest)


def plant_loads_kw(
    result: SizingResult,
    inputs: SizingInputs,
    building_loads: pd.DataFrame,
    *,
    balancing_kw: tuple[float, float] | None = None,
) -> pd.DataFrame:
    """Hourly load of every feed-in plant (:func:`feed_in_plants`) [kW].

    Parameters
    ----------
    result, inputs
        The design and its sizing inputs (full hourly series).
    building_loads
        Net loop load per connected building and hour [kW] (> 0: takes heat), before any
        curtailment to the balancing unit.
    balancing_kw
        Heat the balancing unit can give to / take from the loop [kW]; with it, a plant
        moves no more than the balancing unit can make up next to the buildings' net load
        of the hour (``dry cooler <= give - net``, ``waste heat <= take + net``). ``None``:
        no such limit.

    Returns
    -------
    pandas.DataFrame
        Index of ``building_loads``, one column per feed-in plant, named by its node id, in
        the simulation's sign convention (> 0: the plant takes heat from the loop). A dry
        cooler follows the buildings' net injection (net load < 0), waste heat and a central
        heat pump their net extraction (:func:`follow_then_fill`); the annual energy is the
        optimiser's where the plant's limits allow it.
    """
    plants = feed_in_plants(result, inputs)
    net = building_loads.to_numpy(dtype=float).sum(axis=1)
    availability = None
    columns = {}
    for plant in plants:
        energy_kwh = plant.energy_mwh_per_yr * KWH_PER_MWH
        if plant.kind == "thermal_storage":
            c_rate = inputs.technologies.thermal_storage.max_c_rate_per_h
            limits = (
                (None, None)
                if balancing_kw is None
                else (balancing_kw[0] - net, balancing_kw[1] + net)
            )
            columns[plant.node_id] = storage_dispatch(
                daily_deviation(net),
                capacity_kwh=plant.capacity_kw,
                rate_kw=c_rate * plant.capacity_kw,
                charge_kwh=energy_kwh,
                charge_max_kw=limits[0],
                discharge_max_kw=limits[1],
            )
        elif plant.takes_heat:
            if availability is None:
                availability = coefficients(inputs, full_year(inputs)).dry_cooler_availability
            upper = plant.capacity_kw * np.asarray(availability, dtype=float)[: len(net)]
            if balancing_kw is not None:
                upper = np.minimum(upper, np.clip(balancing_kw[0] - net, 0.0, None))
            columns[plant.node_id] = follow_then_fill(-net, upper, energy_kwh)
        else:
            upper = np.full(len(net), plant.capacity_kw)
            if balancing_kw is not None:
                upper = np.minimum(upper, np.clip(balancing_kw[1] + net, 0.0, None))
            columns[plant.node_id] = -follow_then_fill(net, upper, energy_kwh)
    return pd.DataFrame(columns, index=building_loads.index, columns=[p.node_id for p in plants])
