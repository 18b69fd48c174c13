"""The fast counterfactuals against the plain reference: identical JSON on generated rounds of 5 to 60 proposals.

The reference (``tests/reference.py``) runs the round again at every point of a
grid on which the generated rounds keep their money, and reads every figure off
those runs; here its figures are written out by the same code as the fast
path's and the two JSON documents must be the same, character for character.
The reference itself is checked first: its quick runs against the public path
run for run, the grid argument at random pence, and its figures by running the
what-if each sentence names (``tests/whatif.py``).
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_left
from functools import lru_cache

import attrs
import pytest
from hypothesis import given, settings, strategies as st

from engine.decision import conditions
from engine.decision.counterfactual import Reserve
from engine.inputs.proposal import Delivery, Proposal, load_proposals
from engine.inputs.round import load_round, round_from_file
from engine.inputs.yamlfile import parse
from engine.inputs.scenario import Overrides, run
from engine.outputs.report import outcome_json
from tests.conftest import PROFILE, ROUNDS
from tests.reference import G, PublicPath, Quick, cost_points, reference, reference_outcome
from tests.strategies import GridRound, grid_rounds, seeded_grid_round
from tests.whatif import Round, check_outcome

CI = PROFILE == "ci"
POLICIES = ("rank", "optimal", "consensus-first")


# a rule no shipped round has: a least cost, on the grid, for an upfront bid (it moves eligibility with a cost)
FLOOR_RULE = """
  - id: worth-a-business-case
    says: An upfront bid must ask for at least £1,200.
    source: made up for the tests
    severity: reject
    when:
      pot: {is: upfront}
    check:
      cost: {at least: 1200}
