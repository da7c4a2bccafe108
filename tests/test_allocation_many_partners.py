"""Many partners: least core / nucleolus by constraint generation, sampled Shapley on solves.

Independent answers: the least core and pre-nucleolus of the enumerated game
(:mod:`optimisation.allocation.nucleolus`, one LP over all coalitions), closed-form values of
symmetric games, and the exact Shapley value of the enumerated game.
"""

import json

import numpy as np
import pytest
import yaml
from sizing_cases import building, inputs, year_steps

from tsg.allocation_many import ManyPartnersResult
from tsg.demand import district_demand
from tsg.district import load_district
from tsg.optimisation.allocation import (
    Game,
    least_core_epsilon,
    nucleolus,
    shapley_exact,
    shapley_sampled,
)
from tsg.optimisation.allocation.constraint_generation import (
    Separation,
    enumerated_separation,
    least_core_by_generation,
)
from tsg.optimisation.sizing import (
    AtesInput,
    CoalitionSolver,
    SizingOptions,
    build_model,
    coalition_costs,
)
from tsg.optimisation.sizing.coalition_separation import CoalitionSeparator
from tsg.stages import RunContext, RunSettings, allocation
from tsg.synthetic import synthetic_district_document

OPTIONS = SizingOptions(n_typical_periods=None, mip_gap=1e-6)


def _random_game(n: int, seed: int) -> Game:
    """A random, roughly subadditive cost game with an empty or non-empty core."""
    rng = np.random.default_rng(seed)
    weights = rng.uniform(1.0, 10.0, n)
    costs = np.zeros(1 << n)
    for mask in range(1, 1 << n):
        members = [i for i in range(n) if mask >> i & 1]
        costs[mask] = weights[members].sum() * (0.7 + 0.3 * rng.random()) + rng.uniform(0, 3)
    return Game(tuple(f"p{i}" for i in range(n)), costs)


# ------------------------------------------------------------------ master loop, cost tables
@pytest.mark.parametrize("n", [3, 4, 5, 6, 8])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_generated_least_core_and_nucleolus_equal_the_enumerated_ones(n, seed):
    game = _random_game(n, seed)
    found = least_core_by_generation(
        game.players, game.cost, enumerated_separation(game), nucleolus=True
    )
    assert found.stopped == "converged" and found.decided and found.nucleolus_verified
    assert found.epsilon == pytest.approx(least_core_epsilon(game), abs=1e-7)
    assert found.epsilon_upper == pytest.approx(found.epsilon, abs=1e-7)
    exact = nucleolus(game, prenucleolus=True)
    for p in game.players:
        assert found.allocation[p] == pytest.approx(exact[p], abs=1e-6)
    assert sum(found.allocation.values()) == pytest.approx(game.grand_cost)
    if n >= 6:  # the point of the method: far fewer coalitions than 2^n - 2
        assert len(found.coalitions) < (1 << n) - 2


def test_symmetric_game_has_its_closed_form_least_core():
    # c(S) = f(|S|): the least core is x_i = c(N) / n and eps = max_s (s c(N) / n - f(s))
    f = [0.0, 10.0, 14.0, 21.0, 26.0]
    game = Game(("a", "b", "c", "d"), [f[bin(m).count("1")] for m in range(16)])
    found = least_core_by_generation(game.players, game.cost, enumerated_separation(game))
    assert found.epsilon == pytest.approx(-1.0)  # pairs: 2 * 6.5 - 14
    assert found.core_verdict == "holds"
    assert all(v == pytest.approx(6.5) for v in found.allocation.values())


def test_an_unproven_separation_leaves_the_least_core_value_as_an_interval():
    game = _random_game(5, 3)
    exact = enumerated_separation(game)

    def loose(x, excluded):  # a MILP stopped at its time limit: bound 2 above what it found
        found = exact(x, excluded)
        return Separation((), found.bound_eur_per_yr + 2.0, found.bound_eur_per_yr, "time_limit")

    found = least_core_by_generation(game.players, game.cost, loose)
    assert found.stopped == "no_new_coalition" and not found.decided
    assert found.epsilon <= least_core_epsilon(game) + 1e-9 <= found.epsilon_upper + 2e-9
    assert found.max_separation_gap_eur_per_yr == pytest.approx(2.0)


def test_cost_bounds_widen_the_interval_around_the_least_core_value():
    game = _random_game(6, 4)
    exact = least_core_epsilon(game)
    found = least_core_by_generation(
        game.players,
        game.cost,
        enumerated_separation(game),
        lower_cost=lambda s: game.cost(s) - 0.5,  # every solve proven within 0.5
    )
    assert found.epsilon_found == pytest.approx(exact, abs=1e-7)
    assert found.epsilon < exact - 0.05 and found.epsilon_upper > exact + 0.05
    assert found.epsilon <= exact <= found.epsilon_upper
    assert not found.decided


