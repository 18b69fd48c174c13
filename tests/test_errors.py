"""Tests of engine.errors: one mistake, several at once, and warnings."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from engine.errors import InputError, InputErrors, InputWarning, Problems, raise_all


def mistake(file, line, problem="wrong", fix=None):
    return InputError(problem, file=file, field="cost", line=line, column=3, fix=fix)


class TestInputErrors:
    def test_sorted_by_file_then_line(self):
        """Mistakes are listed by file, then by line, whatever the order they were found in."""
        found = InputErrors([mistake("b.yaml", 2), mistake("a.yaml", 9), mistake("b.yaml", 1)])
        assert [(e.file, e.line) for e in found.errors] == [("a.yaml", 9), ("b.yaml", 1), ("b.yaml", 2)]

    def test_text_is_each_error_then_the_count(self):
        """The text is each mistake as 'Error: ...' with its fix, then one summary line."""
        found = InputErrors([mistake("b.yaml", 2, fix="do this"), mistake("a.yaml", 1), mistake("a.yaml", 4)])
        assert str(found) == (
            "Error: a.yaml:1:3: cost: wrong\n"
            "Error: a.yaml:4:3: cost: wrong\n"
            "Error: b.yaml:2:3: cost: wrong\n  fix: do this\n"
            "3 problems in 2 files"
        )

    def test_same_mistake_once(self):
        """A mistake reached twice is listed once."""
        assert len(InputErrors([mistake("a.yaml", 1), mistake("a.yaml", 1)]).errors) == 1

    def test_summary_singular_and_without_files(self):
        """The count says 'problem' and 'file' for one, and names no file when none is known."""
        assert InputErrors([mistake("a.yaml", 1), mistake("a.yaml", 2)]).summary() == "2 problems in 1 file"
        assert InputErrors([InputError("x", field="--upfront"), InputError("y", field="--cost")]).summary() \
            == "2 problems"

    @given(st.lists(st.tuples(st.sampled_from(["a.yaml", "b.yaml", "c/d.yaml"]), st.integers(1, 99)), min_size=2))
    def test_order_never_depends_on_finding_order(self, places):
        """Any order of finding the same mistakes gives the same text."""
        errors = [mistake(f, n) for f, n in places]
        assert str(InputErrors(errors)) == str(InputErrors(reversed(errors)))


class TestRaiseAll:
    def test_none(self):
        """No mistakes raise nothing."""
        raise_all([])

    def test_one_is_raised_as_itself(self):
        """A single mistake is raised as the InputError it is, so it prints exactly as one mistake always has."""
        one = mistake("a.yaml", 1)
        with pytest.raises(InputError) as err:
            raise_all([one])
        assert err.value is one

    def test_several_together(self):
        """Several mistakes are raised together as one InputErrors."""
        with pytest.raises(InputErrors) as err:
            raise_all([mistake("a.yaml", 1), mistake("a.yaml", 2)])
        assert len(err.value.errors) == 2


class TestProblems:
    def test_attempt_keeps_mistakes_and_goes_on(self):
        """attempt gives the result, or None with the mistakes kept, one or several."""
        problems = Problems()

        def fails(*errors):
            raise_all(errors)

        assert problems.attempt(lambda: 7) == 7
        assert problems.attempt(fails, mistake("a.yaml", 1)) is None
        assert problems.attempt(fails, mistake("b.yaml", 1), mistake("b.yaml", 2)) is None
        assert len(problems.found) == 3
        with pytest.raises(InputErrors):
            problems.check()

    def test_check_with_nothing_found(self):
        """check raises nothing when nothing was found."""
        Problems().check()


class TestInputWarning:
    def test_one_line_with_place_and_fix(self):
        """A warning is one line: place, field, what is doubtful and what to do."""
        w = InputWarning("copied?", file="a.yaml", field="submitted", line=5, column=12, fix="check it")
        assert str(w) == "a.yaml:5:12: submitted: copied?; check it"

    def test_as_error_keeps_the_place(self):
        """Made a mistake (for --strict), it keeps its place and fix."""
        err = InputWarning("copied?", file="a.yaml", field="submitted", line=5, column=12, fix="check it").as_error()
        assert str(err) == "a.yaml:5:12: submitted: copied?\n  fix: check it"


class TestEveryMistakeSaysHowToFixIt:
    def test_every_input_error_of_the_engine_has_a_fix(self):
        """Every mistake the engine raises about a user's input names how to fix it: each ``InputError(...)``
        in engine/ is given a ``fix=`` (or its keywords from a mapping), and so is each mistake placed in a file
        (``error`` and ``refuse`` with their third argument)."""
        import ast
        from pathlib import Path

        missing = []
        for path in sorted((Path(__file__).resolve().parent.parent / "engine").rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or any(k.arg in ("fix", None) for k in node.keywords):
                    continue
                name = getattr(node.func, "id", getattr(node.func, "attr", None))
                # InputError(problem, ...); a file's error(path, problem, fix) and refuse(key, problem, fix)
                if name == "InputError" or (name in ("error", "refuse") and isinstance(node.func, ast.Attribute)
                                            and len(node.args) < 3):
                    missing.append(f"{path.name}:{node.lineno}")
        assert missing == []
