"""Tests of engine.record.runs: recording a run, replaying it from the stored bytes, verifying the register."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.errors import InputError
from engine.inputs.round import load_round
from engine.inputs.scenario import Overrides
from engine.inputs.yamlfile import Source
from engine.record import runs
from engine.record.chair import decide
from engine.record.register import RegisterError, open_register
from engine.record.runs import Inputs, find_run, record, replay, run_number, verify

from . import strategies as S
from .conftest import REPO, ROUNDS
from .registers import clock, record_round, sqlite_shell, unguarded  # noqa: F401

SCENARIOS = REPO / "scenarios" / "2026-27-example"


def copy_round(key: str, into: Path) -> tuple[str, str]:
    """The rules file and folder of round *key*, copied into *into*; their names relative to it."""
    rules, folder = ROUNDS[key]
    shutil.copy(rules, into / rules.name)
    shutil.copytree(folder, into / folder.name)
    return rules.name, folder.name


class TestRecord:
    @pytest.mark.parametrize("key", sorted(ROUNDS))
    def test_record_then_replay_identical(self, key, tmp_path, clock):
        """Each shipped round, recorded, replays identically."""
        run = record_round(tmp_path / "crg.db", key)
        with open_register(tmp_path / "crg.db") as reg:
            result = replay(reg, run.id)
        assert result.identical and not result.rules_read and result.refused is None

    def test_what_is_kept(self, tmp_path, clock):
        """A run keeps when, who, the note, the version, every file's bytes and digest, the what-ifs and the outcome."""
        overrides = Overrides.from_flags(upfront="£20,000", weights=["panel=1.2345"], relax=["starts-in-year=flag"])
        run = record_round(tmp_path / "crg.db", overrides=overrides, by="  KCST   officer ", note="WG, 27 April")
        rules, folder = ROUNDS["kcsp-2026-27"]
        assert run.recorded_at == "2026-04-27T10:00:00Z"
        assert (run.by, run.note, run.engine, run.engine_version) == ("KCST officer", "WG, 27 April", "durable",
                                                                      runs.engine_version())
        names = [i.name for i in run.inputs]
        assert names == ["rules/kcsp-2026-27.yaml"] + sorted(f"proposals/2026-27-example/{p.name}"
                                                             for p in folder.glob("*.yaml"))
        for i in run.inputs:
            assert i.data == (REPO / i.name).read_bytes()
        assert [i.key for i in run.inputs_of("proposal")] == sorted(p.stem for p in folder.glob("*.yaml"))
        assert Overrides.from_mapping(json.loads(run.overrides)) == overrides
        assert run.document()["upfront"] == "20000.00"
        assert run.table.startswith("KCSP Crime Reduction Grant 2026/27")

    def test_scenarios_kept_and_applied(self, tmp_path, monkeypatch, clock):
        """Scenario files are applied on top of the flags, in order, and kept with the run."""
        monkeypatch.chdir(tmp_path)
        inputs = Inputs.from_paths(*copy_round("kcsp-2026-27", tmp_path),
                                   [str(SCENARIOS / "cut-to-20000.yaml"), str(SCENARIOS / "panel-counts-more.yaml")])
        with open_register(tmp_path / "crg.db", create=True) as reg:
            run, outcome = record(reg, inputs, Overrides.from_flags(policy="optimal"), by="x")
        assert [(i.kind, i.key) for i in run.inputs_of("scenario")] == [("scenario", "cut to £20,000"),
                                                                        ("scenario", "panel counts more")]
        assert [o["name"] for o in run.document()["overrides"]] == ["upfront", "policy", "weight"]
        assert outcome.policy == "optimal" and outcome.upfront == 20_000_00

    def test_empty_by_refused(self, tmp_path):
        """An empty --by is refused, and nothing is recorded."""
        with open_register(tmp_path / "crg.db", create=True) as reg:
            with pytest.raises(InputError, match="--by: is empty"):
                record(reg, Inputs.from_paths(*ROUNDS["kcsp-2024-25"]), by="  ")
            assert reg.runs() == []

    def test_no_path_of_the_machine(self, tmp_path, monkeypatch, clock):
        """The register holds no path of the recording machine beyond the names given on the command line."""
        monkeypatch.chdir(tmp_path)
        names = copy_round("kcsp-2026-27", tmp_path)
        shutil.copy(SCENARIOS / "cut-to-20000.yaml", tmp_path)
        with open_register("crg.db", create=True) as reg:
            record(reg, Inputs.from_paths(*names, ["cut-to-20000.yaml"]), by="x")
        held = b"".join(p.read_bytes() for p in tmp_path.glob("crg.db*"))
        for place in {str(tmp_path), str(tmp_path.resolve()), str(REPO), os.path.expanduser("~")} - {"/"}:
            assert place.encode() not in held, place