# ------------------------------------------------------------------ a real district
def _district():
    """Five partners: two heated and two cooled buildings in a row, a utility's ATES."""
    hours = 48
    summer = np.r_[np.ones(24), np.zeros(24)]
    blds = [
        building("h1", heat=400.0 * (1 - summer) + 50, hours=hours, partner="city"),
        building("c1", cool=300.0 * summer, x=60.0, hours=hours, partner="venue"),
        building("h2", heat=250.0, x=120.0, hours=hours, partner="homes"),
        building("c2", cool=200.0 * summer + 80, x=180.0, hours=hours, partner="office"),
    ]
    ates = (AtesInput("ates", "utility", max_heat_kw=3000.0, balance_tolerance=1.0),)
    edges = [("h1", "ates", 40.0), ("c1", "ates", 40.0), ("c1", "h2", 60.0), ("h2", "c2", 60.0)]
    return inputs(blds, edges, t_air=np.where(summer > 0, 25.0, 0.0), hours=hours, ates=ates)


@pytest.fixture(scope="module")
def district():
    inp = _district()
    steps = year_steps(inp)
    game = coalition_costs(inp, options=OPTIONS, steps=steps)
    return inp, steps, game


def test_milp_separation_gives_the_enumerated_least_core_and_nucleolus(district):
    inp, steps, game = district
    solver = CoalitionSolver(build_model(inp, steps, options=OPTIONS))
    separator = CoalitionSeparator(
        build_model(inp, steps, options=OPTIONS), abs_gap_eur_per_yr=0.01
    )
    found = least_core_by_generation(
        solver.partners, solver.cost, separator, tolerance_eur_per_yr=0.01, nucleolus=True
    )
    assert found.stopped == "converged" and found.decided
    tolerance = 1e-5 * game.grand_cost  # the coalition solves' MIP gap (1e-6) and more
    assert found.epsilon == pytest.approx(least_core_epsilon(game), abs=tolerance)
    assert found.epsilon_upper <= found.epsilon + 0.01 + 1e-9
    assert found.separations >= 2 and found.max_separation_gap_eur_per_yr <= 0.01 + 1e-9
    assert found.nucleolus_verified
    exact = nucleolus(game, prenucleolus=True)
    for p in game.players:
        assert found.allocation[p] == pytest.approx(exact[p], abs=tolerance)
    # the model keeps its separation form; the coalition solver was not touched
    assert all(v.value == 1 for v in solver.sm.model.member.values())


def test_separation_milp_finds_the_most_violated_coalition(district):
    inp, steps, game = district
    separator = CoalitionSeparator(
        build_model(inp, steps, options=OPTIONS), abs_gap_eur_per_yr=0.01
    )
    x = dict(zip(game.players, np.full(game.n, game.grand_cost / game.n), strict=True))
    found = separator(x, [frozenset(game.players)])
    excess = np.array([sum(x[p] for p in game.members(m)) for m in range(1 << game.n)])
    excess = excess - game.costs
    best = max(range(1, game.grand_mask), key=lambda m: excess[m])
    assert found.status == "optimal"
    assert found.bound_eur_per_yr == pytest.approx(excess[best], abs=1e-5 * game.grand_cost)
    assert found.coalitions[0] == frozenset(game.members(best))
    again = separator(x, [found.coalitions[0]])  # excluded now: the next best
    second = sorted(excess[1 : game.grand_mask])[-2]
    assert again.bound_eur_per_yr == pytest.approx(second, abs=1e-5 * game.grand_cost)


def test_sampled_shapley_on_solves_covers_the_exact_value(district):
    inp, steps, game = district
    solver = CoalitionSolver(build_model(inp, steps, options=OPTIONS))
    players = ("city", "venue", "homes", "office")  # four partners: the utility left out
    four = Game.from_function(players, solver.cost)
    exact = shapley_exact(four)
    few = shapley_sampled(solver.cost, 25, seed=3, players=players)
    many = shapley_sampled(solver.cost, 400, seed=3, players=players)
    for p in players:
        assert abs(many.values[p] - exact[p]) <= many.half_width_95[p]
        assert many.standard_error[p] < 0.5 * few.standard_error[p]
    assert sum(many.values.values()) == pytest.approx(four.grand_cost)
    assert many.n_evaluations <= 15


# ------------------------------------------------------------------ the stage hook
def test_stage_above_the_threshold_samples_and_generates(tmp_path, monkeypatch):
    doc = synthetic_district_document(
        n_buildings=3, seed=5, n_partners=3, mix={"residential": 1.0, "cinema": 1.0}
    )
    path = tmp_path / "district.yaml"
    path.write_text(yaml.safe_dump(json.loads(json.dumps(doc, default=float))), encoding="utf-8")
    district = load_district(path)
    options = SizingOptions(n_typical_periods=1, mip_gap=1e-6, time_limit_s=60.0)
    settings = RunSettings(allocation_options=options, processes=1)
    ctx = RunContext.of(
        district, path, demand=district_demand(district, district_file=path), settings=settings
    )
    monkeypatch.setattr(allocation, "MANY_PARTNERS", 2)
    result = allocation.compute(ctx)
    assert isinstance(result, ManyPartnersResult)
    assert result.players == ("partner-0", "partner-1", "partner-2")
    lc = result.least_core
    assert lc.decided and lc.core_verdict in ("holds", "fails")
    assert sum(result.shapley.values.values()) == pytest.approx(result.grand_cost)
    files = allocation.write(result, tmp_path / "run")
    assert [f.name for f in files] == ["allocation_many.json", "allocation_many.csv"]
    document = json.loads(files[0].read_text(encoding="utf-8"))
    assert document["least_core"]["milp_solves"] == lc.separations
    assert len(document["partners"]) == 3 and document["limits"]
