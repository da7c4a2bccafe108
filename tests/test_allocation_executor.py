"""Where coalition solves run (local processes, a Dask cluster), the cache on disk, bad input."""

import io
import json
import operator
import os
import socket
import subprocess
import sys
import time
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from exchange_helpers import small_district

from tsg.cli import main
from tsg.common.errors import InputError
from tsg.demand import district_demand
from tsg.district import load_district
from tsg.optimisation.executor import (
    ExecutorError,
    ExecutorSettings,
    SolveExecutor,
    WorkerSetup,
    check_scheduler,
)
from tsg.optimisation.sizing import SizingOptions
from tsg.optimisation.sizing.coalition_cache import CacheWarning, CoalitionCache, digest
from tsg.optimisation.sizing.solve import SolveInfo
from tsg.optimisation.worker_state import MAX_STATES, worker_state
from tsg.progress import Progress, progress_line
from tsg.stages import RunContext, RunSettings, allocation

OPTIONS = SizingOptions(n_typical_periods=1, mip_gap=1e-6, time_limit_s=60.0)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tsg(*args: str, timeout: float = 120.0) -> subprocess.CompletedProcess:
    return subprocess.run(["tsg", *args], capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Three partners with a building each and an ATES (tests/exchange_helpers.py)."""
    path = small_district(tmp_path_factory.mktemp("district"))
    district = load_district(path)
    return path, district, district_demand(district, district_file=path)


# --- the executor ---------------------------------------------------------------------------


def test_local_processes_keep_one_state_per_worker_and_return_every_result():
    # the state is the time it was made: one per worker process, not one per task
    setup = WorkerSetup("clock", time.perf_counter_ns)
    calls = []
    with SolveExecutor(ExecutorSettings(workers=2)) as executor:
        got = dict(executor.map(setup, max, list(range(8)), progress=lambda *a: calls.append(a)))
        again = dict(executor.map(WorkerSetup("ten", int, ("10",)), operator.add, [1, 2, 3]))
    assert sorted(got) == list(range(8))
    assert 1 <= len(set(got.values())) <= 2
    assert calls[0] == (0, 8) and calls[-1] == (8, 8) and len(calls) == 9
    assert again == {1: 11, 2: 12, 3: 13}


def test_one_worker_runs_in_this_process_on_the_given_state():
    executor = SolveExecutor(ExecutorSettings(workers=1))
    pairs = list(executor.map(WorkerSetup("x", int), operator.mul, [1, 2], local_state=os.getpid()))
    assert pairs == [(1, os.getpid()), (2, 2 * os.getpid())]


def test_a_worker_keeps_a_few_states_and_drops_the_oldest():
    made = worker_state(WorkerSetup("a", time.perf_counter_ns))
    assert worker_state(WorkerSetup("a", time.perf_counter_ns)) == made
    for k in range(MAX_STATES):
        assert worker_state(WorkerSetup(("other", k), int, (str(k),))) == k
    assert worker_state(WorkerSetup("a", time.perf_counter_ns)) != made  # made again


def test_a_worker_that_dies_ends_the_batch_with_a_clear_error():
    dying = WorkerSetup("dies", os._exit, (3,))  # the worker exits while building its state
    start = time.perf_counter()
    with SolveExecutor(ExecutorSettings(workers=2)) as executor:
        with pytest.raises(ExecutorError, match="worker process died"):
            list(executor.map(dying, operator.add, [1, 2, 3]))
    assert time.perf_counter() - start < 60


@pytest.mark.parametrize("workers", [0, -1, 1.5, True])
def test_workers_below_one_are_refused(workers):
    with pytest.raises(InputError, match="whole number >= 1"):
        ExecutorSettings(workers=workers)


def test_scheduler_addresses():
    assert check_scheduler("127.0.0.1:8786") == "tcp://127.0.0.1:8786"
    assert check_scheduler("tcp://cluster.example:8786") == "tcp://cluster.example:8786"
    for bad in ("cluster", "tcp://cluster:port", "tcp://:8786", "tcp://h:70000"):
        with pytest.raises(InputError, match="tcp://HOST:PORT"):
            check_scheduler(bad)


def test_unreachable_scheduler_is_an_input_error_naming_the_address():
    pytest.importorskip("distributed")
    address = f"tcp://127.0.0.1:{free_port()}"
    settings = ExecutorSettings(scheduler=address, connect_timeout_s=1.0)
    start = time.perf_counter()
    with pytest.raises(InputError, match=address):
        SolveExecutor(settings).check()
    assert time.perf_counter() - start < 30


def test_progress_line_shows_count_and_eta():
    assert progress_line("solves", 3, 12, 30.0) == "    solves: 3/12 (25 %), 30 s, ETA 1 min 30 s"
    assert progress_line("solves", 12, 12, 125.0) == "    solves: 12/12 (100 %), 2 min 5 s"


def test_progress_counter_prints_to_its_stream_unless_quiet():
    stream = io.StringIO()
    count = Progress(stream=stream).counter("solves", every_s=0.0)
    for done in range(4):
        count(done, 3)
    lines = stream.getvalue().splitlines()
    expected = [f"    solves: {k}/3 ({round(100 * k / 3)} %)" for k in (1, 2, 3)]
    assert [line.split(",")[0] for line in lines] == expected
    assert "ETA" in lines[0] and "ETA" not in lines[-1]
    quiet = io.StringIO()
    Progress(stream=quiet, quiet=True).counter("solves")(1, 3)
    assert quiet.getvalue() == ""


def test_digest_does_not_depend_on_hash_randomisation():
    code = (
        "from tsg.optimisation.sizing.coalition_cache import digest;"
        "print(digest({'ahoy', 'eneco', 'hotel'}, {'b': 1.5, 'a': (1, None)}, frozenset('xyz')))"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout.strip()
        for seed in ("1", "2", "3")
    }
    assert seen == {digest({"hotel", "ahoy", "eneco"}, {"a": (1, None), "b": 1.5}, set("zyx"))}
    assert digest(1.0) != digest(1) != digest("1")


# --- the cache --------------------------------------------------------------------------------


def _stage(small, **settings):
    path, district, demand = small
    settings = {"allocation_options": OPTIONS, "processes": 1, "refine_budget_s": 0, **settings}
    run = RunSettings(**settings)
    return allocation.compute(RunContext.of(district, path, demand=demand, settings=run))


def test_cached_rerun_solves_nothing_and_a_corrupt_entry_is_solved_again(small, tmp_path):
    first = _stage(small, cache_dir=tmp_path)
    assert (first.meta["solved"], first.meta["from_cache"]) == (6, 0)  # c(N) is the design
    entries = sorted(tmp_path.rglob("*.json"))
    assert len(entries) == 6

    second = _stage(small, cache_dir=tmp_path)
    assert (second.meta["solved"], second.meta["from_cache"]) == (0, 6)
    np.testing.assert_array_equal(second.game.costs, first.game.costs)
    columns = ["coalition", "cost_eur_per_yr", "lower_eur_per_yr", "status", "gap"]
    pd.testing.assert_frame_equal(second.solves[columns], first.solves[columns])

    entries[0].write_text('{"format": 1, "key": "trunc', encoding="utf-8")
    entries[1].write_text(json.dumps({"format": 1, "key": "another"}), encoding="utf-8")
    with pytest.warns(CacheWarning, match="corrupt cache entry"):
        third = _stage(small, cache_dir=tmp_path)
    assert (third.meta["solved"], third.meta["from_cache"]) == (2, 4)
    # re-solved coalitions agree to the last digits (summation order may differ)
    np.testing.assert_allclose(third.game.costs, first.game.costs, rtol=1e-9)
    assert all(json.loads(e.read_text())["format"] == 1 for e in entries)  # rewritten
    assert not list(tmp_path.rglob("*.tmp"))

    other = _stage(small, cache_dir=tmp_path, allocation_options=replace(OPTIONS, mip_gap=1e-5))
    assert other.meta["from_cache"] == 0  # another gap is another key


def test_without_a_cache_folder_everything_is_solved(small):
    result = _stage(small)
    assert (result.meta["solved"], result.meta["from_cache"]) == (6, 0)


# --- the command line -------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["allocate", "run"])
@pytest.mark.parametrize("workers", ["0", "-3"])
def test_zero_or_negative_workers_exit_2_without_traceback(small, command, workers):
    result = tsg(command, str(small[0]), "--workers", workers)
    assert result.returncode == 2, result.stderr
    assert "--workers" in result.stderr and "whole number >= 1" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_scheduler_exits_2_naming_the_address(small):
    pytest.importorskip("distributed")
    address = f"tcp://127.0.0.1:{free_port()}"
    start = time.perf_counter()
    result = tsg("allocate", str(small[0]), "--scheduler", address)
    assert result.returncode == 2, result.stderr
    assert f"cannot reach the Dask scheduler at {address}" in result.stderr
    assert "Traceback" not in result.stderr
    assert time.perf_counter() - start < 60
    result = tsg("allocate", str(small[0]), "--scheduler", "nowhere")
    assert result.returncode == 2 and "tcp://HOST:PORT" in result.stderr


@pytest.fixture(scope="module")
def dask_cluster():
    """A Dask scheduler and two single-threaded worker processes on localhost."""
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=":0",
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def test_allocate_on_a_dask_cluster_gives_the_local_allocation(small, dask_cluster, tmp_path):
    path = str(small[0])
    local, remote = tmp_path / "local", tmp_path / "dask"
    assert main(["allocate", path, "--out", str(local), "--workers", "1", "--no-cache"]) == 0
    args = ["allocate", path, "--out", str(remote), "--scheduler", dask_cluster, "--no-cache"]
    assert main([*args, "--quiet"]) == 0
    meta = json.loads((remote / "allocation" / "allocation_meta.json").read_text())
    assert meta["options"]["workers"] == f"Dask scheduler {dask_cluster}"
    assert meta["solved"] == 6
    for name in ("coalition_costs.csv", "allocation.csv"):
        expected = pd.read_csv(local / "allocation" / name)
        pd.testing.assert_frame_equal(pd.read_csv(remote / "allocation" / name), expected)
    expected = json.loads((local / "allocation" / "allocation.json").read_text())
    assert json.loads((remote / "allocation" / "allocation.json").read_text()) == expected


def test_a_cluster_without_workers_is_refused_and_never_hangs_a_batch():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=0, processes=False, protocol="tcp", host="127.0.0.1", dashboard_address=None
    ) as cluster:
        address = cluster.scheduler_address
        settings = ExecutorSettings(scheduler=address, connect_timeout_s=1.0)
        with SolveExecutor(settings) as executor:
            with pytest.raises(InputError, match="has no worker"):
                executor.check()
            start = time.perf_counter()
            with pytest.raises(ExecutorError, match="no worker"):
                list(executor.map(WorkerSetup("ten", int, ("10",)), operator.add, [1, 2]))
            assert time.perf_counter() - start < 30


def test_a_cache_folder_that_cannot_be_written_warns_once(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    cache = CoalitionCache(blocker, "0" * 64)
    info = SolveInfo("appsi_highs", "optimal", 10.0, 9.9, 0.1, 1)
    with pytest.warns(CacheWarning) as caught:
        for k in range(3):
            cache.put({f"p{k}"}, 0.03, 10.0, info)
    assert len(caught) == 1 and "not stored" in str(caught[0].message)
    assert cache.get({"p0"}, 0.03) is None
