"""Solved coalitions on disk, keyed by a hash of everything that determines the solve.

A coalition's cost depends on the sizing inputs of the *whole* district (the typical days are
clustered from every building's profile, and the model of every coalition is the district's
model restricted), the time steps, the options (solver, time limit, ...), the MIP gap of the
solve and the code of the model. :func:`model_digest` hashes the first four and the source
of :mod:`tsg.optimisation.sizing` with the versions of Pyomo and HiGHS; an entry's key adds
the coalition's members and the gap. Change anything and the old entries are simply not found.

One JSON file per entry, ``FOLDER/<model digest>/<entry hash>.json``, written atomically (a
temporary file in the same folder, then ``os.replace``), so several runs may share a folder.
An entry that cannot be read or does not match its key (truncated, edited, another format) is
reported with a :class:`CacheWarning` and treated as missing: it is solved again and
overwritten; the cache never stops a run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import tempfile
import warnings
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tsg.optimisation.sizing.inputs import SizingInputs
from tsg.optimisation.sizing.options import SizingOptions
from tsg.optimisation.sizing.periods import TimeSteps
from tsg.optimisation.sizing.solve import SolveInfo

__all__ = ["FORMAT", "CacheWarning", "CoalitionCache", "code_version", "digest", "model_digest"]

FORMAT = 1
"""Version of the entry layout; entries of another format are ignored."""

#: Options that change how fast a solve runs, not what it finds.
_NOT_IN_KEY = frozenset({"threads"})


class CacheWarning(UserWarning):
    """A cache entry was unreadable and is solved again."""


def _feed(h: Any, obj: Any) -> None:  # noqa: C901 - one case per type
    """Feed a canonical byte form of ``obj`` into the hash ``h``."""
    if obj is None or isinstance(obj, bool | int | str):
        h.update(f"{type(obj).__name__}:{obj!r};".encode())
    elif isinstance(obj, float):
        h.update(f"float:{obj.hex()};".encode())
    elif isinstance(obj, np.generic):
        _feed(h, obj.item())
    elif isinstance(obj, np.ndarray):
        array = np.ascontiguousarray(obj)
        h.update(f"ndarray:{array.dtype.str}:{array.shape};".encode())
        h.update(array.tobytes() if array.dtype != object else repr(array.tolist()).encode())
    elif isinstance(obj, pd.Index):
        h.update(f"index:{obj.dtype}:{getattr(obj, 'tz', None)};".encode())
        _feed(h, obj.astype(str).to_numpy(dtype=str))
    elif isinstance(obj, pd.DataFrame | pd.Series):
        h.update(f"{type(obj).__name__};".encode())
        _feed(h, pd.util.hash_pandas_object(obj, index=True).to_numpy())
        _feed(h, [str(c) for c in getattr(obj, "columns", [])])
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        h.update(f"dc:{type(obj).__qualname__};".encode())
        for f in dataclasses.fields(obj):
            if f.name not in _NOT_IN_KEY:
                _feed(h, f.name)
                _feed(h, getattr(obj, f.name))
    elif isinstance(obj, dict):
        h.update(b"dict;")
        for key in sorted(obj, key=repr):
            _feed(h, key)
            _feed(h, obj[key])
    elif isinstance(obj, set | frozenset):
        h.update(b"set;")
        for item in sorted(obj, key=repr):
            _feed(h, item)
    elif isinstance(obj, list | tuple):
        h.update(f"{type(obj).__name__}:{len(obj)};".encode())
        for item in obj:
            _feed(h, item)
    elif isinstance(obj, Path):
        _feed(h, str(obj))
    else:
        raise TypeError(f"cannot hash a {type(obj).__name__} for the coalition cache")
    h.update(b"|")


def digest(*objects: Any) -> str:
    """Return a SHA-256 hex digest of ``objects`` that does not depend on the process.

    Dataclasses, dicts (sorted keys), sets (sorted), sequences, NumPy arrays, pandas objects,
    numbers (floats bit-exact) and strings; hash randomisation and dict order do not matter.

    Raises
    ------
    TypeError
        An object of a type it does not know.

    """
    h = hashlib.sha256()
    for obj in objects:
        _feed(h, obj)
    return h.hexdigest()


def code_version() -> str:
    """Return a digest of the sizing model's source and the Pyomo and HiGHS versions."""
    h = hashlib.sha256()
    for file in sorted(Path(__file__).parent.glob("*.py")):
        h.update(file.name.encode())
        h.update(file.read_bytes())
    for package in ("pyomo", "highspy", "thermal-smart-grid"):
        try:
            h.update(f"{package}={metadata.version(package)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{package}=?;".encode())
    return h.hexdigest()


