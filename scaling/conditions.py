"""Success conditions: compare a target district's context with the reference's."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from tsg.common import InputError, data_path
from tsg.scaling.context import ContextIndicators

HOLDS, DIFFERS, FAILS = "holds", "differs", "fails"
CONDITIONS_CATALOGUE = ("catalogues", "success_conditions.yaml")


@dataclass(frozen=True)
class SuccessCondition:
    """One threshold on one context indicator.

    Attributes
    ----------
    indicator
        Name of a :class:`scaling.context.ContextIndicators` field.
    at_least, at_most
        Bounds (``None`` when not used).
    equals
        Required value of a yes/no indicator.
    source
        Where the threshold comes from, or the assumption behind it.
    """

    indicator: str
    source: str
    at_least: float | None = None
    at_most: float | None = None
    equals: bool | None = None

    def is_met(self, value: Any) -> bool:
        """Whether a value meets the threshold."""
        if self.equals is not None:
            return bool(value) == self.equals
        low_ok = self.at_least is None or value >= self.at_least
        high_ok = self.at_most is None or value <= self.at_most
        return bool(low_ok and high_ok)

    def describe(self) -> str:
        """Return the threshold as text, e.g. ``>= 0.5``."""
        if self.equals is not None:
            return f"== {self.equals}"
        if self.at_least is not None and self.at_most is not None:
            return f"{self.at_least:g} .. {self.at_most:g}"
        return f">= {self.at_least:g}" if self.at_least is not None else f"<= {self.at_most:g}"


def load_conditions(path: Path | None = None) -> tuple[tuple[SuccessCondition, ...], float]:
    """Read the success conditions and the similarity tolerance.

    Parameters
    ----------
    path
        A YAML file like ``data/catalogues/success_conditions.yaml``; ``None`` = the shipped one.

    Returns
    -------
    tuple
        The conditions and the relative tolerance beyond which a context "differs".
    """
    path = path or data_path(*CONDITIONS_CATALOGUE)
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    fields = set(ContextIndicators.__dataclass_fields__)
    conditions = []
    for position, entry in enumerate(document["conditions"]):
        between = entry.pop("between", None)
        if between is not None:
            entry["at_least"], entry["at_most"] = between
        if entry["indicator"] not in fields:
            raise InputError(
                f"unknown indicator '{entry['indicator']}'; allowed: {sorted(fields)}",
                file=path,
                field=f"conditions[{position}].indicator",
            )
        conditions.append(SuccessCondition(**entry))
    return tuple(conditions), float(document["similarity_tolerance"])


def _relative_difference(reference: Any, target: Any) -> float:
    if isinstance(reference, bool) or isinstance(target, bool):
        return 0.0 if reference == target else math.inf
    if reference == target:
        return 0.0
    if not math.isfinite(reference) or not math.isfinite(target):
        return math.inf
    scale = max(abs(reference), abs(target))
    return abs(target - reference) / scale


def compare_context(
    reference: ContextIndicators,
    target: ContextIndicators,
    *,
    conditions: tuple[SuccessCondition, ...],
    similarity_tolerance: float,
) -> pd.DataFrame:
    """Say for every success condition whether it holds, differs or fails in the target.

    Parameters
    ----------
    reference, target
        Context indicators of the reference (e.g. Hart van Zuid) and the target district.
    conditions
        Thresholds to check.
    similarity_tolerance
        Relative difference [-] beyond which a met condition is reported as ``differs``.

    Returns
    -------
    pandas.DataFrame
        One row per condition: ``indicator``, ``reference``, ``target``, ``threshold``,
        ``reference_meets``, ``relative_difference``, ``status`` (holds / differs / fails),
        ``source``.
    """
    rows = []
    for condition in conditions:
        ref_value = getattr(reference, condition.indicator)
        target_value = getattr(target, condition.indicator)
        difference = _relative_difference(ref_value, target_value)
        if not condition.is_met(target_value):
            status = FAILS
        elif difference > similarity_tolerance:
            status = DIFFERS
        else:
            status = HOLDS
        rows.append(
            {
                "indicator": condition.indicator,
                "reference": ref_value,
                "target": target_value,
                "threshold": condition.describe(),
                "reference_meets": condition.is_met(ref_value),
                "relative_difference": difference,
                "status": status,
                "source": " ".join(condition.source.split()),
            }
        )
    return pd.DataFrame(rows)
