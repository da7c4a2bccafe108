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
from tsg.report.figures import format_number, format_value, unit_text
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
    t = ctx.t
    title = t("section.summary")
    if not ctx.district and ctx.summary is None:
        return missing("summary", title, t("summary_section.missing"))
    cards = []
    for name, unit in (
        ("heat_mwh_per_yr", "MWh/yr"),
        ("cool_mwh_per_yr", "MWh/yr"),
        ("exchangeable_mwh_per_yr", "MWh/yr"),
        ("demand_overlap", "-"),
        ("peak_heat_kw", "kW"),
        ("peak_cool_kw", "kW"),
    ):
        value = ctx.indicator(name)
        if value is not None:
            label = t(f"card.{name}")
            shown = "" if unit == "-" else unit_text(unit, t.lang)
            cards.append((label, format_number(value, unit=unit, lang=t.lang), shown))
    cards.append((t("card.buildings"), str(len(ctx.items("buildings"))), ""))
    cards.append((t("card.partners"), str(len(ctx.items("partners"))), ""))
    parts = [figure_cards(cards)]
    network = ctx.district.get("network") or {}
    if network:
        parts.append(
            "<p>"
            + esc(
                t(
                    "summary_section.loop",
                    warm=format_value(network.get("warm_line_c"), lang=t.lang),
                    cold=format_value(network.get("cold_line_c"), lang=t.lang),
                )
            )
            + "</p>"
        )
    parts.append(_building_table(ctx))
    return Section("summary", title, "".join(parts))


def _building_table(ctx: Context) -> str:
    t = ctx.t
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
                *_numbers(building.get("floor_area_m2"), stats, t.lang),
            ]
        )
    if summary is not None and "TOTAL" in summary.index:
        area = sum(float(b.get("floor_area_m2") or 0) for b in ctx.items("buildings"))
        rows.append([t("table.total"), "", "", "", *_numbers(area, summary.loc["TOTAL"], t.lang)])
    header = [
        t(f"buildings.col_{name}")
        for name in ("building", "partner", "archetype", "phase", "area", "heat", "cool")
    ] + [t("buildings.col_peak_heat"), t("buildings.col_peak_cool")]
    more = ""
    if len(buildings) > MAX_BUILDING_ROWS:
        shown = t("table.first_rows", shown=MAX_BUILDING_ROWS, total=len(buildings))
        text = t("table.full_table_is", what=shown)
        more = more_rows_note(MAX_BUILDING_ROWS, len(buildings), layout.SUMMARY.relative, text=text)
    return more + table(
        header,
        rows,
        table_id="building-table",
        caption=t("buildings.caption"),
        numeric=[False] * 4 + [True] * 5,
        total_last=summary is not None and "TOTAL" in summary.index,
    )


def _numbers(area: Any, stats: Any, lang: str) -> list[str]:
    keys = ("heat_mwh_per_yr", "cool_mwh_per_yr", "peak_heat_kw", "peak_cool_kw")
    values = [format_value(area, lang=lang)]
    values += [
        format_value(float(stats[k]), lang=lang) if stats is not None and k in stats else ""
        for k in keys
    ]
    return values


def demand_profiles(ctx: Context) -> Section:
    """Daily demand over the year, load-duration curves, demand per building, indicators."""
    t = ctx.t
    title = t("section.demand")
    profiles = ctx.run.profiles()
    if profiles is None:
        return missing("demand", title, t("demand.missing"))
    zone = str(ctx.district.get("time_zone") or "UTC")
    parts = [
        f"<p>{esc(t('demand.intro'))}</p>",
        charts.embed(
            charts.daily_demand(profiles, time_zone=zone, t=t),
            "chart-daily",
            caption=t("demand.daily_caption"),
        ),
        charts.embed(
            charts.load_duration(profiles, t=t),
            "chart-duration",
            caption=t("demand.duration_caption"),
        ),
    ]
    summary = ctx.summary
    if summary is not None:
        buildings = summary.drop(index="TOTAL", errors="ignore")
        parts.append(
            charts.embed(
                charts.building_demand(buildings, ctx.building_names, t=t),
                "chart-buildings",
                caption=t("demand.buildings_caption")
                + (
                    t("demand.largest", n=charts.MAX_BARS, total=len(buildings))
                    if len(buildings) > charts.MAX_BARS
                    else "."
                ),
            )
        )
    if ctx.indicators is not None:
        parts.append(f"<h3>{esc(t('demand.indicators'))}</h3>")
        header = (t("table.quantity"), t("table.value"), t("table.unit"))
        rows = indicator_rows(ctx.run, t)
        parts.append(key_value_table(rows, table_id="indicator-table", header=header))
    return Section("demand", title, "".join(parts))


