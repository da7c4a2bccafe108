"""Interactive charts (plotly): figure builders and their embedding in the page.

plotly.js is embedded once, inline, in the page head (:func:`library_script`); each chart is
a ``<div>`` plus a small ``<script>`` calling ``Plotly.newPlot`` with JSON made safe by
:func:`tsg.report.html.escape_json_text`. plotly renders a few HTML tags and entities inside
labels, so every user-supplied label passes through :func:`tsg.report.html.esc` first and shows
as literal text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.offline

from tsg.report.figures import SEPARATORS
from tsg.report.html import esc, escape_json_text, script_json
from tsg.report.i18n import ENGLISH, Texts

#: Series colours: space heating, hot water, cooling, exchange, neutral.
COLOURS = {
    "heat": "#c2410c",
    "dhw": "#f59e0b",
    "cool": "#1d4ed8",
    "exchange": "#0f766e",
    "neutral": "#64748b",
}
RULE_COLOURS = ("#0b6e8a", "#c2410c", "#6d28d9", "#15803d", "#b45309", "#be185d", "#475569")

#: Most buildings in the per-building chart (the largest by heat + cooling).
MAX_BARS = 40

CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
}


def library_script() -> str:
    """Return the ``<script>`` element with the complete plotly.js library (about 4.8 MB)."""
    return f"<script>{plotly.offline.get_plotlyjs()}</script>"


def chart_layout(
    fig: go.Figure, *, y_title: str, x_title: str = "", height: int = 380, lang: str = "en"
) -> go.Figure:
    """Apply the report's chart style, axis titles and the number separators of ``lang``.

    Returns ``fig``; plotly's ``separators`` are the decimal mark, then the thousands mark.
    """
    thousands, decimal = SEPARATORS.get(lang, SEPARATORS["en"])
    fig.update_layout(
        separators=decimal + thousands,
        template="plotly_white",
        height=height,
        margin={"l": 60, "r": 20, "t": 30, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "traceorder": "normal"},
        font={"family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif"},
        hovermode="x unified",
    )
    fig.update_yaxes(title_text=y_title, rangemode="tozero")
    fig.update_xaxes(title_text=x_title)
    return fig


def embed(fig: go.Figure, chart_id: str, *, caption: str = "") -> str:
    """Return a chart as a ``<figure>`` with its drawing script.

    Parameters
    ----------
    fig
        The figure.
    chart_id
        Element id (fixed by the report; escaped anyway).
    caption
        Caption text (escaped).

    Returns
    -------
    str
        Markup; needs :func:`library_script` earlier in the page.
    """
    ident = esc(chart_id)
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    figure = escape_json_text(fig.to_json())
    return (
        f'<figure class="chart-fig"><div class="chart" id="{ident}"></div>{cap}</figure>'
        f"<script>(function () {{ var figure = {figure}; Plotly.newPlot("
        f"{script_json(chart_id)}, figure.data, figure.layout, {script_json(CONFIG)}); }})();"
        "</script>"
    )


def _totals(profiles: pd.DataFrame) -> pd.DataFrame:
    """District totals per quantity [kW]: space heat, hot water, cooling."""
    out = {}
    for quantity in ("heat", "dhw", "cool"):
        columns = [c for c in profiles.columns if str(c).endswith(f".{quantity}_kw")]
        out[quantity] = profiles[columns].sum(axis=1) if columns else pd.Series(0.0, profiles.index)
    return pd.DataFrame(out)


def daily_demand(profiles: pd.DataFrame, *, time_zone: str, t: Texts = ENGLISH) -> go.Figure:
    """Daily mean district demand [kW] over the year, with the directly exchangeable part.

    Parameters
    ----------
    profiles
        Hourly kW, UTC index, ``<building>.<quantity>_kw`` columns.
    time_zone
        Days are local days of this IANA zone.
    t
        Texts of the report's language (trace names, axis titles).
    """
    totals = _totals(profiles)
    totals.index = totals.index.tz_convert(time_zone)
    heat = totals["heat"] + totals["dhw"]
    totals["exchange"] = np.minimum(heat, totals["cool"])
    daily = totals.resample("D").mean()
    days = [stamp.strftime("%Y-%m-%d") for stamp in daily.index]
    fig = go.Figure()
    for key in ("heat", "dhw", "cool", "exchange"):
        name = t(f"chart.{key}")
        fig.add_trace(
            go.Scatter(
                x=days,
                y=daily[key].round(1).to_numpy(),
                name=name,
                mode="lines",
                line={
                    "color": COLOURS[key],
                    "width": 1.6,
                    "dash": "dot" if key == "exchange" else None,
                },
                stackgroup="heat" if key in ("heat", "dhw") else None,
            )
        )
    return chart_layout(fig, y_title=t("chart.daily_mean"), lang=t.lang)


def load_duration(profiles: pd.DataFrame, *, points: int = 300, t: Texts = ENGLISH) -> go.Figure:
    """Load-duration curves of district heat (space + hot water) and cooling [kW].

    The sorted 8,760 values are thinned to about ``points`` (every hour of the first day kept,
    so the peak is exact).
    """
    totals = _totals(profiles)
    curves = {
        t("chart.heat_total"): np.sort((totals["heat"] + totals["dhw"]).to_numpy())[::-1],
        t("chart.cool"): np.sort(totals["cool"].to_numpy())[::-1],
    }
    n = len(totals)
    keep = np.unique(np.concatenate([np.arange(min(24, n)), np.linspace(0, n - 1, points)]))
    keep = keep.astype(int)
    fig = go.Figure()
    for (name, values), colour in zip(
        curves.items(), (COLOURS["heat"], COLOURS["cool"]), strict=True
    ):
        fig.add_trace(
            go.Scatter(
                x=keep + 1,
                y=values[keep].round(1),
                name=name,
                mode="lines",
                line={"color": colour, "width": 2},
            )
        )
    fig = chart_layout(
        fig, y_title=t("chart.district_kw"), x_title=t("chart.hours_above"), lang=t.lang
    )
    fig.update_layout(hovermode="closest")
    return fig


def building_demand(
    summary: pd.DataFrame, names: Mapping[str, str], *, t: Texts = ENGLISH
) -> go.Figure:
    """Annual demand per building [MWh/yr], stacked: space heat, hot water, cooling.

    Parameters
    ----------
    summary
        ``summary.csv`` indexed by building id, without the TOTAL row; only the
        :data:`MAX_BARS` largest buildings (heat + cooling) are drawn.
    names
        Building id -> display name (escaped here).
    """
    if len(summary) > MAX_BARS:
        size = summary.get("heat_mwh_per_yr", 0) + summary.get("cool_mwh_per_yr", 0)
        summary = summary.loc[size.sort_values(ascending=False).index[:MAX_BARS]]
    labels = [esc(names.get(str(b), str(b))) for b in summary.index]
    fig = go.Figure()
    columns = (
        ("space_heat_mwh_per_yr", t("chart.heat"), "heat"),
        ("dhw_mwh_per_yr", t("chart.dhw"), "dhw"),
        ("cool_mwh_per_yr", t("chart.cool"), "cool"),
    )
    for column, name, colour in columns:
        if column in summary:
            fig.add_trace(
                go.Bar(
                    y=labels,
                    x=summary[column].round(1).to_numpy(),
                    name=name,
                    orientation="h",
                    marker_color=COLOURS[colour],
                    offsetgroup="cool" if colour == "cool" else "heat",
                )
            )
    height = max(300, 60 + 34 * len(labels))
    fig = chart_layout(fig, y_title="", x_title=t("chart.annual_mwh"), height=height, lang=t.lang)
    fig.update_layout(barmode="stack", hovermode="y unified", margin={"l": 10})
    fig.update_yaxes(autorange="reversed", automargin=True, rangemode=None)
    return fig


def allocation(
    players: Sequence[str],
    rules: Mapping[str, Mapping[str, float]],
    names: Mapping[str, str],
    *,
    standalone: Mapping[str, float] | None = None,
    t: Texts = ENGLISH,
) -> go.Figure:
    """Allocated annual cost per partner [EUR/yr], one bar per rule.

    Parameters
    ----------
    players
        Partner ids in game order.
    rules
        Rule -> partner id -> cost [EUR/yr].
    names
        Partner id -> display name (escaped here).
    standalone
        Partner id -> stand-alone cost [EUR/yr], drawn as markers when given.
    t
        Texts of the report's language (rule names, legend, axis, separators).
    """
    labels = [esc(names.get(p, p)) for p in players]
    fig = go.Figure()
    for k, (rule, costs) in enumerate(rules.items()):
        fig.add_trace(
            go.Bar(
                x=labels,
                y=[_number(costs.get(p)) for p in players],
                name=esc(t.rule(rule)),
                marker_color=RULE_COLOURS[k % len(RULE_COLOURS)],
            )
        )
    if standalone:
        fig.add_trace(
            go.Scatter(
                x=labels,
                y=[_number(standalone.get(p)) for p in players],
                name=t("chart.standalone"),
                mode="markers",
                marker={
                    "symbol": "line-ew-open",
                    "size": 28,
                    "color": "#111",
                    "line": {"width": 3},
                },
            )
        )
    fig = chart_layout(fig, y_title=t("chart.annual_cost"), lang=t.lang)
    fig.update_layout(barmode="group", hovermode="x unified")
    return fig


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None
