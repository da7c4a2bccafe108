"""Building substations on an ambient loop: booster heat pumps, free cooling, chillers.

A building on a two-pipe ambient loop (warm line, cold line) covers

* space heating and domestic hot water (DHW) with booster heat pumps whose evaporators take
  water from the warm line and return it to the cold line. With ``COP = Q_heat / W``, the heat
  taken from the loop is ``Q_heat * (1 - 1/COP)`` and the electricity ``Q_heat / COP``;
* space cooling directly ("free cooling") through a heat exchanger when the cold line is at or
  below the cooling supply temperature the building needs, otherwise with a chiller whose
  condenser rejects ``Q_cool * (1 + 1/EER)`` into the loop (cold line -> warm line).

Machines are Carnot cycles with an efficiency factor at their *refrigerant* temperatures:

* booster heat pump ``COP = eta * T_cond / (T_cond - T_evap)`` [K] with the condenser
  ``condenser_approach_k`` above the supply temperature (the hottest water it makes) and the
  evaporator ``evaporator_approach_k`` below the cold line (the evaporator cools warm-line
  water down to the cold-line temperature, so its refrigerant must be colder than that);
  capped at ``max_cop`` and at least 1;
* chiller ``EER = eta * T_evap / (T_cond - T_evap)`` with the evaporator
  ``evaporator_approach_k`` below the chilled-water supply and the condenser
  ``condenser_approach_k`` above the warm line (it heats cold-line water up to the warm line).

Heat exchangers need ``hx_approach_k`` between the two sides: direct heating when the warm
line is at least ``hx_approach_k`` above the supply temperature (no heat pump,
``heating_direct``/``dhw_direct`` True, COP reported as NaN, loop heat = delivered heat);
free cooling when the cold line is at least ``hx_approach_k`` below the chilled-water supply.
The optimiser (:mod:`optimisation.sizing.performance`) calls :func:`substation_loads` too, so
simulation and sizing use the same formulas.

Sign convention of the result: ``network_heat_kw > 0`` means the building takes heat from the
loop (net consumer of heat), ``< 0`` that it injects heat.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tsg.common.errors import InputError
from tsg.common.units import C_TO_K

__all__ = [
    "DEMAND_COLUMNS",
    "SUBSTATION_COLUMNS",
    "SubstationSpec",
    "carnot_cop",
    "substation_loads",
]

DEMAND_COLUMNS = ["heat_kw", "dhw_kw", "cool_kw"]

SUBSTATION_COLUMNS = [
    "network_heat_kw",
    "network_extract_kw",
    "network_inject_kw",
    "elec_kw",
    "elec_heating_kw",
    "elec_dhw_kw",
    "elec_cooling_kw",
    "cop_heating",
    "cop_dhw",
    "eer_cooling",
    "heating_direct",
    "dhw_direct",
    "free_cooling",
]


@dataclass(frozen=True)
class SubstationSpec:
    """Technical data of one building substation.

    Parameters
    ----------
    t_heating_supply_c
        Space-heating supply temperature the building needs [°C] (e.g. 35 for floor heating,
        45-55 for renovated buildings, 70 for old radiators).
    t_dhw_c
        Domestic hot water temperature [°C]; 60 °C keeps legionella away.
    t_cooling_supply_c
        Chilled-water supply temperature the building needs [°C] (e.g. 16 for cooling
        ceilings / activated slabs, 6-8 for air handling with dehumidification).
    carnot_efficiency
        Fraction of the Carnot COP that the booster heat pumps reach [-]. Default 0.5 is an
        assumption (typical water-to-water heat pumps reach 0.45-0.6 of Carnot).
    chiller_eer
        Fixed chiller EER [-] when free cooling is not possible. ``None`` (default): Carnot
        EER ``carnot_efficiency * T_evap / (T_cond - T_evap)`` with evaporator at the cooling
        supply temperature and condenser at the warm-line temperature (+ approaches).
    max_cop
        Cap on heat pump COP and chiller EER [-]; the Carnot formula explodes for small lifts,
        real machines do not. Default 10 (assumption).
    hx_approach_k
        Temperature difference across the heat exchangers of direct heating and free cooling
        [K]. Default 0 (the plain comparison of line and supply temperatures).
    evaporator_approach_k, condenser_approach_k
        How far the refrigerant evaporates below the water leaving the evaporator and
        condenses above the water leaving the condenser [K]. Default 0; the catalogue
        (``technologies.yaml``, ``building_heat_pump``) gives 2.5 K.

    """

    t_heating_supply_c: float = 45.0
    t_dhw_c: float = 60.0
    t_cooling_supply_c: float = 16.0
    carnot_efficiency: float = 0.5
    chiller_eer: float | None = None
    max_cop: float = 10.0
    hx_approach_k: float = 0.0
    evaporator_approach_k: float = 0.0
    condenser_approach_k: float = 0.0

    def __post_init__(self) -> None:
        for name in ("t_heating_supply_c", "t_dhw_c", "t_cooling_supply_c"):
            val = getattr(self, name)
            if not (math.isfinite(val) and -50.0 < val < 150.0):
                raise InputError(f"{name} must be a temperature in °C, got {val}", field=name)
        if not (0.0 < self.carnot_efficiency <= 1.0):
            raise InputError(
                f"carnot_efficiency must lie in (0, 1], got {self.carnot_efficiency}",
                field="carnot_efficiency",
            )
        if self.chiller_eer is not None and not (
            math.isfinite(self.chiller_eer) and self.chiller_eer > 0
        ):
            raise InputError("chiller_eer must be positive", field="chiller_eer")
        if not (math.isfinite(self.max_cop) and self.max_cop > 1.0):
            raise InputError("max_cop must be > 1", field="max_cop")
        for name in ("hx_approach_k", "evaporator_approach_k", "condenser_approach_k"):
            val = getattr(self, name)
            if not (math.isfinite(val) and 0.0 <= val <= 20.0):
                raise InputError(f"{name} must lie in [0, 20] K, got {val}", field=name)


def carnot_cop(
    *, t_sink_c: np.ndarray | float, t_source_c: np.ndarray | float, efficiency: float
) -> np.ndarray:
    """Heating COP ``efficiency * T_sink / (T_sink - T_source)`` [-] with temperatures in K.

    Parameters
    ----------
    t_sink_c
        Condenser (delivery) temperature [°C].
    t_source_c
        Evaporator (source) temperature [°C].
    efficiency
        Fraction of the Carnot COP [-].

    Returns
    -------
    numpy.ndarray
        COP [-]; NaN where ``t_sink_c <= t_source_c`` (no lift: no heat pump needed).

    """
    sink = np.asarray(t_sink_c, dtype=float) + C_TO_K
    source = np.asarray(t_source_c, dtype=float) + C_TO_K
    lift = sink - source
    with np.errstate(divide="ignore", invalid="ignore"):
        cop = np.where(lift > 0, efficiency * sink / lift, np.nan)
    return cop


def _hourly(value: float | np.ndarray | pd.Series, n: int, name: str) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        arr = np.full(n, float(arr))
    if arr.shape != (n,):
        raise InputError(f"{name} must be a scalar or have one value per hour ({n})", field=name)
    if not np.all(np.isfinite(arr)):
        raise InputError(f"{name} must be finite", field=name)
    return arr


def substation_loads(
    demand: pd.DataFrame,
    *,
    spec: SubstationSpec,
    t_warm_c: float | np.ndarray | pd.Series,
    t_cold_c: float | np.ndarray | pd.Series,
) -> pd.DataFrame:
    """Hourly loop-side heat and electricity of one building.

    Parameters
    ----------
    demand
        Hourly thermal demand of the building, columns ``heat_kw`` (space heating),
        ``dhw_kw`` (domestic hot water), ``cool_kw`` (space cooling), all >= 0 [kW].
    spec
        Substation data.
    t_warm_c
        Warm-line temperature at the building [°C], scalar or one value per hour.
    t_cold_c
        Cold-line temperature at the building [°C], scalar or one value per hour; must be
        below ``t_warm_c``.

    Returns
    -------
    pandas.DataFrame
        Same index as ``demand``, columns

        - ``network_heat_kw``: net heat taken from the loop [kW] (> 0 takes, < 0 injects)
          = ``network_extract_kw - network_inject_kw``;
        - ``network_extract_kw``: heat taken by heat pumps / direct heating [kW] >= 0;
        - ``network_inject_kw``: heat put in by free cooling / chiller [kW] >= 0;
        - ``elec_kw``: total electricity = heating + DHW + cooling parts [kW];
        - ``elec_heating_kw``, ``elec_dhw_kw``, ``elec_cooling_kw`` [kW];
        - ``cop_heating``, ``cop_dhw``: heat pump COP [-], NaN in direct mode;
        - ``eer_cooling``: chiller EER [-], NaN when free cooling;
        - ``heating_direct``, ``dhw_direct``, ``free_cooling``: bool.

        Balances (exact): ``network_extract_kw + elec_heating_kw + elec_dhw_kw = heat_kw +
        dhw_kw`` and ``network_inject_kw = cool_kw + elec_cooling_kw``.

    Raises
    ------
    InputError
        Missing demand columns, negative or non-finite demand, bad temperatures.

    """
    missing = [c for c in DEMAND_COLUMNS if c not in demand.columns]
    if missing:
        raise InputError(f"demand lacks columns {missing}; required: {DEMAND_COLUMNS}")
    n = len(demand)
    loads = {}
    for col in DEMAND_COLUMNS:
        vals = pd.to_numeric(demand[col], errors="coerce").to_numpy(dtype=float)
        if not np.all(np.isfinite(vals)):
            raise InputError(f"'{col}' must be finite numbers", field=col)
        if np.any(vals < 0):
            raise InputError(f"'{col}' must be >= 0 (thermal demand, kW)", field=col)
        loads[col] = vals
    t_warm = _hourly(t_warm_c, n, "t_warm_c")
    t_cold = _hourly(t_cold_c, n, "t_cold_c")
    if np.any(t_warm <= t_cold):
        raise InputError("the warm line must be warmer than the cold line", field="t_warm_c")

    eta = spec.carnot_efficiency
    dt = spec.hx_approach_k
    t_evap_c = t_cold - spec.evaporator_approach_k

    def heat_pump(q: np.ndarray, t_supply_c: float) -> tuple[np.ndarray, ...]:
        direct = t_warm - dt >= t_supply_c
        # at least 1: a heat pump never does worse than direct electric heating (with a low
        # Carnot efficiency and a large lift the formula would give COP < 1 and a negative
        # heat extraction from the loop)
        t_cond_c = t_supply_c + spec.condenser_approach_k
        cop = np.clip(
            carnot_cop(t_sink_c=t_cond_c, t_source_c=t_evap_c, efficiency=eta),
            1.0,
            spec.max_cop,
        )
        cop = np.where(direct, np.nan, cop)
        elec = np.where(direct, 0.0, q / np.where(direct, 1.0, cop))
        return q - elec, elec, cop, direct

    ext_h, elec_h, cop_h, direct_h = heat_pump(loads["heat_kw"], spec.t_heating_supply_c)
    ext_w, elec_w, cop_w, direct_w = heat_pump(loads["dhw_kw"], spec.t_dhw_c)

    free = t_cold + dt <= spec.t_cooling_supply_c
    if spec.chiller_eer is not None:
        eer = np.full(n, spec.chiller_eer)
    else:
        t_evap = spec.t_cooling_supply_c - spec.evaporator_approach_k
        t_cond = t_warm + spec.condenser_approach_k
        eer = carnot_cop(t_sink_c=t_cond, t_source_c=t_evap, efficiency=eta) - eta
        # cooling EER = eta * T_evap / (T_cond - T_evap) = heating COP - eta
        eer = np.where(np.isnan(eer), spec.max_cop, np.minimum(eer, spec.max_cop))
    eer = np.where(free, np.nan, eer)
    q_cool = loads["cool_kw"]
    elec_c = np.where(free, 0.0, q_cool / np.where(free, 1.0, eer))
    inject = q_cool + elec_c

    extract = ext_h + ext_w
    out = pd.DataFrame(
        {
            "network_heat_kw": extract - inject,
            "network_extract_kw": extract,
            "network_inject_kw": inject,
            "elec_kw": elec_h + elec_w + elec_c,
            "elec_heating_kw": elec_h,
            "elec_dhw_kw": elec_w,
            "elec_cooling_kw": elec_c,
            "cop_heating": cop_h,
            "cop_dhw": cop_w,
            "eer_cooling": eer,
            "heating_direct": direct_h,
            "dhw_direct": direct_w,
            "free_cooling": free,
        },
        index=demand.index,
    )
    return out[SUBSTATION_COLUMNS]
