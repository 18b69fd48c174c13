"""Tests of engine.outputs.document: one JSON-able recommendation, agreeing with crg screen, deterministic."""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction

import pytest
from click.testing import CliRunner

from engine import fmt
from engine.inputs.money import parse as parse_money
from engine.inputs.proposal import load_proposals
from engine.inputs.round import load_round
from engine.inputs.scenario import Overrides, load_scenario
from engine.outputs import document

from .conftest import REPO, ROUNDS, shuffled_copy
from .registers import EARLIER_VERSIONS, clock, record_round  # noqa: F401

R2627, EXAMPLES = ROUNDS["kcsp-2026-27"]
SCENARIOS = REPO / "scenarios" / "2026-27-example"
SECTIONS = ["kind", "schema", "title", "round", "recommendation", "money", "assumptions", "shortlist", "reserve",
            "tactical", "ineligible", "priorities", "proposals", "scenarios", "charts", "sweep", "provenance", "decision"]


def build(rules=R2627, folder=EXAMPLES, overrides=Overrides(), scenarios=()):
    return document.build(load_round(rules), load_proposals(folder), overrides,
                          [load_scenario(s) for s in scenarios])


def sweep_json(*args):
    from engine.cli import cli

    result = CliRunner().invoke(cli, ["sweep", *map(str, args), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def screen_json(*args):
    from engine.cli import cli

    result = CliRunner().invoke(cli, ["screen", *map(str, args), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def floats(value, path=()):
    """Every float in *value*, with the path of keys to it."""
    if isinstance(value, float):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from floats(item, path + (key,))
    elif isinstance(value, list):
        for item in value:
            yield from floats(item, path)


class TestBuild:
    def test_sections_in_reading_order(self):
        """The document holds every section, in the order the Chair reads them."""
        assert list(build()) == SECTIONS

    def test_what_rests_on_assumptions(self):
        """The Chair's document lists every value a real round takes as assumed: the rules file's (the panel's own
        included) and each proposal's, the reading of the cost printed as '£6,00' among them."""
        doc = build(*ROUNDS["kcsp-2024-25"])
        rows = {(a["file"], a["field"]): a["value"] for a in doc["assumptions"]}
        assert rows[("asb-case-reviews-training", "cost")] == "£6,000"
        assert rows[("rules", "deadlines.proposals_due")] == "2024-04-19"
        assert rows[("rules", "panel.interests")] == "leave out"
        assert ("rules", "panel.agencies") in rows

    def test_json_round_trip(self):
        """The document is plain JSON: it reads back equal."""
        doc = build(scenarios=[SCENARIOS / "cut-to-20000.yaml"])
        assert json.loads(json.dumps(doc)) == doc

    @pytest.mark.parametrize("key", sorted(ROUNDS))
    def test_every_round_reads_back_and_writes_the_same(self, key):
        """The document of every shipped round (warnings and all) reads back from JSON equal, and written from
        what was read back gives the same bytes: what the register keeps is what the writers read."""
        from engine.outputs import writers

        doc = build(*ROUNDS[key])
        again = json.loads(json.dumps(doc, ensure_ascii=False))
        assert again == doc
        for fmt_ in ("md", "html"):
            assert writers.render(again, fmt_) == writers.render(doc, fmt_)

    def test_no_float_for_money(self):
        """The only floats are scores and points; money is a string of pounds with two decimals."""
        doc = build(scenarios=[SCENARIOS / "cut-to-20000.yaml"])
        assert {path[-1] for path in floats(doc)} <= {"score", "points", "max_points", "total_score",
                                                      "total_score_change"}
        assert doc["money"]["allocated"] == "24300.00"

    @pytest.mark.parametrize("key", sorted(ROUNDS))
    def test_figures_agree_with_screen(self, key):
        """Money, statuses, ranks, scores and reasons are those of crg screen --format json on the same files."""
        rules, folder = ROUNDS[key]
        doc, screened = build(rules, folder), screen_json(rules, folder)
        for field in ("upfront", "allocated", "remaining", "tactical", "returned"):
            assert doc["money"][field] == screened[field]
        by_id = {p["id"]: p for p in screened["proposals"]}
        for record in doc["proposals"]:
            expected = by_id[record["id"]]
            assert {k: record[k] for k in expected} == expected
        for status, section in (("shortlisted", "shortlist"), ("reserve", "reserve"), ("tactical", "tactical"),
                                ("ineligible", "ineligible")):
            assert [e["id"] for e in doc[section]] == [p["id"] for p in screened["proposals"] if p["status"] == status]
        assert sum(parse_money(e["offered"]) for e in doc["shortlist"]) == parse_money(screened["allocated"])

    def test_same_inputs_same_document(self, tmp_path):
        """The same files give the same document, whatever their names and the order they were written to disk in."""
        docs = [build(folder=shuffled_copy(EXAMPLES, tmp_path / str(seed), seed)) for seed in (1, 2)]
        for doc in docs:  # the files' names differ, and the provenance names them; nothing else may differ
            for f in doc["provenance"]["files"]:
                del f["name"]
        assert json.dumps(docs[0]) == json.dumps(docs[1])

    def test_ineligible_carry_each_rule_and_source(self):
        """An ineligible proposal lists each rule it fails, why, and the source of the rule."""
        doc = build()
        late = next(e for e in doc["ineligible"] if e["id"] == "underage-vape-test-purchases")
        assert late["failed"] == [{"rule": "received-by-deadline",
                                   "reason": "received 9 April 2026, after the deadline of 8 April 2026",
                                   "source": "KCSP Working Group update, 31 March 2026 (timetable for 2026/27)"}]


class TestRecommendation:
    def test_one_paragraph_with_the_figures(self):
        """The recommendation says how many projects, how much, what is left and where it goes, and the rest."""
        text = build()["recommendation"]
        assert "\n" not in text
        assert text.startswith("The Working Group recommends 6 projects for £24,300 of the upfront allocation of "
                               "£26,500")
        assert "£2,200 of the upfront allocation is left: added to the tactical pot, making it £15,300." in text
        assert "1 is kept in reserve" in text and "4 are not eligible" in text

    def test_what_if_named(self):
        """A what-if is named in the recommendation, so that its figures are never taken for the round's own."""
        text = build(overrides=Overrides.from_flags(upfront="£20,000"))["recommendation"]
        assert "4 projects for £19,250 of the upfront allocation of £20,000" in text
        assert text.endswith("These figures take the what-if: upfront allocation set to £20,000.")

    def test_nothing_fits(self):
        """At £0 no project is recommended, and the paragraph says so."""
        text = build(overrides=Overrides.from_flags(upfront="0"))["recommendation"]
        assert text.startswith("The Working Group recommends no project")


class TestPriorities:
    def test_served_and_left_without(self):
        """Each PCC and CSA priority lists the shortlisted projects serving it; at £800 most have none."""
        doc = build(overrides=Overrides.from_flags(upfront="£800"))
        pcc = {p["id"]: p["served_by"] for p in doc["priorities"]["pcc"]}
        csa = {p["id"]: p["served_by"] for p in doc["priorities"]["csa"]}
        assert pcc["protecting-people"] == ["doorstep-crime-door-chains"] and pcc["protecting-places"] == []
        assert csa["road-safety"] == [] and csa["safeguarding-vulnerable-people"] == ["doorstep-crime-door-chains"]


class TestScenarios:
    def test_each_scenario_against_the_baseline(self):
        """Each scenario is compared with the baseline, with its file named."""
        doc = build(scenarios=[SCENARIOS / "cut-to-20000.yaml", SCENARIOS / "late-proposal-accepted.yaml"])
        cut, late = doc["scenarios"]["scenarios"]
        assert doc["scenarios"]["baseline"]["allocated"] == "24300.00"
        assert (cut["name"], cut["allocated"], cut["left"]) == ("cut to £20,000", "19250.00",
                                                                ["dhr-learning-webinars", "nte-welfare-training"])
        assert late["entered"] == ["underage-vape-test-purchases"]
        assert cut["file"] == str(SCENARIOS / "cut-to-20000.yaml")


class TestCharts:
    def test_descriptions_give_the_figures(self):
        """The charts' descriptions, read by a screen reader, give each share and the sweep's main figures."""
        charts = build()["charts"]
        assert "doorstep-crime-door-chains £800 (3%)" in charts["allocation"]["description"]
        assert "left £2,200 (8%)" in charts["allocation"]["description"]
        intervals = sweep_json(R2627, EXAMPLES)
        changes = sum(set(a["shortlist"]) != set(b["shortlist"]) for a, b in zip(intervals, intervals[1:]))
        assert f"changes at {changes} budgets" in charts["sweep"]["description"]
        total = fmt.points(Fraction(str(screen_json(R2627, EXAMPLES)["total_score"])))
        assert f"6 projects are shortlisted for £24,300, with a total score of {total}" in charts["sweep"]["description"]

    def test_a_new_order_of_the_same_projects_is_no_change(self):
        """The sweep chart counts the budgets at which a project comes in or goes out: where the same projects
        are only taken in another order (value for money judged among others), the shortlist has not changed."""
        import types

        from engine.decision.shortlist import BudgetInterval

        sweep = (BudgetInterval(0, 99, (), 0, 0), BudgetInterval(100, 199, ("a", "b"), 100, 20),
                 BudgetInterval(200, 299, ("b", "a"), 100, 21), BudgetInterval(300, 399, ("b",), 50, 12))
        outcome = types.SimpleNamespace(upfront=150, remaining=50, intervals=sweep)
        description = document._charts(outcome, [], list(document._shortlist_fields(sweep)))["sweep"]["description"]
        assert "the shortlist changes at 2 budgets" in description


    def test_a_sweep_too_long_to_print_is_said_where_it_is(self, monkeypatch):
        """Past the rows the web page and the Word document print, the sweep chart's words say where every
        interval is given, not that the table of budgets gives them."""
        intervals = len(build()["sweep"]["intervals"])
        assert build()["charts"]["sweep"]["description"].endswith(
            "The table of budgets gives the shortlist of every interval.")
        monkeypatch.setattr(document, "LONGEST", intervals - 1)
        assert build()["charts"]["sweep"]["description"].endswith(
            "The workbook's Budgets sheet gives every interval, and the web page's budget slider the shortlist at "
            "any budget.")


class TestProvenance:
    def test_hashes_of_every_file(self):
        """The provenance names the rules file, every proposal file and every scenario file, with its SHA-256."""
        scenario = SCENARIOS / "cut-to-20000.yaml"
        pv = build(scenarios=[scenario])["provenance"]
        files = {f["name"]: (f["role"], f["sha256"]) for f in pv["files"]}
        expected = [R2627, *sorted(EXAMPLES.glob("*.yaml")), scenario]
        assert list(files) == [str(p) for p in expected]
        for path in expected:
            assert files[str(path)][1] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert pv["engine"].startswith("crg ") and pv["rule_engine"] == "durable" and pv["policy"] == "rank"

    def test_no_time_stamp(self):
        """Nothing in the document depends on the time: two builds a second apart are equal."""
        import time

        first = json.dumps(build())
        time.sleep(1.1)
        assert json.dumps(build()) == first

    def test_overrides_recorded(self):
        """The what-ifs used are in the provenance."""
        pv = build(overrides=Overrides.from_flags(upfront="£20,000", policy="optimal"))["provenance"]
        assert [o["name"] for o in pv["overrides"]] == ["upfront", "policy"] and pv["policy"] == "optimal"


def from_register(path, run_id: int = 1) -> dict:
    from engine.record.recommendation import recommendation
    from engine.record.register import open_register

    with open_register(path) as reg:
        return document.from_register(recommendation(reg, run_id))


class TestFromRegister:
    def test_the_run_added(self, tmp_path, clock):
        """Written from the register, the document kept with the run gains the run's particulars, at the end."""
        run = record_round(tmp_path / "crg.db", by="KCST officer", note="WG, 27 April")
        doc = from_register(tmp_path / "crg.db")
        assert list(doc) == SECTIONS + ["record"]
        assert doc["record"] == {"run": 1, "recorded_at": "2026-04-27T10:00:00Z", "recorded": "27 April 2026, 10:00 UTC",
                                 "by": "KCST officer", "note": "WG, 27 April", "engine_version": run.engine_version,
                                 "rule_engine": "durable", "hash": run.hash, "rebuilt": None}
        assert doc["decision"]["run"] == 1 and doc["decision"]["recorded"] is None
        assert json.loads(json.dumps(doc)) == doc

    def test_the_chairs_decision(self, tmp_path, clock):
        """The Chair's decision that stands is added with each departure, its title, amount and reason."""
        from engine.record.chair import decide
        from engine.record.register import open_register

        path = tmp_path / "crg.db"
        record_round(path)
        with open_register(path) as reg:
            decide(reg, 1, "approved", by="KCSP Chair")
            decide(reg, 1, "amended", by="KCSP Chair", note="match funding",
                   fund=["asb-community-mediation"], drop=["nte-welfare-training=starts before the year"])
        recorded = from_register(path)["decision"]["recorded"]
        assert recorded == {
            "decision": 2, "outcome": "amended", "by": "KCSP Chair", "decided_at": "2026-04-27T10:02:00Z",
            "note": "match funding",
            "text": "Amended by KCSP Chair, 27 April 2026, 10:02 UTC. Note: match funding.",
            "replaces": "It replaces decision 1 (approved by KCSP Chair, 27 April 2026, 10:01 UTC).",
            "departures": [
                {"id": "asb-community-mediation", "title": "Community mediation for neighbour disputes",
                 "amount": "9000.00", "recommended": "reserve", "decided": "funded", "reason": "match funding"},
                {"id": "nte-welfare-training",
                 "title": "Welfare and vulnerability training for night-time economy staff", "amount": "3200.00",
                 "recommended": "shortlisted", "decided": "not funded", "reason": "starts before the year"}],
            "funded": "Funded: 6 proposals for £30,100.00, £3,600.00 more than the upfront allocation of £26,500.00.",
        }

    def test_made_again_says_so(self, tmp_path):
        """A document made again for a run of an earlier register says so, and with which version."""
        from engine.record.runs import engine_version

        EARLIER_VERSIONS[1](tmp_path / "crg.db")
        rebuilt = from_register(tmp_path / "crg.db")["record"]["rebuilt"]
        assert rebuilt == (
            f"Run 1 was recorded with crg 0.1.0, before the register kept the recommendation document, so this one "
            f"was made again from the files kept with the run, with crg {engine_version()}. Every decision is as "
            "recorded (each proposal's status, rank, score and amount, and the totals); the words of 7 proposals "
            "are today's (crg replay 1 shows them).")
