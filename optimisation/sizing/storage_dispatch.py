"""Hourly dispatch of a thermal storage that feeds the simulated network at its own node.

The storage charges (takes heat from the loop) in the hours in which its signal (the
buildings' net load less its daily mean, :func:`optimisation.sizing.plant_dispatch.daily_deviation`:
below the day's mean) is negative and discharges (gives heat back) where it is positive, in
proportion to the signal, within its charge rate (``c_rate x capacity``, both ways) and
its state of charge (between empty and ``capacity``, lossless as in the optimiser). It starts
empty. One factor scales the proportional profile so that the year's charged energy equals
the optimiser's (:func:`storage_dispatch`); where the year cannot hold it, the storage
follows the net load as far as rate and charge allow.
"""

from __future__ import annotations

import numpy as np

__all__ = ["storage_dispatch"]

_BISECTIONS = 60
"""Halvings of the scale interval (relative precision far below the 2 % a plant is held to)."""


def _run(
    inject: np.ndarray,
    extract: np.ndarray,
    charge_max: np.ndarray,
    discharge_max: np.ndarray,
    capacity_kwh: float,
    scale: float,
) -> np.ndarray:
    out = [0.0] * len(inject)
    soc = 0.0
    rows = zip(
        inject.tolist(), extract.tolist(), charge_max.tolist(), discharge_max.tolist(), strict=True
    )
    for t, (inj, ext, c_max, d_max) in enumerate(rows):
        if inj > 0.0:
            q = min(c_max, capacity_kwh - soc, scale * inj)
            soc += q
            out[t] = q
        elif ext > 0.0:
            q = min(d_max, soc, scale * ext)
            soc -= q
            out[t] = -q
    return np.asarray(out)


def storage_dispatch(
    net_kw: np.ndarray,
    *,
    capacity_kwh: float,
    rate_kw: float,
    charge_kwh: float,
    charge_max_kw: np.ndarray | None = None,
    discharge_max_kw: np.ndarray | None = None,
) -> np.ndarray:
    """Hourly load of a storage that follows the buildings' net load [kW].

    Parameters
    ----------
    net_kw
        The buildings' net loop load per hour [kW] (> 0: they extract heat).
    capacity_kwh
        Storage capacity [kWh].
    rate_kw
        Largest charge and discharge power [kW].
    charge_kwh
        Wanted annual charged energy [kWh] (the optimiser's heat taken from the loop).
    charge_max_kw, discharge_max_kw
        Further per-hour limits [kW] (e.g. what the balancing unit can make up); ``None``:
        none.

    Returns
    -------
    numpy.ndarray
        Load per hour [kW], > 0 charging (takes heat from the loop), < 0 discharging: in
        hour ``t`` ``min(limits, s * |net_t|)`` in the direction that offsets the net load,
        with one scale ``s`` for the year such that the charged energy is ``charge_kwh``
        (found by bisection), or as close below it as rate and state of charge allow.
    """
    net = np.asarray(net_kw, dtype=float)
    n = len(net)
    inject = np.clip(-net, 0.0, None)
    extract = np.clip(net, 0.0, None)
    c_max = np.full(n, rate_kw) if charge_max_kw is None else np.minimum(rate_kw, charge_max_kw)
    d_max = (
        np.full(n, rate_kw) if discharge_max_kw is None else np.minimum(rate_kw, discharge_max_kw)
    )
    c_max, d_max = np.clip(c_max, 0.0, None), np.clip(d_max, 0.0, None)
    if charge_kwh <= 0 or capacity_kwh <= 0 or rate_kw <= 0:
        return np.zeros(n)

    def charged(scale: float) -> tuple[float, np.ndarray]:
        out = _run(inject, extract, c_max, d_max, capacity_kwh, scale)
        return float(np.clip(out, 0.0, None).sum()), out

    most, greedy = charged(np.inf)
    if most <= charge_kwh:
        return greedy
    lo, hi = 0.0, 1.0
    while charged(hi)[0] < charge_kwh and hi < 1e12:
        lo, hi = hi, 2.0 * hi
    best = greedy
    for _ in range(_BISECTIONS):
        mid = 0.5 * (lo + hi)
        energy, out = charged(mid)
        if energy < charge_kwh:
            lo = mid
        else:
            hi, best = mid, out
        if abs(energy - charge_kwh) <= 1e-9 * charge_kwh:
            return out
    return best
