"""Tests of engine.cli: the ``crg`` command, run in-process with click's CliRunner."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from click.testing import CliRunner

from engine.inputs.money import parse as parse_money

from .conftest import PROPOSALS, REPO, ROUNDS, RULES, after_warnings, spoil

R2627 = RULES / "kcsp-2026-27.yaml"
EXAMPLES = PROPOSALS / "2026-27-example"
EXAMPLE = EXAMPLES / "asb-community-mediation.yaml"

# the deliberate failures of the example round, read from the notes in each file
EXPECTED_REJECTIONS = {
    "underage-vape-test-purchases": {"received-by-deadline"},  # received 9 April 2026
    "youth-diversion-programme": {"delivered-by-year-end"},  # ends 30 April 2027
    "rural-crime-tracker-kits": {"serves-csa"},  # lists only 'asb', a 2021/22 id
    "countywide-cctv-upgrade": {"fits-upfront-allocation"},  # £27,000 upfront
}
EXPECTED_CONCERNS = {
    "dhr-learning-webinars": {"has-evaluation-plan"},  # no evaluation text
    "nte-welfare-training": {"starts-in-year"},  # starts 16 March 2026
}


def command():
    """The ``crg`` click group (imported here, so that a broken import fails each test, not the whole run)."""
    from engine.cli import cli

    return cli


def crg(*args: str):
    """Run ``crg`` with *args*; stdout and stderr are kept apart (click 8.2 and later)."""
    return CliRunner().invoke(command(), [str(a) for a in args])


def rules_of(path) -> dict:
    """The rules file read with PyYAML's own safe loader, independent of the code under test."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def severities(path) -> dict[str, str]:
    return {rule["id"]: rule["severity"] for rule in rules_of(path)["rules"]}


