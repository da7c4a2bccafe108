"""One executor for every batch of solves: in this process, local processes or a Dask cluster.

A batch is a list of items (e.g. coalitions) and a task ``task(state, item) -> result``; the
``state`` (e.g. a built sizing model) is made by ``setup(*args)`` once per worker process (once
per worker thread on a Dask worker with several threads) and kept there for every later batch
with the same ``token``, so a model is built once per worker, not once per task.

* ``workers == 1`` and no scheduler: in this process, on a state given by the caller or made
  once;
* ``workers > 1``: a pool of that many local processes (``spawn``), kept while the
  :class:`SolveExecutor` is open and rebuilt only when the token changes;
* ``scheduler``: a ``dask.distributed`` cluster at ``tcp://HOST:PORT`` (optional extra
  ``dask``); the setup arguments are sent once per worker (``scatter``, broadcast).

A worker that dies (killed, out of memory) ends the batch with :class:`ExecutorError`, not a
hang; an unreachable scheduler or a worker count below 1 is an
:class:`~common.errors.InputError` (exit code 2 in the CLI). Results arrive in completion
order; ``progress(0, total)`` is called when a batch starts and ``progress(done, total)``
after each result.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Hashable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any

from tsg.common.errors import InputError
from tsg.optimisation.executor_dask import connect, map_on_cluster, wait_for_a_worker
from tsg.optimisation.worker_state import (
    ExecutorError,
    ProgressFn,
    WorkerSetup,
    call_in_process,
    init_process,
)

__all__ = [
    "CONNECT_TIMEOUT_S",
    "ProgressFn",
    "ExecutorError",
    "ExecutorSettings",
    "SolveExecutor",
    "WorkerSetup",
    "check_scheduler",
    "check_workers",
]

CONNECT_TIMEOUT_S = 5.0
"""How long to wait for a Dask scheduler to answer [s]."""

#: A batch stops when the cluster has had no worker for this many connect timeouts.
LOST_AFTER_FACTOR = 6


def check_workers(workers: int) -> int:
    """Return ``workers`` if it is a whole number >= 1.

    Raises
    ------
    InputError
        ``workers`` is 0, negative or not an integer.

    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InputError(
            f"the number of worker processes must be a whole number >= 1, got {workers!r}",
            field="--workers",
        )
    return workers


def check_scheduler(address: str) -> str:
    """Return a scheduler address as ``PROTOCOL://HOST:PORT`` (``tcp://`` when none is given).

    Raises
    ------
    InputError
        Not of the form ``[tcp://]HOST:PORT`` with a port 1-65535.

    """
    text = address.strip()
    full = text if "://" in text else f"tcp://{text}"
    host, sep, port = full.split("://", 1)[1].rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise InputError(
            f"scheduler address {address!r} is not of the form tcp://HOST:PORT "
            "(e.g. tcp://127.0.0.1:8786)",
            field="--scheduler",
        )
    return full


@dataclass(frozen=True)
class ExecutorSettings:
    """Where a batch of solves runs.

    Parameters
    ----------
    workers
        Local worker processes (>= 1; 1 = in this process). Ignored with ``scheduler``.
    scheduler
        Address of a Dask scheduler (``tcp://HOST:PORT``), or ``None`` for local processes.
    connect_timeout_s
        How long to wait for the scheduler [s].

    """

    workers: int = 1
    scheduler: str | None = None
    connect_timeout_s: float = CONNECT_TIMEOUT_S

    def __post_init__(self) -> None:
        check_workers(self.workers)
        if self.scheduler is not None:
            object.__setattr__(self, "scheduler", check_scheduler(self.scheduler))

    def describe(self) -> str:
        """Return where the batches run, for progress messages."""
        if self.scheduler is not None:
            return f"Dask scheduler {self.scheduler}"
        return "this process" if self.workers == 1 else f"{self.workers} processes"


