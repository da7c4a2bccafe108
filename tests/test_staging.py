"""Run folders are transactions: no stale mixing, no leftovers, clear file-system errors."""

import errno
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tsg import run_layout as layout
from tsg.cli import main
from tsg.common.errors import InputError
from tsg.staging import staged_run_folder
from tsg.synthetic import synthetic_district_document


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> Path:
    doc = synthetic_district_document(n_buildings=2, seed=3, n_partners=2)
    path = tmp_path_factory.mktemp("district") / "district.yaml"
    path.write_text(yaml.safe_dump(json.loads(json.dumps(doc, default=float))), encoding="utf-8")
    return path


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def _profiles(district: Path, out: Path) -> int:
    return main(["profiles", str(district), "--out", str(out), "--quiet"])


def test_a_new_run_replaces_an_old_run_folder_whole(district, tmp_path):
    out = tmp_path / "run"
    assert _profiles(district, out) == 0
    # an old stage folder and a file of another run must not survive into the new run
    (out / "simulation").mkdir()
    (out / "simulation" / "annual_summary.json").write_text("{}", encoding="utf-8")
    stale = out / "plots" / "heatmap_someone-else.png"
    stale.write_bytes(b"old")
    assert _profiles(district, out) == 0
    assert not (out / "simulation").exists()
    assert not stale.exists()
    manifest = json.loads(layout.MANIFEST.under(out).read_text(encoding="utf-8"))
    on_disk = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    assert on_disk - {layout.MANIFEST.relative} == set(manifest["outputs"])
    assert _leftovers(tmp_path) == []


def test_an_interrupted_write_leaves_the_old_run_and_no_staging(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    (out / layout.MANIFEST.relative).write_text('{"outputs": {}}', encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), staged_run_folder(out) as staging:
        (staging / "profiles.csv").write_text("time\n", encoding="utf-8")
        raise KeyboardInterrupt
    assert sorted(p.name for p in out.iterdir()) == [layout.MANIFEST.relative]
    assert _leftovers(tmp_path) == []


def test_sigterm_while_writing_cleans_up_and_exits_non_zero(tmp_path):
    out = tmp_path / "run"
    script = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from tsg.staging import staged_run_folder\n"
        f"with staged_run_folder(Path({str(out)!r})) as staging:\n"
        "    (staging / 'profiles.csv').write_bytes(b'x' * 1_000_000)\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    (staging / 'never.csv').write_text('reached')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode != 0
    assert "never" not in done.stdout
    assert not out.exists()
    assert _leftovers(tmp_path) == []


def test_sigterm_handler_is_restored_after_the_run(tmp_path):
    before = signal.getsignal(signal.SIGTERM)
    with staged_run_folder(tmp_path / "run") as staging:
        assert signal.getsignal(signal.SIGTERM) is not before
        (staging / "profiles.csv").write_text("time\n", encoding="utf-8")
    assert signal.getsignal(signal.SIGTERM) is before
    assert (tmp_path / "run" / "profiles.csv").is_file()


def test_full_disk_is_a_clear_error_and_keeps_the_old_run(district, tmp_path, monkeypatch, capsys):
    out = tmp_path / "run"
    assert _profiles(district, out) == 0
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    import tsg.outputs as outputs

    def full(path, write):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(outputs, "write_atomically", full)
    assert _profiles(district, out) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Traceback" not in err
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before
    assert _leftovers(tmp_path) == []


def test_read_only_parent_is_a_clear_error(district, tmp_path, capsys):
    if os.geteuid() == 0:
        # root ignores directory permissions: simulate the refusal instead
        parent = tmp_path / "ro"
        parent.write_text("a file where a folder is needed", encoding="utf-8")
        assert _profiles(district, parent / "run") == 2
    else:
        parent = tmp_path / "ro"
        parent.mkdir()
        parent.chmod(0o500)
        try:
            assert _profiles(district, parent / "run") == 2
        finally:
            parent.chmod(0o700)
    err = capsys.readouterr().err
    assert "cannot create the output folder" in err and "Traceback" not in err


def test_a_folder_with_other_files_is_never_replaced(district, tmp_path, capsys):
    out = tmp_path / "mine"
    out.mkdir()
    precious = out / "thesis.docx"
    precious.write_bytes(b"years of work")
    assert _profiles(district, out) == 2
    assert precious.read_bytes() == b"years of work"
    assert "not a run folder" in capsys.readouterr().err
    with pytest.raises(InputError, match="is a file"), staged_run_folder(precious):
        pass


def test_identical_inputs_give_byte_identical_profiles(district, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    assert _profiles(district, first) == 0
    assert _profiles(district, second) == 0
    for spec in (layout.PROFILES_CSV, layout.SUMMARY, layout.INDICATORS):
        assert spec.under(first).read_bytes() == spec.under(second).read_bytes(), spec.relative
