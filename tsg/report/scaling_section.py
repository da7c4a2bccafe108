"""The report's scaling section: translations, spreading and minimum scale of a run.

Reads ``scaling/scenarios.json`` (written by the scaling stage of ``tsg run``) and the tables
in its sub-folders; each analysis gets a headline sentence, a chart and its table. A scaling
folder from ``tsg scale ... --out`` (files directly in ``scaling/``) is shown generically.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from tsg import run_layout as layout
from tsg.report.charts import COLOURS, chart_layout, embed
from tsg.report.context import Context
from tsg.report.figures import format_number, format_value
from tsg.report.generic import csv_html
from tsg.report.html import Section, esc, note
from tsg.report.i18n import ENGLISH, Texts
from tsg.report.sections import missing

__all__ = ["minimum_scale_chart", "scaling", "spreading_chart"]

#: Columns of the spreading steps shown in the report (the CSV has all of them).
SPREADING_COLUMNS = (
    "step",
    "candidate",
    "partner",
    "beneficial",
    "marginal_saving_eur_per_yr",
    "saving_eur_per_yr",
    "cost_eur_per_mwh",
    "largest_dn_mm",
    "ates_capacity_kw",
    "new_partners",
    "partners_rather_out",
    "alliance_stable",
    "core_reason",
)


def spreading_chart(
    steps: pd.DataFrame, *, names: dict[str, str] | None = None, t: Texts = ENGLISH
) -> go.Figure:
    """Chart the saving versus the reference per step [EUR/yr] and each marginal saving.

    The x axis is a category axis named by candidate, in step order ("existing" first), so
    it has no half steps and the line runs left to right only.

    Parameters
    ----------
    steps
        ``spreading_steps.csv``.
    names
        Candidate id -> display name (escaped here).
    t
        Texts of the report's language.
    """
    names = names or {}
    fig = go.Figure()
    labels = [
        t("scaling.existing") if s == 0 else f"{s}: {esc(names.get(str(c), c))}"
        for s, c in zip(steps["step"], steps["candidate"].fillna(""), strict=True)
    ]
    later = steps["step"] > 0
    colours = [
        COLOURS["exchange"] if b is True or str(b) == "True" else COLOURS["heat"]
        for b in steps.loc[later, "beneficial"]
    ]
    fig.add_trace(
        go.Bar(
            x=[label for label, keep in zip(labels, later, strict=True) if keep],
            y=steps.loc[later, "marginal_saving_eur_per_yr"],
            name=t("scaling.marginal"),
            marker_color=colours,
        )
    )
    fig.add_trace(
        go.Scatter(
            x=labels,
            y=steps["saving_eur_per_yr"],
            name=t("scaling.district_saving"),
            mode="lines+markers",
            line={"color": COLOURS["cool"]},
        )
    )
    fig = chart_layout(
        fig, y_title=t("scaling.saving_axis"), x_title=t("scaling.step_axis"), lang=t.lang
    )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=labels)
    fig.update_yaxes(rangemode="normal")
    return fig


def minimum_scale_chart(
    curve: pd.DataFrame, found: dict[str, Any], t: Texts = ENGLISH
) -> go.Figure:
    """Chart the saving versus the scale factor [EUR/yr] with the break-even marked (in ``t``)."""
    curve = curve.sort_values("value")
    fig = go.Figure(
        go.Scatter(
            x=curve["value"],
            y=curve["saving_eur_per_yr"],
            name=t("scaling.district_saving"),
            mode="lines+markers",
            line={"color": COLOURS["cool"]},
        )
    )
    fig.add_hline(y=0.0, line_color="#111", line_width=1)
    value = found.get("value")
    if found.get("status") == "found" and isinstance(value, int | float):
        fig.add_vline(
            x=value,
            line_dash="dash",
            line_color=COLOURS["heat"],
            annotation_text=t("scaling.break_even_mark", factor=_factor(value, t)),
        )
    fig = chart_layout(
        fig, y_title=t("scaling.saving_axis"), x_title=t("scaling.factor_axis"), lang=t.lang
    )
    fig.update_xaxes(type="log")
    fig.update_yaxes(rangemode="normal")
    return fig


def _translations(ctx: Context, summary: dict[str, Any]) -> list[str]:
    t = ctx.t
    parts = []
    for item in summary.get("translations") or []:
        folder = f"scaling/{item['folder']}"
        counts = item.get("conditions") or {}
        target = item.get("target_name") or item["target_id"]
        parts.append(f"<h3>{esc(t('scaling.translation', target=target))}</h3>")
        holds, differs = counts.get("holds", 0), counts.get("differs", 0)
        text = t("scaling.conditions", holds=holds, differs=differs, fails=counts.get("fails", 0))
        parts.append(f"<p>{esc(text)}</p>")
        conditions = ctx.run.csv(f"{folder}/context_comparison.csv")
        if conditions is not None:
            shown = ("indicator", "reference", "target", "threshold", "status")
            parts.append(
                csv_html(
                    conditions[[c for c in shown if c in conditions]],
                    caption=t("scaling.conditions_caption"),
                    source=f"{folder}/context_comparison.csv",
                    t=t,
                )
            )
        kpis = ctx.run.csv(f"{folder}/translation_kpis.csv")
        if kpis is not None:
            parts.append(
                csv_html(
                    kpis,
                    caption=t("scaling.kpis_caption"),
                    source=f"{folder}/translation_kpis.csv",
                    t=t,
                )
            )
        if conditions is None and kpis is None:
            parts.append(note(t("scaling.no_tables", folder=folder)))
    return parts


def _spreading(ctx: Context, summary: dict[str, Any]) -> list[str]:
    info = summary.get("spreading")
    if not info:
        return []
    t = ctx.t
    parts = [f"<h3>{esc(t('scaling.spreading'))}</h3>"]
    if not info.get("ran"):
        return [*parts, note(str(info.get("note") or t("scaling.spreading_not_run")))]
    steps = ctx.run.csv(f"scaling/{info['folder']}/spreading_steps.csv")
    saving = info.get("final_saving_eur_per_yr")
    parts.append(
        "<p>"
        + esc(
            t(
                "scaling.spreading_headline",
                steps=info["steps"],
                order=info["order"],
                beneficial=info["beneficial"],
                saving=format_value(saving, unit="EUR/yr", lang=t.lang),
                dn=info["largest_dn_mm"],
            )
        )
        + "</p>"
    )
    if steps is not None:
        chart = spreading_chart(steps, names=ctx.building_names, t=t)
        parts.append(embed(chart, "scaling-spreading"))
        columns = [c for c in SPREADING_COLUMNS if c in steps]
        parts.append(
            csv_html(
                steps[columns],
                caption=t("scaling.steps_caption"),
                source=f"scaling/{info['folder']}/{layout.SPREADING_STEPS.name}",
                t=t,
            )
        )
    return parts


def _factor(value: float, t: Texts) -> str:
    """Return a scale factor to three significant digits in the separators of ``t.lang``."""
    return format_number(float(f"{value:.3g}"), lang=t.lang)


def _minimum_scale(ctx: Context, summary: dict[str, Any]) -> list[str]:
    info = summary.get("minimum_scale")
    if not info:
        return []
    t = ctx.t
    folder = f"scaling/{info['folder']}"
    found = ctx.run.json_object(f"{folder}/minimum_scale.json") or {}
    family = info.get("family", "size")
    meaning = t("scaling.size_meaning") if family == "size" else t("scaling.density_meaning")
    status = info.get("status")
    if status == "found":
        low, high = info.get("bracket") or (None, None)
        headline = t(
            "scaling.break_even",
            factor=_factor(info["break_even_factor"], t),
            meaning=meaning,
            low=_factor(low, t),
            high=_factor(high, t),
        )
    elif status == "always_saves":
        headline = t("scaling.always_saves", meaning=meaning)
    else:
        headline = t("scaling.never_saves", meaning=meaning)
    parts = [f"<h3>{esc(t('scaling.minimum'))}</h3>", f"<p>{esc(headline)}</p>"]
    curve = ctx.run.csv(f"{folder}/minimum_scale_curve.csv")
    if curve is not None:
        parts.append(embed(minimum_scale_chart(curve, found, t), "scaling-minimum"))
        parts.append(
            csv_html(
                curve,
                caption=t("scaling.curve_caption"),
                source=f"{folder}/{layout.MINIMUM_SCALE_CURVE.name}",
                t=t,
            )
        )
    return parts


def scaling(ctx: Context) -> Section:
    """Scaling scenarios of the run (``scaling/scenarios.json``)."""
    t = ctx.t
    title = t("section.scaling")
    summary = ctx.run.json_object(layout.SCENARIOS.relative)
    if summary is None:
        return missing("scaling", title, t("scaling.no_scenarios"))
    parts = _translations(ctx, summary) + _spreading(ctx, summary) + _minimum_scale(ctx, summary)
    if not parts:
        return missing("scaling", title, t("scaling.no_scenario"))
    periods = summary.get("typical_periods")
    gap = summary.get("mip_gap")
    parts.insert(
        0,
        "<p class=small>" + esc(t("scaling.settings", periods=periods, gap=f"{gap:.0%}")) + "</p>",
    )
    return Section("scaling", title, "".join(parts))
