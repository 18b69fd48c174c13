"""What the register's tests share: a fixed clock, runs recorded in-process, a register of each earlier
version, edits made with the ``sqlite3`` shell as someone working behind crg's back would, and a folder to
run the register's commands in.

Nothing here asks the register for an answer: the earlier versions are files
written by those versions, and edits go through SQLite itself, not crg.
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from engine.inputs.scenario import Overrides
from engine.record import runs
from engine.record.register import open_register
from engine.record.runs import Inputs

from .conftest import REPO, ROUNDS

DATA = REPO / "tests" / "data" / "registers"

EXAMPLE_RULES, EXAMPLE_FOLDER = ROUNDS["kcsp-2026-27"]


def version_1(path: Path) -> None:
    """A register of version 1, as crg wrote it then: two runs of the 2024/25 round."""
    db = sqlite3.connect(path)
    db.executescript((DATA / "version-1.sql").read_text(encoding="utf-8"))
    db.close()


def version_2(path: Path) -> None:
    """A register of version 2, as crg wrote it then: two runs of the example round of 2026/27 (the second with
    a scenario file and a weight applied), each with a decision of the Chair, and no recommendation document."""
    db = sqlite3.connect(path)
    db.executescript((DATA / "version-2.sql").read_text(encoding="utf-8"))
    db.close()


def version_0(path: Path) -> None:
    """Version 0: an empty file (what ``touch crg.db`` leaves)."""
    path.write_bytes(b"")


# a builder of a register of each earlier version, by version
EARLIER_VERSIONS = {0: version_0, 1: version_1, 2: version_2}


@pytest.fixture
def clock(monkeypatch):
    """A fixed clock: 27 April 2026 at 10:00 UTC, one minute later at each reading."""
    start = dt.datetime(2026, 4, 27, 10, 0)
    times = (f"{start + dt.timedelta(minutes=n):%Y-%m-%dT%H:%M:%SZ}" for n in itertools.count())
    monkeypatch.setattr(runs, "clock", lambda: next(times))


def example_inputs(key: str = "kcsp-2026-27") -> Inputs:
    rules, folder = ROUNDS[key]
    return Inputs.from_paths(str(rules.relative_to(REPO)), str(folder.relative_to(REPO)))


def record_round(path: Path, key: str = "kcsp-2026-27", overrides: Overrides = Overrides(), **kwargs):
    """Record the shipped round *key* in the register at *path* (files named from the repository root)."""
    inputs = example_inputs(key)
    with open_register(path, create=True) as reg:
        return runs.record(reg, inputs, overrides, by=kwargs.pop("by", "tester"), **kwargs)[0]


def sqlite_shell(path: Path, sql: str) -> None:
    """Run *sql* on the file at *path* with the ``sqlite3`` shell (Python's own sqlite3 where there is none)."""
    shell = shutil.which("sqlite3")
    if shell is not None:
        done = subprocess.run([shell, str(path)], input=sql, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and not done.stderr, done.stderr
        return
    db = sqlite3.connect(path)
    db.executescript(sql)
    db.close()


def unguarded(sql: str, *tables: str) -> str:
    """*sql*, after dropping the triggers that guard *tables*, as someone editing the file would."""
    drops = "".join(f"DROP TRIGGER {t}_never_updated; DROP TRIGGER {t}_never_deleted;" for t in tables)
    return drops + sql


def crg(*args, env=None):
    """``crg ARGS...`` run in-process (with *env* added to the environment)."""
    from engine.cli import cli

    return CliRunner(env=env).invoke(cli, [str(a) for a in args])


@pytest.fixture
def here(tmp_path, monkeypatch, clock):
    """A folder holding the example round as rules.yaml and props/, and no register yet; the test runs in it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CRG_REGISTER", raising=False)
    shutil.copy(EXAMPLE_RULES, tmp_path / "rules.yaml")
    shutil.copytree(EXAMPLE_FOLDER, tmp_path / "props")
    return tmp_path


def record_here(*extra):
    """``crg record rules.yaml props --by officer EXTRA...`` in :func:`here`, which must succeed."""
    result = crg("record", "rules.yaml", "props", "--by", "officer", *extra)
    assert result.exit_code == 0, result.stderr
    return result


def failed(result, message: str) -> None:
    """Exit status 2, nothing on stdout, and exactly *message* on stderr, with no traceback."""
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message), result.exception
