"""The Chair's decision on a recorded recommendation, and the two read side by side.

The Chair approves the Working Group's recommendation as it stands, amends
it (funding proposals it left out, or dropping proposals it shortlisted) or
declines it.  Every proposal on which the decision departs from the
recommendation is recorded with its reason.  A run may be decided more than
once (a decision is never changed, only followed by another); the latest
stands.
"""

from __future__ import annotations

from typing import Sequence

import attrs

from ..errors import InputError, did_you_mean
from ..inputs.money import written
from .model import CHAIR_OUTCOMES, ChairDecision, Departure, Run
from .register import Register, changed
from . import runs
from .runs import find_run

__all__ = ["Line", "Recorded", "decide", "history", "recorded"]


def _departure_flag(text: str, flag: str) -> tuple[str, str | None]:
    """``ID`` or ``ID=REASON``."""
    pid, sep, reason = text.partition("=")
    pid, reason = pid.strip(), " ".join(reason.split())
    if not pid:
        raise InputError(f"'{text}' names no proposal", field=flag, fix=f"write {flag} ID or {flag} 'ID=reason'")
    return pid, (reason or None) if sep else None


def decide(register: Register, run_id: int, outcome: str, *, by: str, note: str | None = None,
           fund: Sequence[str] = (), drop: Sequence[str] = ()) -> ChairDecision:
    """Append the Chair's decision on run *run_id*: *outcome* (approved, amended or declined), with departures.

    *fund* and *drop* are ``ID`` or ``ID=REASON``; a departure without its own
    reason takes the *note*, and one with neither is refused.  Declining
    records every shortlisted proposal as not funded, for the note's reason.
    """
    run = find_run(register, run_id)
    by = " ".join(by.split())
    note = " ".join(note.split()) or None if note is not None else None
    if not by:
        raise InputError("is empty", field="--by", fix="give the name of the person who decided")
    if outcome not in CHAIR_OUTCOMES:
        raise InputError(f"'{outcome}' is not an outcome{did_you_mean(outcome, CHAIR_OUTCOMES)}",
                         field="--outcome", fix="use one of: " + ", ".join(CHAIR_OUTCOMES))
    doc = run.document()
    status = {p["id"]: p["status"] for p in doc["proposals"]}
    if outcome != "amended" and (fund or drop):
        raise InputError(f"a decision '{outcome}' funds {'the shortlist as recommended' if outcome == 'approved' else 'nothing'}",
                         field="--fund" if fund else "--drop",
                         fix="use --outcome amended to fund or drop proposals")
    if outcome == "amended" and not (fund or drop):
        raise InputError("an amended decision names what changed", field="--outcome",
                         fix="add --fund ID or --drop ID for each proposal the Chair decided otherwise")
    if outcome == "declined":
        if note is None:
            raise InputError("a declined recommendation needs its reason", field="--note",
                             fix="say why with --note TEXT")
        departures = [Departure(pid, "shortlisted", "not funded", note)
                      for pid, s in status.items() if s == "shortlisted"]
    else:
        departures = []
        seen: set[str] = set()
        for flag, texts, want in (("--fund", fund, False), ("--drop", drop, True)):
            for text in texts:
                pid, reason = _departure_flag(text, flag)
                if pid not in status:
                    raise InputError(f"no proposal '{pid}' in run {run.id}{did_you_mean(pid, status)}", field=flag,
                                     fix="use the id of a proposal of the run (crg show lists them)")
                if pid in seen:
                    raise InputError(f"'{pid}' is named twice", field=flag, fix="name each proposal once")
                if (status[pid] == "shortlisted") != want:
                    raise InputError(
                        f"'{pid}' is {status[pid]} in run {run.id}, so it cannot be "
                        f"{'dropped' if want else 'funded against the recommendation'}", field=flag,
                        fix="--fund names a proposal the recommendation leaves out; --drop one it shortlists")
                if reason is None and note is None:
                    raise InputError(f"no reason is given for '{pid}'", field=flag,
                                     fix=f"write {flag} '{pid}=the reason', or give --note TEXT")
                seen.add(pid)
                departures.append(Departure(pid, status[pid], "not funded" if want else "funded", reason or note))
    return register.append_decision(ChairDecision(run.id, runs.clock(), outcome, by, note, tuple(departures)))


# --- reading a run with its decisions -------------------------------------------------------------


@attrs.frozen
class Line:
    """One proposal: what the run recommended beside what the Chair decided."""

    id: str
    title: str
    amount: int  # pence: what the recommendation offers it, else its cost
    recommended: str  # its status in the run
    decided: str | None  # funded | not funded (None: no decision yet)
    reason: str | None  # why the decision departs from the recommendation (None: it does not)


@attrs.frozen
class Recorded:
    """A run, and the Chair's decisions on it, oldest first."""

    run: Run
    decisions: tuple[ChairDecision, ...] = ()

    @property
    def decision(self) -> ChairDecision | None:
        """The decision that stands: the latest."""
        return self.decisions[-1] if self.decisions else None

    def lines(self) -> tuple[Line, ...]:
        """Every proposal of the run, the recommendation beside the standing decision."""
        departs = {d.proposal: d for d in self.decision.departures} if self.decision else {}
        out = []
        for p in self.run.document()["proposals"]:
            amount = written(p["offered"] if p["offered"] is not None else p["cost"])
            recommended = "funded" if p["status"] == "shortlisted" else "not funded"
            d = departs.get(p["id"])
            decided = None if self.decision is None else (d.decided if d else recommended)
            out.append(Line(p["id"], p["title"], amount, p["status"], decided, d.reason if d else None))
        return tuple(out)

    @property
    def funded(self) -> int:
        """Pence funded by the standing decision."""
        return sum(line.amount for line in self.lines() if line.decided == "funded")

    @property
    def upfront(self) -> int:
        return written(self.run.document()["upfront"])


def _together(register: Register, run: Run, decisions: Sequence[ChairDecision]) -> Recorded:
    """*run* with the Chair's *decisions* on it.  ``decide`` records a departure only on a proposal of the run: one
    on another was changed outside crg."""
    ids = {p["id"] for p in run.document()["proposals"]} if any(d.departures for d in decisions) else set()
    for d in decisions:
        for x in d.departures:
            if x.proposal not in ids:
                raise changed(f"departures.proposal is '{x.proposal}', which is not a proposal of the run",
                              run=run.id, decision=d.id, file=register.path)
    return Recorded(run, tuple(decisions))


def recorded(register: Register, run_id: int) -> Recorded:
    """Run *run_id* with the Chair's decisions on it."""
    run = find_run(register, run_id)
    return _together(register, run, register.decisions(run.id))


def history(register: Register, round_id: str | None = None) -> list[Recorded]:
    """Every run (of *round_id*, if given), oldest first, each with the Chair's decisions on it."""
    decisions: dict[int, list[ChairDecision]] = {}
    for d in register.decisions():
        decisions.setdefault(d.run, []).append(d)
    return [_together(register, run, decisions.get(run.id, ())) for run in register.runs(round_id)]
