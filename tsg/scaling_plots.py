"""Plots of the scaling analyses: spreading steps and the minimum-scale curve."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from tsg.plots import plt, save_figure
from tsg.scaling.minimum_scale import BreakEven

__all__ = ["minimum_scale_plot", "spreading_plot"]


def spreading_plot(steps: pd.DataFrame, path: Path) -> Path:
    """Plot the saving and marginal saving per step; non-beneficial candidates in red."""
    figure, (top, bottom) = plt.subplots(2, 1, figsize=(8, 6), sharex=True)
    top.plot(steps["step"], steps["saving_eur_per_yr"] / 1e3, marker="o", color="#2e86c1")
    top.set_ylabel("saving vs reference [kEUR/yr]")
    top.grid(alpha=0.3)
    rest = steps[steps["step"] > 0]
    colours = ["#27ae60" if b else "#c0392b" for b in rest["beneficial"]]
    bottom.bar(rest["step"], rest["marginal_saving_eur_per_yr"] / 1e3, color=colours)
    bottom.axhline(0.0, color="black", linewidth=0.8)
    bottom.set_ylabel("marginal saving [kEUR/yr]")
    bottom.set_xlabel("step (candidates added)")
    bottom.grid(alpha=0.3)
    figure.suptitle("Spreading: green = beneficial candidate, red = adds cost")
    figure.tight_layout()
    return save_figure(figure, path)


def minimum_scale_plot(curve: pd.DataFrame, found: BreakEven, family: str, path: Path) -> Path:
    """Plot the saving versus the family parameter with the break-even marked."""
    figure, axis = plt.subplots(figsize=(8, 4.5))
    axis.plot(curve["value"], curve["saving_eur_per_yr"] / 1e3, marker="o", color="#2e86c1")
    axis.axhline(0.0, color="black", linewidth=0.8)
    if found.status == "found" and math.isfinite(found.value):
        axis.axvline(found.value, color="#c0392b", linestyle="--")
        axis.annotate(
            f"break-even {found.value:.3g} (±{found.tolerance / 2:.2g})",
            (found.value, 0.0),
            textcoords="offset points",
            xytext=(6, 10),
            color="#c0392b",
        )
    axis.set_xlabel(
        "demand factor [-]" if family == "size" else "density factor (1 / distance factor) [-]"
    )
    axis.set_ylabel("saving vs reference [kEUR/yr]")
    axis.set_title(f"Minimum scale along the '{family}' family")
    axis.grid(alpha=0.3)
    figure.tight_layout()
    return save_figure(figure, path)
