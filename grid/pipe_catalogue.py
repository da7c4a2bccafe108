"""Pipe catalogue (uninsulated PE100 SDR11) and rule-based pipe sizing.

The catalogue lives in ``tsg/data/catalogues/pipes.csv`` (repository folder ``data/``). Its
columns:

``dn_mm``
    Nominal size [mm]; for PE pipes the nominal size is the outer diameter (EN 12201).
``da_mm``
    Outer diameter [mm].
``sdr``
    Standard dimension ratio DA / wall [-].
``wall_mm``, ``di_mm``
    Wall thickness and inner diameter [mm] (EN 12201-2 nominal values, as in the pandapipes
    standard-type library).
``roughness_mm``
    Absolute wall roughness [mm].
``u_w_per_mk``
    Heat transfer coefficient fluid -> undisturbed soil per metre of pipe [W/(m K)].
``u_w_per_m2k``
    The same per m² of *outer* pipe surface [W/(m² K)] (= ``u_w_per_mk / (pi * da)``), which is
    the surface pandapipes 0.16 multiplies ``u_w_per_m2k`` with.
``cost_material_eur_per_m``, ``cost_installed_unpaved_eur_per_m``,
``cost_installed_paved_eur_per_m``
    Cost per metre of one pipe [EUR/m].
``lifetime_yr``, ``om_fraction_per_yr``
    Technical lifetime [yr] and annual O&M as a fraction of investment [1/yr].
``source``, ``note``
    Where the numbers come from; ``note`` starts with ``assumption:`` where they are assumed.

The numbers in the CSV are produced by :func:`catalogue_rows` (run this module as a script
to rewrite the file); a test checks that the shipped file matches the formulas.
"""

from __future__ import annotations

import importlib.resources
import math
from pathlib import Path

import numpy as np
import pandas as pd

from tsg.common.errors import InputError
from tsg.grid.water_flow import (
    pressure_gradient_pa_per_m,
    water_density_kg_per_m3,
)

__all__ = [
    "CATALOGUE_COLUMNS",
    "catalogue_rows",
    "installed_cost_eur_per_m",
    "load_pipe_catalogue",
    "material_cost_eur_per_m",
    "size_pipe_by_rule",
    "soil_heat_transfer_w_per_mk",
]

CATALOGUE_COLUMNS = [
    "dn_mm",
    "da_mm",
    "sdr",
    "wall_mm",
    "di_mm",
    "roughness_mm",
    "u_w_per_mk",
    "u_w_per_m2k",
    "cost_material_eur_per_m",
    "cost_installed_unpaved_eur_per_m",
    "cost_installed_paved_eur_per_m",
    "lifetime_yr",
    "om_fraction_per_yr",
    "source",
    "note",
]

# --- EN 12201-2 PE100 SDR11 sizes: outer diameter [mm] -> inner diameter [mm] --------------
# Taken from the pandapipes 0.16 standard-type library (std_types/library/Pipe.csv,
# "<DA>_PE_100_SDR_11"), which lists the EN 12201-2 nominal wall thicknesses.
_SDR11_INNER_MM: dict[int, float] = {
    32: 26.2,
    40: 32.6,
    50: 40.8,
    63: 51.4,
    75: 61.4,
    90: 73.6,
    110: 90.0,
    125: 102.2,
    160: 130.8,
    180: 147.2,
    225: 184.0,
    250: 204.6,
    280: 229.2,
    315: 257.8,
    355: 290.6,
    400: 327.4,
    450: 368.0,
}

ROUGHNESS_MM = 0.01
LAMBDA_PE_W_PER_MK = 0.4
LAMBDA_SOIL_W_PER_MK = 1.5
AXIS_DEPTH_M = 1.0
PAVED_CIVIL_FACTOR = 1.5
LIFETIME_YR = 50.0
OM_FRACTION_PER_YR = 0.01

