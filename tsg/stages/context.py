"""The run context: the district, its demand and its sizing inputs, each computed once.

Every stage's ``compute`` takes a :class:`RunContext`; stages that need the demand or the
sizing inputs ask the context, which computes them on first use and keeps them, so one run
computes the hourly demand and translates it into sizing inputs exactly once. Results of
earlier stages are kept in :attr:`RunContext.results` by stage name (verification needs
the sizing's design).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tsg.demand import DemandResult, district_demand
from tsg.district import load_district
from tsg.optimisation.sizing import SizingInputs, SizingOptions
from tsg.progress import Progress
from tsg.schema import District
from tsg.sensitivity import SensitivityMode
from tsg.sizing_inputs import sizing_inputs

__all__ = ["RunContext", "RunSettings", "default_cache_dir"]


def default_cache_dir() -> Path:
    """Return the folder of the coalition cache of the command line.

    ``$TSG_CACHE_DIR`` when set, else ``$XDG_CACHE_HOME/tsg/coalitions``, else
    ``~/.cache/tsg/coalitions``.
    """
    if os.environ.get("TSG_CACHE_DIR"):
        return Path(os.environ["TSG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "tsg" / "coalitions"


@dataclass(frozen=True)
class RunSettings:
    """Choices of a run that the district file does not make.

    Parameters
    ----------
    sizing_options
        Options of the design solve (default :class:`SizingOptions`: 12 typical days, 1 %).
    sensitivity
        Sensitivity table of the sizing: ``"if_given"`` (only when the district file has
        ``economics.sensitivity``, what ``tsg run`` uses), ``True`` (always) or ``False``.
    allocation_options
        Options of every coalition solve (``None``: the allocation stage's default).
    processes
        Local worker processes for the coalition solves (``tsg --workers``; ``None``: the
        allocation stage's default; 1: in this process).
    scheduler
        Address of a Dask scheduler (``tcp://HOST:PORT``) that runs the coalition solves
        instead of local processes (``tsg --scheduler``).
    cache_dir
        Folder of the cache of solved coalitions (``None``: no cache; the command line uses
        :func:`default_cache_dir` unless ``--no-cache``).
    include_candidates
        Simulate the candidate buildings too (``tsg simulate --include-candidates``).
    gap_floor
        Tightest MIP gap [-] at which the allocation re-solves coalitions whose bounds leave a
        verdict undecided (``None``: the stage's default, 0.1 %).
    refine_budget_s
        Wall time for those re-solves [s] (``None``: the stage's default; 0: no refinement).
    design_rounds
        Most solves of the design with its annual simulation in the loop
        (:mod:`tsg.design_loop`; ``None``: the sizing stage's default; 1: solve and simulate
        once, no cuts).
    """

    sizing_options: SizingOptions | None = None
    sensitivity: SensitivityMode = "if_given"
    allocation_options: SizingOptions | None = None
    processes: int | None = None
    scheduler: str | None = None
    cache_dir: Path | None = None
    include_candidates: bool = False
    gap_floor: float | None = None
    refine_budget_s: float | None = None
    design_rounds: int | None = None


@dataclass
class RunContext:
    """What the stages of one run share.

    Parameters
    ----------
    district
        The validated district.
    district_file
        Its file (relative paths of scaling targets and candidates resolve against it).
    progress
        Where progress is reported.
    settings
        Choices the district file does not make.
    """

    district: District
    district_file: Path
    progress: Progress = field(default_factory=lambda: Progress(quiet=True))
    settings: RunSettings = field(default_factory=RunSettings)
    results: dict[str, Any] = field(default_factory=dict)
    _demand: DemandResult | None = field(default=None, repr=False)
    _sizing_inputs: SizingInputs | None = field(default=None, repr=False)

    @classmethod
    def load(
        cls,
        district_file: str | Path,
        *,
        progress: Progress | None = None,
        settings: RunSettings | None = None,
    ) -> RunContext:
        """Load and validate a district file into a new context.

        Raises
        ------
        InputError
            The file is not a valid district file.
        """
        progress = progress or Progress(quiet=True)
        path = Path(district_file)
        with progress.step(f"loading {path}"):
            district = load_district(path)
        return cls(district, path, progress, settings or RunSettings())

    @classmethod
    def of(
        cls,
        district: District,
        district_file: str | Path,
        *,
        demand: DemandResult | None = None,
        progress: Progress | None = None,
        settings: RunSettings | None = None,
    ) -> RunContext:
        """Make a context for a district already loaded (and, optionally, its demand).

        Parameters
        ----------
        district
            The validated district.
        district_file
            Its file (relative paths in it resolve against the file's folder).
        demand
            Its demand, when already computed (else computed on first use).
        progress, settings
            As for :meth:`load`.
        """
        return cls(
            district,
            Path(district_file),
            progress or Progress(quiet=True),
            settings or RunSettings(),
            _demand=demand,
        )

    @property
    def demand(self) -> DemandResult:
        """Weather, hourly profiles and indicators of the district (computed once)."""
        if self._demand is None:
            n = len(self.district.buildings)
            with self.progress.step(f"hourly demand of {n} buildings"):
                self._demand = district_demand(self.district, district_file=self.district_file)
        return self._demand

    @property
    def sizing_inputs(self) -> SizingInputs:
        """The district and its demand as inputs of the sizing model (computed once)."""
        if self._sizing_inputs is None:
            with self.progress.step("sizing inputs"):
                self._sizing_inputs = sizing_inputs(self.district, self.demand)
        return self._sizing_inputs

    def result(self, stage: str) -> Any:
        """Return the result of an earlier stage of this run.

        Raises
        ------
        KeyError
            The stage did not run (a stage ran before one it needs: a bug).
        """
        if stage not in self.results:
            raise KeyError(f"stage '{stage}' has not run in this context")
        return self.results[stage]