@st.composite
def random_rounds(draw):
    """A shipped rules file, a folder of generated proposals for it, the what-ifs and the rule engine."""
    key = draw(st.sampled_from(sorted(ROUNDS)))
    agencies = tuple(a.id for a in load_round(ROUNDS[key][0]).panel.agencies)
    files = draw(S.proposal_folders(max_size=5, panel_agencies=agencies))
    upfront = draw(st.one_of(st.none(), S.costs().map(lambda pence: f"{pence // 100}.{pence % 100:02d}")))
    policy = draw(st.sampled_from([None, "rank", "optimal", "consensus-first"]))
    return key, files, Overrides.from_flags(upfront=upfront, policy=policy), draw(st.sampled_from(["durable", "python"]))


class TestReplay:
    @settings(max_examples=40)
    @given(random_rounds())
    def test_random_rounds_replay_identical(self, drawn):
        """Any round recorded, with any what-ifs, replays identically from its stored bytes."""
        key, files, overrides, engine = drawn
        rules, _ = ROUNDS[key]
        inputs = Inputs(Source(f"rules/{rules.name}", rules.read_bytes()), "props",
                        tuple(Source(f"props/{name}", text.encode("utf-8")) for name, text in files))
        with tempfile.TemporaryDirectory() as folder, open_register(Path(folder) / "crg.db", create=True) as reg:
            run, _ = record(reg, inputs, overrides, engine=engine, by="x")
            result = replay(reg, run.id)
            assert result.identical, result.differences
            assert run.engine == engine

    def test_replay_reads_no_file_on_disk(self, tmp_path, monkeypatch, clock):
        """Replay re-runs the stored bytes under their recorded names, whatever is on disk now."""
        monkeypatch.chdir(tmp_path)
        rules, folder = copy_round("kcsp-2026-27", tmp_path)
        with open_register("crg.db", create=True) as reg:
            run, _ = record(reg, Inputs.from_paths(rules, folder), by="x")
        (tmp_path / rules).write_text("not: the rules\n")
        shutil.rmtree(tmp_path / folder)
        with open_register("crg.db") as reg:
            assert replay(reg, run.id).identical

    def test_newer_engine_named(self, tmp_path, monkeypatch, clock):
        """A run whose record differs from today's outcome, made by another version, names the newer engine."""
        path = tmp_path / "crg.db"
        run = record_round(path)
        doc = run.document()
        doc["proposals"][0]["explanation"] = "Worded otherwise by an older engine."
        older = attrs.evolve(run, engine_version="0.0.1", outcome=json.dumps(doc), id=None, previous=None, hash=None)
        with open_register(path) as reg:
            older = reg.append_run(older)
            result = replay(reg, older.id)
        assert not result.identical and result.newer_engine and not result.rules_read
        assert [(d.owner, d.field, d.before) for d in result.differences] == [
            (doc["proposals"][0]["id"], "explanation", "Worded otherwise by an older engine.")]

    def test_changed_rule_named(self, tmp_path, clock):
        """A rule the engine reads differently from how it was recorded is named as the cause."""
        path = tmp_path / "crg.db"
        run = record_round(path)
        reading = json.loads(run.reading)
        reading["rules"][0]["checks"] = "the date received is before the deadline"
        doc = run.document()
        late = next(p for p in doc["proposals"] if p["id"] == "underage-vape-test-purchases")
        late["status"] = "reserve"
        changed = attrs.evolve(run, reading=json.dumps(reading), outcome=json.dumps(doc), id=None, previous=None,
                               hash=None)
        with open_register(path) as reg:
            changed = reg.append_run(changed)
            result = replay(reg, changed.id)
        assert [d.path for d in result.rules_read] == ["rules[received-by-deadline].checks"]
        assert [(d.owner, d.field, d.before, d.after) for d in result.differences] == [
            ("underage-vape-test-purchases", "status", "reserve", "ineligible")]
        assert not result.newer_engine

    def test_refused_inputs(self, tmp_path, clock):
        """Stored files that today's engine refuses make a replay that differs, saying why."""
        path = tmp_path / "crg.db"
        run = record_round(path)
        spoilt = Source(run.rules.name, run.rules.data.replace(b"\nround:", b"\nround:\n  colour: red", 1))
        bad = attrs.evolve(run, inputs=(attrs.evolve(run.rules, data=spoilt.data, sha256=spoilt.sha256),)
                           + run.inputs[1:], id=None, previous=None, hash=None)
        with open_register(path) as reg:
            bad = reg.append_run(bad)
            result = replay(reg, bad.id)
        assert not result.identical
        assert result.refused.startswith("rules/kcsp-2026-27.yaml:") and "'colour' is not a known field" in result.refused


