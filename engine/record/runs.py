"""Recording a run, replaying it from what was kept, and checking that the register is as written.

A run is made from files read once (:class:`Inputs`): the bytes that are
screened are the bytes that are kept, so :func:`replay` re-runs exactly what
was recorded, read back through the same loaders under the names it was
recorded with, and never looks at the disk.  With the outcome the run keeps
its recommendation document (:func:`recommendation_document`), which
``crg report --run`` writes again, in any format, without recomputing it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
from importlib import metadata
from typing import Any, Sequence

import attrs

from ..errors import InputError, Problems
from ..inputs.load import read_together
from ..inputs.proposal import proposal_sources, proposals_from
from ..inputs.round import Round, round_from_file
from ..inputs.scenario import Overrides, run as run_round, scenario_from_file
from ..inputs.yamlfile import Source
from .changes import Difference, differences
from .model import GENESIS, Input, Run, decision_hash, digest, run_hash
from .register import Register, RegisterError, changed, expected_guards

__all__ = [
    "APPLIED", "Inputs", "Problem", "Replay", "Verification", "clock", "engine_version", "find_run", "reading",
    "recommendation_bytes", "recommendation_document", "record", "replay", "rerun", "run_number", "screened", "verify",
]


def clock() -> str:
    """Now, in UTC, to the second: ``2026-04-27T10:00:00Z``.  (Tests and the README put a fixed clock here.)"""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def engine_version() -> str:
    """The version of crg doing the work."""
    return metadata.version("crg")


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, indent=1)


@attrs.frozen
class Inputs:
    """The files one run is made from, each read once, named as the user gave them."""

    rules: Source
    folder: str  # the proposals folder, as given
    proposals: tuple[Source, ...]
    scenarios: tuple[Source, ...] = ()

    @classmethod
    def from_paths(cls, rules: str, folder: str, scenarios: Sequence[str] = ()) -> "Inputs":
        """Read the rules file, every proposal file of *folder* and each scenario file."""
        return cls(Source.from_path(rules), str(folder), proposal_sources(folder),
                   tuple(Source.from_path(path) for path in scenarios))

    @classmethod
    def of_run(cls, run: Run) -> "Inputs":
        """The files of a recorded run, from the bytes the register keeps."""
        for i in run.inputs:
            if i.data is None:
                raise RegisterError(f"run {run.id}: the bytes of {i.name} are missing from the register")
            if i.found_sha256() != i.sha256:
                raise changed(f"the bytes of {i.name} are not those recorded", run=run.id)
        return cls(run.rules.source(), run.folder, tuple(i.source() for i in run.inputs_of("proposal")),
                   tuple(i.source() for i in run.inputs_of("scenario")))


def _read(inputs: Inputs):
    """The round, proposals and scenarios of *inputs*, checked together as ``crg screen`` checks them (an unknown
    id named in its own file)."""
    round_ = round_from_file(inputs.rules.yaml())
    proposals = proposals_from(inputs.proposals)
    scenarios = [scenario_from_file(source.yaml()) for source in inputs.scenarios]
    problems = Problems()
    read_together(problems, round_, proposals, scenarios)
    problems.check()
    return round_, proposals, scenarios


def _screen(inputs: Inputs, overrides: Overrides, engine: str, read=None, stage=None):
    """Load *inputs* (unless *read* gives them, from :func:`_read`) and run the round with *overrides*, then each
    scenario's on top, in turn; *stage* as for :func:`screened`."""
    round_, proposals, scenarios = read or _read(inputs)
    combined = overrides
    for sc in scenarios:
        combined = combined.then(sc.overrides)
    outcome = run_round(round_, proposals, combined, engine=engine,
                        progress=stage("Shortlisting and explaining") if stage is not None else None)
    keys = {p.file: p.id for p in proposals}
    files = ((Input.from_source("rules", round_.id, inputs.rules),)
             + tuple(Input.from_source("proposal", keys[s.name], s) for s in inputs.proposals)
             + tuple(Input.from_source("scenario", sc.name, s) for sc, s in zip(scenarios, inputs.scenarios)))
    return round_, outcome, files


