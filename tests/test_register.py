"""Tests of engine.record.register: the SQLite file, append-only, versioned, safe with two writers and a kill."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from engine.record import register as register_module
from engine.record.model import GENESIS
from engine.record.register import (APPLICATION_ID, COLUMNS, MIGRATIONS, SCHEMA_VERSION, TABLES, RegisterError,
                                    expected_guards, open_register)
from engine.record.runs import verify

from .conftest import REPO
from .registers import EARLIER_VERSIONS, EXAMPLE_FOLDER, EXAMPLE_RULES, clock, record_round  # noqa: F401

PYTHON = [sys.executable, "-c", "from engine.cli import main; main()"]
ENV = dict(os.environ, PYTHONPATH=str(REPO))


def crg_process(*args, **kwargs) -> subprocess.Popen:
    """``crg`` in a process of its own, run from the repository root."""
    return subprocess.Popen([*PYTHON, *map(str, args)], cwd=REPO, env=ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def marks(path) -> tuple[int, int]:
    db = sqlite3.connect(path)
    try:
        return db.execute("PRAGMA application_id").fetchone()[0], db.execute("PRAGMA user_version").fetchone()[0]
    finally:
        db.close()


class TestOpenRegister:
    def test_new_register(self, tmp_path):
        """A missing file becomes a register of the current version, in WAL mode, marked as crg's."""
        path = tmp_path / "crg.db"
        with open_register(path, create=True) as reg:
            assert reg.runs() == [] and reg.decisions() == []
        assert marks(path) == (APPLICATION_ID, SCHEMA_VERSION)
        db = sqlite3.connect(path)
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    def test_missing_without_create(self, tmp_path):
        """Reading a register that does not exist is refused, and no file is made."""
        with pytest.raises(RegisterError) as exc:
            open_register(tmp_path / "crg.db")
        assert str(exc.value) == f"{tmp_path / 'crg.db'}: there is no register here (crg record makes one)"
        assert not (tmp_path / "crg.db").exists()

    def test_folder(self, tmp_path):
        """A folder is not a register."""
        with pytest.raises(RegisterError, match="is a folder, not a register"):
            open_register(tmp_path, create=True)

    @pytest.mark.parametrize("what", ["empty file", "empty database"])
    def test_empty_without_create(self, what, tmp_path):
        """Reading an empty file (or an SQLite database with nothing in it) is refused, and nothing is written."""
        path = tmp_path / "crg.db"
        path.write_bytes(b"")
        if what == "empty database":
            sqlite3.connect(path).execute("VACUUM").connection.close()
        before = path.read_bytes()
        with pytest.raises(RegisterError) as exc:
            open_register(path)
        assert str(exc.value) == f"{path}: is empty, not a register (crg record makes one)"
        assert path.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["crg.db"]

    def test_text_file(self, tmp_path):
        """A file that is not an SQLite database is refused in one line."""
        path = tmp_path / "notes.txt"
        path.write_text("minutes of the meeting\n" * 100)
        with pytest.raises(RegisterError) as exc:
            open_register(path)
        assert str(exc.value) == f"{path}: is not a register (not an SQLite database)"

    def test_other_database(self, tmp_path):
        """Another SQLite database is never taken for a register, nor changed."""
        path = tmp_path / "other.db"
        db = sqlite3.connect(path)
        db.execute("CREATE TABLE people (name TEXT)")
        db.commit()
        db.close()
        with pytest.raises(RegisterError, match="is an SQLite database, but not a crg register"):
            open_register(path, create=True)
        assert marks(path) == (0, 0)

    def test_newer_register(self, tmp_path):
        """A register written by a newer crg is refused, saying so."""
        path = tmp_path / "crg.db"
        open_register(path, create=True).close()
        sqlite3.connect(path).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        with pytest.raises(RegisterError) as exc:
            open_register(path)
        assert str(exc.value) == (f"{path}: was written by a newer crg (register version {SCHEMA_VERSION + 1}; "
                                  f"this crg reads up to {SCHEMA_VERSION})")

    def test_damaged(self, tmp_path, clock):
        """A register whose pages are overwritten is refused as damaged, in one line, when read."""
        path = tmp_path / "crg.db"
        record_round(path)
        size = path.stat().st_size
        with open(path, "r+b") as f:  # keep the header, spoil every page after the first
            f.seek(4096)
            f.write(bytes(random.Random(1).getrandbits(8) for _ in range(size - 4096)))
        with pytest.raises(RegisterError) as exc:
            with open_register(path) as reg:
                reg.runs()
        assert str(exc.value).startswith(f"{path}: the register is damaged (") and "\n" not in str(exc.value)

    def test_locked(self, tmp_path, monkeypatch, clock):
        """A register held by another program is refused after the busy timeout, in one line."""
        path = tmp_path / "crg.db"
        record_round(path)
        monkeypatch.setattr(register_module, "BUSY_TIMEOUT", 0.2)
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(RegisterError) as exc:
                with open_register(path) as reg:
                    reg.runs()
        finally:
            holder.close()
        assert str(exc.value) == f"{path}: the register is in use by another program (waited 0.2 s); try again when it is done"


