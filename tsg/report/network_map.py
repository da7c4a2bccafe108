"""The network map: an SVG drawn from GeoJSON in a local metric frame (no tiles, no network).

Pipes (LineStrings) are drawn with a width by nominal diameter and an arrow in the direction
of their peak flow; buildings and the balancing unit (points) as symbols with their id.
WGS84 coordinates are projected to metres around the centre of the map (equirectangular,
well under 1 % distortion across a district); coordinates that are not longitude / latitude
(e.g. RD New) are taken as metres already. Property names are read generically because the
simulation stage's format may still change: the first property whose name starts with ``dn``
is the pipe size, the first containing ``flow`` or ``mdot`` its flow.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tsg.report.figures import field_label, format_number, format_value, is_scalar
from tsg.report.html import esc
from tsg.report.i18n import ENGLISH, Texts
from tsg.report.map_labels import Label, place_labels

WIDTH = 900
PAD = 48
LEGEND = 46
M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LON_EQUATOR = 111_320.0

#: Nodes are labelled with their id only up to this many nodes (tooltips always).
MAX_LABELS = 80
BALANCING_WORDS = ("ates", "balanc", "plant", "source", "storage", "wko", "pump")


@dataclass(frozen=True)
class Pipe:
    """A pipe in map metres: points, size, flow sign and tooltip text."""

    points: tuple[tuple[float, float], ...]
    dn: float | None
    flow: float | None
    tooltip: str


@dataclass(frozen=True)
class Node:
    """A point feature in map metres."""

    x: float
    y: float
    ident: str
    kind: str  # "building", "balancing" or "junction"
    tooltip: str


def _properties(feature: Mapping[str, Any]) -> dict[str, Any]:
    props = feature.get("properties")
    return dict(props) if isinstance(props, Mapping) else {}


def _first_number(props: Mapping[str, Any], test: Any) -> float | None:
    for key, value in props.items():
        if test(key.lower()) and isinstance(value, int | float) and not isinstance(value, bool):
            if math.isfinite(value):
                return float(value)
    return None


def _tooltip(title: str, props: Mapping[str, Any], t: Texts = ENGLISH) -> str:
    lines = [title]
    for key, value in list(props.items())[:14]:
        if is_scalar(value) and str(key) not in ("id", "name"):
            label, unit = field_label(str(key), t.lang)
            shown = format_value(value, unit=unit, lang=t.lang)
            lines.append(f"{label}: {shown} {unit}".rstrip())
    return "\n".join(lines)


def _projector(coords: Sequence[tuple[float, float]], crs: Any) -> Any:
    """Choose a function (x, y) -> metres from the coordinates' range and the CRS member."""
    crs_text = str(crs).lower() if crs else ""
    geographic = all(-180 <= x <= 180 and -90 <= y <= 90 for x, y in coords)
    if crs_text and "4326" not in crs_text and "crs84" not in crs_text:
        geographic = False
    if not geographic:
        return lambda x, y: (x, y)
    lon0 = (min(x for x, _ in coords) + max(x for x, _ in coords)) / 2
    lat0 = (min(y for _, y in coords) + max(y for _, y in coords)) / 2
    kx = M_PER_DEG_LON_EQUATOR * math.cos(math.radians(lat0))
    return lambda x, y: ((x - lon0) * kx, (y - lat0) * M_PER_DEG_LAT)


def _lines(geometry: Mapping[str, Any]) -> list[list[tuple[float, float]]]:
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "LineString":
        coords = [coords]
    elif kind != "MultiLineString":
        return []
    return [[(float(p[0]), float(p[1])) for p in line] for line in coords or [] if len(line) >= 2]


def _node_kind(ident: str, props: Mapping[str, Any], known: Mapping[str, str]) -> str:
    if ident in known:
        return known[ident]
    text = " ".join(
        str(props.get(key, "")) for key in ("kind", "type", "role", "node_type", "category")
    ).lower()
    if "building" in text or "consumer" in text:
        return "building"
    if any(word in text or word in ident.lower() for word in BALANCING_WORDS):
        return "balancing"
    return "junction"


