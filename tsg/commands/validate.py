"""``tsg validate FILE``: check a district file and the files it names."""

from __future__ import annotations

import argparse

from tsg.demand import demand_specs, load_weather
from tsg.district import load_district, resolve_district_argument
from tsg.route import check_route


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``tsg validate``."""
    parser = subparsers.add_parser(
        "validate",
        help="check a district file and the weather and profile files it names",
        description="Check a district file against the schema and the rules across its "
        "fields, then read its weather, measured profiles and route. Exit code 0 when valid, "
        "2 with a message naming the file and the field otherwise.",
    )
    parser.add_argument("district", metavar="FILE", help="district YAML file (or built-in name)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Validate and report."""
    path = resolve_district_argument(args.district)
    district = load_district(path)
    weather = load_weather(district)
    demand_specs(district, index=weather.index)
    check_route(district, district_file=path)
    print(
        f"{path}: valid: {len(district.buildings)} buildings, {len(district.partners)} "
        f"partners, {len(district.sources)} sources, {len(district.barriers)} barriers; "
        f"weather {district.climate.source} {weather.index[0].year} ({len(weather)} hours)"
    )
    return 0
