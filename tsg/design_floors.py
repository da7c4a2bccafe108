"""The next design round's inputs: pipe floors from the cuts, building pump shares measured.

Every built size is a floor for the next round and a cut raises it, so sizes only grow from
round to round (:func:`with_cuts`); each building pump's electricity per kWh exchanged is
taken from the simulated year (:func:`building_pump_shares`) for the optimiser's pumping term.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from tsg.design_cuts import Cut, option_capacity_kg_per_s
from tsg.grid.water_flow import water_density_kg_per_m3
from tsg.grid.year_result import YearResult
from tsg.optimisation.sizing import SizingInputs
from tsg.optimisation.sizing.result import SizingResult

__all__ = ["building_pump_shares", "with_cuts"]


def building_pump_shares(year: YearResult, *, pump_efficiency: float) -> dict[str, float]:
    """Each building pump's electricity per kWh the building exchanged with the loop [-].

    Parameters
    ----------
    year
        A simulated year (valid hours count).
    pump_efficiency
        Wire-to-water efficiency of the pumps [-].

    Returns
    -------
    dict
        Per building id: ``sum(max(0, -dp) V) / eta / sum(|heat exchanged|)``.
    """
    ok = year.valid[:, None]
    with np.errstate(invalid="ignore"):
        head_pa = np.where(ok, np.clip(-np.nan_to_num(year.bld_dp_bar), 0.0, None), 0.0) * 1e5
        volume = np.where(ok, np.nan_to_num(year.bld_mdot_kg_per_s), 0.0) / water_density_kg_per_m3(
            15.0
        )
        exchanged_kwh = np.where(ok, np.abs(np.nan_to_num(year.bld_heat_delivered_kw)), 0.0).sum(0)
    elec_kwh = (head_pa * volume).sum(axis=0) / pump_efficiency / 1000.0
    return {
        b: float(e / x) if x > 0 else 0.0
        for b, e, x in zip(year.building_ids, elec_kwh, exchanged_kwh, strict=True)
    }


def with_cuts(
    inputs: SizingInputs, cuts: list[Cut], result: SizingResult
) -> tuple[SizingInputs, tuple[Cut, ...]]:
    """Return the inputs of the next round and the cuts that enlarge a trench.

    The next round gets the cuts and no built trench smaller than now: keeping every built
    size as a floor makes the sizes grow monotonically from round to round, so a trench that
    passed cannot be shrunk into a new violation. A pump-head cut's flow limit
    (:attr:`~tsg.design_cuts.Cut.max_heat_kw`) becomes the trench's; limits only tighten.

    Parameters
    ----------
    inputs
        This round's sizing inputs.
    cuts
        This round's cuts (smallest pipe per trench).
    result
        This round's design.

    Returns
    -------
    tuple
        The next round's inputs and the cuts that ask more than the trench has.
    """
    pipes = inputs.pipes

    def size(floor: tuple[int, int]) -> float:
        return option_capacity_kg_per_s(pipes, *floor)

    kept = {
        frozenset((e.from_id, e.to_id)): (int(e.dn_mm), int(e.parallel_pipes))
        for e in result.edges
        if e.built
    }
    # cuts come from simulated, hence built, trenches, whose floor is at most their size
    enlarging = tuple(
        c
        for c in cuts
        if size((c.min_dn_mm, c.parallel)) > size(kept.get(frozenset((c.from_id, c.to_id)), (0, 1)))
    )
    wanted = {frozenset((c.from_id, c.to_id)): (c.min_dn_mm, c.parallel) for c in cuts}
    limit = {frozenset((c.from_id, c.to_id)): c.max_heat_kw for c in cuts}
    edges = []
    for e in inputs.edges:
        key = frozenset((e.from_id, e.to_id))
        floor = max(wanted.get(key, (0, 1)), kept.get(key, (0, 1)), key=size)
        if size(floor) > size((e.min_dn_mm, e.min_parallel)):
            e = replace(e, min_dn_mm=floor[0], min_parallel=floor[1])
        if limit.get(key, math.inf) < e.max_heat_kw:  # flow limits only tighten
            e = replace(e, max_heat_kw=limit[key])
        edges.append(e)
    return replace(inputs, edges=tuple(edges)), enlarging
