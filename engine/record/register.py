"""The register: one SQLite file that keeps every recorded run, and the only module that speaks SQL.

Everything above this module works on the frozen values of
:mod:`engine.record.model`; here they are written and read back.  What the
file promises:

- **Append-only.**  Triggers refuse ``UPDATE`` and ``DELETE`` on every table,
  and each entry carries the hash of the one before it (see
  :mod:`engine.record.model`), so a row changed behind ``crg``'s back is found
  by :func:`engine.record.runs.verify`.
- **Whole runs or nothing.**  A run (its row, its input files and their
  bytes) is written in one transaction, taken with ``BEGIN IMMEDIATE`` so
  that two recorders queue for the chain's head instead of both following the
  same run.  The file is in WAL mode with ``synchronous=FULL``; a process
  killed at any moment leaves the last committed run and nothing after it.
  A writer waits :data:`BUSY_TIMEOUT` seconds for another before giving up.
- **Versioned.**  ``PRAGMA user_version`` is the number of
  :data:`MIGRATIONS` applied; opening an older register applies the rest,
  in place, in one transaction.  A migration is never edited once released:
  a change is a new one.  ``PRAGMA application_id`` marks the file as a
  register, so another SQLite database is never taken for one.
- **No paths.**  Input files are kept as bytes under their SHA-256, named
  only as the user named them on the command line.  The recommendation
  document of a run (from version 3) is kept the same way, its digest in the
  run's row.

Every failure of SQLite (not a database, damaged, locked, unreadable) is a
:class:`RegisterError`, one line, exit status 2.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time
from pathlib import Path
from typing import Iterator

import attrs

from ..errors import InputError
from .model import GENESIS, ChairDecision, Departure, Input, Run

__all__ = [
    "APPLICATION_ID", "BUSY_TIMEOUT", "MIGRATIONS", "SCHEMA_VERSION", "TABLES", "Register", "RegisterError",
    "open_register",
]

APPLICATION_ID = 0x43524721  # "CRG!"
BUSY_TIMEOUT = 10.0  # seconds to wait for another writer


class RegisterError(InputError):
    """The register file cannot be used: missing, not a register, damaged, locked or too new."""


def _guards(table: str) -> str:
    """The two triggers that keep *table* append-only."""
    return (
        f"CREATE TRIGGER {table}_never_updated BEFORE UPDATE ON {table} BEGIN "
        f"SELECT RAISE(ABORT, 'the register is append-only: {table} cannot be changed'); END;\n"
        f"CREATE TRIGGER {table}_never_deleted BEFORE DELETE ON {table} BEGIN "
        f"SELECT RAISE(ABORT, 'the register is append-only: {table} cannot be deleted'); END;\n"
    )


# MIGRATIONS[i] takes a register from version i to version i + 1.  Never edit one: add another.
MIGRATIONS: tuple[str, ...] = (
    # 1: runs, the files they were made from (bytes kept once per digest), and their outcomes
    """
    CREATE TABLE files (
        sha256 TEXT PRIMARY KEY,
        bytes BLOB NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        recorded_at TEXT NOT NULL,
        engine_version TEXT NOT NULL,
        engine TEXT NOT NULL,
        recorded_by TEXT NOT NULL,
        note TEXT,
        round_id TEXT NOT NULL,
        round_name TEXT NOT NULL,
        folder TEXT NOT NULL,
        overrides TEXT NOT NULL,
        reading TEXT NOT NULL,
        outcome TEXT NOT NULL,
        outcome_table TEXT NOT NULL,
        outcome_markdown TEXT NOT NULL,
        previous TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
    );
    CREATE INDEX runs_by_round ON runs (round_id);
    CREATE TABLE inputs (
        run INTEGER NOT NULL REFERENCES runs (id),
        position INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('rules', 'proposal', 'scenario')),
        name TEXT NOT NULL,
        key TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        PRIMARY KEY (run, position)
    ) WITHOUT ROWID;
    """ + _guards("files") + _guards("runs") + _guards("inputs"),
    # 2: the Chair's decisions on runs, and each departure from a run's recommendation
    """
    CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        run INTEGER NOT NULL REFERENCES runs (id),
        decided_at TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('approved', 'amended', 'declined')),
        decided_by TEXT NOT NULL,
        note TEXT,
        previous TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE
    );
    CREATE INDEX decisions_by_run ON decisions (run);
    CREATE TABLE departures (
        decision INTEGER NOT NULL REFERENCES decisions (id),
        position INTEGER NOT NULL,
        proposal TEXT NOT NULL,
        recommended TEXT NOT NULL,
        decided TEXT NOT NULL CHECK (decided IN ('funded', 'not funded')),
        reason TEXT NOT NULL,
        PRIMARY KEY (decision, position)
    ) WITHOUT ROWID;
    """ + _guards("decisions") + _guards("departures"),
    # 3: the recommendation document of each run (engine.outputs.document), its bytes kept in files by digest;
    # the runs recorded before have none (NULL)
    """
    ALTER TABLE runs ADD COLUMN recommendation TEXT;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)

