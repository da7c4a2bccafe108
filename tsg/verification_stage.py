"""Verification: the optimised design through the annual network simulation.

The sizing model uses simplified physics on typical days: pumping as a flat share of the heat
exchanged, no heat exchange with the soil, pipe capacities from a velocity / pressure-gradient
rule. This stage builds the pandapipes network of the sized design (connected buildings, the
DN the optimiser chose per trench, waste heat, central heat pump and dry cooler as feed-in
points at their nodes), runs every hour of the year with the loads the design dispatches
(:func:`optimisation.sizing.handover.design_loop_dispatch`), applies the design
checks with the same design limits the optimiser sized the pipes with
(:func:`tsg.design_limits.district_design_limits`) and reports where the two differ. The net,
solved for the design hour, is written as ``sizing/network_pandapipes.json``
(:mod:`tsg.design_net`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandapipes as pp
import pandas as pd

from tsg import run_layout as layout
from tsg.common.units import KWH_PER_MWH
from tsg.demand import DemandResult
from tsg.design_limits import checks_record, district_design_limits, district_loop
from tsg.design_net import node_lon_lat, solve_design_hour, write_design_net
from tsg.grid.annual_summary import network_totals
from tsg.grid.design_checks import design_checks, pump_assist_hours
from tsg.grid.design_limits import DesignLimits
from tsg.grid.fast_annual import simulate_year
from tsg.grid.network import build_network
from tsg.grid.soil import soil_temperature_c
from tsg.grid.year_result import YearResult
from tsg.operated_cost import operated_cost_record
from tsg.optimisation.sizing.handover import design_loop_dispatch, operated_dispatch
from tsg.optimisation.sizing.inputs import SizingInputs
from tsg.optimisation.sizing.operation import OperatedYear
from tsg.optimisation.sizing.plant_dispatch import FeedIn, feed_in_plants
from tsg.optimisation.sizing.result import SizingResult
from tsg.outputs import write_json, write_table
from tsg.progress import Progress
from tsg.schema import District


@dataclass(frozen=True)
class VerificationResult:
    """The simulated year of the sized design, its comparison with the optimiser and its net.

    ``net`` is the pandapipes net of the design in the state of the design hour (``None``
    when there is nothing to simulate).
    """

    year: YearResult | None
    checks: pd.DataFrame
    comparison: dict
    net: pp.pandapipesNet | None = None


def _optimiser_pumping_mwh(result: SizingResult) -> float:
    table = result.cost_table()
    pumping = table[table["item"] == "pumping"]
    return float(pumping["electricity_kwh_per_yr"].sum()) / KWH_PER_MWH


def _balancing_comparison(result: SizingResult, year: YearResult, fed: tuple[FeedIn, ...]) -> dict:
    """Heat the balancing unit gives to / takes from the loop: optimiser against simulation."""
    hours = year.hours[year.valid]
    heat = hours.balancing_heat_kw.astype(float)
    given = float(heat[hours.balancing_direction == "heating"].sum()) / KWH_PER_MWH
    taken = abs(float(heat[hours.balancing_direction == "cooling"].sum())) / KWH_PER_MWH
    simulated = {p.plant_id for p in fed}
    plants = [
        p
        for p in result.plants
        if (p.capacity_kw > 0 or p.kind == "ates") and p.plant_id not in simulated
    ]
    return {
        "optimiser": {
            "to_loop": sum(p.heat_to_loop_mwh_per_yr for p in plants),
            "from_loop": sum(p.heat_from_loop_mwh_per_yr for p in plants),
        },
        "simulation": {"to_loop": given, "from_loop": taken},
        "lumped": [p.plant_id for p in plants],
        "note": "the ATES and what stays lumped into the simulation's balancing unit (plants "
        "without a node of their own on the built network); the other plants are feed-in "
        "points (plants_mwh_per_yr)",
    }


def _plants_comparison(
    result: SizingResult, year: YearResult, fed: tuple[FeedIn, ...], plant_loads: pd.DataFrame
) -> list[dict]:
    """Each feed-in plant's annual heat: optimiser against the simulated year."""
    rows = []
    designs = {p.plant_id: p for p in result.plants}
    ids = list(year.building_ids)
    for plant in fed:
        k = ids.index(plant.node_id)
        heat = year.bld_heat_delivered_kw[year.valid, k]
        requested = plant_loads[plant.node_id].to_numpy(dtype=float)
        design = designs[plant.plant_id]
        simulated = float(np.abs(heat).sum()) / KWH_PER_MWH
        wanted = design.heat_to_loop_mwh_per_yr + design.heat_from_loop_mwh_per_yr
        rows.append(
            {
                "plant_id": plant.plant_id,
                "kind": plant.kind,
                "node_id": plant.node_id,
                "capacity": plant.capacity_kw,
                "capacity_unit": "kWh" if plant.kind == "thermal_storage" else "kW",
                "optimiser": {
                    "to_loop": design.heat_to_loop_mwh_per_yr,
                    "from_loop": design.heat_from_loop_mwh_per_yr,
                },
                "simulation": {
                    "to_loop": float(np.clip(-heat, 0.0, None).sum()) / KWH_PER_MWH,
                    "from_loop": float(np.clip(heat, 0.0, None).sum()) / KWH_PER_MWH,
                },
                "dispatched_mwh_per_yr": float(np.abs(requested).sum()) / KWH_PER_MWH,
                "max_kw": float(np.nanmax(np.abs(heat), initial=0.0)),
                "hours_running": int(np.count_nonzero(np.abs(requested) > 0)),
                "relative_difference": (simulated - wanted) / wanted if wanted else None,
                "note": "the full year's hours hold less than the optimiser's energy within the "
                "plant's capacity and what the ATES can make up next to the buildings"
                if simulated < 0.98 * wanted
                else "",
            }
        )
    return rows


