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
    """Simulate the sized design for a whole year and compare it with the optimiser.

    The sizing stage's last design round has simulated the design already: that year is the
    verification (nothing is simulated twice).
    """
    sizing = ctx.result("sizing")
    if sizing.loop is not None and sizing.loop.verification is not None:
        return sizing.loop.verification
    return compute_verification(
        ctx.district, ctx.demand, sizing.result, sizing.inputs, progress=ctx.progress
    )


def write(result: VerificationResult, out_dir: Path) -> list[Path]:
    """Write the verification files into ``sizing/`` (see :func:`write_verification`)."""
    return write_verification(result, out_dir)