class TestFindRun:
    def test_missing_run(self, tmp_path, clock):
        """A run the register does not hold is an error naming the register and the runs it holds."""
        path = tmp_path / "crg.db"
        record_round(path)
        with open_register(path) as reg:
            with pytest.raises(InputError) as exc:
                find_run(reg, 3)
        assert str(exc.value) == (f"{path}: run 3 is not in the register (it holds run 1)\n"
                                  "  fix: give the number of a run it holds (crg history lists them)")

    @pytest.mark.parametrize("text", ["x", "-1", "1.5", ""])
    def test_not_a_number(self, text):
        """A run is a whole number."""
        with pytest.raises(InputError, match="is not a run number"):
            run_number(text)


def _tampered(tmp_path, sql: str, *tables: str, decide_first: bool = False):
    """A register of three runs (and a decision on run 2), then *sql* run with the shell, guards dropped."""
    path = tmp_path / "crg.db"
    for _ in range(3):
        record_round(path)
    if decide_first:
        with open_register(path) as reg:
            decide(reg, 2, "amended", by="Chair", note="reason", drop=["doorstep-crime-door-chains"])
    sqlite_shell(path, unguarded(sql, *tables))
    with open_register(path) as reg:
        return verify(reg)


# each edit someone could make behind crg's back, and the run it must be named by
TAMPERING = {
    "a run's note": ("UPDATE runs SET note = 'edited' WHERE id = 2;", ("runs",), 2),
    "a run's outcome": ("UPDATE runs SET outcome = replace(outcome, 'shortlisted', 'reserve') WHERE id = 2;",
                        ("runs",), 2),
    "a run's time": ("UPDATE runs SET recorded_at = '2026-04-26T10:00:00Z' WHERE id = 3;", ("runs",), 3),
    "a run taken out": ("DELETE FROM inputs WHERE run = 2; DELETE FROM runs WHERE id = 2;", ("runs", "inputs"), 3),
    "a file's name": ("UPDATE inputs SET name = 'other.yaml' WHERE run = 2 AND position = 3;", ("inputs",), 2),
    "a file's bytes": ("UPDATE files SET bytes = CAST('id: x' AS BLOB) WHERE sha256 = "
                       "(SELECT sha256 FROM inputs WHERE run = 1 AND position = 4);", ("files",), 1),
    "a run renumbered": ("UPDATE inputs SET run = 4 WHERE run = 3; UPDATE runs SET id = 4 WHERE id = 3;",
                         ("runs", "inputs"), 4),
    # the three runs keep one document (the same files give the same document): every run that keeps it is named
    "a recommendation's bytes": ("UPDATE files SET bytes = CAST('{}' AS BLOB) WHERE sha256 = "
                                 "(SELECT recommendation FROM runs WHERE id = 2);", ("files",), 1),
    "a recommendation taken out": ("UPDATE runs SET recommendation = NULL WHERE id = 2;", ("runs",), 2),
    "a recommendation lost": ("DELETE FROM files WHERE sha256 = (SELECT recommendation FROM runs WHERE id = 3);",
                              ("files",), 1),
    # values of another type than crg wrote: read as they are found, and named
    "a run's outcome as bytes": ("UPDATE runs SET outcome = CAST(outcome AS BLOB) WHERE id = 2;", ("runs",), 2),
    "a run's hash as bytes": ("UPDATE runs SET hash = CAST(hash AS BLOB) WHERE id = 2;", ("runs",), 2),
    "a file's position as text": ("UPDATE inputs SET position = 'first' WHERE run = 3 AND position = 0;",
                                  ("inputs",), 3),
    "a file's bytes as other text": ("UPDATE files SET bytes = 'id: x' WHERE sha256 = "
                                     "(SELECT sha256 FROM inputs WHERE run = 1 AND position = 4);", ("files",), 1),
}


