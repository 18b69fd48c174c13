"""The decision: screen, score, rank, select within the upfront allocation, explain.

:func:`decide` runs the whole flow for one round and returns an
:class:`Outcome` in which every proposal carries its status, score, rank,
explanation and counterfactual.  The counterfactuals are read from the exact
sweep of budgets (:mod:`engine.decision.sweep`), so the two can never disagree.
"""

from __future__ import annotations

from typing import Sequence

import attrs

from .. import fmt
from ..inputs.proposal import Proposal
from ..inputs.round import LEFTOVER, Round
from .score import Score, score_all
from .screen import Screening, screen
from .select import Item, Selection, select
from .sweep import lowest_budget_keeping, next_budget_including, sweep

__all__ = ["STATUSES", "BudgetInterval", "Counterfactual", "Decision", "Outcome", "budget_intervals", "decide"]

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


@attrs.frozen
class Counterfactual:
    """What would change a decision, computed exactly."""

    text: str
    budget: int | None = None  # reserve: the nearest larger allocation that shortlists it; shortlisted: below this it drops out
    cost: int | None = None  # reserve: at or below this cost it would be shortlisted now


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
    counterfactual: Counterfactual | None = None
    left_before: int | None = None  # upfront money left when the policy reached it


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
    intervals: tuple[BudgetInterval, ...]
    ranked: tuple[str, ...]  # eligible upfront proposals, best first
    overrides: tuple[dict, ...] = ()

    def decision(self, proposal_id: str) -> Decision:
        return next(d for d in self.decisions if d.proposal.id == proposal_id)

    @property
    def shortlist(self) -> tuple[Decision, ...]:
        return tuple(d for d in self.decisions if d.status == "shortlisted")

    @property
    def score_total(self) -> int:
        return sum(d.score.units for d in self.shortlist if d.score)

    def leftover_words(self) -> str:
        if not self.remaining:
            return "Nothing is left of the upfront allocation."
        return f"{fmt.money_short(self.remaining)} of the upfront allocation is left: {LEFTOVER[self.round.leftover]}" + (
            f", making it {fmt.money_short(self.tactical)}." if self.round.leftover == "tactical pot" else ".")


def rank_key(p: Proposal, s: Score):
    """The stated, total tie-break: higher score, then consensus, then lower cost, then earlier submission, then id."""
    return (-s.units, not s.consensus, p.cost, p.submitted.toordinal(), p.id)


def walk_order(policy: str, ranked: Sequence[Proposal], scores: dict[str, Score]) -> list[Proposal]:
    """The order in which the policy considers proposals."""
    if policy == "consensus-first":
        return [p for p in ranked if scores[p.id].consensus] + [p for p in ranked if not scores[p.id].consensus]
    return list(ranked)


def base_policy(policy: str) -> str:
    return "optimal" if policy == "optimal" else "rank"


