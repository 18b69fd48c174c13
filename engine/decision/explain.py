"""The sentences: why each proposal stands where it does, and what would change it.

Every figure in a sentence comes from :mod:`engine.decision.counterfactual`
and means what the words say, at every allocation or cost the words speak
for; the tests run the what-if each sentence names to check it.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import attrs

from .. import fmt
from .counterfactual import Keep, Reduced, Reserve, Tie

__all__ = ["Counterfactual", "explain", "score_words"]


@attrs.frozen
class Counterfactual:
    """What would change a decision, in words and in figures.

    ``budget``: for a proposal shortlisted in full, the lowest upfront allocation from
    which it stays shortlisted in full up to the one in use; for one offered a reduced
    amount, the nearest larger allocation at which it would get its full cost; for a
    reserve, the nearest larger allocation that shortlists it (``None``: none up to the
    total eligible cost).  ``cost`` (reserve): the greatest cost at which it would be
    shortlisted in full now.  ``displaces``: who leaves the shortlist at ``budget``;
    ``cost_displaces``: who leaves it at ``cost``.  ``offer``: the reduced amount the
    sentence speaks of (what it would get at ``budget``, or what it is offered now).
    ``first``: the lowest range of allocations at which it is shortlisted in full, where
    that is below the one in use and apart from it.
    """

    text: str
    budget: int | None = None
    cost: int | None = None
    displaces: tuple[str, ...] = ()
    offer: int | None = None
    cost_displaces: tuple[str, ...] = ()
    first: tuple[int, int] | None = None


def score_words(sc) -> str:
    """``8.1 of 10 (pcc 2.0, csa 2.5, ...)``: the parts add up to the total shown."""
    terms = sc.terms()
    parts = ", ".join(f"{part.criterion} {shown}" for part, shown in terms)
    notes = []
    if sc.rounded:
        notes.append("parts rounded to add up")
    text = f"{fmt.score(sc.units)} of {sc.out_of} ({parts}"
    if notes:
        text += "; " + "; ".join(notes)
    text += ")"
    if sc.unscored:
        names = " and ".join(part.criterion for part in sc.unscored)
        text += f"; with nothing to score on {names}, the most it could score was {fmt.points(sc.most)}"
    return text


def explain(sit, d, found, tactical: int) -> tuple[str, Counterfactual | None]:
    """The explanation and the counterfactual of decision *d* of the round in *sit*."""
    s = d.screening
    if d.status == "ineligible":
        return s.explanation(), None
    if d.status == "tactical":
        text = (f"Tactical bid: eligible, score {score_words(d.score)}. It is for the tactical pot "
                f"({fmt.money_short(tactical)}), so it is not shortlisted against the upfront allocation.")
        return text + s.concern_words(), None
    n = len(sit.ranked)
    head = f"ranked {fmt.ordinal(d.rank)} of {n}, score {score_words(d.score)}"
    if found is None:  # counterfactuals not worked out
        found = Keep(0) if d.status == "shortlisted" and not d.reduced else \
            Reduced(d.offered, None) if d.status == "shortlisted" else Reserve(None)
        text = (_shortlisted if isinstance(found, Keep) else _reduced if isinstance(found, Reduced) else _reserve)(
            sit, d, found, head)
        return text + s.concern_words(), None
    if isinstance(found, Keep):
        return _shortlisted(sit, d, found, head) + s.concern_words(), _keep(sit, d, found)
    if isinstance(found, Reduced):
        return _reduced(sit, d, found, head) + s.concern_words(), _reduced_cf(sit, d, found)
    return _reserve(sit, d, found, head) + s.concern_words(), _reserve_cf(sit, d, found)


# --- what each status says ----------------------------------------------------------------------------


def _shortlisted(sit, d, found: Keep, head: str) -> str:
    p = d.proposal
    text = f"Shortlisted: {head}"
    if sit.policy == "optimal":
        text += f"; part of the highest-scoring set of proposals that fits within {fmt.money_short(sit.budget)}"
        return text + _tie_words(sit, found.tie, with_it=False) + "."
    if sit.policy == "consensus-first" and d.score.consensus:
        text += f"; considered first, as the panel reached consensus on it ({_consensus_words(sit, p)})"
    return text + f"; {fmt.money_short(p.cost)} taken, {fmt.money_short(d.left_before - p.cost)} left."


def _consensus_words(sit, p) -> str:
    """How many agencies' scores make the consensus: one alone is told as one."""
    counted = sit.round.panel.counted(p)
    least = sit.round.scoring.consensus_min
    if len(counted) == 1:
        return f"the one agency whose score counts gave it {least} or more"
    return f"all {len(counted)} agencies whose scores count gave it {least} or more"


def _reduced(sit, d, found: Reduced, head: str) -> str:
    p = d.proposal
    left = sit.budget - sit.choice.selection.allocated
    return (f"Shortlisted at a reduced amount: {head}. Its full {fmt.money_short(p.cost)} does not fit in the "
            f"{fmt.money_short(left)} left after the rest of the shortlist; it says it can be delivered for "
            f"{fmt.money_short(p.minimum_cost)}, and the round offers a proposal in that position its stated "
            f"minimum, so it is offered {fmt.money_short(found.offered)}.")


def _reserve(sit, d, found: Reserve, head: str) -> str:
    p = d.proposal
    text = f"Reserve: {head}"
    if p.cost > sit.budget:
        return text + f"; its {fmt.money_short(p.cost)} is more than the whole allocation of " \
                      f"{fmt.money_short(sit.budget)}."
    if sit.policy == "optimal":
        return text + (f"; the highest-scoring set that fits within {fmt.money_short(sit.budget)} leaves it out"
                       + _tie_words(sit, found.tie, with_it=True) + ".")
    return text + (f"; its {fmt.money_short(p.cost)} exceeds the {fmt.money_short(d.left_before)} left when its "
                   f"turn came.")


