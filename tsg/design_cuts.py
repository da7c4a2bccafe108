"""What the simulated year of a design asks of the next solve: larger pipes, per trench.

The design loop (:mod:`tsg.design_loop`) simulates the optimiser's design for every hour and
turns each failed check into a *cut*, a smallest pipe size for a trench, so that the next
solve cannot repeat the violation:

* **velocity / pressure gradient**: the trench must carry the largest mass flow the year put
  through it (either line) within both limits: every size whose capacity at the limits is
  below that flow is cut, and the size that failed.
* **building pump head**: in the hour where a building's own pump has to add the most head
  beyond what it has, the trenches on the building's path from the balancing unit are
  enlarged, cheapest pressure drop saved per euro first, until the friction of that hour
  fits (the flows of the hour kept).

A check that no catalogue size can satisfy becomes an :class:`Unresolved` element with its
reason (e.g. the largest pipe is too small: parallel pipes are not modelled).
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd

from tsg.grid.design_limits import DesignLimits
from tsg.grid.water_flow import pressure_gradient_pa_per_m
from tsg.grid.year_result import YearResult
from tsg.optimisation.sizing.inputs import SizingInputs
from tsg.optimisation.sizing.pipes import PipeOption

__all__ = ["Cut", "Unresolved", "design_cuts"]

_PIPE_CHECKS = ("velocity", "pressure_gradient")


@dataclass(frozen=True)
class Cut:
    """A smallest pipe size for one trench, and why.

    Attributes
    ----------
    from_id, to_id
        The trench.
    min_dn_mm
        Smallest size it may get [mm].
    check
        The check that asked for it (``velocity``, ``pressure_gradient``,
        ``building_pump_head``).
    reason
        One sentence with the simulated value and the limit.
    """

    from_id: str
    to_id: str
    min_dn_mm: int
    check: str
    reason: str


@dataclass(frozen=True)
class Unresolved:
    """An element whose check no pipe size of the catalogue can satisfy."""

    element_id: str
    check: str
    reason: str


def _edge_key(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


def _friction_bar(
    pipe: PipeOption, mdot_kg_per_s: np.ndarray, t_c: np.ndarray, length_m: float
) -> float:
    """Friction of a trench's lines at the given flows (one value per line) [bar]."""
    return sum(
        pressure_gradient_pa_per_m(
            mdot_kg_per_s=float(m), di_mm=pipe.di_mm, roughness_mm=pipe.roughness_mm, t_water_c=t
        )
        * length_m
        / 1e5
        for m, t in zip(mdot_kg_per_s, t_c, strict=True)
        if np.isfinite(m)
    )


def _pipe_cuts(
    year: YearResult, checks: pd.DataFrame, pipes: tuple[PipeOption, ...]
) -> tuple[list[Cut], list[Unresolved]]:
    failing = checks[checks.check.isin(_PIPE_CHECKS)]
    cuts, unresolved = [], []
    table = year.pipes.reset_index(drop=True)
    ids = (table.from_id + "-" + table.to_id).to_numpy()
    mdot = np.abs(np.where(year.valid[:, None], year.pipe_mdot_kg_per_s, 0.0))
    for element_id in sorted(set(failing.element_id)):
        cols = np.flatnonzero(ids == element_id)
        peak = float(np.nanmax(mdot[:, cols]))
        row = table.iloc[cols[0]]
        built = next(p for p in pipes if p.dn_mm == int(row.dn_mm))
        # larger than the size that failed, even where its capacity (at 15 degC) covers the
        # peak: the simulated water may be colder, hence more viscous
        fits = [p for p in pipes if p.max_mdot_kg_per_s >= peak and p.di_mm > built.di_mm]
        worst = failing[failing.element_id == element_id]
        check = str(worst.sort_values("value").check.iloc[-1])
        if not fits:
            largest = max(pipes, key=lambda p: p.max_mdot_kg_per_s)
            unresolved.append(
                Unresolved(
                    element_id,
                    check,
                    f"the trench carries up to {peak:,.1f} kg/s in the simulated year; the "
                    f"largest catalogue pipe (DN {largest.dn_mm}) carries "
                    f"{largest.max_mdot_kg_per_s:,.1f} kg/s within the limits: it needs "
                    "parallel pipes or a second route",
                )
            )
            continue
        size = min(fits, key=lambda p: p.di_mm)
        cuts.append(
            Cut(
                str(row.from_id),
                str(row.to_id),
                size.dn_mm,
                check,
                f"peak {peak:,.1f} kg/s in the simulated year needs DN {size.dn_mm} or larger "
                f"(DN {int(row.dn_mm)} exceeds the {check.replace('_', ' ')} limit)",
            )
        )
    return cuts, unresolved


