"""Tests of engine.outputs.reference: the field reference, made from the code's tables."""

from __future__ import annotations

import pytest

from engine.decision import conditions
from engine.inputs import proposal, round as rounds, scenario
from engine.inputs.yamlfile import parse
from engine.outputs.reference import fields_doc

# every figure a check may name, with a stand-in value of its kind
FIGURES = {name: conditions.Ref(name, kind, ("vawg",) if kind == "ids" else 1, words)
           for name, (kind, words) in rounds.FIGURES.items()}


def read_check(text: str):
    file = parse(f"check: {{{text}}}\n".encode(), "e.yaml")
    return conditions.parse(file.data["check"], ("check",), file, FIGURES)


@pytest.fixture(params=["table", "markdown"])
def doc(request) -> str:
    return fields_doc(request.param)


class TestFieldsDoc:
    def test_every_field_of_every_file(self, doc):
        """Every field of a proposal, rules and scenario file is listed with its example."""
        for spec in proposal.FIELDS + rounds.RULES_FIELDS + scenario.FIELDS:
            assert spec.name in doc and spec.example in doc, spec.name

    def test_every_test_with_its_example(self, doc):
        """Every test of the rules language is listed with an example, and so is every figure."""
        for word in conditions.TESTS:
            assert conditions.example(word) in doc
        for name in list(conditions.FIELDS) + list(rounds.FIGURES) + list(conditions.COMBINATOR_EXAMPLES):
            assert name in doc

    def test_markdown_is_tables(self):
        """The Markdown form has a heading and a table per section."""
        doc = fields_doc("markdown")
        assert doc.startswith("# The fields of crg's files\n")
        assert doc.count("\n## ") == 4 and doc.count("|---") >= 7


class TestExamples:
    @pytest.mark.parametrize("word", list(conditions.TESTS))
    def test_test_example_parses(self, word):
        """Each test's example is a check the rules language reads."""
        assert read_check(conditions.example(word))

    @pytest.mark.parametrize("word", list(conditions.COMBINATOR_EXAMPLES))
    def test_combination_example_parses(self, word):
        """Each way of combining checks has an example the rules language reads."""
        assert read_check(conditions.COMBINATOR_EXAMPLES[word][1])
