"""Reading a run folder defensively: every stage file may be missing, new or malformed.

Layout (see the README): ``district.json``, ``summary.csv``, ``indicators.csv``,
``profiles.parquet``, ``manifest.json`` at the top; ``simulation/``, ``sizing/``,
``allocation/`` and ``scaling/`` from later stages. A missing file is ``None``; a file that
exists but cannot be read raises :class:`StageFileError`, which the report shows as a note in
the affected section instead of failing.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from tsg import run_layout as layout
from tsg.common.errors import InputError

#: Files that mark a folder as a run folder (any one is enough).
MARKERS = layout.RUN_MARKERS
#: Largest JSON or CSV file read from a run folder [bytes].
MAX_FILE_BYTES = 200_000_000
#: Deepest nesting of a JSON document read from a run folder (the toolkit writes at most 6).
MAX_JSON_DEPTH = 64


def json_depth(document: Any) -> int:
    """Return the nesting depth of a parsed JSON document (a scalar is 0), without recursion."""
    deepest, stack = 0, [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, depth)
            children = node.values() if isinstance(node, dict) else node
            if depth <= MAX_JSON_DEPTH:
                stack.extend((child, depth + 1) for child in children)
    return deepest


class StageFileError(Exception):
    """A stage file exists but cannot be read or has an unexpected shape.

    Parameters
    ----------
    relative
        Path of the file inside the run folder.
    reason
        What is wrong.
    """

    def __init__(self, relative: str, reason: str) -> None:
        self.relative = relative
        self.reason = reason
        super().__init__(f"{relative}: {reason}")


@dataclass
class RunFolder:
    """A run folder with cached, defensive readers.

    Attributes
    ----------
    path
        The folder.
    """

    path: Path
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def _inside(self, candidate: Path) -> bool:
        """Whether a path, all links resolved, lies inside the run folder."""
        try:
            return candidate.resolve().is_relative_to(self.path.resolve())
        except (OSError, RuntimeError):
            return False

    def _file(self, relative: str) -> Path | None:
        """Return the file's path, ``None`` when it does not exist.

        Raises
        ------
        StageFileError
            The path (or a link on the way) leads out of the run folder, or the file is larger
            than :data:`MAX_FILE_BYTES`.
        """
        path = self.path / relative
        try:
            if not path.is_file():
                return None
            size = path.stat().st_size
        except OSError:
            return None
        if not self._inside(path):
            raise StageFileError(relative, "leads out of the run folder (a link?); not read")
        if size > MAX_FILE_BYTES:
            raise StageFileError(relative, f"{size:,} bytes; at most {MAX_FILE_BYTES:,} are read")
        return path

    def has(self, relative: str) -> bool:
        """Whether the file exists (a link out of the run folder counts, to be reported)."""
        try:
            return (self.path / relative).is_file()
        except OSError:
            return False

    def stage_ran(self, stage: str) -> bool:
        """Whether the stage folder (``simulation``, ``sizing``, ...) holds any file."""
        folder = self.path / stage
        try:
            return folder.is_dir() and any(p.is_file() for p in folder.iterdir())
        except OSError:
            return False

    def files(self, stage: str, suffixes: tuple[str, ...]) -> list[str]:
        """Relative paths of the stage folder's files with these suffixes, sorted."""
        folder = self.path / stage
        try:
            if not folder.is_dir() or not self._inside(folder):
                return []
            found = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in suffixes]
        except OSError:
            return []
        return [f"{stage}/{p.name}" for p in sorted(found) if not p.name.startswith(".")]

    def json(self, relative: str) -> Any | None:
        """Parse a JSON (or GeoJSON) file; ``None`` when it does not exist.

        Raises
        ------
        StageFileError
            The file is not valid JSON or not readable.
        """
        if relative not in self._cache:
            path = self._file(relative)
            if path is None:
                return None
            too_deep = StageFileError(relative, f"nested deeper than {MAX_JSON_DEPTH} levels")
            try:
                text = path.read_text(encoding="utf-8")
                document = json.loads(text, parse_constant=_non_finite)
            except (OSError, UnicodeDecodeError, ValueError) as error:
                raise StageFileError(relative, f"not readable as JSON ({error})") from None
            except RecursionError:
                raise too_deep from None
            if json_depth(document) > MAX_JSON_DEPTH:
                raise too_deep
            self._cache[relative] = document
        return self._cache[relative]

    def json_object(self, relative: str) -> dict[str, Any] | None:
        """Like :meth:`json` but the top level must be an object."""
        document = self.json(relative)
        if document is not None and not isinstance(document, dict):
            raise StageFileError(relative, "expected a JSON object at the top level")
        return document

    def csv(self, relative: str, **read_options: Any) -> pd.DataFrame | None:
        """Read a CSV file; ``None`` when it does not exist.

        Raises
        ------
        StageFileError
            The file cannot be parsed.
        """
        key = f"{relative}|{sorted(read_options.items())}"
        if key not in self._cache:
            path = self._file(relative)
            if path is None:
                return None
            try:
                self._cache[key] = pd.read_csv(path, **read_options)
            except (OSError, UnicodeDecodeError, ValueError, pd.errors.ParserError) as error:
                raise StageFileError(relative, f"not readable as CSV ({error})") from None
        return self._cache[key]

    def profiles(self) -> pd.DataFrame | None:
        """Hourly profiles (``time`` index, ``<building>.<quantity>`` columns) or ``None``."""
        if "profiles" not in self._cache:
            parquet, csv = (
                self._file(layout.PROFILES_PARQUET.relative),
                self._file(layout.PROFILES_CSV.relative),
            )
            try:
                if parquet is not None:
                    table = pd.read_parquet(parquet)
                elif csv is not None:
                    table = pd.read_csv(csv)
                else:
                    return None
                table["time"] = pd.to_datetime(table["time"], utc=True)
            except (OSError, ValueError, KeyError, ImportError) as error:
                raise StageFileError(
                    layout.PROFILES_PARQUET.relative, f"not readable ({error})"
                ) from None
            self._cache["profiles"] = table.set_index("time")
        return self._cache["profiles"]

    def district(self) -> dict[str, Any]:
        """Return the validated district as written by the run (``{}`` when missing)."""
        return self.json_object(layout.DISTRICT.relative) or {}


def _non_finite(name: str) -> float:
    """JSON extension constants (NaN, Infinity) become float NaN / inf."""
    return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[name]


def open_run_folder(path: str | Path) -> RunFolder:
    """Open a run folder, checking that it is one.

    Parameters
    ----------
    path
        Folder written by ``tsg run`` or ``tsg profiles``.

    Returns
    -------
    RunFolder

    Raises
    ------
    InputError
        The folder does not exist, is a file, or holds none of :data:`MARKERS`.
    """
    folder = Path(path)
    if not folder.exists():
        raise InputError("run folder does not exist; make one with 'tsg run --out DIR'", file=path)
    if not folder.is_dir():
        raise InputError("expected a run folder, but this is a file", file=path)
    if not any((folder / name).is_file() for name in MARKERS):
        raise InputError(
            f"not a run folder: none of {', '.join(MARKERS)} is there; "
            "make one with 'tsg run --out DIR'",
            file=path,
        )
    return RunFolder(folder)