class TestMigrations:
    def test_every_earlier_version_has_a_register(self):
        """There is a register of every version before the current one to migrate from."""
        assert sorted(EARLIER_VERSIONS) == list(range(SCHEMA_VERSION))

    @pytest.mark.parametrize("version", sorted(EARLIER_VERSIONS))
    def test_migrates_in_place(self, version, tmp_path, clock):
        """A register of an earlier version is brought to the current one in place, keeping and verifying its runs.
        (An empty file, version 0, is made a register only by a writer: test_empty_without_create.)"""
        path = tmp_path / "crg.db"
        EARLIER_VERSIONS[version](path)
        assert marks(path)[1] == version
        before = sqlite3.connect(path).execute("SELECT count(*) FROM runs").fetchone()[0] if version else 0
        with open_register(path, create=version == 0) as reg:
            assert len(reg.runs()) == before
            assert verify(reg).sound
            assert reg.guards() == expected_guards()
        assert marks(path) == (APPLICATION_ID, SCHEMA_VERSION)
        record_round(path)  # and it takes new runs after the old ones
        with open_register(path) as reg:
            runs = reg.runs()
            assert [r.id for r in runs] == list(range(1, before + 2))
            assert verify(reg).sound
            # only the new run keeps a recommendation document
            assert [r.recommendation is not None for r in runs] == [False] * before + [True]

    def test_each_migration_is_a_transaction(self, tmp_path, monkeypatch):
        """A migration that fails leaves the register as it was (version and tables)."""
        path = tmp_path / "crg.db"
        EARLIER_VERSIONS[1](path)
        monkeypatch.setattr(register_module, "MIGRATIONS", MIGRATIONS + ("CREATE TABLE runs (x);",))
        monkeypatch.setattr(register_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
        with pytest.raises(RegisterError, match="already exists"):
            open_register(path)
        assert marks(path)[1] == 1
        tables = {row[0] for row in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "decisions" not in tables


class TestColumns:
    def test_the_types_are_the_schema(self, tmp_path):
        """The type each column is read as is the one its migration declares, and NULL only where it allows it."""
        path = tmp_path / "crg.db"
        open_register(path, create=True).close()
        db = sqlite3.connect(path)
        found = {t: {name: sql + ("" if notnull or pk else " NULL")
                     for _, name, sql, notnull, _, pk in db.execute(f"PRAGMA table_info({t})")} for t in TABLES}
        assert found == COLUMNS


class TestAppendOnly:
    @pytest.mark.parametrize("table", TABLES)
    @pytest.mark.parametrize("statement", ["UPDATE {t} SET {c} = {c}", "DELETE FROM {t}"])
    def test_tables_refuse_change(self, table, statement, tmp_path, clock):
        """Every table refuses UPDATE and DELETE."""
        path = tmp_path / "crg.db"
        run = record_round(path)
        from engine.record.chair import decide

        with open_register(path) as reg:
            decide(reg, run.id, "amended", by="Chair", note="why", drop=["doorstep-crime-door-chains"])
        db = sqlite3.connect(path)
        column = db.execute(f"SELECT name FROM pragma_table_info('{table}')").fetchone()[0]
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0
        with pytest.raises(sqlite3.IntegrityError, match="the register is append-only"):
            db.execute(statement.format(t=table, c=column))

    def test_ids_and_chain(self, tmp_path, clock):
        """Runs are numbered from 1, and each carries the hash of the one before it."""
        path = tmp_path / "crg.db"
        first, second = record_round(path), record_round(path)
        assert (first.id, first.previous) == (1, GENESIS)
        assert (second.id, second.previous) == (2, first.hash)

    def test_files_kept_once(self, tmp_path, clock):
        """The bytes of a file recorded twice are kept once, and so are those of the same recommendation document."""
        path = tmp_path / "crg.db"
        run = record_round(path)
        again = record_round(path)
        assert again.recommendation == run.recommendation
        db = sqlite3.connect(path)
        assert db.execute("SELECT count(*) FROM files").fetchone()[0] == len(run.inputs) + 1
        assert db.execute("SELECT count(*) FROM inputs").fetchone()[0] == 2 * len(run.inputs)


class TestRecommendation:
    def test_read_apart_from_the_runs(self, tmp_path, clock):
        """Listing runs gives each one's document digest, never its bytes; recommendation() reads them."""
        path = tmp_path / "crg.db"
        run = record_round(path)
        with open_register(path) as reg:
            listed = reg.runs()[0]
            assert (listed.recommendation, listed.recommendation_data) == (run.recommendation, None)
            assert reg.recommendation(listed).recommendation_data == run.recommendation_data

    def test_a_run_without_one(self, tmp_path):
        """A run recorded before version 3 has no document, and reading it gives the run as it is."""
        path = tmp_path / "crg.db"
        EARLIER_VERSIONS[2](path)
        with open_register(path) as reg:
            run = reg.run(1)
            assert run.recommendation is None and reg.recommendation(run) is run


class TestTwoWriters:
    def test_two_recorders_at_once_both_land(self, tmp_path):
        """Two crg record started together on a new register both land, one after the other in the chain."""
        path = tmp_path / "crg.db"
        procs = [crg_process("record", EXAMPLE_RULES, EXAMPLE_FOLDER, "--register", path, "--by", f"officer {n}")
                 for n in (1, 2)]
        outs = [p.communicate(timeout=120) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], [err for _, err in outs]
        assert sorted(out.splitlines()[-1] for out, _ in outs) == ["1", "2"]
        with open_register(path) as reg:
            assert sorted(r.by for r in reg.runs()) == ["officer 1", "officer 2"]
            assert verify(reg).sound


def _whole(run) -> bool:
    """A run with every file it names, its bytes, and an outcome that parses."""
    return (len(run.inputs) == 13 and all(i.data is not None for i in run.inputs)
            and len(run.document()["proposals"]) == 12 and run.table and run.markdown)


class TestKilled:
    def test_crg_record_killed_at_random_moments(self, tmp_path):
        """crg record killed with SIGKILL at random moments leaves only whole runs, and a register that verifies."""
        path = tmp_path / "crg.db"
        started = time.monotonic()
        first = crg_process("record", EXAMPLE_RULES, EXAMPLE_FOLDER, "--register", path)
        first.communicate(timeout=120)
        took = time.monotonic() - started
        moments = random.Random(20260427)
        for _ in range(8):
            p = crg_process("record", EXAMPLE_RULES, EXAMPLE_FOLDER, "--register", path)
            time.sleep(moments.uniform(0.5 * took, 1.1 * took))
            p.send_signal(signal.SIGKILL)
            p.communicate(timeout=60)
        with open_register(path) as reg:
            runs = reg.runs()
            assert 1 <= len(runs) <= 9
            assert all(_whole(run) for run in runs)
            assert verify(reg).sound

    def test_writer_killed_inside_its_transactions(self, tmp_path, clock):
        """A process appending runs as fast as it can, killed at random moments, leaves only whole runs."""
        path = tmp_path / "crg.db"
        record_round(path)
        script = (
            "import sys; from engine.record.register import open_register\n"
            "reg = open_register(sys.argv[1]); run = reg.run(1)\n"
            "import attrs\n"
            "print('ready', flush=True)\n"
            "while True: reg.append_run(attrs.evolve(run, id=None, previous=None, hash=None))\n"
        )
        moments = random.Random(27042026)
        for _ in range(6):
            p = subprocess.Popen([sys.executable, "-c", script, str(path)], cwd=REPO, env=ENV,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            assert p.stdout.readline() == "ready\n"
            time.sleep(moments.uniform(0.05, 0.4))
            p.send_signal(signal.SIGKILL)
            p.communicate(timeout=60)
        with open_register(path) as reg:
            runs = reg.runs()
            assert len(runs) > 6
            assert all(_whole(run) for run in runs)
            assert verify(reg).sound
            assert json.loads(runs[-1].outcome) == json.loads(runs[0].outcome)
