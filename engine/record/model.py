"""What the register keeps: recorded runs, the files they were made from, and the Chair's decisions.

Each entry is a frozen value.  Once appended it carries its ``hash``: the
SHA-256 of a canonical serialisation of everything it holds (for an input
file, the digest of the bytes themselves) and of the ``previous`` entry's
hash, so that a change to any stored row, or a row taken out, shows as an
entry whose hash no longer matches (:func:`run_hash`, :func:`decision_hash`).
The serialisation is part of the register's format: it never changes, or
registers written before would no longer verify.  A field added later (the
recommendation document, from register version 3) is sealed only in the
entries that have it, so the entries written before keep their hashes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import attrs

from ..inputs.yamlfile import Source

__all__ = [
    "CHAIR_OUTCOMES", "DECIDED", "GENESIS", "INPUT_KINDS", "ChairDecision", "Departure", "Input", "Run",
    "decision_hash", "digest", "run_hash",
]

GENESIS = "0" * 64  # the "previous" of the first entry of a chain

INPUT_KINDS = ("rules", "proposal", "scenario")

# what the Chair can decide on a recommendation
CHAIR_OUTCOMES = ("approved", "amended", "declined")

# what the Chair's decision says of a proposal that departs from the recommendation
DECIDED = ("funded", "not funded")


def digest(data: bytes) -> str:
    """The SHA-256 of *data*, in hex."""
    return hashlib.sha256(data).hexdigest()


def _sealed(fields: dict[str, Any]) -> str:
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return digest(text.encode("utf-8"))


@attrs.frozen
class Input:
    """One file a run was made from: its kind, the name it was given by, and its bytes."""

    kind: str  # one of INPUT_KINDS
    name: str  # as given on the command line (a proposal: the folder as given, then the file's name)
    key: str  # the round's id, the proposal's id or the scenario's name
    sha256: str  # as recorded
    data: bytes | None = attrs.field(default=None, repr=False)  # None when the register has lost the bytes

    @classmethod
    def from_source(cls, kind: str, key: str, source: Source) -> "Input":
        return cls(kind, source.name, key, source.sha256, source.data)

    def source(self) -> Source:
        """The file as it was read when the run was recorded."""
        return Source(self.name, self.data)

    def found_sha256(self) -> str:
        """The digest of the bytes the register holds now (empty when they are lost)."""
        return digest(self.data) if self.data is not None else ""


@attrs.frozen
class Run:
    """A recorded run: when, by whom, with which engine, from which files, and its outcome as shown."""

    recorded_at: str  # UTC, ISO 8601: 2026-04-27T10:00:00Z
    engine_version: str  # crg's version
    engine: str  # the rule engine: durable | python
    by: str
    note: str | None
    round_id: str
    round_name: str
    folder: str  # the proposals folder, as given
    overrides: str  # JSON: the what-if flags (Overrides.as_mapping), scenario files apart
    reading: str  # JSON: the round's rules and figures as the engine read them
    outcome: str  # JSON: the document of crg screen --format json
    table: str  # the table crg screen printed
    markdown: str  # the Markdown section of crg screen --format markdown
    inputs: tuple[Input, ...]
    id: int | None = None
    previous: str | None = None
    hash: str | None = None
    # the SHA-256 of the recommendation document (engine.outputs.document) kept with the run, as recorded;
    # None for a run recorded before register version 3, which kept no document
    recommendation: str | None = None
    # the document's bytes (UTF-8 JSON), held when the run is being recorded or once read
    # (Register.recommendation); None otherwise, and when the register has lost them
    recommendation_data: bytes | None = attrs.field(default=None, repr=False, eq=False)
    # what in the register's rows of the run is not as crg writes it (each such value read as None), when read
    # as found (Register.runs); empty for a run as recorded
    altered: tuple[str, ...] = attrs.field(default=(), repr=False, eq=False)

    def document(self) -> dict[str, Any]:
        """The outcome, as recorded."""
        return json.loads(self.outcome)

    def inputs_of(self, kind: str) -> tuple[Input, ...]:
        return tuple(i for i in self.inputs if i.kind == kind)

    @property
    def rules(self) -> Input:
        return self.inputs_of("rules")[0]

    def sealed(self, run_id: int, previous: str) -> "Run":
        """This run as entry *run_id* of the register, after the entry whose hash is *previous*."""
        return attrs.evolve(self, id=run_id, previous=previous, hash=run_hash(self, run_id, previous))


def run_hash(run: Run, run_id: int, previous: str) -> str:
    """The hash of *run* as entry *run_id* after *previous*, from the bytes the register holds now."""
    return _sealed({
        "entry": "run",
        "id": run_id,
        "previous": previous,
        "recorded_at": run.recorded_at,
        "engine_version": run.engine_version,
        "engine": run.engine,
        "by": run.by,
        "note": run.note,
        "round_id": run.round_id,
        "round_name": run.round_name,
        "folder": run.folder,
        "overrides": run.overrides,
        "reading": run.reading,
        "outcome": run.outcome,
        "table": run.table,
        "markdown": run.markdown,
        "inputs": [[i.kind, i.name, i.key, i.found_sha256()] for i in run.inputs],
        **({"recommendation": run.recommendation} if run.recommendation is not None else {}),
    })


@attrs.frozen
class Departure:
    """A proposal the Chair funded against the recommendation, or left unfunded though recommended."""

    proposal: str
    recommended: str  # its status in the run: shortlisted, reserve, tactical or ineligible
    decided: str  # one of DECIDED
    reason: str


@attrs.frozen
class ChairDecision:
    """The Chair's decision on a recorded run, with each departure from its recommendation."""

    run: int
    decided_at: str  # UTC, ISO 8601
    outcome: str  # one of CHAIR_OUTCOMES
    by: str
    note: str | None
    departures: tuple[Departure, ...] = ()
    id: int | None = None
    previous: str | None = None
    hash: str | None = None
    # what in the register's rows of the decision is not as crg writes it, when read as found (see Run.altered)
    altered: tuple[str, ...] = attrs.field(default=(), repr=False, eq=False)

    def sealed(self, decision_id: int, previous: str, run_hash_now: str) -> "ChairDecision":
        """This decision as entry *decision_id*, after *previous*, on the run whose hash is *run_hash_now*."""
        return attrs.evolve(self, id=decision_id, previous=previous,
                            hash=decision_hash(self, decision_id, previous, run_hash_now))


def decision_hash(d: ChairDecision, decision_id: int, previous: str, run_hash_now: str) -> str:
    """The hash of the Chair's decision *d* as entry *decision_id*, on the run whose hash is *run_hash_now*."""
    return _sealed({
        "entry": "decision",
        "id": decision_id,
        "previous": previous,
        "run": d.run,
        "run_hash": run_hash_now,
        "decided_at": d.decided_at,
        "outcome": d.outcome,
        "by": d.by,
        "note": d.note,
        "departures": [[x.proposal, x.recommended, x.decided, x.reason] for x in d.departures],
    })
