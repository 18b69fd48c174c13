"""Tests of engine.decision.compare: every proposal whose place changes is named, with why."""

from __future__ import annotations

from fractions import Fraction

from engine.decision.compare import compare, compare_scenarios
from engine.inputs.load import load_inputs
from engine.inputs.scenario import Overrides, load_scenario, run
from engine.outputs import report

from .conftest import REPO, ROUNDS

INPUTS = load_inputs(*ROUNDS["kcsp-2026-27"])


def against(base: Overrides, scenario: Overrides):
    baseline = run(INPUTS.round, INPUTS.proposals, base, engine="python")
    both = base.then(scenario)
    return baseline, compare("x", both.describe(), baseline, run(INPUTS.round, INPUTS.proposals, both, engine="python"))


def changes(c, direction):
    return {ch.id: ch.text for ch in c.changes if ch.direction == direction}


class TestCompare:
    def test_newly_eligible_moves_value_for_money(self):
        """A proposal made eligible is named, and so is each score that moved because value for money is by rank."""
        _, c = against(Overrides(), Overrides(relax=(("received-by-deadline", "flag"),)))
        assert c.entered == ("underage-vape-test-purchases",)
        moved = changes(c, "score")
        assert moved["hate-crime-reporting-centres"] == (
            "score 8.0 → 8.1: value moved (it is judged by rank among the eligible proposals, and "
            "underage-vape-test-purchases became eligible)")
        assert len(moved) == 5

    def test_weights(self):
        """With the same shortlist, every score moved by a weight is named, with the weight."""
        _, c = against(Overrides(), Overrides(weights=(("panel", Fraction(5)),)))
        assert not c.entered and not c.left
        moved = changes(c, "score")
        assert len(moved) == 8 and moved["doorstep-crime-door-chains"] == "score 8.4 → 8.0: the weights changed (panel 3 to 5)"

    def test_status_change_outside_the_shortlist(self):
        """A proposal made eligible that stays in reserve is named with its new status."""
        _, c = against(Overrides(upfront=1_000_000), Overrides(relax=(("serves-csa", "off"),)))
        assert changes(c, "status")["rural-crime-tracker-kits"] == \
            "now reserve, was ineligible: eligible under the scenario's rules, ranked 8th"

    def test_withdrawn(self):
        """A proposal in reserve that is withdrawn is named."""
        _, c = against(Overrides(), Overrides(without=("asb-community-mediation",)))
        assert changes(c, "status")["asb-community-mediation"] == "withdrawn (was reserve)"

    def test_own_cost(self):
        """A proposal whose cost changed is told that is why its score moved; the others, whose cost it was."""
        _, c = against(Overrides(), Overrides(costs=(("hate-crime-reporting-centres", 300_000),)))
        moved = changes(c, "score")
        assert moved["hate-crime-reporting-centres"] == "score 8.0 → 8.1: value moved (its cost changed from £7,400 to £3,000)"
        assert moved["doorstep-crime-door-chains"] == (
            "score 8.4 → 8.2: value moved (it is judged by rank among the eligible proposals, and the cost of "
            "hate-crime-reporting-centres changed)")

    def test_same_outcome(self):
        """Nothing changed, nothing named."""
        _, c = against(Overrides(), Overrides(upfront=2_650_000))
        assert c.changes == ()


class TestComparisonText:
    def test_slight_moves_grouped(self):
        """Scores that moved too little to show at one decimal are named together, not as '8.1 → 8.1'."""
        baseline, c = against(Overrides(), Overrides(relax=(("received-by-deadline", "flag"),)))
        text = report.comparison_text(baseline, [c], "table")
        assert "→ 7.8:" not in text and "→ 8.4:" not in text
        assert "  scores that moved too little to show at one decimal: cuckooing-awareness-housing, " \
               "doorstep-crime-door-chains" in text

    def test_changes_written_as_changes(self):
        """The summary line writes each difference as a change: +, − or no change.

        At £29,150 the £27,000 bid fits the allocation, so it becomes eligible, and the value-for-money
        ranks of the others move with it: the shortlist is the same, its total score is not.
        """
        baseline, c = against(Overrides(), Overrides(upfront=2_915_000))
        text = report.comparison_text(baseline, [c], "table")
        assert "x: allocated no change, remaining +£2,650.00, total score \u22120.4" in text
        assert "countywide-cctv-upgrade now reserve, was ineligible" in text
        assert "what if" in text and "premises" not in text


class TestCompareScenarios:
    """compare_scenarios"""

    def test_progress(self):
        """The progress callback is told after the baseline and each scenario how many outcomes are decided."""
        rules, folder = ROUNDS["kcsp-2026-27"]
        scenarios = [load_scenario(path) for path in sorted((REPO / "scenarios" / "2026-27-example").glob("*.yaml"))]
        calls = []
        baseline, results = compare_scenarios(INPUTS.round, INPUTS.proposals, Overrides(), scenarios,
                                              progress=lambda done, total: calls.append((done, total)))
        assert calls == [(k, len(scenarios) + 1) for k in range(1, len(scenarios) + 2)]
        assert [r.name for r in results] == [s.name for s in scenarios]
