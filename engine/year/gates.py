"""The tactical pot on a date: locked, open or closed, and why, read from the rules file's gates.

A gate (``tactical_pot.opens`` or ``.closes`` of the rules file) is a
condition of the rule language over the state of the year on the date
(:data:`~engine.decision.conditions.STATE_FIELDS`): :func:`facts` builds that
state from the replayed ledger, the way :func:`~engine.decision.conditions.view`
builds a proposal's, so the gates are evaluated and explained by the same code
as every rule.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from .. import fmt
from ..decision import conditions
from ..decision.conditions import Compare
from ..inputs.tactical import TacticalPot
from .ledger import Event, YearState

__all__ = ["PotState", "closing_words", "facts", "last_open_day", "pot_on"]


@attrs.frozen
class PotState:
    """The tactical pot on a date."""

    state: str  # locked | open | closed
    reason: str  # why, with the year's own facts
    source: str | None  # the report the deciding gate comes from
    last_day: dt.date  # the last day it can be used, as the rules file schedules it
    days_left: int | None  # days from the date to the last day, while it is open
    left: int  # pence not allocated in the pot (a bound when some pots are not reported)
    exact: bool  # whether *left* is exact

    @property
    def is_open(self) -> bool:
        return self.state == "open"


def facts(state: YearState) -> dict[str, Any]:
    """The state of the year on its date, as a gate's conditions see it."""
    awaiting = frozenset(
        p.title for p in state.ledger.projects
        if p.pot != "tactical" and not (state.shortlisted and _approved_or_gone(state, p.id))
    )
    return {
        "today": state.day.toordinal(),
        "earlier_projects_open": frozenset(state.earlier_open),
        "cases_awaiting_approval": awaiting,
        "opened_by_opcc": state.opened_by_opcc.toordinal() if state.opened_by_opcc else None,
        "closed_by_opcc": state.closed_by_opcc.toordinal() if state.closed_by_opcc else None,
    }


def _approved_or_gone(state: YearState, project_id: str) -> bool:
    row = state.project(project_id)
    return row.approved or row.withdrawn is not None


def last_open_day(pot: TacticalPot | None, year_end: dt.date) -> dt.date:
    """The last day the pot can be used by its schedule: the date its ``closes`` gate compares ``today`` with."""
    days = [year_end]
    if pot is not None and pot.closes is not None:
        for leaf in conditions.leaves(pot.closes.when):
            if isinstance(leaf, Compare) and leaf.field == "today" and leaf.op in ("gt", "ge", "eq"):
                day = dt.date.fromordinal(leaf.value)
                days.append(day if leaf.op == "gt" else day - dt.timedelta(days=1))
    return min(days)


def _event(state: YearState, kind: str) -> Event | None:
    """The ledger's event of *kind* up to the state's date (each is recorded at most once)."""
    return next((e for e in state.events if e.kind == kind), None)


def pot_on(state: YearState) -> PotState:
    """Whether the tactical pot is locked, open or closed on the state's date, with the reason.

    The rules file's gates decide, except where the ledger records the OPCC's
    word or the year's end, which hold in every round whatever the gates read:
    the OPCC closing the pot, or the close-out, closes it; the OPCC opening it
    opens it while its condition does not yet hold.
    """
    pot = state.round.tactical_pot or TacticalPot()
    seen = facts(state)
    last = last_open_day(pot, state.round.year_end)
    money = dict(left=state.left("tactical"), exact=not state.unreported)
    if pot.closes is not None and conditions.evaluate(pot.closes.when, seen):
        return PotState("closed", f"closed: {conditions.explain(pot.closes.when, seen)}", pot.closes.source,
                        last, None, **money)
    for kind, words in (("tactical pot closed", "the OPCC closed it on"), ("closed out", "the year was closed out on")):
        event = _event(state, kind)
        if event is not None:
            return PotState("closed", f"closed: {words} {fmt.date(event.date)}", event.source, last, None, **money)
    if pot.opens is not None and not conditions.evaluate(pot.opens.when, seen):
        opened = _event(state, "tactical pot opened")
        if opened is None:
            return PotState("locked", f"locked: {conditions.explain(pot.opens.when, seen)}", pot.opens.source,
                            last, None, **money)
        why, source = f"open: the OPCC opened it on {fmt.date(opened.date)}", opened.source
    elif pot.opens is None:
        why, source = "open: the rules file sets no condition for opening it", None
    else:
        why, source = f"open: {conditions.explain(pot.opens.when, seen)}", pot.opens.source
    return PotState("open", why, source, last, (last - state.day).days, **money)


def closing_words(pot: PotState) -> str:
    """``it can be used until 31 March 2022 (34 days)``, for an open pot."""
    if not pot.is_open:
        return ""
    days = "the last day" if pot.days_left == 0 else f"{pot.days_left} day{'s' if pot.days_left != 1 else ''} left"
    return f"it can be used until {fmt.date(pot.last_day)} ({days})"
