"""GeoJSON export of a simulated network (RFC 7946: WGS84 longitude/latitude; opens in QGIS)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from tsg.grid.year_result import YearResult

__all__ = ["edge_flow_statistics", "network_geojson"]

_EPS = 1e-7


def edge_flow_statistics(year: YearResult) -> pd.DataFrame:
    """Peak flow and flow-direction shares per trench, from the warm-line pipe of each edge.

    Parameters
    ----------
    year
        Simulated hours.

    Returns
    -------
    pandas.DataFrame
        One row per edge (index = edge number): ``peak_mdot_kg_per_s`` (largest |flow| over
        valid hours), ``peak_velocity_m_per_s``, ``max_pressure_gradient_pa_per_m``,
        ``share_forward`` and ``share_backward`` (share of valid hours with warm-line flow
        from ``from_id`` to ``to_id`` and back; the cold line flows the other way),
        ``share_no_flow``, ``mean_mdot_kg_per_s`` (signed mean, > 0 forward).

    """
    ok = year.valid
    warm = (year.pipes.line == "warm").to_numpy()
    edges = year.pipes.edge.to_numpy()[warm]
    m = year.pipe_mdot_kg_per_s[ok][:, warm]
    v = year.pipe_velocity_m_per_s[ok][:, warm]
    all_grad = year.pipe_dp_bar[ok] * 1e5 / year.pipes.length_m.to_numpy()
    n = max(int(ok.sum()), 1)
    out = pd.DataFrame(
        {
            "peak_mdot_kg_per_s": np.nanmax(np.abs(m), axis=0, initial=0.0),
            "peak_velocity_m_per_s": np.nanmax(v, axis=0, initial=0.0),
            "max_pressure_gradient_pa_per_m": [
                float(np.nanmax(all_grad[:, (year.pipes.edge == e).to_numpy()], initial=0.0))
                for e in edges
            ],
            "share_forward": (m > _EPS).sum(axis=0) / n,
            "share_backward": (m < -_EPS).sum(axis=0) / n,
            "mean_mdot_kg_per_s": np.nanmean(m, axis=0) if ok.any() else np.zeros(len(edges)),
        },
        index=pd.Index(edges, name="edge"),
    )
    out["share_no_flow"] = 1.0 - out.share_forward - out.share_backward
    return out


def _clean(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def network_geojson(
    *, nodes: pd.DataFrame, edges: pd.DataFrame, year: YearResult | None = None
) -> dict[str, Any]:
    """Pipes as LineStrings and buildings / balancing unit as Points, WGS84.

    Parameters
    ----------
    nodes
        Columns ``id``, ``latitude_deg``, ``longitude_deg`` plus any properties to copy
        (e.g. ``kind``, ``name``).
    edges
        Columns ``from_id``, ``to_id``, ``length_m``, ``dn_mm`` plus any properties to copy;
        row number = edge number of ``year``.
    year
        Simulated hours; adds the columns of :func:`edge_flow_statistics` to every pipe.

    Returns
    -------
    dict
        A GeoJSON FeatureCollection (straight lines between the nodes; ``length_m`` is the
        trench length including the layout's detour factor).

    """
    pos = nodes.set_index("id")
    stats = edge_flow_statistics(year) if year is not None else None
    features = []
    for k, e in enumerate(edges.reset_index(drop=True).itertuples(index=False)):
        a, b = pos.loc[str(e.from_id)], pos.loc[str(e.to_id)]
        props = {c: _clean(v) for c, v in e._asdict().items()}
        props["edge"] = k
        if stats is not None and k in stats.index:
            props.update({c: _clean(v) for c, v in stats.loc[k].items()})
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [
                        [float(a.longitude_deg), float(a.latitude_deg)],
                        [float(b.longitude_deg), float(b.latitude_deg)],
                    ],
                },
                "properties": {"feature": "pipe", **props},
            }
        )
    for row in nodes.itertuples(index=False):
        props = {c: _clean(v) for c, v in row._asdict().items()}
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(row.longitude_deg), float(row.latitude_deg)],
                },
                "properties": {"feature": "node", **props},
            }
        )
    return {"type": "FeatureCollection", "features": features}
