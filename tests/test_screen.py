"""Tests of engine.decision.screen: every proposal checked against every rule of the round."""

from __future__ import annotations

import pytest

from engine.decision.screen import screen
from engine.inputs.proposal import load_proposals
from engine.inputs.round import load_round

from .conftest import ROUNDS


class TestScreen:
    """screen"""

    @pytest.mark.parametrize("engine", ["durable", "python"])
    def test_progress(self, engine):
        """The progress callback is told after each proposal how many are screened, of how many."""
        rules, folder = ROUNDS["kcsp-2026-27"]
        round_, found = load_round(rules), load_proposals(folder)
        calls = []
        result = screen(round_, found, engine=engine, progress=lambda done, total: calls.append((done, total)))
        assert calls == [(k, len(found)) for k in range(1, len(found) + 1)]
        assert result == screen(round_, found, engine=engine)
