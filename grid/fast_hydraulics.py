"""Pressure drops and junction pressures of a tree network, all hours at once.

Mirrors the incompressible hydraulics of pandapipes 0.16 with ``friction_model="colebrook"``:

* Darcy-Weisbach ``dp = lambda * L / d * mdot * |mdot| / (2 * A^2 * rho)`` [Pa];
* ``lambda`` from the Colebrook-White equation
  ``1/sqrt(lambda) = -2 log10(2.51 / (Re sqrt(lambda)) + k / (3.71 d))`` at every Reynolds
  number > 0 (pandapipes' Colebrook model has no laminar branch), solved by Newton's method;
* in ``mode="sequential"`` pandapipes solves the hydraulics before the temperatures, with the
  density and viscosity of the junctions' initial temperatures, which
  :func:`grid.hydraulics.solve_hour` sets to the nominal line temperatures; so do we.
"""

from __future__ import annotations

import numpy as np

from tsg.grid.tree_flows import TreeTopology

__all__ = ["colebrook_lambda", "node_pressures_pa", "pipe_pressure_drop_pa"]


def colebrook_lambda(
    reynolds: np.ndarray, relative_roughness: np.ndarray | float, *, max_iter: int = 50
) -> np.ndarray:
    """Darcy friction factor from Colebrook-White (k / 3.71 d as in pandapipes) [-].

    Parameters
    ----------
    reynolds
        Reynolds number [-] (any shape); entries <= 0 give NaN.
    relative_roughness
        ``k / d`` [-], broadcastable to ``reynolds``.
    max_iter
        Newton iterations at most (converges in 3-6 from the start value).

    Returns
    -------
    numpy.ndarray
        Friction factor [-], NaN where ``reynolds <= 0``.

    """
    re = np.asarray(reynolds, dtype=float)
    rough = np.broadcast_to(np.asarray(relative_roughness, dtype=float) / 3.71, re.shape)
    ok = re > 0
    safe_re = np.where(ok, re, 1e5)  # masked entries get a harmless turbulent value
    x = np.full(re.shape, 7.0)  # 1/sqrt(lambda) for lambda ~ 0.02
    c = 2.0 / np.log(10.0)
    for _ in range(max_iter):
        arg = 2.51 * x / safe_re + rough
        f = x + 2.0 * np.log10(arg)
        fprime = 1.0 + c * (2.51 / safe_re) / arg
        step = np.where(ok, f / fprime, 0.0)
        x = np.maximum(x - step, 0.1 * x)  # stays positive where Re << 1 (tiny flows)
        if np.all(np.abs(step[ok]) <= 1e-12 * np.abs(x[ok])):
            break
    return np.where(ok, 1.0 / x**2, np.nan)


def pipe_pressure_drop_pa(
    mdot_kg_per_s: np.ndarray,
    *,
    di_m: np.ndarray,
    roughness_m: np.ndarray,
    length_m: np.ndarray,
    rho_kg_per_m3: float,
    eta_pa_s: float,
) -> np.ndarray:
    """Frictional pressure drop along the signed flow [Pa] (> 0 when ``mdot`` > 0).

    Parameters
    ----------
    mdot_kg_per_s
        Signed mass flow [kg/s], shape (hours, pipes).
    di_m, roughness_m, length_m
        Inner diameter, roughness and length per pipe [m], shape (pipes,).
    rho_kg_per_m3, eta_pa_s
        Density [kg/m³] and dynamic viscosity [Pa s] of the water.

    Returns
    -------
    numpy.ndarray
        ``p_upstream - p_downstream`` expressed along the positive direction [Pa].

    """
    area = np.pi * di_m**2 / 4.0
    m = np.asarray(mdot_kg_per_s, dtype=float)
    re = np.abs(m) * di_m / (eta_pa_s * area)
    lam = np.nan_to_num(colebrook_lambda(re, roughness_m / di_m))
    return lam * length_m / di_m * m * np.abs(m) / (2.0 * area**2 * rho_kg_per_m3)


def node_pressures_pa(
    topology: TreeTopology, *, p_root_pa: np.ndarray, down_dp_pa: np.ndarray
) -> np.ndarray:
    """Junction pressures of one line from the root pressure and the pipe drops.

    Parameters
    ----------
    topology
        The rooted tree.
    p_root_pa
        Pressure at the root junction [Pa], shape (hours,).
    down_dp_pa
        Pressure drop from each node's parent to the node [Pa], (hours, nodes) per child.

    Returns
    -------
    numpy.ndarray
        Pressures [Pa], shape (hours, nodes).

    """
    p = np.empty_like(down_dp_pa)
    p[:, topology.root] = p_root_pa
    for c in topology.preorder[1:]:
        p[:, c] = p[:, topology.parent[c]] - down_dp_pa[:, c]
    return p
