"""The Python API: every stage in memory, returning typed results with DataFrames.

A notebook or script opens a district once and asks for what it needs; each function computes
its stage on the shared :class:`~tsg.stages.context.RunContext` (the demand and the sizing
inputs are computed once, a stage that needs another computes it first, and nothing is
computed twice) and returns the stage's result. Nothing is written until :func:`write`.

>>> import tsg.api as tsg
>>> hvz = tsg.open_district()                 # built-in Hart van Zuid, or a district.yaml
>>> tsg.demand(hvz).profiles                  # hourly kW per building and quantity
>>> design = tsg.size(hvz)                    # who connects, DN per trench, costs
>>> design.result.cost_by_partner()           # a DataFrame
>>> tsg.verify(hvz).comparison                # the design through the annual simulation
>>> tsg.write(hvz, "results/hvz")             # the run folder, as ``tsg run`` writes it
"""

from __future__ import annotations

from pathlib import Path

from tsg.allocation_many import ManyPartnersResult
from tsg.demand import DemandResult
from tsg.district import resolve_district_argument
from tsg.optimisation.sizing import SizingOptions
from tsg.pipeline import write_run
from tsg.progress import Progress
from tsg.report import write_report
from tsg.scaling.spreading import Stability
from tsg.scaling_districts import CHEAP_OPTIONS
from tsg.scaling_outputs import (
    MinimumScaleOutput,
    SpreadingOutput,
    TranslationOutput,
    compute_minimum_scale,
    compute_spreading,
    compute_translation,
)
from tsg.simulation_stage import SimulationResult
from tsg.stages import RunContext, RunSettings, compute_stage
from tsg.stages.allocation import AllocationStageResult
from tsg.stages.scaling import ScalingScenariosResult
from tsg.stages.sizing import SizingStageResult
from tsg.verification_stage import VerificationResult

__all__ = [
    "RunSettings",
    "allocate",
    "demand",
    "minimum_scale",
    "open_district",
    "report",
    "scale",
    "simulate",
    "size",
    "spread",
    "translate",
    "verify",
    "write",
]


def open_district(
    district: str | Path | None = None,
    *,
    settings: RunSettings | None = None,
    verbose: bool = False,
) -> RunContext:
    """Load and validate a district: the context every other function works on.

    Parameters
    ----------
    district
        A district YAML file, a folder with ``district.yaml`` or a built-in district name
        (``hart-van-zuid``, ``hart-van-zuid-phase-2``, ``almere-hortus``); default Hart van
        Zuid.
    settings
        Choices the district file does not make (sizing and coalition options, sensitivity).
    verbose
        Print progress (to standard error).

    Returns
    -------
    RunContext

    Raises
    ------
    InputError
        The file is not a valid district file (the message names the field).
    """
    path = resolve_district_argument(None if district is None else str(district))
    return RunContext.load(path, progress=Progress(quiet=not verbose), settings=settings)


def demand(ctx: RunContext) -> DemandResult:
    """Hourly demand: ``profiles`` [kW], ``buildings`` (annual MWh, peaks), ``indicators``."""
    return compute_stage("demand", ctx).demand


def simulate(ctx: RunContext) -> SimulationResult:
    """Annual hour-by-hour network simulation of the existing buildings.

    ``year`` holds the hourly results (``year.hours`` a DataFrame per hour), ``summary`` the
    annual energy balance, ``checks`` the design-check violations.
    """
    return compute_stage("simulation", ctx)


def size(ctx: RunContext) -> SizingStageResult:
    """Optimal design: ``result`` (connections, DN per trench, plants, cost tables)."""
    return compute_stage("sizing", ctx)


def verify(ctx: RunContext) -> VerificationResult:
    """Run the sized design through the annual simulation and compare it with the optimiser."""
    return compute_stage("verification", ctx)


def allocate(ctx: RunContext) -> AllocationStageResult | ManyPartnersResult:
    """Every coalition's cost (``game``) and the sharing rules side by side (``comparison``).

    With more than :data:`tsg.stages.allocation.MANY_PARTNERS` players: a
    :class:`tsg.allocation_many.ManyPartnersResult` (sampled Shapley, least core and
    nucleolus by constraint generation).
    """
    return compute_stage("allocation", ctx)


def scale(ctx: RunContext) -> ScalingScenariosResult:
    """Run the scaling scenarios of the district file's ``scaling`` section."""
    return compute_stage("scaling", ctx)


def translate(
    ctx: RunContext,
    target: str | Path,
    *,
    options: SizingOptions = CHEAP_OPTIONS,
    sizing: bool = True,
) -> TranslationOutput:
    """Success conditions of the context's district checked in a target district.

    Parameters
    ----------
    ctx
        The reference district.
    target
        A district file or built-in district name.
    options
        Sizing options of both sizings (default: 3 typical days, 3 % gap).
    sizing
        Also size both districts and compare their KPIs (``kpis``).
    """
    return compute_translation(
        ctx.district_file,
        resolve_district_argument(str(target)),
        options=options,
        sizing=sizing,
        progress=ctx.progress,
        reference=(ctx.district, ctx.demand),
    )


def spread(
    ctx: RunContext,
    *,
    order: str = "distance",
    n_steps: int | None = None,
    stability: Stability = "none",
    options: SizingOptions = CHEAP_OPTIONS,
) -> SpreadingOutput | None:
    """Grow the district candidate by candidate (buildings with ``phase: candidate``).

    Returns None when the district has no candidates; else ``result.steps`` (KPIs per step)
    and ``result.partners`` (who would rather stay out).
    """
    return compute_spreading(
        ctx.district,
        ctx.district_file,
        options=options,
        order=order,
        n_steps=n_steps,
        stability=stability,
        progress=ctx.progress,
        demand=ctx.demand,
    )


def minimum_scale(
    ctx: RunContext,
    *,
    family: str = "size",
    low_factor: float = 0.05,
    high_factor: float = 2.0,
    points: int = 12,
    tolerance: float = 0.01,
    options: SizingOptions = CHEAP_OPTIONS,
) -> MinimumScaleOutput:
    """Find the saving against a scale factor (``curve``) and where it crosses zero."""
    return compute_minimum_scale(
        ctx.district,
        ctx.district_file,
        options=options,
        family=family,
        low_factor=low_factor,
        high_factor=high_factor,
        points=points,
        tolerance=tolerance,
        progress=ctx.progress,
        demand=ctx.demand,
    )


def write(ctx: RunContext, out_dir: str | Path, *, report: bool = True) -> list[Path]:
    """Write every stage computed so far into a run folder, with manifest and report.

    The folder is the same as ``tsg run`` writes for those stages (see
    :mod:`tsg.run_layout`), so ``tsg report`` and ``tsg summary`` read it.

    Returns
    -------
    list of Path
        The files written.
    """
    compute_stage("demand", ctx)
    if report:
        compute_stage("report", ctx)
    return write_run(ctx, Path(out_dir), command="tsg.api.write")


def report(run_dir: str | Path) -> Path:
    """Write ``report.html`` of a run folder and return its path."""
    return write_report(run_dir)
