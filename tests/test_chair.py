"""Tests of engine.record.chair: the Chair's decision on a run, and the two read side by side."""

from __future__ import annotations

import pytest

from engine.errors import InputError
from engine.record.chair import decide, history, recorded
from engine.record.register import open_register

from .registers import clock, record_round  # noqa: F401

# the example round, recorded as it stands: who the recommendation shortlists and leaves out
SHORTLISTED = ["doorstep-crime-door-chains", "hate-crime-reporting-centres", "cuckooing-awareness-housing",
               "e-scooter-safety-schools", "dhr-learning-webinars", "nte-welfare-training"]


@pytest.fixture
def register(tmp_path, clock):
    """A register holding the example round, recorded once; open."""
    path = tmp_path / "crg.db"
    record_round(path)
    with open_register(path) as reg:
        yield reg


class TestDecide:
    def test_approved(self, register):
        """Approved: no departure; every shortlisted proposal is funded, at what the recommendation offers."""
        d = decide(register, 1, "approved", by="KCSP Chair")
        assert (d.id, d.run, d.outcome, d.by, d.departures) == (1, 1, "approved", "KCSP Chair", ())
        rec = recorded(register, 1)
        assert [line.id for line in rec.lines() if line.decided == "funded"] == SHORTLISTED
        assert rec.funded == 24_300_00

    def test_amended(self, register):
        """Amended: each proposal funded or dropped is a departure with its own reason, or the note's."""
        d = decide(register, 1, "amended", by="Chair", note="the panel's view",
                   fund=["asb-community-mediation=match funding found"], drop=["nte-welfare-training"])
        assert [(x.proposal, x.recommended, x.decided, x.reason) for x in d.departures] == [
            ("asb-community-mediation", "reserve", "funded", "match funding found"),
            ("nte-welfare-training", "shortlisted", "not funded", "the panel's view")]
        rec = recorded(register, 1)
        funded = [line.id for line in rec.lines() if line.decided == "funded"]
        assert funded == SHORTLISTED[:-1] + ["asb-community-mediation"]
        assert rec.funded == 24_300_00 - 3_200_00 + 9_000_00

    def test_declined(self, register):
        """Declined: every shortlisted proposal is recorded as not funded, for the note's reason."""
        d = decide(register, 1, "declined", by="Chair", note="the grant is not confirmed")
        assert [x.proposal for x in d.departures] == SHORTLISTED
        assert {(x.decided, x.reason) for x in d.departures} == {("not funded", "the grant is not confirmed")}
        assert recorded(register, 1).funded == 0

    def test_latest_stands(self, register):
        """A later decision replaces the earlier one; both stay."""
        decide(register, 1, "declined", by="Chair", note="first thoughts")
        decide(register, 1, "approved", by="Chair")
        rec = recorded(register, 1)
        assert [d.outcome for d in rec.decisions] == ["declined", "approved"]
        assert rec.decision.outcome == "approved" and rec.funded == 24_300_00

    def test_undecided(self, register):
        """Before any decision, each line has the recommendation and nothing decided."""
        rec = recorded(register, 1)
        assert rec.decision is None
        assert {line.decided for line in rec.lines()} == {None}

    ERRORS = {
        "approved with a change": (dict(outcome="approved", fund=["asb-community-mediation"]),
                                   "--fund: a decision 'approved' funds the shortlist as recommended"),
        "declined with a change": (dict(outcome="declined", note="x", drop=["nte-welfare-training"]),
                                   "--drop: a decision 'declined' funds nothing"),
        "amended with no change": (dict(outcome="amended"), "--outcome: an amended decision names what changed"),
        "declined with no reason": (dict(outcome="declined"), "--note: a declined recommendation needs its reason"),
        "unknown outcome": (dict(outcome="aproved"), "--outcome: 'aproved' is not an outcome (did you mean 'approved'?)"),
        "unknown proposal": (dict(outcome="amended", note="x", fund=["asb-comunity-mediation"]),
                             "--fund: no proposal 'asb-comunity-mediation' in run 1 (did you mean 'asb-community-mediation'?)"),
        "fund a shortlisted one": (dict(outcome="amended", note="x", fund=["nte-welfare-training"]),
                                   "--fund: 'nte-welfare-training' is shortlisted in run 1, so it cannot be funded "
                                   "against the recommendation"),
        "drop a reserve": (dict(outcome="amended", note="x", drop=["asb-community-mediation"]),
                           "--drop: 'asb-community-mediation' is reserve in run 1, so it cannot be dropped"),
        "named twice": (dict(outcome="amended", note="x", drop=["nte-welfare-training", "nte-welfare-training=y"]),
                        "--drop: 'nte-welfare-training' is named twice"),
        "no reason": (dict(outcome="amended", drop=["nte-welfare-training"]),
                      "--drop: no reason is given for 'nte-welfare-training'"),
        "no id": (dict(outcome="amended", note="x", fund=["=because"]), "--fund: '=because' names no proposal"),
        "no one decided": (dict(outcome="approved", by="  "), "--by: is empty"),
    }

    @pytest.mark.parametrize("case", sorted(ERRORS))
    def test_refused(self, case, register):
        """A decision that does not add up is refused with one clear message, and nothing is appended."""
        kwargs, message = self.ERRORS[case]
        kwargs = {"by": "Chair", **kwargs}
        with pytest.raises(InputError) as exc:
            decide(register, 1, kwargs.pop("outcome"), **kwargs)
        assert str(exc.value).splitlines()[0] == message
        assert register.decisions() == []

    def test_missing_run(self, register):
        """A decision on a run the register does not hold is refused."""
        with pytest.raises(InputError, match="run 2 is not in the register"):
            decide(register, 2, "approved", by="Chair")


class TestHistory:
    def test_runs_with_their_decisions(self, register):
        """Each run comes with the decisions on it, oldest first; a round filter keeps that round's runs."""
        record_round(register.path, "kcsp-2024-25")
        decide(register, 2, "approved", by="Chair")
        found = history(register)
        assert [(r.run.id, r.decision.outcome if r.decision else None) for r in found] == [(1, None), (2, "approved")]
        assert [r.run.id for r in history(register, "kcsp-2024-25")] == [2]
        assert history(register, "kcsp-1999-00") == []
