"""Tests of engine.inputs.lint: warnings about proposals read against their round, each triggered and not."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from engine.inputs.lint import proposal_warnings
from engine.inputs.proposal import Delivery, Proposal
from engine.inputs.round import load_round

from .conftest import RULES

R2627 = load_round(RULES / "kcsp-2026-27.yaml")  # 1 April 2026 to 31 March 2027, proposals due 8 April 2026


def proposal(pid="p", **changes) -> Proposal:
    base = Proposal(
        id=pid, title="T", lead_agency="KCC", submitted=dt.date(2026, 4, 1), pot="upfront", cost=500000,
        pcc_priorities=("protecting-people",), csa_priorities=("vawg",),
        delivery=Delivery(dt.date(2026, 5, 1), dt.date(2027, 2, 28)), summary="s", file=f"props/{pid}.yaml",
        places={"submitted": (5, 12), "notes": (30, 8), "csa_priorities": (9, 17), "illustrative": (31, 15),
                "delivery.start": (12, 10), "delivery.end": (13, 8)},
    )
    return attrs.evolve(base, **changes)


def warned(*proposals, round_=R2627) -> list[str]:
    return [str(w) for w in proposal_warnings(round_, proposals)]


class TestDates:
    def test_submitted_a_year_before_the_deadline(self):
        """A proposal received more than a year before the closing date (a copied file) is warned of, at its line."""
        (w,) = warned(proposal(submitted=dt.date(2025, 4, 7)))
        assert w.startswith("props/p.yaml:5:12: submitted: received 7 April 2025, more than a year before "
                            "the closing date of 8 April 2026")

    def test_submitted_within_a_year(self):
        """A proposal received up to a year before the closing date is not warned of."""
        assert warned(proposal(submitted=dt.date(2025, 4, 8))) == []

    def test_submitted_after_the_year(self):
        """A proposal received after the financial year ended is warned of."""
        (w,) = warned(proposal(submitted=dt.date(2027, 4, 1)))
        assert "after the financial year 2026/27 ended (31 March 2027)" in w

    def test_delivery_far_outside_the_year(self):
        """Delivery starting more than a year before the year, or ending more than a year after it, is warned of."""
        early = proposal(delivery=Delivery(dt.date(2025, 3, 1), dt.date(2026, 6, 1)))
        late = proposal(delivery=Delivery(dt.date(2026, 5, 1), dt.date(2028, 4, 1)))
        assert [w.split(": ")[1] for w in warned(early)] == ["delivery.start"]
        assert [w.split(": ")[1] for w in warned(late)] == ["delivery.end"]

    def test_delivery_near_the_year(self):
        """Delivery a little outside the year is for the rules to judge, not a warning."""
        assert warned(proposal(delivery=Delivery(dt.date(2026, 3, 16), dt.date(2027, 4, 30)))) == []


class TestIllustrative:
    def test_example_among_real_proposals(self):
        """A made-up example in a folder of real proposals is warned of."""
        (w,) = warned(proposal("a"), proposal("b", illustrative=True))
        assert w.startswith("props/b.yaml:31:15: illustrative: marked as a made-up example")

    def test_folder_of_examples(self):
        """A folder in which every proposal is an example is an example round: no warning."""
        assert warned(proposal("a", illustrative=True), proposal("b", illustrative=True)) == []


class TestNotes:
    def test_notes_about_another_round(self):
        """Notes that speak of another year's round (a copied file) are warned of."""
        (w,) = warned(proposal(notes="Illustrative example for the 2025/26 round."))
        assert "the notes speak of 2025/26, not this round's 2026/27" in w

    @pytest.mark.parametrize("notes", ["Example for the 2026/27 round.", "The app (a 2019/20 project) was delayed.",
                                       "Lists only 'asb', a 2021/22 CSA id."])
    def test_notes_about_this_round_or_the_past(self, notes):
        """Notes about this round, or that mention an earlier project or id, are not warned of."""
        assert warned(proposal(notes=notes)) == []


class TestPriorities:
    def test_unknown_id(self):
        """A priority id the round does not list is warned of, at its line, with the near id."""
        (w,) = warned(proposal(csa_priorities=("vawg", "domestic-abuses")))
        assert w.startswith("props/p.yaml:9:17: csa_priorities: 'domestic-abuses' is not an id of this round "
                            "(did you mean 'domestic-abuse'?)")

    def test_known_ids(self):
        """Ids the round lists are not warned of."""
        assert warned(proposal(cross_cutting=("early-intervention",))) == []


class TestFileName:
    @pytest.mark.parametrize("file", ["props/p.yaml", "props/p.YAML", "p.yml", ""])
    def test_named_after_its_id(self, file):
        """A file named after its id (whatever its suffix), or a proposal from no file, is not warned of."""
        assert warned(proposal(file=file)) == []

    def test_named_otherwise(self):
        """A file not named after its id is warned of at the id, with both names."""
        (w,) = warned(proposal(file="props/alpha.yaml", places={"id": (1, 5)}))
        assert w == ("props/alpha.yaml:1:5: id: the file is named alpha.yaml but the proposal's id is 'p'; rename "
                     "the file to p.yaml, or correct the id")


class TestOrder:
    def test_by_file_and_line(self):
        """Warnings come in order of file, then line."""
        found = warned(proposal("b", notes="for the 2025/26 round", submitted=dt.date(2020, 1, 1)),
                       proposal("a", csa_priorities=("x",)))
        assert [w.split(":")[:2] for w in found] == [["props/a.yaml", "9"], ["props/b.yaml", "5"],
                                                      ["props/b.yaml", "30"]]
