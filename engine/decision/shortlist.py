"""The decision: screen, score, rank, select within the upfront allocation, explain.

:func:`decide` runs the whole flow for one round and returns an
:class:`Outcome` in which every proposal carries its status, score, rank,
explanation and counterfactual.  What the selection saw travels with the
outcome as a :class:`Situation`: the counterfactuals
(:mod:`engine.decision.counterfactual`) and the sentences
(:mod:`engine.decision.explain`) read it, and the budget intervals of the
sweep are drawn from it only when asked for.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from typing import Sequence

import attrs

from .. import fmt
from ..inputs.proposal import Proposal
from ..inputs.round import LEFTOVER, Round
from . import conditions
from .score import Rejudge, Score, score_all
from .screen import Screening, screen
from .select import Item, Selection, select

__all__ = ["STATUSES", "BudgetInterval", "Choice", "Decision", "Outcome", "Situation", "choose", "decide",
           "situation_at"]

STATUSES = ("shortlisted", "reserve", "tactical", "ineligible")


@attrs.frozen
class BudgetInterval:
    """Every upfront allocation from *start* to *end* (pence, inclusive) gives this shortlist."""

    start: int
    end: int
    chosen: tuple[str, ...]  # in the order the policy considers them
    allocated: int
    score: int  # score units
    offer: tuple[str, int] | None = None  # a proposal offered its minimum cost, and that amount
    eligible: frozenset = attrs.field(default=frozenset(), eq=False)  # every proposal eligible there (by id)
    # who entered and left since a shortlist, where the sweep knows it (engine.decision.sweep.SINCE)
    since: tuple | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Choice:
    """What the policy shortlists at one allocation: the proposals taken in full, and any reduced offer."""

    budget: int
    selection: Selection
    offer: tuple[str, int] | None  # (id, amount)
    costs: dict = attrs.field(eq=False, repr=False, factory=dict)  # id -> cost, of the proposals considered

    @property
    def ids(self) -> frozenset[str]:
        """Every proposal shortlisted, in full or at a reduced amount."""
        return frozenset(self.selection.chosen) | ({self.offer[0]} if self.offer else set())

    @property
    def allocated(self) -> int:
        return self.selection.allocated + (self.offer[1] if self.offer else 0)

    def offered(self, proposal_id: str) -> int | None:
        """What *proposal_id* is given here (``None`` if it is not shortlisted)."""
        if self.offer and self.offer[0] == proposal_id:
            return self.offer[1]
        return self.costs[proposal_id] if proposal_id in self.selection.chosen else None


@attrs.frozen
class Situation:
    """Everything the selection saw: enough to decide again at another allocation or another cost."""

    round: Round
    policy: str  # rank | optimal | consensus-first
    budget: int
    screenings: tuple[Screening, ...]
    eligible: tuple[Proposal, ...]  # every eligible proposal, both pots (the pool scored together)
    scores: dict = attrs.field(eq=False, repr=False)  # id -> Score
    order: tuple[Proposal, ...] = attrs.field(eq=False, repr=False)  # upfront bids, as the policy considers them
    ranked: tuple[str, ...] = ()  # the same bids by rank
    choice: Choice | None = None
    proposals: tuple[Proposal, ...] = ()  # every proposal of the round, to decide again at another allocation
    engine: str = "durable"
    base: "Situation | None" = attrs.field(default=None, eq=False, repr=False)  # the allocation in use
    _regimes: dict = attrs.field(factory=dict, eq=False, repr=False, alias="_regimes")
    _kept: dict = attrs.field(factory=dict, eq=False, repr=False, alias="_kept")  # what is worked out once

    @functools.cached_property
    def items(self) -> tuple[Item, ...]:
        return tuple(Item(p.id, p.cost, self.scores[p.id].units) for p in self.order)

    @functools.cached_property
    def chosen(self) -> tuple[Proposal, ...]:
        """The proposals shortlisted at the allocation in use (a reduced offer too), in the order considered."""
        ids = self.choice.ids
        return tuple(p for p in self.order if p.id in ids)

    @property
    def base_policy(self) -> str:
        return base_policy(self.policy)

    @functools.cached_property
    def candidates(self) -> tuple[Proposal, ...]:
        """Proposals that could be offered a reduced amount, in the order considered."""
        if not self.round.reduced_offers:
            return ()
        return tuple(p for p in self.order if p.minimum_cost is not None and p.minimum_cost < p.cost)

    @functools.cached_property
    def _moving(self) -> frozenset[str]:
        """The rules that turn proposals away by comparing them with the upfront allocation (by id)."""
        return frozenset(rule.id for rule in self.round.rules if rule.severity == "reject" and any(
            isinstance(leaf, conditions.Compare) and leaf.ref == "money.upfront"
            for tree in (rule.check, rule.when) if tree is not None for leaf in conditions.leaves(tree)))

    @functools.cached_property
    def _pieces(self) -> dict[str, tuple[tuple[int, ...], tuple[bool, ...]]]:
        """For each proposal that only a rule naming the allocation may turn away: the allocations from which
        its eligibility may change (from £0, ascending) and whether it is eligible from each."""
        moving = self._moving
        leaves = [leaf for rule in self.round.rules if rule.id in moving
                  for tree in (rule.check, rule.when) if tree is not None for leaf in conditions.leaves(tree)
                  if isinstance(leaf, conditions.Compare) and leaf.ref == "money.upfront"]

        @functools.lru_cache(maxsize=None)
        def failures(budget: int) -> tuple:
            return tuple(rule.failure() for rule in self.round.rules_with_upfront(budget, moving))

        out = {}
        for s in self.screenings:
            if any(c.rule not in moving for c in s.rejections):
                continue  # a rule that ignores the allocation turns it away at every allocation
            view = conditions.view(s.proposal)
            starts = {0}
            for leaf in leaves:
                value = view.get(leaf.field)
                if isinstance(value, int) and not isinstance(value, bool):
                    # the allocation b at which `value op b` changes: le, gt at value; lt, ge at value + 1
                    starts.update(c for c in {"le": (value,), "gt": (value,), "lt": (value + 1,),
                                              "ge": (value + 1,)}.get(leaf.op, (value, value + 1)) if c >= 1)
            kept, flags = [], []
            for start in sorted(starts):
                flag = not any(conditions.evaluate(f, view) for f in failures(start))
                if not flags or flag != flags[-1]:
                    kept.append(start)
                    flags.append(flag)
            out[s.proposal.id] = (tuple(kept), tuple(flags))
        return out

    @functools.cached_property
    def cuts(self) -> tuple[int, ...]:
        """The allocations at which some proposal's eligibility changes (a rule compares it with the upfront
        allocation), ascending.  Between two of them the eligible proposals, and so their scores and their
        order, stay the same: a *regime*."""
        if self.base is not None:
            return self.base.cuts
        if not self._moving:
            return ()
        return tuple(sorted({start for starts, _ in self._pieces.values() for start in starts[1:]}))

    def regime(self, budget: int, keep: bool = True) -> "Situation":
        """The round as it stands at the allocation *budget* (this one, if the eligible proposals are the same).

        With *keep* false a regime not already kept is made and not kept: a walk over every regime once (the
        budget intervals) then holds one at a time, not one per proposal of a large round."""
        home = self.base or self
        index = bisect_right(home.cuts, budget)
        if index == bisect_right(home.cuts, home.budget):
            return home
        if index not in home._regimes:
            if not keep:
                return home._elsewhere(budget)
            home._regimes[index] = home._elsewhere(budget)
        return home._regimes[index]

    @functools.cached_property
    def _rejudge(self) -> Rejudge:
        """The totals of any pool of the proposals some allocation lets in, worked out fast."""
        possible = [s.proposal for s in self.screenings if s.proposal.id in self._pieces]
        return Rejudge(self.scores, possible, self.round, self.round.scoring)

    def _elsewhere(self, budget: int) -> "Situation":
        """The round at the allocation *budget*: the rules that name the allocation checked again, and value
        for money judged again among the proposals eligible there (every other part of a score stands; the
        totals alone are kept, as no sentence is written at another allocation)."""
        pieces = self._pieces
        eligible = tuple(s.proposal for s in self.screenings if s.proposal.id in pieces
                         and pieces[s.proposal.id][1][bisect_right(pieces[s.proposal.id][0], budget) - 1])
        scores = self._rejudge.totals(eligible)
        ranked = sorted((p for p in eligible if p.pot == "upfront"), key=lambda p: rank_key(p, scores[p.id]))
        order = tuple(sorted(ranked, key=lambda p: walk_key(self.policy, p, scores[p.id])))
        # no choice is made here: what-ifs choose at the allocation they ask for (:meth:`at`)
        return Situation(self.round.with_upfront(budget), self.policy, budget, self.screenings, eligible, scores,
                         order, tuple(p.id for p in ranked), proposals=self.proposals, engine=self.engine, base=self)

    @functools.cached_property
    def upto(self) -> int:
        """The largest allocation that what-ifs look at: past it no shortlist changes.  At least the allocation in
        use; the total cost of the upfront proposals eligible at any allocation, whichever lets them in (from the
        allocation in use, one that only a larger allocation lets in would be missed); and the last allocation
        at which a proposal's eligibility changes."""
        if self.base is not None:
            return self.base.upto
        limit = max(self.budget, sum(p.cost for p in self.order))
        if not self.cuts:
            return limit
        # the upfront total at each allocation at which eligibility changes, the changes added up in order
        costs = {s.proposal.id: s.proposal.cost for s in self.screenings if s.proposal.pot == "upfront"}
        steps: dict[int, int] = {}
        for pid, (starts, flags) in self._pieces.items():
            if pid in costs:
                for start, flag, before in zip(starts, flags, (False,) + flags):
                    steps[start] = steps.get(start, 0) + (flag - before) * costs[pid]
        total = 0
        for start in sorted(steps):
            total += steps[start]
            limit = max(limit, total)
        return max(limit, self.cuts[-1])

    @property
    def regimes(self) -> list[tuple[int, int]]:
        """The ranges of allocations from £0 to :attr:`upto` over which the eligible proposals stay the same."""
        bounds = [0] + [c for c in self.cuts if 0 < c <= self.upto] + [self.upto + 1]
        return [(low, high - 1) for low, high in zip(bounds, bounds[1:]) if low <= high - 1]

    @property
    def intervals(self) -> tuple[BudgetInterval, ...]:
        """The shortlist at every upfront allocation from £0 to :attr:`upto`, reduced offers included."""
        return self.sweep()

    def sweep(self, progress=None) -> tuple[BudgetInterval, ...]:
        """:attr:`intervals`, worked out once; *progress*, if given, is called with ``(done, total)`` ranges of
        allocations over which the eligible proposals stay the same."""
        if "intervals" not in self._kept:
            self._kept["intervals"] = self.intervals_upto(self.upto, progress)
            (self.base or self)._kept.pop("frontier", None)  # read by nothing after the sweep (Situation.frontier)
        return self._kept["intervals"]

    def intervals_upto(self, top: int, progress=None) -> tuple[BudgetInterval, ...]:
        """The shortlist at every upfront allocation from £0 to *top* (at most :attr:`upto`), each range of
        allocations over which the eligible proposals stay the same swept up to *top* only; *progress* as for
        :meth:`sweep`."""
        from .regimes import Orders
        from .sweep import bids_intervals, budget_intervals, joined

        regimes = [(low, min(high, top)) for low, high in self.regimes if low <= top]
        # a large round's regimes read from its arrays where none of the bids let in could be offered less (each
        # regime's situation made in turn cost 1.7 s of the sweep at 1,000 proposals)
        orders = Orders.of(self, ()) if len(regimes) > 1 else None
        parts = []
        counted = _Counted(progress, regimes)
        for low, high in regimes:
            items = orders.items(low, high) if orders is not None else None
            if items is None:
                parts.append(budget_intervals(self.regime(low, keep=False), low, high, counted.within(low, high)))
            else:
                parts.append(bids_intervals(items, (), orders.let_in(low), self.base_policy, low, high,
                                            self.frontier, counted.within(low, high)))
            counted.done(low, high)
        return joined(parts)

    def frontier(self, items, upto: int, report=None) -> tuple[list, list, list]:
        """The frontier of best sets of *items* up to *upto* (:func:`engine.decision.sweep.frontier`), the one up to
        :attr:`upto` kept once made: the counterfactuals and the sweep each ask for it, and it is the largest (at
        1,000 generated proposals, 184,434 best sets of the 1,000 bids let in, 3.7 s)."""
        from .sweep import frontier

        home = self.base or self
        if upto != home.upto:
            return frontier(items, upto, report)
        key = tuple((item.id, item.cost, item.score) for item in items)
        kept = home._kept.get("frontier")
        if kept is None or kept[0] != key:
            kept = home._kept["frontier"] = (key, frontier(items, upto, report))
        return kept[1]

    def at(self, budget: int) -> Choice:
        """What the policy shortlists at the allocation *budget*."""
        there = self.regime(budget)
        return choose(there.order, there.items, budget, there.policy, there.candidates)


