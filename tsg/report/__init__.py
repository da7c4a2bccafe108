"""The run report: one self-contained HTML file for partners and planners.

:func:`write_report` reads a run folder and writes ``report.html`` into it: every script and
style inline, nothing loaded from anywhere (a content security policy forbids it), every
user-supplied text escaped. Sections whose stage did not run say so in one line; a stage file
that cannot be read gives a note in its section instead of failing the report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from tsg import run_layout as layout
from tsg.outputs import add_to_manifest, write_text
from tsg.report import (
    accountability,
    alliance,
    charts,
    decision,
    replay_section,
    sections,
    stage_sections,
)
from tsg.report.context import Context
from tsg.report.figures import format_value
from tsg.report.html import Section, esc, note, page
from tsg.report.i18n import texts
from tsg.report.run_folder import StageFileError, open_run_folder

__all__ = ["REPORT_FILE", "SECTIONS", "build_report", "write_report"]

REPORT_FILE = layout.REPORT.relative

#: Sections in report order: (anchor id, title, builder).
SECTIONS: tuple[tuple[str, str, Callable[[Context], Section]], ...] = (
    ("decision", "Decision", decision.decision),
    ("summary", "District summary", sections.district_summary),
    ("demand", "Demand profiles", sections.demand_profiles),
    ("network", "Network map", sections.network_section),
    ("simulation", "Annual simulation", stage_sections.simulation),
    ("design", "Design and costs", stage_sections.design_costs),
    ("replay", "Historical replay", replay_section.replay),
    ("allocation", "Cost allocation", alliance.allocation),
    ("stakeholders", "Stakeholders", sections.stakeholders),
    ("barriers", "Barrier register", sections.barriers),
    ("accountability", "Accountability", accountability.accountability),
    ("scaling", "Scaling", stage_sections.scaling),
    ("provenance", "Provenance", stage_sections.provenance),
)


def _section(ctx: Context, ident: str, title: str, build: Callable[[Context], Section]) -> Section:
    """Build one section; a broken or unexpected stage file becomes a note, not a failure.

    The heading is the section's title in the report's language.
    """
    title = ctx.t(f"section.{ident}")
    try:
        return replace(build(ctx), title=title)
    except StageFileError as error:
        message = ctx.t("page.not_shown", error=error)
        return Section(ident, title, note(message, kind="error"), available=False)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as error:
        message = ctx.t("page.unexpected", kind=type(error).__name__, error=error)
        return Section(ident, title, note(message, kind="error"), available=False)


def _header(ctx: Context) -> str:
    """Title, description and run metadata."""
    district = ctx.district
    name = str(district.get("name") or ctx.run.path.name)
    parts = [f"<h1>{esc(name)}</h1>"]
    if district.get("description"):
        parts.append(f'<p class="lead">{esc(district["description"])}</p>')
    t = ctx.t
    meta = [t("page.kind")]
    if district.get("id"):
        meta.append(t("page.district", id=district["id"]))
    try:
        manifest = ctx.run.json_object(layout.MANIFEST.relative)
    except StageFileError as error:
        manifest = None
        ctx.problems.append(str(error))
    if isinstance(manifest, dict):
        meta.append(t("page.run", created=format_value(manifest.get("created_utc"), lang=t.lang)))
        meta.append(
            t("page.toolkit", version=format_value(manifest.get("toolkit_version"), lang=t.lang))
        )
    parts.append(f'<p class="meta">{esc(" · ".join(meta))}</p>')
    parts += [note(t("page.not_readable", problem=p), kind="error") for p in ctx.problems]
    return "".join(parts)


def build_report(run_dir: str | Path, *, lang: str | None = None) -> str:
    """Return the report of a run folder as HTML text.

    Parameters
    ----------
    run_dir
        Folder written by ``tsg run`` (or ``tsg profiles``).
    lang
        ``en`` or ``nl``; ``None``: the district's ``report_language``, else English.

    Returns
    -------
    str
        The complete HTML document.

    Raises
    ------
    InputError
        The folder does not exist or is not a run folder, or the language is unknown.
    """
    if lang is not None:
        texts(lang)
    ctx = Context(open_run_folder(run_dir), lang=lang)
    built = [_section(ctx, *entry) for entry in SECTIONS]
    header = _header(ctx)
    title = ctx.t("page.title", name=ctx.district.get("name") or ctx.run.path.name)
    uses_charts = any("Plotly.newPlot" in section.body for section in built)
    library = charts.library_script() if uses_charts else ""
    return page(
        title=title,
        header=header,
        sections=built,
        head_scripts=library,
        lang=ctx.t.lang,
        contents=ctx.t("page.contents"),
    )


def write_report(run_dir: str | Path, *, lang: str | None = None) -> Path:
    """Write ``report.html`` into the run folder atomically and return its path.

    The run's ``manifest.json``, when there is one, then lists the report with its SHA-256.

    Parameters
    ----------
    run_dir
        Folder written by ``tsg run``.
    lang
        ``en`` or ``nl``; ``None``: the district's ``report_language``, else English.

    Raises
    ------
    InputError
        The folder does not exist or is not a run folder.
    """
    text = build_report(run_dir, lang=lang)
    path = write_text(layout.REPORT.under(Path(run_dir)), text)
    add_to_manifest(Path(run_dir), [path])
    return path
