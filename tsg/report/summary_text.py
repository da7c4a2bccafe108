"""Key figures of a run folder as aligned text (``tsg summary``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from tsg import run_layout as layout
from tsg.report.context import Context
from tsg.report.decision import decision_lines
from tsg.report.figures import (
    INDICATOR_LABELS,
    field_label,
    flatten,
    format_number,
    format_value,
    split_unit,
    unit_text,
)
from tsg.report.i18n import ENGLISH, Texts, texts
from tsg.report.run_folder import RunFolder, StageFileError, open_run_folder

MAX_LINES = 25
_NUMBER = re.compile(r"^-?[0-9][0-9,.]*(e[-+]?[0-9]+)?$|^n/a$|^n\.v\.t\.$")
Row = tuple[str, str, str]


def indicator_rows(run: RunFolder, t: Texts = ENGLISH) -> list[Row]:
    """``(label, value, unit)`` of every indicator in ``indicators.csv`` (empty when missing).

    Labels of the known indicators come from the catalogue of ``t``'s language.
    """
    table = run.csv(layout.INDICATORS.relative)
    if table is None or not {"indicator", "value"} <= set(table.columns):
        return []
    rows = []
    for _, row in table.iterrows():
        name = str(row["indicator"])
        unit = (
            str(row["unit"]) if "unit" in table and pd.notna(row["unit"]) else split_unit(name)[1]
        )
        key = f"indicator.{name}"
        label = t(key) if t.has(key) else INDICATOR_LABELS.get(name, split_unit(name)[0])
        value = pd.to_numeric(row["value"], errors="coerce")
        text = (
            format_number(float(value), unit=unit, lang=t.lang)
            if pd.notna(value)
            else str(row["value"])
        )
        rows.append((label, text, "" if unit == "-" else unit_text(unit, t.lang)))
    return rows


def _document(run: RunFolder, relative: str, t: Texts) -> list[Row]:
    document = run.json(relative)
    if not isinstance(document, dict):
        return [(t("summary.no_figures"), "", "")]
    rows = []
    for name, value in flatten(document):
        label, unit = field_label(name, t.lang)
        rows.append((label, format_value(value, unit=unit, lang=t.lang), unit))
    if len(rows) > MAX_LINES:
        more = t("summary.more", n=len(rows) - MAX_LINES, file=relative)
        rows = [*rows[:MAX_LINES], (more, "", "")]
    return rows


def _allocation(run: RunFolder, t: Texts) -> list[Row]:
    document = run.json_object(layout.ALLOCATION_JSON.relative) or {}
    rows: list[Row] = []
    core = document.get("core") if isinstance(document.get("core"), dict) else {}
    nonempty = core.get("nonempty", document.get("core_nonempty"))
    if nonempty is not None:
        words = {
            True: t("summary.core_nonempty"),
            "holds": t("summary.core_nonempty"),
            False: t("summary.core_empty"),
            "fails": t("summary.core_empty"),
        }
        rows.append((t("summary.core"), words.get(nonempty, t("summary.core_undecided")), ""))
    epsilon = document.get("least_core_epsilon")
    if isinstance(epsilon, int | float):
        epsilon_text = format_number(epsilon, unit="EUR/yr", lang=t.lang)
        rows.append((t("summary.epsilon"), epsilon_text, unit_text("EUR/yr", t.lang)))
    in_core = document.get("in_core")
    if isinstance(in_core, dict):
        for key, wanted in (
            ("summary.in_core", (True, "holds")),
            ("summary.not_in_core", (False, "fails")),
        ):
            found = [t.rule(str(r)) for r, v in in_core.items() if v in wanted]
            rows.append((t(key), ", ".join(found) or t("summary.none"), ""))
        open_ = [
            t.rule(str(r)) for r, v in in_core.items() if v not in (True, False, "holds", "fails")
        ]
        if open_:
            rows.append((t("summary.undecided_rules"), ", ".join(open_), ""))
    rules = document.get("rules")
    if isinstance(rules, dict) and rules:
        rule = "shapley" if "shapley" in rules else next(iter(rules))
        costs = rules[rule] if isinstance(rules[rule], dict) else {}
        for player, cost in costs.items():
            cost_text = format_value(cost, unit="EUR/yr", lang=t.lang)
            rows.append((f"{player} ({t.rule(rule)})", cost_text, unit_text("EUR/yr", t.lang)))
    return rows


def _blocks(run: RunFolder, t: Texts) -> list[tuple[str, list[Row]]]:
    blocks: list[tuple[str, Any]] = []
    if run.stage_ran("sizing") or run.stage_ran("allocation"):
        ctx = Context(run, lang=t.lang)
        lines = lambda: [(line, "", "") for line in decision_lines(ctx)]  # noqa: E731
        blocks.append((t("summary.decision"), lines))
    blocks.append((t("summary.demand"), lambda: indicator_rows(run, t)))
    for relative in (layout.SIMULATION_SUMMARY.relative, layout.DESIGN.relative):
        if run.has(relative):
            blocks.append((f"{relative}", lambda r=relative: _document(run, r, t)))
    if run.has(layout.ALLOCATION_JSON.relative):
        blocks.append((t("summary.allocation"), lambda: _allocation(run, t)))
    for relative in run.files("scaling", (".json",)):
        blocks.append((relative, lambda r=relative: _document(run, r, t)))
    out = []
    for title, make in blocks:
        try:
            out.append((title, make()))
        except StageFileError as error:
            out.append((title, [(t("summary.not_readable", reason=error.reason), "", "")]))
    return out


def _align(value: str, width: int) -> str:
    """Right-align numbers in the value column; text starts where the column starts."""
    return value.rjust(width) if _NUMBER.match(value) else value


def summary_text(run_dir: str | Path, *, lang: str | None = None) -> str:
    """Return the key figures of a run folder as aligned text.

    Parameters
    ----------
    run_dir
        Folder written by ``tsg run``.
    lang
        ``en`` or ``nl``; ``None``: the district's ``report_language``, else English.

    Returns
    -------
    str
        A title line, then one block per stage output with ``label  value  unit`` lines, then
        the stages that did not run.

    Raises
    ------
    InputError
        The folder does not exist or is not a run folder.
    """
    run = open_run_folder(run_dir)
    try:
        district = run.district()
    except StageFileError:
        district = {}
    t = texts(lang or str(district.get("report_language") or "en"))
    title = str(district.get("name") or run.path.name)
    if district.get("id"):
        title += f" [{district['id']}]"
    blocks = _blocks(run, t)
    rows = [row for _, block in blocks for row in block]
    label_width = max((len(label) for label, value, _ in rows if value), default=0)
    value_width = max((len(value) for _, value, _ in rows if _NUMBER.match(value)), default=0)
    lines = [title, t("summary.run_folder", path=run.path)]
    for heading, block in blocks:
        lines += ["", heading]
        for label, value, unit in block or [(t("summary.empty"), "", "")]:
            if not value:
                lines.append(f"  {label}")
            else:
                lines.append(
                    f"  {label.ljust(label_width)}  {_align(value, value_width)}  {unit}".rstrip()
                )
    absent = [
        stage
        for stage in ("simulation", "sizing", "allocation", "scaling")
        if not run.stage_ran(stage)
    ]
    if absent:
        stages = ", ".join(t.term("stage_name", stage) for stage in absent)
        lines += ["", t("summary.not_run", stages=stages)]
    if run.has(layout.REPORT.relative):
        lines.append(t("summary.report", path=run.path / "report.html"))
    return "\n".join(lines)
