"""Running the what-if a sentence names: the check behind every counterfactual figure.

Each check asks the public path (:func:`engine.run`, what ``crg screen`` runs)
what happens at the allocation or cost a sentence speaks of, at the figure, a
penny beyond it, and at a random point of the range it speaks for.  Nothing
here reads the counterfactual code: it only runs the round again.
"""

from __future__ import annotations

import random
import re
from decimal import Decimal
from fractions import Fraction
from itertools import combinations

import attrs

from engine import fmt
from engine.inputs.scenario import Overrides, run


class Round:
    """A round and its proposals, run again under what-ifs (memoised)."""

    def __init__(self, round_, proposals, policy: str, budget: int, engine: str = "python"):
        self.round, self.proposals, self.policy, self.budget = round_, proposals, policy, budget
        self.engine = engine
        self._runs: dict = {}

    def at(self, budget: int | None = None, costs: tuple = ()):
        key = (self.budget if budget is None else budget, costs)
        if key not in self._runs:
            self._runs[key] = run(self.round, self.proposals,
                                  Overrides(upfront=key[0], policy=self.policy, costs=costs), engine=self.engine,
                                  counterfactuals=False)
        return self._runs[key]

    def status(self, pid: str, budget: int | None = None, costs: tuple = ()):
        """``(shortlisted, offered)`` of *pid* in that what-if."""
        d = self.at(budget, costs).decision(pid)
        return d.status == "shortlisted", d.offered

    def full(self, pid: str, cost: int, budget: int | None = None, costs: tuple = ()) -> bool:
        shortlisted, offered = self.status(pid, budget, costs)
        return shortlisted and offered == cost

    def shortlist(self, budget: int | None = None, costs: tuple = ()) -> set[str]:
        return {d.proposal.id for d in self.at(budget, costs).shortlist}


def points(rng: random.Random, low: int, high: int, n: int = 2) -> list[int]:
    """The ends of [low, high] and *n* random points inside it."""
    if low > high:
        return []
    return sorted({low, high} | {rng.randint(low, high) for _ in range(n)})


def named(ids, text: str) -> bool:
    """Whether *text* names each of *ids* as leaving the shortlist (and says nobody leaves when none do)."""
    if not ids:
        return "leave" not in text.replace("leaves it out", "")
    return all(i in text for i in ids) and ("leaves the shortlist" in text or "leave the shortlist" in text)


