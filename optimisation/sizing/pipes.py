"""Pipe sizes the optimiser may choose: capacity from design limits, cost per trench metre.

An option is one catalogue size, or ``n`` identical pipes of one size side by side per line
(parallel pipes, for trenches that must carry more than the largest single pipe): ``n`` times
the capacity, the soil exchange and the pipe material, the trench's civil part once plus
``parallel_civil_factor`` of it for every further pipe per line (the wider trench).

The limits are the toolkit's one set (:func:`grid.design_limits.load_design_limits`, or a
district's override), the same the network simulation and the design checks use.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import networkx as nx
import numpy as np
import pandas as pd

from tsg.common.errors import InputError
from tsg.common.units import CP_WATER_KJ_PER_KG_K
from tsg.grid.design_limits import DesignLimits, load_design_limits, pipe_capacity_kg_per_s

__all__ = [
    "CP_WATER_KJ_PER_KG_K",
    "PipeOption",
    "coincident_flow_bounds",
    "edge_flow_bounds",
    "max_mass_flow_kg_per_s",
    "parallel_option",
    "pipe_options",
]

#: Largest mass flow of a pipe within the limits [kg/s]; see
#: :func:`grid.design_limits.pipe_capacity_kg_per_s`.
max_mass_flow_kg_per_s = pipe_capacity_kg_per_s

#: Specific heat of water used to turn mass flows into heat flows [kJ/(kg K)].


@dataclass(frozen=True)
class PipeOption:
    """One pipe size a trench can get.

    Parameters
    ----------
    dn_mm
        Nominal size (= outer diameter of PE pipes) [mm] of each pipe.
    di_mm
        Inner diameter [mm] of each pipe.
    max_mdot_kg_per_s
        Largest mass flow of one line (all its parallel pipes) within the velocity and
        pressure-gradient limits [kg/s].
    max_heat_kw
        The heat that flow carries at the loop's temperature spread [kW].
    cost_eur_per_m
        Investment per metre of trench, all its pipes [EUR/m].
    lifetime_yr, om_fraction_per_yr
        Lifetime [yr] and O&M [1/yr].
    roughness_mm
        Wall roughness [mm] (pressure drop at a given flow).
    u_w_per_mk
        Heat transfer to the soil per metre of one line (all its parallel pipes) [W/(m K)].
    parallel
        Identical pipes side by side per line (1: a single pipe); each carries ``1/parallel``
        of the line's flow.

    """

    dn_mm: int
    di_mm: float
    max_mdot_kg_per_s: float
    max_heat_kw: float
    cost_eur_per_m: float
    lifetime_yr: float
    om_fraction_per_yr: float
    roughness_mm: float
    u_w_per_mk: float
    parallel: int = 1

    @property
    def label(self) -> str:
        """``DN 450`` or ``2 x DN 450``."""
        return f"DN {self.dn_mm}" if self.parallel == 1 else f"{self.parallel} x DN {self.dn_mm}"


def pipe_options(
    catalogue: pd.DataFrame,
    *,
    delta_t_k: float,
    limits: DesignLimits | None = None,
    cost_column: str = "cost_installed_paved_eur_per_m",
    pipes_per_trench: int = 2,
    t_water_c: float = 15.0,
    max_parallel: int = 1,
    parallel_civil_factor: float = 0.5,
) -> tuple[PipeOption, ...]:
    """Turn pipe catalogue rows into sizing options (capacity and cost per trench metre).

    Parameters
    ----------
    catalogue
        Pipe catalogue (:func:`grid.pipe_catalogue.load_pipe_catalogue`).
    delta_t_k
        Loop temperature spread warm - cold [K].
    limits
        Design limits; their velocity [m/s] and pressure gradient [Pa/m] bound each pipe's
        flow (default :func:`grid.design_limits.load_design_limits`).
    cost_column
        Catalogue column with the cost per metre of one pipe [EUR/m].
    pipes_per_trench
        Pipes laid per trench (2 for a warm and a cold line).
    t_water_c
        Water temperature for fluid properties [degC].
    max_parallel
        Most identical pipes per line (1: no parallel pipes).
    parallel_civil_factor
        Share of the trench's civil part (installed cost minus material,
        ``cost_material_eur_per_m``) each further parallel pipe per line adds [-].

    Returns
    -------
    tuple[PipeOption, ...]
        The single pipes ascending by inner diameter, then the parallel options ascending by
        capacity: only those that carry more than the largest single pipe and that no other
        parallel option beats in both capacity and cost.

    """
    if cost_column not in catalogue.columns:
        raise InputError(f"pipe catalogue has no column '{cost_column}'", field="cost_column")
    if not (delta_t_k > 0):
        raise InputError("the loop temperature spread must be positive", field="delta_t_k")
    if limits is None:
        limits = load_design_limits()
    if max_parallel < 1 or parallel_civil_factor < 0:
        raise InputError(
            "need max_parallel >= 1 and parallel_civil_factor >= 0", field="max_parallel"
        )
    out = []
    for row in catalogue.sort_values("di_mm").itertuples(index=False):
        mdot = pipe_capacity_kg_per_s(
            di_mm=float(row.di_mm),
            roughness_mm=float(row.roughness_mm),
            max_velocity_m_per_s=limits.max_velocity_m_per_s,
            max_pressure_gradient_pa_per_m=limits.max_pressure_gradient_pa_per_m,
            t_water_c=t_water_c,
        )
        out.append(
            PipeOption(
                dn_mm=int(row.dn_mm),
                di_mm=float(row.di_mm),
                max_mdot_kg_per_s=mdot,
                max_heat_kw=mdot * CP_WATER_KJ_PER_KG_K * delta_t_k,
                cost_eur_per_m=float(getattr(row, cost_column)) * pipes_per_trench,
                lifetime_yr=float(row.lifetime_yr),
                om_fraction_per_yr=float(row.om_fraction_per_yr),
                roughness_mm=float(row.roughness_mm),
                u_w_per_mk=float(row.u_w_per_mk),
            )
        )
    if max_parallel == 1:
        return tuple(out)
    material = dict(
        zip(catalogue.dn_mm.astype(int), catalogue.cost_material_eur_per_m, strict=True)
    )
    largest = max(p.max_mdot_kg_per_s for p in out)
    extra = [
        parallel_option(
            p,
            n,
            material_eur_per_m=float(material[p.dn_mm]) * pipes_per_trench,
            civil_factor=parallel_civil_factor,
        )
        for n in range(2, max_parallel + 1)
        for p in out
        if n * p.max_mdot_kg_per_s > largest
    ]
    kept = [
        p
        for p in extra
        if not any(
            q.max_mdot_kg_per_s >= p.max_mdot_kg_per_s
            and q.cost_eur_per_m <= p.cost_eur_per_m
            and (q.max_mdot_kg_per_s, -q.cost_eur_per_m) != (p.max_mdot_kg_per_s, -p.cost_eur_per_m)
            for q in extra
        )
    ]
    return tuple(out) + tuple(sorted(kept, key=lambda p: p.max_mdot_kg_per_s))


def parallel_option(
    single: PipeOption, n: int, *, material_eur_per_m: float, civil_factor: float
) -> PipeOption:
    """Turn a single-pipe option into ``n`` identical pipes side by side per line.

    Parameters
    ----------
    single
        The option with one pipe per line.
    n
        Pipes per line, >= 1.
    material_eur_per_m
        Material part of ``single.cost_eur_per_m`` (both lines) [EUR/m]; the rest is the
        trench's civil part.
    civil_factor
        Share of the civil part each further pipe per line adds (wider trench) [-].

    Returns
    -------
    PipeOption
        ``n`` x capacity, heat, soil exchange and material; civil x ``1 + civil_factor (n-1)``.

    """
    civil = single.cost_eur_per_m - material_eur_per_m
    return replace(
        single,
        max_mdot_kg_per_s=n * single.max_mdot_kg_per_s,
        max_heat_kw=n * single.max_heat_kw,
        cost_eur_per_m=n * material_eur_per_m + civil * (1.0 + civil_factor * (n - 1)),
        u_w_per_mk=n * single.u_w_per_mk,
        parallel=n,
    )


def _sides(inputs) -> list[tuple[set[str], set[str]]] | None:
    """Return the nodes on either side of every trench; ``None`` when the graph has meshes."""
    graph = nx.Graph()
    graph.add_nodes_from(inputs.node_ids)
    for k, e in enumerate(inputs.edges):
        graph.add_edge(e.from_id, e.to_id, k=k)
    if not nx.is_forest(graph):
        return None
    out = []
    for e in inputs.edges:
        graph.remove_edge(e.from_id, e.to_id)
        side = nx.node_connected_component(graph, e.from_id)
        other = nx.node_connected_component(graph, e.to_id)
        graph.add_edge(e.from_id, e.to_id)
        out.append((side, other))
    return out


def edge_flow_bounds(inputs, node_load_kw: dict[str, float]) -> list[float]:
    """Largest heat flow each candidate trench could ever carry [kW].

    For a tree (or forest) it is the smaller of the summed node loads on the two sides of
    the trench; for meshed candidates the total of all loads.

    Parameters
    ----------
    inputs
        :class:`optimisation.sizing.inputs.SizingInputs` (node ids and edges).
    node_load_kw
        Largest absolute loop load per node [kW].

    Returns
    -------
    list[float]
        One bound per edge [kW].

    """
    sides = _sides(inputs)
    if sides is None:
        return [sum(node_load_kw.values())] * len(inputs.edges)
    return [
        min(sum(node_load_kw.get(n, 0.0) for n in a), sum(node_load_kw.get(n, 0.0) for n in b))
        for a, b in sides
    ]


def coincident_flow_bounds(
    inputs,
    withdraw_kw: dict[str, float | np.ndarray],
    inject_kw: dict[str, float | np.ndarray],
) -> list[float]:
    """Largest heat flow each candidate trench could carry in any one time step [kW].

    A flow from one side of a tree's trench to the other is at most what the one side can
    inject and the other withdraw in the same step; the bound is the larger direction's,
    the largest over the steps. Meshed candidates: all injection or withdrawal of a step.

    Parameters
    ----------
    inputs
        :class:`optimisation.sizing.inputs.SizingInputs` (node ids and edges).
    withdraw_kw, inject_kw
        Largest heat each node can take from / give to the loop [kW], a number or one per
        time step (arrays of one length).

    Returns
    -------
    list[float]
        One bound per edge [kW].

    """

    def total(loads: dict, nodes) -> float | np.ndarray:
        return sum((loads.get(n, 0.0) for n in nodes), 0.0)

    sides = _sides(inputs)
    if sides is None:
        everything = inputs.node_ids
        bound = np.minimum(total(inject_kw, everything), total(withdraw_kw, everything))
        return [float(np.max(bound))] * len(inputs.edges)
    return [
        float(
            np.max(
                np.maximum(
                    np.minimum(total(inject_kw, a), total(withdraw_kw, b)),
                    np.minimum(total(inject_kw, b), total(withdraw_kw, a)),
                )
            )
        )
        for a, b in sides
    ]
