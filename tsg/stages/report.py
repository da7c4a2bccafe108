"""The report stage: one self-contained HTML file of the run folder (``report.html``).

The report is a view of the files the other stages wrote, so it has nothing to compute in
memory; :func:`write` builds it from the folder (:mod:`tsg.report`) after the manifest and
lists it in the manifest.
"""

from __future__ import annotations

from pathlib import Path

from tsg.report import write_report
from tsg.stages.context import RunContext

__all__ = ["compute", "write"]


def compute(ctx: RunContext) -> None:
    """Nothing to compute: the report reads the run folder."""
    return None


def write(result: None, out_dir: Path) -> list[Path]:
    """Write ``out_dir/report.html`` and add it to the manifest."""
    return [write_report(out_dir)]
