"""Tests of engine.outputs.writers.markdown: the recommendation as Markdown, every text from a file escaped."""

from __future__ import annotations

import json

from hypothesis import example, given, settings, strategies as st

from engine.outputs.writers import layout, markdown

from .conftest import HOSTILE_AGENCY, HOSTILE_TITLES, rendered, tags_and_text
from .test_layout import HEADINGS, doc_of, example_doc


def one_line(text: str) -> str:
    return " ".join(text.split("\n"))


class TestRender:
    def test_sections_in_order(self):
        """The title, then every section as a second-level heading, in the Chair's reading order."""
        text = markdown.render(example_doc()).decode("utf-8")
        lines = text.splitlines()
        assert lines[0] == "# KCSP Crime Reduction Grant 2026/27: recommendation to the Chair"
        assert [line[3:] for line in lines if line.startswith("## ")] == HEADINGS

    def test_figures(self):
        """The money, the shortlist and the Chair's decision space are there."""
        text = markdown.render(example_doc()).decode("utf-8")
        assert "| Allocated to the shortlist                   | £24,300.00 |" in text
        assert "| Decision                 |         |" in text
        assert text.count("### ") == 12 + 1  # every proposal, and the one scenario

    def test_same_document_same_bytes(self):
        assert markdown.render(example_doc()) == markdown.render(example_doc())

    def test_hostile_text_shows_as_written(self, hostile, tmp_path):
        """No title, agency or scenario name can add a link, emphasis, HTML, a heading or a line break."""
        scenario = tmp_path / "s.yaml"
        scenario.write_text("name: " + json.dumps("**cut** <i>x</i> [y](javascript:z)") + "\nupfront: £20,000\n")
        doc = doc_of(*hostile, scenarios=[scenario])
        tags, text = tags_and_text(rendered(markdown.render(doc).decode("utf-8")))
        blocks = [b for s in layout.sections(doc) for b in s.blocks]
        assert not {"a", "script", "img", "i", "b", "s", "blockquote", "h4"} & set(tags)
        assert tags.count("h1") == 1 and tags.count("h2") == len(HEADINGS) and tags.count("h3") == 13
        # emphasis only where the writer puts it: a caption for each table, a label for some paragraphs
        assert tags.count("em") == sum(isinstance(b, layout.Table) for b in blocks)
        assert tags.count("strong") == sum(isinstance(b, layout.Chart) or bool(getattr(b, "label", "")) for b in blocks)
        for title in HOSTILE_TITLES.values():
            assert one_line(title) in text
        assert HOSTILE_AGENCY in text and "**cut** <i>x</i> [y](javascript:z)" in text


class TestGithubTable:
    """The table of a Markdown report is laid out as tabulate lays it out, whatever its cells."""

    @settings(max_examples=300)
    @given(st.sampled_from(["ab é£,.-|\\*x1 ", "ab é£,.-|\\*x1 \t\n\r\x0b\x85\u2028\x1b"]).flatmap(lambda chars: st.integers(1, 4).flatmap(
        lambda n: st.tuples(
            st.lists(st.text(alphabet=chars, max_size=7).map(lambda t: t.strip(" ") if "\t" not in chars else t),
                     min_size=n, max_size=n),
            st.lists(st.lists(st.text(alphabet=chars, max_size=9).map(
                lambda t: t.strip(" ") if "\t" not in chars else t), min_size=n, max_size=n), max_size=5),
            st.lists(st.sampled_from(["left", "right"]), min_size=n, max_size=n)))))
    @example((["id", "n"], [["a\rb", "x"]], ["left", "right"]))
    @example((["id", "n"], [["a\u2028b", "x"]], ["left", "right"]))
    @example((["id", "n"], [], ["left", "right"]))
    def test_the_same_as_tabulate(self, table):
        """Plain cells (laid out here) and cells with line breaks of any kind, blanks at the ends or terminal
        colours, or no rows at all (laid out by tabulate): the same text as tabulate's."""
        from tabulate import tabulate

        from engine.outputs.writers.markdown import github_table

        headers, rows, align = table
        assert github_table(rows, headers, align) == tabulate(rows, headers, tablefmt="github", colalign=align,
                                                              disable_numparse=True)
