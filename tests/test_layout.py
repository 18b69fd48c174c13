"""Tests of engine.outputs.writers.layout: the sections every writer shows, and the data of the budget slider."""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from fractions import Fraction
from functools import lru_cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import fmt
from engine.errors import InputError
from engine.inputs.money import parse as parse_money
from engine.inputs.proposal import load_proposals
from engine.inputs.round import load_round
from engine.inputs.scenario import load_scenario
from engine.outputs import document
from engine.outputs.writers import layout

from .conftest import REPO, ROUNDS

R2627, EXAMPLES = ROUNDS["kcsp-2026-27"]
SCENARIOS = REPO / "scenarios" / "2026-27-example"
HEADINGS = ["The recommendation", "The money", "What rests on assumptions", "The shortlist", "The reserve list", "The tactical bids",
            "The ineligible proposals", "The priorities served",
            "Every proposal: rationale, score and what would change it", "The scenarios compared with the baseline",
            "The allocation and the budgets", "Provenance", "The Chair's decision"]


@lru_cache(maxsize=None)
def _example(with_scenarios: bool) -> dict:
    scenarios = [load_scenario(SCENARIOS / "cut-to-20000.yaml")] if with_scenarios else []
    return document.build(load_round(R2627), load_proposals(EXAMPLES), scenarios=scenarios)


def example_doc(with_scenarios: bool = True) -> dict:
    """The document of the example round of 2026/27 (with the £20,000 scenario), a fresh copy each time."""
    return copy.deepcopy(_example(with_scenarios))


class TestSections:
    def test_order_and_headings(self):
        """Every section, in the Chair's reading order."""
        assert [s.heading for s in layout.sections(example_doc())] == HEADINGS

    def test_every_sheet_named_and_unique(self):
        """Every table for the workbook has a sheet name of its own."""
        names = [t.sheet for s in layout.sections(example_doc()) for t in s.sheets]
        assert all(names) and len(names) == len(set(names))

    def test_every_proposal_has_its_heading(self):
        """The section of every proposal has a heading for each, with its rationale and counterfactual."""
        doc = example_doc()
        section = next(s for s in layout.sections(doc) if s.key == "proposals")
        headings = [b.text for b in section.blocks if isinstance(b, layout.Heading)]
        assert headings == [f"{p['id']}: {p['title']}" for p in doc["proposals"]]
        labels = [b.label for b in section.blocks if isinstance(b, layout.Para)]
        assert labels.count("Why:") == 12 and labels.count("What would change it:") == 7

    def test_from_the_register(self):
        """Written from the register, the run comes between the provenance and the Chair's decision; every sheet
        keeps a name of its own, with or without a decision."""
        doc = example_doc()
        doc["record"] = {"run": 3, "recorded_at": "2026-04-27T10:00:00Z", "recorded": "27 April 2026, 10:00 UTC",
                         "by": "officer", "note": None, "engine_version": "0.1.0", "rule_engine": "durable",
                         "hash": "ab" * 32, "rebuilt": None}
        doc["decision"] = {**doc["decision"], "run": 3, "recorded": None}
        assert [s.heading for s in layout.sections(doc)] == HEADINGS[:-1] + ["The run in the decision register",
                                                                             "The Chair's decision"]
        record, decision = layout.sections(doc)[-2:]
        assert "no figure in it was worked out again" in record.blocks[0].text
        assert [c.value for c in record.blocks[1].rows[3]] == ["note", None]
        assert decision.blocks[0].text == "No decision of the Chair on run 3 is in the register yet (crg decide 3 records it)."
        assert isinstance(decision.blocks[-1], layout.Form)
        doc["record"]["rebuilt"] = "Made again, for the test."
        doc["decision"]["recorded"] = {
            "decision": 1, "outcome": "approved", "by": "Chair", "decided_at": "2026-04-27T10:05:00Z", "note": None,
            "text": "Approved by Chair, 27 April 2026, 10:05 UTC.", "replaces": None, "departures": [],
            "funded": "Funded: 6 proposals."}
        record, decision = layout.sections(doc)[-2:]
        assert "worked out again" not in record.blocks[0].text and record.blocks[-1].label == "Made again:"
        assert [(b.label, b.text) for b in decision.blocks] == [
            ("Decision 1:", "Approved by Chair, 27 April 2026, 10:05 UTC."),
            ("", "The Chair decided as recommended: no proposal departs from the recommendation."),
            ("", "Funded: 6 proposals.")]
        names = [t.sheet for s in layout.sections(doc) for t in s.sheets]
        assert all(names) and len(names) == len(set(names)) and names[-3:] == ["Register", "Decision", "Departures"]

    def test_no_scenario(self):
        """With no scenario, the section says how to add one."""
        section = next(s for s in layout.sections(example_doc(False)) if s.key == "scenarios")
        assert "--scenario FILE" in section.blocks[0].text


