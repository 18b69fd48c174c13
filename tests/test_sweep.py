"""Tests for engine.decision.sweep: every budget accounted for, and each interval agreeing with select()."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.errors import InputError
from engine.decision.select import POLICIES, Item, select
from engine.decision.sweep import Interval, lowest_budget_keeping, next_budget_including, sweep


def items_of(*rows: tuple[int, int]) -> list[Item]:
    """Items named a, b, c, ... in rank order from (cost, score) rows."""
    return [Item(chr(ord("a") + k), cost, score) for k, (cost, score) in enumerate(rows)]


@st.composite
def rounds(draw, max_items: int = 10, max_cost: int | None = None, min_items: int = 0):
    """A ranked round of *min_items* to *max_items* items with costs up to a few thousand pence."""
    max_cost = max_cost or draw(st.sampled_from([5, 60, 3000]))
    scores = st.integers(0, draw(st.sampled_from([2, 25, 10**4])))
    rows = draw(st.lists(st.tuples(st.integers(1, max_cost), scores), min_size=min_items, max_size=max_items))
    if rows and draw(st.booleans()):  # copies of earlier items: exact ties
        rows = (rows + draw(st.lists(st.sampled_from(rows), max_size=3)))[:max_items]
    return [Item(f"p{k}", cost, score) for k, (cost, score) in enumerate(rows)]


def check_tiling(intervals: tuple[Interval, ...], upto: int) -> None:
    """The intervals run from 0 to *upto* with no gap or overlap, and adjacent ones differ."""
    assert intervals[0].start == 0
    assert intervals[-1].end == upto
    for before, after in zip(intervals, intervals[1:]):
        assert after.start == before.end + 1
        assert after.chosen != before.chosen
    for interval in intervals:
        assert interval.start <= interval.end


def agrees(items: list[Item], policy: str, budget: int, interval: Interval) -> bool:
    """Whether select() at *budget* gives exactly the interval's choice and totals."""
    sel = select(items, budget, policy)
    return (sel.chosen, sel.allocated, sel.score) == (interval.chosen, interval.allocated, interval.score)


class TestSweep:
    def test_rank_is_not_monotone(self):
        """More money can fund an earlier item that crowds a later one out again."""
        assert sweep(items_of((6, 1), (5, 1)), "rank") == (
            Interval(0, 4, (), 0, 0),
            Interval(5, 5, ("b",), 5, 1),
            Interval(6, 10, ("a",), 6, 1),
            Interval(11, 11, ("a", "b"), 11, 2),
        )

    def test_optimal_frontier(self):
        """The optimal choice changes only where a better shortlist becomes affordable."""
        assert sweep(items_of((60, 10), (50, 8), (50, 8)), "optimal") == (
            Interval(0, 49, (), 0, 0),
            Interval(50, 59, ("b",), 50, 8),
            Interval(60, 99, ("a",), 60, 10),
            Interval(100, 109, ("b", "c"), 100, 16),
            Interval(110, 159, ("a", "b"), 110, 18),
            Interval(160, 160, ("a", "b", "c"), 160, 26),
        )

    def test_optimal_tie_goes_to_earlier_rank(self):
        """Where two shortlists tie in score and cost, the interval holds the one first by rank."""
        intervals = sweep(items_of((5, 2), (10, 4), (5, 2)), "optimal")
        assert [(i.start, i.chosen) for i in intervals] == [
            (0, ()), (5, ("a",)), (10, ("a", "c")), (15, ("a", "b")), (20, ("a", "b", "c")),
        ]

    @pytest.mark.parametrize("policy", POLICIES)
    def test_upto(self, policy):
        """The sweep stops at the budget asked for."""
        intervals = sweep(items_of((60, 10), (50, 8)), policy, upto=75)
        assert intervals[-1].end == 75
        check_tiling(intervals, 75)

    @pytest.mark.parametrize("policy", POLICIES)
    def test_no_items(self, policy):
        """With no items there is one interval, choosing nothing."""
        assert sweep([], policy, upto=10) == (Interval(0, 10, (), 0, 0),)

    @pytest.mark.parametrize("policy", POLICIES)
    def test_progress(self, policy):
        """The progress callback sees the total each time, done never going back, and ends complete."""
        calls = []
        sweep(items_of((60, 10), (50, 8), (50, 8)), policy, progress=lambda done, total: calls.append((done, total)))
        assert calls[0] == (0, 160) and calls[-1] == (160, 160)
        assert all(total == 160 for _, total in calls)
        assert [done for done, _ in calls] == sorted(done for done, _ in calls)

    @pytest.mark.parametrize("policy", ["rank", "optimal"])
    def test_progress_of_a_round(self, policy, tmp_path, monkeypatch):
        """A round's sweep, range of allocations by range, counts each range and the money it spans: on 80 generated
        bids (a range at each cost below the dearest, then one to the total eligible cost), one total, never going
        back, complete at the end, and the last range, which takes longest, a third of the way or more."""
        import sys

        from engine.inputs.load import load_inputs
        from engine.inputs.scenario import Overrides, run

        from .conftest import REPO, ROUNDS

        sys.path.insert(0, str(REPO / "bench"))
        from scale_bench import write_round

        write_round(tmp_path / "g80", 80, 5)
        inputs = load_inputs(ROUNDS["kcsp-2026-27"][0], tmp_path / "g80")
        situation = run(inputs.round, inputs.proposals, Overrides(policy=policy), counterfactuals=False).situation
        from engine.decision import sweep as module

        calls, at_last = [], []  # the ticks, and the last tick when the last range began
        last_low = situation.regimes[-1][0]
        for name in ("bids_intervals", "budget_intervals"):
            def noted(*args, _work=getattr(module, name), **kwargs):
                if last_low in args:
                    at_last.append(calls[-1])
                return _work(*args, **kwargs)

            monkeypatch.setattr(module, name, noted)
        situation.sweep(lambda done, total: calls.append((done, total)))
        total = calls[-1][1]
        assert {t for _, t in calls} == {total} and calls[-1][0] == total
        assert [done for done, _ in calls] == sorted(done for done, _ in calls)
        assert len(situation.regimes) > 40 and at_last
        assert at_last[0][0] <= total - total // 3, (at_last, total)

    def test_unknown_policy(self):
        """An unknown policy is refused as select() refuses it."""
        with pytest.raises(InputError, match="did you mean 'rank'"):
            sweep([], "ranks")

    def test_refuses_negative_upto(self):
        """A negative upper budget is refused."""
        with pytest.raises(ValueError, match="'upto' must be >= 0"):
            sweep([], "rank", upto=-1)


