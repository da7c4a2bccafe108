"""Pipe sizes by rule: the peak flow of every trench over the year at a design velocity.

Until the optimiser sizes pipes, each trench of a tree network gets the smallest catalogue
pipe that carries its design flow within a velocity and a pressure-gradient limit
(:func:`grid.pipe_catalogue.size_pipe_by_rule`), or, where the largest pipe cannot, the
fewest identical pipes side by side (up to ``max_parallel``) that carry it, each ``1/n`` of
the flow. The design flow of a trench is the largest
hourly flow through it, computed with nominal building mass flows
``|Q| / (cp * (t_warm - t_cold))`` and subtree sums, times a margin: in the simulation the
temperature spread a building sees is a little smaller than nominal (soil exchange), so its
flow is a little larger.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tsg.common.errors import InputError
from tsg.common.units import CP_WATER_J_PER_KG_K
from tsg.grid.design_limits import DesignLimits, load_design_limits
from tsg.grid.pipe_catalogue import load_pipe_catalogue, size_pipe_by_rule
from tsg.grid.tree_flows import is_tree, tree_topology

__all__ = ["SizingRule", "size_edges_by_peak_flow"]


@dataclass(frozen=True)
class SizingRule:
    """Design limits of the sizing rule.

    Parameters
    ----------
    max_velocity_m_per_s
        Largest mean velocity at design flow [m/s]. Default: the design limits'
        (:func:`grid.design_limits.load_design_limits`).
    max_pressure_gradient_pa_per_m
        Largest friction gradient at design flow [Pa/m]. Default: the design limits'.
    flow_margin
        Design flow / peak nominal flow [-], >= 1. Default 1.1 (assumption: 10 % for
        temperature spreads below nominal).

    """

    max_velocity_m_per_s: float = field(
        default_factory=lambda: load_design_limits().max_velocity_m_per_s
    )
    max_pressure_gradient_pa_per_m: float = field(
        default_factory=lambda: load_design_limits().max_pressure_gradient_pa_per_m
    )
    flow_margin: float = 1.1

    def __post_init__(self) -> None:
        for name in ("max_velocity_m_per_s", "max_pressure_gradient_pa_per_m"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise InputError(f"{name} must be positive, got {value}", field=name)
        if not (math.isfinite(self.flow_margin) and self.flow_margin >= 1.0):
            raise InputError("flow_margin must be >= 1", field="flow_margin")

    @classmethod
    def from_limits(cls, limits: DesignLimits, **kwargs: float) -> SizingRule:
        """Make the rule with the velocity and gradient of a set of design limits.

        Parameters
        ----------
        limits
            Design limits.
        **kwargs
            Other fields (``flow_margin``).

        """
        return cls(
            max_velocity_m_per_s=limits.max_velocity_m_per_s,
            max_pressure_gradient_pa_per_m=limits.max_pressure_gradient_pa_per_m,
            **kwargs,
        )


def size_edges_by_peak_flow(
    edges: pd.DataFrame,
    *,
    building_heat_kw: pd.DataFrame,
    balancing_id: str,
    delta_t_k: float,
    rule: SizingRule | None = None,
    catalogue: pd.DataFrame | None = None,
    allow_undersized: bool = False,
    max_parallel: int = 1,
) -> pd.DataFrame:
    """Give every trench of a tree network a pipe size from its peak hourly flow.

    Parameters
    ----------
    edges
        Columns ``from_id``, ``to_id``, ``length_m`` [m]; must form a tree.
    building_heat_kw
        Hourly loop-side load per building id [kW] (> 0 takes heat).
    balancing_id
        Node id of the balancing unit (root of the tree).
    delta_t_k
        Nominal warm - cold temperature spread [K], > 0.
    rule
        Design limits (default :class:`SizingRule` with the catalogue's design limits).
    catalogue
        Pipe catalogue (default :func:`grid.pipe_catalogue.load_pipe_catalogue`).
    allow_undersized
        If a design flow exceeds what the largest catalogue pipe carries within the limits:
        raise (default) or give that trench the largest pipe and mark it ``undersized`` (the
        design checks then list its violations).
    max_parallel
        Most identical pipes per line a trench may get where one pipe is too small.

    Returns
    -------
    pandas.DataFrame
        The edges plus ``design_mdot_kg_per_s`` (peak flow x margin), ``dn_mm``,
        ``parallel_pipes`` (pipes of ``dn_mm`` side by side per line) and ``undersized``
        (bool: even ``max_parallel`` of the largest pipe exceed the limits).

    Raises
    ------
    InputError
        A network that is not a tree, buildings not on it, a non-positive spread, or (unless
        ``allow_undersized``) a flow that no catalogue pipe carries.

    """
    if not (math.isfinite(delta_t_k) and delta_t_k > 0):
        raise InputError("delta_t_k must be positive", field="delta_t_k")
    rule = SizingRule() if rule is None else rule
    out = edges.reset_index(drop=True).copy()
    node_ids: list[str] = []
    for nid in pd.concat([out.from_id, out.to_id]).astype(str):
        if nid not in node_ids:
            node_ids.append(nid)
    if not is_tree(out, node_ids):
        raise InputError("sizing by rule needs a tree network (no meshes)", field="edges")
    missing = sorted(set(map(str, building_heat_kw.columns)) - set(node_ids))
    if missing or str(balancing_id) not in node_ids:
        raise InputError(
            f"nodes not on the network: {missing or [balancing_id]}", field="building_heat_kw"
        )
    topo = tree_topology(out, node_ids=node_ids, root_id=str(balancing_id))
    index = {nid: k for k, nid in enumerate(node_ids)}
    withdrawal = np.zeros((len(building_heat_kw), len(node_ids)))
    for col in building_heat_kw.columns:
        q_w = building_heat_kw[col].to_numpy(dtype=float) * 1000.0
        withdrawal[:, index[str(col)]] = q_w / (CP_WATER_J_PER_KG_K * delta_t_k)
    peak = np.abs(topo.downward_flows(withdrawal)).max(axis=0, initial=0.0)
    design = peak[topo.edge_child] * rule.flow_margin
    cat = load_pipe_catalogue() if catalogue is None else catalogue
    largest = int(cat.sort_values("di_mm").dn_mm.iloc[-1])
    sizes, parallel, undersized = [], [], []
    for m in design:
        for n in range(1, max(1, max_parallel) + 1):
            try:
                dn = size_pipe_by_rule(
                    max(float(m) / n, 1e-3),
                    max_velocity_m_per_s=rule.max_velocity_m_per_s,
                    max_pressure_gradient_pa_per_m=rule.max_pressure_gradient_pa_per_m,
                    catalogue=cat,
                )
                break
            except InputError:
                if n < max_parallel:
                    continue
                if not allow_undersized:
                    raise
                dn = largest
        sizes.append(dn)
        parallel.append(n)
        undersized.append(dn == largest and m > 0 and not _fits(m / n, dn, rule, cat))
    out["design_mdot_kg_per_s"] = design
    out["dn_mm"] = sizes
    out["parallel_pipes"] = parallel
    out["undersized"] = undersized
    return out


def _fits(mdot: float, dn: int, rule: SizingRule, cat: pd.DataFrame) -> bool:
    try:
        return (
            size_pipe_by_rule(
                mdot,
                max_velocity_m_per_s=rule.max_velocity_m_per_s,
                max_pressure_gradient_pa_per_m=rule.max_pressure_gradient_pa_per_m,
                catalogue=cat[cat.dn_mm == dn],
            )
            == dn
        )
    except InputError:
        return False
