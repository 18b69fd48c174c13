"""What would change each decision, found exactly from what the selection saw.

Each eligible upfront proposal gets one of three sets of figures, and every
figure means exactly what the sentence built from it (:mod:`engine.decision.explain`)
says, so that running the what-if it names confirms it:

:class:`Keep` (shortlisted for its full cost)
    ``stays_from``: the lowest upfront allocation from which it is shortlisted
    in full at every allocation up to the one in use; ``below``: what it would
    be offered one penny below that (a reduced amount, or nothing); ``first``:
    where that differs, the first range of allocations at which it is
    shortlisted in full at all (the rank walk is not monotone in the budget).

:class:`Reduced` (offered its minimum cost)
    ``full_at``: the nearest larger allocation at which it would be offered its
    full cost, and who leaves the shortlist there; ``first``: a range of lower
    allocations at which it would be, if there is one.

:class:`Reserve`
    ``nearest``: the nearest larger allocation at which it is shortlisted, who
    leaves the shortlist there and whether it would only get a reduced offer
    there; ``cost``: the greatest cost at which it would be shortlisted in
    full now, every other input unchanged, and whom it would displace.  Under
    ``optimal``, ``tie`` says how the best set with it compares with the set
    chosen, so a tie is told as a tie.

Allocations are searched up to the total eligible cost.  The greatest cost is
searched over every cost from a penny to the allocation: a proposal's cost
moves the value-for-money scores (judged by rank among the eligible
proposals, its own and others'), and with them the ranking, so the scores are
worked out again for each stretch of costs over which they stay the same.
For the rank walk that is cheap: a proposal's cost can only matter through
the few proposals the walk reaches before it runs out of money (the *top*),
and the money the walk can leave for it is bounded whatever the order
(:func:`_left_bound`).  Under ``optimal`` each stretch is settled by the
exact knapsack, after a bound by the linear relaxation rules most of them out.
"""

from __future__ import annotations

import functools
import operator
from bisect import bisect_left, bisect_right, insort
from fractions import Fraction
from typing import Callable

import attrs

from ..inputs.proposal import Proposal
from . import conditions
from .arrays import LIMIT
from .score import UNITS, max_points, units_of
from .knapsack import knapsack
from .select import Item

__all__ = ["Keep", "Reduced", "Reserve", "Tie", "figures"]

# "No such cost" and "no limit": above every whole number, so that it stays above any sum of money, however
# large.  Only ever compared, or the least or greatest of a few: never a figure told.
INF = float("inf")


@attrs.frozen
class Tie:
    """Under ``optimal``: the best set on the other side of a decision, against the set chosen.

    ``kind`` is ``lower`` (it scores less), ``dearer`` (it scores the same and costs
    more) or ``rank`` (the same score and cost: the tie went to the set holding the
    better-ranked proposal ``first``, where the two sets first differ).
    """

    kind: str
    score: int  # units
    cost: int
    chosen_score: int
    chosen_cost: int
    first: str | None = None


@attrs.frozen
class Keep:
    stays_from: int
    below: int | None = None  # the reduced amount it would be offered one penny below stays_from
    first: tuple[int, int] | None = None
    tie: Tie | None = None  # optimal: the best set without it


@attrs.frozen
class Reduced:
    offered: int
    full_at: int | None
    displaces: tuple[str, ...] = ()
    first: tuple[int, int] | None = None


@attrs.frozen
class Reserve:
    nearest: int | None
    displaces: tuple[str, ...] = ()
    offer_there: int | None = None
    cost: int | None = None
    cost_displaces: tuple[str, ...] = ()
    tie: Tie | None = None  # optimal: the best set with it


def figures(situation, progress: Callable[[int, int], None] | None = None) -> dict:
    """The figures of every eligible upfront proposal, by id."""
    report = progress or (lambda done, total: None)
    if not situation.order:
        return {}
    if situation.base_policy == "rank":
        return _by_walk(situation, report)
    return _by_intervals(situation, report)


# --- the rank walk (rank and consensus-first) --------------------------------------------------------


def _by_walk(sit, report) -> dict:
    """The rank family's figures, from the walk at every allocation of the regime in use.

    Above the allocation in use, the walk answers up to the end of its regime (where the
    eligible proposals, and so the order, change) and the regimes above are read from their
    intervals only for a proposal the walk does not shortlist before then.  Below it, when
    lower regimes exist, the shortlisted proposals' figures are read from the intervals of
    every allocation up to the one in use (small shortlists, as the money is small).
    """
    from .walk import walk_standings

    order = sit.order
    choice = sit.choice
    budget = sit.budget
    low, high = next((lo, hi) for lo, hi in sit.regimes if lo <= budget <= hi)
    costs = [p.cost for p in order]
    lefts = [step.left_before for step in choice.selection.steps]
    standings, chains = walk_standings(costs, budget, lefts, high)
    taken = [i for i, step in enumerate(choice.selection.steps) if step.taken]
    holder = choice.offer[0] if choice.offer else None
    candidates = sit.candidates
    offers = frozenset(q.id for q in candidates)
    search = _CostSearch(sit)
    wanted = frozenset(order[st.position].id for st in standings if st.stays_from is not None) | \
        ({holder} if holder else frozenset())
    below_runs = _Below(sit, wanted) if low > 0 else None
    above = _Later(sit, high + 1)
    out = {}
    reserves = [st for st in standings if order[st.position].id != holder and st.stays_from is None]
    displaced = _displaced_at_events(sit, chains, taken, reserves)
    total = len(standings)
    for done, st in enumerate(standings):
        p = order[st.position]
        if st.stays_from is not None:
            if below_runs is not None:
                out[p.id] = below_runs.keep(p)
            else:
                below = None
                if p.id in offers and st.stays_from > 0:
                    below = sit.at(st.stays_from - 1).offered(p.id)
                first = st.first if st.first is not None and st.first[0] < st.stays_from else None
                out[p.id] = Keep(st.stays_from, below, first)
        elif p.id == holder:
            full_at, gone = st.nearest, ()
            if full_at is None:
                there = above.first_full(p.id)
                full_at = there.start if there is not None else None
            if full_at is not None:
                gone = _gone(sit, sit.at(full_at).ids)
            if below_runs is not None:
                first = below_runs.first(p)
            else:
                first = st.first
            first = first if first is not None and first[1] < budget else None
            out[p.id] = Reduced(choice.offer[1], full_at, gone, first)
        else:
            nearest, offer_there, gone = st.nearest, None, displaced.get(st.position, ())
            if p.id in offers:
                nearest_offer = _nearest_offer(sit, p, budget, nearest, high)
                if nearest_offer is not None:
                    nearest = nearest_offer
            if nearest is None:
                there = above.first_with([p.id]).get(p.id)
                if there is not None:
                    nearest = there.start
                    offer_there = there.offer[1] if there.offer and there.offer[0] == p.id else None
                    gone = _gone(sit, there.chosen)
            elif candidates or nearest != st.nearest:
                there = sit.at(nearest)
                offer_there = there.offer[1] if there.offer and there.offer[0] == p.id else None
                gone = _gone(sit, there.ids)
            cost, cost_gone = search.greatest(p)
            out[p.id] = Reserve(nearest, gone, offer_there, cost, cost_gone)
        report(done + 1, total)
    return out


def _runs(intervals):
    """For each proposal, the runs of *intervals* (by index, first and last) over which it is shortlisted in
    full."""
    runs: dict[str, list[list[int]]] = {}
    for k, iv in enumerate(intervals):
        reduced = iv.offer[0] if iv.offer else None
        for pid in iv.chosen:
            if pid != reduced:
                own = runs.setdefault(pid, [])
                if own and own[-1][1] == k - 1:
                    own[-1][1] = k
                else:
                    own.append([k, k])
    return runs


class _Below:
    """The shortlist at every allocation up to the one in use, across the regimes below it, read per proposal."""

    def __init__(self, sit, wanted: frozenset[str]):
        """*wanted*: the proposals whose runs are read (the others' may be left out of the intervals)."""
        from .sweep import budget_intervals

        def read(orders, low: int, top: int):
            head = orders.head(low)
            return None if head is None else _walk_of(head, low, top, wanted)

        def worked_out(there, low: int, top: int):
            if there.candidates:
                return budget_intervals(there, low, top)
            return _walk_of(_head(there.order, wanted), low, top, wanted)

        self.sit = sit
        self.intervals = _below(sit, sit.budget, wanted, read, worked_out)
        self.runs = _runs(self.intervals)

    def first(self, p: Proposal) -> tuple[int, int] | None:
        own = self.runs.get(p.id)
        if not own:
            return None
        return self.intervals[own[0][0]].start, self.intervals[own[0][1]].end

    def keep(self, p: Proposal) -> Keep:
        """The figures of *p*, shortlisted in full at the allocation in use (the last interval)."""
        own = self.runs[p.id]
        k = own[-1][0]
        stays = self.intervals[k].start
        below = None
        if k > 0:
            before = self.intervals[k - 1]
            below = before.offer[1] if before.offer and before.offer[0] == p.id else None
        first = self.first(p)
        return Keep(stays, below, first if first[0] < stays else None)


def _head(order, wanted: frozenset[str]) -> list[Proposal]:
    """*order* down to the last of *wanted* (empty if none of them is in it)."""
    last = max((i for i, p in enumerate(order) if p.id in wanted), default=-1)
    return list(order[:last + 1])


def _walk_of(head, low: int, high: int, wanted: frozenset[str]) -> list:
    """Which of *wanted* the walk takes at each allocation from *low* to *high*, as budget intervals that
    name only them (their money and scores left at 0), from *head*: a regime's order down to the last of them.

    Where no reduced offer can be made, whether the walk takes a proposal depends only on the proposals
    considered before it, so the walk runs only as far as the last of *wanted*."""
    from .shortlist import BudgetInterval
    from .walk import walk_window

    if not head:
        return [BudgetInterval(low, high, (), 0, 0)]
    starts, taken = walk_window([p.cost for p in head], low, high)
    return [BudgetInterval(start, starts[k + 1] - 1 if k + 1 < len(starts) else high,
                           tuple(head[i].id for i in taken[k] if head[i].id in wanted), 0, 0)
            for k, start in enumerate(starts)]


def _gone(sit, then) -> tuple[str, ...]:
    """Who is shortlisted now and not in *then* (ids, or anything that answers ``in``), in the order considered."""
    return tuple(p.id for p in sit.chosen if p.id not in then)


