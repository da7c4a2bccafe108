"""The package layout, the README quick start and CI stay in sync."""

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _quick_start_command(marker: str) -> str:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(f"<!-- quick-start:{marker} -->")
    assert lines[start + 1] == "```bash" and lines[start + 3] == "```"
    return lines[start + 2]


def _folder_of(package: str, package_dir: dict[str, str]) -> str:
    """The repository folder of a package under setuptools' prefix mapping."""
    parts = package.split(".")
    for cut in range(len(parts), 0, -1):
        prefix = ".".join(parts[:cut])
        if prefix in package_dir:
            return "/".join([package_dir[prefix], *parts[cut:]])
    return "/".join(parts)


def test_every_python_package_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    folder_of = {name: _folder_of(name, config["package-dir"]) for name in config["packages"]}
    on_disk = {
        str(init.parent.relative_to(ROOT))
        for init in ROOT.rglob("__init__.py")
        if not {"tests", "benchmarks", ".venv", "build"} & set(init.relative_to(ROOT).parts)
    }
    assert set(folder_of.values()) == on_disk
    assert all(name == "tsg" or name.startswith("tsg.") for name in config["packages"])


def test_readme_has_exactly_two_quick_start_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.count("<!-- quick-start:") == 2
    assert _quick_start_command("run").endswith("&& tsg run")
    assert _quick_start_command("test").endswith("&& pytest")


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "<!-- quick-start:test -->" in ci
    extracted = subprocess.run(
        [sys.executable, "-c", ci.split("<<'PY'\n")[1].split("\nPY\n")[0]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert extracted == _quick_start_command("test")


@pytest.mark.slow
def test_wheel_ships_the_data_files(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("thermal_smart_grid-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "tsg/data/districts/hart-van-zuid/district.yaml",
        "tsg/data/catalogues/archetypes.yaml",
        "tsg/data/catalogues/economics.yaml",
        "tsg/cli.py",
        "tsg/buildings/profiles.py",
        "tsg/common/errors.py",
        "tsg/grid/network.py",
        "tsg/optimisation/sizing/model.py",
        "tsg/scaling/spreading.py",
    ):
        assert required in names
    # one import package: nothing but `tsg` (and the dist-info) at the top of the wheel
    top_level = {name.split("/")[0] for name in names}
    assert {name for name in top_level if not name.endswith(".dist-info")} == {"tsg"}