def screen_json(rules, proposals, *extra) -> dict:
    result = crg("screen", rules, proposals, "--format", "json", *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


class TestScreen:
    """crg screen"""

    @pytest.mark.parametrize("key", sorted(ROUNDS))
    def test_each_round_exits_0(self, key):
        """Screening each shipped round succeeds and lists every proposal."""
        rules, folder = ROUNDS[key]
        result = crg("screen", rules, folder)
        assert result.exit_code == 0, result.stderr
        for path in folder.glob("*.yaml"):
            assert path.stem in result.stdout

    @pytest.mark.parametrize("key", ["kcsp-2021-22", "kcsp-2024-25", "kcsp-2025-26"])
    def test_real_rounds_all_eligible(self, key):
        """Every proposal of the three real rounds passes every rule that can exclude it."""
        rules, folder = ROUNDS[key]
        doc = screen_json(rules, folder)
        reject = {rule for rule, sev in severities(rules).items() if sev == "reject"}
        assert len(doc["proposals"]) == len(list(folder.glob("*.yaml")))
        for p in doc["proposals"]:
            failed = {c["rule"] for c in p["checks"] if not c["passed"]}
            assert not failed & reject, (p["id"], failed)
            assert p["status"] != "ineligible", p["id"]

    def test_example_round_failures(self):
        """In the example round each deliberate failure is ineligible for its own rule only, and no other is."""
        doc = screen_json(R2627, EXAMPLES)
        sev = severities(R2627)
        by_id = {p["id"]: p for p in doc["proposals"]}
        assert set(by_id) == {path.stem for path in EXAMPLES.glob("*.yaml")}
        for pid, p in by_id.items():
            failed = {c["rule"] for c in p["checks"] if not c["passed"]}
            rejected = {rule for rule in failed if sev[rule] == "reject"}
            flagged = {rule for rule in failed if sev[rule] == "flag"}
            assert rejected == EXPECTED_REJECTIONS.get(pid, set()), pid
            assert flagged == EXPECTED_CONCERNS.get(pid, set()), pid
            assert (p["status"] == "ineligible") == bool(rejected), pid

    def test_late_reason(self):
        """The late proposal's reason gives the date received and the deadline."""
        doc = screen_json(R2627, EXAMPLES)
        (p,) = [p for p in doc["proposals"] if p["id"] == "underage-vape-test-purchases"]
        (c,) = [c for c in p["checks"] if c["rule"] == "received-by-deadline"]
        assert "received 9 April 2026" in c["reason"] and "8 April 2026" in c["reason"]
        assert "received-by-deadline" in p["explanation"]

    def test_json_document(self):
        """The JSON names the round, gives money as strings with two decimals and every check with a reason."""
        doc = screen_json(R2627, EXAMPLES)
        assert doc["round"]["id"] == "kcsp-2026-27"
        assert doc["round"]["name"] == rules_of(R2627)["round"]["name"] == "KCSP Crime Reduction Grant 2026/27"
        assert doc["upfront"] == "26500.00"
        # the tactical pot after the leftover the round adds to it (issue: shortlist)
        assert parse_money(doc["tactical"]) == 1310000 + parse_money(doc["remaining"])
        rule_ids = [rule["id"] for rule in rules_of(R2627)["rules"]]
        ids = [p["id"] for p in doc["proposals"]]
        assert len(ids) == len(set(ids))
        for p in doc["proposals"]:
            assert {"id", "title", "cost", "status", "checks", "explanation"} <= set(p)
            source = yaml.safe_load((EXAMPLES / f"{p['id']}.yaml").read_text(encoding="utf-8"))
            assert p["title"] == source["title"]
            assert isinstance(p["cost"], str) and re.fullmatch(r"\d+\.\d\d", p["cost"])
            assert parse_money(p["cost"]) == parse_money(source["cost"])
            assert [c["rule"] for c in p["checks"]] == rule_ids
            for c in p["checks"]:
                assert isinstance(c["passed"], bool)
                assert isinstance(c["reason"], str) and c["reason"]
            assert isinstance(p["explanation"], str) and p["explanation"]
        costs = {p["id"]: p["cost"] for p in doc["proposals"]}
        assert costs["countywide-cctv-upgrade"] == "27000.00"
        assert costs["dhr-learning-webinars"] == "1850.00"

    def test_2024_25_consensus_first(self):
        """2024/25 selects the proposals with a consensus of support first: the seven come out for £26,278."""
        doc = screen_json(RULES / "kcsp-2024-25.yaml", PROPOSALS / "2024-25")
        assert doc["policy"] == "consensus-first"
        assert [p["status"] for p in doc["proposals"]] == ["shortlisted"] * 7
        assert (doc["allocated"], doc["remaining"]) == ("26278.00", "162.00")

    def test_markdown_lists_assumptions(self):
        """The Markdown section of a real round ends with what it rests on, its own and each proposal's."""
        result = crg("screen", RULES / "kcsp-2024-25.yaml", PROPOSALS / "2024-25", "--format", "markdown")
        tail = result.stdout.split("### What rests on assumptions")[1]
        assert "| rules " in tail and "`money.leftover` (tactical pot)" in tail
        assert re.search(r"^\| asb-case-reviews-training +\| `cost` \(£6,000\);", tail, re.M)

    def test_json_pence(self):
        """A cost with pence keeps them in the JSON."""
        doc = screen_json(RULES / "kcsp-2025-26.yaml", PROPOSALS / "2025-26")
        costs = {p["id"]: p["cost"] for p in doc["proposals"]}
        assert costs["domestic-abuse-champions-resources"] == "3703.20"
        assert costs["reflect-and-connect"] == "2477.40"

    def test_markdown(self):
        """--format markdown prints a Markdown table with every proposal."""
        result = crg("screen", R2627, EXAMPLES, "--format", "markdown")
        assert result.exit_code == 0, result.stderr
        assert re.search(r"^\|.*\|$", result.stdout, re.M)
        assert re.search(r"^\|[-:| ]+\|$", result.stdout, re.M)  # the header rule of a table
        for path in EXAMPLES.glob("*.yaml"):
            assert path.stem in result.stdout

    def test_numbers_past_64_bits(self, tmp_path, monkeypatch):
        """durable-rules compares whole numbers exactly up to 2**63 - 1: a cost past that is refused in one line
        with the fix, screening in plain Python, which then works; an allocation past it names the rule that
        would compare with it; a cost at the limit is screened."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "props").mkdir()
        line = spoil(EXAMPLE, tmp_path / "props" / "x.yaml", "cost: £9,000", "cost: £92,233,720,368,547,758.08")
        result = crg("screen", R2627, "props")
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr == (
            f"Error: props/x.yaml:{line}:7: cost: £92,233,720,368,547,758.08 is more than durable-rules can compare "
            "exactly (at most £92,233,720,368,547,758.07)\n"
            "  fix: screen with --engine python, which compares whole numbers of any size\n")
        python = crg("screen", R2627, "props", "--engine", "python", "--upfront", "£92,233,720,368,547,758.08")
        assert python.exit_code == 0, python.stderr
        assert "£92,233,720,368,547,758.08" in python.stdout
        over = crg("screen", R2627, "props", "--engine", "python", "--upfront", "£92,233,720,368,547,758.07")
        assert over.exit_code == 0, over.stderr
        allocation = crg("screen", R2627, EXAMPLES, "--upfront", "£92,233,720,368,547,758.08")
        assert allocation.exit_code == 2
        assert (f"Error: {R2627}: rule fits-upfront-allocation compares cost with £92,233,720,368,547,758.08 "
                "(money.upfront), more than durable-rules can compare exactly") in allocation.stderr
        spoil(EXAMPLE, tmp_path / "props" / "x.yaml", "cost: £9,000", "cost: £92,233,720,368,547,758.07")
        limit = crg("screen", R2627, "props")
        assert limit.exit_code == 0, limit.stderr

    @pytest.mark.parametrize("key", sorted(ROUNDS))
    @pytest.mark.parametrize("fmt", ["json", "table"])
    def test_python_engine_identical(self, key, fmt):
        """--engine python prints exactly what the default (durable-rules) engine prints."""
        rules, folder = ROUNDS[key]
        default = crg("screen", rules, folder, "--format", fmt)
        durable = crg("screen", rules, folder, "--format", fmt, "--engine", "durable")
        python = crg("screen", rules, folder, "--format", fmt, "--engine", "python")
        assert default.exit_code == durable.exit_code == python.exit_code == 0
        assert default.stdout == durable.stdout == python.stdout

    def test_warning_on_stderr(self):
        """The 2025/26 split warning goes to stderr, not into the output."""
        result = crg("screen", RULES / "kcsp-2025-26.yaml", PROPOSALS / "2025-26", "--format", "json")
        assert result.exit_code == 0
        assert result.stderr.startswith("Warning: ")
        assert "£1 short" in result.stderr
        assert "Warning" not in result.stdout
        json.loads(result.stdout)

    def test_no_warning_when_split_adds_up(self):
        """A round whose split adds up, and whose proposals raise no doubt, prints nothing on stderr."""
        result = crg("screen", RULES / "kcsp-2024-25.yaml", PROPOSALS / "2024-25")
        assert result.exit_code == 0
        assert result.stderr == ""

    def test_unknown_priority_warns_in_screen(self):
        """screen warns of a priority id the round does not list, at its line, and still screens."""
        result = crg("screen", R2627, EXAMPLES)
        assert result.exit_code == 0
        name = EXAMPLES / "rural-crime-tracker-kits.yaml"
        line = name.read_text(encoding="utf-8").split("csa_priorities:")[0].count("\n") + 1
        assert result.stderr == (f"Warning: {name}:{line}:17: csa_priorities: 'asb' is not an id of this round; "
                                 f"use an id listed under priorities in {R2627}\n")

    @pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
    def test_deterministic(self, tmp_path, monkeypatch, fmt):
        """Renamed files written in another order give byte-identical output."""
        plain, shuffled = tmp_path / "a" / "props", tmp_path / "b" / "props"
        plain.mkdir(parents=True)
        shuffled.mkdir(parents=True)
        paths = sorted(EXAMPLES.glob("*.yaml"))
        for path in paths:
            shutil.copy(path, plain / path.name)
        order = list(paths)
        random.Random(2027).shuffle(order)
        for i, path in enumerate(reversed(order)):
            shutil.copy(path, shuffled / f"{random.Random(i).randrange(10**6):06d}-{i}.yaml")
        outputs = []
        for folder in (plain, shuffled):
            monkeypatch.chdir(folder.parent)
            result = crg("screen", R2627, "props", "--format", fmt)
            assert result.exit_code == 0, result.stderr
            outputs.append(result.stdout_bytes)
        assert outputs[0] == outputs[1]


class TestValidate:
    """crg validate"""

    def test_rules_only(self):
        """A valid rules file alone is reported valid."""
        result = crg("validate", R2627)
        assert result.exit_code == 0, result.stderr
        assert str(R2627) in result.stdout
        assert "valid" in result.stdout

    @pytest.mark.parametrize("key", sorted(ROUNDS))
    def test_with_folder(self, key):
        """A rules file and its proposals are reported valid, with the number of proposals."""
        rules, folder = ROUNDS[key]
        result = crg("validate", rules, folder)
        assert result.exit_code == 0, result.stderr
        assert str(folder) in result.stdout
        assert str(len(list(folder.glob("*.yaml")))) in result.stdout

    def test_bad_proposal(self, tmp_path, monkeypatch):
        """A mistake in a proposal is reported with exit status 2."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "props").mkdir()
        spoil(EXAMPLE, tmp_path / "props" / "x.yaml", "cost: £9,000", "cost: £6,00")
        result = crg("validate", R2627, "props")
        assert result.exit_code == 2
        assert result.stderr.startswith("Error: props/x.yaml:7:")

    def test_panel_near_miss_note(self, tmp_path, monkeypatch):
        """A misspelt lead agency is valid but gets a note on stderr naming the panel's organisation it is close to."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "props").mkdir()
        spoil(EXAMPLE, tmp_path / "props" / EXAMPLE.name, "lead_agency: Dartford Borough Council",
              "lead_agency: Dartfrod Borough Council")
        result = crg("validate", R2627, "props")
        assert result.exit_code == 0, result.stderr
        assert result.stderr == (f"Note: props/{EXAMPLE.name}:3:14: lead_agency: 'Dartfrod Borough Council' is not an "
                                 "organisation of the panel (did you mean 'Dartford Borough Council'?), so no declared "
                                 "interest is found for it; correct the name, or list it in the rules file's panel\n")

    @pytest.mark.parametrize("command", ["validate", "screen"])
    def test_warnings_shown_with_the_mistakes(self, command, tmp_path, monkeypatch):
        """A folder holding a mistake (an id used twice) and things to look at (a stray file, a priority id of no
        round, which fails the rule on it) shows them all in one run: the warnings of what read, then the mistake;
        with --strict, the warnings are mistakes too, counted with it."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "props").mkdir()
        for path in EXAMPLES.glob("*.yaml"):
            shutil.copy(path, tmp_path / "props" / path.name)
        shutil.copy(EXAMPLES / "nte-welfare-training.yaml", tmp_path / "props" / "zz-copy.yaml")
        (tmp_path / "props" / "notes.txt").write_text("to do\n")
        result = crg(command, R2627, "props")
        assert result.exit_code == 2 and result.stdout == ""
        err = result.stderr
        assert "Warning: props/notes.txt: not a YAML file (*.yaml), so not read as a proposal" in err
        assert "Warning: props/rural-crime-tracker-kits.yaml:9:17: csa_priorities: 'asb' is not an id" in err
        assert after_warnings(err) == ("Error: props/zz-copy.yaml:1: id: the id 'nte-welfare-training' is also used "
                                       "by props/nte-welfare-training.yaml\n  fix: give each proposal its own id\n")
        strict = crg(command, R2627, "props", "--strict")
        assert strict.exit_code == 2
        mistakes = after_warnings(strict.stderr)
        assert "Error: props/rural-crime-tracker-kits.yaml:9:17: csa_priorities: 'asb' is not an id" in mistakes
        assert "Error: props/zz-copy.yaml:1: id: the id 'nte-welfare-training' is also used" in mistakes
        assert "Error: props/notes.txt: not a YAML file" in mistakes
        assert mistakes.endswith("3 problems in 3 files\n") and "Warning: " not in strict.stderr

    @pytest.mark.parametrize("command", ["validate", "screen"])
    def test_a_score_from_an_unlisted_agency(self, command, tmp_path, monkeypatch):
        """A panel score under a misspelt agency id stops the run (exit 2, nothing on stdout): counted, it would
        pass over the lead agency's declared interest."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "props").mkdir()
        spoil(EXAMPLE, tmp_path / "props" / "x.yaml", "  district-councils: 5", "  district-council: 5")
        result = crg(command, R2627, "props")
        assert result.exit_code == 2
        assert result.stdout == ""
        assert after_warnings(result.stderr).startswith(
            "Error: props/x.yaml:24:3: panel: 'district-council' is not an agency of this round's panel (did you "
            "mean 'district-councils'?), so whether it has an interest in the proposal cannot be checked\n  fix: ")


    def test_several_problems_in_several_files(self, tmp_path, monkeypatch):
        """Problems in the rules file and in two proposals are all printed, sorted, then counted; exit 2."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "props").mkdir()
        for path in EXAMPLES.glob("*.yaml"):
            shutil.copy(path, tmp_path / "props" / path.name)
        r = spoil(R2627, tmp_path / "r.yaml", "  upfront: £26,500", "  upfront: £26,50")
        a = spoil(EXAMPLE, tmp_path / "props" / EXAMPLE.name, "cost: £9,000", "cost: £6,00")
        b = spoil(EXAMPLES / "nte-welfare-training.yaml", tmp_path / "props" / "nte-welfare-training.yaml",
                  "pot: upfront", "pot: upfrnt")
        result = crg("validate", "r.yaml", "props")
        assert result.exit_code == 2 and result.stdout == ""
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
        assert [line.split(":")[1:3] for line in errors] == [
            [" props/asb-community-mediation.yaml", str(a)], [" props/nte-welfare-training.yaml", str(b)],
            [" r.yaml", str(r)]]
        assert result.stderr.count("  fix: ") == 3
        assert result.stderr.endswith("\n3 problems in 3 files\n")

    def test_scenarios_validated(self, tmp_path):
        """Scenario files given to validate are checked against the round and the proposals."""
        scenarios = sorted((REPO / "scenarios" / "2026-27-example").glob("*.yaml"))
        result = crg("validate", R2627, EXAMPLES, *scenarios)
        assert result.exit_code == 0, result.stderr
        assert result.stdout.count("valid (scenario '") == len(scenarios)
        (tmp_path / "s.yaml").write_text("name: x\nwithout: [nobody]\n", encoding="utf-8")
        result = crg("validate", R2627, EXAMPLES, tmp_path / "s.yaml")
        assert result.exit_code == 2 and "no proposal 'nobody'" in result.stderr


class TestWarningsAndStrict:
    """Warnings in every command, and --strict"""

    @staticmethod
    def copied_round(tmp_path) -> str:
        """The 2024/25 rules with its year moved on, as if copied without changing the dates."""
        spoil(RULES / "kcsp-2024-25.yaml", tmp_path / "r.yaml", "  financial_year: 2024/25", "  financial_year: 2025/26")
        return str(tmp_path / "r.yaml")

    COMMANDS = {
        "validate": lambda r: ["validate", r, PROPOSALS / "2024-25"],
        "rules": lambda r: ["rules", r],
        "screen": lambda r: ["screen", r, PROPOSALS / "2024-25"],
        "sweep": lambda r: ["sweep", r, PROPOSALS / "2024-25"],
        "compare": lambda r: ["compare", r, PROPOSALS / "2024-25", REPO / "scenarios" / "2026-27-example" /
                              "cut-to-20000.yaml"],
    }

    @pytest.mark.parametrize("name", sorted(COMMANDS))
    def test_warning_then_output(self, name, tmp_path):
        """Each command prints the warnings on stderr, one line each, and its output as usual."""
        result = crg(*self.COMMANDS[name](self.copied_round(tmp_path)))
        assert result.exit_code == 0, result.stderr
        lines = result.stderr.splitlines()
        assert lines and all(line.startswith("Warning: ") for line in lines)
        assert any("deadlines.proposals_due: 19 April 2024 is not in the financial year 2025/26" in line
                   for line in lines)
        assert result.stdout

    @pytest.mark.parametrize("name", sorted(COMMANDS))
    def test_strict_makes_them_errors(self, name, tmp_path):
        """With --strict each command refuses the same warnings as errors, exit 2, nothing on stdout."""
        warned = crg(*self.COMMANDS[name](self.copied_round(tmp_path)))
        result = crg(*self.COMMANDS[name](self.copied_round(tmp_path)), "--strict")
        assert result.exit_code == 2 and result.stdout == ""
        count = len(warned.stderr.splitlines())
        assert result.stderr.count("Error: ") == count
        assert count == 3 and result.stderr.endswith("\n3 problems in 1 file\n")  # the three deadlines

    @pytest.mark.parametrize("name", sorted(COMMANDS))
    def test_strict_passes_a_clean_round(self, name):
        """With --strict a round with nothing to warn of runs as usual."""
        args = [RULES / "kcsp-2024-25.yaml" if a == "R" else a for a in self.COMMANDS[name]("R")]
        result = crg(*args, "--strict")
        assert result.exit_code == 0, result.stderr
        assert result.stderr == ""


MONEY_SOURCE_2425 = "\n  source: KCSP Working Group update, 4 July 2024 (para 2.1)\n"


class TestValidateStrict:
    """crg validate --strict"""

    @pytest.mark.parametrize("key", ["kcsp-2021-22", "kcsp-2024-25"])
    def test_real_rounds_pass(self, key):
        """The shipped rounds, rules and proposals, have every value sourced or assumed, and nothing to warn of."""
        rules, folder = ROUNDS[key]
        result = crg("validate", "--strict", rules, folder)
        assert result.exit_code == 0, result.stderr

    def test_2026_27_rules_pass(self):
        """The 2026/27 rules file passes; its example proposals are made up, one of them wrong on purpose."""
        rules, folder = ROUNDS["kcsp-2026-27"]
        assert crg("validate", "--strict", rules).exit_code == 0
        assert "'asb' is not an id of this round" in crg("validate", "--strict", rules, folder).stderr

    def test_2025_26_split_is_refused(self):
        """2025/26's split of the grant is £1 short, as the reports give it: --strict refuses that warning alone
        (every value of the round is sourced or assumed)."""
        rules, folder = ROUNDS["kcsp-2025-26"]
        result = crg("validate", "--strict", rules, folder)
        assert result.exit_code == 2
        assert result.stderr == (f"Error: {rules}:22:1: money: the upfront allocation £26,440 and the tactical pot "
                                 "£13,220 add up to £39,660, £1 short of the grant of £39,661\n")
        assert crg("validate", rules, folder).exit_code == 0

    def test_mistakes_of_every_kind_at_once(self, tmp_path):
        """A proposal that cannot be read does not hide a mistake another proposal only shows with the round (a
        panel agency the round does not list): both are reported in one run, with the count."""
        rules, folder = ROUNDS["kcsp-2024-25"]
        shutil.copytree(folder, tmp_path / "p")
        speakers = tmp_path / "p" / "community-safety-learning-speakers.yaml"
        speakers.write_text(speakers.read_text(encoding="utf-8").replace("cost: £1,500\n", "cost: £1,50\n"),
                            encoding="utf-8")
        training = tmp_path / "p" / "asb-case-reviews-training.yaml"
        training.write_text(training.read_text(encoding="utf-8").replace("  probation: 3\n",
                                                                         "  probation: 3\n  foo-agency: 4\n"),
                            encoding="utf-8")
        result = crg("validate", rules, tmp_path / "p")
        assert result.exit_code == 2
        lines = result.stderr.splitlines()
        assert [line.split(": ")[2] for line in lines if line.startswith("Error: ")] == ["panel", "cost"]
        assert lines[-1] == "2 problems in 2 files"

    def test_strict_reports_the_unsourced_with_the_rest(self, tmp_path):
        """With --strict, a value neither sourced nor assumed is reported with the warnings made mistakes, not
        after them: 2025/26's £1 short split and a proposal with no source come out together."""
        rules, folder = ROUNDS["kcsp-2025-26"]
        shutil.copytree(folder, tmp_path / "p")
        champions = tmp_path / "p" / "vawg-champions-schools.yaml"
        champions.write_text("".join(line for line in champions.read_text(encoding="utf-8").splitlines(True)
                                     if not line.startswith("source:")), encoding="utf-8")
        result = crg("validate", "--strict", rules, tmp_path / "p")
        assert result.exit_code == 2
        assert "£1 short of the grant of £39,661" in result.stderr
        assert "vawg-champions-schools.yaml:7:7: cost: a value of a real round with no source" in result.stderr

    def test_2022_23_passes(self):
        """The 2022/23 rules file, with no proposals, passes."""
        result = crg("validate", "--strict", RULES / "kcsp-2022-23.yaml")
        assert result.exit_code == 0, result.stderr
        assert result.stdout == f"{RULES / 'kcsp-2022-23.yaml'}: valid (8 rules)\n"

    def test_unsourced_value(self, tmp_path, monkeypatch):
        """Every value of a real round neither sourced nor assumed is refused at once, each at its line, exit 2."""
        monkeypatch.chdir(tmp_path)
        spoil(RULES / "kcsp-2024-25.yaml", tmp_path / "r.yaml", MONEY_SOURCE_2425, "\n")
        lines = (tmp_path / "r.yaml").read_text(encoding="utf-8").splitlines()
        result = crg("validate", "--strict", "r.yaml")
        assert result.exit_code == 2
        assert result.stdout == ""
        expected = ""
        for field, written, column in (("grant", "£39,661", 10), ("upfront", "£26,440", 12), ("tactical", "£13,221", 13)):
            line = lines.index(f"  {field}: {written}") + 1
            expected += (f"Error: r.yaml:{line}:{column}: money.{field}: a value of a real round with no source, and "
                         "not listed under 'assumed:'\n"
                         f"  fix: give 'money' a 'source:' naming the report that gives it, or list 'money.{field}' "
                         "under 'assumed:'\n")
        assert result.stderr == expected + "3 problems in 1 file\n"

    def test_without_strict_it_passes(self, tmp_path, monkeypatch):
        """Without --strict the same file is valid."""
        monkeypatch.chdir(tmp_path)
        spoil(RULES / "kcsp-2024-25.yaml", tmp_path / "r.yaml", MONEY_SOURCE_2425, "\n")
        assert crg("validate", "r.yaml").exit_code == 0


class TestRules:
    """crg rules"""

    def test_lists_assumptions_and_the_tactical_pot(self):
        """crg rules says what the round assumes and when its tactical pot opens and closes."""
        out = crg("rules", RULES / "kcsp-2025-26.yaml").stdout
        assert "Assumed (no published report gives these):" in out
        assert "\n  money.leftover (returned)\n  deadlines.proposals_due (2025-04-25)\n  tactical_pot.opens (" in out
        assert "closes: Access to the tactical pot closes at the end of December." in out
        assert "  when the date is after the closing of the tactical pot of 31 December 2025" in out
        assert "fits-what-is-left [reject]" in out

    def test_markdown_assumptions_section(self):
        """--format markdown has a section listing what the round rests on."""
        out = crg("rules", RULES / "kcsp-2021-22.yaml", "--format", "markdown").stdout
        assert "## What rests on assumptions" in out and "`deadlines.proposals_due` (2021-05-14)" in out

    @pytest.mark.parametrize("key", sorted(ROUNDS))
    def test_every_rule_listed(self, key):
        """Every rule id of the file is printed, with the round's name."""
        rules, _ = ROUNDS[key]
        result = crg("rules", rules)
        assert result.exit_code == 0, result.stderr
        data = rules_of(rules)
        assert data["round"]["name"] in result.stdout
        for rule in data["rules"]:
            assert rule["id"] in result.stdout

    def test_says_in_words(self):
        """The deadline rule is printed in words, with its date."""
        result = crg("rules", R2627)
        assert "8 April 2026" in result.stdout

    def test_deadlines_in_words(self):
        """Each deadline is headed in words, as the field reference names it."""
        result = crg("rules", R2627)
        assert "Closing date for proposals: 8 April 2026.\nWorking Group's shortlisting meeting: 27 April 2026.\n" \
            in result.stdout


    def test_says_how_interests_are_handled(self, tmp_path):
        """The panel's agencies are listed, and whether a score from an agency with an interest is left out or counted."""
        lines = crg("rules", R2627).stdout.splitlines()
        assert any(line.startswith("Panel: Kent Police (kent-police); Kent County Council (kcc); ") for line in lines)
        assert ("Declared interests (interests: leave out): a panel score from an agency that leads or partners the "
                "proposal is left out of its panel mean and of its consensus.") in lines
        spoil(R2627, tmp_path / "r.yaml", "  interests: leave out\n  agencies:", "  interests: count\n  agencies:")
        assert ("Declared interests (interests: count): a panel score from an agency that leads or partners the "
                "proposal counts like any other.") in crg("rules", tmp_path / "r.yaml").stdout.splitlines()

    def test_says_when_there_is_no_panel(self):
        """A round without a panel says every score counts."""
        assert ("Panel: no agencies are listed, so every panel score counts and no interest is declared."
                in crg("rules", RULES / "kcsp-2025-26.yaml").stdout.splitlines())

    def test_says_what_is_assumed(self):
        """A real round whose panel is not in the reports says so."""
        assert ("Assumed, not given by the source: the panel's agencies and interests."
                in crg("rules", RULES / "kcsp-2024-25.yaml").stdout.splitlines())


class TestVersion:
    """--version"""

    def test_version_and_parser(self):
        """--version prints the version and which parser reads the YAML files."""
        from engine import __version__
        from engine.inputs.yamlfile import parser

        result = crg("--version")
        assert result.exit_code == 0
        assert result.stdout == f"crg, version {__version__}\nYAML files are read by {parser()}\n"

    def test_says_libyaml(self):
        """With PyYAML built with libyaml (as its wheels are), --version names libyaml."""
        from engine.inputs import yamlfile

        if yamlfile._FAST is None:
            pytest.skip("PyYAML was built without libyaml")
        assert "YAML files are read by libyaml " in crg("--version").stdout

    def test_says_fallback(self, monkeypatch):
        """Where libyaml is missing, --version says the pure-Python parser is in use."""
        from engine.inputs import yamlfile

        monkeypatch.setattr(yamlfile, "_FAST", None)
        assert "YAML files are read by PyYAML's pure-Python parser" in crg("--version").stdout

    def test_same_as_the_package(self):
        """The version printed is the installed package's."""
        from importlib.metadata import version

        assert crg("--version").stdout.startswith(f"crg, version {version('crg')}\n")


# what a command must not import: the rest is loaded by the commands that need it
NOT_LOADED = {
    ("--version",): ("durable", "numpy", "tabulate", "matplotlib", "engine.decision", "engine.outputs",
                     "engine.cli.options"),
    ("validate", "R2627", "EXAMPLES"): ("durable", "numpy", "tabulate", "matplotlib", "engine.decision.screen",
                                       "engine.decision.shortlist", "engine.decision.compare", "engine.outputs.report",
                                       "engine.outputs.chart"),
    ("screen", "R2627", "EXAMPLES", "--format", "json"): ("matplotlib", "tabulate", "engine.decision.compare",
                                                         "engine.outputs.chart"),
    ("sweep", "R2627", "EXAMPLES"): ("matplotlib", "engine.decision.compare", "engine.outputs.chart"),
}


class TestImports:
    """What each command loads, run as a real process"""

    @pytest.mark.parametrize("args", sorted(NOT_LOADED), ids=" ".join)
    def test_loads_only_what_it_uses(self, args):
        """A command loads neither the libraries nor the parts of crg it does not use."""
        argv = [{"R2627": str(R2627), "EXAMPLES": str(EXAMPLES)}.get(a, a) for a in args]
        code = (f"import sys; sys.argv = ['crg', *{argv!r}]\nfrom engine.cli import main\ntry: main()\n"
                "except SystemExit: pass\nprint(' '.join(sorted(sys.modules)), file=sys.stderr)")
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                                env=dict(os.environ, PYTHONPATH=str(REPO)))
        loaded = set(result.stderr.split())
        assert "engine.cli" in loaded, result.stderr
        unwanted = NOT_LOADED[args]
        assert sorted(m for m in loaded if m in unwanted or m.startswith(tuple(u + "." for u in unwanted))) == []


