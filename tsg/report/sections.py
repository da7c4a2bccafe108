"""Sections from the demand stage and the district file: summary, profiles, map, people, barriers.

Each function takes the :class:`~tsg.report.context.Context` and returns a
:class:`~tsg.report.html.Section`; one whose inputs are missing returns an unavailable section
with a one-line note.
"""

from __future__ import annotations

from typing import Any

from tsg import run_layout as layout
from tsg.report import charts, network_map
from tsg.report.context import Context
from tsg.report.figures import format_number, format_value
from tsg.report.html import (
    Cell,
    Section,
    badge,
    esc,
    key_value_table,
    more_rows_note,
    note,
    table,
)
from tsg.report.summary_text import indicator_rows

LEVELS = ("high", "medium", "low")
#: Rows of the building table (all buildings are in summary.csv).
MAX_BUILDING_ROWS = 30
BARRIER_TYPES = ("legal", "financial", "organisational", "technical", "social")


def missing(section_id: str, title: str, text: str) -> Section:
    """Return an unavailable section with its one-line note."""
    return Section(section_id, title, note(text), available=False)


def figure_cards(cards: list[tuple[str, str, str]]) -> str:
    """Render big key figures ``(label, value, unit)`` as a grid of cards (all escaped)."""
    items = "".join(
        f'<div class="figure"><div class="value">{esc(value)} <span class="small">{esc(unit)}'
        f'</span></div><div class="label">{esc(label)}</div></div>'
        for label, value, unit in cards
    )
    return f'<div class="figures">{items}</div>'


def district_summary(ctx: Context) -> Section:
    """Key demand figures and the building table."""
    title = "District summary"
    if not ctx.district and ctx.summary is None:
        return missing("summary", title, "No district.json or summary.csv in the run folder.")
    cards = []
    for name, label, unit in (
        ("heat_mwh_per_yr", "heat demand (space + hot water)", "MWh/yr"),
        ("cool_mwh_per_yr", "cooling demand", "MWh/yr"),
        ("exchangeable_mwh_per_yr", "directly exchangeable", "MWh/yr"),
        ("demand_overlap", "demand overlap", "-"),
        ("peak_heat_kw", "peak heat", "kW"),
        ("peak_cool_kw", "peak cooling", "kW"),
    ):
        value = ctx.indicator(name)
        if value is not None:
            cards.append((label, format_number(value, unit=unit), "" if unit == "-" else unit))
    cards.append(("buildings", str(len(ctx.items("buildings"))), ""))
    cards.append(("partners", str(len(ctx.items("partners"))), ""))
    parts = [figure_cards(cards)]
    network = ctx.district.get("network") or {}
    if network:
        parts.append(
            f"<p>Two-pipe ambient loop: warm line {esc(format_value(network.get('warm_line_c')))} "
            f"&deg;C, cold line {esc(format_value(network.get('cold_line_c')))} &deg;C.</p>"
        )
    parts.append(_building_table(ctx))
    return Section("summary", title, "".join(parts))


def _building_table(ctx: Context) -> str:
    summary = ctx.summary
    rows: list[list[Any]] = []
    buildings = ctx.items("buildings")
    for building in buildings[:MAX_BUILDING_ROWS]:
        ident = str(building.get("id"))
        stats = summary.loc[ident] if summary is not None and ident in summary.index else None
        rows.append(
            [
                Cell(f"{esc(building.get('name'))}<br><span class=small>{esc(ident)}</span>"),
                ctx.partner_names.get(str(building.get("partner")), building.get("partner")),
                str(building.get("archetype", "")).replace("_", " "),
                building.get("phase", ""),
                *_numbers(building.get("floor_area_m2"), stats),
            ]
        )
    if summary is not None and "TOTAL" in summary.index:
        area = sum(float(b.get("floor_area_m2") or 0) for b in ctx.items("buildings"))
        rows.append(["Total", "", "", "", *_numbers(area, summary.loc["TOTAL"])])
    header = [
        "building",
        "partner",
        "archetype",
        "phase",
        "floor area [m2]",
        "heat [MWh/yr]",
        "cooling [MWh/yr]",
        "peak heat [kW]",
        "peak cooling [kW]",
    ]
    more = ""
    if len(buildings) > MAX_BUILDING_ROWS:
        more = more_rows_note(MAX_BUILDING_ROWS, len(buildings), layout.SUMMARY.relative)
    return more + table(
        header,
        rows,
        table_id="building-table",
        caption="Buildings (heat = space heating + hot water; peaks of the TOTAL row are peaks "
        "of the summed profile)",
        numeric=[False] * 4 + [True] * 5,
        total_last=summary is not None and "TOTAL" in summary.index,
    )