# how the provenance of a run's recommendation names a scenario file: its what-ifs are applied to the figures
# (crg record --scenario), where crg report --scenario compares a scenario with them
APPLIED = "scenario (what-ifs applied)"


def recommendation_document(outcome, files: Sequence[Input], engine: str, progress=None) -> dict[str, Any]:
    """The recommendation document (:mod:`engine.outputs.document`) of a run's *outcome*, its provenance naming
    the run's *files* as they were given, with their recorded SHA-256 (the disk is never read again); *progress*
    as for :func:`engine.outputs.document.from_outcomes`."""
    from ..outputs import document

    listed = ([("rules", i.name, i.sha256) for i in files if i.kind == "rules"]
              + [("proposal", i.name, i.sha256) for i in sorted((i for i in files if i.kind == "proposal"),
                                                                 key=lambda i: i.key)]
              + [(APPLIED, i.name, i.sha256) for i in files if i.kind == "scenario"])
    return document.from_outcomes(outcome, files=listed, engine=engine, progress=progress)


def recommendation_bytes(doc: dict[str, Any]) -> bytes:
    """A recommendation document as the register keeps it: compact UTF-8 JSON, its keys in the document's order."""
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def reading(round_: Round) -> dict[str, Any]:
    """The round's figures, rules and scoring as this engine reads them, in plain data."""
    from ..decision import conditions
    from ..fmt import money_json

    return {
        "round": {"id": round_.id, "name": round_.name, "financial_year": round_.financial_year},
        "money": {"grant": money_json(round_.grant), "upfront": money_json(round_.upfront),
                  "tactical": money_json(round_.tactical), "leftover": round_.leftover},
        "deadlines": {name: day.isoformat() for name, day in round_.deadlines},
        "selection": {"policy": round_.policy, "reduced_offers": round_.reduced_offers},
        "rules": [{"id": r.id, "severity": r.severity, "says": r.says, "source": r.source,
                   "checks": conditions.describe(r.check),
                   "applies when": conditions.describe(r.when) if r.when is not None else "always"}
                  for r in round_.rules],
        "scoring": _plain(attrs.asdict(round_.scoring)),
    }


