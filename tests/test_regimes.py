"""Each regime's order read from arrays (:mod:`engine.decision.regimes`), and a reserve's least cost for a score
(:meth:`_Rescore.cheapest_at_most`), each held to the plain computation it stands for, on generated rounds."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings, strategies as st

from engine.decision import regimes
from engine.decision.counterfactual import (INF, _CostSearch, _Eligibility, _greatest_cost_optimal, _head, _Limits,
                                            _Near, _Order, _Rescore, _tie_with, _Within)
from engine.decision.shortlist import situation_at
from tests.conftest import PROFILE
from tests.strategies import priced_rounds, seeded_grid_round
from tests.test_counterfactual import RULES, _checked
from tests.test_fastpath import compare, rules

CI = PROFILE == "ci"


def situation(seed: int, low: int, high: int, any_reach: bool = True,
              policies=("rank", "optimal", "consensus-first")):
    gr = seeded_grid_round(seed, low, high, sizes=6, any_reach=any_reach, policies=policies)
    round_ = rules("kcsp-2026-27", gr.reduced_offers, gr.capped, gr.floored).with_upfront(gr.budget)
    return situation_at(round_, gr.proposals, gr.policy, engine="python")


@settings(max_examples=40 if CI else 8, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_each_regimes_head_is_its_order(seed):
    """At every regime up to the total eligible cost, asked going up and then in any order, and for sets of wanted
    proposals of every size, the head read from the arrays is the regime's own order down to the last of them (or
    ``None`` exactly where a bid let in could be offered less)."""
    sit = situation(seed, 5, 40)
    rng = random.Random(seed)
    ids = [p.id for p in sit.proposals]
    for size in (0, 1, 3, len(ids)):
        wanted = frozenset(rng.sample(ids, min(size, len(ids))))
        import numpy

        orders = regimes.Orders(sit, wanted, numpy)
        assert orders.fits
        lows = [low for low, _ in sit.regimes]
        # going up, as the figures ask, then in any order (an allocation below the last one asked starts again)
        for low in lows + rng.sample(lows, len(lows)):
            there = sit.regime(low, keep=False)
            head = orders.head(low)
            if there.candidates:
                assert head is None, low
            else:
                assert head == _head(there.order, wanted), (low, size)


def test_a_small_round_keeps_to_the_situation():
    """Up to SMALL proposals, or where whole numbers could outgrow the arrays, there are no arrays."""
    sit = situation(7, 5, 12)
    assert regimes.Orders.of(sit, frozenset()) is None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(regimes, "SMALL", -1)
        assert regimes.Orders.of(sit, frozenset()) is not None
        patch.setattr(regimes, "LIMIT", 1000)
        assert regimes.Orders.of(sit, frozenset()) is None


class TestOnArrays:
    """The fast path's JSON against the plain reference, with every round's regimes read from the arrays."""

    @settings(max_examples=30 if CI else 5, deadline=None)
    @given(st.integers(0, 2**32 - 1))
    def test_small_rounds(self, seed):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(regimes, "SMALL", -1)
            compare(seeded_grid_round(seed, 5, 12, any_reach=True))

    @settings(max_examples=6 if CI else 1, deadline=None)
    @given(st.integers(0, 2**32 - 1))
    def test_middling_rounds(self, seed):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(regimes, "SMALL", -1)
            compare(seeded_grid_round(seed, 13, 30, sizes=4))


@settings(max_examples=40 if CI else 8, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_the_cheapest_cost_for_a_score(seed):
    """For every eligible bid and every score it can have (and one either side), the cost found is one at which
    it has at most that score while a penny less gives it more; ``INF`` only if it has more even at £9 billion."""
    sit = situation(seed, 3, 30)
    rescore = _Rescore(sit)
    for k in sit.order:
        low, high = rescore.own_range(k)
        for units in range(low - 1, high + 2):
            c = rescore.cheapest_at_most(k, units)
            if c == INF:
                assert rescore.own(k, 9 * 10**11) > units
                continue
            assert rescore.own(k, c) <= units, (k.id, units, c)
            if c > 1:
                assert rescore.own(k, c - 1) > units, (k.id, units, c)


def _costs_to_try(search, k, rng, among) -> list[int]:
    """Costs of *k* worth trying: each penny around where its people per pound pass another's, and some at random."""
    costs = {1, k.cost, max(1, search.sit.budget)}
    for q in among:
        for c in search.rescore.changes(k, q) if q.id != k.id else ():
            costs |= {c - 1, c, c + 1}
    costs |= {rng.randint(1, max(1, 2 * search.sit.budget)) for _ in range(10)}
    return sorted(c for c in costs if c >= 1)


def _fresh(search, k, cost, among) -> list[str]:
    """The others of *among* sorted on their keys worked out afresh when *k* costs *cost*."""
    return [q.id for q in sorted((q for q in among if q.id != k.id), key=lambda q: search.key_of(q, k, cost))]


