"""The register's commands on a register edited behind crg's back, a value at a time, in-process.

Once its triggers are dropped, SQLite keeps whatever it is given in any
column: bytes where crg wrote text, text or a real number where it wrote a
whole number.  Whatever it hands back, ``crg verify`` exits 1 naming the run,
and every other command that reads the value refuses the run in one message
(exit 2) instead of failing with a traceback.

One register (two runs of two rounds, the Chair's decision on the second) is
recorded once for the module; each case edits a copy with the ``sqlite3``
shell, putting the triggers back after, so that the edit is all there is to
find.
"""

from __future__ import annotations

import re
import shutil
import sqlite3

import pytest

from engine.record.register import COLUMNS, open_register

from .conftest import ROUNDS
from .registers import crg, record_round, sqlite_shell

# every column of the register, by table, with its type (the engine's own table, which test_every_column_is_tried and
# tests/test_register.py check against SQLite's listing of the schema)
SCHEMA = {table: {column: kind.split()[0] for column, kind in columns.items()} for table, columns in COLUMNS.items()}
TABLES = tuple(SCHEMA)

# the run edited (its rows, its files, the Chair's decision on it), and the other run
RUN, OTHER = 2, 1

# the row each edit touches: run 2's, its rules file's, the Chair's decision on it, and its departure
ROWS = {
    "files": f"sha256 = (SELECT sha256 FROM inputs WHERE run = {RUN} AND position = 0)",
    "runs": f"id = {RUN}",
    "inputs": f"run = {RUN} AND position = 0",  # its rules file
    "decisions": "id = 1",
    "departures": "decision = 1 AND position = 0",
}

# each command run on an edited copy, in this order (decide last: it writes)
COMMANDS = {
    "verify": ["verify"],
    "history": ["history"],
    "history json": ["history", "--format", "json"],
    "show": ["show", RUN],
    "diff": ["diff", OTHER, RUN],
    "replay": ["replay", RUN],
    "report": ["report", "--run", RUN, "-o", "{out}"],
    "decide": ["decide", RUN, "--outcome", "approved", "--by", "Chair"],
}

RUN_TABLES = {"runs", "inputs", "files"}
ALL_TABLES = set(TABLES)

# the tables each command reads (a value not as crg wrote it in them is refused)
READS = {"history": ALL_TABLES, "history json": ALL_TABLES, "show": ALL_TABLES, "report": ALL_TABLES,
         "diff": RUN_TABLES, "replay": RUN_TABLES, "decide": RUN_TABLES}


def refused(command: str, table: str, column: str) -> bool:
    """Whether *command* reads, and so refuses, a value not as crg wrote it in *table*.*column* of run 2."""
    if (table, column) == ("departures", "decision"):  # the departure belongs to no decision: nothing reads it
        return False
    if (table, column) == ("decisions", "run"):  # the decision is on no run: read only by those reading them all,
        return command in ("history", "history json", "decide")  # and by decide, which follows the last one
    if command == "decide" and table == "decisions":  # decide reads the last decision's id, run and hash
        return column in ("id", "hash")
    return table in READS[command]


# the kinds of value put in a column of each type, that SQLite keeps as they are (not the column's type)
WRONG_TYPE = {
    "TEXT": {"bytes": "X'00ff'", "its bytes": "CAST({c} AS BLOB)"},
    "INTEGER": {"text": "'tampered'", "real": "1.5", "bytes": "X'00ff'", "its bytes": "CAST({c} AS BLOB)"},
    "BLOB": {"whole number": "5", "real": "1.5"},
}

# columns that cannot hold a value of another type: a rowid, or one a CHECK keeps to a few words
FIXED = {("runs", "id"), ("decisions", "id"), ("inputs", "kind"), ("decisions", "outcome"), ("departures", "decided")}

# the key by which a run's bytes are found: of another type, they are missing (as crg said already)
LOST = {("files", "sha256")}

TYPE_CASES = [pytest.param(table, column, value, id=f"{table}.{column}={kind}")
              for table in TABLES for column, sql in SCHEMA[table].items() if (table, column) not in FIXED
              for kind, value in WRONG_TYPE[sql].items()]