def _tie_words(sit, tie: Tie | None, *, with_it: bool) -> str:
    if tie is None:
        return ""
    side = "that holds it" if with_it else "that leaves it out"  # (the others scored as they are now)
    if tie.kind == "lower":
        gap = tie.chosen_score - tie.score
        figures = [fmt.score(tie.score), fmt.points(Fraction(gap, fmt.UNITS)), fmt.score(tie.chosen_score)]
        if figures[1] == "0.0" or Decimal(figures[2]) - Decimal(figures[0]) != Decimal(figures[1]):
            # at one decimal the three would not add up (or the gap would show as none): all three to the unit
            figures = [fmt.points(Fraction(units, fmt.UNITS), 3) for units in (tie.score, gap, tie.chosen_score)]
        return (f": the best set {side} scores {figures[0]}, {figures[1]} less than the "
                f"{figures[2]} of the set chosen")
    if tie.kind == "dearer":
        return (f": the best set {side} scores the same {fmt.score(tie.score)} but costs "
                f"{fmt.money_short(tie.cost)}, {fmt.money_short(tie.cost - tie.chosen_cost)} more, so the cheaper "
                f"set is chosen")
    rank = sit.ranked.index(tie.first) + 1
    return (f": the best set {side} scores the same {fmt.score(tie.score)} and costs the same "
            f"{fmt.money_short(tie.cost)}; the tie is broken by rank, in favour of the set that includes "
            f"{tie.first} (ranked {fmt.ordinal(rank)})")


# --- what would change it ------------------------------------------------------------------------------


def _full_words(sit, p) -> bool:
    """Whether the sentences must say "in full" (the round could offer it a reduced amount)."""
    return sit.round.reduced_offers and p.minimum_cost is not None and p.minimum_cost < p.cost


def _who(ids) -> str:
    if not ids:
        return ""
    if len(ids) == 1:
        return f"{ids[0]} leaves the shortlist"
    return ", ".join(ids[:-1]) + f" and {ids[-1]} leave the shortlist"


def _keep(sit, d, found: Keep) -> Counterfactual:
    p = d.proposal
    below = fmt.money(found.stays_from - 1)
    if _full_words(sit, p):
        text = (f"It keeps its full {fmt.money_short(p.cost)} at every upfront allocation from "
                f"{fmt.money(found.stays_from)} up to {fmt.money(sit.budget)}")
        if found.below is not None:
            text += f"; at {below} it would be offered only its minimum of {fmt.money_short(found.below)}."
        else:
            text += f", and at {below} it drops out."
    else:
        text = (f"It is shortlisted at every upfront allocation from {fmt.money(found.stays_from)} up to "
                f"{fmt.money(sit.budget)}, and drops out at {below}.")
    if found.first is not None:
        why = "The best set does not grow with the allocation" if sit.policy == "optimal" else \
            "The rank walk is not monotone"
        text += (f" {why}: the lowest allocations at which it is shortlisted"
                 f"{' in full' if _full_words(sit, p) else ''} are {fmt.money(found.first[0])} to "
                 f"{fmt.money(found.first[1])}.")
    return Counterfactual(text, budget=found.stays_from, first=found.first)


def _reduced_cf(sit, d, found: Reduced) -> Counterfactual:
    p = d.proposal
    if found.full_at is None:
        text = (f"No larger upfront allocation, up to {fmt.money(sit.upto)}, would give it its full "
                f"{fmt.money_short(p.cost)}.")
    else:
        text = (f"It would get its full {fmt.money_short(p.cost)} at an upfront allocation of "
                f"{fmt.money(found.full_at)} ({fmt.money_short(found.full_at - sit.budget)} more)")
        text += (f", where {_who(found.displaces)}." if found.displaces else ", with everything now shortlisted "
                 "staying.")
    if found.first is not None:
        text += (f" It would also get its full cost at every allocation from {fmt.money(found.first[0])} to "
                 f"{fmt.money(found.first[1])}.")
    return Counterfactual(text, budget=found.full_at, displaces=found.displaces, offer=found.offered,
                          first=found.first)


def _reserve_cf(sit, d, found: Reserve) -> Counterfactual:
    p = d.proposal
    if found.nearest is None:
        text = (f"No larger upfront allocation, up to {fmt.money(sit.upto)} (the total eligible cost), would "
                f"shortlist it.")
    else:
        text = (f"It would be shortlisted at an upfront allocation of {fmt.money(found.nearest)} "
                f"({fmt.money_short(found.nearest - sit.budget)} more)")
        if found.offer_there is not None:
            text += f", though only for its minimum of {fmt.money_short(found.offer_there)}"
        text += (f"; there {_who(found.displaces)}." if found.displaces else
                 ", with everything now shortlisted staying.")
    at = fmt.money_short(sit.budget)
    full = " in full" if _full_words(sit, p) else ""
    if found.cost is None:
        text += f" No cost would shortlist it{full} at {at}."
    else:
        text += f" At {at} it would be shortlisted{full} if it cost {fmt.money(found.cost)}"
        if found.cost_displaces:
            text += f" (then {_who(found.cost_displaces)})"
        text += f"; at any higher cost it would not be{' shortlisted in full' if full else ''}."
    return Counterfactual(text, budget=found.nearest, cost=found.cost, displaces=found.displaces,
                          offer=found.offer_there, cost_displaces=found.cost_displaces)
