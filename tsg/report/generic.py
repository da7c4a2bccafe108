"""Generic renderers for stage files whose format the report does not know in detail.

A JSON object becomes a table of key figures (scalar leaves, labels and units from the names),
plus one table per list of records and one matrix per object of objects (e.g. rule -> partner
-> cost). A CSV file becomes a table with formatted numbers and yes / no badges.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from tsg.report.figures import (
    NUMBER,
    field_label,
    format_value,
    is_scalar,
    records,
    scalar_list,
    split_unit,
)
from tsg.report.html import Cell, badge, esc, key_value_table, more_rows_note, note, table
from tsg.report.i18n import ENGLISH, Texts

#: Rows of a table in the page; the file has all of them.
MAX_ROWS = 30
MAX_COLUMNS = 14
_TRUE = {"true", "yes", "ok", "pass", "passed"}
_FALSE = {"false", "no", "fail", "failed", "violated"}


def _matrix(value: Any) -> bool:
    """Whether a value is an object of objects of scalars (rows x columns)."""
    return (
        isinstance(value, Mapping)
        and len(value) >= 2
        and all(
            isinstance(v, Mapping) and v and all(is_scalar(x) for x in v.values())
            for v in value.values()
        )
    )


def _cell(value: Any, unit: str, t: Texts = ENGLISH) -> Any:
    """Make a table cell: badges for yes / no words, formatted numbers, else escaped text."""
    if isinstance(value, bool):
        return badge(t("value.yes" if value else "value.no"), kind="yes" if value else "no")
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        good = value.strip().lower() in _TRUE
        return badge(value.strip(), kind="yes" if good else "no")
    if isinstance(value, str) and NUMBER.fullmatch(value.strip()):
        value = float(value)  # a number in a column of mixed types
    if isinstance(value, int | float):
        return Cell(esc(format_value(value, unit=unit, lang=t.lang)), numeric=True)
    if isinstance(value, list | dict):
        return format_value(value, lang=t.lang) if scalar_list(value) else "..."
    return format_value(value, lang=t.lang)


def _header(name: str, t: Texts) -> tuple[str, str]:
    """Column header (label and unit from the catalogue of ``t``) and the unit."""
    label, unit = field_label(str(name), t.lang)
    return (f"{label} [{unit}]" if unit else label), unit


def _more(shown: int, total: int, source: str, t: Texts, extra: str = "") -> str:
    """Note on rows (and columns) not shown, linking the file when it is known."""
    sentence = t("table.first_rows", shown=shown, total=total) if total > shown else ""
    sentence = "; ".join(x for x in (sentence, extra) if x)
    if not sentence:
        return ""
    if not source:
        return note(sentence)
    return more_rows_note(shown, total, source, text=t("table.full_table_is", what=sentence))


def records_table(
    rows: list[dict[str, Any]], *, caption: str = "", source: str = "", t: Texts = ENGLISH
) -> str:
    """Render a list of JSON objects as a table (columns: union of their scalar keys).

    At most :data:`MAX_ROWS` rows; a note links ``source`` (the file) for the rest.
    """
    columns: list[str] = []
    for row in rows:
        columns += [
            k for k, v in row.items() if k not in columns and (is_scalar(v) or scalar_list(v))
        ]
    columns = columns[:MAX_COLUMNS]
    headers = [_header(c, t) for c in columns]
    body = [
        [_cell(row.get(c), unit, t) for c, (_, unit) in zip(columns, headers, strict=True)]
        for row in rows[:MAX_ROWS]
    ]
    more = _more(min(MAX_ROWS, len(rows)), len(rows), source, t)
    return table([h for h, _ in headers], body, caption=caption) + more


def matrix_table(
    value: Mapping[str, Mapping[str, Any]], *, caption: str = "", t: Texts = ENGLISH
) -> str:
    """Render an object of objects as a table: outer keys as rows, inner keys as columns."""
    columns: list[str] = []
    for inner in value.values():
        columns += [k for k in inner if k not in columns]
    columns = columns[:MAX_COLUMNS]
    _, unit = split_unit(caption.replace(" ", "_"))
    body = [
        [str(key), *(_cell(inner.get(c), unit, t) for c in columns)] for key, inner in value.items()
    ]
    return table(["", *columns], body, caption=caption)


def json_html(
    document: Mapping[str, Any],
    *,
    max_depth: int = 3,
    source: str = "",
    tables: bool = True,
    t: Texts = ENGLISH,
) -> str:
    """Render a JSON object as key figures, record tables and matrices.

    Parameters
    ----------
    document
        Any JSON object (escaped throughout).
    max_depth
        Nesting levels to descend into plain objects.
    source
        The file, relative to the run folder, linked when rows are cut.
    tables
        Also show lists of records and matrices (``False``: key figures only, when the same
        tables are in CSV files next to it).
    t
        Texts of the report's language.

    Returns
    -------
    str
        HTML; a note when nothing could be shown.
    """
    figures: list[tuple[str, str, str]] = []
    found: list[str] = []

    def walk(node: Mapping[str, Any], prefix: str, depth: int) -> None:
        for key, value in node.items():
            name = f"{prefix}{key}"
            if is_scalar(value) or scalar_list(value):
                if isinstance(value, str) and len(value) > 200:
                    value = value[:197] + "..."
                label, unit = field_label(name, t.lang)
                figures.append((label, format_value(value, unit=unit, lang=t.lang), unit))
            elif records(value):
                if tables:
                    caption = field_label(name, t.lang)[0]
                    found.append(records_table(value, caption=caption, source=source, t=t))
            elif _matrix(value):
                if tables:
                    found.append(matrix_table(value, caption=name.replace("_", " "), t=t))
            elif isinstance(value, Mapping) and depth < max_depth:
                walk(value, f"{name}.", depth + 1)

    walk(document, "", 1)
    header = (t("table.quantity"), t("table.value"), t("table.unit"))
    parts = [key_value_table(figures[:MAX_ROWS], header=header)] if figures else []
    if len(figures) > MAX_ROWS:
        parts.append(_more(MAX_ROWS, len(figures), source, t))
    parts += found
    return "".join(parts) or note(t("table.no_figures"))


def csv_html(
    frame: pd.DataFrame, *, caption: str = "", source: str = "", t: Texts = ENGLISH
) -> str:
    """Render a CSV table with formatted numbers (units from column names) and yes/no badges.

    Parameters
    ----------
    frame
        The table as read (first column kept as a column).
    caption
        Caption (escaped).
    source
        File name mentioned when rows are cut.
    t
        Texts of the report's language.
    """
    columns = list(frame.columns[:MAX_COLUMNS])
    headers = [_header(c, t) for c in columns]
    numeric = [
        pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
        for c in columns
    ]
    body = []
    for row in frame[columns].head(MAX_ROWS).itertuples(index=False):
        cells = []
        for value, (_, unit) in zip(row, headers, strict=True):
            if isinstance(value, float) and pd.isna(value):
                value = None
            cells.append(_cell(value.item() if hasattr(value, "item") else value, unit, t))
        body.append(cells)
    columns_cut = ""
    if len(frame.columns) > MAX_COLUMNS:
        columns_cut = t("table.first_columns", shown=MAX_COLUMNS, total=len(frame.columns))
    more = _more(min(MAX_ROWS, len(frame)), len(frame), source, t, columns_cut)
    total = bool(len(frame)) and str(frame.iloc[-1, 0]).upper() == "TOTAL"
    return (
        table([h for h, _ in headers], body, caption=caption, numeric=numeric, total_last=total)
        + more
    )
