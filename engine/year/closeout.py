"""``crg closeout``: the year-end statement, every project's money and the total returned to the PCC's office.

Money is conserved to the penny, by construction and checked by tests:

- on every line, ``allocated = spent + carried + returned`` (``returned`` is
  below zero for a project that cost more than its allocation, met from the
  round's other underspends);
- for the round, ``grant = allocated + never allocated`` and
  ``grant = spent + carried + returned + kept by the OPCC``, where what the
  OPCC kept is the part of the grant it never paid over (a tactical pot never
  drawn, say), and ``returned = paid - spent - carried``.

:meth:`Closeout.table` gives the statement as plain rows (money as exact
``Decimal`` pounds), ready for a sheet of a workbook.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from .. import fmt
from ..inputs.round import Round
from .ledger import Ledger, ProjectState, replay

__all__ = ["Closeout", "Line", "close_out"]


@attrs.frozen
class Line:
    """One project at the year's end."""

    project: str
    title: str
    pot: str  # upfront | tactical | not reported
    allocated: int
    spent: int
    carried: int
    returned: int  # allocated - spent - carried: below zero for an overspend
    reason: str


@attrs.frozen
class Closeout:
    """The year-end statement of a round."""

    round: Round
    closed_out: dt.date | None  # None: no close-out recorded, so the statement is provisional
    grant: int
    paid: int  # paid to the partnership by the OPCC
    lines: tuple[Line, ...]
    ledger: Ledger | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def allocated(self) -> int:
        return sum(line.allocated for line in self.lines)

    @property
    def spent(self) -> int:
        return sum(line.spent for line in self.lines)

    @property
    def carried(self) -> int:
        return sum(line.carried for line in self.lines)

    @property
    def never_allocated(self) -> int:
        return self.grant - self.allocated

    @property
    def kept_by_opcc(self) -> int:
        """The part of the grant never paid to the partnership: the OPCC keeps it, so it is not refunded."""
        return self.grant - self.paid

    @property
    def returned(self) -> int:
        """What the partnership returns to the OPCC: what it was paid and did not spend or carry."""
        return self.paid - self.spent - self.carried

    @property
    def underspent(self) -> int:
        return sum(line.returned for line in self.lines if line.returned > 0)

    @property
    def overspent(self) -> int:
        return -sum(line.returned for line in self.lines if line.returned < 0)

    @property
    def line_word(self) -> str:
        """What a line's money left over is called (:func:`_left_word`)."""
        return _left_word(self.paid, self.allocated)

    @property
    def unallocated_returned(self) -> int:
        """Money paid over but never allocated (below zero: allocations never paid over)."""
        return self.paid - self.allocated

    def summary(self) -> tuple[str, ...]:
        """The statement's totals in sentences, each with its figures."""
        m = fmt.money_short
        out = [f"Allocated {m(self.allocated)} of the {m(self.grant)} grant; {m(self.never_allocated)} never allocated."]
        if self.kept_by_opcc:
            out.append(f"The OPCC paid {m(self.paid)} to the partnership and kept {m(self.kept_by_opcc)}, "
                       f"which was never paid over and so is not part of the refund.")
        else:
            out.append(f"The OPCC paid the whole grant, {m(self.paid)}, to the partnership.")
        parts = []
        if self.underspent:
            parts.append(f"{m(self.underspent)} of underspends")
        if self.overspent:
            parts.append(f"less {m(self.overspent)} of overspends")
        if self.unallocated_returned > 0:
            parts.append(f"{'plus ' if parts else ''}{m(self.unallocated_returned)} paid over but never allocated")
        elif self.unallocated_returned < 0:
            parts.append(f"less {m(-self.unallocated_returned)} of allocations never paid over")
        carried = f" and carried {m(self.carried)} into the next year" if self.carried else ""
        why = f" ({', '.join(parts)})" if parts else ""
        out.append(f"Spent {m(self.spent)}{carried}. Returned to the OPCC: {m(self.returned)}{why}.")
        return tuple(out)

    def table(self) -> tuple[tuple[str, ...], tuple[tuple, ...]]:
        """The statement as a header and rows of plain values (money as ``Decimal`` pounds), for a spreadsheet.

        One row per project, then a total row, then the money never allocated
        and the total returned.
        """
        headers = ("project", "title", "pot", "allocated", "spent", "carried", self.line_word, "reason")
        rows = [(line.project, line.title, line.pot, pounds(line.allocated), pounds(line.spent),
                 pounds(line.carried), pounds(line.returned), line.reason) for line in self.lines]
        rows.append(("total", "", "", pounds(self.allocated), pounds(self.spent), pounds(self.carried),
                     pounds(self.allocated - self.spent - self.carried), ""))
        rows.append(("never allocated", "", "", pounds(self.never_allocated), None, None,
                     pounds(self.unallocated_returned if self.unallocated_returned > 0 else 0), ""))
        rows.append(("returned to the OPCC", "", "", None, None, None, pounds(self.returned),
                     " ".join(self.summary())))
        return headers, tuple(rows)


def pounds(pence: int) -> Decimal:
    """Exact pounds, for a spreadsheet cell."""
    return Decimal(pence).scaleb(-2)


def _left_word(paid: int, allocated: int) -> str:
    """What a line's money left over is called: ``returned`` where every allocation was paid over (each project's
    underspend is then part of the refund), else ``unspent`` (the OPCC kept some allocations, and the ledger does
    not say whose)."""
    return "returned" if paid >= allocated else "unspent"


def _reason(row: ProjectState, word: str = "returned") -> str:
    m = fmt.money_short
    p = row.project
    returned = p.allocation - row.spent - row.carried
    said = []
    if row.bid is not None:
        said.append(f"tactical bid approved on {fmt.date(row.bid.date)}")
    if row.withdrawn is not None:
        said.append(f"withdrawn on {fmt.date(row.withdrawn.date)} ({row.withdrawn.reason})")
    elif row.revised is not None:
        because = f" ({row.revised.reason})" if row.revised.reason else ""
        said.append(f"cost revised to {m(row.revised.amount)} on {fmt.date(row.revised.date)}{because}")
    if row.carried:
        said.append(f"{m(row.carried)} carried into the next year")
    if returned > 0:
        if row.spent == 0 and row.withdrawn is None and not row.carried:
            said.append("no spend recorded")
        said.append(f"{m(returned)} {word}")
    elif returned < 0:
        said.append(f"{m(-returned)} over its allocation, met from the round's underspends")
    elif not row.carried:
        said.append("spent in full")
    return "; ".join(said)


def close_out(round_: Round, ledger: Ledger) -> Closeout:
    """The year-end statement of *ledger*: its state at the end of the financial year, line by line."""
    state = replay(round_, ledger)
    word = _left_word(state.paid, sum(row.project.allocation for row in state.projects))
    lines = tuple(
        Line(row.project.id, row.project.title, row.project.pot or "not reported", row.project.allocation,
             row.spent, row.carried, row.project.allocation - row.spent - row.carried, _reason(row, word))
        for row in state.projects
    )
    return Closeout(round_, state.closed_out, round_.grant, state.paid, lines, ledger)
