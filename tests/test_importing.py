"""Tests of engine.inputs.importing: proposals and panel scores from a spreadsheet, written as proposal files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from engine import fmt
from engine.errors import InputError
from engine.inputs import yamlfile
from engine.inputs.importing import SEPARATOR, BadCells, import_proposals, proposal_text, read_sheets
from engine.inputs.proposal import Proposal, load_proposals
from engine.inputs.round import load_round

from . import strategies as S
from .conftest import PROPOSALS, RULES, write_workbook

EXAMPLES = PROPOSALS / "2026-27-example"
R2627 = RULES / "kcsp-2026-27.yaml"
HEADERS = ["id", "title", "lead_agency", "partners", "submitted", "pot", "cost", "pcc_priorities",
           "csa_priorities", "delivery.start", "delivery.end", "summary"]
GOOD = ["asb-mediation", "Community mediation", "Dartford Borough Council", "Kent Police; Housing associations",
        dt.date(2026, 3, 31), "upfront", "£9,000", "protecting-places; protecting-people", "neighbourhood-crime-asb",
        dt.date(2026, 5, 1), dt.date(2027, 3, 31), "Fund trained mediators."]


def row(**changes) -> list:
    """The good row with some cells changed (by header)."""
    out = list(GOOD)
    for key, value in changes.items():
        out[HEADERS.index(key.replace("__", "."))] = value
    return out


def sheet_rows(folder: Path) -> tuple[list[list], list[list]]:
    """The rows of a proposals sheet and a panel sheet for every proposal file in *folder*.

    The files are read with PyYAML's own safe loader (dates become dates, so they go in as
    Excel dates), independent of the code under test.
    """
    data = [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.yaml"))]
    headers = [f for f in Proposal.FIELDS if f not in ("delivery", "panel")] + ["delivery.start", "delivery.end"]
    rows = [headers]
    agencies = sorted({agency for d in data for agency in d.get("panel", {})})
    panel = [["id"] + agencies]
    for d in data:
        cells = []
        for header in headers:
            value = d["delivery"][header.split(".")[1]] if header.startswith("delivery.") else d.get(header)
            cells.append("; ".join(value) if isinstance(value, list) else value)
        rows.append(cells)
        if d.get("panel"):
            panel.append([d["id"]] + [d["panel"].get(agency) for agency in agencies])
    return rows, panel


def problems(err: BadCells) -> list[tuple[str, str]]:
    """``(where, problem)`` for each bad cell of the error, in the order reported."""
    return [(bad.cell.where(), bad.problem) for bad in err.cells]


def bad(tmp_path: Path, sheets: dict, **kwargs) -> BadCells:
    """The BadCells raised importing a workbook of *sheets*; nothing may have been written."""
    path = write_workbook(tmp_path / "p.xlsx", sheets)
    with pytest.raises(BadCells) as err:
        import_proposals(path, tmp_path / "out", **kwargs)
    assert not (tmp_path / "out").exists()
    return err.value


class TestImportProposals:
    """import_proposals"""

    def test_a_damaged_sheet(self, tmp_path):
        """A workbook whose sheet is cut short inside the file (openpyxl reads a sheet only when its rows are
        asked for) is one mistake naming the file; nothing is written."""
        import zipfile

        good = write_workbook(tmp_path / "good.xlsx", {"Proposals": [["id", "title"], ["a", "A"]] * 50})
        with zipfile.ZipFile(good) as zin, zipfile.ZipFile(tmp_path / "bad.xlsx", "w") as zout:
            for item in zin.infolist():
                data = zin.read(item.filename)
                zout.writestr(item, data[:len(data) // 2] if item.filename.startswith("xl/worksheets/") else data)
        with pytest.raises(InputError) as caught:
            import_proposals(tmp_path / "bad.xlsx", tmp_path / "out")
        assert str(caught.value) == (
            f"{tmp_path / 'bad.xlsx'}: is not an Excel workbook that can be read (a sheet is damaged: ParseError)\n"
            "  fix: open it in the spreadsheet and save it again as an Excel workbook (.xlsx)")
        assert not (tmp_path / "out").exists()

    def test_example_round_from_a_workbook(self, tmp_path):
        """The twelve example proposals, typed into a workbook with Excel dates, import as the same proposals."""
        rows, panel = sheet_rows(EXAMPLES)
        path = write_workbook(tmp_path / "example.xlsx", {"Proposals": rows, "Panel": panel})
        done = import_proposals(path, tmp_path / "out", round_=load_round(R2627))
        assert load_proposals(tmp_path / "out") == load_proposals(EXAMPLES)
        assert len(done.written) == 12
        # the example's rural-crime-tracker-kits lists a 2021/22 id on purpose, noted as crg validate notes it
        assert done.notes == (f"{path}: sheet Proposals, row 11: csa_priorities: 'asb' is not an id of this round",)
        assert done.panel == f"{path}, sheet Panel"
        assert (str(tmp_path / "out" / "asb-community-mediation.yaml"), f"{path}: sheet Proposals, row 2", False) \
            in done.written

    def test_from_csv_with_panel_file(self, tmp_path):
        """A CSV of proposals and a CSV of panel scores make the same files as a workbook."""
        rows, panel = sheet_rows(EXAMPLES)
        for name, data in (("p.csv", rows), ("panel.csv", panel)):
            with open(tmp_path / name, "w", encoding="utf-8-sig", newline="") as stream:
                csv.writer(stream).writerows([[_typed(v) for v in r] for r in data])
        import_proposals(tmp_path / "p.csv", tmp_path / "out", panel=tmp_path / "panel.csv")
        assert load_proposals(tmp_path / "out") == load_proposals(EXAMPLES)

    def test_file_text(self, tmp_path):
        """A file is written as a person would write it: plain values, lists in brackets, delivery nested."""
        path = write_workbook(tmp_path / "p.xlsx", {"Proposals": [HEADERS, GOOD], "Panel": [
            ["id", "kent-police", "kcc"], ["asb-mediation", 4, 2]]})
        import_proposals(path, tmp_path / "out")
        assert (tmp_path / "out" / "asb-mediation.yaml").read_text(encoding="utf-8") == (
            f"# Imported from {path}: sheet Proposals, row 2.\n"
            "id: asb-mediation\n"
            "title: Community mediation\n"
            "lead_agency: Dartford Borough Council\n"
            "partners: [Kent Police, Housing associations]\n"
            "submitted: 2026-03-31\n"
            "pot: upfront\n"
            "cost: £9,000\n"
            "pcc_priorities: [protecting-places, protecting-people]\n"
            "csa_priorities: [neighbourhood-crime-asb]\n"
            "delivery:\n"
            "  start: 2026-05-01\n"
            "  end: 2027-03-31\n"
            "summary: Fund trained mediators.\n"
            "panel:\n"
            "  kent-police: 4\n"
            "  kcc: 2\n")

    @pytest.mark.parametrize("typed, pence", [("£3,703.20", 370320), (3703.2, 370320), (5595, 559500),
                                               ("5595.00", 559500), (0.5, 50)])
    def test_money_as_typed(self, tmp_path, typed, pence):
        """A sum of money is read from text as typed, or from a number cell, to the penny."""
        path = write_workbook(tmp_path / "p.xlsx", {"Proposals": [HEADERS, row(cost=typed)]})
        import_proposals(path, tmp_path / "out")
        assert Proposal.from_file(tmp_path / "out" / "asb-mediation.yaml").cost == pence

    @pytest.mark.parametrize("typed", [dt.date(2026, 4, 8), dt.datetime(2026, 4, 8), "2026-04-08", "8 April 2026",
                                       "8 Apr 2026", " 08  april 2026 "])
    def test_dates_as_excel_dates_or_text(self, tmp_path, typed):
        """A date is read from a date cell, or from text written 2026-04-08 or 8 April 2026."""
        path = write_workbook(tmp_path / "p.xlsx", {"Proposals": [HEADERS, row(submitted=typed)]})
        import_proposals(path, tmp_path / "out")
        assert Proposal.from_file(tmp_path / "out" / "asb-mediation.yaml").submitted == dt.date(2026, 4, 8)

    def test_lists_split_on_semicolons(self, tmp_path):
        """A list cell is split on ';', each item trimmed and empty items dropped."""
        path = write_workbook(tmp_path / "p.xlsx", {"Proposals": [
            HEADERS + ["cross_cutting", "illustrative", "reach"],
            row(partners=" Kent Police ;;Youth charities; ") + ["early-intervention", True, 1200.0]]})
        import_proposals(path, tmp_path / "out")
        p = Proposal.from_file(tmp_path / "out" / "asb-mediation.yaml")
        assert p.partners == ("Kent Police", "Youth charities")
        assert (p.cross_cutting, p.illustrative, p.reach) == (("early-intervention",), True, 1200)

    def test_headers_in_words(self, tmp_path):
        """A header may differ in case and use spaces for underscores: 'Lead Agency' is lead_agency."""
        headers = [h.replace("_", " ").title() if "." not in h else h for h in HEADERS]
        path = write_workbook(tmp_path / "p.xlsx", {"Proposals": [headers, GOOD]})
        import_proposals(path, tmp_path / "out")
        assert Proposal.from_file(tmp_path / "out" / "asb-mediation.yaml").lead_agency == "Dartford Borough Council"

    def test_blank_rows_skipped(self, tmp_path):
        """Empty rows, above the headers or between proposals, are skipped; row numbers stay the sheet's own."""
        err = bad(tmp_path, {"Proposals": [[None], HEADERS, [], row(id="a"), [None, "  "], row(id="b", cost="£6,00")]})
        assert problems(err) == [(f"{tmp_path / 'p.xlsx'}: sheet Proposals, row 6, column cost",
                                  "'£6,00' is not a sum of money that can be read one way only (a comma or point "
                                  "in the wrong place: is it pounds or pence?)")]

    def test_every_bad_cell_at_once(self, tmp_path):
        """Every bad cell of every row and of the panel sheet is reported, in order, and nothing is written."""
        err = bad(tmp_path, {
            "Proposals": [HEADERS + ["reach"],
                          row(cost="£6,00", pot="upfrnt") + [12.5],
                          row(id="two", submitted="08/04/2026", delivery__end=dt.date(2026, 4, 1)) + [None],
                          row(id="Three", title=None) + [10]],
            "Panel": [["id", "kent-police", "kcc"], ["two", 7, 3], ["nope", 1, 1], ["asb-mediation", "four", 9]],
        })
        where = f"{tmp_path / 'p.xlsx'}: sheet"
        assert problems(err) == [
            (f"{where} Proposals, row 2, column pot", "'upfrnt' is not a pot"),
            (f"{where} Proposals, row 2, column cost", "'£6,00' is not a sum of money that can be read one way only "
                                                       "(a comma or point in the wrong place: is it pounds or pence?)"),
            (f"{where} Proposals, row 2, column reach", "expected a whole number of zero or more, found the text '12.5'"),
            (f"{where} Proposals, row 3, column submitted", "'08/04/2026' can be read as 8 April 2026 or as 4 August 2026"),
            (f"{where} Proposals, row 3, column delivery.end", "delivery ends (1 April 2026) before it starts (1 May 2026)"),
            (f"{where} Proposals, row 4, column id", "'Three' is not a valid id"),
            (f"{where} Proposals, row 4, column title", "is empty, and every proposal needs it"),
            (f"{where} Panel, row 2, column kent-police",
             "the score of 'kent-police' must be a whole number from 0 to 5, found the text '7'"),
            (f"{where} Panel, row 3, column id", "no proposal has the id 'nope'"),
            (f"{where} Panel, row 4, column kent-police",
             "the score of 'kent-police' must be a whole number from 0 to 5, found the text 'four'"),
            (f"{where} Panel, row 4, column kcc", "the score of 'kcc' must be a whole number from 0 to 5, found the text '9'"),
        ]
        assert str(err).splitlines()[0] == f"{tmp_path / 'p.xlsx'}: 11 bad cells in 6 rows; nothing was written"
        assert str(err).splitlines()[1] == "  sheet Proposals, row 2, column pot: 'upfrnt' is not a pot"
        assert str(err).splitlines()[2] == "    fix: write 'upfront' or 'tactical'"

    def test_missing_column_reported_once(self, tmp_path):
        """A required column that is not there is one problem, at the header row, however many rows there are."""
        headers = [h for h in HEADERS if h != "summary"]
        err = bad(tmp_path, {"Proposals": [headers, GOOD[:-1], row(id="b")[:-1], row(id="c")[:-1]]})
        assert problems(err) == [(f"{tmp_path / 'p.xlsx'}: sheet Proposals, row 1",
                                  "no column is headed 'summary', and every proposal needs one")]
        assert err.cells[0].fix == "add a column headed 'summary'"

    def test_no_delivery_dates(self, tmp_path):
        """A row with neither delivery date has both cells reported empty."""
        err = bad(tmp_path, {"Proposals": [HEADERS, row(delivery__start=None, delivery__end=None)]})
        assert [p for _, p in problems(err)] == ["is empty, and every proposal needs it"] * 2
        assert [bad.cell.header for bad in err.cells] == ["delivery.start", "delivery.end"]

    @pytest.mark.parametrize("typed, problem, fix", [
        ("08/04/2026", "'08/04/2026' can be read as 8 April 2026 or as 4 August 2026",
         "write 2026-04-08 for 8 April 2026, or make the cell a date"),
        ("13/04/2026", "'13/04/2026' is not written as a date can be read one way only",
         "write 2026-04-13, or make the cell a date"),
        ("8 Aprl 2026", "'8 Aprl 2026' is not a date", "write it as 2026-04-08 or 8 April 2026, or make the cell a date"),
        ("31 April 2026", "'31 April 2026' is not a real date", "check the day and the month"),
        ("2026-02-30", "'2026-02-30' is not a real date (day is out of range for month)", "check the day and the month"),
        (46120, "46120 is a number, not a date", "write it as 2026-04-08 or 8 April 2026, or make the cell a date"),
        (dt.datetime(2026, 4, 8, 13, 5), "2026-04-08 13:05:00 has a time of day", "keep the date only"),
    ])
    def test_bad_dates(self, tmp_path, typed, problem, fix):
        """A date that reads two ways, or is not a date, or carries a time, is refused with a fix for a spreadsheet."""
        err = bad(tmp_path, {"Proposals": [HEADERS, row(submitted=typed)]})
        assert [(b.cell.header, b.problem, b.fix) for b in err.cells] == [("submitted", problem, fix)]

    def test_headers_checked(self, tmp_path):
        """An unknown header is refused with the near name, a repeated one too, and a panel column is sent to its sheet."""
        headers = HEADERS + ["csa_priorites", "title", "panel", None]
        err = bad(tmp_path, {"Proposals": [headers, GOOD + ["x", "y", "z", "under no header"]]})
        where = f"{tmp_path / 'p.xlsx'}: sheet Proposals"
        assert problems(err) == [
            (f"{where}, row 1, column csa_priorites", "'csa_priorites' is not a field of a proposal "
                                                      "(did you mean 'csa_priorities'?)"),
            (f"{where}, row 1, column title", "'title' heads column B too"),
            (f"{where}, row 1, column panel", "panel scores go on a sheet of their own, one column per agency"),
            (f"{where}, row 2, column P", "is in a column with no header"),
        ]

    def test_semicolon_csv(self, tmp_path):
        """A CSV saved with ';' between columns is refused with the way to save it."""
        (tmp_path / "p.csv").write_text(";".join(HEADERS) + "\n", encoding="utf-8")
        with pytest.raises(BadCells) as err:
            import_proposals(tmp_path / "p.csv", tmp_path / "out")
        assert err.value.cells[0].fix == "save the sheet as 'CSV UTF-8', with commas between the columns"
        assert err.value.cells[0].cell.where() == f"{tmp_path / 'p.csv'}: row 1, column {';'.join(HEADERS)}"

    def test_id_used_twice(self, tmp_path):
        """Two rows with the same id: the second is reported, naming the first."""
        err = bad(tmp_path, {"Proposals": [HEADERS, GOOD, GOOD]})
        assert problems(err) == [(f"{tmp_path / 'p.xlsx'}: sheet Proposals, row 3, column id",
                                  "the id 'asb-mediation' is also used on row 2")]

    def test_panel_by_agency_name_with_round(self, tmp_path):
        """With the round, a panel column may be headed by the agency's name; an unknown one gets the near id."""
        sheets = {"Proposals": [HEADERS, GOOD], "Panel": [["id", "Kent Police", "KCC"], ["asb-mediation", 4, 2]]}
        path = write_workbook(tmp_path / "p.xlsx", sheets)
        import_proposals(path, tmp_path / "out", round_=load_round(R2627))
        assert Proposal.from_file(tmp_path / "out" / "asb-mediation.yaml").panel == (("kcc", 2), ("kent-police", 4))
        sheets["Panel"][0][1] = "kent-polce"
        (tmp_path / "again").mkdir()
        err = bad(tmp_path / "again", sheets, round_=load_round(R2627))
        assert [p for _, p in problems(err)] == ["'kent-polce' is not an agency of the round's panel "
                                                 "(did you mean 'kent-police'?)"]

    def test_panel_sheet_mistakes(self, tmp_path):
        """A panel sheet without an id column, or with a proposal's scores twice, is refused."""
        no_id = bad(tmp_path, {"Proposals": [HEADERS, GOOD], "Panel": [["Proposal ID", "kcc"], ["asb-mediation", 3]]})
        assert [p for _, p in problems(no_id)] == ["no column is headed 'id'", "'Proposal ID' is not an agency's id"]
        twice = bad(tmp_path, {"Proposals": [HEADERS, GOOD],
                               "Panel": [["id", "kcc"], ["asb-mediation", 3], ["asb-mediation", 4], [None, 2]]})
        assert problems(twice) == [
            (f"{tmp_path / 'p.xlsx'}: sheet Panel, row 3, column id", "the scores of 'asb-mediation' are also on row 2"),
            (f"{tmp_path / 'p.xlsx'}: sheet Panel, row 4", "gives scores but no proposal id")]

    def test_panel_in_two_places(self, tmp_path):
        """Panel scores on a second sheet and in --panel too are refused."""
        path = write_workbook(tmp_path / "p.xlsx", {"Proposals": [HEADERS, GOOD], "Panel": [["id", "kcc"]]})
        (tmp_path / "panel.csv").write_text("id,kcc\nasb-mediation,3\n", encoding="utf-8")
        with pytest.raises(InputError) as err:
            import_proposals(path, tmp_path / "out", panel=tmp_path / "panel.csv")
        assert str(err.value) == (f"{path}: sheet Panel holds panel scores, and --panel gives more\n"
                                  "  fix: give the panel scores in one place only")

    def test_third_sheet_ignored(self, tmp_path):
        """Sheets after the second (notes for partners, say) are left alone."""
        path = write_workbook(tmp_path / "p.xlsx", {"Proposals": [HEADERS, GOOD], "Panel": [],
                                                    "How to fill this in": [["anything"]]})
        assert len(import_proposals(path, tmp_path / "out").written) == 1

    def test_existing_file_kept_without_force(self, tmp_path):
        """A proposal file that exists is not replaced, nor any other written, unless forced."""
        path = write_workbook(tmp_path / "p.xlsx", {"Proposals": [HEADERS, GOOD, row(id="other")]})
        (tmp_path / "out").mkdir()
        (tmp_path / "out" / "asb-mediation.yaml").write_text("# mine\n", encoding="utf-8")
        with pytest.raises(InputError) as err:
            import_proposals(path, tmp_path / "out")
        assert str(err.value) == (f"{tmp_path / 'out' / 'asb-mediation.yaml'}: already exists; nothing was written\n"
                                  "  fix: pass --force to replace, or write to another folder with -o")
        assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["asb-mediation.yaml"]
        assert (tmp_path / "out" / "asb-mediation.yaml").read_text(encoding="utf-8") == "# mine\n"
        done = import_proposals(path, tmp_path / "out", force=True)
        assert [replaced for _, _, replaced in done.written] == [True, False]
        assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["asb-mediation.yaml", "other.yaml"]

    def test_out_is_a_file(self, tmp_path):
        """-o naming a file is refused."""
        path = write_workbook(tmp_path / "p.xlsx", {"Proposals": [HEADERS, GOOD]})
        (tmp_path / "out").write_text("x")
        with pytest.raises(InputError, match="is a file, not a folder"):
            import_proposals(path, tmp_path / "out")

    def test_notes_against_the_round(self, tmp_path):
        """With the round, an unknown priority id and a near-miss organisation are noted at their row."""
        path = write_workbook(tmp_path / "p.xlsx", {"Proposals": [HEADERS, row(csa_priorities="asb",
                                                                                   lead_agency="Kent Polce")]})
        done = import_proposals(path, tmp_path / "out", round_=load_round(R2627))
        assert done.notes == (
            f"{path}: sheet Proposals, row 2: csa_priorities: 'asb' is not an id of this round",
            f"{path}: sheet Proposals, row 2: lead_agency: 'Kent Polce' is not an organisation of the panel "
            "(did you mean 'Kent Police'?), so no declared interest is found for it")

    @settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(S.proposals(full=True), st.sampled_from(["csv", "xlsx"]), st.data())
    def test_round_trip(self, tmp_path, proposal, kind, data):
        """Any proposal typed into a sheet (money in any accepted form, dates as dates or words) imports as itself."""
        assume(not any(SEPARATOR in item for item in proposal.partners))  # a partner's name cannot hold the separator
        headers, cells = [], []
        for field in Proposal.FIELDS:
            value = getattr(proposal, field)
            if field == "delivery":
                headers += ["delivery.start", "delivery.end"]
                cells += [data.draw(_date_cell(value.start, kind)), data.draw(_date_cell(value.end, kind))]
            elif field == "panel":
                continue
            elif field in ("cost", "minimum_cost") and value is not None:
                headers.append(field)
                cells.append(data.draw(_money_cell(value, kind)))
            elif field == "submitted":
                headers.append(field)
                cells.append(data.draw(_date_cell(value, kind)))
            elif isinstance(value, tuple):
                headers.append(field)
                cells.append("; ".join(value) or None)
            elif value is not None and value != "":
                headers.append(field)
                cells.append(value if kind == "xlsx" else _typed(value))
        panel = [["id"] + [a for a, _ in proposal.panel], [proposal.id] + [s for _, s in proposal.panel]]
        folder = Path(tempfile.mkdtemp(dir=tmp_path))
        if kind == "xlsx":
            path = write_workbook(folder / "p.xlsx", {"P": [headers, cells], "Panel": panel if proposal.panel else []})
            import_proposals(path, folder / "out")
        else:
            (folder / "p.csv").write_text(_csv([headers, cells]), encoding="utf-8")
            (folder / "panel.csv").write_text(_csv(panel), encoding="utf-8")
            import_proposals(folder / "p.csv", folder / "out", panel=folder / "panel.csv" if proposal.panel else None)
        assert Proposal.from_file(folder / "out" / f"{proposal.id}.yaml") == proposal


