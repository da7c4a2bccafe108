"""Adaptive refinement of coalition-cost bounds, with a fake solver around a known true game.

True game (players a, b, c): c(i) = 100, c(ij) = 145, c(N) = 210. Equal split x_i = 70 is in
its core (x(ij) = 140 <= 145) and the core is non-empty ((3 * 145) / 2 = 217.5 >= 210). The
first solves only know the pairs within [135, 150] and N within [205, 210]: both verdicts are
undecided (x(ij) = 140 lies in (135, 150]; pairs at 135 with N at 210 give an empty core,
pairs at 150 with N at 205 a non-empty one).
"""

import numpy as np
import pandas as pd
import pytest

from tsg.allocation_bounds import interval_game, lower_bound_eur_per_yr, refine
from tsg.optimisation.allocation import HOLDS, UNDECIDED, Game, core_verdict, rule_verdict
from tsg.optimisation.sizing.solve import SolveInfo

PLAYERS = ("a", "b", "c")
TRUE = {1: 100.0, 2: 100.0, 3: 145.0, 4: 100.0, 5: 145.0, 6: 145.0, 7: 210.0}


def first_solves() -> pd.DataFrame:
    lower = {1: 100.0, 2: 100.0, 3: 135.0, 4: 100.0, 5: 135.0, 6: 135.0, 7: 205.0}
    upper = {1: 100.0, 2: 100.0, 3: 150.0, 4: 100.0, 5: 150.0, 6: 150.0, 7: 210.0}
    rows = [
        {
            "coalition": "+".join(p for i, p in enumerate(PLAYERS) if m >> i & 1),
            "cost_eur_per_yr": upper[m],
            "lower_eur_per_yr": lower[m],
            "status": "optimal",
            "gap": (upper[m] - lower[m]) / upper[m],
            "solve_time_s": 1.0,
        }
        for m in range(1, 8)
    ]
    return pd.DataFrame(rows)


def equal_split(game: Game) -> dict[str, dict[str, float]]:
    return {"equal_split": {p: game.grand_cost / game.n for p in game.players}}


def mask_of(members: frozenset[str]) -> int:
    return sum(1 << i for i, p in enumerate(PLAYERS) if p in members)


class HonestSolver:
    """Returns the true cost enclosed by a bound pair of relative width ``gap``."""

    def __init__(self):
        self.calls: list[tuple[int, float]] = []

    def __call__(self, members, gap):
        mask = mask_of(members)
        self.calls.append((mask, gap))
        true = TRUE[mask]
        info = SolveInfo("fake", "optimal", true * (1 + gap / 2), true * (1 - gap / 2), 0.5, 1)
        return info.objective_eur_per_yr, info


def test_refinement_decides_as_the_true_game_and_touches_only_deciding_coalitions():
    solves = first_solves()
    start = interval_game(PLAYERS, solves)
    x = {p: 70.0 for p in PLAYERS}
    assert rule_verdict(start, x).in_core == UNDECIDED
    assert core_verdict(start).nonempty == UNDECIDED
    solver = HonestSolver()
    result = refine(start, solves, allocate=equal_split, resolve=solver, budget_s=60.0)
    assert result.stopped == "decided"
    # the true game's answers, computed by hand in the module docstring
    assert rule_verdict(result.game, x).in_core == HOLDS
    assert core_verdict(result.game).nonempty == HOLDS
    # only the pairs and N decide; the exact singletons are never solved again
    assert {m for m, _ in solver.calls} == {3, 5, 6, 7}
    assert result.resolved == len(solver.calls) == 4
    assert list(result.solves["refinements"]) == [0, 0, 1, 0, 1, 1, 1]
    # each re-solve asked for a quarter of the coalition's gap: 15 / 150 -> 2.5 %
    assert dict(solver.calls)[3] == pytest.approx(0.025)
    # the bounds still enclose the true costs and got tighter; times add up
    for mask, true in TRUE.items():
        assert result.game.lower_eur_per_yr[mask] <= true <= result.game.upper_eur_per_yr[mask]
    assert result.solves.loc[2, "solve_time_s"] == pytest.approx(1.5)
    assert result.solves.loc[2, "gap"] < solves.loc[2, "gap"]


def test_a_solver_that_never_tightens_stops_at_the_gap_floor():
    def stubborn(members, gap):
        mask = mask_of(members)
        row = first_solves().iloc[mask - 1]
        info = SolveInfo("fake", "optimal", row["cost_eur_per_yr"], row["lower_eur_per_yr"], 0, 1)
        return info.objective_eur_per_yr, info

    solves = first_solves()
    result = refine(
        interval_game(PLAYERS, solves),
        solves,
        allocate=equal_split,
        resolve=stubborn,
        gap_floor=0.001,
        budget_s=60.0,
    )
    assert result.stopped == "gap floor"
    # pairs: 10 % -> 2.5, 0.625, 0.156, 0.1 % (4 solves); N: 2.38 % -> 0.595, 0.149, 0.1 %
    assert result.resolved == 3 * 4 + 3
    assert rule_verdict(result.game, {p: 70.0 for p in PLAYERS}).in_core == UNDECIDED


def test_no_time_budget_means_no_re_solves():
    solves = first_solves()
    solver = HonestSolver()
    result = refine(
        interval_game(PLAYERS, solves), solves, allocate=equal_split, resolve=solver, budget_s=0
    )
    assert result.stopped == "time budget" and result.resolved == 0 and solver.calls == []
    pd.testing.assert_frame_equal(result.solves.drop(columns="refinements"), solves)


@pytest.mark.parametrize(
    ("upper", "bound", "status", "gap", "expected"),
    [
        (100.0, 97.0, "optimal", 0.03, 97.0),  # the solver's bound
        (100.0, float("nan"), "optimal", 0.03, 97.0),  # no bound: the gap asked for
        (-100.0, float("nan"), "optimal", 0.03, -103.0),  # negative costs widen downwards
        (100.0, float("nan"), "time_limit", 0.03, 0.0),  # nothing proven
        (100.0, 101.0, "optimal", 0.03, 100.0),  # a bound above the design is clipped
        (0.0, float("nan"), "no_buildings", 0.03, 0.0),
    ],
)
def test_lower_bound(upper, bound, status, gap, expected):
    assert lower_bound_eur_per_yr(upper, bound, status, gap) == pytest.approx(expected)
    assert np.isfinite(lower_bound_eur_per_yr(upper, bound, status, gap))
