"""The design with its annual simulation in the loop: solve, simulate, cut, solve again.

Each round solves the sizing model, simulates the design for every hour of the year
(:func:`tsg.verification_stage.compute_verification`) and turns every failed velocity,
pressure-gradient and building-pump-head check into a smallest pipe size for the trench
(:func:`tsg.design_cuts.design_cuts`). A round simulates the design first with the rule-based
dispatch (:func:`~optimisation.sizing.handover.design_loop_dispatch`, fast); once that year
passes, the design is operated hour by hour over the full year by the optimiser
(:func:`~optimisation.sizing.operation.operate_design`) and simulated again with that
dispatch, which is the year the design is judged by. The cuts go into the sizing inputs
(``EdgeInput.min_dn_mm`` and ``min_parallel``: pipes of that size side by side, where one
pipe of the largest size cannot carry the trench), so the next solve is a different
optimisation problem, not a different report. Every built size is also a floor for the next
round, so sizes only grow and a trench that passed cannot be shrunk into a new violation.
Round 1 solves the full sizing model (a MIP); later rounds re-optimise the previous layout
with the cut trenches enlarged (an LP, :func:`tsg.design_candidates.repaired_design`), and
the design the loop ends on is judged by one more full solve started from it
(:func:`tsg.design_candidates.certify`): it stands when its cost lies within the MIP gap of
that solve's bound; a layout cheaper by more than the gap is simulated in the next round.
The loop stops when every one of these checks holds (the design is *buildable as is*),
when a failed check has no cut left (the element and the reason are stated), or after
``max_rounds`` solves. The all-reference case does not depend on the network, so it is
solved in the first round only.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import pandas as pd

from tsg.demand import DemandResult
from tsg.design_candidates import BackgroundCertificate, certify, repaired_design
from tsg.design_cuts import FLOW_MARGIN, Cut, Unresolved, design_cuts
from tsg.design_floors import building_pump_shares, with_cuts
from tsg.design_limits import district_design_limits, district_loop
from tsg.grid.network import LoopSpec
from tsg.grid.year_result import YearResult
from tsg.optimisation.sizing import SizingInputs, SizingOptions, build_model, solve_and_extract
from tsg.optimisation.sizing.model import SizingModel
from tsg.optimisation.sizing.operation import operate_design
from tsg.optimisation.sizing.periods import TimeSteps
from tsg.optimisation.sizing.result import SizingResult
from tsg.progress import Progress
from tsg.schema import District
from tsg.verification_stage import VerificationResult, compute_verification

__all__ = [
    "LOOP_CHECKS",
    "DesignLoop",
    "LoopRound",
    "size_with_simulation",
]

#: The checks a round turns into cuts (the others are reported, not resolved by the loop).
LOOP_CHECKS = ("velocity", "pressure_gradient", "building_pump_head")


@dataclass(frozen=True)
class LoopRound:
    """One solve and simulation of the design loop.

    Attributes
    ----------
    round
        1, 2, ...
    cost_eur_per_yr
        The design's objective [EUR/yr].
    solve_time_s, simulate_time_s
        Wall times [s].
    violations
        Violated hours (element-hours) per check of the simulated year.
    operate_time_s
        Wall time of the full-year operation and its simulation [s] (0: not run).
    solve_kind
        How the round's design was found: ``mip`` (the full sizing model) or ``repaired``
        (the previous layout with the cut trenches enlarged, the rest re-optimised: an LP).
    certify_time_s
        Wall time of the full solve that judged a repaired design at the end [s] (0: none);
        on two or more cores it runs in a separate process alongside the full-year operation
        (``certify_alongside``).
    dispatch
        ``rules`` or ``full_year_lp``: the dispatch of the simulated year the violations
        and cuts come from.
    cuts
        The smallest pipe sizes this round asks of the next.
    unresolved
        Elements no catalogue size can fix.
    """

    round: int
    cost_eur_per_yr: float
    solve_time_s: float
    simulate_time_s: float
    violations: dict[str, int]
    operate_time_s: float = 0.0
    solve_kind: str = "mip"
    certify_time_s: float = 0.0
    dispatch: str = "rules"
    cuts: tuple[Cut, ...] = ()
    unresolved: tuple[Unresolved, ...] = ()
    certify_alongside: bool = False

    def to_json_dict(self) -> dict:
        """Return the round as ``design.json`` records it."""
        return {
            "round": self.round,
            "cost_eur_per_yr": self.cost_eur_per_yr,
            "solve_time_s": round(self.solve_time_s, 2),
            "simulate_time_s": round(self.simulate_time_s, 2),
            "operate_time_s": round(self.operate_time_s, 2),
            "solve": self.solve_kind,
            "certify_time_s": round(self.certify_time_s, 2),
            "certify_alongside": self.certify_alongside,
            "dispatch": self.dispatch,
            "violated_hours": self.violations,
            "cuts": [c.__dict__ for c in self.cuts],
            "unresolved": [u.__dict__ for u in self.unresolved],
        }


@dataclass(frozen=True)
class DesignLoop:
    """The final design of the loop and how it got there.

    Attributes
    ----------
    inputs
        The sizing inputs of the last solve (with the cuts).
    model
        Its built model (sensitivity re-solves use it).
    result
        The design.
    verification
        Its simulated year (``None`` when there was nothing to simulate).
    rounds
        Every round in order.
    buildable
        Every loop check holds in the simulated year.
    stop_reason
        Why the loop stopped.
    """

    inputs: SizingInputs
    model: SizingModel
    result: SizingResult
    verification: VerificationResult | None
    rounds: tuple[LoopRound, ...] = field(default_factory=tuple)
    buildable: bool = True
    stop_reason: str = ""

    def to_json_dict(self) -> dict:
        """Return the loop as ``design.json`` records it (``simulation_loop``)."""
        last = self.rounds[-1] if self.rounds else None
        return {
            "checks": list(LOOP_CHECKS),
            "rounds": [r.to_json_dict() for r in self.rounds],
            "buildable_as_is": self.buildable,
            "stop_reason": self.stop_reason,
            "not_buildable_because": [] if last is None else [u.__dict__ for u in last.unresolved],
            "other_violations": {
                "hours": {}
                if last is None
                else {k: v for k, v in last.violations.items() if k not in LOOP_CHECKS},
                "note": "checks the loop does not resolve by pipe sizes (inlet temperatures "
                "drifting in long, slowly flowing pipes; junction temperature band): see "
                "verification.json for the elements",
            },
            "min_dn_mm": {
                f"{e.from_id}-{e.to_id}": e.min_dn_mm for e in self.inputs.edges if e.min_dn_mm
            },
            "min_parallel_pipes": {
                f"{e.from_id}-{e.to_id}": e.min_parallel
                for e in self.inputs.edges
                if e.min_parallel > 1
            },
            "flow_limit_kw": {
                f"{e.from_id}-{e.to_id}": e.max_heat_kw
                for e in self.inputs.edges
                if math.isfinite(e.max_heat_kw)
            },
        }


@contextmanager
def _stopped_on_error(background: BackgroundCertificate | None) -> Iterator[None]:
    """Stop the solve alongside when the block raises (e.g. the user interrupts the run)."""
    try:
        yield
    except BaseException:
        if background is not None:
            background.cancel()
        raise


def _with_pump_shares(
    inputs: SizingInputs, year: YearResult, result: SizingResult, loop_spec: LoopSpec
) -> SizingInputs:
    """Return the inputs with each connected building's pump share measured in ``year``."""
    if inputs.physics is None:
        return inputs
    shares = building_pump_shares(year, pump_efficiency=loop_spec.pump_efficiency)
    # the plants' feed-in points have pumps too; the optimiser counts buildings' only
    shares = {b: v for b, v in shares.items() if b in result.connected_buildings}
    return replace(inputs, physics=replace(inputs.physics, building_pump_kwh_per_kwh=shares))


