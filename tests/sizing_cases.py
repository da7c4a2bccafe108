"""Tiny sizing cases with known answers, shared by the sizing tests."""

from __future__ import annotations

import dataclasses

import numpy as np

from tsg.grid.design_limits import load_design_limits
from tsg.grid.pipe_catalogue import load_pipe_catalogue
from tsg.optimisation.sizing import (
    BuildingInput,
    EdgeInput,
    Prices,
    SizingInputs,
    full_year,
    load_technologies,
    pipe_options,
)

PRICES = Prices(
    gas_price_eur_per_m3=1.10,
    electricity_price_eur_per_kwh=0.22,
    co2_price_eur_per_t=0.0,
    gas_emission_kg_per_m3=1.78,
    electricity_emission_kg_per_kwh=0.374,
    discount_rate=0.04,
)
HOURS = 24
TECH = load_technologies()
LIMITS = load_design_limits()
PIPES = pipe_options(load_pipe_catalogue(), delta_t_k=6.0, limits=LIMITS)


def building(bid, *, heat=0.0, cool=0.0, x=0.0, partner=None, hours=HOURS, **kw):
    """A building with constant (or given) hourly demand."""
    heat_kw = np.broadcast_to(np.asarray(heat, dtype=float), (hours,)).copy()
    cool_kw = np.broadcast_to(np.asarray(cool, dtype=float), (hours,)).copy()
    return BuildingInput(
        building_id=bid,
        partner=partner or f"p-{bid}",
        heat_kw=heat_kw,
        dhw_kw=np.zeros(hours),
        cool_kw=cool_kw,
        x_m=x,
        y_m=0.0,
        **kw,
    )


def inputs(buildings, edges=(), *, t_air=10.0, hours=HOURS, **kw):
    """Sizing inputs on a 16/10 degC loop."""
    return SizingInputs(
        buildings=tuple(buildings),
        edges=tuple(EdgeInput(*e) for e in edges),
        pipes=PIPES,
        technologies=TECH,
        prices=PRICES,
        t_warm_c=16.0,
        t_cold_c=10.0,
        t_air_c=np.broadcast_to(np.asarray(t_air, dtype=float), (hours,)).copy(),
        **kw,
    )


def year_steps(inp):
    """Every modelled hour stands for 8760 / n hours (the day repeats all year)."""
    steps = full_year(inp)
    return dataclasses.replace(steps, weights_h=np.full(steps.n_steps, 8760.0 / steps.n_steps))


def neighbours(distant_m=None):
    """A heated and a cooled building 50 m apart (and optionally a small distant one)."""
    items = [building("a", heat=400.0), building("b", cool=330.0, x=50.0)]
    edges = [("a", "b", 60.0)]
    if distant_m is not None:
        items.append(building("c", heat=50.0, x=50.0 + distant_m))
        edges.append(("b", "c", distant_m))
    return inputs(items, edges)