# Installed cost points (nPro technology cost help page, via DATA.md): DA [mm] -> EUR/m.
_INSTALLED_UNPAVED_POINTS = {32: 104.0, 50: 120.0, 80: 146.0}

_SOURCE = (
    "dimensions: EN 12201-2 PE100 SDR11 as listed in pandapipes 0.16 std_types Pipe.csv; "
    "roughness 0.01 mm: pandapipes PE 100 std types (Engineering ToolBox gives 0.0015-0.007 mm "
    "for PE and other smooth plastics, so 0.01 mm is on the safe side); cost: nPro technology "
    "cost help page (material 0.0023*DA^2.0236 EUR/m; installed unpaved DA32 104, DA50 120, "
    "DA80 146 EUR/m); lifetime 50 yr and O&M 1 %/yr: nPro"
)
_NOTE = (
    "assumption: u_w_per_mk = 1/(R_wall + R_soil), R_wall = ln(DA/di)/(2 pi 0.4 W/mK) (PE100 "
    "conductivity 0.4 W/mK), R_soil = arccosh(2z/DA)/(2 pi 1.5 W/mK) for one pipe at axis "
    "depth z = 1.0 m in moist sandy/clay soil (lambda 1.5 W/mK); inner film resistance (<2 %) "
    "and the neighbouring pipe in the same trench are neglected; installed unpaved = material "
    "+ civil part, civil part = linear fit in DA to the three nPro points minus material, "
    "extrapolated outside DA32-DA80; paved urban trenches = material + 1.5 x civil part "
    "(breaking and reinstating pavement, traffic measures; no Dutch source found); costs per "
    "metre of one pipe (nPro does not state whether a figure covers one pipe or a pair)"
)


def material_cost_eur_per_m(da_mm: float | np.ndarray) -> float | np.ndarray:
    """Material cost of one uninsulated PE100 SDR11 pipe, 0.0023 * DA^2.0236 [EUR/m].

    Parameters
    ----------
    da_mm
        Outer diameter [mm].

    Returns
    -------
    float or numpy.ndarray
        Cost [EUR/m] (nPro technology cost help page).

    """
    return 0.0023 * np.asarray(da_mm, dtype=float) ** 2.0236


def _civil_fit() -> tuple[float, float]:
    """Least-squares line civil(DA) = a + b * DA through nPro installed-minus-material points."""
    da = np.array(list(_INSTALLED_UNPAVED_POINTS), dtype=float)
    civil = np.array(list(_INSTALLED_UNPAVED_POINTS.values())) - material_cost_eur_per_m(da)
    b, a = np.polyfit(da, civil, 1)
    return float(a), float(b)


def installed_cost_eur_per_m(da_mm: float | np.ndarray, *, paved: bool) -> float | np.ndarray:
    """Installed cost of one pipe [EUR/m]: material plus a civil part linear in DA.

    Parameters
    ----------
    da_mm
        Outer diameter [mm].
    paved
        Urban paved trench (civil part x ``PAVED_CIVIL_FACTOR``, an assumption) or unpaved.

    Returns
    -------
    float or numpy.ndarray
        Cost [EUR/m].

    """
    a, b = _civil_fit()
    da = np.asarray(da_mm, dtype=float)
    civil = a + b * da
    if paved:
        civil = civil * PAVED_CIVIL_FACTOR
    return material_cost_eur_per_m(da) + civil


