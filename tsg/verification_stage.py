"""Verification: the optimised design through the annual network simulation.

The sizing model uses simplified physics on typical days: pumping as a flat share of the heat
exchanged, no heat exchange with the soil, pipe capacities from a velocity / pressure-gradient
rule. This stage builds the pandapipes network of the sized design (connected buildings, the
DN the optimiser chose per trench), runs every hour of the year with the loads the design
dispatches (:func:`optimisation.sizing.handover.design_loop_loads_kw`), applies the design
checks with the same design limits the optimiser sized the pipes with
(:func:`tsg.design_limits.district_design_limits`) and reports where the two differ. The net,
solved for the design hour, is written as ``sizing/network_pandapipes.json``
(:mod:`tsg.design_net`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
from tsg.optimisation.sizing.handover import design_loop_loads_kw
from tsg.optimisation.sizing.inputs import SizingInputs
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


def _comparison(
    result: SizingResult,
    year: YearResult,
    checks: pd.DataFrame,
    loads: pd.DataFrame,
    limits: DesignLimits,
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
            "note": "optimiser: a flat share of the heat exchanged; simulation: friction "
            "and pump efficiency hour by hour",
        },
        "soil_net_gain_mwh_per_yr": {
            "optimiser": 0.0,
            "simulation": float(totals["soil_net_gain_mwh"]),
            "note": "the optimiser ignores heat exchange with the soil",
        },
        "balancing_net_heat_to_loop_mwh_per_yr": {
            "simulation": float(totals["balancing_net_heat_to_loop_mwh"]),
            "buildings_net_extraction": float(loads.clip(lower=0).sum().sum() / KWH_PER_MWH)
            - float((-loads.clip(upper=0)).sum().sum() / KWH_PER_MWH),
        },
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
    with progress.step(f"verifying the design: {len(connected)} buildings, every hour"):
        network = build_network(
            edges=edges,
            building_ids=connected,
            balancing_id=inputs.ates[0].source_id,
            loop=loop,
            t_soil_c=float(t_soil_c.mean()),
            node_xy=node_lon_lat(inputs),
        )
        loads = design_loop_loads_kw(result, inputs)
        loads.index = demand.profiles.index
        year = simulate_year(network, building_heat_kw=loads, t_soil_c=t_soil_c)
        checks = design_checks(year, loop=loop, limits=limits)
        comparison = _comparison(result, year, checks, loads, limits)
        plants = [p.plant_id for p in result.plants if p.kind != "ates" and p.capacity_kw > 0]
        if plants:
            comparison["plants_note"] = (
                f"not simulated: {', '.join(plants)}; the balancing unit "
                f"'{inputs.ates[0].source_id}' takes the heat they exchange with the loop"
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
