"""Property-based tests of the allocation rules on random cost games (hypothesis)."""

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from tsg.optimisation.allocation import (
    Game,
    compare_rules,
    core_nonempty,
    in_core,
    least_core_epsilon,
    nucleolus,
    shapley_exact,
)
from tsg.optimisation.allocation.game import coalition_sums, membership_matrix
from tsg.optimisation.allocation.nucleolus import nucleolus_values
from tsg.optimisation.allocation.shapley import shapley_values

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def names(n):
    return tuple(f"p{i}" for i in range(n))


@st.composite
def random_games(draw, min_n=2, max_n=4):
    """Arbitrary cost games: integer costs 0..100 for every coalition."""
    n = draw(st.integers(min_n, max_n))
    costs = draw(st.lists(st.integers(0, 100), min_size=(1 << n) - 1, max_size=(1 << n) - 1))
    return Game(names(n), np.array([0, *costs], dtype=float))


@st.composite
def core_games(draw, min_n=2, max_n=4):
    """Games with a non-empty core: c(S) = max_k a^k(S) for additive a^k (the a^k with the
    largest total is a core allocation)."""
    n = draw(st.integers(min_n, max_n))
    k = draw(st.integers(1, 3))
    vectors = np.array(
        draw(
            st.lists(st.lists(st.integers(1, 50), min_size=n, max_size=n), min_size=k, max_size=k)
        ),
        dtype=float,
    )
    costs = np.max(np.stack([coalition_sums(v) for v in vectors]), axis=0)
    return Game(names(n), costs)


@st.composite
def games(draw, min_n=2, max_n=4):
    return draw(st.one_of(random_games(min_n, max_n), core_games(min_n, max_n)))


def has_imputation(game):
    return game.grand_cost <= game.standalone.sum() + 1e-9


def swap_bits(mask, i, j):
    bi, bj = mask >> i & 1, mask >> j & 1
    if bi != bj:
        mask ^= (1 << i) | (1 << j)
    return mask


# ----------------------------------------------------------------------------- efficiency
@SETTINGS
@given(games(), st.lists(st.floats(0.1, 10.0), min_size=4, max_size=4))
def test_every_rule_is_efficient(game, raw_weights):
    weights = dict(zip(game.players, raw_weights, strict=False))
    comparison = compare_rules(game, weights=weights)
    scale = max(1.0, float(np.abs(game.costs).max()))
    for name, result in comparison.rules.items():
        assert sum(result.cost.values()) == pytest.approx(game.grand_cost, abs=1e-7 * scale), name


# ----------------------------------------------------------------------------- symmetry
@SETTINGS
@given(games(min_n=2, max_n=4))
def test_symmetric_players_get_equal_shares(game):
    # Symmetrise in players 0 and 1: c'(S) = c(S) + c(swap(S)).
    masks = np.arange(1 << game.n)
    swapped = np.array([swap_bits(int(m), 0, 1) for m in masks])
    sym = Game(game.players, game.costs + game.costs[swapped])
    rules = {
        "shapley": shapley_values(sym),
        "prenucleolus": nucleolus_values(sym, prenucleolus=True),
    }
    if has_imputation(sym):
        rules["nucleolus"] = nucleolus_values(sym)
    for name, x in rules.items():
        assert x[0] == pytest.approx(x[1], abs=1e-6), name
    doc = compare_rules(sym).to_json_dict()["rules"]
    for name in ("equal_savings", "scrb", "least_core"):
        assert doc[name]["p0"] == pytest.approx(doc[name]["p1"], abs=1e-5), name


# ----------------------------------------------------------------------------- dummy player
@SETTINGS
@given(games(min_n=1, max_n=3), st.integers(0, 60))
def test_dummy_player_pays_its_own_cost(game, own):
    # Add player d with c(S + d) = c(S) + own for every S (including c({d}) = own).
    n = game.n
    costs = np.concatenate([game.costs, game.costs + own])
    extended = Game((*game.players, "d"), costs)
    assert shapley_values(extended)[n] == pytest.approx(own, abs=1e-9)
    assert nucleolus_values(extended, prenucleolus=True)[n] == pytest.approx(own, abs=1e-6)
    if has_imputation(extended):
        assert nucleolus_values(extended)[n] == pytest.approx(own, abs=1e-6)