def _displaced_at_events(sit, chains, taken, reserves) -> dict[int, tuple[str, ...]]:
    """For each reserve whose nearest allocation comes from the walk, who leaves the shortlist there.

    There the walk takes what it took at the event the allocation grew from,
    and the reserve, and nothing after it (the money is spent).
    """
    found = [st for st in reserves if st.nearest_event is not None]
    if not found:
        return {}
    holds = chains.holds_each([st.nearest_event for st in found], taken)
    out = {}
    for j, st in enumerate(found):
        out[st.position] = tuple(sit.order[x].id for x in taken if x > st.position or not holds[x][j])
    return out


def _nearest_offer(sit, p: Proposal, budget: int, limit: int | None, high: int) -> int | None:
    """The least allocation above *budget* (and below *limit*, and up to *high*, the end of the regime in
    use) at which *p* is offered its minimum."""
    from .sweep import sweep

    top = (limit - 1) if limit is not None else high
    if top <= budget:
        return None
    candidates = sit.candidates
    earlier = [q for q in candidates[:candidates.index(p)]]
    for iv in sweep(sit.items, "rank", upto=top):
        if iv.end <= budget or p.id in iv.chosen:
            continue
        taken = set(iv.chosen)
        blocking = min((q.minimum_cost for q in earlier if q.id not in taken), default=INF)
        low = max(iv.start, budget + 1, iv.allocated + p.minimum_cost)
        high = min(iv.end, iv.allocated + blocking - 1, iv.allocated + p.cost - 1)
        if low <= high:
            return low
    return None


# --- the greatest cost, for the rank walk ---------------------------------------------------------


