"""Every input in the hostile corpus gives exit code 2, one clear message and no traceback.

The corpus (``hostile_corpus.CASES``) has broken YAML, absurd numbers, broken cross
references, broken routes, measured profiles, weather and cost files. Each case runs in-process
through :func:`tsg.cli.main` (an exception other than ``InputError`` fails the test); a few run
through the installed console script to check stderr end to end.
"""

import shutil
import subprocess
import sys

import pytest
from hostile_corpus import CASES

from tsg.cli import main


def test_the_corpus_has_at_least_60_cases():
    assert len(CASES) >= 60


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input_gives_exit_2_and_a_clear_message(name, tmp_path, capsys):
    case = CASES[name]
    arguments = case.make(tmp_path)
    code = main(arguments)
    captured = capsys.readouterr()
    assert code == 2, captured.out + captured.err
    assert "Traceback" not in captured.err
    assert captured.err.startswith(f"tsg {arguments[0]}: error: ")
    assert captured.err.count("\n") <= 40, "one message, not a dump"
    assert case.file in captured.err, captured.err
    if case.field is not None:
        assert f"field '{case.field}" in captured.err or case.field in captured.err, captured.err
    assert case.message in captured.err, captured.err
    assert len(captured.err) < 5000, "messages quote long inputs shortened"
    assert all(ch == "\n" or ch.isprintable() for ch in captured.err), "no control characters"


CONSOLE = ["seed -1", "complex key", "5000 nested brackets", "route features 5", "costs UTF-16"]


@pytest.mark.parametrize("name", CONSOLE)
def test_console_script_prints_the_message_without_traceback(name, tmp_path):
    tsg = shutil.which("tsg") or str(__import__("pathlib").Path(sys.executable).parent / "tsg")
    arguments = CASES[name].make(tmp_path)
    result = subprocess.run([tsg, *arguments], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert CASES[name].message in result.stderr
