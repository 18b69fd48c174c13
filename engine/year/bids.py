"""``crg tactical``: in-year bids screened against the tactical pot as it stands on a date.

A bid is a proposal file (``pot: tactical``).  It can be considered only when
it was received by the date (``submitted``), the pot is open on the date and
it meets every ``reject`` rule of the rules file's ``tactical_pot.rules``; the figures those rules name from the year
(``tactical.left``) take their values on the date.  Each bid is judged on its
own against the pot: two bids that each fit may not fit together.
"""

from __future__ import annotations

import datetime as dt

import attrs

from .. import fmt
from ..decision import conditions
from ..decision.screen import Screening, screen
from ..inputs.proposal import Proposal
from ..inputs.round import Round
from ..inputs.tactical import TacticalPot
from .gates import PotState, pot_on
from .ledger import Ledger, ProjectState, YearState, replay

__all__ = ["Bid", "BidScreening", "screen_bids"]


@attrs.frozen
class Bid:
    """One in-year bid on the date: whether it can be considered, and every reason."""

    screening: Screening
    pot: PotState
    funded: str | None = None  # why it is already a project of the year, if it is: it cannot be funded twice
    not_a_bid: tuple[str, ...] = ()  # why it is no in-year bid on the date: not yet received, or for the upfront pot

    @property
    def proposal(self) -> Proposal:
        return self.screening.proposal

    @property
    def status(self) -> str:
        return ("can be considered" if not self.not_a_bid and self.funded is None and self.pot.is_open
                and self.screening.eligible else "refused")

    def reasons(self) -> tuple[str, ...]:
        """Why it is refused (no bid on the date, already funded, the pot, then each rule it fails), or why it can
        be considered."""
        out = list(self.not_a_bid) + ([] if self.funded is None else [self.funded])
        out += [] if self.pot.is_open else [f"the tactical pot is {self.pot.reason}"]
        out += [f"{c.reason} (rule {c.rule})" for c in self.screening.rejections]
        if not out:
            out.append(f"the tactical pot is {self.pot.reason}; it meets every rule for in-year bids")
        out += [f"concern: {c.reason} (rule {c.rule})" for c in self.screening.concerns]
        return tuple(out)


@attrs.frozen
class BidScreening:
    """Every bid on one date, with the pot they were judged against."""

    state: YearState
    pot: PotState
    bids: tuple[Bid, ...]

    @property
    def day(self) -> dt.date:
        return self.state.day


def screen_bids(round_: Round, ledger: Ledger, bids, day: dt.date, *, engine: str = "durable") -> BidScreening:
    """Screen each of *bids* against the tactical pot at the end of *day*, in order of id."""
    state = replay(round_, ledger, day)
    pot = pot_on(state)
    rules = (round_.tactical_pot or TacticalPot()).rules
    figures = {"tactical.left": pot.left}
    bound = tuple(attrs.evolve(rule, check=conditions.bind(rule.check, figures),
                               when=conditions.bind(rule.when, figures) if rule.when is not None else None)
                  for rule in rules)
    screened = screen(attrs.evolve(round_, rules=bound), bids, engine=engine)
    # a project of the year is not a new bid; a withdrawn one holds no money (what it freed is not added to what the
    # pot has left: it is returned at the year's end), so a bid under its id is judged as any other
    funded = {row.project.id: _funded(row, state.ledger.shortlisted) for row in state.projects
              if row.withdrawn is None}
    return BidScreening(state, pot, tuple(Bid(s, pot, funded.get(s.proposal.id), _not_a_bid(s.proposal, day))
                                          for s in screened))


def _not_a_bid(proposal: Proposal, day: dt.date) -> tuple[str, ...]:
    """Why *proposal* is no in-year bid on *day*: received after it, or asking for the upfront pot."""
    out = []
    if proposal.submitted > day:
        out.append(f"not yet received on {fmt.date(day)}: submitted {fmt.date(proposal.submitted)}")
    if proposal.pot != "tactical":
        out.append(f"a proposal for the {proposal.pot} pot, not an in-year bid: an in-year bid says 'pot: tactical'")
    return tuple(out)


def _funded(row: ProjectState, shortlisted: dt.date) -> str:
    """Why a bid with the id of the project of *row* is not a new bid: the money for it is already allocated
    (and taken from what is left in the pot), when and how much."""
    if row.bid is not None:
        return (f"it is already funded: approved as a tactical bid on {fmt.date(row.bid.date)} for "
                f"{fmt.money_short(row.bid.amount)}")
    return (f"it is already funded: a project of the year, allocated {fmt.money_short(row.project.allocation)}"
            + (f" from the {row.project.pot} pot" if row.project.pot else "")
            + f" at the shortlist of {fmt.date(shortlisted)}")
