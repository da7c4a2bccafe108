"""PNG plots of demand profiles: load-duration curves, day x hour heatmaps, monthly bars."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from tsg import run_layout as layout  # noqa: E402
from tsg.buildings.indicators import heat_and_cool_kw  # noqa: E402
from tsg.outputs import write_atomically  # noqa: E402

HEAT_COLOUR, COOL_COLOUR = "#c0392b", "#2e86c1"


def save_figure(figure: plt.Figure, path: Path) -> Path:
    """Write a figure as PNG atomically, close it and return ``path``."""
    try:
        write_atomically(path, lambda p: figure.savefig(p, format="png", dpi=110))
    finally:
        plt.close(figure)
    return path


def load_duration_curves(profiles: pd.DataFrame, path: Path) -> Path:
    """District heat and cooling demand sorted from highest to lowest hour [kW]."""
    heat, cool = heat_and_cool_kw(profiles)
    figure, axis = plt.subplots(figsize=(8, 4.5))
    hours = np.arange(1, len(profiles) + 1)
    axis.plot(
        hours,
        np.sort(heat.sum(axis=1).to_numpy())[::-1],
        color=HEAT_COLOUR,
        label="heat (space heating + hot water)",
    )
    axis.plot(hours, np.sort(cool.sum(axis=1).to_numpy())[::-1], color=COOL_COLOUR, label="cooling")
    axis.set(
        xlabel="hours of the year, sorted [h]",
        ylabel="district demand [kW thermal]",
        title="Load-duration curves",
        xlim=(0, len(profiles)),
    )
    axis.grid(alpha=0.3)
    axis.legend()
    return save_figure(figure, path)


def monthly_bars(profiles: pd.DataFrame, path: Path) -> Path:
    """Monthly heat and cooling demand of the district [MWh], heat up and cooling down."""
    heat, cool = heat_and_cool_kw(profiles)
    months = profiles.index.month
    heat_mwh = heat.sum(axis=1).groupby(months).sum() / 1000.0
    cool_mwh = cool.sum(axis=1).groupby(months).sum() / 1000.0
    figure, axis = plt.subplots(figsize=(8, 4.5))
    axis.bar(heat_mwh.index, heat_mwh.to_numpy(), color=HEAT_COLOUR, label="heat")
    axis.bar(cool_mwh.index, -cool_mwh.to_numpy(), color=COOL_COLOUR, label="cooling (down)")
    axis.axhline(0, color="black", linewidth=0.8)
    axis.set(xlabel="month", ylabel="demand [MWh]", title="Monthly demand", xticks=range(1, 13))
    axis.grid(axis="y", alpha=0.3)
    axis.legend()
    return save_figure(figure, path)


def day_hour_heatmap(profiles: pd.DataFrame, building_id: str, path: Path) -> Path:
    """Heat and cooling demand of one building as day-of-year x hour-of-day maps [kW]."""
    heat, cool = heat_and_cool_kw(profiles)
    figure, axes = plt.subplots(1, 2, figsize=(11, 4.5), sharey=True)
    for axis, series, title, cmap in (
        (axes[0], heat[building_id], "heat", "Reds"),
        (axes[1], cool[building_id], "cooling", "Blues"),
    ):
        grid = pd.DataFrame(
            {"day": series.index.dayofyear, "hour": series.index.hour, "kw": series.to_numpy()}
        ).pivot_table(index="hour", columns="day", values="kw", aggfunc="mean")
        image = axis.imshow(
            grid.to_numpy(),
            aspect="auto",
            origin="lower",
            cmap=cmap,
            extent=(0.5, grid.shape[1] + 0.5, -0.5, 23.5),
        )
        axis.set(xlabel="day of year", title=f"{building_id}: {title} [kW]")
        figure.colorbar(image, ax=axis)
    axes[0].set_ylabel("hour of day (local)")
    figure.tight_layout()
    return save_figure(figure, path)


MAX_HEATMAPS = 40
"""Heatmaps are drawn for at most this many buildings (the largest by annual demand)."""


def demand_plots(profiles: pd.DataFrame, out_dir: Path) -> list[Path]:
    """All demand plots into ``out_dir/plots``; returns the files written.

    Day x hour heatmaps are drawn per building for up to :data:`MAX_HEATMAPS` buildings, the
    largest by annual heat plus cooling demand, so large districts stay quick to write.
    """
    heat, cool = heat_and_cool_kw(profiles)
    largest = (heat.sum() + cool.sum()).sort_values(ascending=False).index[:MAX_HEATMAPS]
    building_ids = [b for b in heat.columns if b in set(largest)]
    written = [
        load_duration_curves(profiles, layout.LOAD_DURATION.under(out_dir)),
        monthly_bars(profiles, layout.MONTHLY_DEMAND.under(out_dir)),
    ]
    written += [
        day_hour_heatmap(profiles, building_id, layout.heatmap(building_id).under(out_dir))
        for building_id in building_ids
    ]
    return written
