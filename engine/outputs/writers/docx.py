"""The recommendation as a Word document: headings as Word headings, tables as Word tables, charts as pictures.

Written with python-docx, so that a council officer can paste the sections
into the committee-report template.  Each table's header row repeats on every
page, and each chart carries its description as the picture's alternative
text.  The file has no time stamp: the same document gives the same bytes.
"""

from __future__ import annotations

import io
from typing import Any

from .layout import NUMBERS, Chart, Form, Heading, Para, Slider, Table, cell_text, figure, sections, subtitle

__all__ = ["render"]


def render(doc: dict[str, Any]) -> bytes:
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Pt

    from . import steady_zip

    word = docx.Document()
    props = word.core_properties
    props.title = doc["title"]
    props.author = props.last_modified_by = doc["provenance"]["engine"]
    props.comments = "The recommendation to the Chair, written by crg."
    props.revision = 1
    for name in ("created", "modified", "lastPrinted"):  # the time belongs to the decision register
        for stamp in props._element.findall(qn(f"dcterms:{name}")) + props._element.findall(qn(f"cp:{name}")):
            props._element.remove(stamp)
    word.styles["Normal"].font.size = Pt(10.5)
    word.add_heading(doc["title"], level=0)
    word.add_paragraph(subtitle(doc), style="Subtitle")
    for section in sections(doc):
        word.add_heading(section.heading, level=1)
        for block in section.blocks:
            _block(word, doc, block)
    out = io.BytesIO()
    word.save(out)
    return steady_zip(out.getvalue())


def _block(word, doc, block) -> None:
    if isinstance(block, Heading):
        word.add_heading(block.text, level=block.level - 1)
    elif isinstance(block, Para):
        p = word.add_paragraph()
        if block.label:
            p.add_run(block.label + " ").bold = True
        p.add_run(block.text)
    elif isinstance(block, Table):
        _table(word, block.caption, block.columns, [[(cell_text(c), c.kind in NUMBERS) for c in row] for row in block.rows])
    elif isinstance(block, Chart):
        _chart(word, doc, block)
    elif isinstance(block, Form):
        _table(word, "To be completed by the Chair", ("", "entry"), [[(f, False), ("", False)] for f in block.fields],
               tall=True)
    else:
        assert isinstance(block, Slider)  # the web page's slider: the table of budgets shows the same


def _table(word, caption: str, columns, rows, *, tall: bool = False) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    word.add_paragraph(caption, style="Caption")
    if not rows:
        word.add_paragraph("none")
        return
    table = word.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    header = table.rows[0]
    flag = OxmlElement("w:tblHeader")  # the header row repeats on each page, and marks the header cells
    flag.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(flag)
    right = [number for _, number in rows[0]]
    for cell, name, number in zip(header.cells, columns, right):
        run = cell.paragraphs[0].add_run(name)
        run.bold = True
        if number:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for values in rows:
        row = table.add_row()
        if tall:
            row.height = Cm(1.2)
        for cell, (value, number) in zip(row.cells, values):
            paragraph = cell.paragraphs[0]
            paragraph.add_run(value)
            if number:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _chart(word, doc, block: Chart) -> None:
    from docx.shared import Cm

    from .. import chart

    shape = word.add_picture(io.BytesIO(chart.png(figure(doc, block.key), dpi=130)), width=Cm(16))
    shape._inline.docPr.set("title", block.title)
    shape._inline.docPr.set("descr", block.description)
    p = word.add_paragraph(style="Caption")
    p.add_run(block.title + ". ").bold = True
    p.add_run(block.description)
