"""Tests of engine.cli.record: the register's commands, run in-process, and each of their error paths."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from engine.record import register as register_module

from .conftest import REPO, ROUNDS
from .registers import clock, crg, failed, here, record_here as record, sqlite_shell, unguarded  # noqa: F401

RULES, FOLDER = ROUNDS["kcsp-2026-27"]


class TestRecord:
    def test_prints_outcome_then_id(self, here):
        """record prints the outcome and where it was kept, and the run's id alone on the last line."""
        first, second = record(), record("--note", "second look")
        assert first.stdout.startswith("KCSP Crime Reduction Grant 2026/27\n")
        lines = second.stdout.splitlines()
        assert lines[-1] == "2"
        assert lines[-2].startswith("Recorded as run 2: 27 April 2026, 10:01 UTC by officer, with crg ")
        assert (here / "crg.db").exists()

    def test_register_from_flag_then_environment(self, here):
        """--register names the file; else CRG_REGISTER; else crg.db here."""
        assert crg("record", "rules.yaml", "props", "--by", "x", "--register", "a.db").exit_code == 0
        assert crg("record", "rules.yaml", "props", "--by", "x", env={"CRG_REGISTER": "b.db"}).exit_code == 0
        assert crg("record", "rules.yaml", "props", "--by", "x", "--register", "c.db",
                   env={"CRG_REGISTER": "b.db"}).exit_code == 0
        assert sorted(p.name for p in here.glob("*.db")) == ["a.db", "b.db", "c.db"]

    def test_a_score_from_an_unlisted_agency(self, here):
        """A mistake crg screen refuses in the files read together (a panel score under a misspelt agency) is
        refused by record too, and nothing is kept."""
        path = here / "props" / "asb-community-mediation.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("  district-councils: 5", "  district-council: 5"),
                        encoding="utf-8")
        result = crg("record", "rules.yaml", "props", "--by", "x")
        assert result.exit_code == 2 and result.stdout == ""
        assert result.stderr.startswith("Error: props/asb-community-mediation.yaml:24:3: panel: 'district-council' "
                                        "is not an agency of this round's panel")
        assert not (here / "crg.db").exists()

    def test_the_warnings_of_screen(self, here):
        """record warns of what screen warns of, in the same words and order: the proposals' warnings and an
        allocation beyond the grant too."""
        screened = crg("screen", "rules.yaml", "props", "--upfront", "£45,000")
        recorded = crg("record", "rules.yaml", "props", "--upfront", "£45,000", "--by", "x")
        assert recorded.exit_code == 0
        assert recorded.stderr == screened.stderr
        assert "csa_priorities: 'asb' is not an id of this round" in recorded.stderr
        assert "come to £18,500 more than the grant of £39,600" in recorded.stderr

    def test_warning_on_stderr(self, here):
        """A round's warning goes to stderr, as with screen."""
        result = crg("record", RULES.parent / "kcsp-2025-26.yaml", ROUNDS["kcsp-2025-26"][1], "--by", "x")
        assert result.exit_code == 0 and result.stderr.startswith("Warning: ")

    def test_what_if_and_scenario(self, here):
        """The what-if flags and scenario files are applied and kept."""
        scenario = REPO / "scenarios" / "2026-27-example" / "late-proposal-accepted.yaml"
        record("--upfront", "£20,000", "--scenario", scenario)
        shown = json.loads(crg("show", "1", "--format", "json").stdout)
        assert [o["name"] for o in shown["outcome"]["overrides"]] == ["upfront", "relax"]
        assert shown["inputs"][-1] == {"kind": "scenario", "name": str(scenario), "key": "late proposal accepted",
                                       "sha256": shown["inputs"][-1]["sha256"]}

    def test_bad_input_writes_nothing(self, here):
        """A mistake in a file is reported as screen reports it, and no run is kept."""
        (here / "props" / "dhr-learning-webinars.yaml").write_text("id: [\n")
        result = crg("record", "rules.yaml", "props", "--by", "x")
        assert result.exit_code == 2 and result.stderr.startswith("Error: props/dhr-learning-webinars.yaml:2:1: ")
        assert not (here / "crg.db").exists()

    def test_not_a_register(self, here):
        """A --register that is not a register is one line, exit 2."""
        (here / "notes.txt").write_text("minutes\n" * 200)
        failed(crg("record", "rules.yaml", "props", "--register", "notes.txt"),
               "Error: notes.txt: is not a register (not an SQLite database)\n")

    def test_empty_by(self, here):
        """--by must name someone."""
        failed(crg("record", "rules.yaml", "props", "--by", " "),
               "Error: --by: is empty\n  fix: write some words after --by, or leave it out\n")