def decide(round_: Round, proposals: Sequence[Proposal], *, policy: str | None = None,
           upfront: int | None = None, engine: str = "durable", progress=None) -> Outcome:
    """Screen, score, rank and shortlist *proposals* under *round_*."""
    policy = policy or round_.policy
    budget = round_.upfront if upfront is None else upfront
    screenings = screen(round_, proposals, engine=engine)
    eligible = [s.proposal for s in screenings if s.eligible]
    scores = score_all(eligible, round_, round_.scoring)
    ranked = sorted((p for p in eligible if p.pot == "upfront"), key=lambda p: rank_key(p, scores[p.id]))
    rank_of = {p.id: i + 1 for i, p in enumerate(ranked)}
    order = walk_order(policy, ranked, scores)
    items = [Item(p.id, p.cost, scores[p.id].units) for p in order]
    chosen = select(items, budget, base_policy(policy))
    offer = _reduced_offer(round_, order, chosen.chosen, budget - chosen.allocated)
    intervals = budget_intervals(items, order, base_policy(policy), round_.reduced_offers,
                                 upto=max(budget, sum(p.cost for p in order)), progress=progress)
    allocated = chosen.allocated + (offer[1] if offer else 0)
    remaining = budget - allocated
    tactical = round_.tactical + (remaining if round_.leftover == "tactical pot" else 0)
    returned = remaining if round_.leftover == "returned" else 0

    steps = {step.id: step for step in chosen.steps}
    decisions = []
    for s in screenings:
        p = s.proposal
        if not s.eligible:
            decisions.append(Decision(p, s, "ineligible", s.explanation()))
            continue
        sc = scores[p.id]
        if p.pot == "tactical":
            text = (f"Tactical bid: eligible, score {_score_words(sc)}. It is for the tactical pot "
                    f"({fmt.money_short(tactical)}), so it is not shortlisted against the upfront allocation.")
            decisions.append(Decision(p, s, "tactical", text + s.concern_words(), sc))
            continue
        rank = rank_of[p.id]
        if p.id in chosen.chosen:
            status, given = "shortlisted", p.cost
            text = _shortlisted_words(policy, p, sc, rank, len(ranked), steps[p.id], budget)
            cf = _keep_counterfactual(intervals, p, budget)
        elif offer and offer[0] == p.id:
            status, given = "shortlisted", offer[1]
            text = (f"Shortlisted at a reduced amount: ranked {fmt.ordinal(rank)} of {len(ranked)}, score "
                    f"{_score_words(sc)}. Its full {fmt.money_short(p.cost)} does not fit in the "
                    f"{fmt.money_short(budget - chosen.allocated)} left after the rest of the shortlist, but it "
                    f"can be delivered for {fmt.money_short(given)}, so it is offered that minimum.")
            cf = _reserve_counterfactual(intervals, items, p, budget, steps[p.id], policy)
        else:
            status, given = "reserve", None
            text = _reserve_words(policy, p, sc, rank, len(ranked), steps[p.id], budget, chosen)
            cf = _reserve_counterfactual(intervals, items, p, budget, steps[p.id], policy)
        decisions.append(Decision(p, s, status, text + s.concern_words(), sc, rank, given, cf,
                                  steps[p.id].left_before))

    position = {pid: i for i, pid in enumerate(p.id for p in ranked)}
    group = {status: i for i, status in enumerate(STATUSES)}
    decisions.sort(key=lambda d: (group[d.status], position.get(d.proposal.id, 0),
                                  -(d.score.units if d.score else 0), d.proposal.id))
    return Outcome(round_, policy, budget, allocated, remaining, tactical, returned, tuple(decisions),
                   intervals, tuple(p.id for p in ranked))


def _reduced_offer(round_: Round, order: Sequence[Proposal], chosen: Sequence[str], left: int):
    """The first proposal left out, in the order considered, whose minimum cost fits in what is left.

    It is offered its minimum cost.  At most one proposal is offered a reduced amount.
    """
    if not round_.reduced_offers:
        return None
    return _reduced_offer_at(_offer_candidates(order, chosen), left)


def _offer_candidates(order: Sequence[Proposal], chosen: Sequence[str]) -> list[Proposal]:
    """Proposals left out that could be delivered for less than they ask, in the order considered."""
    return [p for p in order if p.id not in chosen and p.minimum_cost is not None and p.minimum_cost < p.cost]


def budget_intervals(items: Sequence[Item], order: Sequence[Proposal], policy: str, reduced_offers: bool,
                     *, upto: int, progress=None) -> tuple[BudgetInterval, ...]:
    """The shortlist at every upfront allocation from 0 to *upto*, as exact intervals.

    The policy's own intervals (:func:`engine.decision.sweep.sweep`) are split where a
    reduced offer starts or stops applying: on an interval whose shortlist costs
    ``A``, a proposal with minimum ``m`` and cost ``c`` is offered ``m`` for the
    allocations ``A + m`` to ``A + c - 1``, the first such in the order considered.
    """
    by_id = {p.id: p for p in order}
    scores = {i.id: i.score for i in items}
    out: list[BudgetInterval] = []

    def add(start, end, chosen, allocated, score, offer):
        last = out[-1] if out else None
        if last and last.chosen == chosen and last.allocated == allocated and last.offer == offer \
                and last.end + 1 == start:
            out[-1] = attrs.evolve(last, end=end)
        else:
            out.append(BudgetInterval(start, end, chosen, allocated, score, offer))

    for iv in sweep(items, policy, upto=upto, progress=progress):
        candidates = _offer_candidates(order, iv.chosen) if reduced_offers else []
        cuts = sorted({iv.start, iv.end + 1} | {b for p in candidates for b in
                                                 (iv.allocated + p.minimum_cost, iv.allocated + p.cost)
                                                 if iv.start < b <= iv.end})
        for start, nxt in zip(cuts, cuts[1:]):
            offer = _reduced_offer_at(candidates, start - iv.allocated)
            if offer is None:
                add(start, nxt - 1, iv.chosen, iv.allocated, iv.score, None)
            else:
                pid, amount = offer
                chosen = tuple(p.id for p in order if p.id in iv.chosen or p.id == pid)
                add(start, nxt - 1, chosen, iv.allocated + amount, iv.score + scores[pid], offer)
    return tuple(out)


