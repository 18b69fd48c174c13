"""Tests of the ``crg new`` and ``crg fields`` commands."""

from __future__ import annotations

from click.testing import CliRunner

from .conftest import RULES

R2627 = RULES / "kcsp-2026-27.yaml"


def crg(*args):
    from engine.cli import cli

    return CliRunner().invoke(cli, [str(a) for a in args])


class TestNewProposal:
    def test_writes_the_file(self, tmp_path):
        """crg new proposal writes DIR/ID.yaml, says so, and validate then lists what is left to fill in."""
        result = crg("new", "proposal", tmp_path, "--id", "youth-boxing-club", "--rules", R2627)
        assert result.exit_code == 0, result.stderr
        path = tmp_path / "youth-boxing-club.yaml"
        assert result.stdout.startswith(f"{path}: written")
        assert "id: youth-boxing-club" in path.read_text(encoding="utf-8")
        check = crg("validate", R2627, tmp_path)
        assert check.exit_code == 2 and check.stderr.endswith("\n8 problems in 1 file\n")

    def test_never_overwrites(self, tmp_path):
        """An existing proposal file is never overwritten: exit 2, the file unchanged."""
        (tmp_path / "a.yaml").write_text("kept\n")
        result = crg("new", "proposal", tmp_path, "--id", "a")
        assert result.exit_code == 2
        assert result.stderr == (f"Error: {tmp_path / 'a.yaml'}: already exists\n"
                                 "  fix: give a new file name, or move the old file away first\n")
        assert (tmp_path / "a.yaml").read_text() == "kept\n"

    def test_bad_id(self, tmp_path):
        """An id that is not an id is refused, naming --id."""
        result = crg("new", "proposal", tmp_path, "--id", "Youth Club")
        assert result.exit_code == 2 and result.stderr.startswith("Error: --id: 'Youth Club' is not a valid id")
        assert list(tmp_path.iterdir()) == []


class TestNewRound:
    def test_writes_a_valid_round(self, tmp_path):
        """crg new round writes the rules moved on a year, which validate accepts with no warning."""
        target = tmp_path / "kcsp-2027-28.yaml"
        result = crg("new", "round", target, "--from", R2627, "--year", "2027/28")
        assert result.exit_code == 0, result.stderr
        check = crg("validate", target)
        assert check.exit_code == 0 and check.stderr == ""
        assert "financial_year: 2027/28" in target.read_text(encoding="utf-8")

    def test_bad_year_writes_nothing(self, tmp_path):
        """A year not written YYYY/YY is refused, naming --year, and nothing is written."""
        result = crg("new", "round", tmp_path / "r.yaml", "--from", R2627, "--year", "2027")
        assert result.exit_code == 2 and result.stderr.startswith("Error: --year: '2027' is not a financial year")
        assert list(tmp_path.iterdir()) == []

    def test_bad_source(self, tmp_path):
        """A rules file with a mistake is refused before anything is written."""
        (tmp_path / "bad.yaml").write_text((R2627).read_text().replace("grant: £39,600", "grant: £39,60"))
        result = crg("new", "round", tmp_path / "r.yaml", "--from", tmp_path / "bad.yaml", "--year", "2027/28")
        assert result.exit_code == 2 and "money.grant" in result.stderr
        assert not (tmp_path / "r.yaml").exists()

    def test_warns_of_what_it_carries_over(self, tmp_path):
        """A warning the new round carries over (the 2025/26 split, £1 short) is printed on stderr."""
        result = crg("new", "round", tmp_path / "r.yaml", "--from", RULES / "kcsp-2025-26.yaml", "--year", "2026/27")
        assert result.exit_code == 0
        assert result.stderr.startswith(f"Warning: {tmp_path / 'r.yaml'}:") and "£1 short" in result.stderr


class TestFields:
    def test_both_forms(self):
        """crg fields prints the reference as text, and as Markdown."""
        for form, start in (("table", "The fields of crg's files\n"), ("markdown", "# The fields of crg's files\n")):
            result = crg("fields", "--format", form)
            assert result.exit_code == 0 and result.stdout.startswith(start)
