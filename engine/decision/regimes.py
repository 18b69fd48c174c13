"""The order of a large round at many allocations, worked out on arrays.

A rule that compares a bid with the upfront allocation lets proposals in as the
allocation grows (a *regime* is a range of allocations over which the eligible
proposals stay the same), and every proposal's value for money is judged again
among those let in, so each regime has its own scores and its own order.  Working
a regime out proposal by proposal costs a round of 1,000 bids about a millisecond,
and such a round has about as many regimes as bids.

Here the totals of every regime are the same whole-number arithmetic as
:class:`~engine.decision.score.Rejudge`'s, on numpy arrays, and the order is read
from one whole number per proposal that sorts as the policy's key does (group,
score, consensus, then the fixed tie-break of cost, submission and id).  Only the
head of the order, down to the last of the proposals asked about, is sorted.
"""

from __future__ import annotations

import collections
from collections.abc import Collection

from ..inputs.proposal import Proposal
from .arrays import LIMIT
from .score import UNITS

__all__ = ["Orders", "SMALL"]

# Up to this many proposals that an allocation may let in, regimes are worked out one by one (numpy's import
# would cost a small round more than it saves).
SMALL = 64


Bid = collections.namedtuple("Bid", "id cost score")  # a bid let in, as an item of a sweep: its id, cost and units

# the arrays of the proposals that can reach a head (Orders.near), in its order
_Columns = collections.namedtuple("_Columns", "rank over up under rated full fixed")


