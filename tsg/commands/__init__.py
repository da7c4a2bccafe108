"""Subcommands of ``tsg``: each module has ``add_parser(subparsers)``.

``add_parser`` registers the subcommand and its handler (``set_defaults(handler=...)``), a
function ``(args) -> int`` returning the exit code.
"""

from tsg.commands import (
    allocate,
    export,
    imports,
    profiles,
    report,
    run,
    scale,
    schema,
    simulate,
    size,
    summary,
    validate,
)

COMMANDS = (
    run,
    validate,
    schema,
    profiles,
    simulate,
    size,
    allocate,
    scale,
    report,
    summary,
    export,
    imports,
)
