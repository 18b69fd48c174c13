"""A plain reference for every counterfactual figure: the what-ifs run at every point of a grid.

:mod:`engine.decision.counterfactual` works its figures out from what the
selection saw, cleverly.  This module works the same figures out the long way,
from what each figure *means* (issue 8, "What to build" 1 and 4, and the
docstrings of ``counterfactual.py`` and ``explain.py``): it runs the round
again at every upfront allocation from £0 to the total eligible cost, and, for
each reserve, at every cost of its own up to the allocation, and reads each
figure off those runs.  It builds the same :class:`Keep`, :class:`Reduced`,
:class:`Reserve` and :class:`Tie` objects, so the outcome can be written by the
same code (:func:`reference_outcome`) and compared as JSON with the fast path.

Why scanning a grid is exhaustive
---------------------------------
The rounds scanned have their money on a grid of ``G`` pence (:data:`G`): every
cost, minimum cost and allocation is a multiple of ``G``, every cost a multiple
of ``4 G``, and the people reached are one of 0, 100, 200 and 400 (or not
given, or, for some rounds, any number, see below); the rules compare a cost only
with the allocation, with a fixed sum that is a multiple of ``G`` (such as a
least cost for an upfront bid), and a tactical bid's with the tactical pot,
which no scan moves.

*Budgets.*  At an allocation ``b`` everything the policy compares ``b`` with is
a sum of costs and minimum costs, a multiple of ``G``: an upfront bid is
eligible when ``cost <= b`` (a fixed sum it is held to does not move with
``b``), the rank walk takes an item when the costs taken so far and its own
come to at most ``b``, the optimum chooses among the sets costing at most
``b``, a reduced offer is made when ``minimum <= b - taken < cost``.  For a
multiple ``M`` of ``G``, ``M <= b`` holds exactly when ``M <= G * floor(b /
G)``, so every allocation gives the same outcome as the grid point at or below
it: the outcome is constant on ``[j G, (j + 1) G - 1]``.  So
the runs at ``0, G, 2 G, ...`` up to the total eligible cost (itself a multiple
of ``G``) see every outcome, the least allocation at which something holds is a
grid point, and the last of a range is a grid point less a penny (or the total
eligible cost).

*A reserve's own cost.*  Let *k* cost ``c`` at the allocation ``B`` in use.  Its
cost moves three things: (1) sums that hold it, compared with multiples of
``G`` (``S + c <= M``, or ``c >= M`` for a least cost), or with sums that do
not (``S + c`` against ``S'``, the optimum's lowest cost); (2) the rank's tie-break on cost (``c`` against
another's cost); (3) value for money: *k*'s people per pound ``100 r_k / c``
against another's ``100 r_q / c_q``, level at ``c = c_q r_k / r_q``.  (Its
minimum is dropped when above ``c``; it is a multiple of ``G``.)  Between two
grid points, on ``((j - 1) G, j G)``, none of (1) and (2) can change (none can
be an equality there, and ``S + c <= M`` holds for all of them or none), while
at ``c = j G`` itself an equality may hold; (3) changes only at its crossings.
With people reached of 0, 100, 200 or 400, ``r_k / r_q`` is one of 1/4, 1/2, 1,
2, 4 and ``c_q`` a multiple of ``4 G``, so every crossing is a grid point too.
So the outcome takes one value on each stretch between these points and its own
at each of them (a crossing that is not a whole number of pence only divides
two stretches): the runs at the greatest cost of each stretch, ``j G`` and ``j G
- 1`` for ``j = 1 ... B / G``, and either side of each crossing
(:func:`cost_points`, which also serves rounds whose reach is any number), see
every outcome, and the greatest cost that shortlists *k* is the greatest of
them that does.

The tests check this argument rather than trust it: the runs a penny either
side of every figure, and at random pence, come out as the grid says
(``tests/test_fastpath.py``).

Two ways to run a what-if
-------------------------
:class:`PublicPath` runs it as ``crg screen`` does, through
:func:`engine.inputs.scenario.run`.  That costs tens of milliseconds a run,
and a round of 60 proposals needs thousands of runs, so the scans go through
:class:`Quick`, which takes the same steps with the work that does not change
from run to run done once: each proposal is screened once per allocation and
cost (with the plain evaluation of the rules, :func:`failures_python`), and
scored once; only value for money, the one part of a score that depends on the
other proposals (by rank of people reached per pound among the eligible ones),
is worked out again at each run, from its definition; then the order, the
selection and any reduced offer come from the same functions ``decide`` uses.
:class:`Quick` is checked against :class:`PublicPath` run for run in the tests.

What is not referenced
----------------------
Every field of every figure is worked out here.  A tie's other set (the best set
with a reserve, or without a proposal shortlisted, under ``optimal``) is not a
what-if the public path can run (withdrawing a proposal would move the others'
value for money), so it is found by a plain dynamic programme over the grid
(:func:`best_set`) from the scores at the allocation in use.
"""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from contextlib import contextmanager
from fractions import Fraction
from typing import Sequence
from unittest import mock

