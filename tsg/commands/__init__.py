"""Subcommands of ``tsg``; each module has ``add_parser(subparsers)`` and ``run(args) -> int``.

``add_parser`` registers ``run`` as the subcommand's handler (``set_defaults(handler=run)``).
"""

from tsg.commands import allocate, profiles, run, schema, validate

COMMANDS = (run, validate, schema, profiles, allocate)
