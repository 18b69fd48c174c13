"""Tests of ``crg import``, run in-process with click's CliRunner and once as a real process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from click.testing import CliRunner

from engine.inputs.proposal import load_proposals

from .conftest import REPO, RULES, write_workbook

EXAMPLE = REPO / "docs" / "import-example"
R2627 = RULES / "kcsp-2026-27.yaml"


def crg(*args):
    from engine.cli import cli

    return CliRunner().invoke(cli, [str(a) for a in args])


def copy_example(tmp_path, *names: str) -> None:
    for name in names:
        shutil.copy(EXAMPLE / name, tmp_path / name)


class TestImport:
    """crg import"""

    def test_writes_one_file_per_row(self, tmp_path, monkeypatch):
        """Each row becomes a proposal file; the files and the rows they came from are listed, then a summary."""
        monkeypatch.chdir(tmp_path)
        copy_example(tmp_path, "proposals.csv", "panel.csv")
        result = crg("import", "proposals.csv", "--panel", "panel.csv", "--round", R2627, "-o", "new")
        assert result.exit_code == 0, result.stderr
        assert result.stdout == (
            "new/street-pastors-margate.yaml  (proposals.csv: row 2)\n"
            "new/scam-call-blockers.yaml  (proposals.csv: row 3)\n"
            "new/cycle-theft-marking.yaml  (proposals.csv: row 4)\n"
            "3 proposal files written to new, with the panel's scores from panel.csv.\n")
        assert result.stderr == ""
        assert [p.id for p in load_proposals(tmp_path / "new")] == [
            "cycle-theft-marking", "scam-call-blockers", "street-pastors-margate"]
        assert crg("validate", R2627, tmp_path / "new").exit_code == 0

    def test_panel_columns_by_name_need_the_round(self, tmp_path, monkeypatch):
        """Without --round, a panel column headed by an agency's name is a bad cell, and the fix says to give it."""
        monkeypatch.chdir(tmp_path)
        copy_example(tmp_path, "proposals.csv", "panel.csv")
        result = crg("import", "proposals.csv", "--panel", "panel.csv", "-o", "new")
        assert result.exit_code == 2
        assert result.stderr.splitlines()[:3] == [
            "Error: proposals.csv: 3 bad cells in 1 row; nothing was written",
            "  panel.csv: row 1, column Kent Police: 'Kent Police' is not an agency's id",
            "    fix: head the column with the agency's id (lowercase letters, digits and hyphens, e.g. kent-police), "
            "or give the rules file with --round to head it with the agency's name",
        ]
        assert not (tmp_path / "new").exists()

    def test_every_bad_cell_then_exit_2(self, tmp_path, monkeypatch):
        """Every bad cell is on stderr, under a one-line summary; exit 2, nothing on stdout, nothing written."""
        monkeypatch.chdir(tmp_path)
        copy_example(tmp_path, "mistakes.csv")
        result = crg("import", "mistakes.csv", "-o", "new")
        assert result.exit_code == 2
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert lines[0] == "Error: mistakes.csv: 6 bad cells in 2 rows; nothing was written"
        assert [line.split(":")[0].strip() for line in lines[1::2]] == [
            "row 2, column submitted", "row 2, column cost", "row 3, column title", "row 3, column pot",
            "row 3, column delivery.end", "row 3, column reach"]
        assert all(line.startswith("    fix: ") for line in lines[2::2])
        assert "Traceback" not in result.stderr
        assert not (tmp_path / "new").exists()

    def test_existing_file_needs_force(self, tmp_path, monkeypatch):
        """A second import into the same folder is refused, exit 2; with --force it replaces, and says so."""
        monkeypatch.chdir(tmp_path)
        copy_example(tmp_path, "proposals.csv")
        assert crg("import", "proposals.csv", "-o", "new").exit_code == 0
        again = crg("import", "proposals.csv", "-o", "new")
        assert again.exit_code == 2
        assert again.stderr == ("Error: new/street-pastors-margate.yaml: already exists (and 2 more); nothing was "
                                "written\n  fix: pass --force to replace, or write to another folder with -o\n")
        forced = crg("import", "proposals.csv", "-o", "new", "--force")
        assert forced.exit_code == 0
        assert forced.stdout.splitlines()[0] == "new/street-pastors-margate.yaml  (proposals.csv: row 2, replaced)"

    def test_an_id_another_file_holds(self, tmp_path, monkeypatch):
        """A row whose id a file of the folder already holds under another name is refused, even with --force,
        naming that file; nothing is written."""
        monkeypatch.chdir(tmp_path)
        copy_example(tmp_path, "proposals.csv")
        assert crg("import", "proposals.csv", "-o", "new").exit_code == 0
        (tmp_path / "new" / "scam-call-blockers.yaml").rename(tmp_path / "new" / "my-scam.yaml")
        before = {p.name: p.read_bytes() for p in (tmp_path / "new").iterdir()}
        again = crg("import", "proposals.csv", "-o", "new", "--force")
        assert again.exit_code == 2
        assert again.stderr == ("Error: new/scam-call-blockers.yaml: the id 'scam-call-blockers' is already used by "
                                "new/my-scam.yaml; nothing was written\n  fix: give the row another id, or remove or "
                                "rename my-scam.yaml first\n")
        assert {p.name: p.read_bytes() for p in (tmp_path / "new").iterdir()} == before

    def test_a_hidden_file_is_not_in_the_way(self, tmp_path, monkeypatch):
        """A hidden file of the folder, which the loader skips, does not hold an id against a row."""
        monkeypatch.chdir(tmp_path)
        copy_example(tmp_path, "proposals.csv")
        (tmp_path / "new").mkdir()
        (tmp_path / "new" / ".scam-call-blockers.yaml").write_text("id: scam-call-blockers\n", encoding="utf-8")
        assert crg("import", "proposals.csv", "-o", "new").exit_code == 0
        assert (tmp_path / "new" / "scam-call-blockers.yaml").exists()

    def test_workbook_with_panel_sheet(self, tmp_path, monkeypatch):
        """A workbook's second sheet gives the panel's scores."""
        monkeypatch.chdir(tmp_path)
        headers = ["id", "title", "lead_agency", "submitted", "pot", "cost", "delivery.start", "delivery.end",
                   "summary"]
        write_workbook(tmp_path / "p.xlsx", {
            "Proposals": [headers, ["a", "A", "Kent Police", "2026-04-01", "upfront", 500, "2026-05-01",
                                    "2026-06-01", "s"]],
            "Scores": [["id", "kcc"], ["a", 4]]})
        result = crg("import", "p.xlsx", "-o", "new")
        assert result.exit_code == 0, result.stderr
        assert result.stdout.splitlines() == ["new/a.yaml  (p.xlsx: sheet Proposals, row 2)",
                                              "1 proposal file written to new, with the panel's scores from p.xlsx, "
                                              "sheet Scores."]

    def test_missing_file(self, tmp_path, monkeypatch):
        """A spreadsheet that is not there: exit 2, one line naming it."""
        monkeypatch.chdir(tmp_path)
        result = crg("import", "nope.xlsx", "-o", "new")
        assert result.exit_code == 2
        assert result.stderr == "Error: nope.xlsx: file not found\n  fix: check the path\n"

    def test_bad_rules_file(self, tmp_path, monkeypatch):
        """A rules file given with --round is checked like any other: exit 2, naming it."""
        monkeypatch.chdir(tmp_path)
        copy_example(tmp_path, "proposals.csv")
        result = crg("import", "proposals.csv", "-o", "new", "--round", "no-rules.yaml")
        assert result.exit_code == 2
        assert result.stderr == "Error: no-rules.yaml: file not found\n  fix: check the path\n"

    def test_out_under_a_file(self, tmp_path, monkeypatch):
        """A folder to write in that cannot be made (a file is in its way) is a mistake naming it, exit status 2."""
        monkeypatch.chdir(tmp_path)
        copy_example(tmp_path, "proposals.csv")
        (tmp_path / "taken").write_text("a file\n", encoding="utf-8")
        result = crg("import", "proposals.csv", "-o", "taken/new")
        assert result.exit_code == 2, result.exception
        assert result.stderr == ("Error: taken/new: -o: the folder cannot be made (Not a directory)\n"
                                 "  fix: give a folder that can be made and written\n")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["proposals.csv", "taken"]

    def test_out_is_required(self):
        """-o is required (click's usage error, exit 2)."""
        result = crg("import", EXAMPLE / "proposals.csv")
        assert result.exit_code == 2
        assert "Missing option '-o' / '--out'" in result.stderr

    def test_real_process(self, tmp_path):
        """Run as a real process, bad cells exit 2 with no traceback and nothing on stdout."""
        copy_example(tmp_path, "mistakes.csv")
        result = subprocess.run([sys.executable, "-c", "from engine.cli import main; main()", "import",
                                 "mistakes.csv", "-o", "new"], cwd=tmp_path, capture_output=True, text=True,
                                timeout=60, env=dict(os.environ, PYTHONPATH=str(REPO)))
        assert result.returncode == 2
        assert result.stderr.startswith("Error: mistakes.csv: 6 bad cells in 2 rows; nothing was written\n")
        assert "Traceback" not in result.stderr and result.stdout == ""
        assert not (tmp_path / "new").exists()