class TestHistory:
    def test_table_and_json(self, here):
        """history lists every run with its round, who, what-ifs and decision; JSON has the same."""
        record()
        record("--upfront", "£20,000")
        crg("decide", "1", "--outcome", "approved", "--by", "Chair")
        table = crg("history").stdout.splitlines()
        assert table[0].split()[:5] == ["run", "recorded", "round", "by", "crg"]
        assert "approved by Chair" in table[2] and "upfront allocation set to £20,000" in table[3]
        doc = json.loads(crg("history", "--format", "json").stdout)
        assert [(r["run"], r["decision"]["outcome"] if r["decision"] else None) for r in doc] == [(1, "approved"),
                                                                                                  (2, None)]
        assert doc[1]["overrides"] == ["upfront allocation set to £20,000"]

    def test_round_filter(self, here):
        """--round keeps the runs of that round."""
        record()
        assert json.loads(crg("history", "--round", "kcsp-2025-26", "--format", "json").stdout) == []
        assert crg("history", "--round", "kcsp-2025-26").stdout == (
            "No runs of round 'kcsp-2025-26' recorded (did you mean 'kcsp-2026-27'?); the register holds runs of "
            "kcsp-2026-27.\n")
        assert crg("history", "--round", "other").stdout == (
            "No runs of round 'other' recorded; the register holds runs of kcsp-2026-27.\n")
        assert crg("history", "--round", "kcsp-2026-2").stdout == (
            "No runs of round 'kcsp-2026-2' recorded (did you mean 'kcsp-2026-27'?); the register holds runs of "
            "kcsp-2026-27.\n")

    def test_no_register(self, here):
        """history with no register is one line, exit 2, and makes none."""
        failed(crg("history"), "Error: crg.db: there is no register here (crg record makes one)\n")
        assert not (here / "crg.db").exists()


class TestShow:
    def test_table(self, here):
        """show prints the particulars and the outcome as recorded, and says no decision is recorded yet."""
        recorded = record("--note", "WG meeting").stdout
        out = crg("show", "1").stdout
        table = recorded[:recorded.index("\nRecorded as run 1")]
        assert out.startswith("Run 1: KCSP Crime Reduction Grant 2026/27\nRecorded 27 April 2026, 10:00 UTC by "
                              "officer, with crg ")
        assert "Note: WG meeting\nFiles: rules.yaml and 12 proposals in props.\nWhat-ifs: none.\n" in out
        assert table in out
        assert out.endswith("The Chair's decision\n\nNot recorded yet (crg decide 1 --outcome "
                            "approved|amended|declined --by NAME).\n")

    def test_side_by_side(self, here):
        """After a decision, show puts each proposal's recommendation beside the Chair's decision and its reason."""
        record()
        crg("decide", "1", "--outcome", "amended", "--by", "Chair", "--fund", "asb-community-mediation=match funding",
            "--drop", "nte-welfare-training=too early")
        out = crg("show", "1").stdout
        rows = {line.split()[0]: line for line in out.splitlines() if line.split() and "-" in line.split()[0]}
        assert rows["asb-community-mediation"].split()[2:5] == ["reserve", "funded", "match"]
        assert rows["nte-welfare-training"].split()[2:6] == ["shortlisted", "not", "funded", "too"]
        assert rows["doorstep-crime-door-chains"].split()[2:] == ["shortlisted", "funded", "-"]
        assert out.rstrip().endswith("Funded: 6 proposals for £30,100.00, £3,600.00 more than the upfront allocation "
                                     "of £26,500.00.")

    def test_json_is_the_record(self, here):
        """show --format json holds the outcome document exactly as screen --format json printed it."""
        record()
        screened = json.loads(crg("screen", "rules.yaml", "props", "--format", "json").stdout)
        shown = json.loads(crg("show", "1", "--format", "json").stdout)
        assert shown["outcome"] == screened
        assert len(shown["inputs"]) == 13 and shown["decisions"] == []

    def test_markdown_document(self, here):
        """show --format markdown is the recommendation document: particulars, shortlist, decision and files."""
        record()
        crg("decide", "1", "--outcome", "approved", "--by", "Chair")
        out = crg("show", "1", "--format", "markdown").stdout
        assert out.startswith("# KCSP Crime Reduction Grant 2026/27: the Working Group's recommendation\n")
        for part in ("## KCSP Crime Reduction Grant 2026/27: recommended shortlist", "### Every decision",
                     "## The Chair's decision", "Decision 1: Approved by Chair", "## The files screened",
                     "| rules    | `rules.yaml`"):
            assert part in out, part

    @pytest.mark.parametrize("args, message", [
        (["show", "4"], "Error: crg.db: run 4 is not in the register (it holds run 1)\n  fix: give the number of a run it holds (crg history lists them)\n"),
        (["show", "one"], "Error: RUN: 'one' is not a run number (crg history lists them)\n  fix: give a run's number, e.g. 1\n"),
    ])
    def test_errors(self, args, message, here):
        """A run that is not there, or not a number, is one line, exit 2."""
        record()
        failed(crg(*args), message)