def _pump_head_cuts(
    year: YearResult,
    checks: pd.DataFrame,
    pipes: tuple[PipeOption, ...],
    *,
    balancing_id: str,
    limits: DesignLimits,
) -> tuple[list[Cut], list[Unresolved]]:
    failing = checks[checks.check == "building_pump_head"]
    if failing.empty:
        return [], []
    table = year.pipes.reset_index(drop=True)
    graph = nx.Graph()
    for row in table[table.line == "warm"].itertuples():
        graph.add_edge(row.from_id, row.to_id)
    by_dn = {p.dn_mm: p for p in pipes}
    ordered = sorted(pipes, key=lambda p: p.di_mm)
    chosen: dict[frozenset[str], PipeOption] = {}
    cuts, unresolved = [], []
    worst_rows = failing.loc[failing.groupby("element_id").value.idxmax()]
    # the building that needs the most head first: its path often serves the others too
    for worst in worst_rows.sort_values("value", ascending=False).itertuples():
        building, hour = str(worst.element_id), int(worst.hour)
        excess = float(worst.value) - limits.building_pump_head_bar
        path = nx.shortest_path(graph, balancing_id, building)
        trenches = []
        for a, b in zip(path[:-1], path[1:], strict=True):
            cols = np.flatnonzero(
                ((table.from_id == a) & (table.to_id == b))
                | ((table.from_id == b) & (table.to_id == a))
            )
            key = _edge_key(a, b)
            built = by_dn[int(table.dn_mm.iloc[cols[0]])]
            pipe = chosen.get(key, built)
            mdot = year.pipe_mdot_kg_per_s[hour, cols]
            t_c = np.nan_to_num(year.pipe_t_in_c[hour, cols], nan=15.0)
            length = float(table.length_m.iloc[cols[0]])
            # what an earlier building's enlargement of this trench already saves here
            excess -= _friction_bar(built, mdot, t_c, length) - _friction_bar(
                pipe, mdot, t_c, length
            )
            trenches.append((key, a, b, pipe, mdot, t_c, length))
        while excess > 0:
            best = None
            for i, (_, _, _, pipe, mdot, t_c, length) in enumerate(trenches):
                larger = [p for p in ordered if p.di_mm > pipe.di_mm]
                if not larger:
                    continue
                nxt = larger[0]
                saved = _friction_bar(pipe, mdot, t_c, length) - _friction_bar(
                    nxt, mdot, t_c, length
                )
                extra_eur = max((nxt.cost_eur_per_m - pipe.cost_eur_per_m) * length, 1e-9)
                if saved > 1e-6 and (best is None or saved / extra_eur > best[0]):
                    best = (saved / extra_eur, i, nxt, saved)
            if best is None:
                break
            _, i, nxt, saved = best
            key, a, b, _, mdot, t_c, length = trenches[i]
            trenches[i] = (key, a, b, nxt, mdot, t_c, length)
            chosen[key] = nxt
            excess -= saved
        if excess > 0:
            unresolved.append(
                Unresolved(
                    building,
                    "building_pump_head",
                    f"even the largest pipes on its path leave its pump {excess:.2f} bar short "
                    f"of the friction in hour {hour}; a larger pump or another route is needed",
                )
            )
    for key, pipe in chosen.items():
        a, b = sorted(key)
        cuts.append(
            Cut(
                a,
                b,
                pipe.dn_mm,
                "building_pump_head",
                f"DN {pipe.dn_mm} or larger keeps the friction of the worst simulated hour within "
                f"the buildings' pump head ({limits.building_pump_head_bar:g} bar)",
            )
        )
    return cuts, unresolved


def design_cuts(
    year: YearResult,
    checks: pd.DataFrame,
    inputs: SizingInputs,
    *,
    balancing_id: str,
    limits: DesignLimits,
) -> tuple[list[Cut], list[Unresolved]]:
    """Cuts (smallest pipe sizes) that the failed checks of a simulated year ask for.

    Parameters
    ----------
    year
        The simulated year of the design.
    checks
        Its failed design checks (:func:`grid.design_checks.design_checks`).
    inputs
        The sizing inputs (pipe options).
    balancing_id
        Node of the balancing unit (where the central pump lifts).
    limits
        The design limits the checks used.

    Returns
    -------
    tuple
        The cuts (one per trench: the largest size asked for) and the elements no catalogue
        size can fix.
    """
    pipe_cuts, pipe_open = _pipe_cuts(year, checks, inputs.pipes)
    head_cuts, head_open = _pump_head_cuts(
        year, checks, inputs.pipes, balancing_id=balancing_id, limits=limits
    )
    merged: dict[frozenset[str], Cut] = {}
    for cut in pipe_cuts + head_cuts:
        key = _edge_key(cut.from_id, cut.to_id)
        if key not in merged or cut.min_dn_mm > merged[key].min_dn_mm:
            merged[key] = cut
    return list(merged.values()), pipe_open + head_open