def soil_heat_transfer_w_per_mk(
    *,
    da_mm: float,
    di_mm: float,
    lambda_pipe_w_per_mk: float = LAMBDA_PE_W_PER_MK,
    lambda_soil_w_per_mk: float = LAMBDA_SOIL_W_PER_MK,
    axis_depth_m: float = AXIS_DEPTH_M,
) -> float:
    """Heat transfer coefficient of a buried uninsulated pipe per metre [W/(m K)].

    ``U' = 1 / (ln(DA/di) / (2 pi lambda_pipe) + arccosh(2 z / DA) / (2 pi lambda_soil))``:
    conduction through the pipe wall plus the steady shape factor of a cylinder at depth z
    below an isothermal ground surface.

    Parameters
    ----------
    da_mm, di_mm
        Outer and inner diameter [mm].
    lambda_pipe_w_per_mk
        Thermal conductivity of the pipe wall [W/(m K)].
    lambda_soil_w_per_mk
        Thermal conductivity of the soil [W/(m K)].
    axis_depth_m
        Depth of the pipe axis below the surface [m].

    Returns
    -------
    float
        U' [W/(m K)] relative to the undisturbed soil (surface) temperature.

    """
    da = da_mm / 1000.0
    r_wall = math.log(da_mm / di_mm) / (2 * math.pi * lambda_pipe_w_per_mk)
    r_soil = math.acosh(2 * axis_depth_m / da) / (2 * math.pi * lambda_soil_w_per_mk)
    return 1.0 / (r_wall + r_soil)


def catalogue_rows() -> pd.DataFrame:
    """Compute the catalogue from the formulas and constants of this module.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CATALOGUE_COLUMNS`, one row per size, ascending.

    """
    rows = []
    for da, di in _SDR11_INNER_MM.items():
        u_mk = soil_heat_transfer_w_per_mk(da_mm=da, di_mm=di)
        rows.append(
            {
                "dn_mm": da,
                "da_mm": float(da),
                "sdr": 11,
                "wall_mm": round((da - di) / 2, 2),
                "di_mm": di,
                "roughness_mm": ROUGHNESS_MM,
                "u_w_per_mk": round(u_mk, 4),
                "u_w_per_m2k": round(u_mk / (math.pi * da / 1000.0), 4),
                "cost_material_eur_per_m": round(float(material_cost_eur_per_m(da)), 2),
                "cost_installed_unpaved_eur_per_m": round(
                    float(installed_cost_eur_per_m(da, paved=False)), 2
                ),
                "cost_installed_paved_eur_per_m": round(
                    float(installed_cost_eur_per_m(da, paved=True)), 2
                ),
                "lifetime_yr": LIFETIME_YR,
                "om_fraction_per_yr": OM_FRACTION_PER_YR,
                "source": _SOURCE,
                "note": _NOTE,
            }
        )
    return pd.DataFrame(rows, columns=CATALOGUE_COLUMNS)


def load_pipe_catalogue(path: str | Path | None = None) -> pd.DataFrame:
    """Load the pipe catalogue.

    Parameters
    ----------
    path
        CSV file with the columns listed in the module docstring; default: the shipped
        ``tsg/data/catalogues/pipes.csv``.

    Returns
    -------
    pandas.DataFrame
        One row per pipe size sorted by ``di_mm`` ascending, columns :data:`CATALOGUE_COLUMNS`.

    Raises
    ------
    InputError
        Missing columns, non-positive dimensions, inner diameter not below outer diameter,
        or a row without ``source`` / assumption note.

    """
    if path is None:
        res = importlib.resources.files("tsg.data") / "catalogues" / "pipes.csv"
        with importlib.resources.as_file(res) as p:
            tbl = pd.read_csv(p)
        file: str | Path = "tsg/data/catalogues/pipes.csv"
    else:
        file = path
        try:
            tbl = pd.read_csv(path)
        except OSError as exc:
            raise InputError(f"cannot read pipe catalogue: {exc}", file=file) from exc
    missing = [c for c in CATALOGUE_COLUMNS if c not in tbl.columns]
    if missing:
        raise InputError(f"pipe catalogue lacks columns {missing}", file=file)
    numeric = [c for c in CATALOGUE_COLUMNS if c not in ("source", "note")]
    for col in numeric:
        vals = pd.to_numeric(tbl[col], errors="coerce")
        if vals.isna().any() or (vals < 0).any():
            k = int(np.flatnonzero((vals.isna() | (vals < 0)).to_numpy())[0])
            raise InputError(
                f"'{col}' must be a non-negative number", file=file, field=f"row {k + 2}.{col}"
            )
        tbl[col] = vals
    bad = (tbl["di_mm"] <= 0) | (tbl["di_mm"] >= tbl["da_mm"])
    if bad.any():
        k = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError("need 0 < di_mm < da_mm", file=file, field=f"row {k + 2}.di_mm")
    for k, (src, note) in enumerate(zip(tbl["source"], tbl["note"], strict=True)):
        if not (isinstance(src, str) and src.strip()) and not (
            isinstance(note, str) and note.strip().lower().startswith("assumption")
        ):
            raise InputError(
                "every row needs a source or a note starting with 'assumption:'",
                file=file,
                field=f"row {k + 2}.source",
            )
    tbl["dn_mm"] = tbl["dn_mm"].astype(int)
    return tbl.sort_values("di_mm", ignore_index=True)