class TestMoney:
    @pytest.mark.parametrize("upfront, row", [
        ("26500.00", None),  # the two pots come to the grant
        ("20000.00", ("Of the grant, in neither pot", "6500.00")),
        ("29150.00", ("Beyond the grant, in the two pots", "2650.00")),
    ])
    def test_what_the_two_pots_leave_of_the_grant(self, upfront, row):
        """Where the upfront allocation (a what-if's) and the tactical pot do not come to the grant, the money table
        says by how much, so that its figures account for the whole grant."""
        doc = example_doc(False)
        doc["money"]["upfront"] = upfront
        money = next(s for s in layout.sections(doc) if s.key == "money").sheets[0]
        last = money.rows[-1]
        if row is None:
            assert last[0].value == "Returned to the OPCC"
        else:
            assert (last[0].value, last[1].value) == (row[0], parse_money(row[1]))


class TestIneligibleSheet:
    def test_a_cost_counted_once(self):
        """A proposal that fails two rules has two rows, its cost on the first alone: the column adds up to what
        the ineligible proposals ask for."""
        doc = example_doc(False)
        entry = doc["ineligible"][0]
        entry["failed"] = entry["failed"] + [dict(entry["failed"][0], rule="another-rule")]
        sheet = next(s for s in layout.sections(doc) if s.key == "ineligible").sheets[0]
        rows = [r for r in sheet.rows if r[0].value == entry["id"]]
        assert [r[2].value for r in rows] == [parse_money(entry["cost"]), None]
        assert sum(r[2].value or 0 for r in sheet.rows) == sum(parse_money(e["cost"]) for e in doc["ineligible"])


class TestScenarioChanges:
    def test_told_as_compare_tells_them(self):
        """A score that moves less than its one decimal shows is named among those that moved too little, as crg
        compare names it, not told as 'score 7.8 → 7.8'."""
        doc = example_doc()
        side = doc["scenarios"]["scenarios"][0]
        side["changes"] = [
            {"id": "a", "direction": "same", "text": "score 7.8 → 7.8: value moved", "score_before": "7.81",
             "score_after": "7.79"},
            {"id": "b", "direction": "same", "text": "score 7.9 → 7.7: value moved", "score_before": "7.9",
             "score_after": "7.7"},
        ]
        section = next(s for s in layout.sections(doc) if s.key == "scenarios")
        words = [b.text for b in section.blocks if isinstance(b, layout.Para)]
        assert "b score 7.9 → 7.7: value moved" in words
        assert "Scores that moved too little to show at one decimal: a." in words
        assert not any(w.startswith("a score") for w in words)


class TestCellText:
    def test_kinds(self):
        """Each kind of cell is shown by engine.fmt, and an empty one as '-'."""
        cells = [layout.money("24300.00"), layout.score(8.971), layout.points(0.571), layout.count(1200),
                 layout.date("2026-04-08"), layout.text(None)]
        assert [layout.cell_text(c) for c in cells] == ["£24,300.00", "9.0", "0.571", "1,200", "8 April 2026", "-"]

    def test_scores_read_exactly(self):
        """A score is read from its decimal digits, never from the float's binary value."""
        assert layout.score(0.15).value == Fraction(15, 100)
        assert layout.date("2026-04-08").value == dt.date(2026, 4, 8)


class TestPence:
    @given(st.integers(0, 10**22))
    def test_a_sum_as_the_document_writes_it(self, p):
        """A sum read from the document's own writing is the sum written, as the money parser reads it."""
        assert layout.pence(fmt.money_json(p)) == p == parse_money(fmt.money_json(p))

    @pytest.mark.parametrize("text", ["£5,595", "5595", "5,595.50", " 12.30", "12.3", "1.234"])
    def test_anything_else_as_the_parser_reads_it(self, text):
        """A sum written otherwise is read as the money parser reads it, or refused where the parser refuses it,
        as a fault of the document (a ValueError, not a mistake of the user's: the user typed none of it)."""
        try:
            expected = parse_money(text)
        except InputError:
            with pytest.raises(ValueError, match=re.escape(f"{text!r} is not a sum of money as crg writes one")) as got:
                layout.pence(text)
            assert not isinstance(got.value, InputError)
        else:
            assert layout.pence(text) == expected


