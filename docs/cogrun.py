"""Helpers for the README: its command output is made by running the commands (with cog).

``cog -r README.md`` refreshes every block; ``cog --check README.md`` (run by
the tests) fails when the README no longer matches what the commands print.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from click.testing import CliRunner

from engine.cli import cli

ROOT = Path(__file__).resolve().parent.parent


def run(command: str, *, stderr: bool = False) -> str:
    """The output of ``crg ...`` as a fenced block, run in-process from the repository root."""
    return f"```\n$ {command}\n{output(command, stderr=stderr).rstrip()}\n```\n"


def output(command: str, *, stderr: bool = False) -> str:
    """What ``crg ...`` prints (stderr first, if asked), run in-process from the repository root."""
    args = shlex.split(command)
    assert args[0] == "crg", command
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(cli, args[1:], prog_name="crg")
    finally:
        os.chdir(here)
    text = result.stdout
    if stderr and result.stderr:
        text = result.stderr + text
    if result.exit_code not in (0, 2):
        raise RuntimeError(f"{command} failed:\n{result.output}")
    return text
