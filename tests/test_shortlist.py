"""The decision: replays of real rounds, statuses, explanations, counterfactuals and sweeps that agree."""

from __future__ import annotations

import datetime as dt
import random

import attrs
import pytest
from hypothesis import given, settings, strategies as st

from engine.inputs.proposal import Delivery, Proposal, load_proposals
from engine.inputs.round import load_round
from engine.inputs.scenario import Overrides, run
from engine.decision.shortlist import STATUSES, decide
from engine.fmt import ordinal
from tests.conftest import ROUNDS
from tests.whatif import Round, check_explanations, check_outcome

EXAMPLE_RULES, EXAMPLE_DIR = ROUNDS["kcsp-2026-27"]
EXAMPLE_ROUND = load_round(EXAMPLE_RULES)
EXAMPLE = load_proposals(EXAMPLE_DIR)


def shortlist_of(outcome) -> tuple[str, ...]:
    """The shortlisted ids in the order the policy considered them (as the sweep lists them)."""
    return tuple(sorted(d.proposal.id for d in outcome.shortlist))


class TestReplays:
    def test_2021_22(self):
        """2021/22: all nine shortlisted, £25,047 allocated, £1,394 left and added to the tactical pot (£14,614)."""
        rules, folder = ROUNDS["kcsp-2021-22"]
        outcome = decide(load_round(rules), load_proposals(folder))
        assert len(outcome.shortlist) == 9 and len(outcome.decisions) == 9
        assert (outcome.allocated, outcome.remaining, outcome.tactical) == (2504700, 139400, 1461400)

    def test_2024_25(self):
        """2024/25: the seven shortlisted, £26,278 allocated of £26,440, £162 left."""
        rules, folder = ROUNDS["kcsp-2024-25"]
        outcome = decide(load_round(rules), load_proposals(folder))
        assert len(outcome.shortlist) == 7
        assert (outcome.upfront, outcome.allocated, outcome.remaining) == (2644000, 2627800, 16200)

    @pytest.mark.parametrize("policy", ["rank", "optimal", "consensus-first"])
    def test_replays_hold_under_every_policy(self, policy):
        """When everything fits, every policy shortlists every eligible upfront proposal."""
        rules, folder = ROUNDS["kcsp-2024-25"]
        outcome = decide(load_round(rules), load_proposals(folder), policy=policy)
        assert outcome.allocated == 2627800


class TestStatuses:
    def test_example_round(self):
        """The example round has every status, each with a non-empty explanation."""
        outcome = decide(EXAMPLE_ROUND, EXAMPLE)
        statuses = {d.status for d in outcome.decisions}
        assert statuses == set(STATUSES)
        assert all(d.explanation for d in outcome.decisions)
        tactical = [d for d in outcome.decisions if d.status == "tactical"]
        assert all(d.proposal.pot == "tactical" and d.rank is None for d in tactical)

    def test_ranks_are_one_to_n(self):
        """Ranks run 1..n over eligible upfront proposals, and follow the score."""
        outcome = decide(EXAMPLE_ROUND, EXAMPLE)
        ranked = sorted((d for d in outcome.decisions if d.rank is not None), key=lambda d: d.rank)
        assert [d.rank for d in ranked] == list(range(1, len(ranked) + 1))
        units = [d.score.units for d in ranked]
        assert units == sorted(units, reverse=True)

    def test_ineligible_have_no_score(self):
        """An ineligible proposal has no score and no rank, and its explanation names the failed rule."""
        outcome = decide(EXAMPLE_ROUND, EXAMPLE)
        for d in outcome.decisions:
            if d.status == "ineligible":
                assert d.score is None and d.rank is None
                assert all(c.rule in d.explanation for c in d.screening.rejections)

    def test_reserve_explanation_has_the_figures(self):
        """A reserve under rank says its cost and what was left when its turn came."""
        outcome = decide(EXAMPLE_ROUND, EXAMPLE)
        reserve = [d for d in outcome.decisions if d.status == "reserve"]
        assert reserve
        for d in reserve:
            assert f"ranked {ordinal(d.rank)}" in d.explanation
            assert "left when its turn came" in d.explanation

    def test_leftover_goes_where_the_round_says(self):
        """Leftover upfront money is added to the tactical pot, or returned, as the rules file says."""
        outcome = decide(EXAMPLE_ROUND, EXAMPLE)
        assert outcome.tactical == EXAMPLE_ROUND.tactical + outcome.remaining and outcome.returned == 0
        returned = decide(attrs.evolve(EXAMPLE_ROUND, leftover="returned"), EXAMPLE)
        assert returned.tactical == EXAMPLE_ROUND.tactical and returned.returned == returned.remaining


