"""The ``crg`` command: a thin shell over the library.

Each command loads its inputs, calls the library and prints what it returns.
A user's mistake (:class:`~engine.errors.InputError`) is printed as one short
message on stderr with exit status 2; output is written only once the whole
of it has been made, so nothing is ever half-written.
"""

from __future__ import annotations

import sys

import click

from . import report
from .errors import InputError
from .proposal import load_proposals
from .round import load_round
from .screen import ENGINES, screen as screen_round

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="crg")
def cli() -> None:
    """Screen, score and shortlist Crime Reduction Grant proposals.

    \b
    Example:
      crg screen rules/kcsp-2026-27.yaml proposals/2026-27-example
    """


def _fail(exc: InputError) -> None:
    click.echo(f"Error: {exc}", err=True)
    sys.exit(2)


def _warn(round_) -> None:
    for warning in round_.warnings:
        click.echo(f"Warning: {warning}", err=True)


def _emit(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


FORMAT = click.option("--format", "fmt", type=click.Choice(report.FORMATS), default="table", show_default=True,
                      help="How to print the result.")


@cli.command()
@click.argument("rules", metavar="RULES")
@click.argument("proposals", metavar="PROPOSALS_DIR")
@FORMAT
@click.option("--engine", type=click.Choice(ENGINES), default="durable", show_default=True,
              help="Evaluate the rules with durable-rules, or with the plain-Python evaluator of the same rules.")
def screen(rules: str, proposals: str, fmt: str, engine: str) -> None:
    """Check every proposal of a round against its rules, with the reason for each check.

    \b
    Example:
      crg screen rules/kcsp-2026-27.yaml proposals/2026-27-example
      crg screen rules/kcsp-2026-27.yaml proposals/2026-27-example --format json
    """
    try:
        round_ = load_round(rules)
        found = load_proposals(proposals)
    except InputError as exc:
        _fail(exc)
    _warn(round_)
    results = screen_round(round_, found, engine=engine)
    if fmt == "json":
        _emit(report.screening_json(round_, results))
    else:
        _emit(report.screening_text(round_, results, fmt))


@cli.command()
@click.argument("rules", metavar="RULES")
@click.argument("proposals", metavar="[PROPOSALS_DIR]", required=False)
def validate(rules: str, proposals: str | None) -> None:
    """Check that a rules file, and optionally a folder of proposals, are valid, without screening.

    \b
    Example:
      crg validate rules/kcsp-2026-27.yaml
      crg validate rules/kcsp-2026-27.yaml proposals/2026-27-example
    """
    try:
        round_ = load_round(rules)
        found = load_proposals(proposals) if proposals else ()
    except InputError as exc:
        _fail(exc)
    _warn(round_)
    known = round_.priority_names()
    notes = []
    for proposal in found:
        for field in ("pcc_priorities", "csa_priorities", "cross_cutting"):
            for pid in getattr(proposal, field):
                if pid not in known:
                    from .errors import did_you_mean
                    notes.append(f"Note: {proposal.file}: {field}: '{pid}' is not an id of this round"
                                 f"{did_you_mean(pid, known)}")
    for note in notes:
        click.echo(note, err=True)
    text = f"{rules}: valid ({len(round_.rules)} rules)\n"
    if proposals:
        text += f"{proposals}: valid ({len(found)} proposals)\n"
    _emit(text)


@cli.command()
@click.argument("rules", metavar="RULES")
@click.option("--format", "fmt", type=click.Choice(("table", "markdown")), default="table", show_default=True,
              help="How to print the rules.")
def rules(rules: str, fmt: str) -> None:
    """Print a round's money, dates, priorities and rules in plain words.

    \b
    Example:
      crg rules rules/kcsp-2026-27.yaml
    """
    try:
        round_ = load_round(rules)
    except InputError as exc:
        _fail(exc)
    _emit(report.rules_doc(round_, fmt))


def main() -> None:
    """Entry point of the ``crg`` console script."""
    cli(prog_name="crg")