import attrs

from engine.decision import conditions
from engine.decision.counterfactual import Keep, Reduced, Reserve, Tie
from engine.decision.score import score_all, units_of
from engine.decision.screen import failures_python
from engine.decision.select import Item
from engine.decision.shortlist import choose, walk_key
from engine.inputs.proposal import Proposal
from engine.inputs.scenario import Overrides, apply, run

__all__ = ["G", "PublicPath", "Quick", "State", "best_set", "cost_points", "reference", "reference_outcome"]

G = 10_000  # the grid unit: £100


@attrs.frozen
class State:
    """What one run shortlists: the proposals shortlisted in full, any reduced offer, and the total cost of the
    eligible upfront proposals (what the scans go up to)."""

    full: frozenset[str]
    offer: tuple[str, int] | None
    eligible_cost: int

    @property
    def ids(self) -> frozenset[str]:
        return self.full | ({self.offer[0]} if self.offer else frozenset())

    def offered(self, pid: str) -> int | None:
        """What *pid* is given there as a reduced offer (``None``: no reduced offer)."""
        return self.offer[1] if self.offer and self.offer[0] == pid else None


class PublicPath:
    """The round run as ``crg screen`` runs it, at any allocation and with any costs changed (memoised)."""

    def __init__(self, round_, proposals: Sequence[Proposal], policy: str):
        self.round, self.proposals, self.policy = round_, tuple(proposals), policy
        self._runs: dict = {}

    def outcome(self, budget: int, costs: tuple = ()):
        key = (budget, costs)
        if key not in self._runs:
            self._runs[key] = run(self.round, self.proposals, Overrides(upfront=budget, policy=self.policy,
                                                                       costs=costs),
                                  engine="python", counterfactuals=False)
        return self._runs[key]

    def state(self, budget: int, costs: tuple = ()) -> State:
        o = self.outcome(budget, costs)
        full = frozenset(d.proposal.id for d in o.shortlist if not d.reduced)
        offer = next(((d.proposal.id, d.offered) for d in o.shortlist if d.reduced), None)
        return State(full, offer, sum(d.proposal.cost for d in o.decisions if d.rank is not None))


class _Scored:
    """What :func:`walk_key` reads of a score."""

    __slots__ = ("units", "consensus")

    def __init__(self, units: int, consensus: bool):
        self.units, self.consensus = units, consensus


