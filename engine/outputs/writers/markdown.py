"""The recommendation as Markdown: headings, paragraphs and GitHub tables, every text from a file escaped."""

from __future__ import annotations

from typing import Any

from tabulate import tabulate

from ...fmt import markdown as md
from .layout import NUMBERS, Chart, Form, Heading, Para, Slider, Table, cell_text, sections, subtitle

__all__ = ["render"]



def render(doc: dict[str, Any]) -> bytes:
    out = [f"# {md(doc['title'])}", "", md(subtitle(doc))]
    for section in sections(doc):
        out += ["", f"## {md(section.heading)}"]
        for block in section.blocks:
            text = _block(block)
            if text:
                out += ["", text]
    return ("\n".join(out) + "\n").encode("utf-8")


def _block(block) -> str:
    if isinstance(block, Heading):
        return f"{'#' * block.level} {md(block.text)}"
    if isinstance(block, Para):
        return (f"**{md(block.label)}** " if block.label else "") + md(block.text)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart):
        return f"**Chart: {md(block.title)}.** {md(block.description)}"
    if isinstance(block, Form):
        return tabulate([[md(field), ""] for field in block.fields], ["", "entry"], tablefmt="github")
    assert isinstance(block, Slider)
    return ""  # the web page's slider; the table of budgets shows the same


def _table(table: Table) -> str:
    if not table.rows:
        return f"*{md(table.caption)}*: none."
    align = ["right" if c.kind in NUMBERS else "left" for c in table.rows[0]]
    rows = [[md(cell_text(c)) if c.kind == "text" and c.value is not None else cell_text(c) for c in row]
            for row in table.rows]
    return f"*{md(table.caption)}*\n\n" + tabulate(rows, [md(c) for c in table.columns], tablefmt="github",
                                                   colalign=align, disable_numparse=True)
