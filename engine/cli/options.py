"""What the commands share: output formats, the what-if flags, warnings and the progress bar.

Each is defined once here.  :func:`what_if` adds the override flags and hands
the command one checked :class:`~engine.inputs.scenario.Overrides` (and the
rule engine to use) instead of seven loose values.
"""

from __future__ import annotations

import functools
import sys
import time

import click

from ..decision.screen import ENGINES
from ..errors import InputError
from ..inputs.round import POLICIES

__all__ = ["Progress", "emit", "output_format", "register_path", "warn", "what_if"]


def output_format(*choices: str, default: str = "table"):
    """The ``--format`` option, with the formats a command can print."""
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="How to print the result.")


def register_path(func):
    """The ``--register`` option of every command that reads or writes the register."""
    return click.option("--register", "register", metavar="PATH", envvar="CRG_REGISTER", default="crg.db",
                        help="The register file: this, else the environment variable CRG_REGISTER, "
                             "else crg.db in the current folder.")(func)


def what_if(func):
    """The what-if flags shared by every command that runs a round; the command receives ``overrides`` and ``engine``."""

    @click.option("--upfront", metavar="AMOUNT", default=None,
                  help="Use this upfront allocation instead of the round's, e.g. £20,000.")
    @click.option("--policy", type=click.Choice(POLICIES), default=None,
                  help="How to choose the shortlist (default: the rules file's policy).")
    @click.option("--weight", "weights", metavar="NAME=WEIGHT", multiple=True,
                  help="Change a scoring weight, e.g. --weight panel=3 (repeatable).")
    @click.option("--relax", metavar="RULE_ID[=flag]", multiple=True,
                  help="Switch a rule off, or make it only flag a concern with RULE_ID=flag (repeatable).")
    @click.option("--without", metavar="ID", multiple=True,
                  help="Leave a proposal out, as if withdrawn (repeatable).")
    @click.option("--cost", "costs", metavar="ID=AMOUNT", multiple=True,
                  help="Change a proposal's cost, e.g. --cost some-id=£4,000 (repeatable).")
    @click.option("--engine", type=click.Choice(ENGINES), default="durable", show_default=True,
                  help="Evaluate the rules with durable-rules, or with the plain-Python evaluator of the same rules.")
    @functools.wraps(func)
    def wrapper(*args, upfront, policy, weights, relax, without, costs, **kwargs):
        from ..inputs.scenario import Overrides

        kwargs["overrides"] = Overrides.from_flags(upfront=upfront, policy=policy, weights=weights, relax=relax,
                                                   without=without, costs=costs)
        return func(*args, **kwargs)

    return wrapper


def warn(messages, label: str = "Warning") -> None:
    """Each warning (or note) on stderr, one line each."""
    for message in messages:
        click.echo(f"{label}: {message}", err=True)


def emit(text: str) -> None:
    """Write the whole output at once."""
    sys.stdout.write(text)
    sys.stdout.flush()


def chart_path(value: str | None, flag: str = "--chart") -> str | None:
    """A chart file name, which must end in .png or .svg."""
    if value is not None and not value.lower().endswith((".png", ".svg")):
        raise InputError(f"'{value}' is not a .png or .svg file", field=flag, fix="e.g. --chart sweep.png")
    return value


class Progress:
    """A progress bar on stderr that appears only once the work has taken more than a second."""

    def __init__(self, label: str = "Sweeping budgets"):
        self.label = label

    def __enter__(self):
        self._started = time.monotonic()
        self._bar = None
        return self.tick

    def tick(self, done: int, total: int) -> None:
        if self._bar is None:
            if not total or time.monotonic() - self._started < 1.0:
                return
            self._bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done - self._bar.pos)

    def __exit__(self, *exc) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
