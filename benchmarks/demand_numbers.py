"""Hart van Zuid's demand per building: annual MWh, peak kW and W/m2 (no sizing, no grid).

Usage: ``python benchmarks/demand_numbers.py [--save FILE.csv] [--compare BEFORE.csv]``.
Prints per building the annual heat (space heating plus pool water), hot water and cooling
[MWh/yr], the heat's peak [kW] and both per m2 of floor [kWh/(m2 yr), W/m2]; ``--compare``
adds the same columns of an earlier ``--save`` (e.g. from another commit) side by side.
"""

from __future__ import annotations

import argparse

import pandas as pd

import tsg.api as tsg

COLUMNS = (
    "heat_mwh",
    "dhw_mwh",
    "cool_mwh",
    "heat_peak_kw",
    "heat_kwh_per_m2",
    "heat_peak_w_per_m2",
)


def demand_numbers() -> pd.DataFrame:
    """Return the per-building numbers of the built-in Hart van Zuid district."""
    context = tsg.open_district()
    profiles = tsg.demand(context).profiles
    rows = {}
    for building in context.district.buildings:
        heat_kw = profiles[f"{building.id}.heat_kw"]
        area_m2 = building.floor_area_m2
        rows[building.id] = {
            "heat_mwh": heat_kw.sum() / 1000.0,
            "dhw_mwh": profiles[f"{building.id}.dhw_kw"].sum() / 1000.0,
            "cool_mwh": profiles[f"{building.id}.cool_kw"].sum() / 1000.0,
            "heat_peak_kw": heat_kw.max(),
            "heat_kwh_per_m2": heat_kw.sum() / area_m2,
            "heat_peak_w_per_m2": heat_kw.max() * 1000.0 / area_m2,
        }
    return pd.DataFrame.from_dict(rows, orient="index")[list(COLUMNS)]


def main() -> None:
    """Print the numbers (and the comparison)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--save", help="write the numbers to this CSV")
    parser.add_argument("--compare", help="CSV of an earlier --save to show beside")
    args = parser.parse_args()
    now = demand_numbers()
    if args.save:
        now.to_csv(args.save)
    table = now
    if args.compare:
        before = pd.read_csv(args.compare, index_col=0)[list(COLUMNS)]
        table = pd.concat({"before": before, "after": now}, axis=1).swaplevel(axis=1)
        table = table[[(c, w) for c in COLUMNS for w in ("before", "after")]]
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.round(1).to_string())


if __name__ == "__main__":
    main()