class TestReplay:
    def test_identical(self, here):
        """replay exits 0 and says so when every decision is as recorded, even with the files gone."""
        record()
        shutil.rmtree(here / "props")
        result = crg("replay", "1")
        assert result.exit_code == 0
        assert result.stdout == ("Run 1 (KCSP Crime Reduction Grant 2026/27, recorded 27 April 2026, 10:00 UTC) "
                                 f"replayed with crg {_version()}: identical, every one of the 12 decisions as "
                                 "recorded.\n")

    def test_different(self, here):
        """replay exits 1 listing each difference and its cause."""
        record()
        sqlite_shell(here / "crg.db", unguarded(
            "UPDATE runs SET engine_version = '0.0.1', outcome = replace(outcome, '\"rank\": 6,', '\"rank\": 9,');",
            "runs"))
        result = crg("replay", "1")
        assert result.exit_code == 1
        lines = result.stdout.splitlines()
        assert lines[0] == ("Run 1 (KCSP Crime Reduction Grant 2026/27, recorded 27 April 2026, 10:00 UTC) replayed "
                            f"with crg {_version()}: 1 proposal differs from the record.")
        assert "  asb-community-mediation" in lines and "    rank: 9 → 6" in lines
        assert lines[-1] == f"Cause: a newer engine version: recorded with crg 0.0.1, replayed with crg {_version()}"
        doc = json.loads(crg("replay", "1", "--format", "json").stdout)
        assert doc["differences"] == [{"proposal": "asb-community-mediation", "field": "rank", "recorded": 9, "now": 6}]

    @pytest.mark.parametrize("case", ["missing run", "text file", "damaged", "locked", "no register"])
    def test_cannot_read(self, case, here, monkeypatch):
        """A run that does not exist, or a register that is not one, damaged or locked, exits 2 in one line."""
        record()
        args = ["replay", "1"]
        holder = None
        if case == "missing run":
            args = ["replay", "2"]
            message = "Error: crg.db: run 2 is not in the register (it holds run 1)\n  fix: give the number of a run it holds (crg history lists them)\n"
        elif case == "text file":
            (here / "crg.db").write_text("not a register\n" * 300)
            message = "Error: crg.db: is not a register (not an SQLite database)\n"
        elif case == "damaged":
            data = bytearray((here / "crg.db").read_bytes())
            data[4096:] = bytes(len(data) - 4096)
            (here / "crg.db").write_bytes(bytes(data))
            message = "Error: crg.db: the register is damaged (database disk image is malformed)\n"
        elif case == "locked":
            monkeypatch.setattr(register_module, "BUSY_TIMEOUT", 0.1)
            holder = sqlite3.connect(here / "crg.db", isolation_level=None)
            holder.execute("PRAGMA locking_mode = EXCLUSIVE")
            holder.execute("BEGIN EXCLUSIVE")
            message = ("Error: crg.db: the register is in use by another program (waited 0.1 s); try again when it "
                       "is done\n")
        else:
            (here / "crg.db").unlink()
            message = "Error: crg.db: there is no register here (crg record makes one)\n"
        try:
            failed(crg(*args), message)
        finally:
            if holder is not None:
                holder.close()

    def test_corrupt_in_a_real_process(self, here):
        """Run as a real process on a damaged register, replay exits 2 with one line and no traceback."""
        record()
        data = bytearray((here / "crg.db").read_bytes())
        data[100:4096] = b"\xff" * (4096 - 100)
        (here / "crg.db").write_bytes(bytes(data))
        done = subprocess.run([sys.executable, "-c", "from engine.cli import main; main()", "replay", "1"],
                              cwd=here, capture_output=True, text=True, timeout=60,
                              env=dict(os.environ, PYTHONPATH=str(REPO)))
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr.startswith("Error: crg.db: ") and len(done.stderr.splitlines()) == 1, done.stderr


