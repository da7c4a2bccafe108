"""Interval games: verdicts on hand-made 3-player games whose answers are worked out below.

Players a, b, c (masks: a=1, b=2, ab=3, c=4, ac=5, bc=6, abc=7). For three players the core
is non-empty iff c(N) <= every sum over a balanced collection: c(a)+c(b)+c(c),
c(ij)+c(k) and (c(ab)+c(ac)+c(bc))/2. With symmetric costs the least core has a symmetric
point x_i = c(N)/3, so eps* = max(2 c(N)/3 - c(pair), c(N)/3 - c(single)).
"""

import numpy as np
import pytest

from tsg.common.errors import InputError
from tsg.optimisation.allocation import Game, shapley_exact
from tsg.optimisation.allocation.intervals import (
    FAILS,
    HOLDS,
    UNDECIDED,
    IntervalGame,
    core_verdict,
    deciding_coalitions,
    rule_verdict,
)
from tsg.optimisation.allocation.verdicts import judge

PLAYERS = ("a", "b", "c")
AB, AC, BC, N = 3, 5, 6, 7


def game(single, pair, grand):
    """Symmetric interval game: each argument is (lower, upper) [EUR/yr]."""
    lower, upper = np.zeros(8), np.zeros(8)
    for mask, (lo, hi) in {1: single, 2: single, 4: single, AB: pair, AC: pair, BC: pair}.items():
        lower[mask], upper[mask] = lo, hi
    lower[N], upper[N] = grand
    return IntervalGame(PLAYERS, lower, upper)


def test_core_surely_nonempty():
    # worst case: pairs 140, N 205: (3 * 140) / 2 = 210 >= 205 -> non-empty everywhere;
    # eps* high = 2 * 205 / 3 - 140 = -3.33, low = 2 * 200 / 3 - 150 = -16.67
    verdict = core_verdict(game((90, 100), (140, 150), (200, 205)))
    assert verdict.nonempty == HOLDS
    assert verdict.epsilon_high_eur_per_yr == pytest.approx(410 / 3 - 140)
    assert verdict.epsilon_low_eur_per_yr == pytest.approx(400 / 3 - 150)


def test_core_surely_empty():
    # best case: pairs 110, N 170: 165 < 170 -> empty everywhere; eps* in [3.33, 20]
    verdict = core_verdict(game((100, 100), (100, 110), (170, 180)))
    assert verdict.nonempty == FAILS
    assert verdict.epsilon_low_eur_per_yr == pytest.approx(340 / 3 - 110)
    assert verdict.epsilon_high_eur_per_yr == pytest.approx(20.0)


def test_core_undecided_when_the_bounds_straddle():
    # pairs 135, N 210: 202.5 < 210 (empty); pairs 150, N 200: 225 >= 200 (non-empty)
    verdict = core_verdict(game((90, 100), (135, 150), (200, 210)))
    assert verdict.nonempty == UNDECIDED
    assert verdict.epsilon_low_eur_per_yr == pytest.approx(400 / 3 - 150)
    assert verdict.epsilon_high_eur_per_yr == pytest.approx(5.0)


def test_the_grand_coalition_bound_matters_for_the_core():
    # exact proper costs, only c(N) uncertain: pairs 150 -> non-empty iff c(N) <= 225
    assert core_verdict(game((100, 100), (150, 150), (220, 224))).nonempty == HOLDS
    assert core_verdict(game((100, 100), (150, 150), (220, 230))).nonempty == UNDECIDED
    assert core_verdict(game((100, 100), (150, 150), (226, 230))).nonempty == FAILS


def test_allocation_surely_in_the_core():
    # x(ab) = x(ac) = 135 <= 140, x(bc) = 140 <= 140 (lower), x_i <= 90
    verdict = rule_verdict(game((90, 100), (140, 150), (200, 205)), {"a": 65, "b": 70, "c": 70})
    assert verdict.in_core == HOLDS
    assert verdict.individually_rational == HOLDS
    assert verdict.surely_blocking == 0 and verdict.possibly_blocking == 0
    assert verdict.blocking_coalition == ("b", "c")
    assert (verdict.excess_low_eur_per_yr, verdict.excess_high_eur_per_yr) == (-10.0, 0.0)
    a = verdict.partners["a"]
    assert (a.margin_low_eur_per_yr, a.margin_high_eur_per_yr) == (25.0, 35.0)
    assert (a.standalone_low_eur_per_yr, a.standalone_high_eur_per_yr) == (90.0, 100.0)


def test_allocation_undecided():
    # x(bc) = 150 lies in (135, 150]: blocking only if c(bc) turns out below 150
    verdict = rule_verdict(game((90, 100), (135, 150), (200, 210)), {"a": 60, "b": 75, "c": 75})
    assert verdict.in_core == UNDECIDED
    assert verdict.blocking_coalition == ("b", "c")
    assert (verdict.excess_low_eur_per_yr, verdict.excess_high_eur_per_yr) == (0.0, 15.0)
    assert verdict.surely_blocking == 0 and verdict.possibly_blocking == 1
    assert verdict.individually_rational == HOLDS


