"""``crg status``: each pot's money on a date, what blocks the tactical pot, and who holds the money."""

from __future__ import annotations

import datetime as dt

import attrs

from ..inputs.round import Round
from .gates import PotState, pot_on
from .ledger import POTS, Ledger, YearState, replay

__all__ = ["PotLine", "Status", "status_on"]


@attrs.frozen
class PotLine:
    """One pot's money on the date.  ``size = allocated + over + left`` and
    ``allocated = spent + carried + committed + freed``."""

    pot: str  # upfront | tactical | not reported | grant
    size: int | None  # None for the projects whose pot is not reported
    allocated: int
    spent: int
    carried: int
    committed: int  # still to be paid out on projects going ahead
    freed: int  # allocated but no longer needed (withdrawn, cheaper); below zero when dearer
    left: int | None  # neither allocated nor needed for a cost above an allocation; None when it cannot be known
    exact: bool = True  # whether *left* is exact, rather than an upper bound
    over: int = 0  # cost above allocations that the pot's freed money does not meet, so taken from what it has left


@attrs.frozen
class Status:
    """The year on one date."""

    state: YearState
    tactical: PotState
    lines: tuple[PotLine, ...]

    @property
    def day(self) -> dt.date:
        return self.state.day

    @property
    def paid(self) -> int:
        """Money of the grant paid to the partnership by the date."""
        return self.state.paid

    @property
    def held(self) -> int:
        """Money of the grant still held by the PCC's office."""
        return self.state.round.grant - self.state.paid


def _line(state: YearState, pot: str | None, label: str, size: int | None) -> PotLine:
    key = "all" if label == "grant" else pot
    left = state.left(key) if size is not None else None
    return PotLine(label, size, state.allocated(key), state.spent(key), state.carried(key), state.committed(key),
                   state.freed(key), left, exact=label == "grant" or not state.unreported, over=state.over(key))


def status_on(round_: Round, ledger: Ledger, day: dt.date) -> Status:
    """Each pot's money, the tactical pot's state and the money held and paid, at the end of *day*."""
    state = replay(round_, ledger, day)
    lines = [_line(state, pot, pot, state.size(pot)) for pot in POTS]
    if state.unreported:
        lines.append(_line(state, None, "not reported", None))
    lines.append(_line(state, None, "grant", round_.grant))
    return Status(state, pot_on(state), tuple(lines))
