"""Excel workbooks of a stage folder: one sheet per CSV table, units in the headers.

The workbook is built from the CSV files the stage has just written, so the two cannot
disagree: every cell holds the value of the CSV (numbers as numbers, ``True``/``False`` as
booleans, empty fields as empty cells). A header is the CSV column name followed by the unit
its suffix names, e.g. ``cost_eur_per_yr [EUR/yr]``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook

from tsg.outputs import write_atomically

__all__ = ["UNIT_SUFFIXES", "header_with_unit", "write_workbook"]

#: Column-name suffixes and the unit they stand for (longest suffix first).
UNIT_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("_eur_per_yr", "EUR/yr"),
    ("_mdot_kg_per_s", "kg/s"),
    ("_kg_per_s", "kg/s"),
    ("_kwh_per_yr", "kWh/yr"),
    ("_mwh_per_yr", "MWh/yr"),
    ("_m3_per_yr", "m3/yr"),
    ("_t_per_yr", "t/yr"),
    ("_eur", "EUR"),
    ("_pct", "%"),
    ("_kw", "kW"),
    ("_mm", "mm"),
    ("_m", "m"),
    ("_s", "s"),
)

#: Sheet names may not be longer than this (Excel's limit).
MAX_SHEET_NAME = 31


def header_with_unit(column: str) -> str:
    """Column name with the unit of its suffix in brackets (the name alone without one).

    Parameters
    ----------
    column
        CSV column name, e.g. ``cost_eur_per_yr``.

    Returns
    -------
    str
        E.g. ``cost_eur_per_yr [EUR/yr]``.
    """
    for suffix, unit in UNIT_SUFFIXES:
        if column.endswith(suffix):
            return f"{column} [{unit}]"
    return column


def _cell(value: object) -> object:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def write_workbook(path: Path, csv_files: list[Path]) -> Path:
    """Write one workbook with a sheet per CSV file (sheet name = file stem).

    Parameters
    ----------
    path
        The ``.xlsx`` file to write (atomically).
    csv_files
        The CSV tables, in sheet order; files that do not exist are left out.

    Returns
    -------
    Path
        ``path``.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    for csv_path in csv_files:
        if not csv_path.is_file():
            continue
        table = pd.read_csv(csv_path, keep_default_na=False, na_values=[""])
        sheet = workbook.create_sheet(csv_path.stem[:MAX_SHEET_NAME])
        sheet.append([header_with_unit(str(c)) for c in table.columns])
        for row in table.itertuples(index=False):
            sheet.append([_cell(v) for v in row])
        sheet.freeze_panes = "A2"
    if not workbook.sheetnames:
        workbook.create_sheet("empty")
    return write_atomically(path, lambda p: workbook.save(p))