class TestHelp:
    """--help"""

    def test_group_help(self):
        """The top-level help has an example."""
        result = crg("--help")
        assert result.exit_code == 0
        assert "Example:" in result.stdout

    def test_every_command_has_example(self):
        """Every command's help has an Example: block showing that command."""
        names = sorted(command().list_commands(None))
        assert {"screen", "validate", "rules"} <= set(names)
        for name in names:
            result = crg(name, "--help")
            assert result.exit_code == 0, (name, result.stderr)
            assert "Example:" in result.stdout, name
            assert f"crg {name}" in result.stdout, name


# --- mistakes: each exits 2 with one short message naming the file as given -----------------------


def _case_missing_rules(tmp):
    return ["screen", "rules/nope.yaml", str(EXAMPLES)], "rules/nope.yaml"


def _case_rules_is_folder(tmp):
    (tmp / "rules").mkdir()
    return ["screen", "rules", str(EXAMPLES)], "rules"


def _case_missing_folder(tmp):
    return ["screen", str(R2627), "no-such-props"], "no-such-props"


def _case_empty_folder(tmp):
    (tmp / "props").mkdir()
    (tmp / "props" / "README.txt").write_text("later\n")
    return ["screen", str(R2627), "props"], "props"


def _proposal_case(old, new):
    def make(tmp):
        (tmp / "props").mkdir()
        spoil(EXAMPLE, tmp / "props" / "asb.yaml", old, new)
        return ["screen", str(R2627), "props"], "props/asb.yaml"
    return make