class SolveExecutor:
    """Runs batches of tasks where :class:`ExecutorSettings` say; a context manager.

    Parameters
    ----------
    settings
        Workers or scheduler.

    """

    def __init__(self, settings: ExecutorSettings | None = None) -> None:
        self.settings = settings or ExecutorSettings()
        self._pool: ProcessPoolExecutor | None = None
        self._pool_token: Hashable | None = None
        self._client: Any = None
        self._scattered: dict[Hashable, Any] = {}
        self._local: dict[Hashable, Any] = {}

    def __enter__(self) -> SolveExecutor:
        """Return self (the pool or the connection is made on first use)."""
        return self

    def __exit__(self, *exc: object) -> None:
        """Close the pool or the connection."""
        self.close()

    def close(self) -> None:
        """Stop the local worker processes or disconnect from the scheduler."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None
            self._scattered.clear()

    @property
    def parallel(self) -> int:
        """Tasks that may run at once (local processes; for Dask the worker threads)."""
        if self.settings.scheduler is None:
            return self.settings.workers
        client = self._connect()
        return max(1, sum(client.nthreads().values()))

    def check(self) -> None:
        """Connect to the scheduler (if any) and make sure it has a worker.

        Raises
        ------
        InputError
            The scheduler cannot be reached or has no worker within the connect timeout.

        """
        if self.settings.scheduler is None:
            return
        wait_for_a_worker(self._connect(), self.settings.connect_timeout_s)

    def map(
        self,
        setup: WorkerSetup,
        task: Callable[[Any, Any], Any],
        items: Sequence[Any],
        *,
        local_state: Any = None,
        progress: ProgressFn | None = None,
    ) -> Iterator[tuple[Any, Any]]:
        """Run ``task(state, item)`` for every item; yield ``(item, result)`` as they finish.

        Parameters
        ----------
        setup
            How a worker makes its state.
        task
            Module-level callable ``(state, item) -> result`` (picklable for workers).
        items
            The batch (picklable for workers).
        local_state
            State to use when the batch runs in this process (else made from ``setup``).
        progress
            Called with (0, total) first, then (done, total) after each item.

        Yields
        ------
        tuple
            (item, result), in completion order.

        Raises
        ------
        ExecutorError
            A worker died or the scheduler went away.
        InputError
            The scheduler cannot be reached.

        """
        items = list(items)
        total = len(items)
        if not total:
            return
        if self.settings.scheduler is not None:
            results = self._map_dask(setup, task, items)
        elif self.settings.workers == 1 or total == 1:
            results = self._map_here(setup, task, items, local_state)
        else:
            results = self._map_pool(setup, task, items)
        if progress is not None:
            progress(0, total)
        for done, pair in enumerate(results, start=1):
            if progress is not None:
                progress(done, total)
            yield pair

    def _map_here(
        self, setup: WorkerSetup, task: Callable, items: list, local_state: Any
    ) -> Iterator[tuple[Any, Any]]:
        state = local_state
        if state is None:
            if setup.token not in self._local:
                self._local[setup.token] = setup.function(*setup.args)
            state = self._local[setup.token]
        for item in items:
            yield item, task(state, item)

    def _map_pool(self, setup: WorkerSetup, task: Callable, items: list) -> Iterator:
        if self._pool is None or self._pool_token != setup.token:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = ProcessPoolExecutor(
                max_workers=self.settings.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=init_process,
                initargs=(setup,),
            )
            self._pool_token = setup.token
        pool = self._pool
        try:
            futures: dict[Future, Any] = {
                pool.submit(call_in_process, setup.token, task, item): item for item in items
            }
            pending = set(futures)
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield futures[future], future.result()
        except BrokenProcessPool:
            self._pool = None
            pool.shutdown(wait=False, cancel_futures=True)
            raise ExecutorError(
                "a worker process died (killed, out of memory or crashed while building the "
                "model); the batch is incomplete. Try fewer --workers or run again."
            ) from None
        except BaseException:
            for future in futures:
                future.cancel()
            raise

    def _connect(self) -> Any:
        if self._client is None:
            self._client = connect(self.settings.scheduler, self.settings.connect_timeout_s)
        return self._client

    def _map_dask(self, setup: WorkerSetup, task: Callable, items: list) -> Iterator:
        client = self._connect()
        if setup.token not in self._scattered:
            try:
                self._scattered[setup.token] = client.scatter(setup, broadcast=True)
            except (OSError, TimeoutError) as error:
                raise ExecutorError(
                    f"cannot send the model to the Dask cluster at {self.settings.scheduler} "
                    f"({error}); it has no worker or lost its scheduler"
                ) from None
        remote = self._scattered[setup.token]
        lost_after_s = LOST_AFTER_FACTOR * self.settings.connect_timeout_s
        return map_on_cluster(client, remote, task, items, lost_after_s=lost_after_s)
