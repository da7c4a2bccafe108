"""Technology costs and efficiencies of the sizing model, read from ``technologies.yaml``.

The catalogue lives in ``tsg/data/catalogues/technologies.yaml`` (repository folder
``data/``); every number carries a source or an assumption. :func:`load_technologies` turns it
into frozen dataclasses; :func:`capital_recovery_factor` annualises investments.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import yaml

from tsg.common import data_path
from tsg.common.errors import InputError

__all__ = [
    "AirUnit",
    "Costs",
    "GasBoiler",
    "NetworkData",
    "StorageData",
    "Technologies",
    "capital_recovery_factor",
    "load_technologies",
]


def capital_recovery_factor(*, discount_rate: float, lifetime_yr: float) -> float:
    """Capital recovery factor ``r (1+r)^n / ((1+r)^n - 1)`` [1/yr]; ``1/n`` when ``r = 0``.

    Parameters
    ----------
    discount_rate
        Real discount rate [1/yr], >= 0.
    lifetime_yr
        Lifetime [yr], > 0.

    Returns
    -------
    float
        Annuity per euro invested [1/yr].

    """
    if not (lifetime_yr > 0 and math.isfinite(lifetime_yr)):
        raise InputError(f"lifetime must be positive, got {lifetime_yr}", field="lifetime_yr")
    if not (discount_rate >= 0 and math.isfinite(discount_rate)):
        raise InputError(f"discount rate must be >= 0, got {discount_rate}", field="discount_rate")
    if discount_rate == 0:
        return 1.0 / lifetime_yr
    growth = (1.0 + discount_rate) ** lifetime_yr
    return discount_rate * growth / (growth - 1.0)


@dataclass(frozen=True)
class Costs:
    """Cost data of one technology.

    Parameters
    ----------
    capex_eur_per_kw
        Investment per kW of capacity [EUR/kW].
    capex_fixed_eur
        Investment per unit built, independent of its size [EUR].
    om_fraction_per_yr
        Operation and maintenance per year as a fraction of the investment [1/yr].
    lifetime_yr
        Technical lifetime [yr].

    """

    capex_eur_per_kw: float
    capex_fixed_eur: float
    om_fraction_per_yr: float
    lifetime_yr: float

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if not (math.isfinite(value) and value >= 0):
                raise InputError(f"{item.name} must be a finite number >= 0, got {value}")
        if self.lifetime_yr <= 0:
            raise InputError("lifetime_yr must be positive", field="lifetime_yr")

    def annual_factor(self, discount_rate: float) -> float:
        """Annuity plus O&M per euro invested [1/yr]."""
        crf = capital_recovery_factor(discount_rate=discount_rate, lifetime_yr=self.lifetime_yr)
        return crf + self.om_fraction_per_yr


@dataclass(frozen=True)
class AirUnit:
    """An air-coupled machine: costs plus a Carnot-type efficiency model.

    Parameters
    ----------
    costs
        Cost data.
    carnot_efficiency
        Fraction of the Carnot COP / EER reached [-].
    max_cop
        Cap on the COP / EER [-].
    evaporator_approach_k
        Evaporator below its source temperature [K].
    condenser_approach_k
        Condenser above its sink temperature [K].

    """

    costs: Costs
    carnot_efficiency: float
    max_cop: float
    evaporator_approach_k: float = 0.0
    condenser_approach_k: float = 0.0


@dataclass(frozen=True)
class GasBoiler:
    """Gas boiler: costs, efficiency [-] and gas lower heating value [kWh/m³]."""

    costs: Costs
    efficiency: float
    gas_lhv_kwh_per_m3: float


@dataclass(frozen=True)
class StorageData:
    """Water buffer: investment per kWh [EUR/kWh], O&M [1/yr], lifetime [yr], C-rate [1/h]."""

    capex_eur_per_kwh: float
    om_fraction_per_yr: float
    lifetime_yr: float
    max_c_rate_per_h: float

    @property
    def costs(self) -> Costs:
        """The same data as :class:`Costs` (per kWh of storage capacity)."""
        return Costs(self.capex_eur_per_kwh, 0.0, self.om_fraction_per_yr, self.lifetime_yr)


@dataclass(frozen=True)
class NetworkData:
    """Network-wide data: pump energy, pipes per trench, pipe cost column, parallel pipes.

    ``max_parallel_pipes`` (identical pipes per line at most) and ``parallel_civil_factor``
    (share of the civil part per further pipe per line) are optional in the file (1 and 0.5).

    The design limits (velocity, pressure gradient, pump heads) are not here: they are the
    toolkit's one set in ``design_limits.yaml`` (:func:`grid.design_limits.load_design_limits`).
    """

    pump_kwh_per_kwh: float
    pipes_per_trench: int
    pipe_cost_column: str
    max_parallel_pipes: int = 1
    parallel_civil_factor: float = 0.5


@dataclass(frozen=True)
class Technologies:
    """Every technology the sizing model knows (see ``technologies.yaml`` for the meaning)."""

    building_heat_pump: AirUnit
    network_heat_exchanger: Costs
    network_chiller: Costs
    building_connection: Costs
    gas_boiler: GasBoiler
    air_chiller: AirUnit
    air_source_heat_pump: AirUnit
    ates: Costs
    ates_pump_kwh_per_kwh: float
    central_heat_pump: AirUnit
    dry_cooler: Costs
    dry_cooler_fan_kwh_per_kwh: float
    dry_cooler_approach_k: float
    thermal_storage: StorageData
    network: NetworkData
    heat_exchanger_approach_k: float = 0.0

    def with_lifetimes(self, lifetimes_yr: dict[str, float]) -> Technologies:
        """Return a copy with lifetimes overridden by economics keys.

        Parameters
        ----------
        lifetimes_yr
            Keys of ``economics.yaml`` ``lifetimes_yr``: ``heat_pump`` (building, air-source and
            central heat pumps), ``chiller`` (all chillers), ``ates``, ``gas_boiler``; ``pipes``
            is handled by the pipe catalogue. Unknown keys raise.

        """
        out = self
        known = {"heat_pump", "chiller", "ates", "gas_boiler", "pipes"}
        for key, years in lifetimes_yr.items():
            if key not in known:
                raise InputError(
                    f"unknown lifetime key '{key}'; allowed: {sorted(known)}",
                    field=f"lifetimes_yr.{key}",
                )
            if key == "heat_pump":
                for name in ("building_heat_pump", "air_source_heat_pump", "central_heat_pump"):
                    unit = getattr(out, name)
                    out = replace(
                        out, **{name: replace(unit, costs=replace(unit.costs, lifetime_yr=years))}
                    )
            elif key == "chiller":
                unit = out.air_chiller
                out = replace(
                    out,
                    air_chiller=replace(unit, costs=replace(unit.costs, lifetime_yr=years)),
                    network_chiller=replace(out.network_chiller, lifetime_yr=years),
                )
            elif key == "ates":
                out = replace(out, ates=replace(out.ates, lifetime_yr=years))
            elif key == "gas_boiler":
                boiler = out.gas_boiler
                out = replace(
                    out, gas_boiler=replace(boiler, costs=replace(boiler.costs, lifetime_yr=years))
                )
        return out


def _value(entry: dict[str, Any], key: str, section: str, file: str) -> Any:
    try:
        item = entry[key]
        value = item["value"]
    except (KeyError, TypeError):
        raise InputError(
            "missing entry with a 'value'", file=file, field=f"{section}.{key}"
        ) from None
    source = str(item.get("source", ""))
    if not source.strip():
        raise InputError(
            "every number needs a 'source' (or 'assumption: ...')",
            file=file,
            field=f"{section}.{key}",
        )
    return value


def _costs(entry: dict[str, Any], section: str, file: str) -> Costs:
    return Costs(
        capex_eur_per_kw=float(_value(entry, "capex_eur_per_kw", section, file)),
        capex_fixed_eur=float(_value(entry, "capex_fixed_eur", section, file)),
        om_fraction_per_yr=float(_value(entry, "om_fraction_per_yr", section, file)),
        lifetime_yr=float(_value(entry, "lifetime_yr", section, file)),
    )


def _air(entry: dict[str, Any], section: str, file: str) -> AirUnit:
    approach = {}
    for key in ("evaporator_approach_k", "condenser_approach_k"):
        if key in entry:
            approach[key] = float(_value(entry, key, section, file))
    return AirUnit(
        costs=_costs(entry, section, file),
        carnot_efficiency=float(_value(entry, "carnot_efficiency", section, file)),
        max_cop=float(_value(entry, "max_cop", section, file)),
        **approach,
    )


def load_technologies(path: str | Path | None = None) -> Technologies:
    """Read the technology catalogue.

    Parameters
    ----------
    path
        YAML file; default the shipped ``tsg/data/catalogues/technologies.yaml``.

    Returns
    -------
    Technologies
        The catalogue.

    Raises
    ------
    InputError
        Unreadable file, a missing entry, a number without source, or a negative value.

    """
    file = Path(path) if path is not None else data_path("catalogues", "technologies.yaml")
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read technology catalogue: {exc}", file=file) from exc
    name = str(file)

    def section(key: str) -> dict[str, Any]:
        if not isinstance(raw, dict) or not isinstance(raw.get(key), dict):
            raise InputError("missing section", file=file, field=key)
        return raw[key]

    boiler = section("gas_boiler")
    ates = section("ates")
    dry = section("dry_cooler")
    storage = section("thermal_storage")
    network = section("network")
    return Technologies(
        building_heat_pump=_air(section("building_heat_pump"), "building_heat_pump", name),
        network_heat_exchanger=_costs(
            section("network_heat_exchanger"), "network_heat_exchanger", name
        ),
        network_chiller=_costs(section("network_chiller"), "network_chiller", name),
        building_connection=_costs(section("building_connection"), "building_connection", name),
        gas_boiler=GasBoiler(
            costs=_costs(boiler, "gas_boiler", name),
            efficiency=float(_value(boiler, "efficiency", "gas_boiler", name)),
            gas_lhv_kwh_per_m3=float(_value(boiler, "gas_lhv_kwh_per_m3", "gas_boiler", name)),
        ),
        air_chiller=_air(section("air_chiller"), "air_chiller", name),
        air_source_heat_pump=_air(section("air_source_heat_pump"), "air_source_heat_pump", name),
        ates=_costs(ates, "ates", name),
        ates_pump_kwh_per_kwh=float(_value(ates, "pump_kwh_per_kwh", "ates", name)),
        central_heat_pump=_air(section("central_heat_pump"), "central_heat_pump", name),
        dry_cooler=_costs(dry, "dry_cooler", name),
        dry_cooler_fan_kwh_per_kwh=float(_value(dry, "fan_kwh_per_kwh", "dry_cooler", name)),
        dry_cooler_approach_k=float(_value(dry, "approach_k", "dry_cooler", name)),
        thermal_storage=StorageData(
            capex_eur_per_kwh=float(_value(storage, "capex_eur_per_kwh", "thermal_storage", name)),
            om_fraction_per_yr=float(
                _value(storage, "om_fraction_per_yr", "thermal_storage", name)
            ),
            lifetime_yr=float(_value(storage, "lifetime_yr", "thermal_storage", name)),
            max_c_rate_per_h=float(_value(storage, "max_c_rate_per_h", "thermal_storage", name)),
        ),
        network=NetworkData(
            pump_kwh_per_kwh=float(_value(network, "pump_kwh_per_kwh", "network", name)),
            pipes_per_trench=int(_value(network, "pipes_per_trench", "network", name)),
            pipe_cost_column=str(_value(network, "pipe_cost_column", "network", name)),
            **{
                key: cast(_value(network, key, "network", name))
                for key, cast in (("max_parallel_pipes", int), ("parallel_civil_factor", float))
                if key in network
            },
        ),
        heat_exchanger_approach_k=float(
            _value(section("network_heat_exchanger"), "approach_k", "network_heat_exchanger", name)
        ),
    )
