"""Tests of engine.record.changes: differences between two records, and what moved between two runs."""

from __future__ import annotations

import shutil

from hypothesis import given
from hypothesis import strategies as st

from engine.inputs.scenario import Overrides
from engine.record.changes import ABSENT, Difference, decided_differences, diff_runs, differences, flatten
from engine.record.register import open_register
from engine.record.runs import Inputs, record

from .conftest import ROUNDS
from .registers import clock, record_round  # noqa: F401

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=12,
)


class TestFlatten:
    def test_lists_keyed_by_id(self):
        """A list of mappings with unique ids is keyed by them; another list by position from 1."""
        doc = {"proposals": [{"id": "b", "rank": 1}, {"id": "a", "rank": 2}], "notes": ["x", "y"]}
        assert flatten(doc) == {"proposals[b].id": "b", "proposals[b].rank": 1, "proposals[a].id": "a",
                                "proposals[a].rank": 2, "notes[1]": "x", "notes[2]": "y"}

    def test_ids_not_unique(self):
        """Mappings whose ids repeat are keyed by position."""
        assert flatten([{"id": "a"}, {"id": "a"}]) == {"[1].id": "a", "[2].id": "a"}

    @given(json_values)
    def test_same_value_no_difference(self, value):
        """A value never differs from itself."""
        assert differences(value, value) == []

    @given(json_values, json_values)
    def test_every_path_that_differs(self, a, b):
        """The differences are exactly the paths whose values (or presence) differ."""
        fa, fb = flatten(a), flatten(b)
        found = {d.path: (d.before, d.after) for d in differences(a, b)}
        assert set(found) == {p for p in fa.keys() | fb.keys() if fa.get(p, ABSENT) != fb.get(p, ABSENT)
                              or (p in fa) != (p in fb)}


class TestDifference:
    def test_owner_and_field(self):
        """A difference of an outcome names its proposal and the field within it."""
        d = Difference("proposals[asb].checks[late].passed", True, False)
        assert (d.owner, d.field) == ("asb", "checks[late].passed")
        assert (Difference("upfront", 1, 2).owner, Difference("upfront", 1, 2).field) == (None, "upfront")


class TestDecidedDifferences:
    def test_words_left_aside(self, tmp_path, clock):
        """Two outcomes that differ only in words decide the same; a status, a score or a total does not."""
        doc = record_round(tmp_path / "crg.db").document()
        worded = {**doc, "warnings": ["another"], "proposals": [
            {**p, "explanation": "other words", "checks": [], "counterfactual": None} for p in doc["proposals"]]}
        assert decided_differences(doc, worded) == []
        first = doc["proposals"][0]
        moved = {**doc, "allocated": "1.00", "proposals": [{**first, "status": "reserve", "score": 1.5}]
                 + doc["proposals"][1:]}
        assert [(d.path, d.before, d.after) for d in decided_differences(doc, moved)] == [
            ("allocated", doc["allocated"], "1.00"),
            (f"proposals[{first['id']}].status", first["status"], "reserve"),
            (f"proposals[{first['id']}].score", first["score"], 1.5)]

    def test_a_proposal_missing(self, tmp_path, clock):
        """A proposal in one outcome and not the other is a difference of what is decided."""
        doc = record_round(tmp_path / "crg.db").document()
        fewer = {**doc, "proposals": doc["proposals"][1:]}
        assert {d.owner for d in decided_differences(doc, fewer)} == {doc["proposals"][0]["id"]}


