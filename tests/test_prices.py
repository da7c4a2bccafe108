"""Price sets by year: energy-tax brackets on hand-computed bills, ``economics.price_year``,
district heating as reference heating.

The expected numbers are computed here by hand from the rates of ``data/catalogues/prices.yaml``
(typed in below), not with the toolkit's functions.
"""

import pytest
import yaml

from tsg.cli import main
from tsg.demand import district_demand
from tsg.district import built_in_district_path, load_district
from tsg.economics import building_prices, resolved_economics
from tsg.optimisation.sizing import SizingOptions, build_model, solve_and_extract, time_steps
from tsg.prices import price_set, price_years, tax_bill
from tsg.sizing_inputs import price_summary, sizing_inputs

LAT, LON = 51.8840, 4.4885
OPTIONS = SizingOptions(n_typical_periods=2, mip_gap=0.001)
# gas: energy tax + ODE per m3, commodity per m3
GAS_2025 = (0.57816, 0.31573, 0.20347, 0.05385)
GAS_2018 = (0.26001 + 0.0113, 0.06464 + 0.0042, 0.02355 + 0.0017, 0.01265 + 0.0012)
COMMODITY_2025, COMMODITY_2018 = 0.52, 0.28
BOILER_M3_PER_KWH = 1.0 / (0.9 * 8.7917)  # efficiency and LHV of technologies.yaml


def test_the_catalogue_has_2018_and_2025():
    assert {2018, 2025} <= set(price_years())


def test_gas_bill_of_200000_m3_in_2025_by_hand():
    brackets = price_set(2025).gas.brackets
    assert tax_bill(200_000, brackets) == pytest.approx(170_000 * 0.57816 + 30_000 * 0.31573)
    assert tax_bill(200_000, brackets) == pytest.approx(107_759.1)
    # inside the first bracket the average is the first rate
    assert tax_bill(100_000, brackets) == pytest.approx(57_816.0)
    # all four brackets: 12 million m3
    expected = 170_000 * 0.57816 + 830_000 * 0.31573 + 9_000_000 * 0.20347 + 2_000_000 * 0.05385
    assert tax_bill(12_000_000, brackets) == pytest.approx(expected)


def test_electricity_and_2018_bills_by_hand():
    elec = price_set(2025).electricity.brackets
    assert tax_bill(60_000, elec) == pytest.approx(10_000 * 0.10154 + 40_000 * 0.06937 + 386.8)
    gas_2018 = price_set(2018).gas
    assert tax_bill(200_000, gas_2018.brackets) == pytest.approx(
        170_000 * 0.27131 + 30_000 * 0.06884
    )
    # the average price: commodity plus tax / consumption
    assert gas_2018.average_price(200_000) == pytest.approx(0.28 + 48_187.9 / 200_000)
    assert gas_2018.average_price(0.0) == pytest.approx(0.28 + 0.27131)


def _document(**economics) -> dict:
    return {
        "id": "one",
        "name": "One building",
        "location": {"latitude_deg": LAT, "longitude_deg": LON},
        "network": {"warm_line_c": 16.0, "cold_line_c": 10.0},
        "partners": [{"id": "owner", "name": "Owner", "role": "building_owner"}],
        "buildings": [
            {
                "id": "hall",
                "name": "hall",
                "partner": "owner",
                "archetype": "office",
                "floor_area_m2": 20_000,
                "location": {"latitude_deg": LAT, "longitude_deg": LON},
                "annual_demand_mwh": {"heat_mwh": 2000.0, "dhw_mwh": 0.0, "cool_mwh": 0.0},
            }
        ],
        "sources": [],
        "economics": economics,
    }


def _reference(tmp_path, document, name):
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    district = load_district(path)
    demand = district_demand(district, district_file=path)
    inputs = sizing_inputs(district, demand)
    steps = time_steps(inputs, n_periods=OPTIONS.n_typical_periods, period_hours=24)
    return district, inputs, solve_and_extract(build_model(inputs, steps, options=OPTIONS))


def _by_hand(gas_m3: float, rates: tuple[float, ...], commodity: float) -> float:
    tax = rates[0] * min(gas_m3, 170_000) + rates[1] * max(gas_m3 - 170_000, 0.0)
    return commodity + tax / gas_m3


