"""Read a coalition cost file (CSV) into a cost game.

Format::

    coalition,cost
    ahoy,120000
    eneco,95000
    ahoy+eneco,180000

One row per non-empty coalition, members joined by ``+`` in any order, cost in EUR/yr. The
players are the union of all member names, in order of first appearance. Blank lines are
ignored; surrounding spaces are stripped.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import Any

import numpy as np

from tsg.common.errors import InputError
from tsg.optimisation.allocation.game import MAX_PLAYERS, Game

HEADER = ("coalition", "cost")
SEPARATOR = "+"
#: Characters a player name may not contain (they are separators in files and options).
FORBIDDEN = set("+,=")
MAX_NAME_CHARS = 100
"""Longest player name [characters]."""


def _line_field(line: int, column: str | None = None) -> str:
    """Field reference used in error messages."""
    return f"line {line}" + (f", column '{column}'" if column else "")


def _parse_members(text: str, path: Path, line: int) -> tuple[str, ...]:
    """Split ``a+b+c`` into member names, rejecting empty and duplicated names."""
    members = tuple(part.strip() for part in text.split(SEPARATOR))
    for member in members:
        if len(member) > MAX_NAME_CHARS:
            raise InputError(
                f"player name {member[:40]!r}... has {len(member):,} characters; at most "
                f"{MAX_NAME_CHARS} are allowed",
                file=path,
                field=_line_field(line, "coalition"),
            )
        if not member:
            raise InputError(
                f"coalition {text.strip()!r} has an empty member name; write members "
                "joined by '+', e.g. 'ahoy+eneco'",
                file=path,
                field=_line_field(line, "coalition"),
            )
        bad = FORBIDDEN & set(member)
        if bad:
            raise InputError(
                f"player name {member!r} contains {''.join(sorted(bad))!r}; names may not "
                "contain '+', ',' or '='",
                file=path,
                field=_line_field(line, "coalition"),
            )
    seen: set[str] = set()
    for member in members:
        if member in seen:
            raise InputError(
                f"coalition {text.strip()!r} lists player {member!r} twice; each player "
                "appears at most once per coalition",
                file=path,
                field=_line_field(line, "coalition"),
            )
        seen.add(member)
    return members


def _parse_cost(text: str, path: Path, line: int) -> float:
    """Parse a cost in EUR/yr, rejecting non-numbers, NaN and infinities."""
    try:
        value = float(text)
    except ValueError:
        raise InputError(
            f"cost {text.strip()[:40]!r} is not a number; give the annual cost in euro, "
            "e.g. 125000 or 1.25e5",
            file=path,
            field=_line_field(line, "cost"),
        ) from None
    if not math.isfinite(value):
        raise InputError(
            f"cost {text.strip()!r} is not a finite number; give the annual cost in euro",
            file=path,
            field=_line_field(line, "cost"),
        )
    return value


MAX_COST_FILE_BYTES = 10_000_000
"""Largest cost file [bytes] (2**16 - 1 coalitions of 16 players need about 5 MB)."""


def _read_text(path: Path) -> str:
    """Read the file as UTF-8 text (a BOM is allowed), refusing other encodings clearly."""
    try:
        if not path.is_file():
            raise InputError(
                "cost file not found; give a CSV with header 'coalition,cost'", file=path
            )
        if path.stat().st_size > MAX_COST_FILE_BYTES:
            raise InputError(
                f"file is {path.stat().st_size:,} bytes; a cost file may have at most "
                f"{MAX_COST_FILE_BYTES:,}",
                file=path,
            )
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"cannot read the cost file ({error.strerror})", file=path) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError("the file is UTF-16 text; save it as UTF-8", file=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 text: byte 0x{data[error.start]:02x} on line {line}; save the file as "
            "UTF-8",
            file=path,
            field=_line_field(line),
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise InputError(
            "the file holds a NUL character; expected a text CSV",
            file=path,
            field=_line_field(line),
        )
    return text


def _read_rows(path: Path) -> list[tuple[int, tuple[str, ...], float]]:
    """Return (line number, members, cost) for every data row."""
    reader = csv.reader(io.StringIO(_read_text(path), newline=""))
    try:
        return _parse_records(reader, path)
    except csv.Error as error:
        raise InputError(
            f"not a readable CSV ({error}); fields may have at most {csv.field_size_limit():,} "
            "characters",
            file=path,
            field=_line_field(reader.line_num),
        ) from None


def _parse_records(reader: Any, path: Path) -> list[tuple[int, tuple[str, ...], float]]:
    """Check the header and parse every data row of a CSV reader."""
    rows: list[tuple[int, tuple[str, ...], float]] = []
    header: tuple[str, ...] | None = None
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header = tuple(cell.strip().lower() for cell in record)
            if header != HEADER:
                raise InputError(
                    f"header is {','.join(record)[:80]!r}; the first line must be 'coalition,cost'",
                    file=path,
                    field=_line_field(line),
                )
            continue
        if len(record) != 2:
            raise InputError(
                f"{len(record)} columns found; each row must be 'coalition,cost', "
                "e.g. 'ahoy+eneco,180000'",
                file=path,
                field=_line_field(line),
            )
        members = _parse_members(record[0], path, line)
        rows.append((line, members, _parse_cost(record[1], path, line)))
    if header is None:
        raise InputError("cost file is empty; the first line must be 'coalition,cost'", file=path)
    if not rows:
        raise InputError("cost file has a header but no coalitions", file=path)
    return rows


def read_cost_file(path: str | Path) -> Game:
    """Read a coalition cost CSV into a :class:`~optimisation.allocation.game.Game`.

    Parameters
    ----------
    path
        CSV file with header ``coalition,cost`` and one row per non-empty coalition.

    Returns
    -------
    Game
        Players in order of first appearance.

    Raises
    ------
    InputError
        Missing file, wrong header, wrong number of columns, empty or duplicated member name,
        the same coalition twice, a missing coalition, a cost that is not a finite number, or
        more players than :data:`~optimisation.allocation.game.MAX_PLAYERS`. The message names
        the file and the line.

    """
    path = Path(path)
    rows = _read_rows(path)
    players: dict[str, int] = {}
    for _, members, _ in rows:
        for member in members:
            players.setdefault(member, len(players))
    if len(players) > MAX_PLAYERS:
        raise InputError(
            f"{len(players)} players found; a cost file may name at most {MAX_PLAYERS} "
            f"players (every one of the 2**n - 1 coalitions needs a row)",
            file=path,
        )
    costs = np.zeros(1 << len(players), dtype=float)
    first_line = np.zeros(1 << len(players), dtype=np.int64)
    for line, members, cost in rows:
        mask = 0
        for member in members:
            mask |= 1 << players[member]
        if first_line[mask]:
            raise InputError(
                f"coalition {'+'.join(members)!r} is given twice (first on line "
                f"{first_line[mask]}); give each coalition once, members in any order",
                file=path,
                field=_line_field(line, "coalition"),
            )
        first_line[mask] = line
        costs[mask] = cost
    _check_complete(path, tuple(players), first_line)
    return Game(tuple(players), costs)


def _check_complete(path: Path, players: tuple[str, ...], first_line: np.ndarray) -> None:
    """Raise naming a missing coalition if any non-empty coalition has no row."""
    missing = np.flatnonzero(first_line[1:] == 0) + 1
    if missing.size:
        mask = int(missing[0])
        label = "+".join(p for i, p in enumerate(players) if mask >> i & 1)
        total = (1 << len(players)) - 1
        raise InputError(
            f"coalition {label!r} is missing ({missing.size} of {total} coalitions of the "
            f"players {', '.join(players)} have no row); give one row per non-empty coalition",
            file=path,
        )