def check_outcome(r: Round, outcome, rng: random.Random) -> int:
    """Run every what-if the outcome's counterfactuals name; return how many figures were checked."""
    checked = 0
    budget = outcome.upfront
    now = {d.proposal.id for d in outcome.shortlist}
    upto = max(budget, sum(d.proposal.cost for d in outcome.decisions if d.rank is not None))
    for d in outcome.decisions:
        cf = d.counterfactual
        p = d.proposal
        if d.rank is None:
            assert cf is None
            continue
        if d.status == "shortlisted" and not d.reduced:
            low = cf.budget
            assert f"from {fmt.money(low)} up to {fmt.money(budget)}" in cf.text, (p.id, cf.text)
            assert f" at {fmt.money(low - 1)}" in cf.text, (p.id, cf.text)
            for b in points(rng, low, budget):
                assert r.full(p.id, p.cost, b), (p.id, "in full at", b, cf.text)
            assert not r.full(p.id, p.cost, low - 1), (p.id, "not in full at", low - 1, cf.text)
            shortlisted, offered = r.status(p.id, low - 1)
            if "offered only its minimum" in cf.text:
                assert shortlisted and offered == p.minimum_cost, (p.id, low - 1, cf.text)
            else:
                assert not shortlisted, (p.id, "drops out at", low - 1, cf.text)
            checked += 3
            if cf.first is not None:
                a, e = cf.first
                assert f"{fmt.money(a)} to {fmt.money(e)}." in cf.text, (p.id, cf.text)
                why = "The best set does not grow" if outcome.policy == "optimal" else "The rank walk is not monotone"
                assert why in cf.text, (p.id, outcome.policy, cf.text)
                for b in points(rng, a, e):
                    assert r.full(p.id, p.cost, b), (p.id, "first range", b, cf.text)
                for b in points(rng, 0, a - 1, 3):
                    assert not r.full(p.id, p.cost, b), (p.id, "nothing in full below", a, b, cf.text)
                assert not r.full(p.id, p.cost, e + 1), (p.id, "first range ends", e, cf.text)
                checked += 3
        elif d.status == "shortlisted":  # a reduced offer
            assert cf.offer == d.offered
            if cf.budget is None:
                for b in points(rng, budget + 1, upto):
                    assert not r.full(p.id, p.cost, b), (p.id, "never in full above", b, cf.text)
            else:
                f = cf.budget
                assert f"at an upfront allocation of {fmt.money(f)} ({fmt.money_short(f - budget)} more)" in cf.text
                assert named(cf.displaces, cf.text), (p.id, cf.text)
                assert r.full(p.id, p.cost, f), (p.id, "full at", f, cf.text)
                for b in points(rng, budget + 1, f - 1):
                    assert not r.full(p.id, p.cost, b), (p.id, "not full before", f, b, cf.text)
                assert tuple(sorted(now - r.shortlist(f))) == tuple(sorted(cf.displaces)), (p.id, cf.text)
            checked += 2
            if cf.first is not None:  # "it would also get its full cost at every allocation from A to B"
                a, e = cf.first
                assert f"from {fmt.money(a)} to {fmt.money(e)}." in cf.text, (p.id, cf.text)
                for b in points(rng, a, e):
                    assert r.full(p.id, p.cost, b), (p.id, "also full", b, cf.text)
                assert not r.full(p.id, p.cost, e + 1) and not r.full(p.id, p.cost, a - 1), (p.id, a, e, cf.text)
                checked += 2
        else:  # reserve
            if cf.budget is None:
                for b in points(rng, budget + 1, upto):
                    assert not r.status(p.id, b)[0], (p.id, "never above", b, cf.text)
            else:
                n = cf.budget
                assert f"at an upfront allocation of {fmt.money(n)} ({fmt.money_short(n - budget)} more)" in cf.text
                assert named(cf.displaces, cf.text.split(". ")[0]), (p.id, cf.text)
                shortlisted, offered = r.status(p.id, n)
                assert shortlisted, (p.id, "shortlisted at", n, cf.text)
                assert offered == (cf.offer if cf.offer is not None else p.cost), (p.id, n, offered, cf.text)
                for b in points(rng, budget + 1, n - 1):
                    assert not r.status(p.id, b)[0], (p.id, "not before", n, b, cf.text)
                assert tuple(sorted(now - r.shortlist(n))) == tuple(sorted(cf.displaces)), (p.id, cf.text)
            checked += 2
            if cf.cost is None:
                for c in points(rng, 1, budget, 3):
                    assert not r.full(p.id, c, costs=((p.id, c),)), (p.id, "no cost", c, cf.text)
            else:
                g = cf.cost
                told = cf.text.split(". ", 1)[-1]
                assert f"if it cost {fmt.money(g)}" in told and named(cf.cost_displaces, told), (p.id, cf.text)
                costs = ((p.id, g),)
                assert r.full(p.id, g, costs=costs), (p.id, "in at cost", g, cf.text)
                assert tuple(sorted(now - r.shortlist(costs=costs))) == tuple(sorted(cf.cost_displaces)), \
                    (p.id, g, cf.text)
                for c in points(rng, g + 1, max(g + 1, budget), 3):
                    assert not r.full(p.id, c, costs=((p.id, c),)), (p.id, "not above cost", g, c, cf.text)
            checked += 2
    return checked


