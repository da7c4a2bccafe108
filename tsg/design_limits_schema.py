"""District-file overrides of the design limits (``network.design_limits``).

Kept apart from :mod:`tsg.schema` (which uses it) to keep that module small; the names are
those of ``data/catalogues/design_limits.yaml`` (:data:`grid.design_limits.LIMIT_UNITS`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat, model_validator

from tsg.common.errors import InputError
from tsg.grid.design_limits import load_design_limits, with_overrides

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
    def _within_catalogue(self) -> DesignLimitsOverride:
        # the merged limits must be valid too (e.g. max_temperature_c above the catalogue's min)
        try:
            with_overrides(load_design_limits(), self.model_dump(exclude_none=True), prefix="")
        except InputError as error:
            raise ValueError(f"{error.field}: {error.message}") from None
        return self
