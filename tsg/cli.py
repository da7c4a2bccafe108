"""The ``tsg`` command line: one subcommand per module in :mod:`tsg.commands`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import metadata

from tsg.commands import COMMANDS
from tsg.common import InputError
from tsg.common.terminal import printable
from tsg.optimisation.executor import ExecutorError

EXIT_OK, EXIT_FAILED, EXIT_INPUT_ERROR = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="tsg",
        description="Thermal smart grid toolkit: demand profiles, networks, sizing, cost "
        "sharing and scaling for districts that exchange heat and cold.",
    )
    parser.add_argument(
        "--version", action="version", version=f"tsg {metadata.version('thermal-smart-grid')}"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 2 invalid input).

    Parameters
    ----------
    argv
        Arguments without the program name; ``None`` reads ``sys.argv``.
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except InputError as error:
        print(f"tsg {args.command}: error: {printable(str(error))}", file=sys.stderr)
        return EXIT_INPUT_ERROR
    except ExecutorError as error:
        print(f"tsg {args.command}: error: {printable(str(error))}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(f"tsg {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
