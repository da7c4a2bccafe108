"""The scaling stage: the scenarios a district file asks for -> ``DIR/scaling/``.

The district file's ``scaling`` section lists translations (one folder per target,
``scaling/translate-<n>/``), a spreading run (``scaling/spreading/``) and a minimum-scale
search (``scaling/minimum-scale/``); every sizing uses the section's typical days and MIP gap.
The run's own demand is reused (the reference side of every translation, the spreading unless
a candidates file adds buildings, the minimum-scale family). ``scaling/scenarios.json`` says
what ran and its headline numbers (the report reads it). A district file without the section
makes the stage a no-op.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tsg import run_layout as layout
from tsg.district import resolve_district_argument
from tsg.optimisation.executor import ExecutorSettings, SolveExecutor
from tsg.outputs import json_ready, write_json
from tsg.scaling_districts import CHEAP_OPTIONS
from tsg.scaling_outputs import (
    MinimumScaleOutput,
    SpreadingOutput,
    TranslationOutput,
    compute_minimum_scale,
    compute_spreading,
    compute_translation,
    write_minimum_scale_files,
    write_spreading_files,
    write_translation_files,
)
from tsg.stages.context import RunContext

__all__ = ["ScalingScenariosResult", "compute", "write"]

#: Scenario folders inside ``scaling/``.
SPREADING_FOLDER = "spreading"
MINIMUM_SCALE_FOLDER = "minimum-scale"


def translation_folder(position: int) -> str:
    """Folder of the translation at this position of the district file (from 0)."""
    return f"translate-{position + 1}"


@dataclass(frozen=True)
class ScalingScenariosResult:
    """The scenarios that ran and the summary of ``scaling/scenarios.json``.

    Attributes
    ----------
    summary
        What ran and its headline numbers (empty when the district has no scenarios).
    translations
        One per translation of the district file, in its order.
    spreading
        The spreading run (None when not asked for or without candidates).
    minimum_scale
        The minimum-scale search (None when not asked for).
    """

    summary: dict[str, Any]
    translations: tuple[TranslationOutput, ...] = ()
    spreading: SpreadingOutput | None = None
    minimum_scale: MinimumScaleOutput | None = None
    ran: bool = False


def compute(ctx: RunContext) -> ScalingScenariosResult:
    """Run the scaling scenarios of ``ctx.district.scaling`` in memory.

    Returns
    -------
    ScalingScenariosResult
        Empty when the district file has no ``scaling`` section.
    """
    district, progress = ctx.district, ctx.progress
    scenarios = district.scaling
    if scenarios is None:
        return ScalingScenariosResult({})
    options = replace(
        CHEAP_OPTIONS, n_typical_periods=scenarios.typical_periods, mip_gap=scenarios.mip_gap
    )
    summary: dict[str, Any] = {
        "typical_periods": scenarios.typical_periods,
        "mip_gap": scenarios.mip_gap,
        "translations": [],
    }
    translations = []
    for position, translation in enumerate(scenarios.translations):
        # the loader has checked that every target resolves
        out = compute_translation(
            ctx.district_file,
            resolve_district_argument(translation.target),
            options=options,
            stability=translation.stability,
            progress=progress,
            reference=(district, ctx.demand),
        )
        translations.append(out)
        counts = out.conditions["status"].value_counts().to_dict()
        rows = () if out.kpis is None else out.kpis.itertuples()
        summary["translations"].append(
            {
                "target_id": out.target.id,
                "target_name": out.target.name,
                "folder": translation_folder(position),
                "conditions": {k: int(v) for k, v in counts.items()},
                "kpis": {r.kpi: {"reference": r.reference, "target": r.target} for r in rows},
            }
        )
    spreading = None
    if scenarios.spreading is not None:
        spec = scenarios.spreading
        spreading = compute_spreading(
            district,
            ctx.district_file,
            options=options,
            order=spec.order,
            n_steps=spec.steps,
            candidates_file=spec.candidates_file,
            stability=spec.stability,
            progress=progress,
            demand=ctx.demand,
        )
        summary["spreading"] = _spreading_summary(spreading, spec.order, spec.stability)
    minimum = None
    if scenarios.minimum_scale is not None:
        spec = scenarios.minimum_scale
        settings = ctx.settings
        workers = 2 if settings.processes is None else settings.processes
        where = ExecutorSettings(workers=workers, scheduler=settings.scheduler)
        with SolveExecutor(where) as executor:
            minimum = compute_minimum_scale(
                district,
                ctx.district_file,
                options=options,
                family=spec.family,
                low_factor=spec.low_factor,
                high_factor=spec.high_factor,
                points=spec.points,
                tolerance=spec.tolerance,
                progress=progress,
                demand=ctx.demand,
                executor=executor,
            )
        found = minimum.found
        summary["minimum_scale"] = {
            "folder": MINIMUM_SCALE_FOLDER,
            "family": spec.family,
            "status": found.status,
            "break_even_factor": found.value,
            "bracket": [found.low, found.high],
            "sizings": int(len(minimum.curve)),
        }
    return ScalingScenariosResult(
        summary=json_ready(summary),  # NaN (e.g. no break-even) as None, as in the file
        translations=tuple(translations),
        spreading=spreading,
        minimum_scale=minimum,
        ran=True,
    )


def _spreading_summary(
    spreading: SpreadingOutput | None, order: str, stability: str
) -> dict[str, Any]:
    if spreading is None:
        return {"ran": False, "note": "no candidate buildings"}
    steps = spreading.result.steps
    summary: dict[str, Any] = {
        "ran": True,
        "folder": SPREADING_FOLDER,
        "order": order,
        "steps": int(len(steps) - 1),
        "beneficial": int(steps["beneficial"].eq(True).sum()),
        "final_saving_eur_per_yr": float(steps["saving_eur_per_yr"].iloc[-1]),
        "largest_dn_mm": int(steps["largest_dn_mm"].max()),
        "stability": stability,
    }
    if stability != "none":
        # alliance_stable is True / False / None (None: not decided)
        stable = zip(steps["step"], steps["alliance_stable"], strict=True)
        summary["core_empty_steps"] = [
            int(step) for step, value in stable if value is not None and not value
        ]
    return summary


def write(result: ScalingScenariosResult, out_dir: Path) -> list[Path]:
    """Write every scenario's folder and ``scaling/scenarios.json`` (nothing when none ran)."""
    if not result.ran:
        return []
    folder = out_dir / layout.SCALING
    files: list[Path] = []
    for position, out in enumerate(result.translations):
        files += write_translation_files(out, folder / translation_folder(position))
    if result.spreading is not None:
        files += write_spreading_files(result.spreading, folder / SPREADING_FOLDER)
    if result.minimum_scale is not None:
        files += write_minimum_scale_files(result.minimum_scale, folder / MINIMUM_SCALE_FOLDER)
    files.append(write_json(layout.SCENARIOS.under(out_dir), result.summary))
    return files
