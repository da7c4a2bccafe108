"""Temperatures along one line (warm or cold) of a tree network, all hours at once.

The same steady-state equations as pandapipes 0.16 (``pipeflow(mode="sequential")``):

* pipe outlet temperature (exponential soil exchange)
  ``T_out = T_soil + (T_in - T_soil) * exp(-U'L / (cp_b * |mdot|))`` with ``U'`` the heat
  transfer coefficient per metre [W/(m K)], ``L`` the length [m] and ``cp_b`` the mean of
  ``cp(T_in)`` and ``cp(T_out)``;
* junction temperature = mix of every inflow (pipe outlets, building outlets, balancing-unit
  outlet) weighted by ``mdot * cp_n`` with ``cp_n`` the mean of ``cp`` at the inflow
  temperature and at the junction temperature;
* every water source into a line has a set temperature: heating buildings return at their
  set return temperature (:func:`grid.network.heating_return_k`, given by the caller),
  cooling buildings deliver at the warm-line set point and the balancing unit supplies at
  one of the two nominal line temperatures (see :mod:`grid.network`), so a line's
  temperatures follow from its own flows and these set points alone.

On a tree the flow direction of every pipe is known per hour, so two sweeps give all junction
temperatures without solving a system: leaves to root for pipes flowing towards the root,
then root to leaves for pipes flowing away from it. Each sweep is a loop over nodes with
numpy operations over all hours (masks select the hours in which a pipe flows one way).
The heat capacities are taken from the previous iterate (the caller iterates to a fixed
point anyway for the building mass flows).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tsg.grid.tree_flows import TreeTopology

__all__ = ["THERMAL_FLOW_EPS_KG_PER_S", "LineTemperatures", "line_temperatures"]

THERMAL_FLOW_EPS_KG_PER_S = 1e-10
"""Pipes with less flow are ignored in the heat balance (pandapipes' zero-flow test)."""


@dataclass(frozen=True)
class LineTemperatures:
    """Temperatures of one line in all hours.

    Attributes
    ----------
    t_node_k
        Junction temperature [K], shape (hours, nodes); NaN where nothing flows in.
    t_in_k, t_out_k
        Inlet and outlet temperature of the pipe between each node and its parent, along the
        flow [K], shape (hours, nodes) per child node; NaN where the pipe does not flow.

    """

    t_node_k: np.ndarray
    t_in_k: np.ndarray
    t_out_k: np.ndarray


def _outlet(
    t_in: np.ndarray, t_soil: np.ndarray, ua_w_per_k: float, cp: np.ndarray, m: np.ndarray
) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return t_soil + (t_in - t_soil) * np.exp(-ua_w_per_k / (cp * m))


def line_temperatures(
    topology: TreeTopology,
    *,
    down_flow: np.ndarray,
    source_mdot: np.ndarray,
    t_source_k: float | np.ndarray,
    t_soil_k: np.ndarray,
    ua_w_per_k: np.ndarray,
    cp_pipe: np.ndarray,
    cp_mix: np.ndarray,
    cp_source: np.ndarray,
) -> LineTemperatures:
    """Junction and pipe temperatures of one line for all hours.

    Parameters
    ----------
    topology
        The rooted tree.
    down_flow
        Flow in this line from each node's parent into the node [kg/s], (hours, nodes);
        negative = towards the root.
    source_mdot
        Water entering the line at each node at ``t_source_k`` [kg/s] >= 0, (hours, nodes).
    t_source_k
        Temperature of the sources into this line [K]: a scalar or per (hours, nodes).
    t_soil_k
        Undisturbed soil temperature [K], (hours,).
    ua_w_per_k
        ``U' * L`` of the pipe between each node and its parent [W/K], (nodes,).
    cp_pipe
        Heat capacity for the exponential law per pipe [J/(kg K)], (hours, nodes).
    cp_mix
        Heat capacity weighting each pipe's outflow at the receiving junction, (hours, nodes).
    cp_source
        Heat capacity weighting the sources at each junction, (hours, nodes).

    Returns
    -------
    LineTemperatures

    """
    n_hours, n_nodes = down_flow.shape
    ts = t_soil_k
    weight = source_mdot * cp_source
    energy = weight * t_source_k
    t_in = np.full((n_hours, n_nodes), np.nan)
    t_out = np.full((n_hours, n_nodes), np.nan)
    parent = topology.parent
    # leaves -> root: pipes that flow towards the root carry their node's mixed temperature
    for c in topology.preorder[:0:-1]:
        g = down_flow[:, c]
        up = g < -THERMAL_FLOW_EPS_KG_PER_S
        if not up.any():
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            t_up = energy[:, c] / weight[:, c]
        m = np.where(up, -g, 0.0)
        out = _outlet(t_up, ts, ua_w_per_k[c], cp_pipe[:, c], m)
        w = m * cp_mix[:, c]
        p = parent[c]
        weight[:, p] += np.where(up, w, 0.0)
        energy[:, p] += np.where(up, w * out, 0.0)
        t_in[:, c] = np.where(up, t_up, t_in[:, c])
        t_out[:, c] = np.where(up, out, t_out[:, c])
    # root -> leaves: pipes that flow away from the root carry their parent's temperature
    t_node = np.full((n_hours, n_nodes), np.nan)
    root = topology.root
    with np.errstate(divide="ignore", invalid="ignore"):
        t_node[:, root] = np.where(weight[:, root] > 0, energy[:, root] / weight[:, root], np.nan)
    for c in topology.preorder[1:]:
        g = down_flow[:, c]
        down = g > THERMAL_FLOW_EPS_KG_PER_S
        w_c, e_c = weight[:, c], energy[:, c]
        if down.any():
            m = np.where(down, g, 0.0)
            out = _outlet(t_node[:, parent[c]], ts, ua_w_per_k[c], cp_pipe[:, c], m)
            w = m * cp_mix[:, c]
            w_c = w_c + np.where(down, w, 0.0)
            e_c = e_c + np.where(down, w * out, 0.0)
            t_in[:, c] = np.where(down, t_node[:, parent[c]], t_in[:, c])
            t_out[:, c] = np.where(down, out, t_out[:, c])
        with np.errstate(divide="ignore", invalid="ignore"):
            t_node[:, c] = np.where(w_c > 0, e_c / w_c, np.nan)
    return LineTemperatures(t_node_k=t_node, t_in_k=t_in, t_out_k=t_out)
