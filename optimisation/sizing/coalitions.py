"""Coalition costs c(S) for the allocation game, from one reusable sizing model.

``c(S)`` is the optimal annual cost [EUR/yr] of serving the buildings of the partners in
``S`` with the assets they bring, under the same assumptions for every ``S``: the model of the
whole district is built once and restricted by fixing variables (it is never rebuilt):

* buildings of other partners: ``member = 0`` (their demand drops out) and ``y = 0``;
* an ATES, waste-heat source or central plant owned by a partner outside ``S``:
  ``available = 0`` (capacity 0); assets without an owner are open to every coalition;
* trenches may pass any node (a trench along a non-member's building is just a trench).

With the persistent HiGHS interface only these bound changes are sent between solves.
``c({i})`` is partner ``i`` alone: its reference supply, or a grid of its own buildings when
that is cheaper. Results are cached per coalition; :func:`coalition_costs` can spread the
coalitions over worker processes, each of which builds the model once.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections.abc import Callable, Collection, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor

import pyomo.environ as pyo

from tsg.common.errors import InputError
from tsg.optimisation.allocation import Game
from tsg.optimisation.sizing.inputs import SizingInputs
from tsg.optimisation.sizing.model import SizingModel, build_model
from tsg.optimisation.sizing.options import SizingOptions
from tsg.optimisation.sizing.periods import TimeSteps, time_steps
from tsg.optimisation.sizing.solve import SolveInfo, solve_model

__all__ = [
    "CoalitionSolver",
    "coalition_cost",
    "coalition_costs",
    "restrict_to_coalition",
    "y_fixings",
]

#: How a connection binary ``y[b]`` was left by the model builder: (fixed, value).
YFixing = tuple[bool, float | None]


def y_fixings(model: SizingModel) -> dict[int, YFixing]:
    """Return the builder's fixings of the connection binaries ``y``.

    Take them right after :func:`optimisation.sizing.model.build_model`, before any
    restriction.

    Parameters
    ----------
    model
        A built model.

    Returns
    -------
    dict
        Building index -> (fixed, value) of ``y``.

    """
    return {b: (v.fixed, v.value) for b, v in model.model.y.items()}


def restrict_to_coalition(
    model: SizingModel,
    members: Collection[str],
    *,
    base_y: Mapping[int, YFixing],
    buildings: Collection[str] | None = None,
) -> None:
    """Fix a model to the buildings and assets of the partners ``members`` (names not checked).

    A building is in when its partner is a member (and, with ``buildings``, it is listed
    there): ``member = 1`` and ``y`` as the builder left it (``base_y``); every other building
    has ``member = 0`` and ``y = 0``. An ATES, waste-heat source or plant is available when it
    has no owner or its owner is a member.

    Parameters
    ----------
    model
        A built model of the whole district.
    members
        Partner ids of the coalition.
    base_y
        The builder's fixings of ``y`` (:func:`y_fixings`).
    buildings
        Building ids that may count at all (default every building); e.g. spreading keeps
        candidates that have not joined yet out of every coalition.

    """
    m, inputs = model.model, model.inputs
    allowed = None if buildings is None else set(buildings)
    for b, bld in enumerate(inputs.buildings):
        inside = bld.partner in members and (allowed is None or bld.building_id in allowed)
        m.member[b].fix(1.0 if inside else 0.0)
        fixed, value = base_y[b]
        if not inside:
            m.y[b].fix(0)
        elif fixed:
            m.y[b].fix(value)
        else:
            m.y[b].unfix()
    for var, assets in (
        (m.ates_available, inputs.ates),
        (m.source_available, inputs.heat_sources),
        (m.plant_available, inputs.plants),
    ):
        for k, asset in enumerate(assets):
            var[k].fix(1.0 if asset.partner is None or asset.partner in members else 0.0)


class CoalitionSolver:
    """A sizing model that can be restricted to any coalition of partners.

    Parameters
    ----------
    model
        A built model (:func:`optimisation.sizing.model.build_model`) of the whole district.

    """

    def __init__(self, model: SizingModel) -> None:
        self.sm = model
        self.cache: dict[frozenset[str], float] = {}
        #: How each solved coalition went (status ``optimal`` or ``time_limit``, gap, time).
        self.info: dict[frozenset[str], SolveInfo] = {}
        self._base_y = y_fixings(model)
        self.partners = model.inputs.partners

    @classmethod
    def from_inputs(
        cls,
        inputs: SizingInputs,
        *,
        options: SizingOptions | None = None,
        steps: TimeSteps | None = None,
    ) -> CoalitionSolver:
        """Build the model of the whole district and wrap it."""
        options = options or SizingOptions()
        if steps is None:
            steps = time_steps(
                inputs, n_periods=options.n_typical_periods, period_hours=options.period_hours
            )
        return cls(build_model(inputs, steps, options=options))

    def restrict(self, members: Iterable[str]) -> None:
        """Fix the model to the buildings and assets of ``members``.

        Raises
        ------
        InputError
            A member is not a partner of the district.

        """
        members = frozenset(members)
        unknown = sorted(members - set(self.partners))
        if unknown:
            raise InputError(
                f"unknown partners {unknown}; partners with buildings or assets: "
                f"{list(self.partners)}",
                field="members",
            )
        restrict_to_coalition(self.sm, members, base_y=self._base_y)

    def cost(self, members: Iterable[str]) -> float:
        """Optimal annual cost c(S) of a coalition [EUR/yr] (cached).

        Parameters
        ----------
        members
            Partner ids of the coalition.

        Returns
        -------
        float
            c(S) [EUR/yr]; 0 for a coalition without buildings.

        """
        key = frozenset(members)
        if key in self.cache:
            return self.cache[key]
        if not any(b.partner in key for b in self.sm.inputs.buildings):
            self.restrict(key)  # validates the names
            self.cache[key] = 0.0
            return 0.0
        self.restrict(key)
        try:
            self.info[key] = solve_model(self.sm)
            value = float(pyo.value(self.sm.model.total_cost))
        except InputError as error:
            raise InputError(f"coalition {sorted(key)}: {error.message}") from None
        finally:
            self.restrict(self.partners)
        self.cache[key] = value
        return value

    def resolve(self, members: Iterable[str], *, mip_gap: float) -> tuple[float, SolveInfo]:
        """Solve a coalition again at another MIP gap, bypassing and updating the cache.

        Parameters
        ----------
        members
            Partner ids of the coalition (with at least one building).
        mip_gap
            Relative MIP gap of this solve [-].

        Returns
        -------
        tuple
            c(S) of the design found [EUR/yr] and how the solve went (its bound is the new
            lower bound of c(S)).

        """
        key = frozenset(members)
        self.restrict(key)
        try:
            info = solve_model(self.sm, mip_gap=mip_gap)
            value = float(pyo.value(self.sm.model.total_cost))
        except InputError as error:
            raise InputError(f"coalition {sorted(key)}: {error.message}") from None
        finally:
            self.restrict(self.partners)
        self.cache[key] = value
        self.info[key] = info
        return value, info


def coalition_cost(
    model_or_builder: CoalitionSolver | SizingModel | Callable[[], SizingModel],
    members: frozenset[str],
) -> float:
    """Optimal annual cost of a coalition [EUR/yr], reusing the given model.

    Parameters
    ----------
    model_or_builder
        A :class:`CoalitionSolver`, a built :class:`SizingModel` (wrapped once and kept in its
        ``solver_cache``), or a callable returning a built model.
    members
        Partner ids of the coalition.

    Returns
    -------
    float
        c(S) [EUR/yr].

    """
    if isinstance(model_or_builder, CoalitionSolver):
        solver = model_or_builder
    else:
        sm = model_or_builder if isinstance(model_or_builder, SizingModel) else model_or_builder()
        solver = sm.solver_cache.get("coalitions")
        if solver is None:
            solver = CoalitionSolver(sm)
            sm.solver_cache["coalitions"] = solver
    return solver.cost(members)


_WORKER: CoalitionSolver | None = None


def _init_worker(inputs: SizingInputs, options: SizingOptions, steps: TimeSteps) -> None:
    global _WORKER
    _WORKER = CoalitionSolver(build_model(inputs, steps, options=options))


def _worker_cost(
    members: frozenset[str],
) -> tuple[frozenset[str], float, SolveInfo | None]:
    assert _WORKER is not None
    value = _WORKER.cost(members)
    return members, value, _WORKER.info.get(members)


def coalition_costs(
    inputs: SizingInputs,
    *,
    players: Iterable[str] | None = None,
    options: SizingOptions | None = None,
    steps: TimeSteps | None = None,
    processes: int = 1,
    cache: Mapping[frozenset[str], float] | None = None,
    solver: CoalitionSolver | None = None,
    solve_info: dict[frozenset[str], SolveInfo] | None = None,
) -> Game:
    """c(S) of every non-empty coalition of partners, as an allocation game.

    Parameters
    ----------
    inputs
        Sizing inputs of the whole district.
    players
        Partner ids (default: every partner owning buildings or assets). Partners without
        buildings or assets may be listed; they add nothing on their own.
    options
        Model switches (the same for every coalition).
    steps
        Time steps (default from ``options``), computed once for all coalitions.
    processes
        Worker processes (each builds the model once); 1 = in this process.
    cache
        Known costs per coalition; they are not solved again.
    solver
        A :class:`CoalitionSolver` to reuse when ``processes == 1``.
    solve_info
        When given, filled with how each coalition solved here went (status ``optimal`` or
        ``time_limit``, gap, time); coalitions from ``cache`` or without buildings are absent.

    Returns
    -------
    optimisation.allocation.Game
        The cost game (players in the given order).

    """
    options = options or SizingOptions()
    names = tuple(players) if players is not None else inputs.partners
    if not names:
        raise InputError("no players: no partner owns a building or an asset", field="players")
    extra = set(names) - set(inputs.partners)
    known = dict(cache or {})
    coalitions = [
        frozenset(c) for r in range(1, len(names) + 1) for c in itertools.combinations(names, r)
    ]
    todo = []
    for c in coalitions:
        core = c - extra
        if c in known:
            continue
        if core in known:
            known[c] = known[core]
        elif not core:
            known[c] = 0.0
        else:
            todo.append(core)
    todo = list(dict.fromkeys(todo))
    if todo:
        if steps is None and solver is None:
            steps = time_steps(
                inputs, n_periods=options.n_typical_periods, period_hours=options.period_hours
            )
        if processes <= 1 or len(todo) < 2:
            local = solver or CoalitionSolver(build_model(inputs, steps, options=options))
            for c in todo:
                known[c] = local.cost(c)
                if solve_info is not None and c in local.info:
                    solve_info[c] = local.info[c]
        else:
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(
                max_workers=processes,
                mp_context=context,
                initializer=_init_worker,
                initargs=(inputs, options, steps),
            ) as pool:
                for members, value, info in pool.map(_worker_cost, todo, chunksize=1):
                    known[members] = value
                    if solve_info is not None and info is not None:
                        solve_info[members] = info
    for c in coalitions:
        if c not in known:
            known[c] = known[c - extra]
    return Game.from_mapping(names, {c: known[c] for c in coalitions})
