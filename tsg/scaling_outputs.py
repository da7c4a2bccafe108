"""The three scaling analyses with their output files (used by ``tsg scale`` and ``tsg run``).

Each function loads what it needs, runs one analysis of :mod:`scaling` and writes its tables,
JSON and plot into ``folder`` (atomically, through :mod:`tsg.outputs`):

* :func:`write_translation`: ``context_comparison.csv/.json`` and, with sizing,
  ``translation_kpis.csv``;
* :func:`write_spreading`: ``spreading_steps.csv``, ``spreading_partners.csv``,
  ``spreading.png`` and, with a core check, ``spreading_coalitions.csv``;
* :func:`write_minimum_scale`: ``minimum_scale_curve.csv``, ``minimum_scale.json``,
  ``minimum_scale.png``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tsg import run_layout as layout
from tsg.context_stage import context_comparison, district_context
from tsg.demand import district_demand
from tsg.district import load_district
from tsg.optimisation.sizing import SizingOptions
from tsg.outputs import write_json, write_table
from tsg.progress import Progress
from tsg.scaling.minimum_scale import BreakEven, ScaleFamily, search
from tsg.scaling.spreading import SpreadResult, Stability, spread
from tsg.scaling_plots import minimum_scale_plot, spreading_plot
from tsg.scaling_stage import (
    candidate_ids,
    size_district,
    translation_kpis,
    with_candidates,
    with_design_of,
)
from tsg.schema import District
from tsg.sizing_stage import sizing_inputs

__all__ = [
    "MinimumScaleOutput",
    "SpreadingOutput",
    "TranslationOutput",
    "write_minimum_scale",
    "write_spreading",
    "write_translation",
]


@dataclass(frozen=True)
class TranslationOutput:
    """A translation: the districts, the condition table, the KPI table and files."""

    reference: District
    target: District
    conditions: pd.DataFrame
    kpis: pd.DataFrame | None
    files: tuple[Path, ...]


@dataclass(frozen=True)
class SpreadingOutput:
    """A spreading run and its files."""

    result: SpreadResult
    files: tuple[Path, ...]


@dataclass(frozen=True)
class MinimumScaleOutput:
    """A minimum-scale search: break-even, curve and files."""

    found: BreakEven
    curve: pd.DataFrame
    files: tuple[Path, ...]


def write_translation(
    reference_file: Path,
    target_file: Path,
    folder: Path,
    *,
    options: SizingOptions,
    sizing: bool = True,
    stability: bool = False,
    progress: Progress,
) -> TranslationOutput:
    """Compare the contexts of two districts and, with ``sizing``, their KPIs.

    Parameters
    ----------
    reference_file, target_file
        District files.
    folder
        Output folder.
    options
        Sizing options of both sizings.
    sizing
        Also size both districts (the target with the reference's design choices).
    stability
        Also check the core of both coalition games.
    progress
        Where progress is reported.

    Returns
    -------
    TranslationOutput

    """
    contexts = []
    for path in (reference_file, target_file):
        with progress.step(f"demand and context of {path}"):
            district = load_district(path)
            demand = district_demand(district, district_file=path)
            contexts.append((district, district_context(district, demand)))
    (reference, reference_context), (target, target_context) = contexts
    table = context_comparison(reference_context, target_context)
    files = [
        write_table(
            layout.CONTEXT_COMPARISON_CSV.in_folder(folder),
            table,
            spec=layout.CONTEXT_COMPARISON_CSV,
        ),
        write_json(
            layout.CONTEXT_COMPARISON_JSON.in_folder(folder),
            {
                "reference": {"id": reference.id, **reference_context.as_dict()},
                "target": {"id": target.id, **target_context.as_dict()},
                "conditions": table.to_dict(orient="records"),
            },
        ),
    ]
    kpis = None
    if sizing:
        sized = []
        for district, path in (
            (reference, reference_file),
            (with_design_of(target, reference), target_file),
        ):
            with progress.step(f"sizing {district.id} with the reference's design choices"):
                sized.append(size_district(district, path, options=options, stability=stability))
        kpis = translation_kpis(*sized)
        spec = layout.TRANSLATION_KPIS
        files.append(write_table(spec.in_folder(folder), kpis, spec=spec))
    return TranslationOutput(reference, target, table, kpis, tuple(files))


def write_spreading(
    district: District,
    district_file: Path,
    folder: Path,
    *,
    options: SizingOptions,
    order: str = "distance",
    n_steps: int | None = None,
    candidates_file: Path | None = None,
    stability: Stability = "none",
    progress: Progress,
) -> SpreadingOutput | None:
    """Grow a district by its candidates (``phase: candidate`` or ``candidates_file``).

    Parameters
    ----------
    district, district_file
        The district and its file.
    folder
        Output folder.
    options
        Sizing options of every step.
    order
        ``distance`` or ``marginal``.
    n_steps
        Candidates to add (default all).
    candidates_file
        District file whose buildings are the candidates.
    stability
        Core check per step: ``none``, ``screen`` or ``exact`` (see
        :func:`scaling.spreading.spread`).
    progress
        Where progress is reported.

    Returns
    -------
    SpreadingOutput or None
        None when the district has no candidates (nothing is written).

    """
    if candidates_file is not None:
        district, candidates = with_candidates(district, candidates_file)
    else:
        candidates = candidate_ids(district)
    if not candidates:
        return None
    with progress.step(f"demand and sizing inputs of {len(district.buildings)} buildings"):
        inputs = sizing_inputs(district, district_demand(district, district_file=district_file))
    check = "" if stability == "none" else f", core check '{stability}'"
    with progress.step(f"spreading by {order} over {len(candidates)} candidates{check}"):
        result = spread(
            inputs,
            candidates,
            order=order,
            n_steps=n_steps,
            options=options,
            stability=stability,
        )
    steps, partners = layout.SPREADING_STEPS, layout.SPREADING_PARTNERS
    files = [
        write_table(steps.in_folder(folder), result.steps, spec=steps),
        write_table(partners.in_folder(folder), result.partners, spec=partners),
        spreading_plot(result.steps, layout.SPREADING_CHART.in_folder(folder)),
    ]
    if not result.coalitions.empty:
        spec = layout.SPREADING_COALITIONS
        files.append(write_table(spec.in_folder(folder), result.coalitions, spec=spec))
    return SpreadingOutput(result, tuple(files))


def write_minimum_scale(
    district: District,
    district_file: Path,
    folder: Path,
    *,
    options: SizingOptions,
    family: str = "size",
    low_factor: float = 0.05,
    high_factor: float = 2.0,
    points: int = 12,
    tolerance: float = 0.01,
    progress: Progress,
) -> MinimumScaleOutput:
    """Curve and break-even search of the district's saving along a scale family.

    Parameters
    ----------
    district, district_file
        The district and its file.
    folder
        Output folder.
    options
        Sizing options of every point.
    family
        ``size`` (demand x factor) or ``density`` (distances / factor).
    low_factor, high_factor, points
        Log-spaced curve points [factor].
    tolerance
        Width of the break-even bracket [factor].
    progress
        Where progress is reported.

    Returns
    -------
    MinimumScaleOutput

    """
    with progress.step("demand and sizing inputs"):
        inputs = sizing_inputs(district, district_demand(district, district_file=district_file))
    values = np.geomspace(low_factor, high_factor, points)
    with progress.step(f"curve and break-even search along '{family}'"):
        scale_family = ScaleFamily.of(inputs, family, options)
        found = search(scale_family.saving, values, tolerance=tolerance)
    curve = scale_family.table()
    doc = {
        **dataclasses.asdict(found),  # NaN (no break-even) is written as null
        "family": family,
        "district": district.id,
        "forced_connected": sorted(scale_family.options.force_connect),
    }
    files = (
        write_table(
            layout.MINIMUM_SCALE_CURVE.in_folder(folder), curve, spec=layout.MINIMUM_SCALE_CURVE
        ),
        write_json(layout.MINIMUM_SCALE_JSON.in_folder(folder), doc),
        minimum_scale_plot(curve, found, family, layout.MINIMUM_SCALE_CHART.in_folder(folder)),
    )
    return MinimumScaleOutput(found, curve, files)
