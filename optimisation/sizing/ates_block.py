"""The ATES block of the sizing model.

Capacity in whole doublets, charge and discharge within it, the direction rule and the
permit's seasonal balance.
"""

from __future__ import annotations

import pyomo.environ as pyo

from tsg.optimisation.sizing.blocks import ModelData

__all__ = ["add_ates"]


def add_ates(m: pyo.ConcreteModel, data: ModelData) -> None:
    """Add ATES charge and discharge within capacity, direction rule, seasonal balance."""
    inputs, options, w = data.inputs, data.options, data.weights_h
    T = range(data.steps.n_steps)
    A = range(len(inputs.ates))
    m.ates_available = pyo.Var(A, bounds=(0, 1), initialize=1.0)
    m.ates_available.fix(1.0)
    ates_max = data.ates_max_kw
    m.cap_ates = pyo.Var(A, domain=pyo.NonNegativeReals)
    m.q_ain = pyo.Var(A, T, bounds=lambda _, a, t: (0.0, ates_max[a]))
    m.q_aout = pyo.Var(A, T, bounds=lambda _, a, t: (0.0, ates_max[a]))
    m.ates_limit = pyo.Constraint(
        A, rule=lambda m, a: m.cap_ates[a] <= ates_max[a] * m.ates_available[a]
    )
    # whole doublets: one binary per doublet the site allows, taken in order
    whole = [a for a in A if inputs.ates[a].doublets]
    doublet_kw = {a: inputs.ates[a].max_heat_kw / inputs.ates[a].doublets for a in whole}
    AK = [(a, k) for a in whole for k in range(inputs.ates[a].doublets)]
    m.doublet = pyo.Var(AK, domain=pyo.Binary)
    m.doublets_in_order = pyo.Constraint(
        [(a, k) for a, k in AK if k > 0],
        rule=lambda m, a, k: m.doublet[a, k] <= m.doublet[a, k - 1],
    )
    m.ates_whole_doublets = pyo.Constraint(
        whole,
        rule=lambda m, a: (
            m.cap_ates[a]
            == doublet_kw[a] * sum(m.doublet[a, k] for k in range(inputs.ates[a].doublets))
        ),
    )
    # one doublet pumps one way at a time: the convex hull of "charge or discharge" is
    # q_in + q_out <= capacity; the exact either-or rule needs a direction per step
    m.ates_cap = pyo.Constraint(
        A, T, rule=lambda m, a, t: m.q_ain[a, t] + m.q_aout[a, t] <= m.cap_ates[a]
    )
    m.ates_dir = pyo.Var(A, T, domain=pyo.Binary)
    m.ates_dir_in = pyo.Constraint(
        A, T, rule=lambda m, a, t: m.q_ain[a, t] <= ates_max[a] * m.ates_dir[a, t]
    )
    m.ates_dir_out = pyo.Constraint(
        A, T, rule=lambda m, a, t: m.q_aout[a, t] <= ates_max[a] * (1 - m.ates_dir[a, t])
    )
    if options.ates_exclusive_direction != "always" or not options.ates_balance:
        m.ates_dir.fix(0)
        m.ates_dir_in.deactivate()
        m.ates_dir_out.deactivate()
    e_in = {a: sum(float(w[t]) * m.q_ain[a, t] for t in T) for a in A}
    e_out = {a: sum(float(w[t]) * m.q_aout[a, t] for t in T) for a in A}
    tol = [a.balance_tolerance for a in inputs.ates]
    m.ates_balance_in = pyo.Constraint(A, rule=lambda m, a: (1 - tol[a]) * e_in[a] <= e_out[a])
    m.ates_balance_out = pyo.Constraint(A, rule=lambda m, a: (1 - tol[a]) * e_out[a] <= e_in[a])
    if not options.ates_balance:
        m.ates_balance_in.deactivate()
        m.ates_balance_out.deactivate()
