"""Tests of engine.inputs.provenance: assumed key paths, the sourcing check of real rounds, the list of assumptions."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
import yaml

from engine.errors import InputError, InputErrors
from engine.inputs.proposal import load_proposals
from engine.inputs.provenance import (assumptions, key_path, require_sources, resolve, shown, unsourced,
                                      unsourced_in)
from engine.inputs.round import load_round
from engine.inputs.yamlfile import parse

from .conftest import PROPOSALS, RULES, ROUNDS, location, year

REAL_RULES = sorted(p for p in RULES.glob("*.yaml"))
REAL_PROPOSALS = sorted(p for folder in ("2021-22", "2024-25", "2025-26") for p in (PROPOSALS / folder).glob("*.yaml"))
R2122 = RULES / "kcsp-2021-22.yaml"


def data_of(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


class TestResolve:
    """resolve and key_path"""

    DATA = {"money": {"leftover": "x"}, "rules": [{"id": "a", "check": {"cost": 1}}, {"id": "b"}], "list": ["p", "q"]}

    @pytest.mark.parametrize("path, place", [
        ("money.leftover", ("money", "leftover")), ("rules.b", ("rules", 1)), ("rules.a.check.cost", ("rules", 0, "check", "cost")),
        ("money", ("money",)), ("list", ("list",))])
    def test_paths(self, path, place):
        """Dots go down mappings; a list item is named by its id; key_path reverses it."""
        assert resolve(self.DATA, path) == place
        assert key_path(self.DATA, place) == path

    @pytest.mark.parametrize("path", ["money.left", "rules.c", "list.p", "money.leftover.more"])
    def test_nothing(self, path):
        """A path that names nothing resolves to None."""
        assert resolve(self.DATA, path) is None

    def test_items_without_ids(self):
        """A list item with no id is named by its 1-based place."""
        assert key_path(self.DATA, ("list", 1)) == "list.2"


class TestShown:
    """shown"""

    def test_a_rule_by_what_it_says(self):
        """A rule shows what it says; a list of things with ids shows the ids; text is cut short."""
        assert shown({"id": "r", "says": "It  must\n fit.", "check": {}}) == "It must fit."
        assert shown({"criteria": [{"id": "pcc"}, {"id": "csa"}]}) == "criteria: pcc, csa"
        assert shown("x" * 100).endswith("…") and len(shown("x" * 100)) == 60


class TestSourcing:
    """unsourced_in, unsourced and require_sources"""

    @pytest.mark.parametrize("path", REAL_RULES + REAL_PROPOSALS, ids=lambda p: f"{p.parent.name}/{p.name}")
    def test_every_real_value_is_sourced_or_assumed(self, path):
        """Each shipped file of a real round says so, and each of its values is sourced or assumed."""
        data = data_of(path)
        head = data["round"] if "round" in data and isinstance(data["round"], dict) else data
        assert head["illustrative"] is False
        assert unsourced(path) == []

    def test_real_proposals_list_their_assumed_tags(self):
        """Every real proposal whose priority tags and summary no report gives lists them as assumed."""
        for path in REAL_PROPOSALS:
            assumed = set(data_of(path)["assumed"])
            assert {"pcc_priorities", "csa_priorities", "cross_cutting", "summary"} <= assumed, path

    def test_illustrative_files_are_not_checked(self):
        """A file that does not say it is real (the example proposals) answers for nothing."""
        for path in (PROPOSALS / "2026-27-example").glob("*.yaml"):
            assert unsourced(path) == []

    def test_a_section_without_source(self, tmp_path):
        """A value under a section with no source, not assumed, is found at its place."""
        text = R2122.read_text(encoding="utf-8").replace(", scoring, selection]", ", selection]")
        (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
        problems = unsourced(tmp_path / "r.yaml", name="r.yaml")
        assert problems and all(p.field.startswith("scoring.") for p in problems)
        first = problems[0]
        line = text.splitlines().index("  out_of: 10") + 1
        assert str(first) == (f"r.yaml:{line}:11: scoring.out_of: a value of a real round with no source, and not "
                              f"listed under 'assumed:'\n  fix: give 'scoring' a 'source:' naming the report that "
                              f"gives it, or list 'scoring.out_of' under 'assumed:'")

    def test_a_proposal_without_source(self):
        """A top-level value of a real proposal with no source asks for the file's source."""
        text = (PROPOSALS / "2021-22" / "osara-train-the-trainer.yaml").read_text(encoding="utf-8")
        text = "\n".join(ln for ln in text.splitlines() if not ln.startswith("source:")) + "\n"
        problems = unsourced_in(parse(text.encode(), "p.yaml"))
        assert [p.field for p in problems] == ["title", "pot", "cost"]
        assert problems[0].fix == ("give the file a 'source:' naming the report that gives it, or list 'title' "
                                   "under 'assumed:'")

    def test_require_sources_names_every_one(self, tmp_path):
        """require_sources refuses every unsourced, unassumed value at once, each at its place."""
        text = R2122.read_text(encoding="utf-8").replace(", scoring, selection]", ", selection]")
        (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
        with pytest.raises(InputErrors) as err:
            require_sources(tmp_path / "r.yaml")
        fields = [e.field for e in err.value.errors]
        assert fields[0] == "scoring.out_of" and len(fields) == 20
        assert all(field.startswith("scoring.") for field in fields)

    def test_require_sources_reads_the_files_the_loader_reads(self, tmp_path):
        """The proposal files checked are those the round is screened from: one named .YAML is checked (its
        value with no source refused), and a Mac's '._' copy beside the others is skipped, as the loader skips it."""
        import shutil

        rules, folder = ROUNDS["kcsp-2021-22"]
        shutil.copytree(folder, tmp_path / "props")
        (tmp_path / "props" / "._dummy-cctv-cameras.yaml").write_bytes(b"\x00\x05\x16\x07\x00")
        require_sources(rules, tmp_path / "props")
        moved = tmp_path / "props" / "dummy-cctv-cameras.YAML"
        (tmp_path / "props" / "dummy-cctv-cameras.yaml").rename(moved)
        moved.write_text("".join(line for line in moved.read_text(encoding="utf-8").splitlines(keepends=True)
                                 if not line.startswith("source:")), encoding="utf-8")
        with pytest.raises(InputErrors) as err:
            require_sources(rules, tmp_path / "props")
        assert {e.file for e in err.value.errors} == {str(moved)}

    @pytest.mark.parametrize("key", ["kcsp-2021-22", "kcsp-2024-25", "kcsp-2025-26"])
    def test_require_sources_passes_real_rounds(self, key):
        """The shipped real rounds pass, rules and proposals together."""
        rules, folder = ROUNDS[key]
        require_sources(rules, folder)


class TestAssumedPaths:
    """assumed_paths, as rules files read them"""

    def test_listed_in_order_with_values(self):
        """A rules file keeps each assumed path with its value as written."""
        round_ = load_round(R2122)
        assert round_.assumed[0] == ("deadlines.proposals_due", "2021-05-14")
        assert dict(round_.assumed)["rules.has-evaluation-plan"] == "A proposal should say how its success will be measured."

    def test_unknown_path(self, spoiled):
        """A path that names nothing is refused at its place, with the near path."""
        name, line = spoiled(R2122, "assumed: [deadlines.proposals_due,", "assumed: [deadlines.proposal_due,")
        with pytest.raises(InputError) as err:
            load_round(name)
        assert location(str(err.value)) == (name, line)
        assert "'deadlines.proposal_due' in 'assumed' names no value of this file " \
               "(did you mean 'deadlines.proposals_due'?)" in str(err.value)

    def test_listed_twice(self, spoiled):
        """A path listed twice is refused."""
        name, _ = spoiled(R2122, "assumed: [deadlines.proposals_due,", "assumed: [scoring, deadlines.proposals_due,")
        with pytest.raises(InputError, match="'scoring' is listed twice"):
            load_round(name)

    def test_proposal_key_paths(self, spoiled):
        """A proposal may assume any key path of its own (a panel member's score, one delivery date)."""
        source = PROPOSALS / "2024-25" / "vawg-training-sessions.yaml"
        name, _ = spoiled(source, "assumed: [submitted,", "assumed: [panel.kcc, delivery.end, submitted,")
        (proposal,) = load_proposals(Path(name).parent)
        assert proposal.assumed[:2] == ("panel.kcc", "delivery.end")


class TestAssumptions:
    """assumptions"""

    def test_round_proposals_and_ledger(self):
        """The rules file's come first, then each proposal's by id, then the ledger's, with their values."""
        round_, ledger = year("2024-25")
        items = assumptions(round_, load_proposals(PROPOSALS / "2024-25"), ledger)
        owners = [a.owner for a in items]
        assert owners[0] == "rules" and owners[-1] == "ledger"
        by = {(a.owner, a.path): a.value for a in items}
        assert by[("rules", "money.leftover")] == "tactical pot"
        assert by[("asb-case-reviews-training", "cost")] == "£6,000"
        assert by[("asb-case-reviews-training", "summary")] == ""
        assert by[("asb-case-reviews-training", "delivery")] == "1 June 2024 to 31 March 2025"
        assert by[("ledger", "projects.asb-case-reviews-training.allocation")] == "£6,000"
        proposal_owners = [o for o in owners if o not in ("rules", "ledger")]
        assert proposal_owners == sorted(proposal_owners)

    def test_nothing_assumed(self):
        """A round that assumes nothing lists nothing."""
        assert assumptions(attrs.evolve(load_round(R2122), assumed=())) == ()
