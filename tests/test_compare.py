"""Tests of engine.decision.compare: what-if scenarios against the baseline."""

from __future__ import annotations

from engine.decision.compare import compare_scenarios
from engine.inputs.proposal import load_proposals
from engine.inputs.round import load_round
from engine.inputs.scenario import Overrides, load_scenario

from .conftest import REPO, ROUNDS


class TestCompareScenarios:
    """compare_scenarios"""

    def test_progress(self):
        """The progress callback is told after the baseline and each scenario how many outcomes are decided."""
        rules, folder = ROUNDS["kcsp-2026-27"]
        scenarios = [load_scenario(path) for path in sorted((REPO / "scenarios" / "2026-27-example").glob("*.yaml"))]
        calls = []
        baseline, results = compare_scenarios(load_round(rules), load_proposals(folder), Overrides(), scenarios,
                                              progress=lambda done, total: calls.append((done, total)))
        assert calls == [(k, len(scenarios) + 1) for k in range(1, len(scenarios) + 2)]
        assert [r.name for r in results] == [s.name for s in scenarios]
