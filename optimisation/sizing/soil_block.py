"""Heat exchange of the built trenches with the soil, as terms of the node balances.

A trench of length ``L`` built with pipe size ``d`` gains ``u_d L (2 T_soil - T_warm -
T_cold)`` from the ground (one warm and one cold pipe, water at the line temperatures; < 0
when the loop is warmer than the soil), half at each end. ``soil_ua[k]`` [W/K] is the chosen
size's ``u L`` as a continuous variable, so the node balances hold no binaries.

The soil's heat needs a balancing unit that takes or gives it in every hour, as the
simulation's does: the term counts only while an ATES is available to the model (or to the
coalition it is restricted to; ``soil_ua_used`` is ``soil_ua`` then, else 0, linear in the
availability); without one the loop's temperature drift would absorb it, which the heat-flow
model cannot express, so a district without an ATES has no soil term.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyomo.environ as pyo

__all__ = ["add_soil", "soil_gain_kw"]


def soil_gain_kw(ua_w_per_k: float, t_soil_c: np.ndarray, t_warm_c: float, t_cold_c: float):
    """Heat a trench gains from the soil per step [kW] for its ``u L`` [W/K] (one pipe)."""
    return ua_w_per_k * (2.0 * np.asarray(t_soil_c) - t_warm_c - t_cold_c) / 1000.0


def add_soil(
    m: pyo.ConcreteModel, inputs, steps, edge_options: dict[int, list[int]]
) -> list[tuple[str, Callable]]:
    """Add ``soil_ua`` per trench and return the soil terms of the node balances.

    Parameters
    ----------
    m
        The model with the pipe-size binaries ``x``.
    inputs, steps
        Sizing inputs (edges, pipes, line temperatures) and time steps (``t_soil_c``).
    edge_options
        Allowed pipe options per edge.

    Returns
    -------
    list
        ``(node id, term)`` pairs; ``term(m, t)`` is the heat taken out of the network at
        the node (the sign of the balances): minus half the trench's gain.
    """
    if steps.t_soil_c is None or not inputs.ates:
        return []
    edges = range(len(inputs.edges))
    ua = {
        k: {d: inputs.pipes[d].u_w_per_mk * inputs.edges[k].length_m for d in edge_options[k]}
        for k in edges
    }
    m.soil_ua = pyo.Var(edges, bounds=lambda _, k: (0.0, max(ua[k].values(), default=0.0)))
    m.soil_ua_of_size = pyo.Constraint(
        edges, rule=lambda m, k: m.soil_ua[k] == sum(ua[k][d] * m.x[k, d] for d in ua[k])
    )
    biggest = {k: max(ua[k].values(), default=0.0) for k in edges}
    atess = range(len(inputs.ates))
    m.soil_ua_used = pyo.Var(edges, bounds=lambda _, k: (0.0, biggest[k]))
    m.soil_used_le = pyo.Constraint(edges, rule=lambda m, k: m.soil_ua_used[k] <= m.soil_ua[k])
    m.soil_used_if_ates = pyo.Constraint(
        edges,
        rule=lambda m, k: m.soil_ua_used[k] <= biggest[k] * sum(m.ates_available[a] for a in atess),
    )
    m.soil_used_ge = pyo.Constraint(
        edges,
        atess,
        rule=lambda m, k, a: (
            m.soil_ua_used[k] >= m.soil_ua[k] - biggest[k] * (1 - m.ates_available[a])
        ),
    )
    gain_per_w_k = soil_gain_kw(1.0, steps.t_soil_c, inputs.t_warm_c, inputs.t_cold_c)
    terms = []
    for k, e in enumerate(inputs.edges):
        if not edge_options[k]:
            continue
        for node in (e.from_id, e.to_id):
            terms.append(
                (node, lambda m, t, k=k: -0.5 * float(gain_per_w_k[t]) * m.soil_ua_used[k])
            )
    return terms
