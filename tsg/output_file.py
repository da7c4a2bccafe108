"""One file of a run folder: its place, what it holds, its columns (see :mod:`tsg.run_layout`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

__all__ = ["OutputFile"]


@dataclass(frozen=True)
class OutputFile:
    """One file of a run folder.

    Parameters
    ----------
    relative
        Path inside its root, ``/``-separated: the run folder for :data:`RUN_FILES`, a
        scenario folder for :data:`SCALING_SCENARIO_FILES`.
    description
        What the file holds, with units.
    columns
        For tables: the columns every writer writes, in order (leading columns when
        ``more_columns`` is set). Empty for other files.
    more_columns
        For tables with columns that depend on the district: their pattern, e.g.
        ``<building_id>.<quantity>``.
    """

    relative: str
    description: str
    columns: tuple[str, ...] = ()
    more_columns: str = ""

    @property
    def name(self) -> str:
        """File name without folder."""
        return PurePosixPath(self.relative).name

    @property
    def folder(self) -> str:
        """Folder inside the root (``""`` for the top)."""
        parent = PurePosixPath(self.relative).parent.as_posix()
        return "" if parent == "." else parent

    def under(self, root: Path) -> Path:
        """Path of this file in a run folder (or scenario folder) ``root``."""
        return root.joinpath(*PurePosixPath(self.relative).parts)

    def in_folder(self, folder: Path) -> Path:
        """Path of this file in ``folder`` (for commands whose ``--out`` is the stage folder)."""
        return folder / self.name