def _reduced_offer_at(candidates: Sequence[Proposal], left: int):
    for p in candidates:
        if p.minimum_cost <= left < p.cost:
            return p.id, p.minimum_cost
    return None


def _score_words(sc: Score) -> str:
    parts = ", ".join(f"{part.criterion} {fmt.points(part.points)}" for part in sc.parts)
    return f"{fmt.points(sc.points)} of {sc.out_of} ({parts})"


def _shortlisted_words(policy, p, sc, rank, n, step, budget) -> str:
    head = f"Shortlisted: ranked {fmt.ordinal(rank)} of {n}, score {_score_words(sc)}"
    after = step.left_before - p.cost
    if policy == "optimal":
        return (head + f"; part of the highest-scoring set of proposals that fits within "
                f"{fmt.money_short(budget)}.")
    if policy == "consensus-first" and sc.consensus:
        head += "; considered first, as the panel reached consensus on it"
    return head + f"; {fmt.money_short(p.cost)} taken, {fmt.money_short(after)} left."


def _reserve_words(policy, p, sc, rank, n, step, budget, chosen: Selection) -> str:
    head = f"Reserve: ranked {fmt.ordinal(rank)} of {n}, score {_score_words(sc)}"
    if policy == "optimal":
        if p.cost > budget:
            return head + f"; its {fmt.money_short(p.cost)} is more than the whole allocation."
        return (head + f"; the highest-scoring set that fits within {fmt.money_short(budget)} leaves it out "
                f"(with it, no set that fits scores as much).")
    return head + f"; its {fmt.money_short(p.cost)} exceeds the {fmt.money_short(step.left_before)} left when its turn came."


def _keep_counterfactual(intervals, p: Proposal, budget: int) -> Counterfactual:
    below = lowest_budget_keeping(intervals, p.id, budget)
    if below is None:
        return Counterfactual("It stays shortlisted at any smaller allocation.")
    return Counterfactual(f"It would drop out if the upfront allocation were below {fmt.money(below)}.", budget=below)


def _reserve_counterfactual(intervals, items, p: Proposal, budget: int, step, policy: str) -> Counterfactual:
    nearest = next_budget_including(intervals, p.id, budget)
    fits = _fits_at_cost(items, p, budget, step, policy)
    words = []
    if nearest is not None:
        words.append(f"It would be shortlisted at an upfront allocation of {fmt.money(nearest)} "
                     f"({fmt.money_short(nearest - budget)} more)")
    else:
        words.append("No larger upfront allocation would shortlist it")
    if fits is not None:
        words.append(f"or now, if it cost {fmt.money(fits)} or less")
    return Counterfactual(", ".join(words) + ".", budget=nearest, cost=fits)


def _fits_at_cost(items: Sequence[Item], p: Proposal, budget: int, step, policy: str) -> int | None:
    """The greatest cost at or below which *p* would be shortlisted at *budget*, the rest unchanged."""
    if base_policy(policy) == "rank":
        return step.left_before if step.left_before > 0 else None

    def chosen_at(cost: int) -> bool:
        changed = [Item(i.id, cost, i.score) if i.id == p.id else i for i in items]
        return p.id in select(changed, budget, "optimal").chosen

    if not chosen_at(1):
        return None
    low, high = 1, min(p.cost, budget)  # chosen at low; find the greatest chosen cost
    while low < high:
        mid = (low + high + 1) // 2
        if chosen_at(mid):
            low = mid
        else:
            high = mid - 1
    return low

