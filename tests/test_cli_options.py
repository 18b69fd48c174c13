"""Tests of engine.cli.options: what the commands share (the progress bar on stderr), and the shape of every
command: shared options defined once, commands thin."""

from __future__ import annotations

import ast
import functools
import importlib
import io

import pytest

from click.testing import CliRunner

from engine.cli import COMMANDS, files, options, screening, whatif

from .conftest import PROPOSALS, REPO, RULES

R2627 = RULES / "kcsp-2026-27.yaml"
EXAMPLES = PROPOSALS / "2026-27-example"


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


class Clock:
    """A clock that moves only when told to."""

    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Ticking(Clock):
    """A clock that moves on by *step* seconds each time it is read."""

    def __init__(self, step: float):
        super().__init__()
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def shown(stream, steps, label: str = "Reading proposal files") -> str:
    """What one stage writes on *stream*, ticked ``(done, total)`` after each wait of ``seconds``."""
    clock = Clock()
    with options.Progress(stream=stream, clock=clock) as progress:
        tick = progress.stage(label)
        for seconds, done, total in steps:
            clock.now += seconds
            tick(done, total)
    return stream.getvalue()


class TestProgress:
    """options.Progress"""

    def test_hidden_for_the_first_second(self):
        """On a terminal, nothing is written while the command has run less than a second."""
        assert shown(Terminal(), [(0.5, 10, 100), (0.4, 90, 100)]) == ""

    def test_shown_after_a_second(self):
        """On a terminal, the stage's bar appears once the command has run a second, showing the work done."""
        tty, clock = Terminal(), Clock()
        with options.Progress(stream=tty, clock=clock) as progress:
            tick = progress.stage("Reading proposal files")
            tick(10, 100)
            assert tty.getvalue() == ""
            clock.now += 1.5
            tick(50, 100)
            assert "Reading proposal files" in tty.getvalue()
            assert "50%" in tty.getvalue()
            tick(100, 100)
        assert "100%" in tty.getvalue()

    def test_never_on_a_pipe(self):
        """When stderr is not a terminal (a pipe, a file), no bar is written however long the work takes."""
        assert shown(io.StringIO(), [(1.0, done, 100) for done in range(1, 101)]) == ""

    def test_one_bar_per_stage(self):
        """Each stage has its own bar and label; a later stage shows at once if the command has passed a second."""
        tty, clock = Terminal(), Clock()
        with options.Progress(stream=tty, clock=clock) as progress:
            first = progress.stage("Reading proposal files")
            clock.now += 2.0
            first(5, 10)
            second = progress.stage("Sweeping budgets")
            second(1, 1000)
            shown = tty.getvalue()
        assert shown.index("Reading proposal files") < shown.index("Sweeping budgets")

    def test_nothing_to_count(self):
        """A stage with nothing to do (total 0) shows no bar."""
        assert shown(Terminal(), [(5.0, 0, 0)]) == ""

    def test_stderr_by_default(self, capsys):
        """Without a stream the bar goes to stderr, which under the tests is not a terminal: nothing is shown."""
        clock = Clock()
        with options.Progress(clock=clock) as progress:
            clock.now += 5.0
            progress.stage("Sweeping budgets")(1, 2)
        assert capsys.readouterr() == ("", "")


def invoke(*args: str):
    from engine.cli import cli

    return CliRunner().invoke(cli, [str(a) for a in args])