# values of the column's type, but not of a form crg can read
FORM_CASES = [pytest.param(table, column, value, id=f"{table}.{column}={value}") for table, column, value in [
    ("runs", "recorded_at", "'tampered'"),
    ("runs", "recorded_at", "5"),
    ("runs", "engine", "'tampered'"),
    ("runs", "overrides", "'tampered'"),
    ("runs", "overrides", "5"),
    ("runs", "reading", "1.5"),
    ("runs", "outcome", "'tampered'"),
    ("runs", "outcome", "5"),
    ("runs", "outcome", "1.5"),
    ("runs", "outcome", "'[]'"),
    ("runs", "note", "CAST(X'ff' AS TEXT)"),  # not UTF-8
    ("inputs", "run", "7"),  # run 2 loses its rules file
    ("decisions", "decided_at", "'tampered'"),
    ("departures", "proposal", "'tampered'"),  # not a proposal of the run
]]


def _tampered(base, folder, table: str, column: str, value: str, where: str | None = None):
    """A copy of *base* in *folder* with *column* of run 2's row of *table* (else those *where* says) set to
    *value* (triggers dropped, then put back)."""
    path = folder / "crg.db"
    shutil.copy(base, path)
    db = sqlite3.connect(path)
    triggers = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    db.executescript("".join(f"DROP TRIGGER {name};" for name, _ in triggers))
    sql = f"UPDATE {table} SET {column} = {value.format(c=column)} WHERE {where or ROWS[table]}"
    changed = db.execute(sql).rowcount
    db.commit()
    db.close()
    sqlite_shell(path, "".join(f"{sql};" for _, sql in triggers))
    assert changed >= 1
    return path


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """The register every case edits, and how each command does on it as recorded."""
    folder = tmp_path_factory.mktemp("base")
    path = folder / "crg.db"
    record_round(path, "kcsp-2024-25")
    record_round(path, "kcsp-2026-27", note="the meeting")
    assert crg("decide", RUN, "--outcome", "amended", "--by", "Chair", "--note", "why",
               "--drop", "nte-welfare-training", "--register", path).exit_code == 0
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(path, folder / "first.db")
    codes = {name: _run(name, folder / "first.db", folder).exit_code for name in COMMANDS}
    assert codes == {**{name: 0 for name in COMMANDS}, "diff": 1}, codes
    return path, codes


def _run(name: str, path, folder):
    args = [str(a).format(out=folder / "run.md") for a in COMMANDS[name]]
    result = crg(*args, "--register", path)
    assert result.exception is None or isinstance(result.exception, SystemExit), (name, result.exception)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _check(base, tmp_path, table: str, column: str, value: str) -> None:
    """Every command on the copy edited so: verify names run 2, the others refuse it or do as before."""
    path, codes = base
    path = _tampered(path, tmp_path, table, column, value)
    changed = re.compile(rf"Error: {re.escape(str(path))}: (run {RUN} has been changed outside crg: "
                         r"|the Chair's decision 1 has been changed outside crg: )[^\n]+\n"
                         r"  fix: crg verify lists what in the register is not as recorded\n")
    for name in COMMANDS:
        result = _run(name, path, tmp_path)
        if name == "verify":
            first = result.stdout.splitlines()[0]
            assert result.exit_code == 1, result.stdout
            if (table, column) == ("decisions", "run"):  # on no run: the decision is named
                assert first.startswith("The register is not as recorded: the Chair's decision 1 is not as crg "
                                        "wrote it: decisions.run holds "), first
            else:
                assert first.startswith(f"Run {RUN} is not as recorded: "), first
        elif (table, column) in LOST and name == "replay":
            assert (result.exit_code, result.stderr) == (2, f"Error: {path}: run {RUN}: the bytes of "
                                                            "rules/kcsp-2026-27.yaml are missing from the register\n")
        elif (table, column) in LOST:
            assert result.exit_code == codes[name], (name, result.stderr)
        elif refused(name, table, column):
            assert (result.exit_code, result.stdout) == (2, ""), (name, result.stdout)
            assert changed.fullmatch(result.stderr), (name, result.stderr)
        else:
            assert result.exit_code == codes[name], (name, result.stderr)