def parse(
    geojson: Mapping[str, Any],
    *,
    names: Mapping[str, str],
    kinds: Mapping[str, str],
    t: Texts = ENGLISH,
) -> tuple[list[Pipe], list[Node]]:
    """Pipes and nodes of a GeoJSON FeatureCollection, projected to metres.

    Parameters
    ----------
    geojson
        FeatureCollection with LineString / MultiLineString pipes and Point nodes.
    names
        Id -> display name, used in tooltips.
    kinds
        Id -> ``"building"`` / ``"balancing"`` for ids known from the district.
    t
        Texts of the report's language (tooltips).

    Raises
    ------
    ValueError
        Nothing drawable in the collection.
    """
    features = [f for f in geojson.get("features") or [] if isinstance(f, Mapping)]
    raw_lines, raw_points = [], []
    for feature in features:
        geometry = feature.get("geometry") or {}
        props = _properties(feature)
        ident = str(props.get("id", feature.get("id", props.get("name", ""))))
        if geometry.get("type") == "Point":
            xy = geometry.get("coordinates") or []
            if len(xy) >= 2:
                raw_points.append((ident, props, (float(xy[0]), float(xy[1]))))
        for line in _lines(geometry):
            raw_lines.append((ident, props, line))
    coords = [p for *_, xy in raw_points for p in [xy]] + [p for *_, ln in raw_lines for p in ln]
    coords = [(x, y) for x, y in coords if math.isfinite(x) and math.isfinite(y)]
    if not coords:
        raise ValueError("the GeoJSON holds no points or lines to draw")
    project = _projector(coords, geojson.get("crs"))
    pipes = []
    for ident, props, line in raw_lines:
        dn = _first_number(props, lambda k: k.startswith("dn") or "diameter" in k)
        flow = _first_number(props, lambda k: "flow" in k or "mdot" in k)
        label = t("map.pipe_id", id=ident).strip()
        points = tuple(project(x, y) for x, y in line)
        pipes.append(Pipe(points, dn, flow, _tooltip(label, props, t)))
    nodes = []
    for ident, props, (x, y) in raw_points:
        px, py = project(x, y)
        title = str(props.get("name") or names.get(ident) or ident)
        title = f"{title} ({ident})" if ident and ident != title else title
        nodes.append(
            Node(px, py, ident, _node_kind(ident, props, kinds), _tooltip(title, props, t))
        )
    return pipes, nodes


def _nice_length(span_m: float) -> float:
    """Return a round scale-bar length of about a fifth of the span [m]."""
    target = max(span_m / 5, 1.0)
    magnitude = 10 ** math.floor(math.log10(target))
    return max(step * magnitude for step in (1, 2, 5) if step * magnitude <= target)


def _arrow(points: Sequence[tuple[float, float]], reverse: bool, size: float) -> str:
    """Return an SVG path: a triangle mid longest segment, pointing along the flow."""
    segments = list(zip(points[:-1], points[1:], strict=True))
    (x0, y0), (x1, y1) = max(segments, key=lambda s: math.dist(s[0], s[1]))
    if reverse:
        (x0, y0), (x1, y1) = (x1, y1), (x0, y0)
    length = math.dist((x0, y0), (x1, y1))
    if length < 2 * size:
        return ""
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    tip = (mx + ux * size, my + uy * size)
    left = (mx - ux * size - uy * size * 0.7, my - uy * size + ux * size * 0.7)
    right = (mx - ux * size + uy * size * 0.7, my - uy * size - ux * size * 0.7)
    return "M{:.1f},{:.1f} L{:.1f},{:.1f} L{:.1f},{:.1f} Z".format(*tip, *left, *right)


