"""Switches of the sizing model and its solver (one frozen dataclass)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

from tsg.common.errors import InputError

__all__ = ["SizingOptions"]


@dataclass(frozen=True)
class SizingOptions:
    """How the sizing problem is modelled and solved.

    Parameters
    ----------
    n_typical_periods
        Number of typical periods (days by default) from tsam; ``None``: the full year.
    period_hours
        Length of a typical period [h].
    ates_balance
        Enforce the ATES annual thermal balance
        ``|stored - extracted| <= tolerance * max(stored, extracted)``.
    ates_exclusive_direction
        Whether an ATES may charge and discharge in the same step (which would fake a
        balance). ``"auto"`` (default) solves with the convex hull ``q_in + q_out <= capacity``
        and, when some step still uses both directions, fixes each step's direction to the
        sign of its net flow and re-solves the same connections and pipes as an LP, and the
        MIP again only when the exact directions cost more than ``mip_gap`` on top of the
        relaxed design (the first solve's bound is kept, so the reported gap stays honest and
        may exceed ``mip_gap`` by that repair); ``"always"`` uses a binary direction per step
        (exact, slow);
        ``"never"`` keeps the convex hull only.
    backup_when_connected
        A connected building keeps its reference units as peak backup (sized by the optimiser).
        False: a connected building is served by the grid alone.
    force_connect
        Building ids that must connect.
    exclude
        Building ids that may not connect.
    horizon_yr
        Horizon of the net present value [yr].
    solver
        Pyomo solver name; ``appsi_highs`` (default, persistent HiGHS through highspy) or any
        name ``pyomo.environ.SolverFactory`` knows (``highs``, ``cbc``, ``gurobi``, ...).
    time_limit_s
        Solver time limit [s]; ``None`` for none.
    mip_gap
        Relative MIP gap at which the solver stops [-].
    threads
        HiGHS threads per solve; ``None`` (default) leaves HiGHS its own choice. Batches of
        coalition solves use 1 (one solver thread per task, :mod:`tsg.optimisation.executor`).

    """

    n_typical_periods: int | None = 12
    period_hours: int = 24
    ates_balance: bool = True
    ates_exclusive_direction: Literal["auto", "always", "never"] = "auto"
    backup_when_connected: bool = True
    force_connect: frozenset[str] = field(default_factory=frozenset)
    exclude: frozenset[str] = field(default_factory=frozenset)
    horizon_yr: float = 30.0
    solver: str = "appsi_highs"
    time_limit_s: float | None = 600.0
    mip_gap: float = 0.01
    threads: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "force_connect", frozenset(self.force_connect))
        object.__setattr__(self, "exclude", frozenset(self.exclude))
        if self.n_typical_periods is not None and self.n_typical_periods < 1:
            raise InputError("n_typical_periods must be >= 1 or None", field="n_typical_periods")
        if self.ates_exclusive_direction not in ("auto", "always", "never"):
            raise InputError(
                "ates_exclusive_direction must be 'auto', 'always' or 'never'",
                field="ates_exclusive_direction",
            )
        both = sorted(self.force_connect & self.exclude)
        if both:
            raise InputError(f"buildings both forced and excluded: {both}", field="force_connect")
        if self.time_limit_s is not None and not self.time_limit_s > 0:
            raise InputError("time_limit_s must be positive", field="time_limit_s")
        if not (0 <= self.mip_gap < 1 and math.isfinite(self.mip_gap)):
            raise InputError("mip_gap must lie in [0, 1)", field="mip_gap")
        if not self.horizon_yr > 0:
            raise InputError("horizon_yr must be positive", field="horizon_yr")