class TestConsensusWords:
    def test_how_many_agencies_make_it(self):
        """Under consensus-first, a consensus of the one agency whose score counts (the others left out for their
        interests) is told as one agency's, not as the panel's alone."""
        rules, folder = ROUNDS["kcsp-2024-25"]
        outcome = decide(load_round(rules), load_proposals(folder), policy="consensus-first")
        words = {d.proposal.id: d.explanation for d in outcome.decisions}
        assert "reached consensus on it (the one agency whose score counts gave it 3 or more)" in \
            words["community-safety-learning-speakers"]
        assert any("(all 3 agencies whose scores count gave it 3 or more)" in w for w in words.values())


class TestMoneyOfTheGrant:
    """An upfront allocation set by a what-if need not leave the tactical pot and the grant as the rules file has
    them: what is left of it goes on (to the tactical pot, or back) only as far as it is money of the grant."""

    @pytest.mark.parametrize("upfront, left, held, tactical", [
        (20_000_00, 750_00, 750_00, 13_850_00),  # the two pots come to less than the grant: all of it
        (26_500_00, 2_200_00, 2_200_00, 15_300_00),  # the round's own
        (29_150_00, 4_850_00, 2_200_00, 15_300_00),  # £2,650 over: only the grant's £2,200 goes on
        (39_000_00, 5_700_00, 0, 13_100_00),  # the shortlist alone takes more than the grant leaves
    ])
    def test_example_round(self, upfront, left, held, tactical):
        outcome = decide(EXAMPLE_ROUND, EXAMPLE, upfront=upfront)
        assert (outcome.remaining, outcome.held, outcome.tactical, outcome.returned) == (left, held, tactical, 0)
        returned = decide(attrs.evolve(EXAMPLE_ROUND, leftover="returned"), EXAMPLE, upfront=upfront)
        assert (returned.tactical, returned.returned) == (EXAMPLE_ROUND.tactical, held)

    def test_words_say_how_much_is_the_grants(self):
        outcome = decide(EXAMPLE_ROUND, EXAMPLE, upfront=29_150_00)
        assert outcome.leftover_words() == (
            "£4,850 of the upfront allocation is left, but only £2,200 of it is money of the grant (the upfront "
            "allocation of £29,150 and the tactical pot of £13,100 come to £2,650 more than the grant of £39,600): "
            "that £2,200 is added to the tactical pot, making it £15,300.")
        outcome = decide(EXAMPLE_ROUND, EXAMPLE, upfront=39_000_00)
        assert outcome.leftover_words().startswith(
            "£5,700 of the upfront allocation is left, but none of it is money of the grant (")
        assert outcome.leftover_words().endswith("): nothing is added to the tactical pot.")

    @settings(max_examples=60, deadline=None)
    @given(upfront=st.integers(0, 80_000_00), returned=st.booleans())
    def test_no_money_is_made(self, upfront, returned):
        """Whatever the allocation: the pots never hold more of the grant than the shortlist leaves, and where the
        two pots come to the grant or less, all that is left goes on."""
        round_ = attrs.evolve(EXAMPLE_ROUND, leftover="returned") if returned else EXAMPLE_ROUND
        outcome = decide(round_, EXAMPLE, upfront=upfront, counterfactuals=False)
        grant, pot = round_.grant, round_.tactical
        gone_on = outcome.returned + outcome.tactical - pot
        assert gone_on == outcome.held and 0 <= outcome.held <= outcome.remaining
        if upfront + pot <= grant:
            assert outcome.held == outcome.remaining
        else:
            assert outcome.held == max(0, grant - pot - outcome.allocated)
            assert pot + outcome.allocated + outcome.held <= max(grant, pot + outcome.allocated)


