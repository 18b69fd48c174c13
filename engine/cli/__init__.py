"""The ``crg`` command: a thin shell over the library, one module per group of commands.

Each command loads its inputs, calls one library function and prints what it
returns.  A user's mistake (:class:`~engine.errors.InputError`) is printed as
one short message on stderr with exit status 2, by the group itself, so no
command handles it twice; several mistakes found together
(:class:`~engine.errors.InputErrors`) are printed one after another, in order
of file and line, with a count.  A command called wrongly (an unknown option, a
value not allowed) is reported the same way, not with click's usage text.  Output is written only once the whole of it
has been made, so nothing is ever half-written.

Commands are imported only when they run (``crg --version`` and ``crg
screen`` do not pay for the sweep's chart or the register): :data:`COMMANDS`
maps each name to ``module:function`` in this package.
"""

from __future__ import annotations

import errno
import importlib
import sys

import click

__all__ = ["COMMANDS", "cli", "main"]

# command name -> "module:function" (modules of this package)
COMMANDS = {
    "screen": "screening:screen",
    "compare": "whatif:compare",
    "sweep": "whatif:sweep",
    "validate": "files:validate",
    "rules": "files:rules",
    "fields": "reference:fields",
    "new": "templates:new",
    "import": "importing:import_",
    "status": "year:status",
    "tactical": "year:tactical",
    "closeout": "year:closeout",
    "record": "record:record",
    "history": "record:history",
    "show": "record:show",
    "replay": "record:replay",
    "diff": "record:diff",
    "decide": "record:decide",
    "verify": "record:verify",
    "report": "report:report",
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

    def main(self, *args, standalone_mode: bool = True, **kwargs):
        """As click's, but a mistake in how the command is called (an unknown option, a value not allowed, an
        argument left out) is printed as every other mistake is: one line saying what is wrong, then the fix, and
        exit status 2."""
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.UsageError as exc:
            if isinstance(exc, getattr(click.exceptions, "NoArgsIsHelpError", ())):  # plain 'crg': the help
                exc.show()
                sys.exit(exc.exit_code)
            words = " ".join(exc.format_message().split())
            path = exc.ctx.command_path if exc.ctx is not None else "crg"
            click.echo(f"Error: {words}\n  fix: see '{path} --help' for how to call it", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(code if type(code) is int else 0)  # click gives the code of an early exit (--help, --version)

    def resolve_command(self, ctx, args):
        if args and args[0] not in COMMANDS and not args[0].startswith("-"):
            from ..errors import did_you_mean

            raise click.UsageError(f"No such command '{args[0]}'{did_you_mean(args[0], COMMANDS)}.", ctx)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx):
        from ..errors import InputError, InputErrors  # here, so that ``crg --version`` does not load them

        try:
            return super().invoke(ctx)
        except (InputError, InputErrors) as exc:
            # where the files hold mistakes, what else they hold to mend, found before the mistakes stopped them (a
            # mistake of the command line alone is one line)
            if any(e.file for e in (exc.errors if isinstance(exc, InputErrors) else (exc,))):
                for found in exc.warnings:
                    click.echo(f"{'Note' if found.note else 'Warning'}: {found}", err=True)
            click.echo(f"Error: {exc}" if isinstance(exc, InputError) else str(exc), err=True)
            sys.exit(2)


def _version(ctx, param, value) -> None:
    """``--version``: the version, and which parser reads the YAML files."""
    if not value or ctx.resilient_parsing:
        return
    from .. import __version__
    from ..inputs.yamlfile import parser

    click.echo(f"crg, version {__version__}\nYAML files are read by {parser()}")
    ctx.exit()


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_version,
              help="Show the version and exit.")
def cli() -> None:
    """Screen, score and shortlist Crime Reduction Grant proposals.

    \b
    Example:
      crg screen rules/kcsp-2026-27.yaml proposals/2026-27-example
    """


# what writing fails with when there is no room for it (every other file crg writes says so itself)
_NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def main() -> None:
    """Entry point of the ``crg`` console script.  Its output is UTF-8 whatever the locale (the same bytes
    everywhere, and no pound sign or dash left that the locale's encoding cannot write)."""
    # a name that is not UTF-8 (a file's, say) is written as its own bytes on stdout, escaped on stderr
    for stream, errors in ((sys.stdout, "surrogateescape"), (sys.stderr, "backslashreplace")):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors=errors)
    try:
        cli(prog_name="crg")
    except OSError as exc:  # the help or the version, sent where nothing can be written
        if exc.errno not in _NO_ROOM:  # a failure of another kind is not the output's: a defect, shown whole
            raise
        from .options import unwritable

        click.echo(f"Error: {unwritable(exc)}", err=True)
        sys.exit(2)
