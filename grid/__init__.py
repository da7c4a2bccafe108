"""Network: layout, pipe catalogue, building substations, pandapipes ambient-loop model.

Public API
----------
Layout (:mod:`grid.layout`)
    :func:`to_rd_new`, :func:`propose_layout`, :func:`edges_from_list`,
    :func:`edges_from_geojson`.
Pipes (:mod:`grid.pipe_catalogue`)
    :func:`load_pipe_catalogue`, :func:`size_pipe_by_rule`, :func:`pressure_gradient_pa_per_m`.
Substations (:mod:`grid.substation`, :mod:`grid.substation_coupling`)
    :class:`SubstationSpec`, :func:`substation_loads`, :func:`simulate_year_coupled` (COP at
    the temperatures the network delivers).
Network and hydraulics (:mod:`grid.network`, :mod:`grid.hydraulics`)
    :class:`LoopSpec`, :func:`build_network`, :class:`ThermalNetwork`,
    :func:`heating_return_k`, :func:`solve_hour`, :class:`HourResult`, :class:`HydraulicsError`.
Annual simulation (:mod:`grid.fast_annual`, :mod:`grid.year_result`)
    :func:`simulate_year` (vectorised tree solver, pandapipes fallback), :class:`YearResult`.
Design (:mod:`grid.sizing`, :mod:`grid.design_checks`, :mod:`grid.soil`)
    :class:`SizingRule`, :func:`size_edges_by_peak_flow`, :class:`DesignLimits`,
    :func:`design_checks`, :func:`soil_temperature_c`.
Results (:mod:`grid.annual_summary`, :mod:`grid.geojson`)
    :func:`network_totals`, :func:`network_geojson`.
"""

from tsg.grid.annual_summary import network_totals
from tsg.grid.design_checks import DesignLimits, design_checks
from tsg.grid.fast_annual import simulate_year
from tsg.grid.geojson import network_geojson
from tsg.grid.hydraulics import HourResult, HydraulicsError, solve_hour
from tsg.grid.layout import edges_from_geojson, edges_from_list, propose_layout, to_rd_new
from tsg.grid.network import LoopSpec, ThermalNetwork, build_network, heating_return_k
from tsg.grid.pipe_catalogue import load_pipe_catalogue, size_pipe_by_rule
from tsg.grid.sizing import SizingRule, size_edges_by_peak_flow
from tsg.grid.soil import soil_temperature_c
from tsg.grid.substation import SubstationSpec, substation_loads
from tsg.grid.substation_coupling import simulate_year_coupled
from tsg.grid.water_flow import pressure_gradient_pa_per_m
from tsg.grid.year_result import YearResult

__all__ = [
    "DesignLimits",
    "HourResult",
    "HydraulicsError",
    "LoopSpec",
    "SizingRule",
    "SubstationSpec",
    "ThermalNetwork",
    "YearResult",
    "build_network",
    "design_checks",
    "edges_from_geojson",
    "edges_from_list",
    "heating_return_k",
    "load_pipe_catalogue",
    "network_geojson",
    "network_totals",
    "pressure_gradient_pa_per_m",
    "propose_layout",
    "simulate_year",
    "simulate_year_coupled",
    "size_edges_by_peak_flow",
    "size_pipe_by_rule",
    "soil_temperature_c",
    "solve_hour",
    "substation_loads",
    "to_rd_new",
]
