"""Allocation rules against published solutions and closed-form game classes."""

import itertools
import math

import numpy as np
import pytest
from scipy.optimize import linprog

from tsg.common.errors import InputError
from tsg.optimisation.allocation import (
    MAX_PLAYERS,
    RULE_NAMES,
    Game,
    compare_rules,
    core_check,
    core_nonempty,
    equal_savings,
    equal_split,
    in_core,
    individually_rational,
    least_core,
    least_core_epsilon,
    nucleolus,
    proportional,
    rationality_violations,
    scrb,
    shapley_exact,
    shapley_sampled,
)
from tsg.optimisation.allocation.game import coalition_sums, membership_matrix


def game_from(players, table):
    """Game from {"ab": cost} with one-letter players."""
    return Game.from_mapping(players, {tuple(k): v for k, v in table.items()})


def approx_dict(expected, abs_tol=1e-6):
    return pytest.approx(expected, abs=abs_tol)


# ----------------------------------------------------------------------------- helpers
def airport_game(charges):
    """Airport game (Littlechild & Owen 1973): c(S) = largest runway cost needed by S."""
    players = tuple(f"p{i}" for i in range(len(charges)))
    return Game.from_function(players, lambda s: max(charges[int(name[1:])] for name in s)), players


def littlechild_owen_shapley(charges):
    """Littlechild & Owen (1973), Management Science 20(3):370-372.

    With c_1 <= ... <= c_n: phi_i = sum_{k<=i} (c_k - c_{k-1}) / (n - k + 1), c_0 = 0.
    """
    n = len(charges)
    order = sorted(range(n), key=lambda i: charges[i])
    phi = np.zeros(n)
    running, previous = 0.0, 0.0
    for rank, player in enumerate(order):
        running += (charges[player] - previous) / (n - rank)
        previous = charges[player]
        phi[player] = running
    return phi


def littlechild_nucleolus(charges):
    """Littlechild (1974), "A simple expression for the nucleolus in a special case".

    With c_1 <= ... <= c_n and k_0 = 0, repeat: r = min over k_{j-1} < k <= n-1 of
    (c_k - x(1..k_{j-1})) / (k - k_{j-1} + 1); players k_{j-1}+1 .. k_j (k_j the largest
    minimiser) pay r. The largest player pays the rest, c_n - x(1..n-1).
    """
    n = len(charges)
    order = sorted(range(n), key=lambda i: charges[i])
    c = [charges[i] for i in order]
    x = np.zeros(n)
    done, paid = 0, 0.0
    while done < n - 1:
        ratios = [(c[k - 1] - paid) / (k - done + 1) for k in range(done + 1, n)]
        r = min(ratios)
        k_j = done + 1 + max(i for i, v in enumerate(ratios) if v <= r + 1e-12)
        x[done:k_j] = r
        paid += r * (k_j - done)
        done = k_j
    x[n - 1] = c[n - 1] - paid
    result = np.zeros(n)
    result[order] = x
    return result


def naive_nucleolus(game):
    """The common mistake (Guajardo & Jörnsten 2015): after each LP, fix *every* coalition
    that is tight in the one (vertex) solution the solver returned."""
    n = game.n
    a = membership_matrix(n)[1:-1]
    c = game.costs[1:-1]
    free = np.ones(len(c), dtype=bool)
    eq_rows, eq_rhs = [np.ones(n)], [game.grand_cost]
    while np.linalg.matrix_rank(np.array(eq_rows)) < n:
        idx = np.flatnonzero(free)
        res = linprog(
            np.r_[np.zeros(n), 1.0],
            A_ub=np.hstack([a[idx], -np.ones((idx.size, 1))]),
            b_ub=c[idx],
            A_eq=np.hstack([np.array(eq_rows), np.zeros((len(eq_rows), 1))]),
            b_eq=eq_rhs,
            bounds=[(None, None)] * (n + 1),
            method="highs-ds",
        )
        t, x = res.x[-1], res.x[:n]
        for row in idx[a[idx] @ x - c[idx] >= t - 1e-9]:
            eq_rows.append(a[row])
            eq_rhs.append(c[row] + t)
            free[row] = False
    return np.linalg.lstsq(np.array(eq_rows), np.array(eq_rhs), rcond=None)[0]


