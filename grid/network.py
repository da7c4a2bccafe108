"""Build a two-pipe ambient loop as a pandapipes network.

Topology: every node of the layout gets a junction on the warm line and one on the cold line;
every edge becomes two buried pipes (warm, cold) of the same size, or ``n`` identical pipes per
line where the edge table asks for parallel pipes (``parallel_pipes``: pandapipes 0.16 has no
parallel count of its own, so each is its own pipe between the same junctions, and by symmetry
each carries ``1/n`` of the trench's flow). Each building gets two
pandapipes ``heat_consumer`` elements between its warm and cold junction, of which at most one
is in service in a given hour:

* ``heat`` (warm -> cold, ``qext_w > 0``): the building takes heat; modelled with a *set
  return temperature* (pandapipes' ``treturn_k`` mode), the usual control of a heat pump
  substation: the evaporator returns the water at the nominal cold-line temperature, unless
  the water arrives less than ``min_evaporator_delta_t_k`` above it (warm water cooled in a
  long low-flow pipe in winter). Then the evaporator cools it by that amount and returns it
  *below* the cold line, not below ``min_return_c`` (:func:`heating_return_k`) -- instead of
  drawing an ever larger flow for an ever smaller temperature drop. Set outlet temperatures
  anchor the line temperatures, so local heater/cooler loops with no flow through the
  balancing unit stay well posed.
* ``cool`` (cold -> warm, ``qext_w < 0``): the building injects heat; modelled with a
  controlled mass flow that :func:`grid.hydraulics.solve_hour` iterates until the outlet is at
  the nominal warm-line temperature (pandapipes 0.16 cannot model injection with
  ``treturn_k``).

The balancing unit (ATES with its heat exchanger) is represented by two
``circ_pump_const_pressure`` elements between its cold and warm junction, one per direction:
``heating`` (cold -> warm, delivers water at the nominal warm temperature, i.e. supplies heat
to the loop) and ``cooling`` (warm -> cold, delivers water at the nominal cold temperature).
The solver puts the one that matches the net mass balance of the hour in service.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandapipes as pp
import pandas as pd

from tsg.common.errors import InputError
from tsg.common.units import C_TO_K
from tsg.grid.design_limits import load_design_limits
from tsg.grid.pipe_catalogue import load_pipe_catalogue

__all__ = ["LoopSpec", "ThermalNetwork", "build_network", "heating_return_k"]


@dataclass(frozen=True)
class LoopSpec:
    """Operating data of the ambient loop.

    Parameters
    ----------
    t_warm_c
        Nominal warm-line temperature [°C]: balancing-unit supply in heating hours and the
        outlet temperature of cooling buildings.
    t_cold_c
        Nominal cold-line temperature [°C]: return temperature of heating buildings and the
        balancing-unit supply in cooling hours.
    p_flow_bar
        Pressure held at the balancing-unit outlet [bar].
    plift_bar
        Pressure lift of the central circulation pump [bar]. Default: the head available at
        the central pump (``central_pump_head_bar`` of
        :func:`grid.design_limits.load_design_limits`). Buildings have their own pumps
        (5GDHC practice); a building whose outlet pressure exceeds its inlet pressure is
        reported as needing decentral pump power.
    pump_efficiency
        Wire-to-water efficiency of all pumps [-] (assumption: 0.6 for small wet-rotor and
        inline pumps), used to convert hydraulic into electric power.
    min_evaporator_delta_t_k
        Smallest temperature drop a heating building's evaporator gives the loop water [K].
        Default 3 (assumption: the lower end of the 3-5 K design spread of water-to-water
        heat pump evaporators; below it the evaporator flow, and the branch flow with it,
        would grow without bound).
    min_return_c
        Lowest temperature a heating building returns to the cold line [°C]. Default: the
        design limits' ``min_temperature_c`` (the lowest junction temperature the design
        checks allow; the catalogue gives the source).

    """

    t_warm_c: float = 18.0
    t_cold_c: float = 12.0
    p_flow_bar: float = 4.0
    plift_bar: float = field(default_factory=lambda: load_design_limits().central_pump_head_bar)
    pump_efficiency: float = 0.6
    min_evaporator_delta_t_k: float = 3.0
    min_return_c: float = field(default_factory=lambda: load_design_limits().min_temperature_c)

    def __post_init__(self) -> None:
        if not (np.isfinite(self.t_warm_c) and np.isfinite(self.t_cold_c)):
            raise InputError("line temperatures must be finite", field="t_warm_c")
        if self.t_warm_c - self.t_cold_c < 1.0:
            raise InputError(
                "t_warm_c must exceed t_cold_c by at least 1 K "
                f"(got {self.t_warm_c} / {self.t_cold_c} °C)",
                field="t_warm_c",
            )
        if not (0.0 < self.t_cold_c and self.t_warm_c < 90.0):
            raise InputError("line temperatures must lie between 0 and 90 °C", field="t_cold_c")
        if not (self.p_flow_bar > 0 and self.plift_bar >= 0):
            raise InputError("need p_flow_bar > 0 and plift_bar >= 0", field="p_flow_bar")
        if not (0.0 < self.pump_efficiency <= 1.0):
            raise InputError("pump_efficiency must lie in (0, 1]", field="pump_efficiency")
        if not (np.isfinite(self.min_evaporator_delta_t_k) and self.min_evaporator_delta_t_k > 0):
            raise InputError(
                "min_evaporator_delta_t_k must be positive", field="min_evaporator_delta_t_k"
            )
        if not (np.isfinite(self.min_return_c) and self.min_return_c >= 0.0):
            raise InputError("min_return_c must be >= 0 °C", field="min_return_c")

    @property
    def delta_t_k(self) -> float:
        """Nominal temperature spread warm - cold [K]."""
        return self.t_warm_c - self.t_cold_c


def heating_return_k(t_in_k: np.ndarray | float, loop: LoopSpec) -> np.ndarray:
    """Temperature at which a heating building returns its water to the cold line [K].

    ``min(T_cold, max(T_min_return, T_in - dT_evap_min))``: the nominal cold-line temperature
    while the water arrives at least ``loop.min_evaporator_delta_t_k`` above it; otherwise the
    evaporator cools it by that drop, but not below ``loop.min_return_c`` (and never above the
    cold line). Continuous in ``T_in``; both solvers use it.

    Parameters
    ----------
    t_in_k
        Evaporator inlet temperature [K] (scalar or array).
    loop
        Line temperatures and the evaporator limits.

    Returns
    -------
    numpy.ndarray
        Return temperature [K], shape of ``t_in_k``.

    """
    t_cold_k = loop.t_cold_c + C_TO_K
    floor_k = min(loop.min_return_c, loop.t_cold_c) + C_TO_K
    t_in = np.asarray(t_in_k, dtype=float)
    return np.minimum(t_cold_k, np.maximum(floor_k, t_in - loop.min_evaporator_delta_t_k))


@dataclass(frozen=True)
class ThermalNetwork:
    """A built pandapipes ambient loop plus the lookup tables to address it.

    Attributes
    ----------
    net
        The pandapipes network (mutable: the solver changes loads and in-service flags).
    loop
        Operating data.
    node_ids
        All node ids.
    building_ids
        Ids of the buildings (each with two heat consumers).
    balancing_id
        Id of the balancing-unit node.
    junctions
        Columns ``node_id``, ``line`` ('warm'/'cold'), ``junction`` (pandapipes index).
    pipes
        Columns ``edge`` (row in the edge table), ``from_id``, ``to_id``, ``line``, ``pipe_idx``
        (pandapipes index of the first of its parallel pipes), ``length_m``, ``dn_mm``,
        ``parallel_pipes`` (identical pipes side by side, >= 1), ``di_mm``, ``u_w_per_mk`` (of
        one pipe).
    consumers
        Index ``building_id``; columns ``heat`` and ``cool`` (pandapipes heat_consumer index).
    pump_heating, pump_cooling
        pandapipes ``circ_pump_pressure`` indices.

    """

    net: pp.pandapipesNet
    loop: LoopSpec
    node_ids: tuple[str, ...]
    building_ids: tuple[str, ...]
    balancing_id: str
    junctions: pd.DataFrame
    pipes: pd.DataFrame
    consumers: pd.DataFrame
    pump_heating: int
    pump_cooling: int

    def junction(self, node_id: str, line: str) -> int:
        """Return the pandapipes junction index of ``node_id`` on ``line`` ('warm'/'cold')."""
        sel = self.junctions[(self.junctions.node_id == node_id) & (self.junctions.line == line)]
        if len(sel) != 1:
            raise KeyError(f"no junction for node '{node_id}' on the {line} line")
        return int(sel.junction.iloc[0])

    def set_soil_temperature(self, t_soil_c: float) -> None:
        """Set the undisturbed soil temperature around all pipes [°C]."""
        if not np.isfinite(t_soil_c):
            raise InputError("t_soil_c must be finite", field="t_soil_c")
        self.net.pipe["text_k"] = float(t_soil_c) + C_TO_K


def build_network(
    *,
    edges: pd.DataFrame,
    building_ids: Sequence[str],
    balancing_id: str,
    loop: LoopSpec,
    t_soil_c: float = 10.0,
    catalogue: pd.DataFrame | None = None,
    node_xy: Mapping[str, tuple[float, float]] | None = None,
) -> ThermalNetwork:
    """Build the pandapipes model of a two-pipe ambient loop.

    Parameters
    ----------
    edges
        Trenches: columns ``from_id``, ``to_id``, ``length_m`` [m] and ``dn_mm`` (a size of
        the pipe catalogue; both lines of a trench get the same size), optionally
        ``parallel_pipes`` (pipes of that size side by side per line, default 1). Validate
        user edge lists with :func:`grid.layout.edges_from_list` first.
    building_ids
        Node ids that are buildings.
    balancing_id
        Node id of the balancing unit (ATES); must not be a building.
    loop
        Line temperatures, pressures and pump efficiency.
    t_soil_c
        Initial undisturbed soil temperature [°C]; change per hour with
        :meth:`ThermalNetwork.set_soil_temperature`.
    catalogue
        Pipe catalogue (default :func:`grid.pipe_catalogue.load_pipe_catalogue`).
    node_xy
        Position ``(x, y)`` per node id, stored as the junction geodata of both lines
        (default: none).

    Returns
    -------
    ThermalNetwork

    Raises
    ------
    InputError
        Missing columns, unknown ``dn_mm``, ``parallel_pipes`` below 1, buildings or
        balancing unit not on the network, or the balancing unit listed as a building.

    """
    needed = ["from_id", "to_id", "length_m", "dn_mm"]
    missing = [c for c in needed if c not in edges.columns]
    if missing:
        raise InputError(f"edge table lacks columns {missing}; required: {needed}")
    if len(edges) == 0:
        raise InputError("the network needs at least one edge", field="edges")
    cat = load_pipe_catalogue() if catalogue is None else catalogue
    cat_by_dn = cat.set_index("dn_mm")
    edges = edges.reset_index(drop=True)
    if "parallel_pipes" not in edges.columns:
        edges = edges.assign(parallel_pipes=1)
    node_ids: list[str] = []
    for nid in pd.concat([edges.from_id, edges.to_id]).astype(str):
        if nid not in node_ids:
            node_ids.append(nid)
    bids = [str(b) for b in building_ids]
    if len(set(bids)) != len(bids):
        raise InputError("building ids are not unique", field="building_ids")
    unknown = [b for b in bids + [str(balancing_id)] if b not in node_ids]
    if unknown:
        raise InputError(f"ids not on the network: {unknown}", field="building_ids")
    if str(balancing_id) in bids:
        raise InputError("the balancing unit cannot also be a building", field="balancing_id")
    for k, dn in enumerate(edges.dn_mm):
        if dn not in cat_by_dn.index:
            raise InputError(
                f"dn_mm {dn} is not in the pipe catalogue ({sorted(cat_by_dn.index)})",
                field=f"edges[{k}].dn_mm",
            )
        if not (np.isfinite(edges.length_m[k]) and edges.length_m[k] > 0):
            raise InputError("length_m must be positive", field=f"edges[{k}].length_m")
        if not (edges.parallel_pipes[k] >= 1 and float(edges.parallel_pipes[k]).is_integer()):
            raise InputError(
                "parallel_pipes must be a whole number >= 1", field=f"edges[{k}].parallel_pipes"
            )

    net = pp.create_empty_network(fluid="water")
    t_line = {"warm": loop.t_warm_c + C_TO_K, "cold": loop.t_cold_c + C_TO_K}
    jrows = []
    for line in ("warm", "cold"):
        for nid in node_ids:
            j = pp.create_junction(
                net,
                pn_bar=loop.p_flow_bar,
                tfluid_k=t_line[line],
                name=f"{nid}/{line}",
                geodata=None if node_xy is None or nid not in node_xy else node_xy[nid],
            )
            jrows.append({"node_id": nid, "line": line, "junction": j})
    junctions = pd.DataFrame(jrows)
    jidx = {(r.node_id, r.line): r.junction for r in junctions.itertuples()}

    prow = []
    for k, e in enumerate(edges.itertuples(index=False)):
        spec = cat_by_dn.loc[e.dn_mm]
        u_m2k = float(spec.u_w_per_mk) / (np.pi * float(spec.da_mm) / 1000.0)
        n_par = int(e.parallel_pipes)
        for line in ("warm", "cold"):
            idx = [
                pp.create_pipe_from_parameters(
                    net,
                    jidx[(str(e.from_id), line)],
                    jidx[(str(e.to_id), line)],
                    length_km=float(e.length_m) / 1000.0,
                    inner_diameter_mm=float(spec.di_mm),
                    outer_diameter_mm=float(spec.da_mm),
                    k_mm=float(spec.roughness_mm),
                    u_w_per_m2k=u_m2k,
                    text_k=t_soil_c + C_TO_K,
                    name=f"{e.from_id}-{e.to_id}/{line}"
                    + (f" ({i + 1}/{n_par})" if n_par > 1 else ""),
                )
                for i in range(n_par)
            ]
            prow.append(
                {
                    "edge": k,
                    "from_id": str(e.from_id),
                    "to_id": str(e.to_id),
                    "line": line,
                    "pipe_idx": idx[0],
                    "length_m": float(e.length_m),
                    "dn_mm": int(e.dn_mm),
                    "parallel_pipes": n_par,
                    "di_mm": float(spec.di_mm),
                    "u_w_per_mk": float(spec.u_w_per_mk),
                }
            )
    pipes = pd.DataFrame(prow)

    crow = []
    for b in bids:
        h = pp.create_heat_consumer(
            net,
            jidx[(b, "warm")],
            jidx[(b, "cold")],
            qext_w=0.0,
            treturn_k=t_line["cold"],
            in_service=False,
            name=f"{b}/heat",
        )
        c = pp.create_heat_consumer(
            net,
            jidx[(b, "cold")],
            jidx[(b, "warm")],
            qext_w=0.0,
            controlled_mdot_kg_per_s=0.0,
            in_service=False,
            name=f"{b}/cool",
        )
        crow.append({"building_id": b, "heat": h, "cool": c})
    consumers = pd.DataFrame(crow, columns=["building_id", "heat", "cool"]).set_index("building_id")
    bu = str(balancing_id)
    pump_h = pp.create_circ_pump_const_pressure(
        net,
        jidx[(bu, "cold")],
        jidx[(bu, "warm")],
        p_flow_bar=loop.p_flow_bar,
        plift_bar=loop.plift_bar,
        t_flow_k=t_line["warm"],
        name="balancing/heating",
    )
    pump_c = pp.create_circ_pump_const_pressure(
        net,
        jidx[(bu, "warm")],
        jidx[(bu, "cold")],
        p_flow_bar=loop.p_flow_bar,
        plift_bar=loop.plift_bar,
        t_flow_k=t_line["cold"],
        in_service=False,
        name="balancing/cooling",
    )
    return ThermalNetwork(
        net=net,
        loop=loop,
        node_ids=tuple(node_ids),
        building_ids=tuple(bids),
        balancing_id=bu,
        junctions=junctions,
        pipes=pipes,
        consumers=consumers,
        pump_heating=int(pump_h),
        pump_cooling=int(pump_c),
    )
