"""Tests of engine.outputs.writers.docx, read back with python-docx: headings, tables, figures and escaping."""

from __future__ import annotations

import io
import zipfile

import docx

from engine.outputs.writers import docx as docx_writer
from engine.outputs import document

from .conftest import HOSTILE_AGENCY, HOSTILE_TITLES
from .test_document import screen_json
from .test_layout import HEADINGS, R2627, EXAMPLES, doc_of, example_doc


def opened(data: bytes):
    return docx.Document(io.BytesIO(data))


def table_after(word, caption: str):
    """The table that follows the caption paragraph *caption*, as rows of cell texts."""
    body = word.element.body
    for i, child in enumerate(body):
        if child.tag.endswith("}p") and "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")) == caption:
            table = body[i + 1]
            return [[cell.text for cell in row.cells] for row in docx.table.Table(table, word).rows]
    raise AssertionError(f"no table captioned {caption!r}")


class TestRender:
    def test_headings_are_word_headings(self):
        """The title is the Title style, each section a Heading 1 in reading order, each proposal a Heading 2."""
        word = opened(docx_writer.render(example_doc()))
        styles = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith(("Heading", "Title"))]
        assert styles[0] == ("Title", "KCSP Crime Reduction Grant 2026/27: recommendation to the Chair")
        assert [text for style, text in styles if style == "Heading 1"] == HEADINGS
        assert sum(style == "Heading 2" for style, _ in styles) == 12 + 1

    def test_tables_are_word_tables_with_the_figures(self):
        """The shortlist and the money are Word tables holding crg screen's figures; headers repeat on each page."""
        word = opened(docx_writer.render(example_doc()))
        screened = screen_json(R2627, EXAMPLES)
        shortlist = table_after(word, "The shortlist, in the order the policy took them")
        assert shortlist[0] == ["rank", "id", "title", "lead agency", "cost", "offered", "score", "concerns"]
        assert [row[1] for row in shortlist[1:]] == [p["id"] for p in screened["proposals"]
                                                     if p["status"] == "shortlisted"]
        money = dict(row for row in table_after(word, "The money of the round")[1:])
        assert money["Allocated to the shortlist"] == "£24,300.00" and money["Left of the upfront allocation"] == "£2,200.00"
        assert all(t.rows[0]._tr.trPr is not None and "tblHeader" in t.rows[0]._tr.trPr.xml for t in word.tables)

    def test_charts_have_alternative_text(self):
        """Both charts are pictures whose alternative text is their description."""
        doc = example_doc()
        xml = zipfile.ZipFile(io.BytesIO(docx_writer.render(doc))).read("word/document.xml").decode("utf-8")
        for key in ("allocation", "sweep"):
            assert f'descr="{doc["charts"][key]["description"]}"' in xml.replace("&#163;", "£")

    def test_same_content_same_bytes(self):
        """The same document gives the same file: no time stamp in it."""
        data = docx_writer.render(example_doc())
        assert data == docx_writer.render(example_doc())
        assert b"dcterms:created" not in zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml")

    def test_hostile_text_is_text(self, hostile):
        """Titles with markup, formulas or a line break are stored as the text written."""
        word = opened(docx_writer.render(doc_of(*hostile)))
        texts = [p.text for p in word.paragraphs] + [c.text for t in word.tables for row in t.rows for c in row.cells]
        for title in HOSTILE_TITLES.values():
            assert any(title in t for t in texts), title
        assert HOSTILE_AGENCY in texts


class TestLongTables:
    def test_thousands_of_budgets_not_printed(self, tmp_path):
        """A table of budgets longer than the limit is named, counted and pointed to, not printed page after page."""
        doc = example_doc()
        first = doc["sweep"]["intervals"][0]
        doc["sweep"]["intervals"] = [first] * (document.LONGEST + 1)
        word = opened(docx_writer.render(doc))
        assert not any(t.rows[0].cells[0].text == "from" for t in word.tables)
        assert any(p.text.startswith(f"{document.LONGEST + 1} intervals of budgets, too many to print")
                   for p in word.paragraphs)