class TestProperties:
    @settings(max_examples=200)
    @given(rounds(), st.sampled_from(POLICIES))
    def test_tiles_and_agrees_at_ends_and_middle(self, items, policy):
        """The intervals tile [0, total] and select() agrees at the start, end and middle of each."""
        intervals = sweep(items, policy)
        check_tiling(intervals, sum(item.cost for item in items))
        for interval in intervals:
            for budget in {interval.start, interval.end, (interval.start + interval.end) // 2}:
                assert agrees(items, policy, budget, interval)

    @settings(max_examples=100)
    @given(rounds(max_items=8, max_cost=40), st.sampled_from(POLICIES))
    def test_agrees_at_every_budget(self, items, policy):
        """On small rounds select() agrees with the sweep at every budget in pence."""
        intervals = sweep(items, policy)
        check_tiling(intervals, sum(item.cost for item in items))
        for interval in intervals:
            for budget in range(interval.start, interval.end + 1):
                assert agrees(items, policy, budget, interval)

    @settings(max_examples=100)
    @given(rounds(), st.sampled_from(POLICIES), st.integers(0, 40000))
    def test_upto_is_a_prefix(self, items, policy, upto):
        """Sweeping up to a budget gives the full sweep cut at that budget."""
        full = {(i.start, i.end): i for i in sweep(items, policy, upto=max(upto, sum(i.cost for i in items)))}
        part = sweep(items, policy, upto=upto)
        check_tiling(part, upto)
        for interval in part[:-1]:
            assert full[(interval.start, interval.end)] == interval

    @settings(max_examples=200)
    @given(rounds(max_items=12), st.sampled_from(POLICIES), st.data())
    def test_from_low_is_the_full_sweep_from_there(self, items, policy, data):
        """Swept from a budget *low* up to *upto*, each interval is the full sweep's from there, the first starting
        at *low* at most, with what it allocates and scores (the walk's window need not start at an event)."""
        total = sum(i.cost for i in items)
        upto = data.draw(st.integers(0, total + 3), label="upto")
        low = data.draw(st.integers(0, upto), label="low")
        full = [i for i in sweep(items, policy, upto=upto) if i.end >= low]
        part = sweep(items, policy, upto=upto, low=low)
        assert part[0].start <= low and part[-1].end == upto
        assert [(max(i.start, low), i.end, i.chosen, i.allocated, i.score) for i in part] == \
            [(max(i.start, low), i.end, i.chosen, i.allocated, i.score) for i in full]

    @settings(max_examples=100)
    @given(rounds(max_items=7, max_cost=30), st.sampled_from(POLICIES), st.data())
    def test_counterfactuals_agree_with_select(self, items, policy, data):
        """The counterfactual helpers give what a direct search over select() gives."""
        total = sum(item.cost for item in items)
        intervals = sweep(items, policy)
        chosen = [set(select(items, b, policy).chosen) for b in range(total + 1)]
        budget = data.draw(st.integers(0, total))
        for item in items:
            following = [b for b in range(budget + 1, total + 1) if item.id in chosen[b]]
            assert next_budget_including(intervals, item.id, budget) == (following[0] if following else None)
            if item.id in chosen[budget]:
                low = budget
                while low > 0 and item.id in chosen[low - 1]:
                    low -= 1
                assert lowest_budget_keeping(intervals, item.id, budget) == (low or None)
            else:
                with pytest.raises(ValueError, match="not chosen"):
                    lowest_budget_keeping(intervals, item.id, budget)


class TestFrontierOnArrays:
    """Past SMALL items the frontier of best sets is merged on numpy arrays: the same points, the same sets."""

    @settings(max_examples=300)
    @given(rounds(max_items=30), st.data())
    def test_the_same_frontier(self, items, data):
        from engine.decision import regimes
        from engine.decision import sweep as sweep_module
        from engine.decision.sweep import frontier

        upto = data.draw(st.integers(0, sum(item.cost for item in items)))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(regimes, "SMALL", 10**9)
            on_lists = frontier(items, upto)
            patch.setattr(regimes, "SMALL", -1)
            patch.setattr(sweep_module, "LONG", 0)
            on_arrays = frontier(items, upto)
        assert on_arrays == on_lists
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(regimes, "SMALL", -1)
            patch.setattr(sweep_module, "LONG", 2)  # lists first, then arrays
            assert sweep(items, "optimal", upto=upto) == sweep_on_lists(items, upto)


    @settings(max_examples=60, deadline=None)
    @given(rounds(min_items=65, max_items=140, max_cost=40), st.sampled_from([64, 5, 1]), st.data())
    def test_the_same_sets_across_words(self, items, word, data):
        """With more items than a word holds (and with words of a few items, so that many words end), the
        frontier on arrays holds the same sets as on lists."""
        from engine.decision import regimes
        from engine.decision import sweep as sweep_module
        from engine.decision.sweep import frontier

        upto = data.draw(st.integers(0, sum(item.cost for item in items)))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(regimes, "SMALL", 10**9)
            on_lists = frontier(items, upto)
            patch.setattr(regimes, "SMALL", -1)
            patch.setattr(sweep_module, "LONG", data.draw(st.sampled_from([0, 2, 40])))
            patch.setattr(sweep_module, "WORD", word)
            assert frontier(items, upto) == on_lists


class TestChangesTheSweepKnows:
    """Under optimal each interval carries who entered and left since the one before it (``since``), as reading
    every id of both shortlists says; the first interval, and every interval of the rank walk, carries none."""

    @settings(max_examples=300)
    @given(rounds(max_items=14), st.data())
    def test_each_change_is_the_one_from_the_interval_before(self, items, data):
        upto = data.draw(st.integers(0, sum(item.cost for item in items)))
        low = data.draw(st.integers(0, upto))
        for policy in ("optimal", "rank"):
            found = sweep(items, policy, upto=upto, low=low)
            assert found[0].since is None
            for before, iv in zip(found, found[1:]):
                if policy == "rank":
                    assert iv.since is None
                    continue
                assert_told(before, iv)

    @settings(max_examples=60, deadline=None)
    @given(rounds(min_items=65, max_items=100, max_cost=40), st.data())
    def test_the_same_on_arrays(self, items, data):
        """Past SMALL items, on the frontier merged on arrays, word by word."""
        from engine.decision import regimes
        from engine.decision import sweep as sweep_module

        upto = data.draw(st.integers(0, sum(item.cost for item in items)))
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(regimes, "SMALL", -1)
            patch.setattr(sweep_module, "WORD", data.draw(st.sampled_from([64, 5])))
            found = sweep(items, "optimal", upto=upto)
        for before, iv in zip(found, found[1:]):
            assert_told(before, iv)


def assert_told(before, iv):
    """*iv*'s change since *before* (``since``) is what reading every id of both says, and makes its shortlist."""
    was, left, places = iv.since
    entered = tuple(iv.chosen[place] for place in places)
    assert was is before.chosen
    assert entered == tuple(pid for pid in iv.chosen if pid not in before.chosen)
    assert left == tuple(pid for pid in before.chosen if pid not in iv.chosen)
    assert list(places) == sorted(places)
    made = [pid for pid in before.chosen if pid not in left]
    for place, pid in zip(places, entered):
        made.insert(place, pid)
    assert tuple(made) == iv.chosen


def sweep_on_lists(items, upto):
    """The sweep on lists, for the same items."""
    from engine.decision import regimes

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(regimes, "SMALL", 10**9)
        return sweep(items, "optimal", upto=upto)


class TestCrowdedOut:
    """Items that enough others match or beat are left out of the frontier; the frontier is the same."""

    @settings(max_examples=400)
    @given(rounds(max_items=24, max_cost=60), st.data())
    def test_the_same_frontier_without_them(self, items, data):
        from engine.decision import sweep as sweep_module
        from engine.decision.sweep import frontier

        upto = data.draw(st.integers(0, sum(item.cost for item in items)))
        pruned = frontier(items, upto)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(sweep_module, "_crowded_out", lambda items, upto: set())
            assert pruned == frontier(items, upto)

    def test_some_are_left_out(self):
        """Twelve copies of one item and a dearer, weaker one, within room for three: the weaker one and all
        but the three best-ranked copies can be left out."""
        from engine.decision.sweep import _crowded_out

        items = items_of(*([(10, 5)] * 12 + [(11, 4)]))
        assert _crowded_out(items, 30) == set(range(3, 13))