def best_set(items, budget, holding=None, without=None):
    """By brute force: the best (score, -cost) of the sets within *budget* that hold *holding* / lack *without*."""
    best = None
    for size in range(len(items) + 1):
        for combo in combinations(items, size):
            ids = {i.id for i in combo}
            if holding is not None and holding not in ids or without is not None and without in ids:
                continue
            cost = sum(i.cost for i in combo)
            if cost <= budget:
                key = (sum(i.score for i in combo), -cost)
                best = key if best is None or key > best else best
    return best


# --- the figures of the explanations ------------------------------------------------------------------------

_SCORE = re.compile(r"score (\d+\.\d) of (\d+(?:\.\d+)?) \(([^)]*)\)")


def walk_order(outcome) -> list:
    """The eligible upfront decisions in the order the policy's walk considers them (from the outcome alone:
    consensus first under ``consensus-first``, then rank)."""
    ranked = [d for d in outcome.decisions if d.rank is not None]
    first = outcome.policy == "consensus-first"
    return sorted(ranked, key=lambda d: (first and not d.score.consensus, d.rank))


def check_score_words(d) -> None:
    """The total printed is the score's, with one decimal, and the parts printed (but those not scored) add
    up to it."""
    m = _SCORE.search(d.explanation)
    assert m, (d.proposal.id, d.explanation)
    total, parts = m.group(1), m.group(3).split(";")[0]
    assert total == fmt.score(d.score.units), (d.proposal.id, total, d.score.units)
    shown = [term.rsplit(" ", 1)[1] for term in parts.split(", ") if not term.endswith(" not scored")]
    assert all(re.fullmatch(r"\d+\.\d", s) for s in shown), (d.proposal.id, parts)
    assert sum(int(s.replace(".", "")) for s in shown) == int(total.replace(".", "")), (d.proposal.id, d.explanation)


def check_explanations(r: Round, outcome) -> int:
    """Check every figure of every explanation against the outcome's own arithmetic, a brute-force best set
    (under ``optimal``) or the what-if it names (an allocation a cost is compared with); return how many."""
    checked = 0
    budget = outcome.upfront
    money = fmt.money_short
    walked = {d.proposal.id: d for d in outcome.decisions if d.rank is not None}
    # the money the walk has left before each proposal: the allocation less the full costs taken before it
    left, before = budget, {}
    for d in walk_order(outcome):
        before[d.proposal.id] = left
        if d.status == "shortlisted" and not d.reduced:
            left -= d.proposal.cost
    items = [_Item(d.proposal.id, d.proposal.cost, d.score.units) for d in walked.values()]
    for d in outcome.decisions:
        p, text = d.proposal, d.explanation
        if d.status in ("shortlisted", "reserve", "tactical"):
            check_score_words(d)
            checked += 1
        if d.status == "ineligible":
            checked += _check_ineligible(r, outcome, d)
            continue
        if d.rank is not None:
            assert f"ranked {fmt.ordinal(d.rank)} of {len(walked)}," in text, (p.id, text)
        if d.status == "shortlisted" and d.reduced:
            rest = sum(o.offered for o in outcome.shortlist if o.proposal.id != p.id)
            assert d.offered == p.minimum_cost <= budget - rest < p.cost, (p.id, text)
            assert f"does not fit in the {money(budget - rest)} left" in text, (p.id, text)
            assert f"so it is offered {money(d.offered)}" in text, (p.id, text)
            checked += 2
        elif outcome.policy == "optimal" and d.status in ("shortlisted", "reserve"):
            if p.cost > budget:
                assert f"more than the whole allocation of {money(budget)}" in text, (p.id, text)
            elif len(items) <= 12:
                checked += _check_tie(outcome, d, items, budget)
        elif d.status == "shortlisted":
            assert d.offered == p.cost <= before[p.id], (p.id, text)
            assert f"; {money(p.cost)} taken, {money(before[p.id] - p.cost)} left." in text, (p.id, text)
            checked += 1
        elif d.status == "reserve":
            if p.cost > budget:
                assert f"its {money(p.cost)} is more than the whole allocation of {money(budget)}." in text, \
                    (p.id, text)
            else:
                assert p.cost > before[p.id], (p.id, text)
                assert f"its {money(p.cost)} exceeds the {money(before[p.id])} left when its turn came" in text, \
                    (p.id, text)
            checked += 1
    return checked


