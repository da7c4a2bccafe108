"""A design's layout as values of a sizing model's binaries.

The layout is what a design decided with yes/no choices: which buildings connect, which pipe
each trench gets (none where it is not built) and how many ATES doublets are drilled. Fixing
these binaries leaves an LP. Used to operate a fixed design over the full year
(:mod:`tsg.optimisation.sizing.operation`) and to start a solve from an earlier design
(:mod:`tsg.optimisation.sizing.solver_runs`).
"""

from __future__ import annotations

from pyomo.environ import ComponentMap

from tsg.optimisation.sizing.model import SizingModel
from tsg.optimisation.sizing.pipes import PipeOption
from tsg.optimisation.sizing.result import SizingResult

__all__ = ["layout_values"]


def layout_values(sm: SizingModel, design: SizingResult) -> ComponentMap:
    """Return 0 or 1 for every connection, pipe-option and doublet binary of ``sm``.

    Parameters
    ----------
    sm
        A built model of the design's inputs or of inputs that ask more of some trenches
        (a design loop's pipe floors).
    design
        The design.

    Returns
    -------
    pyomo.environ.ComponentMap
        Variable -> value. A built trench gets the design's pipe (size and count) where the
        model offers it, else the smallest offered option that carries at least as much
        (the largest offered where none does); a trench the design does not build gets none.
        Doublets: as many as the design's ATES capacity needs.
    """
    m, inputs = sm.model, sm.inputs
    values = ComponentMap()
    connected = set(design.connected_buildings)
    for b, bld in enumerate(inputs.buildings):
        values[m.y[b]] = 1.0 if bld.building_id in connected else 0.0
    built = {
        frozenset((e.from_id, e.to_id)): (int(e.dn_mm), int(e.parallel_pipes))
        for e in design.edges
        if e.built
    }
    capacity_of = {_option_key(p): p.max_heat_kw for p in inputs.pipes}
    for k, edge in enumerate(inputs.edges):
        chosen = built.get(frozenset((edge.from_id, edge.to_id)))
        pick = None
        if chosen is not None:
            offered = sorted(sm.edge_options[k], key=lambda d: inputs.pipes[d].max_heat_kw)
            exact = [
                d for d in offered if (inputs.pipes[d].dn_mm, inputs.pipes[d].parallel) == chosen
            ]
            need_kw = capacity_of.get(chosen, 0.0)
            carries = [d for d in offered if inputs.pipes[d].max_heat_kw >= need_kw - 1e-9]
            pick = (exact or carries or offered[-1:] or [None])[0]
        for d in sm.edge_options[k]:
            values[m.x[k, d]] = 1.0 if d == pick else 0.0
    built_kw = {p.plant_id: p.capacity_kw for p in design.plants}
    for a, src in enumerate(inputs.ates):
        if src.doublets:
            n = round(built_kw.get(src.source_id, 0.0) / (src.max_heat_kw / src.doublets or 1.0))
            for k in range(src.doublets):
                values[m.doublet[a, k]] = 1.0 if k < n else 0.0
    return values


def _option_key(pipe: PipeOption) -> tuple[int, int]:
    return int(pipe.dn_mm), int(pipe.parallel)
