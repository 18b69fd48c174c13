"""What a policy chooses at every budget from 0 up to a limit, in whole pence, exactly.

The answer is a tuple of :class:`Interval`: consecutive ranges of budgets
(``next.start == prev.end + 1``, the first starting at 0 and the last ending
at the limit) over which ``select(items, b, policy).chosen`` does not change,
adjacent ones differing.  Nothing is sampled: every budget is accounted for.

``rank``
    From the walk's events (:mod:`engine.decision.walk`): the budgets at which
    the walk changes are built item by item, each new one recording the event
    it grew from and the item it adds, so the set taken at every event is a
    chain and no budget is walked twice.  (The walk is not monotone: more
    money can fund an earlier item that crowds a later one out again.)

``optimal``
    The frontier of best shortlists, after Nemhauser and Ullmann.  Taking the
    items from the last ranked to the first, keep every Pareto-optimal
    ``(cost, score)`` of the sets drawn from the items seen so far (no other
    such set costs no more and scores no less), each with the first set by
    rank that has exactly that cost and score: adding item ``i`` to each kept
    set and merging, an exact tie in both goes to the set holding ``i``,
    which is the one first by rank because every other item of either set is
    ranked after ``i``.  No set outside this list can be part of an optimal
    choice: a dominated part can be swapped for the dominating one, and a
    part that is not first by rank for the one that is.  Finally, with the
    points ``(c_0 = 0, s_0 = 0) < (c_1, s_1) < ...`` (costs and scores both
    rising), the optimal choice at budget ``b`` is the point with the largest
    ``c_k <= b``: no set within ``b`` scores more, none with that score costs
    less, and its set is the first by rank among those with that cost and
    score, which is exactly what ``engine.decision.select.optimal`` returns.  So the
    choice is constant on ``[c_k, c_(k+1) - 1]`` and changes at each point.

:func:`budget_intervals` adds the round's reduced offers to the policy's
intervals, for the outcome of a round.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence

import attrs

from .arrays import LIMIT
from .select import Item, check

__all__ = ["Interval", "bids_intervals", "budget_intervals", "joined", "lowest_budget_keeping", "next_budget_including", "sweep"]

Progress = Callable[[int, int], None]


@attrs.frozen
class Interval:
    """A range of budgets, ends included, over which the policy chooses the same items."""

    start: int  # pence, inclusive
    end: int  # pence, inclusive
    chosen: tuple[str, ...]
    allocated: int
    score: int
    # who left since a shortlist, and where those who entered stand: ``(shortlist, left, places)``, where the sweep
    # knows them (``None``: it does not); see :data:`SINCE`
    since: tuple | None = attrs.field(default=None, eq=False, repr=False)


SINCE = """``since`` is ``(before, left, places)``: *before* is a shortlist (a tuple: the very object an interval
holds); *left* are the ids that went out, in its order; *places* are where those that came in stand in this
shortlist, ascending (they are ``chosen[place]``).  *before* with *left* taken out and those put in at *places* is
this shortlist, in order: those who stay keep their order.  It holds only for that object: a reader compares the
shortlist it has with *before* by identity (``is``) and works the change out itself otherwise."""


def sweep(
    items: Sequence[Item],
    policy: str,
    upto: int | None = None,
    progress: Progress | None = None,
    low: int = 0,
) -> tuple[Interval, ...]:
    """What *policy* chooses from *items* at every budget from 0 to *upto* (default: their total cost).

    With *low*, only the budgets from *low* up are asked about: the first interval given is the one that holds
    *low*, and it may be given as starting there.

    *progress*, if given, is called with ``(done, total)`` in budget pence as the sweep advances;
    for ``optimal``, whose work runs over the items rather than the budgets, ``done`` is the
    share of the items handled so far, in pence of ``total``.
    """
    check(items, 0, policy)  # refuses an unknown policy and bad items as select does
    total = sum(item.cost for item in items)
    upto = total if upto is None else upto
    if isinstance(upto, bool) or not isinstance(upto, int):
        raise TypeError(f"'upto' must be <int> pence (got {upto!r})")
    if upto < 0:
        raise ValueError(f"'upto' must be >= 0 (got {upto!r})")
    return _swept(items, policy, upto, progress, low)


def _swept(items: Sequence, policy: str, upto: int, progress: Progress | None = None,
           low: int = 0, frontier_of: Callable | None = None) -> tuple[Interval, ...]:
    """:func:`sweep` of *items* already checked (anything with an ``id``, ``cost`` and ``score``: a round's own);
    under ``optimal`` the frontier is *frontier_of*'s (called as :func:`frontier` is), if given."""
    report = progress or (lambda done, total: None)
    report(0, upto)
    if policy == "rank":
        found = _rank(items, min(low, upto), upto, report)
    else:
        found = _optimal(items, low, upto, progress, frontier_of or frontier)  # the frontier reports, if asked
    report(upto, upto)
    return _merged(found)


def next_budget_including(intervals: Sequence[Interval], item_id: str, budget: int) -> int | None:
    """The smallest budget above *budget* at which *item_id* is chosen (``None`` if none up to the end)."""
    first = _at(intervals, budget) if budget <= intervals[-1].end else len(intervals)
    for interval in intervals[first:]:
        if item_id in interval.chosen and interval.end > budget:
            return max(interval.start, budget + 1)
    return None


def lowest_budget_keeping(intervals: Sequence[Interval], item_id: str, budget: int) -> int | None:
    """For *item_id* chosen at *budget*: the smallest ``b`` such that it is chosen at every budget in
    ``[b, budget]`` (below ``b`` it drops out); ``None`` if it is chosen all the way down to 0.
    """
    k = _at(intervals, budget)
    if item_id not in intervals[k].chosen:
        raise ValueError(f"{item_id!r} is not chosen at a budget of {budget}")
    while k > 0 and item_id in intervals[k - 1].chosen:
        k -= 1
    return intervals[k].start if intervals[k].start > 0 else None


def _at(intervals: Sequence[Interval], budget: int) -> int:
    """The index of the interval holding *budget*."""
    if not intervals or not intervals[0].start <= budget <= intervals[-1].end:
        raise ValueError(f"a budget of {budget} is outside the sweep")
    return bisect_right([interval.start for interval in intervals], budget) - 1


def _merged(found: list[Interval]) -> tuple[Interval, ...]:
    out: list[Interval] = []
    for interval in found:
        if out and out[-1].chosen == interval.chosen:
            out[-1] = attrs.evolve(out[-1], end=interval.end)
        else:
            out.append(interval)
    return tuple(out)


def _rank(items: Sequence[Item], low: int, upto: int, report: Progress) -> list[Interval]:
    from .walk import walk_events, walk_window

    costs = [item.cost for item in items]
    # from £0, every event; from higher up, only the window's (the walk is not made again from £0 for each of the
    # many narrow ranges of allocations a large round's sweep is made of)
    starts, taken = walk_window(costs, low, upto) if low > 0 else walk_events(costs, upto)
    # each interval's ids and score read by map (a large round's sweep reads fifteen million of them)
    id_of, score_of = [item.id for item in items].__getitem__, [item.score for item in items].__getitem__
    found = []
    for k, start in enumerate(starts):
        end = starts[k + 1] - 1 if k + 1 < len(starts) else upto
        chosen = tuple(map(id_of, taken[k]))
        # at an event of the walk the item that newly fits leaves nothing over, so what it allocates is the
        # budget itself; the window's first budget need not be an event
        allocated = start if k or low == 0 else sum(costs[r] for r in taken[k])
        found.append(Interval(start, end, chosen, allocated, sum(map(score_of, taken[k]))))
        report(start, upto)
    return found


def _optimal(items: Sequence[Item], low: int, upto: int, report: Progress | None,
             frontier_of: Callable) -> list[Interval]:
    costs, scores, sets = frontier_of(items, upto, report)
    found = []
    # one best set differs from the next in a few items: each set's ids are the last one's with those taken out
    # and put in, not read again bit by bit (a large round's frontier has 10**5 sets of hundreds of items each)
    ranks: list[int] = []  # of the set, ascending
    ids: list[str] = []  # theirs, in the same order
    mask = 0
    before = None  # the last set's ids
    for k in range(max(bisect_right(costs, low) - 1, 0), len(costs)):  # from the point that holds low
        new = sets[k]
        left, places = [], []  # in rank order: the order of the sets they were and are in
        for r in ranks_of(mask & ~new):
            at = bisect_left(ranks, r)
            left.append(ids[at])
            del ranks[at], ids[at]
        for r in ranks_of(new & ~mask):  # each after the last put in: where it goes is where it stays
            at = bisect_left(ranks, r)
            ranks.insert(at, r)
            ids.insert(at, items[r].id)
            places.append(at)
        mask = new
        end = costs[k + 1] - 1 if k + 1 < len(costs) else upto
        chosen = tuple(ids)
        since = (before, tuple(left), tuple(places)) if before is not None else None
        found.append(Interval(costs[k], end, chosen, costs[k], scores[k], since))
        before = chosen
    return found


def ranks_of(mask: int):
    """The ranks of the bits of *mask*, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def members(items: Sequence[Item], mask: int) -> tuple[str, ...]:
    """The ids of the items of a set (bit r: the item of rank r), in rank order."""
    return tuple(items[r].id for r in ranks_of(mask))


LONG = 64  # points of the frontier past which it is merged on numpy arrays


def frontier(items: Sequence[Item], upto: int, report: Progress | None = None) -> tuple[list, list, list]:
    """The frontier of best shortlists up to *upto* (see the module's notes): the costs, ascending, the
    scores, rising, and the sets as bit masks (bit r: the item of rank r).

    Once it holds more than :data:`LONG` points (in a round of more than
    :data:`engine.decision.regimes.SMALL` items) the frontier is merged on numpy arrays (:class:`_Packed`), in
    the same order and with the same tie-break."""
    from .regimes import SMALL

    n = len(items)
    costs, scores, sets = [0], [0], [0]
    packed = None
    crowded = _crowded_out(items, upto)
    # the arrays hold 64-bit numbers: a frontier's costs reach *upto* at most and its scores the sum of them all;
    # 32-bit numbers where those fit in them, for half the memory to pass over at each item
    most = sum(item.score for item in items if item.score > 0)
    fits = n > SMALL and upto < LIMIT and most < LIMIT
    narrow = upto < 2**31 and most < 2**31
    # only the items a best set can hold are added (a large round's regimes leave out nine in ten)
    for r in [r for r in range(n - 1, -1, -1)
              if items[r].score > 0 and items[r].cost <= upto and r not in crowded]:
        item = items[r]
        if packed is not None:
            packed.add(item.cost, item.score, r, upto)
        else:
            costs, scores, sets = _with(costs, scores, sets, item.cost, item.score, 1 << r, upto)
            if fits and len(costs) > LONG:
                import numpy as np

                packed = _Packed(np, costs, scores, sets, r, narrow)
        if report is not None:
            report(upto * (n - r) // (n + 1), upto)
    if packed is not None:
        return packed.result()
    return costs, scores, sets


def _crowded_out(items: Sequence[Item], upto: int) -> set[int]:
    """The ranks of the items no best set within *upto* can hold: those that at least ``m`` others match or beat
    (cost no more, score no less, and better on cost, score or rank), ``m`` being the most items a set within
    *upto* can hold.

    A set holding such an item holds fewer than ``m`` others, so one of those that match or beat it is left
    out; put in its place, the set costs no more and scores no less, and where it is the same on both it holds
    the better-ranked item, so it comes first.  The frontier is the same without the item."""
    # those that beat an item come before it: by cost, then score, then rank
    able = sorted((item.cost, -item.score, r) for r, item in enumerate(items) if item.score > 0 and item.cost <= upto)
    most = total = 0
    for cost, _, _ in able:
        if total + cost > upto:
            break
        total, most = total + cost, most + 1
    if most == 0 or len(able) <= most:
        return set()
    out: set[int] = set()
    best: list[int] = []  # the scores of the best `most` items met so far (a heap: the least first)
    for _, less, r in able:
        score = -less
        if len(best) == most and best[0] >= score:
            out.add(r)
        if len(best) < most:
            heapq.heappush(best, score)
        elif score > best[0]:
            heapq.heapreplace(best, score)
    return out


WORD = 64  # items per word of a set's bits while the frontier is merged on arrays (at most 64)


class _Packed:
    """The frontier on numpy arrays: :func:`_with` for many points, in the same order and with the same tie-break.

    The items are added from the last rank up, so while the items of one word of ranks are added (``WORD``
    of them) a set is the set it had when the word began (an entry of :attr:`sets`, whole numbers) and its
    bits in this word (:attr:`low`, 64-bit); the word's bits join the whole numbers once, as the word ends.
    Adding an item then moves only 64-bit numbers, whatever the size of the round.  With *narrow*, the costs
    and scores are 32-bit numbers: every point's cost is at most *upto* and its score at most the sum of them
    all (both below 2**31, as :func:`frontier` checks), and no larger sum is formed."""

    def __init__(self, np, costs, scores, sets, r: int, narrow: bool = False):
        self.np = np
        kind = np.int32 if narrow else np.int64
        self.costs, self.scores = np.array(costs, dtype=kind), np.array(scores, dtype=kind)
        self.sets = list(sets)  # whole numbers, the bits of this word included so far
        self.word = r // WORD
        self.base = np.arange(len(costs), dtype=np.int64)  # each point's entry of sets
        self.low = np.zeros(len(costs), dtype=np.uint64)  # each point's bits of this word, added since

    def add(self, cost: int, score: int, r: int, upto: int) -> None:
        """The sets that fit with item *r*, the item added, are merged with the frontier by cost (a stable sort
        of two sorted runs, the new point first at one cost); a point is kept when it scores more than every
        point before it, and of two kept at one cost the second (the one that scores more) stays."""
        np = self.np
        if r // WORD != self.word:
            self._settle()
            self.word = r // WORD
        costs, scores = self.costs, self.scores
        # (a number of the arrays' own kind: any other would have numpy convert the whole array to search it)
        m = int(np.searchsorted(costs, costs.dtype.type(upto - cost), side="right"))
        if m == 0:
            return
        c = np.concatenate((costs[:m] + cost, costs))
        order = np.argsort(c, kind="stable")
        c = c[order]
        s = np.concatenate((scores[:m] + score, scores))[order]
        kept = np.ones(len(s), dtype=bool)
        kept[1:] = s[1:] > np.maximum.accumulate(s)[:-1]
        kept = np.flatnonzero(kept)
        ends = kept[np.append(c[kept[:-1]] != c[kept[1:]], True)]  # of two kept at one cost, the second
        picked = order[ends]  # into the new points, then the frontier as it was
        self.costs, self.scores = c[ends], s[ends]
        self.base = np.concatenate((self.base[:m], self.base))[picked]
        self.low = np.concatenate((self.low[:m] | np.uint64(1 << (r % WORD)), self.low))[picked]

    def _settle(self) -> None:
        """The word's bits join the whole numbers."""
        shift = WORD * self.word
        sets = self.sets
        self.sets = [sets[b] | (bits << shift) if bits else sets[b]
                     for b, bits in zip(self.base.tolist(), self.low.tolist())]
        self.base = self.np.arange(len(self.sets), dtype=self.np.int64)
        self.low = self.np.zeros(len(self.sets), dtype=self.np.uint64)

    def result(self) -> tuple[list, list, list]:
        self._settle()
        return self.costs.tolist(), self.scores.tolist(), self.sets


def _with(costs, scores, sets, cost, score, bit, upto):
    """The frontier merged with itself plus one item; an exact tie goes to the set holding the item."""
    m = bisect_right(costs, upto - cost)  # sets that still fit with the item
    rc, rs, rm = [], [], []
    i = k = 0
    best = -1
    size = len(costs)
    while i < size or k < m:
        if k < m and (i >= size or costs[k] + cost <= costs[i]):
            c, s, mask = costs[k] + cost, scores[k] + score, sets[k] | bit
            if i < size and costs[i] == c and scores[i] > s:
                c, s, mask = costs[i], scores[i], sets[i]
            if i < size and costs[i] == c:
                i += 1
            k += 1
        else:
            c, s, mask = costs[i], scores[i], sets[i]
            i += 1
        if s > best:
            rc.append(c)
            rs.append(s)
            rm.append(mask)
            best = s
    return rc, rs, rm


def budget_intervals(situation, low: int = 0, high: int | None = None, progress: Progress | None = None) -> tuple:
    """The shortlist of a round (a :class:`~engine.decision.shortlist.Situation`) at every upfront allocation
    from *low* to *high* (default: from £0 to the situation's limit), reduced offers included, with the
    proposals eligible in the situation.

    The policy's own intervals are split where a reduced offer starts or stops
    applying: on an interval whose shortlist costs ``A``, a proposal left out with
    minimum ``m`` and cost ``c`` can be offered ``m`` for the allocations ``A + m`` to
    ``A + c - 1``; the first such in the order considered is.  *progress* as for :func:`sweep`.
    """
    high = situation.upto if high is None else high
    candidates = [p for p in situation.candidates if p.minimum_cost <= high]
    # a proposal dearer than every allocation asked about is never taken there, nor offered its minimum when
    # that is dearer too: leaving it out of the walk or the knapsack changes nothing up to *high*
    offered = {p.id for p in candidates}
    items = [item for item in situation.items if item.cost <= high or item.id in offered]
    return bids_intervals(items, candidates, frozenset(p.id for p in situation.eligible), situation.base_policy,
                          low, high, situation.frontier, progress)


def bids_intervals(items: Sequence, candidates, eligible: frozenset, policy: str, low: int, high: int,
                   frontier_of: Callable | None = None, progress: Progress | None = None) -> tuple:
    """:func:`budget_intervals` of the bids *items* (in the order considered, with ``id``, ``cost`` and ``score``),
    the proposals that could be offered a reduced amount (*candidates*) and the ids of those *eligible*, under the
    base *policy* (``rank`` or ``optimal``), from *low* to *high* (the frontier *frontier_of*'s, if given);
    *progress* as for :func:`sweep`."""
    from .shortlist import BudgetInterval

    scores = {item.id: item.score for item in items}
    out: list = []
    for iv in _swept(items, policy, high, progress, low=low, frontier_of=frontier_of):
        if iv.end < low:
            continue
        start = max(iv.start, low)
        if not candidates:  # no reduced offer to make: the interval as the sweep gives it
            out.append(BudgetInterval(start, iv.end, iv.chosen, iv.allocated, iv.score, None, eligible, iv.since))
            continue
        taken = set(iv.chosen)
        left_out = [p for p in candidates if p.id not in taken]
        cuts = sorted({start, iv.end + 1} | {b for p in left_out for b in (iv.allocated + p.minimum_cost,
                                                                             iv.allocated + p.cost)
                                              if start < b <= iv.end})
        for first, nxt in zip(cuts, cuts[1:]):
            offer = next(((p.id, p.minimum_cost) for p in left_out
                          if p.minimum_cost <= first - iv.allocated < p.cost), None)
            if offer is None:
                out.append(BudgetInterval(first, nxt - 1, iv.chosen, iv.allocated, iv.score, None, eligible))
            else:
                pid, amount = offer
                chosen = tuple(item.id for item in items if item.id in taken or item.id == pid)
                out.append(BudgetInterval(first, nxt - 1, chosen, iv.allocated + amount, iv.score + scores[pid],
                                          offer, eligible))
    return joined([out])


def joined(parts) -> tuple:
    """Lists of budget intervals, one after another, with neighbours that shortlist the same merged."""
    out: list = []
    for part in parts:
        for iv in part:
            last = out[-1] if out else None
            if last and last.chosen == iv.chosen and last.allocated == iv.allocated and last.offer == iv.offer \
                    and last.score == iv.score and last.end + 1 == iv.start:
                out[-1] = attrs.evolve(last, end=iv.end)
            else:
                out.append(iv)
    return tuple(out)