def _numbers(area: Any, stats: Any) -> list[str]:
    keys = ("heat_mwh_per_yr", "cool_mwh_per_yr", "peak_heat_kw", "peak_cool_kw")
    values = [format_value(area)]
    values += [
        format_value(float(stats[k])) if stats is not None and k in stats else "" for k in keys
    ]
    return values


def demand_profiles(ctx: Context) -> Section:
    """Daily demand over the year, load-duration curves, demand per building, indicators."""
    title = "Demand profiles"
    profiles = ctx.run.profiles()
    if profiles is None:
        return missing("demand", title, "No profiles in the run folder (demand stage did not run).")
    zone = str(ctx.district.get("time_zone") or "UTC")
    parts = [
        "<p>Hourly demand of every building, summed over the district. Daily means below; "
        "the hourly values are in <code>profiles.csv</code> and <code>profiles.parquet</code>, "
        "heat maps per building in <code>plots/</code>.</p>",
        charts.embed(
            charts.daily_demand(profiles, time_zone=zone),
            "chart-daily",
            caption="Daily mean district demand. Directly exchangeable: the daily mean of "
            "min(heat, cooling) per hour, usable without storage.",
        ),
        charts.embed(
            charts.load_duration(profiles),
            "chart-duration",
            caption="Load-duration curves: hourly district demand sorted from the highest hour.",
        ),
    ]
    summary = ctx.summary
    if summary is not None:
        buildings = summary.drop(index="TOTAL", errors="ignore")
        parts.append(
            charts.embed(
                charts.building_demand(buildings, ctx.building_names),
                "chart-buildings",
                caption="Annual demand per building"
                + (
                    f" (the {charts.MAX_BARS} largest of {len(buildings)})."
                    if len(buildings) > charts.MAX_BARS
                    else "."
                ),
            )
        )
    if ctx.indicators is not None:
        parts.append("<h3>Indicators</h3>")
        parts.append(key_value_table(indicator_rows(ctx.run), table_id="indicator-table"))
    return Section("demand", title, "".join(parts))


def network_section(ctx: Context) -> Section:
    """Draw the network from ``simulation/network.geojson``, else a site plan."""
    title = "Network map"
    kinds = {str(b.get("id")): "building" for b in ctx.items("buildings")}
    kinds |= {str(s.get("id")): "balancing" for s in ctx.items("sources")}
    heat_dominant = {}
    if ctx.summary is not None:
        for ident in kinds:
            if ident in ctx.summary.index:
                row = ctx.summary.loc[ident]
                heat_dominant[ident] = bool(row["heat_mwh_per_yr"] >= row["cool_mwh_per_yr"])
    geojson = ctx.run.json_object(layout.SIMULATION_GEOJSON.relative)
    options = {"names": ctx.names, "kinds": kinds, "heat_dominant": heat_dominant}
    if geojson is not None:
        svg = network_map.render(geojson, title="network map", **options)
        caption = (
            "Pipes from simulation/network.geojson: width by nominal diameter, arrow in the "
            "direction of the peak flow. Hover a pipe or building for its figures."
        )
        return Section(
            "network",
            title,
            f'<figure class="map">{svg}<figcaption>{esc(caption)}</figcaption></figure>',
        )
    site = network_map.site_collection(ctx.district)
    if not site["features"]:
        return missing("network", title, "No network simulated and no building locations known.")
    svg = network_map.render(site, title="site plan", **options)
    return Section(
        "network",
        title,
        note(
            "Network simulation did not run (no simulation/network.geojson); site plan of the "
            "buildings and sources only."
        )
        + f'<figure class="map">{svg}<figcaption>Buildings and sources of the district file.'
        "</figcaption></figure>",
        available=True,
    )


