"""Rendering the year after the shortlist: ``crg status``, ``crg tactical`` and ``crg closeout``.

Rendering never decides anything: every figure and reason comes from
:mod:`engine.year`.
"""

from __future__ import annotations

import textwrap
from typing import Any

from tabulate import tabulate

from .. import fmt
from ..inputs import provenance
from ..year.gates import closing_words
from .assumptions import assumptions_markdown
from .report import dumps, round_header

__all__ = ["bids_doc", "bids_json", "bids_text", "closeout_doc", "closeout_json", "closeout_text", "status_doc",
           "status_json", "status_text"]


def _money_or_none(pence: int | None) -> str | None:
    return fmt.money_json(pence) if pence is not None else None


def _left(pence: int | None, exact: bool) -> str:
    if pence is None:
        return "-"
    return fmt.money(pence) if exact else f"at most {fmt.money(pence)}"


def _prose(lines, form: str) -> str:
    """Sentences under a table: one paragraph each, wrapped for a terminal (Markdown keeps them whole)."""
    if form == "markdown":
        return "\n\n".join(fmt.markdown(line) for line in lines)  # each may hold text from a file
    return "\n".join(textwrap.fill(line, 100, break_on_hyphens=False) for line in lines)


def _table(rows, headers, form: str, align) -> str:
    if form == "markdown":  # text from a file shows as written
        rows = [[fmt.markdown(c) if isinstance(c, str) else c for c in row] for row in rows]
    return tabulate(rows, headers, tablefmt="github" if form == "markdown" else "simple", colalign=align,
                    disable_numparse=True)


def _pot_doc(pot) -> dict[str, Any]:
    return {
        "state": pot.state,
        "reason": pot.reason,
        "source": pot.source,
        "last_day": pot.last_day.isoformat(),
        "days_left": pot.days_left,
        "left": fmt.money_json(pot.left),
        "exact": pot.exact,
    }


def _pot_words(pot) -> str:
    money = _left(pot.left, pot.exact)
    words = f"The tactical pot is {pot.reason}. {money[0].upper() + money[1:]} left in it"
    if pot.is_open:
        words += f"; {closing_words(pot)}"
    return words + "." + (f" (Source: {pot.source}.)" if pot.source else "")


# --- crg status -------------------------------------------------------------------------------------


def _project_state(row) -> str:
    if row.withdrawn is not None:
        return "withdrawn"
    if row.completed is not None:
        return "complete"
    return "going ahead"


def status_doc(status) -> dict[str, Any]:
    """The ``--format json`` document of ``crg status``."""
    state = status.state
    return {
        "round": round_header(state.round),
        "date": status.day.isoformat(),
        "shortlisted": state.ledger.shortlisted.isoformat(),
        "pots": [
            {"pot": line.pot, "size": _money_or_none(line.size), "allocated": fmt.money_json(line.allocated),
             "spent": fmt.money_json(line.spent), "carried": fmt.money_json(line.carried),
             "committed": fmt.money_json(line.committed), "freed": fmt.money_json(line.freed),
             "left": _money_or_none(line.left), "exact": line.exact}
            for line in status.lines
        ],
        "tactical": _pot_doc(status.tactical),
        "paid": fmt.money_json(status.paid),
        "held_by_opcc": fmt.money_json(status.held),
        "closed_out": state.closed_out.isoformat() if state.closed_out else None,
        "projects": [
            {"id": row.project.id, "title": row.project.title, "pot": row.project.pot or "not reported",
             "allocation": fmt.money_json(row.project.allocation), "cost": fmt.money_json(row.cost),
             "spent": fmt.money_json(row.spent), "carried": fmt.money_json(row.carried),
             "committed": fmt.money_json(row.committed), "state": _project_state(row)}
            for row in state.projects
        ],
        "events": [{"date": e.date.isoformat(), "event": e.kind, "what": e.words(), "source": e.source}
                   for e in state.events],
    }


def status_json(status) -> str:
    return dumps(status_doc(status))


def status_text(status, form: str = "table") -> str:
    """The table (or Markdown section) of ``crg status``."""
    state = status.state
    carried = any(line.carried for line in status.lines)
    headers = ["pot", "size", "allocated", "spent"] + (["carried"] if carried else []) + ["committed", "freed", "left"]
    rows = []
    for line in status.lines:
        row = [line.pot, fmt.money(line.size) if line.size is not None else "-", fmt.money(line.allocated),
               fmt.money(line.spent)] + ([fmt.money(line.carried)] if carried else []) + \
              [fmt.money(line.committed), fmt.money(line.freed), _left(line.left, line.exact)]
        rows.append(row)
    align = ("left",) + ("right",) * (len(headers) - 1)
    title = f"{state.round.name} on {fmt.date(status.day)}"
    notes = [_pot_words(status.tactical),
             f"Money: {fmt.money(status.paid)} paid to the partnership; {fmt.money(status.held)} held by the OPCC."]
    if not state.shortlisted:
        notes.append(f"The shortlist is agreed on {fmt.date(state.ledger.shortlisted)}: "
                     f"no project holds an allocation before then.")
    if state.unreported:
        notes.append("The reports do not say which pot some projects came from, so each pot's money left is "
                     "given as at most what the pot and the whole grant have left.")
    if state.closed_out:
        notes.append(f"The year was closed out on {fmt.date(state.closed_out)}.")
    notes.append(f"{len(state.events)} event{'s' if len(state.events) != 1 else ''} of the ledger up to this date.")
    assumed = provenance.assumptions(state.round, (), state.ledger)
    if form == "markdown":
        return "\n".join([f"## {fmt.markdown(title)}", "", _table(rows, headers, form, align), "", _prose(notes, form)]
                         + assumptions_markdown(assumed)) + "\n"
    notes += _assumed_note(assumed, "status")
    return f"{title}\n\n{_table(rows, headers, form, align)}\n\n{_prose(notes, form)}\n"