"""


@lru_cache(maxsize=None)
def rules(name: str = "kcsp-2026-27", reduced_offers: bool = True, capped: bool = True, floored: bool = False):
    """A shipped round's rules, with reduced offers on or off, with or without the cap on an upfront bid, and
    with or without :data:`FLOOR_RULE`."""
    text = ROUNDS[name][0].read_text(encoding="utf-8")
    if floored:
        assert "\nrules:\n" in text, ROUNDS[name][0]
        text = text.replace("\nrules:\n", "\nrules:\n" + FLOOR_RULE.lstrip("\n"), 1)
    round_ = attrs.evolve(round_from_file(parse(text.encode("utf-8"), ROUNDS[name][0].name)),
                          reduced_offers=reduced_offers)
    if not capped:
        round_ = attrs.evolve(round_, rules=tuple(r for r in round_.rules if r.id != "fits-upfront-allocation"))
    return round_


def on_the_grid(round_) -> bool:
    """Whether the round's rules compare a cost only with the allocation, the tactical pot or a fixed sum that
    is a multiple of ``G`` (the reference's grid argument needs no other figure of money in them)."""
    for rule in round_.rules:
        for tree in (rule.check, rule.when):
            for leaf in conditions.leaves(tree) if tree is not None else ():
                if isinstance(leaf, conditions.Compare) and leaf.field in ("cost", "minimum_cost") \
                        and leaf.ref not in ("money.upfront", "money.tactical") \
                        and not (leaf.ref is None and isinstance(leaf.value, int) and leaf.value % G == 0):
                    return False
    return True


def worlds(gr: GridRound, name: str = "kcsp-2026-27"):
    round_ = rules(name, gr.reduced_offers, gr.capped, gr.floored)
    assert on_the_grid(round_)
    return PublicPath(round_, gr.proposals, gr.policy), Quick(round_, gr.proposals, gr.policy)


def compare(gr: GridRound, name: str = "kcsp-2026-27") -> None:
    """The fast path's JSON at the round's allocation is the reference's, character for character."""
    public, quick = worlds(gr, name)
    fast = run(public.round, gr.proposals, Overrides(upfront=gr.budget, policy=gr.policy), engine="python")
    found, upto = reference(quick, public, gr.budget)
    ref = reference_outcome(public, gr.budget, found)
    theirs = {d.proposal.id: d.counterfactual for d in fast.decisions}
    differ = [f"{d.proposal.id}:\n  reference {found[d.proposal.id]}\n    {d.counterfactual}\n"
              f"  fast      {theirs[d.proposal.id]}"
              for d in ref.decisions if d.counterfactual != theirs[d.proposal.id]]
    assert upto == fast.situation.upto, ("the total eligible cost", upto, fast.situation.upto)
    assert outcome_json(fast) == outcome_json(ref), "\n".join(differ) or "the JSON differs outside the figures"


def test_the_floor_rejects_an_upfront_bid_under_it():
    """:data:`FLOOR_RULE` is read into the round and turns away an upfront bid of £800 and not one of £1,200,
    nor a tactical bid of £800 (so the rounds drawn ``floored`` have eligibility moving with a reserve's cost)."""
    round_ = rules(floored=True)
    assert on_the_grid(round_)
    base = seeded_grid_round(0).proposals[0]
    bids = (attrs.evolve(base, id="low", pot="upfront", cost=8 * G, minimum_cost=None),
            attrs.evolve(base, id="high", pot="upfront", cost=12 * G, minimum_cost=None),
            attrs.evolve(base, id="tactical", pot="tactical", cost=8 * G, minimum_cost=None))
    outcome = run(round_, bids, Overrides(upfront=20 * G), engine="python", counterfactuals=False)
    floor = {d.proposal.id: "worth-a-business-case" in {c.rule for c in d.screening.rejections}
             for d in outcome.decisions}
    assert floor == {"low": True, "high": False, "tactical": False}
    assert not any(r.id == "worth-a-business-case" for r in rules().rules)


# --- the reference checked -------------------------------------------------------------------------------


class TestTheReference:
    @settings(max_examples=12 if CI else 3)
    @given(grid_rounds(4, 7, sizes=4))
    def test_quick_runs_are_the_public_path(self, gr):
        """Every run the reference's scans make gives what the public path gives."""
        public, quick = worlds(gr)
        reference(quick, public, gr.budget)
        for (budget, costs), state in quick.runs.items():
            assert public.state(budget, costs) == state, (budget, costs)

    @settings(max_examples=25 if CI else 6)
    @given(grid_rounds(4, 12, any_reach=True), st.randoms(use_true_random=False))
    def test_a_penny_anywhere_is_its_grid_point(self, gr, rng):
        """The grid argument: any allocation gives what the grid point at or below it gives, and any cost of a
        reserve what the greatest cost of its stretch gives (run on the public path, at random pence and at a
        penny either side of a grid point or of a crossing of value for money)."""
        public, quick = worlds(gr)
        found, upto = reference(quick, public, gr.budget)
        for b in {rng.randint(0, upto) for _ in range(4)} | {rng.randint(0, upto // G) * G + d for d in (-1, 1)}:
            if 0 <= b <= upto:
                assert public.state(b) == quick.state(b // G * G), ("allocation", b)
        for pid, figures in found.items():
            points = cost_points(gr.proposals, pid, gr.budget)
            if isinstance(figures, Reserve) and points:
                edge = rng.choice(points)
                for c in {rng.randint(1, gr.budget), edge - 1, edge, edge + 1} & set(range(1, gr.budget + 1)):
                    there = public.state(gr.budget, ((pid, c),))
                    top = quick.state(gr.budget, ((pid, points[bisect_left(points, c)]),))
                    assert (there.full, there.offer) == (top.full, top.offer), ("cost", pid, c)

    @settings(max_examples=20 if CI else 4)
    @given(grid_rounds(4, 10), st.randoms(use_true_random=False))
    def test_its_figures_come_true(self, gr, rng):
        """Each reference figure holds when its what-if is run, and a penny beyond it does not."""
        public, quick = worlds(gr)
        found, _ = reference(quick, public, gr.budget)
        outcome = reference_outcome(public, gr.budget, found)
        assert check_outcome(Round(public.round, gr.proposals, gr.policy, gr.budget), outcome, rng) >= 0


# --- the fast path against it ------------------------------------------------------------------------------


class TestFastPath:
    @settings(max_examples=80 if CI else 12)
    @given(grid_rounds(5, 12))
    def test_small_rounds(self, gr):
        compare(gr)

    @settings(max_examples=40 if CI else 6)
    @given(grid_rounds(5, 12, any_reach=True))
    def test_small_rounds_any_reach(self, gr):
        """Reach of any number: value for money crosses between grid points, at pence of its own."""
        compare(gr)

    @settings(max_examples=12 if CI else 2)
    @given(st.integers(0, 2**32 - 1))
    def test_middling_rounds(self, seed):
        compare(seeded_grid_round(seed, 13, 30, sizes=4))

    @settings(max_examples=3 if CI else 1)
    @given(st.integers(0, 2**32 - 1))
    def test_large_rounds(self, seed):
        compare(seeded_grid_round(seed, 40, 60, sizes=3))

    @pytest.mark.parametrize("name", sorted(ROUNDS))
    @pytest.mark.parametrize("policy", POLICIES)
    def test_shipped_rounds_scaled_to_the_grid(self, name, policy):
        """Each shipped round's proposals with their money moved onto the grid (its shape kept: the order of
        the costs, who can be delivered for less, who reaches more people), at its allocation and at half of it,
        with reduced offers."""
        proposals, budget = scaled(load_round(ROUNDS[name][0]), load_proposals(ROUNDS[name][1]))
        for allocation in (budget, budget // G // 2 * G):
            compare(GridRound(proposals, allocation, policy, True), name)


# --- rounds on which the fast path has been seen to differ --------------------------------------------------


def bid(pid: str, cost: int, reach: int | None, pcc: tuple, csa: tuple, cross: tuple = (), panel: tuple = (),
        lead: str = "Kent Police", start: dt.date = dt.date(2026, 5, 1), end: dt.date = dt.date(2027, 3, 31)):
    """An upfront bid of the 2026/27 round, sent on time, with an evaluation plan."""
    return Proposal(id=pid, title=f"Proposal {pid}", lead_agency=lead, submitted=dt.date(2026, 4, 1),
                    pot="upfront", cost=cost, pcc_priorities=pcc, csa_priorities=csa, cross_cutting=cross,
                    delivery=Delivery(start, end), summary="s", evaluation="a plan", reach=reach, panel=panel)


# p00 costs £400 and reaches 200 people, p02 £400 and 100: at £800 p00 reaches as many per pound as p02, and
# dearer it reaches fewer, so p02's score rises, p02 goes first, p06 (£1,200) no longer fits and p00 is
# shortlisted, up to £900, all the £2,500 there is after p02, p07 and p05 (£1,600)
DEARER_AND_SHORTLISTED = GridRound((
    bid("p00", 4 * G, 200, ("protecting-people",), ("road-safety",), start=dt.date(2026, 3, 16),
        end=dt.date(2027, 3, 1)),
    bid("p02", 4 * G, 100, ("productive-partnerships",), ("neighbourhood-crime-asb",),
        ("community-resilience", "reoffending-victims"), end=dt.date(2027, 2, 14)),
    bid("p05", 4 * G, None, ("productive-partnerships", "protecting-property"), ("domestic-abuse",),
        ("early-intervention", "community-resilience")),
    bid("p06", 12 * G, None, ("protecting-people",), ("neighbourhood-crime-asb",), ("early-intervention",),
        (("kent-police", 3),), "Kent Search and Rescue", dt.date(2026, 3, 16), dt.date(2027, 2, 14)),
    bid("p07", 8 * G, None, ("protecting-property", "protecting-places"), ("vawg", "substance-misuse"),
        end=dt.date(2027, 3, 21)),
), 25 * G, "rank", reduced_offers=False, capped=False)


class TestOnceSeenToDiffer:
    def test_the_reference_is_right(self):
        """The what-ifs behind the reference's figures on :data:`DEARER_AND_SHORTLISTED` come true: p00, a
        reserve, would be shortlisted in full if it cost anything from £800.00 to £900.00, and not at £900.01."""
        gr = DEARER_AND_SHORTLISTED
        public, quick = worlds(gr)
        found, _ = reference(quick, public, gr.budget)
        assert isinstance(found["p00"], Reserve) and found["p00"].cost == 9 * G
        r = Round(public.round, gr.proposals, gr.policy, gr.budget)
        assert [r.full("p00", c, costs=(("p00", c),)) for c in (8 * G - 1, 8 * G, 8 * G + 1, 9 * G, 9 * G + 1)] \
            == [False, True, True, True, False]
        assert check_outcome(r, reference_outcome(public, gr.budget, found), random.Random(0)) > 0

    def test_the_fast_path_agrees(self):
        """The fast path's figures are the reference's: the bound on the money the walk can leave a reserve
        never counts the reserve itself among those before it, even at a dearer cost than its own."""
        compare(DEARER_AND_SHORTLISTED)


def scaled(round_, proposals, sizes: int = 8):
    """*proposals* with costs in ``4 G`` steps (1 to *sizes* of them, in proportion to the dearest), minimum
    costs in ``G`` steps, reach one of 100, 200, 400 by thirds (0 and none kept), and the round's allocation in
    proportion, each rounded to the nearest step."""
    top = max(p.cost for p in proposals)

    def steps(pence: int, per_top: int) -> int:  # pence / top * per_top, rounded half up, in whole numbers
        return (2 * pence * per_top + top) // (2 * top)

    cost = {p.id: 4 * G * max(1, steps(p.cost, sizes)) for p in proposals}
    reached = sorted(p.reach for p in proposals if p.reach)
    third = {r: (100, 200, 400)[min(2, 3 * reached.index(r) // len(reached))] for r in reached}
    out = []
    for p in proposals:
        minimum = None if p.minimum_cost is None else min(cost[p.id], G * steps(p.minimum_cost, 4 * sizes))
        out.append(attrs.evolve(p, cost=cost[p.id], minimum_cost=minimum, reach=third.get(p.reach, p.reach)))
    return tuple(out), G * steps(round_.upfront, 4 * sizes)