def sorted_excesses(game, x):
    return np.sort((coalition_sums(x) - game.costs)[1:-1])[::-1]


def is_balanced(rows):
    """A collection of coalitions (0/1 rows) is balanced iff positive weights sum them to 1_N."""
    k, n = rows.shape
    res = linprog(
        np.r_[np.zeros(k), -1.0],
        A_ub=np.hstack([-np.eye(k), np.ones((k, 1))]),  # t <= lambda_S
        b_ub=np.zeros(k),
        A_eq=np.hstack([rows.T, np.zeros((n, 1))]),
        b_eq=np.ones(n),
        bounds=[(0, None)] * k + [(None, 1.0)],
        method="highs",
    )
    return res.status == 0 and -res.fun > 1e-9


def kohlberg_prenucleolus(game, x, tol=1e-7):
    """Kohlberg (1971) criterion: x is the pre-nucleolus iff every non-empty collection
    {S proper : e(S, x) >= alpha} is balanced (Kohlberg, SIAM J. Appl. Math. 20:62-66)."""
    a = membership_matrix(game.n)[1:-1]
    excess = a @ x - game.costs[1:-1]
    for alpha in np.unique(np.round(excess, 9))[::-1]:
        if not is_balanced(a[excess >= alpha - tol]):
            return False
    return True


# ----------------------------------------------------------------------------- published games
def test_glove_game_published_shapley_and_nucleolus():
    # The classic glove game (e.g. the "Glove game" example of the Wikipedia article
    # "Shapley value": Shapley value (2/3, 1/6, 1/6); its core is the single point (1, 0, 0),
    # hence so is the nucleolus): L owns a left glove, R1 and R2 right gloves; a pair is
    # worth 1. As a cost game with stand-alone cost 1 each: c(S) = |S| - v(S), so every rule
    # maps back by x_i = 1 - y_i.
    v = {"l": 0, "r": 0, "s": 0, "lr": 1, "ls": 1, "rs": 0, "lrs": 1}
    game = game_from("lrs", {k: len(k) - val for k, val in v.items()})
    assert shapley_exact(game) == approx_dict({"l": 1 / 3, "r": 5 / 6, "s": 5 / 6})
    assert nucleolus(game) == approx_dict({"l": 0.0, "r": 1.0, "s": 1.0})
    assert least_core_epsilon(game) == pytest.approx(0.0, abs=1e-9)
    assert core_nonempty(game)
    assert not in_core(game, shapley_exact(game))  # the core is the single point (0, 1, 1)


@pytest.mark.parametrize(
    "charges",
    [
        [1.0, 2.0, 3.0],
        [1.0, 1.0, 1.0],
        [10.0, 4.0, 7.0, 7.0, 15.0],
        [5.0, 30.0, 31.0, 32.0, 100.0, 101.0],
        [3.0, 3.0, 9.0, 12.0, 12.0, 12.0, 40.0],
    ],
)
def test_airport_games_closed_forms(charges):
    game, players = airport_game(charges)
    expected_shapley = dict(zip(players, littlechild_owen_shapley(charges), strict=True))
    expected_nucleolus = dict(zip(players, littlechild_nucleolus(charges), strict=True))
    assert shapley_exact(game) == approx_dict(expected_shapley)
    assert nucleolus(game) == approx_dict(expected_nucleolus)
    # Airport games are concave: the core is non-empty and contains Shapley and nucleolus.
    assert core_nonempty(game)
    assert in_core(game, shapley_exact(game))
    assert in_core(game, nucleolus(game))


