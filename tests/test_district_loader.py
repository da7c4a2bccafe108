"""District files: the built-in ones load; invalid ones give one clear message and exit 2."""

import copy

import numpy as np
import pytest
import yaml

from tsg.cli import main
from tsg.common import InputError
from tsg.district import built_in_district_path, load_district, resolve_district_argument

VALID = yaml.safe_load(built_in_district_path().read_text())


def test_built_in_district_loads_with_all_parts(hvz):
    assert hvz.id == "hart-van-zuid"
    assert {p.id for p in hvz.partners} >= {
        "gemeente-rotterdam",
        "eneco",
        "ballast-heijmans",
        "ahoy",
    }
    archetypes = {b.archetype for b in hvz.buildings}
    assert {
        "arena",
        "convention_centre",
        "hotel",
        "cinema",
        "swimming_pool",
        "theatre",
        "residential",
        "retail",
        "hospital",
        "school",
    } <= archetypes
    assert {b.id for b in hvz.buildings if b.phase == "candidate"} == {
        "shopping-centre",
        "hospital",
        "school",
    }
    assert hvz.sources[0].type == "ates"
    assert {b.type for b in hvz.barriers} == {"financial", "legal", "organisational", "social"}


def test_relative_paths_resolve_against_the_district_folder(tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "profiles").mkdir()
    (folder / "profiles" / "arena.csv").write_text("heat\n" + "1\n" * 8760)
    document = copy.deepcopy(VALID)
    document["buildings"][0]["measured_profile"] = {"file": "profiles/arena.csv"}
    (folder / "district.yaml").write_text(yaml.safe_dump(document))
    district = load_district(folder / "district.yaml")
    assert district.buildings[0].measured_profile.file == folder / "profiles" / "arena.csv"


def test_district_argument_accepts_file_folder_and_built_in_name(tmp_path):
    assert resolve_district_argument(None) == built_in_district_path()
    assert resolve_district_argument("hart-van-zuid") == built_in_district_path()
    assert (
        resolve_district_argument(str(built_in_district_path().parent)) == built_in_district_path()
    )
    with pytest.raises(InputError, match="built in: .*hart-van-zuid"):
        resolve_district_argument(str(tmp_path / "nowhere.yaml"))


def _edit(change):
    document = copy.deepcopy(VALID)
    change(document)
    return yaml.safe_dump(document, sort_keys=False)


def _set(path, value):
    def change(document):
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _measured(tmp_path, csv_text, unit="kw"):
    (tmp_path / "measured.csv").write_text(csv_text)
    return _edit(_set(["buildings", 0, "measured_profile"], {"file": "measured.csv", "unit": unit}))


