"""The verification stage: the sized design through the annual simulation -> ``sizing/``.

Needs the sizing stage's result in the run context. The simulation of the design and the
comparison with the optimiser are in :mod:`tsg.verification_stage`.
"""

from __future__ import annotations

from pathlib import Path

from tsg.stages.context import RunContext
from tsg.verification_stage import VerificationResult, compute_verification, write_verification

__all__ = ["VerificationResult", "compute", "write"]


def compute(ctx: RunContext) -> VerificationResult:
    """Simulate the sized design for a whole year and compare it with the optimiser."""
    return compute_verification(
        ctx.district, ctx.demand, ctx.result("sizing"), progress=ctx.progress
    )


def write(result: VerificationResult, out_dir: Path) -> list[Path]:
    """Write the verification files into ``sizing/`` (see :func:`write_verification`)."""
    return write_verification(result, out_dir)
