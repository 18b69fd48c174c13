"""``crg validate`` and ``crg rules``: the files themselves, checked and read back in plain words."""

from __future__ import annotations

import click

from .options import emit, output_format, warn


@click.command()
@click.argument("rules", metavar="RULES")
@click.argument("proposals", metavar="[PROPOSALS_DIR]", required=False)
def validate(rules: str, proposals: str | None) -> None:
    """Check that a rules file, and optionally a folder of proposals, are valid, without screening.

    \b
    Example:
      crg validate rules/kcsp-2026-27.yaml
      crg validate rules/kcsp-2026-27.yaml proposals/2026-27-example
    """
    from ..inputs.proposal import load_proposals
    from ..inputs.round import load_round, unknown_priorities

    round_ = load_round(rules)
    found = load_proposals(proposals) if proposals else ()
    warn(round_.warnings)
    warn(unknown_priorities(round_, found), label="Note")
    text = f"{rules}: valid ({len(round_.rules)} rules)\n"
    if proposals:
        text += f"{proposals}: valid ({len(found)} proposals)\n"
    emit(text)


@click.command()
@click.argument("rules", metavar="RULES")
@output_format("table", "markdown")
def rules(rules: str, fmt: str) -> None:
    """Print a round's money, dates, priorities and rules in plain words.

    \b
    Example:
      crg rules rules/kcsp-2026-27.yaml
    """
    from ..inputs.round import load_round
    from ..outputs import report

    emit(report.rules_doc(load_round(rules), fmt))