@settings(max_examples=30 if CI else 6, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_the_others_keep_their_order_but_for_the_movers(seed):
    """Whatever a proposal costs, the top in the order :meth:`_CostSearch.others` gives (only the movers' keys
    worked out again) is the order of every key worked out afresh, and :meth:`_CostSearch.place` counts the
    others whose fresh keys come before the proposal's."""
    sit = situation(seed, 3, 30, policies=("rank", "consensus-first"))
    search = _CostSearch(sit)
    rng = random.Random(seed)
    for k in sit.order:
        for cost in _costs_to_try(search, k, rng, search.top):
            entries = search.others(k, cost, search.top)
            assert [q.id for _, q in entries] == _fresh(search, k, cost, search.top), (k.id, cost)
            mine = search.key(k, search.rescore.units(k, k, cost), cost)
            assert search.place(k, cost, entries) == sum(search.key_of(q, k, cost) < mine for _, q in entries)


def test_a_proposal_whose_keys_meet_anothers_is_a_mover():
    """A proposal of the top the movers leave out keeps its order against every other of the top at every cost
    tried; where no proposal's units depend on its cost there are no movers."""
    for seed in range(40):
        sit = situation(seed, 8, 20, policies=("rank",))
        search = _CostSearch(sit)
        for k in sit.order:
            movers = {q.id for q in search.movers(k)}
            for a in search.top:
                for b in search.top:
                    if a.id < b.id and a.id not in movers and k.id not in (a.id, b.id):
                        before = [search.key_of(a, k, c) < search.key_of(b, k, c)
                                  for c in _costs_to_try(search, k, random.Random(seed), (a, b))]
                        assert len(set(before)) == 1, (seed, k.id, a.id, b.id)
    sit = situation(3, 8, 20, policies=("rank",))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_Rescore, "depends", lambda self, k: False)
        search = _CostSearch(sit)
        assert all(search.movers(k) == [] for k in sit.order)