def _plain(value: Any) -> Any:
    """*value* with fractions and tuples made JSON's own (a fraction as ``"1/3"``)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (str, int, bool)) or value is None:
        return value
    return str(value)


def screened(inputs: Inputs, overrides: Overrides = Overrides(), *, engine: str = "durable",
             by: str | None = None, note: str | None = None, warnings: list | None = None, stage=None):
    """Screen *inputs*: ``(the run to record, not yet in a register; the outcome)``.

    *by* defaults to the login name.  *warnings*, if given, is extended with the warnings of the files, as
    ``crg screen`` gives them.  *stage*, if given, is called with a label as each long part of the work begins
    (the counterfactuals, the sweep of every allocation for the recommendation) and returns its progress
    callback ``(done, total)``, as :meth:`engine.cli.options.Progress.stage` does.
    """
    from ..outputs import report

    by = _words(by, "--by") if by is not None else getpass.getuser()
    note = _words(note, "--note") if note is not None else None
    read = _read(inputs)
    if warnings is not None:
        from ..errors import InputWarning
        from ..inputs.load import together_warnings

        round_, proposals, scenarios = read
        warnings.extend(sorted(round_.warnings + together_warnings(round_, proposals, scenarios, overrides),
                               key=InputWarning.sort_key))
    round_, outcome, files = _screen(inputs, overrides, engine, read, stage)
    kept = recommendation_bytes(recommendation_document(
        outcome, files, engine, progress=stage("Sweeping budgets") if stage is not None else None))
    run = Run(
        recorded_at=clock(), engine_version=engine_version(), engine=engine, by=by, note=note,
        round_id=round_.id, round_name=round_.name, folder=inputs.folder,
        overrides=_json(overrides.as_mapping()), reading=_json(reading(round_)),
        outcome=report.outcome_json(outcome), table=report.outcome_text(outcome, "table"),
        markdown=report.outcome_text(outcome, "markdown"), inputs=files,
        recommendation=digest(kept), recommendation_data=kept,
    )
    return run, outcome


def record(register: Register, inputs: Inputs, overrides: Overrides = Overrides(), **kwargs):
    """Screen *inputs* and append the run to *register*: ``(run as sealed, outcome)`` (see :func:`screened`)."""
    run, outcome = screened(inputs, overrides, **kwargs)
    return register.append_run(run), outcome


def _words(text: str, flag: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise InputError("is empty", field=flag, fix=f"write some words after {flag}, or leave it out")
    return text


# --- finding and replaying a run ------------------------------------------------------------------


def run_number(text: str) -> int:
    """The run number the user typed."""
    if not text.strip().isdigit():
        raise InputError(f"'{text}' is not a run number (crg history lists them)", field="RUN",
                         fix="give a run's number, e.g. 1")
    return int(text)


def find_run(register: Register, run_id: int) -> Run:
    """Run *run_id* of *register*; a run it does not hold is an :class:`InputError`."""
    run = register.run(run_id)
    if run is None:
        ids = register.run_ids()
        held = ("it holds no runs yet" if not ids else f"it holds run {ids[0]}" if len(ids) == 1 else
                f"it holds runs {ids[0]} and {ids[1]}" if len(ids) == 2 else f"it holds runs {ids[0]} to {ids[-1]}")
        raise InputError(f"run {run_id} is not in the register ({held})", file=register.path,
                         fix="give the number of a run it holds (crg history lists them)")
    return run


def rerun(run: Run, stage=None):
    """*run* made again today from its stored files, overrides and rule engine, with this engine:
    ``(round, outcome, files)``; *stage* as for :func:`screened`."""
    overrides = Overrides.from_mapping(json.loads(run.overrides))
    return _screen(Inputs.of_run(run), overrides, run.engine, stage=stage)


@attrs.frozen
class Replay:
    """A recorded run re-run with today's engine, and what differs."""

    run: Run
    engine_version: str  # today's
    differences: tuple[Difference, ...] = ()  # in the outcome document
    rules_read: tuple[Difference, ...] = ()  # in the reading of the rules: a rule read differently today
    refused: str | None = None  # today's engine refuses the stored files, saying this

    @property
    def identical(self) -> bool:
        return not self.differences and self.refused is None

    @property
    def newer_engine(self) -> bool:
        return self.engine_version != self.run.engine_version


def replay(register: Register, run_id: int, stage=None) -> Replay:
    """Re-run run *run_id* from its stored files and compare every decision with the record (*stage* as for
    :func:`screened`)."""
    from ..outputs import report

    run = find_run(register, run_id)
    now = engine_version()
    try:
        round_, outcome, _ = rerun(run, stage)
    except RegisterError as exc:
        raise exc.located(register.path) from None
    except InputError as exc:
        return Replay(run, now, refused=str(exc).replace("\n", " "))
    found = json.loads(report.outcome_json(outcome))
    return Replay(run, now, tuple(differences(run.document(), found)),
                  tuple(differences(json.loads(run.reading), json.loads(_json(reading(round_))))))


# --- checking the register ------------------------------------------------------------------------


@attrs.frozen
class Problem:
    """Something in the register that is not as ``crg`` wrote it."""

    run: int | None  # the run it concerns (None: the file as a whole)
    text: str


