"""``crg new``: files to fill in, a proposal or a whole round."""

from __future__ import annotations

import click

from .options import emit, warn


@click.group()
def new() -> None:
    """Write a file to fill in: a new proposal, or a new round's rules from last year's.

    \b
    Example:
      crg new proposal proposals/2027-28 --id youth-boxing-club
      crg new round rules/kcsp-2027-28.yaml --from rules/kcsp-2026-27.yaml --year 2027/28
    """


@new.command()
@click.argument("folder", metavar="PROPOSALS_DIR")
@click.option("--id", "proposal_id", required=True, metavar="ID", help="The new proposal's id (and file name).")
@click.option("--rules", metavar="RULES", default=None,
              help="A rules file whose priority ids the comments list.")
def proposal(folder: str, proposal_id: str, rules: str | None) -> None:
    """Write PROPOSALS_DIR/ID.yaml: every field of a proposal, commented, to fill in.

    \b
    Example:
      crg new proposal proposals/2027-28 --id youth-boxing-club --rules rules/kcsp-2027-28.yaml
    """
    from pathlib import Path

    from ..errors import InputError
    from ..inputs.load import load_inputs
    from ..outputs.templates import proposal_template, write_new

    round_ = None
    if rules:
        inputs = load_inputs(rules)
        warn(inputs.warnings)
        round_ = inputs.round
    try:
        text = proposal_template(proposal_id, round_)
    except InputError as exc:
        raise InputError(exc.problem, field="--id", fix=exc.fix) from None
    path = Path(folder) / f"{proposal_id}.yaml"
    write_new(path, text)
    emit(f"{path}: written; fill in the empty fields, then: crg validate RULES {folder}\n")


@new.command(name="round")
@click.argument("file", metavar="FILE")
@click.option("--from", "source", required=True, metavar="RULES", help="Last year's rules file to start from.")
@click.option("--year", required=True, metavar="YYYY/YY", help="The new round's financial year, e.g. 2027/28.")
def round_(file: str, source: str, year: str) -> None:
    """Write FILE: the rules of RULES moved on to a new financial year, to check and fill in.

    Every date moves on by the years between the two rounds; the money, the
    priorities, the rules and the scoring are kept; any 'assumed:' list is
    emptied.

    \b
    Example:
      crg new round rules/kcsp-2027-28.yaml --from rules/kcsp-2026-27.yaml --year 2027/28
    """
    from ..inputs.load import load_inputs
    from ..outputs.templates import round_template, write_new

    write_new(file, round_template(source, year, name=file))
    warn(load_inputs(file).warnings)
    emit(f"{file}: written from {source} for {year}; check it with: crg rules {file}\n")
