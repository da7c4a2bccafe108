"""Heat that keeps the water of an indoor swimming pool at temperature.

Pool water (28-32 degC) is low-temperature heat, not 60 degC hot water: it is counted with
space heating (``heat_kw``), while showers stay domestic hot water. Three losses per m2 of
water surface, each with its parameters in ``data/catalogues/archetypes.yaml``:

* **evaporation** (VDI 2089-1): ``m = eps / (R_D T_mean) * (p_sat(T_water) - phi p_sat(T_hall))``
  [kg/(m2 h)] with the evaporation coefficient ``eps`` [m/h] of a pool in use during opening
  hours and of a still surface otherwise, ``R_D = 461.52 J/(kg K)``, ``T_mean`` the mean of water
  and hall air [K] and the saturation pressure by the Magnus formula; times the latent heat
  ``r(T_water) = 2501 - 2.37 T_water`` [kJ/kg]. VDI 2089's coefficient of a pool in use is the
  design case of a full pool (it sizes the dehumidification); over the opening hours the pool
  holds ``bathers_per_water_m2_day`` of the design ``design_bathers_per_water_m2_day``, so the
  coefficient in use lies that share of the way from the still surface's to the full pool's.
  The evaporated water leaves the hall with the exhaust air; heat recovery on the exhaust
  (exchanger or heat-pump dehumidifier) returns ``exhaust_heat_recovery`` of its latent heat to
  the building, so the building buys ``1 - exhaust_heat_recovery`` of it;
* **transmission** through walls and floor of the basin to the ground:
  ``U * basin_area_per_water_m2 * (T_water - T_ground)`` [W/m2];
* **fresh water** (DIN 19643: at least 30 l per bather): bathers per m2 and day times the litres
  per bather heated from mains temperature to pool temperature, drawn during opening hours.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tsg.common.units import C_TO_K

__all__ = ["PoolParameters", "evaporation_kg_per_m2_h", "pool_water_kw", "saturation_pa"]

WATER_VAPOUR_GAS_CONSTANT_J_PER_KG_K = 461.52
"""Specific gas constant of water vapour [J/(kg K)]."""
WATER_HEAT_WH_PER_L_K = 1.163
"""Volumetric heat capacity of water [Wh/(l K)] (4.186 kJ/(kg K) x 1 kg/l / 3.6)."""


@dataclass(frozen=True)
class PoolParameters:
    """Physics of an indoor pool (see module docstring); units in the names."""

    water_surface_per_floor_area: float
    water_c: float
    hall_air_above_water_k: float
    hall_relative_humidity: float
    evaporation_coefficient_in_use_m_per_h: float
    evaporation_coefficient_at_rest_m_per_h: float
    exhaust_heat_recovery: float
    basin_area_per_water_m2: float
    basin_u_w_per_m2_k: float
    ground_c: float
    bathers_per_water_m2_day: float
    design_bathers_per_water_m2_day: float
    fresh_water_l_per_bather: float
    mains_water_c: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.exhaust_heat_recovery < 1.0:
            raise ValueError("pool: exhaust_heat_recovery must be within [0, 1)")
        if not self.design_bathers_per_water_m2_day > 0.0:
            raise ValueError("pool: design_bathers_per_water_m2_day must be > 0")

    def coefficient_in_use_m_per_h(self) -> float:
        """Return the evaporation coefficient over the opening hours [m/h] at the mean use.

        The still surface's coefficient plus the share ``bathers / design bathers`` (at most 1)
        of the step to VDI 2089's full pool.
        """
        use_share = min(self.bathers_per_water_m2_day / self.design_bathers_per_water_m2_day, 1.0)
        rest = self.evaporation_coefficient_at_rest_m_per_h
        return rest + use_share * (self.evaporation_coefficient_in_use_m_per_h - rest)


def saturation_pa(t_c: float) -> float:
    """Saturation vapour pressure over water [Pa] (Magnus formula, WMO coefficients)."""
    return 611.2 * float(np.exp(17.62 * t_c / (243.12 + t_c)))


def evaporation_kg_per_m2_h(pool: PoolParameters, *, coefficient_m_per_h: float) -> float:
    """Evaporation per m2 of water surface [kg/(m2 h)] by VDI 2089-1."""
    hall_c = pool.water_c + pool.hall_air_above_water_k
    drive_pa = saturation_pa(pool.water_c) - pool.hall_relative_humidity * saturation_pa(hall_c)
    mean_k = 0.5 * (pool.water_c + hall_c) + C_TO_K
    rate = coefficient_m_per_h / (WATER_VAPOUR_GAS_CONSTANT_J_PER_KG_K * mean_k) * drive_pa
    return max(rate, 0.0)


def pool_water_kw(
    in_use: np.ndarray, *, water_surface_m2: float, pool: PoolParameters
) -> np.ndarray:
    """Hourly heat that keeps the pool water at temperature [kW].

    Parameters
    ----------
    in_use
        Per hour: the pool is open (bool).
    water_surface_m2
        Water surface of all basins [m2].
    pool
        Pool physics.

    Returns
    -------
    numpy.ndarray
        Heat per hour [kW] (evaporation net of heat recovery + transmission + fresh water).
    """
    in_use = np.asarray(in_use, dtype=bool)
    latent_kwh_per_kg = (2501.0 - 2.37 * pool.water_c) / 3600.0
    bought_latent_kwh_per_kg = (1.0 - pool.exhaust_heat_recovery) * latent_kwh_per_kg
    use_kg = evaporation_kg_per_m2_h(pool, coefficient_m_per_h=pool.coefficient_in_use_m_per_h())
    rest_kg = evaporation_kg_per_m2_h(
        pool, coefficient_m_per_h=pool.evaporation_coefficient_at_rest_m_per_h
    )
    evaporation_w = 1000.0 * bought_latent_kwh_per_kg * np.where(in_use, use_kg, rest_kg)
    transmission_w = (
        pool.basin_u_w_per_m2_k * pool.basin_area_per_water_m2 * (pool.water_c - pool.ground_c)
    )
    days = len(in_use) / 24.0
    fresh_wh_per_m2_year = (
        pool.bathers_per_water_m2_day
        * days
        * pool.fresh_water_l_per_bather
        * WATER_HEAT_WH_PER_L_K
        * (pool.water_c - pool.mains_water_c)
    )
    open_hours = int(in_use.sum())
    fresh_w = np.where(in_use, fresh_wh_per_m2_year / max(open_hours, 1), 0.0)
    if open_hours == 0:
        fresh_w = np.full(len(in_use), fresh_wh_per_m2_year / len(in_use))
    return (evaporation_w + transmission_w + fresh_w) * water_surface_m2 / 1000.0
