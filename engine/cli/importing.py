"""``crg import``: proposals from the spreadsheet partners fill in, written as proposal files."""

from __future__ import annotations

import click

from .options import emit, warn


@click.command("import")
@click.argument("path", metavar="FILE.xlsx|FILE.csv")
@click.option("-o", "--out", metavar="DIR", required=True, help="The folder to write the proposal files in.")
@click.option("--round", "round_", metavar="RULES", default=None,
              help="A rules file: its panel's agencies may head the panel columns by name, and the proposals "
                   "are noted against it as crg validate notes them.")
@click.option("--panel", metavar="FILE", default=None,
              help="The panel's scores in a file of their own (.xlsx or .csv), instead of a second sheet.")
@click.option("--force", is_flag=True, help="Replace proposal files that already exist.")
def import_(path: str, out: str, round_: str | None, panel: str | None, force: bool) -> None:
    """Turn a spreadsheet of proposals into one proposal file each, checked as crg validate checks them.

    One row per proposal, with headers named as the fields of a proposal
    (delivery.start and delivery.end for the dates); lists are separated
    by ';'.  The panel's scores are on a second sheet (or in --panel FILE):
    a column 'id', then one column per agency.  Every bad cell is reported,
    by sheet, row and column, and then nothing is written.

    \b
    Example:
      crg import proposals.xlsx -o proposals/2026-27 --round rules/kcsp-2026-27.yaml
      crg import proposals.csv --panel panel.csv -o proposals/2026-27
    """
    from ..inputs.importing import import_proposals
    from ..inputs.round import load_round
    from ..outputs import summary

    done = import_proposals(path, out, round_=load_round(round_) if round_ else None, panel=panel, force=force)
    warn(done.notes, label="Note")
    emit(summary.imported(done, out))