class Orders:
    """The head of the order of each regime of a round (a :class:`~engine.decision.shortlist.Situation`),
    down to the last of *wanted* (ids), asked for at allocations that go up."""

    def __init__(self, sit, wanted: Collection[str], np):
        home = sit.base or sit
        pieces = home._pieces
        rejudge = home._rejudge
        self.np = np
        self.people = people = [s.proposal for s in home.screenings if s.proposal.id in pieces]
        n = len(people)
        terms = [rejudge.terms(p) for p in people]
        fixed = [rejudge.fixed(p) for p in people]
        consensus = [rejudge.consensus(p) for p in people]
        unit2 = 2 * UNITS
        lows = [f if t is None else (unit2 * t[0] + t[2]) // (2 * t[2]) for t, f in zip(terms, fixed)]
        highs = [f if t is None else t[4] for t, f in zip(terms, fixed)]
        self.most = max(highs, default=0)
        span = self.most - min(lows, default=0) + 1
        # the largest whole numbers the arithmetic below meets, checked before any array is made
        twice = 2 * max(n, 1)
        a_most, b_most, d_most = (max((t[j] for t in terms if t), default=0) for j in (0, 1, 2))
        key_most = ((1 * span + span) * 2 + 1) * n + n
        fixed_most = max((abs(f) for f in fixed if f is not None), default=0)
        self.fits = unit2 * (a_most * twice + b_most * twice) + d_most * twice < LIMIT and \
            2 * d_most * twice < LIMIT and key_most < LIMIT and max((p.cost for p in people), default=0) < LIMIT \
            and fixed_most * twice < LIMIT
        if not self.fits:
            return
        self.rated = np.array([t is not None for t in terms], dtype=bool)
        zero = (0, 0, 1, rejudge.ranks, 0)
        a, b, d, rank, full = (np.array(column, dtype=np.int64) for column in zip(*[t or zero for t in terms])) \
            if n else (np.zeros(0, dtype=np.int64),) * 5
        self.rank, self.full = rank, full
        self.fixed = np.array([0 if f is None else f for f in fixed], dtype=np.int64)
        # each one's units with `twice` twice the others rated and its `standing` are
        # (over * twice + up * standing) // (under * twice): for a rated proposal Rejudge's
        # (2 * UNITS * (a * twice + b * standing) + d * twice) // (2 * d * twice), for another its fixed units
        self.over = np.where(self.rated, unit2 * a + d, self.fixed)
        self.up = np.where(self.rated, unit2 * b, 0)
        self.under = np.where(self.rated, 2 * d, 1)
        self.ranks = rejudge.ranks
        tie = sorted(range(n), key=lambda i: (people[i].cost, people[i].submitted.toordinal(), people[i].id))
        tiebreak = [0] * n
        for place, i in enumerate(tie):
            tiebreak[i] = place
        group = [(not c) if sit.policy == "consensus-first" else False for c in consensus]
        # key = ((group * span + (most - units)) * 2 + not consensus) * n + tiebreak, less the units part
        self.key_base = np.array([((g * span) * 2 + (not c)) * n + t
                                  for g, c, t in zip(group, consensus, tiebreak)], dtype=np.int64)
        self.key_step = 2 * n  # a unit less adds this much
        self.upfront = np.array([p.pot == "upfront" for p in people], dtype=bool)
        self.costs = np.array([p.cost for p in people], dtype=np.int64)
        self.offers = np.array([p.minimum_cost is not None and p.minimum_cost < p.cost for p in people],
                               dtype=bool) if sit.round.reduced_offers else np.zeros(n, dtype=bool)
        self.wanted = np.array([p.id in wanted for p in people], dtype=bool)
        # the proposals that can come before the last wanted one at some allocation: those whose key at their
        # most units is no later than a wanted one's at its fewest (no other ever reaches a head), with their
        # arrays, so that a head is worked out on them alone
        best = self.key_base + (self.most - np.array(highs, dtype=np.int64)) * self.key_step
        worst = self.key_base + (self.most - np.array(lows, dtype=np.int64)) * self.key_step
        near = np.flatnonzero(best <= worst[self.wanted].max()) if self.wanted.any() else np.zeros(0, dtype=np.int64)
        near = near[np.argsort(self.rank[near], kind="stable")]  # by people per pound: those above one are a run
        self.near = near
        self._near = _Columns(self.rank[near], self.over[near], self.up[near], self.under[near], self.rated[near],
                              self.full[near], self.fixed[near])
        # kept as proposals are let in and out: how many rated ones of the pool rank below each of near, and
        # level with it, and how many there are (so a head's standings never count the whole pool again)
        self._below_near = np.zeros(len(near), dtype=np.int64)
        self._level_near = np.zeros(len(near), dtype=np.int64)
        self._rated_in = 0
        self._offers_in = 0  # the bids let in that could be offered a reduced amount
        # for each proposal, where the run of near ranked level with it starts, and where those above it start
        self._level_from = np.searchsorted(self._near.rank, self.rank, side="left").tolist()
        self._above_from = np.searchsorted(self._near.rank, self.rank, side="right").tolist()
        self._rated_list, self._offering = self.rated.tolist(), (self.offers & self.upfront).tolist()
        self._near_upfront = self.upfront[near]
        self._near_wanted = self.wanted[near]
        # each proposal's eligibility from each allocation at which it may change, in allocation order
        changes = sorted((start, i, flag) for i, p in enumerate(people)
                         for start, flag in zip(*pieces[p.id]))
        self._changes = changes
        self._done = 0
        self._at = -1
        self.pool = np.zeros(n, dtype=bool)

    @classmethod
    def of(cls, sit, wanted: Collection[str]) -> "Orders | None":
        """The arrays for *sit*, or ``None`` where they do not pay (a small round) or whole numbers could
        outgrow them (then each regime is worked out by :meth:`Situation.regime`)."""
        home = sit.base or sit
        if len(home._pieces) <= SMALL:
            return None
        import numpy

        orders = cls(sit, wanted, numpy)
        return orders if orders.fits else None

    def _move_to(self, budget: int) -> None:
        if budget < self._at:
            self.pool[:] = False
            self._done = 0
            self._below_near[:] = 0
            self._level_near[:] = 0
            self._rated_in = self._offers_in = 0
        changes = self._changes
        while self._done < len(changes) and changes[self._done][0] <= budget:
            _, i, flag = changes[self._done]
            if self.pool[i] != flag:
                self.pool[i] = flag
                step = 1 if flag else -1
                if self._offering[i]:
                    self._offers_in += step
                if self._rated_list[i]:
                    level, above = self._level_from[i], self._above_from[i]
                    self._below_near[above:] += step
                    self._level_near[level:above] += step
                    self._rated_in += step
            self._done += 1
        self._at = budget

    def units(self, budget: int, near: bool = False):
        """Every proposal's units when the allocation is *budget* (only those let in there mean anything), or
        with *near* those of :attr:`near` alone (in its order)."""
        np = self.np
        self._move_to(budget)
        if near:
            over, up, under, is_rated, full, fixed = self._near[1:]
            others = self._rated_in - 1
            below, level = self._below_near, self._level_near
        else:
            over, up, under, is_rated, full, fixed = self.over, self.up, self.under, self.rated, self.full, self.fixed
            counts = np.bincount(self.rank[self.pool & self.rated], minlength=self.ranks + 1)
            others = int(counts.sum()) - 1
            below, level = (np.cumsum(counts) - counts)[self.rank], counts[self.rank]
        if others <= 0:
            return np.where(is_rated, full, fixed)
        twice = 2 * others
        standing = 2 * below + level - 1  # twice those below, and those level but itself
        return (over * twice + up * standing) // (under * twice)

    def head(self, budget: int) -> list[Proposal] | None:
        """The upfront bids let in at *budget*, in the order the policy considers them, down to the last of the
        wanted proposals (none if none of them is let in); ``None`` if one of those let in could be offered a
        reduced amount (the walk alone does not settle that regime)."""
        np = self.np
        self._move_to(budget)
        if self._offers_in:
            return None
        near = self.near
        bids = self.pool[near] & self._near_upfront
        asked = bids & self._near_wanted
        if not asked.any():
            return []
        key = self.key_base[near] + (self.most - self.units(budget, near=True)) * self.key_step
        head = np.flatnonzero(bids & (key <= key[asked].max()))
        head = head[np.argsort(key[head], kind="stable")]
        return [self.people[i] for i in near[head].tolist()]

    def items(self, budget: int, upto: int) -> list[Bid] | None:
        """:meth:`bids` as items of a sweep (id, cost and units), ``None`` where it is."""
        bids = self.bids(budget, upto)
        return None if bids is None else [Bid(p.id, p.cost, units) for p, units in zip(*bids)]

    def let_in(self, budget: int) -> frozenset[str]:
        """The ids of the proposals eligible at the allocation *budget* (both pots)."""
        self._move_to(budget)
        return frozenset(self.people[i].id for i in self.np.flatnonzero(self.pool).tolist())

    def bids(self, budget: int, upto: int) -> tuple[list[Proposal], list[int]] | None:
        """The upfront bids let in at *budget* that cost at most *upto*, in the order the policy considers them,
        and their units; ``None`` if one of the bids let in could be offered a reduced amount."""
        let_in = self._let_in(budget)
        if let_in is None:
            return None
        bids, units, key = let_in
        chosen, people = self._in_order(self.np.flatnonzero(bids & (self.costs <= upto)), key)
        return people, units[chosen].tolist()

    def _let_in(self, budget: int):
        """The upfront bids let in at *budget* (a mask), every proposal's units and sort key there; ``None`` if
        one of those bids could be offered a reduced amount."""
        units = self.units(budget)
        bids = self.pool & self.upfront
        if self.offers[bids].any():
            return None
        return bids, units, self.key_base + (self.most - units) * self.key_step

    def _in_order(self, chosen, key):
        """*chosen* (indices) sorted by *key*, and their proposals."""
        chosen = chosen[self.np.argsort(key[chosen], kind="stable")]
        return chosen, [self.people[i] for i in chosen.tolist()]
