"""The most violated coalition of an allocation, found by one MILP on the sizing model.

:mod:`tsg.optimisation.sizing.coalitions` restricts the sizing model to a coalition by fixing
``member[b]`` (the buildings of its partners) and the ``*_available`` variables (the assets
its partners own). Here those variables are tied to one binary ``z[i]`` per partner instead,
so the solver chooses the coalition too:

* ``member[b] = z[partner of b]``; a connection needs membership: ``y[b] <= z[partner of b]``
  (``y[b] = z[...]`` when the builder forced the connection, ``y[b] = 0`` stays);
* ``available[a] = z[owner of a]`` for every ATES, waste-heat source and plant with an owner
  among the players; assets without an owner stay open to every coalition;
* ``1 <= sum z <= n - 1`` (a proper coalition) and one no-good cut per excluded coalition;
* objective ``c(S) - sum_i x_i z_i``: its minimum is ``-max_S (x(S) - c(S))``.

For any fixed ``z`` the model is exactly the coalition model, so the solver's lower bound of
the objective is a proven upper bound of the largest excess. With
``ates_exclusive_direction='auto'`` the model relaxes the ATES direction (the coalition solves
repair it afterwards); the relaxation only lowers c(S), so the bound stays valid (it can only
be looser). The MILP stops at an absolute gap in EUR/yr (a relative gap is meaningless for an
objective near zero).
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Mapping

import numpy as np
import pyomo.environ as pyo

from tsg.common.errors import InputError
from tsg.optimisation.allocation.constraint_generation import Separation
from tsg.optimisation.sizing.coalitions import y_fixings
from tsg.optimisation.sizing.model import SizingModel
from tsg.optimisation.sizing.solver_runs import appsi_solver

__all__ = ["CoalitionSeparator"]


class CoalitionSeparator:
    """A sizing model turned into the separation MILP of the least core (callable).

    The model is changed for good: build one for the separator alone
    (:func:`optimisation.sizing.model.build_model`), do not share it with a
    :class:`~optimisation.sizing.coalitions.CoalitionSolver`.

    Parameters
    ----------
    model
        A freshly built model of the whole district (solver ``appsi_highs``).
    players
        Partner ids (default every partner owning buildings or assets); buildings and assets
        of partners that are not players are left out of every coalition.
    abs_gap_eur_per_yr
        Absolute MIP gap of each separation [EUR/yr]: the proven bound exceeds the excess
        found by at most this much.
    time_limit_s
        Time limit of each separation [s] (``None``: the model's option).

    """

    def __init__(
        self,
        model: SizingModel,
        players: Iterable[str] | None = None,
        *,
        abs_gap_eur_per_yr: float = 1.0,
        time_limit_s: float | None = None,
    ) -> None:
        if model.options.solver != "appsi_highs":
            raise InputError("the separation MILP needs the solver appsi_highs", field="solver")
        self.sm = model
        self.players = tuple(players) if players is not None else model.inputs.partners
        self.abs_gap = float(abs_gap_eur_per_yr)
        self.time_limit_s = model.options.time_limit_s if time_limit_s is None else time_limit_s
        self._cut: set[frozenset[str]] = set()
        self._build()

    def _build(self) -> None:
        """Add the partner binaries, their ties, the size limits and the new objective."""
        m, inputs = self.sm.model, self.sm.inputs
        index = {p: i for i, p in enumerate(self.players)}
        n = len(self.players)
        base_y = y_fixings(self.sm)
        m.sep_z = pyo.Var(range(n), domain=pyo.Binary)
        m.sep_price = pyo.Param(range(n), mutable=True, initialize=0.0)
        m.sep_tie = pyo.ConstraintList()
        for b, bld in enumerate(inputs.buildings):
            i = index.get(bld.partner)
            if i is None:
                m.member[b].fix(0.0)
                m.y[b].fix(0)
                continue
            m.member[b].unfix()
            m.sep_tie.add(m.member[b] == m.sep_z[i])
            fixed, value = base_y[b]
            if fixed and (value or 0.0) < 0.5:
                continue
            if fixed:
                m.y[b].unfix()
                m.sep_tie.add(m.y[b] == m.sep_z[i])
            else:
                m.sep_tie.add(m.y[b] <= m.sep_z[i])
        for var, assets in (
            (m.ates_available, inputs.ates),
            (m.source_available, inputs.heat_sources),
            (m.plant_available, inputs.plants),
        ):
            for k, asset in enumerate(assets):
                if asset.partner is None:
                    var[k].fix(1.0)
                elif asset.partner in index:
                    var[k].unfix()
                    m.sep_tie.add(var[k] == m.sep_z[index[asset.partner]])
                else:
                    var[k].fix(0.0)
        m.sep_size_min = pyo.Constraint(expr=sum(m.sep_z[i] for i in range(n)) >= 1)
        m.sep_size_max = pyo.Constraint(expr=sum(m.sep_z[i] for i in range(n)) <= n - 1)
        m.sep_cuts = pyo.ConstraintList()
        m.total_cost.deactivate()
        m.sep_objective = pyo.Objective(
            expr=m.total_cost.expr - sum(m.sep_price[i] * m.sep_z[i] for i in range(n)),
            sense=pyo.minimize,
        )

    def _exclude(self, coalition: frozenset[str]) -> None:
        """Add a no-good cut: the solver may not choose ``coalition`` again."""
        members = coalition & set(self.players)
        if coalition in self._cut or not members or len(members) == len(self.players):
            return
        m = self.sm.model
        inside = [i for i, p in enumerate(self.players) if p in members]
        outside = [i for i, p in enumerate(self.players) if p not in members]
        m.sep_cuts.add(sum(1 - m.sep_z[i] for i in inside) + sum(m.sep_z[i] for i in outside) >= 1)
        self._cut.add(coalition)

    def __call__(
        self, allocation: Mapping[str, float], excluded: Collection[frozenset[str]]
    ) -> Separation:
        """Find the coalition with the largest excess ``x(S) - c(S)`` (one MILP).

        Parameters
        ----------
        allocation
            Player -> allocated cost [EUR/yr].
        excluded
            Coalitions not to return (e.g. those already generated).

        Returns
        -------
        Separation
            The coalition found, the proven bound of the largest excess, the status.

        """
        from pyomo.contrib.appsi.base import TerminationCondition as TC

        m = self.sm.model
        for i, p in enumerate(self.players):
            m.sep_price[i] = float(allocation[p])
        for coalition in excluded:
            self._exclude(frozenset(coalition))
        opt = appsi_solver(self.sm)
        opt.config.time_limit = self.time_limit_s
        opt.config.mip_gap = 0.0
        opt.config.warmstart = False
        opt.highs_options = {"mip_abs_gap": self.abs_gap}
        threads = getattr(self.sm.options, "threads", None)  # one thread per task when set
        if threads is not None:
            opt.highs_options["threads"] = threads
        start = time.perf_counter()
        res = opt.solve(m)
        elapsed = time.perf_counter() - start
        tc = res.termination_condition
        if tc in (TC.infeasible, TC.infeasibleOrUnbounded):  # every coalition excluded
            return Separation((), float("-inf"), float("-inf"), "optimal", elapsed)
        bound = res.best_objective_bound
        bound = float(bound) if bound is not None and np.isfinite(bound) else float("-inf")
        feasible = res.best_feasible_objective
        if feasible is None or not np.isfinite(feasible):
            if tc not in (TC.maxTimeLimit, TC.maxIterations, TC.interrupted):
                raise RuntimeError(f"separation MILP failed: {tc}")
            return Separation((), -bound, float("-inf"), "time_limit", elapsed)
        res.solution_loader.load_vars()
        chosen = frozenset(p for i, p in enumerate(self.players) if m.sep_z[i].value > 0.5)
        status = "optimal" if tc == TC.optimal else "time_limit"
        return Separation((chosen,), -bound, -float(feasible), status, elapsed)