def _date_cell(day: dt.date, kind: str):
    """A date as a spreadsheet may hold it: a date cell (in a workbook), or text in either accepted form."""
    forms = [day.isoformat(), fmt.date(day)] + ([day, dt.datetime(day.year, day.month, day.day)] if kind == "xlsx"
                                                 else [])
    return st.sampled_from(forms)


def _money_cell(pence: int, kind: str):
    """A sum as a spreadsheet may hold it: text in any accepted form, or (in a workbook) a number of pounds."""
    numbers = [pence // 100 if pence % 100 == 0 else pence / 100] if kind == "xlsx" else []
    return st.one_of(S.money_for(pence), *[st.just(n) for n in numbers])


def _typed(value) -> str:
    """A value as typed into a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _csv(rows) -> str:
    out = io.StringIO()
    csv.writer(out).writerows([[_typed(v) for v in r] for r in rows])
    return out.getvalue()


class TestProposalText:
    """proposal_text"""

    @given(S.texts)
    def test_any_text_reads_back(self, text):
        """Any text is written so that the loader reads back exactly that text, quoted only where YAML needs it."""
        written = proposal_text({"title": text, "partners": [text, "x"]})
        data = yamlfile.parse(written.encode("utf-8"), "p.yaml").data
        assert data == {"title": text, "partners": [text, "x"]}

    @pytest.mark.parametrize("text", ["null", "~", "NULL", "yes", "2026-04-08", "£5,595", "- a", "a: b", "#x", "'q'"])
    def test_words_yaml_treats_specially(self, text):
        """Words a reader could take for nothing, a list or a comment are still read back as the text."""
        written = proposal_text({"title": text})
        assert yamlfile.parse(written.encode("utf-8"), "p.yaml").data == {"title": text}


class TestReadSheets:
    """read_sheets"""

    def test_workbook_sheets_in_order(self, tmp_path):
        """Every sheet of a workbook, in order, named."""
        path = write_workbook(tmp_path / "p.xlsx", {"A": [["x"]], "B": [[1, None, 2]]})
        sheets = read_sheets(path)
        assert [(s.name, s.rows) for s in sheets] == [("A", (("x",),)), ("B", ((1, None, 2),))]

    def test_csv_with_byte_order_mark(self, tmp_path):
        """A CSV saved as 'CSV UTF-8' (with a byte-order mark) is one sheet with no name."""
        (tmp_path / "p.csv").write_bytes("id,title\r\na,£5\r\n".encode("utf-8-sig"))
        [sheet] = read_sheets(tmp_path / "p.csv")
        assert (sheet.name, sheet.rows) == (None, (("id", "title"), ("a", "£5")))

    @pytest.mark.parametrize("name, content, problem, fix", [
        ("p.xls", b"x", "'.xls' is not a kind of spreadsheet this can read",
         "save the sheet as an Excel workbook (.xlsx) or as CSV UTF-8 (.csv)"),
        ("p.xlsx", b"not a zip", "is not an Excel workbook that can be read (BadZipFile)",
         "open it in the spreadsheet and save it as an Excel workbook (.xlsx)"),
        ("p.csv", "id,title\n£".encode("latin-1"), "is not UTF-8 text (byte 10)",
         "save it from the spreadsheet as 'CSV UTF-8'"),
        ("missing.csv", None, "file not found", "check the path"),
    ])
    def test_unreadable(self, tmp_path, name, content, problem, fix):
        """A file that is not a workbook or a UTF-8 CSV is refused, naming it, with how to save it."""
        if content is not None:
            (tmp_path / name).write_bytes(content)
        with pytest.raises(InputError) as err:
            read_sheets(tmp_path / name, name=name)
        assert (err.value.file, err.value.problem, err.value.fix) == (name, problem, fix)

    def test_empty_sheet(self, tmp_path):
        """An empty proposals sheet, or headers with no proposal under them, is refused."""
        for rows, problem in (([], "sheet Proposals: is empty"),
                              ([HEADERS], "sheet Proposals: has headers but no proposals under them")):
            path = write_workbook(tmp_path / "p.xlsx", {"Proposals": rows})
            with pytest.raises(InputError) as err:
                import_proposals(path, tmp_path / "out")
            assert err.value.problem == problem
