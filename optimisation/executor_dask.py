"""Batches on a Dask cluster (``dask.distributed``, optional extra ``dask``).

:func:`connect` reaches a scheduler within a short timeout or raises an
:class:`~common.errors.InputError` naming the address; :func:`map_on_cluster` submits one task
per item and yields results as they finish. A batch never waits forever: a worker killed
too often (``KilledWorker``), a lost scheduler, or a cluster without any worker for
``lost_after_s`` ends it with :class:`~optimisation.worker_state.ExecutorError`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from tsg.common.errors import InputError
from tsg.optimisation.worker_state import ExecutorError, call_on_cluster

__all__ = ["POLL_S", "connect", "map_on_cluster", "wait_for_a_worker"]

POLL_S = 2.0
"""How often a running batch checks that the cluster still has workers [s]."""


def connect(address: str, timeout_s: float) -> Any:
    """Return a ``distributed.Client`` connected to ``address``.

    Raises
    ------
    InputError
        ``distributed`` is not installed, or no scheduler answers within ``timeout_s``.

    """
    try:
        from distributed import Client
    except ImportError:
        raise InputError(
            "--scheduler needs dask.distributed; install it with "
            "pip install 'thermal-smart-grid[dask]'",
            field="--scheduler",
        ) from None
    try:
        return Client(address, timeout=timeout_s, set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise InputError(
            f"cannot reach the Dask scheduler at {address} within {timeout_s:g} s "
            f"({type(error).__name__}); start one with 'dask scheduler' and workers with "
            f"'dask worker {address}'",
            field="--scheduler",
        ) from None


def wait_for_a_worker(client: Any, timeout_s: float) -> None:
    """Return when the cluster has a worker.

    Raises
    ------
    InputError
        None within ``timeout_s``.

    """
    try:
        client.wait_for_workers(1, timeout=timeout_s)
    except (OSError, TimeoutError):
        address = client.scheduler.address
        raise InputError(
            f"the Dask scheduler at {address} has no worker; start one with "
            f"'dask worker {address}'",
            field="--scheduler",
        ) from None


def map_on_cluster(
    client: Any,
    setup: Any,
    task: Callable[[Any, Any], Any],
    items: list,
    *,
    lost_after_s: float,
) -> Iterator[tuple[Any, Any]]:
    """Run ``task(state, item)`` on the cluster for every item; yield (item, result).

    Parameters
    ----------
    client
        A connected ``distributed.Client``.
    setup
        The :class:`~optimisation.worker_state.WorkerSetup`, or its future after ``scatter``.
    task
        Module-level callable ``(state, item) -> result``.
    items
        The batch.
    lost_after_s
        End the batch when the cluster has had no worker this long [s].

    Raises
    ------
    ExecutorError
        Workers died, the scheduler was lost, or no worker was left.

    """
    from distributed import as_completed

    address = client.scheduler.address
    futures = {
        client.submit(call_on_cluster, setup, task, item, pure=False): item for item in items
    }
    arriving = as_completed(list(futures), loop=client.loop)
    checked = alone_since = time.perf_counter()
    try:
        while not arriving.is_empty():
            ready = arriving.next_batch(block=False)
            for future in ready:
                yield futures[future], future.result()
            now = time.perf_counter()
            if ready:
                alone_since = checked = now
                continue
            time.sleep(0.05)
            if now - checked < POLL_S:
                continue
            checked = now
            if client.nthreads():
                alone_since = now
            elif now - alone_since > lost_after_s:
                raise ExecutorError(
                    f"the Dask cluster at {address} has had no worker for {lost_after_s:g} s; "
                    f"the batch is incomplete (start workers with 'dask worker {address}')"
                )
    except (OSError, TimeoutError) as error:
        raise ExecutorError(f"lost the Dask scheduler at {address}: {error}") from None
    except Exception as error:
        if type(error).__name__ != "KilledWorker":
            raise
        raise ExecutorError(
            f"a Dask worker died while solving ({error}); the batch is incomplete"
        ) from None
    finally:
        for future in futures:
            future.cancel()