@attrs.frozen
class _Item:
    id: str
    cost: int
    score: int


def _check_tie(outcome, d, items, budget) -> int:
    """Under optimal: the best set on the other side of the decision, found by brute force, is the one told."""
    p, text = d.proposal, d.explanation
    chosen = best_set(items, budget)
    assert chosen == (sum(o.score.units for o in outcome.shortlist), -sum(o.proposal.cost for o in outcome.shortlist)) \
        or outcome.round.reduced_offers, (p.id, chosen)
    if outcome.round.reduced_offers and any(o.reduced for o in outcome.shortlist):
        return 0  # the set chosen then holds a reduced offer; the sentences compare the full-cost sets
    shortlisted = d.status == "shortlisted"
    other = best_set(items, budget, without=p.id) if shortlisted else best_set(items, budget, holding=p.id)
    side = "that leaves it out" if shortlisted else "that holds it"
    if len(items) == 1:  # nothing to compare it with: no set on the other side is told
        assert f"the best set {side}" not in text, (p.id, text)
        return 1
    score, cost = other[0], -other[1]
    if score < chosen[0]:
        m = re.search(rf"the best set {side} scores ([0-9.]+), ([0-9.]+) less than the ([0-9.]+) of the set chosen",
                      text)
        assert m, (p.id, other, text)
        # each figure the exact one rounded, to one decimal or all three to the unit, and as shown they add up
        digits = len(m.group(1).split(".")[1])
        assert m.group(1) == fmt.points(Fraction(score, fmt.UNITS), digits), (p.id, other, text)
        assert m.group(3) == fmt.points(Fraction(chosen[0], fmt.UNITS), digits), (p.id, text)
        assert m.group(2) == fmt.points(Fraction(chosen[0] - score, fmt.UNITS), digits), (p.id, text)
        assert Decimal(m.group(3)) - Decimal(m.group(1)) == Decimal(m.group(2)) > 0, (p.id, text)
    elif cost > -chosen[1]:
        assert (f"the best set {side} scores the same {fmt.score(score)} but costs {fmt.money_short(cost)}, "
                f"{fmt.money_short(cost + chosen[1])} more") in text, (p.id, other, text)
    else:
        m = re.search(r"in favour of the set that includes (\S+) \(ranked (\d+)", text)
        assert f"scores the same {fmt.score(score)} and costs the same {fmt.money_short(cost)}" in text and m, \
            (p.id, other, text)
        first = outcome.decision(m.group(1))
        assert first.status == "shortlisted" and m.group(2) == str(first.rank), (p.id, text)
    return 1


def _check_ineligible(r: Round, outcome, d) -> int:
    """A cost compared with the upfront allocation quotes the allocation in use, and the comparison turns at
    the figure: at an allocation of the cost the rule passes, a penny below it fails."""
    checked = 0
    for c in d.screening.rejections:
        if "more than the upfront allocation of" not in c.reason:  # (not another rule that names it)
            continue
        assert f"costs {fmt.money_short(d.proposal.cost)}, more than the upfront allocation of " \
               f"{fmt.money_short(outcome.upfront)}" in c.reason, (d.proposal.id, c.reason)
        cost = d.proposal.cost
        there = {x.rule for x in r.at(cost).decision(d.proposal.id).screening.rejections}
        short = {x.rule for x in r.at(cost - 1).decision(d.proposal.id).screening.rejections}
        assert c.rule not in there and c.rule in short, (d.proposal.id, c.rule, cost)
        checked += 1
    return checked
