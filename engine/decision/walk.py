"""The rank walk at every budget at once: where it changes, and what it takes there.

The walk goes down the items in order and takes each one whose cost fits in
the money still left.  Write ``E_k`` for the *events* of the walk over the
first ``k`` items: the budgets at which its decisions change (0 included).
Three facts make every budget question about the walk cheap:

1. At an event ``e`` the walk over those items spends exactly ``e``; between
   two events its decisions stay put, so at budget ``b`` it spends the last
   event at or below ``b``, and leaves ``b`` minus that.
2. Item ``k`` (cost ``c``) is therefore taken at budget ``b`` exactly when no
   event of ``E_k`` lies in ``(b - c, b]``: it fits in the gaps between
   events that are longer than ``c``, from ``e + c`` to the next event less
   one penny.
3. ``E_(k+1)`` is ``E_k`` with ``e + c`` added for every event ``e`` whose
   gap to the next is longer than ``c``; at ``e + c`` the walk takes what it
   took at ``e``, and item ``k``.  Events are never removed.

So the budgets at which an item is first taken, or stops being taken, are
read off the gaps as the items are added one by one, and the set taken at an
event is a chain: the set at the event it grew from, and one more item.

A gap no longer than the cheapest item still to come can never be split or
hold an item again, so the arrays keep only the *live* events (the others
stay in the log of chains).  On a round of 10,000 proposals a few tens of
thousands are live at a time.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

import attrs

from .arrays import LIMIT

__all__ = ["Chains", "Standing", "array_module", "walk_events", "walk_standings", "walk_window"]

INF = LIMIT  # the gap after the last event, wherever that is enough (no_gap)
# Up to this many items the walk's arrays are Python lists (engine.decision.arrays): numpy's import would cost
# a small round more than the walk.
SMALL = 64


def array_module(n: int, limit: int = 0):
    """The arrays a walk over *n* items works on: numpy's, or :mod:`engine.decision.arrays` for a small round or
    where the walk's numbers reach *limit* (:func:`no_gap`) and 64-bit numbers cannot hold them."""
    if n <= SMALL or limit > INF:
        from . import arrays

        return arrays
    import numpy

    return numpy


def no_gap(costs: Sequence[int], upto: int) -> int:
    """The gap after the last event (none follows it): more than any budget or cost of the walk, and more than
    every cost together, so that it stays longer than any cost as the items take their share of it.  ``INF``
    wherever that is enough, as it is for any amounts below a few hundred trillion pounds."""
    return max(INF, sum(costs) + max(costs, default=0) + 2 * upto + 1)


@attrs.frozen
class Standing:
    """Item ``position``'s place in the walk at every budget up to the limit.

    ``first`` is the first range of budgets at which it is taken (``None`` if it
    is taken at none up to the limit); ``stays_from`` (for an item taken at the
    budget in use) is the lowest budget from which it is taken at every budget up
    to the one in use; ``nearest`` (for an item not taken) is the least budget
    above the one in use at which it is taken, with ``nearest_event`` the event
    whose chain, with the item, is everything the walk takes there.
    """

    position: int
    first: tuple[int, int] | None
    stays_from: int | None = None
    nearest: int | None = None
    nearest_event: int | None = None


class Chains:
    """The log of events: for each one, the event it grew from and the item it added (root: -1).

    Both are kept as 32-bit numbers (a walk has fewer than 2**31 events and items): a
    round of 10,000 proposals logs about half a million events."""

    def __init__(self, np):
        self.np = np  # the array module the walk ran on
        self.parent = [np.zeros(1, dtype=np.int32)]
        self.item = [np.full(1, -1, dtype=np.int32)]
        self.size = 1

    def add(self, parents, item: int):
        """Log one event per entry of *parents* (the events they grew from), each adding *item*; their ids."""
        np = self.np
        if self.size + len(parents) >= 2**31:
            raise OverflowError("the walk logs more events than 32-bit numbers can name")
        ids = np.arange(self.size, self.size + len(parents), dtype=np.int64)
        self.parent.append(parents.astype(np.int32))
        self.item.append(np.full(len(parents), item, dtype=np.int32))
        self.size += len(parents)
        return ids

    def freeze(self) -> None:
        np = self.np
        if len(self.parent) > 1:
            self.parent = [np.concatenate(self.parent)]
            self.item = [np.concatenate(self.item)]

    def taken(self, event: int) -> list[int]:
        """The positions the walk takes at *event*, in order."""
        self.freeze()
        parent, item = self.parent[0], self.item[0]
        out = []
        while event:
            out.append(int(item[event]))
            event = int(parent[event])
        return out[::-1]

    def holds_each(self, events, positions) -> dict:
        """For each of *positions*: for each event of *events* (an array), whether the walk takes it there.

        A chain's items fall as it is climbed, so each event climbs once, from the greatest of *positions* to
        the least, stopping at each where the item added is no longer after it."""
        np = self.np
        self.freeze()
        item, parent = self.item[0], self.parent[0]
        cur = np.array([int(e) for e in events], dtype=np.int64)
        out = {}
        for position in sorted(positions, reverse=True):
            while True:
                climbing = np.flatnonzero(item[cur] > position)
                if not len(climbing):
                    break
                cur[climbing] = parent[cur[climbing]]
            out[position] = item[cur] == position
        return out