# every table of the current schema (each has its two guards)
TABLES = ("files", "runs", "inputs", "decisions", "departures")


def _problem(exc: sqlite3.Error) -> str:
    """What an SQLite error means for the user, in a few words."""
    text = str(exc)
    if "file is not a database" in text:
        return "is not a register (not an SQLite database)"
    if "locked" in text or "busy" in text:
        return f"the register is in use by another program (waited {BUSY_TIMEOUT:g} s); try again when it is done"
    if "malformed" in text or "corrupt" in text:
        return f"the register is damaged ({text})"
    if "unable to open" in text:
        return "cannot be opened as a register (is it a folder, or in a folder that does not exist?)"
    if "readonly" in text or "read-only" in text:
        return "the register cannot be written (the file or its folder is read-only)"
    return f"the register cannot be read ({text})"


@contextlib.contextmanager
def _sql(path: str) -> Iterator[None]:
    """Turn any SQLite error inside the block into a :class:`RegisterError` naming *path*."""
    try:
        yield
    except sqlite3.Error as exc:
        raise RegisterError(_problem(exc), file=path) from None


class Register:
    """An open register.  Use :func:`open_register`; close it with ``with`` or :meth:`close`."""

    def __init__(self, path: str, db: sqlite3.Connection):
        self.path = path
        self._db = db

    def __enter__(self) -> "Register":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()

    # --- writing ----------------------------------------------------------------------------------

    def append_run(self, run: Run) -> Run:
        """Append *run* after the last run, in one transaction; the run as sealed, with its id and hash."""
        with _sql(self.path), self._transaction():
            last = self._db.execute("SELECT id, hash FROM runs ORDER BY id DESC LIMIT 1").fetchone()
            run_id, previous = (last[0] + 1, last[1]) if last else (1, GENESIS)
            run = run.sealed(run_id, previous)
            kept = [(i.sha256, i.data) for i in run.inputs]
            if run.recommendation is not None:
                kept.append((run.recommendation, run.recommendation_data))
            self._db.executemany("INSERT OR IGNORE INTO files (sha256, bytes) VALUES (?, ?)", kept)
            self._db.execute(
                "INSERT INTO runs (id, recorded_at, engine_version, engine, recorded_by, note, round_id, round_name,"
                " folder, overrides, reading, outcome, outcome_table, outcome_markdown, previous, hash, recommendation)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run.id, run.recorded_at, run.engine_version, run.engine, run.by, run.note, run.round_id,
                 run.round_name, run.folder, run.overrides, run.reading, run.outcome, run.table, run.markdown,
                 run.previous, run.hash, run.recommendation))
            self._db.executemany(
                "INSERT INTO inputs (run, position, kind, name, key, sha256) VALUES (?, ?, ?, ?, ?, ?)",
                [(run.id, n, i.kind, i.name, i.key, i.sha256) for n, i in enumerate(run.inputs)])
        return run

    def append_decision(self, decision: ChairDecision) -> ChairDecision:
        """Append the Chair's *decision* after the last one, in one transaction; the decision as sealed."""
        with _sql(self.path), self._transaction():
            last = self._db.execute("SELECT id, hash FROM decisions ORDER BY id DESC LIMIT 1").fetchone()
            decision_id, previous = (last[0] + 1, last[1]) if last else (1, GENESIS)
            run_hash_now = self._db.execute("SELECT hash FROM runs WHERE id = ?", (decision.run,)).fetchone()[0]
            decision = decision.sealed(decision_id, previous, run_hash_now)
            self._db.execute(
                "INSERT INTO decisions (id, run, decided_at, outcome, decided_by, note, previous, hash)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (decision.id, decision.run, decision.decided_at, decision.outcome, decision.by, decision.note,
                 decision.previous, decision.hash))
            self._db.executemany(
                "INSERT INTO departures (decision, position, proposal, recommended, decided, reason)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(decision.id, n, d.proposal, d.recommended, d.decided, d.reason)
                 for n, d in enumerate(decision.departures)])
        return decision

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # --- reading ----------------------------------------------------------------------------------

    def run_ids(self) -> list[int]:
        with _sql(self.path):
            return [row[0] for row in self._db.execute("SELECT id FROM runs ORDER BY id")]

    def round_ids(self) -> list[str]:
        """The ids of the rounds with a run in the register, in order."""
        with _sql(self.path):
            return [row[0] for row in self._db.execute("SELECT DISTINCT round_id FROM runs ORDER BY round_id")]

    def runs(self, round_id: str | None = None) -> list[Run]:
        """Every run, oldest first (only those of *round_id*, if given), each with its input files."""
        if round_id is None:
            return self._runs("", ())
        return self._runs("WHERE round_id = ?", (round_id,))

    def run(self, run_id: int) -> Run | None:
        """The run *run_id*, or ``None``."""
        found = self._runs("WHERE id = ?", (run_id,))
        return found[0] if found else None

    def _runs(self, where: str, args: tuple) -> list[Run]:
        with _sql(self.path), self._snapshot():
            rows = self._db.execute(
                "SELECT id, recorded_at, engine_version, engine, recorded_by, note, round_id, round_name, folder,"
                " overrides, reading, outcome, outcome_table, outcome_markdown, previous, hash, recommendation"
                f" FROM runs {where} ORDER BY id", args).fetchall()
            inputs: dict[int, list[Input]] = {}
            for run_id, kind, name, key, sha256, data in self._db.execute(
                    "SELECT inputs.run, inputs.kind, inputs.name, inputs.key, inputs.sha256, files.bytes"
                    " FROM inputs LEFT JOIN files ON files.sha256 = inputs.sha256"
                    f" WHERE inputs.run IN (SELECT id FROM runs {where}) ORDER BY inputs.run, inputs.position", args):
                inputs.setdefault(run_id, []).append(Input(kind, name, key, sha256, data))
        return [Run(recorded_at=r[1], engine_version=r[2], engine=r[3], by=r[4], note=r[5], round_id=r[6],
                    round_name=r[7], folder=r[8], overrides=r[9], reading=r[10], outcome=r[11], table=r[12],
                    markdown=r[13], inputs=tuple(inputs.get(r[0], ())), id=r[0], previous=r[14], hash=r[15],
                    recommendation=r[16])
                for r in rows]

    def recommendation(self, run: Run) -> Run:
        """*run* with the bytes of its recommendation document (left ``None`` when the run has none, or the
        register has lost them).  Read apart from :meth:`runs`, so that listing runs never loads documents."""
        if run.recommendation is None:
            return run
        with _sql(self.path):
            row = self._db.execute("SELECT bytes FROM files WHERE sha256 = ?", (run.recommendation,)).fetchone()
        return attrs.evolve(run, recommendation_data=row[0] if row else None)

    def decisions(self, run_id: int | None = None) -> list[ChairDecision]:
        """The Chair's decisions, oldest first (only those on run *run_id*, if given)."""
        where, args = ("WHERE run = ?", (run_id,)) if run_id is not None else ("", ())
        with _sql(self.path), self._snapshot():
            rows = self._db.execute(
                "SELECT id, run, decided_at, outcome, decided_by, note, previous, hash"
                f" FROM decisions {where} ORDER BY id", args).fetchall()
            departures: dict[int, list[Departure]] = {}
            for decision_id, proposal, recommended, decided, reason in self._db.execute(
                    "SELECT decision, proposal, recommended, decided, reason FROM departures"
                    f" WHERE decision IN (SELECT id FROM decisions {where}) ORDER BY decision, position", args):
                departures.setdefault(decision_id, []).append(Departure(proposal, recommended, decided, reason))
        return [ChairDecision(run=r[1], decided_at=r[2], outcome=r[3], by=r[4], note=r[5],
                              departures=tuple(departures.get(r[0], ())), id=r[0], previous=r[6], hash=r[7])
                for r in rows]

    def run_hashes(self) -> dict[int, str]:
        """Each run's hash as the register holds it now."""
        with _sql(self.path):
            return dict(self._db.execute("SELECT id, hash FROM runs"))

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Reads that see one state of the file, whatever another process appends meanwhile."""
        self._db.execute("BEGIN")
        try:
            yield
        finally:
            self._db.execute("COMMIT")

    def guards(self) -> set[str]:
        """The names of the triggers that keep the tables append-only."""
        with _sql(self.path):
            return {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}

    def damage(self) -> list[str]:
        """What SQLite's own check of the file finds wrong (nothing, for a sound file)."""
        with _sql(self.path):
            found = [row[0] for row in self._db.execute("PRAGMA quick_check")]
        return [] if found == ["ok"] else found


