"""Tests of the shortlist and what-if commands: screen's decision fields, compare and sweep."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from engine.inputs.money import parse as parse_money

from .conftest import PROPOSALS, REPO, RULES

R2627 = RULES / "kcsp-2026-27.yaml"
EXAMPLES = PROPOSALS / "2026-27-example"
SCENARIOS = REPO / "scenarios" / "2026-27-example"


def crg(*args):
    from engine.cli import cli

    return CliRunner().invoke(cli, [str(a) for a in args])


def ok_json(*args):
    result = crg(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


class TestScreenDecision:
    def test_json_fields(self):
        """screen's JSON has the policy, the money and, per proposal, status, rank, score and reasons."""
        doc = ok_json("screen", R2627, EXAMPLES)
        assert doc["policy"] == "rank" and doc["upfront"] == "26500.00"
        assert parse_money(doc["upfront"]) - parse_money(doc["allocated"]) == parse_money(doc["remaining"])
        shortlisted = [p for p in doc["proposals"] if p["status"] == "shortlisted"]
        assert sum(parse_money(p["offered"]) for p in shortlisted) == parse_money(doc["allocated"])
        for p in doc["proposals"]:
            assert p["status"] in ("shortlisted", "reserve", "tactical", "ineligible")
            assert {"score", "rank", "score_breakdown", "explanation", "counterfactual"} <= set(p)
            if p["status"] == "ineligible":
                assert p["score"] is None and p["rank"] is None
            else:
                assert isinstance(p["score"], float) and p["score_breakdown"]

    def test_upfront_override(self):
        """--upfront replaces the allocation, parsed as exact money, and is listed in the overrides."""
        doc = ok_json("screen", R2627, EXAMPLES, "--upfront", "£20,000")
        assert doc["upfront"] == "20000.00"
        assert parse_money(doc["allocated"]) <= 2000000
        assert doc["overrides"] == [{"name": "upfront", "value": "20000.00",
                                     "text": "upfront allocation set to £20,000"}]

    def test_optimal_scores_at_least_rank(self):
        """The optimal shortlist's total score is at least the rank walk's."""
        rank = ok_json("screen", R2627, EXAMPLES, "--upfront", "£20,000")
        best = ok_json("screen", R2627, EXAMPLES, "--upfront", "£20,000", "--policy", "optimal")
        assert best["total_score"] >= rank["total_score"]

    @pytest.mark.parametrize("args, field, hint", [
        (["--upfront", "£6,00"], "--upfront", "one way"),
        (["--weight", "panle=3"], "weight", "did you mean 'panel'"),
        (["--relax", "serves-cs"], "relax", "did you mean 'serves-csa'"),
        (["--without", "dhr-learning-webinar"], "without", "did you mean 'dhr-learning-webinars'"),
        (["--cost", "dhr-learning-webinars=lots"], "--cost", "not a sum of money"),
        (["--cost", "dhr-learning-webinars=£0"], "--cost", "£0 is not an amount a bid can ask for"),
    ])
    def test_bad_override(self, args, field, hint):
        """A bad override is one short error naming the flag, with exit status 2."""
        result = crg("screen", R2627, EXAMPLES, *args)
        assert result.exit_code == 2
        assert result.stderr.startswith("Error: ") and field in result.stderr and hint in result.stderr
        assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) <= 3
        assert result.stdout == ""

    def test_markdown_section(self):
        """--format markdown gives a document section with every decision."""
        result = crg("screen", R2627, EXAMPLES, "--format", "markdown")
        assert result.exit_code == 0
        assert result.stdout.startswith("## ") and "### Every decision" in result.stdout
        assert result.stdout.count("\n- **") == 12


class TestCompare:
    def test_json(self):
        """compare lists each scenario's overrides, money, total score, and who entered and left."""
        doc = ok_json("compare", R2627, EXAMPLES, SCENARIOS / "cut-to-20000.yaml",
                      SCENARIOS / "late-proposal-accepted.yaml")
        cut, late = doc["scenarios"]
        assert cut["name"] == "cut to £20,000" and cut["upfront"] == "20000.00"
        assert cut["overrides"][0]["name"] == "upfront"
        assert set(cut["left"]) <= set(doc["baseline"]["shortlist"]) and cut["left"]
        assert all(ch["text"].startswith("leaves: at £20,000") for ch in cut["changes"] if ch["direction"] == "left")
        assert "underage-vape-test-purchases" in late["entered"]
        for sc in (cut, late):
            assert set(sc["shortlist"]) == (set(doc["baseline"]["shortlist"]) - set(sc["left"])) | set(sc["entered"])

    def test_flags_apply_to_every_side(self):
        """A flag given to compare applies to the baseline and to the scenarios."""
        doc = ok_json("compare", R2627, EXAMPLES, SCENARIOS / "panel-counts-more.yaml", "--upfront", "£15,000")
        assert doc["baseline"]["upfront"] == "15000.00" and doc["scenarios"][0]["upfront"] == "15000.00"

    def test_table(self):
        """The table shows the baseline and each scenario side by side, and each change in words."""
        result = crg("compare", R2627, EXAMPLES, SCENARIOS / "cut-to-20000.yaml")
        assert result.exit_code == 0
        assert "baseline" in result.stdout and "cut to £20,000" in result.stdout and "leaves:" in result.stdout

    def test_bad_scenario(self, tmp_path):
        """A scenario naming an unknown rule is bad input naming the scenario file."""
        path = tmp_path / "bad.yaml"
        path.write_text("name: x\nrelax: [serves-cs]\n")
        result = crg("compare", R2627, EXAMPLES, path)
        assert result.exit_code == 2 and str(path) in result.stderr and "serves-csa" in result.stderr


