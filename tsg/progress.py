"""Progress messages for long-running commands (to standard error, so stdout stays clean)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
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

    def counter(self, label: str, *, every_s: float = 10.0) -> Callable[[int, int], None]:
        """Return a callback ``(done, total)`` that prints a progress line with count and ETA.

        On a terminal the line is rewritten in place; otherwise a line is printed at most
        every ``every_s`` seconds and when the batch is done. Each batch starts its own clock
        with a call ``(0, total)``.

        Parameters
        ----------
        label
            What is counted, e.g. ``coalition solves``.
        every_s
            Seconds between lines when not on a terminal.

        Returns
        -------
        callable
            The callback; does nothing when quiet.
        """
        tty = bool(getattr(self._stream, "isatty", lambda: False)())
        clock = {"start": time.perf_counter(), "last": -1e9}

        def report(done: int, total: int) -> None:
            if self._quiet:
                return
            now = time.perf_counter()
            if done == 0:
                clock["start"], clock["last"] = now, now
                if not tty:
                    return
            final = done >= total
            if not tty and not final and now - clock["last"] < every_s:
                return
            clock["last"] = now
            line = progress_line(label, done, total, now - clock["start"])
            if tty:
                end = "\n" if final else ""
                print(f"\r{line}\x1b[K", end=end, file=self._stream, flush=True)
            else:
                print(line, file=self._stream, flush=True)

        return report

    @contextmanager
    def step(self, title: str) -> Iterator[None]:
        """Announce a step, then report how long it took."""
        self.say(f"... {title}")
        start = time.perf_counter()
        yield
        self.say(f"    done in {time.perf_counter() - start:.1f} s")


def progress_line(label: str, done: int, total: int, elapsed_s: float) -> str:
    """Return ``label: done/total (pct %), elapsed, ETA`` for a batch.

    Parameters
    ----------
    label
        What is counted.
    done, total
        Items finished and in the batch.
    elapsed_s
        Seconds since the batch started.

    Returns
    -------
    str
        E.g. ``    coalition solves: 12/127 (9 %), 30 s, ETA 4 min 48 s``.
    """
    pct = 100 * done / total if total else 100
    text = f"    {label}: {done}/{total} ({pct:.0f} %), {_duration(elapsed_s)}"
    if 0 < done < total:
        text += f", ETA {_duration(elapsed_s / done * (total - done))}"
    return text


def _duration(seconds: float) -> str:
    """``42 s``, ``3 min 5 s`` or ``1 h 2 min``."""
    s = int(round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60} s"
    return f"{s // 3600} h {s % 3600 // 60} min"