def _comparison(
    result: SizingResult,
    year: YearResult,
    checks: pd.DataFrame,
    loads: tuple[pd.DataFrame, pd.DataFrame],
    limits: DesignLimits,
    fed: tuple[FeedIn, ...],
) -> dict:
    totals = network_totals(year)
    optimiser_pump_mwh = _optimiser_pumping_mwh(result)
    simulated_pump_mwh = float(totals["pump_elec_mwh"])
    violations = checks["check"].value_counts().to_dict() if len(checks) else {}
    return {
        "hours": int(len(year.hours)),
        "valid_hours": int(year.valid.sum()),
        "flagged_reasons": year.hours.reason[~year.valid].value_counts().to_dict(),
        "pump_electricity_mwh_per_yr": {
            "optimiser": optimiser_pump_mwh,
            "simulation": simulated_pump_mwh,
            "relative_difference": (
                (simulated_pump_mwh - optimiser_pump_mwh) / optimiser_pump_mwh
                if optimiser_pump_mwh
                else None
            ),
            "simulation_central": float(totals["pump_central_elec_mwh"]),
            "simulation_buildings": float(totals["pump_decentral_elec_mwh"]),
            "note": "optimiser: the central pump's lift times what the balancing side moves, "
            "plus each building pump's share measured in the previous design round; "
            "simulation: hour by hour, central pump and buildings' pumps",
        },
        "soil_net_gain_mwh_per_yr": {
            "optimiser": result.soil_gain_mwh_per_yr,
            "simulation": float(totals["soil_net_gain_mwh"]),
            "note": "optimiser: u L (2 T_soil - T_warm - T_cold) per built trench at the line "
            "temperatures; simulation: the pipes' water temperatures hour by hour",
        },
        "balancing_mwh_per_yr": _balancing_comparison(result, year, fed),
        "plants_mwh_per_yr": _plants_comparison(result, year, fed, loads[1]),
        "balancing_net_heat_to_loop_mwh_per_yr": {
            "simulation": float(totals["balancing_net_heat_to_loop_mwh"]),
            "buildings_net_extraction": float(loads[0].to_numpy().sum()) / KWH_PER_MWH,
            "plants_net_extraction": float(loads[1].to_numpy().sum()) / KWH_PER_MWH,
        },
        "max_energy_residual_rel": float(totals["max_energy_residual_rel"]),
        "max_velocity_m_per_s": float(totals["max_velocity_m_per_s"]),
        "max_pressure_gradient_pa_per_m": float(totals["max_pressure_gradient_pa_per_m"]),
        "design_check_violations": {str(k): int(v) for k, v in violations.items()},
        "pump_assist_hours": {
            "hours": pump_assist_hours(year),
            "note": "hours in which a building's own pump adds head to the central pump's "
            "lift (normal on an ambient loop; a violation only beyond building_pump_head_bar)",
        },
        "design_checks": checks_record(checks, limits, table=layout.VERIFICATION_CHECKS.name),
    }


def _dispatch_record(operated: OperatedYear | None) -> dict:
    if operated is not None and operated.optimal:
        return {
            "source": "full_year_lp",
            "note": "every hour as the optimiser operates the fixed design over the full year",
            "build_s": operated.build_s,
            "solve_s": operated.solve_s,
        }
    return {
        "source": "rules",
        "note": "each building's loop units first up to their capacity, the balancing unit "
        "capped at its capacity, plants following the net load"
        + ("" if operated is None else f" (the full-year LP ended {operated.status})"),
    }


def _add_operated(
    comparison: dict, result: SizingResult, inputs: SizingInputs, operated: OperatedYear
) -> None:
    """Add the full-year operation's ATES energy and the re-evaluated annual cost."""
    balancing = comparison["balancing_mwh_per_yr"]
    from_loop, to_loop = operated.ates_mwh_per_yr()
    balancing["operated_full_year"] = {"to_loop": to_loop, "from_loop": from_loop}
    simulated = balancing["simulation"]
    balancing["relative_difference_to_operated"] = {
        key: (simulated[key] - value) / value if value else None
        for key, value in balancing["operated_full_year"].items()
    }
    comparison["soil_net_gain_mwh_per_yr"]["operated_full_year"] = operated.soil_gain_mwh_per_yr
    comparison["own_units_grown_kw"] = {
        "buildings": {
            bid: {"heating_kw": heat, "cooling_kw": cool}
            for bid, (heat, cool) in operated.reference_growth_kw.items()
        },
        "note": "buildings whose own (reference) units must be larger than the design's to "
        "cover hours of the full year in which the grid cannot take their load (the typical "
        "periods do not hold those hours); the operated and simulated costs include them",
    }
    comparison["annual_cost_eur_per_yr"] = operated_cost_record(
        result,
        inputs,
        operated,
        simulated_pump_mwh_per_yr=comparison["pump_electricity_mwh_per_yr"]["simulation"],
        simulated_ates_moved_mwh_per_yr=simulated["to_loop"] + simulated["from_loop"],
    )


