"""The recommendation document of a recorded run, for ``crg report --run``: as kept with the run, never recomputed.

A run recorded from register version 3 keeps its document (the one every
writer reads, :mod:`engine.outputs.document`), and :func:`recommendation`
returns it as it was.  A run recorded before kept its files and its outcome
but no document.  Its document is then made again from the kept files with
today's engine, and given only if every decision comes out as recorded
(status, rank, score, cost and offer of each proposal, and the totals):
a document that decides otherwise would not be the run's, so it is refused,
pointing to ``crg replay`` (what differs) and ``crg show`` (the run as
recorded).  The words may be today's; :class:`Recommendation` says whose.
"""

from __future__ import annotations

import json
from typing import Any

import attrs

from ..errors import InputError, InputErrors
from .chair import Recorded, recorded
from .changes import decided_differences, differences
from .model import digest
from .register import Register, RegisterError
from .runs import engine_version, recommendation_document, rerun

__all__ = ["Recommendation", "recommendation"]


@attrs.frozen
class Recommendation:
    """A recorded run's recommendation document, with the run and the Chair's decisions on it."""

    recorded: Recorded
    document: dict[str, Any] = attrs.field(repr=False)
    rebuilt_with: str | None = None  # today's crg version, when the run kept no document and it was made again
    reworded: tuple[str, ...] = ()  # then: the proposals whose words today are not those recorded

    @property
    def run(self):
        return self.recorded.run


def recommendation(register: Register, run_id: int) -> Recommendation:
    """The recommendation document of run *run_id*: kept with it, or made again from its kept files."""
    from ..outputs.document import KIND, SCHEMA, upgraded

    rec = recorded(register, run_id)
    run = register.recommendation(rec.run)
    if run.recommendation is None:
        return _rebuilt(register, Recorded(run, rec.decisions))
    if run.recommendation_data is None or digest(run.recommendation_data) != run.recommendation:
        raise RegisterError(f"run {run.id}: its recommendation document is missing or not as recorded",
                            file=register.path, fix="crg verify lists what else in the register is not as recorded")
    doc = json.loads(run.recommendation_data)
    if doc.get("kind") != KIND or doc.get("schema") not in range(1, SCHEMA + 1):
        raise RegisterError(f"run {run.id}: its recommendation document is of schema {doc.get('schema')}, and this "
                            f"crg reads schemas 1 to {SCHEMA}", file=register.path,
                            fix=f"use the crg that recorded it (crg {run.engine_version})")
    return Recommendation(Recorded(run, rec.decisions), upgraded(doc))


def _rebuilt(register: Register, rec: Recorded) -> Recommendation:
    """The document of a run that kept none, made again from its files, if today's engine decides as recorded."""
    run = rec.run
    now = engine_version()
    before = f"run {run.id} was recorded with crg {run.engine_version}, before the register kept its recommendation"
    show = f"crg show {run.id} --format markdown prints the run as recorded"
    try:
        _, outcome, files = rerun(run)
    except RegisterError as exc:
        raise exc.located(register.path) from None
    except (InputError, InputErrors) as exc:
        first = exc.errors[0] if isinstance(exc, InputErrors) else exc
        raise InputError(f"{before}, and today's crg {now} refuses its files ({attrs.evolve(first, fix=None)})",
                         file=register.path, fix=show) from None
    from ..outputs.report import outcome_json

    kept, found = run.document(), json.loads(outcome_json(outcome))
    if decided_differences(kept, found):
        raise InputError(f"{before}, and today's crg {now} decides it otherwise, so a document made now would not "
                         "be the run's", file=register.path,
                         fix=f"crg replay {run.id} shows what differs; {show}")
    reworded = tuple(dict.fromkeys(d.owner for d in differences(kept, found) if d.owner is not None))
    return Recommendation(rec, recommendation_document(outcome, files, run.engine), now, reworded)