class TestReducedOffer:
    def test_minimum_cost_offered_when_only_way_to_fit(self):
        """With £6,900 left and a £9,000 proposal deliverable for £6,500, it is offered £6,500 and told so."""
        outcome = run(EXAMPLE_ROUND, EXAMPLE, Overrides(upfront=2800000, without=("nte-welfare-training",)))
        d = outcome.decision("asb-community-mediation")
        assert d.status == "shortlisted" and d.offered == 650000
        assert "reduced amount" in d.explanation and "£6,500" in d.explanation
        assert outcome.allocated == 2110000 + 650000

    def test_no_reduced_offer_when_switched_off(self):
        """Without reduced offers the same proposal stays in reserve."""
        r = attrs.evolve(EXAMPLE_ROUND, reduced_offers=False)
        outcome = run(r, EXAMPLE, Overrides(upfront=2800000, without=("nte-welfare-training",)))
        assert outcome.decision("asb-community-mediation").status == "reserve"


BUDGETS = st.integers(min_value=0, max_value=4_000_000)


class TestSweepWhateverTheAllocation:
    @settings(max_examples=30, deadline=None)
    @given(budget=st.integers(0, 70_000_00), policy=st.sampled_from(["rank", "optimal", "consensus-first"]))
    def test_the_same_budgets_from_any_allocation(self, budget, policy):
        """The shortlist at every allocation does not hang on the allocation in use: from £800 (where the rules
        of 2026/27 let only the £800 proposal in) the sweep still runs to £60,300, where everything fits, as it
        does from £26,500; only an allocation above that carries it further."""
        def swept(upfront):
            outcome = decide(EXAMPLE_ROUND, EXAMPLE, upfront=upfront, policy=policy, counterfactuals=False)
            return [(iv.start, iv.end, iv.chosen, iv.offer) for iv in outcome.intervals]

        here, there = swept(budget), swept(26_500_00)
        assert there[-1][1] == 60_300_00
        if budget > 60_300_00:  # the last range, where everything fits, runs on to the allocation in use
            there[-1] = (there[-1][0], budget, *there[-1][2:])
        assert here == there


