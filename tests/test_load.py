"""Tests of engine.inputs.load: every input of a command read at once, every mistake and warning found."""

from __future__ import annotations

import shutil

import pytest

from engine.errors import InputError, InputErrors
from engine.inputs.load import load_inputs
from engine.inputs.scenario import Overrides

from .conftest import PROPOSALS, REPO, RULES, spoil

R2627 = RULES / "kcsp-2026-27.yaml"
EXAMPLES = PROPOSALS / "2026-27-example"
SCENARIOS = REPO / "scenarios" / "2026-27-example"


@pytest.fixture
def broken(tmp_path, monkeypatch):
    """A rules file, two proposals and a scenario, each with one mistake; returns their lines."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "props").mkdir()
    for path in EXAMPLES.glob("*.yaml"):
        shutil.copy(path, tmp_path / "props" / path.name)
    lines = {
        "r.yaml": spoil(R2627, tmp_path / "r.yaml", "  upfront: £26,500", "  upfront: £26,50"),
        "props/asb-community-mediation.yaml": spoil(
            EXAMPLES / "asb-community-mediation.yaml", tmp_path / "props" / "asb-community-mediation.yaml",
            "cost: £9,000", "cost: £6,00"),
        "props/dhr-learning-webinars.yaml": spoil(
            EXAMPLES / "dhr-learning-webinars.yaml", tmp_path / "props" / "dhr-learning-webinars.yaml",
            "submitted: 2026-04-02", "submitted: 2026-02-30"),
        "s.yaml": spoil(SCENARIOS / "cut-to-20000.yaml", tmp_path / "s.yaml", "upfront: £20,000", "upfront: lots"),
    }
    return lines


class TestLoadInputs:
    def test_every_mistake_in_every_file(self, broken):
        """A mistake in the rules, in two proposals and in a scenario: all four, in order of file and line."""
        with pytest.raises(InputErrors) as err:
            load_inputs("r.yaml", "props", ["s.yaml"])
        found = [(e.file, e.line) for e in err.value.errors]
        assert found == sorted(broken.items())
        assert err.value.summary() == "4 problems in 4 files"

    def test_several_mistakes_in_one_file(self, tmp_path, monkeypatch):
        """Past a bad field the rest of the file is still checked: three mistakes in one proposal, all found."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "props").mkdir()
        text = (EXAMPLES / "asb-community-mediation.yaml").read_text(encoding="utf-8")
        text = text.replace("cost: £9,000", "cost: £6,00").replace("pot: upfront", "pot: upfrnt")
        text = text.replace("title:", "titel:")
        (tmp_path / "props" / "a.yaml").write_text(text, encoding="utf-8")
        with pytest.raises(InputErrors) as err:
            load_inputs(R2627, "props")
        fields = [e.field for e in err.value.errors]
        assert fields == ["title", "pot", "cost"]
        assert err.value.summary() == "3 problems in 1 file"

    def test_one_mistake_is_one_input_error(self, broken):
        """A single mistake is raised as one InputError, as it always was."""
        with pytest.raises(InputError):
            load_inputs("r.yaml")

    def test_overrides_checked_with_the_files(self, tmp_path, monkeypatch):
        """An override naming a proposal that is not there is found with the mistakes of the files."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "s.yaml").write_text("name: x\nupfront: lots\n", encoding="utf-8")
        with pytest.raises(InputErrors) as err:
            load_inputs(R2627, EXAMPLES, ["s.yaml"], overrides=Overrides(without=("nobody",)))
        assert [(e.file, e.field) for e in err.value.errors] == [(None, "without"), ("s.yaml", "upfront")]

    def test_scenario_checked_against_the_round(self, tmp_path, monkeypatch):
        """A scenario relaxing a rule the round does not have is refused, naming the scenario file."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "s.yaml").write_text("name: x\nrelax: [no-such-rule]\n", encoding="utf-8")
        with pytest.raises(InputError) as err:
            load_inputs(R2627, EXAMPLES, ["s.yaml"])
        assert str(err.value).startswith("s.yaml: relax: no rule 'no-such-rule'")

    def test_two_scenarios_of_one_name(self, tmp_path, monkeypatch):
        """Two scenarios with the same name would head two columns alike: the second is refused, naming the
        first; other names pass."""
        monkeypatch.chdir(tmp_path)
        for name, title in (("a.yaml", "cut"), ("b.yaml", "cut"), ("c.yaml", "cut more")):
            (tmp_path / name).write_text(f"name: {title}\nupfront: £20,000\n", encoding="utf-8")
        with pytest.raises(InputError) as err:
            load_inputs(R2627, EXAMPLES, ["a.yaml", "b.yaml", "c.yaml"])
        assert str(err.value) == ("b.yaml: name: 'cut' is also the name of a.yaml, so the two would be told apart by "
                                  "nothing in the comparison\n  fix: give each scenario a name of its own")
        assert [s.name for s in load_inputs(R2627, EXAMPLES, ["a.yaml", "c.yaml"]).scenarios] == ["cut", "cut more"]

    def test_a_scenario_named_baseline(self, tmp_path, monkeypatch):
        """'baseline' heads the comparison's first column: a scenario of that name is refused."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "a.yaml").write_text("name: baseline\nupfront: £20,000\n", encoding="utf-8")
        with pytest.raises(InputError) as err:
            load_inputs(R2627, EXAMPLES, ["a.yaml"])
        assert str(err.value).startswith("a.yaml: name: 'baseline' is also the name of the run without the scenarios")

    def test_warnings_gathered(self):
        """The rules file's warnings and those of the proposals come back together, in order."""
        inputs = load_inputs(RULES / "kcsp-2025-26.yaml", PROPOSALS / "2025-26")
        assert [w.field for w in inputs.warnings] == ["money"]
        inputs = load_inputs(R2627, EXAMPLES)
        assert [w.field for w in inputs.warnings] == ["csa_priorities"]

    def test_an_allocation_beyond_the_grant_is_warned_of(self, tmp_path, monkeypatch):
        """An upfront allocation that, with the tactical pot, comes to a penny more than the grant, from a flag or
        a scenario, is warned of (the run assumes money the round does not have); one that comes to the grant, or
        less, or the round's own, is not."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "s.yaml").write_text("name: x\nupfront: £26,500.01\n", encoding="utf-8")
        (tmp_path / "t.yaml").write_text("name: y\nupfront: £26,500\n", encoding="utf-8")
        (tmp_path / "u.yaml").write_text("name: z\nupfront: £20,000\n", encoding="utf-8")
        inputs = load_inputs(R2627, EXAMPLES, ["s.yaml", "t.yaml", "u.yaml"], overrides=Overrides(upfront=26_500_01))
        beyond = [str(w) for w in inputs.warnings if w.field in ("--upfront", "upfront")]
        words = ("the upfront allocation of £26,500.01 and the tactical pot of £13,100 come to £0.01 more than the "
                 "grant of £39,600, so the run assumes money the round does not have (only money of the grant left "
                 "over is added to the tactical pot); keep the allocation within £26,500, the grant less the tactical "
                 "pot, unless the what-if is meant to go beyond it")
        assert beyond == [f"--upfront: {words}", f"s.yaml: upfront: {words}"]
        inputs = load_inputs(R2627, EXAMPLES, ["t.yaml", "u.yaml"], overrides=Overrides(upfront=20_000_00))
        assert [w.field for w in inputs.warnings] == ["csa_priorities"]

    def test_strict_makes_warnings_mistakes(self):
        """With strict, each warning is a mistake with its place and fix."""
        with pytest.raises(InputError) as err:
            load_inputs(R2627, EXAMPLES, strict=True)
        assert str(err.value).startswith(f"{EXAMPLES}/rural-crime-tracker-kits.yaml:")
        assert "'asb' is not an id of this round" in str(err.value)

    def test_strict_leaves_notes_alone(self, tmp_path):
        """With strict, a note (a stray file skipped) stays a note."""
        for path in (PROPOSALS / "2024-25").glob("*.yaml"):
            shutil.copy(path, tmp_path / path.name)
        (tmp_path / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
        inputs = load_inputs(RULES / "kcsp-2024-25.yaml", tmp_path, strict=True)
        assert [w.note for w in inputs.warnings] == [True]
