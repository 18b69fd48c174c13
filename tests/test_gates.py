"""Tests of engine.year.gates: the tactical pot locked, open or closed on a date, with its reason."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from engine.inputs.round import load_round
from engine.inputs.tactical import Gate, TacticalPot
from engine.decision.conditions import Compare
from engine.year.gates import closing_words, facts, last_open_day, pot_on
from engine.year.ledger import replay

from .conftest import RULES, YEARS, ledger_from_text, year

D = dt.date


def pot(key: str, day: dt.date):
    round_, ledger = year(key)
    return pot_on(replay(round_, ledger, day))


class TestPotOn:
    """pot_on"""

    def test_2021_22_locked_by_earlier_projects(self):
        """At the shortlist the pot is locked, naming the three earlier projects still open."""
        p = pot("2021-22", D(2021, 7, 13))
        assert p.state == "locked"
        assert p.reason == ("locked: still waiting for earlier years' projects: Crime prevention education videos "
                            "(2020/21), Hate crime publicity material (2020/21), Kent Community Vulnerability "
                            "Guidance web app (2019/20); and the OPCC has not opened it")
        assert p.days_left is None and p.left == 13_220_00

    def test_2021_22_opened_by_the_opcc(self):
        """From 31 January 2022 the OPCC's word opens it, with £14,614 and 59 days left."""
        p = pot("2021-22", D(2022, 1, 31))
        assert (p.state, p.reason) == ("open", "open: the OPCC opened it on 31 January 2022")
        assert (p.left, p.last_day, p.days_left) == (14_614_00, D(2022, 3, 31), 59)
        assert closing_words(p) == "it can be used until 31 March 2022 (59 days left)"

    @pytest.mark.parametrize("day", [D(2022, 2, 25), D(2022, 3, 31)])
    def test_2021_22_closed_early(self, day):
        """From 25 February 2022 it is closed, whatever opened it."""
        p = pot("2021-22", day)
        assert (p.state, p.reason) == ("closed", "closed: the OPCC closed it on 25 February 2022")
        assert closing_words(p) == ""

    def test_2024_25_awaiting_approval(self):
        """In 2024/25 it opens once the upfront business cases are approved."""
        assert pot("2024-25", D(2024, 5, 1)).reason.startswith(
            "locked: still waiting for the OPCC to approve the business case of Community safety learning")
        opened = pot("2024-25", D(2024, 7, 17))
        assert (opened.state, opened.reason) == ("open", "open: every upfront business case is approved")
        assert opened.left == 13_383_00

    def test_2025_26_closes_end_of_december(self):
        """In 2025/26 it closes after 31 December 2025, by the rules file's date."""
        open_ = pot("2025-26", D(2025, 12, 31))
        assert open_.state == "open" and open_.days_left == 0
        assert closing_words(open_) == "it can be used until 31 December 2025 (the last day)"
        closed = pot("2025-26", D(2026, 1, 1))
        assert closed.reason == "closed: it is 1 January 2026, after the closing of the tactical pot of 31 December 2025"
        assert not closed.exact and closed.left == 30_40

    # the brief's 2026/27 year: six upfront projects approved on 15 May, the grant paid and £2,200 moved on 20 May
    YEAR_2026_27 = (
        "round: kcsp-2026-27\nshortlisted: 2026-04-27\nprojects:\n"
        "  - {id: a, title: A, pot: upfront, allocation: '£20,000'}\n"
        "  - {id: b, title: B, pot: upfront, allocation: '£4,300'}\n"
        "events:\n"
        "  - {date: BUSINESS_CASE, event: business case approved, source: s}\n"
        "  - {date: 2026-05-20, event: paid, amount: '£39,600', source: s}\n"
        "  - {date: 2026-05-20, event: moved, amount: '£2,200', from: upfront, to: tactical, source: s}\n")

    def year_2026_27(self, more: str = "", business_case: str = "2026-05-15"):
        round_ = load_round(RULES / "kcsp-2026-27.yaml")
        return round_, ledger_from_text(self.YEAR_2026_27.replace("BUSINESS_CASE", business_case) + more, round_)

    def test_closed_by_the_opcc_whatever_the_gates_read(self):
        """The ledger's 'tactical pot closed' closes the pot from its day in a round whose rules file has no
        closing gate (2026/27), naming the day and the event's source."""
        round_, ledger = self.year_2026_27("  - {date: 2026-06-01, event: tactical pot closed, source: OPCC letter}\n")
        assert pot_on(replay(round_, ledger, D(2026, 5, 31))).state == "open"
        p = pot_on(replay(round_, ledger, D(2026, 6, 15)))
        assert (p.state, p.reason, p.source) == ("closed", "closed: the OPCC closed it on 1 June 2026", "OPCC letter")
        assert p.days_left is None and closing_words(p) == "" and p.left == 15_300_00

    def test_2024_25_closed_by_the_opcc(self, spoiled):
        """The same in 2024/25, whose rules file has no closing gate either."""
        round_ = load_round(RULES / "kcsp-2024-25.yaml")
        name, _ = spoiled(YEARS["2024-25"][1], "events:\n",
                          "events:\n  - {date: 2024-10-01, event: tactical pot closed, source: OPCC letter}\n")
        from engine.year.ledger import load_ledger

        p = pot_on(replay(round_, load_ledger(name, round_), D(2024, 10, 2)))
        assert (p.state, p.reason) == ("closed", "closed: the OPCC closed it on 1 October 2024")

    def test_closed_out_closes_it(self):
        """After the close-out nothing may follow: the pot is closed from that day, its source the close-out's."""
        p = pot("2024-25", D(2025, 3, 31))
        assert (p.state, p.reason) == ("closed", "closed: the year was closed out on 31 March 2025")
        assert p.source == "KCSP minutes, 2025 (undated, para 4, £156 returned)" and p.days_left is None
        assert pot("2024-25", D(2025, 3, 30)).state == "open"
        round_ = load_round(RULES / "kcsp-2024-25.yaml")  # the spends and the close-out on 20 March instead
        text = YEARS["2024-25"][1].read_text(encoding="utf-8").replace("2025-03-31", "2025-03-20")
        p = pot_on(replay(round_, ledger_from_text(text, round_), D(2025, 3, 25)))
        assert (p.state, p.reason) == ("closed", "closed: the year was closed out on 20 March 2025")

    def test_opened_by_the_opcc_whatever_the_gates_read(self):
        """The ledger's 'tactical pot opened' opens the pot before its condition holds, in a round whose opening
        gate does not read it (2026/27: once every business case is approved)."""
        round_, ledger = self.year_2026_27("  - {date: 2026-05-21, event: tactical pot opened, source: OPCC email}\n",
                                           business_case="2026-05-25")
        assert pot_on(replay(round_, ledger, D(2026, 5, 20))).state == "locked"
        p = pot_on(replay(round_, ledger, D(2026, 5, 22)))
        assert (p.state, p.reason, p.source) == ("open", "open: the OPCC opened it on 21 May 2026", "OPCC email")
        assert p.days_left == 313
        after = pot_on(replay(round_, ledger, D(2026, 5, 25)))
        assert (after.state, after.reason) == ("open", "open: every upfront business case is approved")

    def test_no_gates(self):
        """A rules file with no tactical_pot section leaves the pot open all year."""
        round_ = load_round(RULES / "kcsp-2026-27.yaml")
        bare = attrs.evolve(round_, tactical_pot=None)
        ledger = ledger_from_text("round: kcsp-2026-27\nshortlisted: 2026-05-01\nprojects:\n  - id: a\n"
                                  "    title: A\n    pot: upfront\n    allocation: £1\n", bare)
        p = pot_on(replay(bare, ledger, D(2026, 4, 2)))
        assert (p.state, p.reason) == ("open", "open: the rules file sets no condition for opening it")
        assert p.source is None