class TestBudgets:
    def test_stops_are_the_breakpoints_and_the_top(self):
        """The slider stops at £0, at every budget where the shortlist changes, and at the top."""
        doc = example_doc()
        data = layout.budgets(doc)
        starts = [int(Fraction(iv["from"]) * 100) for iv in doc["sweep"]["intervals"]]
        top = int(Fraction(doc["sweep"]["intervals"][-1]["to"]) * 100)
        assert data["stops"] == sorted(set(starts) | {top}) and data["stops"][0] == 0
        assert data["labels"][1] == "£800.00" and data["top"] == top
        assert data["stops"][data["start"]] == 2430000  # the stop at or below the allocation used, £26,500

    def test_intervals_cover_every_penny(self):
        """The intervals run from £0 to the top with no gap, each with its shortlist's titles and amounts."""
        data = layout.budgets(example_doc())
        ivs = data["intervals"]
        assert ivs[0]["from"] == 0 and ivs[-1]["to"] == data["top"]
        assert all(b["from"] == a["to"] + 1 for a, b in zip(ivs, ivs[1:]))
        first = data["projects"][layout.shortlist_at(data, 1)[0]]
        assert first == {"id": "doorstep-crime-door-chains",
                         "title": "Door chains and no-cold-calling kits for older residents", "amount": "£800.00"}
        listed = {pid for iv in _swept(R2627, EXAMPLES) for pid in iv["shortlist"]}
        assert sorted(p["id"] for p in data["projects"]) == sorted(listed)  # each that some budget shortlists, once
        score = fmt.points(Fraction(str(example_doc()["sweep"]["intervals"][1]["score"])))
        assert ivs[1]["words"] == f"1 project for £800.00, total score {score}"

    @pytest.mark.parametrize("every", [1, 2, 3, layout.EVERY])
    @pytest.mark.parametrize("key", ["kcsp-2026-27", "kcsp-2024-25"])
    def test_each_shortlist_is_the_sweeps(self, monkeypatch, every, key):
        """Each interval's shortlist, read from the last given in full and the changes since, is the one crg sweep
        gives there, with its size; given in full every interval, every few, or as the page gives them."""
        monkeypatch.setattr(layout, "EVERY", every)
        rules, folder = ROUNDS[key]
        doc = document.build(load_round(rules), load_proposals(folder))
        data = layout.budgets(doc)
        swept = _swept(rules, folder)
        assert len(data["intervals"]) == len(swept) > 3
        assert all("shortlist" in iv for iv in data["intervals"][::every])
        ids = [p["id"] for p in data["projects"]]
        for at, (iv, kept, page) in enumerate(zip(swept, doc["sweep"]["intervals"], data["intervals"])):
            assert [ids[r] for r in layout.shortlist_at(data, at)] == iv["shortlist"], at  # in order
            assert kept["size"] == len(iv["shortlist"])
            assert (page["from"], page["to"]) == (int(Fraction(iv["from"]) * 100), int(Fraction(iv["to"]) * 100))
        assert list(document.sweep_shortlists(doc["sweep"]["intervals"])) == [iv["shortlist"] for iv in swept]


@lru_cache(maxsize=None)
def _swept(rules, folder) -> list:
    """What crg sweep --format json gives for a round: each interval with its shortlist in full."""
    from click.testing import CliRunner

    from engine.cli import cli

    result = CliRunner().invoke(cli, ["sweep", str(rules), str(folder), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


class TestShortlistsInOrder:
    @settings(max_examples=200)
    @given(st.lists(st.permutations([f"p{k}" for k in range(12)]).flatmap(
        lambda ids: st.integers(0, 12).map(lambda n: tuple(ids[:n]))), min_size=1, max_size=12),
        st.integers(1, 4))
    def test_every_shortlist_in_its_order(self, shortlists, every):
        """Shortlists one after another, any of them in another order than the one before: the document's fields
        and the slider's data give each one back in full and in order (those who stay reordered: in full)."""
        import collections

        Interval = collections.namedtuple("Interval", "chosen")
        fields = list(document._shortlist_fields([Interval(c) for c in shortlists]))
        assert list(document.sweep_shortlists(fields)) == [list(c) for c in shortlists]
        for before, now, kept in zip(((),) + tuple(shortlists), shortlists, fields):
            stay_before = [pid for pid in before if pid in now]
            stay_now = [pid for pid in now if pid in before]
            assert ("shortlist" in kept) == (stay_before != stay_now)  # in full exactly where the order moved
        ids = sorted({pid for c in shortlists for pid in c})
        intervals = [{"from": f"{k}.00", "to": f"{k}.99", **kept, "allocated": "0.00", "score": 1.0}
                     for k, kept in enumerate(fields)]
        doc = {"sweep": {"intervals": intervals, "upfront": "0.00"},
               "proposals": [{"id": pid, "title": pid, "cost": "1.00"} for pid in ids]}
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(layout, "EVERY", every)
            data = layout.budgets(doc)
        listed = [p["id"] for p in data["projects"]]
        for at, chosen in enumerate(shortlists):
            assert [listed[r] for r in layout.shortlist_at(data, at)] == list(chosen), at


def doc_of(rules, folder, scenarios=()) -> dict:
    """The document of any round's files (the hostile copy, say)."""
    return document.build(load_round(rules), load_proposals(folder), scenarios=[load_scenario(s) for s in scenarios])
