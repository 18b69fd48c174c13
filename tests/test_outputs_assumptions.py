"""Tests of engine.outputs.assumptions: what a round rests on, in words."""

from __future__ import annotations

from engine.inputs.provenance import Assumption
from engine.outputs.assumptions import assumption_lines, assumptions_markdown

ITEMS = (Assumption("rules", "money.leftover", "returned"), Assumption("rules", "scoring", "out_of: 10"),
         Assumption("p-1", "summary", ""), Assumption("p-1", "cost", "£6,000"))


class TestAssumptionLines:
    """assumption_lines"""

    def test_one_line_each(self):
        """One line per assumption, a value in brackets only when there is one to show, the file named when several."""
        assert assumption_lines(ITEMS) == ["rules: money.leftover (returned)", "rules: scoring (out_of: 10)",
                                           "p-1: summary", "p-1: cost (£6,000)"]
        assert assumption_lines(ITEMS[:2]) == ["money.leftover (returned)", "scoring (out_of: 10)"]


class TestAssumptionsMarkdown:
    """assumptions_markdown"""

    def test_section(self):
        """A heading, a sentence and a table with one row per file."""
        out = assumptions_markdown(ITEMS, "##")
        assert out[1] == "## What rests on assumptions"
        table = out[-1].splitlines()
        assert table[0].startswith("| file") and len(table) == 4
        assert "`money.leftover` (returned); `scoring` (out\\_of: 10)" in table[2]  # a value from a file, escaped

    def test_nothing(self):
        """Nothing assumed gives no section at all."""
        assert assumptions_markdown(()) == []
