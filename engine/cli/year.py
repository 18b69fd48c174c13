"""``crg status``, ``crg tactical`` and ``crg closeout``: the grant year after the shortlist, from its ledger."""

from __future__ import annotations

import click

from .options import emit, output_format, warn


def _load(rules: str, ledger: str):
    """The round and its ledger; a mistake in the ledger comes with the rules file's warnings."""
    from ..errors import told_with
    from ..inputs.round import load_round
    from ..year.ledger import load_ledger

    round_ = load_round(rules)
    with told_with(round_.warnings):
        return round_, load_ledger(ledger, round_)


def day_asked(round_, on: str | None):
    """The date of ``--on`` (checked), or today in the UK."""
    from ..year.ledger import day_in_year, today_in_kent

    return day_in_year(round_, on, today=today_in_kent(), field="--on")


ON = click.option("--on", "on", metavar="DATE", default=None,
                  help="The date, YYYY-MM-DD (default: today in the UK, or the nearer end of the financial year).")


@click.command()
@click.argument("rules", metavar="RULES")
@click.argument("ledger", metavar="LEDGER")
@ON
@output_format("table", "json", "markdown")
def status(rules: str, ledger: str, on: str | None, fmt: str) -> None:
    """Each pot's money on a date, what blocks the tactical pot, and the money held and paid.

    For each pot: its size, what is allocated, spent, committed (still to be
    paid out), freed (allocated but no longer needed) and left; whether the
    tactical pot is locked, open or closed and why; how many days it has
    left; and how much of the grant the OPCC has paid to the partnership.

    \b
    Example:
      crg status rules/kcsp-2021-22.yaml ledgers/2021-22.yaml --on 2022-01-31
    """
    from ..outputs import year as render
    from ..year.status import status_on

    round_, book = _load(rules, ledger)
    result = status_on(round_, book, day_asked(round_, on))
    warn(round_.warnings)
    emit(render.status_json(result) if fmt == "json" else render.status_text(result, fmt))


@click.command()
@click.argument("rules", metavar="RULES")
@click.argument("ledger", metavar="LEDGER")
@click.argument("bids", metavar="BIDS_DIR")
@ON
@output_format("table", "json", "markdown")
def tactical(rules: str, ledger: str, bids: str, on: str | None, fmt: str) -> None:
    """Screen in-year bids against the tactical pot as it stands on a date.

    A bid is a proposal file (pot: tactical).  Each gets its status and
    every reason: not yet received on the date, the pot locked (and by what)
    or closed (and when), more asked than is left, delivery after the end of
    the financial year, or any other rule of the rules file's tactical_pot
    section.  The bids get the warnings crg validate gives (a priority id the
    round does not list, a date copied from another round).

    \b
    Example:
      crg tactical rules/kcsp-2021-22.yaml ledgers/2021-22.yaml bids/2021-22-example --on 2022-02-10
    """
    from ..errors import told_with
    from ..inputs.load import load_inputs
    from ..outputs import year as render
    from ..year.bids import screen_bids
    from ..year.ledger import load_ledger

    inputs = load_inputs(rules, bids)  # the bids read against the round, with the warnings other commands give
    with told_with(inputs.warnings):  # (shown first, with a mistake of the ledger's)
        book = load_ledger(ledger, inputs.round)
    result = screen_bids(inputs.round, book, inputs.proposals, day_asked(inputs.round, on))
    warn(inputs.warnings)
    emit(render.bids_json(result) if fmt == "json" else render.bids_text(result, fmt))


@click.command()
@click.argument("rules", metavar="RULES")
@click.argument("ledger", metavar="LEDGER")
@output_format("table", "json", "markdown")
def closeout(rules: str, ledger: str, fmt: str) -> None:
    """The year-end statement: each project's allocation, spend and return, and the total returned to the OPCC.

    Money never allocated, underspends and overspends are each explained;
    money is conserved to the penny on every line and for the round.

    \b
    Example:
      crg closeout rules/kcsp-2021-22.yaml ledgers/2021-22.yaml
      crg closeout rules/kcsp-2021-22.yaml ledgers/2021-22.yaml --format json
    """
    from ..outputs import year as render
    from ..year.closeout import close_out

    round_, book = _load(rules, ledger)
    result = close_out(round_, book)
    warn(round_.warnings)
    emit(render.closeout_json(result) if fmt == "json" else render.closeout_text(result, fmt))
