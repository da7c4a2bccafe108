"""Writing run outputs: atomic files, the profile tables and the manifest."""

from __future__ import annotations

import hashlib
import json
import math
import os
import platform
import tempfile
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from tsg import run_layout as layout
from tsg.run_layout import OutputFile

DEPENDENCIES = (
    "numpy",
    "pandas",
    "pyarrow",
    "pydantic",
    "PyYAML",
    "demandlib",
    "holidays",
    "pandapipes",
    "pandapower",
    "pyomo",
    "highspy",
    "matplotlib",
    "plotly",
    "openpyxl",
)


def write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """Write a file so that readers never see it half-written.

    ``write`` receives a temporary path in the same folder; the result replaces ``path`` in one
    step only when ``write`` returns. On error the temporary file is removed and an existing
    ``path`` is left as it was.

    Parameters
    ----------
    path
        Final file.
    write
        Callable that writes the complete content to the path it is given.

    Returns
    -------
    Path
        ``path``.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        write(Path(temporary))
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp creates 0600; outputs are shared
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_text(path: Path, text: str) -> Path:
    """Write a UTF-8 text file atomically."""
    return write_atomically(path, lambda p: p.write_text(text, encoding="utf-8"))


def json_ready(value: object) -> object:
    """JSON-ready copy: NaN/inf become None, numpy scalars Python ones, tuples lists."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_ready(v) for v in value]
    return value


def write_json(path: Path, document: object) -> Path:
    """Write a JSON document atomically (indented, UTF-8; NaN and inf written as null)."""
    text = json.dumps(json_ready(document), indent=2, ensure_ascii=False, allow_nan=False)
    return write_text(path, text + "\n")


def write_csv(path: Path, table: pd.DataFrame, *, index: bool = True) -> Path:
    """Write a table as CSV atomically."""
    return write_atomically(path, lambda p: table.to_csv(p, index=index, float_format="%.6g"))


def write_table(
    path: Path,
    table: pd.DataFrame,
    *,
    spec: OutputFile,
    index: bool = False,
    float_format: str = "%.6g",
) -> Path:
    """Write a run-folder table as CSV atomically, with the columns its layout names.

    Parameters
    ----------
    path
        Where to write (``spec.under(run_dir)`` or ``spec.in_folder(folder)``).
    table
        The table.
    spec
        The file in :mod:`tsg.run_layout`; its ``columns`` (leading columns when it has
        ``more_columns``) must be the table's header, the index first when ``index``.
    index
        Write the index as the first column.
    float_format
        Number format of floats.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    RuntimeError
        The table's columns differ from the layout's (a bug in the writer, not a user error).
    """
    header = ([str(table.index.name)] if index else []) + [str(c) for c in table.columns]
    expected = list(spec.columns)
    if expected and (header[: len(expected)] if spec.more_columns else header) != expected:
        raise RuntimeError(
            f"bug: {spec.relative} would be written with columns {header}; "
            f"tsg.run_layout defines {expected}"
        )
    return write_atomically(path, lambda p: table.to_csv(p, index=index, float_format=float_format))


def profiles_table(profiles: pd.DataFrame) -> pd.DataFrame:
    """Profiles with a first column ``time`` as ISO 8601 text with UTC offset."""
    table = profiles.reset_index(drop=True)
    table.insert(0, "time", [stamp.isoformat() for stamp in profiles.index])
    return table


def write_profiles(out_dir: Path, profiles: pd.DataFrame) -> list[Path]:
    """Write ``profiles.csv`` and ``profiles.parquet`` (the same table).

    Parameters
    ----------
    out_dir
        Output folder.
    profiles
        Hourly profiles with a time-zone aware index and ``<building_id>.<quantity>`` columns.

    Returns
    -------
    list[Path]
        The files written.
    """
    table = profiles_table(profiles)
    csv = write_atomically(
        layout.PROFILES_CSV.under(out_dir),
        lambda p: table.to_csv(p, index=False, float_format="%.4f"),
    )
    parquet = write_atomically(
        layout.PROFILES_PARQUET.under(out_dir),
        lambda p: profiles.rename_axis("time").reset_index().to_parquet(p, index=False),
    )
    return [csv, parquet]


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def add_to_manifest(out_dir: Path, outputs: Iterable[Path]) -> bool:
    """List files written after the manifest (the report) in ``out_dir/manifest.json``.

    The manifest is rewritten atomically with these files' SHA-256 added to ``outputs``;
    everything else in it stays as it was. A missing or unreadable manifest is left alone.

    Parameters
    ----------
    out_dir
        The run folder.
    outputs
        Files inside ``out_dir``.

    Returns
    -------
    bool
        Whether the manifest was updated.
    """
    path = layout.MANIFEST.under(out_dir)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return False
    if not isinstance(document, dict) or not isinstance(document.get("outputs"), dict):
        return False
    for output in outputs:
        document["outputs"][output.relative_to(out_dir).as_posix()] = file_sha256(output)
    write_json(path, document)
    return True


def manifest(
    *, inputs: Iterable[Path], outputs: Iterable[Path], out_dir: Path, seed: int, command: str
) -> dict[str, object]:
    """Provenance of a run: input and output hashes, versions, seed.

    Parameters
    ----------
    inputs
        Files the run read (district file, measured profiles, weather file, catalogues).
    outputs
        Files the run wrote (listed by their path relative to ``out_dir``).
    out_dir
        The run folder.
    seed
        The seed of every random draw.
    command
        The command that made the run, e.g. ``"tsg run"``.
    """
    return {
        "command": command,
        "created_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "toolkit_version": _version("thermal-smart-grid"),
        "python": platform.python_version(),
        "dependencies": {name: _version(name) for name in DEPENDENCIES},
        "seed": seed,
        "inputs": {str(path): file_sha256(path) for path in inputs},
        "outputs": {path.relative_to(out_dir).as_posix(): file_sha256(path) for path in outputs},
    }
