"""The stages of a run, in order, each with ``compute(context)`` and ``write(result, out_dir)``.

:data:`STAGES` is the one list that ``tsg run`` (and its ``--skip``), the pipeline and the
Python API (:mod:`tsg.api`) follow. ``compute`` works in memory on a
:class:`~tsg.stages.context.RunContext`; ``write`` writes the result into a run folder with
the file names of :mod:`tsg.run_layout` and returns the paths.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tsg.stages import (
    allocation,
    demand,
    replay,
    report,
    scaling,
    simulation,
    sizing,
    verification,
)
from tsg.stages.context import RunContext, RunSettings

__all__ = [
    "OPTIONAL_STAGES",
    "STAGES",
    "RunContext",
    "RunSettings",
    "Stage",
    "compute_stage",
    "run_stage",
    "stage",
]


@dataclass(frozen=True)
class Stage:
    """One stage of a run.

    Attributes
    ----------
    name
        Its name (``tsg run --skip NAME``, keys of :attr:`RunContext.results`).
    summary
        One line for help texts.
    compute
        ``compute(context) -> result``, in memory.
    write
        ``write(result, out_dir) -> paths`` into a run folder.
    needs
        Stages whose results ``compute`` reads; skipped with any of them.
    optional
        Whether ``tsg run --skip`` may leave it out.
    after_manifest
        Written after ``manifest.json`` (the report, which shows the manifest and then adds
        itself to it).
    """

    name: str
    summary: str
    compute: Callable[[RunContext], Any]
    write: Callable[[Any, Path], list[Path]]
    needs: tuple[str, ...] = ()
    optional: bool = True
    after_manifest: bool = False


STAGES: tuple[Stage, ...] = (
    Stage(
        "demand",
        "hourly heat, hot water and cooling demand per building, indicators, plots",
        demand.compute,
        demand.write,
        optional=False,
    ),
    Stage(
        "simulation",
        "annual network simulation of the existing buildings (simulation/)",
        simulation.compute,
        simulation.write,
    ),
    Stage(
        "sizing",
        "optimal design: who connects, DN per trench, plants, costs (sizing/)",
        sizing.compute,
        sizing.write,
    ),
    Stage(
        "verification",
        "the design through the annual simulation (sizing/verification.json)",
        verification.compute,
        verification.write,
        needs=("sizing",),
    ),
    Stage(
        "replay",
        "the district file's historical decision against the design, and the thresholds "
        "that flip each connection (sizing/replay.json, sizing/thresholds.csv)",
        replay.compute,
        replay.write,
        needs=("sizing",),
    ),
    Stage(
        "allocation",
        "every coalition's cost and the sharing rules (allocation/)",
        allocation.compute,
        allocation.write,
    ),
    Stage(
        "scaling",
        "the district file's scaling scenarios (scaling/)",
        scaling.compute,
        scaling.write,
    ),
    Stage(
        "report",
        "one self-contained HTML report of the run folder (report.html)",
        report.compute,
        report.write,
        after_manifest=True,
    ),
)

#: Names of the stages ``tsg run --skip`` may leave out.
OPTIONAL_STAGES = tuple(s.name for s in STAGES if s.optional)


def stage(name: str) -> Stage:
    """Return the stage with this name.

    Raises
    ------
    KeyError
        No such stage.
    """
    for candidate in STAGES:
        if candidate.name == name:
            return candidate
    raise KeyError(f"unknown stage '{name}'; stages: {', '.join(s.name for s in STAGES)}")


def compute_stage(name: str, ctx: RunContext) -> Any:
    """Compute a stage in memory (and the stages it needs first, once) and keep its result.

    Parameters
    ----------
    name
        A stage of :data:`STAGES`.
    ctx
        The run context; ``ctx.results[name]`` holds the result afterwards.

    Returns
    -------
    object
        The stage's result; computed again only when not already in ``ctx.results``.
    """
    if name not in ctx.results:
        wanted = stage(name)
        for needed in wanted.needs:
            compute_stage(needed, ctx)
        ctx.results[name] = wanted.compute(ctx)
    return ctx.results[name]


def run_stage(name: str, ctx: RunContext, out_dir: Path) -> tuple[Any, list[Path]]:
    """Compute a stage (:func:`compute_stage`) and write its files into the run folder.

    Returns
    -------
    tuple
        The result and the files written.
    """
    result = compute_stage(name, ctx)
    return result, stage(name).write(result, out_dir)
