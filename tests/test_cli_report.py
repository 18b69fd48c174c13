"""Tests of crg report: each format written whole, and each error path one short message with exit status 2."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from .conftest import PROPOSALS, REPO, RULES

R2627 = RULES / "kcsp-2026-27.yaml"
EXAMPLES = PROPOSALS / "2026-27-example"
SCENARIOS = REPO / "scenarios" / "2026-27-example"


def crg(*args):
    from engine.cli import cli

    return CliRunner().invoke(cli, [str(a) for a in args])


class TestReport:
    @pytest.mark.parametrize("suffix, start", [(".html", b"<!DOCTYPE html>"), (".docx", b"PK"), (".xlsx", b"PK"),
                                               (".md", b"# KCSP Crime Reduction Grant 2026/27")])
    def test_each_format(self, tmp_path, suffix, start):
        """Each extension gives its format, and says which file it wrote; nothing else is left in the folder."""
        path = tmp_path / f"recommendation{suffix}"
        result = crg("report", R2627, EXAMPLES, "-o", path)
        assert result.exit_code == 0, result.stderr
        assert result.stdout == f"Wrote {path}\n"
        assert all(line.startswith("Warning: ") for line in result.stderr.splitlines())  # the files' warnings only
        assert path.read_bytes().startswith(start)
        assert [p.name for p in tmp_path.iterdir()] == [path.name]

    @pytest.mark.parametrize("suffix", [".html", ".md", ".docx", ".xlsx"])
    def test_byte_identical(self, tmp_path, suffix):
        """The same inputs give the same bytes, twice."""
        a, b = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
        crg("report", R2627, EXAMPLES, "-o", a)
        crg("report", R2627, EXAMPLES, "-o", b)
        assert a.read_bytes() == b.read_bytes()

    def test_scenarios_and_what_ifs(self, tmp_path):
        """--scenario (repeatable) adds scenarios; what-if flags apply to the baseline and each scenario."""
        path = tmp_path / "r.md"
        result = crg("report", R2627, EXAMPLES, "-o", path, "--upfront", "£25,000",
                     "--scenario", SCENARIOS / "panel-counts-more.yaml",
                     "--scenario", SCENARIOS / "late-proposal-accepted.yaml")
        assert result.exit_code == 0, result.stderr
        text = path.read_text(encoding="utf-8")
        assert "These figures take the what-if: upfront allocation set to £25,000." in text
        assert "| figure      | baseline" in text and "panel counts more" in text and "late proposal accepted" in text
        assert text.count("| upfront     | £25,000.00 ") == 1

    def test_json_figures_match_screen(self, tmp_path):
        """The figures written are crg screen's on the same inputs."""
        screened = json.loads(crg("screen", R2627, EXAMPLES, "--format", "json").stdout)
        path = tmp_path / "r.md"
        crg("report", R2627, EXAMPLES, "-o", path)
        text = path.read_text(encoding="utf-8")
        for p in screened["proposals"]:
            assert f"**Decision:** {p['status']}" in text.split(f"### {p['id']}:")[1]


class TestReportErrors:
    @pytest.mark.parametrize("name, problem, fix", [
        ("r.pdf", "'.pdf' is not a format crg can write", "end the file name in .html, .docx, .xlsx, .md"),
        ("missing/r.html", "the folder does not exist", None),
    ])
    def test_bad_target(self, tmp_path, name, problem, fix):
        """An unknown extension or a missing folder: one message naming the file and -o, exit 2, nothing written."""
        path = tmp_path / name
        result = crg("report", R2627, EXAMPLES, "-o", path)
        assert result.exit_code == 2 and result.stdout == ""
        first, second = result.stderr.splitlines()
        assert first == f"Error: {path}: -o: {problem}"
        assert second == f"  fix: {fix}" if fix else second.startswith("  fix: make the folder")
        assert list(tmp_path.iterdir()) == []

    def test_unwritable(self, tmp_path):
        """A file that cannot be written (here a folder of that name) is one message, exit 2, and left as it was."""
        path = tmp_path / "r.html"
        path.mkdir()
        result = crg("report", R2627, EXAMPLES, "-o", path)
        assert result.exit_code == 2
        assert result.stderr == f"Error: {path}: -o: is a folder, not a file\n  fix: give the name of a file to write\n"
        assert path.is_dir() and list(path.iterdir()) == [] and [p.name for p in tmp_path.iterdir()] == ["r.html"]

    def test_cannot_be_replaced(self, tmp_path, monkeypatch):
        """When the finished file cannot be put in place: one message, exit 2, no partial file left behind."""
        from engine.outputs import writers

        def refuse(source, target):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(writers.os, "replace", refuse)
        path = tmp_path / "r.md"
        result = crg("report", R2627, EXAMPLES, "-o", path)
        assert result.exit_code == 2
        assert result.stderr.endswith(f"Error: {path}: -o: cannot be written (Permission denied)\n"
                                      "  fix: give a path in a folder that can be written\n")
        assert list(tmp_path.iterdir()) == []

    def test_missing_output(self):
        """-o is required."""
        result = crg("report", R2627, EXAMPLES)
        assert result.exit_code == 2 and "Missing option '-o'" in result.stderr

    def test_bad_scenario(self, tmp_path):
        """A scenario naming an unknown rule is bad input naming the scenario file; nothing is written."""
        scenario = tmp_path / "bad.yaml"
        scenario.write_text("name: x\nrelax: [serves-cs]\n")
        result = crg("report", R2627, EXAMPLES, "-o", tmp_path / "r.html", "--scenario", scenario)
        assert result.exit_code == 2 and str(scenario) in result.stderr and "serves-csa" in result.stderr
        assert not (tmp_path / "r.html").exists()

    def test_bad_override(self, tmp_path):
        """A bad what-if flag is one message naming it."""
        result = crg("report", R2627, EXAMPLES, "-o", tmp_path / "r.html", "--upfront", "£6,00")
        assert result.exit_code == 2 and result.stderr.startswith("Error: --upfront: ")
        assert not (tmp_path / "r.html").exists()

    def test_missing_proposals(self, tmp_path):
        """A folder of proposals that does not exist is bad input."""
        result = crg("report", R2627, tmp_path / "nope", "-o", tmp_path / "r.html")
        assert result.exit_code == 2 and "folder not found" in result.stderr
