"""The design loop's candidates: a repaired layout re-optimised, and the MIP that certifies it.

After a round's cuts, the next round's design is the previous layout (connections, pipes,
ATES doublets) with every cut trench enlarged to its floor and everything else -- capacities
and operation -- re-optimised: an LP of seconds instead of a MIP of a minute, and a feasible
design of the cut problem. Once such a candidate passes its simulated year (or the loop ends
on it), the full sizing model is solved once more, started from the candidate's layout. The
solver's bound is a lower bound on every design of that final problem, so the candidate is
*certified* when its cost lies within the MIP gap of that bound; when the solver finds a
layout cheaper by more than the gap, that layout is the next round's design.
"""

from __future__ import annotations

import math
import os
import pickle
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from tsg.common.errors import InputError
from tsg.optimisation.sizing import SizingInputs, SizingOptions, build_model, solve_and_extract
from tsg.optimisation.sizing.layout import layout_values
from tsg.optimisation.sizing.model import SizingModel
from tsg.optimisation.sizing.periods import TimeSteps
from tsg.optimisation.sizing.result import CostLine, SizingResult

__all__ = ["REPAIRED_STATUS", "BackgroundCertificate", "Certificate", "certify", "repaired_design"]

#: ``SolveReport.status`` of a design whose layout was fixed (its bound is not known yet).
REPAIRED_STATUS = "layout_fixed"


@dataclass(frozen=True)
class Certificate:
    """The full solve that judges a candidate.

    Attributes
    ----------
    model
        The solved model (binaries free; the solver's design loaded).
    design
        The solver's design (the candidate's layout or a cheaper one).
    candidate
        The candidate with the solver's bound and its own gap to it in its solve report.
    certified
        The candidate's cost lies within the MIP gap of the bound.
    time_s
        Wall time of the build and solve [s].
    alongside
        Solved in a separate process (:class:`BackgroundCertificate`).
    """

    model: SizingModel
    design: SizingResult
    candidate: SizingResult
    certified: bool
    time_s: float
    alongside: bool = False

    @property
    def cheaper_eur_per_yr(self) -> float:
        """How much cheaper the solver's design is than the candidate [EUR/yr] (0: not).

        Differences within the solver's tolerance (1e-6 relative) count as none: the same
        layout found again is not a new design.
        """
        cost = self.candidate.design.cost_eur_per_yr
        saving = cost - self.design.design.cost_eur_per_yr
        return saving if saving > 1e-6 * max(abs(cost), 1.0) else 0.0

    def why_not_certified(self) -> str:
        """One sentence on an uncertified candidate ("" when certified)."""
        if self.certified:
            return ""
        gap = self.candidate.solve.gap
        if self.cheaper_eur_per_yr > 0:
            return (
                f"the full solve found a layout {self.cheaper_eur_per_yr:,.0f} EUR/yr cheaper, "
                f"not simulated for lack of rounds (this design's gap {gap:.2%})"
            )
        return (
            f"the full solve found no cheaper layout but did not prove this design within the "
            f"MIP gap (its gap {gap:.2%}, solver status {self.design.solve.status}); a longer "
            "solver time limit may prove it"
        )


def repaired_design(
    inputs: SizingInputs,
    steps: TimeSteps,
    options: SizingOptions,
    previous: SizingResult,
    reference_lines: tuple[CostLine, ...] | None,
) -> tuple[SizingModel, SizingResult, str]:
    """Re-optimise the previous layout on the cut inputs (the cut trenches at their floors).

    Parameters
    ----------
    inputs, steps, options
        The next round's sizing inputs (with the floors), time steps and options.
    previous
        The previous round's design.
    reference_lines
        Cost lines of the all-reference case (solved in round 1).

    Returns
    -------
    tuple
        The model, the design and how it was found: ``repaired`` (its solve report has the
        status :data:`REPAIRED_STATUS` and no bound) or ``mip`` when the fixed layout had no
        feasible operation and the full model was solved instead (started from it).
    """
    sm = build_model(inputs, steps, options=options)
    fixed = [(var, value) for var, value in layout_values(sm, previous).items() if not var.fixed]
    for var, value in fixed:
        var.fix(value)
    try:
        result = solve_and_extract(sm, reference_lines=reference_lines)
    except InputError:
        sm = build_model(inputs, steps, options=options)
        return sm, solve_and_extract(sm, reference_lines=reference_lines, start=previous), "mip"
    solve = replace(result.solve, status=REPAIRED_STATUS, bound_eur_per_yr=math.nan, gap=math.nan)
    return sm, replace(result, solve=solve), "repaired"


