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
- **Read as written, or refused.**  Once its triggers are dropped, a file
  may hold anything: bytes where crg wrote text, text or a real number where
  it wrote a whole number.  Every row is read through one check: the type of
  each column (:data:`COLUMNS`), then the form of the few values crg reads
  further (times, the rule engine, the JSON documents, a run's one rules
  file).  Bytes written back as text are read as their UTF-8 bytes (their
  digests then say whether they are those recorded); any other value not as
  crg writes it marks the run (or the Chair's decision) it belongs to as
  altered.  :func:`engine.record.runs.verify` reads such entries as found,
  and names them; every other reading refuses them with a
  :class:`RegisterError` naming the run and pointing to ``crg verify``.

Every failure of SQLite (not a database, damaged, locked, unreadable) is a
:class:`RegisterError`, one line, exit status 2.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import attrs

from ..decision.screen import ENGINES
from ..errors import InputError
from .model import GENESIS, ChairDecision, Departure, Input, Run

__all__ = [
    "APPLICATION_ID", "BUSY_TIMEOUT", "COLUMNS", "MIGRATIONS", "SCHEMA_VERSION", "TABLES", "Register",
    "RegisterError", "changed", "open_register",
]

APPLICATION_ID = 0x43524721  # "CRG!"
BUSY_TIMEOUT = 10.0  # seconds to wait for another writer


class RegisterError(InputError):
    """The register file cannot be used: missing, not a register, damaged, locked or too new."""


def changed(problem: str, *, run: int | None, decision: int | None = None, file: str | None = None) -> RegisterError:
    """The refusal of *run*, or of the Chair's *decision* (on *run*, when that can be read), changed outside crg as
    *problem* says."""
    if decision is None:
        text = f"run {run} has been changed outside crg: {problem}"
    elif run is None:
        text = f"the Chair's decision {decision} has been changed outside crg: {problem}"
    else:
        text = f"run {run} has been changed outside crg: its Chair's decision {decision}: {problem}"
    return RegisterError(text, file=file, fix="crg verify lists what in the register is not as recorded")


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

# The type of each column of the current schema, as crg writes it: what SQLite must hand back for it (``NULL``:
# None too).  SQLite keeps whatever it is given, whatever the column's type, once the triggers are dropped.
COLUMNS: dict[str, dict[str, str]] = {
    "files": {"sha256": "TEXT", "bytes": "BLOB"},
    "runs": {"id": "INTEGER", "recorded_at": "TEXT", "engine_version": "TEXT", "engine": "TEXT",
             "recorded_by": "TEXT", "note": "TEXT NULL", "round_id": "TEXT", "round_name": "TEXT", "folder": "TEXT",
             "overrides": "TEXT", "reading": "TEXT", "outcome": "TEXT", "outcome_table": "TEXT",
             "outcome_markdown": "TEXT", "previous": "TEXT", "hash": "TEXT", "recommendation": "TEXT NULL"},
    "inputs": {"run": "INTEGER", "position": "INTEGER", "kind": "TEXT", "name": "TEXT", "key": "TEXT",
               "sha256": "TEXT"},
    "decisions": {"id": "INTEGER", "run": "INTEGER", "decided_at": "TEXT", "outcome": "TEXT", "decided_by": "TEXT",
                  "note": "TEXT NULL", "previous": "TEXT", "hash": "TEXT"},
    "departures": {"decision": "INTEGER", "position": "INTEGER", "proposal": "TEXT", "recommended": "TEXT",
                   "decided": "TEXT", "reason": "TEXT"},
}

# each SQL type: the Python type SQLite hands back for it, and what it is in words
_TYPES = {"TEXT": (str, "text"), "BLOB": (bytes, "bytes"), "INTEGER": (int, "a whole number")}

_FOUND = {str: "text", bytes: "bytes", int: "a whole number", float: "a real number", type(None): "NULL"}


def _text(data: bytes) -> str:
    """The connection's ``text_factory``: text as UTF-8, each byte that is not UTF-8 kept as a lone surrogate (so
    that such text is read, and found by :func:`_unlike`, rather than failing the whole query)."""
    return data.decode("utf-8", "surrogateescape")


def _utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _is_time(text: str) -> bool:
    try:
        dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return False
    return True


def _is_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


# the values crg reads further than their type, and the form each must have: (check, what crg writes)
_FORMS: dict[str, tuple[Callable[[str], bool], str]] = {
    "runs.recorded_at": (_is_time, "a UTC time such as 2026-04-27T10:00:00Z"),
    "decisions.decided_at": (_is_time, "a UTC time such as 2026-04-27T10:00:00Z"),
    "runs.engine": (lambda v: v in ENGINES, "the name of a rule engine (" + " or ".join(ENGINES) + ")"),
    "runs.overrides": (_is_object, "a JSON object"),
    "runs.reading": (_is_object, "a JSON object"),
    "runs.outcome": (_is_object, "a JSON object"),
}


# COLUMNS by ``table.column``: (the Python type, in words, whether it may be NULL)
_READ = {f"{table}.{name}": (*_TYPES[sql.split()[0]], sql.endswith(" NULL"))
         for table, columns in COLUMNS.items() for name, sql in columns.items()}


def _unlike(column: str, value: Any) -> str | None:
    """How *value*, read from *column* (``table.column``), is not as crg writes it (None: it is)."""
    want, words, nullable = _READ[column]
    if value is None and nullable:
        return None
    if not isinstance(value, want):
        return f"{column} holds {_FOUND.get(type(value), type(value).__name__)} where crg writes {words}"
    if isinstance(value, str) and not _utf8(value):
        return f"{column} holds text that is not UTF-8"
    if column in _FORMS and not _FORMS[column][0](value):
        return f"{column} is not {_FORMS[column][1]}"
    return None


def _as_written(columns: tuple[str, ...], row: tuple) -> tuple[list[Any], list[str]]:
    """The values of *row*, read from *columns* (``table.column`` each; ``table.column?`` from a table joined
    by ``LEFT JOIN``, whose None is a row not there), as crg wrote them; and what in it is not.

    Bytes written back as text are read as their bytes (the digests then say whether they are those recorded).
    Any other value not as crg writes it (:func:`_unlike`) is read as ``None``, and said.
    """
    out, altered = [], []
    for column, value in zip(columns, row):
        if column.endswith("?"):
            column = column[:-1]
            if value is None:
                out.append(None)
                continue
        if isinstance(value, str) and _READ[column][0] is bytes:
            value = value.encode("utf-8", "surrogateescape")
        unlike = _unlike(column, value)
        if unlike is not None:
            altered.append(unlike)
            value = None
        out.append(value)
    return out, altered


# what each reading selects, in order
_RUN = ("runs.id", "runs.recorded_at", "runs.engine_version", "runs.engine", "runs.recorded_by", "runs.note",
        "runs.round_id", "runs.round_name", "runs.folder", "runs.overrides", "runs.reading", "runs.outcome",
        "runs.outcome_table", "runs.outcome_markdown", "runs.previous", "runs.hash", "runs.recommendation")
_INPUT = ("inputs.run", "inputs.position", "inputs.kind", "inputs.name", "inputs.key", "inputs.sha256", "files.bytes?")
_DECISION = ("decisions.id", "decisions.run", "decisions.decided_at", "decisions.outcome", "decisions.decided_by",
             "decisions.note", "decisions.previous", "decisions.hash")
_DEPARTURE = ("departures.decision", "departures.position", "departures.proposal", "departures.recommended",
              "departures.decided", "departures.reason")


def _rules_files(inputs: tuple[Input, ...]) -> list[str]:
    """What is wrong with the rules files of a run's *inputs* (crg keeps exactly one)."""
    n = sum(1 for i in inputs if i.kind == "rules")
    return [] if n == 1 else [f"inputs holds {f'{n} rules files' if n else 'no rules file'} for it where crg "
                              "writes one"]


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
            last = self._sound(("runs.id", "runs.hash"), "FROM runs ORDER BY id DESC LIMIT 1", ())
            run_id, previous = (last[0][0] + 1, last[0][1]) if last else (1, GENESIS)
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
            last = self._sound(("decisions.id", "decisions.run", "decisions.hash"),
                               "FROM decisions ORDER BY id DESC LIMIT 1", ())
            decision_id, previous = (last[0][0] + 1, last[0][2]) if last else (1, GENESIS)
            run_hash_now = self._sound(("runs.id", "runs.hash"), "FROM runs WHERE id = ?", (decision.run,))[0][1]
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

    def _read(self, columns: tuple[str, ...], rest: str, args: tuple) -> Iterator[tuple[list[Any], list[str]]]:
        """Each row of ``SELECT columns rest``: its values as crg wrote them, and what in it is not
        (:func:`_as_written`).  Every reading of the tables comes through here."""
        select = ", ".join(c.rstrip("?") for c in columns)
        for row in self._db.execute(f"SELECT {select} {rest}", args):
            yield _as_written(columns, row)

    def _sound(self, columns: tuple[str, ...], rest: str, args: tuple) -> list[list[Any]]:
        """The rows of ``SELECT columns rest``, refused at the first that is not as crg wrote it.  The columns
        begin with the id of a run (``runs.id``), or with the ids of a decision and its run (``decisions.id``,
        ``decisions.run``)."""
        out = []
        for values, altered in self._read(columns, rest, args):
            if altered and columns[0] == "decisions.id":
                raise self._changed(altered, run=values[1], decision=values[0])
            if altered:
                raise self._changed(altered, run=values[0])
            out.append(values)
        return out

    def _changed(self, altered: list[str], *, run: int | None, decision: int | None = None) -> RegisterError:
        """The refusal of an entry found *altered*: see :func:`changed`."""
        return changed(altered[0], run=run, decision=decision, file=self.path)

    def run_ids(self) -> list[int]:
        with _sql(self.path):
            return [run_id for run_id, in self._sound(("runs.id",), "FROM runs ORDER BY id", ())]

    def round_ids(self) -> list[str]:
        """The ids of the rounds with a run in the register, in order."""
        with _sql(self.path):
            return sorted({round_id for _, round_id in self._sound(("runs.id", "runs.round_id"), "FROM runs", ())})

    def runs(self, round_id: str | None = None, *, as_found: bool = False) -> list[Run]:
        """Every run, oldest first (only those of *round_id*, if given), each with its input files.

        A run not as crg wrote it is refused (:class:`RegisterError`); *as_found*, it is given with what is
        wrong in its ``altered`` (and each such value None), for :func:`engine.record.runs.verify`.
        """
        if round_id is None:
            return self._runs("", (), as_found)
        return self._runs("WHERE round_id = ?", (round_id,), as_found)

    def run(self, run_id: int, *, as_found: bool = False) -> Run | None:
        """The run *run_id*, or ``None`` (*as_found*: see :meth:`runs`)."""
        found = self._runs("WHERE id = ?", (run_id,), as_found)
        return found[0] if found else None

    def _runs(self, where: str, args: tuple, as_found: bool) -> list[Run]:
        with _sql(self.path), self._snapshot():
            rows = list(self._read(_RUN, f"FROM runs {where} ORDER BY id", args))
            inputs: dict[int, list[Input]] = {}
            wrong: dict[int, list[str]] = {}
            for (run_id, _, kind, name, key, sha256, data), altered in self._read(
                    _INPUT, "FROM inputs LEFT JOIN files ON files.sha256 = inputs.sha256"
                    f" WHERE inputs.run IN (SELECT id FROM runs {where}) ORDER BY inputs.run, inputs.position", args):
                inputs.setdefault(run_id, []).append(Input(kind, name, key, sha256, data))
                wrong.setdefault(run_id, []).extend(altered)
        out = []
        for r, altered in rows:
            files = tuple(inputs.get(r[0], ()))
            altered += wrong.get(r[0], []) + _rules_files(files)
            if altered and not as_found:
                raise self._changed(altered, run=r[0])
            out.append(Run(recorded_at=r[1], engine_version=r[2], engine=r[3], by=r[4], note=r[5], round_id=r[6],
                           round_name=r[7], folder=r[8], overrides=r[9], reading=r[10], outcome=r[11], table=r[12],
                           markdown=r[13], inputs=files, id=r[0], previous=r[14], hash=r[15], recommendation=r[16],
                           altered=tuple(altered)))
        return out

    def recommendation(self, run: Run, *, as_found: bool = False) -> Run:
        """*run* with the bytes of its recommendation document (left ``None`` when the run has none, or the
        register has lost them).  Read apart from :meth:`runs`, so that listing runs never loads documents.
        (*as_found*: see :meth:`runs`.)"""
        if run.recommendation is None:
            return run
        with _sql(self.path):
            found = list(self._read(("files.bytes",), "FROM files WHERE sha256 = ?", (run.recommendation,)))
        data, altered = ([None], []) if not found else found[0]
        if altered and not as_found:
            raise self._changed(altered, run=run.id)
        return attrs.evolve(run, recommendation_data=data[0], altered=run.altered + tuple(altered))

    def decisions(self, run_id: int | None = None, *, as_found: bool = False) -> list[ChairDecision]:
        """The Chair's decisions, oldest first (only those on run *run_id*, if given).  (*as_found*: see
        :meth:`runs`.)"""
        where, args = ("WHERE run = ?", (run_id,)) if run_id is not None else ("", ())
        with _sql(self.path), self._snapshot():
            rows = list(self._read(_DECISION, f"FROM decisions {where} ORDER BY id", args))
            departures: dict[int, list[Departure]] = {}
            wrong: dict[int, list[str]] = {}
            for (decision_id, _, proposal, recommended, decided, reason), altered in self._read(
                    _DEPARTURE, f"FROM departures WHERE decision IN (SELECT id FROM decisions {where})"
                    " ORDER BY decision, position", args):
                departures.setdefault(decision_id, []).append(Departure(proposal, recommended, decided, reason))
                wrong.setdefault(decision_id, []).extend(altered)
        out = []
        for r, altered in rows:
            altered += wrong.get(r[0], [])
            if altered and not as_found:
                raise self._changed(altered, run=r[1], decision=r[0])
            out.append(ChairDecision(run=r[1], decided_at=r[2], outcome=r[3], by=r[4], note=r[5],
                                     departures=tuple(departures.get(r[0], ())), id=r[0], previous=r[6], hash=r[7],
                                     altered=tuple(altered)))
        return out

    def run_hashes(self) -> dict[int, str]:
        """Each run's hash as the register holds it now."""
        with _sql(self.path):
            return dict(self._sound(("runs.id", "runs.hash"), "FROM runs", ()))

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
    a missing or empty file is a :class:`RegisterError`, and nothing is written.
    """
    shown = str(path)
    if not create and not Path(path).exists():
        raise RegisterError("there is no register here (crg record makes one)", file=shown)
    if Path(path).is_dir():
        raise RegisterError("is a folder, not a register", file=shown)
    with _sql(shown):
        db = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)
    db.text_factory = _text
    try:
        with _sql(shown):
            _prepare(db, shown, create)
    except BaseException:
        db.close()
        raise
    return Register(shown, db)


def _prepare(db: sqlite3.Connection, shown: str, create: bool) -> None:
    db.execute("PRAGMA synchronous = FULL")
    version = _checked(db, shown)
    if version == SCHEMA_VERSION:
        return
    if version == 0 and not create:  # an empty file (or an SQLite database with nothing in it) is left as it is
        raise RegisterError("is empty, not a register (crg record makes one)", file=shown)
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
