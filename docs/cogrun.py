"""Helpers for the README: its command output is made by running the commands (with cog).

``cog -r README.md`` refreshes every block; ``cog --check README.md`` (run by
the tests) fails when the README no longer matches what the commands print.
"""

from __future__ import annotations

import itertools
import os
import shlex
import tempfile
from pathlib import Path

from click.testing import CliRunner

from engine.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def run(command: str, *, stderr: bool = False, env: dict[str, str] | None = None, codes=(0, 2),
        cwd: str | Path | None = None) -> str:
    """The output of ``crg ...`` as a fenced block, run in-process from the repository root (or *cwd*).

    *codes* are the exit statuses the command may end with (any other is a failure of the README).
    """
    return f"```\n$ {command}\n{output(command, stderr=stderr, env=env, codes=codes, cwd=cwd).rstrip()}\n```\n"


def output(command: str, *, stderr: bool = False, env: dict[str, str] | None = None, codes=(0, 2),
           cwd: str | Path | None = None) -> str:
    """What ``crg ...`` prints (stderr first, if asked), run in-process from the repository root (or *cwd*: a
    command that writes a file the README shows, run in a temporary folder)."""
    args = shlex.split(command)
    assert args[0] == "crg", command
    here = os.getcwd()
    os.chdir(cwd or ROOT)
    try:
        result = CliRunner(env=env).invoke(cli, args[1:], prog_name="crg")
    finally:
        os.chdir(here)
    text = result.stdout
    if stderr and result.stderr:
        text = result.stderr + text
    if result.exit_code not in codes:
        raise RuntimeError(f"{command} failed:\n{result.output}")
    return text


class Register:
    """A register in a temporary folder, and a clock that reads *start* and then moves on by *step* minutes.

    For the README's examples only: the commands shown name no register (it is
    passed as ``CRG_REGISTER``) and their times are the same at every refresh.
    """

    def __init__(self, start: str, step: int = 5):
        import datetime as dt

        self._folder = tempfile.TemporaryDirectory(prefix="crg-readme-")
        self.env = {"CRG_REGISTER": str(Path(self._folder.name) / "crg.db")}
        first = dt.datetime.strptime(start, "%Y-%m-%dT%H:%M:%SZ")
        self._times = (f"{first + dt.timedelta(minutes=step * n):%Y-%m-%dT%H:%M:%SZ}" for n in itertools.count())

    def run(self, command: str, **kwargs) -> str:
        """:func:`run` against this register, with this clock."""
        from engine.record import runs

        real = runs.clock
        runs.clock = lambda: next(self._times)
        try:
            return run(command, env=self.env, **kwargs)
        finally:
            runs.clock = real
