"""``tsg schema``: print the JSON Schema of the district file."""

from __future__ import annotations

import argparse
import json

from tsg.schema import District


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Register ``tsg schema``."""
    parser = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of the district file",
        description="Print the JSON Schema of the district file (for editor autocompletion, "
        "e.g. the YAML language server's '# yaml-language-server: $schema=...').",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the schema."""
    print(json.dumps(District.model_json_schema(), indent=2))
    return 0
