"""The historical-replay section: the decision of the time against the design, and thresholds.

Reads ``sizing/replay.json`` (the verdict per building) and ``sizing/thresholds.csv`` (the
factor of each parameter that flips each building's connection) and shows them as two tables
and one chart (a dot per building and parameter on a logarithmic factor axis).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from tsg import run_layout as layout
from tsg.report import charts
from tsg.report.context import Context
from tsg.report.figures import format_number
from tsg.report.html import Section, badge, esc, note, table
from tsg.report.i18n import Texts
from tsg.report.sections import missing

__all__ = ["replay", "threshold_chart"]

SYMBOLS = {"pipe_cost": "circle", "gas_price": "diamond", "demand": "square"}
COLOURS = {"pipe_cost": "#475569", "gas_price": "#c2410c", "demand": "#0f766e"}


def _decision(t: Texts, value: object) -> str:
    key = f"replay.{str(value).replace(' ', '_')}"
    return t(key) if t.has(key) else str(value)


def _number(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return number


def _verdict_html(ctx: Context, document: dict[str, Any]) -> str:
    t, names = ctx.t, ctx.building_names
    design = document.get("design") or {}
    cheap = {
        r["building_id"]: r["optimiser"]
        for r in (document.get("threshold_model") or {}).get("buildings", [])
    }
    rows = []
    differ = []
    for row in design.get("buildings", []):
        bid = str(row.get("building_id"))
        match = bool(row.get("match"))
        if not match:
            differ.append(names.get(bid, bid))
        cells: list[object] = [
            names.get(bid, bid),
            _decision(t, row.get("historical")),
            _decision(t, row.get("optimiser")),
        ]
        if cheap:
            cells.append(_decision(t, cheap.get(bid, "")))
        own = _number(row.get("own_saving_eur_per_yr"))
        cells.append(format_number(own, lang=t.lang) if math.isfinite(own) else "")
        cells.append(
            badge(t("replay.yes" if match else "replay.no"), kind="yes" if match else "no")
        )
        rows.append(cells)
    date = str(document.get("decided_on", ""))
    if design.get("reproduced"):
        text = t("replay.verdict_yes", date=date, total=design.get("buildings_compared"))
    else:
        text = t(
            "replay.verdict_no",
            date=date,
            matches=design.get("matches"),
            total=design.get("buildings_compared"),
            differ=", ".join(differ),
        )
    header = [t("replay.col_building"), t("replay.col_historical"), t("replay.col_optimiser")]
    header += [t("replay.col_cheap")] if cheap else []
    header += [t("replay.col_own_saving"), t("replay.col_match")]
    parts = [f"<p><strong>{esc(text)}</strong></p>", table(header, rows, table_id="replay-verdict")]
    gap = _number(document.get("design_solver_gap_eur_per_yr"))
    if math.isfinite(gap):
        shown = format_number(gap, unit="EUR/yr", lang=t.lang)
        parts.append(f'<p class="small">{esc(t("replay.gap_note", gap=shown))}</p>')
    if document.get("source"):
        parts.append(f'<p class="small">{esc(t("replay.source", source=document["source"]))}</p>')
    return "".join(parts)


def threshold_chart(thresholds: pd.DataFrame, names: dict[str, str], t: Texts) -> go.Figure:
    """Dot chart of the threshold factors: one row per building, one marker per parameter.

    Parameters
    ----------
    thresholds
        The table of ``sizing/thresholds.csv``.
    names
        Building id -> display name (escaped here).
    t
        Texts of the report's language.
    """
    fig = go.Figure()
    for parameter in SYMBOLS:
        part = thresholds[thresholds["parameter"] == parameter]
        if part.empty:
            continue
        factors = [_number(v) for v in part["threshold_factor"]]
        flips = [math.isfinite(f) for f in factors]
        labels = [esc(names.get(str(b), str(b))) for b in part["building_id"]]
        name = esc(t(f"replay.param.{parameter}"))
        for flipped in (True, False):
            x = [
                f if flipped else _number(end)
                for f, end, ok in zip(factors, part["searched_to"], flips, strict=True)
                if ok == flipped
            ]
            y = [label for label, ok in zip(labels, flips, strict=True) if ok == flipped]
            if not x:
                continue
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=y,
                    mode="markers",
                    name=name if flipped else f"{name}: {esc(t('replay.chart_no_flip'))}",
                    marker={
                        "symbol": SYMBOLS[parameter] + ("" if flipped else "-open"),
                        "size": 12,
                        "color": COLOURS[parameter],
                    },
                )
            )
    fig = charts.chart_layout(fig, y_title="", x_title=t("replay.chart_x"), lang=t.lang)
    fig.update_xaxes(type="log", rangemode=None)
    fig.update_yaxes(rangemode=None, automargin=True)
    fig.add_vline(x=1.0, line_dash="dot", line_color="#111")
    fig.update_layout(hovermode="closest")
    return fig


def _thresholds_html(ctx: Context, document: dict[str, Any], thresholds: pd.DataFrame) -> str:
    t, names = ctx.t, ctx.building_names
    search = document.get("threshold_search") or {}
    low, high = (search.get("range") or [math.nan, math.nan])[:2]
    intro = t(
        "replay.thresholds_intro",
        periods=search.get("typical_periods"),
        gap=search.get("mip_gap"),
        low=low,
        high=high,
        solves=search.get("max_solves"),
        total=search.get("solves"),
        seconds=search.get("wall_time_s"),
    )
    parts = [f"<h3>{esc(t('replay.h_thresholds'))}</h3>", f"<p>{esc(intro)}</p>"]
    model = document.get("threshold_model") or {}
    design = document.get("design") or {}
    ours = {r["building_id"]: r["optimiser"] for r in model.get("buildings", [])}
    if ours and ours != {r["building_id"]: r["optimiser"] for r in design.get("buildings", [])}:
        joined = [names.get(b, b) for b, v in ours.items() if v == "connected"]
        parts.append(note(t("replay.model_differs", connected=", ".join(joined) or "-")))
    rows = []
    for r in thresholds.itertuples():
        factor = _number(r.threshold_factor)
        unit = "" if pd.isna(r.unit) else str(r.unit)
        shown = (
            format_number(factor, lang=t.lang)
            if math.isfinite(factor)
            else t("replay.no_flip", end=format_number(_number(r.searched_to), lang=t.lang))
        )
        value = _number(r.threshold_value)
        rows.append(
            [
                names.get(str(r.building_id), str(r.building_id)),
                t(f"replay.param.{r.parameter}"),
                _decision(t, r.base_decision),
                shown,
                _decision(t, r.flips_to) if isinstance(r.flips_to, str) and r.flips_to else "",
                format_number(_number(r.base_value), unit=unit, lang=t.lang),
                format_number(value, unit=unit, lang=t.lang) if math.isfinite(value) else "",
                unit,
            ]
        )
    header = [
        t("replay.col_building"),
        t("replay.col_parameter"),
        t("replay.col_base"),
        t("replay.col_factor"),
        t("replay.col_flips_to"),
        t("replay.col_base_value"),
        t("replay.col_value"),
        t("replay.col_unit"),
    ]
    numeric = [False, False, False, True, False, True, True, False]
    parts.append(table(header, rows, table_id="replay-thresholds", numeric=numeric))
    fig = threshold_chart(thresholds, names, t)
    parts.append(charts.embed(fig, "chart-replay-thresholds", caption=t("replay.chart_caption")))
    return "".join(parts)


def replay(ctx: Context) -> Section:
    """Show the replay verdict, the threshold table and chart (when the run made them)."""
    title = ctx.t("section.replay")
    document = ctx.run.json_object(layout.REPLAY.relative)
    if not document:
        return missing("replay", title, ctx.t("replay.missing"))
    body = _verdict_html(ctx, document)
    if ctx.run.has(layout.THRESHOLDS.relative):
        thresholds = ctx.run.csv(layout.THRESHOLDS.relative)
        if thresholds is not None and not thresholds.empty:
            body += _thresholds_html(ctx, document, thresholds)
    return Section("replay", title, body)