class _Rescore:
    """The scores of a round's proposals when one of them costs something else.

    Only value for money depends on cost: a proposal's people reached per pound
    is ranked among the eligible proposals, so its own score and the score of
    each proposal it passes move.  Everything is exact, and rounded to units
    once, as scoring does; the units a proposal can take are worked out once
    and looked up after (*k*'s own by its standing, the others' by their
    relation to *k*), and standings are found by bisection on whole numbers.
    """

    SHIFT = 64  # the ratios' floors are taken in units of 2**-SHIFT people per penny

    def __init__(self, sit):
        self.sit = sit
        scoring = sit.round.scoring
        most = max_points(scoring)
        self.value = sum((most[c.id] for c in scoring.criteria if c.measure == "reach per pound"), Fraction(0))
        rated = sorted(((p.reach * 100, p.cost, p.id) for p in sit.eligible if p.reach is not None),
                       key=lambda rc: Fraction(rc[0], rc[1]))
        self.reaches = [r for r, _, _ in rated]  # people per pound of each rated proposal, ascending, as r / c
        self.costs = [c for _, c, _ in rated]
        self.floors = [(r << self.SHIFT) // c for r, c, _ in rated]  # ascending, as the ratios are
        self.ids = [pid for _, _, pid in rated]
        self.rated = len(rated)
        self.exact = {pid: s.exact for pid, s in sit.scores.items()}
        self._moved: dict[str, tuple[int, ...]] = {}  # q -> its units when it gains -1, -1/2, 0, 1/2, 1 of a step
        self._lines: dict[str, tuple[int, int, int]] = {}  # k -> its units as a line in its standing (_line)
        self._valued = self.value > 0 and self.rated >= 2
        self._standing_now: dict[str, int] = {}
        self._cheapest_of: str | None = None
        self._cheapest: dict[int, int] = {}  # units -> the least cost for them, for the proposal above

    @functools.cached_property
    def ranking(self) -> "_Ranking":
        return _Ranking(self.sit, self)

    @functools.cached_property
    def cuts(self) -> "_Cuts":
        return _Cuts.made(self.sit, self)

    def depends(self, k: Proposal) -> bool:
        return self._valued and k.reach is not None

    def relation(self, q: Proposal, k: Proposal, cost: int) -> int:
        """2 if *k* at *cost* reaches fewer people per pound than *q*, 1 if as many, else 0 (halves of a step)."""
        mine, theirs = k.reach * q.cost, q.reach * cost  # k's ratio against q's, cross-multiplied
        return 2 if mine < theirs else 1 if mine == theirs else 0

    def units(self, q: Proposal, k: Proposal, cost: int) -> int:
        """*q*'s units when *k* costs *cost*."""
        if q.id == k.id:
            return self.own(k, cost)
        if not self._valued or k.reach is None or q.reach is None:
            return units_of(self.exact[q.id]) if q.id not in self._moved else self._moved[q.id][2]
        return self._steps(q)[self.step(q, k, cost)]

    def step(self, q: Proposal, k: Proposal, cost: int) -> int:
        """Which of :meth:`steps` *q* has when *k* (another) costs *cost*: 2 as now, each half a step of value for
        money one more or less."""
        if not self._valued or k.reach is None or q.reach is None:
            return 2
        mine, theirs, was = k.reach * q.cost, q.reach * cost, q.reach * k.cost
        return 2 + (2 if mine < theirs else 1 if mine == theirs else 0) - (2 if mine < was else 1 if mine == was else 0)

    def steps(self, q: Proposal) -> tuple[int, ...]:
        """*q*'s units with -1, -1/2, 0, 1/2 and 1 step of value for money more than now (all its units now, if
        value for money does not move)."""
        if q.reach is None or not self._valued:
            return (units_of(self.exact[q.id]),) * 5
        return self._steps(q)

    def moved(self, k: Proposal, cost: int) -> list[str]:
        """The other proposals whose units may differ from now when *k* costs *cost*: those whose people per
        pound lie between *k*'s at its cost now and at *cost*, ends included (*k* passes them, or draws level)."""
        if not self.depends(k) or cost == k.cost:
            return []
        a = k.reach * 100
        low, _ = self._split(a, max(cost, k.cost))
        _, high = self._split(a, min(cost, k.cost))
        return [pid for pid in self.ids[low:high] if pid != k.id]

    def _steps(self, q: Proposal) -> tuple[int, ...]:
        found = self._moved.get(q.id)
        if found is None:
            # its exact score a / b and half a step v / w, over one denominator: (a w + d v b) / (b w) with d
            # halves, rounded once, half up, as units_of does
            exact, value = self.exact[q.id], self.value
            a, b = exact.numerator, exact.denominator
            v, w = value.numerator, value.denominator * 2 * (self.rated - 1)
            den = b * w
            found = self._moved[q.id] = tuple((2 * UNITS * (a * w + d * v * b) + den) // (2 * den)
                                              for d in (-2, -1, 0, 1, 2))
        return found

    def own(self, k: Proposal, cost: int) -> int:
        """*k*'s units at *cost*."""
        if not self.depends(k):
            return units_of(self.exact[k.id])
        a, b, d = self._line(k)
        return (a + b * self.standing(k, cost)) // d

    def _line(self, k: Proposal) -> tuple[int, int, int]:
        """``(a, b, d)`` with *k*'s units at twice a standing ``s`` equal to ``(a + b * s) // d``.

        Its exact score there is ``base + value * s / t`` (``t`` twice the others rated, ``base`` its score
        with no standing): rounded once, half up, as :func:`units_of` does, in whole numbers."""
        line = self._lines.get(k.id)
        if line is None:
            t = 2 * (self.rated - 1)
            base = self.exact[k.id] - self.value * self._now(k) / t
            bn, bd, vn, vd = base.numerator, base.denominator, self.value.numerator, self.value.denominator
            line = self._lines[k.id] = (2 * UNITS * bn * vd * t + bd * vd * t, 2 * UNITS * vn * bd, 2 * bd * vd * t)
        return line

    def _now(self, k: Proposal) -> int:
        """*k*'s standing at its own cost."""
        now = self._standing_now.get(k.id)
        if now is None:
            now = self._standing_now[k.id] = self.standing(k, k.cost)
        return now

    def cheapest_at_most(self, k: Proposal, units: int) -> int:
        """The least cost at which *k* has at most *units* (``INF``: at no cost).

        Its units only rise with its standing, so they are at most *units* up to a greatest standing; with
        the others' people per pound in order, the least cost that keeps it at or below that standing is
        where its own people per pound reach the one the standing stops at."""
        if self._cheapest_of != k.id:  # kept for one proposal at a time: the searches go one by one
            self._cheapest_of, self._cheapest = k.id, {}
        found = self._cheapest.get(units)
        if found is None:
            found = self._cheapest[units] = self._cheapest_at_most(k, units)
        return found

    def _cheapest_at_most(self, k: Proposal, units: int) -> int:
        if not self.depends(k) or k.reach == 0:
            return 1 if self.own(k, k.cost) <= units else INF
        base, slope, d = self._line(k)
        most = ((units + 1) * d - base - 1) // slope  # the greatest s with (base + slope * s) // d <= units
        if most < 0:
            return INF
        if most >= 2 * (self.rated - 1):
            return 1
        a, own_cost = k.reach * 100, k.cost
        mine, _ = self._split(a, own_cost)  # where k's own entry is, among every rated proposal
        index = most // 2 if most // 2 < mine else most // 2 + 1  # the others' (most // 2)-th, in order
        r, c = self.reaches[index], self.costs[index]
        if r == 0:
            return INF
        below, upto = self._split(r, c)
        if a * c < r * own_cost:
            below, upto = below - 1, upto - 1
        elif a * c == r * own_cost:
            upto -= 1
        # at a cost where k reaches exactly r / c people per pound its standing is 2 * below + ties
        if 2 * below + (upto - below) <= most:
            return max(1, -((-a * c) // r))  # the least cost with a / cost <= r / c
        return max(1, a * c // r + 1)  # the least cost with a / cost < r / c

    def _split(self, a: int, b: int) -> tuple[int, int]:
        """How many rated proposals (k's own entry included) reach fewer people per pound than ``a / b``, and
        how many no more."""
        return _split(self.floors, self.reaches, self.costs, a, b)

    def own_range(self, k: Proposal) -> tuple[int, int]:
        """The least and greatest units *k* can have at any cost (its standing from none to all the others)."""
        if not self.depends(k):
            units = units_of(self.exact[k.id])
            return units, units
        a, b, d = self._line(k)
        return a // d, (a + b * 2 * (self.rated - 1)) // d

    def standing(self, k: Proposal, cost: int) -> int:
        """Twice the number of other rated proposals *k* at *cost* beats on people per pound, plus the ties."""
        a, b = k.reach * 100, cost
        below, upto = self._split(a, b)
        ties = upto - below
        own_a, own_b = k.reach * 100, k.cost  # k's own entry in the pool is not an other
        if own_a * b < a * own_b:
            below -= 1
        elif own_a * b == a * own_b:
            ties -= 1
        return 2 * below + ties

    def possible(self, q: Proposal, k: Proposal) -> set[int]:
        """The units *q* can have as *k*'s cost moves: *k* reaching fewer people per pound, as many, or more."""
        if q.id == k.id or not self.depends(k) or q.reach is None:
            return {self.units(q, k, k.cost)}
        now = self.relation(q, k, k.cost)
        return {self._steps(q)[2 + w - now] for w in (0, 1, 2)}

    def bounds(self, q: Proposal) -> tuple[int, int]:
        """The least and greatest units *q* can have, whichever proposal's cost changes (not its own)."""
        if q.reach is None or self.value == 0 or self.rated < 2:
            u = units_of(self.exact[q.id])
            return u, u
        steps = self._steps(q)
        return steps[0], steps[4]

    def crossing(self, k: Proposal, q: Proposal) -> int | None:
        """The cost at which *k* reaches exactly as many people per pound as *q*, rounded down to a penny
        (``None``: never): *k*'s units and *q*'s can change between it and the penny above."""
        if not self.depends(k) or q.reach is None or q.reach == 0 or k.reach == 0:
            return None
        return k.reach * q.cost // q.reach

    def changes(self, k: Proposal, q: Proposal) -> tuple[int, ...]:
        """The costs ``c`` of *k* at which its people per pound stand otherwise against *q*'s than at ``c - 1``
        (a change at ``c`` is between ``c - 1`` and ``c``): the penny above the cost where they are level,
        and that cost itself where it is a whole number of pence (there they tie)."""
        level = self.crossing(k, q)
        if level is None:
            return ()
        return (level + 1, level) if k.reach * q.cost % q.reach == 0 else (level + 1,)


def _split(floors: list[int], reaches: list[int], costs: list[int], a: int, b: int) -> tuple[int, int]:
    """How many of the ratios ``reaches[i] / costs[i]`` (ascending) are less than ``a / b``, and how many no more.

    Bisected on *floors* (each ratio times ``2**SHIFT``, rounded down): a floor below that of ``a / b`` is a
    ratio below it, a floor above it a ratio above it; the few with the same floor are compared exactly."""
    key = (a << _Rescore.SHIFT) // b
    low = bisect_left(floors, key)
    high = bisect_right(floors, key, low)
    below = upto = low
    for i in range(low, high):
        mine, theirs = reaches[i] * b, a * costs[i]
        if mine < theirs:
            below += 1
            upto += 1
        elif mine == theirs:
            upto += 1
    return below, upto


class _Cuts:
    """The costs at which a proposal's cost, as it moves, can change the optimal set's keys: where the ranking
    moves (it passes the cost of a proposal it can tie with on score and consensus: at that cost or the penny
    above, as the tie-break of submission and id goes; proposals whose units can never meet its own leave no
    cut) and where its own units change (its people per pound pass any eligible proposal's, a tactical bid's
    too: :meth:`_Rescore.changes`)."""

    def __init__(self, sit, rescore: "_Rescore"):
        self.sit, self.rescore = sit, rescore

    @staticmethod
    def made(sit, rescore: "_Rescore") -> "_Cuts":
        """The cuts of *sit*'s proposals, on numpy arrays past :data:`engine.decision.regimes.SMALL` of them
        (where whole numbers fit in 64 bits)."""
        from .regimes import SMALL

        if len(sit.eligible) <= SMALL:
            return _Cuts(sit, rescore)
        import numpy

        cuts = _CutsOnArrays(sit, rescore, numpy)
        return cuts if cuts.fits else _Cuts(sit, rescore)

    def of(self, k: Proposal) -> set[int]:
        sit, rescore = self.sit, self.rescore
        cuts: set[int] = set()
        lowest, highest = rescore.own_range(k)
        first = (k.submitted.toordinal(), k.id)
        for q in sit.order:
            if q.id != k.id and sit.scores[q.id].consensus == sit.scores[k.id].consensus \
                    and any(lowest <= u <= highest for u in rescore.possible(q, k)):
                # level with q, k comes first up to q's cost if it wins the tie-break there, else below it
                cuts.add(q.cost + 1 if first < (q.submitted.toordinal(), q.id) else q.cost)
        for q in sit.eligible:
            if q.id != k.id:
                cuts.update(rescore.changes(k, q))
        return cuts


class _CutsOnArrays(_Cuts):
    """:class:`_Cuts` with every proposal tested at once."""

    def __init__(self, sit, rescore: "_Rescore", np):
        super().__init__(sit, rescore)
        self.np = np
        order, eligible = sit.order, sit.eligible
        steps = [rescore.steps(p) for p in order]
        # every product below is a cost times a reach; checked before any array is made
        costs = [p.cost for p in eligible]
        reaches = [p.reach or 0 for p in eligible]
        self.fits = max(costs, default=0) * max(reaches, default=1) < LIMIT and \
            max((abs(u) for row in steps for u in row), default=0) < LIMIT and max(costs, default=0) < LIMIT
        if not self.fits:
            return
        self.place = {p.id: i for i, p in enumerate(order)}
        self.costs = np.array([p.cost for p in order], dtype=np.int64)
        self.agreed = np.array([sit.scores[p.id].consensus for p in order], dtype=bool)
        self.steps = np.array(steps, dtype=np.int64).reshape(len(order), 5)
        self.reaches = np.array([p.reach or 0 for p in order], dtype=np.int64)
        rated = [p for p in eligible if p.reach]  # people per pound that can be crossed
        self.rated_ids = {p.id: i for i, p in enumerate(rated)}
        self.rated_costs = np.array([p.cost for p in rated], dtype=np.int64)
        self.rated_reaches = np.array([p.reach for p in rated], dtype=np.int64)
        self.columns = np.arange(len(order))
        ties = sorted(range(len(order)), key=lambda i: (order[i].submitted.toordinal(), order[i].id))
        self.tiebreak = np.empty(len(order), dtype=np.int64)  # each one's place by submission, then id
        self.tiebreak[ties] = np.arange(len(order))

    def of(self, k: Proposal) -> set[int]:
        np, rescore = self.np, self.rescore
        lowest, highest = rescore.own_range(k)
        if rescore.depends(k):
            mine, theirs = k.reach * self.costs, self.reaches * k.cost  # k's people per pound against each's
            # as _Rescore.possible: the step each has as k reaches fewer people per pound than it (w = 0), as
            # many (1) or more (2), against its relation now (_Rescore.relation: 2 fewer, 1 as many, 0 more)
            now = np.where(mine < theirs, 2, np.where(mine == theirs, 1, 0))
            units = [self.steps[self.columns, 2 + w - now] for w in (0, 1, 2)]
        else:
            units = [self.steps[:, 2]]
        meets = np.zeros(len(self.costs), dtype=bool)
        for u in units:
            meets |= (lowest <= u) & (u <= highest)
        meets &= self.agreed == self.sit.scores[k.id].consensus
        meets[self.place[k.id]] = False
        # as in _Cuts.of: the penny above q's cost where k wins the tie-break at an equal cost, else q's cost
        cuts = set((self.costs + (self.tiebreak > self.tiebreak[self.place[k.id]]))[meets].tolist())
        if rescore.depends(k) and k.reach:
            others = np.ones(len(self.rated_costs), dtype=bool)
            if k.id in self.rated_ids:
                others[self.rated_ids[k.id]] = False
            levels, rests = np.divmod(k.reach * self.rated_costs[others], self.rated_reaches[others])
            cuts |= set((levels + 1).tolist()) | set(levels[rests == 0].tolist())  # as _Rescore.changes
        return cuts


class _CostSearch:
    """The greatest cost at which a reserve would be shortlisted in full at the allocation in use."""

    def __init__(self, sit):
        self.sit = sit
        self.rescore = _Rescore(sit)
        self.policy = sit.policy
        order = list(sit.order)
        steps = sit.choice.selection.steps
        n = len(order)
        suffix = [INF] * (n + 1)
        for i in range(n - 1, -1, -1):
            suffix[i] = min(order[i].cost, suffix[i + 1])
        saturated = next((i for i in range(n) if steps[i].left_before < suffix[i]), n)
        core = order[:saturated]
        groups = [self._group(p) for p in order]
        self.groups = {p.id: g for p, g in zip(order, groups)}
        self.bounds = {p.id: self.rescore.bounds(p) for p in order}
        g_max, u_b = -1, INF
        if core:
            g_max = max(groups[:saturated])
            u_b = min(self.bounds[p.id][0] for p, g in zip(core, groups) if g == g_max)
        top = []
        for i, p in enumerate(order):
            if i < saturated or not (groups[i] > g_max or (groups[i] == g_max and self.bounds[p.id][1] < u_b)):
                top.append(p)
        self.core = {p.id for p in core}
        self.top = top
        top_ids = {p.id for p in top}
        self.rest_min = min((p.cost for p in order if p.id not in top_ids), default=INF)
        self.eligible = _Eligibility(sit.round)
        self._bound = _left_bound(sit, self.rescore, self.bounds)
        rated = sorted(((q.reach * 100, q.cost) for q in top if q.reach is not None), key=lambda rc: Fraction(*rc))
        self._top_ratios = ([(r << _Rescore.SHIFT) // c for r, c in rated], [r for r, _ in rated], [c for _, c in rated])
        self._movers: dict[tuple[int, int], list[Proposal]] = {}  # by where k's people per pound stand in the top
        self._movers_of: tuple[str, list[Proposal]] | None = None  # the last proposal's
        self._top_now = sorted((self.rescore.ranking.shifted(q, 2)[1], q) for q in top)  # each one's key now

    def _group(self, p: Proposal) -> int:
        return int(not self.sit.scores[p.id].consensus) if self.policy == "consensus-first" else 0

    def key(self, p: Proposal, units: int, cost: int):
        return self.rescore.ranking.key(p, units, cost)

    def key_of(self, q: Proposal, k: Proposal, cost: int):
        """The key of *q* (another than *k*) when *k* costs *cost*."""
        return self.rescore.ranking.shifted(q, self.rescore.step(q, k, cost))[1]

    def greatest(self, k: Proposal) -> tuple[int | None, tuple[str, ...]]:
        """The greatest cost (pence) at which *k* is shortlisted in full now, and who leaves the shortlist then."""
        budget = self.sit.budget
        high = min(budget, self._bound(k, 1))
        if high < 1:
            return None, ()
        # a cost c can shortlist k only if c <= the money the walk can leave for it: the search starts there
        starts = self._starts(k, high)
        crossings = self._crossings(k, high)
        configs: dict = {}
        for index in range(len(starts) - 1, -1, -1):
            low, up = starts[index], (starts[index + 1] - 1 if index + 1 < len(starts) else high)
            if up < low or not self.eligible(k, up):
                continue
            found = self._best_in(k, low, up, crossings, configs)
            if found is not None:
                cost, order = found
                left, chosen = self._walk(k, cost, order)
                return cost, self._displaced(k, cost, chosen)
        return None, ()

    def _starts(self, k: Proposal, high: int) -> list[int]:
        """The first costs of the stretches over which *k*'s eligibility cannot change."""
        return sorted({1} | {c for c in self.eligible.cuts(k) if 1 < c <= high})

    def movers(self, k: Proposal) -> list[Proposal]:
        """The proposals of the top that can change places with another of the top as *k*'s cost moves.

        As *k*'s people per pound pass a proposal's, its value for money moves by a step at most, in
        halves (level with *k*, half a step): from what it has now, down if it reaches more than *k* now,
        up if fewer, either way if as many.  Its keys over those units span a range; a proposal whose
        range meets no other's keeps its place among the others whatever *k* costs.  That depends on
        *k* only through where its people per pound stand among the top's: two proposals that stand
        alike reach as many people per pound as each other, so every proposal of the top (either of
        them included) stands against both alike.  It is worked out once for each such standing.
        """
        if not self.rescore.depends(k):
            return []
        if self._movers_of is not None and self._movers_of[0] == k.id:
            return self._movers_of[1]
        where = _split(*self._top_ratios, k.reach * 100, k.cost)
        found = self._movers.get(where)
        if found is None:
            shifted = self.rescore.ranking.shifted
            spans = []
            for q in self.top:
                # its steps now (2) or, with an estimate, from where k's relation now leaves it, up two halves
                low = 2 if q.reach is None else 2 - self.rescore.relation(q, k, k.cost)
                high = 2 if q.reach is None else low + 2
                spans.append((shifted(q, high)[1], shifted(q, low)[1], q.id))
            spans.sort()
            moving = set()
            reach = None  # the greatest key of the spans so far
            for i, (first, last, pid) in enumerate(spans):
                if (reach is not None and first <= reach) or (i + 1 < len(spans) and last >= spans[i + 1][0]):
                    moving.add(pid)
                reach = last if reach is None or last > reach else reach
            found = self._movers[where] = [q for q in self.top if q.id in moving]
        self._movers_of = (k.id, found)
        return found

    def others(self, k: Proposal, cost: int, among) -> list[tuple[tuple, Proposal]]:
        """The others of *among* in their order when *k* costs *cost*, each with a key that sorts it there.

        Of the top, only the movers (:meth:`movers`) are given their keys at *cost*; every other keeps
        its key now, as it keeps its place among the others whatever *k* costs."""
        if among is not self.top:
            return sorted((self.key_of(q, k, cost), q) for q in among if q.id != k.id)
        movers = self.movers(k)
        moving = {q.id for q in movers} | {k.id}
        entries = [e for e in self._top_now if e[1].id not in moving]
        for q in movers:
            if q.id != k.id:
                insort(entries, (self.key_of(q, k, cost), q))
        return entries

    def place(self, k: Proposal, cost: int, entries) -> int:
        """How many of *entries* (the others, in their order when *k* costs *cost*) come before *k* then.

        Each one's key is worked out at *cost* as the bisection reaches it."""
        mine = self.key(k, self.rescore.units(k, k, cost), cost)
        key_of = self.key_of
        low, high = 0, len(entries)
        while low < high:
            mid = (low + high) // 2
            if key_of(entries[mid][1], k, cost) < mine:
                low = mid + 1
            else:
                high = mid
        return low

    def _crossings(self, k: Proposal, high: int, among=None) -> dict[int, list[Proposal]]:
        """The costs at which a proposal (of the top's movers, or of *among*) changes units as *k*'s people
        per pound pass its, each with the proposals that change there (a change at c is between c - 1 and c)."""
        out: dict[int, list[Proposal]] = {}
        for q in self.movers(k) if among is None else among:
            for c in self.rescore.changes(k, q) if q.id != k.id else ():
                if 1 < c <= high:
                    out.setdefault(c, []).append(q)
        return out

    def _best_in(self, k: Proposal, low: int, up: int, crossings: dict, configs: dict,
                 among=None) -> "tuple[int, _Order] | None":
        """The greatest cost in ``[low, up]`` (one stretch of k's eligibility) at which *k* is taken, with the
        order of the others it was found in (``None``: no cost there).

        Between two crossings the others keep their order, so the money left before the j-th of them is
        fixed, and the greatest cost there is found by :meth:`_Order.greatest`.  Going down from run to
        run, only the proposals that cross move.  When the top does not settle a run (money left after it
        for a proposal outside it), the run is worked out over every proposal, cut at every crossing.
        """
        among = self.top if among is None else among
        bounds = sorted(crossings)
        while up >= low:
            index = bisect_right(bounds, up)
            run_low = max(low, bounds[index - 1] if index else 1)
            config = configs.get("walk")
            if config is None or config.cost < up or configs.get("index", index) < index:
                config = configs["walk"] = _Order(self, k, up, among)
            else:
                # every proposal that crosses between the order's cost and *up*, moved at once: each one's place
                # is found by its key at the order's cost, so none may be moved before the others are found
                crossed = {q.id: q for boundary in bounds[index:configs.get("index", index)]
                           for q in crossings[boundary]}
                config.move(list(crossed.values()), up)
            configs["index"] = index
            if not config.settled():
                everyone = self.sit.order
                found = self._best_in(k, run_low, up, self._crossings(k, up, everyone), {}, everyone)
                if found is not None:
                    return found
            else:
                cost = config.greatest(run_low, up)
                if cost is not None:
                    return cost, config
            up = run_low - 1
        return None

    def _walk(self, k: Proposal, cost: int, found_in: "_Order"):
        """The money left when the walk reaches *k* at *cost*, and the proposals it takes (ids), exactly: from
        *found_in*, the order of the others that *cost* was found in."""
        budget = self.sit.budget
        entries = list(found_in.entries)
        entries.insert(self.place(k, cost, entries), (None, k))
        if found_in.everyone:
            left_k, chosen, _ = _walk_entries(entries, k, cost, budget, -1)
            return left_k, chosen
        # the rest come after every proposal of the core, whatever k costs: once the money left after the
        # core is less than the cheapest of them, none of them is taken, wherever they fall
        last_core = len(entries) - 1  # few of the top are outside the core: look from the end
        while last_core >= 0 and entries[last_core][1].id not in self.core:
            last_core -= 1
        left_k, chosen, after_core = _walk_entries(entries, k, cost, budget, last_core)
        if after_core >= self.rest_min:
            return self._walk_all(k, cost)
        return left_k, chosen

    def _walk_all(self, k: Proposal, cost: int):
        """The same as :meth:`_walk`, over every proposal (when the top does not settle it)."""
        rescore = self.rescore
        entries = sorted(((self.key(k, rescore.units(k, k, cost), cost) if q.id == k.id else self.key_of(q, k, cost), q)
                          for q in self.sit.order), key=lambda e: e[0])
        left_k, chosen, _ = _walk_entries(entries, k, cost, self.sit.budget, -1)
        return left_k, chosen

    def _displaced(self, k: Proposal, cost: int, chosen: list[str]) -> tuple[str, ...]:
        sit = self.sit
        then = set(chosen)
        if sit.candidates:  # the reduced offer may move too: decide it again in full
            then = _decide_at_cost(sit, k, cost, self.rescore).ids
        return _gone(sit, then)


class _Order:
    """The others of *among* in their order when *k* costs *cost*, the money the walk (without *k*) has left
    before each, kept up to date as *k*'s cost falls and proposals cross it.

    Of the top, only the movers' keys are kept up to date (:meth:`_CostSearch.others`): every other keeps
    its key of now, which sorts it among the others as its key at any cost would, but not against *k*.  So
    *k*'s place is found by :meth:`_CostSearch.place`, which works each key out afresh, never by bisecting
    :attr:`keys`."""

    def __init__(self, search, k: Proposal, cost: int, among):
        self.search, self.k, self.cost = search, k, cost
        self.entries = search.others(k, cost, among)
        self.keys = [key for key, _ in self.entries]
        self.everyone = len(among) == len(search.sit.order)
        self.lefts = [search.sit.budget] + [0] * len(self.entries)
        self._walk_from(0, len(self.entries))

    def _walk_from(self, start: int, last: int) -> None:
        """Walk again from entry *start*.  Past entry *last* the entries are those walked before, each in its
        place, so from the first of them the walk reaches with the money it had before, nothing changes."""
        lefts, entries = self.lefts, self.entries
        left = lefts[start]
        for i in range(start, len(entries)):
            cost = entries[i][1].cost
            if cost <= left:
                left -= cost
            if i > last and lefts[i + 1] == left:
                return
            lefts[i + 1] = left

    def move(self, crossed, cost: int) -> None:
        """*k* now costs *cost* (less than before): the *crossed* proposals take their units there."""
        search, k = self.search, self.k
        first, last = len(self.entries), -1
        for q in crossed:
            if q.id == k.id:
                continue
            old = bisect_left(self.keys, search.key_of(q, k, self.cost))
            new_key = search.key_of(q, k, cost)
            if new_key == self.keys[old]:
                continue
            del self.entries[old], self.keys[old]
            spot = bisect_left(self.keys, new_key)
            self.entries.insert(spot, (new_key, q))
            self.keys.insert(spot, new_key)
            first, last = min(first, old, spot), max(last, old, spot)
        self.cost = cost
        if first < len(self.entries):
            self._walk_from(first, last)

    def greatest(self, low: int, up: int) -> int | None:
        """The greatest cost in ``[low, up]`` at which the walk takes *k*, the others keeping their order
        over it (``None``: none).

        As *k*'s cost rises its key only falls back and the others' only come forward, so its place
        only moves later and the money left there only falls: the costs at which it is taken are those
        up to the greatest.  From a cost at which it is not taken, the money left at its place is the
        same back to where it comes after the last proposal taken before it; that money is the answer
        if *k* is still after that proposal at that cost, and otherwise the search goes on below."""
        lefts = self.lefts
        cost = min(up, lefts[0])  # nothing dearer than the allocation is ever taken
        while cost >= low:
            place = self.search.place(self.k, cost, self.entries)
            left = lefts[place]
            if cost <= left:
                return cost
            start = place  # lefts[0] is the allocation, at least any cost searched: start stops above 0
            while lefts[start - 1] == left:
                start -= 1
            behind = self.behind(start - 1, low, cost)
            if left >= behind:
                return left
            cost = behind - 1
        return None

    def behind(self, i: int, low: int, high: int) -> int:
        """The least cost in ``[low, high]`` at which *k* comes after entry *i* (it does at *high*).

        The entry's key is fixed between the costs where *k*'s people per pound pass its."""
        search, k = self.search, self.k
        q = self.entries[i][1]
        starts = [low] + sorted(c for c in search.rescore.changes(k, q) if low < c <= high)
        for j, start in enumerate(starts):
            end = starts[j + 1] - 1 if j + 1 < len(starts) else high
            first = max(start, self._behind_key(search.key_of(q, k, start)))
            if first <= end:
                return first
        return high

    def _behind_key(self, key) -> int:
        """The least cost at which *k*'s key comes after *key* (``INF``: at none).

        *k*'s units only fall as its cost rises: it comes after from where they are fewer, or the same
        with a tie-break that puts it after (agreement, then cost, then submission and id)."""
        rescore = self.search.rescore
        k = self.k
        group, minus, not_consensus, cost, submitted, pid = key
        mine = self.search.key(k, 0, 0)
        if mine[0] != group:
            return 1 if mine[0] > group else INF
        fewer = rescore.cheapest_at_most(k, -minus - 1)
        same = rescore.cheapest_at_most(k, -minus)
        if mine[2] != not_consensus:
            tie = same if mine[2] else INF
        else:
            tie = cost if (mine[4], mine[5]) > (submitted, pid) else cost + 1
        return min(fewer, max(same, tie))

    def settled(self) -> bool:
        """Whether the proposals outside the top are sure to be passed over: once the core is walked, the
        money left is less than the cheapest of them (or the top is every proposal)."""
        if self.everyone:
            return True
        core, entries = self.search.core, self.entries
        last = len(entries) - 1  # the last of the core (few of the top are outside it: look from the end)
        while last >= 0 and entries[last][1].id not in core:
            last -= 1
        return self.lefts[last + 1] < self.search.rest_min


def _walk_entries(entries, k: Proposal, cost: int, budget: int, mark: int):
    """Walk *entries* (``(key, proposal)`` in order) with *k* at *cost*: the money left when the walk
    reaches *k*, the ids it takes, and the money left after entry *mark* (the budget if *mark* < 0)."""
    left = budget
    after = budget if mark < 0 else None
    left_k = None
    chosen = []
    for i, (_, q) in enumerate(entries):
        price = cost if q.id == k.id else q.cost
        if q.id == k.id:
            left_k = left
        if price <= left:
            left -= price
            chosen.append(q.id)
        if i == mark:
            after = left
    return left_k, chosen, after


def _decide_at_cost(sit, k: Proposal, cost: int, rescore: "_Rescore | None" = None):
    """What the policy shortlists at the allocation in use when *k* costs *cost* (every score worked out again)."""
    from .shortlist import choose

    rescore = rescore or _Rescore(sit)
    changed = attrs.evolve(k, cost=cost, minimum_cost=k.minimum_cost if k.minimum_cost is not None
                           and k.minimum_cost <= cost else None)
    ranked, units = _ranked_at(sit, rescore, k, cost)
    order = [changed if p.id == k.id else p for p in ranked]
    items = [Item(p.id, p.cost, units[p.id]) for p in order]
    candidates = [p for p in order if p.minimum_cost is not None and p.minimum_cost < p.cost] \
        if sit.round.reduced_offers else []
    return choose(order, items, sit.budget, sit.policy, candidates)


def _last_with(test: Callable[[int], bool], high: int) -> int | None:
    """The greatest cost in ``[1, high]`` passing *test*, which holds for a prefix of the costs (or ``None``)."""
    if not test(1):
        return None
    low = 1
    while low < high:
        mid = (low + high + 1) // 2
        if test(mid):
            low = mid
        else:
            high = mid - 1
    return low


class _Eligibility:
    """Whether a proposal passes the round's reject rules at another cost of its own (its least cost dropped
    when above it).  Only the figures of money a rule compares a cost or a least cost with, and the
    proposal's own least cost, can change that, so it is worked out once for each stretch between them."""

    def __init__(self, round_):
        self.failures = [rule.failure() for rule in round_.rules if rule.severity == "reject"]
        # each such figure and the penny above it
        self._cuts = sorted({leaf.value + d for rule in round_.rules
                             for tree in (rule.check, rule.when) if tree is not None
                             for leaf in conditions.leaves(tree)
                             if isinstance(leaf, conditions.Compare) and leaf.field in ("cost", "minimum_cost")
                             and isinstance(leaf.value, int) for d in (0, 1)})
        self._known: dict[tuple[str, int], bool] = {}

    def cuts(self, k: Proposal) -> list[int]:
        """The costs at which *k*'s eligibility may change, ascending."""
        if k.minimum_cost is None:
            return self._cuts
        return sorted(set(self._cuts) | {k.minimum_cost})

    def __call__(self, k: Proposal, cost: int) -> bool:
        """Whether *k*, one of the eligible proposals, passes at *cost* (as it does at its own)."""
        cuts = self.cuts(k)
        stretch = bisect_right(cuts, cost)
        if stretch == bisect_right(cuts, k.cost):
            return True
        key = (k.id, stretch)
        known = self._known.get(key)
        if known is None:
            minimum = k.minimum_cost if k.minimum_cost is not None and k.minimum_cost <= cost else None
            view = conditions.view(attrs.evolve(k, cost=cost, minimum_cost=minimum))
            known = self._known[key] = not any(conditions.evaluate(tree, view) for tree in self.failures)
        return known


def _left_bound(sit, rescore, bounds) -> Callable[[Proposal], int]:
    """For a proposal *k*: a bound on the money the walk can leave for it at the allocation in use, at any cost.

    Some proposals come before *k* whatever it costs, from *cost* up (their lowest
    key beats its best there).  Whatever their order, each of them costing no more than what is
    left when the walk reaches *k* is taken, so with ``h(x) = x + (their costs
    of at most x)``, ``h(left) <= budget``: the money left is at most the
    greatest ``x`` with ``h(x) <= budget``.  As more proposals come first this
    can only fall, so it is worked out once, along the order of lowest keys.
    """
    order = sit.order
    budget = sit.budget
    key = rescore.ranking.key
    lowest = [key(p, bounds[p.id][0], p.cost) for p in order]  # each one's key at its least units
    ranked = sorted(range(len(order)), key=lowest.__getitem__)
    keys = [lowest[i] for i in ranked]
    limits = _Limits([order[i].cost for i in ranked], budget)
    where = {order[i].id: j for j, i in enumerate(ranked)}
    without: dict[str, _Limits] = {}  # the last proposal's limits with its own entry left out (when needed)

    def bound(k: Proposal, cost: int = 1) -> int:
        """The bound for *k* at any cost of at least *cost* (its best key over those costs is at *cost*)."""
        j = bisect_left(keys, key(k, rescore.units(k, k, cost), cost))
        own = where.get(k.id)
        if own is None or own >= j:
            return limits[j]
        # its own entry (at its cost now) sorts before its best key at a dearer cost: it never comes before itself
        if k.id not in without:  # kept for one proposal at a time: the searches go one by one
            without.clear()
            without[k.id] = limits.without(own)
        return without[k.id][j - 1]

    return bound


class _Limits:
    """``limits[j]``: the bound on the money left when the proposals of the first *j* of *costs* come first
    (entry *skip* left out), worked out only as far as it is read: the greatest ``x`` with ``x`` plus their
    costs of at most ``x`` within the budget, exactly (so it never rises with *j*).

    Each step keeps the costs within the bound so far, ascending; a copy of them is saved every
    :attr:`EVERY` steps, so the limits with one entry left out (:meth:`without`) start again from the copy
    before it, not from the first."""

    EVERY = 32

    def __init__(self, costs: list[int], budget: int, skip: int = -1):
        self.costs, self.budget, self.skip = costs, budget, skip
        self.limits = [budget]
        self.kept: list[int] = []  # the costs taken in so far that are within the bound, ascending
        self.next = 0  # the entry of *costs* to take in next
        self.saved: list[tuple[int, ...]] = []  # kept as entry EVERY * i was reached (without a skip)

    def __getitem__(self, j: int) -> int:
        limits = self.limits
        while len(limits) <= j:
            i = self.next
            self.next += 1
            if i == self.skip:
                continue
            if self.skip < 0 and i % self.EVERY == 0:
                self.saved.append(tuple(self.kept))
            cost, kept = self.costs[i], self.kept
            if cost <= limits[-1]:
                kept.insert(bisect_left(kept, cost), cost)
                limits.append(min(limits[-1], _greatest_x(kept, self.budget)))  # kept holds every cost up to it
                self.kept = [c for c in kept if c <= limits[-1]]
            else:
                limits.append(limits[-1])
        return limits[j]

    def without(self, own: int) -> "_Limits":
        """The same limits with entry *own* left out."""
        start = own - own % self.EVERY
        self[start + 1]  # reaches the copy saved at *start*
        out = _Limits(self.costs, self.budget, skip=own)
        out.limits = self.limits[:start + 1]
        out.kept = list(self.saved[start // self.EVERY])
        out.next = start
        return out


def _greatest_x(costs: list[int], budget: int) -> int:
    """The greatest ``x`` with ``x + (the sum of costs <= x) <= budget`` (*costs* ascending)."""
    best = -1
    total = 0
    for j in range(len(costs) + 1):
        low = costs[j - 1] if j else 0
        high = costs[j] - 1 if j < len(costs) else INF
        x = min(high, budget - total)
        if x >= low:
            best = max(best, x)
        if j < len(costs):
            total += costs[j]
    return best


# --- optimal: read from the exact intervals, and the knapsack for costs and ties ------------------------


def _by_intervals(sit, report) -> dict:
    """Under ``optimal``: the figures from the best sets below and above the allocation in use, and each
    reserve's greatest cost and tie from the knapsack.

    The reserves' greatest costs, each an exact search of its own, and the best sets below the allocation are
    shared out to helper processes (:class:`engine.decision.helpers.Shared`) as soon as their inputs are made,
    while this process works out the best sets above it."""
    from .helpers import Shared

    budget = sit.budget
    choice = sit.choice
    holder = choice.offer[0] if choice.offer else None
    items = sit.items
    rescore = _Rescore(sit)
    eligibility = _Eligibility(sit.round)
    within = _Within.of(sit, rescore)
    by_id = {p.id: p for p in sit.order}
    reserves = [p.id for p in sit.order if p.id not in choice.selection.chosen and p.id != holder]

    def work(key):
        if key == _BELOW:  # from £0 to the allocation in use: of the shortlisted proposals and a reduced offer
            return _best_runs(sit, budget, choice.ids)
        return _greatest_cost_optimal(sit, by_id[key], rescore, eligibility, within)

    # progress: the best sets above the allocation, half of the way (at 1,000 generated proposals, 2.9 s), then
    # the best sets below it and the reserves' greatest costs (1.7 s and 6 s), then the rest of the figures
    total = len(sit.order)
    whole = 2 * total
    with Shared(work, [_BELOW] + reserves) as shared:
        later = _Later(sit, budget + 1, _share(report, 0, total, whole))
        next_any = later.first_with([p.id for p in sit.order if p.id not in choice.ids])
        later.progress = None  # any range worked out after this is read by a proposal's figures
        report(total, whole)  # (the reserves may all be found before the last range)
        costs = shared.results(_share(report, total, total - 1, whole))
    runs, offers = costs.pop(_BELOW)
    offer_at = _offer_at(offers)

    # only reserves read it; its points grow with the allocation, and past half of what the proposals ask for
    # the reserves are few enough that their own knapsacks take less (at 1,000 proposals: 2.5 s for it against
    # 0.6 s for 56 knapsacks at nine tenths, 0.1 s against 1.9 s for 806 at a twentieth)
    sought = sum(p.cost for p in sit.order)
    near = _Near(sit) if len(choice.ids) < len(sit.order) and 2 * budget <= sought else None
    out = {}
    for p in sit.order:
        own = runs.get(p.id, [])
        first = tuple(own[0]) if own else None
        if p.id in choice.selection.chosen:
            stays = own[-1][0]  # the last run reaches the allocation in use
            below = None
            if stays > 0:
                before = offer_at(stays - 1)
                below = before[1] if before and before[0] == p.id else None
            first = first if first is not None and first[0] < stays else None
            out[p.id] = Keep(stays, below, first, _tie_without(sit, items, p))
        elif p.id == holder:
            there = later.first_full(p.id)
            full_at = there.start if there is not None else None
            gone = _gone(sit, there.chosen) if there is not None else ()
            first = first if first is not None and first[1] < budget else None
            out[p.id] = Reduced(choice.offer[1], full_at, gone, first)
        else:
            there = next_any.get(p.id)
            nearest = there.start if there is not None else None
            gone, offer_there = (), None
            if there is not None:
                gone = _gone(sit, there.chosen)
                offer_there = there.offer[1] if there.offer and there.offer[0] == p.id else None
            cost, cost_gone = costs[p.id]
            tie = _tie_with(sit, items, p, near)
            out[p.id] = Reserve(nearest, gone, offer_there, cost, cost_gone, tie)
    report(whole, whole)
    return out


# the key of the best sets below the allocation among the work shared out (every other key is a reserve's id)
_BELOW = ("the best sets below the allocation",)


def _share(report, start: int, width: int, whole: int) -> Callable[[int, int], None]:
    """A progress callback for one part of the work: its ``(done, total)`` reported as the *width* steps from
    *start* of *whole*."""
    def tick(done: int, total: int) -> None:
        if total > 0:
            report(start + width * min(done, total) // total, whole)

    return tick


def _below(sit, budget: int, wanted, read, worked_out) -> tuple:
    """The shortlists at every allocation from £0 to *budget*, regime by regime, as budget intervals that may
    name only *wanted* (ids): each regime read from the arrays of a large round (``read(orders, low, top)``,
    ``None`` where they do not settle it) or else from its own situation (``worked_out(there, low, top)``)."""
    from .sweep import joined

    parts = []
    for low, top, orders in _regimes_up_to(sit, budget, wanted):
        part = read(orders, low, top) if orders is not None else None
        parts.append(part if part is not None else worked_out(sit.regime(low, keep=False), low, top))
    return joined(parts)


def _regimes_up_to(sit, budget: int, wanted):
    """Each regime from £0 to *budget*, as ``(low, top, orders)``: its first allocation, its last up to *budget*,
    and the arrays of a large round that may name only *wanted* (:class:`engine.decision.regimes.Orders`,
    ``None`` for a small one)."""
    from .regimes import Orders

    orders = Orders.of(sit, wanted)
    for low, high in sit.regimes:
        if low > budget:
            break
        yield low, min(high, budget), orders


def _best_runs(sit, budget: int, wanted) -> tuple[dict[str, list[list[int]]], list]:
    """For each of *wanted* (ids), the runs of allocations from £0 to *budget* (``[first, last]``, ascending) at
    which the best set holds it for its full cost, and the reduced offers made (``(first, last, (id, amount))``
    each, ascending: :func:`_offer_at` reads them).

    Regime by regime: read from the frontier of a large round's arrays
    (:class:`engine.decision.regimes.Orders`) where none of its bids could be offered a reduced amount, as bit
    masks, each best set's changes from the one before it making and ending runs; otherwise from its budget
    intervals.  The best sets are never written out, however many of them hold however many proposals."""
    from .sweep import budget_intervals, members

    runs: dict[str, list[list[int]]] = {}
    offers: list[tuple[int, int, tuple[str, int]]] = []  # (first, last allocation, offer), ascending
    held: set[str] = set()  # in full at the allocation before the one reached

    def now_held(ids: set[str], start: int) -> None:
        """From allocation *start*, *ids* are held in full: runs start and end where that differs."""
        for pid in held - ids:
            runs[pid][-1][1] = start - 1
        for pid in ids - held:
            runs.setdefault(pid, []).append([start, budget])

    for low, top, orders in _regimes_up_to(sit, budget, wanted):
        items = orders.items(low, top) if orders is not None else None
        if items is None:
            for iv in budget_intervals(sit.regime(low, keep=False), low, top):
                reduced = iv.offer[0] if iv.offer else None
                ids = {pid for pid in iv.chosen if pid != reduced and pid in wanted}
                now_held(ids, iv.start)
                held = ids
                if iv.offer:
                    offers.append((iv.start, iv.end, iv.offer))
            continue
        costs, _, sets = sit.frontier(items, top)
        asked = sum(1 << r for r, item in enumerate(items) if item.id in wanted)
        k = bisect_right(costs, low) - 1
        mask = sets[k] & asked
        now_held(set(members(items, mask)), low)
        for k in range(k + 1, len(costs)):
            new = sets[k] & asked
            for pid in members(items, new & ~mask):  # held from here
                runs.setdefault(pid, []).append([costs[k], budget])
            for pid in members(items, mask & ~new):  # no longer
                runs[pid][-1][1] = costs[k] - 1
            mask = new
        held = set(members(items, mask))

    return runs, offers


def _offer_at(offers: list) -> Callable[[int], tuple[str, int] | None]:
    """The reduced offer made at an allocation (``(id, amount)``; ``None``: none), from the *offers* of
    :func:`_best_runs`."""
    starts = [first for first, _, _ in offers]

    def offer_at(allocation: int) -> tuple[str, int] | None:
        i = bisect_right(starts, allocation) - 1
        return offers[i][2] if i >= 0 and offers[i][1] >= allocation else None

    return offer_at


@attrs.frozen
class _Shortlist:
    """The best set from an allocation up (to the next point of the frontier), as a bit mask over *items*."""

    start: int
    mask: int
    bits: dict  # id -> its bit
    offer = None  # no reduced offer in a range of allocations whose proposals cannot be offered one

    @property
    def chosen(self) -> "_Shortlist":
        """Itself: ``pid in shortlist.chosen`` asks the mask, as it asks a budget interval's ids."""
        return self

    def __contains__(self, pid: str) -> bool:
        bit = self.bits.get(pid)
        return bit is not None and bool(self.mask >> bit & 1)


class _Points:
    """The frontier's best sets from an allocation *low* up, each read as a :class:`_Shortlist` only when asked for
    (a large round's frontier has hundreds of thousands of them, and a question reads few)."""

    def __init__(self, costs: list[int], sets: list[int], bits: dict, low: int):
        self.costs, self.sets, self.bits, self.low = costs, sets, bits, low
        self.first = bisect_right(costs, low) - 1  # the point that holds low

    def masks(self):
        """``(k, mask)`` of each point from the first, in order."""
        return zip(range(self.first, len(self.sets)), self.sets[self.first:])

    def at(self, k: int) -> _Shortlist:
        return _Shortlist(max(self.costs[k], self.low), self.sets[k], self.bits)

    def __iter__(self):
        return (self.at(k) for k in range(self.first, len(self.sets)))


class _Later:
    """The shortlists from an allocation up to the total eligible cost, range of allocations by range (over which
    the eligible proposals stay the same), worked out only as far as a question needs.

    Under ``optimal``, where none of a range's proposals can be offered a reduced amount, its shortlists are read
    from the frontier of best sets (:func:`engine.decision.sweep.frontier`) as bit masks, the sets never written
    out; otherwise from its budget intervals."""

    def __init__(self, sit, start: int, progress: Callable[[int, int], None] | None = None):
        self.sit = sit
        self.ranges = [(max(lo, start), hi) for lo, hi in sit.regimes if hi >= start]
        self.parts: list = []  # worked out so far, in order
        # called with (done, total) as the ranges are worked out, a range's frontier item by item
        self.progress = progress

    def _parts(self):
        yield from self.parts
        while len(self.parts) < len(self.ranges):
            part = self._part(*self.ranges[len(self.parts)])
            self.parts.append(part)
            yield part

    def _within(self) -> Callable[[int, int], None] | None:
        """The progress callback of the range about to be worked out: its share of all the ranges."""
        progress, done, ranges = self.progress, len(self.parts), len(self.ranges)
        if progress is None:
            return None
        progress(done, ranges)
        return lambda part, whole: progress(done * whole + min(part, whole), ranges * whole) if whole else None

    def _part(self, low: int, high: int):
        from .sweep import budget_intervals

        report = self._within()
        there = self.sit.regime(low, keep=False)
        if there.candidates or there.base_policy != "optimal":
            return ("intervals", budget_intervals(there, low, high))
        items = [item for item in there.items if item.cost <= high]
        costs, _, sets = self.sit.frontier(items, high, report)
        bits = {item.id: r for r, item in enumerate(items)}
        return ("masks", _Points(costs, sets, bits, low))

    def first_with(self, ids) -> dict:
        """For each of *ids*, the first shortlist that holds it (if any)."""
        from .sweep import ranks_of

        left, out = set(ids), {}
        for kind, shortlists in self._parts():
            if not left:
                break
            if kind == "intervals":
                for iv in shortlists:
                    found = left.intersection(iv.chosen)
                    for pid in found:
                        out[pid] = iv
                    left -= found
                continue
            bits = shortlists.bits
            wanted = 0
            for pid in left:
                if pid in bits:
                    wanted |= 1 << bits[pid]
            ids_of = {r: pid for pid, r in bits.items()}
            for k, mask in shortlists.masks():
                hits = mask & wanted
                if not hits:
                    continue
                shortlist = shortlists.at(k)
                wanted ^= hits
                for r in ranks_of(hits):
                    out[ids_of[r]] = shortlist
                    left.discard(ids_of[r])
                if not wanted:
                    break
        return out

    def first_full(self, pid: str):
        """The first shortlist that holds *pid* for its full cost (if any)."""
        for kind, shortlists in self._parts():
            for there in shortlists:
                if pid in there.chosen and not (there.offer and there.offer[0] == pid):
                    return there
        return None


def _tie_with(sit, items, p: Proposal, near: "_Near | None" = None) -> Tie | None:
    """The best set that holds *p* within the allocation, against the set chosen (``None``: *p* cannot fit); the
    best set of the others in the room left is read from *near* where it settles it."""
    budget = sit.budget
    if p.cost > budget:
        return None
    found = near.best_without(p, budget - p.cost) if near is not None else None
    if found is not None:
        score, cost, ids = found
    else:
        rest = _best_within([item for item in items if item.id != p.id], budget - p.cost)
        score, cost, ids = sum(item.score for item in rest), sum(item.cost for item in rest), {item.id for item in rest}
    return _tie(sit, items, score + sit.scores[p.id].units, cost + p.cost, ids | {p.id}, sit.choice.selection)


class _Near:
    """The best sets of the upfront proposals within every room up to the allocation in use (the frontier of
    :func:`engine.decision.sweep.frontier`, as bit masks over the order now), each at its units now.

    The best set of the others than *p* within a room is the best set of them all there, if that does not hold
    *p*: the others' sets are among the sets of them all, scored and ordered the same.  Where it holds *p*,
    nothing is read here."""

    def __init__(self, sit):
        self.order = sit.order  # bit r: the proposal of rank r
        self.bit = {p.id: r for r, p in enumerate(sit.order)}
        self.costs, self.scores, self.sets = sit.frontier(sit.items, sit.budget)

    def best_without(self, p: Proposal, room: int) -> tuple[int, int, set[str]] | None:
        """The score, cost and ids of the best set of the others than *p* within *room* (from £0 to the
        allocation), or ``None`` where the best set of them all there holds *p*."""
        from .sweep import members

        j = bisect_right(self.costs, room) - 1
        if self.sets[j] >> self.bit[p.id] & 1:
            return None
        return self.scores[j], self.costs[j], set(members(self.order, self.sets[j]))


def _tie_without(sit, items, p: Proposal) -> Tie | None:
    """The best set without *p* within the allocation, against the set chosen (which holds *p*)."""
    others = [item for item in items if item.id != p.id]
    if not others:
        return None
    rest = _best_within(others, sit.budget)
    return _tie(sit, items, sum(item.score for item in rest), sum(item.cost for item in rest),
                {item.id for item in rest}, sit.choice.selection)


def _best_within(items, room: int) -> list[Item]:
    """The items of the best set within *room*, as :func:`engine.decision.select.optimal` chooses it (the
    knapsack over the scoring items that fit, in the order given), without its walk of every item."""
    fit = [item for item in items if item.score > 0 and item.cost <= room]
    return [fit[r] for r in knapsack([item.cost for item in fit], [item.score for item in fit], room)] if fit else []


def _tie(sit, items, score, cost, other: set, sel) -> Tie:
    if score < sel.score:
        kind, first = "lower", None
    elif cost > sel.allocated:
        kind, first = "dearer", None
    else:
        chosen = set(sel.chosen)
        first = next(item.id for item in items if (item.id in chosen) != (item.id in other))
        kind = "rank"
    return Tie(kind, score, cost, sel.score, sel.allocated, first)


def _greatest_cost_optimal(sit, k: Proposal, rescore: "_Rescore | None" = None,
                           eligibility: "_Eligibility | None" = None,
                           within: "_Within | None" = None) -> tuple[int | None, tuple[str, ...]]:
    """The greatest cost at which *k* is in the optimal shortlist now, and who leaves it then.

    Over each stretch of costs with the same scores (and the same ranking) the
    answer is monotone: a cheaper *k* keeps every set it was in at least as good.
    So the stretches are taken from the top; a stretch is passed over when the
    linear relaxation shows no set with *k* can come level with the best set
    without it, or when *k* is not chosen even at its cheapest cost there.  In
    the first stretch that holds *k*, the greatest cost is solved for once: with
    ``V``, ``C`` the score and cost of the best set without *k*, and ``w(T)`` the
    least cost of a set of the others scoring at least ``T``, *k* at cost c is
    chosen when ``c <= budget - w(V - s + 1)`` (it scores more), or when
    ``c <= min(budget, C - 1) - w(V - s)`` (it scores the same for less); the one
    cost at which it would tie exactly is settled by the knapsack itself.
    """
    budget = sit.budget
    if budget < 1:
        return None, ()
    rescore = rescore or _Rescore(sit)
    eligible = eligibility or _Eligibility(sit.round)
    cuts = {1, *eligible.cuts(k)} | rescore.cuts.of(k)
    starts = sorted(c for c in cuts if 1 <= c <= budget)
    if within is not None:
        # the first bound only falls as k's cost rises: the stretches above the last whose cheapest cost meets
        # it cannot hold k; below, each stretch is put to the sharper one
        falling, could = within.tests(sit, rescore, k)
        top = (_last_with(lambda i: falling(starts[i - 1]), len(starts)) if starts else None) or 0
    else:
        could, top = _Relaxation(sit, rescore, k).could, len(starts)
    for index in range(top - 1, -1, -1):
        low, up = starts[index], (starts[index + 1] - 1 if index + 1 < len(starts) else budget)
        if up < low or not eligible(k, up):
            continue
        if not could(low):
            continue
        stretch = _Stretch(sit, k, _ranked_at(sit, rescore, k, up))  # the same at every cost of the stretch
        best = _greatest_in_stretch(sit, rescore, k, low, up, stretch)
        if best is None:
            continue
        offers = sit.round.reduced_offers and any(
            p.minimum_cost is not None and p.minimum_cost < (best if p.id == k.id else p.cost) for p in sit.order)
        # where no proposal could be offered less, the shortlist is the optimal set alone
        there = _decide_at_cost(sit, k, best, rescore).ids if offers else stretch.optimal_ids(best)
        return best, _gone(sit, there)
    return None, ()


def _greatest_in_stretch(sit, rescore, k: Proposal, low: int, up: int,
                         stretch: "_Stretch | None" = None) -> int | None:
    """The greatest cost in ``[low, up]`` (a stretch with the same scores and ranking) at which *k* is in the
    optimal shortlist, ``None`` if at none (*stretch*: the stretch's order, if worked out).

    With ``V``, ``C`` the score and cost of the best set without *k*, ``s`` its units and ``w(T)`` the least cost
    of a set of the others scoring at least ``T``, *k* at cost ``x`` is chosen exactly when ``x <= budget -
    w(V - s + 1)`` (with it the set scores more), or ``x <= min(budget, C - 1) - w(V - s)`` (the same for less),
    or, at ``x = C - w(V - s)`` alone, when the order decides a tie on both for it (the knapsack says)."""
    budget = sit.budget
    stretch = stretch or _Stretch(sit, k, _ranked_at(sit, rescore, k, up))
    mine = rescore.units(k, k, up)
    if mine <= 0:  # the knapsack is given only the proposals that score
        return None
    ranked, units = stretch.ranking
    others = [(q.cost, units[q.id]) for q in ranked if q.id != k.id]
    best_score, best_cost = stretch.best_without()
    same, reached = _least_cost(others, best_score - mine)
    # the cheapest set reaching V - s that reaches more is the cheapest reaching V - s + 1 as well
    more = same if same is not None and reached > best_score - mine else \
        _least_cost(others, best_score - mine + 1)[0]
    chosen_to = max(budget - more if more is not None else -1,
                    min(budget, best_cost - 1) - same if same is not None else -1)
    found = min(up, chosen_to) if chosen_to >= low else None
    if same is not None:
        tie = best_cost - same  # the same score at the same cost: the rank decides
        if (found is None or found < tie) and low <= tie <= up and k.id in stretch.optimal_ids(tie):
            found = tie
    return found


def _least_cost(items: list[tuple[int, int]], target: int) -> tuple[int | None, int]:
    """The least cost of a set of *items* (``(cost, units)``) scoring at least *target* units (``None``: none),
    and the units of the set that costs that.

    Solved as the knapsack of what to leave out: the most cost whose units leave at least *target*.
    """
    if target <= 0:
        return 0, 0
    scored = [(c, s) for c, s in items if s > 0]
    total_units = sum(s for _, s in scored)
    if total_units < target:
        return None, 0
    room = total_units - target
    candidates = [i for i, (c, s) in enumerate(scored) if s <= room]
    left_out = knapsack([scored[i][1] for i in candidates], [scored[i][0] for i in candidates], room) \
        if candidates and room > 0 else []
    left = [scored[candidates[j]] for j in left_out]
    return sum(c for c, _ in scored) - sum(c for c, _ in left), total_units - sum(s for _, s in left)


def _ranked_at(sit, rescore, k: Proposal, cost: int) -> tuple[list[Proposal], dict[str, int]]:
    """The upfront proposals in the order the policy considers them when *k* costs *cost*, and their units.

    Only *k* and the proposals it passes on people per pound on the way (:meth:`_Rescore.moved`) can change
    their place: they are taken out of the order now and put back where their keys fall (the keys are all
    different: each ends with an id), the others keeping theirs."""
    base = rescore.ranking
    units = dict(base.units)
    moving = {k.id} | {pid for pid in rescore.moved(k, cost) if pid in units}
    mine = rescore.units(k, k, cost)
    units[k.id] = mine
    moved = [(base.key(k, mine, cost), k)]
    for pid in moving:
        if pid != k.id:
            p = base.by_id[pid]
            units[pid], key = base.shifted(p, rescore.step(p, k, cost))
            moved.append((key, p))
    keys, order = list(base.keys), list(base.order)
    for at in sorted((base.place[pid] for pid in moving), reverse=True):  # from the back: the places hold
        del keys[at], order[at]
    for key, p in moved:
        at = bisect_left(keys, key)
        keys.insert(at, key)
        order.insert(at, p)
    return order, units


_first = operator.itemgetter(0)


class _Ranking:
    """The order the policy considers the upfront proposals in now, with each one's key and units."""

    def __init__(self, sit, rescore: "_Rescore"):
        self.rescore = rescore
        self._shifted: dict[str, list] = {}  # id -> its (units, key) at each step, as asked for
        self.consensus_first = sit.policy == "consensus-first"
        self.scores = sit.scores
        self.units = {p.id: sit.scores[p.id].units for p in sit.order}
        self.by_id = {p.id: p for p in sit.order}
        self.place = {p.id: r for r, p in enumerate(sit.order)}  # in the order now
        self.order = list(sit.order)
        self.keys = [self.key(p, self.units[p.id], p.cost) for p in sit.order]

    def shifted(self, p: Proposal, step: int) -> tuple[int, tuple]:
        """*p*'s units and key at its own cost when it has *step* (:meth:`_Rescore.step`)."""
        found = self._shifted.get(p.id)
        if found is None:
            found = self._shifted[p.id] = [None] * 5
        pair = found[step]
        if pair is None:
            units = self.rescore.steps(p)[step]
            pair = found[step] = (units, self.key(p, units, p.cost))
        return pair

    def key(self, p: Proposal, units: int, price: int):
        """The policy's key for *p* with *units* at *price* (that of :func:`engine.decision.shortlist.walk_key`)."""
        agreed = self.scores[p.id].consensus
        return ((not agreed) if self.consensus_first else False, -units, not agreed, price,
                p.submitted.toordinal(), p.id)


def _in_optimal(sit, rescore, k: Proposal, cost: int) -> bool:
    """Whether the optimal set at the allocation in use holds *k* when it costs *cost*."""
    return k.id in _Stretch(sit, k, _ranked_at(sit, rescore, k, cost)).optimal_ids(cost)


class _Stretch:
    """A reserve *k*'s order over a stretch of its cost (*ranking*, from :func:`_ranked_at`: the same at every cost
    of the stretch), with the others that can be in a set laid out once."""

    def __init__(self, sit, k: Proposal, ranking):
        self.ranking, self.k, self.budget = ranking, k, sit.budget
        ranked, units = ranking
        self.units = units[k.id]
        self.ids, self.costs, self.scores = [], [], []  # the others scoring and fitting, in rank order
        self.place = 0  # how many of them come before k
        for p in ranked:
            if p.id == k.id:
                self.place = len(self.ids)
            elif units[p.id] > 0 and p.cost <= self.budget:
                self.ids.append(p.id)
                self.costs.append(p.cost)
                self.scores.append(units[p.id])

    def best_without(self) -> tuple[int, int]:
        """The score and cost of the best set of the others within the allocation."""
        rest = knapsack(self.costs, self.scores, self.budget) if self.ids else []
        return sum(self.scores[r] for r in rest), sum(self.costs[r] for r in rest)

    def optimal_ids(self, cost: int) -> set[str]:
        """The optimal set at the allocation in use when *k* costs *cost* (as :func:`engine.decision.select.optimal`
        chooses it: the knapsack over the scoring items that fit, in rank order)."""
        ids, costs, scores = self.ids, self.costs, self.scores
        if self.units > 0 and cost <= self.budget:
            at = self.place
            ids, costs, scores = (ids[:at] + [self.k.id] + ids[at:], costs[:at] + [cost] + costs[at:],
                                  scores[:at] + [self.units] + scores[at:])
        return {ids[r] for r in knapsack(costs, scores, self.budget)} if ids else set()


class _Within:
    """For every room up to the allocation in use: the most units a set of the proposals can score in it; by
    dynamic programming over units, the least cost of reaching each number of them.  Worked out twice: with
    each proposal at the most it can have whichever one's cost moves (a bound on any set of the others, at any
    cost of any of them), and with each at its units now (a bound on them while the one whose cost moves
    costs no more than now: it then passes some of them on people per pound, and they can only lose).

    Tighter than the linear relaxation (no fraction of a proposal is counted), and worked out once for every
    reserve; on numpy, so only for a round of more than :data:`engine.decision.regimes.SMALL` proposals."""

    # units counted at most: two tables of 4 bytes a unit and one more while they are worked out (96 MB at most;
    # half as many units where the allocation is past 32 bits and they take 8 bytes), each pass over the
    # proposals a numpy operation over the table; past that the linear relaxation is used, which rules out far
    # fewer stretches (at 1,000 generated proposals and a fifth of what they ask for, 3.3 million units: 26 s
    # with the tables, 149 s without)
    LONGEST = 8_000_000

    def __init__(self, highest, now, np, rivals: list[Proposal]):
        # highest[u]: the least cost of a set scoring at least u units, each at its most (past the allocation:
        # the allocation and a penny)
        self.highest = highest
        self.now = now  # the same with each at its units now
        self.np = np
        self.rivals = rivals  # the set chosen now, in order

    @classmethod
    def of(cls, sit, rescore) -> "_Within | None":
        from .regimes import SMALL

        if len(sit.order) <= SMALL:
            return None
        budget = sit.budget
        if budget >= LIMIT:  # the tables hold sums of two costs of at most the allocation, in 64 bits at most
            return None
        fits = [p for p in sit.order if p.cost <= budget]
        highest = [(p.cost, rescore.bounds(p)[1]) for p in fits]
        # the most units any set within the allocation can score, by the linear relaxation
        most, room = Fraction(0), budget
        for c, u in sorted(((c, u) for c, u in highest if u > 0), key=lambda cu: Fraction(cu[1], cu[0]),
                           reverse=True):
            if c <= room:
                most, room = most + u, room - c
            else:
                most += Fraction(u * room, c)
                break
        longest = int(most) + 1
        # a least cost past the allocation is never read (rooms are at most the allocation): each entry is kept
        # at most the allocation and a penny, and every sum under a cost more, which 32 bits hold where it fits
        past = budget + 1
        narrow = past + budget < 2**31
        if longest > (cls.LONGEST if narrow else cls.LONGEST // 2):
            return None
        import numpy as np

        kind = np.int32 if narrow else np.int64

        def least_costs(items):
            costs = np.full(longest + 1, past, dtype=kind)  # not reached within the allocation
            costs[0] = 0
            reached = 0  # the most units reached so far: past it every entry is not reached, and stays so
            for c, u in items:
                if u <= 0:
                    continue
                reach = min(u, longest + 1)
                top = min(reached + u, longest)  # from the entries reached so far, with this one added
                if top >= reach:  # (the sums are taken before any entry changes)
                    np.minimum(costs[reach:top + 1], costs[:top + 1 - reach] + c, out=costs[reach:top + 1])
                np.minimum(costs[:reach], c, out=costs[:reach])  # the proposal alone reaches these
                reached = top
            return costs

        now = [(p.cost, sit.scores[p.id].units) for p in fits]  # each at most its highest: within *longest*
        chosen = sit.choice.selection.chosen
        return cls(least_costs(highest), least_costs(now), np, [p for p in sit.order if p.id in chosen])

    def most(self, room: int, now: bool = False) -> int:
        """The most units of a set costing at most *room*, from £0 to the allocation (with each proposal at its
        units now, if *now*)."""
        table = self.now if now else self.highest
        # (a number of the table's own kind: any other would have numpy convert the whole table to search it)
        return int(self.np.searchsorted(table, table.dtype.type(room), side="right")) - 1

    def tests(self, sit, rescore, k: Proposal) -> tuple[Callable[[int], bool], Callable[[int], bool]]:
        """Whether *k* at a cost could be in the best set at the allocation in use: its units and the most of
        the rest of the money come level with the set chosen now, its units worked out at that cost (a set
        holding *k* must score at least that).

        The first test only fails more as the cost rises (the set chosen now scores more as *k* costs more,
        and *k* and the bound less), for a bisection; the second is sharper, taking the others at their units
        now where *k* costs no more than now."""
        budget = sit.budget
        floor = _Together(rescore, k, [] if k.id in sit.choice.selection.chosen else self.rivals)

        def level(cost: int, now: bool) -> bool:
            if cost > budget:
                return False
            return rescore.units(k, k, cost) + self.most(budget - cost, now) >= floor(cost)

        return (lambda cost: level(cost, False)), (lambda cost: level(cost, cost <= k.cost))


class _Together:
    """The units of *others* (not *k*) together when *k* costs a given amount, as :meth:`_Rescore.units` gives
    each, read in a bisection and two differences.

    Another's units depend on *k*'s cost only through whether *k* then reaches fewer people per pound than it,
    as many, or more: with ``X`` *k*'s reach times its cost and ``R`` its reach, fewer exactly when the cost is
    more than ``X // R``, as many when it is ``X / R`` itself.  Sorted by ``X // R``, the others at a cost are
    a run below it, the few level with it and a run above, each summed from running totals."""

    def __init__(self, rescore: "_Rescore", k: Proposal, others: list[Proposal]):
        self.fixed = 0  # the units of those that do not move with k's cost
        moving = []  # (X // R, its units past it, at it, below it)
        for q in others:
            if not rescore.depends(k) or q.reach is None or q.reach == 0:
                self.fixed += rescore.units(q, k, k.cost)
                continue
            x = k.reach * q.cost
            was = rescore.relation(q, k, k.cost)  # where k stands now: each relation's step is counted from it
            steps = rescore.steps(q)
            level = steps[3 - was] if x % q.reach == 0 else steps[2 - was]
            moving.append((x // q.reach, steps[4 - was], level, steps[2 - was]))
        moving.sort(key=_first)
        self.cuts = [m[0] for m in moving]
        self.past, self.at, self.before = [0], [0], [0]  # running totals of each kind of units, in that order
        for _, past, at, before in moving:
            self.past.append(self.past[-1] + past)
            self.at.append(self.at[-1] + at)
            self.before.append(self.before[-1] + before)

    def __call__(self, cost: int) -> int:
        low = bisect_left(self.cuts, cost)
        high = bisect_right(self.cuts, cost, low)
        return (self.fixed + self.past[low] + self.at[high] - self.at[low] + self.before[-1]
                - self.before[high])


class _Relaxation:
    """An upper bound, by the linear relaxation, on the best score of a set holding *k* at a given cost.

    Scores of the others are taken at the most they can reach as *k*'s cost
    moves, and the best set without *k* at the least, so the bound holds for
    every cost; a stretch whose cheapest cost fails it cannot hold *k*.
    """

    def __init__(self, sit, rescore, k: Proposal):
        self.budget = sit.budget
        others = [p for p in sit.order if p.id != k.id]
        highs = [(rescore.bounds(p)[1], p.cost) for p in others]
        highs = [(s, c) for s, c in highs if s > 0]
        highs.sort(key=lambda sc: Fraction(sc[0], sc[1]), reverse=True)
        self.costs = [0]
        self.scores = [0]
        for s, c in highs:
            self.costs.append(self.costs[-1] + c)
            self.scores.append(self.scores[-1] + s)
        self.ratios = [Fraction(s, c) for s, c in highs]
        self.own = lambda cost: rescore.units(k, k, cost)
        lows = {p.id: rescore.bounds(p)[0] for p in others}
        chosen = [p for p in others if p.id in sit.choice.selection.chosen]
        self.floor = sum(lows[p.id] for p in chosen) if k.id not in sit.choice.selection.chosen else 0

    def lp(self, room: int) -> Fraction:
        j = bisect_right(self.costs, room) - 1
        value = Fraction(self.scores[j])
        if j < len(self.ratios):
            value += self.ratios[j] * (room - self.costs[j])
        return value

    def could(self, cost: int) -> bool:
        if cost > self.budget:
            return False
        return self.own(cost) + self.lp(self.budget - cost) >= self.floor
