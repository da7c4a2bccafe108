"""Sections from later stages: simulation, design and costs, scaling, provenance.

Their file formats are still evolving, so they are rendered generically
(:mod:`tsg.report.generic`); a stage that did not run gives a one-line note.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from tsg import run_layout as layout
from tsg.report import scaling_section
from tsg.report.checks_section import checks_summary, checks_summary_html
from tsg.report.context import Context
from tsg.report.design_rounds import design_rounds_html
from tsg.report.generic import csv_html, json_html
from tsg.report.html import Section, esc, note, table
from tsg.report.i18n import ENGLISH, Texts
from tsg.report.operation_table import operation_table_html
from tsg.report.sections import missing

#: Simulation files shown elsewhere or too large to show as a table.
SIMULATION_SKIP = ("network.geojson", "network.pandapipes.json", "hourly")


def _caption(relative: str, t: Texts = ENGLISH) -> str:
    """Make a caption from a file name: ``sizing/cost_per_partner.csv`` -> ``Cost per partner``.

    A file name the catalogue knows (``field.cost_per_partner``) reads in ``t``'s language.
    """
    name = PurePosixPath(relative).stem
    if t.has(f"field.{name}"):
        text = t(f"field.{name}")
    else:
        text = name.replace("_", " ").replace("-", " ")
    return text[:1].upper() + text[1:]


def _file_parts(ctx: Context, relatives: list[str]) -> list[str]:
    """Each JSON or CSV file as a heading and its tables, folded but for the first.

    A JSON file with a ``design_checks`` summary shows it as one table
    (:func:`tsg.report.checks_section.checks_summary_html`); the per-hour CSV file it names is
    then not shown as a table.
    """
    documents = {r: ctx.run.json(r) for r in relatives if not r.lower().endswith(".csv")}
    has_csv = any(r.lower().endswith(".csv") for r in relatives)
    summarised = set()
    for relative, document in documents.items():
        checks = checks_summary(document)
        if checks is not None and checks.get("per_hour_table"):
            summarised.add(str(PurePosixPath(relative).parent / str(checks["per_hour_table"])))
    parts = []
    for relative in relatives:
        if relative in summarised:
            continue
        heading = f"{esc(_caption(relative, ctx.t))} <span class=small>{esc(relative)}</span>"
        body = _file_body(ctx, relative, documents, has_csv=has_csv)
        state = " open" if not parts else ""
        parts.append(
            f'<details class="file"{state}><summary><h3>{heading}</h3></summary>{body}</details>'
        )
    return parts


def _file_body(ctx: Context, relative: str, documents: dict, *, has_csv: bool) -> str:
    """Render the tables of one stage file (see :func:`_file_parts`)."""
    if relative.lower().endswith(".csv"):
        return csv_html(ctx.run.csv(relative), source=relative, t=ctx.t)
    document = documents[relative]
    checks = checks_summary(document)
    if checks is not None:
        rest = {k: v for k, v in document.items() if k != "design_checks"}
        folder = str(PurePosixPath(relative).parent)
        return json_html(rest, source=relative, tables=not has_csv, t=ctx.t) + (
            checks_summary_html(checks, folder=folder, t=ctx.t)
        )
    if isinstance(document, dict):
        return json_html(document, source=relative, tables=not has_csv, t=ctx.t)
    if isinstance(document, list) and all(isinstance(r, dict) for r in document):
        return json_html({"rows": document}, source=relative, t=ctx.t)
    return note(ctx.t("stage.not_object"))


def simulation(ctx: Context) -> Section:
    """Annual simulation results and design checks."""
    title = ctx.t("section.simulation")
    if not ctx.run.stage_ran("simulation"):
        return missing("simulation", title, ctx.t("stage.no_simulation"))
    known = [layout.SIMULATION_SUMMARY.relative, layout.SIMULATION_CHECKS.relative]
    shown = [r for r in known if ctx.run.has(r)]
    others = [
        r
        for r in ctx.run.files("simulation", (".json", ".csv"))
        if r not in shown and not any(skip in r for skip in SIMULATION_SKIP)
    ]
    parts = _file_parts(ctx, shown + others)
    if not parts:
        return missing("simulation", title, ctx.t("stage.empty_simulation"))
    return Section("simulation", title, "".join(parts))


def design_costs(ctx: Context) -> Section:
    """Sizing result (design.json) and its cost tables."""
    title = ctx.t("section.design")
    if not ctx.run.stage_ran("sizing"):
        return missing("design", title, ctx.t("stage.no_sizing"))
    relatives = [layout.DESIGN.relative] if ctx.run.has(layout.DESIGN.relative) else []
    relatives += [
        r
        for r in ctx.run.files("sizing", (".csv", ".json"))
        if r not in relatives
        and r != layout.SIZING_PANDAPIPES.relative  # a net, not a table
        and r not in (layout.REPLAY.relative, layout.THRESHOLDS.relative)  # their own section
    ]
    parts = _file_parts(ctx, relatives)
    if not parts:
        return missing("design", title, ctx.t("stage.empty_sizing"))
    rounds = ""
    if ctx.run.has(layout.DESIGN.relative):
        rounds = design_rounds_html(ctx.run.json(layout.DESIGN.relative), ctx.t)
    if ctx.run.has(layout.VERIFICATION.relative):
        rounds += operation_table_html(ctx.run.json(layout.VERIFICATION.relative), ctx.t)
    return Section("design", title, rounds + "".join(parts))


def scaling(ctx: Context) -> Section:
    """Scaling analyses (translation, spreading, minimum scale) when the run made them."""
    title = ctx.t("section.scaling")
    if not ctx.run.stage_ran("scaling"):
        return missing("scaling", title, ctx.t("stage.no_scaling"))
    if ctx.run.has(layout.SCENARIOS.relative):
        return scaling_section.scaling(ctx)
    parts = _file_parts(ctx, ctx.run.files("scaling", (".json", ".csv")))
    if not parts:
        return missing("scaling", title, ctx.t("stage.empty_scaling"))
    return Section("scaling", title, "".join(parts))


def provenance(ctx: Context) -> Section:
    """Where the numbers come from: command, versions, seed, input hashes (manifest.json)."""
    t = ctx.t
    title = t("section.provenance")
    manifest = ctx.run.json_object(layout.MANIFEST.relative)
    if manifest is None:
        return missing("provenance", title, t("provenance.missing"))
    keys = ("command", "created_utc", "toolkit_version", "python", "seed")
    pairs = [(t(f"provenance.{key}"), str(manifest[key])) for key in keys if key in manifest]
    header = [t("provenance.item"), t("table.value")]
    parts = [table(header, pairs, table_id="provenance-table")]
    inputs = manifest.get("inputs")
    if isinstance(inputs, dict) and inputs:
        rows = [
            (PurePosixPath(str(path)).name, str(path), str(digest)[:16])
            for path, digest in inputs.items()
        ]
        header = [t("provenance.input"), t("provenance.path"), t("provenance.hash")]
        parts.append(table(header, rows, caption=t("provenance.inputs")))
    outputs = manifest.get("outputs")
    if isinstance(outputs, dict):
        parts.append(f"<p>{esc(t('provenance.outputs', n=len(outputs)))}</p>")
    return Section("provenance", title, "".join(parts))