class TestSweep:
    @pytest.mark.parametrize("policy", ["rank", "optimal"])
    def test_json_intervals(self, policy):
        """sweep's JSON covers £0 to the total eligible cost with no gap and no overlap, money as strings."""
        result = crg("sweep", R2627, EXAMPLES, "--policy", policy, "--format", "json")
        assert result.exit_code == 0
        ivs = json.loads(result.stdout)
        assert ivs[0]["from"] == "0.00"
        for a, b in zip(ivs, ivs[1:]):
            assert parse_money(b["from"]) == parse_money(a["to"]) + 1
        assert set(ivs[0]) >= {"from", "to", "shortlist", "allocated", "score"}

    @pytest.mark.parametrize("policy", ["rank", "optimal"])
    def test_screen_agrees_at_every_interval(self, policy):
        """crg screen --upfront at the ends and middle of every interval gives that interval's shortlist."""
        ivs = json.loads(crg("sweep", R2627, EXAMPLES, "--policy", policy, "--format", "json").stdout)
        for iv in ivs:
            lo, hi = parse_money(iv["from"]), parse_money(iv["to"])
            for pence in {lo, hi, (lo + hi) // 2}:
                amount = f"{pence // 100}.{pence % 100:02d}"
                doc = ok_json("screen", R2627, EXAMPLES, "--policy", policy, "--upfront", amount)
                assert sorted(p["id"] for p in doc["proposals"] if p["status"] == "shortlisted") == \
                    sorted(iv["shortlist"])
                assert doc["allocated"] == iv["allocated"]

    @pytest.mark.parametrize("suffix", [".png", ".svg"])
    def test_chart(self, tmp_path, suffix):
        """--chart writes a picture of the sweep."""
        path = tmp_path / f"sweep{suffix}"
        result = crg("sweep", R2627, EXAMPLES, "--chart", path)
        assert result.exit_code == 0 and path.stat().st_size > 1000
        assert not list(tmp_path.glob("*.part"))

    def test_chart_bad_suffix(self, tmp_path):
        """A chart that is neither .png nor .svg is bad input."""
        result = crg("sweep", R2627, EXAMPLES, "--chart", tmp_path / "sweep.gif")
        assert result.exit_code == 2 and "--chart" in result.stderr

    def test_chart_unwritable(self, tmp_path):
        """A chart in a folder that does not exist is bad input, not a traceback."""
        result = crg("sweep", R2627, EXAMPLES, "--chart", tmp_path / "nope" / "sweep.png")
        assert result.exit_code == 2 and "Traceback" not in result.stderr

    def test_table_marks_the_allocation(self):
        """The table marks the interval holding the allocation in use."""
        result = crg("sweep", R2627, EXAMPLES)
        assert result.exit_code == 0 and " <" in result.stdout and "breakpoints" in result.stdout


    def test_markdown(self):
        """sweep --format markdown prints a Markdown section: a heading and a table."""
        result = crg("sweep", R2627, EXAMPLES, "--format", "markdown")
        assert result.exit_code == 0
        assert result.stdout.startswith("## ") and "| change to the shortlist" in result.stdout


class TestOneRounding:
    @pytest.mark.parametrize("policy", ["rank", "optimal"])
    def test_scores_agree_across_commands(self, policy):
        """screen, sweep, compare and the JSON give the same total score, one decimal, from the same exact figures."""
        import re
        from fractions import Fraction

        from engine import fmt

        screen = crg("screen", R2627, EXAMPLES, "--policy", policy).stdout
        total = re.search(r"\(total score (\d+\.\d)\)", screen)[1]
        sweep = crg("sweep", R2627, EXAMPLES, "--policy", policy).stdout
        (row,) = [re.split(r"\s{2,}", line.strip()) for line in sweep.splitlines() if " < " in line and "£" in line[:12]]
        compare = crg("compare", R2627, EXAMPLES, SCENARIOS / "cut-to-20000.yaml", "--policy", policy).stdout
        (line,) = [re.split(r"\s{2,}", line) for line in compare.splitlines() if line.startswith("total score")]
        doc = ok_json("screen", R2627, EXAMPLES, "--policy", policy)
        assert row[4] == line[1] == fmt.points(Fraction(str(doc["total_score"]))) == total
        shown = [p["score"] for p in doc["proposals"] if p["status"] == "shortlisted"]
        assert abs(sum(shown) - doc["total_score"]) < 1e-9

