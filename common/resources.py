"""Locate the data files shipped with the toolkit (the repository's ``data/`` folder)."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path


def data_path(*parts: str) -> Path:
    """Return the path of a file or folder inside the shipped data.

    The repository's ``data/`` folder is installed as the package ``tsg.data``, so this works
    from a checkout, an editable install and a wheel alike.

    Parameters
    ----------
    *parts
        Path components below ``data/``, e.g. ``("catalogues", "archetypes.yaml")``.

    Returns
    -------
    Path
        A real filesystem path (the data is never zipped).
    """
    resource = files("tsg.data").joinpath(*parts)
    with as_file(resource) as path:
        return Path(path)
