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