def render(
    geojson: Mapping[str, Any],
    *,
    names: Mapping[str, str] | None = None,
    kinds: Mapping[str, str] | None = None,
    heat_dominant: Mapping[str, bool] | None = None,
    title: str = "network map",
    t: Texts = ENGLISH,
) -> str:
    """Draw the map as an inline ``<svg>`` element.

    Parameters
    ----------
    geojson
        FeatureCollection (see :func:`parse`).
    names
        Id -> display name for tooltips.
    kinds
        Id -> ``"building"`` / ``"balancing"`` from the district.
    heat_dominant
        Building id -> whether it needs more heat than cold (colours the symbol).
    title
        Accessible title of the SVG (escaped).
    t
        Texts of the report's language (legend, tooltips, numbers).

    Returns
    -------
    str
        SVG markup; every text from the GeoJSON or the district is escaped.
    """
    pipes, nodes = parse(geojson, names=names or {}, kinds=kinds or {}, t=t)
    heat_dominant = heat_dominant or {}
    xs = [x for p in pipes for x, _ in p.points] + [n.x for n in nodes]
    ys = [y for p in pipes for _, y in p.points] + [n.y for n in nodes]
    span_x, span_y = max(max(xs) - min(xs), 1.0), max(max(ys) - min(ys), 1.0)
    scale = min((WIDTH - 2 * PAD) / span_x, (WIDTH * 0.75 - 2 * PAD) / span_y)
    height = span_y * scale + 2 * PAD
    x_min, y_max = min(xs), max(ys)

    left = (WIDTH - span_x * scale) / 2  # centred horizontally

    def px(x: float, y: float) -> tuple[float, float]:
        return left + (x - x_min) * scale, PAD + (y_max - y) * scale

    sizes = [p.dn for p in pipes if p.dn is not None]
    lo, hi = (min(sizes), max(sizes)) if sizes else (0.0, 0.0)

    def width(dn: float | None) -> float:
        if dn is None or hi <= lo:
            return 3.5
        return 2.0 + 7.0 * math.sqrt((dn - lo) / (hi - lo))

    parts = [
        f'<svg viewBox="0 0 {WIDTH} {height + LEGEND:.0f}" '
        f'role="img" aria-label="{esc(title)}"><title>{esc(title)}</title>'
    ]
    for pipe in sorted(pipes, key=lambda p: p.dn or 0):
        points = [px(x, y) for x, y in pipe.points]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        arrow = ""
        if pipe.flow:
            arrow = _arrow(points, pipe.flow < 0, 5 + width(pipe.dn))
        arrow_el = f'<path d="{arrow}" fill="#0b3b4a"/>' if arrow else ""
        parts.append(
            f'<g class="pipe"><title>{esc(pipe.tooltip)}</title><polyline points="{path}" '
            f'fill="none" stroke="#0b6e8a" stroke-opacity="0.85" stroke-linecap="round" '
            f'stroke-linejoin="round" stroke-width="{width(pipe.dn):.1f}"/>{arrow_el}</g>'
        )
    labelled = len(nodes) <= MAX_LABELS
    ordered = sorted(nodes, key=lambda n: ("junction", "building", "balancing").index(n.kind))
    marked = [(n.ident, *px(n.x, n.y)) for n in reversed(ordered) if n.kind != "junction"]
    labels = place_labels(marked, width=WIDTH, height=height) if labelled else {}
    for node in ordered:
        x, y = px(node.x, node.y)
        label = labels.get(node.ident)
        parts.append(_node_svg(node, x, y, heat_dominant.get(node.ident), labelled, label))
    parts.append(_legend(height, span_x, scale, (lo, hi) if sizes else None, bool(pipes), t))
    parts.append("</svg>")
    return "".join(parts)


