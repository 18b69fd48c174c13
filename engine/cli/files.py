"""``crg validate`` and ``crg rules``: the files themselves, checked and read back in plain words."""

from __future__ import annotations

import click

from .options import emit, output_format, warn


@click.command()
@click.argument("rules", metavar="RULES")
@click.argument("proposals", metavar="[PROPOSALS_DIR]", required=False)
@click.option("--strict", is_flag=True, default=False,
              help="Also refuse any value of a real round (illustrative: false) that is neither sourced nor assumed.")
def validate(rules: str, proposals: str | None, strict: bool) -> None:
    """Check that a rules file, and optionally a folder of proposals, are valid, without screening.

    With --strict, every value of a file that says it is a real round
    (illustrative: false) must come from a source named above it in the
    file, or be listed under 'assumed:'.

    \b
    Example:
      crg validate rules/kcsp-2026-27.yaml
      crg validate rules/kcsp-2026-27.yaml proposals/2026-27-example
      crg validate --strict rules/kcsp-2021-22.yaml proposals/2021-22
    """
    from ..inputs.proposal import load_proposals
    from ..inputs.provenance import require_sources
    from ..inputs.round import load_round, unknown_priorities

    round_ = load_round(rules)
    found = load_proposals(proposals) if proposals else ()
    if strict:
        require_sources(rules, proposals)
    warn(round_.warnings)
    for note in unknown_priorities(round_, found):
        click.echo(f"Note: {note}", err=True)
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
