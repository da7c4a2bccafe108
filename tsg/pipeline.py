"""The orchestrator: runs the pipeline stages for a district and writes their outputs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tsg import run_layout as layout
from tsg.allocation_stage import AllocationStageResult, run_allocation
from tsg.common import data_path
from tsg.demand import DemandResult, district_demand
from tsg.district import load_district
from tsg.outputs import manifest, write_json, write_profiles, write_table
from tsg.plots import demand_plots
from tsg.progress import Progress
from tsg.scaling_scenarios import ScalingScenariosResult, run_scaling_scenarios
from tsg.schema import District
from tsg.simulation_stage import SimulationResult, run_simulation
from tsg.sizing_stage import SizingStageResult, run_sizing
from tsg.verification_stage import verify_design

OPTIONAL_STAGES = ("simulation", "sizing", "allocation", "scaling")


@dataclass(frozen=True)
class RunResult:
    """What a run produced.

    Attributes
    ----------
    district
        The validated district.
    demand
        Weather, profiles and indicators.
    out_dir
        The output folder.
    files
        Every file written, the manifest last.
    simulation
        The annual network simulation, when it ran.
    sizing
        The optimised design, when it ran.
    allocation
        The coalition game and the sharing rules, when they ran.
    scaling
        The scaling scenarios, when the district file asks for them and the stage ran.
    """

    district: District
    demand: DemandResult
    out_dir: Path
    files: tuple[Path, ...]
    simulation: SimulationResult | None = None
    sizing: SizingStageResult | None = None
    allocation: AllocationStageResult | None = None
    scaling: ScalingScenariosResult | None = None


def input_files(district: District, district_file: Path) -> list[Path]:
    """Every file a run reads: the district file, its referenced files and the catalogues."""
    files = [district_file]
    if district.climate.file is not None:
        files.append(district.climate.file)
    files += [b.measured_profile.file for b in district.buildings if b.measured_profile]
    catalogues = ("archetypes.yaml", "economics.yaml", "pipes.csv", "technologies.yaml")
    files += [data_path("catalogues", name) for name in catalogues]
    return files


def write_district(district: District, out_dir: Path) -> Path:
    """Write the validated district as ``district.json`` (for the report and later stages)."""
    return write_json(layout.DISTRICT.under(out_dir), district.model_dump(mode="json"))


def write_demand_outputs(demand: DemandResult, out_dir: Path) -> list[Path]:
    """Profiles (CSV + Parquet), summary tables and plots."""
    files = write_profiles(out_dir, demand.profiles)
    files.append(
        write_table(
            layout.SUMMARY.under(out_dir), demand.buildings, spec=layout.SUMMARY, index=True
        )
    )
    indicators = demand.indicators.as_table()
    files.append(write_table(layout.INDICATORS.under(out_dir), indicators, spec=layout.INDICATORS))
    files += demand_plots(demand.profiles, out_dir)
    return files


def run_pipeline(
    district_file: Path,
    *,
    out_dir: Path,
    progress: Progress,
    stages: frozenset[str],
    command: str,
) -> RunResult:
    """Load a district, run the requested stages and write their outputs and the manifest.

    Parameters
    ----------
    district_file
        The district YAML file.
    out_dir
        Output folder (created when missing).
    progress
        Where progress is reported.
    stages
        Stages after the demand, any of :data:`OPTIONAL_STAGES`: ``simulation`` (annual
        network simulation of the existing buildings, ``out_dir/simulation``) and ``sizing``
        (the optimised design and its verification by simulation, ``out_dir/sizing``) and
        ``allocation`` (every coalition's cost and the sharing rules, ``out_dir/allocation``)
        and ``scaling`` (the scenarios of the district file's ``scaling`` section,
        ``out_dir/scaling``; nothing without that section).
    command
        Recorded in the manifest.

    Returns
    -------
    RunResult
    """
    with progress.step(f"loading {district_file}"):
        district = load_district(district_file)
    with progress.step(f"hourly demand of {len(district.buildings)} buildings"):
        demand = district_demand(district, district_file=district_file)
    with progress.step(f"writing demand outputs to {out_dir}"):
        files = [write_district(district, out_dir), *write_demand_outputs(demand, out_dir)]
    unknown = stages - set(OPTIONAL_STAGES)
    if unknown:
        raise ValueError(f"unknown stages {sorted(unknown)}; allowed: {OPTIONAL_STAGES}")
    simulation = sizing = allocation = scaling = None
    if "simulation" in stages:
        simulation = run_simulation(district, demand, out_dir=out_dir, progress=progress)
        files += simulation.files
    if "sizing" in stages:
        sizing = run_sizing(
            district, demand, out_dir=out_dir, progress=progress, sensitivity="if_given"
        )
        files += sizing.files
        files += verify_design(district, demand, sizing, out_dir=out_dir, progress=progress).files
    if "allocation" in stages:
        allocation = run_allocation(district, demand, out_dir=out_dir, progress=progress)
        files += allocation.files
    if "scaling" in stages and district.scaling is not None:
        scaling = run_scaling_scenarios(district, district_file, out_dir=out_dir, progress=progress)
        files += scaling.files
    files.append(
        write_json(
            layout.MANIFEST.under(out_dir),
            manifest(
                inputs=input_files(district, district_file),
                outputs=files,
                out_dir=out_dir,
                seed=district.seed,
                command=command,
            ),
        )
    )
    return RunResult(
        district=district,
        demand=demand,
        out_dir=out_dir,
        files=tuple(files),
        simulation=simulation,
        sizing=sizing,
        allocation=allocation,
        scaling=scaling,
    )