def _failing(verified: VerificationResult) -> pd.DataFrame:
    """Return the failed loop checks of a simulated year (element-hours)."""
    checks = verified.checks
    return checks[checks.check.isin(LOOP_CHECKS)] if len(checks) else checks


def size_with_simulation(
    district: District,
    demand: DemandResult,
    inputs: SizingInputs,
    steps: TimeSteps,
    *,
    options: SizingOptions,
    max_rounds: int,
    progress: Progress,
    operate: bool = True,
) -> DesignLoop:
    """Solve the design with the annual simulation in the loop.

    Parameters
    ----------
    district, demand
        The district and its demand (the simulation's inputs).
    inputs, steps, options
        The sizing inputs, time steps and solver options.
    max_rounds
        Most solves (>= 1); 1 solves and simulates once without cutting.
    progress
        Progress reporter.
    operate
        Judge a design that passes with the rule-based dispatch once more with the
        optimiser's full-year operation (``False``: the rule-based year is final).

    Returns
    -------
    DesignLoop
    """
    if max_rounds < 1:
        raise ValueError("max_rounds must be >= 1")
    limits = district_design_limits(district)
    loop_spec = district_loop(district, limits)
    rounds: list[LoopRound] = []
    reference = None
    quiet = Progress(quiet=True)
    result: SizingResult | None = None
    pending: tuple[SizingModel, SizingResult] | None = None
    for number in range(1, max_rounds + 1):
        with progress.step(f"design round {number}: solving the sizing model"):
            start = time.perf_counter()
            if pending is not None:  # found by the last round's full solve
                (sm, result), kind, pending = pending, "mip", None
            elif result is None:
                sm = build_model(inputs, steps, options=options)
                result, kind = solve_and_extract(sm), "mip"
                reference = result.reference_costs or None
            else:
                sm, result, kind = repaired_design(inputs, steps, options, result, reference)
            solve_s = time.perf_counter() - start
        with progress.step(f"design round {number}: simulating every hour"):
            start = time.perf_counter()
            verified = compute_verification(district, demand, result, inputs, progress=quiet)
            simulate_s = time.perf_counter() - start
        failing = _failing(verified)
        if operate and kind == "repaired" and verified.year is not None and len(failing) == 0:
            # the pump shares it was solved with come from the last, failing year: re-optimise
            # the layout with the shares of this passing year before operating it (an LP)
            with progress.step(f"design round {number}: pump shares of this year, solved again"):
                start = time.perf_counter()
                inputs = _with_pump_shares(inputs, verified.year, result, loop_spec)
                sm, result, kind = repaired_design(inputs, steps, options, result, reference)
                solve_s += time.perf_counter() - start
                start = time.perf_counter()
                verified = compute_verification(district, demand, result, inputs, progress=quiet)
                failing = _failing(verified)
                simulate_s += time.perf_counter() - start
        operate_s, dispatch, background = 0.0, "rules", None
        if operate and verified.year is not None and len(failing) == 0:
            if kind == "repaired":  # the full solve that judges it runs alongside
                background = BackgroundCertificate(inputs, steps, options, result, reference)
            with (
                _stopped_on_error(background),
                progress.step(f"design round {number}: operating it over the full year"),
            ):
                start = time.perf_counter()
                # the operation keeps the headroom the cuts size the pipes with
                operated = operate_design(
                    inputs, result, options=options, pipe_capacity_share=1.0 / FLOW_MARGIN
                )
                if operated.optimal:
                    verified = compute_verification(
                        district, demand, result, inputs, progress=quiet, operated=operated
                    )
                    failing, dispatch = _failing(verified), "full_year_lp"
                else:
                    verified.comparison["dispatch"]["note"] += (
                        f"; the optimiser's full-year operation ended {operated.status}"
                    )
                operate_s = time.perf_counter() - start
        checks = verified.checks
        violations = (
            {str(k): int(v) for k, v in checks.check.value_counts().items()} if len(checks) else {}
        )
        cuts: list[Cut] = []
        unresolved: list[Unresolved] = []
        if verified.year is not None and len(failing):
            cuts, unresolved = design_cuts(
                verified.year,
                failing,
                inputs,
                balancing_id=inputs.ates[0].source_id,
                limits=limits,
            )
        new_inputs, enlarging = with_cuts(inputs, cuts, result)
        if verified.year is not None:
            new_inputs = _with_pump_shares(new_inputs, verified.year, result, loop_spec)
        passing = len(failing) == 0
        if passing:
            reason = "every check holds"
        elif not enlarging:
            reason = "the failed checks ask for no larger pipe than the design has"
        else:
            reason = f"checks still fail after {max_rounds} rounds (the limit)"
        last = passing or not enlarging or number == max_rounds
        certify_s, cert = 0.0, None
        if background is not None and passing:
            with progress.step(f"design round {number}: the full solve from it (alongside)"):
                cert = background.result()
            if background.failure:
                progress.say(f"    the solve alongside failed, solved here: {background.failure}")
        elif background is not None:
            background.cancel()
        if last and kind == "repaired":
            if cert is None:
                with progress.step(f"design round {number}: solving the full model from it"):
                    cert = certify(inputs, steps, options, result, reference)
            certify_s, sm, result = cert.time_s, cert.model, cert.candidate
            if passing and not cert.certified:
                if cert.cheaper_eur_per_yr > 0 and number < max_rounds:
                    pending, last = (cert.model, cert.design), False
                else:
                    reason += "; " + cert.why_not_certified()
        rounds.append(
            LoopRound(
                number,
                result.design.cost_eur_per_yr,
                solve_s,
                simulate_s,
                violations,
                operate_s,
                kind,
                certify_s,
                dispatch,
                enlarging,
                tuple(unresolved),
                certify_alongside=cert is not None and cert.alongside,
            )
        )
        progress.say(
            f"    round {number}: {result.design.cost_eur_per_yr:,.0f} EUR/yr; violated hours"
            + (" (full-year operation) " if dispatch == "full_year_lp" else " ")
            + (", ".join(f"{k} {v:,}" for k, v in violations.items()) or "none")
            + (f"; {len(enlarging)} trench(es) enlarged" if enlarging else "")
            + ("; a cheaper layout found, simulated next" if pending is not None else "")
        )
        if last:
            return DesignLoop(inputs, sm, result, verified, tuple(rounds), passing, reason)
        if pending is None:
            inputs = new_inputs
    raise AssertionError("unreachable")