class TestFacts:
    """facts"""

    def test_before_the_shortlist_every_case_awaits(self):
        """Before the shortlist, every upfront project of the ledger awaits approval."""
        round_, ledger = year("2024-25")
        seen = facts(replay(round_, ledger, D(2024, 4, 2)))
        assert len(seen["cases_awaiting_approval"]) == 7
        assert seen["opened_by_opcc"] is None and seen["today"] == D(2024, 4, 2).toordinal()

    def test_earlier_projects_and_dates(self):
        """Earlier projects are named with their year; the OPCC's dates are day numbers."""
        round_, ledger = year("2021-22")
        seen = facts(replay(round_, ledger, D(2022, 3, 1)))
        assert "Hate crime publicity material (2020/21)" in seen["earlier_projects_open"]
        assert seen["closed_by_opcc"] == D(2022, 2, 25).toordinal()


class TestLastOpenDay:
    """last_open_day"""

    @pytest.mark.parametrize("op, expected", [("gt", D(2025, 12, 31)), ("ge", D(2025, 12, 30)),
                                              ("eq", D(2025, 12, 30))])
    def test_from_the_closing_comparison(self, op, expected):
        """'after X' leaves X as the last day; 'on or after X' (or 'is X') the day before X."""
        when = Compare("today", op, D(2025, 12, 31).toordinal())
        assert last_open_day(TacticalPot(closes=Gate("s", "x", when)), D(2026, 3, 31)) == expected

    def test_year_end_without_a_date(self):
        """With no closing date, the last day is the end of the financial year."""
        assert last_open_day(None, D(2026, 3, 31)) == D(2026, 3, 31)
