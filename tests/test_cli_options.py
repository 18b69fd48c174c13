"""Tests of engine.cli.options and of the shape of every command: shared options defined once, commands thin."""

from __future__ import annotations

import ast
import importlib

import pytest

from engine.cli import COMMANDS

from .conftest import REPO

CLI = REPO / "engine" / "cli"
SHARED = ["--format", "--upfront", "--policy", "--weight", "--relax", "--without", "--cost", "--engine", "--register"]


def _command_functions():
    """``(name, ast of its function)`` for every command in COMMANDS."""
    out = []
    for name, where in sorted(COMMANDS.items()):
        module, function = where.split(":")
        tree = ast.parse((CLI / f"{module}.py").read_text(encoding="utf-8"))
        node = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == function)
        out.append((name, node))
    return out


class TestSharedOptions:
    @pytest.mark.parametrize("flag", SHARED)
    def test_defined_once(self, flag):
        """Each shared option is written once, in engine/cli/options.py, and used by every command that takes it."""
        places = [(path.name, text.count(f'"{flag}"')) for path in sorted(CLI.glob("*.py"))
                  for text in [path.read_text(encoding="utf-8")] if f'"{flag}"' in text]
        assert places == [("options.py", 1)]

    @pytest.mark.parametrize("name", ["screen", "compare", "sweep", "record"])
    def test_what_if_flags_on_every_run(self, name):
        """Every command that runs a round takes the same what-if flags."""
        from engine.cli import cli

        flags = {opt for p in cli.get_command(None, name).params for opt in p.opts}
        assert set(SHARED[1:-1]) <= flags


class TestThinCommands:
    @pytest.mark.parametrize("name, node", _command_functions(), ids=[n for n, _ in _command_functions()])
    def test_no_loop_in_a_command(self, name, node):
        """A command loads, calls the library and renders: no loop of its own (those belong in the library)."""
        loops = [n for n in ast.walk(node) if isinstance(n, (ast.For, ast.While, ast.AsyncFor))]
        assert loops == [], f"crg {name} loops at line {loops[0].lineno}" if loops else ""

    @pytest.mark.parametrize("name", sorted(COMMANDS))
    def test_imports_inside_the_command(self, name):
        """A command's module imports no library module at the top, so that crg --version stays fast."""
        module = importlib.import_module(f"engine.cli.{COMMANDS[name].split(':')[0]}")
        tree = ast.parse((CLI / f"{module.__name__.rsplit('.', 1)[1]}.py").read_text(encoding="utf-8"))
        top = [n for n in tree.body if isinstance(n, ast.ImportFrom) and n.level == 2]
        assert top == []