def test_airport_hand_computed_three_players():
    # c = (1, 2, 3): Shapley (1/3, 5/6, 11/6); nucleolus (1/2, 3/4, 7/4), derived by hand:
    # e({1}) = x1 - 1 and e({2,3}) = -x1 balance at x1 = 1/2; then e({1,3}) = -x2 and
    # e({1,2}) = x2 - 3/2 balance at x2 = 3/4.
    game, players = airport_game([1.0, 2.0, 3.0])
    assert list(shapley_exact(game).values()) == pytest.approx([1 / 3, 5 / 6, 11 / 6])
    assert list(nucleolus(game).values()) == pytest.approx([0.5, 0.75, 1.75])


# ----------------------------------------------------------------------------- closed-form classes
def all_rules(game, weights=None):
    rules = {
        "equal_split": equal_split(game),
        "equal_savings": equal_savings(game),
        "shapley": shapley_exact(game),
        "nucleolus": nucleolus(game),
        "prenucleolus": nucleolus(game, prenucleolus=True),
        "scrb": scrb(game),
        "least_core": least_core(game).allocation,
    }
    if weights is not None:
        rules["proportional"] = proportional(game, weights)
    return rules


def test_additive_game_every_rule_gives_standalone():
    alone = {"a": 3.0, "b": 5.0, "c": 11.0, "d": 1.5}
    game = Game.from_function("abcd", lambda s: sum(alone[p] for p in s))
    for name, x in all_rules(game, weights=alone).items():
        if name == "equal_split":
            continue  # equal split ignores who causes which cost
        assert x == approx_dict(alone), name
    assert least_core_epsilon(game) == pytest.approx(0.0, abs=1e-9)


def test_symmetric_game_equal_shares():
    # c(S) depends on |S| only: every symmetric rule splits c(N) equally.
    size_cost = {1: 10.0, 2: 17.0, 3: 25.0, 4: 30.0, 5: 36.0}
    game = Game.from_function("abcde", lambda s: size_cost[len(s)])
    for name, x in all_rules(game).items():
        assert x == approx_dict(dict.fromkeys("abcde", 36.0 / 5)), name


def test_two_player_standard_solution():
    # Two players: Shapley = nucleolus = SCRB = equal savings = c_i - (c_1 + c_2 - c_12) / 2.
    game = game_from("ab", {"a": 100.0, "b": 60.0, "ab": 130.0})
    expected = {"a": 85.0, "b": 45.0}
    for name, x in all_rules(game).items():
        if name != "equal_split":
            assert x == approx_dict(expected), name


def test_proportional_and_weights_errors():
    game = game_from("ab", {"a": 100.0, "b": 60.0, "ab": 130.0})
    assert proportional(game, {"a": 3, "b": 1}) == approx_dict({"a": 97.5, "b": 32.5})
    with pytest.raises(InputError, match="positive"):
        proportional(game, {"a": 0, "b": 1})
    with pytest.raises(InputError, match="missing"):
        proportional(game, {"a": 1})
    with pytest.raises(InputError, match="unknown"):
        proportional(game, {"a": 1, "b": 1, "z": 1})
    with pytest.raises(InputError, match="positive"):
        proportional(game, {"a": math.nan, "b": 1})


def test_scrb_hand_computed_and_edge_case():
    # SC = c(N) - c(N\{i}) = (70, 50, 20) k; r = c({i}) - SC = (50, 45, 40) k;
    # NSC = 200 - 140 = 60 k shared 50:45:40.
    game = game_from(
        "aeg",
        {"a": 120, "e": 95, "g": 60, "ae": 180, "ag": 150, "eg": 130, "aeg": 200},
    )
    nsc = 60.0
    expected = {"a": 70 + nsc * 50 / 135, "e": 50 + nsc * 45 / 135, "g": 20 + nsc * 40 / 135}
    assert scrb(game) == approx_dict(expected)
    # Edge case: no positive remaining benefit (joining never helps): r_i <= 0 for all, so
    # NSC (here negative, a refund) is split equally.
    bad = game_from("ab", {"a": 1.0, "b": 1.0, "ab": 5.0})  # SC = (4, 4), r = (-3, -3)
    assert scrb(bad) == approx_dict({"a": 2.5, "b": 2.5})
    # One negative remaining benefit: SC = (4, 4, 3), r = (6, 6, -2), NSC = 4 shared 1:1:0.
    # Partner c then pays its separable cost 3 > c({c}) = 1: SCRB is not always rational.
    mixed = game_from("abc", {"a": 10, "b": 10, "c": 1, "ab": 12, "ac": 11, "bc": 11, "abc": 15})
    assert scrb(mixed) == approx_dict({"a": 6.0, "b": 6.0, "c": 3.0})
    assert not individually_rational(mixed, scrb(mixed))


