"""Tests of engine.record.recommendation: a run's recommendation document, kept with it or made again from its files."""

from __future__ import annotations

import json

import attrs
import pytest

from engine.errors import InputError
from engine.inputs.proposal import load_proposals
from engine.inputs.round import load_round
from engine.inputs.scenario import Overrides, load_scenario
from engine.inputs.yamlfile import Source
from engine.outputs import document
from engine.record import recommendation as recommendation_module
from engine.record import runs
from engine.record.model import digest
from engine.record.recommendation import recommendation
from engine.record.register import RegisterError, open_register
from engine.record.runs import APPLIED, Inputs, record, recommendation_bytes

from .conftest import REPO, ROUNDS
from .registers import EARLIER_VERSIONS, clock, record_round, sqlite_shell, unguarded  # noqa: F401

SCENARIO = "scenarios/2026-27-example/cut-to-20000.yaml"


def live(monkeypatch, overrides=Overrides(), scenarios=(), key="kcsp-2026-27") -> dict:
    """The document crg report makes of a shipped round, its files named from the repository root."""
    rules, folder = ROUNDS[key]
    monkeypatch.chdir(REPO)
    return document.build(load_round(rules.relative_to(REPO)), load_proposals(folder.relative_to(REPO)),
                          overrides, [load_scenario(s) for s in scenarios])


def decided(proposals) -> dict:
    """What is decided of each proposal: status, rank, score, cost and offer."""
    return {p["id"]: (p["status"], p["rank"], p["score"], p["cost"], p["offered"]) for p in proposals}


def appended(path, run, **changes):
    """*run* appended again to the register at *path* with *changes*, as a new run."""
    with open_register(path) as reg:
        return reg.append_run(attrs.evolve(run, id=None, previous=None, hash=None, **changes))