def _version() -> str:
    from engine.record.runs import engine_version

    return engine_version()


class TestDiff:
    def test_same_and_different(self, here):
        """diff exits 0 when nothing changed, 1 listing the decisions that moved and why."""
        record()
        record()
        record("--upfront", "£20,000")
        same = crg("diff", "1", "2")
        assert same.exit_code == 0 and same.stdout.endswith(": nothing changed.\n")
        moved = crg("diff", "1", "3")
        assert moved.exit_code == 1
        assert "What-ifs: none → upfront allocation set to £20,000" in moved.stdout
        assert "  dhr-learning-webinars: shortlisted (5th) → reserve (5th)" in moved.stdout
        doc = json.loads(crg("diff", "1", "3", "--format", "json").stdout)
        assert [m["id"] for m in doc["moved"]] == ["dhr-learning-webinars", "nte-welfare-training"]

    def test_missing_run(self, here):
        """A run that is not there is one line, exit 2."""
        record()
        failed(crg("diff", "1", "5"), "Error: crg.db: run 5 is not in the register (it holds run 1)\n  fix: give the number of a run it holds (crg history lists them)\n")


class TestDecide:
    def test_prints_the_decision(self, here):
        """decide prints the decision and every departure with its reason."""
        record()
        result = crg("decide", "1", "--outcome", "amended", "--by", "KCSP Chair", "--note", "the panel's view",
                     "--drop", "nte-welfare-training")
        assert result.exit_code == 0
        assert result.stdout == ("Recorded the Chair's decision 1 on run 1: Amended by KCSP Chair, 27 April 2026, "
                                 "10:01 UTC. Note: the panel's view.\n"
                                 "  nte-welfare-training (shortlisted): not funded, because the panel's view\n")

    def test_error(self, here):
        """A departure that does not fit the recommendation is one message, exit 2."""
        record()
        failed(crg("decide", "1", "--outcome", "amended", "--by", "Chair", "--note", "x", "--drop",
                   "asb-community-mediation"),
               "Error: --drop: 'asb-community-mediation' is reserve in run 1, so it cannot be dropped\n"
               "  fix: --fund names a proposal the recommendation leaves out; --drop one it shortlists\n")


class TestVerify:
    def test_sound(self, here):
        """verify exits 0 on a register written only by crg, and prints the last hashes."""
        record()
        result = crg("verify")
        assert result.exit_code == 0
        assert result.stdout.startswith("The register holds 1 run and 0 decisions of the Chair, every one as "
                                        "recorded; both chains are whole.\nHash of the last run: ")

    def test_edited_with_the_shell(self, here):
        """After a row is edited with the sqlite3 shell, verify exits 1 naming the first run that does not match."""
        for _ in range(3):
            record()
        sqlite_shell(here / "crg.db", unguarded("UPDATE runs SET note = 'changed' WHERE id = 2;", "runs"))
        result = crg("verify")
        assert result.exit_code == 1
        assert result.stdout.splitlines()[0] == ("Run 2 is not as recorded: its hash does not match what the "
                                                 "register holds (a row was changed outside crg).")