class TestCommandsShowProgress:
    """The commands that read a folder or run long hand their stages to Progress."""

    COMMANDS = {
        files: ["validate", R2627, EXAMPLES],
        screening: ["screen", R2627, EXAMPLES],
        whatif: ["sweep", R2627, EXAMPLES],
    }

    def test_on_a_terminal(self, monkeypatch):
        """Run past a second with stderr on a terminal, each command shows the bar of its stages; stdout is unchanged."""
        for module, args in self.COMMANDS.items():
            plain = invoke(*args)
            tty = Terminal()
            monkeypatch.setattr(module, "Progress", functools.partial(options.Progress, stream=tty,
                                                                      clock=Ticking(0.5)))
            shown = invoke(*args)
            assert shown.exit_code == 0, shown.stderr
            assert shown.stdout == plain.stdout
            assert "Reading proposal files" in tty.getvalue(), args[0]
            assert "100%" in tty.getvalue(), args[0]

    def test_sweep_and_compare_stages(self, monkeypatch):
        """sweep shows its budget sweep and compare its scenarios, each as a stage of its own."""
        tty = Terminal()
        monkeypatch.setattr(whatif, "Progress", functools.partial(options.Progress, stream=tty, clock=Ticking(0.5)))
        assert invoke("sweep", R2627, EXAMPLES).exit_code == 0
        assert "Sweeping budgets" in tty.getvalue()
        scenario = EXAMPLES.parent.parent / "scenarios" / "2026-27-example" / "cut-to-20000.yaml"
        assert invoke("compare", R2627, EXAMPLES, scenario).exit_code == 0
        assert "Deciding each scenario" in tty.getvalue()

    def test_report_record_and_replay_stages(self, monkeypatch, tmp_path):
        """report shows the reading, the counterfactuals, the sweep and the writing of its file; record the
        counterfactuals and the sweep its recommendation holds; replay the counterfactuals made again.  Each stage
        comes in that order and reaches 100%, and what is written is the same as with no terminal."""
        from engine.cli import record, report

        register = tmp_path / "crg.db"
        runs = {
            report: (["report", R2627, EXAMPLES, "-o", tmp_path / "shown.docx"],
                     [options.READING, "Shortlisting and explaining", "Sweeping budgets",
                      f"Writing {tmp_path / 'shown.docx'}"]),
            record: (["record", R2627, EXAMPLES, "--register", register, "--by", "A. Clerk"],
                     ["Shortlisting and explaining", "Sweeping budgets"]),
        }
        for module, (args, labels) in runs.items():
            tty = Terminal()
            monkeypatch.setattr(module, "Progress", functools.partial(options.Progress, stream=tty,
                                                                      clock=Ticking(0.5)))
            result = invoke(*args)
            assert result.exit_code == 0, result.stderr
            bars = tty.getvalue()
            places = [bars.index(label) for label in labels]
            assert places == sorted(places), args[0]
            assert bars.count("100%") >= len(labels), args[0]
        assert invoke("report", R2627, EXAMPLES, "-o", tmp_path / "quiet.docx").exit_code == 0
        assert (tmp_path / "shown.docx").read_bytes() == (tmp_path / "quiet.docx").read_bytes()
        tty = Terminal()
        monkeypatch.setattr(record, "Progress", functools.partial(options.Progress, stream=tty, clock=Ticking(0.5)))
        result = invoke("replay", "1", "--register", register)
        assert result.exit_code == 0, result.stderr
        assert "Shortlisting and explaining" in tty.getvalue() and "100%" in tty.getvalue()

    def test_scenarios_after_the_explanations(self, monkeypatch, tmp_path):
        """With scenarios, report shows the baseline's counterfactuals, then the scenarios, then the sweep."""
        from engine.cli import report

        tty = Terminal()
        monkeypatch.setattr(report, "Progress", functools.partial(options.Progress, stream=tty, clock=Ticking(0.5)))
        scenario = EXAMPLES.parent.parent / "scenarios" / "2026-27-example" / "cut-to-20000.yaml"
        result = invoke("report", R2627, EXAMPLES, "-o", tmp_path / "r.md", "--scenario", scenario)
        assert result.exit_code == 0, result.stderr
        bars = tty.getvalue()
        labels = ["Shortlisting and explaining", "Deciding each scenario", "Sweeping budgets", "Writing"]
        places = [bars.index(label) for label in labels]
        assert places == sorted(places)

    def test_never_on_a_pipe(self, monkeypatch):
        """However long a command runs, with stderr not a terminal its stderr holds no bar."""
        for module, args in self.COMMANDS.items():
            monkeypatch.setattr(module, "Progress", functools.partial(options.Progress, clock=Ticking(10.0)))
            result = invoke(*args)
            assert result.exit_code == 0
            assert "Reading proposal files" not in result.stderr
            assert "%" not in result.stderr


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
