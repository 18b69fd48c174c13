"""The README cannot drift: its command output is generated, and every command is documented."""

from __future__ import annotations

import os

import pytest
from cogapp import Cog

from .conftest import REPO


@pytest.mark.parametrize("name", ["README.md", "docs/fields.md"])
def test_readme_output_is_current(monkeypatch, capsys, name):
    """Running cog --check on the README and the field reference finds nothing to change (refresh: cog -r NAME)."""
    monkeypatch.chdir(REPO)
    monkeypatch.syspath_prepend(str(REPO))
    status = Cog().main(["cog", "--check", "-I", str(REPO), name])
    assert status == 0, capsys.readouterr().out


def test_every_command_documented():
    """Every crg command has a section in the README."""
    from engine.cli import cli

    text = (REPO / "README.md").read_text(encoding="utf-8")
    for name in cli.list_commands(None):
        assert f"### `crg {name}`" in text or f"`crg {name}`" in text, name


def test_readme_starts_with_the_two_commands():
    """The README opens with the install-and-run command and the install-and-test command that CI runs."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    test_command = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/python -m pytest"
    head = text[:600]
    assert "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/crg screen" in head
    assert test_command in head and test_command in ci
    assert os.access(REPO / ".ci" / "run", os.X_OK)


def test_ci_runs_the_deep_profile():
    """CI selects the hypothesis profile that runs the deep property tests at full depth, before the tests run."""
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.index("export HYPOTHESIS_PROFILE=ci\n") < ci.index(".venv/bin/python -m pytest")