def _node_svg(
    node: Node, x: float, y: float, heat: bool | None, labelled: bool, label: Label | None
) -> str:
    tip = f"<title>{esc(node.tooltip)}</title>"
    if node.kind == "junction":
        return (
            f'<g class="junction">{tip}<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#334"/></g>'
        )
    if node.kind == "balancing":
        shape = (
            f'<rect x="{x - 9:.1f}" y="{y - 9:.1f}" width="18" height="18" rx="2" fill="#6d28d9" '
            'stroke="#fff" stroke-width="1.5"/>'
        )
    else:
        colour = "#c2410c" if heat else "#1d4ed8" if heat is False else "#475569"
        shape = (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{8 if labelled else 4}" fill="{colour}" '
            'stroke="#fff" '
            'stroke-width="1.5"/>'
        )
    if label is None:
        return f'<g class="{esc(node.kind)}">{tip}{shape}</g>'
    text = (
        f'<text x="{label.x:.1f}" y="{label.y:.1f}" text-anchor="{label.anchor}" font-size="12" '
        f'fill="#1f2933" paint-order="stroke" stroke="#fff" stroke-width="3">'
        f"{esc(node.ident)}</text>"
    )
    return f'<g class="{esc(node.kind)}">{tip}{shape}{text}</g>'


def _legend(
    height: float,
    span_m: float,
    scale: float,
    dn: tuple[float, float] | None,
    pipes: bool,
    t: Texts = ENGLISH,
) -> str:
    y = height + 18
    bar_m = _nice_length(span_m)
    bar_px = bar_m * scale
    text = 'font-size="12" fill="#1f2933"'
    items = [
        f'<circle cx="{PAD + 6}" cy="{y}" r="7" fill="#c2410c"/>'
        f'<text x="{PAD + 18}" y="{y + 4}" {text}>{esc(t("map.heat_building"))}</text>',
        f'<circle cx="{PAD + 176}" cy="{y}" r="7" fill="#1d4ed8"/>'
        f'<text x="{PAD + 188}" y="{y + 4}" {text}>{esc(t("map.cold_building"))}</text>',
        f'<rect x="{PAD + 340}" y="{y - 7}" width="14" height="14" rx="2" fill="#6d28d9"/>'
        f'<text x="{PAD + 360}" y="{y + 4}" {text}>{esc(t("map.balancing"))}</text>',
    ]
    if pipes:
        size = t("map.pipe_sizes", low=f"{dn[0]:.0f}", high=f"{dn[1]:.0f}") if dn else t("map.pipe")
        items.append(
            f'<line x1="{PAD + 470}" y1="{y}" x2="{PAD + 500}" y2="{y}" stroke="#0b6e8a" '
            f'stroke-width="4"/><text x="{PAD + 506}" y="{y + 4}" {text}>{esc(size)}</text>'
        )
    x0 = PAD
    bar_text = format_number(bar_m, lang=t.lang)
    items.append(
        f'<path d="M{x0},14 v6 h{bar_px:.1f} v-6" fill="none" stroke="#1f2933"/>'
        f'<text x="{x0 + bar_px + 6:.1f}" y="22" {text}>{bar_text} m</text>'
    )
    north = f'<path d="M{WIDTH - 24},{10} l6,16 h-12 Z" fill="#1f2933"/>'
    north += f'<text x="{WIDTH - 24}" y="{40}" text-anchor="middle" {text}>N</text>'
    return f'<g class="legend">{"".join(items)}{north}</g>'


def site_collection(district: Mapping[str, Any]) -> dict[str, Any]:
    """Return the district's buildings and sources as a FeatureCollection of points."""
    features = []
    for kind, items in (
        ("building", district.get("buildings")),
        ("balancing", district.get("sources")),
    ):
        for item in items or []:
            location = item.get("location") or {}
            lon, lat = location.get("longitude_deg"), location.get("latitude_deg")
            if isinstance(lon, int | float) and isinstance(lat, int | float):
                props = {"id": item.get("id", ""), "name": item.get("name", ""), "kind": kind}
                features.append(
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [lon, lat]},
                        "properties": props,
                    }
                )
    return {"type": "FeatureCollection", "features": features}