class Quick:
    """The same runs as :class:`PublicPath`, each proposal screened and scored once rather than at every run.

    A run: the overrides applied as the public path applies them; each proposal
    eligible when it fails no rejecting rule of the round at that allocation;
    its score the parts that do not depend on the other proposals, plus value
    for money judged among the eligible proposals: the share of the others with
    an estimate that it reaches more people per pound than, ties counting half
    (all of it when there is no other), of the criterion's points; then the
    upfront bids in the policy's order and :func:`choose`, as ``decide`` does.
    """

    def __init__(self, round_, proposals: Sequence[Proposal], policy: str):
        self.round, self.proposals, self.policy = round_, tuple(proposals), policy
        scoring = round_.scoring
        self.value = [c.id for c in scoring.criteria if c.measure == "reach per pound"]
        scores = score_all(self.proposals, round_, scoring)
        self.most = sum((part.max_points for part in next(iter(scores.values())).parts
                         if part.criterion in self.value), Fraction(0)) if scores else Fraction(0)
        # each proposal's exact score without value for money (no other part depends on the pool or the cost)
        self.rest = {pid: s.exact - sum((part.points for part in s.parts if part.criterion in self.value),
                                        Fraction(0)) for pid, s in scores.items()}
        self.consensus = {pid: s.consensus for pid, s in scores.items()}
        self.rejects = {rule.id for rule in round_.rules if rule.severity == "reject"}
        self._rounds: dict = {}
        self._eligible: dict = {}
        self._states: dict = {}

    def _apply(self, budget: int, costs: tuple):
        if budget not in self._rounds:
            self._rounds[budget] = apply(self.round, self.proposals, Overrides(upfront=budget))[0]
        round_ = self._rounds[budget]
        if not costs:
            return round_, self.proposals
        return round_, apply(self.round, self.proposals, Overrides(costs=costs))[1]

    def _passes(self, round_, budget: int, p: Proposal) -> bool:
        key = (budget, p.id, p.cost, p.minimum_cost)
        if key not in self._eligible:
            self._eligible[key] = not (failures_python(round_, conditions.view(p)) & self.rejects)
        return self._eligible[key]

    def state(self, budget: int, costs: tuple = ()) -> State:
        key = (budget, costs)
        if key not in self._states:
            self._states[key] = self._run(budget, costs)
        return self._states[key]

    @property
    def runs(self) -> dict:
        """Every run made so far: ``(allocation, costs changed) -> State``."""
        return dict(self._states)

    def _run(self, budget: int, costs: tuple) -> State:
        round_, proposals = self._apply(budget, costs)
        eligible = [p for p in proposals if self._passes(round_, budget, p)]
        ratios = sorted(_ratio(p.reach, p.cost) for p in eligible if p.reach is not None)
        scored = {}
        for p in eligible:
            exact = self.rest[p.id]
            if p.reach is not None and self.value:
                mine = _ratio(p.reach, p.cost)
                below = bisect_left(ratios, mine)
                ties = bisect_right(ratios, mine) - below - 1  # itself is not an other
                others = len(ratios) - 1
                exact += self.most * ((below + Fraction(ties, 2)) / others if others else 1)
            scored[p.id] = _Scored(units_of(exact), self.consensus[p.id])
        order = sorted((p for p in eligible if p.pot == "upfront"),
                       key=lambda p: walk_key(self.policy, p, scored[p.id]))
        items = [Item(p.id, p.cost, scored[p.id].units) for p in order]
        candidates = [p for p in order if p.minimum_cost is not None and p.minimum_cost < p.cost] \
            if round_.reduced_offers else []
        choice = choose(order, items, budget, self.policy, candidates)
        return State(frozenset(choice.selection.chosen), choice.offer, sum(p.cost for p in order))


@functools.lru_cache(maxsize=None)
def _ratio(reach: int, cost: int) -> Fraction:
    return Fraction(reach * 100, cost)


# --- the figures -------------------------------------------------------------------------------------------


