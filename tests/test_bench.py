"""Tests of bench/: every benchmark's quick mode runs to the end and prints its results, naming no path of the machine.

The quick modes are started together, each in a process of its own, and each test reads one
of them.  No time is asserted: a benchmark measures, the tests only see that it still runs.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from .conftest import REPO

# script -> the lines of its report that must be there (each a regular expression, matched per line)
QUICK = {
    "screen_bench.py": [r"^crg screening benchmark$", r"^python +CPython \d", r"^2\. Per-proposal time",
                        r"^3\. Memory", r"^4\. Whole process: \S+ \.\.\. from the repository root",
                        r"^crg screen RULES DIR +\d", r"^5\. What bounds", r"^\(benchmark took \d+ s\)$"],
    "select_bench.py": [r"^\| kind +\| +items \| +optimal max ms", r"^\| hard +\| +30 \|", r"^\| panel +\| +10 \|"],
    "sweep_bench.py": [r"^\| +items \| policy", r"^\| +50 \| optimal +\|"],
    "solver_stages.py": [r"^hard, 20 items", r"^\| +round \| +optimal s", r"^\| +2 \| +\d"],
    "record_bench.py": [r"^1 runs of each command on ", r"^  crg screen +\d+\.\d+ s", r"^  crg record +\d+\.\d+ s",
                        r"^  crg replay 1 +\d+\.\d+ s", r"^record - screen: [-+]\d+\.\d+ s"],
    "scale_bench.py": [r"^crg scale benchmark$", r"^python CPython \d", r"^import floor .*: \d+\.\d+ s, peak \d+ MB",
                       r"^\| proposals \| runs \| rank s \|", r"^\| 12 \(example round\) \| 1 \| \d+\.\d+ \| \d+ \|",
                       r"^\| 20 \| 1 \| \d+\.\d+ \| \d+ \| \d+\.\d+ \| \d+ \| \d+\.\d+ \| \d+ \| [\d.]+× \| [\d.]+× \|$",
                       r"^\| rank \| 1 \| \d+\.\d+ \| \d+ \|$", r"^\| optimal \| 1 \| \d+\.\d+ \| \d+ \|$",
                       r"^- example round, rank: \d+\.\d+ s, [\d.]+× the import floor",
                       r"^\| crg sweep --policy optimal \| \d+\.\d+ \| \d+ \| \d+\.\d+ \|$",
                       r"^\| crg report -o FILE\.docx \| \d+\.\d+ \| \d+ \| \d+\.\d+ \|$",
                       r"^\| crg record \| \d+\.\d+ \| \d+ \| \d+\.\d+ \|$",
                       r"^\| crg report --run 1 -o FILE\.html \| \d+\.\d+ \| \d+ \| \d+\.\d+ \|$"],
    "report_bench.py": [r"^\| case +\| format +\| median s", r"^\| example round \(12 proposals\) \| \.html +\| \d+\.\d+",
                        r"^\| 30 generated proposals +\| \.docx +\| \d+\.\d+", r"^load average at the end"],
}


@pytest.fixture(scope="module")
def quick_runs(tmp_path_factory) -> dict[str, tuple[int, str, str]]:
    """``script -> (exit status, stdout, stderr)`` of every quick mode, run side by side from the repository root."""
    folder = tmp_path_factory.mktemp("bench")
    started = {}
    for script in QUICK:
        out, err = (open(folder / f"{script}.{kind}", "w+") for kind in ("out", "err"))
        started[script] = (subprocess.Popen([sys.executable, f"bench/{script}", "--quick"], cwd=REPO,
                                            stdout=out, stderr=err, text=True), out, err)
    done = {}
    for script, (proc, out, err) in started.items():
        status = proc.wait(timeout=600)
        out.seek(0)
        err.seek(0)
        done[script] = (status, out.read(), err.read())
        out.close()
        err.close()
    return done


def machine_paths() -> list[str]:
    """Absolute paths of this machine that a report must not show."""
    return sorted({str(REPO), str(Path(sys.executable).parent), sys.prefix, tempfile.gettempdir() + "/"})


class TestQuickModes:
    """bench/*.py --quick"""

    def test_every_script_is_covered(self):
        """Every benchmark script in bench/ has its quick mode run here."""
        scripts = {p.name for p in (REPO / "bench").glob("*.py") if p.name != "common.py"}
        assert scripts == set(QUICK)

    @pytest.mark.parametrize("script", sorted(QUICK))
    def test_runs_and_reports(self, quick_runs, script):
        """The quick mode exits 0 and prints each of its key result lines."""
        status, out, err = quick_runs[script]
        assert status == 0, err[-2000:]
        lines = out.splitlines()
        for pattern in QUICK[script]:
            assert any(re.search(pattern, line) for line in lines), (pattern, out[-3000:])

    @pytest.mark.parametrize("script", sorted(QUICK))
    def test_names_no_path_of_the_machine(self, quick_runs, script):
        """Neither the report nor the progress notes name an absolute path of the machine."""
        _, out, err = quick_runs[script]
        for path in machine_paths():
            assert path not in out and path not in err, path


# an absolute path written in text: "/word/" after a space, a quote, a backtick or an opening bracket
ABSOLUTE = re.compile(r"(?:^|[\s`'\"(])/\w[\w.-]*/")


class TestReadme:
    """bench/README.md"""

    def test_names_no_path_of_the_machine(self):
        """The benchmarks' README shows commands relative to the repository and no absolute path."""
        text = (REPO / "bench" / "README.md").read_text(encoding="utf-8")
        assert ABSOLUTE.findall(text) == []
        for path in machine_paths():
            assert path not in text

    def test_commands_use_the_venv(self):
        """Each command shown runs the interpreter of the repository's venv, named relative to it."""
        text = (REPO / "bench" / "README.md").read_text(encoding="utf-8")
        for script in QUICK:
            assert f".venv/bin/python bench/{script}" in text, script
