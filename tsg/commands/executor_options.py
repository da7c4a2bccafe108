"""Options of the commands that solve batches of coalitions: where they run, the cache.

``--workers N`` (local processes, N >= 1), ``--scheduler tcp://HOST:PORT`` (a Dask cluster,
extra ``dask``), ``--no-cache`` and ``--cache-dir DIR`` (default
:func:`tsg.stages.context.default_cache_dir`). ``tsg allocate`` and ``tsg run`` share them.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tsg.common.errors import InputError
from tsg.optimisation.executor import (
    ExecutorSettings,
    SolveExecutor,
    check_scheduler,
    check_workers,
)
from tsg.stages.context import default_cache_dir

__all__ = ["add_executor_arguments", "executor_settings"]


def add_executor_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--workers``, ``--scheduler``, ``--no-cache`` and ``--cache-dir`` to a parser."""
    group = parser.add_argument_group("coalition solves")
    group.add_argument(
        "--workers",
        metavar="N",
        type=int,
        default=None,
        help="local worker processes for the coalition solves, each with one solver thread "
        "(default 2; 1: in this process)",
    )
    group.add_argument(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        default=None,
        help="solve the coalitions on a Dask cluster (start one with 'dask scheduler' and "
        "'dask worker tcp://HOST:PORT'; needs the extra 'dask')",
    )
    group.add_argument(
        "--no-cache",
        action="store_true",
        help="solve every coalition again instead of reading solved ones from the cache",
    )
    group.add_argument(
        "--cache-dir",
        metavar="DIR",
        type=Path,
        default=None,
        help="folder of the cache of solved coalitions (default $TSG_CACHE_DIR, else "
        "~/.cache/tsg/coalitions)",
    )


def executor_settings(args: argparse.Namespace) -> dict[str, Any]:
    """Check the options and return them as :class:`~tsg.stages.RunSettings` fields.

    A scheduler is contacted right away, so that a wrong address fails before any work.

    Returns
    -------
    dict
        ``processes``, ``scheduler`` and ``cache_dir``.

    Raises
    ------
    InputError
        Fewer than 1 worker, both ``--workers`` and ``--scheduler``, a malformed or
        unreachable scheduler address, or ``--cache-dir`` with ``--no-cache``.

    """
    if args.workers is not None:
        check_workers(args.workers)
        if args.scheduler is not None:
            raise InputError(
                "give --workers (local processes) or --scheduler (a Dask cluster), not both; "
                "a cluster's workers are started with 'dask worker'",
                field="--workers",
            )
    scheduler = None
    if args.scheduler is not None:
        scheduler = check_scheduler(args.scheduler)
        with SolveExecutor(ExecutorSettings(scheduler=scheduler)) as executor:
            executor.check()
    if args.no_cache and args.cache_dir is not None:
        raise InputError("give --cache-dir or --no-cache, not both", field="--cache-dir")
    if args.cache_dir is not None and args.cache_dir.exists() and not args.cache_dir.is_dir():
        raise InputError(
            "--cache-dir must be a folder, but a file with this name exists", file=args.cache_dir
        )
    cache_dir = None if args.no_cache else (args.cache_dir or default_cache_dir())
    return {"processes": args.workers, "scheduler": scheduler, "cache_dir": cache_dir}