def best_set(items: Sequence[tuple[str, int, int]], room: int) -> tuple[int, int, tuple[str, ...]]:
    """The best set of *items* (``(id, cost, units)``, in the order considered, costs multiples of :data:`G`)
    within *room*: ``(score, cost, ids)``, the greatest score, then the least cost, then the first by rank
    (the set holding the earlier item where two sets first differ).

    ``best[i][w]`` is the best ``(score, -cost)`` of the sets of ``items[i:]`` within ``w`` grid units; the
    set is then read from the first item on, taking each one whenever taking it still reaches the best.
    """
    cells = max(room, 0) // G
    n = len(items)
    best = [[(0, 0)] * (cells + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        _, cost, units = items[i]
        width, after = cost // G, best[i + 1]
        row = list(after)
        for w in range(width, cells + 1):
            taken = (after[w - width][0] + units, after[w - width][1] - cost)
            if taken > row[w]:
                row[w] = taken
        best[i] = row
    chosen, w = [], cells
    for i, (pid, cost, units) in enumerate(items):
        width = cost // G
        if width <= w and (best[i + 1][w - width][0] + units, best[i + 1][w - width][1] - cost) == best[i][w]:
            chosen.append(pid)
            w -= width
    score, minus_cost = best[0][cells]
    return score, -minus_cost, tuple(chosen)


class _Scan:
    """The runs at every grid allocation from £0 to the total eligible cost, and what is read off them."""

    def __init__(self, world, public: PublicPath, budget: int):
        self.world, self.budget = world, budget
        outcome = public.outcome(budget)
        ranked = list(outcome.ranked)
        self.decisions = {d.proposal.id: d for d in outcome.decisions}
        first_group = public.policy == "consensus-first"
        # the eligible upfront bids in the order the policy considers them
        self.order = sorted(ranked, key=lambda pid: (first_group and not self.decisions[pid].score.consensus,
                                                     ranked.index(pid)))
        # the last allocation looked at: at least the allocation in use, the total eligible cost at every
        # allocation, and the last allocation at which the eligible proposals change; a cost is compared only with
        # the allocation (or a fixed sum), so past the cost of every upfront proposal together nothing changes
        bound = max(budget, sum(p.cost for p in public.proposals if p.pot == "upfront"))
        totals = [world.state(b).eligible_cost for b in range(0, bound + 1, G)]
        changes = [k * G for k in range(1, len(totals)) if totals[k] != totals[k - 1]]
        upto = max(budget, max(totals), *changes)
        self.upto = upto
        self.grid = range(0, upto + 1, G)
        self.states = {b: world.state(b) for b in self.grid}
        self.now = self.states[budget]

    def gone(self, there: State) -> tuple[str, ...]:
        """Who is shortlisted now and not *there*, in the order considered."""
        return tuple(pid for pid in self.order if pid in self.now.ids and pid not in there.ids)

    def first_run(self, pid: str) -> tuple[int, int] | None:
        """The first range of allocations at which *pid* is shortlisted in full."""
        start = next((b for b in self.grid if pid in self.states[b].full), None)
        if start is None:
            return None
        end = start
        while end + G <= self.upto and pid in self.states[end + G].full:
            end += G
        return start, min(end + G - 1, self.upto)

    def above(self, holds) -> int | None:
        """The least allocation above the one in use, up to the total eligible cost, whose run *holds*."""
        return next((b for b in self.grid if b > self.budget and holds(self.states[b])), None)

    def stays_from(self, pid: str) -> int:
        """The lowest allocation from which *pid* is shortlisted in full at every one up to the one in use."""
        stays = self.budget
        while stays - G >= 0 and pid in self.states[stays - G].full:
            stays -= G
        return stays

    def greatest_cost(self, pid: str) -> tuple[int | None, tuple[str, ...]]:
        """The greatest cost at which *pid* is shortlisted in full at the allocation in use, and who leaves then:
        the greatest cost of each stretch of costs over which the outcome cannot change, from the top."""
        for c in reversed(cost_points(self.world.proposals, pid, self.budget)):
            there = self.world.state(self.budget, ((pid, c),))
            if pid in there.full:
                return c, self.gone(there)
        return None, ()


def cost_points(proposals: Sequence[Proposal], pid: str, budget: int) -> list[int]:
    """The greatest cost of each stretch of costs from a penny to *budget* over which proposal *pid*'s cost cannot
    change the outcome at *budget*, ascending (a cost ``c`` gives the outcome of the least of them ``>= c``).

    A stretch starts at each grid point (a cost equal to a multiple of ``G``) and a penny after it, and where
    *pid*'s people per pound pass another proposal's: at the crossing and a penny after it when the crossing is
    a whole number of pence, the penny after it when not.  With the reach of the grid rounds every crossing is a
    grid point (see above); with any other reach the crossings add their own stretches.
    """
    k = next(p for p in proposals if p.id == pid)
    starts = {b + d for b in range(G, budget + 1, G) for d in (0, 1)}
    for q in proposals:
        if q.id != pid and k.reach and q.reach:
            whole, part = divmod(k.reach * q.cost, q.reach)  # the cost at which the two are level
            starts.update((whole, whole + 1) if part == 0 else (whole + 1,))
    return sorted({s - 1 for s in starts if 2 <= s <= budget} | ({budget} if budget >= 1 else set()))


class _Sets:
    """Under ``optimal``: the best sets on the other side of each decision, against the set chosen."""

    def __init__(self, scan: _Scan):
        self.scan = scan
        d = scan.decisions
        self.items = [(pid, d[pid].proposal.cost, d[pid].score.units) for pid in scan.order]
        self.chosen = scan.now.full
        self.score = sum(units for pid, _, units in self.items if pid in self.chosen)
        self.cost = sum(cost for pid, cost, _ in self.items if pid in self.chosen)

    def _tie(self, score: int, cost: int, other: set) -> Tie:
        if score < self.score:
            return Tie("lower", score, cost, self.score, self.cost)
        if cost > self.cost:
            return Tie("dearer", score, cost, self.score, self.cost)
        first = next(pid for pid in self.scan.order if (pid in self.chosen) != (pid in other))
        return Tie("rank", score, cost, self.score, self.cost, first)

    def without(self, pid: str) -> Tie | None:
        others = [item for item in self.items if item[0] != pid]
        if not others:
            return None
        score, cost, ids = best_set(others, self.scan.budget)
        return self._tie(score, cost, set(ids))

    def holding(self, pid: str) -> Tie | None:
        _, own, units = next(item for item in self.items if item[0] == pid)
        if own > self.scan.budget:
            return None
        score, cost, ids = best_set([item for item in self.items if item[0] != pid], self.scan.budget - own)
        return self._tie(score + units, cost + own, set(ids) | {pid})


def reference(world, public: PublicPath, budget: int) -> tuple[dict, int]:
    """The figures of every eligible upfront proposal at *budget* (by id), and the total eligible cost the
    allocations are searched up to, from runs of *world* (a :class:`Quick` or a :class:`PublicPath`).

    *public* gives the round as it stands at *budget*: who is eligible, in what order, with what score.
    """
    scan = _Scan(world, public, budget)
    sets = _Sets(scan) if public.policy == "optimal" else None
    now = scan.now
    out: dict = {}
    for pid in scan.order:
        first = scan.first_run(pid)
        if pid in now.full:
            stays = scan.stays_from(pid)
            below = scan.states[stays - G].offered(pid) if stays > 0 else None
            out[pid] = Keep(stays, below, first if first is not None and first[0] < stays else None,
                            sets.without(pid) if sets else None)
        elif now.offered(pid) is not None:
            full_at = scan.above(lambda state: pid in state.full)
            out[pid] = Reduced(now.offered(pid), full_at, scan.gone(scan.states[full_at]) if full_at is not None
                               else (), first if first is not None and first[1] < budget else None)
        else:
            nearest = scan.above(lambda state: pid in state.ids)
            there = scan.states[nearest] if nearest is not None else None
            cost, cost_gone = scan.greatest_cost(pid)
            out[pid] = Reserve(nearest, scan.gone(there) if there else (), there.offered(pid) if there else None,
                               cost, cost_gone, sets.holding(pid) if sets else None)
    return out, scan.upto


@contextmanager
def figures_from(found: dict):
    """While inside, ``decide`` explains every decision with the figures *found* instead of working them out."""
    with mock.patch("engine.decision.counterfactual.figures", lambda situation, progress=None: found):
        yield


def reference_outcome(public: PublicPath, budget: int, found: dict):
    """The outcome at *budget* on the public path, every sentence and figure made from *found*."""
    with figures_from(found):
        return run(public.round, public.proposals, Overrides(upfront=budget, policy=public.policy),
                   engine="python")