def test_price_year_changes_the_reference_by_the_price_ratio(tmp_path):
    gas_m3 = 2_000_000 * BOILER_M3_PER_KWH  # 252,763 m3: across the first two brackets
    p2025 = _by_hand(gas_m3, GAS_2025, COMMODITY_2025)
    p2018 = _by_hand(gas_m3, GAS_2018, COMMODITY_2018)
    costs = {}
    for year in (2018, 2025):
        district, inputs, result = _reference(tmp_path, _document(price_year=year), str(year))
        expected = p2018 if year == 2018 else p2025
        assert inputs.buildings[0].gas_price_eur_per_m3 == pytest.approx(expected, rel=1e-3)
        gas_lines = [c for c in result.reference_costs if c.gas_m3_per_yr > 0]
        assert sum(c.gas_m3_per_yr for c in gas_lines) == pytest.approx(gas_m3, rel=0.01)
        costs[year] = (
            result.reference.cost_eur_per_yr,
            sum(c.energy_eur_per_yr for c in result.reference_costs),
            sum(c.gas_m3_per_yr for c in gas_lines),
            sum(c.annuity_eur_per_yr + c.om_eur_per_yr for c in result.reference_costs),
        )
    summary = price_summary(district, inputs)
    assert summary["price_year"] == 2025
    assert summary["by_building"]["hall"]["gas_price_eur_per_m3"] == pytest.approx(p2025, rel=1e-3)
    # the energy part scales with the price ratio; the boiler's annuity and O&M with the
    # years' technology-cost index
    index = price_set(2018).technology_cost_index / price_set(2025).technology_cost_index
    assert 0 < index < 1
    assert costs[2025][1] / costs[2018][1] == pytest.approx(p2025 / p2018, rel=1e-3)
    assert costs[2018][3] == pytest.approx(index * costs[2025][3], rel=1e-9)
    assert costs[2025][0] - costs[2018][0] == pytest.approx(
        costs[2025][2] * (p2025 - p2018) + (1 - index) * costs[2025][3], rel=1e-3
    )


def test_district_file_price_keeps_precedence(tmp_path):
    path = tmp_path / "fixed.yaml"
    path.write_text(yaml.safe_dump(_document(gas_price_eur_per_m3=0.9, price_year=2018)))
    district = load_district(path)
    # gas set by the file; electricity by bracket: 100 MWh + 50 kWh/m2 x 20,000 m2 = 1.1 GWh
    tax = 10_000 * (0.10458 + 0.0132) + 40_000 * (0.05274 + 0.0180) + 1_050_000 * (0.01404 + 0.0048)
    assert tax == pytest.approx(23_789.4)
    gas, elec = building_prices(district, 5e6, 1e5, 20_000)
    assert gas is None and elec == pytest.approx(0.080 + tax / 1.1e6)
    econ = resolved_economics(district)
    assert econ["gas_price_eur_per_m3"] == 0.9
    assert (
        econ["gas_emission_kg_per_m3"] == 1.78 and econ["electricity_emission_kg_per_kwh"] == 0.46
    )


def test_unknown_price_year_exits_2_naming_the_field(tmp_path, capsys):
    document = yaml.safe_load(built_in_district_path().read_text())
    document.setdefault("economics", {})["price_year"] = 2019
    path = tmp_path / "district.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "economics.price_year" in err and "2018, 2025" in err
    assert "Traceback" not in err


def test_district_heating_reference_pays_the_tariff(tmp_path):
    document = _document(price_year=2025)
    document["buildings"][0]["reference_heating"] = "district_heating"
    _, inputs, result = _reference(tmp_path, document, "dh")
    heat_kwh = 2_000_000.0
    lines = [c for c in result.reference_costs if c.item == "reference_heating"]
    (line,) = lines
    assert line.gas_m3_per_yr == 0.0 and line.investment_eur == 0.0
    # 141 EUR/MWh x 2,000 MWh + 450 EUR/yr fixed charge (prices.yaml 2025)
    assert line.purchase_eur_per_yr == pytest.approx(141.0 * 2000.0 + 450.0, rel=0.01)
    # 0.11 kg/kWh x 2,000 MWh = 220 t
    assert line.co2_t_per_yr == pytest.approx(0.11 * heat_kwh / 1000.0, rel=0.01)
    assert inputs.prices.district_heat_eur_per_mwh == 141.0


def test_cost_lines_reproduce_the_objective_with_bracket_prices_and_district_heat(tmp_path):
    document = _document(price_year=2025)
    hall = document["buildings"][0]
    hall["annual_demand_mwh"] = {"heat_mwh": 3000.0, "dhw_mwh": 0.0, "cool_mwh": 1500.0}
    arena = {
        **hall,
        "id": "arena",
        "name": "arena",
        "reference_heating": "district_heating",
        "annual_demand_mwh": {"heat_mwh": 500.0, "dhw_mwh": 0.0, "cool_mwh": 1500.0},
        "location": {"latitude_deg": LAT + 40 / 111_320.0, "longitude_deg": LON},
    }
    document["buildings"].append(arena)
    _, inputs, result = _reference(tmp_path, document, "two")
    hall_in, arena_in = inputs.buildings
    # the large gas user pays less per m3 than the first bracket; the arena buys no gas
    assert hall_in.gas_price_eur_per_m3 < 0.52 + 0.57816 - 0.1
    assert result.solve.objective_eur_per_yr == pytest.approx(
        result.design.cost_eur_per_yr, rel=1e-6
    )
    # a line's energy cost is its own consumer's price times its use
    for line in result.costs:
        if line.owner == "hall" and line.gas_m3_per_yr > 0:
            assert line.energy_eur_per_yr == pytest.approx(
                line.gas_m3_per_yr * hall_in.gas_price_eur_per_m3
                + line.electricity_kwh_per_yr * hall_in.electricity_price_eur_per_kwh
            )
    if "arena" in result.connected_buildings:
        (line,) = [c for c in result.costs if c.owner == "arena" and c.item == "reference_heating"]
        assert line.purchase_eur_per_yr >= 450.0  # the fixed charge stays


