"""District file: scaling scenarios (translation, spreading, minimum scale)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, StrictBool, ValidationInfo, field_validator, model_validator

from tsg.schema.types import StrictModel, quantity, resolve_path, whole

Factor = quantity(0, 100, "-", low_open=True)


class TranslationScenario(StrictModel):
    """Carry this district's design choices to a target district and compare the KPIs."""

    target: str = Field(
        max_length=1000,
        description="built-in district name, or a district file / folder (relative to this file)",
    )
    stability: StrictBool = Field(
        default=False, description="also check the core of both coalition games (2^n - 1 solves)"
    )

    @field_validator("target")
    @classmethod
    def _resolve_target(cls, value: str, info: ValidationInfo) -> str:
        if "\x00" in value:
            raise ValueError("target may not contain a NUL character")
        base_dir = (info.context or {}).get("base_dir")
        looks_like_path = "/" in value or value.endswith((".yaml", ".yml"))
        if base_dir is None or not looks_like_path or Path(value).is_absolute():
            return value
        return str((Path(base_dir) / value).resolve())


class SpreadingScenario(StrictModel):
    """Grow the district step by step with its candidate buildings (``phase: candidate``)."""

    order: Literal["distance", "marginal"] = "distance"
    steps: whole(1, 500, "steps") | None = Field(
        default=None, description="number of steps (default: every candidate)"
    )
    candidates_file: Path | None = Field(
        default=None, description="district file whose buildings are added as candidates"
    )
    stability: Literal["none", "screen", "exact"] = Field(
        default="none",
        description="core check per step: screen (2n extra solves, proves an empty core) or "
        "exact (every coalition, up to 8 partners)",
    )

    _resolve_candidates = field_validator("candidates_file")(resolve_path)


class MinimumScaleScenario(StrictModel):
    """Break-even search along a family of scaled copies of the district."""

    family: Literal["size", "density"] = Field(
        default="size", description="size: demand x factor; density: distances / factor"
    )
    low_factor: Factor = 0.05
    high_factor: Factor = 2.0
    points: whole(3, 60, "points") = Field(default=12, description="log-spaced curve points")
    tolerance: quantity(0, 1, "-", low_open=True) = Field(
        default=0.01, description="width of the break-even bracket [factor]"
    )

    @model_validator(mode="after")
    def _ordered(self) -> MinimumScaleScenario:
        if not self.low_factor < self.high_factor:
            raise ValueError(
                f"low_factor ({self.low_factor}) must be below high_factor ({self.high_factor})"
            )
        return self


class Scaling(StrictModel):
    """Scaling scenarios computed by the scaling stage of ``tsg run`` (``DIR/scaling/``)."""

    typical_periods: whole(1, 52, "days") = Field(
        default=3, description="typical days per sizing (many sizings: keep it small)"
    )
    mip_gap: quantity(0, 0.5, "-", high_open=True) = Field(
        default=0.03, description="relative MIP gap per sizing [-]"
    )
    translations: list[TranslationScenario] = Field(default_factory=list, max_length=20)
    spreading: SpreadingScenario | None = None
    minimum_scale: MinimumScaleScenario | None = None