def _rules_case(old, new):
    def make(tmp):
        spoil(R2627, tmp / "my-rules.yaml", old, new)
        return ["screen", "my-rules.yaml", str(EXAMPLES)], "my-rules.yaml"
    return make


def _case_duplicate_id(tmp):
    (tmp / "props").mkdir()
    shutil.copy(EXAMPLE, tmp / "props" / "one.yaml")
    shutil.copy(EXAMPLE, tmp / "props" / "two.yaml")
    return ["screen", str(R2627), "props"], "props/two.yaml"


def _case_empty_proposal(tmp):
    (tmp / "props").mkdir()
    (tmp / "props" / "blank.yaml").write_text("# to do\n")
    return ["screen", str(R2627), "props"], "props/blank.yaml"


def _case_non_utf8(tmp):
    (tmp / "props").mkdir()
    (tmp / "props" / "latin.yaml").write_bytes(EXAMPLE.read_text(encoding="utf-8").encode("latin-1"))
    return ["screen", str(R2627), "props"], "props/latin.yaml"


def _case_alias(tmp):
    (tmp / "props").mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("title: Community", "title: &t Community").replace(
        "lead_agency: Dartford Borough Council", "lead_agency: *t")
    (tmp / "props" / "alias.yaml").write_text(text, encoding="utf-8")
    return ["screen", str(R2627), "props"], "props/alias.yaml"