def expected_guards() -> set[str]:
    """The names of the triggers every table of the current schema must have."""
    return {f"{table}_never_{what}" for table in TABLES for what in ("updated", "deleted")}


def open_register(path: str | Path, *, create: bool = False) -> Register:
    """Open the register at *path*, migrating it to :data:`SCHEMA_VERSION` if it is older.

    With *create*, a missing (or empty) file becomes a new register; without,
    a missing file is a :class:`RegisterError`.
    """
    shown = str(path)
    if not create and not Path(path).exists():
        raise RegisterError("there is no register here (crg record makes one)", file=shown)
    if Path(path).is_dir():
        raise RegisterError("is a folder, not a register", file=shown)
    with _sql(shown):
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    try:
        with _sql(shown):
            _prepare(db, shown)
    except BaseException:
        db.close()
        raise
    return Register(shown, db)


def _prepare(db: sqlite3.Connection, shown: str) -> None:
    db.execute("PRAGMA synchronous = FULL")
    if _checked(db, shown) == SCHEMA_VERSION:
        return
    _write_ahead(db)
    db.execute("BEGIN IMMEDIATE")
    try:
        version = _checked(db, shown)  # another process may have made or migrated it meanwhile
        for script in MIGRATIONS[version:]:
            for statement in _statements(script):
                db.execute(statement)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _checked(db: sqlite3.Connection, shown: str) -> int:
    """The register's version, read in one snapshot; a file that is not a register (or too new) is refused."""
    inside = db.in_transaction
    if not inside:
        db.execute("BEGIN")
    try:
        app = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    finally:
        if not inside:
            db.execute("COMMIT")
    if app != APPLICATION_ID and (app != 0 or tables):
        raise RegisterError("is an SQLite database, but not a crg register", file=shown)
    if version > SCHEMA_VERSION:
        raise RegisterError(f"was written by a newer crg (register version {version}; this crg reads up to "
                            f"{SCHEMA_VERSION})", file=shown)
    return version


def _write_ahead(db: sqlite3.Connection) -> None:
    """Put the file in WAL mode.  SQLite does not wait for a busy file here, so this waits itself."""
    deadline = time.monotonic() + BUSY_TIMEOUT
    while db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        try:
            db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _statements(script: str) -> list[str]:
    """The statements of a migration, each whole (``executescript`` would commit the transaction)."""
    out, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    if current.strip():
        out.append(current.strip())
    return out
