"""Cost file parsing and the ``tsg allocate`` command."""

import argparse
import json

import pytest

from tsg.commands.allocate import add_parser, parse_weights, run
from tsg.common.errors import InputError
from tsg.cost_file import read_cost_file
from tsg.optimisation.allocation import MAX_PLAYERS

GOOD = """coalition,cost
ahoy,120000
eneco,95000
gemeente,60000
ahoy+eneco,180000
ahoy+gemeente,150000
eneco+gemeente,130000
gemeente+eneco+ahoy,200000
"""


def write(tmp_path, text, name="costs.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_game_players_in_order_of_appearance(tmp_path):
    game = read_cost_file(write(tmp_path, GOOD))
    assert game.players == ("ahoy", "eneco", "gemeente")
    assert game.cost(["eneco", "ahoy"]) == 180000.0
    assert game.grand_cost == 200000.0


def test_tolerates_bom_spaces_blank_lines_and_header_case(tmp_path):
    text = "\ufeffCoalition , Cost\n\n a + b , 3\na,2\n\nb, 2.5e0\n"
    game = read_cost_file(write(tmp_path, text))
    assert game.players == ("a", "b")
    assert game.cost(["b"]) == 2.5


@pytest.mark.parametrize(
    ("text", "match", "line"),
    [
        ("coalitions,cost\na,1\n", "first line must be 'coalition,cost'", "line 1"),
        ("coalition,cost,weight\na,1,2\n", "first line must be 'coalition,cost'", "line 1"),
        ("coalition,cost\na,1\nb,1\na++b,2\n", "empty member name", "line 4"),
        ("coalition,cost\na,1\nb,1\na+,2\n", "empty member name", "line 4"),
        ("coalition,cost\na,1\nb,1\na+b+a,2\n", "lists player 'a' twice", "line 4"),
        ("coalition,cost\na,1\nb,1\na+b,2\nb+a,2\n", "given twice", "line 5"),
        ("coalition,cost\na,1\nb,nan\na+b,2\n", "not a finite number", "line 3"),
        ("coalition,cost\na,1\nb,inf\na+b,2\n", "not a finite number", "line 3"),
        ("coalition,cost\na,1\nb,12k\na+b,2\n", "not a number", "line 3"),
        ("coalition,cost\na,1\nb,\na+b,2\n", "not a number", "line 3"),
        ("coalition,cost\na,1\nb,1,2\na+b,2\n", "3 columns", "line 3"),
        ("coalition,cost\na=1,1\n", "may not contain", "line 2"),
    ],
)
def test_errors_name_file_and_line(tmp_path, text, match, line):
    path = write(tmp_path, text)
    with pytest.raises(InputError, match=match) as info:
        read_cost_file(path)
    assert info.value.file == path
    assert line in str(info.value)
    assert "costs.csv" in str(info.value)


def test_missing_coalition_is_named(tmp_path):
    path = write(tmp_path, "coalition,cost\na,1\nb,1\nc,1\na+b,2\nb+c,2\na+b+c,3\n")
    with pytest.raises(InputError, match="coalition 'a\\+c' is missing") as info:
        read_cost_file(path)
    assert info.value.file == path


def test_missing_file_and_empty_file(tmp_path):
    with pytest.raises(InputError, match="not found") as info:
        read_cost_file(tmp_path / "nope.csv")
    assert "nope.csv" in str(info.value)
    with pytest.raises(InputError, match="empty"):
        read_cost_file(write(tmp_path, ""))
    with pytest.raises(InputError, match="no coalitions"):
        read_cost_file(write(tmp_path, "coalition,cost\n"))


def test_too_many_players(tmp_path):
    rows = "".join(f"p{i},1\n" for i in range(MAX_PLAYERS + 1))
    with pytest.raises(InputError, match=f"at most {MAX_PLAYERS} players"):
        read_cost_file(write(tmp_path, "coalition,cost\n" + rows))


# ----------------------------------------------------------------------------- command
@pytest.fixture
def parser():
    top = argparse.ArgumentParser(prog="tsg")
    add_parser(top.add_subparsers(dest="command"))
    return top


def test_allocate_json_output(tmp_path, parser, capsys):
    path = write(tmp_path, GOOD)
    args = parser.parse_args(
        ["allocate", "--costs", str(path), "--json", "--weights", "ahoy=2,eneco=1,gemeente=1"]
    )
    assert args.handler is run  # the lead's CLI dispatches on args.handler
    assert run(args) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {
        "players",
        "rules",
        "least_core_epsilon",
        "core",
        "in_core",
        "individually_rational",
        "rule_verdicts",
        "negative_shares",
        "notes",
    }
    assert doc["players"] == ["ahoy", "eneco", "gemeente"]
    assert doc["rules"]["proportional"] == {"ahoy": 100000.0, "eneco": 50000.0, "gemeente": 50000.0}
    assert doc["rules"]["nucleolus"] == pytest.approx(
        {"ahoy": 90000.0, "eneco": 70000.0, "gemeente": 40000.0}
    )
    # costs from a file are exact: every verdict is decided, the epsilon bounds coincide
    assert doc["core"]["nonempty"] == "holds"
    assert doc["least_core_epsilon"] == pytest.approx(-20000.0)
    assert doc["core"]["least_core_epsilon_low_eur_per_yr"] == pytest.approx(-20000.0)
    assert doc["core"]["least_core_epsilon_high_eur_per_yr"] == pytest.approx(-20000.0)
    assert doc["in_core"]["equal_split"] == "fails"
    assert doc["in_core"]["nucleolus"] == "holds"


def test_allocate_table_and_out_folder(tmp_path, parser, capsys):
    path = write(tmp_path, GOOD)
    out = tmp_path / "results" / "alloc"
    args = parser.parse_args(["allocate", "--costs", str(path), "--out", str(out)])
    assert run(args) == 0
    text = capsys.readouterr().out
    for word in ("shapley", "nucleolus", "scrb", "least_core", "ahoy", "core: non-empty"):
        assert word in text
    assert "proportional" not in text
    doc = json.loads((out / "allocation.json").read_text())
    assert doc["rules"]["shapley"]["ahoy"] == pytest.approx(92500.0)
    csv_lines = (out / "allocation.csv").read_text().splitlines()
    assert csv_lines[0].startswith("rule,partner,cost_eur_per_yr")
    assert len(csv_lines) == 1 + 6 * 3
    assert sorted(p.name for p in out.iterdir()) == [
        "allocation.csv",
        "allocation.json",
        "rules.csv",
    ]


def test_allocate_errors(tmp_path, parser):
    path = write(tmp_path, GOOD)
    with pytest.raises(InputError, match="not both") as info:
        run(parser.parse_args(["allocate", "district.yaml", "--costs", str(path)]))
    assert info.value.field == "DISTRICT"
    with pytest.raises(InputError, match="--costs"):
        run(parser.parse_args(["allocate"]))
    with pytest.raises(InputError, match="unknown players") as info:
        run(parser.parse_args(["allocate", "--costs", str(path), "--weights", "ahoy=1,x=2"]))
    assert info.value.field == "--weights"
    with pytest.raises(InputError, match="name=value"):
        run(parser.parse_args(["allocate", "--costs", str(path), "--weights", "ahoy:1"]))
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError, match="folder"):
        run(parser.parse_args(["allocate", "--costs", str(path), "--out", str(blocker)]))
    with pytest.raises(InputError, match="not found"):
        run(parser.parse_args(["allocate", "--costs", str(tmp_path / "missing.csv")]))
    with pytest.raises(InputError, match="only applies to a DISTRICT") as info:
        run(parser.parse_args(["allocate", "--costs", str(path), "--gap-floor", "0.01"]))
    assert info.value.field == "--gap-floor"
    with pytest.raises(InputError, match=">= 0") as info:
        run(parser.parse_args(["allocate", "hart-van-zuid", "--refine-budget", "-1"]))
    assert info.value.field == "--refine-budget"


def test_parse_weights():
    assert parse_weights("ahoy=2.5, eneco=1") == {"ahoy": 2.5, "eneco": 1.0}
    with pytest.raises(InputError, match="positive"):
        parse_weights("ahoy=-1")
    with pytest.raises(InputError, match="twice"):
        parse_weights("ahoy=1,ahoy=2")
    with pytest.raises(InputError, match="not a number"):
        parse_weights("ahoy=lots")
