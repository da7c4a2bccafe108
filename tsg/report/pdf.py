"""Print the report to PDF with headless Chromium (``tsg report --pdf``).

The report's print stylesheet (``@media print``) lays it out on A4; Chromium prints it without
header and footer lines. Without Chromium the command fails with a clear message.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from tsg.common.errors import InputError

__all__ = ["BROWSERS", "PDF_TIMEOUT_S", "find_browser", "print_pdf"]

#: Executable names of a Chromium-based browser, in the order tried.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
#: Longest a print may take [s].
PDF_TIMEOUT_S = 180


def find_browser() -> str | None:
    """Return the path of a Chromium-based browser on the PATH, or ``None``."""
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def print_pdf(html_path: Path, pdf_path: Path, *, browser: str | None = None) -> Path:
    """Print an HTML file to PDF with headless Chromium.

    Parameters
    ----------
    html_path
        The report.
    pdf_path
        Where to write the PDF (replaced when it exists).
    browser
        Browser executable; default :func:`find_browser`.

    Returns
    -------
    Path
        ``pdf_path``.

    Raises
    ------
    InputError
        No Chromium is installed, or it failed or wrote no PDF.
    """
    executable = browser or find_browser()
    if executable is None:
        raise InputError(
            "--pdf needs headless Chromium, which is not installed (looked for "
            f"{', '.join(BROWSERS)}); install it (e.g. 'apt-get install chromium') or print "
            "report.html from a browser",
            file=html_path,
        )
    pdf_path.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="tsg-pdf-") as profile:
        command = [
            executable,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            f"--user-data-dir={profile}",
            "--no-pdf-header-footer",
            "--run-all-compositor-stages-before-draw",
            "--virtual-time-budget=10000",
            f"--print-to-pdf={pdf_path}",
            html_path.resolve().as_uri(),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=PDF_TIMEOUT_S, check=False
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise InputError(f"Chromium could not print the report: {error}") from None
    if not pdf_path.is_file() or pdf_path.stat().st_size == 0:
        tail = (done.stderr or "").strip().splitlines()[-3:]
        raise InputError(
            f"Chromium wrote no PDF (exit {done.returncode}): {' '.join(tail) or 'no message'}"
        )
    return pdf_path