class TestKept:
    def test_the_document_crg_report_makes(self, tmp_path, monkeypatch, clock):
        """A run keeps the document crg report makes of the same files and what-ifs, and gives it back as kept."""
        overrides = Overrides.from_flags(upfront="£20,000", weights=["panel=3"])
        run = record_round(tmp_path / "crg.db", overrides=overrides)
        with open_register(tmp_path / "crg.db") as reg:
            kept = recommendation(reg, run.id)
        assert kept.document == live(monkeypatch, overrides)
        assert (kept.rebuilt_with, kept.reworded, kept.run.id) == (None, (), run.id)

    @pytest.mark.parametrize("key", sorted(ROUNDS))
    def test_every_shipped_round(self, key, tmp_path, monkeypatch, clock):
        """For every shipped round, the document kept is the one crg report makes of the same files."""
        run = record_round(tmp_path / "crg.db", key)
        with open_register(tmp_path / "crg.db") as reg:
            assert recommendation(reg, run.id).document == live(monkeypatch, key=key)

    def test_never_recomputed(self, tmp_path, monkeypatch, clock):
        """Reading the document runs nothing again: the engine and the document builder are never called."""
        run = record_round(tmp_path / "crg.db")

        def refuse(*args, **kwargs):
            raise AssertionError("recomputed")

        monkeypatch.setattr(recommendation_module, "rerun", refuse)
        monkeypatch.setattr(runs, "_screen", refuse)
        monkeypatch.setattr(document, "from_outcomes", refuse)
        with open_register(tmp_path / "crg.db") as reg:
            assert recommendation(reg, run.id).document["shortlist"]

    def test_scenario_applied_named_in_the_provenance(self, tmp_path, monkeypatch, clock):
        """A scenario recorded with the run is applied to the figures, and its file named so in the provenance."""
        monkeypatch.chdir(REPO)
        with open_register(tmp_path / "crg.db", create=True) as reg:
            run, _ = record(reg, Inputs.from_paths("rules/kcsp-2026-27.yaml", "proposals/2026-27-example", [SCENARIO]),
                            by="x")
            doc = recommendation(reg, run.id).document
        files = doc["provenance"]["files"]
        assert files[-1] == {"role": APPLIED, "name": SCENARIO, "sha256": digest((REPO / SCENARIO).read_bytes())}
        assert doc["money"]["upfront"] == "20000.00" and doc["scenarios"]["scenarios"] == []
        assert {**doc, "provenance": None} == {**live(monkeypatch, load_scenario(SCENARIO).overrides),
                                               "provenance": None}

    def test_kept_compact_in_its_order(self, tmp_path, clock):
        """The register keeps the document as compact JSON, its keys in the document's order, under its digest."""
        run = record_round(tmp_path / "crg.db")
        with open_register(tmp_path / "crg.db") as reg:
            data = reg.recommendation(run).recommendation_data
        assert digest(data) == run.recommendation and data == recommendation_bytes(json.loads(data))
        assert list(json.loads(data))[:3] == ["kind", "schema", "title"] and b"\n" not in data

    def test_document_changed_behind_crg(self, tmp_path, clock):
        """A document whose bytes were changed in the register is refused in one line, naming the run."""
        path = tmp_path / "crg.db"
        run = record_round(path)
        sqlite_shell(path, unguarded("UPDATE files SET bytes = CAST('{}' AS BLOB) WHERE sha256 = "
                                     "(SELECT recommendation FROM runs WHERE id = 1);", "files"))
        with open_register(path) as reg, pytest.raises(RegisterError) as exc:
            recommendation(reg, run.id)
        assert str(exc.value) == (f"{path}: run 1: its recommendation document is missing or not as recorded\n"
                                  "  fix: crg verify lists what else in the register is not as recorded")

    def test_document_of_another_schema(self, tmp_path, clock):
        """A document of a schema this crg does not write is refused, naming the crg that recorded it."""
        path = tmp_path / "crg.db"
        run = record_round(path)
        with open_register(path) as reg:
            doc = json.loads(reg.recommendation(run).recommendation_data)
        data = recommendation_bytes({**doc, "schema": 99})
        other = appended(path, run, recommendation=digest(data), recommendation_data=data)
        with open_register(path) as reg, pytest.raises(RegisterError, match="is of schema 99, and this crg reads "
                                                                           "schemas 1 to 2"):
            recommendation(reg, other.id)

    def test_document_of_schema_1(self, tmp_path, monkeypatch, clock):
        """A document kept as crg wrote it before schema 2 (each sweep interval's shortlist in full, as crg sweep
        gives it) is read as the document of today's schema, the same as crg report makes of the same files."""
        from click.testing import CliRunner

        from engine.cli import cli

        path = tmp_path / "crg.db"
        run = record_round(path)
        with open_register(path) as reg:
            doc = json.loads(reg.recommendation(run).recommendation_data)
        rules, folder = ROUNDS["kcsp-2026-27"]
        swept = json.loads(CliRunner().invoke(cli, ["sweep", str(rules), str(folder), "--format", "json"]).stdout)
        assert len(swept) == len(doc["sweep"]["intervals"]) > 3
        old = [{"from": iv["from"], "to": iv["to"], "shortlist": full["shortlist"],
                **{k: v for k, v in iv.items() if k not in ("from", "to", "size", "entered", "at", "left",
                                                            "shortlist")}}
               for iv, full in zip(doc["sweep"]["intervals"], swept)]
        data = recommendation_bytes({**doc, "schema": 1, "sweep": {**doc["sweep"], "intervals": old}})
        other = appended(path, run, recommendation=digest(data), recommendation_data=data)
        with open_register(path) as reg:
            kept = recommendation(reg, other.id)
        assert kept.document == doc == live(monkeypatch)
        assert kept.document["schema"] == document.SCHEMA == 2
        # with more intervals than the web page and the Word document print, its words say where they are
        monkeypatch.setattr(document, "LONGEST", len(old) - 1)
        with open_register(path) as reg:
            words = recommendation(reg, other.id).document["charts"]["sweep"]["description"]
        assert words.endswith("The workbook's Budgets sheet gives every interval, and the web page's budget slider "
                              "the shortlist at any budget.")
        assert words[:words.rindex(". The workbook")] == \
            doc["charts"]["sweep"]["description"][:doc["charts"]["sweep"]["description"].rindex(". The table")]

    def test_run_not_there(self, tmp_path, clock):
        """A run the register does not hold is the error find_run gives."""
        record_round(tmp_path / "crg.db")
        with open_register(tmp_path / "crg.db") as reg, pytest.raises(InputError, match="run 5 is not in the register"):
            recommendation(reg, 5)


