"""PNG plots of the network simulation: map with peak flows, temperatures, balancing-unit LDC."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from tsg import run_layout as layout  # noqa: E402
from tsg.grid.network import LoopSpec  # noqa: E402
from tsg.grid.year_result import YearResult  # noqa: E402
from tsg.plots import COOL_COLOUR, HEAT_COLOUR, save_figure  # noqa: E402

__all__ = ["balancing_load_duration", "network_map", "simulation_plots", "temperatures_plot"]


def network_map(nodes: pd.DataFrame, edges: pd.DataFrame, stats: pd.DataFrame, path: Path) -> Path:
    """Map in RD New: pipes coloured by peak flow, arrows in the dominant warm-line direction.

    Parameters
    ----------
    nodes
        ``id``, ``kind``, ``x_m``, ``y_m``.
    edges
        ``from_id``, ``to_id``, ``dn_mm``; row = edge number.
    stats
        :func:`grid.geojson.edge_flow_statistics`.
    path
        PNG file.

    Returns
    -------
    Path

    """
    pos = nodes.set_index("id")
    figure, axis = plt.subplots(figsize=(9, 7))
    peak = stats.peak_mdot_kg_per_s.reindex(range(len(edges))).fillna(0.0).to_numpy()
    norm = plt.Normalize(vmin=0.0, vmax=max(float(peak.max()), 1e-6))
    cmap = plt.get_cmap("viridis")
    for k, e in enumerate(edges.reset_index(drop=True).itertuples(index=False)):
        a, b = pos.loc[e.from_id], pos.loc[e.to_id]
        width = 1.0 + 4.0 * float(e.dn_mm) / 450.0
        axis.plot([a.x_m, b.x_m], [a.y_m, b.y_m], color=cmap(norm(peak[k])), lw=width, zorder=1)
        fwd = float(stats.share_forward.get(k, 0.0))
        bwd = float(stats.share_backward.get(k, 0.0))
        if fwd + bwd > 0:
            (x0, y0), (x1, y1) = (a.x_m, a.y_m), (b.x_m, b.y_m)
            if bwd > fwd:
                (x0, y0), (x1, y1) = (x1, y1), (x0, y0)
            xm, ym = 0.5 * (x0 + x1), 0.5 * (y0 + y1)
            axis.annotate(
                "",
                xy=(xm + 0.08 * (x1 - x0), ym + 0.08 * (y1 - y0)),
                xytext=(xm - 0.08 * (x1 - x0), ym - 0.08 * (y1 - y0)),
                arrowprops={"arrowstyle": "-|>", "color": "black", "lw": 1.0},
                zorder=2,
            )
            axis.text(xm, ym, f" {100 * max(fwd, bwd):.0f}%", fontsize=7, zorder=3)
    bld = nodes[nodes.kind == "building"]
    bu = nodes[nodes.kind != "building"]
    axis.scatter(bld.x_m, bld.y_m, s=40, color="#444444", zorder=4, label="building")
    axis.scatter(bu.x_m, bu.y_m, s=90, marker="s", color=COOL_COLOUR, zorder=4, label="ATES")
    for row in nodes.itertuples(index=False):
        axis.annotate(
            row.id,
            (row.x_m, row.y_m),
            fontsize=7,
            xytext=(4, 4),
            zorder=5,
            textcoords="offset points",
        )
    figure.colorbar(
        plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=axis, label="peak mass flow [kg/s]"
    )
    axis.set(
        xlabel="RD New x [m]",
        ylabel="RD New y [m]",
        title="Peak flow per trench; arrow: usual warm-line direction (% of hours)",
        aspect="equal",
    )
    axis.legend(loc="best", fontsize=8)
    return save_figure(figure, path)


def temperatures_plot(year: YearResult, t_soil_c: pd.Series, loop: LoopSpec, path: Path) -> Path:
    """Daily range of warm-line and cold-line junction temperatures, and the soil [°C]."""
    times = pd.DatetimeIndex(year.index)
    figure, axis = plt.subplots(figsize=(9, 4.5))
    for line, colour in (("warm", HEAT_COLOUR), ("cold", COOL_COLOUR)):
        cols = (year.junctions.line == line).to_numpy()
        t = pd.DataFrame(year.t_node_c[:, cols], index=times)
        daily_min = t.min(axis=1).resample("D").min()
        daily_max = t.max(axis=1).resample("D").max()
        axis.fill_between(
            daily_min.index,
            daily_min,
            daily_max,
            color=colour,
            alpha=0.35,
            label=f"{line} line: daily range over junctions",
        )
        nominal = loop.t_warm_c if line == "warm" else loop.t_cold_c
        axis.axhline(nominal, color=colour, lw=0.8, ls="--")
    soil = t_soil_c.resample("D").mean()
    axis.plot(soil.index, soil.to_numpy(), color="#7f6a00", label="soil at 1 m (undisturbed)")
    axis.set(xlabel="date", ylabel="temperature [°C]", title="Temperatures through the year")
    axis.grid(alpha=0.3)
    axis.legend(fontsize=8, loc="best")
    return save_figure(figure, path)


def balancing_load_duration(year: YearResult, path: Path) -> Path:
    """Balancing-unit (ATES) load sorted from largest supply to largest absorption [kW]."""
    q = year.hours.balancing_heat_kw.to_numpy(dtype=float)
    q = np.sort(q[np.isfinite(q)])[::-1]
    figure, axis = plt.subplots(figsize=(8, 4.5))
    hours = np.arange(1, len(q) + 1)
    axis.fill_between(
        hours,
        q,
        0,
        where=q >= 0,
        color=HEAT_COLOUR,
        alpha=0.6,
        label="supplies heat to the loop (warm well discharged)",
    )
    axis.fill_between(
        hours,
        q,
        0,
        where=q < 0,
        color=COOL_COLOUR,
        alpha=0.6,
        label="absorbs heat from the loop (warm well charged)",
    )
    axis.set(
        xlabel="hours of the year, sorted [h]",
        ylabel="balancing-unit load [kW]",
        title="Balancing-unit load-duration curve",
        xlim=(0, max(len(q), 1)),
    )
    axis.grid(alpha=0.3)
    axis.legend(fontsize=8)
    return save_figure(figure, path)


def simulation_plots(
    *,
    year: YearResult,
    nodes: pd.DataFrame,
    edges: pd.DataFrame,
    stats: pd.DataFrame,
    t_soil_c: pd.Series,
    loop: LoopSpec,
    out_dir: Path,
) -> list[Path]:
    """Write the three plots into ``out_dir`` and return their paths."""
    return [
        network_map(nodes, edges, stats, layout.SIMULATION_MAP.in_folder(out_dir)),
        temperatures_plot(year, t_soil_c, loop, layout.SIMULATION_TEMPERATURES.in_folder(out_dir)),
        balancing_load_duration(year, layout.SIMULATION_BALANCING.in_folder(out_dir)),
    ]
