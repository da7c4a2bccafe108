"""Find why a sizing model has no feasible design, in words a user can act on.

First static checks per building (a demand with no reference supply and no way to connect,
a load larger than the largest pipe), then relaxations of the model one at a time (ATES
balance, no-backup rule, buildings without reference supply, forced connections): the first
relaxation that makes the model feasible names the cause.
"""

from __future__ import annotations

import numpy as np

from tsg.optimisation.sizing.model import SizingModel
from tsg.optimisation.sizing.solver_runs import try_solve

__all__ = ["explain_infeasibility", "static_problems"]


def static_problems(sm: SizingModel) -> list[str]:
    """Causes of infeasibility visible without solving.

    Parameters
    ----------
    sm
        Built model.

    Returns
    -------
    list[str]
        One sentence per problem (empty when none is found).

    """
    inputs, opts = sm.inputs, sm.options
    has_edge = {n: False for n in inputs.node_ids}
    for e in inputs.edges:
        has_edge[e.from_id] = has_edge[e.to_id] = True
    largest = max(p.max_heat_kw for p in inputs.pipes)
    loop_h = 1.0 - sm.coef.loop_heat_elec_per_kwh
    loop_c = 1.0 + sm.coef.loop_cool_elec_per_kwh
    problems = []
    for b, bld in enumerate(inputs.buildings):
        bid = bld.building_id
        reasons = []
        if not bld.may_connect:
            reasons.append("it may not connect")
        if bid in opts.exclude:
            reasons.append("it is excluded")
        if not has_edge[bid]:
            reasons.append("no candidate trench reaches it")
        needs = []
        if bld.reference_heating == "none" and sm.peak_heat_kw[b] > 0:
            needs.append(f"heat (peak {sm.peak_heat_kw[b]:,.0f} kW)")
        if bld.reference_cooling == "none" and sm.peak_cool_kw[b] > 0:
            needs.append(f"cooling (peak {sm.peak_cool_kw[b]:,.0f} kW)")
        if needs and reasons:
            problems.append(
                f"building '{bid}' needs {' and '.join(needs)} but has no reference supply for "
                f"it and cannot connect to the grid ({'; '.join(reasons)})"
            )
        if bid in opts.force_connect and reasons:
            problems.append(f"building '{bid}' is forced to connect but {'; '.join(reasons)}")
        grid_only = bool(needs) or (
            (bld.full_connection or not opts.backup_when_connected) and bid in opts.force_connect
        )
        load = max(
            float(np.max(sm.steps.total_heat_kw[b] * loop_h[b], initial=0.0)),
            float(sm.peak_cool_kw[b] * loop_c[b]),
        )
        if grid_only and has_edge[bid] and load > largest:
            problems.append(
                f"building '{bid}' can only be served by the grid, but its peak loop load of "
                f"{load:,.0f} kW exceeds the largest pipe ({largest:,.0f} kW within the "
                "velocity and pressure-gradient limits)"
            )
    return problems


def explain_infeasibility(sm: SizingModel, *, solver: str, time_limit_s: float | None) -> str:
    """Return a message naming the cause of an infeasible sizing model.

    The model is restored to its state on entry.

    Parameters
    ----------
    sm
        The infeasible model.
    solver
        Solver to use for the relaxed variants.
    time_limit_s
        Time limit per relaxed solve [s].

    Returns
    -------
    str
        The explanation.

    """
    problems = static_problems(sm)
    if problems:
        return "no feasible design: " + "; ".join(problems)
    m, opts, inputs = sm.model, sm.options, sm.inputs
    ids = [b.building_id for b in inputs.buildings]

    def relaxed(apply, undo) -> bool:
        apply()
        try:
            return try_solve(sm, solver=solver, time_limit_s=time_limit_s)
        finally:
            undo()

    if opts.ates_balance and inputs.ates:
        tolerances = ", ".join(f"{a.source_id}: {a.balance_tolerance:g}" for a in inputs.ates)
        cons = [m.ates_balance_in, m.ates_balance_out]
        if relaxed(lambda: [c.deactivate() for c in cons], lambda: [c.activate() for c in cons]):
            return (
                "no feasible design: the ATES annual thermal balance (tolerance "
                f"{tolerances}) cannot be met by the buildings that must use the grid; offer a "
                "dry cooler or central heat pump, allow reference backup, or relax the tolerance"
            )
    if not opts.backup_when_connected and opts.force_connect:
        cons = [m.no_backup_heat, m.no_backup_cool]
        if relaxed(lambda: [c.deactivate() for c in cons], lambda: [c.activate() for c in cons]):
            return (
                "no feasible design: the grid alone (backup_when_connected=False) cannot serve "
                f"the buildings forced to connect {sorted(opts.force_connect)}"
            )
    no_ref = [
        b
        for b, bld in enumerate(inputs.buildings)
        if bld.reference_heating == "none" or bld.reference_cooling == "none"
    ]
    if no_ref:
        fixed = [v for b in no_ref for v in (m.cap_rh[b], m.cap_rc[b]) if v.fixed]

        def undo() -> None:
            for v in fixed:
                v.fix(0.0)

        if relaxed(lambda: [v.unfix() for v in fixed], undo):
            return (
                "no feasible design: the grid cannot serve the buildings without a reference "
                f"supply {[ids[b] for b in no_ref]} (not enough heat or cold from sources and "
                "other buildings, or not enough pipe capacity)"
            )
    if opts.force_connect:
        forced = [b for b, i in enumerate(ids) if i in opts.force_connect]
        if relaxed(
            lambda: [m.y[b].unfix() for b in forced], lambda: [m.y[b].fix(1) for b in forced]
        ):
            return (
                "no feasible design: forcing buildings "
                f"{sorted(opts.force_connect)} to connect makes the grid infeasible"
            )
    return (
        "no feasible design exists for these inputs (no single cause found: check the "
        "buildings without reference supply, forced connections and the ATES balance)"
    )
