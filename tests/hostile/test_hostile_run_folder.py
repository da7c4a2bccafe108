"""Hostile run folders: ``tsg report`` and ``tsg summary`` never crash and never leak files.

A run folder may hold JSON nested thousands deep, huge files, or links that lead out of the
folder. The report shows a note in place of such a file; nothing from outside the folder is
ever read into ``report.html`` or the summary.
"""

import json

import pytest

from tsg.cli import main
from tsg.report import run_folder

SECRET = "TOP-SECRET-OUTSIDE-THE-RUN-FOLDER"


def _run_folder(path, **files):
    path.mkdir()
    defaults = {
        "district.json": json.dumps({"id": "x", "name": "Hostile", "buildings": []}),
        "manifest.json": json.dumps({"created_utc": "2025-01-01T00:00:00", "outputs": {}}),
    }
    for name, content in {**defaults, **files}.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(content)
    return path


def _report_and_summary(folder, capsys):
    assert main(["report", str(folder)]) == 0
    assert main(["summary", str(folder)]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return (folder / "report.html").read_text(encoding="utf-8"), captured.out


DEEP = "[" * 50_000 + "]" * 50_000


@pytest.mark.parametrize(
    "name",
    ["district.json", "manifest.json", "sizing/design.json", "simulation/annual_summary.json"],
)
def test_deeply_nested_json_becomes_a_note(name, tmp_path, capsys):
    document = '{"a": ' + DEEP + "}"
    folder = _run_folder(tmp_path / "run", **{name: document})
    html, summary = _report_and_summary(folder, capsys)
    assert "nested deeper than 64 levels" in html + summary


def test_moderately_deep_json_is_refused_before_it_reaches_the_renderers(tmp_path, capsys):
    nested = "[" * 500 + "]" * 500  # parses, but deeper than any file the toolkit writes
    folder = _run_folder(tmp_path / "run", **{"sizing/design.json": '{"a": ' + nested + "}"})
    html, _ = _report_and_summary(folder, capsys)
    assert "nested deeper than 64 levels" in html


@pytest.mark.parametrize(
    "name", ["sizing/design.json", "manifest.json", "district.json", "summary.csv"]
)
def test_link_out_of_the_run_folder_is_not_read(name, tmp_path, capsys):
    outside = tmp_path / "secret.json"
    outside.write_text(json.dumps({"name": SECRET, "secret": SECRET}))
    folder = _run_folder(tmp_path / "run")
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).unlink(missing_ok=True)
    (folder / name).symlink_to(outside)
    html, summary = _report_and_summary(folder, capsys)
    assert SECRET not in html and SECRET not in summary
    assert "leads out of the run folder" in html


def test_linked_stage_folder_outside_is_ignored(tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "leak.json").write_text(json.dumps({"secret": SECRET}))
    (elsewhere / "leak.csv").write_text(f"secret\n{SECRET}\n")
    folder = _run_folder(tmp_path / "run")
    (folder / "sizing").symlink_to(elsewhere, target_is_directory=True)
    html, summary = _report_and_summary(folder, capsys)
    assert SECRET not in html and SECRET not in summary


def test_link_inside_the_run_folder_is_fine(tmp_path, capsys):
    folder = _run_folder(tmp_path / "run", **{"sizing/real.json": json.dumps({"cost_eur": 5})})
    (folder / "sizing" / "design.json").symlink_to(folder / "sizing" / "real.json")
    html, _ = _report_and_summary(folder, capsys)
    assert "leads out of the run folder" not in html


def test_oversized_file_is_not_read(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(run_folder, "MAX_FILE_BYTES", 1000)
    folder = _run_folder(tmp_path / "run", **{"sizing/design.json": json.dumps({"x": "y" * 5000})})
    html, _ = _report_and_summary(folder, capsys)
    assert "at most 1,000 are read" in html


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe{\x00}\x00", b"\x00" * 100, b"NaN", b'{"a": Infinity}', b"[1, 2", b""],
)
def test_broken_json_bytes_become_notes(content, tmp_path, capsys):
    folder = _run_folder(tmp_path / "run")
    (folder / "sizing").mkdir()
    (folder / "sizing" / "design.json").write_bytes(content)
    (folder / "manifest.json").write_bytes(content)
    _report_and_summary(folder, capsys)


def test_summary_escapes_terminal_control_characters(tmp_path, capsys):
    name = "\x1b]0;owned\x07\x1b[2JHostile\u202e"
    folder = _run_folder(tmp_path / "run", **{"district.json": json.dumps({"name": name})})
    _, summary = _report_and_summary(folder, capsys)
    assert "\x1b" not in summary and "\u202e" not in summary
    assert "\\x1b]0;owned\\x07" in summary
