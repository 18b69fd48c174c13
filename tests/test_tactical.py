"""Tests of engine.inputs.tactical: the tactical_pot section of a rules file, read into gates and bid rules."""

from __future__ import annotations

import datetime as dt

import pytest

from engine.decision.conditions import Any_, Compare, Given, Later
from engine.errors import InputError
from engine.inputs.round import load_round

from .conftest import RULES, location

R2122 = RULES / "kcsp-2021-22.yaml"
R2526 = RULES / "kcsp-2025-26.yaml"


def error_of(name: str) -> str:
    with pytest.raises(InputError) as err:
        load_round(name)
    return str(err.value)


class TestParseTacticalPot:
    """parse_tactical_pot, as a rules file is loaded"""

    def test_2021_22_gates(self):
        """2021/22 opens when no earlier project is open or the OPCC opened it, and closes at the OPCC's word."""
        pot = load_round(R2122).tactical_pot
        assert pot.opens.when == Any_((Given("earlier_projects_open", False), Given("opened_by_opcc", True)))
        assert pot.closes.when == Given("closed_by_opcc", True)
        assert pot.opens.source.startswith("KCSP Working Group update, 18 November 2021")

    def test_2025_26_closing_date(self):
        """2025/26 closes after its tactical_closes deadline, read as a day number with its words."""
        when = load_round(R2526).tactical_pot.closes.when
        assert when == Compare("today", "gt", dt.date(2025, 12, 31).toordinal(), "the closing of the tactical pot",
                               "deadlines.tactical_closes")

    def test_bid_rules_keep_tactical_left_for_later(self):
        """A bid rule may name tactical.left, kept as Later until a date gives it a value."""
        rules = {r.id: r for r in load_round(R2122).tactical_pot.rules}
        assert rules["fits-what-is-left"].check == Compare("cost", "le", Later("tactical.left"),
                                                           "the money left in the tactical pot", "tactical.left")

    @pytest.mark.parametrize("key", ["kcsp-2021-22", "kcsp-2022-23", "kcsp-2024-25", "kcsp-2025-26", "kcsp-2026-27"])
    def test_every_shipped_round_has_gates(self, key):
        """Every shipped rules file says when its tactical pot opens, and has rules for in-year bids."""
        pot = load_round(RULES / f"{key}.yaml").tactical_pot
        assert pot.opens is not None and {r.id for r in pot.rules} >= {"deliverable-by-year-end", "fits-what-is-left"}

    def test_gate_reads_the_year_not_a_proposal(self, spoiled):
        """A gate that tests a proposal's field is refused, listing the fields of the year's state."""
        name, line = spoiled(R2122, "        - earlier_projects_open: {given: no}", "        - cost: {at most: money.upfront}")
        message = error_of(name)
        assert location(message) == (name, line)
        assert "tactical_pot.opens.when.any of[1].cost: 'cost' is not a field or a way to combine checks" in message
        assert "fix: use a field of the year's state (today, earlier_projects_open, cases_awaiting_approval, " \
               "opened_by_opcc, closed_by_opcc) or all of / any of / not" in message

    def test_gate_needs_when(self, spoiled):
        """A gate without 'when' is refused, with the misspelt key named."""
        name, _ = spoiled(R2122, "    when:\n      closed_by_opcc: {given: yes}", "    whn:\n      closed_by_opcc: {given: yes}")
        assert "tactical_pot.closes.when: 'when' is missing (is it misspelt as 'whn'?)" in error_of(name)

    def test_tactical_left_only_for_bids(self, spoiled):
        """A rule of the round may not name tactical.left, which is known only on a date."""
        name, line = spoiled(R2122, "      submitted: {on or before: deadlines.proposals_due}",
                             "      cost: {at most: tactical.left}")
        message = error_of(name)
        assert location(message) == (name, line)
        assert "rules[received-by-deadline].check: 'tactical.left' is known only on a date of the year, for in-year bids" in message

    def test_unknown_part(self, spoiled):
        """An unknown key in the section is refused with the near name."""
        name, _ = spoiled(R2122, "  closes:\n", "  closed:\n")
        assert "'closed' is not a known field (did you mean 'closes'?)" in error_of(name)