def network_section(ctx: Context) -> Section:
    """Draw the network from ``simulation/network.geojson``, else a site plan."""
    t = ctx.t
    title = t("section.network")
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
        svg = network_map.render(geojson, title=t("map.title_network"), t=t, **options)
        caption = t("network.caption")
        return Section(
            "network",
            title,
            f'<figure class="map">{svg}<figcaption>{esc(caption)}</figcaption></figure>',
        )
    site = network_map.site_collection(ctx.district)
    if not site["features"]:
        return missing("network", title, t("network.missing"))
    svg = network_map.render(site, title=t("map.title_site"), t=t, **options)
    return Section(
        "network",
        title,
        note(t("network.site_note"))
        + f'<figure class="map">{svg}<figcaption>{esc(t("network.site_caption"))}'
        "</figcaption></figure>",
        available=True,
    )


def stakeholders(ctx: Context) -> Section:
    """Interest-influence grid and the partner table with roles and demand."""
    t = ctx.t
    title = t("section.stakeholders")
    partners = ctx.items("partners")
    if not partners:
        return missing("stakeholders", title, t("stakeholders.missing"))
    cells: dict[tuple[str, str], list[str]] = {}
    for partner in partners:
        key = (str(partner.get("influence", "medium")), str(partner.get("interest", "medium")))
        cells.setdefault(key, []).append(str(partner.get("name") or partner.get("id")))
    quadrant = {
        ("high", "high"): t("stakeholders.manage"),
        ("high", "low"): t("stakeholders.satisfy"),
        ("low", "high"): t("stakeholders.inform"),
        ("low", "low"): t("stakeholders.monitor"),
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
        level = t(f"level.{influence}")
        rows.append(f"<tr><th scope=row>{esc(level)}</th>{''.join(cells_html)}</tr>")
    head = "".join(f"<th scope=col>{esc(t(f'level.{lv}'))}</th>" for lv in reversed(LEVELS))
    grid = (
        '<div class="table-wrap"><table class="matrix" id="stakeholder-grid">'
        f"<caption>{esc(t('stakeholders.grid_caption'))}</caption>"
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
                t.term("level", partner.get("influence", "")),
                t.term("level", partner.get("interest", "")),
                "; ".join(str(i) for i in partner.get("interests") or []),
                *(
                    format_value(stats[c], lang=t.lang) if stats is not None else ""
                    for c in demand.columns
                ),
            ]
        )
    partner_table = table(
        [
            t(f"partners.col_{name}")
            for name in (
                "partner",
                "role",
                "influence",
                "interest",
                "interests",
                "buildings",
                "heat",
                "cool",
            )
        ],
        body,
        table_id="partner-table",
        caption=t("partners.caption"),
        numeric=[False] * 5 + [True] * 3,
    )
    return Section("stakeholders", title, grid + partner_table)


def barriers(ctx: Context) -> Section:
    """List the barriers: type, status, owner and the scenario parameter each affects."""
    t = ctx.t
    title = t("section.barriers")
    items = ctx.items("barriers")
    if not items:
        return missing("barriers", title, t("barriers.missing"))
    counts = []
    for kind in BARRIER_TYPES:
        of_kind = [b for b in items if b.get("type") == kind]
        if of_kind:
            still_open = sum(b.get("status") in ("open", "in_progress") for b in of_kind)
            kind_text = t.term("barrier_type", kind)
            counts.append(t("barriers.count", kind=kind_text, n=len(of_kind), open=still_open))
    rows = []
    for barrier in items:
        status = str(barrier.get("status", "open"))
        parameter = barrier.get("parameter")
        owner = barrier.get("owner")
        rows.append(
            [
                barrier.get("id"),
                t.term("barrier_type", barrier.get("type")),
                badge(t.term("barrier_status", status), kind=status),
                barrier.get("description"),
                Cell(f"<code>{esc(parameter)}</code>") if parameter else "",
                ctx.partner_names.get(str(owner), owner) if owner else "",
            ]
        )
    header = [
        t(f"barrier.col_{name}")
        for name in ("id", "type", "status", "description", "parameter", "owner")
    ]
    summary = f"<p>{esc(t('barriers.by_type', counts='; '.join(counts)))}</p>" if counts else ""
    return Section("barriers", title, summary + table(header, rows, table_id="barrier-table"))