def certify(
    inputs: SizingInputs,
    steps: TimeSteps,
    options: SizingOptions,
    candidate: SizingResult,
    reference_lines: tuple[CostLine, ...] | None,
) -> Certificate:
    """Solve the full sizing model from the candidate's layout and judge the candidate.

    Parameters
    ----------
    inputs, steps, options
        The candidate's sizing inputs, time steps and options (``mip_gap`` is the test).
    candidate
        A repaired design (:func:`repaired_design`).
    reference_lines
        Cost lines of the all-reference case.

    Returns
    -------
    Certificate
    """
    started = time.perf_counter()
    sm = build_model(inputs, steps, options=options)
    design = solve_and_extract(sm, reference_lines=reference_lines, start=candidate)
    bound = design.solve.bound_eur_per_yr
    cost = candidate.design.cost_eur_per_yr
    gap = max(cost - bound, 0.0) / max(abs(cost), 1e-9) if math.isfinite(bound) else math.nan
    certified = math.isfinite(gap) and gap <= options.mip_gap + 1e-9
    solve = replace(
        candidate.solve,
        status=design.solve.status,
        bound_eur_per_yr=bound,
        gap=gap,
        solve_time_s=candidate.solve.solve_time_s + design.solve.solve_time_s,
        n_solves=candidate.solve.n_solves + design.solve.n_solves,
    )
    return Certificate(
        sm, design, replace(candidate, solve=solve), certified, time.perf_counter() - started
    )


class BackgroundCertificate:
    """:func:`certify` on the second core while the loop operates the candidate.

    The full solve and the candidate's full-year operation do not depend on each other; on a
    machine with two or more cores the solve runs in a separate Python process
    (``python -m tsg.certify_process``, handed its inputs and result as pickle files; a fresh
    interpreter, so the caller's script is not run again and the solver's threads are its
    own). :meth:`result` waits for it; :meth:`cancel` stops it when the candidate fails its
    year. Where the process cannot run or fails, :meth:`result` certifies in this process
    instead, so errors surface as they would without it; :attr:`failure` then keeps the end
    of what the process wrote to standard error.

    Parameters
    ----------
    inputs, steps, options, candidate, reference_lines
        As :func:`certify`.
    """

    def __init__(
        self,
        inputs: SizingInputs,
        steps: TimeSteps,
        options: SizingOptions,
        candidate: SizingResult,
        reference_lines: tuple[CostLine, ...] | None,
    ) -> None:
        self._args = (inputs, steps, options, candidate, reference_lines)
        self._started = time.perf_counter()
        self._process: subprocess.Popen | None = None
        self._folder = tempfile.TemporaryDirectory(prefix="tsg-certify-")
        self._result_path = Path(self._folder.name) / "result.pickle"
        self._error_path = Path(self._folder.name) / "stderr.txt"
        #: The end of the process's standard error when it failed ("" otherwise).
        self.failure = ""
        if (os.cpu_count() or 1) < 2:
            return
        args_path = Path(self._folder.name) / "args.pickle"
        args_path.write_bytes(pickle.dumps(self._args, protocol=pickle.HIGHEST_PROTOCOL))
        with self._error_path.open("wb") as errors:
            self._process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tsg.certify_process",
                    str(args_path),
                    str(self._result_path),
                ],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=errors,
            )

    def result(self) -> Certificate:
        """Wait for the certificate (the model is rebuilt here, unsolved)."""
        outcome = None
        if self._process is not None:
            try:
                self._process.wait()
            except BaseException:  # e.g. the user interrupts: leave no solver running
                self.cancel()
                raise
            if self._process.returncode == 0 and self._result_path.exists():
                outcome = pickle.loads(self._result_path.read_bytes())
            else:
                text = self._error_path.read_text(encoding="utf-8", errors="replace")
                self.failure = text.strip()[-500:] or f"exit code {self._process.returncode}"
        self._folder.cleanup()
        if outcome is None:
            cert = certify(*self._args)
            return replace(cert, time_s=time.perf_counter() - self._started)
        design, candidate, certified = outcome
        inputs, steps, options = self._args[:3]
        sm = build_model(inputs, steps, options=options)
        elapsed = time.perf_counter() - self._started
        return Certificate(sm, design, candidate, certified, elapsed, alongside=True)

    @property
    def running(self) -> bool:
        """Whether the separate process is still solving."""
        return self._process is not None and self._process.poll() is None

    def cancel(self) -> None:
        """Stop the solve (the candidate failed; its certificate is not needed)."""
        if self._process is not None:
            self._process.terminate()
            self._process.wait()
        self._folder.cleanup()