def _homes_document(dwellings) -> dict:
    document = _document(price_year=2025)
    homes = document["buildings"][0]
    homes |= {"id": "homes", "name": "homes", "archetype": "residential", "floor_area_m2": 4000}
    homes["annual_demand_mwh"] = {"heat_mwh": 2000.0, "dhw_mwh": 0.0, "cool_mwh": 0.0}
    if dwellings is not None:
        homes["dwellings"] = dwellings
    return document


def test_a_block_of_dwellings_pays_the_brackets_per_dwelling_by_hand(tmp_path):
    path = tmp_path / "homes.yaml"
    path.write_text(yaml.safe_dump(_homes_document(40), sort_keys=False))
    district = load_district(path)
    assert district.buildings[0].dwellings == 40
    gas_m3 = 2_000_000 * BOILER_M3_PER_KWH  # 252,763 m3 for the block
    elec_kwh = 50.0 * 4000  # other use 50 kWh/m2 (prices.yaml); no cooling
    # one connection: gas across two brackets, electricity across three
    one_gas = 0.52 + (170_000 * 0.57816 + (gas_m3 - 170_000) * 0.31573) / gas_m3
    one_elec = 0.18 + (10_000 * 0.10154 + 40_000 * 0.06937 + 150_000 * 0.03868) / elec_kwh
    # 40 dwellings: each 6,319 m3 and 5,000 kWh, inside the first brackets
    per_gas, per_elec = 0.52 + 0.57816, 0.18 + 0.10154
    assert building_prices(district, gas_m3, 0.0, 4000) == pytest.approx((one_gas, one_elec))
    assert building_prices(district, gas_m3, 0.0, 4000, 40) == pytest.approx((per_gas, per_elec))
    # the block's bill: 40 times one dwelling's bill
    bill = 40 * (gas_m3 / 40 * per_gas + elec_kwh / 40 * per_elec)
    assert bill == pytest.approx(gas_m3 * per_gas + elec_kwh * per_elec)
    assert bill - (gas_m3 * one_gas + elec_kwh * one_elec) == pytest.approx(
        (gas_m3 - 170_000) * (0.57816 - 0.31573)
        + 40_000 * (0.10154 - 0.06937)
        + 150_000 * (0.10154 - 0.03868)
    )
    # the sizing inputs carry the per-dwelling prices
    inputs = sizing_inputs(district, district_demand(district, district_file=path))
    assert inputs.buildings[0].gas_price_eur_per_m3 == pytest.approx(per_gas, rel=1e-3)
    assert inputs.buildings[0].electricity_price_eur_per_kwh == pytest.approx(per_elec, rel=1e-6)


@pytest.mark.parametrize("bad", [0, -3, 2.5, "many", True, 100_001])
def test_bad_dwellings_exit_2_naming_file_and_field(tmp_path, capsys, bad):
    path = tmp_path / "district.yaml"
    path.write_text(yaml.safe_dump(_homes_document(bad), sort_keys=False))
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "buildings" in err and "dwellings" in err and str(path.name) in err
    assert "Traceback" not in err


def test_dwellings_only_for_residential_buildings(tmp_path, capsys):
    document = _homes_document(12)
    document["buildings"][0]["archetype"] = "office"
    path = tmp_path / "district.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    assert main(["validate", str(path)]) == 2
    assert "'dwellings' is only for archetype 'residential'" in capsys.readouterr().err
    # default: one connection
    path.write_text(yaml.safe_dump(_homes_document(None), sort_keys=False))
    assert load_district(path).buildings[0].dwellings == 1


def test_a_technology_cost_index_of_zero_or_less_is_refused():
    from tsg.common.errors import InputError
    from tsg.optimisation.sizing.prices import Prices

    base = dict(
        gas_price_eur_per_m3=1.0,
        electricity_price_eur_per_kwh=0.2,
        co2_price_eur_per_t=0.0,
        gas_emission_kg_per_m3=1.8,
        electricity_emission_kg_per_kwh=0.3,
        discount_rate=0.04,
    )
    assert Prices(**base).technology_cost_index == 1.0
    for bad in (0.0, -0.5):
        with pytest.raises(InputError, match="technology_cost_index"):
            Prices(**base, technology_cost_index=bad)
