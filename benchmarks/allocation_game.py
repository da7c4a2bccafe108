"""Benchmark of the cost-allocation toolkit.

Run with ``python benchmarks/allocation_game.py``. Prints measured wall-clock times for

1. a 10-player game read from a generated cost file: read, nucleolus, exact Shapley
   (target < 10 s each), against a naive subset-formula Shapley baseline in the same process;
2. sampled Shapley for 30 players with a cost function: error bound versus sample count.
"""

from __future__ import annotations

import itertools
import math
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from tsg.cost_file import read_cost_file
from tsg.optimisation.allocation import (
    Game,
    compare_rules,
    core_nonempty,
    nucleolus,
    shapley_exact,
    shapley_sampled,
)


def grid_cost_model(n: int, seed: int) -> tuple[tuple[str, ...], Callable[[frozenset], float]]:
    """Synthetic annual cost [EUR/yr] of a shared heat grid for any coalition.

    Partners sit along a street (km); the coalition pays a trunk pipe over its span plus a
    service pipe per partner, a central heat pump sized for the coincident peak (economies of
    scale, exponent 0.8, simultaneity falls with size) and energy proportional to demand.
    """
    rng = np.random.default_rng(seed)
    players = tuple(f"partner{i:02d}" for i in range(n))
    position = dict(zip(players, rng.uniform(0.0, 3.0, n), strict=True))  # km
    peak = dict(zip(players, rng.uniform(200.0, 3000.0, n), strict=True))  # kW
    demand = dict(zip(players, rng.uniform(400.0, 6000.0, n), strict=True))  # MWh/yr

    def cost(coalition: frozenset) -> float:
        xs = [position[p] for p in coalition]
        trunk_km = max(xs) - min(xs)
        simultaneity = 0.6 + 0.4 / math.sqrt(len(coalition))
        coincident = simultaneity * sum(peak[p] for p in coalition)
        pipes = 60_000.0 * trunk_km + 8_000.0 * len(coalition)
        plant = 900.0 * coincident**0.8
        energy = 45.0 * sum(demand[p] for p in coalition)
        return pipes + plant + energy

    return players, cost


def write_cost_file(path: Path, players: tuple[str, ...], cost: Callable) -> None:
    """Write every non-empty coalition's cost as 'coalition,cost' CSV."""
    lines = ["coalition,cost"]
    for size in range(1, len(players) + 1):
        for members in itertools.combinations(players, size):
            lines.append(f"{'+'.join(members)},{cost(frozenset(members)):.2f}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def naive_shapley(players: tuple[str, ...], costs: dict[frozenset, float]) -> dict[str, float]:
    """Baseline: the subset formula with Python loops and a frozenset-keyed dict."""
    n = len(players)
    result = {}
    for player in players:
        others = [p for p in players if p != player]
        total = 0.0
        for size in range(n):
            weight = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
            for subset in itertools.combinations(others, size):
                s = frozenset(subset)
                total += weight * (costs[s | {player}] - costs.get(s, 0.0))
        result[player] = total
    return result


def timed(function: Callable, *args, repeat: int = 1, **kwargs):
    """Return (result, best wall-clock seconds over ``repeat`` runs)."""
    best, result = math.inf, None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
    return result, best


def bench_ten_players() -> None:
    """Read + nucleolus + exact Shapley on a 10-player cost file; baseline ratio."""
    players, cost = grid_cost_model(10, seed=2024)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "costs_10.csv"
        write_cost_file(path, players, cost)
        game, t_read = timed(read_cost_file, path, repeat=3)
    n_rows = (1 << game.n) - 1
    nuc, t_nuc = timed(nucleolus, game, repeat=3)
    shap, t_shap = timed(shapley_exact, game, repeat=5)
    table = {frozenset(game.members(m)): float(game.costs[m]) for m in range(1, 1 << game.n)}
    base, t_base = timed(naive_shapley, game.players, table, repeat=1)
    deviation = max(abs(base[p] - shap[p]) for p in game.players)
    _, t_cmp = timed(compare_rules, game, repeat=1)
    print("10 players, generated cost file")
    print(f"  coalitions (rows)            {n_rows}")
    print(f"  read_cost_file               {t_read * 1e3:9.1f} ms   (target < 10 s)")
    print(f"  nucleolus                    {t_nuc * 1e3:9.1f} ms   (target < 10 s)")
    print(f"  shapley_exact (numpy)        {t_shap * 1e3:9.3f} ms   (target < 10 s)")
    print(f"  baseline naive subset loop   {t_base * 1e3:9.1f} ms")
    print(f"  speed-up exact vs baseline   {t_base / t_shap:9.0f} x   (max |diff| {deviation:.1e})")
    print(f"  compare_rules (all rules)    {t_cmp * 1e3:9.1f} ms")
    print(f"  core non-empty               {core_nonempty(game)}")
    print(f"  nucleolus sum - c(N)         {sum(nuc.values()) - game.grand_cost:.2e} EUR/yr")


def bench_thirty_players_sampled() -> None:
    """Sampled Shapley, 30 players with a cost function: half-width vs samples."""
    players, cost = grid_cost_model(30, seed=7)
    grand = cost(frozenset(players))
    print("\n30 players, sampled Shapley with a cost function (cache per run)")
    print("  samples   time [s]   evaluations   max 95% half-width [EUR/yr]   (% of mean share)")
    for n_samples in (100, 400, 1600, 6400):
        result, seconds = timed(shapley_sampled, cost, n_samples, 1, players=players)
        worst = max(result.half_width_95.values())
        share = grand / len(players)
        print(
            f"  {n_samples:7d}   {seconds:8.3f}   {result.n_evaluations:11d}   "
            f"{worst:27.0f}   ({100 * worst / share:.2f} %)"
        )


def bench_scaling() -> None:
    """Nucleolus and exact Shapley for larger enumerated games (information only)."""
    print("\nScaling of exact methods (generated games)")
    print("  players   coalitions   nucleolus [s]   shapley_exact [s]")
    for n in (12, 14):
        players, cost = grid_cost_model(n, seed=n)
        game = Game.from_function(players, cost)
        _, t_nuc = timed(nucleolus, game)
        _, t_shap = timed(shapley_exact, game)
        print(f"  {n:7d}   {(1 << n) - 1:10d}   {t_nuc:13.2f}   {t_shap:17.4f}")


if __name__ == "__main__":
    bench_ten_players()
    bench_thirty_players_sampled()
    bench_scaling()
