"""Run folders as transactions: write into a staging folder, move it into place at the end.

A run writes every file into a fresh hidden folder next to the target
(``.<name>.staging-<pid>``). Only when everything is written does that folder replace the
target in two renames (an existing run folder is moved aside first and removed after), so a
reader sees the old run or the new one, never a mix, and never a half-written folder. On an
error, Ctrl-C or SIGTERM the staging folder is removed and the target is left as it was.
A target that exists but is not a run folder (none of :data:`tsg.run_layout.RUN_MARKERS`) and
is not empty is never replaced. Errors of the file system (disk full, read-only, no
permission) become :class:`~tsg.common.errors.InputError` naming the folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from tsg import run_layout as layout
from tsg.common.errors import InputError

__all__ = ["staged_run_folder"]


class _Terminated(BaseException):
    """SIGTERM arrived while a run folder was being written."""


def _check_target(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("the output folder is a file; choose a folder", file=out_dir)
    if out_dir.is_dir():
        is_run = any((out_dir / marker).is_file() for marker in layout.RUN_MARKERS)
        if not is_run and any(out_dir.iterdir()):
            raise InputError(
                "the output folder exists, holds files and is not a run folder (no "
                f"{' / '.join(layout.RUN_MARKERS)}); refusing to replace it: choose a new or "
                "empty folder",
                file=out_dir,
            )


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _Terminated()


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    """Turn SIGTERM into an exception (so cleanup runs) while the block runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def staged_run_folder(out_dir: Path) -> Iterator[Path]:
    """Yield a fresh staging folder; on success it replaces ``out_dir``.

    Parameters
    ----------
    out_dir
        The run folder to (re)place; its parent is created when missing.

    Yields
    ------
    Path
        The staging folder to write into (same file system as ``out_dir``).

    Raises
    ------
    InputError
        ``out_dir`` is a file or a folder with other content, or the file system refused
        (full, read-only, no permission); nothing of the run is left behind.
    KeyboardInterrupt
        On SIGTERM (after cleanup), as on Ctrl-C.
    """
    out_dir = Path(out_dir)
    _check_target(out_dir)
    staging = out_dir.parent / f".{out_dir.name}.staging-{os.getpid()}"
    aside = out_dir.parent / f".{out_dir.name}.replaced-{os.getpid()}"
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
    except OSError as error:
        raise InputError(
            f"cannot create the output folder: {error.strerror}", file=out_dir
        ) from None
    try:
        with _sigterm_raises():
            yield staging
            if out_dir.exists():
                os.replace(out_dir, aside)
            os.replace(staging, out_dir)
    except _Terminated:
        shutil.rmtree(staging, ignore_errors=True)
        _restore(aside, out_dir)
        raise KeyboardInterrupt from None
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        _restore(aside, out_dir)
        where = error.filename or out_dir
        raise InputError(f"cannot write the run folder: {error.strerror}", file=where) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        _restore(aside, out_dir)
        raise
    shutil.rmtree(aside, ignore_errors=True)


def _restore(aside: Path, out_dir: Path) -> None:
    """Put a run folder moved aside back where it was (when the swap did not finish)."""
    if aside.exists() and not out_dir.exists():
        os.replace(aside, out_dir)
