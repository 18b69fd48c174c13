"""``crg validate`` and ``crg rules``: the files themselves, checked and read back in plain words."""

from __future__ import annotations

import click

from .options import READING, Progress, emit, output_format, strict, warn


@click.command()
@click.argument("rules", metavar="RULES")
@click.argument("proposals", metavar="[PROPOSALS_DIR]", required=False)
@click.argument("scenarios", metavar="[SCENARIO_FILE...]", nargs=-1)
@strict
def validate(rules: str, proposals: str | None, scenarios: tuple[str, ...], strict: bool) -> None:
    """Check a rules file, and optionally a folder of proposals and scenario files, without screening.

    Every mistake in every file is reported in one run, in order of file and
    line, and so is every warning (a date copied from another year, a
    priority id the round does not list, a file that is not a proposal).
    With --strict a warning is a mistake, and every value of a file that says
    it is a real round (illustrative: false) must come from a source named
    above it in the file, or be listed under 'assumed:'.

    \b
    Example:
      crg validate rules/kcsp-2026-27.yaml
      crg validate rules/kcsp-2026-27.yaml proposals/2026-27-example
      crg validate rules/kcsp-2026-27.yaml proposals/2026-27-example scenarios/2026-27-example/*.yaml --strict
      crg validate --strict rules/kcsp-2021-22.yaml proposals/2021-22
    """
    from ..inputs.load import validated
    from ..outputs import summary

    with Progress() as progress:
        inputs = validated(rules, proposals, scenarios, strict=strict, progress=progress.stage(READING))
    warn(inputs.warnings)
    emit(summary.validated(inputs, rules, proposals))


@click.command()
@click.argument("rules", metavar="RULES")
@output_format("table", "markdown")
@strict
def rules(rules: str, fmt: str, strict: bool) -> None:
    """Print a round's money, dates, priorities and rules in plain words.

    \b
    Example:
      crg rules rules/kcsp-2026-27.yaml
    """
    from ..inputs.load import load_inputs
    from ..outputs import report

    inputs = load_inputs(rules, strict=strict)
    warn(inputs.warnings)
    emit(report.rules_doc(inputs.round, fmt))