# ----------------------------------------------------------------------------- covariance
@SETTINGS
@given(
    games(min_n=2, max_n=4),
    st.floats(0.01, 1000.0),
    st.lists(st.floats(-1e4, 1e4), min_size=4, max_size=4),
)
def test_covariance_under_positive_affine_maps(game, scale, shift_list):
    shift = np.array(shift_list[: game.n])
    moved = game.transformed(scale, shift)
    tol = 1e-6 * (1.0 + scale * 100 + np.abs(shift).max())
    assert shapley_values(moved) == pytest.approx(scale * shapley_values(game) + shift, abs=tol)
    pre = nucleolus_values(game, prenucleolus=True)
    moved_pre = nucleolus_values(moved, prenucleolus=True)
    assert moved_pre == pytest.approx(scale * pre + shift, abs=tol)
    if has_imputation(game):
        assert nucleolus_values(moved) == pytest.approx(
            scale * nucleolus_values(game) + shift, abs=tol
        )
    assert least_core_epsilon(moved) == pytest.approx(scale * least_core_epsilon(game), abs=tol)


# ----------------------------------------------------------------------------- core
@SETTINGS
@given(games(min_n=2, max_n=5))
def test_nucleolus_in_core_whenever_core_nonempty(game):
    if core_nonempty(game):
        assert in_core(game, nucleolus(game))
        assert least_core_epsilon(game) <= 1e-7 * max(1.0, np.abs(game.costs).max())
    else:
        assert least_core_epsilon(game) > 0


@SETTINGS
@given(core_games(min_n=2, max_n=5))
def test_constructed_core_games_have_nonempty_core(game):
    assert core_nonempty(game)
    assert in_core(game, nucleolus(game))


@SETTINGS
@given(random_games(min_n=2, max_n=4))
def test_core_nonempty_agrees_with_direct_lp(game):
    # Independent formulation: is {x : x(N) = c(N), x(S) <= c(S)} feasible?
    a = membership_matrix(game.n)
    res = linprog(
        np.zeros(game.n),
        A_ub=a[1:-1],
        b_ub=game.costs[1:-1] + 1e-9,
        A_eq=a[-1:],
        b_eq=[game.grand_cost],
        bounds=[(None, None)] * game.n,
        method="highs",
    )
    assert core_nonempty(game) == (res.status == 0)


# ----------------------------------------------------------------------------- nucleolus optimality
def _is_balanced(rows):
    k, n = rows.shape
    res = linprog(
        np.r_[np.zeros(k), -1.0],
        A_ub=np.hstack([-np.eye(k), np.ones((k, 1))]),
        b_ub=np.zeros(k),
        A_eq=np.hstack([rows.T, np.zeros((n, 1))]),
        b_eq=np.ones(n),
        bounds=[(0, None)] * k + [(None, 1.0)],
        method="highs",
    )
    return res.status == 0 and -res.fun > 1e-9


@SETTINGS
@given(games(min_n=2, max_n=4))
def test_prenucleolus_satisfies_kohlberg_criterion(game):
    # Kohlberg (1971): x is the pre-nucleolus iff every collection of coalitions with
    # excess >= alpha is balanced. An independent check of the LP sequence.
    x = nucleolus_values(game, prenucleolus=True)
    a = membership_matrix(game.n)[1:-1]
    excess = a @ x - game.costs[1:-1]
    levels = np.unique(np.round(excess, 6))[::-1]
    for alpha in levels:
        assert _is_balanced(a[excess >= alpha - 1e-6]), alpha


@SETTINGS
@given(games(min_n=2, max_n=4))
def test_shapley_matches_permutation_definition(game):
    import itertools

    n = game.n
    total = np.zeros(n)
    orders = list(itertools.permutations(range(n)))
    for order in orders:
        mask = 0
        for i in order:
            total[i] += game.costs[mask | 1 << i] - game.costs[mask]
            mask |= 1 << i
    assert shapley_values(game) == pytest.approx(total / len(orders), abs=1e-9)
    assert sum(shapley_exact(game).values()) == pytest.approx(game.grand_cost)


@SETTINGS
@given(random_games(min_n=2, max_n=3))
def test_nucleolus_is_lexicographically_minimal_against_core_points(game):
    # No random imputation may have a lexicographically smaller sorted excess vector.
    assume(has_imputation(game))
    x = nucleolus_values(game)
    best = np.sort((coalition_sums(x) - game.costs)[1:-1])[::-1]
    rng = np.random.default_rng(0)
    for _ in range(50):
        y = rng.dirichlet(np.ones(game.n))
        # random imputation: x_i <= c_i, x(N) = c(N)
        slack = game.standalone.sum() - game.grand_cost
        z = game.standalone - y * slack
        ez = np.sort((coalition_sums(z) - game.costs)[1:-1])[::-1]
        diff = np.flatnonzero(~np.isclose(ez, best, atol=1e-7))
        if diff.size:
            assert ez[diff[0]] > best[diff[0]]