def test_single_player_game():
    game = Game(("solo",), np.array([0.0, 42.0]))
    for x in all_rules(game).values():
        assert x == approx_dict({"solo": 42.0})
    comparison = compare_rules(game)
    assert comparison.core_nonempty
    assert comparison.to_json_dict()["least_core_epsilon"] == 0.0


# ----------------------------------------------------------------------------- core / least core
def pairs_game(grand):
    # c({i}) = 1, every pair 1, c(N) = grand: the core needs 2 c(N) <= 3, so it is empty for
    # grand > 1.5. Least core: 2 c(N)/3 - 1 = eps* (pairs bind).
    return game_from("abc", {"a": 1, "b": 1, "c": 1, "ab": 1, "ac": 1, "bc": 1, "abc": grand})


def test_empty_core_game():
    game = pairs_game(1.6)
    assert not core_nonempty(game)
    lc = least_core(game)
    assert lc.epsilon == pytest.approx(2 * 1.6 / 3 - 1)  # = 1/15
    assert lc.allocation == approx_dict(dict.fromkeys("abc", 1.6 / 3))
    check = core_check(game, lc.allocation)
    assert not check.in_core
    assert len(check.blocking_coalition) == 2
    assert check.margin == pytest.approx(1 / 15)
    comparison = compare_rules(game)
    assert not comparison.core_nonempty
    assert not any(r.in_core for r in comparison.rules.values())


def test_non_empty_core_negative_epsilon():
    game = pairs_game(1.4)
    assert core_nonempty(game)
    assert least_core_epsilon(game) == pytest.approx(2 * 1.4 / 3 - 1)  # = -1/15 < 0
    assert in_core(game, nucleolus(game))


def test_core_check_reports_most_blocking_coalition():
    game = game_from(
        "aeg",
        {"a": 120, "e": 95, "g": 60, "ae": 180, "ag": 150, "eg": 130, "aeg": 200},
    )
    x = {"a": 40.0, "e": 80.0, "g": 80.0}  # e+g pay 160 > 130 on their own
    check = core_check(game, x)
    assert not check.in_core
    assert check.blocking_coalition == ("e", "g")
    assert check.margin == pytest.approx(30.0)
    assert individually_rational(game, x) is False
    assert rationality_violations(game, x) == approx_dict({"g": 20.0})
    inefficient = core_check(game, {"a": 10.0, "e": 10.0, "g": 10.0})
    assert not inefficient.in_core
    assert inefficient.efficiency_gap == pytest.approx(-170.0)


# ----------------------------------------------------------------------------- degenerate nucleolus
DEGENERATE = {"1": 10, "2": 10, "3": 10, "12": 10, "13": 20, "23": 20, "123": 20}


def test_degenerate_game_naive_nucleolus_goes_wrong():
    # Stage 1 optimum t* = 0 is attained for x = (s, 10 - s, 10), 0 <= s <= 10. A vertex
    # (s = 0 or 10) also makes {2}, {2,3} (or {1}, {1,3}) tight; fixing those is the mistake
    # described by Guajardo & Jörnsten (2015). Only {3} and {1,2} are tight in every optimum;
    # stage 2 then balances e({1}) = s - 10 and e({2,3}) = -s at s = 5.
    game = game_from("123", DEGENERATE)
    correct = nucleolus(game)
    assert correct == approx_dict({"1": 5.0, "2": 5.0, "3": 10.0})
    x = np.array(list(correct.values()))
    naive = naive_nucleolus(game)
    assert not np.allclose(naive, x, atol=1e-6)
    # The naive result is lexicographically worse: its sorted excess vector is larger.
    worse, better = sorted_excesses(game, naive), sorted_excesses(game, x)
    first = np.flatnonzero(~np.isclose(worse, better))[0]
    assert worse[first] > better[first]
    assert kohlberg_prenucleolus(game, x)
    assert not kohlberg_prenucleolus(game, naive)


