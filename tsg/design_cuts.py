"""What the simulated year of a design asks of the next solve: larger pipes, per trench.

The design loop (:mod:`tsg.design_loop`) simulates the optimiser's design for every hour and
turns each failed check into a *cut*, a smallest pipe size for a trench, so that the next
solve cannot repeat the violation:

* **velocity / pressure gradient**: the trench must carry the largest mass flow the year put
  through it (either line), at the water temperature of that hour, within both limits: every
  smaller size is cut, and for a trench that failed its size too. Trenches that passed keep
  at least the size their peak needs (``peak_flow``), so the next solve cannot shrink them
  back into a violation.
* **building pump head**: in the hours where a building's own pump has to add the most head
  beyond what it has (worst first, up to 24), the trenches on the building's path from the
  balancing unit are enlarged, most pressure drop saved per euro first, until the friction
  of each of those hours fits (the flows of the hour kept).

The sizes are the options of the sizing inputs, ordered by capacity: single pipes, then
``n`` identical pipes side by side per line (each carrying ``1/n`` of the flow) where one
pipe of the largest size cannot carry the trench. A check that no option can satisfy becomes
an :class:`Unresolved` element with its reason (e.g. even the most parallel pipes of the
largest size are too small: a second route is needed).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import networkx as nx
import numpy as np
import pandas as pd

from tsg.grid.design_limits import DesignLimits
from tsg.grid.water_flow import pressure_gradient_pa_per_m, water_density_kg_per_m3
from tsg.grid.year_result import YearResult
from tsg.optimisation.sizing.inputs import SizingInputs
from tsg.optimisation.sizing.pipes import PipeOption

__all__ = ["Cut", "Unresolved", "design_cuts", "option_capacity_kg_per_s"]

_PIPE_CHECKS = ("velocity", "pressure_gradient")


@dataclass(frozen=True)
class Cut:
    """A smallest pipe size for one trench, and why.

    Attributes
    ----------
    from_id, to_id
        The trench.
    min_dn_mm
        Smallest size it may get [mm] (with ``parallel``: at least the capacity of
        ``parallel`` pipes of this size side by side per line).
    check
        The check that asked for it (``velocity``, ``pressure_gradient``,
        ``building_pump_head``).
    reason
        One sentence with the simulated value and the limit.
    parallel
        Pipes of ``min_dn_mm`` side by side per line (1: a single pipe).
    max_heat_kw
        The trench's flow limit for the optimiser [kW]: a pump-head cut keeps the capacity
        of the pipe it enlarges (the larger pipe cuts the friction; carrying more would need
        the head again); inf for the other checks.
    """

    from_id: str
    to_id: str
    min_dn_mm: int
    check: str
    reason: str
    parallel: int = 1
    max_heat_kw: float = math.inf


@dataclass(frozen=True)
class Unresolved:
    """An element whose check no pipe option (single or parallel pipes) can satisfy."""

    element_id: str
    check: str
    reason: str


def _edge_key(a: str, b: str) -> frozenset[str]:
    return frozenset((a, b))


def option_capacity_kg_per_s(pipes: tuple[PipeOption, ...], dn_mm: int, parallel: int) -> float:
    """Capacity of ``parallel`` pipes of ``dn_mm`` per line within the limits [kg/s].

    The order of pipe floors: a floor (``dn_mm``, ``parallel``) admits every option of at
    least this capacity. 0 for ``dn_mm`` 0 (no floor) or a size not among the single pipes.
    """
    single = [p.max_mdot_kg_per_s for p in pipes if p.parallel == 1 and p.dn_mm == dn_mm]
    return parallel * single[0] if single else 0.0


def _option(pipes: tuple[PipeOption, ...], dn_mm: int, parallel: int) -> PipeOption:
    return next(p for p in pipes if p.dn_mm == dn_mm and p.parallel == parallel)


def _friction_bar(
    pipe: PipeOption, mdot_kg_per_s: np.ndarray, t_c: np.ndarray, length_m: float
) -> float:
    """Friction of a trench's lines at the given flows (one value per line) [bar].

    A line of ``n`` parallel pipes loses what one of them loses at ``1/n`` of the flow.
    """
    return sum(
        pressure_gradient_pa_per_m(
            mdot_kg_per_s=float(m) / pipe.parallel,
            di_mm=pipe.di_mm,
            roughness_mm=pipe.roughness_mm,
            t_water_c=t,
        )
        * length_m
        / 1e5
        for m, t in zip(mdot_kg_per_s, t_c, strict=True)
        if np.isfinite(m)
    )


def _within_limits(pipe: PipeOption, mdot: float, t_c: float, limits: DesignLimits) -> bool:
    """Whether an option carries ``mdot`` [kg/s] of water at ``t_c`` within both limits.

    Each of its ``parallel`` pipes carries ``mdot / parallel``.
    """
    mdot = mdot / pipe.parallel
    area = math.pi * (pipe.di_mm / 1000.0) ** 2 / 4.0
    velocity = mdot / (water_density_kg_per_m3(t_c) * area)
    gradient = pressure_gradient_pa_per_m(
        mdot_kg_per_s=mdot, di_mm=pipe.di_mm, roughness_mm=pipe.roughness_mm, t_water_c=t_c
    )
    return (
        velocity <= limits.max_velocity_m_per_s
        and gradient <= limits.max_pressure_gradient_pa_per_m
    )


def _pipe_cuts(
    year: YearResult,
    checks: pd.DataFrame,
    pipes: tuple[PipeOption, ...],
    limits: DesignLimits,
) -> tuple[list[Cut], list[Unresolved]]:
    """Smallest sizes for every built trench that carry its simulated peak within the limits.

    A trench that failed gets a larger size than it had; one that passed keeps at least the
    size its peak needs (``peak_flow``), so that the next solve cannot shrink it back below.
    """
    failing = checks[checks.check.isin(_PIPE_CHECKS)]
    cuts, unresolved = [], []
    table = year.pipes.reset_index(drop=True)
    ids = (table.from_id + "-" + table.to_id).to_numpy()
    mdot = np.abs(np.where(year.valid[:, None], np.nan_to_num(year.pipe_mdot_kg_per_s), 0.0))
    ordered = sorted(pipes, key=lambda p: p.max_mdot_kg_per_s)
    n_par = table.parallel_pipes.to_numpy() if "parallel_pipes" in table else np.ones(len(table))
    for element_id in dict.fromkeys(ids):
        cols = np.flatnonzero(ids == element_id)
        hour, col = np.unravel_index(np.argmax(mdot[:, cols]), (mdot.shape[0], len(cols)))
        peak = float(mdot[hour, cols[col]])
        if peak <= 0:
            continue
        t_c = float(np.nan_to_num(year.pipe_t_in_c[hour, cols[col]], nan=15.0))
        row = table.iloc[cols[0]]
        built = _option(pipes, int(row.dn_mm), int(n_par[cols[0]]))
        worst = failing[failing.element_id == element_id]
        failed = len(worst) > 0
        # a failed trench is sized with headroom: the next design's units may run harder
        need = peak * (FLOW_MARGIN if failed else 1.0)
        fits = [
            p
            for p in ordered
            if _within_limits(p, need, t_c, limits)
            and (not failed or p.max_mdot_kg_per_s > built.max_mdot_kg_per_s)
        ]
        if not failed:
            if fits:
                cuts.append(
                    Cut(
                        str(row.from_id),
                        str(row.to_id),
                        fits[0].dn_mm,
                        "peak_flow",
                        f"its simulated peak of {peak:,.1f} kg/s needs {fits[0].label} or larger",
                        fits[0].parallel,
                    )
                )
            continue
        check = str(worst.sort_values("value").check.iloc[-1])
        if not fits:
            unresolved.append(Unresolved(element_id, check, _too_large(peak, ordered[-1])))
            continue
        cuts.append(
            Cut(
                str(row.from_id),
                str(row.to_id),
                fits[0].dn_mm,
                check,
                f"peak {peak:,.1f} kg/s at {t_c:.1f} degC in the simulated year needs "
                f"{fits[0].label} or larger ({built.label} exceeds the "
                f"{check.replace('_', ' ')} limit)",
                fits[0].parallel,
            )
        )
    return cuts, unresolved


def _too_large(peak: float, largest: PipeOption) -> str:
    """Say why no option carries ``peak`` [kg/s] and what the user can do."""
    head = (
        f"the trench carries up to {peak:,.1f} kg/s in the simulated year "
        f"({peak * FLOW_MARGIN:,.1f} kg/s with the {100 * (FLOW_MARGIN - 1):.0f} % headroom of "
        f"a failed trench); the largest option ({largest.label}) "
        f"carries {largest.max_mdot_kg_per_s:,.1f} kg/s within the limits: "
    )
    if largest.parallel == 1:
        return head + (
            "allow parallel pipes (network.max_parallel_pipes in technologies.yaml) or give "
            "the flow a second route"
        )
    return head + (
        "give part of the flow a second route (another trench in the district's route), "
        "or allow more parallel pipes (network.max_parallel_pipes) or larger sizes in the "
        "pipe catalogue"
    )


#: Headroom on the simulated peak flow of a trench that failed [-]: the next round's design may
#: run its units a little harder (its capacities change), which without headroom costs one
#: more round per trench.
FLOW_MARGIN = 1.1

#: Headroom on the missing head of a building whose pump head failed [bar], for the same reason.
HEAD_MARGIN_BAR = 0.05

#: Violated hours per building the pump-head cuts look at (worst first).
_HOURS_PER_BUILDING = 24


def _path_trenches(year, table, by_dn, path, hour, chosen):
    out = []
    for a, b in zip(path[:-1], path[1:], strict=True):
        cols = np.flatnonzero(
            ((table.from_id == a) & (table.to_id == b))
            | ((table.from_id == b) & (table.to_id == a))
        )
        key = _edge_key(a, b)
        n_par = int(table.parallel_pipes.iloc[cols[0]]) if "parallel_pipes" in table else 1
        built = by_dn[(int(table.dn_mm.iloc[cols[0]]), n_par)]
        mdot = np.nan_to_num(year.pipe_mdot_kg_per_s[hour, cols])
        t_c = np.nan_to_num(year.pipe_t_in_c[hour, cols], nan=15.0)
        out.append(
            [key, built, chosen.get(key, built), mdot, t_c, float(table.length_m.iloc[cols[0]])]
        )
    return out


def _enlarge(trenches, excess: float, ordered, chosen) -> float:
    """Enlarge trenches, most pressure drop saved per euro first, until ``excess`` is gone."""
    while excess > 0:
        best = None
        for i, (_, _, pipe, mdot, t_c, length) in enumerate(trenches):
            larger = [p for p in ordered if p.max_mdot_kg_per_s > pipe.max_mdot_kg_per_s]
            if not larger:
                continue
            nxt = larger[0]
            saved = _friction_bar(pipe, mdot, t_c, length) - _friction_bar(nxt, mdot, t_c, length)
            extra_eur = max((nxt.cost_eur_per_m - pipe.cost_eur_per_m) * length, 1e-9)
            if saved > 1e-6 and (best is None or saved / extra_eur > best[0]):
                best = (saved / extra_eur, i, nxt, saved)
        if best is None:
            return excess
        _, i, nxt, saved = best
        trenches[i][2] = nxt
        chosen[trenches[i][0]] = nxt
        excess -= saved
    return excess


def _pump_head_cuts(
    year: YearResult,
    checks: pd.DataFrame,
    pipes: tuple[PipeOption, ...],
    *,
    balancing_id: str,
    limits: DesignLimits,
) -> tuple[list[Cut], list[Unresolved]]:
    """Enlargements on each failing building's path that save its missing head.

    Per building, its worst violated hours (up to :data:`_HOURS_PER_BUILDING`), worst first:
    the head still missing after the enlargements chosen so far (for any building) is saved
    with the flows of that hour.
    """
    failing = checks[checks.check == "building_pump_head"]
    if failing.empty:
        return [], []
    table = year.pipes.reset_index(drop=True)
    graph = nx.Graph()
    for row in table[table.line == "warm"].itertuples():
        graph.add_edge(row.from_id, row.to_id)
    by_dn = {(p.dn_mm, p.parallel): p for p in pipes}
    ordered = sorted(pipes, key=lambda p: p.max_mdot_kg_per_s)
    chosen: dict[frozenset[str], PipeOption] = {}
    had: dict[frozenset[str], PipeOption] = {}  # the pipe each trench has in the year
    unresolved = []
    order = failing.groupby("element_id").value.max().sort_values(ascending=False)
    # the building that needs the most head first: its path often serves the others too
    for building in order.index:
        rows = failing[failing.element_id == building].sort_values("value", ascending=False)
        path = nx.shortest_path(graph, balancing_id, str(building))
        for row in rows.head(_HOURS_PER_BUILDING).itertuples():
            hour = int(row.hour)
            trenches = _path_trenches(year, table, by_dn, path, hour, chosen)
            excess = float(row.value) - limits.building_pump_head_bar + HEAD_MARGIN_BAR
            for _, built, pipe, mdot, t_c, length in trenches:
                excess -= _friction_bar(built, mdot, t_c, length) - _friction_bar(
                    pipe, mdot, t_c, length
                )
            left = _enlarge(trenches, excess, ordered, chosen)
            for key, built, *_ in trenches:
                had.setdefault(key, built)
            if left > 0:
                unresolved.append(
                    Unresolved(
                        str(building),
                        "building_pump_head",
                        f"even the largest pipes on its path leave its pump {left:.2f} bar "
                        f"short of the friction in hour {hour}; a larger pump or another route "
                        "is needed",
                    )
                )
                break
    cuts = []
    for key, pipe in chosen.items():
        a, b = sorted(key)
        cuts.append(
            Cut(
                a,
                b,
                pipe.dn_mm,
                "building_pump_head",
                f"{pipe.label} or larger keeps the friction of the worst simulated hours "
                f"within the buildings' pump head ({limits.building_pump_head_bar:g} bar); "
                f"the trench keeps the flow limit of its {had[key].label} "
                f"({had[key].max_heat_kw:,.0f} kW)",
                pipe.parallel,
                had[key].max_heat_kw,
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
    pipe_cuts, pipe_open = _pipe_cuts(year, checks, inputs.pipes, limits)
    head_cuts, head_open = _pump_head_cuts(
        year, checks, inputs.pipes, balancing_id=balancing_id, limits=limits
    )
    merged: dict[frozenset[str], Cut] = {}
    pipes = inputs.pipes
    for cut in pipe_cuts + head_cuts:
        key = _edge_key(cut.from_id, cut.to_id)
        size = option_capacity_kg_per_s(pipes, cut.min_dn_mm, cut.parallel)
        if key in merged:  # the largest size, the lowest flow limit
            least = min(cut.max_heat_kw, merged[key].max_heat_kw)
            if size <= option_capacity_kg_per_s(pipes, merged[key].min_dn_mm, merged[key].parallel):
                cut = merged[key]
            cut = replace(cut, max_heat_kw=least)
        merged[key] = cut
    return list(merged.values()), pipe_open + head_open