class TestVerify:
    def test_sound(self, tmp_path, clock):
        """A register written only by crg verifies, and its head is the last run's hash."""
        path = tmp_path / "crg.db"
        last = [record_round(path) for _ in range(2)][-1]
        with open_register(path) as reg:
            result = verify(reg)
        assert result.sound and result.runs == 2 and result.head == last.hash

    @pytest.mark.parametrize("case", sorted(TAMPERING))
    def test_tampering_caught(self, case, tmp_path, clock):
        """An edit made with the sqlite3 shell, triggers dropped, is caught and the first run it touches named."""
        sql, tables, first = TAMPERING[case]
        result = _tampered(tmp_path, sql, *tables)
        assert not result.sound
        assert result.first.run == first, result.problems
        assert any(p.run is None and "triggers" in p.text for p in result.problems)

    @pytest.mark.parametrize("sql, problem", [
        ("UPDATE files SET bytes = CAST('{}' AS BLOB) WHERE sha256 = (SELECT recommendation FROM runs);",
         "its recommendation document is not the one recorded"),
        ("DELETE FROM files WHERE sha256 = (SELECT recommendation FROM runs);",
         "the bytes of its recommendation document are missing"),
    ])
    def test_recommendation_changed_or_lost(self, sql, problem, tmp_path, clock):
        """A recommendation document changed or taken out of the register is named as such."""
        path = tmp_path / "crg.db"
        record_round(path)
        sqlite_shell(path, unguarded(sql, "files"))
        with open_register(path) as reg:
            result = verify(reg)
        assert [(p.run, p.text) for p in result.problems if p.run is not None] == [(1, problem)]

    def test_triggers_put_back(self, tmp_path, clock):
        """An edit is caught even when the triggers are put back after it."""
        path = tmp_path / "crg.db"
        record_round(path)
        sqlite_shell(path, unguarded("UPDATE runs SET recorded_by = 'someone else';", "runs") +
                     "CREATE TRIGGER runs_never_updated BEFORE UPDATE ON runs BEGIN SELECT RAISE(ABORT, 'x'); END;"
                     "CREATE TRIGGER runs_never_deleted BEFORE DELETE ON runs BEGIN SELECT RAISE(ABORT, 'x'); END;")
        with open_register(path) as reg:
            result = verify(reg)
        assert [(p.run, p.text) for p in result.problems] == [
            (1, "its hash does not match what the register holds (a row was changed outside crg)")]

    def test_a_value_of_another_type(self, tmp_path, clock):
        """A value of another type than crg wrote is named by verify, and refused by any other reading of the run,
        in one line pointing to crg verify."""
        path = tmp_path / "crg.db"
        record_round(path)
        record_round(path)
        sqlite_shell(path, unguarded("UPDATE runs SET outcome = CAST(outcome AS BLOB) WHERE id = 2;", "runs"))
        with open_register(path) as reg:
            result = verify(reg)
            assert [(p.run, p.text) for p in result.problems if p.run is not None] == [
                (2, "runs.outcome holds bytes where crg writes text (a row was changed outside crg)")]
            assert reg.run(1).id == 1
            with pytest.raises(RegisterError) as exc:
                reg.run(2)
        assert str(exc.value) == (f"{path}: run 2 has been changed outside crg: runs.outcome holds bytes where crg "
                                  "writes text\n  fix: crg verify lists what in the register is not as recorded")

    @pytest.mark.parametrize("sql", [
        "UPDATE decisions SET outcome = 'approved';",
        "UPDATE departures SET reason = 'another reason';",
        "DELETE FROM departures;",
    ])
    def test_decision_tampering_caught(self, sql, tmp_path, clock):
        """An edit of the Chair's decision is caught and named by the run it decides."""
        result = _tampered(tmp_path, sql, "decisions", "departures", decide_first=True)
        assert result.first.run == 2 and "the Chair's decision 1" in result.first.text