@settings(max_examples=30 if CI else 6, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_the_greatest_cost_in_a_run_is_taken_and_a_penny_more_is_not(seed):
    """Between two costs where the others' order cannot change, :meth:`_Order.greatest` gives a cost at which the
    walk takes the reserve, with every cost checked above it (each crossing, a penny either side, and at random)
    not taken; ``None`` only where no cost of the run is taken.  :meth:`_Order.behind` gives the least cost at
    which it comes after an entry."""
    sit = situation(seed, 3, 30, policies=("rank", "consensus-first"))
    search = _CostSearch(sit)
    rng = random.Random(seed)
    everyone = list(sit.order)
    for k in sit.order:
        cuts = sorted(search._crossings(k, 10**12, everyone))
        up = rng.randint(1, max(1, sit.budget))
        low = max([c for c in cuts if c <= up], default=1)
        order = _Order(search, k, up, everyone)

        def taken(cost: int) -> bool:
            return cost <= order.lefts[search.place(k, cost, order.entries)]

        tried = [c for c in _costs_to_try(search, k, rng, everyone) if low <= c <= up] + [low, up]
        tried += [rng.randint(low, up) for _ in range(20)]
        found = order.greatest(low, up)
        if found is None:
            assert not any(taken(c) for c in tried), (k.id, low, up)
        else:
            assert low <= found <= up and taken(found)
            assert not any(taken(c) for c in tried if c > found), (k.id, found)
            if found < up:
                assert not taken(found + 1)
        place = search.place(k, up, order.entries)
        for i in {0, place // 2, place - 1} if place else ():
            first = order.behind(i, low, up)
            assert low <= first <= up
            assert search.place(k, first, order.entries) > i
            if first > low:
                assert search.place(k, first - 1, order.entries) <= i


@settings(max_examples=40 if CI else 8, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_the_units_a_step_away_are_the_exact_scores_rounded(seed):
    """Each proposal's units with -1, -1/2, 0, 1/2 and 1 step of value for money more, worked out in whole numbers,
    are its exact score moved by those steps and rounded once, as scoring rounds."""
    from fractions import Fraction

    from engine.decision.score import units_of

    sit = situation(seed, 3, 30)
    rescore = _Rescore(sit)
    for q in sit.order:
        if q.reach is None or rescore.value == 0 or rescore.rated < 2:
            continue
        half = Fraction(rescore.value) / (2 * (rescore.rated - 1))
        exact = sit.scores[q.id].exact
        assert rescore.steps(q) == tuple(units_of(exact + half * d) for d in (-2, -1, 0, 1, 2)), q.id
        assert rescore.steps(q)[2] == sit.scores[q.id].units


@settings(max_examples=40 if CI else 8, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([64, 3, 0]))
def test_a_split_counts_the_ratios_below_and_level(seed, shift):
    """Bisected on the ratios' floors, with fine floors and with coarse ones (many the same, compared exactly),
    the split is the plain count of the rated proposals below a ratio and at most level with it: at each
    proposal's own ratio, near it and at random ones."""
    sit = situation(seed, 3, 30)
    rng = random.Random(seed)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_Rescore, "SHIFT", shift)
        rescore = _Rescore(sit)
        asked = [(r * m, c * m + d) for r, c in zip(rescore.reaches, rescore.costs)
                 for m in (1, 3) for d in (-1, 0, 1)]
        asked += [(rng.randint(0, 10**6), rng.randint(1, 10**6)) for _ in range(30)]
        for a, b in asked:
            if b < 1:
                continue
            below = sum(r * b < a * c for r, c in zip(rescore.reaches, rescore.costs))
            level = sum(r * b <= a * c for r, c in zip(rescore.reaches, rescore.costs))
            assert rescore._split(a, b) == (below, level), (a, b, shift)


def _greatest_left(costs, budget):
    """The greatest x with x plus the costs of at most x within *budget*, tried one x at a time."""
    return max(x for x in range(budget + 1) if x + sum(c for c in costs if c <= x) <= budget)


@settings(max_examples=60 if CI else 15, deadline=None)
@given(st.lists(st.integers(1, 40), max_size=80), st.integers(0, 120), st.data())
def test_limits_read_in_any_order_and_with_one_left_out(costs, budget, data):
    """Each limit, read in any order (they are worked out as far as they are read), is the greatest money left
    for the costs before it; with one entry left out (started again from the copy saved before it), the same
    for the costs without it."""
    limits = _Limits(costs, budget)
    for j in data.draw(st.permutations(range(len(costs) + 1))):
        assert limits[j] == _greatest_left(costs[:j], budget), j
    if costs:
        own = data.draw(st.integers(0, len(costs) - 1))
        rest = costs[:own] + costs[own + 1:]
        without = limits.without(own)
        for j in data.draw(st.permutations(range(len(rest) + 1))):
            assert without[j] == _greatest_left(rest[:j], budget), (own, j)


@settings(max_examples=30 if CI else 6, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_an_order_kept_up_to_date_is_the_order_from_scratch(seed):
    """As a reserve's cost falls through its crossings (of the top's movers, or of every proposal), the others'
    order and the money the walk leaves before each, moved and walked again only where they change, are those
    worked out afresh at each cost."""
    sit = situation(seed, 3, 30, policies=("rank", "consensus-first"))
    search = _CostSearch(sit)
    rng = random.Random(seed)
    for k in sit.order:
        for among in (search.top, sit.order):
            cost = rng.randint(2, max(2, 2 * sit.budget))
            crossings = search._crossings(k, cost, None if among is search.top else among)
            order = _Order(search, k, cost, among)
            costs = sorted({rng.randint(1, cost) for _ in range(4)} | {c - 1 for c in crossings if c > 1},
                           reverse=True)
            for lower in costs:
                order.move([q for c in sorted(crossings) if lower < c <= order.cost for q in crossings[c]], lower)
                fresh = _Order(search, k, lower, among)
                assert [q.id for _, q in order.entries] == _fresh(search, k, lower, among), (k.id, lower)
                assert order.lefts == fresh.lefts, (k.id, lower)


@settings(max_examples=40 if CI else 8, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans())
def test_the_cuts_on_arrays_are_the_plain_cuts(seed, any_reach):
    """For every proposal, the costs at which the optimal set's keys can change are the same worked out on
    arrays as one proposal at a time."""
    from engine.decision.counterfactual import _Cuts, _CutsOnArrays

    sit = situation(seed, 3, 30, any_reach=any_reach, policies=("optimal",))
    rescore = _Rescore(sit)
    import numpy

    on_arrays = _CutsOnArrays(sit, rescore, numpy)
    assert on_arrays.fits
    plain = _Cuts(sit, rescore)
    for k in sit.order:
        assert on_arrays.of(k) == plain.of(k), k.id


@settings(max_examples=30 if CI else 6, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_eligibility_at_another_cost_is_the_screening_there(seed):
    """Whether a proposal passes at another cost of its own (its least cost dropped when above it) is what
    screening it at that cost says: at each cut, a penny either side, its own cost and at random."""
    import attrs

    from engine.decision.screen import screen

    sit = situation(seed, 3, 20)
    eligible = _Eligibility(sit.round)
    rng = random.Random(seed)
    for k in sit.order:
        costs = {c + d for c in [k.cost, *eligible.cuts(k)] for d in (-1, 0, 1)}
        costs |= {rng.randint(1, 2 * max(1, sit.budget)) for _ in range(5)}
        for cost in sorted(c for c in costs if c >= 1):
            minimum = k.minimum_cost if k.minimum_cost is not None and k.minimum_cost <= cost else None
            there = attrs.evolve(k, cost=cost, minimum_cost=minimum)
            (screening,) = screen(sit.round, [there], engine="python")
            assert eligible(k, cost) == screening.eligible, (k.id, cost)


@settings(max_examples=30 if CI else 6, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_the_order_holds_over_a_stretch(seed):
    """Between two cuts of a reserve's cost the order and every proposal's units are the same at every cost (so
    they are worked out once a stretch): at its first cost, its last and one between."""
    from engine.decision.counterfactual import _ranked_at

    sit = situation(seed, 3, 30, policies=("optimal",))
    rescore = _Rescore(sit)
    eligible = _Eligibility(sit.round)
    rng = random.Random(seed)
    for k in sit.order:
        starts = sorted(c for c in {1, *eligible.cuts(k)} | rescore.cuts.of(k) if 1 <= c <= sit.budget)
        for low, nxt in zip(starts, starts[1:] + [sit.budget + 1]):
            up = nxt - 1
            if up < low:
                continue
            ranked, units = _ranked_at(sit, rescore, k, up)
            for cost in (low, rng.randint(low, up)):
                there, units_there = _ranked_at(sit, rescore, k, cost)
                assert ([p.id for p in there], units_there) == ([p.id for p in ranked], units), (k.id, low, up, cost)


@settings(max_examples=40 if CI else 8, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_the_best_sets_below_read_from_arrays(seed):
    """Under optimal, the runs of allocations over which each shortlisted proposal (and a reduced offer) is in
    the best set below the allocation in use, read from each regime's arrays as bit masks (and from its budget
    intervals without them), are those of the full intervals; and so is the reduced offer at each allocation
    where one begins or ends, and where none is made."""
    from engine.decision.counterfactual import _best_runs, _offer_at, _runs

    sit = situation(seed, 5, 40, policies=("optimal",))
    wanted = sit.choice.ids
    full = sit.intervals_upto(sit.budget)
    found = _runs(full)
    expected = {pid: [[full[a].start, full[b].end] for a, b in found[pid]] for pid in wanted if pid in found}
    for small in (-1, 10**9):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(regimes, "SMALL", small)
            runs, offers = _best_runs(sit, sit.budget, wanted)
        offer_at = _offer_at(offers)
        assert runs == expected, small
        for iv in full:
            for allocation in (iv.start, iv.end):
                assert offer_at(allocation) == iv.offer, (small, allocation)


@settings(max_examples=40 if CI else 8, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_the_changes_are_where_people_per_pound_pass(seed):
    """The costs at which a proposal's people per pound stand otherwise against another's than a penny below are
    exactly those :meth:`_Rescore.changes` gives: tried penny by penny around the cost where they are level."""
    sit = situation(seed, 3, 30)
    rescore = _Rescore(sit)
    for k in sit.order:
        for q in sit.eligible:
            if q.id == k.id:
                continue
            level = rescore.crossing(k, q)
            if level is None:
                assert rescore.changes(k, q) == ()
                continue
            near = range(max(2, level - 3), level + 5)
            moved = {c for c in near if rescore.relation(q, k, c) != rescore.relation(q, k, c - 1)}
            assert moved == set(rescore.changes(k, q)) & set(near), (k.id, q.id)


# --- optimal: the bound by dynamic programming over units ------------------------------------------------------


def _optimal_situation(pr):
    round_ = RULES[pr.reduced_offers].with_upfront(pr.budget)
    return situation_at(round_, pr.proposals, "optimal", engine="python")


def _with_bound(pr):
    """The optimal situation of *pr*, its rescoring and its bound (made whatever the round's size)."""
    sit = _optimal_situation(pr)
    rescore = _Rescore(sit)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(regimes, "SMALL", -1)
        within = _Within.of(sit, rescore)
    return sit, rescore, within


@settings(max_examples=60 if CI else 10, deadline=None)
@given(priced_rounds(min_size=3, max_size=10, policies=("optimal",)), st.randoms(use_true_random=False),
       st.sampled_from((1, 2**33)))
def test_within_is_the_best_set(pr, rng, scale):
    """The most units within a room is the best set's, by brute force over every set, each proposal at the most
    it can have (at every room up to the allocation: a set's cost, a penny less, and random ones); with every
    amount *scale* times as large too (past what the tables keep in 32 bits)."""
    from itertools import combinations

    import attrs

    pr = attrs.evolve(pr, budget=pr.budget * scale, proposals=tuple(
        attrs.evolve(p, cost=p.cost * scale, minimum_cost=p.minimum_cost and p.minimum_cost * scale)
        for p in pr.proposals))
    sit, rescore, within = _with_bound(pr)
    if within is None:
        assert not sit.order
        return
    for now in (False, True):
        items = [(p.cost, sit.scores[p.id].units if now else rescore.bounds(p)[1]) for p in sit.order]
        sets = [(sum(c for c, _ in chosen), sum(u for _, u in chosen))
                for n in range(len(items) + 1) for chosen in combinations(items, n)]
        rooms = {c + d for c, _ in sets for d in (-1, 0)} | {rng.randint(0, sit.budget) for _ in range(5)}
        for room in sorted(r for r in rooms if 0 <= r <= sit.budget):
            assert within.most(room, now) == max(u for c, u in sets if c <= room), (room, now)


@settings(max_examples=60 if CI else 10, deadline=None)
@given(priced_rounds(min_size=2, max_size=12), st.randoms(use_true_random=False))
def test_the_units_of_others_together_are_each_ones_added(pr, rng):
    """The units of the set chosen now (and of every other proposal) together, when one proposal costs something
    else, are each one's units added up: at each other's crossing of its people per pound, a penny either side,
    its own cost, and random costs."""
    from engine.decision.counterfactual import _Together

    sit = _optimal_situation(pr)
    rescore = _Rescore(sit)
    for k in sit.order:
        for others in ([p for p in sit.order if p.id in sit.choice.ids and p.id != k.id],
                       [p for p in sit.order if p.id != k.id]):
            together = _Together(rescore, k, others)
            costs = {k.cost, 1, rng.randint(1, 2 * k.cost + 1)}
            for q in others:
                cross = rescore.crossing(k, q)
                if cross is not None:
                    costs |= {cross - 1, cross, cross + 1}
            for cost in sorted(c for c in costs if c >= 1):
                assert together(cost) == sum(rescore.units(q, k, cost) for q in others), (k.id, cost)


@settings(max_examples=80 if CI else 12, deadline=None)
@given(priced_rounds(min_size=3, max_size=12, policies=("optimal",)))
def test_the_greatest_cost_is_the_same_with_the_bound(pr):
    """Each reserve's greatest cost and who leaves then, with the stretches cut by the bound and without."""
    sit, rescore, within = _with_bound(pr)
    eligibility = _Eligibility(sit.round)
    for p in sit.order:
        if p.id not in sit.choice.ids:
            assert _greatest_cost_optimal(sit, p, rescore, eligibility, within) == \
                _greatest_cost_optimal(sit, p, rescore, eligibility), p.id


@settings(max_examples=60 if CI else 10, deadline=None)
@given(priced_rounds(min_size=2, max_size=10, policies=("optimal",)), st.randoms(use_true_random=False))
def test_the_greatest_cost_in_a_stretch_is_every_cost_tried(pr, rng):
    """In any part of a stretch of a reserve's cost (the same scores and order throughout), the greatest cost at
    which it is in the best set, or none, against the knapsack at every cost of the part: parts a few pence wide
    from and around its greatest cost, a penny above it, the stretch's ends and random places."""
    from engine.decision.counterfactual import _greatest_in_stretch, _in_optimal, _ranked_at, _Stretch

    sit = _optimal_situation(pr)
    rescore, eligibility, budget = _Rescore(sit), _Eligibility(sit.round), sit.budget
    for k in sit.order:
        if k.id in sit.choice.ids:
            continue
        starts = sorted(c for c in {1, *eligibility.cuts(k)} | rescore.cuts.of(k) if 1 <= c <= budget)
        found, _ = _greatest_cost_optimal(sit, k, rescore, eligibility)
        stretches = [(low, starts[i + 1] - 1 if i + 1 < len(starts) else budget) for i, low in enumerate(starts)]
        for low, up in rng.sample(stretches, min(3, len(stretches))) + \
                [(low, up) for low, up in stretches if found is not None and low <= found + 1 <= up + 1]:
            if up < low:
                continue
            stretch = _Stretch(sit, k, _ranked_at(sit, rescore, k, up))
            marks = {low, up, rng.randint(low, up)} | ({found - 1, found, found + 1} if found is not None else set())
            for a, b in {(max(low, m - d), min(up, m + e)) for m in marks for d, e in ((0, 3), (3, 0), (2, 2))}:
                if a <= b:
                    chosen = [x for x in range(a, b + 1) if _in_optimal(sit, rescore, k, x)]
                    assert _greatest_in_stretch(sit, rescore, k, a, b, stretch) == (max(chosen) if chosen else None), \
                        (k.id, a, b)


def test_the_greatest_cost_can_be_a_tie_won_on_the_order():
    """Two bids alike but for their cost and the day they came in, the earlier one dearer and left in reserve: at
    the other's cost the best sets with either tie on score and on cost, and the earlier bid comes first, so that
    cost is its greatest; the figure holds when its what-if is run, and fails a penny beyond."""
    import datetime as dt
    import random

    from tests.strategies import DEADLINE_2026_27, YEAR_END_2026_27, YEAR_START_2026_27, PricedRound
    from engine.decision.counterfactual import _greatest_in_stretch, _ranked_at, _Stretch
    from engine.inputs.proposal import Delivery, Proposal
    from tests.test_counterfactual import _checked

    def bid(pid: str, cost: int, days_early: int) -> Proposal:
        return Proposal(id=pid, title=pid, lead_agency="Kent Police", pot="upfront", cost=cost,
                        submitted=DEADLINE_2026_27 - dt.timedelta(days=days_early), summary="s",
                        pcc_priorities=("protecting-people",), csa_priorities=("vawg",),
                        delivery=Delivery(YEAR_START_2026_27, YEAR_END_2026_27), evaluation="a plan")

    pr = PricedRound((bid("dear", 5_000_00, 3), bid("cheap", 4_000_00, 1)), 6_000_00, "optimal", False)
    sit = _optimal_situation(pr)
    assert sit.choice.ids == {"cheap"}
    dear = next(p for p in sit.order if p.id == "dear")
    assert _greatest_cost_optimal(sit, dear)[0] == 4_000_00
    # its stretch ends at the tie (a penny more and it comes after the other); from the tie alone, the tie
    rescore = _Rescore(sit)
    assert 4_000_01 in rescore.cuts.of(dear)
    stretch = _Stretch(sit, dear, _ranked_at(sit, rescore, dear, 4_000_00))
    for low in (3_999_97, 4_000_00):
        assert _greatest_in_stretch(sit, rescore, dear, low, 4_000_00, stretch) == 4_000_00
    _checked(pr, random.Random(0))


@settings(max_examples=300 if CI else 40)
@given(st.lists(st.tuples(st.integers(1, 60), st.integers(0, 12)), max_size=9), st.integers(-3, 80))
def test_the_least_cost_of_reaching_some_units_is_the_brute_force(items, target):
    """The least cost of a set scoring at least *target* units, and the units of the set found, against every set:
    the units are reached at that cost, and where they pass *target* the least cost of one unit more is the same
    (which the greatest cost relies on to solve one knapsack, not two)."""
    from itertools import combinations

    from engine.decision.counterfactual import _least_cost

    sets = [(sum(c for c, _ in chosen), sum(u for _, u in chosen))
            for n in range(len(items) + 1) for chosen in combinations(items, n)]
    cost, reached = _least_cost(items, target)
    reaching = [c for c, u in sets if u >= target]
    assert cost == (min(reaching) if reaching else None)
    if cost is not None:
        assert (cost, reached) in sets and reached >= target
        if reached > target:
            assert _least_cost(items, target + 1)[0] == cost


@settings(max_examples=80 if CI else 12, deadline=None)
@given(priced_rounds(min_size=2, max_size=14, policies=("optimal",)))
def test_the_best_set_with_a_reserve_is_the_same_from_the_frontier(pr):
    """The best set holding each reserve, against the set chosen, read from the frontier of best sets where it
    settles it and solved by the knapsack where not: the same as the knapsack alone, for every reserve."""
    sit = _optimal_situation(pr)
    if not sit.order:
        return
    near = _Near(sit)
    for p in sit.order:
        found = near.best_without(p, max(0, sit.budget - p.cost))
        assert found is None or p.id not in found[2]
        if p.id in sit.choice.ids:
            continue
        assert _tie_with(sit, sit.items, p, near) == _tie_with(sit, sit.items, p), p.id


@settings(max_examples=60 if CI else 10)
@given(priced_rounds(min_size=3, max_size=10, policies=("optimal",)), st.randoms(use_true_random=False))
def test_optimal_figures_come_true_with_the_bound(pr, rng):
    """Every figure of an optimal round, worked out with the bound, holds when its what-if is run."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(regimes, "SMALL", -1)
        _checked(pr, rng)


@settings(max_examples=40 if CI else 8, deadline=None)
@given(priced_rounds(min_size=3, max_size=10), st.randoms(use_true_random=False))
def test_scores_at_another_cost_are_scoring_from_scratch(pr, rng):
    """A proposal's units at another cost of its own, and every other's then, are the round scored again from
    scratch with that cost (at its cost now, a penny either side, and random costs)."""
    import attrs

    from engine.decision.score import score_all

    sit = _optimal_situation(pr)
    rescore = _Rescore(sit)
    for k in sit.order:
        for cost in {k.cost, max(1, k.cost - 1), k.cost + 1, rng.randint(1, 2 * k.cost + 1)}:
            changed = [attrs.evolve(p, cost=cost, minimum_cost=None) if p.id == k.id else p for p in sit.eligible]
            scratch = score_all(changed, sit.round, sit.round.scoring)
            for q in sit.order:
                assert rescore.units(q, k, cost) == scratch[q.id].units, (k.id, q.id, cost)
        low, high = rescore.own_range(k)
        assert low <= rescore.own(k, 10**12) and rescore.own(k, 1) <= high


@settings(max_examples=80 if CI else 12, deadline=None)
@given(priced_rounds(min_size=3, max_size=10, policies=("optimal",)), st.randoms(use_true_random=False))
def test_the_bounds_never_rule_out_a_cost_that_is_chosen(pr, rng):
    """At any cost at which a reserve would be in the best set (the knapsack itself says so), both tests of the
    bound pass: costs around its own, around each other proposal's crossing of its people per pound, and
    random ones."""
    from engine.decision.counterfactual import _in_optimal

    sit, rescore, within = _with_bound(pr)
    if within is None:
        return
    for k in sit.order:
        if k.id in sit.choice.ids:
            continue
        falling, could = within.tests(sit, rescore, k)
        costs = {k.cost + d for d in (-2, -1, 0, 1, 2)} | {rng.randint(1, max(1, sit.budget)) for _ in range(6)}
        for q in sit.eligible:
            cross = rescore.crossing(k, q)
            if cross is not None:
                costs |= {cross + d for d in (-1, 0, 1)}
        for cost in sorted(c for c in costs if 1 <= c <= sit.budget):
            if _in_optimal(sit, rescore, k, cost):
                assert falling(cost) and could(cost), (k.id, cost)


@settings(max_examples=40 if CI else 8, deadline=None)
@given(priced_rounds(min_size=3, max_size=10), st.randoms(use_true_random=False))
def test_the_order_at_another_cost_is_the_order_from_scratch(pr, rng):
    """The order a policy considers the proposals in when one of them costs something else, and their units, are
    those of the round scored again from scratch and sorted by the policy's key."""
    import attrs

    from engine.decision.counterfactual import _ranked_at
    from engine.decision.score import score_all
    from engine.decision.shortlist import walk_key

    round_ = RULES[pr.reduced_offers].with_upfront(pr.budget)
    sit = situation_at(round_, pr.proposals, pr.policy, engine="python")
    rescore = _Rescore(sit)
    for k in sit.order:
        for cost in {k.cost, max(1, k.cost - 1), k.cost + 1, rng.randint(1, 2 * k.cost + 1)}:
            changed = {p.id: attrs.evolve(p, cost=cost, minimum_cost=None) if p.id == k.id else p
                       for p in sit.eligible}
            scratch = score_all(list(changed.values()), sit.round, sit.round.scoring)
            plain = sorted(sit.order, key=lambda p: walk_key(pr.policy, changed[p.id], scratch[p.id]))
            ranked, units = _ranked_at(sit, rescore, k, cost)
            assert [p.id for p in ranked] == [p.id for p in plain], (k.id, cost)
            assert units == {p.id: scratch[p.id].units for p in sit.order}, (k.id, cost)


@settings(max_examples=4 if CI else 1, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_a_large_round_is_the_same_on_arrays_and_off(seed):
    """A round of 70 to 90 proposals, some reaching nobody and some not saying, with reduced offers on or off:
    the same JSON with every array path in use (each threshold at its least) and with none."""
    import attrs

    gr = seeded_grid_round(seed, 70, 90, sizes=6, any_reach=True)
    proposals = tuple(attrs.evolve(p, reach=0 if i % 7 == 3 else None if i % 11 == 5 else p.reach)
                      for i, p in enumerate(gr.proposals))
    _same_on_arrays_and_off(gr, proposals)


@settings(max_examples=3 if CI else 1, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_numbers_past_64_bits_keep_off_the_arrays(seed):
    """A reach of 2**63 or more (a count has no upper limit) in a round of 70 to 90 proposals: the arrays refuse
    it and every figure is worked out in whole numbers, the same with every threshold at its least as with
    none."""
    import attrs

    gr = seeded_grid_round(seed, 70, 90, sizes=6, any_reach=True)
    proposals = tuple(attrs.evolve(p, reach=2**63 + 5 if i == 3 else p.reach) for i, p in enumerate(gr.proposals))
    _same_on_arrays_and_off(gr, proposals)


@settings(max_examples=3 if CI else 1, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_amounts_past_64_bits_keep_off_the_arrays(seed):
    """A cost and an allocation of 2**63 pence or more (money has no upper limit) in a round of 70 to 90
    proposals: under optimal every figure is worked out in whole numbers, the same with every threshold at
    its least as with none."""
    import attrs

    gr = seeded_grid_round(seed, 70, 90, sizes=6, any_reach=True)
    proposals = tuple(attrs.evolve(p, cost=2**63 + 5, minimum_cost=None) if i == 3 else p
                      for i, p in enumerate(gr.proposals))
    _same_on_arrays_and_off(attrs.evolve(gr, budget=2**64 + 7), proposals, policies=("optimal",))


@settings(max_examples=3 if CI else 1, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_amounts_past_32_bits_on_the_arrays(seed):
    """Every amount 2**33 times as large, and a few pence more, in a round of 70 to 90 proposals: the arrays
    then hold 64-bit numbers, not 32-bit ones, and give the same JSON as with no arrays, every policy."""
    import attrs

    gr = seeded_grid_round(seed, 70, 90, sizes=6, any_reach=True)
    proposals = tuple(attrs.evolve(p, cost=p.cost * 2**33 + i % 5, minimum_cost=p.minimum_cost and
                                   p.minimum_cost * 2**33) for i, p in enumerate(gr.proposals))
    _same_on_arrays_and_off(attrs.evolve(gr, budget=gr.budget * 2**33 + 3), proposals)


def _same_on_arrays_and_off(gr, proposals, policies=("rank", "optimal", "consensus-first")):
    from engine.decision import sweep as sweep_module, walk
    from engine.inputs.scenario import Overrides, run
    from engine.outputs.report import outcome_json

    round_ = rules("kcsp-2026-27", gr.reduced_offers, gr.capped, gr.floored)
    thresholds = ((regimes, "SMALL"), (walk, "SMALL"), (sweep_module, "LONG"))
    for policy in policies:
        overrides = Overrides(upfront=gr.budget, policy=policy)
        texts = []
        for value in (-1, 10**9):
            with pytest.MonkeyPatch.context() as patch:
                for module, name in thresholds:
                    patch.setattr(module, name, value)
                texts.append(outcome_json(run(round_, proposals, overrides, engine="python")))
        assert texts[0] == texts[1], policy


@settings(max_examples=40 if CI else 8, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_who_entered_and_left_each_budget_interval(seed):
    """Over every allocation of a round (its regimes, and reduced offers made or not), who entered and left each
    budget interval's shortlist is what reading every id of both says, where the sweep tells it and where not."""
    import types

    from engine.outputs import document
    from engine.outputs.report import shortlist_changes

    sit = situation(seed, 5, 40)
    intervals = sit.intervals
    plain = [types.SimpleNamespace(chosen=iv.chosen) for iv in intervals]  # no change known: every id read
    assert list(shortlist_changes(intervals)) == list(shortlist_changes(plain))
    for k in range(1, min(len(intervals), 4)):  # from an interval on, or every other one: the first is read whole
        assert list(shortlist_changes(intervals[k:])) == list(shortlist_changes(plain[k:]))
        assert list(shortlist_changes(intervals[::k + 1])) == list(shortlist_changes(plain[::k + 1]))
        # and so the document's fields of each shortlist: places, and the list in full where the order changes
        assert list(document._shortlist_fields(intervals[::k])) == list(document._shortlist_fields(plain[::k]))
    before: tuple = ()
    for iv, (entered, left) in zip(intervals, shortlist_changes(intervals), strict=True):
        assert entered == [pid for pid in iv.chosen if pid not in before]
        assert left == [pid for pid in before if pid not in iv.chosen]
        before = iv.chosen
    if sit.base_policy == "optimal" and not sit.round.reduced_offers:
        # no reduced offer splits an interval: within a regime the sweep tells each change
        for before, iv in zip(intervals, intervals[1:]):
            if iv.eligible == before.eligible:
                assert iv.since is not None and iv.since[0] is before.chosen, iv.start


@settings(max_examples=40 if CI else 8, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_every_regimes_intervals_read_from_arrays(seed):
    """The budget intervals from £0 to the total eligible cost, each regime's read from the round's arrays where
    none of its bids could be offered less, are those of each regime's own situation: the same shortlists, the
    same proposals eligible, each policy."""
    sit = situation(seed, 5, 40)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(regimes, "SMALL", 10**9)
        own = sit.intervals_upto(sit.upto)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(regimes, "SMALL", -1)
        read = sit.intervals_upto(sit.upto)
    assert read == own
    assert [iv.eligible for iv in read] == [iv.eligible for iv in own]


@settings(max_examples=40 if CI else 8, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_the_frontier_to_the_top_is_made_once(seed):
    """Under optimal the counterfactuals and then the sweep each need the frontier of best sets up to the total
    eligible cost: it is made once, and the sweep after the counterfactuals is the sweep alone."""
    from engine.decision import counterfactual, sweep as sweep_module

    sit = situation(seed, 5, 40, policies=("optimal",))
    alone = situation_at(sit.round, sit.proposals, sit.policy, engine="python").intervals
    made = []
    real = sweep_module.frontier

    def counted(items, upto, report=None):
        made.append(upto)
        return real(items, upto, report)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(regimes, "SMALL", -1)
        patch.setattr(sweep_module, "frontier", counted)
        counterfactual.figures(sit)
        after = sit.intervals
    assert after == alone
    assert [iv.eligible for iv in after] == [iv.eligible for iv in alone]
    assert made.count(sit.upto) <= 1


def test_the_kept_frontier_is_that_of_the_same_bids():
    """The frontier kept for the top allocation is given again only for the same bids, each with the same id, cost
    and units: another score, cost or id gets its own."""
    from engine.decision import sweep as sweep_module
    from engine.decision.regimes import Bid

    sit = situation(7, 5, 10)
    top = sit.upto
    bids = [Bid("a", 10, 5), Bid("b", 20, 9), Bid("c", 15, 4)]
    assert sit.frontier(bids, top) == sweep_module.frontier(bids, top)
    for other in ([Bid("a", 10, 6), *bids[1:]], [Bid("a", 11, 5), *bids[1:]], [Bid("z", 10, 5), *bids[1:]],
                  bids[:2]):
        assert sit.frontier(other, top) == sweep_module.frontier(other, top), other
    assert sit.frontier(bids, top) == sweep_module.frontier(bids, top)
