"""Tests of engine.record.model: what a run and a decision hold, and the hashes that seal them."""

from __future__ import annotations

import hashlib

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.inputs.yamlfile import Source
from engine.record.model import GENESIS, ChairDecision, Departure, Input, Run, decision_hash, digest, run_hash

RUN = Run(recorded_at="2026-04-27T10:00:00Z", engine_version="0.1.0", engine="durable", by="officer", note=None,
          round_id="r", round_name="Round", folder="props", overrides="{}", reading="{}", outcome="{}",
          table="t", markdown="m",
          inputs=(Input.from_source("rules", "r", Source("rules.yaml", b"round: x\n")),
                  Input.from_source("proposal", "a", Source("props/a.yaml", b"id: a\n"))))
DECISION = ChairDecision(run=1, decided_at="2026-04-28T09:00:00Z", outcome="amended", by="Chair", note="n",
                         departures=(Departure("a", "reserve", "funded", "why"),))

# the fields of each that its hash covers (all but the ones sealing gives it; the recommendation document's bytes
# are sealed through their digest, which verify checks them against)
# (what the register was found to hold otherwise than as recorded is how a run was read, not what it holds)
RUN_FIELDS = [f.name for f in attrs.fields(Run)
              if f.name not in ("id", "previous", "hash", "recommendation_data", "altered")]
DECISION_FIELDS = [f.name for f in attrs.fields(ChairDecision) if f.name not in ("id", "previous", "hash", "altered")]


def other(value):
    """A different value of the same kind."""
    if isinstance(value, str):
        return value + "x"
    if value is None:
        return "a note"
    if isinstance(value, int):
        return value + 1
    return value[:-1]  # a tuple: one fewer


class TestDigest:
    @given(st.binary())
    def test_is_sha256(self, data):
        """The digest is SHA-256 in hex."""
        assert digest(data) == hashlib.sha256(data).hexdigest()


class TestInput:
    def test_from_source(self):
        """An input keeps the name and bytes of its source and their digest."""
        i = RUN.inputs[1]
        assert (i.kind, i.name, i.key, i.sha256) == ("proposal", "props/a.yaml", "a", digest(b"id: a\n"))
        assert i.source() == Source("props/a.yaml", b"id: a\n")

    def test_bytes_lost(self):
        """An input whose bytes are lost has no digest to show."""
        assert attrs.evolve(RUN.inputs[0], data=None).found_sha256() == ""


class TestRunHash:
    def test_sealed(self):
        """Sealing gives the id, the previous hash, and the hash of both with the contents."""
        run = RUN.sealed(3, GENESIS)
        assert (run.id, run.previous, run.hash) == (3, GENESIS, run_hash(RUN, 3, GENESIS))

    @pytest.mark.parametrize("name", RUN_FIELDS)
    def test_every_field_counts(self, name):
        """Changing any one thing a run holds changes its hash."""
        changed = attrs.evolve(RUN, **{name: other(getattr(RUN, name))})
        assert run_hash(changed, 1, GENESIS) != run_hash(RUN, 1, GENESIS)

    def test_runs_before_the_recommendation_keep_their_hash(self):
        """A run without a recommendation document hashes as every run did before runs kept one (register
        version 3), so the registers written before still verify."""
        assert run_hash(RUN, 1, GENESIS) == "64d124fc482c8d359f1999495ac523a370b5eec862739295634cf5f4540c1654"
        assert run_hash(attrs.evolve(RUN, recommendation="0" * 64), 1, GENESIS) != run_hash(RUN, 1, GENESIS)

    def test_place_in_chain_counts(self):
        """The same run as another entry, or after another run, has another hash."""
        base = run_hash(RUN, 1, GENESIS)
        assert run_hash(RUN, 2, GENESIS) != base and run_hash(RUN, 1, "1" * 64) != base

    def test_bytes_not_digest_count(self):
        """The hash is of the bytes held, not of the digest written beside them."""
        edited = attrs.evolve(RUN, inputs=(attrs.evolve(RUN.inputs[0], data=b"round: y\n"), RUN.inputs[1]))
        assert run_hash(edited, 1, GENESIS) != run_hash(RUN, 1, GENESIS)
        relabelled = attrs.evolve(RUN, inputs=(attrs.evolve(RUN.inputs[0], sha256="0" * 64), RUN.inputs[1]))
        assert run_hash(relabelled, 1, GENESIS) == run_hash(RUN, 1, GENESIS)


class TestDecisionHash:
    @pytest.mark.parametrize("name", DECISION_FIELDS)
    def test_every_field_counts(self, name):
        """Changing any one thing a decision holds changes its hash."""
        changed = attrs.evolve(DECISION, **{name: other(getattr(DECISION, name))})
        assert decision_hash(changed, 1, GENESIS, "r" * 64) != decision_hash(DECISION, 1, GENESIS, "r" * 64)

    def test_run_counts(self):
        """A decision is sealed to the hash of the run it decides."""
        assert decision_hash(DECISION, 1, GENESIS, "a" * 64) != decision_hash(DECISION, 1, GENESIS, "b" * 64)
        sealed = DECISION.sealed(1, GENESIS, "a" * 64)
        assert sealed.hash == decision_hash(DECISION, 1, GENESIS, "a" * 64)

    @pytest.mark.parametrize("name", ["proposal", "recommended", "decided", "reason"])
    def test_each_departure_counts(self, name):
        """Each part of a departure is sealed."""
        d = DECISION.departures[0]
        changed = attrs.evolve(DECISION, departures=(attrs.evolve(d, **{name: getattr(d, name) + "x"}),))
        assert decision_hash(changed, 1, GENESIS, "r" * 64) != decision_hash(DECISION, 1, GENESIS, "r" * 64)