def test_degenerate_four_player_game_kohlberg():
    # Singletons and pairs cost 10, triples and N 20, except {a, c} = 20. Stage 1 has a
    # degenerate optimal face; the result must satisfy Kohlberg's criterion, and whenever the
    # naive variant lands elsewhere (with HiGHS 1.x it returns (5, 5, 5, 5)) it is worse.
    table = {}
    for size in range(1, 5):
        for s in itertools.combinations("abcd", size):
            key = "".join(s)
            table[key] = {1: 10, 2: 10, 3: 20, 4: 20}[size]
    table["ac"] = 20
    game = game_from("abcd", table)
    x = np.array(list(nucleolus(game, prenucleolus=True).values()))
    assert kohlberg_prenucleolus(game, x)
    assert x == pytest.approx([20 / 3, 10 / 3, 20 / 3, 10 / 3])  # a, c symmetric; b, d too
    naive = naive_nucleolus(game)
    if not np.allclose(naive, x, atol=1e-6):
        worse, better = sorted_excesses(game, naive), sorted_excesses(game, x)
        first = np.flatnonzero(~np.isclose(worse, better))[0]
        assert worse[first] > better[first]


def test_nucleolus_needs_an_imputation():
    game = game_from("ab", {"a": 1.0, "b": 1.0, "ab": 5.0})  # c(N) > c(a) + c(b)
    with pytest.raises(InputError, match="individually rational"):
        nucleolus(game)
    pre = nucleolus(game, prenucleolus=True)
    assert pre == approx_dict({"a": 2.5, "b": 2.5})
    comparison = compare_rules(game)
    assert comparison.notes
    assert comparison.rules["nucleolus"].cost == approx_dict(pre)


def test_large_costs_are_handled_in_euro():
    # Covariance at the scale of real grid costs (millions of euro).
    base = game_from("123", DEGENERATE)
    shift = np.array([2.0e6, 1.5e6, 3.0e6])
    game = base.transformed(12_345.0, shift)
    expected = 12_345.0 * np.array([5.0, 5.0, 10.0]) + shift
    assert list(nucleolus(game).values()) == pytest.approx(expected, abs=1e-3)


# ----------------------------------------------------------------------------- sampled Shapley
def test_sampled_shapley_on_game_close_to_exact():
    game, players = airport_game([10.0, 4.0, 7.0, 7.0, 15.0, 22.0])
    exact = shapley_exact(game)
    est = shapley_sampled(game, 4000, seed=7)
    assert sum(est.values.values()) == pytest.approx(game.grand_cost)
    for p in players:
        assert abs(est.values[p] - exact[p]) <= 4 * est.standard_error[p] + 1e-12
        assert est.half_width_95[p] == pytest.approx(1.959963984540054 * est.standard_error[p])
    again = shapley_sampled(game, 4000, seed=7)
    assert again.values == est.values


def test_sampled_shapley_cost_function_30_players_with_cache():
    rng = np.random.default_rng(3)
    charges = list(rng.uniform(1e4, 1e5, size=30))
    players = [f"p{i}" for i in range(30)]
    calls = []

    def cost(coalition):
        calls.append(coalition)
        return max(charges[int(p[1:])] for p in coalition)

    est = shapley_sampled(cost, 400, seed=11, players=players)
    assert len(calls) == len(set(calls)) == est.n_evaluations  # each coalition once
    assert sum(est.values.values()) == pytest.approx(max(charges))
    exact = littlechild_owen_shapley(charges)
    z = np.array(
        [
            (est.values[p] - exact[i]) / max(est.standard_error[p], 1e-9)
            for i, p in enumerate(players)
        ]
    )
    assert np.all(np.abs(z) < 5)
    # The smallest player pays c_min only when it arrives first: Shapley = c_min / 30 exactly,
    # and every sampled order charges it 0 or c_min.
    smallest = players[int(np.argmin(charges))]
    assert 0 <= est.values[smallest] <= min(charges)


