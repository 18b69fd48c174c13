"""The ``crg`` command: a thin shell over the library, one module per group of commands.

Each command loads its inputs, calls one library function and prints what it
returns.  A user's mistake (:class:`~engine.errors.InputError`) is printed as
one short message on stderr with exit status 2, by the group itself, so no
command handles it twice; output is written only once the whole of it has
been made, so nothing is ever half-written.

Commands are imported only when they run (``crg --version`` and ``crg
screen`` do not pay for the sweep's chart or the register): :data:`COMMANDS`
maps each name to ``module:function`` in this package.
"""

from __future__ import annotations

import importlib
import sys

import click

from ..errors import InputError

__all__ = ["COMMANDS", "cli", "main"]

# command name -> "module:function" (modules of this package)
COMMANDS = {
    "screen": "screening:screen",
    "compare": "whatif:compare",
    "sweep": "whatif:sweep",
    "validate": "files:validate",
    "rules": "files:rules",
    "record": "record:record",
    "history": "record:history",
    "show": "record:show",
    "replay": "record:replay",
    "diff": "record:diff",
    "decide": "record:decide",
    "verify": "record:verify",
}


class _Group(click.Group):
    """Commands loaded on first use, and a user's mistake turned into one line and exit status 2."""

    def list_commands(self, ctx) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx, name: str):
        if name not in COMMANDS:
            return None
        module, function = COMMANDS[name].split(":")
        return getattr(importlib.import_module(f"{__name__}.{module}"), function)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except InputError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="crg")
def cli() -> None:
    """Screen, score and shortlist Crime Reduction Grant proposals.

    \b
    Example:
      crg screen rules/kcsp-2026-27.yaml proposals/2026-27-example
    """


def main() -> None:
    """Entry point of the ``crg`` console script."""
    cli(prog_name="crg")
