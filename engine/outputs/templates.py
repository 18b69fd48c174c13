"""Files to fill in: a new proposal, and a new round made from last year's rules.

:func:`proposal_template` writes every field of :data:`engine.inputs.proposal.FIELDS`
with a comment saying what it is and how to write it: the required ones empty
(so ``crg validate`` lists what is still to fill in), the optional ones
commented out with an example.  :func:`round_template` copies a rules file
with every date moved on to the new financial year, the money, priorities,
rules and comments kept, and any ``assumed:`` list emptied.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Iterator

from .. import fmt
from ..errors import InputError
from ..files import write_whole

__all__ = ["proposal_template", "round_template", "write_new"]

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def write_new(path: str | Path, text: str, *, flag: str | None = None) -> None:
    """Write *text* to *path*, which must not exist yet; written beside it first, so never half-written."""
    target = Path(path)
    if target.exists():
        raise InputError("already exists", file=str(path), field=flag,
                         fix="give a new file name, or move the old file away first")
    if not target.parent.is_dir():
        raise InputError("the folder does not exist", file=str(path), field=flag, fix="create the folder first")
    try:
        write_whole(target, text.encode("utf-8"))
    except OSError as exc:
        raise InputError(f"cannot be written ({exc.strerror})", file=str(path), field=flag,
                         fix="write it to a folder you may write to, with room for it") from None


# --- a new proposal -----------------------------------------------------------------------------------


def _comment(spec, round_=None) -> str:
    kind, how = spec.kind
    text = f"# {spec.means[0].upper()}{spec.means[1:]}. {'Required' if spec.required else 'Optional'}, {kind}: {how}."
    field = spec.name.split(".")[-1]
    if round_ is not None and field in ("pcc_priorities", "csa_priorities", "cross_cutting"):
        group = {"pcc_priorities": round_.pcc, "csa_priorities": round_.csa, "cross_cutting": round_.cross_cutting}
        text += f"\n#   this round's ids: {', '.join(p.id for p in group[field])}"
    return text


def proposal_template(proposal_id: str, round_=None) -> str:
    """A proposal file to fill in, with the id given; *round_*, if given, lists its priority ids in the comments."""
    from ..inputs import values
    from ..inputs.proposal import FIELDS

    values.slug(proposal_id)
    out = [
        "# A proposal to the Crime Reduction Grant: one file per proposal, in the round's folder.",
        "# Fill in every empty field; to give an optional one, remove the '# ' before it and write",
        "# its value. Check the file with: crg validate RULES FOLDER (it lists what is still missing).",
        "",
    ]
    nested = False
    for spec in FIELDS:
        head, dot, name = spec.name.partition(".")
        indent = "  " if dot else ""
        if dot and not nested:
            out.append(f"{head}:")
            nested = True
        elif not dot:
            nested = False
            name = head
        out += [indent + line for line in _comment(spec, round_).splitlines()]
        if spec.name == "id":
            out.append(f"id: {proposal_id}")
        elif spec.required:
            out.append(f"{indent}{name}:")
        else:
            out.append(f"{indent}# {name}: {spec.example}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# --- a new round from last year's rules -----------------------------------------------------------------


def _leaves(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _leaves(value, path + (i,))
    else:
        yield path, data


def _keys(data: Any, name: str, path: tuple = ()) -> Iterator[tuple]:
    """The paths of every key called *name*, at any depth."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == name:
                yield path + (key,)
            yield from _keys(value, name, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _keys(value, name, path + (i,))


def _moved(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _year_forms(start: int) -> tuple[str, str]:
    """``2026/27`` and ``2026-27`` for the financial year starting in *start*."""
    short = f"{(start + 1) % 100:02d}"
    return f"{start}/{short}", f"{start}-{short}"


def moved_on(text: str, file, source_year: int, years: int) -> str:
    """The rules file *text* (read as *file*) with every date moved on *years* years, the financial year and the
    round's id and name with it (and comments naming the year), and every ``assumed:`` list emptied."""
    lines = text.splitlines()
    edits: dict[int, list[tuple[int, str, str, str | None]]] = {}  # line -> (column, old, new, comment)

    def edit(path: tuple, old: str, new: str, comment: str | None = None) -> None:
        line, column = file.place(path)
        edits.setdefault(line, []).append((column, old, new, comment))

    old_forms, new_forms = _year_forms(source_year), _year_forms(source_year + years)
    for path, value in _leaves(file.data):
        if not isinstance(value, str):
            continue
        if _DATE.fullmatch(value.strip()):
            day = dt.date.fromisoformat(value.strip())
            edit(path, value.strip(), _moved(day, years).isoformat(), f"moved on from {fmt.date(day)}")
        elif path in (("round", "id"), ("round", "name"), ("round", "financial_year")):
            new = value
            for old_form, new_form in zip(old_forms, new_forms):
                new = new.replace(old_form, new_form)
            if new != value:
                edit(path, value, new)
    emptied = set()
    for path in _keys(file.data, "assumed"):
        line, _ = file.place(path + ("<key>",))
        emptied.add(line)
        for item_path, _ in _leaves(_at(file.data, path), path):
            if item_path != path:
                emptied.add(file.place(item_path)[0])
        lines[line - 1] = lines[line - 1].split(":")[0] + ": []  # emptied: list what this round assumes"
        emptied.discard(line)
    # the file's and each section's source name last year's papers, which give none of this year's values: they are
    # kept as comments, so that 'crg validate --strict' lists every value still to source (a rule's or a gate's own
    # source, the document it comes from, stays)
    old_sources = set()  # their lines, which keep last year's words
    for path in _keys(file.data, "source"):
        if len(path) > 2:
            continue
        line, _ = file.place(path + ("<key>",))
        if line is None or not lines[line - 1].lstrip().startswith("source:"):
            continue
        indent = len(lines[line - 1]) - len(lines[line - 1].lstrip())
        end = line
        while end < len(lines) and (not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent):
            end += 1
        while end > line and not lines[end - 1].strip():
            end -= 1
        for number in range(line - 1, end):
            old_sources.add(number)
            text_here = lines[number]
            cut = len(text_here) - len(text_here.lstrip())
            lines[number] = text_here[:cut] + "# " + text_here[cut:]
        lines[line - 1] += f"  (of {old_forms[0]}: find this year's)"
    for line, changes in edits.items():
        here = lines[line - 1]
        comments = []
        for column, old, new, comment in sorted(changes, reverse=True):
            at = here.find(old, column - 1)
            here = here[:at] + new + here[at + len(old):]
            if comment:
                comments.append(comment)
        if comments:
            here = _MOVED_NOTE.sub("", here)  # a file made this way before: its note names the year before
        if comments and "#" not in here:
            here += "  # " + "; ".join(comments)
        lines[line - 1] = here
    for number, line in enumerate(lines):
        if line.lstrip().startswith("#") and number not in old_sources:
            for old_form, new_form in zip(old_forms, new_forms):
                line = line.replace(old_form, new_form)
            lines[number] = line
    return "\n".join(line for number, line in enumerate(lines, start=1) if number not in emptied) + "\n"


_DAY = r"moved on from [0-9]{1,2} [A-Z][a-z]+ [0-9]{4}"
_MOVED_NOTE = re.compile(rf"  # {_DAY}(; {_DAY})*$")  # one date's note, or those of several on one line
_HEAD = "# Made by 'crg new round' from "


def _without_head(raw: str) -> str:
    """*raw* without the note :func:`round_template` puts at the head of a file it makes (its lines up to the
    first blank one), so that a round made from a made round says only what was done this time."""
    if not raw.startswith(_HEAD):
        return raw
    head, _, rest = raw.partition("\n\n")
    return rest if all(line.startswith("#") for line in head.splitlines()) else raw


def _at(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


def round_template(source: str | Path, year: str, *, name: str | None = None) -> str:
    """The rules file *source* moved on to the financial year *year* (``2027/28``), with a note at its head.

    The result is read back as a rules file before it is returned, so it is
    never a file ``crg`` would refuse.
    """
    from ..inputs.round import parse_financial_year, round_from_file
    from ..inputs.yamlfile import parse, read

    try:
        target, start, _ = parse_financial_year(year)
    except InputError as exc:
        raise InputError(exc.problem, field="--year", fix=exc.fix) from None
    file = read(source)
    round_ = round_from_file(file)
    years = start.year - round_.year_start.year
    if years == 0:
        raise InputError(f"{source} is already the rules of {target}", field="--year",
                         fix="give the year of the new round, e.g. --year " + _year_forms(start.year + 1)[0])
    raw = Path(source).read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    head = [
        f"{_HEAD}{source} for {target}. Every date is moved on by",
        f"# {abs(years)} year{'s' if abs(years) != 1 else ''} (each marked 'moved on from'); the money, the priorities, "
        "the rules and",
        "# the scoring are kept; last year's sources are comments. Check each value against this year's",
        "# papers and give its source ('crg validate --strict' lists every value still to source or mark as",
        "# assumed).",
        "",
    ]
    kept = _without_head(raw)
    if kept is not raw:  # the place of each value moves up with the lines taken off
        file = parse(kept.encode("utf-8"), str(source))
    text = "\n".join(head) + "\n" + moved_on(kept, file, round_.year_start.year, years)
    round_from_file(parse(text.encode("utf-8"), name or "the new round"))
    return text
