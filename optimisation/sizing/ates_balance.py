"""Keep the handed-over year within the ATES permit's annual balance, as the optimiser does.

The optimiser keeps ``|heat in - heat out| <= tolerance x max(in, out)`` for the ATES over
the year; building units that simply run whenever there is demand would draw the storage
out of balance (on a heat-dominated loop: more heat out than in). Where the buildings' loads
(plus the plants' and the trenches' soil exchange) would break the rule, the loads on the
dominant side are scaled down by one factor for the year, and the buildings' own units
cover the rest, which is how the optimiser meets the rule too (it uses the grid less).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["ates_exchange_mwh", "balance_to_permit"]

_BISECTIONS = 50


def ates_exchange_mwh(balancing_kw: np.ndarray) -> tuple[float, float]:
    """Heat the balancing unit gives to and takes from the loop over the year [MWh]."""
    out = float(np.clip(balancing_kw, 0.0, None).sum()) / 1000.0
    into = float(np.clip(-balancing_kw, 0.0, None).sum()) / 1000.0
    return out, into


def _scaled(values: np.ndarray, sign: float, factor: float) -> np.ndarray:
    side = values * sign > 0
    return np.where(side, values * factor, values)


def balance_to_permit(
    loads_kw: pd.DataFrame,
    *,
    other_kw: np.ndarray,
    tolerance: float,
) -> pd.DataFrame:
    """Scale the buildings' loads on the dominant side until the ATES balance rule holds.

    Parameters
    ----------
    loads_kw
        Net loop load per building and hour [kW] (> 0: takes heat from the loop).
    other_kw
        What else the balancing unit makes up per hour [kW]: the plants' loads minus the
        trenches' soil gain.
    tolerance
        Allowed annual imbalance ``|in - out| / max(in, out)`` [-].

    Returns
    -------
    pandas.DataFrame
        The loads, with the positive ones (more heat out of the ATES than in) or the
        negative ones (more in than out) times one factor in ``[0, 1]``, the largest that
        keeps the rule (unchanged when it holds already).
    """
    values = loads_kw.to_numpy(dtype=float)
    other = np.asarray(other_kw, dtype=float)

    def excess(sign: float, factor: float) -> float:
        out, into = ates_exchange_mwh(_scaled(values, sign, factor).sum(axis=1) + other)
        big, small = (out, into) if sign > 0 else (into, out)
        return big - small / (1.0 - tolerance) if tolerance < 1.0 else 0.0

    for sign in (1.0, -1.0):
        if excess(sign, 1.0) <= 0.0:
            continue
        lo, hi = 0.0, 1.0  # excess(lo) <= 0 is not guaranteed: keep the best reachable
        if excess(sign, 0.0) > 0.0:
            values = _scaled(values, sign, 0.0)
            break
        for _ in range(_BISECTIONS):
            mid = 0.5 * (lo + hi)
            if excess(sign, mid) > 0.0:
                hi = mid
            else:
                lo = mid
        values = _scaled(values, sign, lo)
        break
    return pd.DataFrame(values, index=loads_kw.index, columns=loads_kw.columns)
