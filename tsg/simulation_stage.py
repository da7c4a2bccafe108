"""Pipeline stage: district + demand -> network -> annual thermo-hydraulic simulation -> files.

Writes into ``DIR/simulation/`` (every file atomically):

``network.geojson``
    Pipes as LineStrings (WGS84) with ``dn_mm``, ``parallel_pipes`` (pipes of that size side
    by side per line), ``length_m`` [m], ``design_mdot_kg_per_s``,
    ``undersized``, ``peak_mdot_kg_per_s``, ``peak_velocity_m_per_s``,
    ``max_pressure_gradient_pa_per_m``, ``share_forward`` / ``share_backward`` /
    ``share_no_flow`` (share of valid hours with warm-line flow from ``from_id`` to ``to_id``,
    back, or none); buildings and balancing unit as Points (``kind``, ``name``).
``network.pandapipes.json``
    The pandapipes net (``pandapipes.from_json``), all consumers off, soil at its annual mean.
``hourly_nodes.parquet``
    Long table: ``hour`` (0..n-1), ``time`` (start of the hour, local), ``node_id``, ``line``
    ('warm'/'cold'), ``t_c`` [°C] (NaN without flow or in flagged hours), ``p_bar`` [bar].
``hourly_pipes.parquet``
    Long table: ``hour``, ``time``, ``edge``, ``from_id``, ``to_id``, ``line``,
    ``mdot_kg_per_s`` (> 0 from ``from_id`` to ``to_id``; all parallel pipes of the line),
    ``velocity_m_per_s`` (in each parallel pipe), ``dp_bar``,
    ``pressure_gradient_pa_per_m``, ``t_in_c``, ``t_out_c`` [°C, along the flow],
    ``soil_gain_kw`` (> 0 heat from the soil into the water).
``hourly_buildings.parquet``
    Long table: ``hour``, ``time``, ``building_id``, ``mode`` (+1 heating, -1 cooling, 0 off),
    ``heat_requested_kw`` / ``heat_delivered_kw`` (loop side, > 0 takes heat), ``mdot_kg_per_s``,
    ``t_in_c``, ``t_out_c``, ``dp_bar`` (< 0: the building's pump pushes), ``elec_kw``
    (heat pumps + chiller of the substation).
``hourly_network.parquet``
    One row per hour: ``time`` and :data:`grid.year_result.HOUR_COLUMNS`.
``annual_summary.json``
    Totals (see :func:`grid.annual_summary.network_totals` for the definitions, including the
    direct-exchange share and the ATES thermal balance), substation electricity, assumptions,
    flagged hours with reasons, counts of design-check violations and ``design_checks``: the
    limits and per element and check the hours violated, worst value, limit and unit.
``design_checks.csv``
    Every violation per element and hour (:func:`grid.design_checks.design_checks`).
``network_map.png``, ``temperatures.png``, ``balancing_load_duration.png``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandapipes as pp
import pandas as pd

from tsg import run_layout as layout
from tsg.demand import DemandResult
from tsg.design_limits import checks_record
from tsg.grid.annual_summary import network_totals
from tsg.grid.design_checks import DesignLimits, design_checks
from tsg.grid.geojson import edge_flow_statistics, network_geojson
from tsg.grid.network import ThermalNetwork, build_network
from tsg.grid.soil import SOIL_DIFFUSIVITY_M2_PER_DAY
from tsg.grid.substation_coupling import simulate_year_coupled
from tsg.grid.year_result import YearResult
from tsg.outputs import write_atomically, write_json, write_table
from tsg.progress import Progress
from tsg.schema import District
from tsg.simulation_inputs import (
    CARNOT_EFFICIENCY,
    NetworkInputs,
    building_demand_kw,
    network_inputs,
)
from tsg.simulation_plots import simulation_plots

__all__ = ["SimulationResult", "compute_simulation", "run_simulation", "write_simulation"]


@dataclass(frozen=True)
class SimulationResult:
    """What the simulation stage produced.

    Attributes
    ----------
    inputs
        The derived network inputs.
    network
        The pandapipes network.
    year
        Hourly results.
    checks
        Design-check violations.
    summary
        The content of ``annual_summary.json``.

    """

    inputs: NetworkInputs
    network: ThermalNetwork
    year: YearResult
    checks: pd.DataFrame
    summary: dict


def _summary(
    district: District, inputs: NetworkInputs, year: YearResult, checks: pd.DataFrame
) -> dict:
    demand = inputs.demand_kw
    heat = sum(demand[c].sum() for c in demand.columns if c.endswith((".heat_kw", ".dhw_kw")))
    cool = sum(demand[c].sum() for c in demand.columns if c.endswith(".cool_kw"))
    subs = inputs.substations.values()
    hp = sum(float((s.elec_heating_kw + s.elec_dhw_kw).sum()) for s in subs) / 1000.0
    ch = sum(float(s.elec_cooling_kw.sum()) for s in subs) / 1000.0
    totals = network_totals(year)
    ates = [s for s in district.sources if s.type == "ates"]
    tolerance = ates[0].thermal_balance_tolerance if ates else None
    edges = inputs.edges
    return {
        "district": district.id,
        "buildings": list(inputs.building_ids),
        "balancing_unit": {"id": inputs.balancing_id, "note": inputs.balancing_note},
        "hours": totals["hours"],
        "valid_hours": totals["valid_hours"],
        "flagged_hours": totals["flagged_hours"],
        "flagged_reasons": totals["flagged_reasons"],
        "note_on_totals": "network totals sum the valid hours only; substation demand and "
        "electricity sum all hours",
        "demand_mwh": {"heat_and_hot_water": heat / 1000.0, "cooling": cool / 1000.0},
        "electricity_mwh": {
            "heat_pumps": hp,
            "chillers": ch,
            "pumps": totals["pump_elec_mwh"],
            "total": hp + ch + totals["pump_elec_mwh"],
        },
        "ates_thermal_balance": {
            "heat_to_loop_mwh": totals["balancing_heat_to_loop_mwh"],
            "heat_from_loop_mwh": totals["balancing_heat_from_loop_mwh"],
            "net_heat_to_loop_mwh": totals["balancing_net_heat_to_loop_mwh"],
            "imbalance": totals["ates_imbalance"],
            "tolerance": tolerance,
            "within_tolerance": None
            if tolerance is None
            else totals["ates_imbalance"] <= tolerance,
        },
        "network": {
            "trenches": len(edges),
            "trench_length_m": float(edges.length_m.sum()),
            "pipe_length_m": 2.0 * float(edges.length_m.sum()),
            "undersized_trenches": [
                f"{r.from_id}-{r.to_id}" for r in edges[edges.undersized].itertuples()
            ],
            "warm_line_c": inputs.loop.t_warm_c,
            "cold_line_c": inputs.loop.t_cold_c,
        },
        "totals": totals,
        "design_check_violations": {str(k): int(v) for k, v in checks.check.value_counts().items()},
        "design_checks": checks_record(checks, inputs.limits, table=layout.SIMULATION_CHECKS.name),
        "assumptions": {
            "substations": f"booster heat pumps, Carnot efficiency {CARNOT_EFFICIENCY} at the "
            f"refrigerant temperatures ({_approach_text(inputs)}); cooling supply "
            f"{_cooling_supply_text(inputs)} degC (free cooling while the cold line is at "
            "least the heat exchanger approach below it, else a Carnot chiller)",
            "layout": _layout_text(district),
            "sizing": f"peak hourly flow x {inputs.sizing.flow_margin} at most "
            f"{inputs.sizing.max_velocity_m_per_s} m/s and "
            f"{inputs.sizing.max_pressure_gradient_pa_per_m} Pa/m (PE100 SDR11 catalogue; the "
            "design limits of data/catalogues/design_limits.yaml and the district file)",
            "soil": "Kusuda-Achenbach: annual harmonic of the air temperature damped and "
            f"delayed to 1 m depth, diffusivity {SOIL_DIFFUSIVITY_M2_PER_DAY} m2/day; mean "
            f"{inputs.t_soil_c.mean():.2f} degC, range {inputs.t_soil_c.min():.2f}-"
            f"{inputs.t_soil_c.max():.2f} degC",
            "pumps": f"central lift {inputs.loop.plift_bar} bar, efficiency "
            f"{inputs.loop.pump_efficiency}",
        },
    }


def _layout_text(district: District) -> str:
    route = district.network.route
    if route.line_file is not None:
        return f"route from {route.line_file.name} (trench lines snapped to the nodes)"
    if route.edges is not None:
        return f"route of {len(route.edges)} trenches given in the district file"
    return (
        "minimum spanning tree over buildings and balancing unit in RD New, detour factor "
        f"{route.detour_factor}"
    )


def _approach_text(inputs: NetworkInputs) -> str:
    spec = next(iter(inputs.substation_specs.values()))
    return (
        f"evaporator {spec.evaporator_approach_k:g} K, condenser {spec.condenser_approach_k:g} "
        f"K, heat exchangers {spec.hx_approach_k:g} K approach"
    )


def _cooling_supply_text(inputs: NetworkInputs) -> str:
    levels = sorted({spec.t_cooling_supply_c for spec in inputs.substation_specs.values()})
    return " / ".join(f"{t:g}" for t in levels) + (" (per building)" if len(levels) > 1 else "")


def _categorical(table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    for col in columns:
        table[col] = table[col].astype("category")
    return table


def write_simulation(result: SimulationResult, out_dir: Path) -> list[Path]:
    """Write every output file of the stage into ``out_dir`` (see the module docstring)."""
    inputs, network, year = result.inputs, result.network, result.year
    stats = edge_flow_statistics(year)
    files = [
        write_json(
            layout.SIMULATION_GEOJSON.in_folder(out_dir),
            network_geojson(nodes=inputs.nodes, edges=inputs.edges, year=year),
        )
    ]
    net_file = layout.SIMULATION_PANDAPIPES.in_folder(out_dir)
    network.set_soil_temperature(float(inputs.t_soil_c.mean()))
    network.net.heat_consumer["in_service"] = False
    files.append(write_atomically(net_file, lambda p: pp.to_json(network.net, str(p))))
    nodes = _categorical(year.nodes_long(), ["node_id", "line"])
    files.append(
        write_atomically(layout.SIMULATION_NODES.in_folder(out_dir), lambda p: nodes.to_parquet(p))
    )
    pipes = _categorical(year.pipes_long(), ["from_id", "to_id", "line"])
    files.append(
        write_atomically(layout.SIMULATION_PIPES.in_folder(out_dir), lambda p: pipes.to_parquet(p))
    )
    bld = _categorical(year.buildings_long(), ["building_id"])
    elec = np.column_stack([inputs.substations[b].elec_kw.to_numpy() for b in year.building_ids])
    bld["elec_kw"] = elec.ravel()
    files.append(
        write_atomically(
            layout.SIMULATION_BUILDINGS.in_folder(out_dir), lambda p: bld.to_parquet(p)
        )
    )
    hours = year.hours.rename_axis("time").reset_index()
    files.append(
        write_atomically(layout.SIMULATION_HOURS.in_folder(out_dir), lambda p: hours.to_parquet(p))
    )
    files.append(write_json(layout.SIMULATION_SUMMARY.in_folder(out_dir), result.summary))
    checks = layout.SIMULATION_CHECKS
    files.append(write_table(checks.in_folder(out_dir), result.checks, spec=checks))
    files += simulation_plots(
        year=year,
        nodes=inputs.nodes,
        edges=inputs.edges,
        stats=stats,
        t_soil_c=inputs.t_soil_c,
        loop=inputs.loop,
        out_dir=out_dir,
    )
    return files


def run_simulation(
    district: District,
    demand: DemandResult,
    *,
    out_dir: Path,
    progress: Progress,
    include_candidates: bool = False,
    limits: DesignLimits | None = None,
) -> SimulationResult:
    """Simulate the year (:func:`compute_simulation`) and write ``out_dir/simulation``."""
    result = compute_simulation(
        district, demand, progress=progress, include_candidates=include_candidates, limits=limits
    )
    target = out_dir / layout.SIMULATION_SUMMARY.folder
    with progress.step(f"writing simulation outputs to {target}"):
        write_simulation(result, target)
    return result


def compute_simulation(
    district: District,
    demand: DemandResult,
    *,
    progress: Progress,
    include_candidates: bool = False,
    limits: DesignLimits | None = None,
) -> SimulationResult:
    """Derive the network and simulate every hour of the year.

    Parameters
    ----------
    district
        The validated district.
    demand
        Its hourly demand (:func:`tsg.demand.district_demand`).
    progress
        Progress reporting.
    include_candidates
        Also connect buildings with ``phase == "candidate"``.
    limits
        Design limits of the pipe sizes by rule, the central pump lift and the design checks
        (default :func:`tsg.design_limits.district_design_limits`).

    Returns
    -------
    SimulationResult

    """
    with progress.step("network: substations, layout, pipe sizes, soil temperature"):
        inputs = network_inputs(
            district, demand, include_candidates=include_candidates, limits=limits
        )
        network = build_network(
            edges=inputs.edges,
            building_ids=inputs.building_ids,
            balancing_id=inputs.balancing_id,
            loop=inputs.loop,
            t_soil_c=float(inputs.t_soil_c.mean()),
        )
    n_hours = len(inputs.loads_kw)
    with progress.step(
        f"annual simulation: {n_hours} hours, {len(inputs.building_ids)} buildings, "
        f"{len(inputs.edges)} trenches"
    ):
        coupled = simulate_year_coupled(
            network,
            demand=building_demand_kw(inputs),
            specs=inputs.substation_specs,
            t_soil_c=inputs.t_soil_c,
        )
        year = coupled.year
        # substations evaluated at the temperatures they actually get
        inputs = dataclasses.replace(
            inputs, substations=coupled.substations, loads_kw=coupled.loads_kw
        )
        progress.say(
            f"    {coupled.passes} network passes until the substation loads change by at "
            f"most {coupled.max_load_change_kw:.2f} kW"
        )
        progress.say(
            f"    valid hours {int(year.valid.sum())}/{n_hours}; solvers "
            f"{year.hours.solver.value_counts().to_dict()}"
        )
    checks = design_checks(year, loop=inputs.loop, limits=inputs.limits)
    summary = _summary(district, inputs, year, checks)
    return SimulationResult(
        inputs=inputs,
        network=network,
        year=year,
        checks=checks,
        summary=summary,
    )
