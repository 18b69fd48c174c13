"""Tests of engine.year.bids: in-year bids screened against the tactical pot on a date."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from engine.inputs.proposal import load_proposals
from engine.year.bids import screen_bids

from .conftest import REPO, year

BIDS = REPO / "bids" / "2021-22-example"


def bids_on(day: dt.date, engine: str = "durable"):
    round_, ledger = year("2021-22")
    return {b.proposal.id: b for b in screen_bids(round_, ledger, load_proposals(BIDS), day, engine=engine).bids}


class TestScreenBids:
    """screen_bids"""

    def test_locked(self):
        """While the pot is locked every bid is refused, the reason naming what holds it (after saying that the
        bid, received in February 2022, was not yet received)."""
        bids = bids_on(dt.date(2021, 12, 1))
        assert {b.status for b in bids.values()} == {"refused"}
        assert bids["doorstep-crime-leaflets"].reasons() == (
            "not yet received on 1 December 2021: submitted 7 February 2022",
            "the tactical pot is locked: still waiting for earlier years' projects: Crime prevention education videos "
            "(2020/21), Hate crime publicity material (2020/21), Kent Community Vulnerability Guidance web app "
            "(2019/20); and the OPCC has not opened it",)

    def test_open(self):
        """While it is open, a bid that fits and ends by 31 March can be considered; the others say why not."""
        bids = bids_on(dt.date(2022, 2, 10))
        assert bids["doorstep-crime-leaflets"].status == "can be considered"
        assert bids["county-radio-campaign"].reasons() == (
            "costs £16,000, more than the money left in the tactical pot of £14,614 (rule fits-what-is-left)",)
        assert bids["youth-holiday-diversion"].reasons() == (
            "delivery ends 22 April 2022, after the end of the financial year of 31 March 2022 "
            "(rule deliverable-by-year-end)",)

    def test_closed(self):
        """After the OPCC closed it, every bid is refused, naming the day."""
        bids = bids_on(dt.date(2022, 3, 1))
        assert bids["doorstep-crime-leaflets"].reasons() == (
            "the tactical pot is closed: the OPCC closed it on 25 February 2022",)

    @pytest.mark.parametrize("day", [dt.date(2021, 12, 1), dt.date(2022, 2, 10)])
    def test_engines_agree(self, day):
        """The plain-Python evaluator gives the same verdicts and reasons as durable-rules."""
        durable, python = bids_on(day), bids_on(day, "python")
        assert {k: b.reasons() for k, b in durable.items()} == {k: b.reasons() for k, b in python.items()}

    def test_what_is_left_is_the_pot_on_the_date(self):
        """'tactical.left' takes the pot's value on the date: a bid of exactly what is left fits."""
        round_, ledger = year("2021-22")
        (bid,) = [b for b in load_proposals(BIDS) if b.id == "county-radio-campaign"]
        exact = attrs.evolve(bid, cost=14_614_00)
        result = screen_bids(round_, ledger, [exact], dt.date(2022, 2, 10))
        assert result.bids[0].status == "can be considered"
        assert result.pot.left == 14_614_00

    def test_a_project_of_the_year_is_not_a_new_bid(self):
        """A bid with the id of a tactical bid already approved by the date, or of a project of the year, is
        refused, the reason saying when and for how much it was funded: its money is already out of the pot, so
        it cannot be counted again.  Before the approval the same bid is judged as any other."""
        round_, ledger = year("2024-25")
        (bid,) = [b for b in load_proposals(BIDS) if b.id == "doorstep-crime-leaflets"]
        again = attrs.evolve(bid, id="two-tactical-projects")
        upfront = attrs.evolve(bid, id="asb-case-reviews-training")
        after = {b.proposal.id: b for b in screen_bids(round_, ledger, [again, upfront], dt.date(2024, 10, 1)).bids}
        assert after["two-tactical-projects"].status == "refused"
        assert after["two-tactical-projects"].reasons()[0] == (
            "it is already funded: approved as a tactical bid on 30 September 2024 for £13,227")
        assert after["asb-case-reviews-training"].status == "refused"
        assert after["asb-case-reviews-training"].reasons()[0] == (
            "it is already funded: a project of the year, allocated £6,000 from the upfront pot at the shortlist of "
            "29 April 2024")
        before = screen_bids(round_, ledger, [again], dt.date(2024, 9, 29)).bids[0]
        assert before.funded is None
        assert not any(r.startswith("it is already funded") for r in before.reasons())

    def test_a_withdrawn_project_is_not_funded(self):
        """A project withdrawn by the date holds no money: a bid under its id is judged as any other, not refused
        as already funded."""
        from engine.year.ledger import replay

        round_, ledger = year("2021-22")
        withdrawn = [row.project.id for row in replay(round_, ledger).projects if row.withdrawn is not None]
        assert withdrawn == ["community-safety-conference", "missing-persons-webapp-seminar"]
        (bid,) = [b for b in load_proposals(BIDS) if b.id == "doorstep-crime-leaflets"]
        again = attrs.evolve(bid, id="community-safety-conference")
        kept = attrs.evolve(bid, id="dummy-cctv-cameras")
        after = {b.proposal.id: b for b in screen_bids(round_, ledger, [again, kept], dt.date(2022, 3, 25)).bids}
        assert after["community-safety-conference"].funded is None
        assert after["dummy-cctv-cameras"].funded == (
            "it is already funded: a project of the year, allocated £750 from the upfront pot at the shortlist of "
            "13 July 2021")

    def test_none_after_the_close_out(self):
        """After the close-out the pot is closed: a bid that fits what is left (£100 of the £156) is refused."""
        from .conftest import RULES, ledger_from_text
        from engine.inputs.round import load_round

        round_ = load_round(RULES / "kcsp-2024-25.yaml")
        text = (REPO / "ledgers" / "2024-25.yaml").read_text(encoding="utf-8").replace("2025-03-31", "2025-03-20")
        (bid,) = [b for b in load_proposals(BIDS) if b.id == "doorstep-crime-leaflets"]
        small = attrs.evolve(bid, cost=100_00, delivery=attrs.evolve(bid.delivery, end=dt.date(2025, 3, 30)))
        (screened,) = screen_bids(round_, ledger_from_text(text, round_), [small], dt.date(2025, 3, 25)).bids
        assert screened.status == "refused"
        assert screened.reasons() == ("the tactical pot is closed: the year was closed out on 20 March 2025",)

    def test_a_cost_above_its_allocation_leaves_less_for_bids(self):
        """A tactical award of £1,000 whose cost is revised to £1,250 takes £1,250 from what the pot has left, as
        the ledger counts it: a bid of the £14,300 left before the revision is refused, one of the £14,050 left
        after it can be considered."""
        from .conftest import RULES, ledger_from_text
        from engine.inputs.round import load_round

        round_ = load_round(RULES / "kcsp-2026-27.yaml")
        text = ("round: kcsp-2026-27\nshortlisted: 2026-04-27\nprojects:\n"
                "  - {id: a, title: A, pot: upfront, allocation: '£24,300'}\nevents:\n"
                "  - {date: 2026-05-15, event: business case approved, source: s}\n"
                "  - {date: 2026-05-20, event: moved, amount: '£2,200', from: upfront, to: tactical, source: s}\n"
                "  - {date: 2026-06-01, event: tactical bid approved, project: t, title: T, amount: '£1,000', "
                "source: s}\n"
                "  - {date: 2026-06-05, event: cost revised, project: t, cost: '£1,250', reason: r, source: s}\n")
        (bid,) = [b for b in load_proposals(BIDS) if b.id == "doorstep-crime-leaflets"]
        within = attrs.evolve(bid.delivery, end=dt.date(2027, 3, 1))
        bids = [attrs.evolve(bid, id="before", cost=14_300_00, delivery=within),
                attrs.evolve(bid, id="after", cost=14_050_00, delivery=within)]
        result = screen_bids(round_, ledger_from_text(text, round_), bids, dt.date(2026, 6, 6))
        assert result.pot.left == 14_050_00
        assert {b.proposal.id: b.status for b in result.bids} == {"before": "refused", "after": "can be considered"}

    def test_no_bid_before_it_is_received(self):
        """A bid submitted after the date is not yet a bid: refused, saying when it came; a proposal for the
        upfront pot is no in-year bid either.  Both are refused while the pot is open and they fit."""
        (bid,) = [b for b in load_proposals(BIDS) if b.id == "doorstep-crime-leaflets"]
        round_, ledger = year("2021-22")
        late = attrs.evolve(bid, id="late", submitted=dt.date(2022, 2, 11))
        upfront = attrs.evolve(bid, id="upfront", pot="upfront")
        bids = {b.proposal.id: b for b in screen_bids(round_, ledger, [bid, late, upfront], dt.date(2022, 2, 10)).bids}
        assert bids["doorstep-crime-leaflets"].status == "can be considered"
        assert bids["late"].status == bids["upfront"].status == "refused"
        assert bids["late"].reasons() == ("not yet received on 10 February 2022: submitted 11 February 2022",)
        assert bids["upfront"].reasons() == (
            "a proposal for the upfront pot, not an in-year bid: an in-year bid says 'pot: tactical'",)
        on_the_day = screen_bids(round_, ledger, [late], dt.date(2022, 2, 11)).bids[0]
        assert on_the_day.status == "can be considered"
