"""The recommendation as a workbook: a sheet for each section, for partners who work in spreadsheets.

Written with openpyxl.  Money is a number in a £ format (exact: pounds as a
decimal from whole pence), dates are dates, scores and counts are numbers, and
each sheet's header row is frozen and filtered.  Text from a file is always
stored as text, never as a formula: a title such as ``=HYPERLINK(...)`` or
``+cmd`` is a string cell, marked so that a spreadsheet keeps it as text when
it is edited.  The file has no time stamp: the same document gives the same bytes.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

from .layout import Cell, Table, figure, sections

__all__ = ["FORMULA_START", "render"]

# a cell whose text starts with one of these could be read as a formula by a spreadsheet
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

NUMBER_FORMATS = {"money": '"£"#,##0.00', "score": "0.0", "points": "0.###", "count": "#,##0", "date": "d mmmm yyyy"}
WIDTHS = {"money": 13, "score": 8, "points": 8, "count": 9, "date": 16}
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")


def render(doc: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from . import steady_zip

    book = Workbook()
    book.remove(book.active)
    props = book.properties
    props.title = doc["title"]
    props.creator = props.lastModifiedBy = doc["provenance"]["engine"]
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    names: set[str] = set()
    for section in sections(doc):
        for table in section.sheets:
            _sheet(book, table, names, bold, wrap, top)
    _charts(book, doc, wrap)
    out = io.BytesIO()
    book.save(out)
    return steady_zip(out.getvalue(), _no_time)


def _sheet(book, table: Table, names: set[str], bold, wrap, top) -> None:
    from openpyxl.utils import get_column_letter

    name = _BAD_SHEET.sub(" ", table.sheet)[:31]
    names.add(name)
    ws = book.create_sheet(name)
    for col, title in enumerate(table.columns, start=1):
        put(ws.cell(1, col), Cell("text", title)).font = bold
    widths = [len(title) + 2 for title in table.columns]
    for r, row in enumerate(table.rows, start=2):
        for col, c in enumerate(row, start=1):
            cell = put(ws.cell(r, col), c)
            if c.kind == "text":
                cell.alignment = wrap if len(str(c.value or "")) > 60 else top
                widths[col - 1] = max(widths[col - 1], min(len(str(c.value or "")) + 2, 60))
            else:
                cell.alignment = top
                widths[col - 1] = max(widths[col - 1], WIDTHS[c.kind])
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    if table.rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{len(table.rows) + 1}"


def put(cell, c: Cell):
    """*c* in the worksheet cell: a number or date in its format, or text that stays text."""
    if c.value is None:
        cell.value = None
    elif c.kind == "text":
        text = str(c.value)
        cell.value = text
        cell.data_type = "s"  # openpyxl makes a formula of any text starting with '='; this is text
        if text.startswith(FORMULA_START):
            cell.quotePrefix = True  # and a spreadsheet keeps it as text when the cell is edited
    elif c.kind == "money":
        cell.value = Decimal(c.value) / 100
    elif c.kind in ("score", "points"):
        cell.value = Decimal(c.value.numerator) / Decimal(c.value.denominator)
    elif c.kind == "date":
        cell.value = c.value
    else:
        cell.value = c.value
    if c.kind != "text" and c.value is not None:
        cell.number_format = NUMBER_FORMATS[c.kind]
    return cell


def _charts(book, doc, wrap) -> None:
    """The two charts as pictures on a sheet of their own, each with its description beside it."""
    from openpyxl.drawing.image import Image

    from .. import chart

    ws = book.create_sheet("Charts")
    ws.column_dimensions["A"].width = 100
    row = 1
    for key in ("allocation", "sweep"):
        about = doc["charts"][key]
        put(ws.cell(row, 1), Cell("text", f"{about['title']}. {about['description']}")).alignment = wrap
        ws.row_dimensions[row].height = 60
        picture = Image(io.BytesIO(chart.png(figure(doc, key), dpi=100)))
        ws.add_image(picture, f"A{row + 1}")
        row += 2 + int(picture.height / 20) + 1


def _no_time(name: str, content: bytes) -> bytes:
    """The workbook's properties without their creation and modification times."""
    if name != "docProps/core.xml":
        return content
    return re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", content)
