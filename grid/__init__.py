"""Network: layout, pipe catalogue, building substations, pandapipes ambient-loop model.

Public API
----------
Layout (:mod:`grid.layout`)
    :func:`to_rd_new`, :func:`propose_layout`, :func:`edges_from_list`,
    :func:`edges_from_geojson`.
Pipes (:mod:`grid.pipe_catalogue`)
    :func:`load_pipe_catalogue`, :func:`size_pipe_by_rule`, :func:`pressure_gradient_pa_per_m`.
Substations (:mod:`grid.substation`)
    :class:`SubstationSpec`, :func:`substation_loads`.
Network and hydraulics (:mod:`grid.network`, :mod:`grid.hydraulics`)
    :class:`LoopSpec`, :func:`build_network`, :class:`ThermalNetwork`, :func:`solve_hour`,
    :class:`HourResult`, :class:`HydraulicsError`.
"""

from grid.hydraulics import HourResult, HydraulicsError, solve_hour
from grid.layout import edges_from_geojson, edges_from_list, propose_layout, to_rd_new
from grid.network import LoopSpec, ThermalNetwork, build_network
from grid.pipe_catalogue import (
    load_pipe_catalogue,
    pressure_gradient_pa_per_m,
    size_pipe_by_rule,
)
from grid.substation import SubstationSpec, substation_loads

__all__ = [
    "HourResult",
    "HydraulicsError",
    "LoopSpec",
    "SubstationSpec",
    "ThermalNetwork",
    "build_network",
    "edges_from_geojson",
    "edges_from_list",
    "load_pipe_catalogue",
    "pressure_gradient_pa_per_m",
    "propose_layout",
    "size_pipe_by_rule",
    "solve_hour",
    "substation_loads",
    "to_rd_new",
]