def size_pipe_by_rule(
    mdot_kg_per_s: float,
    *,
    max_velocity_m_per_s: float,
    max_pressure_gradient_pa_per_m: float,
    t_water_c: float = 15.0,
    catalogue: pd.DataFrame | None = None,
) -> int:
    """Smallest catalogue pipe that respects a velocity and a pressure-gradient limit.

    Parameters
    ----------
    mdot_kg_per_s
        Design mass flow [kg/s] (sign ignored).
    max_velocity_m_per_s
        Maximum mean velocity [m/s], > 0.
    max_pressure_gradient_pa_per_m
        Maximum frictional pressure gradient [Pa/m], > 0 (typical design 50-100 Pa/m).
    t_water_c
        Water temperature for the fluid properties [°C].
    catalogue
        Pipe catalogue (default :func:`load_pipe_catalogue`).

    Returns
    -------
    int
        ``dn_mm`` of the chosen pipe.

    Raises
    ------
    InputError
        Non-positive limits, non-finite flow, or a flow that no catalogue pipe carries within
        both limits.

    """
    if not (max_velocity_m_per_s > 0 and math.isfinite(max_velocity_m_per_s)):
        raise InputError("max_velocity_m_per_s must be positive", field="max_velocity_m_per_s")
    if not (max_pressure_gradient_pa_per_m > 0 and math.isfinite(max_pressure_gradient_pa_per_m)):
        raise InputError(
            "max_pressure_gradient_pa_per_m must be positive",
            field="max_pressure_gradient_pa_per_m",
        )
    if not math.isfinite(mdot_kg_per_s):
        raise InputError("mdot_kg_per_s must be finite", field="mdot_kg_per_s")
    cat = load_pipe_catalogue() if catalogue is None else catalogue
    rho = water_density_kg_per_m3(t_water_c)
    for row in cat.sort_values("di_mm").itertuples(index=False):
        d = row.di_mm / 1000.0
        v = abs(mdot_kg_per_s) / (rho * math.pi * d**2 / 4)
        if v > max_velocity_m_per_s:
            continue
        dpdx = pressure_gradient_pa_per_m(
            mdot_kg_per_s=mdot_kg_per_s,
            di_mm=row.di_mm,
            roughness_mm=row.roughness_mm,
            t_water_c=t_water_c,
        )
        if dpdx <= max_pressure_gradient_pa_per_m:
            return int(row.dn_mm)
    raise InputError(
        f"no catalogue pipe carries {mdot_kg_per_s:.3g} kg/s within "
        f"{max_velocity_m_per_s} m/s and {max_pressure_gradient_pa_per_m} Pa/m; "
        "size parallel pipes for it (grid.sizing.size_edges_by_peak_flow with max_parallel, "
        "or the sizing's design loop) or extend the catalogue",
        field="mdot_kg_per_s",
    )


if __name__ == "__main__":  # pragma: no cover - regenerates the shipped CSV
    out = Path(__file__).resolve().parents[1] / "data" / "catalogues" / "pipes.csv"
    catalogue_rows().to_csv(out, index=False)
    print(f"wrote {out}")
