"""What runs inside a worker: its state per setup, the task calls, the batch error.

The one layer below :mod:`tsg.optimisation.executor` and
:mod:`tsg.optimisation.executor_dask`: a worker process (local or Dask) imports only this
module to build its state once per :class:`WorkerSetup` token and run tasks on it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MAX_STATES",
    "ExecutorError",
    "ProgressFn",
    "WorkerSetup",
    "call_in_process",
    "call_on_cluster",
    "init_process",
    "worker_state",
]

#: Progress callback: (items done, items in the batch).
ProgressFn = Callable[[int, int], None]


class ExecutorError(RuntimeError):
    """A batch could not finish: a worker process died or the cluster went away."""


@dataclass(frozen=True)
class WorkerSetup:
    """How a worker makes its state: ``function(*args)``, kept under ``token``.

    Parameters
    ----------
    token
        Identifies the state (e.g. a digest of the model inputs); batches with the same token
        reuse a worker's state.
    function
        Module-level callable (picklable) that builds the state.
    args
        Its arguments (picklable).

    """

    token: Hashable
    function: Callable[..., Any]
    args: tuple = ()


#: State of this worker process: (token, thread id) -> state, oldest first.
_STATES: dict[tuple[Hashable, int], Any] = {}

MAX_STATES = 4
"""States a worker keeps (a long-lived Dask worker serves many runs); the oldest goes first."""


def worker_state(setup: WorkerSetup) -> Any:
    """Return this worker thread's state of ``setup`` (made on first use, then kept)."""
    key = (setup.token, threading.get_ident())
    if key not in _STATES:
        while len(_STATES) >= MAX_STATES:
            _STATES.pop(next(iter(_STATES)))
        _STATES[key] = setup.function(*setup.args)
    return _STATES[key]


def init_process(setup: WorkerSetup) -> None:
    """Make the state of a local worker process (its pool's initializer)."""
    worker_state(setup)


def call_in_process(token: Hashable, task: Callable[[Any, Any], Any], item: Any) -> Any:
    """Run a task on the state a local worker made in :func:`init_process`."""
    return task(_STATES[(token, threading.get_ident())], item)


def call_on_cluster(setup: WorkerSetup, task: Callable[[Any, Any], Any], item: Any) -> Any:
    """Run a task on a Dask worker, making its state on first use."""
    return task(worker_state(setup), item)
