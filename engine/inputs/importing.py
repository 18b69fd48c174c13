"""Proposals from the spreadsheet partners fill in: one row each, checked, then written as proposal files.

The first sheet of a workbook (``.xlsx``, read with openpyxl) or a ``.csv``
file holds the proposals: a header row naming the fields of a proposal
(``delivery.start`` and ``delivery.end`` for the delivery dates), then one row
per proposal.  Lists (partners, priorities, themes) are written in one cell,
separated by ``;``.  Money is read from the text as typed (``£6,00`` is
refused, as in a proposal file) or from a number cell; dates from a date cell
or from text written ``2026-04-08`` or ``8 April 2026``.  The second sheet,
or a file of its own, holds the panel's scores: a column ``id`` naming the
proposal, and one column per agency.

Each row is written as the text of a proposal file and read back through the
same loader and checks as ``crg validate`` (:meth:`Proposal.from_fields`), so
an imported file is valid by construction.  A mistake is placed at its cell
(sheet, row and column header); a bad cell is then set aside and the row read
again, so that every bad cell is found in one pass.  Nothing is written unless
every cell is good, no existing file is replaced unless asked, and each file
is written beside its place and renamed into it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import yaml

from .. import fmt
from ..errors import InputError, InputErrors, did_you_mean
from .proposal import Proposal, proposal_sources
from .yamlfile import parse

__all__ = ["BadCells", "Cell", "Imported", "import_proposals", "proposal_text", "read_sheets"]

# the columns of the proposals sheet: every field of a proposal, the delivery dates as two columns,
# and the panel's scores on a sheet of their own
COLUMNS = tuple(f for f in Proposal.FIELDS if f not in ("delivery", "panel")) + ("delivery.start", "delivery.end")
LISTS = ("partners", "pcc_priorities", "csa_priorities", "cross_cutting", "assumed")
DATES = ("submitted", "delivery.start", "delivery.end")
SEPARATOR = ";"

# a value for each field that the loader never refuses and that can never make another field wrong,
# set in the place of a bad cell so that the rest of the row is still checked
_STAND_INS = {
    "id": "x", "title": "x", "lead_agency": "x", "summary": "x", "pot": "upfront",
    "submitted": "2000-01-01", "delivery.start": "0001-01-01", "delivery.end": "9999-12-31",
    "cost": "999999999999999",
}

_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")
_MONTHS = {**{name[:3].lower(): n for n, name in enumerate(_MONTH_NAMES, start=1)}, "sept": 9,
           **{name.lower(): n for n, name in enumerate(_MONTH_NAMES, start=1)}}
_WORD_DATE = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})")
_SLASH_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_DATE_FIX = "write it as 2026-04-08 or 8 April 2026, or make the cell a date"


# --- where a value stands in a spreadsheet ------------------------------------------------------------


@attrs.frozen
class Cell:
    """A cell: its file, sheet, row and column (1-based, as a spreadsheet shows them) and the column's header."""

    order: tuple[int, int] = attrs.field(repr=False)  # (which file, which sheet): the order of reporting
    row: int
    column: int  # 0 for the whole row
    file: str
    sheet: str | None  # None for a CSV file
    header: str | None

    def where(self, *, file: bool = True) -> str:
        """``proposals.xlsx: sheet Proposals, row 3, column cost`` (column 0 is the whole row)."""
        if not self.column:
            return self.row_words(file=file)
        column = self.header if self.header else _letter(self.column)
        return f"{self.row_words(file=file)}, column {column}"

    def row_words(self, *, file: bool = True) -> str:
        """``proposals.xlsx: sheet Proposals, row 3`` (without the file's name if *file* is false)."""
        sheet = f"sheet {self.sheet}, " if self.sheet is not None else ""
        return (f"{self.file}: " if file else "") + f"{sheet}row {self.row}"

_READABLE = "check that the file is there and that you may read it"


