"""sizing/costs.xlsx and allocation/allocation.xlsx hold the CSV tables of their folder."""

import math

import pandas as pd
import pytest
from openpyxl import load_workbook

from tsg import run_layout as layout
from tsg.workbook import header_with_unit

pytestmark = pytest.mark.slow


def _same(cell, value) -> bool:
    if isinstance(value, float) and math.isnan(value):
        return cell is None
    if isinstance(value, float):
        return isinstance(cell, int | float) and math.isclose(cell, value, rel_tol=1e-12)
    return cell == value


@pytest.mark.parametrize(
    ("workbook", "tables"),
    [
        (
            layout.COSTS_XLSX,
            [
                layout.COSTS_BY_COMPONENT,
                layout.COSTS_BY_BUILDING,
                layout.COSTS_BY_PARTNER,
                layout.COST_LINES,
                layout.EDGES,
            ],
        ),
        (
            layout.ALLOCATION_XLSX,
            [
                layout.ALLOCATION_TABLE,
                layout.RULES_TABLE,
                layout.COALITION_COSTS,
                layout.COALITION_SOLVES,
            ],
        ),
    ],
)
def test_workbook_sheets_equal_the_csv_tables(small_run_dir, workbook, tables):
    book = load_workbook(workbook.under(small_run_dir), read_only=True)
    assert book.sheetnames == [_stem(t) for t in tables]
    for spec in tables:
        csv = pd.read_csv(spec.under(small_run_dir), keep_default_na=False, na_values=[""])
        rows = list(book[_stem(spec)].iter_rows(values_only=True))
        assert list(rows[0]) == [header_with_unit(c) for c in csv.columns]
        assert len(rows) - 1 == len(csv)
        for cells, (_, record) in zip(rows[1:], csv.iterrows(), strict=True):
            for cell, value in zip(cells, record.tolist(), strict=True):
                assert _same(cell, value), (spec.name, cell, value)


def _stem(spec):
    return spec.name.rsplit(".", 1)[0]


def test_money_is_a_number_with_its_unit_in_the_header(small_run_dir):
    book = load_workbook(layout.COSTS_XLSX.under(small_run_dir), read_only=True)
    rows = list(book["costs_by_partner"].iter_rows(values_only=True))
    assert rows[0][1] == "investment_eur [EUR]"
    assert rows[0][2] == "cost_eur_per_yr [EUR/yr]"
    assert all(isinstance(r[2], int | float) for r in rows[1:])
    edges = list(book["edges"].iter_rows(values_only=True))
    assert edges[0][2] == "length_m [m]" and edges[0][3] == "dn_mm [mm]"
    assert {type(r[-1]) for r in edges[1:]} == {bool}
