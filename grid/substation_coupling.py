"""Substations evaluated at the temperatures the network actually delivers.

:func:`grid.substation.substation_loads` computes each building's loop-side load with the heat
pump COP at the *nominal* warm-line temperature. In the simulated network a heating building
gets its water a little cooler (soil exchange), and at the end of a long low-flow branch in
winter much cooler (down to a few degrees above the soil, after which the evaporator returns
it below the cold line, see :func:`grid.network.heating_return_k`). Its heat pump then lifts
from a lower source temperature: lower COP, more electricity, less heat taken from the loop
for the same heat delivered to the building. The evaporator's refrigerant lies below the water
it returns (:mod:`grid.substation`), so the building's outlet temperature (the cold line, or
lower when the inlet is too cold) sets its COP.

:func:`substations_at_inlet` re-evaluates the substations with the inlet temperature of every
building and hour; :func:`simulate_year_coupled` closes the loop: loads -> network ->
inlet temperatures -> loads, until the loads change by less than ``tol_kw``. Each pass is an
ordinary :func:`grid.fast_annual.simulate_year`, so every hour keeps its energy-balance check;
the returned year is solved with exactly the returned loads, and the returned substation
electricity belongs to the inlet temperatures of that year (its loads differ from the solved
ones by less than ``tol_kw``).

Source and sink temperatures: a building that takes heat from the loop (net) feeds its heat
pumps with the loop water it draws (inlet temperature ``T_in``) mixed with the water its own
cooling has warmed to the warm set point; the mix is ``T_warm - w (T_warm - T_in)`` with ``w``
the share of the heat pumps' extraction that the loop supplies (net / gross extraction, at
nominal temperatures). Likewise a building that injects heat cools with its cold-line inlet
mixed with its heat pumps' return at the cold set point. Without a net flow the substation
is a closed loop at nominal temperatures, so the correction fades out continuously where a
building changes between taking and injecting heat. Flagged hours keep the nominal values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tsg.common.errors import InputError
from tsg.grid.fast_annual import simulate_year
from tsg.grid.network import ThermalNetwork
from tsg.grid.substation import SubstationSpec, substation_loads
from tsg.grid.year_result import YearResult

__all__ = ["CoupledYear", "simulate_year_coupled", "substations_at_inlet"]

_HEAT_COLUMNS = ["network_extract_kw", "elec_heating_kw", "elec_dhw_kw", "cop_heating"]
_HEAT_COLUMNS += ["cop_dhw", "heating_direct", "dhw_direct"]
_COOL_COLUMNS = ["network_inject_kw", "elec_cooling_kw", "eer_cooling", "free_cooling"]


@dataclass(frozen=True)
class CoupledYear:
    """Result of :func:`simulate_year_coupled`.

    Attributes
    ----------
    year
        The simulated year, solved with ``loads_kw``.
    loads_kw
        Loop-side load per hour and building [kW] (> 0 takes heat) of the last pass.
    substations
        Per building the table of :func:`grid.substation.substation_loads` evaluated at the
        inlet temperatures of ``year``.
    passes
        Network solves done.
    max_load_change_kw
        Largest change of a building's hourly load in the last pass [kW].

    """

    year: YearResult
    loads_kw: pd.DataFrame
    substations: dict[str, pd.DataFrame]
    passes: int
    max_load_change_kw: float


def substations_at_inlet(
    year: YearResult,
    *,
    demand: Mapping[str, pd.DataFrame],
    specs: Mapping[str, SubstationSpec],
    t_warm_c: float,
    t_cold_c: float,
) -> dict[str, pd.DataFrame]:
    """Substation tables with the temperatures each building got in each hour.

    Parameters
    ----------
    year
        A simulated year (its ``bld_mode`` and ``bld_t_in_c``).
    demand
        Per building id its hourly demand (columns ``heat_kw``, ``dhw_kw``, ``cool_kw``) on
        the index of ``year``.
    specs
        Per building id its substation data.
    t_warm_c, t_cold_c
        Nominal line temperatures [°C], used where the building's own inlet does not apply.

    Returns
    -------
    dict[str, pandas.DataFrame]
        Per building the columns of :data:`grid.substation.SUBSTATION_COLUMNS`.

    Raises
    ------
    InputError
        A building of ``year`` without demand or spec.

    """
    ids = set(year.building_ids)
    missing = sorted((ids - set(demand)) | (ids - set(specs)))
    if missing:
        raise InputError(f"no demand or substation spec for buildings {missing}")
    out = {}
    for k, b in enumerate(year.building_ids):
        mode, t_in = year.bld_mode[:, k], year.bld_t_in_c[:, k]
        got = np.isfinite(t_in)
        nom = substation_loads(demand[b], spec=specs[b], t_warm_c=t_warm_c, t_cold_c=t_cold_c)
        net_kw = nom.network_heat_kw.to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            w_heat = np.clip(np.nan_to_num(net_kw / nom.network_extract_kw.to_numpy()), 0, 1)
            w_cool = np.clip(np.nan_to_num(-net_kw / nom.network_inject_kw.to_numpy()), 0, 1)
        t_src = np.where((mode == 1) & got, t_warm_c - w_heat * (t_warm_c - t_in), t_warm_c)
        # the evaporators return the water at the building's outlet temperature (the cold
        # line, or lower at the end of a cold branch): the refrigerant evaporates below it
        t_out = year.bld_t_out_c[:, k]
        t_evap_out = np.where(
            (mode == 1) & got & np.isfinite(t_out), np.minimum(t_cold_c, t_out), t_cold_c
        )
        t_sink = np.where((mode == -1) & got, t_cold_c + w_cool * (t_in - t_cold_c), t_cold_c)
        # heat pumps: inlet as source, evaporator outlet as the cold side
        heat = substation_loads(
            demand[b],
            spec=specs[b],
            t_warm_c=t_src,
            t_cold_c=np.minimum(t_evap_out, t_src - 0.1),
        )
        # chillers / free cooling: the cold-line inlet, condenser at the warm set point
        cool = substation_loads(
            demand[b],
            spec=specs[b],
            t_warm_c=np.maximum(t_warm_c, t_sink + 0.1),
            t_cold_c=t_sink,
        )
        table = heat.copy()
        table[_COOL_COLUMNS] = cool[_COOL_COLUMNS]
        table["network_heat_kw"] = table.network_extract_kw - table.network_inject_kw
        table["elec_kw"] = table.elec_heating_kw + table.elec_dhw_kw + table.elec_cooling_kw
        out[b] = table[heat.columns]
    return out


def simulate_year_coupled(
    network: ThermalNetwork,
    *,
    demand: Mapping[str, pd.DataFrame],
    specs: Mapping[str, SubstationSpec],
    t_soil_c: float | pd.Series,
    tol_kw: float = 0.1,
    max_passes: int = 5,
) -> CoupledYear:
    """Simulate a year with substations evaluated at the delivered temperatures.

    Parameters
    ----------
    network
        The network (:func:`grid.network.build_network`).
    demand, specs
        Per building id its hourly demand and substation data (as in
        :func:`substations_at_inlet`); the first pass uses the nominal line temperatures.
    t_soil_c
        Undisturbed soil temperature [°C], scalar or a Series on the demand index.
    tol_kw
        Stop when no hourly building load changes by more [kW]. Default 0.1 (the
        per-hour solvers meet each load within 0.1 % anyway).
    max_passes
        Network solves at most (the last one is returned even if not within ``tol_kw``;
        ``max_load_change_kw`` says how far it is). Flagged hours keep the loads they had
        when they were first flagged.

    Returns
    -------
    CoupledYear

    """
    loop = network.loop
    ids = list(network.building_ids)
    subs = {
        b: substation_loads(
            demand[b], spec=specs[b], t_warm_c=loop.t_warm_c, t_cold_c=loop.t_cold_c
        )
        for b in ids
    }
    loads = pd.DataFrame({b: subs[b].network_heat_kw for b in ids})
    change = float("inf")
    passes = 0
    while True:
        passes += 1
        year = simulate_year(network, building_heat_kw=loads, t_soil_c=t_soil_c)
        subs = substations_at_inlet(
            year, demand=demand, specs=specs, t_warm_c=loop.t_warm_c, t_cold_c=loop.t_cold_c
        )
        new = pd.DataFrame({b: subs[b].network_heat_kw for b in ids})
        # a flagged hour keeps its loads: its nominal fallback would make them jump
        new = new.where(pd.Series(year.valid, index=new.index), loads, axis=0)
        change = float(np.abs(new.to_numpy() - loads.to_numpy()).max(initial=0.0))
        if change <= tol_kw or passes >= max_passes:
            return CoupledYear(
                year=year,
                loads_kw=loads,
                substations=subs,
                passes=passes,
                max_load_change_kw=change,
            )
        loads = new