def _letter(column: int) -> str:
    """``A``, ``Z``, ``AA``: a column's letters."""
    out = ""
    while column:
        column, rest = divmod(column - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


@attrs.frozen
class CellProblem:
    """What is wrong with one cell, and how to fix it."""

    cell: Cell
    problem: str
    fix: str | None = None


@attrs.define(eq=False)
class BadCells(InputError):
    """Cells of a spreadsheet that cannot be imported: all of them, in order of sheet, row and column."""

    cells: tuple[CellProblem, ...] = ()

    def __str__(self) -> str:
        lines = [f"{self.file}: {self.problem}"]
        for bad in self.cells:
            lines.append(f"  {bad.cell.where(file=bad.cell.file != self.file)}: {bad.problem}")
            if bad.fix:
                lines.append(f"    fix: {bad.fix}")
        return "\n".join(lines)


# --- reading the sheets ---------------------------------------------------------------------------------


@attrs.frozen
class Sheet:
    """The rows of one sheet, as read (``None`` for an empty cell)."""

    file: str
    name: str | None
    order: tuple[int, int]
    rows: tuple[tuple[Any, ...], ...]

    def cell(self, row: int, column: int, header: str | None) -> Cell:
        return Cell(self.order, row, column, self.file, self.name, header)

    def filled(self) -> list[tuple[int, tuple[Any, ...]]]:
        """``(row number, cells)`` of each row with something in it."""
        return [(n, row) for n, row in enumerate(self.rows, start=1) if not all(_blank(v) for v in row)]


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_sheets(path: str | Path, *, name: str | None = None, which: int = 0) -> list[Sheet]:
    """Every sheet of a workbook (``.xlsx``), or the one sheet of a ``.csv`` file."""
    shown = name if name is not None else str(path)
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv"):
        raise InputError(f"'{path.suffix or path.name}' is not a kind of spreadsheet this can read", file=shown,
                         fix="save the sheet as an Excel workbook (.xlsx) or as CSV UTF-8 (.csv)")
    if not path.exists():
        raise InputError("file not found", file=shown, fix="check the path")
    if path.is_dir():
        raise InputError("is a folder, not a spreadsheet", file=shown, fix="give the path of a .xlsx or .csv file")
    if suffix == ".csv":
        return [Sheet(shown, None, (which, 0), _csv_rows(path, shown))]
    return _workbook(path, shown, which)


def _csv_rows(path: Path, shown: str) -> tuple[tuple[Any, ...], ...]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"is not UTF-8 text (byte {exc.start + 1})", file=shown,
                         fix="save it from the spreadsheet as 'CSV UTF-8'") from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", file=shown, fix=_READABLE) from None
    try:
        return tuple(tuple(row) for row in csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputError(f"is not a CSV file that can be read ({exc})", file=shown,
                         fix="save it from the spreadsheet as 'CSV UTF-8'") from None


def _workbook(path: Path, shown: str, which: int) -> list[Sheet]:
    import zipfile
    import zlib

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"is not an Excel workbook that can be read ({exc.__class__.__name__})", file=shown,
                         fix="open it in the spreadsheet and save it as an Excel workbook (.xlsx)") from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", file=shown, fix=_READABLE) from None
    try:
        return [Sheet(shown, sheet.title, (which, i), tuple(tuple(r) for r in sheet.iter_rows(values_only=True)))
                for i, sheet in enumerate(book.worksheets)]
    except (SyntaxError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        # a sheet damaged inside the file (its XML cut short, say): openpyxl reads the sheets only now
        raise InputError(f"is not an Excel workbook that can be read (a sheet is damaged: {exc.__class__.__name__})",
                         file=shown, fix="open it in the spreadsheet and save it again as an Excel workbook "
                                         "(.xlsx)") from None
    finally:
        book.close()


# --- from a cell to the text of a proposal file -------------------------------------------------------


def _text(value) -> str | None:
    """The text of a cell, as it would be written in a proposal file (``None`` when it is empty)."""
    if _blank(value):
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # the shortest decimal that is this number: what the cell shows, e.g. 3703.2
        return format(Decimal(repr(value)), "f")
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _date(value) -> str:
    """``YYYY-MM-DD`` from a date cell or a date written in words; a date that reads two ways is refused."""
    if isinstance(value, dt.datetime):
        if value.time() != dt.time():
            raise InputError(f"{value.isoformat(sep=' ')} has a time of day", fix="keep the date only")
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise InputError(f"{_text(value)} is a number, not a date", fix=_DATE_FIX)
    text = " ".join(str(value).split())
    words = _WORD_DATE.fullmatch(text)
    if words and words[2].lower() in _MONTHS:
        try:
            return dt.date(int(words[3]), _MONTHS[words[2].lower()], int(words[1])).isoformat()
        except ValueError:
            raise InputError(f"'{text}' is not a real date", fix="check the day and the month") from None
    slashes = _SLASH_DATE.fullmatch(text)
    if slashes:
        readings = []
        for day, month in ((int(slashes[1]), int(slashes[2])), (int(slashes[2]), int(slashes[1]))):
            try:
                readings.append(dt.date(int(slashes[3]), month, day))
            except ValueError:
                pass
        readings = list(dict.fromkeys(readings))
        if len(readings) == 2:
            raise InputError(f"'{text}' can be read as {fmt.date(readings[0])} or as {fmt.date(readings[1])}",
                             fix=f"write {readings[0].isoformat()} for {fmt.date(readings[0])}, or make the cell a date")
        if readings:
            raise InputError(f"'{text}' is not written as a date can be read one way only",
                             fix=f"write {readings[0].isoformat()}, or make the cell a date")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text
    raise InputError(f"'{text}' is not a date", fix=_DATE_FIX)


def _items(value) -> list[str] | None:
    """The items of a list cell, separated by ';' (empty items are dropped)."""
    text = _text(value)
    if text is None:
        return None
    items = [item.strip() for item in text.split(SEPARATOR)]
    return [item for item in items if item] or None


def _value(field: str, value):
    """What *value*, read from the column *field*, becomes in a proposal file."""
    if _blank(value):
        return None
    if field in DATES:
        return _date(value)
    if field in LISTS:
        return _items(value)
    return _text(value)


# --- the text of a proposal file ----------------------------------------------------------------------


class _Dumper(yaml.emitter.Emitter, yaml.serializer.Serializer, yaml.representer.SafeRepresenter,
              yaml.resolver.BaseResolver):
    """Writes plain text wherever YAML allows it: the files are read with the base resolver, so
    ``2026-04-08`` or ``yes`` need no quotes, except the words the reader takes for nothing."""

    def __init__(self, stream, **kwargs):
        yaml.emitter.Emitter.__init__(self, stream, **{k: kwargs[k] for k in ("width", "allow_unicode")})
        yaml.serializer.Serializer.__init__(self)
        yaml.representer.SafeRepresenter.__init__(self, default_flow_style=False, sort_keys=False)
        yaml.resolver.BaseResolver.__init__(self)


_Dumper.add_implicit_resolver("tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"),
                              ["~", "n", "N", ""])
