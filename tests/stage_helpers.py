"""Helpers of the stage tests: one stage on a loaded district, written into a folder."""

from pathlib import Path

from tsg.demand import DemandResult
from tsg.optimisation.sizing import SizingOptions
from tsg.schema import District
from tsg.stages import RunContext, RunSettings, run_stage


def run_sizing(
    district: District,
    demand: DemandResult,
    *,
    out_dir: Path,
    options: SizingOptions | None = None,
    sensitivity: bool | str = True,
):
    """The sizing stage as ``tsg size`` runs it (sensitivity table by default)."""
    settings = RunSettings(sizing_options=options, sensitivity=sensitivity)
    ctx = RunContext.of(district, out_dir / "district.yaml", demand=demand, settings=settings)
    result, _ = run_stage("sizing", ctx, out_dir)
    return result