def _grow(np, chains, events, gaps, ids, fits, k: int, cost: int, upto: int):
    """Add item *k*: a new event ``e + cost`` after each event of *fits* (those with a gap longer than
    *cost*), logged in *chains*; events above *upto* are not kept."""
    grown = events[fits] + cost
    keep = grown <= upto
    new_ids = chains.add(ids[fits][keep], k)
    rest = gaps[fits] - cost
    gaps[fits] = cost
    slots = fits[keep] + 1
    return _inserted(np, slots, (events, grown[keep]), (gaps, rest[keep]), (ids, new_ids))


def _inserted(np, slots, *pairs):
    """Each ``(array, values)`` of *pairs* with *values* inserted before the positions *slots* (ascending), as
    ``np.insert`` does, the places of the new entries worked out once for all the arrays."""
    if not hasattr(np, "ndarray"):  # the lists of engine.decision.arrays insert one by one
        return tuple(np.insert(array, slots, values) for array, values in pairs)
    size = len(pairs[0][0]) + len(slots)
    new = slots + np.arange(len(slots))  # where each value lands, the ones before it counted
    old = np.ones(size, dtype=bool)
    old[new] = False
    out = []
    for array, values in pairs:
        merged = np.empty(size, dtype=array.dtype)
        merged[old] = array
        merged[new] = values
        out.append(merged)
    return tuple(out)


def walk_standings(costs: Sequence[int], budget: int, left_before: Sequence[int], upto: int):
    """The :class:`Standing` of every item of a walk (costs in walk order) and the :class:`Chains`.

    *left_before* is the money left when the walk at *budget* reached each item.
    Budgets above *upto* are not considered.
    """
    n = len(costs)
    inf = no_gap(costs, upto)
    np = array_module(n, inf)
    chains = Chains(np)
    suffix_min = [inf] * (n + 1)
    for k in range(n - 1, -1, -1):
        suffix_min[k] = min(costs[k], suffix_min[k + 1])
    events = np.zeros(1, dtype=np.int64)  # live events, ascending
    gaps = np.full(1, inf, dtype=np.int64)  # each one's gap to the next event, live or not
    ids = np.zeros(1, dtype=np.int64)
    out = []
    for k, cost in enumerate(costs):
        fits = np.flatnonzero(gaps > cost)
        first = None
        if len(fits):
            i = fits[0]
            start, end = int(events[i]) + cost, int(events[i] + min(gaps[i], inf // 2)) - 1
            if start <= upto:
                first = (start, min(end, upto))
        left = left_before[k]
        if left >= cost:  # taken at the budget in use
            out.append(Standing(k, first, stays_from=budget - left + cost))
        else:
            before = budget - left  # the event at which the walk stands at *budget*
            later = fits[np.searchsorted(events[fits], before, side="left"):] if len(fits) else fits
            nearest = nearest_event = None
            if len(later) and int(events[later[0]]) + cost <= upto:
                nearest = int(events[later[0]]) + cost
                nearest_event = int(ids[later[0]])
            out.append(Standing(k, first, nearest=nearest, nearest_event=nearest_event))
        if len(fits):
            events, gaps, ids = _grow(np, chains, events, gaps, ids, fits, k, cost, upto)
        live = gaps > suffix_min[k + 1]
        if not live.all():
            events, gaps, ids = events[live], gaps[live], ids[live]
    chains.freeze()
    return out, chains


def walk_events(costs: Sequence[int], upto: int) -> tuple[list[int], list[list[int]]]:
    """Every event of the walk over all the items up to *upto*, ascending, and the positions taken at each."""
    inf = no_gap(costs, upto)
    np = array_module(len(costs), inf)
    chains = Chains(np)
    events = np.zeros(1, dtype=np.int64)
    gaps = np.full(1, inf, dtype=np.int64)
    ids = np.zeros(1, dtype=np.int64)
    for k, cost in enumerate(costs):
        fits = np.flatnonzero(gaps > cost)
        if len(fits):
            events, gaps, ids = _grow(np, chains, events, gaps, ids, fits, k, cost, upto)
    chains.freeze()
    parent, item = chains.parent[0].tolist(), chains.item[0].tolist()
    taken_of: list[list[int]] = [[]]
    for eid in range(1, len(parent)):
        taken_of.append(taken_of[parent[eid]] + [item[eid]])
    return events.tolist(), [taken_of[eid] for eid in ids.tolist()]


def walk_window(costs: Sequence[int], low: int, high: int, most: int = 64) -> tuple[list[int], list[list[int]]]:
    """The walk at every budget from *low* to *high*: the budgets at which what it takes changes (*low* first),
    and the positions taken from each, as :func:`walk_events` gives them over that window.

    At a budget, each item the walk passes over is short of the money left by some amount; until the
    budget has grown by the least of those amounts every decision stays put (the money left at each item
    grows with the budget), and there the first item it makes fit is taken.  So the window is walked once per
    change, far less work than every event from £0 when the window is narrow.  Past *most* changes the rest
    are read from :func:`walk_events`."""
    starts: list[int] = []
    taken: list[list[int]] = []
    budget = low
    while budget <= high:
        if len(starts) == most:
            events, sets = walk_events(costs, high)
            at = bisect_right(events, budget) - 1
            return starts + [budget] + events[at + 1:], taken + sets[at:]
        left, took, short = budget, [], None
        for i, cost in enumerate(costs):
            if cost <= left:
                left -= cost
                took.append(i)
            elif short is None or cost - left < short:
                short = cost - left
        starts.append(budget)
        taken.append(took)
        if short is None:  # everything is taken: nothing changes at any greater budget
            break
        budget += short
    return starts, taken