_Dumper.add_representer(list, lambda dumper, data: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", data, flow_style=True))


def _document(values: dict[str, Any]) -> dict[str, Any]:
    """The mapping a proposal file holds for *values* (columns as keys; ``panel`` a mapping), in the usual order."""
    data: dict[str, Any] = {}
    for field in Proposal.FIELDS:
        if field == "delivery":
            dates = {key: values[f"delivery.{key}"] for key in ("start", "end") if values.get(f"delivery.{key}")}
            if dates:
                data["delivery"] = dates
        elif values.get(field) is not None:
            data[field] = values[field]
    return data


def proposal_text(values: dict[str, Any], comment: str | None = None) -> str:
    """The YAML text of a proposal file holding *values*, under a comment line."""
    text = yaml.dump(_document(values), Dumper=_Dumper, width=88, allow_unicode=True)
    return (f"# {comment}\n" if comment else "") + text


# --- checking a row through the loader of proposal files ------------------------------------------------


def _check(values: dict[str, Any], name: str) -> Proposal:
    """The proposal in *values*, written as a file's text and read back through the loader and checks of proposal files."""
    file = parse(proposal_text(values).encode("utf-8"), name)
    try:
        proposal = Proposal.from_fields(file.fields("a proposal"))
    except InputErrors as exc:  # one cell at a time: the caller sets each aside and reads the row again
        raise exc.errors[0] from None
    if file.data != _document(values):  # the text must hold exactly the values given
        raise AssertionError(f"{name}: the proposal text does not read back as written")
    return proposal


def _column_of(field: str | None) -> str:
    """The column of the field an error names (``delivery.end``, ``panel``, ``cost``)."""
    return (field or "").split("[")[0]


@attrs.frozen
class _Row:
    """One row of the proposals sheet: the value of each column and the cell it came from."""

    number: int
    where: str  # the file, sheet and row, in words
    values: dict[str, Any]
    cells: dict[str, Cell]
    panel: dict[str, tuple[Cell, Any]] = attrs.field(factory=dict)  # agency -> (cell, score text)

    def panel_scores(self) -> dict[str, Any] | None:
        return {agency: score for agency, (_, score) in self.panel.items()} or None


def _check_row(row: _Row, header: "_Header", problems: list[CellProblem]) -> Proposal | None:
    """The proposal of *row*, or ``None`` after adding a problem for each of its bad cells to *problems*."""
    values = dict(row.values, panel=row.panel_scores())
    found = False
    for _ in range(len(COLUMNS) + 2):
        try:
            proposal = _check(values, row.where)
        except InputError as exc:
            found = True
            column = _column_of(exc.field)
            if column == "panel":
                first = next(iter(row.panel.values()))[0]
                problems += _panel_problems(row) or [CellProblem(first, exc.problem, exc.fix)]
                values.pop("panel")
                continue
            for col in (("delivery.start", "delivery.end") if column == "delivery" else (column,)):
                problems.append(_problem(row, col, values.get(col), exc, header))
                if col in _STAND_INS:
                    values[col] = _STAND_INS[col]
                else:
                    values.pop(col, None)
            continue
        return None if found else proposal
    raise AssertionError(f"{row.where}: a bad cell was not set aside")


def _problem(row: _Row, column: str, value, exc: InputError, header: "_Header") -> CellProblem:
    """The problem the loader found, placed at its cell (or at the header row when the column is missing)."""
    if value is not None:
        return CellProblem(row.cells[column], exc.problem, exc.fix)
    if column in header.columns.values():
        return CellProblem(row.cells[column], "is empty, and every proposal needs it", "fill it in")
    return CellProblem(header.sheet.cell(header.row, 0, None),
                       f"no column is headed '{column}', and every proposal needs one",
                       f"add a column headed '{column}'")


def _panel_problems(row: _Row) -> list[CellProblem]:
    """Each panel score of *row* the loader refuses, checked one at a time in a row that is otherwise good."""
    out = []
    for agency, (cell, score) in row.panel.items():
        try:
            _check({**_STAND_INS, "panel": {agency: score}}, row.where)
        except InputError as exc:
            out.append(CellProblem(cell, exc.problem, exc.fix))
    return out


# --- the sheets ---------------------------------------------------------------------------------------


@attrs.frozen
class _Header:
    """The header row of a sheet: which field (or agency) each column holds."""

    sheet: Sheet
    row: int
    columns: dict[int, str]  # column index (0-based) -> field
    titles: dict[int, str]  # column index -> the header as written, for every column that has one

    def cell(self, row: int, index: int) -> Cell:
        return self.sheet.cell(row, index + 1, self.titles.get(index))

    def rows(self, problems: list[CellProblem]) -> list[tuple[int, dict[str, tuple[Cell, Any]]]]:
        """``(row number, {field: (cell, value)})`` of each row under the header.

        A value in a column without a header is a problem; one under a bad header is
        left alone, the header itself being reported.
        """
        out = []
        for n, cells in self.sheet.filled():
            if n <= self.row:
                continue
            row = {}
            for index, value in enumerate(cells):
                if _blank(value):
                    continue
                if index in self.columns:
                    row[self.columns[index]] = (self.cell(n, index), value)
                elif index not in self.titles:
                    problems.append(CellProblem(self.cell(n, index), "is in a column with no header",
                                                "give the column a header, or empty the cell"))
            out.append((n, row))
        return out


def _header(sheet: Sheet, known, what: str, problems: list[CellProblem], *, names=None,
            any_id: bool = False) -> _Header | None:
    """The header row of *sheet* (its first row with something in it); unknown or repeated headers are problems.

    *known* lists the fields a column may hold, and with *any_id* any id is one too;
    *names* maps other words for a field (in lower case) to it.
    """
    rows = sheet.filled()
    if not rows:
        return None
    number, cells = rows[0]
    columns: dict[int, str] = {}
    titles = {index: " ".join(str(raw).split()) for index, raw in enumerate(cells) if not _blank(raw)}
    for index, text in titles.items():
        key = (names or {}).get(text.casefold(), text.lower().replace(" ", "_"))
        cell = sheet.cell(number, index + 1, text)
        if key not in known and not (any_id and _ID.fullmatch(key)):
            problems.append(CellProblem(cell, f"'{text}' is not {what}{did_you_mean(key, known)}",
                                        _header_fix(text, known, any_id)))
        elif key in columns.values():
            first = next(i for i, k in columns.items() if k == key)
            problems.append(CellProblem(cell, f"'{text}' heads column {_letter(first + 1)} too",
                                        "keep one column for it"))
        else:
            columns[index] = key
    return _Header(sheet, number, columns, titles)


_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _header_fix(text: str, known, any_id: bool) -> str:
    if SEPARATOR in text and "," not in text:
        return "save the sheet as 'CSV UTF-8', with commas between the columns"
    if did_you_mean(text.lower(), known):
        return "correct the header"
    if any_id:
        return ("head the column with the agency's id (lowercase letters, digits and hyphens, e.g. kent-police), "
                "or give the rules file with --round to head it with the agency's name")
    return "head each column with one of: " + ", ".join(known)


def _proposal_rows(sheet: Sheet, problems: list[CellProblem]) -> tuple[list[_Row], _Header]:
    """The rows of the proposals sheet, each value turned into what a proposal file holds."""
    header = _header(sheet, COLUMNS + ("panel",), "a field of a proposal", problems)
    if header is None:
        raise InputError(f"{_sheet_words(sheet)}is empty", file=sheet.file,
                         fix="put a header row naming the fields, then one row per proposal")
    for index, key in list(header.columns.items()):
        if key == "panel":
            problems.append(CellProblem(header.cell(header.row, index),
                                        "panel scores go on a sheet of their own, one column per agency",
                                        "move them to the second sheet (or to a file given with --panel)"))
            del header.columns[index]
    rows = []
    for n, found in header.rows(problems):
        values: dict[str, Any] = {}
        for key, (cell, raw) in found.items():
            try:
                values[key] = _value(key, raw)
            except InputError as exc:
                problems.append(CellProblem(cell, exc.problem, exc.fix))
                values[key] = _STAND_INS.get(key)
        cells = {key: header.cell(n, index) for index, key in header.columns.items()}
        rows.append(_Row(n, sheet.cell(n, 0, None).row_words(), values, cells))
    if not rows and not problems:
        raise InputError(f"{_sheet_words(sheet)}has headers but no proposals under them", file=sheet.file,
                         fix="add one row per proposal")
    return rows, header


def _sheet_words(sheet: Sheet) -> str:
    return f"sheet {sheet.name}: " if sheet.name is not None else ""


def _add_panel(sheet: Sheet, rows: list[_Row], round_, problems: list[CellProblem]) -> None:
    """Put the scores of the panel sheet in the rows of the proposals they are for (by id).

    With a round that lists its panel, a column is headed by an agency's id or name;
    otherwise by any id.
    """
    agencies = round_.panel.agencies if round_ is not None else ()
    what = "an agency of the round's panel" if agencies else "an agency's id"
    before = len(problems)
    header = _header(sheet, ["id"] + [a.id for a in agencies], what, problems,
                     names={a.name.casefold(): a.id for a in agencies}, any_id=not agencies)
    if header is None:
        raise InputError(f"{_sheet_words(sheet)}is empty", file=sheet.file,
                         fix="put a header row (id, then one agency per column), then one row per proposal")
    if "id" not in header.columns.values():
        problems.append(CellProblem(sheet.cell(header.row, 0, None), "no column is headed 'id'",
                                    "head the column of proposal ids 'id'"))
    if len(problems) > before:
        return
    by_id = {row.values["id"]: row for row in rows if row.values.get("id") is not None}
    seen: dict[str, int] = {}
    for n, found in header.rows(problems):
        if "id" not in found:
            problems.append(CellProblem(sheet.cell(n, 0, None), "gives scores but no proposal id",
                                        "write the id of the proposal these scores are for"))
            continue
        id_cell, raw = found.pop("id")
        pid = _text(raw)
        if pid in seen:
            problems.append(CellProblem(id_cell, f"the scores of '{pid}' are also on row {seen[pid]}",
                                        "keep one row per proposal"))
        elif pid not in by_id:
            problems.append(CellProblem(id_cell, f"no proposal has the id '{pid}'{did_you_mean(pid, by_id)}",
                                        "use the id of a proposal on the proposals sheet"))
        else:
            seen[pid] = n
            by_id[pid].panel.update({agency: (cell, _text(value)) for agency, (cell, value) in found.items()})


# --- importing ----------------------------------------------------------------------------------------


@attrs.frozen
class Imported:
    """What an import wrote: each file, the row it came from and whether it replaced one; and any notes."""

    written: tuple[tuple[str, str, bool], ...]  # (path, row, replaced)
    notes: tuple[str, ...] = ()
    panel: str | None = None  # where the panel scores came from


def import_proposals(path: str | Path, out: str | Path, *, round_=None, panel: str | Path | None = None,
                     force: bool = False) -> Imported:
    """Read the proposals (and panel scores) of a spreadsheet, check every cell, and write one file per proposal.

    *round_*, when given, names the panel's agencies (a panel column may be headed by
    an agency's name) and adds the notes of ``crg validate``.  Raises :class:`BadCells`
    naming every bad cell, or :class:`~engine.errors.InputError` for a file that cannot
    be read or a proposal file that exists (without *force*); either way nothing is written.
    """
    sheets = read_sheets(path)
    panel_sheet = next((sheet for sheet in sheets[1:2] if sheet.filled()), None)
    if panel is not None:
        if panel_sheet is not None:
            raise InputError(f"sheet {panel_sheet.name} holds panel scores, and --panel gives more", file=str(path),
                             fix="give the panel scores in one place only")
        panel_sheet = read_sheets(panel, which=1)[0]
    problems: list[CellProblem] = []
    rows, header = _proposal_rows(sheets[0], problems)
    if panel_sheet is not None:
        _add_panel(panel_sheet, rows, round_, problems)
    found = _check_rows(rows, header, problems)
    if problems:
        raise _bad_cells(str(path), problems)

    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise InputError("is a file, not a folder", file=str(out), fix="give the folder to write the proposals in")
    targets = [(row, folder / f"{proposal.id}.yaml") for row, proposal in found]
    existing = [target for _, target in targets if target.exists()]
    if existing and not force:
        more = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
        raise InputError(f"already exists{more}; nothing was written", file=str(existing[0]),
                         fix="pass --force to replace, or write to another folder with -o")
    _check_ids_free(folder, {proposal.id: target for (_, proposal), (_, target) in zip(found, targets)})
    _write_all(folder, [(target, proposal_text(dict(row.values, panel=row.panel_scores()),
                                               comment=f"Imported from {row.where}."))
                        for row, target in targets])
    notes: list[str] = []
    if round_ is not None:
        from .round import panel_notes, unknown_priorities

        proposals = [proposal for _, proposal in found]
        notes = unknown_priorities(round_, proposals) + panel_notes(round_, proposals)
    return Imported(
        written=tuple((str(target), row.where, target in existing) for row, target in targets),
        notes=tuple(notes),
        panel=None if panel_sheet is None else panel_sheet.file + (
            f", sheet {panel_sheet.name}" if panel_sheet.name is not None else ""),
    )


def _check_rows(rows: list[_Row], header: _Header, problems: list[CellProblem]) -> list[tuple[_Row, Proposal]]:
    """Each good row with its proposal; each bad cell, and each id used twice, is added to *problems*."""
    out: list[tuple[_Row, Proposal]] = []
    first: dict[str, int] = {}
    for row in rows:
        proposal = _check_row(row, header, problems)
        if proposal is None:
            continue
        if proposal.id in first:
            problems.append(CellProblem(row.cells["id"], f"the id '{proposal.id}' is also used on row "
                                        f"{first[proposal.id]}", "give each proposal its own id"))
            continue
        first[proposal.id] = row.number
        out.append((row, proposal))
    return out


def _bad_cells(file: str, problems: list[CellProblem]) -> BadCells:
    """One error naming every bad cell, in order of file, sheet, row and column, under a one-line summary."""
    cells = sorted(set(problems), key=lambda p: (p.cell.order, p.cell.row, p.cell.column, p.problem))
    rows = len({(p.cell.order, p.cell.row) for p in cells})
    return BadCells(f"{len(cells)} bad cell{'s' if len(cells) != 1 else ''} in {rows} row{'s' if rows != 1 else ''}; "
                    f"nothing was written", file=file, cells=tuple(cells))


def _check_ids_free(folder: Path, targets: dict[str, Path]) -> None:
    """Refuse to write a proposal whose id another file of *folder* already holds (a file not named after its
    id): the folder would then hold the id twice.  A file that cannot be read is left to ``crg validate``."""
    if not folder.is_dir():
        return
    try:
        sources = proposal_sources(folder)  # the files the loader reads, named as it names them
    except InputError:  # no proposal file yet, or one that cannot be read: crg validate says which
        return
    written = {str(path) for path in targets.values()}
    for source in sources:
        if source.name in written:
            continue
        try:
            data = source.yaml().data
        except InputError:
            continue
        pid = data.get("id") if isinstance(data, dict) else None
        if isinstance(pid, str) and pid in targets:
            raise InputError(f"the id '{pid}' is already used by {source.name}; nothing was written",
                             file=str(targets[pid]),
                             fix=f"give the row another id, or remove or rename {os.path.basename(source.name)} first")


def _write_all(folder: Path, texts: list[tuple[Path, str]]) -> None:
    """Write each file beside its place, then rename them all into place: no file is ever half-written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"the folder cannot be made ({exc.strerror})", file=str(folder), field="-o",
                         fix="give a folder that can be made and written") from None
    temps: list[tuple[Path, Path]] = []
    try:
        for target, text in texts:
            temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            with open(temp, "x", encoding="utf-8", newline="\n") as stream:
                temps.append((temp, target))
                stream.write(text)
        for temp, target in temps:
            os.replace(temp, target)
    except OSError as exc:
        raise InputError(f"cannot be written ({exc.strerror})", file=str(folder), field="-o",
                         fix="give a folder that can be written") from None
    finally:
        for temp, _ in temps:
            temp.unlink(missing_ok=True)