def stakeholders(ctx: Context) -> Section:
    """Interest-influence grid and the partner table with roles and demand."""
    title = "Stakeholders"
    partners = ctx.items("partners")
    if not partners:
        return missing("stakeholders", title, "The district names no partners.")
    cells: dict[tuple[str, str], list[str]] = {}
    for partner in partners:
        key = (str(partner.get("influence", "medium")), str(partner.get("interest", "medium")))
        cells.setdefault(key, []).append(str(partner.get("name") or partner.get("id")))
    quadrant = {
        ("high", "high"): "manage closely",
        ("high", "low"): "keep satisfied",
        ("low", "high"): "keep informed",
        ("low", "low"): "monitor",
    }
    rows = []
    for influence in LEVELS:
        cells_html = []
        for interest in reversed(LEVELS):
            names = "".join(f"<li>{esc(n)}</li>" for n in cells.get((influence, interest), []))
            label = quadrant.get((influence, interest), "")
            key = " class=key" if (influence, interest) == ("high", "high") else ""
            cells_html.append(
                f"<td{key}><span class=quadrant>{esc(label)}</span><ul>{names}</ul></td>"
            )
        rows.append(f"<tr><th scope=row>{esc(influence)}</th>{''.join(cells_html)}</tr>")
    head = "".join(f"<th scope=col>{esc(level)}</th>" for level in reversed(LEVELS))
    grid = (
        '<div class="table-wrap"><table class="matrix" id="stakeholder-grid">'
        "<caption>Influence (rows) against interest in the grid (columns)</caption>"
        f"<thead><tr><th></th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
    demand = ctx.partner_demand
    body = []
    for partner in partners:
        ident = str(partner.get("id"))
        stats = demand.loc[ident] if ident in demand.index else None
        body.append(
            [
                Cell(f"{esc(partner.get('name'))}<br><span class=small>{esc(ident)}</span>"),
                str(partner.get("role", "")).replace("_", " "),
                partner.get("influence", ""),
                partner.get("interest", ""),
                "; ".join(str(i) for i in partner.get("interests") or []),
                *(format_value(stats[c]) if stats is not None else "" for c in demand.columns),
            ]
        )
    partner_table = table(
        [
            "partner",
            "role",
            "influence",
            "interest",
            "interests",
            "buildings",
            "heat [MWh/yr]",
            "cooling [MWh/yr]",
        ],
        body,
        table_id="partner-table",
        caption="Partners: roles, interests and the demand of their buildings",
        numeric=[False] * 5 + [True] * 3,
    )
    return Section("stakeholders", title, grid + partner_table)


def barriers(ctx: Context) -> Section:
    """List the barriers: type, status, owner and the scenario parameter each affects."""
    title = "Barrier register"
    items = ctx.items("barriers")
    if not items:
        return missing("barriers", title, "The district file lists no barriers.")
    counts = []
    for kind in BARRIER_TYPES:
        of_kind = [b for b in items if b.get("type") == kind]
        if of_kind:
            still_open = sum(b.get("status") in ("open", "in_progress") for b in of_kind)
            counts.append(f"{kind} {len(of_kind)} ({still_open} open)")
    rows = []
    for barrier in items:
        status = str(barrier.get("status", "open"))
        parameter = barrier.get("parameter")
        owner = barrier.get("owner")
        rows.append(
            [
                barrier.get("id"),
                barrier.get("type"),
                badge(status.replace("_", " "), kind=status),
                barrier.get("description"),
                Cell(f"<code>{esc(parameter)}</code>") if parameter else "",
                ctx.partner_names.get(str(owner), owner) if owner else "",
            ]
        )
    header = ["barrier", "type", "status", "description", "scenario parameter", "owner"]
    summary = "<p>By type: " + esc("; ".join(counts)) + ".</p>" if counts else ""
    return Section("barriers", title, summary + table(header, rows, table_id="barrier-table"))
