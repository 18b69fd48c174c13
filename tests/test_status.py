"""Tests of engine.year.status: each pot's money on a date, and who holds the grant."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, strategies as st

from engine.inputs.round import load_round
from engine.year.status import status_on

from . import strategies as S
from .conftest import RULES, ledger_from_text, year

R2627 = load_round(RULES / "kcsp-2026-27.yaml")


def lines(status) -> dict:
    return {line.pot: line for line in status.lines}


class TestStatusOn:
    """status_on"""

    def test_2021_22_at_the_shortlist(self):
        """At the shortlist: £25,047 allocated of £26,441, £1,394 left, nothing paid, the OPCC holds the grant."""
        s = status_on(*year("2021-22"), dt.date(2021, 7, 13))
        upfront = lines(s)["upfront"]
        assert (upfront.size, upfront.allocated, upfront.committed, upfront.left) == \
            (26_441_00, 25_047_00, 25_047_00, 1_394_00)
        assert (s.paid, s.held) == (0, 39_661_00)
        assert s.tactical.state == "locked"

    def test_2021_22_at_the_year_end(self):
        """At the year's end: £23,591.60 spent, £1,455.40 freed, £14,614 held by the OPCC."""
        s = status_on(*year("2021-22"), dt.date(2022, 3, 31))
        grant = lines(s)["grant"]
        assert (grant.spent, grant.committed, grant.freed, grant.left) == (23_591_60, 0, 1_455_40, 14_614_00)
        assert (s.paid, s.held) == (25_047_00, 14_614_00)
        assert s.state.closed_out == dt.date(2022, 3, 31)

    def test_unreported_pots(self):
        """2025/26 has a line for projects whose pot is not reported; each pot's money left is a bound."""
        s = status_on(*year("2025-26"), dt.date(2025, 9, 1))
        by = lines(s)
        assert list(by) == ["upfront", "tactical", "not reported", "grant"]
        assert by["not reported"].size is None and by["not reported"].left is None
        assert by["not reported"].allocated == 39_630_60
        assert not by["tactical"].exact and by["tactical"].left == 30_40
        assert by["grant"].exact and by["grant"].left == 30_40

    @given(S.ledger_years(), st.integers(0, 364))
    def test_each_line_adds_up(self, drawn, offset):
        """On any date of a random year: size = allocated + over + left, allocated = spent + carried + committed +
        freed, and a pot's cost above its allocations is what its freed money does not meet."""
        text, _ = drawn
        s = status_on(R2627, ledger_from_text(text, R2627), R2627.year_start + dt.timedelta(days=offset))
        for line in s.lines:
            assert line.allocated == line.spent + line.carried + line.committed + line.freed
            if line.exact and line.size is not None:
                assert line.size == line.allocated + line.over + line.left
            if line.pot in ("upfront", "tactical"):
                assert line.over == max(0, -line.freed)
        assert s.paid + s.held == R2627.grant
