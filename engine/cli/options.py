"""What the commands share: output formats, the what-if flags, warnings and the progress bar.

Each is defined once here.  :func:`what_if` adds the override flags and hands
the command one checked :class:`~engine.inputs.scenario.Overrides` (and the
rule engine to use) instead of seven loose values.
"""

from __future__ import annotations

import errno
import functools
import os
import sys
import time
from collections.abc import Iterable

import click

from ..errors import InputError

__all__ = ["READING", "Progress", "emit", "given", "output_format", "register_path", "strict", "warn", "what_if"]

READING = "Reading proposal files"  # the label of the first stage of every command that reads a folder


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
    from ..decision.screen import ENGINES
    from ..inputs.round import SHORTLIST_POLICIES

    @click.option("--upfront", metavar="AMOUNT", default=None,
                  help="Use this upfront allocation instead of the round's, e.g. £20,000.")
    @click.option("--policy", type=click.Choice(SHORTLIST_POLICIES), default=None,
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


def strict(func):
    """The ``--strict`` flag of every command that reads files: the command receives ``strict``."""
    return click.option("--strict", is_flag=True, default=False,
                        help="Treat every warning as a mistake: report them all and exit with status 2.")(func)


def warn(messages, label: str | None = None) -> None:
    """Each warning (or note) on stderr, one line each, headed *label* (by default Note or Warning, as it says)."""
    for message in messages:
        head = label or ("Note" if getattr(message, "note", False) else "Warning")
        click.echo(f"{head}: {message}", err=True)


def given(ctx: click.Context, *, only: tuple[str, ...] | None = None, besides: tuple[str, ...] = ()) -> list[str]:
    """The options typed on the command line (not taken from a default or the environment), each by its first
    flag (``--upfront``): of those whose names are in *only* (default: every one), leaving out *besides*."""
    from click.core import ParameterSource

    return [p.opts[0] for p in ctx.command.params
            if isinstance(p, click.Option) and (only is None or p.name in only) and p.name not in besides
            and ctx.get_parameter_source(p.name) is ParameterSource.COMMANDLINE]


def emit(text: str | Iterable[str]) -> None:
    """Write the output: a text, or its pieces one by one (made once every decision is taken).  Output that
    cannot be written (a full disk) is one line of error; a closed pipe is left to click, which ends quietly."""
    try:
        if isinstance(text, str):
            sys.stdout.write(text)
        else:
            for piece in text:
                sys.stdout.write(piece)
        sys.stdout.flush()
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            raise
        raise unwritable(exc) from None


def unwritable(exc: OSError) -> InputError:
    """The mistake of output that cannot be written (a full disk); stdout is then set aside, so that nothing
    more is written there, at exit either."""
    sys.stdout = open(os.devnull, "w", encoding="utf-8")
    return InputError(f"the output cannot be written ({exc.strerror})", field="stdout",
                      fix="make room where the output goes, or send it somewhere else")


def chart_path(value: str | None, flag: str = "--chart") -> str | None:
    """A chart file name, which must end in .png or .svg."""
    if value is not None and not value.lower().endswith((".png", ".svg")):
        raise InputError(f"'{value}' is not a .png or .svg file", field=flag, fix="e.g. --chart sweep.png")
    return value


class Progress:
    """Progress bars on stderr, one per stage of a command, shown only on a terminal.

    A stage's bar appears once the command has run for :attr:`AFTER` seconds, so a quick
    command prints nothing; on a pipe or in a file (stderr not a terminal) no bar is ever
    shown.  Use it as ``with Progress() as progress:`` and hand each library function
    ``progress.stage("Reading proposal files")``, a callback taking ``(done, total)``.
    *stream* and *clock* are there for the tests.
    """

    AFTER = 1.0  # seconds before any bar appears

    def __init__(self, *, stream=None, clock=None):
        self._stream = stream
        self._clock = clock or time.monotonic

    def __enter__(self) -> "Progress":
        self.stream = self._stream if self._stream is not None else sys.stderr
        self.shown = self.stream.isatty()
        self._started = self._clock()
        self._bar = None
        return self

    def stage(self, label: str):
        """The callback ``(done, total)`` of one stage, whose bar is labelled *label*: the stage before it ends."""
        self.close()
        if not self.shown:
            return _quiet

        shown = [-1]  # the thousandth of the way last shown: the bar is drawn again only when that moves

        def tick(done: int, total: int) -> None:
            if self._bar is None:
                if not total or self._clock() - self._started < self.AFTER:
                    return
                self._bar = click.progressbar(length=total, label=label, file=self.stream)
                self._bar.__enter__()
            step = 1000 * done // total if total else 0
            if step != shown[0] or done >= total:  # (a sweep ticks tens of thousands of times)
                shown[0] = step
                self._bar.update(done - self._bar.pos)

        return tick

    def close(self, *exc) -> None:
        """End the bar shown (so that what comes next on stderr starts a line of its own)."""
        if self._bar is not None:
            self._bar.__exit__(*(exc or (None, None, None)))
            self._bar = None

    def __exit__(self, *exc) -> None:
        self.close(*exc)


def _quiet(done: int, total: int) -> None:
    """The progress callback of a stage whose bar is not shown."""