def test_allocation_surely_not_in_the_core_and_a_partner_not_rational():
    # x = (104, 56, 50): x(ab) = 160 > 150 by 10 (the largest certain excess), x(ac) = 154 > 150
    # by 4, x(a) = 104 > 100 by 4; a's margin is [90 - 104, 100 - 104]
    igame = game((90, 100), (135, 150), (200, 210))
    verdict = rule_verdict(igame, {"a": 104, "b": 56, "c": 50})
    assert verdict.in_core == FAILS
    assert verdict.blocking_coalition == ("a", "b")
    assert (verdict.excess_low_eur_per_yr, verdict.excess_high_eur_per_yr) == (10.0, 25.0)
    assert verdict.surely_blocking == 3  # a, ab, ac
    assert verdict.individually_rational == FAILS
    a, b = verdict.partners["a"], verdict.partners["b"]
    assert a.individually_rational == FAILS
    assert (a.margin_low_eur_per_yr, a.margin_high_eur_per_yr) == (-14.0, -4.0)
    assert b.individually_rational == HOLDS
    assert (b.margin_low_eur_per_yr, b.margin_high_eur_per_yr) == (34.0, 44.0)


def test_individual_rationality_undecided():
    # x_a = 95 between c(a) in [90, 100]
    verdict = rule_verdict(game((90, 100), (200, 200), (200, 210)), {"a": 95, "b": 60, "c": 55})
    assert verdict.partners["a"].individually_rational == UNDECIDED
    assert verdict.partners["b"].individually_rational == HOLDS
    assert verdict.individually_rational == UNDECIDED


def test_an_exact_game_has_no_undecided_verdicts():
    exact = Game(PLAYERS, [0, 100, 100, 150, 100, 150, 150, 210])
    igame = IntervalGame.exact(exact)
    assert core_verdict(igame).nonempty == HOLDS
    assert rule_verdict(igame, {"a": 70, "b": 70, "c": 70}).in_core == HOLDS
    assert rule_verdict(igame, {"a": 80, "b": 80, "c": 50}).in_core == FAILS  # x(ab) = 160


def test_deciding_coalitions_are_the_open_ones():
    igame = game((90, 100), (135, 150), (200, 210))
    core = core_verdict(igame)
    # the rule is undecided only through bc; the core through the pairs and N
    only_rule = deciding_coalitions(
        igame,
        {"r": {"a": 60, "b": 75, "c": 75}},
        core=core_verdict(game((90, 100), (140, 150), (200, 205))),
    )
    assert only_rule == [BC]
    assert deciding_coalitions(igame, {}, core=core) == [AB, AC, BC, N]
    # single partners come first, then the widest intervals
    undecided = game((90, 100), (135, 150), (200, 210))
    x = {"a": 95, "b": 60, "c": 55}  # x_a in (90, 100], x(ab) = 155 > 150, x(ac) = 150 open
    decided = core_verdict(game((90, 100), (140, 150), (200, 205)))
    assert deciding_coalitions(undecided, {"r": x}, core=decided) == [1, AC]
    # with the core undecided too, its pairs and N join after a (ties by mask)
    assert deciding_coalitions(undecided, {"r": x}, core=core) == [1, AB, AC, BC, N]
    # a coalition with a zero-width interval is never re-solved
    exact = IntervalGame.exact(Game(PLAYERS, [0, 100, 100, 150, 100, 150, 150, 210]))
    assert deciding_coalitions(exact, {"r": {"a": 80, "b": 80, "c": 50}}) == []


def test_bounds_are_checked():
    lower = np.array([0, 100, 100, 150, 100, 150, 150, 220.0])
    upper = np.array([0, 100, 100, 150, 100, 150, 150, 210.0])
    with pytest.raises(InputError, match="lower bound"):
        IntervalGame(PLAYERS, lower, upper)


def test_a_partner_that_brings_an_asset_is_paid_and_told_why():
    # e owns the ATES and no building: c(e) = 0, but it lowers every coalition it joins.
    # Shapley value of e: 1/3 * 0 + 1/6 * (80 - 100) * 2 + 1/3 * (150 - 190) = -20
    players = ("a", "b", "e")
    costs = {"a": 100, "b": 100, "e": 0, ("a", "b"): 190, ("a", "e"): 80}
    costs |= {("b", "e"): 80, ("a", "b", "e"): 150}
    exact = Game.from_mapping(players, costs)
    shapley = shapley_exact(exact)
    assert shapley["e"] == pytest.approx(-20.0)
    verdicts = judge(IntervalGame.exact(exact), {"shapley": shapley}, assets={"e": "ATES w1"})
    (share,) = verdicts.negative_shares
    assert (share.rule, share.partner) == ("shapley", "e")
    assert share.cost_eur_per_yr == pytest.approx(-20.0)
    assert share.marginal_saving_eur_per_yr == pytest.approx(190 + 0 - 150)
    assert "e receives 20 EUR/yr under shapley" in share.explanation
    assert "ATES w1" in share.explanation and "saves 40 EUR/yr" in share.explanation
    document = verdicts.to_json_dict()
    assert document["negative_shares"][0]["explanation"] == share.explanation
    # being paid is individually rational: e's margin c(e) - x_e = 20
    partner = document["rule_verdicts"]["shapley"]["partners"]["e"]
    assert partner["individually_rational"] == HOLDS
    assert partner["margin_low_eur_per_yr"] == partner["margin_high_eur_per_yr"] == 20.0