def _case_validate_rules(tmp):
    spoil(R2627, tmp / "r.yaml", "  proposals_due: 2026-04-08", "  proposal_due: 2026-04-08")
    return ["validate", "r.yaml"], "r.yaml"


def _case_rules_command(tmp):
    spoil(R2627, tmp / "r.yaml", "  upfront: £26,500", "  upfront: £26,50")
    return ["rules", "r.yaml"], "r.yaml"


ERROR_CASES = {
    "missing rules file": _case_missing_rules,
    "rules file is a folder": _case_rules_is_folder,
    "missing proposals folder": _case_missing_folder,
    "folder with no yaml": _case_empty_folder,
    "malformed proposal": _proposal_case("pot: upfront", "pot: [upfront"),
    "ambiguous cost": _proposal_case("cost: £9,000", "cost: £6,00"),
    "cost wrong type": _proposal_case("cost: £9,000", "cost: [1, 2]"),
    "impossible date": _proposal_case("submitted: 2026-03-31", "submitted: 2026-02-30"),
    "date wrong form": _proposal_case("submitted: 2026-03-31", "submitted: 08/04/2026"),
    "unknown field": _proposal_case("csa_priorities:", "csa_priorites:"),
    "python tag": _proposal_case("cost: £9,000", 'cost: !!python/object/apply:os.system ["echo hi"]'),
    "duplicate key": _proposal_case("cost: £9,000", "cost: £9,000\ncost: £1"),
    "minimum over cost": _proposal_case("minimum_cost: £6,500", "minimum_cost: £10,000"),
    "delivery backwards": _proposal_case("  end: 2027-03-31", "  end: 2026-01-01"),
    "duplicate id": _case_duplicate_id,
    "empty proposal": _case_empty_proposal,
    "non-utf8 proposal": _case_non_utf8,
    "alias": _case_alias,
    "unknown severity": _rules_case("    severity: reject\n    check:\n      submitted:",
                                    "    severity: rejct\n    check:\n      submitted:"),
    "unknown test word": _rules_case("      submitted: {on or before: deadlines.proposals_due}",
                                     "      submitted: {on or befor: deadlines.proposals_due}"),
    "unknown figure": _rules_case("      submitted: {on or before: deadlines.proposals_due}",
                                  "      submitted: {on or before: deadlines.proposal_due}"),
    "malformed rules": _rules_case("  grant: £39,600", "  grant: [£39,600"),
    "financial year out of calendar": _rules_case("  financial_year: 2026/27", "  financial_year: 9999/00"),
    "validate bad rules": _case_validate_rules,
    "rules command bad money": _case_rules_command,
}


