"""Tests of engine.outputs.year: the year's statements as tables, JSON and Markdown."""

from __future__ import annotations

import datetime as dt

from engine.outputs import year as render
from engine.year.closeout import close_out
from engine.year.status import status_on

from .conftest import year


class TestStatusText:
    """status_text and status_doc"""

    def test_long_sentences_wrapped_in_a_table(self):
        """Under a table, each sentence is wrapped at 100 columns; in Markdown each stays whole."""
        s = status_on(*year("2021-22"), dt.date(2021, 7, 13))
        table = render.status_text(s, "table")
        assert max(len(line) for line in table.split("\n\n", 2)[2].splitlines()) <= 100
        markdown = render.status_text(s, "markdown")
        assert any(line.startswith("The tactical pot is locked:") and len(line) > 100 for line in markdown.splitlines())

    def test_before_the_shortlist(self):
        """Before the shortlist the statement says when the projects take their allocations."""
        s = status_on(*year("2021-22"), dt.date(2021, 5, 1))
        assert "The shortlist is agreed on 13 July 2021: no project holds an allocation before then." in \
            render.status_text(s).replace("\n", " ")

    def test_what_rests_on_assumptions(self):
        """The statement says how many of its values no report gives (the opening of the pot at the end of
        January 2022 among them), and the Markdown lists them."""
        s = status_on(*year("2021-22"), dt.date(2022, 1, 31))
        assert "10 values that no published report gives are assumed in the rules file and the ledger, and these " \
               "figures rest on them (crg status --format markdown lists them)." in render.status_text(s).replace(
                   "\n", " ")
        assert "What rests on assumptions" in render.status_text(s, "markdown")

    def test_unknown_money_is_null(self):
        """Money that cannot be known (the size and left of unreported projects) is null in JSON."""
        doc = render.status_doc(status_on(*year("2025-26"), dt.date(2025, 9, 1)))
        line = {p["pot"]: p for p in doc["pots"]}["not reported"]
        assert line["size"] is None and line["left"] is None
        assert {p["pot"]: p["exact"] for p in doc["pots"]}["tactical"] is False


class TestCloseoutText:
    """closeout_text and closeout_doc"""

    def test_what_rests_on_assumptions(self):
        c = close_out(*year("2024-25"))
        assert "(crg closeout --format markdown lists them)." in render.closeout_text(c).replace("\n", " ")

    def test_carried_column_only_when_used(self):
        """No money carried into the next year, no 'carried' column in the table (always in JSON)."""
        c = close_out(*year("2021-22"))
        assert "carried" not in render.closeout_text(c).splitlines()[2]
        assert render.closeout_doc(c)["carried"] == "0.00"

    def test_json_totals(self):
        """The JSON totals: grant, allocated, never allocated, paid, kept by the OPCC, spent, returned."""
        doc = render.closeout_doc(close_out(*year("2025-26")))
        assert (doc["grant"], doc["allocated"], doc["never_allocated"], doc["spent"], doc["returned"]) == \
            ("39661.00", "39630.60", "30.40", "38934.60", "726.40")
        assert (doc["paid"], doc["kept_by_opcc"]) == ("39661.00", "0.00")