class TestAgainstTheSweep:
    @settings(max_examples=60)
    @given(budget=BUDGETS, policy=st.sampled_from(["rank", "optimal", "consensus-first"]))
    def test_shortlist_within_allocation(self, budget, policy):
        """The shortlist never costs more than the allocation."""
        outcome = run(EXAMPLE_ROUND, EXAMPLE, Overrides(upfront=budget, policy=policy))
        assert outcome.allocated <= budget
        assert outcome.allocated == sum(d.offered for d in outcome.shortlist)

    @settings(max_examples=25)
    @given(budget=BUDGETS, policy=st.sampled_from(["rank", "optimal", "consensus-first"]))
    def test_sweep_interval_matches_screen(self, budget, policy):
        """At the start, end and middle of the sweep's interval holding any budget, the shortlist is the interval's."""
        outcome = run(EXAMPLE_ROUND, EXAMPLE, Overrides(upfront=budget, policy=policy))
        here = next(iv for iv in outcome.intervals if iv.start <= budget <= iv.end)
        assert tuple(sorted(here.chosen)) == shortlist_of(outcome)
        for b in (here.start, here.end, (here.start + here.end) // 2):
            other = run(EXAMPLE_ROUND, EXAMPLE, Overrides(upfront=b, policy=policy))
            assert shortlist_of(other) == tuple(sorted(here.chosen))
            assert other.allocated == here.allocated

    @pytest.mark.parametrize("policy", ["rank", "optimal", "consensus-first"])
    def test_intervals_cover_without_gaps(self, policy):
        """The intervals run with no gap and no overlap from £0 to the total cost of the proposals eligible there.

        The £27,000 bid is eligible once the allocation reaches £27,000, so the intervals go on past the
        £33,300 eligible at £26,500, to everything the rules let in.
        """
        outcome = decide(EXAMPLE_ROUND, EXAMPLE, policy=policy)
        ivs = outcome.intervals
        assert ivs[0].start == 0
        assert all(b.start == a.end + 1 for a, b in zip(ivs, ivs[1:]))
        top = ivs[-1].end
        there = run(EXAMPLE_ROUND, EXAMPLE, Overrides(upfront=top, policy=policy))
        assert top == sum(d.proposal.cost for d in there.decisions if d.rank is not None) == 6_030_000

    @pytest.mark.parametrize("name", sorted(ROUNDS))
    @pytest.mark.parametrize("policy", ["rank", "optimal", "consensus-first"])
    def test_every_figure_comes_true(self, name, policy):
        """On each shipped round, at allocations from £0 to past the whole grant, every counterfactual figure
        holds when its what-if is run and fails a penny beyond, and every explanation figure adds up
        (tests/whatif.py; tests/test_counterfactual.py does the same on generated rounds)."""
        round_, proposals = load_round(ROUNDS[name][0]), load_proposals(ROUNDS[name][1])
        checked = 0
        for budget in (0, 500000, 1185000, 1754830, 2000000, 2650000, 3010000, 4000000):
            outcome = run(round_, proposals, Overrides(upfront=budget, policy=policy))
            r = Round(round_, proposals, policy, budget)
            checked += check_outcome(r, outcome, random.Random(budget)) + check_explanations(r, outcome)
        assert checked > 0


def _generated(costs, scores):
    """A round of proposals whose costs and panel scores are given, all eligible under 2026/27."""
    out = []
    for i, (cost, panel) in enumerate(zip(costs, scores)):
        out.append(Proposal(
            id=f"p{i:02d}", title=f"P{i}", lead_agency="KCC", submitted=dt.date(2026, 4, 1), pot="upfront",
            cost=cost, pcc_priorities=("protecting-people",), csa_priorities=("vawg",),
            delivery=Delivery(dt.date(2026, 5, 1), dt.date(2027, 2, 1)), summary="s", evaluation="e",
            reach=100, panel=(("a", panel), ("b", 3)),
        ))
    return tuple(out)


class TestGeneratedRounds:
    @settings(max_examples=20)
    @given(st.lists(st.tuples(st.integers(1, 40) .map(lambda x: x * 25000), st.integers(0, 5)),
                    min_size=1, max_size=8),
           st.sampled_from(["rank", "optimal"]))
    def test_every_interval_end_and_midpoint(self, rows, policy):
        """For generated rounds, screening at each interval's ends and midpoint gives that interval's shortlist."""
        proposals = _generated([c for c, _ in rows], [s for _, s in rows])
        outcome = decide(EXAMPLE_ROUND, proposals, policy=policy)
        for iv in outcome.intervals:
            for b in {iv.start, iv.end, (iv.start + iv.end) // 2}:
                at = decide(EXAMPLE_ROUND, proposals, policy=policy, upfront=b)
                assert shortlist_of(at) == tuple(sorted(iv.chosen))

    @settings(max_examples=20)
    @given(st.permutations(list(range(8))))
    def test_file_order_does_not_matter(self, order):
        """The decisions are the same whatever order the proposals come in."""
        proposals = _generated([100000 * (i + 1) for i in range(8)], [i % 6 for i in range(8)])
        shuffled = tuple(proposals[i] for i in order)
        a = decide(EXAMPLE_ROUND, proposals, upfront=1500000)
        b = decide(EXAMPLE_ROUND, shuffled, upfront=1500000)
        assert [(d.proposal.id, d.status, d.rank, d.explanation) for d in a.decisions] == \
            [(d.proposal.id, d.status, d.rank, d.explanation) for d in b.decisions]
