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
that is cheaper. Results are kept per coalition in memory;
:func:`tsg.optimisation.sizing.coalition_batch.coalition_costs` solves batches of coalitions
where the executor says (local processes or a Dask cluster), each worker building the model
once, with an optional cache on disk.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping

import pyomo.environ as pyo

from tsg.common.errors import InputError
from tsg.optimisation.sizing.inputs import SizingInputs
from tsg.optimisation.sizing.model import SizingModel, build_model
from tsg.optimisation.sizing.options import SizingOptions
from tsg.optimisation.sizing.periods import TimeSteps, time_steps
from tsg.optimisation.sizing.solve import SolveInfo, solve_model

__all__ = [
    "CoalitionSolver",
    "coalition_cost",
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
