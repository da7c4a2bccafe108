"""Annual totals of a simulated year: soil, pumps, balancing unit, direct exchange.

Definitions (sums over the *valid* hours only; flagged hours are counted separately):

``direct_exchange_mwh``
    ``sum_t min(E_t, I_t)`` with ``E_t = sum_b max(Q_bt, 0)`` the heat the buildings take from
    the loop and ``I_t = sum_b max(-Q_bt, 0)`` the heat they put into it in hour ``t``
    (loop-side loads, after booster heat pumps and chillers): heat that moves from
    injecting to extracting buildings within the hour without passing through the balancing
    unit.
``balancing_throughput_mwh``
    ``sum_t |Q_bu,t|``: heat the balancing unit (ATES) supplies to or absorbs from the loop.
``direct_exchange_share``
    ``direct / (direct + balancing throughput)``: the share of all heat moved in the network
    that went directly from building to building. 1 means the buildings balance each other
    every hour; 0 means every kWh passes through the storage.
``ates_imbalance``
    ``|out - in| / max(out, in)`` with ``out`` = heat the balancing unit supplied to the loop
    (taken from the warm well) and ``in`` = heat it absorbed (stored in the warm well); the
    Dutch ATES permits cap it (district field ``thermal_balance_tolerance``).
"""

from __future__ import annotations

import numpy as np

from tsg.grid.year_result import YearResult

__all__ = ["network_totals"]


def network_totals(year: YearResult) -> dict[str, float | int | dict[str, int]]:
    """Annual totals of the network side of a simulated year.

    Parameters
    ----------
    year
        Simulated hours (one row per hour; energies in kWh = kW x 1 h).

    Returns
    -------
    dict
        ``hours``, ``valid_hours``, ``flagged_hours``, ``flagged_reasons`` (reason -> count),
        ``solver_hours`` (solver -> count), building loads ``buildings_extract_mwh``,
        ``buildings_inject_mwh``, ``direct_exchange_mwh``, ``balancing_throughput_mwh``,
        ``direct_exchange_share``, balancing unit ``balancing_heat_to_loop_mwh``,
        ``balancing_heat_from_loop_mwh``, ``balancing_net_heat_to_loop_mwh``,
        ``ates_imbalance``, soil ``soil_gain_mwh``, ``soil_loss_mwh``, ``soil_net_gain_mwh``,
        pumps ``pump_elec_mwh``, ``pump_central_elec_mwh``, ``pump_decentral_elec_mwh``,
        ``pipe_friction_mwh``, ``max_energy_residual_rel``, temperatures
        ``min_node_temperature_c``, ``max_node_temperature_c``, ``max_velocity_m_per_s``,
        ``max_pressure_gradient_pa_per_m``.

    """
    h = year.hours
    ok = year.valid
    loads = np.where(ok[:, None], year.bld_heat_requested_kw, 0.0)
    extract = np.maximum(loads, 0.0).sum(axis=1)
    inject = np.maximum(-loads, 0.0).sum(axis=1)
    q_bu = np.where(ok, h.balancing_heat_kw.to_numpy(dtype=float), 0.0)
    soil = np.where(ok, h.soil_gain_kw.to_numpy(dtype=float), 0.0)
    direct = float(np.minimum(extract, inject).sum()) / 1000.0
    through = float(np.abs(q_bu).sum()) / 1000.0
    out_mwh = float(np.maximum(q_bu, 0.0).sum()) / 1000.0
    in_mwh = float(np.maximum(-q_bu, 0.0).sum()) / 1000.0
    eff = 1.0

    def total(col: str, scale: float) -> float:
        return float(np.nansum(np.where(ok, h[col].to_numpy(dtype=float), 0.0))) / scale

    pump_kw = total("pump_elec_kw", 1000.0)
    central_w = total("pump_central_w", 1e6)
    decentral_w = total("pump_decentral_w", 1e6)
    if central_w + decentral_w > 0:
        eff = (central_w + decentral_w) / pump_kw if pump_kw > 0 else 1.0
    flagged = h.reason[~ok].value_counts()
    t_valid = year.t_node_c[ok]
    return {
        "hours": int(len(h)),
        "valid_hours": int(ok.sum()),
        "flagged_hours": int((~ok).sum()),
        "flagged_reasons": {str(k): int(v) for k, v in flagged.items()},
        "solver_hours": {str(k): int(v) for k, v in h.solver.value_counts().items()},
        "buildings_extract_mwh": float(extract.sum()) / 1000.0,
        "buildings_inject_mwh": float(inject.sum()) / 1000.0,
        "direct_exchange_mwh": direct,
        "balancing_throughput_mwh": through,
        "direct_exchange_share": direct / (direct + through) if direct + through > 0 else 0.0,
        "balancing_heat_to_loop_mwh": out_mwh,
        "balancing_heat_from_loop_mwh": in_mwh,
        "balancing_net_heat_to_loop_mwh": out_mwh - in_mwh,
        "ates_imbalance": abs(out_mwh - in_mwh) / max(out_mwh, in_mwh)
        if max(out_mwh, in_mwh) > 0
        else 0.0,
        "soil_gain_mwh": float(np.maximum(soil, 0.0).sum()) / 1000.0,
        "soil_loss_mwh": float(np.maximum(-soil, 0.0).sum()) / 1000.0,
        "soil_net_gain_mwh": float(soil.sum()) / 1000.0,
        "pump_elec_mwh": pump_kw,
        "pump_central_elec_mwh": central_w / eff,
        "pump_decentral_elec_mwh": decentral_w / eff,
        "pipe_friction_mwh": total("pipe_friction_w", 1e6),
        "max_energy_residual_rel": float(np.nanmax(h.energy_residual_rel[ok], initial=0.0)),
        "min_node_temperature_c": float(np.nanmin(t_valid, initial=np.inf)),
        "max_node_temperature_c": float(np.nanmax(t_valid, initial=-np.inf)),
        "max_velocity_m_per_s": float(np.nanmax(h.max_velocity_m_per_s[ok], initial=0.0)),
        "max_pressure_gradient_pa_per_m": float(
            np.nanmax(h.max_pressure_gradient_pa_per_m[ok], initial=0.0)
        ),
    }