@pytest.mark.parametrize("table, column, value", TYPE_CASES)
def test_a_value_of_another_type(base, tmp_path, table, column, value):
    """A value of another type than crg wrote, in any column of any table, is caught by verify and refused by
    every command that reads it, in one message."""
    _check(base, tmp_path, table, column, value)


@pytest.mark.parametrize("table, column, value", FORM_CASES)
def test_a_value_crg_cannot_read(base, tmp_path, table, column, value):
    """A value of the right type that crg cannot read (a time, the rule engine, a JSON document, text that is not
    UTF-8, a run's rules file, a departure's proposal) is caught and refused as well."""
    _check(base, tmp_path, table, column, value)


def test_every_column_is_tried(base):
    """The cases cover every column of every table of the register, as SQLite lists them, but those that cannot
    hold another type."""
    db = sqlite3.connect(base[0])
    tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    assert {t: {c: sql for _, c, sql, *_ in db.execute(f"PRAGMA table_info({t})")} for t in tables} == SCHEMA
    assert {(p.values[0], p.values[1]) for p in TYPE_CASES} | FIXED == {(t, c) for t in SCHEMA for c in SCHEMA[t]}


# every file of run 2, its recommendation document with them
EVERY_FILE = (f"sha256 IN (SELECT sha256 FROM inputs WHERE run = {RUN}) "
              f"OR sha256 = (SELECT recommendation FROM runs WHERE id = {RUN})")


class TestBytesAsText:
    def test_the_same_bytes(self, base, tmp_path):
        """A file's bytes written back as text, unchanged, are read as they were: the register verifies."""
        path, codes = base
        path = _tampered(path, tmp_path, "files", "bytes", "CAST({c} AS TEXT)", EVERY_FILE)
        assert sqlite3.connect(path).execute("SELECT count(*) FROM files WHERE typeof(bytes) = 'text'").fetchone()[0]
        for name in COMMANDS:
            assert _run(name, path, tmp_path).exit_code == codes[name], name

    def test_changed_bytes(self, base, tmp_path):
        """A file's bytes changed as text (sqlite3's replace() gives text) are not those recorded: verify names the
        run and the file, and replay refuses it rather than replay other bytes."""
        path, codes = base
        path = _tampered(path, tmp_path, "files", "bytes", "replace({c}, '£3,200', '£3,900')", EVERY_FILE)
        name = "proposals/2026-27-example/nte-welfare-training.yaml"  # the one file that says £3,200
        verify = _run("verify", path, tmp_path)
        assert verify.exit_code == 1
        assert verify.stdout.splitlines()[0] == (f"Run {RUN} is not as recorded: the bytes of {name} are not those "
                                                 "recorded.")
        replay = _run("replay", path, tmp_path)
        assert (replay.exit_code, replay.stderr) == (2, f"Error: {path}: run {RUN} has been changed outside crg: the "
                                                        f"bytes of {name} are not those recorded\n"
                                                        "  fix: crg verify lists what in the register is not as "
                                                        "recorded\n")
        for other in ("history", "show", "diff"):  # they read the run, not its files
            assert _run(other, path, tmp_path).exit_code == codes[other], other


# a run's outcome edited into other JSON: a key taken out, or given a value of another kind (SQLite's json_remove
# and json_set), in the document and in a proposal of it
JSON_EDITS = [pytest.param(edit, id=edit) for edit in [
    "json_remove({c}, '$.proposals')",
    "json_set({c}, '$.proposals', 'tampered')",
    "json_set({c}, '$.proposals', json('null'))",
    "json_set({c}, '$.proposals', json('[1, 2]'))",
    "json_remove({c}, '$.overrides')",
    "json_set({c}, '$.overrides', 'tampered')",
    "json_remove({c}, '$.policy')",
    "json_remove({c}, '$.upfront')",
    "json_set({c}, '$.upfront', 'tampered')",
    "json_set({c}, '$.total_score', 'tampered')",
    "json_remove({c}, '$.proposals[0].id')",
    "json_remove({c}, '$.proposals[0].status')",
    "json_set({c}, '$.proposals[0].status', json('null'))",
    "json_remove({c}, '$.proposals[0].rank')",
    "json_remove({c}, '$.proposals[0].offered')",
    "json_set({c}, '$.proposals[0].score', 'tampered')",
    "json_set({c}, '$.proposals[0].checks', 'tampered')",
]]


