"""Warnings about proposals read against their round: what is allowed but is probably a mistake.

A proposal copied from an earlier round keeps its dates, its ``illustrative:
true`` and notes about that round; a priority id the round does not list
makes a proposal ineligible without a word of why at the place it is written.
Each finding is an :class:`~engine.errors.InputWarning` placed at the field;
``--strict`` makes them mistakes.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Iterable, Sequence

import attrs

from .. import fmt
from ..errors import InputWarning, did_you_mean
from .proposal import Proposal
from .round import Round, panel_findings

__all__ = ["PRIORITY_FIELDS", "proposal_warnings"]

PRIORITY_FIELDS = ("pcc_priorities", "csa_priorities", "cross_cutting")

# "for the 2026/27 round", "2026/27 grant": a financial year named as the one a proposal is for
_ROUND_YEAR = re.compile(r"\b(?:for|of) (?:the )?(\d{4}/\d{2})\b|\b(\d{4}/\d{2}) (?:round|grant|bid)s?\b")


def _year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _at(p: Proposal, field: str, problem: str, fix: str) -> InputWarning:
    line, column = p.places.get(field, (None, None))
    return InputWarning(problem, file=p.file or None, field=field, line=line, column=column, fix=fix)


def _dates(round_: Round, p: Proposal) -> Iterable[InputWarning]:
    fy = round_.financial_year
    due = round_.deadline("proposals_due")
    earliest = _year_before(due or round_.year_start)
    copied = "is it copied from another round? correct the date"
    if p.submitted < earliest:
        what = f"the closing date of {fmt.date(due)}" if due else f"the financial year {fy} starts"
        yield _at(p, "submitted", f"received {fmt.date(p.submitted)}, more than a year before {what}", copied)
    elif p.submitted > round_.year_end:
        yield _at(p, "submitted", f"received {fmt.date(p.submitted)}, after the financial year {fy} ended "
                                  f"({fmt.date(round_.year_end)})", copied)
    for field, day, words in (("delivery.start", p.delivery.start, "starts"), ("delivery.end", p.delivery.end, "ends")):
        if day < _year_before(round_.year_start):
            yield _at(p, field, f"delivery {words} {fmt.date(day)}, more than a year before the financial year "
                                f"{fy} starts ({fmt.date(round_.year_start)})", copied)
        elif day > _year_after(round_.year_end):
            yield _at(p, field, f"delivery {words} {fmt.date(day)}, more than a year after the financial year "
                                f"{fy} ends ({fmt.date(round_.year_end)})", copied)


def _notes(round_: Round, p: Proposal) -> Iterable[InputWarning]:
    if not p.notes:
        return
    years = {a or b for a, b in _ROUND_YEAR.findall(p.notes)} - {round_.financial_year}
    if years:
        named = ", ".join(sorted(years))
        yield _at(p, "notes", f"the notes speak of {named}, not this round's {round_.financial_year}",
                  "is it copied from another round? bring the notes up to date")


def _file_name(p: Proposal) -> Iterable[InputWarning]:
    """A proposal file is named after its id: one that is not was probably copied and its id left, or renamed."""
    if not p.file:
        return
    name = os.path.basename(p.file)
    stem = os.path.splitext(name)[0]
    if stem != p.id:
        yield _at(p, "id", f"the file is named {name} but the proposal's id is '{p.id}'",
                  f"rename the file to {p.id}{os.path.splitext(name)[1]}, or correct the id")


def _panel(round_: Round, p: Proposal) -> Iterable[InputWarning]:
    for field, what in panel_findings(round_, p):
        yield attrs.evolve(_at(p, field, what, "correct the name, or list it in the rules file's panel"), note=True)


def _priorities(round_: Round, p: Proposal) -> Iterable[InputWarning]:
    known = round_.priority_names()
    for field in PRIORITY_FIELDS:
        for pid in getattr(p, field):
            if pid not in known:
                where = f" in {round_.file}" if round_.file else ""
                yield _at(p, field, f"'{pid}' is not an id of this round{did_you_mean(pid, known)}",
                          f"use an id listed under priorities{where}")


def proposal_warnings(round_: Round, proposals: Sequence[Proposal]) -> tuple[InputWarning, ...]:
    """Every warning about *proposals* read against *round_*, in order of file and line."""
    real = any(not p.illustrative for p in proposals)
    out: list[InputWarning] = []
    for p in proposals:
        out += _dates(round_, p)
        if real and p.illustrative:
            out.append(_at(p, "illustrative", "marked as a made-up example in a folder of real proposals",
                           "remove 'illustrative: true' if it is real, or move the file out of the folder"))
        out += _notes(round_, p)
        out += _file_name(p)
        out += _priorities(round_, p)
        out += _panel(round_, p)
    return tuple(sorted(out, key=InputWarning.sort_key))
