"""Building blocks of the district schema: bounded numbers, identifiers, texts, locations.

Every number in the district file is bounded to a physically meaningful range. The bounds are
checked before pydantic converts the value, so the message always states the whole allowed
range with its unit, and booleans (``true``/``false``) are never taken for numbers.
"""

from __future__ import annotations

import math
import numbers
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo

Identifier = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        max_length=64,
        description="lower-case letters, digits, '-' and '_'; starts with a letter or digit",
    ),
]
Name = Annotated[str, Field(min_length=1, max_length=200)]
"""A short display name (1-200 characters)."""
Text = Annotated[str, Field(max_length=5000)]
"""A free text: description, interest, source note (at most 5000 characters)."""


class StrictModel(BaseModel):
    """Base of every district-file model: unknown keys are errors, instances are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _format(value: float) -> str:
    """Format a bound as a short number (1000000, 0.5, 1e+08)."""
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:g}"


def _range_text(low: float, high: float, unit: str, low_open: bool, high_open: bool) -> str:
    low_text = (
        f"greater than {_format(low)}" if low_open else (f"greater than or equal to {_format(low)}")
    )
    high_text = (
        f"less than {_format(high)}" if high_open else (f"less than or equal to {_format(high)}")
    )
    unit_text = f" [{unit}]" if unit else ""
    return f"{low_text} and {high_text}{unit_text}"


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return len(text) < 100


def _number_check(
    low: float, high: float, unit: str, *, low_open: bool, high_open: bool, integer: bool
) -> BeforeValidator:
    kind = "a whole number" if integer else "a finite number"
    allowed = f"must be {kind} {_range_text(low, high, unit, low_open, high_open)}"

    def check(value: Any) -> Any:
        if isinstance(value, str) and _looks_numeric(value):
            raise ValueError(
                f"'{value[:40]}' is text, not a number (YAML reads an exponent without a dot "
                f"and a sign, such as 1e5, as text: write 1.0e+5); {allowed}"
            )
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise ValueError(f"expected a number, not {type(value).__name__}; {allowed}")
        if not math.isfinite(value):
            raise ValueError(allowed)
        if integer and not float(value).is_integer():
            raise ValueError(allowed)
        too_low = value <= low if low_open else value < low
        too_high = value >= high if high_open else value > high
        if too_low or too_high:
            raise ValueError(allowed)
        return value

    return BeforeValidator(check)


def quantity(
    low: float,
    high: float,
    unit: str,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> Any:
    """Return the type of a finite float within ``[low, high]`` (ends open on request).

    Parameters
    ----------
    low, high
        Bounds of the allowed range.
    unit
        Unit named in the message (``""`` for none).
    low_open, high_open
        Whether the bound itself is excluded.

    Returns
    -------
    typing.Annotated
        The field type; its JSON Schema carries the bounds.
    """
    bounds = {"gt" if low_open else "ge": low, "lt" if high_open else "le": high}
    check = _number_check(low, high, unit, low_open=low_open, high_open=high_open, integer=False)
    return Annotated[float, Field(allow_inf_nan=False, **bounds), check]


def whole(low: int, high: int, unit: str = "") -> Any:
    """Return the type of an integer within ``[low, high]`` (booleans, fractions refused)."""
    check = _number_check(low, high, unit, low_open=False, high_open=False, integer=True)
    return Annotated[int, Field(ge=low, le=high), check]


def resolve_path(path: Path | None, info: ValidationInfo) -> Path | None:
    """Resolve a relative path against the district file's folder (``context['base_dir']``)."""
    if path is not None:
        text = str(path)
        if "\x00" in text:
            raise ValueError("a path may not contain a NUL character")
        if len(text) > 1024 or any(len(part) > 255 for part in path.parts):
            raise ValueError("path too long (at most 1024 characters, 255 per folder name)")
    base_dir = (info.context or {}).get("base_dir")
    if path is None or path.is_absolute() or base_dir is None:
        return path
    return (Path(base_dir) / path).resolve()


class Location(StrictModel):
    """A point in WGS84 (EPSG:4326)."""

    latitude_deg: quantity(-90, 90, "deg north")
    longitude_deg: quantity(-180, 180, "deg east")
