"""What every section needs from a run folder: the district, names, the demand tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import pandas as pd

from tsg import run_layout as layout
from tsg.report.i18n import DEFAULT_LANGUAGE, Texts, texts
from tsg.report.run_folder import RunFolder, StageFileError


@dataclass
class Context:
    """A run folder with the district and demand tables at hand.

    Attributes
    ----------
    run
        The run folder.
    problems
        Files that could not be read outside any one section (shown in the header).
    lang
        Language of the report (``None``: the district's ``report_language``, else English).
    """

    run: RunFolder
    problems: list[str] = field(default_factory=list)
    lang: str | None = None

    @cached_property
    def t(self) -> Texts:
        """The texts of the report's language."""
        return texts(self.lang or str(self.district.get("report_language") or DEFAULT_LANGUAGE))

    @cached_property
    def district(self) -> dict[str, Any]:
        """The district as written by the run (``{}`` when missing or unreadable)."""
        try:
            return self.run.district()
        except StageFileError as error:
            self.problems.append(str(error))
            return {}

    def items(self, kind: str) -> list[dict[str, Any]]:
        """``partners``, ``buildings``, ``sources`` or ``barriers`` of the district."""
        values = self.district.get(kind)
        return [v for v in values if isinstance(v, dict)] if isinstance(values, list) else []

    @cached_property
    def partner_names(self) -> dict[str, str]:
        """Partner id -> name."""
        return {str(p.get("id")): str(p.get("name") or p.get("id")) for p in self.items("partners")}

    @cached_property
    def building_names(self) -> dict[str, str]:
        """Building id -> name."""
        return {
            str(b.get("id")): str(b.get("name") or b.get("id")) for b in self.items("buildings")
        }

    @cached_property
    def names(self) -> dict[str, str]:
        """Any id of the district (partner, building, source) -> name."""
        sources = {
            str(s.get("id")): str(s.get("name") or s.get("id")) for s in self.items("sources")
        }
        return {**sources, **self.partner_names, **self.building_names}

    @cached_property
    def summary(self) -> pd.DataFrame | None:
        """``summary.csv`` indexed by building id (with the TOTAL row) or ``None``."""
        table = self.run.csv(layout.SUMMARY.relative)
        if table is None or "building_id" not in table:
            return None
        return table.set_index(table["building_id"].astype(str)).drop(columns="building_id")

    @cached_property
    def indicators(self) -> pd.DataFrame | None:
        """``indicators.csv`` indexed by indicator name (columns ``value``, ``unit``)."""
        table = self.run.csv(layout.INDICATORS.relative)
        if table is None or not {"indicator", "value"} <= set(table.columns):
            return None
        return table.set_index(table["indicator"].astype(str))

    def indicator(self, name: str) -> float | None:
        """One indicator value, ``None`` when missing."""
        table = self.indicators
        if table is None or name not in table.index:
            return None
        value = pd.to_numeric(table.loc[name, "value"], errors="coerce")
        return None if pd.isna(value) else float(value)

    @cached_property
    def partner_demand(self) -> pd.DataFrame:
        """Per partner: number of buildings, heat and cooling [MWh/yr] (from ``summary.csv``)."""
        rows = []
        summary = self.summary
        for partner in self.partner_names:
            ids = [str(b.get("id")) for b in self.items("buildings") if b.get("partner") == partner]
            heat = cool = float("nan")
            if summary is not None:
                known = [i for i in ids if i in summary.index]
                heat = float(summary.loc[known, "heat_mwh_per_yr"].sum()) if known else 0.0
                cool = float(summary.loc[known, "cool_mwh_per_yr"].sum()) if known else 0.0
            rows.append((partner, len(ids), heat, cool))
        return pd.DataFrame(
            rows, columns=["partner", "buildings", "heat_mwh_per_yr", "cool_mwh_per_yr"]
        ).set_index("partner")
