"""Tests of engine.outputs.writers.xlsx, read back with openpyxl: sheets, numbers, dates, frozen headers, no formula."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl

from engine.inputs.money import parse as parse_money
from engine.outputs.writers import xlsx

from .conftest import HOSTILE_AGENCY, HOSTILE_TITLES
from .test_document import screen_json
from .test_layout import R2627, EXAMPLES, doc_of, example_doc

SHEETS = ["Recommendation", "Money", "Dates", "Assumptions", "Shortlist", "Reserve", "Tactical bids", "Ineligible", "Priorities",
          "Proposals", "Score breakdown", "Scenarios", "Allocation", "Budgets", "Provenance", "Files", "Decision"]


def opened(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def rows(ws) -> list[dict]:
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], row)) for row in values[1:]]


class TestRender:
    def test_a_sheet_per_section(self):
        """A sheet for each section (and each of its tables), in reading order."""
        assert opened(xlsx.render(example_doc())).sheetnames == SHEETS

    def test_charts_drawn_from_the_sheets(self):
        """The allocation and the sweep are charts of the workbook's own cells, titled as in the other formats."""
        doc = example_doc()
        archive = zipfile.ZipFile(io.BytesIO(xlsx.render(doc)))
        charts = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        assert len(charts) == 2
        text = b"".join(archive.read(n) for n in charts).decode("utf-8")
        shares, budgets = len(doc["shortlist"]) + 2, len(doc["sweep"]["intervals"]) + 1  # rows, with the header
        assert f"'Allocation'!$B$2:$B${shares}" in text and f"'Budgets'!$E$2:$E${budgets}" in text
        assert doc["charts"]["allocation"]["title"] in text and doc["charts"]["sweep"]["title"] in text

    def test_money_is_numbers_in_pounds(self):
        """Money is a number in a £ format, equal to crg screen's figures to the penny."""
        book = opened(xlsx.render(example_doc()))
        screened = screen_json(R2627, EXAMPLES)
        costs = {p["id"]: Decimal(parse_money(p["cost"])) / 100 for p in screened["proposals"]}
        for row, ws_row in zip(rows(book["Shortlist"]), book["Shortlist"].iter_rows(min_row=2)):
            assert Decimal(str(row["cost"])) == costs[row["id"]]
            assert ws_row[4].number_format == '"£"#,##0.00' and ws_row[4].data_type == "n"
        money = {row["item"]: row["amount"] for row in rows(book["Money"])}
        assert Decimal(str(money["Allocated to the shortlist"])) == Decimal(parse_money(screened["allocated"])) / 100

    def test_dates_are_dates(self):
        """The round's dates are dates, shown as 8 April 2026."""
        ws = opened(xlsx.render(example_doc()))["Dates"]
        assert ws["B2"].value == dt.datetime(2026, 4, 8) and ws["B2"].is_date
        assert ws["B2"].number_format == "d mmmm yyyy"

    def test_header_rows_frozen(self):
        """Every sheet of a table keeps its header row in view."""
        book = opened(xlsx.render(example_doc()))
        for name in SHEETS:
            assert book[name].freeze_panes == "A2", name
            assert book[name]["A1"].font.b

    def test_same_content_same_bytes(self):
        """The same document gives the same file: no time stamp in it."""
        data = xlsx.render(example_doc())
        assert data == xlsx.render(example_doc())
        assert b"dcterms:created" not in zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml")

    def test_every_cell_styled_as_its_kind(self, hostile):
        """Each cell of every table has the format of its kind, the text kept as text where it starts like a formula,
        and text wrapped only where it is longer than its column is wide (the cells are styled by copying a style
        made once for each way of styling one; this reads every one back)."""
        from engine.outputs.writers.layout import sections

        for doc in (example_doc(), doc_of(*hostile)):
            book = opened(xlsx.render(doc))
            for table in (t for section in sections(doc) for t in section.sheets):
                ws = book[xlsx._BAD_SHEET.sub(" ", table.sheet)[:31]]
                for row, cells in zip(table.rows, ws.iter_rows(min_row=2)):
                    for c, cell in zip(row, cells):
                        assert cell.alignment.vertical == "top"
                        if c.kind == "text" and c.value is not None:
                            text = str(c.value)
                            assert bool(cell.quotePrefix) == text.startswith(xlsx.FORMULA_START), text
                            assert cell.alignment.wrap_text or len(text) <= xlsx.WIDEST - 2, text
                            assert cell.number_format == "General"
                        else:
                            assert not cell.alignment.wrap_text and not cell.quotePrefix
                            if c.value is not None:
                                assert cell.number_format == xlsx.NUMBER_FORMATS[c.kind], (table.sheet, c)

    def test_scenarios_sheet_as_the_table(self):
        """The Scenarios sheet gives each side the figures of the side-by-side table, the tactical pot among them
        (it cannot be worked out from the others: what is left goes to the pot only within the grant)."""
        from engine.outputs.writers.layout import sections

        doc = example_doc()
        table = next(b for s in sections(doc) if s.key == "scenarios" for b in s.blocks if hasattr(b, "rows"))
        by_figure = {row[0].value: [c.value for c in row[1:]] for row in table.rows}
        sheet = rows(opened(xlsx.render(doc))["Scenarios"])
        assert len(sheet) == 2 and "tactical pot" in by_figure
        for figure in ("upfront", "allocated", "remaining", "tactical pot"):
            assert [round(Decimal(str(r[figure])) * 100) for r in sheet] == by_figure[figure], figure

    def test_formulas_stored_as_text(self, hostile):
        """A title or agency that starts like a formula is a text cell, kept as text when edited; no cell is a formula."""
        data = xlsx.render(doc_of(*hostile))
        book = opened(data)
        cells = {c.value: c for ws in book for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
        for text in (HOSTILE_TITLES["cuckooing-awareness-housing"], HOSTILE_TITLES["dhr-learning-webinars"],
                     HOSTILE_TITLES["asb-community-mediation"], HOSTILE_AGENCY):
            assert cells[text].data_type == "s" and cells[text].quotePrefix, text
        for title in HOSTILE_TITLES.values():
            assert title in cells
        archive = zipfile.ZipFile(io.BytesIO(data))
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)