HOURS = 8760
INVALID = {
    "unknown top-level key": (lambda t: _edit(_set(["colour"], "red")), "colour", "unknown key"),
    "unknown nested key": (
        lambda t: _edit(_set(["buildings", 0, "floorarea"], 5)),
        "buildings[0].floorarea",
        "unknown key",
    ),
    "wrong type": (
        lambda t: _edit(_set(["buildings", 0, "floor_area_m2"], "big")),
        "buildings[0].floor_area_m2",
        "number",
    ),
    "negative area": (
        lambda t: _edit(_set(["buildings", 0, "floor_area_m2"], -5)),
        "buildings[0].floor_area_m2",
        "greater than 0",
    ),
    "NaN area": (
        lambda t: _edit(_set(["buildings", 0, "floor_area_m2"], float("nan"))),
        "buildings[0].floor_area_m2",
        "finite",
    ),
    "unknown archetype": (
        lambda t: _edit(_set(["buildings", 0, "archetype"], "castle")),
        "buildings[0].archetype",
        "allowed: arena",
    ),
    "missing partner": (
        lambda t: _edit(_set(["buildings", 2, "partner"], "ikea")),
        "buildings[2].partner",
        "'ikea' is not among the partners",
    ),
    "duplicate building id": (
        lambda t: _edit(_set(["buildings", 1, "id"], "ahoy-arena")),
        "buildings[1].id",
        "used twice",
    ),
    "missing required section": (
        lambda t: _edit(lambda d: d.pop("network")),
        "network",
        "required",
    ),
    "warm line below cold line": (
        lambda t: _edit(_set(["network", "warm_line_c"], 8.0)),
        "network",
        "must be above",
    ),
    "latitude out of range": (
        lambda t: _edit(_set(["buildings", 0, "location", "latitude_deg"], 95)),
        "buildings[0].location.latitude_deg",
        "less than or equal to 90",
    ),
    "bad id": (
        lambda t: _edit(_set(["buildings", 0, "id"], "Ahoy Arena")),
        "buildings[0].id",
        "pattern",
    ),
    "unknown time zone": (
        lambda t: _edit(_set(["time_zone"], "Mars/Olympus")),
        "time_zone",
        "IANA",
    ),
    "epw without file": (
        lambda t: _edit(_set(["climate"], {"source": "epw"})),
        "climate",
        "needs 'file'",
    ),
    "missing weather file": (
        lambda t: _edit(_set(["climate"], {"source": "knmi", "file": "uurgeg.txt"})),
        "climate.file",
        "file not found",
    ),
    "events both ways": (
        lambda t: _edit(
            _set(["buildings", 0, "events"], {"events_per_year": 3, "dates": ["2025-01-01"]})
        ),
        "buildings[0].events",
        "exactly one",
    ),
    "unknown source type": (
        lambda t: _edit(_set(["sources", 0, "type"], "geothermal")),
        "sources[0]",
        "ates",
    ),
    "barrier type": (
        lambda t: _edit(_set(["barriers", 0, "type"], "political")),
        "barriers[0].type",
        "legal",
    ),
    "invalid YAML": (lambda t: "id: x\nbuildings: [\n", None, "invalid YAML: line"),
    "duplicate YAML key": (lambda t: "id: a\nid: b\n", None, "appears twice"),
    "not a mapping": (lambda t: "- just\n- a list\n", None, "mapping"),
    "empty file": (lambda t: "", None, "mapping"),
    "missing profile file": (
        lambda t: _edit(_set(["buildings", 0, "measured_profile"], {"file": "none.csv"})),
        "buildings[0].measured_profile.file",
        "file not found",
    ),
    "profile unit": (
        lambda t: _edit(
            _set(["buildings", 0, "measured_profile"], {"file": "x.csv", "unit": "gj"})
        ),
        "buildings[0].measured_profile.unit",
        "'kw'",
    ),
    "profile wrong length": (
        lambda t: _measured(t, "heat\n" + "1\n" * 100),
        "measured.csv",
        "100 rows, expected 8760",
    ),
    "profile NaN": (
        lambda t: _measured(t, "heat\n" + "1\n" * 10 + "nan\n" + "1\n" * (HOURS - 11)),
        "field 'heat'",
        "row 12",
    ),
    "profile unknown column": (
        lambda t: _measured(t, "warmth\n" + "1\n" * HOURS),
        "measured.csv",
        "unknown columns",
    ),
    "profile negative": (
        lambda t: _measured(t, "cool\n-1\n" + "1\n" * (HOURS - 1)),
        "field 'cool'",
        "negative",
    ),
    "profile text value": (
        lambda t: _measured(t, "dhw\nabc\n" + "1\n" * (HOURS - 1)),
        "field 'dhw'",
        "'abc'",
    ),
    "profile wrong times": (
        lambda t: _measured(
            t,
            "time,heat\n"
            + "".join(f"2024-01-01T{h % 24:02d}:00:00+01:00,1\n" for h in range(HOURS)),
        ),
        "field 'time'",
        "expected 2025-01-01T00:00:00+01:00",
    ),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_district_file_gives_one_clear_message(case, tmp_path, capsys):
    make_text, field, message = INVALID[case]
    path = tmp_path / "district.yaml"
    path.write_text(make_text(tmp_path))
    code = main(["validate", str(path)])
    captured = capsys.readouterr()
    assert code == 2
    assert "Traceback" not in captured.err
    assert captured.err.startswith("tsg validate: error: ")
    assert str(tmp_path) in captured.err
    if field is not None:
        assert field in captured.err
    assert message in captured.err
    assert captured.out == ""


def test_missing_district_file_is_an_input_error(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "absent.yaml")]) == 2
    assert "absent.yaml" in capsys.readouterr().err


def test_measured_profile_in_mw_is_converted_to_kw(tmp_path):
    text = _measured(tmp_path, "heat\n" + "0.5\n" * HOURS, unit="mw")
    (tmp_path / "district.yaml").write_text(text)
    from tsg.demand import district_demand

    district = load_district(tmp_path / "district.yaml")
    demand = district_demand(district, district_file=tmp_path / "district.yaml")
    np.testing.assert_allclose(demand.profiles["ahoy-arena.heat_kw"], 500.0)
