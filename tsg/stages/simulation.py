"""The simulation stage: the existing buildings' network through a whole year -> ``simulation/``.

The network derivation, the annual simulation and the files are in
:mod:`tsg.simulation_stage`; this module adapts them to the stage interface.
"""

from __future__ import annotations

from pathlib import Path

from tsg import run_layout as layout
from tsg.simulation_stage import SimulationResult, compute_simulation, write_simulation
from tsg.stages.context import RunContext

__all__ = ["SimulationResult", "compute", "write"]


def compute(ctx: RunContext) -> SimulationResult:
    """Simulate every hour of the year on the network of the district's existing buildings.

    ``ctx.settings.include_candidates`` connects the candidate buildings too.
    """
    return compute_simulation(
        ctx.district,
        ctx.demand,
        progress=ctx.progress,
        include_candidates=ctx.settings.include_candidates,
    )


def write(result: SimulationResult, out_dir: Path) -> list[Path]:
    """Write ``out_dir/simulation/`` (see :mod:`tsg.simulation_stage` for the files)."""
    return write_simulation(result, out_dir / layout.SIMULATION_SUMMARY.folder)