@attrs.frozen
class Verification:
    """What :func:`verify` found."""

    runs: int
    head: str  # the hash of the last run (GENESIS when there is none)
    problems: tuple[Problem, ...]
    decisions: int = 0
    decisions_head: str = GENESIS  # the hash of the Chair's last decision

    @property
    def sound(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        """The problem of the first run that is not as recorded (else of the file as a whole)."""
        return self.problems[0] if self.problems else None


def verify(register: Register) -> Verification:
    """Check every run's hash against what the register holds now, and the chain from each to the next."""
    problems = [Problem(None, f"SQLite finds the file damaged: {text}") for text in register.damage()]
    missing = sorted(expected_guards() - register.guards())
    if missing:
        problems.append(Problem(None, "the triggers that refuse changes are missing: " + ", ".join(missing)))
    runs = register.runs(as_found=True)
    previous = GENESIS
    for run in runs:
        problems += [Problem(run.id, text)
                     for text in _run_problems(register.recommendation(run, as_found=True), previous)]
        previous = run.hash
    hashes = {run.id: run.hash for run in runs}
    decisions = register.decisions(as_found=True)
    last = GENESIS
    for d in decisions:
        problems += [Problem(d.run, f"the Chair's decision {d.id} {text}") for text in _decision_problems(d, last, hashes)]
        last = d.hash
    problems.sort(key=lambda p: (p.run is None, p.run or 0))
    return Verification(len(runs), previous, tuple(problems), len(decisions), last)


# after each value of a row that is not as crg writes it
_OUTSIDE = " (a row was changed outside crg)"

# what reading a recorded document can raise when the document is not as crg wrote it (a sum of money that is not
# one is a ValueError: engine.inputs.money.written)
_MISREAD = (KeyError, IndexError, TypeError, ValueError, AttributeError, ArithmeticError)


@contextlib.contextmanager
def as_recorded(path: str, runs: Sequence[int] | None = None):
    """Reading what *runs* (numbers; ``None``: every run) of the register at *path* recorded: their outcomes and
    recommendation documents.

    Once its triggers are dropped, a register may hold any JSON where crg wrote its documents.  A reader that
    fails is the refusal (:class:`RegisterError`, one line) of the first of *runs* that :func:`verify` finds not
    as recorded; where they all are, the failure is crg's own, and raised as it is.  A mistake of the user's (an
    :class:`InputError`: a run number, a proposal's id) is never taken for it, nor is a refusal the register made
    itself."""
    try:
        yield
    except InputError:  # a mistake of the user's (a run number, a proposal's id), or the register's own refusal
        raise
    except _MISREAD:
        from .register import open_register

        with open_register(path) as reg:
            found = verify(reg)
        first = next((p for p in found.problems if p.run is not None and (runs is None or p.run in runs)), None)
        if first is None:
            raise
        raise changed(first.text.removesuffix(_OUTSIDE), run=first.run, file=path) from None


def _run_problems(run: Run, previous: str) -> list[str]:
    if run.altered:  # values crg cannot read (each None here): neither its hash nor its place can be checked
        return [text + _OUTSIDE for text in run.altered]
    out = []
    if run.previous != previous:
        out.append("does not follow the run before it (a run was changed or taken out before it)")
    for i in run.inputs:
        if i.data is None:
            out.append(f"the bytes of {i.name} are missing")
        elif i.found_sha256() != i.sha256:
            out.append(f"the bytes of {i.name} are not those recorded")
    if run.recommendation is not None:
        if run.recommendation_data is None:
            out.append("the bytes of its recommendation document are missing")
        elif digest(run.recommendation_data) != run.recommendation:
            out.append("its recommendation document is not the one recorded")
    if run_hash(run, run.id, run.previous) != run.hash:
        out.append("its hash does not match what the register holds (a row was changed outside crg)")
    return out


def _decision_problems(d, previous: str, run_hashes: dict[int, str]) -> list[str]:
    if d.altered:  # as for a run
        return [f"is not as crg wrote it: {text}{_OUTSIDE}" for text in d.altered]
    if d.run not in run_hashes:
        return [f"is on run {d.run}, which is not in the register"]
    out = []
    if d.previous != previous:
        out.append("does not follow the decision before it (one was changed or taken out before it)")
    if decision_hash(d, d.id, d.previous, run_hashes[d.run]) != d.hash:
        out.append("does not match its hash (a row was changed outside crg, or the run it decides was)")
    return out
