"""``crg screen``: the shortlist, with a reason for every decision."""

from __future__ import annotations

import click

from .options import READING, Progress, emit, output_format, strict, warn, what_if


@click.command()
@click.argument("rules", metavar="RULES")
@click.argument("proposals", metavar="PROPOSALS_DIR")
@output_format("table", "json", "markdown")
@strict
@what_if
def screen(rules, proposals, fmt, strict, overrides, engine) -> None:
    """Screen, score and rank every proposal, and shortlist within the upfront allocation.

    Every proposal gets its status (shortlisted, reserve, tactical or
    ineligible), its score with the reason for each part, and what would
    change the decision.

    \b
    Example:
      crg screen rules/kcsp-2026-27.yaml proposals/2026-27-example
      crg screen rules/kcsp-2026-27.yaml proposals/2026-27-example --upfront £20,000 --policy optimal
      crg screen rules/kcsp-2026-27.yaml proposals/2026-27-example --format json
    """
    from ..inputs.load import load_inputs
    from ..inputs.scenario import run
    from ..outputs import report

    with Progress() as progress:
        inputs = load_inputs(rules, proposals, overrides=overrides, strict=strict, progress=progress.stage(READING))
        outcome = run(inputs.round, inputs.proposals, overrides, engine=engine,
                      progress=progress.stage("Shortlisting and explaining"))
    warn(inputs.warnings)
    emit(report.outcome_json_parts(outcome) if fmt == "json" else report.outcome_text(outcome, fmt))
