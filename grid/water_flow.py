"""Water properties and pipe friction (Colebrook) for the pipe catalogue and the solvers."""

from __future__ import annotations

import math

from scipy.optimize import brentq

__all__ = [
    "colebrook_friction_factor",
    "pressure_gradient_pa_per_m",
    "water_density_kg_per_m3",
    "water_viscosity_pa_s",
]


def water_density_kg_per_m3(t_c: float) -> float:
    """Density of liquid water at 1 atm [kg/m³], 0-100 °C (Kell 1975 polynomial).

    Parameters
    ----------
    t_c
        Temperature [°C].

    Returns
    -------
    float
        Density [kg/m³] (999.7 at 10 °C, 998.2 at 20 °C).

    """
    t = t_c
    num = (
        999.83952
        + 16.945176 * t
        - 7.9870401e-3 * t**2
        - 46.170461e-6 * t**3
        + 105.56302e-9 * t**4
        - 280.54253e-12 * t**5
    )
    return num / (1 + 16.879850e-3 * t)


def water_viscosity_pa_s(t_c: float) -> float:
    """Dynamic viscosity of water [Pa s] (Vogel equation, A=2.414e-5 Pa s, B=247.8 K, C=140 K).

    Parameters
    ----------
    t_c
        Temperature [°C].

    Returns
    -------
    float
        Viscosity [Pa s] (1.31e-3 at 10 °C, 1.00e-3 at 20 °C).

    """
    return 2.414e-5 * 10 ** (247.8 / (t_c + 273.15 - 140.0))


def colebrook_friction_factor(*, reynolds: float, relative_roughness: float) -> float:
    """Darcy friction factor: 64/Re below Re = 2300, Colebrook-White (solved exactly) above.

    Parameters
    ----------
    reynolds
        Reynolds number [-], > 0.
    relative_roughness
        k / d [-].

    Returns
    -------
    float
        Darcy friction factor [-].

    """
    if reynolds <= 0:
        raise ValueError("reynolds must be positive")
    if reynolds < 2300.0:
        return 64.0 / reynolds

    def colebrook(x: float) -> float:  # x = 1/sqrt(f)
        return x + 2.0 * math.log10(relative_roughness / 3.7 + 2.51 * x / reynolds)

    x = brentq(colebrook, 1.0, 100.0, xtol=1e-12)
    return 1.0 / x**2


def pressure_gradient_pa_per_m(
    *, mdot_kg_per_s: float, di_mm: float, roughness_mm: float, t_water_c: float = 15.0
) -> float:
    """Frictional pressure gradient of water in a straight pipe [Pa/m] (Darcy-Weisbach).

    Parameters
    ----------
    mdot_kg_per_s
        Mass flow [kg/s] (sign ignored).
    di_mm
        Inner diameter [mm].
    roughness_mm
        Absolute roughness [mm].
    t_water_c
        Water temperature [°C] for density and viscosity.

    Returns
    -------
    float
        dp/dx [Pa/m], >= 0.

    """
    mdot = abs(mdot_kg_per_s)
    if mdot == 0.0:
        return 0.0
    d = di_mm / 1000.0
    rho = water_density_kg_per_m3(t_water_c)
    mu = water_viscosity_pa_s(t_water_c)
    area = math.pi * d**2 / 4
    v = mdot / (rho * area)
    re = rho * v * d / mu
    f = colebrook_friction_factor(reynolds=re, relative_roughness=roughness_mm / di_mm)
    return f * rho * v**2 / (2 * d)
