"""The recommendation as Markdown: headings, paragraphs and GitHub tables, every text from a file escaped."""

from __future__ import annotations

from typing import Any

from tabulate import tabulate

from ...fmt import markdown as md
from .layout import NUMBERS, Chart, Form, Heading, Para, Slider, Table, cell_text, sections, subtitle

__all__ = ["render"]



def render(doc: dict[str, Any], progress=None) -> bytes:
    from . import steps

    out = [f"# {md(doc['title'])}", "", md(subtitle(doc))]
    laid = sections(doc)
    step = steps(progress, sum(len(section.blocks) for section in laid))
    for section in laid:
        out += ["", f"## {md(section.heading)}"]
        for block in section.blocks:
            text = _block(block)
            if text:
                out += ["", text]
            step()
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
    return f"*{md(table.caption)}*\n\n" + github_table(rows, [md(c) for c in table.columns], align)


def github_table(rows: list[list[str]], headers: list[str], align: list[str]) -> str:
    """``tabulate(rows, headers, tablefmt="github", colalign=align, disable_numparse=True)``, the same text.

    tabulate works out a type for every cell, which takes seconds over the tens of thousands of rows of a large
    round's table of budgets.  Where there are rows, every cell is a line of plain text (no line break of any
    kind, no blank at either end, no terminal colour) and tabulate counts a character as one column, the table
    is laid out here: each column as wide as its widest cell, and at least its header and two; otherwise
    tabulate lays it out."""
    import tabulate as tabulate_module

    cells = [*headers, *(cell for row in rows for cell in row)]
    if tabulate_module.WIDE_CHARS_MODE or not rows or not all(
            type(c) is str and len(c.splitlines()) <= 1 and "\x1b" not in c and c == c.strip() for c in cells):
        return tabulate(rows, headers, tablefmt="github", colalign=align, disable_numparse=True)
    widths = [len(h) + 2 for h in headers]
    for row in rows:
        widths = [max(w, len(c)) for w, c in zip(widths, row)]
    pads = [str.rjust if a == "right" else str.ljust for a in align]

    def line(row) -> str:
        return "| " + " | ".join(pad(c, w) for pad, c, w in zip(pads, row, widths)) + " |"

    return "\n".join([line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])