class TestMadeAgain:
    @pytest.mark.parametrize("version", [1, 2])
    def test_registers_of_earlier_versions(self, version, tmp_path):
        """Every run of an earlier register is made again from its files, deciding exactly as recorded."""
        path = tmp_path / "crg.db"
        EARLIER_VERSIONS[version](path)
        with open_register(path) as reg:
            made = [recommendation(reg, n) for n in reg.run_ids()]
        assert made
        for kept in made:
            assert kept.rebuilt_with == runs.engine_version() and kept.run.recommendation is None
            assert decided(kept.document["proposals"]) == decided(kept.run.document()["proposals"])
            assert kept.document["money"]["allocated"] == kept.run.document()["allocated"]
            assert [f["name"] for f in kept.document["provenance"]["files"]] == (
                [kept.run.rules.name] + sorted((i.name for i in kept.run.inputs_of("proposal")))
                + [i.name for i in kept.run.inputs_of("scenario")])
        # both were worded otherwise then: version 1 in its sentences, version 2 in the sources of the rules it
        # assumes, which say so today
        assert all(kept.reworded for kept in made)

    def test_as_crg_report_makes_it(self, tmp_path, monkeypatch):
        """Made again, run 1 of the register of version 2 (the example round, no what-if) is crg report's document."""
        path = tmp_path / "crg.db"
        EARLIER_VERSIONS[2](path)
        with open_register(path) as reg:
            kept = recommendation(reg, 1)
        assert kept.document == live(monkeypatch)

    def test_decided_otherwise_refused(self, tmp_path, clock):
        """A run today's engine decides otherwise than recorded is refused: a document made now would not be its."""
        path = tmp_path / "crg.db"
        run = record_round(path)
        doc = run.document()
        next(p for p in doc["proposals"] if p["id"] == "asb-community-mediation")["status"] = "shortlisted"
        older = appended(path, run, outcome=json.dumps(doc), engine_version="0.0.1", recommendation=None,
                         recommendation_data=None)
        with open_register(path) as reg, pytest.raises(InputError) as exc:
            recommendation(reg, older.id)
        assert str(exc.value) == (
            f"{path}: run 2 was recorded with crg 0.0.1, before the register kept its recommendation, and today's "
            f"crg {runs.engine_version()} decides it otherwise, so a document made now would not be the run's\n"
            "  fix: crg replay 2 shows what differs; crg show 2 --format markdown prints the run as recorded")

    def test_words_alone_differ(self, tmp_path, clock):
        """A run whose words alone differ today is made again, naming the proposals whose words are today's."""
        path = tmp_path / "crg.db"
        run = record_round(path)
        doc = run.document()
        doc["proposals"][0]["explanation"] = "Worded otherwise then."
        older = appended(path, run, outcome=json.dumps(doc), recommendation=None, recommendation_data=None)
        with open_register(path) as reg:
            kept = recommendation(reg, older.id)
        assert kept.reworded == (doc["proposals"][0]["id"],)

    def test_files_refused_today(self, tmp_path, clock):
        """A run whose kept files today's engine refuses is refused, with the first mistake and no fix of its own."""
        path = tmp_path / "crg.db"
        run = record_round(path)
        spoilt = Source(run.rules.name, run.rules.data.replace(b"\nround:", b"\nround:\n  colour: red", 1))
        bad = appended(path, run, inputs=(attrs.evolve(run.rules, data=spoilt.data, sha256=spoilt.sha256),)
                       + run.inputs[1:], recommendation=None, recommendation_data=None)
        with open_register(path) as reg, pytest.raises(InputError) as exc:
            recommendation(reg, bad.id)
        text = str(exc.value)
        assert text.startswith(f"{path}: run 2 was recorded with crg {runs.engine_version()}, before the register kept "
                               f"its recommendation, and today's crg {runs.engine_version()} refuses its files "
                               "(rules/kcsp-2026-27.yaml:")
        assert "'colour' is not a known field" in text
        assert text.endswith(")\n  fix: crg show 2 --format markdown prints the run as recorded")

    def test_bytes_lost(self, tmp_path):
        """A run whose files' bytes the register has lost cannot be made again: one line naming the file."""
        path = tmp_path / "crg.db"
        EARLIER_VERSIONS[2](path)
        sqlite_shell(path, unguarded("DELETE FROM files WHERE sha256 = "
                                     "(SELECT sha256 FROM inputs WHERE run = 1 AND position = 0);", "files"))
        with open_register(path) as reg, pytest.raises(RegisterError) as exc:
            recommendation(reg, 1)
        assert str(exc.value) == (f"{path}: run 1: the bytes of rules/kcsp-2026-27.yaml are missing from the "
                                  "register")