def _assumed_note(assumed, command: str) -> list[str]:
    """A line saying that the figures rest on values no published report gives, and where they are listed."""
    if not assumed:
        return []
    return [f"{fmt.count(len(assumed), 'value')} that no published report gives {'is' if len(assumed) == 1 else 'are'} "
            f"assumed in the rules file and the ledger, and these figures rest on them (crg {command} --format "
            f"markdown lists them)."]


# --- crg tactical -----------------------------------------------------------------------------------


def bids_doc(result) -> dict[str, Any]:
    """The ``--format json`` document of ``crg tactical``."""
    return {
        "round": round_header(result.state.round),
        "date": result.day.isoformat(),
        "tactical": _pot_doc(result.pot),
        "bids": [
            {"id": bid.proposal.id, "title": bid.proposal.title, "cost": fmt.money_json(bid.proposal.cost),
             "status": bid.status, "reasons": list(bid.reasons()),
             "checks": [{"rule": c.rule, "passed": c.passed, "reason": c.reason, "severity": c.severity}
                        for c in bid.screening.checks]}
            for bid in result.bids
        ],
    }


def bids_json(result) -> str:
    return dumps(bids_doc(result))


def bids_text(result, form: str = "table") -> str:
    """The table (or Markdown section) of ``crg tactical``."""
    rows = [[bid.proposal.id, fmt.money(bid.proposal.cost), bid.status, "; ".join(bid.reasons())]
            for bid in result.bids]
    table = _table(rows, ["id", "cost", "status", "reasons"], form, ("left", "right", "left", "left"))
    title = f"{result.state.round.name}: in-year bids on {fmt.date(result.day)}"
    counts = sum(bid.status == "can be considered" for bid in result.bids)
    foot = (f"{counts} of {len(result.bids)} can be considered. Each bid is judged on its own against "
            f"the money left in the pot.")
    if form == "markdown":
        return "\n".join([f"## {fmt.markdown(title)}", "", fmt.markdown(_pot_words(result.pot)), "", table, "",
                          fmt.markdown(foot)]) + "\n"
    return f"{title}\n\n{_prose([_pot_words(result.pot)], form)}\n\n{table}\n\n{_prose([foot], form)}\n"


# --- crg closeout -----------------------------------------------------------------------------------


def closeout_doc(closeout) -> dict[str, Any]:
    """The ``--format json`` document of ``crg closeout``: totals, and one line per project."""
    c = closeout
    return {
        "round": round_header(c.round),
        "closed_out": c.closed_out.isoformat() if c.closed_out else None,
        "grant": fmt.money_json(c.grant),
        "allocated": fmt.money_json(c.allocated),
        "never_allocated": fmt.money_json(c.never_allocated),
        "paid": fmt.money_json(c.paid),
        "kept_by_opcc": fmt.money_json(c.kept_by_opcc),
        "spent": fmt.money_json(c.spent),
        "carried": fmt.money_json(c.carried),
        "returned": fmt.money_json(c.returned),
        "lines": [
            {"project": line.project, "title": line.title, "pot": line.pot,
             "allocated": fmt.money_json(line.allocated), "spent": fmt.money_json(line.spent),
             "carried": fmt.money_json(line.carried), "returned": fmt.money_json(line.returned),
             "reason": line.reason}
            for line in c.lines
        ],
        "summary": list(c.summary()),
    }


def closeout_json(closeout) -> str:
    return dumps(closeout_doc(closeout))


def closeout_text(closeout, form: str = "table") -> str:
    """The table (or Markdown section) of ``crg closeout``; Markdown also lists what rests on assumptions."""
    c = closeout
    carried = bool(c.carried)
    headers = ["project", "pot", "allocated", "spent"] + (["carried"] if carried else []) + [c.line_word, "reason"]
    rows = [[line.project, line.pot, fmt.money(line.allocated), fmt.money(line.spent)]
            + ([fmt.money(line.carried)] if carried else []) + [fmt.money(line.returned), line.reason]
            for line in c.lines]
    rows.append(["total", "", fmt.money(c.allocated), fmt.money(c.spent)] + ([fmt.money(c.carried)] if carried else [])
                + [fmt.money(c.allocated - c.spent - c.carried), ""])
    align = ("left", "left") + ("right",) * (len(headers) - 3) + ("left",)
    when = f"closed out on {fmt.date(c.closed_out)}" if c.closed_out else \
        "provisional: the ledger records no close-out"
    title = f"{c.round.name}: close-out ({when})"
    body = _table(rows, headers, form, align)
    assumed = provenance.assumptions(c.round, (), c.ledger)
    if form == "markdown":
        return "\n".join([f"## {fmt.markdown(title)}", "", body, "", _prose(c.summary(), form)]
                         + assumptions_markdown(assumed)) + "\n"
    return f"{title}\n\n{body}\n\n{_prose(list(c.summary()) + _assumed_note(assumed, 'closeout'), form)}\n"