def model_digest(inputs: SizingInputs, steps: TimeSteps, options: SizingOptions) -> str:
    """Return the digest of a coalition model: inputs, time steps, options and code version."""
    return digest("coalition-model", inputs, steps, options, code_version())


class CoalitionCache:
    """Solved coalitions of one model in a folder.

    Parameters
    ----------
    folder
        Root folder of the cache (created on the first write).
    model
        :func:`model_digest` of the model the entries belong to.

    """

    def __init__(self, folder: str | Path, model: str) -> None:
        self.folder = Path(folder) / model[:32]
        self.model = model
        #: False after a failed write: the run goes on without storing (one warning).
        self.writable = True

    def _key(self, members: Iterable[str], mip_gap: float) -> tuple[list[str], str]:
        names = sorted(members)
        return names, digest(self.model, names, float(mip_gap))

    def path(self, members: Iterable[str], mip_gap: float) -> Path:
        """Return the file of an entry."""
        return self.folder / f"{self._key(members, mip_gap)[1][:40]}.json"

    def get(self, members: Iterable[str], mip_gap: float) -> tuple[float, SolveInfo] | None:
        """Return (c(S) [EUR/yr], how it was solved) of a stored entry, or ``None``.

        An unreadable entry gives a :class:`CacheWarning` and ``None``.
        """
        names, key = self._key(members, mip_gap)
        file = self.folder / f"{key[:40]}.json"
        try:
            text = file.read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as error:
            warnings.warn(f"cannot read cache entry {file}: {error}", CacheWarning, stacklevel=2)
            return None
        try:
            doc = json.loads(text)
            if doc.get("format") != FORMAT or doc.get("key") != key or doc["members"] != names:
                raise ValueError("written for another key or format")
            info = SolveInfo(**doc["info"])
            cost = float(doc["cost_eur_per_yr"])
            if not math.isfinite(cost):
                raise ValueError("cost is not a finite number")
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            warnings.warn(
                f"ignoring corrupt cache entry {file} ({error}); solving the coalition again",
                CacheWarning,
                stacklevel=2,
            )
            return None
        return cost, info

    def put(
        self, members: Iterable[str], mip_gap: float, cost_eur_per_yr: float, info: SolveInfo
    ) -> None:
        """Store an entry atomically; a folder that cannot be written gives one warning."""
        if not self.writable:
            return
        names, key = self._key(members, mip_gap)
        doc = {
            "format": FORMAT,
            "key": key,
            "model": self.model,
            "members": names,
            "mip_gap": float(mip_gap),
            "cost_eur_per_yr": float(cost_eur_per_yr),
            "info": dataclasses.asdict(info),
        }
        file = self.folder / f"{key[:40]}.json"
        tmp = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".entry-", suffix=".tmp", dir=self.folder)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(doc, handle)
            os.replace(tmp, file)
            tmp = None
        except OSError as error:
            self.writable = False
            warnings.warn(
                f"cannot write the coalition cache in {self.folder} ({error}); solved "
                "coalitions are not stored in this run",
                CacheWarning,
                stacklevel=2,
            )
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
