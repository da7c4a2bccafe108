"""Progress messages for long-running commands (to standard error, so stdout stays clean)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


class Progress:
    """Prints one line per pipeline step with its duration.

    Parameters
    ----------
    stream
        Where to print; standard error by default.
    quiet
        Print nothing.
    """

    def __init__(self, *, stream: TextIO | None = None, quiet: bool = False) -> None:
        self._stream = stream or sys.stderr
        self._quiet = quiet

    def say(self, message: str) -> None:
        """Print a message."""
        if not self._quiet:
            print(message, file=self._stream, flush=True)

    @contextmanager
    def step(self, title: str) -> Iterator[None]:
        """Announce a step, then report how long it took."""
        self.say(f"... {title}")
        start = time.perf_counter()
        yield
        self.say(f"    done in {time.perf_counter() - start:.1f} s")
