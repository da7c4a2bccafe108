"""The sized design as a pandapipes net: ``sizing/network_pandapipes.json``.

The verification builds the pandapipes ambient loop of the sized design
(:func:`grid.network.build_network`: the built trenches with the DN the optimiser chose, as a
warm and a cold pipe each, or ``n`` identical pipes per line side by side where the design has
parallel pipes, named ``<from>-<to>/<line> (i/n)``; the connected buildings and the plants'
feed-in points as heat consumers; the ATES as the two circulation pumps of the balancing unit).
This module puts that net in the state of the design hour -- the hour with the largest total
loop load the design dispatches, solved with :func:`grid.hydraulics.solve_hour` -- and writes
it with pandapipes' own ``to_json``, junction positions in WGS84 (``junction_geodata``: x =
longitude, y = latitude). Load it with ``pandapipes.from_json`` and run
``pandapipes.pipeflow(net, mode="sequential", friction_model="colebrook")`` to reproduce the
hour.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandapipes as pp
import pandas as pd

from tsg.grid.hydraulics import solve_hour
from tsg.grid.layout import to_wgs84
from tsg.grid.network import ThermalNetwork
from tsg.optimisation.sizing import SizingInputs
from tsg.outputs import write_atomically

__all__ = ["DESIGN_HOUR_TRIES", "node_lon_lat", "solve_design_hour", "write_design_net"]

DESIGN_HOUR_TRIES = 24
"""Hours tried, from the largest total load down, until one solves."""


def node_lon_lat(inputs: SizingInputs) -> dict[str, tuple[float, float]]:
    """Position (longitude, latitude) [deg] of every building and source of the sizing inputs."""
    points = [(b.building_id, b.x_m, b.y_m) for b in inputs.buildings]
    points += [(s.source_id, s.x_m, s.y_m) for s in (*inputs.ates, *inputs.heat_sources)]
    if not points:
        return {}
    lat, lon = to_wgs84([p[1] for p in points], [p[2] for p in points])
    return {
        p[0]: (round(float(x), 8), round(float(y), 8))
        for p, x, y in zip(points, lon, lat, strict=True)
    }


def solve_design_hour(
    network: ThermalNetwork, loads_kw: pd.DataFrame, t_soil_c: pd.Series
) -> dict[str, Any]:
    """Solve the design hour on ``network`` and leave its net in that state.

    Parameters
    ----------
    network
        The pandapipes loop of the sized design (modified in place).
    loads_kw
        Hourly net loop load per connected building [kW] (> 0: takes heat).
    t_soil_c
        Undisturbed soil temperature per hour [°C], same index as ``loads_kw``.

    Returns
    -------
    dict
        ``hour`` (the time, or the row number without a time index), ``total_load_kw``
        (sum of |load|), ``converged`` and ``reason`` (why no hour solved, else empty). The
        hour with the largest total load is tried first, then the next ones, up to
        :data:`DESIGN_HOUR_TRIES`.
    """
    total = loads_kw.abs().sum(axis=1).reset_index(drop=True)
    order = total.sort_values(ascending=False, kind="stable").index[:DESIGN_HOUR_TRIES]
    reason = "no hours"
    for k in order:
        result = solve_hour(
            network,
            building_heat_kw=loads_kw.iloc[k],
            t_soil_c=float(t_soil_c.iloc[k]),
            raise_on_failure=False,
        )
        label = loads_kw.index[k]
        note = {
            "hour": str(label) if isinstance(label, pd.Timestamp) else int(k),
            "total_load_kw": float(total.iloc[k]),
            "converged": bool(result.converged),
            "reason": result.reason,
        }
        if result.converged:
            return note
        reason = result.reason
    network.net.heat_consumer["in_service"] = False
    return {"hour": None, "total_load_kw": 0.0, "converged": False, "reason": reason}


def write_design_net(net: pp.pandapipesNet, path: Path) -> Path:
    """Write the net with ``pandapipes.to_json`` (atomically)."""
    return write_atomically(path, lambda p: pp.to_json(net, str(p)))
