"""Tests for engine.decision.select: the rank walk and the exact optimum, against hand-worked rounds and brute force."""

from __future__ import annotations

import contextlib
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.errors import InputError
import engine.decision.knapsack
import engine.decision.select
from engine.decision.select import POLICIES, Item, Selection, Step, optimal, rank_walk, select


def items_of(*rows: tuple[int, int]) -> list[Item]:
    """Items named a, b, c, ... in rank order from (cost, score) rows."""
    return [Item(chr(ord("a") + k), cost, score) for k, (cost, score) in enumerate(rows)]


@st.composite
def rounds(draw, max_items: int = 15, costs=None, scores=None, min_items: int = 0):
    """A ranked round of items and a budget from 0 to a little past their total cost.

    Unless given, each round draws its own scale of costs (up to 20, 10^4 or 10^8 pence) and of
    scores (0-3 with many ties, 0-25 like a panel, or up to 10^6).
    """
    costs = costs if costs is not None else st.integers(1, draw(st.sampled_from([20, 10**4, 10**8])))
    scores = scores if scores is not None else st.integers(0, draw(st.sampled_from([3, 25, 10**6])))
    rows = draw(st.lists(st.tuples(costs, scores), min_size=min_items, max_size=max_items))
    if rows and draw(st.booleans()):  # copies of earlier items: exact ties in cost and score
        rows = (rows + draw(st.lists(st.sampled_from(rows), max_size=3)))[:max_items]
    items = [Item(f"p{k}", cost, score) for k, (cost, score) in enumerate(rows)]
    total = sum(cost for cost, _ in rows)
    budget = draw(st.one_of(st.integers(0, total + 2), st.just(total), st.just(total // 2)))
    return items, budget


@contextlib.contextmanager
def tuned(**values):
    """Module settings of engine.decision.knapsack replaced for the duration of a block."""
    saved = {name: getattr(engine.decision.knapsack, name) for name in values}
    for name, value in values.items():
        setattr(engine.decision.knapsack, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(engine.decision.knapsack, name, value)


def brute_force(items: list[Item], budget: int) -> tuple[str, ...]:
    """The best set by enumeration: most score, then least cost, then first by rank (include the earlier item)."""
    n = len(items)
    cost = [0] * (1 << n)
    score = [0] * (1 << n)
    for mask in range(1, 1 << n):
        low = (mask & -mask).bit_length() - 1
        rest = mask & (mask - 1)
        cost[mask] = cost[rest] + items[low].cost
        score[mask] = score[rest] + items[low].score
    best_key, best = None, []
    for mask in range(1 << n):
        if cost[mask] <= budget:
            key = (score[mask], -cost[mask])
            if best_key is None or key > best_key:
                best_key, best = key, [mask]
            elif key == best_key:
                best.append(mask)
    winner = max(best, key=lambda mask: tuple(bool(mask >> i & 1) for i in range(n)))
    return tuple(items[i].id for i in range(n) if winner >> i & 1)


def greedy_walk(items: list[Item], budget: int) -> tuple[str, ...]:
    """The rank walk written out plainly: take whatever still fits, in rank order."""
    chosen, spent = [], 0
    for item in items:
        if spent + item.cost <= budget:
            spent += item.cost
            chosen.append(item.id)
    return tuple(chosen)


def by_score_dp(items: list[Item], budget: int) -> tuple[str, ...]:
    """The best set by a dynamic programme over exact total scores, last item first.

    ``least[v]`` is the least cost of scoring exactly ``v`` with the items seen so far; on a tie
    in cost the set holding the current item is kept, as it comes first by rank (every other
    item of either set is ranked after it).  The decisions are kept per item, packed eight to a
    byte, and read back from the first item down.  Whole arrays at a time (numpy), so that a
    round of 200 items and 200,000 score units takes well under a second.
    """
    top = sum(item.score for item in items)
    none = budget + 1  # "cannot be reached within the budget"
    least = np.full(top + 1, none, dtype=np.int64)
    least[0] = 0
    takes = []
    for item in reversed(items):
        c, s = item.cost, item.score
        shifted = np.full(top + 1, none, dtype=np.int64)
        shifted[s:] = least[: top + 1 - s] + c
        takes.append(np.packbits(shifted <= least))
        np.minimum(least, shifted, out=least)
    v = int(np.flatnonzero(least <= budget)[-1])
    chosen = []
    for item, take in zip(items, reversed(takes)):
        if take[v >> 3] >> (7 - (v & 7)) & 1:
            chosen.append(item.id)
            v -= item.score
    return tuple(chosen)


def strongly_correlated(n: int, max_cost: int, seed: int) -> tuple[list[Item], int]:
    """The classic hard round: score = cost // 500 + 1000, budget half the total cost."""
    rng = random.Random(seed)
    items = []
    for k in range(n):
        cost = rng.randint(1, max_cost)
        items.append(Item(f"p{k}", cost, cost // 500 + 1000))
    return items, sum(item.cost for item in items) // 2


class TestItem:
    def test_refuses_cost_zero(self):
        """An item must cost at least a penny."""
        with pytest.raises(ValueError, match="'cost' must be >= 1"):
            Item("a", 0, 1)

    def test_refuses_float_cost(self):
        """A float cost is refused: money is whole pence."""
        with pytest.raises(TypeError, match="'cost' must be <int>"):
            Item("a", 1.5, 1)

    def test_refuses_negative_score(self):
        """Scores are whole units from 0 up."""
        with pytest.raises(ValueError, match="'score' must be >= 0"):
            Item("a", 1, -1)


class TestRankWalk:
    def test_skips_and_keeps_going(self):
        """An item that does not fit is skipped and the walk goes on to cheaper ones below it."""
        sel = rank_walk(items_of((60, 9), (50, 8), (30, 7), (10, 1)), 100)
        assert sel == Selection(
            policy="rank",
            budget=100,
            chosen=("a", "c", "d"),
            allocated=100,
            remaining=0,
            score=17,
            steps=(Step("a", 100, True), Step("b", 40, False), Step("c", 40, True), Step("d", 10, True)),
        )

    def test_budget_zero_takes_nothing(self):
        """With no money every item is skipped."""
        sel = rank_walk(items_of((1, 5), (2, 5)), 0)
        assert sel.chosen == () and sel.remaining == 0
        assert [step.taken for step in sel.steps] == [False, False]

    def test_takes_zero_scores_in_rank(self):
        """The walk follows the ranking only: a zero score is taken if it fits."""
        assert rank_walk(items_of((5, 0), (5, 3)), 7).chosen == ("a",)

    def test_no_items(self):
        """An empty round gives an empty selection with the whole budget left."""
        assert rank_walk([], 500) == Selection("rank", 500, (), 0, 500, 0, ())

    def test_refuses_duplicate_ids(self):
        """Ids must be unique."""
        with pytest.raises(ValueError, match="unique"):
            rank_walk([Item("a", 1, 1), Item("a", 2, 2)], 10)

    def test_refuses_negative_budget(self):
        """A budget below zero is refused."""
        with pytest.raises(ValueError, match="'budget' must be >= 0"):
            rank_walk([], -1)


class TestOptimal:
    def test_beats_the_walk(self):
        """Two mid-ranked items can together outscore the top one that the walk takes first."""
        items = items_of((60, 10), (50, 8), (50, 8))
        assert rank_walk(items, 100).chosen == ("a",)
        sel = optimal(items, 100)
        assert (sel.chosen, sel.allocated, sel.score, sel.remaining) == (("b", "c"), 100, 16, 0)

    def test_steps_follow_the_choice(self):
        """Each step shows whether the item is chosen and the budget less the chosen items ranked above it."""
        sel = optimal(items_of((60, 10), (50, 8), (50, 8)), 100)
        assert sel.steps == (Step("a", 100, False), Step("b", 100, True), Step("c", 50, True))

    def test_equal_score_prefers_lower_cost(self):
        """Among sets of the greatest score the cheapest is chosen."""
        items = items_of((60, 5), (40, 3), (30, 3))
        assert rank_walk(items, 100).chosen == ("a", "b")
        sel = optimal(items, 100)
        assert (sel.chosen, sel.score, sel.allocated) == (("a", "c"), 8, 90)

    def test_equal_score_and_cost_prefers_earlier_rank(self):
        """Among sets equal in score and cost, the one holding the earlier item where they differ wins."""
        items = items_of((10, 4), (6, 2), (4, 2), (10, 4))
        assert optimal(items, 10).chosen == ("a",)
        assert optimal(items, 20).chosen == ("a", "b", "c")
        assert optimal(items_of((6, 2), (10, 4), (4, 2)), 10).chosen == ("a", "c")

    def test_never_chooses_zero_scores(self):
        """An item scoring 0 only adds cost, so it is never chosen."""
        sel = optimal(items_of((5, 0), (5, 3), (1, 0)), 100)
        assert sel.chosen == ("b",) and sel.allocated == 5

    def test_all_fit(self):
        """When everything fits, every item that scores is chosen."""
        assert optimal(items_of((5, 1), (5, 2)), 10).chosen == ("a", "b")

    def test_nothing_fits(self):
        """When every item costs more than the budget, nothing is chosen."""
        sel = optimal(items_of((50, 1), (60, 2)), 49)
        assert sel.chosen == () and sel.remaining == 49


class TestSelect:
    @pytest.mark.parametrize("policy", POLICIES)
    def test_dispatches(self, policy):
        """select() gives what the named policy gives."""
        items = items_of((60, 10), (50, 8), (50, 8))
        expected = rank_walk(items, 100) if policy == "rank" else optimal(items, 100)
        assert select(items, 100, policy) == expected

    def test_unknown_policy(self):
        """An unknown policy is a ValueError naming the policies, with a suggestion."""
        with pytest.raises(ValueError, match="did you mean 'optimal'") as caught:
            select([], 0, "optimum")
        assert isinstance(caught.value, InputError)
        assert "rank, optimal" in str(caught.value)


class TestProperties:
    @given(rounds(), st.sampled_from(POLICIES))
    def test_within_budget(self, case, policy):
        """The chosen items never cost more than the budget, and the totals add up."""
        items, budget = case
        sel = select(items, budget, policy)
        by_id = {item.id: item for item in items}
        assert sel.allocated == sum(by_id[i].cost for i in sel.chosen) <= budget
        assert sel.remaining == budget - sel.allocated
        assert sel.score == sum(by_id[i].score for i in sel.chosen)
        assert list(sel.chosen) == [item.id for item in items if item.id in sel.chosen]
        assert [step.id for step in sel.steps] == [item.id for item in items]
        assert tuple(step.id for step in sel.steps if step.taken) == sel.chosen

    @given(rounds())
    def test_optimal_steps_show_money_left(self, case):
        """For optimal each step's money left is the budget less the chosen items ranked above it."""
        items, budget = case
        sel = optimal(items, budget)
        left = budget
        for item, step in zip(items, sel.steps):
            assert step.left_before == left
            left -= item.cost if step.taken else 0

    @settings(max_examples=300)
    @given(rounds(costs=st.integers(1, 30), scores=st.integers(0, 6)))
    def test_optimal_is_brute_force_small_costs(self, case):
        """On small costs and tied scores, optimal is the brute-force best with the same tie-breaks."""
        items, budget = case
        assert optimal(items, budget).chosen == brute_force(items, budget)

    @settings(max_examples=300)
    @given(rounds(costs=st.integers(1, 10**8), scores=st.integers(0, 10**5)))
    def test_optimal_is_brute_force_large_costs(self, case):
        """On costs up to 10^8 pence, optimal is the brute-force best."""
        items, budget = case
        assert optimal(items, budget).chosen == brute_force(items, budget)

    @settings(max_examples=300)
    @given(rounds(costs=st.sampled_from([100, 200, 250, 300, 500, 10**8]), scores=st.integers(0, 2)))
    def test_optimal_is_brute_force_many_ties(self, case):
        """With few distinct costs and scores (many exact ties), optimal is the brute-force best."""
        items, budget = case
        assert optimal(items, budget).chosen == brute_force(items, budget)

    @settings(max_examples=200)
    @given(st.integers(1, 14), st.sampled_from([2000, 10**4, 10**8]), st.integers(0, 2**32))
    def test_optimal_is_brute_force_strongly_correlated(self, n, max_cost, seed):
        """On small strongly correlated rounds, optimal is the brute-force best."""
        items, budget = strongly_correlated(n, max_cost, seed)
        assert optimal(items, budget).chosen == brute_force(items, budget)

    @settings(max_examples=100)
    @given(rounds(min_items=12))
    def test_optimal_is_brute_force_full_rounds(self, case):
        """On rounds of 12 to 15 items, optimal is the brute-force best."""
        items, budget = case
        assert optimal(items, budget).chosen == brute_force(items, budget)

    @settings(max_examples=200)
    @given(rounds(min_items=5))
    def test_cardinality_bound_keeps_the_optimum(self, case):
        """With the cardinality bound on from the first step, optimal is still the brute-force best."""
        items, budget = case
        with tuned(_CARD_AFTER=0):
            assert optimal(items, budget).chosen == brute_force(items, budget)

    @settings(max_examples=200)
    @given(rounds(min_items=5), st.integers(1, 4))
    def test_narrow_first_pass_keeps_the_optimum(self, case, beam):
        """When the first pass may keep only a few states, the exact pass from its incumbent is still the best."""
        items, budget = case
        with tuned(_CARD_AFTER=0, _BEAM=beam):
            assert optimal(items, budget).chosen == brute_force(items, budget)

    @settings(max_examples=200)
    @given(st.integers(5, 14), st.sampled_from([2000, 10**4, 10**8]), st.integers(0, 2**32), st.integers(1, 4))
    def test_narrow_first_pass_strongly_correlated(self, n, max_cost, seed, beam):
        """The same on strongly correlated rounds, where the cardinality bound also fixes items at the root."""
        items, budget = strongly_correlated(n, max_cost, seed)
        with tuned(_CARD_AFTER=0, _BEAM=beam):
            assert optimal(items, budget).chosen == brute_force(items, budget)

    @settings(max_examples=60, deadline=None)
    @given(st.integers(20, 60), st.integers(0, 2**32), st.integers(1, 50))
    def test_root_fixing_changes_nothing(self, n, seed, beam):
        """On strongly correlated rounds too large for brute force, fixing items by the cardinality bound and
        narrowing the first pass choose the same set as the search without either."""
        items, budget = strongly_correlated(n, 10**6, seed)
        fixes = engine.decision.knapsack._Cardinality.fixes
        with tuned(_CARD_AFTER=0, _BEAM=None):
            engine.decision.knapsack._Cardinality.fixes = lambda *args: False
            try:
                plain = optimal(items, budget).chosen
            finally:
                engine.decision.knapsack._Cardinality.fixes = fixes
        with tuned(_CARD_AFTER=0, _BEAM=beam):
            assert optimal(items, budget).chosen == plain

    @settings(max_examples=150)
    @given(rounds(max_items=12, costs=st.integers(1, 10**19), scores=st.integers(0, 10**6)))
    def test_optimal_is_brute_force_past_64_bits(self, case):
        """With sums too large for 64-bit arrays (costs to 10^19 pence), the search runs on Python
        integers and is still the brute-force best."""
        items, budget = case
        assert optimal(items, budget).chosen == brute_force(items, budget)

    def test_array_kind_follows_the_size_of_the_sums(self):
        """64-bit arrays for every real round; Python integers only past what 64 bits can hold."""
        small = engine.decision.knapsack._Problem.of([10**8] * 3, [10**6] * 3, [0, 1, 2], 2 * 10**8)
        huge = engine.decision.knapsack._Problem.of([10**19] * 3, [10**6] * 3, [0, 1, 2], 2 * 10**19)
        assert (np.dtype(small.dtype), huge.dtype) == (np.dtype(np.int64), object)

    @settings(max_examples=40, deadline=None)
    @given(st.integers(20, 60), st.integers(0, 2**32))
    def test_compacting_the_flips_changes_nothing(self, n, seed):
        """Compacting the tree of flips after every step chooses the same set."""
        items, budget = strongly_correlated(n, 10**6, seed)
        expected = optimal(items, budget).chosen
        with tuned(_COMPACT_AFTER=0, _CARD_AFTER=0):
            assert optimal(items, budget).chosen == expected

    @settings(max_examples=40, deadline=None)
    @given(st.integers(101, 400), st.integers(0, 2**32), st.booleans())
    def test_steps_fixed_from_the_start_are_skipped_safely(self, n, seed, correlated):
        """Skipping the steps whose items the first bound fixes against the starting incumbent chooses the same
        set as testing every item as the core reaches it, pruning with the core's ends where they would be."""
        if correlated:
            items, budget = strongly_correlated(n, 10**6, seed)
        else:
            rng = random.Random(seed)
            items = [Item(f"p{i}", rng.randint(1, 10**6), rng.randint(1, 10**4)) for i in range(n)]
            budget = rng.randint(1, sum(item.cost for item in items))
        knapsack_module = engine.decision.knapsack

        def run():
            """The set chosen, and the core's ends at each pruning of the states."""
            ends = []
            with pytest.MonkeyPatch.context() as patch:
                for kind in (knapsack_module._Few, knapsack_module._States):
                    prune = kind.prune
                    patch.setattr(kind, "prune", lambda states, problem, inc, s, t, card, _prune=prune:
                                  ends.append((s, t)) or _prune(states, problem, inc, s, t, card))
                return optimal(items, budget).chosen, ends

        skipping = run()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(knapsack_module, "_fixed_from_start", lambda problem, inc: None)
            assert run() == skipping

    def test_steps_fixed_from_the_start_are_skipped(self):
        """On a round of 300 random items most are fixed from the start: the skip is taken."""
        rng = random.Random(5)
        items = [Item(f"p{i}", rng.randint(1, 10**6), rng.randint(1, 10**4)) for i in range(300)]
        budget = sum(item.cost for item in items) // 3
        knapsack_module = engine.decision.knapsack
        start = knapsack_module._fixed_from_start
        fixed = []
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(knapsack_module, "_fixed_from_start",
                          lambda problem, inc: fixed.append(start(problem, inc)) or fixed[-1])
            optimal(items, budget)
        assert fixed and fixed[0].sum() > 200

    def test_every_path_is_used(self, monkeypatch):
        """The paths the tests above check are really taken on a strongly correlated round: fixing items
        by the cardinality bound, narrowing the first pass, moving from lists to arrays, compacting."""
        calls = {"_Cardinality.fixes": 0, "_States.narrow": 0, "_Few.arrays": 0, "_Tree.compact": 0}
        for name in calls:
            owner, method = name.split(".")
            original = getattr(getattr(engine.decision.knapsack, owner), method)

            def counting(*args, _name=name, _original=original):
                result = _original(*args)
                calls[_name] += result is not False
                return result

            monkeypatch.setattr(getattr(engine.decision.knapsack, owner), method, counting)
        items, budget = strongly_correlated(100, 10**8, 0)
        expected = optimal(items, budget).chosen
        with tuned(_CARD_AFTER=0, _BEAM=50, _ARRAYS_AFTER=20, _COMPACT_AFTER=1000):
            assert optimal(items, budget).chosen == expected
        assert all(calls.values()), calls

    @settings(max_examples=200)
    @given(rounds(min_items=5), st.booleans())
    def test_arrays_from_the_first_step(self, case, wide):
        """With the states in arrays from the first step (64-bit, or Python integers if *wide*), optimal is
        still the brute-force best."""
        items, budget = case
        if wide:
            items = [Item(item.id, item.cost * 10**12, item.score) for item in items]
            budget *= 10**12
        with tuned(_ARRAYS_AFTER=0, _CARD_AFTER=0):
            assert optimal(items, budget).chosen == brute_force(items, budget)

    @given(rounds(max_items=40), st.integers(0, 10**9))
    def test_rank_walk_is_the_greedy_walk(self, case, budget):
        """rank_walk takes exactly what a plain greedy walk down the ranking takes."""
        items, _ = case
        assert rank_walk(items, budget).chosen == greedy_walk(items, budget)

    @given(rounds(max_items=30))
    def test_optimal_scores_at_least_rank(self, case):
        """The optimum never scores less than the rank walk."""
        items, budget = case
        assert optimal(items, budget).score >= rank_walk(items, budget).score

    @given(rounds(max_items=30))
    def test_same_answer_every_run(self, case):
        """optimal is a function of its input: running it again, or on a copy, gives the same selection."""
        items, budget = case
        assert optimal(items, budget) == optimal(list(items), budget)


class TestHard:
    @pytest.mark.parametrize("seed", [1, 2, 3])
    def test_strongly_correlated_60(self, seed):
        """The hard strongly correlated round at 60 items equals a dynamic programme over scores."""
        items, budget = strongly_correlated(60, 10**4, seed)
        assert optimal(items, budget).chosen == by_score_dp(items, budget)

    def test_strongly_correlated_200(self):
        """The hard strongly correlated round at 200 items equals a dynamic programme over scores."""
        items, budget = strongly_correlated(200, 10**4, 7)
        assert optimal(items, budget).chosen == by_score_dp(items, budget)

    @settings(max_examples=25)
    @given(st.integers(20, 60), st.integers(0, 2**32), st.floats(0.1, 0.9))
    def test_strongly_correlated_any_budget(self, n, seed, share):
        """At any share of the total, the hard round equals the dynamic programme over scores."""
        items, total_half = strongly_correlated(n, 3000, seed)
        budget = int(2 * total_half * share)
        assert optimal(items, budget).chosen == by_score_dp(items, budget)

    @pytest.mark.parametrize("seed", [1, 2])
    def test_by_score_dp_is_brute_force(self, seed):
        """The independent dynamic programme itself agrees with brute force on small rounds."""
        rng = random.Random(seed)
        for _ in range(50):
            items = [Item(f"p{k}", rng.randint(1, 40), rng.randint(0, 6)) for k in range(rng.randint(0, 10))]
            budget = rng.randint(0, sum(item.cost for item in items) + 1)
            assert by_score_dp(items, budget) == brute_force(items, budget)
