"""PNG map of a sized network: trenches by pipe size, buildings by connection, sources."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from tsg.optimisation.sizing import SizingInputs, SizingResult  # noqa: E402
from tsg.outputs import write_atomically  # noqa: E402

__all__ = ["network_map"]


def network_map(
    result: SizingResult,
    inputs: SizingInputs,
    path: Path,
    *,
    node_xy: Mapping[str, tuple[float, float]] | None = None,
) -> Path:
    """Draw the design on RD New coordinates and write it as PNG.

    Built trenches are solid, their width grows with the pipe size and they are labelled
    ``DN<size>``; candidate trenches not built are dashed grey. Connected buildings are
    green, buildings on their own supply grey; ATES, heat sources and central plants are blue
    squares.

    Parameters
    ----------
    result
        Sizing result.
    inputs
        Its inputs (coordinates).
    path
        PNG file to write.
    node_xy
        RD New coordinates [m] of further nodes (e.g. the sites of central plants).

    Returns
    -------
    Path
        ``path``.

    """
    xy = {b.building_id: (b.x_m, b.y_m) for b in inputs.buildings}
    xy.update({s.source_id: (s.x_m, s.y_m) for s in (*inputs.ates, *inputs.heat_sources)})
    xy.update(node_xy or {})
    xy.update({p.plant_id: xy[p.node_id] for p in inputs.plants if p.node_id in xy})
    figure, axis = plt.subplots(figsize=(8, 7))
    largest = max((e.dn_mm or 0) for e in result.edges) or 1
    for e in result.edges:
        if e.from_id not in xy or e.to_id not in xy:
            continue
        (x0, y0), (x1, y1) = xy[e.from_id], xy[e.to_id]
        if e.built:
            axis.plot([x0, x1], [y0, y1], color="#8e44ad", lw=1.5 + 5.0 * e.dn_mm / largest)
            axis.annotate(
                f"DN{e.dn_mm}" if e.parallel_pipes == 1 else f"{e.parallel_pipes}xDN{e.dn_mm}",
                ((x0 + x1) / 2, (y0 + y1) / 2),
                fontsize=7,
                color="#5b2c6f",
                ha="center",
            )
        else:
            axis.plot([x0, x1], [y0, y1], color="#aaaaaa", lw=1.0, ls="--")
    for b in result.buildings:
        x, y = xy[b.building_id]
        colour = "#27ae60" if b.connected else "#95a5a6"
        axis.scatter([x], [y], s=80, color=colour, zorder=3, edgecolor="black")
        axis.annotate(b.building_id, (x, y), xytext=(5, 5), textcoords="offset points", fontsize=8)
    for p in result.plants:
        if p.plant_id in xy:
            x, y = xy[p.plant_id]
            axis.scatter([x], [y], s=110, marker="s", color="#2e86c1", zorder=3, edgecolor="black")
            axis.annotate(
                f"{p.plant_id} ({p.capacity_kw:,.0f} "
                f"{'kWh' if p.kind == 'thermal_storage' else 'kW'})",
                (x, y),
                xytext=(5, -12),
                textcoords="offset points",
                fontsize=8,
            )
    saving = (
        ""
        if result.reference is None
        else f", saving {result.reference.cost_eur_per_yr - result.design.cost_eur_per_yr:,.0f}"
        " EUR/yr vs reference"
    )
    axis.set_title(
        f"Sized network: {len(result.connected_buildings)} of {len(result.buildings)} buildings "
        f"connected{saving}",
        fontsize=10,
    )
    axis.set_xlabel("RD New x [m]")
    axis.set_ylabel("RD New y [m]")
    axis.set_aspect("equal", adjustable="datalim")
    axis.grid(alpha=0.3)
    try:
        write_atomically(path, lambda p: figure.savefig(p, format="png", dpi=110))
    finally:
        plt.close(figure)
    return path
