"""The three scaling analyses and their output files (used by ``tsg scale`` and ``tsg run``).

Each analysis has a ``compute_*`` function that runs it in memory (reusing a demand or
sizing inputs already computed, when given) and a ``write_*_files`` function that writes its
tables, JSON and plot into a scenario folder (atomically, names from :mod:`tsg.run_layout`):

* translation: ``context_comparison.csv/.json`` and, with sizing, ``translation_kpis.csv``;
* spreading: ``spreading_steps.csv``, ``spreading_partners.csv``, ``spreading.png`` and,
  with a core check, ``spreading_coalitions.csv``;
* minimum scale: ``minimum_scale_curve.csv``, ``minimum_scale.json``, ``minimum_scale.png``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from tsg import run_layout as layout
from tsg.demand import DemandResult, district_demand
from tsg.district import load_district
from tsg.optimisation.executor import SolveExecutor
from tsg.optimisation.sizing import SizingOptions
from tsg.outputs import write_json, write_table
from tsg.progress import Progress
from tsg.scaling.minimum_scale import BreakEven, ScaleFamily, search
from tsg.scaling.spreading import SpreadResult, Stability, spread
from tsg.scaling_context import context_comparison, district_context
from tsg.scaling_districts import (
    candidate_ids,
    size_district,
    translation_kpis,
    with_candidates,
    with_design_of,
)
from tsg.scaling_plots import minimum_scale_plot, spreading_plot
from tsg.schema import District
from tsg.sizing_inputs import sizing_inputs

__all__ = [
    "MinimumScaleOutput",
    "SpreadingOutput",
    "TranslationOutput",
    "compute_minimum_scale",
    "compute_spreading",
    "compute_translation",
    "write_minimum_scale_files",
    "write_spreading_files",
    "write_translation_files",
]


@dataclass(frozen=True)
class TranslationOutput:
    """A translation: the districts, the condition table, the KPI table and files."""

    reference: District
    target: District
    conditions: pd.DataFrame
    kpis: pd.DataFrame | None
    reference_context: dict
    target_context: dict


@dataclass(frozen=True)
class SpreadingOutput:
    """A spreading run."""

    result: SpreadResult


@dataclass(frozen=True)
class MinimumScaleOutput:
    """A minimum-scale search: break-even, curve and the document of ``minimum_scale.json``."""

    found: BreakEven
    curve: pd.DataFrame
    family: str
    document: dict


def compute_translation(
    reference_file: Path,
    target_file: Path,
    *,
    options: SizingOptions,
    sizing: bool = True,
    stability: bool = False,
    progress: Progress,
    reference: tuple[District, DemandResult] | None = None,
) -> TranslationOutput:
    """Compare the contexts of two districts and, with ``sizing``, their KPIs.

    Parameters
    ----------
    reference_file, target_file
        District files.
    options
        Sizing options of both sizings.
    sizing
        Also size both districts (the target with the reference's design choices).
    stability
        Also check the core of both coalition games.
    progress
        Where progress is reported.
    reference
        The reference district and its demand when already computed (a run's own district).

    Returns
    -------
    TranslationOutput

    """
    loaded = []
    for path, known in ((reference_file, reference), (target_file, None)):
        with progress.step(f"demand and context of {path}"):
            if known is None:
                district = load_district(path)
                known = (district, district_demand(district, district_file=path))
            loaded.append((*known, district_context(*known)))
    (ref, ref_demand, ref_context), (target, target_demand, target_context) = loaded
    table = context_comparison(ref_context, target_context)
    kpis = None
    if sizing:
        sized = []
        for district, path, demand in (
            (ref, reference_file, ref_demand),
            (with_design_of(target, ref), target_file, None),
        ):
            with progress.step(f"sizing {district.id} with the reference's design choices"):
                sized.append(
                    size_district(
                        district, path, options=options, stability=stability, demand=demand
                    )
                )
        kpis = translation_kpis(*sized)
    return TranslationOutput(
        reference=ref,
        target=target,
        conditions=table,
        kpis=kpis,
        reference_context=ref_context.as_dict(),
        target_context=target_context.as_dict(),
    )


def write_translation_files(out: TranslationOutput, folder: Path) -> list[Path]:
    """Write a translation's condition table (CSV and JSON) and KPI table into ``folder``."""
    spec = layout.CONTEXT_COMPARISON_CSV
    files = [
        write_table(spec.in_folder(folder), out.conditions, spec=spec),
        write_json(
            layout.CONTEXT_COMPARISON_JSON.in_folder(folder),
            {
                "reference": {"id": out.reference.id, **out.reference_context},
                "target": {"id": out.target.id, **out.target_context},
                "conditions": out.conditions.to_dict(orient="records"),
            },
        ),
    ]
    if out.kpis is not None:
        spec = layout.TRANSLATION_KPIS
        files.append(write_table(spec.in_folder(folder), out.kpis, spec=spec))
    return files


def compute_spreading(
    district: District,
    district_file: Path,
    *,
    options: SizingOptions,
    order: str = "distance",
    n_steps: int | None = None,
    candidates_file: Path | None = None,
    stability: Stability = "none",
    progress: Progress,
    demand: DemandResult | None = None,
) -> SpreadingOutput | None:
    """Grow a district by its candidates (``phase: candidate`` or ``candidates_file``).

    Parameters
    ----------
    district, district_file
        The district and its file.
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
    demand
        The district's demand when already computed (used unless ``candidates_file`` adds
        buildings).

    Returns
    -------
    SpreadingOutput or None
        None when the district has no candidates.

    """
    if candidates_file is not None:
        district, candidates = with_candidates(district, candidates_file)
        demand = None
    else:
        candidates = candidate_ids(district)
    if not candidates:
        return None
    with progress.step(f"demand and sizing inputs of {len(district.buildings)} buildings"):
        if demand is None:
            demand = district_demand(district, district_file=district_file)
        inputs = sizing_inputs(district, demand)
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
    return SpreadingOutput(result)


def write_spreading_files(out: SpreadingOutput, folder: Path) -> list[Path]:
    """Write the steps, the partners per step, the chart and any core-check table."""
    result = out.result
    steps, partners = layout.SPREADING_STEPS, layout.SPREADING_PARTNERS
    files = [
        write_table(steps.in_folder(folder), result.steps, spec=steps),
        write_table(partners.in_folder(folder), result.partners, spec=partners),
        spreading_plot(result.steps, layout.SPREADING_CHART.in_folder(folder)),
    ]
    if not result.coalitions.empty:
        spec = layout.SPREADING_COALITIONS
        files.append(write_table(spec.in_folder(folder), result.coalitions, spec=spec))
    return files


def compute_minimum_scale(
    district: District,
    district_file: Path,
    *,
    options: SizingOptions,
    family: str = "size",
    low_factor: float = 0.05,
    high_factor: float = 2.0,
    points: int = 12,
    tolerance: float = 0.01,
    progress: Progress,
    demand: DemandResult | None = None,
    executor: SolveExecutor | None = None,
) -> MinimumScaleOutput:
    """Curve and break-even search of the district's saving along a scale family.

    Parameters
    ----------
    district, district_file
        The district and its file.
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
    demand
        The district's demand when already computed.
    executor
        Where the curve points are sized, as one batch (default: one after the other here);
        the break-even bisection after them is sequential.

    Returns
    -------
    MinimumScaleOutput

    """
    with progress.step("demand and sizing inputs"):
        if demand is None:
            demand = district_demand(district, district_file=district_file)
        inputs = sizing_inputs(district, demand)
    values = np.geomspace(low_factor, high_factor, points)
    with progress.step(f"curve and break-even search along '{family}'"):
        scale_family = ScaleFamily.of(inputs, family, options)
        if executor is not None:
            scale_family.evaluate_many(
                values, executor=executor, progress=progress.counter("curve points")
            )
        found = search(scale_family.saving, values, tolerance=tolerance)
    curve = scale_family.table()
    doc = {
        **dataclasses.asdict(found),  # NaN (no break-even) is written as null
        "family": family,
        "district": district.id,
        "forced_connected": sorted(scale_family.options.force_connect),
    }
    return MinimumScaleOutput(found, curve, family, doc)


def write_minimum_scale_files(out: MinimumScaleOutput, folder: Path) -> list[Path]:
    """Write the curve, the break-even document and the chart into ``folder``."""
    spec = layout.MINIMUM_SCALE_CURVE
    return [
        write_table(spec.in_folder(folder), out.curve, spec=spec),
        write_json(layout.MINIMUM_SCALE_JSON.in_folder(folder), out.document),
        minimum_scale_plot(
            out.curve, out.found, out.family, layout.MINIMUM_SCALE_CHART.in_folder(folder)
        ),
    ]