class TestOtherJson:
    @pytest.mark.parametrize("edit", JSON_EDITS)
    def test_an_outcome_edited(self, base, tmp_path, edit):
        """A run's recorded outcome edited into other JSON is named by verify; every other command shows the run
        as before, or, where it cannot read it, refuses the run in one message: never a traceback."""
        path, codes = base
        path = _tampered(path, tmp_path, "runs", "outcome", edit)
        changed = (2, "", f"Error: {path}: run {RUN} has been changed outside crg: its hash does not match what "
                          "the register holds\n  fix: crg verify lists what in the register is not as recorded\n")
        refused = []
        for name in COMMANDS:
            result = _run(name, path, tmp_path)  # (no traceback)
            if name == "verify":
                assert result.exit_code == 1 and result.stdout.startswith(f"Run {RUN} is not as recorded: its hash")
            elif result.exit_code == 2:
                assert (result.exit_code, result.stdout, result.stderr) == changed, name
                refused.append(name)
            else:
                assert result.exit_code in (codes[name], 1), (name, result.stderr)
        if edit == "json_remove({c}, '$.proposals')":  # which every reader of the decisions reads
            assert {"history", "show", "diff", "decide"} <= set(refused), refused

    def test_a_mistake_of_the_users_own(self, base, tmp_path):
        """On a run edited behind crg's back that still reads, a mistake of the user's (a run the register does not
        hold, a proposal the run does not have) is told as it is, not taken for the edit."""
        path = _tampered(base[0], tmp_path, "runs", "outcome", "json_set({c}, '$.proposals[0].title', 'Edited')")
        assert crg("verify", "--register", path).exit_code == 1
        missing = crg("diff", RUN, 99, "--register", path)
        assert (missing.exit_code, missing.stderr.splitlines()[0]) == (
            2, f"Error: {path}: run 99 is not in the register (it holds runs 1 and 2)")
        fund = crg("decide", RUN, "--outcome", "amended", "--fund", "NOPE", "--note", "why", "--by", "Chair",
                   "--register", path)
        assert fund.exit_code == 2 and fund.stderr.startswith("Error: --fund: ") and "'NOPE'" in fund.stderr
        # and a sum of money in it that does not read is the edit's, not a sum the user typed
        (tmp_path / "money").mkdir()
        path = _tampered(base[0], tmp_path / "money", "runs", "outcome", "json_set({c}, '$.upfront', 'tampered')")
        shown = crg("show", RUN, "--register", path)
        assert shown.exit_code == 2 and "has been changed outside crg" in shown.stderr, shown.stderr

    def test_a_failure_of_crg_itself(self, base, tmp_path):
        """Where every run is as recorded, a reader's failure is crg's own, and is raised as it is."""
        from engine.record.runs import as_recorded

        path = tmp_path / "crg.db"
        shutil.copy(base[0], path)
        with pytest.raises(KeyError, match="not a key crg wrote"):
            with as_recorded(str(path)):
                raise KeyError("not a key crg wrote")


class TestNotARegister:
    @pytest.mark.parametrize("name", list(COMMANDS))
    def test_an_empty_file(self, name, tmp_path):
        """A command that reads the register refuses an empty file in one line, as it does a missing one, and
        leaves it empty; so does decide."""
        path = tmp_path / "empty.db"
        path.write_bytes(b"")
        result = _run(name, path, tmp_path)
        assert (result.exit_code, result.stdout, result.stderr) == (
            2, "", f"Error: {path}: is empty, not a register (crg record makes one)\n")
        assert path.read_bytes() == b"" and sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]

    def test_record_makes_one_of_it(self, tmp_path):
        """crg record makes an empty file a register, as it makes a missing one."""
        path = tmp_path / "empty.db"
        path.write_bytes(b"")
        rules, folder = ROUNDS["kcsp-2026-27"]
        assert crg("record", rules, folder, "--by", "x", "--register", path).exit_code == 0
        with open_register(path) as reg:
            assert [r.id for r in reg.runs()] == [1]
