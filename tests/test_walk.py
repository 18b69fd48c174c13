"""The rank walk at every budget on Python lists (small rounds) and on numpy's arrays: the same answers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from engine.decision import arrays, walk

costs_lists = st.lists(st.one_of(st.integers(1, 50), st.integers(1, 10**6)), min_size=1, max_size=40)


def _lefts(costs, budget):
    """The money left as a plain walk at *budget* reaches each item."""
    left, out = budget, []
    for cost in costs:
        out.append(left)
        if cost <= left:
            left -= cost
    return out


def _both(run):
    """*run()* with the walk on numpy's arrays, then on lists."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(walk, "SMALL", -1)
        on_numpy = run()
        patch.setattr(walk, "SMALL", 10**9)
        on_lists = run()
    return on_numpy, on_lists


class TestArrayModules:
    def test_small_rounds_use_lists(self):
        """Up to SMALL items the walk does without numpy."""
        assert walk.array_module(walk.SMALL) is arrays
        assert walk.array_module(walk.SMALL + 1).__name__ == "numpy"

    @settings(max_examples=150)
    @given(costs_lists, st.integers(0, 2 * 10**6), st.integers(0, 4 * 10**6))
    def test_standings_agree(self, costs, budget, extra):
        """Every item's standing, and who the walk takes at each nearest event, are the same on both."""
        upto = budget + extra
        lefts = _lefts(costs, budget)

        def run():
            standings, chains = walk.walk_standings(costs, budget, lefts, upto)
            events = [st.nearest_event for st in standings if st.nearest_event is not None]
            each = chains.holds_each(events, range(len(costs))) if events else {}
            holds = [chains.np.asarray(each[x]).tolist() for x in range(len(costs))] if events else []
            taken = [chains.taken(e) for e in events]
            # the climb against each event's chain read whole
            assert holds == ([[x in t for t in taken] for x in range(len(costs))] if events else [])
            return standings, taken, holds

        on_numpy, on_lists = _both(run)
        assert on_numpy == on_lists

    @settings(max_examples=150)
    @given(costs_lists, st.integers(0, 4 * 10**6))
    def test_events_agree(self, costs, upto):
        """Every event of the walk up to *upto*, and what it takes there, are the same on both."""
        on_numpy, on_lists = _both(lambda: walk.walk_events(costs, upto))
        assert on_numpy == on_lists

    def test_insert_is_numpys(self):
        """Several values put in before several positions, some at the end, as numpy.insert does."""
        import numpy

        values, slots, new = [10, 20, 30], [0, 2, 2, 3], [1, 2, 3, 4]
        mine = arrays.insert(arrays.Array(values), arrays.Array(slots), arrays.Array(new)).tolist()
        assert mine == numpy.insert(numpy.array(values), numpy.array(slots), numpy.array(new)).tolist()


def _taken(costs, budget):
    """The positions a plain walk at *budget* takes."""
    left, out = budget, []
    for i, cost in enumerate(costs):
        if cost <= left:
            left -= cost
            out.append(i)
    return out


class TestWindow:
    @settings(max_examples=200)
    @given(st.lists(st.integers(1, 60), min_size=1, max_size=12), st.integers(0, 300), st.integers(0, 120),
           st.sampled_from([0, 1, 2, 3, 64]))
    def test_every_budget_of_the_window(self, costs, low, width, most):
        """At every budget of the window the walk takes what the window says from the last change at or below
        it, and what it takes changes at each change: also when the changes run past *most*."""
        high = low + width
        starts, taken = walk.walk_window(costs, low, high, most)
        assert starts[0] == low and starts == sorted(set(starts)) and starts[-1] <= high
        for budget in range(low, high + 1):
            at = max(k for k, start in enumerate(starts) if start <= budget)
            assert taken[at] == _taken(costs, budget)
        assert all(taken[k] != taken[k + 1] for k in range(len(starts) - 1))

    def test_whole_numbers_of_any_size(self):
        """Amounts past 64 bits are walked exactly: a shortfall of 2**70 moves the budget by exactly that."""
        big = 2**70
        assert walk.walk_window([big, 5], 0, big + 10) == ([0, 5, big, big + 5], [[], [1], [0], [0, 1]])

    @settings(max_examples=100)
    @given(costs_lists, st.integers(0, 2 * 10**6), st.integers(0, 10**5), st.sampled_from([0, 2, 64]))
    def test_as_the_events_give_it(self, costs, low, width, most):
        """The window is the events from £0 read from *low* to *high*."""
        high = low + width
        events, sets = walk.walk_events(costs, high)
        at = max(k for k, e in enumerate(events) if e <= low)
        assert walk.walk_window(costs, low, high, most) == ([low] + events[at + 1:], sets[at:])


@given(st.lists(st.integers(-10**9, 10**9), max_size=30), st.data())
def test_values_inserted_at_once_are_those_numpy_inserts(values, data):
    """The walk's arrays grown together (the places of the new entries worked out once) are each what
    ``numpy.insert`` makes of it, on numpy's arrays and on the lists of small rounds."""
    import numpy

    from engine.decision import arrays
    from engine.decision.walk import _inserted

    slots = sorted(data.draw(st.lists(st.integers(0, len(values)), max_size=10)))
    new = data.draw(st.lists(st.integers(-10**9, 10**9), min_size=len(slots), max_size=len(slots)))
    other = [v * 3 + 1 for v in values]
    for np in (numpy, arrays):
        got = _inserted(np, np.array(slots, dtype=np.int64), (np.array(values, dtype=np.int64),
                        np.array(new, dtype=np.int64)), (np.array(other, dtype=np.int64), np.array(new, dtype=np.int64)))
        assert [list(g) for g in got] == [numpy.insert(numpy.array(values, dtype=numpy.int64), slots, new).tolist(),
                                          numpy.insert(numpy.array(other, dtype=numpy.int64), slots, new).tolist()]