def verify_design(
    district: District,
    demand: DemandResult,
    result: SizingResult,
    inputs: SizingInputs,
    *,
    out_dir: Path,
    progress: Progress,
) -> VerificationResult:
    """Verify the design (:func:`compute_verification`) and write the result."""
    verified = compute_verification(district, demand, result, inputs, progress=progress)
    write_verification(verified, out_dir)
    return verified


def write_verification(result: VerificationResult, out_dir: Path) -> list[Path]:
    """Write ``sizing/verification.json``; after a simulation also the checks and the net."""
    files = [write_json(layout.VERIFICATION.under(out_dir), result.comparison)]
    if result.year is not None:
        spec = layout.VERIFICATION_CHECKS
        files.append(write_table(spec.under(out_dir), result.checks, spec=spec))
    if result.net is not None:
        files.append(write_design_net(result.net, layout.SIZING_PANDAPIPES.under(out_dir)))
    return files


def compute_verification(
    district: District,
    demand: DemandResult,
    result: SizingResult,
    inputs: SizingInputs,
    *,
    progress: Progress,
    operated: OperatedYear | None = None,
) -> VerificationResult:
    """Simulate the sized design for a whole year and compare it with the optimiser.

    Parameters
    ----------
    district, demand
        The district and its demand.
    result, inputs
        The design and the sizing inputs it was solved on.
    progress
        Progress reporter.
    operated
        The design operated over the full year by the optimiser
        (:func:`~optimisation.sizing.operation.operate_design`). When given and optimal, the
        simulation runs its hourly dispatch (:func:`~optimisation.sizing.handover.
        operated_dispatch`) and the comparison adds its ATES energy and the annual cost
        re-evaluated with the simulated operation (:func:`tsg.operated_cost.
        operated_cost_record`); otherwise the rule-based dispatch
        (:func:`~optimisation.sizing.handover.design_loop_dispatch`).

    Returns
    -------
    VerificationResult
    """
    connected = [b.building_id for b in result.buildings if b.connected]
    edges = result.design_edges()
    if not connected or edges.empty or not inputs.ates:
        comparison = {"note": "nothing to simulate: no connected buildings or no balancing unit"}
        return VerificationResult(year=None, checks=pd.DataFrame(), comparison=comparison)
    limits = district_design_limits(district)
    loop = district_loop(district, limits)
    t_soil_c = soil_temperature_c(demand.weather["temp_air_c"])
    fed = feed_in_plants(result, inputs)
    with progress.step(
        f"verifying the design: {len(connected)} buildings, {len(fed)} plants, every hour"
    ):
        network = build_network(
            edges=edges,
            building_ids=[*connected, *(p.node_id for p in fed)],
            balancing_id=inputs.ates[0].source_id,
            loop=loop,
            t_soil_c=float(t_soil_c.mean()),
            node_xy=node_lon_lat(inputs),
        )
        use_lp = operated is not None and operated.optimal
        if use_lp:
            buildings, plants = operated_dispatch(result, inputs, operated)
        else:
            buildings, plants = design_loop_dispatch(result, inputs)
        buildings.index = plants.index = demand.profiles.index
        loads = pd.concat([buildings, plants], axis=1)
        year = simulate_year(network, building_heat_kw=loads, t_soil_c=t_soil_c)
        checks = design_checks(year, loop=loop, limits=limits)
        comparison = _comparison(result, year, checks, (buildings, plants), limits, fed)
        comparison["dispatch"] = _dispatch_record(operated)
        if use_lp:
            _add_operated(comparison, result, inputs, operated)
        for row in comparison["plants_mwh_per_yr"]:
            progress.say(
                f"    {row['plant_id']}: optimiser "
                f"{row['optimiser']['to_loop'] + row['optimiser']['from_loop']:.0f} vs simulation "
                f"{row['simulation']['to_loop'] + row['simulation']['from_loop']:.0f} MWh/yr"
            )
        progress.say(
            f"    valid hours {comparison['valid_hours']}/{comparison['hours']}; pump energy "
            f"optimiser {comparison['pump_electricity_mwh_per_yr']['optimiser']:.1f} vs "
            f"simulation {comparison['pump_electricity_mwh_per_yr']['simulation']:.1f} MWh/yr"
        )
    with progress.step("the pandapipes net of the design hour"):
        comparison["pandapipes_net"] = {
            "file": layout.SIZING_PANDAPIPES.relative,
            **solve_design_hour(network, loads, t_soil_c),
        }
    return VerificationResult(year=year, checks=checks, comparison=comparison, net=network.net)