class _Counted:
    """The progress of a sweep over ranges of allocations: each range counts one step, and the share of the
    money it spans as many steps again as there are ranges (a large round has a range at every cost below the
    dearest bid, each quick, then one to the total eligible cost that takes as long as all of them), reported
    as ``(done, total)`` to *progress* (if given), its own progress read within it."""

    def __init__(self, progress, regimes: list[tuple[int, int]]):
        self.progress, self.count = progress, len(regimes)
        self.span = sum(high - low + 1 for low, high in regimes) or 1
        self.total = sum(self._weight(low, high) for low, high in regimes)
        self.before = 0  # the steps of the ranges done

    def _weight(self, low: int, high: int) -> int:
        return 1 + self.count * (high - low + 1) // self.span

    def within(self, low: int, high: int):
        """The progress callback of the sweep of the range from *low* to *high*: its ``(pence reached, up to)``."""
        if self.progress is None:
            return None
        weight, before = self._weight(low, high), self.before

        def tick(reached: int, upto: int) -> None:
            if upto > low:
                self.progress(before + weight * max(min(reached, upto) - low, 0) // (upto - low + 1), self.total)

        return tick

    def done(self, low: int, high: int) -> None:
        self.before += self._weight(low, high)
        if self.progress is not None:
            self.progress(self.before, self.total)


@attrs.frozen
class Decision:
    """One proposal's place in the outcome."""

    proposal: Proposal
    screening: Screening
    status: str
    explanation: str
    score: Score | None = None
    rank: int | None = None
    offered: int | None = None  # what the shortlist gives it (its cost, or a reduced offer)
    counterfactual: object | None = None  # engine.decision.explain.Counterfactual
    left_before: int | None = None  # upfront money left when the walk reached it

    @property
    def reduced(self) -> bool:
        """Whether it is shortlisted at less than its cost."""
        return self.offered is not None and self.offered != self.proposal.cost


@attrs.frozen
class Outcome:
    """The whole decision for a round."""

    round: Round
    policy: str
    upfront: int
    allocated: int
    remaining: int
    tactical: int  # the tactical pot after any leftover the round adds to it
    returned: int  # upfront money returned to the OPCC
    decisions: tuple[Decision, ...]
    ranked: tuple[str, ...]  # eligible upfront proposals, best first
    overrides: tuple[dict, ...] = ()
    situation: Situation | None = attrs.field(default=None, eq=False, repr=False)

    def decision(self, proposal_id: str) -> Decision:
        return next(d for d in self.decisions if d.proposal.id == proposal_id)

    @property
    def shortlist(self) -> tuple[Decision, ...]:
        return tuple(d for d in self.decisions if d.status == "shortlisted")

    @property
    def score_total(self) -> int:
        return sum(d.score.units for d in self.shortlist if d.score)

    @property
    def intervals(self) -> tuple[BudgetInterval, ...]:
        """The shortlist at every upfront allocation from £0 to the total eligible cost (or the allocation)."""
        return self.situation.intervals

    @property
    def held(self) -> int:
        """What is left of the upfront allocation that is money of the grant (:func:`grant_left`)."""
        return grant_left(self.round, self.allocated, self.remaining)

    def leftover_words(self) -> str:
        if not self.remaining:
            return "Nothing is left of the upfront allocation."
        m, r = fmt.money_short, self.round
        where = LEFTOVER[r.leftover] + (f", making it {m(self.tactical)}" if r.leftover == "tactical pot" else "")
        held = self.held
        if held == self.remaining:
            return f"{m(self.remaining)} of the upfront allocation is left: {where}."
        # an allocation set beyond what the grant leaves after the tactical pot: the excess is no money of the grant
        over = self.upfront + r.tactical - r.grant
        beyond = (f"the upfront allocation of {m(self.upfront)} and the tactical pot of {m(r.tactical)} come to "
                  f"{m(over)} more than the grant of {m(r.grant)}")
        if not held:
            return f"{m(self.remaining)} of the upfront allocation is left, but none of it is money of the grant " \
                   f"({beyond}): nothing is {LEFTOVER[r.leftover]}."
        return f"{m(self.remaining)} of the upfront allocation is left, but only {m(held)} of it is money of the " \
               f"grant ({beyond}): that {m(held)} is {where}."


def grant_left(round_: Round, allocated: int, remaining: int) -> int:
    """What is left of the upfront allocation that is money of the grant: all of *remaining*, unless the
    allocation in use and the tactical pot come to more than the grant (a what-if that over-allocates), when only
    what the grant holds beyond the tactical pot and the shortlist is (never below nothing)."""
    if not round_.grant:
        return remaining
    return max(0, min(remaining, round_.grant - round_.tactical - allocated))


def rank_key(p: Proposal, s: Score):
    """The stated, total tie-break: higher score, then consensus, then lower cost, then earlier submission, then id."""
    return (-s.units, not s.consensus, p.cost, p.submitted.toordinal(), p.id)


def walk_key(policy: str, p: Proposal, s: Score):
    """The order in which the policy considers proposals: consensus first under ``consensus-first``, then rank."""
    return ((not s.consensus) if policy == "consensus-first" else False,) + rank_key(p, s)


def base_policy(policy: str) -> str:
    """The selection behind a policy: ``optimal``, or the rank walk (in the policy's order)."""
    return "optimal" if policy == "optimal" else "rank"


def choose(order: Sequence[Proposal], items: Sequence[Item], budget: int, policy: str,
           candidates: Sequence[Proposal] = ()) -> Choice:
    """What *policy* shortlists from *items* (in the order considered) within *budget*.

    Then, if the round makes reduced offers (*candidates* are the proposals that
    could be delivered for less, in the order considered), the first of them left
    out whose minimum cost fits in what is left is offered that minimum.  At most
    one proposal is offered a reduced amount.
    """
    selection = select(items, budget, base_policy(policy))
    return Choice(budget, selection, reduced_offer(candidates, selection.chosen, selection.remaining),
                  {item.id: item.cost for item in items})


def reduced_offer(candidates: Sequence[Proposal], chosen, left: int) -> tuple[str, int] | None:
    """The first of *candidates* not in *chosen* with ``minimum <= left < cost``, and its minimum."""
    taken = set(chosen)
    for p in candidates:
        if p.id not in taken and p.minimum_cost <= left < p.cost:
            return p.id, p.minimum_cost
    return None


def situation_at(round_: Round, proposals: Sequence[Proposal], policy: str, *, engine: str = "durable") -> Situation:
    """Screen, score and rank *proposals*, and choose within the round's upfront allocation."""
    budget = round_.upfront
    screenings = screen(round_, proposals, engine=engine)
    eligible = tuple(s.proposal for s in screenings if s.eligible)
    scores = score_all(eligible, round_, round_.scoring)
    ranked = sorted((p for p in eligible if p.pot == "upfront"), key=lambda p: rank_key(p, scores[p.id]))
    order = tuple(sorted(ranked, key=lambda p: walk_key(policy, p, scores[p.id])))
    situation = Situation(round_, policy, budget, screenings, eligible, scores, order,
                          tuple(p.id for p in ranked), proposals=tuple(proposals), engine=engine)
    items = situation.items
    return attrs.evolve(situation, choice=choose(order, items, budget, policy, situation.candidates))


def decide(round_: Round, proposals: Sequence[Proposal], *, policy: str | None = None,
           upfront: int | None = None, engine: str = "durable", progress=None,
           counterfactuals: bool = True) -> Outcome:
    """Screen, score, rank and shortlist *proposals* under *round_*, and explain every decision.

    *progress*, if given, is called with ``(done, total)`` as the counterfactuals are worked out;
    with *counterfactuals* false they are not worked out (every decision's counterfactual is then
    ``None``, and the explanations say nothing of what would change them).
    """
    from .counterfactual import figures
    from .explain import explain

    policy = policy or round_.policy
    if upfront is not None and upfront != round_.upfront:
        round_ = round_.with_upfront(upfront)
    situation = situation_at(round_, proposals, policy, engine=engine)
    screenings, scores, budget = situation.screenings, situation.scores, situation.budget
    choice = situation.choice
    remaining = budget - choice.allocated
    held = grant_left(round_, choice.allocated, remaining)
    tactical = round_.tactical + (held if round_.leftover == "tactical pot" else 0)
    returned = held if round_.leftover == "returned" else 0

    found = figures(situation, progress=progress) if counterfactuals else {}
    steps = {step.id: step for step in choice.selection.steps}
    rank_of = {pid: i + 1 for i, pid in enumerate(situation.ranked)}
    decisions = []
    for s in screenings:
        p = s.proposal
        if not s.eligible:
            status = "ineligible"
        elif p.pot == "tactical":
            status = "tactical"
        else:
            status = "shortlisted" if p.id in choice.ids else "reserve"
        step = steps.get(p.id)
        decision = Decision(p, s, status, "", scores.get(p.id), rank_of.get(p.id), choice.offered(p.id),
                            left_before=step.left_before if step is not None else None)
        text, counterfactual = explain(situation, decision, found.get(p.id), tactical)
        decisions.append(attrs.evolve(decision, explanation=text, counterfactual=counterfactual))

    position = {pid: i for i, pid in enumerate(situation.ranked)}
    group = {status: i for i, status in enumerate(STATUSES)}
    decisions.sort(key=lambda d: (group[d.status], position.get(d.proposal.id, 0),
                                  -(d.score.units if d.score else 0), d.proposal.id))
    return Outcome(round_, policy, budget, choice.allocated, remaining, tactical, returned, tuple(decisions),
                   situation.ranked, situation=situation)
