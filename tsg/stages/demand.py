"""The demand stage: the validated district and its hourly demand -> the top of ``DIR``.

:func:`compute` returns the run context's demand (computed once per run, see
:class:`tsg.stages.context.RunContext`); :func:`write` writes ``district.json``,
``profiles.csv`` / ``profiles.parquet``, ``summary.csv``, ``indicators.csv`` and the plots.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tsg import run_layout as layout
from tsg.demand import DemandResult
from tsg.outputs import write_json, write_profiles, write_table
from tsg.plots import demand_plots
from tsg.schema import District
from tsg.stages.context import RunContext

__all__ = ["DemandStageResult", "compute", "write"]


@dataclass(frozen=True)
class DemandStageResult:
    """The validated district and its demand (weather, profiles, indicators)."""

    district: District
    demand: DemandResult


def compute(ctx: RunContext) -> DemandStageResult:
    """Return the district and its hourly demand."""
    return DemandStageResult(ctx.district, ctx.demand)


def write(result: DemandStageResult, out_dir: Path) -> list[Path]:
    """Write the district, the profiles (CSV + Parquet), the summary tables and the plots."""
    demand = result.demand
    files = [write_json(layout.DISTRICT.under(out_dir), result.district.model_dump(mode="json"))]
    files += write_profiles(out_dir, demand.profiles)
    files.append(
        write_table(
            layout.SUMMARY.under(out_dir), demand.buildings, spec=layout.SUMMARY, index=True
        )
    )
    indicators = demand.indicators.as_table()
    files.append(write_table(layout.INDICATORS.under(out_dir), indicators, spec=layout.INDICATORS))
    files += demand_plots(demand.profiles, out_dir)
    return files
