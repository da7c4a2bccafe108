"""District file: a historical decision to replay and the thresholds that would flip it."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from tsg.schema.types import Identifier, StrictModel, Text, quantity, whole

__all__ = ["THRESHOLD_PARAMETERS", "HistoricalDecision", "Replay", "Thresholds"]

THRESHOLD_PARAMETERS = ("pipe_cost", "gas_price", "demand")
"""Parameters of the threshold search: a factor on every trench's cost per metre, on the gas
price of every consumer, and on the one building's hourly demand (heat, hot water, cold)."""

ThresholdParameter = Literal["pipe_cost", "gas_price", "demand"]


class HistoricalDecision(StrictModel):
    """Who was connected and who was left out, as decided at the time."""

    connected: list[Identifier] = Field(default_factory=list, max_length=500)
    not_connected: list[Identifier] = Field(default_factory=list, max_length=500)

    @model_validator(mode="after")
    def _disjoint(self) -> HistoricalDecision:
        both = sorted(set(self.connected) & set(self.not_connected))
        if both:
            raise ValueError(f"buildings both connected and not connected: {both}")
        if not self.connected and not self.not_connected:
            raise ValueError("name at least one building in 'connected' or 'not_connected'")
        return self


class Thresholds(StrictModel):
    """The threshold search: per building and parameter, the factor that flips the decision.

    Each case re-solves the design with one factor changed (cheap settings: ``typical_periods``
    typical days, ``mip_gap``); the factor is bisected on a logarithmic scale inside
    ``[low_factor, high_factor]`` with at most ``max_solves`` solves per building and
    parameter (the base solve and the solves shared with other buildings not counted).
    """

    parameters: list[ThresholdParameter] = Field(
        default_factory=lambda: list(THRESHOLD_PARAMETERS), min_length=1, max_length=3
    )
    low_factor: quantity(0.01, 1, "-", high_open=True) = 0.25
    high_factor: quantity(1, 100, "-", low_open=True) = 4.0
    max_solves: whole(1, 20) = 5
    typical_periods: whole(1, 60) = 4
    mip_gap: quantity(0, 0.2, "-") = 0.01


class Replay(StrictModel):
    """A historical decision: the optimiser's answer is compared with it (``tsg run``)."""

    decided_on: Text = Field(description="when the decision was taken, e.g. '2018-06'")
    source: Text = Field(description="where the decision is documented")
    decision: HistoricalDecision
    thresholds: Thresholds | None = Field(
        default=None, description="the threshold search (none: only the verdict)"
    )
