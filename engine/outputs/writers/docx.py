"""The recommendation as a Word document: headings as Word headings, tables as Word tables, charts as pictures.

Written with python-docx, so that a council officer can paste the sections
into the committee-report template.  Each table's header row repeats on every
page, and each chart carries its description as the picture's alternative
text.  The file has no time stamp: the same document gives the same bytes.
"""

from __future__ import annotations

import io
from typing import Any

from .layout import NUMBERS, Chart, Form, Heading, Para, Slider, Table, cell_text, figure, sections, subtitle, unprinted

__all__ = ["render"]

MARGIN = 2  # cm, on each side of an A4 page: 17 cm for the text


def render(doc: dict[str, Any], progress=None) -> bytes:
    import docx
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    from . import steady_zip, steps

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
    page = word.sections[0]  # A4, as council papers are
    page.page_width, page.page_height = Cm(21), Cm(29.7)
    page.left_margin = page.right_margin = page.top_margin = page.bottom_margin = Cm(MARGIN)
    # each style's id looked up once and set as it is: python-docx, given a style, searches every style for the
    # default one each time (at 1,000 proposals, 4,000 searches took 1.3 s of the Word document's 8 s)
    styles = {name: word.styles[name].style_id
              for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Caption", "Table Grid")}
    _paragraph(word, doc["title"], styles["Title"])
    _paragraph(word, subtitle(doc), styles["Subtitle"])
    laid = sections(doc)
    step = steps(progress, sum(len(section.blocks) for section in laid) + 1)  # and the file put together
    for section in laid:
        _paragraph(word, section.heading, styles["Heading 1"])
        for block in section.blocks:
            _block(word, styles, doc, block)
            step()
    out = io.BytesIO()
    word.save(out)
    data = steady_zip(out.getvalue())
    step()
    return data


def _paragraph(word, text: str, style: str):
    """A new paragraph of *text* (none if empty) in the style of id *style*."""
    p = word.add_paragraph(text)
    p._p.style = style
    return p


def _block(word, styles, doc, block) -> None:
    if isinstance(block, Heading):
        _paragraph(word, block.text, styles[f"Heading {block.level - 1}"])
    elif isinstance(block, Para):
        p = word.add_paragraph()
        if block.label:
            p.add_run(block.label + " ").bold = True
        p.add_run(block.text)
    elif isinstance(block, Table) and (words := unprinted(block, "the web page's budget slider")):
        _paragraph(word, block.caption, styles["Caption"])
        word.add_paragraph(words)
    elif isinstance(block, Table):
        _table(word, styles, block.caption, block.columns,
               [[(cell_text(c), c.kind in NUMBERS) for c in row] for row in block.rows])
    elif isinstance(block, Chart):
        _chart(word, styles, doc, block)
    elif isinstance(block, Form):
        _table(word, styles, "To be completed by the Chair", ("", "entry"),
               [[(f, False), ("", False)] for f in block.fields], tall=True)
    else:
        assert isinstance(block, Slider)  # the web page's slider: the table of budgets shows the same


def _table(word, styles, caption: str, columns, rows, *, tall: bool = False) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm
    from docx.table import _Row
    from docx.text.paragraph import Paragraph

    _paragraph(word, caption, styles["Caption"])
    if not rows:
        word.add_paragraph("none")
        return
    # every row made at once (one parse) and filled through its cells' paragraphs: adding rows one by one
    # costs a search of the whole table each time, which a table of thousands of budgets cannot afford
    table = word.add_table(rows=len(rows) + 1, cols=len(columns))
    table._tbl.tblStyle_val = styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    right = [number for _, number in rows[0]]
    widths = [Cm(w) for w in _widths(columns, rows, right)]
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, widths):
        col.w = width
    trs = table._tbl.tr_lst
    flag = OxmlElement("w:tblHeader")  # the header row repeats on each page, and marks the header cells
    flag.set(qn("w:val"), "true")
    trs[0].get_or_add_trPr().append(flag)
    for i, (tr, values) in enumerate(zip(trs, [list(zip(columns, right))] + list(rows))):
        if tall and i:
            _Row(tr, table).height = Cm(1.2)
        for tc, width, (value, number) in zip(tr.tc_lst, widths, values):
            tc.width = width
            paragraph = Paragraph(tc[-1], table)  # a new cell holds its properties, then one paragraph
            run = paragraph.add_run(value)
            if not i:
                run.bold = True
            if number:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _widths(columns, rows, right) -> list[float]:
    """Column widths in cm: a column of numbers as wide as its widest figure (it never wraps), the text columns
    sharing what is left of the page in proportion to their longest text (up to 40 characters, at least 1.5 cm)."""
    page, per_char, pad = 21 - 2 * MARGIN, 0.23, 0.5  # cm: a character at 10.5 pt, and the cell margins
    need = [max(len(name), *(len(row[i][0]) for row in rows)) for i, name in enumerate(columns)]
    fixed = {i: n * per_char + pad for i, n in enumerate(need) if right[i] or n <= 10}
    if sum(fixed.values()) + 1.5 * (len(columns) - len(fixed)) > page:  # too many figures: share the page
        fixed = {}
    rest = page - sum(fixed.values())
    share = {i: min(n, 40) for i, n in enumerate(need) if i not in fixed}
    return [fixed[i] if i in fixed else max(rest * share[i] / sum(share.values()), 1.5) for i in range(len(columns))]


def _chart(word, styles, doc, block: Chart) -> None:
    from docx.shared import Cm

    from .. import chart

    shape = word.add_picture(io.BytesIO(chart.png(figure(doc, block.key), dpi=130)), width=Cm(16))
    shape._inline.docPr.set("title", block.title)
    shape._inline.docPr.set("descr", block.description)
    p = _paragraph(word, "", styles["Caption"])
    p.add_run(block.title + ". ").bold = True
    p.add_run(block.description)
