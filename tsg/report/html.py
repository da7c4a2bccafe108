"""HTML building blocks of the report: escaping, tables, notes, sections and the page.

Every piece of text that can come from a user (names, descriptions, ids, file contents) goes
through :func:`esc` (element text and attribute values alike) or, inside ``<script>``, through
:func:`script_json`. Nothing else in :mod:`tsg.report` writes user text into the page.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tsg.report.style import CSS, PRINT_SCRIPT

#: Text that is a formatted number, optionally with a sign, separators and a suffix.
NUMERIC_TEXT = re.compile(r"[-+]?[0-9][0-9,.]*( ?%)?|n/a|n\.v\.t\.|inf|-inf")

#: Content security policy of the report: nothing may be loaded from anywhere.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src 'none'; connect-src 'none'; frame-src 'none'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'"
)

_SCRIPT_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def esc(value: object) -> str:
    """Escape any value for HTML element text or a quoted attribute value.

    Parameters
    ----------
    value
        Anything; ``None`` becomes an empty string, other values their ``str``.

    Returns
    -------
    str
        Text with ``&``, ``<``, ``>``, ``"`` and ``'`` escaped.
    """
    return "" if value is None else html.escape(str(value), quote=True)


def escape_json_text(text: str) -> str:
    r"""Make JSON text safe inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` (and the JavaScript line separators) can only occur inside JSON
    strings, where ``\uXXXX`` escapes mean the same characters, so ``</script>`` in a name
    cannot end the script element.

    Parameters
    ----------
    text
        Valid JSON text.

    Returns
    -------
    str
        The same JSON value, without ``<``, ``>``, ``&``, U+2028 or U+2029 characters.
    """
    for char, escape in _SCRIPT_ESCAPES.items():
        text = text.replace(char, escape)
    return text


def script_json(value: object) -> str:
    """Serialise a value as JSON that is safe inside a ``<script>`` element."""
    return escape_json_text(json.dumps(value, ensure_ascii=False, allow_nan=False))


def note(text: str, *, kind: str = "note") -> str:
    """Return a one-line note (e.g. why a section is missing); ``text`` is escaped."""
    return f'<p class="{esc(kind)}">{esc(text)}</p>'


@dataclass(frozen=True)
class Cell:
    """A table cell whose content is already HTML (use for badges and links).

    Attributes
    ----------
    html
        Trusted markup (built from escaped parts).
    numeric
        Right-align the cell.
    """

    html: str
    numeric: bool = False


def table(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    table_id: str | None = None,
    caption: str | None = None,
    numeric: Sequence[bool] | None = None,
    total_last: bool = False,
    classes: str = "",
) -> str:
    """Render an HTML table; every plain cell is escaped.

    Parameters
    ----------
    header
        Column titles (escaped).
    rows
        Rows of cells: :class:`Cell` (trusted HTML) or any value (escaped).
    table_id
        ``id`` attribute (escaped).
    caption
        Caption text (escaped).
    numeric
        Per column: right-aligned (numbers).
    total_last
        Style the last row as a total.
    classes
        Further CSS classes of the table (fixed names, not user text).

    Returns
    -------
    str
        ``<table>`` markup inside a scrollable wrapper.
    """
    align = list(numeric) if numeric is not None else [False] * len(header)
    head = "".join(
        f'<th{" class=num" if align[k] else ""} scope="col">{esc(title)}</th>'
        for k, title in enumerate(header)
    )
    body = []
    for row in rows:
        cells = []
        for k, value in enumerate(row):
            right = isinstance(value, Cell) and value.numeric or (k < len(align) and align[k])
            content = value.html if isinstance(value, Cell) else esc(value)
            cells.append(f"<td{' class=num' if right else ''}>{content}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    classes = " ".join(c for c in ("data", "total-last" if total_last else "", classes) if c)
    ident = f' id="{esc(table_id)}"' if table_id else ""
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (
        f'<div class="table-wrap"><table class="{classes}"{ident}>{cap}'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def badge(text: str, *, kind: str) -> Cell:
    """Return a coloured label (status, yes / no) as a table cell; both arguments escaped."""
    return Cell(f'<span class="badge badge-{esc(kind)}">{esc(text)}</span>')


def _numeric_text(text: str) -> bool:
    return bool(NUMERIC_TEXT.fullmatch(text.strip()))


def key_value_table(
    pairs: Iterable[tuple[str, str, str]],
    *,
    table_id: str | None = None,
    header: Sequence[str] = ("quantity", "value", "unit"),
) -> str:
    """Render a three-column table ``quantity | value | unit`` (all escaped).

    Values that read as numbers are right-aligned; text values (lists of ids) wrap.
    """
    rows = [
        (label, Cell(esc(value), numeric=True) if _numeric_text(str(value)) else value, unit)
        for label, value, unit in pairs
    ]
    return table(list(header), rows, table_id=table_id, classes="kv")


def more_rows_note(shown: int, total: int, relative: str, *, text: str = "") -> str:
    """Return a note that a table shows ``shown`` of ``total`` rows, linking the full file.

    Parameters
    ----------
    shown, total
        Rows in the page and in the file.
    relative
        The file, relative to the run folder (the report is in the run folder).
    text
        The sentence before the link (escaped); default ``"N of M rows shown; the full table
        is"``.
    """
    sentence = text or f"{shown} of {total} rows shown; the full table is"
    return f'<p class="note">{esc(sentence)} <a href="{esc(relative)}">{esc(relative)}</a>.</p>'


@dataclass(frozen=True)
class Section:
    """One section of the report.

    Attributes
    ----------
    id
        Anchor id (fixed by the report, not user text).
    title
        Heading text (escaped when rendered).
    body
        Trusted HTML of the content.
    available
        False when the stage did not run; ``body`` is then the one-line note.
    """

    id: str
    title: str
    body: str
    available: bool = True

    def render(self) -> str:
        """Return the ``<section>`` element."""
        state = "" if self.available else " missing"
        return (
            f'<section id="{esc(self.id)}" class="report-section{state}">'
            f"<h2>{esc(self.title)}</h2>{self.body}</section>"
        )


def page(
    *,
    title: str,
    header: str,
    sections: Sequence[Section],
    head_scripts: str,
    lang: str = "en",
    contents: str = "contents",
) -> str:
    """Assemble the complete, self-contained HTML document.

    Parameters
    ----------
    title
        Document title (escaped).
    header
        Trusted HTML shown above the table of contents.
    sections
        Sections in order.
    head_scripts
        Trusted ``<script>`` elements for the head (the chart library).
    lang
        Language code of the page (escaped).
    contents
        Label of the table of contents (escaped).

    Returns
    -------
    str
        The document.
    """
    toc = "".join(
        f"<li{'' if s.available else ' class=missing'}>"
        f'<a href="#{esc(s.id)}">{esc(s.title)}</a></li>'
        for s in sections
    )
    body = "".join(section.render() for section in sections)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{esc(lang)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{CSS}</style>{head_scripts}</head>"
        f"<body><header>{header}</header>"
        f'<nav aria-label="{esc(contents)}"><ol>{toc}</ol></nav>'
        f"<main>{body}</main>"
        f"<script>{PRINT_SCRIPT}</script></body></html>\n"
    )