def test_sampled_shapley_error_shrinks_with_samples():
    game, players = airport_game([3.0, 9.0, 12.0, 40.0, 41.0, 55.0, 70.0])
    small = shapley_sampled(game, 400, seed=1)
    large = shapley_sampled(game, 6400, seed=1)
    ratio = np.mean([small.standard_error[p] / large.standard_error[p] for p in players[:-1]])
    assert ratio == pytest.approx(4.0, rel=0.25)  # 1 / sqrt(n): 16x samples -> 4x smaller


def test_sampled_shapley_errors():
    game = game_from("ab", {"a": 1.0, "b": 1.0, "ab": 1.5})
    with pytest.raises(InputError, match="at least 2"):
        shapley_sampled(game, 1, seed=0)
    with pytest.raises(InputError, match="players"):
        shapley_sampled(lambda s: 1.0, 10, seed=0)
    with pytest.raises(InputError, match="finite"):
        shapley_sampled(lambda s: math.inf, 10, seed=0, players=["a", "b"])


# ----------------------------------------------------------------------------- game validation
def test_game_validation_errors():
    with pytest.raises(InputError, match="missing"):
        game_from("ab", {"a": 1, "b": 1})
    with pytest.raises(InputError, match="unknown player 'z'"):
        game_from("ab", {"a": 1, "b": 1, "ab": 2, "z": 1})
    with pytest.raises(InputError, match="twice"):
        Game.from_mapping("ab", {("a",): 1, ("b",): 1, ("a", "b"): 2, ("b", "a"): 2})
    with pytest.raises(InputError, match="twice"):
        Game.from_mapping("ab", {("a",): 1, ("b",): 1, ("a", "a", "b"): 2})
    with pytest.raises(InputError, match="listed twice"):
        Game(("a", "a"), np.zeros(4))
    with pytest.raises(InputError, match="finite"):
        game_from("ab", {"a": 1, "b": math.nan, "ab": 2})
    with pytest.raises(InputError, match="finite"):
        Game(("a",), np.array([0.0, math.inf]))
    with pytest.raises(InputError, match=f"at most {MAX_PLAYERS}"):
        Game(tuple(f"p{i}" for i in range(MAX_PLAYERS + 1)), np.zeros(2))
    with pytest.raises(InputError, match="empty coalition"):
        Game(("a",), np.array([1.0, 2.0]))


def test_compare_rules_json_shape():
    game = game_from(
        "aeg",
        {"a": 120, "e": 95, "g": 60, "ae": 180, "ag": 150, "eg": 130, "aeg": 200},
    )
    doc = compare_rules(game, weights={"a": 2, "e": 1, "g": 1}).to_json_dict()
    assert list(doc) == ["players", "rules", "core_nonempty", "least_core_epsilon", "in_core"]
    assert list(doc["rules"]) == list(RULE_NAMES)
    assert list(doc["in_core"]) == list(RULE_NAMES)
    for costs in doc["rules"].values():
        assert list(costs) == ["a", "e", "g"]
        assert sum(costs.values()) == pytest.approx(200.0, abs=1e-5)
    assert doc["core_nonempty"] is True
    assert doc["least_core_epsilon"] == pytest.approx(-20.0)
    assert doc["rules"]["nucleolus"] == approx_dict({"a": 90.0, "e": 70.0, "g": 40.0})
    no_weights = compare_rules(game).to_json_dict()
    assert "proportional" not in no_weights["rules"]
    result = compare_rules(game).rules["equal_split"]
    assert result.saving["a"] == pytest.approx(120 - 200 / 3)
    assert not result.individually_rational
