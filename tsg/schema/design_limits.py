"""District-file overrides of the design limits (``network.design_limits``).

The names are those of ``data/catalogues/design_limits.yaml``
(:data:`tsg.grid.design_limits.LIMIT_UNITS`).
"""

from __future__ import annotations

from pydantic import model_validator

from tsg.common.errors import InputError
from tsg.grid.design_limits import load_design_limits, with_overrides
from tsg.schema.types import StrictModel, quantity

__all__ = ["DesignLimitsOverride"]


class DesignLimitsOverride(StrictModel):
    """Overrides of the design limits in ``data/catalogues/design_limits.yaml`` (same names).

    Every limit left out keeps the catalogue's value; the result holds for the sizing, the
    simulation and the design checks alike.
    """

    max_velocity_m_per_s: quantity(0, 10, "m/s", low_open=True) | None = None
    max_pressure_gradient_pa_per_m: quantity(0, 10_000, "Pa/m", low_open=True) | None = None
    central_pump_head_bar: quantity(0, 20, "bar", low_open=True) | None = None
    building_pump_head_bar: quantity(0, 20, "bar", low_open=True) | None = None
    min_temperature_c: quantity(-10, 60, "degC") | None = None
    max_temperature_c: quantity(-10, 60, "degC") | None = None
    max_inlet_drift_k: quantity(0, 30, "K", low_open=True) | None = None

    @model_validator(mode="after")
    def _within_catalogue(self) -> DesignLimitsOverride:
        # the merged limits must be valid too (e.g. max_temperature_c above the catalogue's min)
        try:
            with_overrides(load_design_limits(), self.model_dump(exclude_none=True), prefix="")
        except InputError as error:
            raise ValueError(f"{error.field}: {error.message}") from None
        return self
