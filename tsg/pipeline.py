"""The orchestrator: runs the registered stages on a district and writes the run folder.

The stages and their order are :data:`tsg.stages.STAGES`. :func:`run_pipeline` computes the
selected stages in memory on one :class:`~tsg.stages.context.RunContext` (the district loaded
and its demand computed once), then :func:`write_run` writes them: every stage's files, then
``manifest.json``, then the report, which adds itself to the manifest. A stage that fails
therefore leaves no half-finished run folder behind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tsg import run_layout as layout
from tsg.common import data_path
from tsg.demand import DemandResult
from tsg.outputs import manifest, write_json
from tsg.progress import Progress
from tsg.schema import District
from tsg.stages import OPTIONAL_STAGES, STAGES, RunContext, RunSettings, compute_stage
from tsg.staging import staged_run_folder

__all__ = [
    "OPTIONAL_STAGES",
    "RunResult",
    "input_files",
    "run_context",
    "run_pipeline",
    "write_run",
]


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
        Every file written (the manifest after the stages it lists, the report last).
    results
        Stage name -> the stage's result, for the stages that ran (see :data:`STAGES`).
    """

    district: District
    demand: DemandResult
    out_dir: Path
    files: tuple[Path, ...]
    results: dict[str, Any] = field(default_factory=dict)

    @property
    def simulation(self) -> Any:
        """The annual network simulation, when it ran."""
        return self.results.get("simulation")

    @property
    def sizing(self) -> Any:
        """The optimised design, when it ran."""
        return self.results.get("sizing")

    @property
    def allocation(self) -> Any:
        """The coalition game and the sharing rules, when they ran."""
        return self.results.get("allocation")

    @property
    def scaling(self) -> Any:
        """The scaling scenarios, when the district file asks for them and the stage ran."""
        return self.results.get("scaling")


def input_files(district: District, district_file: Path) -> list[Path]:
    """Every file a run reads: the district file, its referenced files and the catalogues."""
    files = [district_file]
    if district.climate.file is not None:
        files.append(district.climate.file)
    files += [b.measured_profile.file for b in district.buildings if b.measured_profile]
    if district.network.route.line_file is not None:
        files.append(district.network.route.line_file)
    catalogues = (
        "archetypes.yaml",
        "design_limits.yaml",
        "economics.yaml",
        "pipes.csv",
        "prices.yaml",
        "technologies.yaml",
    )
    files += [data_path("catalogues", name) for name in catalogues]
    return files


def run_pipeline(
    district_file: Path,
    *,
    out_dir: Path,
    progress: Progress,
    stages: frozenset[str],
    command: str,
    settings: RunSettings | None = None,
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
        Stages after the demand, any of :data:`OPTIONAL_STAGES`; a stage runs only when the
        stages it needs run too (verification needs sizing).
    command
        Recorded in the manifest.
    settings
        Choices the district file does not make (default :class:`RunSettings`).

    Returns
    -------
    RunResult

    Raises
    ------
    ValueError
        An unknown stage name (a bug in the caller).
    """
    ctx = RunContext.load(district_file, progress=progress, settings=settings)
    return run_context(ctx, out_dir=out_dir, stages=stages, command=command)


def run_context(
    ctx: RunContext, *, out_dir: Path, stages: frozenset[str], command: str
) -> RunResult:
    """Run the requested stages on a loaded district and write the run folder.

    Parameters are those of :func:`run_pipeline`, with the district already in ``ctx``.
    """
    unknown = stages - set(OPTIONAL_STAGES)
    if unknown:
        raise ValueError(f"unknown stages {sorted(unknown)}; allowed: {OPTIONAL_STAGES}")
    for stage in STAGES:
        if (not stage.optional or stage.name in stages) and all(n in stages for n in stage.needs):
            compute_stage(stage.name, ctx)
    files = write_run(ctx, out_dir, command=command)
    return RunResult(
        district=ctx.district,
        demand=ctx.demand,
        out_dir=out_dir,
        files=tuple(files),
        results=dict(ctx.results),
    )


def write_run(ctx: RunContext, out_dir: Path, *, command: str) -> list[Path]:
    """Write the stages computed in ``ctx``, the manifest, and the report when computed.

    Parameters
    ----------
    ctx
        A context whose ``results`` hold the computed stages (the demand at least).
    out_dir
        The run folder (created when missing).
    command
        Recorded in the manifest.

    Returns
    -------
    list of Path
        Every file written, in writing order.

    Raises
    ------
    InputError
        ``out_dir`` is a file or a folder that is not a run folder, or the file system
        refused; the folder is written as one transaction (:mod:`tsg.staging`): an earlier
        run there is replaced whole, and an interrupted or failed write leaves it as it was.
    """
    with staged_run_folder(out_dir) as staging:
        written = _write_stages(ctx, staging, command=command, shown=out_dir)
    return [out_dir / path.relative_to(staging) for path in written]


def _write_stages(ctx: RunContext, out_dir: Path, *, command: str, shown: Path) -> list[Path]:
    files: list[Path] = []
    done = [s for s in STAGES if s.name in ctx.results]
    for stage in (s for s in done if not s.after_manifest):
        with ctx.progress.step(f"writing the {stage.name} outputs to {shown}"):
            files += stage.write(ctx.results[stage.name], out_dir)
    document = manifest(
        inputs=input_files(ctx.district, ctx.district_file),
        outputs=files,
        out_dir=out_dir,
        seed=ctx.district.seed,
        command=command,
    )
    files.append(write_json(layout.MANIFEST.under(out_dir), document))
    for stage in (s for s in done if s.after_manifest):
        with ctx.progress.step(f"writing the {stage.name} to {shown}"):
            files += stage.write(ctx.results[stage.name], out_dir)
    return files
