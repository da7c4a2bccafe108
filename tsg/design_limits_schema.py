"""District-file overrides of the design limits (``network.design_limits``).

Kept apart from :mod:`tsg.schema` so the district schema stays one import away; the names are
those of ``data/catalogues/design_limits.yaml`` (:data:`grid.design_limits.LIMIT_UNITS`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat, model_validator

__all__ = ["DesignLimitsOverride"]

Positive = Annotated[FiniteFloat, Field(gt=0)]


class DesignLimitsOverride(BaseModel):
    """Overrides of the design limits in ``data/catalogues/design_limits.yaml`` (same names).

    Every limit left out keeps the catalogue's value; the result holds for the sizing, the
    simulation and the design checks alike.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_velocity_m_per_s: Positive | None = None
    max_pressure_gradient_pa_per_m: Positive | None = None
    central_pump_head_bar: Positive | None = None
    building_pump_head_bar: Positive | None = None
    min_temperature_c: FiniteFloat | None = None
    max_temperature_c: FiniteFloat | None = None
    max_inlet_drift_k: Positive | None = None

    @model_validator(mode="after")
    def _band(self) -> DesignLimitsOverride:
        low, high = self.min_temperature_c, self.max_temperature_c
        if low is not None and high is not None and low >= high:
            raise ValueError(f"min_temperature_c ({low}) must be below max_temperature_c ({high})")
        return self