class TestDiffRuns:
    def test_same_run(self, tmp_path, clock):
        """A run against itself: nothing changed."""
        run = record_round(tmp_path / "crg.db")
        assert diff_runs(run, run).same

    def test_what_if_moves(self, tmp_path, clock):
        """A cut in the allocation moves the proposals that no longer fit, for the what-if's reason."""
        path = tmp_path / "crg.db"
        before = record_round(path)
        after = record_round(path, overrides=Overrides.from_flags(upfront="£20,000"))
        d = diff_runs(before, after)
        assert d.files == () and d.rules_read == ()
        assert d.overrides == ((), ("upfront allocation set to £20,000",))
        assert [(m.id, m.status) for m in d.moves] == [("dhr-learning-webinars", ("shortlisted", "reserve")),
                                                      ("nte-welfare-training", ("shortlisted", "reserve"))]
        for m in d.moves:
            assert m.reasons[0] == "nothing of its own changed; the what-ifs went from none to upfront allocation set to £20,000"
            assert m.reasons[-1].startswith("now: Reserve:")
        assert {t.path for t in d.totals} >= {"upfront", "allocated", "remaining"}

    def test_cost_what_if_named(self, tmp_path, clock):
        """A proposal whose cost a what-if changed says so, before what that did to its score."""
        path = tmp_path / "crg.db"
        before = record_round(path, overrides=Overrides.from_flags(costs=("nte-welfare-training=£9,000",)))
        after = record_round(path)
        moved = {m.id: m for m in diff_runs(before, after).moves}
        reasons = moved["nte-welfare-training"].reasons
        assert reasons[0] == "its cost went from £9,000.00 to £3,200.00"
        assert reasons[1].startswith("its score went from ")
        assert not [r for m in moved.values() if m.id != "nte-welfare-training" for r in m.reasons
                    if r.startswith("its cost")]

    def test_scores_shown_with_one_decimal(self, tmp_path, clock):
        """A score that moved is shown with one decimal, as every command shows it; one that moved too little to
        show so is said to have (7.514 to 7.55 is 7.5 to 7.6; cuckooing-awareness-housing stays 7.8)."""
        path = tmp_path / "crg.db"
        before = record_round(path)
        after = record_round(path, overrides=Overrides.from_flags(relax=("received-by-deadline=flag",)))
        said = {m.id: [r for r in m.reasons if "its score" in r] for m in diff_runs(before, after).moves}
        assert said["dhr-learning-webinars"] == ["its score went from 7.5 to 7.6"]
        assert said["cuckooing-awareness-housing"] == ["its score moved too little to show at one decimal (7.8)"]

    def test_edited_file_moves(self, tmp_path, monkeypatch, clock):
        """An edited proposal file is named with the values that changed, as written, and its move explained."""
        monkeypatch.chdir(tmp_path)
        rules, folder = ROUNDS["kcsp-2026-27"]
        shutil.copy(rules, "rules.yaml")
        shutil.copytree(folder, "props")
        with open_register("crg.db", create=True) as reg:
            before, _ = record(reg, Inputs.from_paths("rules.yaml", "props"), by="x")
            late = tmp_path / "props" / "underage-vape-test-purchases.yaml"
            late.write_text(late.read_text(encoding="utf-8").replace("submitted: 2026-04-09", "submitted: 2026-04-08"),
                            encoding="utf-8")
            (tmp_path / "props" / "youth-diversion-programme.yaml").unlink()
            after, _ = record(reg, Inputs.from_paths("rules.yaml", "props"), by="x")
        d = diff_runs(before, after)
        assert [(f.key, f.change) for f in d.files] == [("underage-vape-test-purchases", "edited"),
                                                        ("youth-diversion-programme", "removed")]
        assert [(x.path, x.before, x.after) for x in d.files[0].fields] == [("submitted", "2026-04-09", "2026-04-08")]
        moved = {m.id: m for m in d.moves}
        vape = moved["underage-vape-test-purchases"]
        assert vape.status[0] == "ineligible" and vape.status[1] != "ineligible"
        assert vape.reasons[0] == "its file changed: submitted '2026-04-09' → '2026-04-08'"
        assert vape.reasons[1] == "rule received-by-deadline now passes"
        assert moved["youth-diversion-programme"].status == ("ineligible", ABSENT)
        assert moved["youth-diversion-programme"].reasons == ("its file was taken out",)
