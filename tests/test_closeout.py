"""Tests of engine.year.closeout: the year-end statement, replayed from the shipped ledgers to the penny."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, strategies as st

from engine.year.closeout import close_out
from engine.year.ledger import replay

from engine.inputs.round import load_round

from . import strategies as S
from .conftest import RULES, ledger_from_text, year

R2627 = load_round(RULES / "kcsp-2026-27.yaml")


def from_text(text: str):
    return ledger_from_text(text, R2627)


def lines_of(closeout) -> dict:
    return {line.project: line for line in closeout.lines}


class TestCloseOut:
    """close_out"""

    def test_2021_22(self):
        """2021/22: £25,047 allocated, £23,591.60 spent, £1,455.40 returned; the tactical pot never paid over."""
        c = close_out(*year("2021-22"))
        assert (c.allocated, c.spent, c.returned) == (25_047_00, 23_591_60, 1_455_40)
        lines = lines_of(c)
        assert (lines["mental-health-crisis-cards"].allocated, lines["mental-health-crisis-cards"].spent) == \
            (582_00, 831_60)
        assert lines["mental-health-crisis-cards"].returned == -249_60
        assert (lines["nvr-foundation-training"].spent, lines["nvr-foundation-training"].returned) == (395_00, 105_00)
        for withdrawn in ("community-safety-conference", "missing-persons-webapp-seminar"):
            assert lines[withdrawn].spent == 0 and lines[withdrawn].returned == lines[withdrawn].allocated
        assert (lines["community-safety-conference"].allocated, lines["missing-persons-webapp-seminar"].allocated) \
            == (1_200_00, 400_00)
        assert c.never_allocated == 14_614_00 == c.kept_by_opcc
        assert c.closed_out.isoformat() == "2022-03-31"

    def test_2021_22_tactical_pot(self):
        """The 2021/22 tactical pot held £14,614 with the £1,394 added, opened end of January, closed 25 February."""
        round_, ledger = year("2021-22")
        state = replay(round_, ledger)
        assert state.size("tactical") == 13_220_00 + 1_394_00 == 14_614_00
        assert state.opened_by_opcc.isoformat() == "2022-01-31"
        assert state.closed_by_opcc.isoformat() == "2022-02-25"
        assert state.of("tactical") == ()

    def test_2024_25(self):
        """2024/25: the seven and the two tactical projects (one line) for £39,505; £156 returned."""
        c = close_out(*year("2024-25"))
        assert c.allocated == c.spent == 39_505_00
        assert c.returned == 156_00 == c.never_allocated
        assert len(c.lines) == 8
        upfront = [line for line in c.lines if line.pot == "upfront"]
        assert len(upfront) == 7 and sum(line.allocated for line in upfront) == 26_278_00
        assert lines_of(c)["two-tactical-projects"].allocated == 13_227_00

    def test_2025_26(self):
        """2025/26: ten projects for £39,630.60 of £39,661, £30.40 never allocated, £696 under; £726.40 returned."""
        c = close_out(*year("2025-26"))
        assert len(c.lines) == 10 and c.allocated == 39_630_60
        assert c.never_allocated == 30_40
        lines = lines_of(c)
        assert (lines["licensing-act-training"].allocated, lines["licensing-act-training"].returned) == (5_000_00, 696_00)
        assert sum(line.returned for line in c.lines) == 696_00
        assert c.returned == 726_40
        assert {line.pot for line in c.lines} == {"not reported"}

    def test_reasons(self):
        """Each line says why: revised cost, withdrawal with its reason, overspend met from underspends."""
        lines = lines_of(close_out(*year("2021-22")))
        assert lines["dummy-cctv-cameras"].reason == "spent in full"
        assert lines["mental-health-crisis-cards"].reason == (
            "cost revised to £831.60 on 24 March 2022; £249.60 over its allocation, met from the round's underspends")
        assert lines["community-safety-conference"].reason == (
            "withdrawn on 24 March 2022 (no clear and suitable topic was agreed); £1,200 returned")
        assert lines["nvr-foundation-training"].reason.endswith("from another provider); £105 returned")

    def test_summary(self):
        """The totals read as sentences, naming what the OPCC kept and what is returned."""
        assert close_out(*year("2021-22")).summary() == (
            "Allocated £25,047 of the £39,661 grant; £14,614 never allocated.",
            "The OPCC paid £25,047 to the partnership and kept £14,614, which was never paid over and so is not "
            "part of the refund.",
            "Spent £23,591.60. Returned to the OPCC: £1,455.40 (£1,705 of underspends, less £249.60 of overspends).",
        )
        assert close_out(*year("2025-26")).summary()[-1] == (
            "Spent £38,934.60. Returned to the OPCC: £726.40 (£696 of underspends, plus £30.40 paid over but never "
            "allocated).")

    def test_allocations_never_paid_over_are_unspent_not_returned(self):
        """Where the OPCC paid over less than was allocated, a line's money left is 'unspent', not 'returned' (the
        ledger does not say whose allocation was never paid over); where it paid them all, it is 'returned'."""
        text = ("round: kcsp-2026-27\nshortlisted: 2026-05-01\nprojects:\n"
                "  - {id: a, title: A, pot: upfront, allocation: '£1,000'}\n"
                "  - {id: b, title: B, pot: upfront, allocation: £500}\n"
                "events:\n  - {date: 2026-05-10, event: paid, amount: 'PAID', source: s}\n")
        short = close_out(R2627, from_text(text.replace("PAID", "£1,000")))
        assert short.line_word == "unspent" and short.table()[0][6] == "unspent"
        assert [line.reason for line in short.lines] == ["no spend recorded; £1,000 unspent",
                                                         "no spend recorded; £500 unspent"]
        assert short.returned == 1_000_00
        paid = close_out(R2627, from_text(text.replace("PAID", "£1,500")))
        assert paid.line_word == "returned" and paid.table()[0][6] == "returned"
        assert [line.reason for line in paid.lines] == ["no spend recorded; £1,000 returned",
                                                        "no spend recorded; £500 returned"]

    def test_provisional_without_close_out(self):
        """A ledger with no close-out gives a statement marked provisional (closed_out is None)."""
        text = ("round: kcsp-2026-27\nshortlisted: 2026-05-01\nprojects:\n  - id: a\n    title: A\n"
                "    pot: upfront\n    allocation: £100\n")
        c = close_out(R2627, from_text(text))
        assert c.closed_out is None and c.returned == 0 and c.kept_by_opcc == R2627.grant

    @given(S.ledger_years())
    def test_money_conserved(self, drawn):
        """Under random valid years, money is conserved on every line and for the round, to the penny."""
        text, expected = drawn
        c = close_out(R2627, from_text(text))
        for line in c.lines:
            assert line.allocated == line.spent + line.carried + line.returned
            want = expected["projects"][line.project]
            assert (line.allocated, line.spent, line.carried) == (want["allocation"], want["spent"], want["carried"])
        assert {line.project for line in c.lines} == set(expected["projects"])
        assert c.grant == c.allocated + c.never_allocated
        assert c.grant == c.spent + c.carried + c.returned + c.kept_by_opcc
        assert c.paid == expected["paid"]
        assert c.returned == sum(line.returned for line in c.lines) + c.unallocated_returned
        assert c.returned >= 0

    @given(S.ledger_years(), st.data())
    def test_event_order_never_changes_it(self, drawn, data):
        """The same events in any order give the same close-out."""
        text, _ = drawn
        order = data.draw(st.permutations(range(text.count("  - date:"))))
        assert close_out(R2627, from_text(text)) == close_out(R2627, from_text(S.shuffled_events(text, order)))


class TestTable:
    """Closeout.table"""

    def test_rows_for_a_sheet(self):
        """One row per project, a total, what was never allocated and the total returned, money as Decimal."""
        headers, rows = close_out(*year("2021-22")).table()
        assert headers == ("project", "title", "pot", "allocated", "spent", "carried", "returned", "reason")
        assert len(rows) == 9 + 3
        assert rows[2][:7] == ("mental-health-crisis-cards", "Mental health crisis support cards", "upfront",
                               Decimal("582.00"), Decimal("831.60"), Decimal("0.00"), Decimal("-249.60"))
        assert rows[9][0] == "total" and rows[9][6] == Decimal("1455.40")
        assert rows[10][0] == "never allocated" and rows[10][3] == Decimal("14614.00")
        assert rows[11][0] == "returned to the OPCC" and rows[11][6] == Decimal("1455.40")
        assert all(isinstance(cell, (str, Decimal, type(None))) for row in rows for cell in row)