class TestErrors:
    """_fail: how a user's mistake is reported"""

    @pytest.mark.parametrize("case", sorted(ERROR_CASES))
    def test_error(self, case, tmp_path, monkeypatch):
        """A user's mistake exits 2 with a short 'Error: ' message on stderr naming the file as given, and no traceback."""
        monkeypatch.chdir(tmp_path)
        args, shown = ERROR_CASES[case](tmp_path)
        result = crg(*args)
        assert result.exit_code == 2, (result.exit_code, result.stderr, result.exception)
        assert result.stdout == ""
        assert "Traceback" not in result.stderr
        err = after_warnings(result.stderr)
        assert err.startswith("Error: ")
        assert 1 <= len(err.rstrip("\n").splitlines()) <= 3
        assert err.startswith(f"Error: {shown}:"), err


    @pytest.mark.parametrize(("args", "said", "path"), [
        (["scren"], "No such command 'scren' (did you mean 'screen'?).", "crg"),
        (["screen", "--polcy", "x"], "No such option '--polcy'. Did you mean '--policy'?", "crg screen"),
        (["screen", R2627], "Missing argument 'PROPOSALS_DIR'.", "crg screen"),
        (["screen", R2627, EXAMPLES, "--policy", "Rank"],
         "Invalid value for '--policy': 'Rank' is not one of 'rank', 'optimal', 'consensus-first'.", "crg screen"),
        (["decide", "1"], "Missing option '--outcome'. Choose from: approved, amended, declined", "crg decide"),
        (["new", "proposl"], "No such command 'proposl'. Did you mean 'proposal'?", "crg new"),
    ])
    def test_a_command_called_wrongly(self, args, said, path):
        """A mistake in calling a command (a misspelt command or option, a value not allowed, an argument left
        out) is reported as every other mistake: what is wrong on one line, the fix on the next, exit status 2."""
        result = crg(*args)
        assert result.exit_code == 2
        assert result.stdout == ""
        path = path.replace("crg", command().name, 1)  # the test runner calls the program by its function's name
        assert result.stderr == f"Error: {said}\n  fix: see '{path} --help' for how to call it\n"

    def test_crg_alone_gives_its_help(self):
        """'crg' with no command prints the help, as click does."""
        result = crg()
        assert result.exit_code == 2
        assert result.output.startswith(f"Usage: {command().name} [OPTIONS] COMMAND [ARGS]...\n")
        assert "\nCommands:\n" in result.output

    @pytest.mark.parametrize("case", ["ambiguous cost", "financial year out of calendar"])
    def test_error_from_real_process(self, case, tmp_path):
        """Run as a real process, a mistake exits 2 with no traceback on stderr."""
        args, shown = ERROR_CASES[case](tmp_path)
        result = subprocess.run([sys.executable, "-c", "from engine.cli import main; main()", *args],
                                cwd=tmp_path, capture_output=True, text=True, timeout=60,
                                env=dict(os.environ, PYTHONPATH=str(REPO)))
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith(f"Error: {shown}:")
        assert "Traceback" not in result.stderr
        assert result.stdout == ""

    @pytest.mark.parametrize("args", [["screen", R2627, EXAMPLES], ["compare", R2627, EXAMPLES, REPO / "scenarios" / "2026-27-example" / "cut-to-20000.yaml"],
                                      ["rules", R2627], ["screen", R2627, EXAMPLES, "--policy", "Rank"]])
    def test_the_same_bytes_whatever_the_locale(self, args, tmp_path):
        """Output and errors are UTF-8 in any locale: under the POSIX locale with Python's UTF-8 mode off, whose
        encoding cannot write a pound sign, a dash or an ellipsis, the bytes are those of a UTF-8 locale."""
        def run(**env):
            plain = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG", "PYTHONIOENCODING"))}
            return subprocess.run([sys.executable, "-c", "from engine.cli import main; main()", *map(str, args)],
                                  cwd=tmp_path, capture_output=True, timeout=60,
                                  env=dict(plain, PYTHONPATH=str(REPO), **env))

        utf8, posix = run(LC_ALL="C.UTF-8"), run(LC_ALL="POSIX", PYTHONUTF8="0")
        assert (posix.returncode, posix.stdout, posix.stderr) == (utf8.returncode, utf8.stdout, utf8.stderr)
        assert "£".encode() in utf8.stdout + utf8.stderr or args[-1] == "Rank"

    def test_another_failure_is_not_said_to_be_the_output(self, monkeypatch):
        """Only a failure for want of room is reported as output that cannot be written; any other reaching the
        console script (a defect) is shown as it is."""
        import engine.cli as entry

        def refused(**kwargs):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(entry, "cli", refused)
        with pytest.raises(PermissionError):
            entry.main()

    def test_a_name_that_is_not_utf8(self, tmp_path):
        """A mistake naming a folder whose name is not UTF-8 is printed with the odd byte escaped, exit 2."""
        os.mkdir(os.path.join(os.fsencode(tmp_path), b"bad\xffdir"))
        result = subprocess.run([sys.executable, "-c", "from engine.cli import main; main()", "screen", str(R2627),
                                 os.path.join(os.fsencode(tmp_path), b"bad\xffdir")], cwd=tmp_path,
                                capture_output=True, timeout=60, env=dict(os.environ, PYTHONPATH=str(REPO)))
        assert result.returncode == 2
        assert result.stderr == (f"Error: {tmp_path}/bad\\udcffdir: holds no proposal files (*.yaml)\n"
                                 "  fix: add one YAML file per proposal\n").encode()

    @pytest.mark.parametrize("args", [["screen", R2627, EXAMPLES], ["--help"], ["screen", "--help"], ["--version"]])
    def test_output_that_cannot_be_written(self, args, tmp_path):
        """Output sent to a full disk (a command's, or the help or the version) is one line of error and exit
        status 2, no traceback."""
        with open("/dev/full", "w") as full:
            result = subprocess.run([sys.executable, "-c", "from engine.cli import main; main()", *map(str, args)],
                                    cwd=tmp_path, stdout=full, stderr=subprocess.PIPE,
                                    text=True, timeout=60, env=dict(os.environ, PYTHONPATH=str(REPO)))
        assert result.returncode == 2
        assert result.stderr.endswith("Error: stdout: the output cannot be written (No space left on device)\n"
                                      "  fix: make room where the output goes, or send it somewhere else\n")
        assert "Traceback" not in result.stderr
