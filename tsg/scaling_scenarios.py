"""Pipeline stage: the scaling scenarios a district file asks for -> ``DIR/scaling/``.

The district file's ``scaling`` section lists translations (one folder per target,
``scaling/translate-<target id>/``), a spreading run (``scaling/spreading/``) and a
minimum-scale search (``scaling/minimum-scale/``); every sizing uses the section's typical
days and MIP gap. ``scaling/scenarios.json`` says what ran and its headline numbers (the
report reads it). A district file without the section makes the stage a no-op.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from tsg import run_layout as layout
from tsg.district import resolve_district_argument
from tsg.outputs import json_ready, write_json
from tsg.progress import Progress
from tsg.scaling_outputs import write_minimum_scale, write_spreading, write_translation
from tsg.scaling_stage import CHEAP_OPTIONS
from tsg.schema import District

__all__ = ["ScalingScenariosResult", "run_scaling_scenarios"]


@dataclass(frozen=True)
class ScalingScenariosResult:
    """What the scaling stage wrote: the summary document and the files."""

    summary: dict[str, Any]
    files: tuple[Path, ...]


def run_scaling_scenarios(
    district: District, district_file: Path, *, out_dir: Path, progress: Progress
) -> ScalingScenariosResult:
    """Run the scaling scenarios of ``district.scaling`` and write their outputs.

    Parameters
    ----------
    district, district_file
        The validated district and its file.
    out_dir
        The run's output folder; outputs go to ``out_dir/scaling``.
    progress
        Where progress is reported.

    Returns
    -------
    ScalingScenariosResult
        Empty when the district file has no ``scaling`` section.

    """
    scenarios = district.scaling
    if scenarios is None:
        return ScalingScenariosResult({}, ())
    folder = out_dir / layout.SCALING
    options = replace(
        CHEAP_OPTIONS, n_typical_periods=scenarios.typical_periods, mip_gap=scenarios.mip_gap
    )
    files: list[Path] = []
    summary: dict[str, Any] = {
        "typical_periods": scenarios.typical_periods,
        "mip_gap": scenarios.mip_gap,
        "translations": [],
    }
    for position, translation in enumerate(scenarios.translations):
        # the loader has checked that every target resolves
        target_file = resolve_district_argument(translation.target)
        out = write_translation(
            district_file,
            target_file,
            folder / f"translate-{position + 1}",
            options=options,
            stability=translation.stability,
            progress=progress,
        )
        files += out.files
        counts = out.conditions["status"].value_counts().to_dict()
        rows = () if out.kpis is None else out.kpis.itertuples()
        kpis = {r.kpi: {"reference": r.reference, "target": r.target} for r in rows}
        summary["translations"].append(
            {
                "target_id": out.target.id,
                "target_name": out.target.name,
                "folder": f"translate-{position + 1}",
                "conditions": {k: int(v) for k, v in counts.items()},
                "kpis": kpis,
            }
        )
    if scenarios.spreading is not None:
        spec = scenarios.spreading
        spreading = write_spreading(
            district,
            district_file,
            folder / "spreading",
            options=options,
            order=spec.order,
            n_steps=spec.steps,
            candidates_file=spec.candidates_file,
            stability=spec.stability,
            progress=progress,
        )
        if spreading is None:
            summary["spreading"] = {"ran": False, "note": "no candidate buildings"}
        else:
            files += spreading.files
            steps = spreading.result.steps
            summary["spreading"] = {
                "ran": True,
                "folder": "spreading",
                "order": spec.order,
                "steps": int(len(steps) - 1),
                "beneficial": int(steps["beneficial"].eq(True).sum()),
                "final_saving_eur_per_yr": float(steps["saving_eur_per_yr"].iloc[-1]),
                "largest_dn_mm": int(steps["largest_dn_mm"].max()),
                "stability": spec.stability,
            }
            if spec.stability != "none":
                # alliance_stable is True / False / None (None: not decided)
                stable = zip(steps["step"], steps["alliance_stable"], strict=True)
                summary["spreading"]["core_empty_steps"] = [
                    int(step) for step, value in stable if value is not None and not value
                ]
    if scenarios.minimum_scale is not None:
        spec = scenarios.minimum_scale
        minimum = write_minimum_scale(
            district,
            district_file,
            folder / "minimum-scale",
            options=options,
            family=spec.family,
            low_factor=spec.low_factor,
            high_factor=spec.high_factor,
            points=spec.points,
            tolerance=spec.tolerance,
            progress=progress,
        )
        files += minimum.files
        found = minimum.found
        summary["minimum_scale"] = {
            "folder": "minimum-scale",
            "family": spec.family,
            "status": found.status,
            "break_even_factor": found.value,
            "bracket": [found.low, found.high],
            "sizings": int(len(minimum.curve)),
        }
    summary = json_ready(summary)  # NaN (e.g. no break-even) as None, as in the file
    files.append(write_json(layout.SCENARIOS.under(out_dir), summary))
    return ScalingScenariosResult(summary, tuple(files))
