"""Coalition costs from the sizing model (input of the allocation game)."""

import numpy as np
import pytest
from sizing_cases import building, inputs, neighbours, year_steps

from tsg.common.errors import InputError
from tsg.optimisation.allocation import Game, core_nonempty
from tsg.optimisation.sizing import (
    AtesInput,
    CoalitionSolver,
    SizingOptions,
    build_model,
    coalition_cost,
    coalition_costs,
    size,
)

OPTIONS = SizingOptions(n_typical_periods=None, mip_gap=1e-6)


def _solver(inp):
    return CoalitionSolver(build_model(inp, year_steps(inp), options=OPTIONS))


def test_single_partner_costs_its_stand_alone_reference():
    inp = neighbours(distant_m=3000.0)
    reference = size(inp, options=OPTIONS, steps=year_steps(inp))
    solver = _solver(inp)
    for b in ("a", "b", "c"):
        assert solver.cost({f"p-{b}"}) == pytest.approx(
            reference.building(b).reference_cost_eur_per_yr, rel=1e-7
        )


def test_grand_coalition_equals_the_design_and_the_game_is_subadditive():
    inp = neighbours(distant_m=3000.0)
    design = size(inp, options=OPTIONS, steps=year_steps(inp))
    game = coalition_costs(inp, options=OPTIONS, steps=year_steps(inp))
    assert isinstance(game, Game)
    assert game.grand_cost == pytest.approx(design.design.cost_eur_per_yr, rel=1e-7)
    pa, pb = game.cost({"p-a"}), game.cost({"p-b"})
    assert game.cost({"p-a", "p-b"}) < pa + pb  # complementary neighbours save together
    n = game.n
    for s in range(1, 1 << n):
        for t in range(1, 1 << n):
            if s & t == 0:
                assert game.costs[s | t] <= game.costs[s] + game.costs[t] + 1e-6 * game.grand_cost
    assert core_nonempty(game)


def test_model_is_reused_and_restored_between_coalitions():
    inp = neighbours()
    sm = build_model(inp, year_steps(inp), options=OPTIONS)
    first = coalition_cost(sm, frozenset({"p-a"}))
    both = coalition_cost(sm, frozenset({"p-a", "p-b"}))
    assert sm.solver_cache["coalitions"].cache.keys() == {
        frozenset({"p-a"}),
        frozenset({"p-a", "p-b"}),
    }
    assert coalition_cost(sm, frozenset({"p-a"})) == first
    assert both < first + coalition_cost(sm, frozenset({"p-b"}))
    assert all(v.value == 1 for v in sm.model.member.values())  # restored


def test_asset_owner_without_buildings_matters_only_with_others():
    hours = 48
    summer = np.r_[np.ones(24), np.zeros(24)]
    blds = [
        building("cool", cool=300.0 * summer, hours=hours, partner="venue"),
        building("heat", heat=400.0 * (1 - summer), x=80.0, hours=hours, partner="city"),
    ]
    ates = (AtesInput("ates", "utility", max_heat_kw=3000.0, balance_tolerance=1.0),)
    inp = inputs(
        blds,
        [("cool", "ates", 40.0), ("heat", "ates", 40.0)],
        t_air=np.where(summer > 0, 25.0, 0.0),
        hours=hours,
        ates=ates,
    )
    game = coalition_costs(inp, options=OPTIONS, steps=year_steps(inp))
    assert game.players == ("venue", "city", "utility")
    assert game.cost({"utility"}) == 0.0
    # heat and cold are six months apart: only the utility's ATES lets them exchange
    with_ates = game.cost({"venue", "city", "utility"})
    without = game.cost({"venue", "city"})
    assert without == pytest.approx(game.cost({"venue"}) + game.cost({"city"}), rel=1e-6)
    assert with_ates < without


def test_unknown_partner_is_an_input_error():
    with pytest.raises(InputError, match="unknown partners"):
        _solver(neighbours()).cost({"nobody"})


@pytest.mark.slow
def test_parallel_workers_give_the_same_game():
    inp = neighbours(distant_m=3000.0)
    serial = coalition_costs(inp, options=OPTIONS, steps=year_steps(inp))
    parallel = coalition_costs(inp, options=OPTIONS, steps=year_steps(inp), processes=2)
    np.testing.assert_allclose(parallel.costs, serial.costs, rtol=1e-7)


def test_resolve_at_another_gap_gives_a_bound_below_the_design():
    inp = neighbours()
    solver = CoalitionSolver(build_model(inp, year_steps(inp), options=OPTIONS))
    pair = {"p-a", "p-b"}
    first = solver.cost(pair)
    value, info = solver.resolve(pair, mip_gap=1e-4)
    # the same optimum within the gaps, and the solver's bound is a valid lower bound
    assert value == pytest.approx(first, rel=2e-4)
    assert info.bound_eur_per_yr <= value * (1 + 1e-9)
    assert info.bound_eur_per_yr >= value - 1e-4 * abs(value) - 1e-6
    assert solver.cache[frozenset(pair)] == value and solver.info[frozenset(pair)] is info
    assert all(v.value == 1 for v in solver.sm.model.member.values())  # restored
