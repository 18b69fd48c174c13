"""Running the what-if a sentence names: the check behind every counterfactual figure.

Each check asks the public path (:func:`engine.run`, what ``crg screen`` runs)
what happens at the allocation or cost a sentence speaks of, at the figure, a
penny beyond it, and at a random point of the range it speaks for.  Nothing
here reads the counterfactual code: it only runs the round again.
"""

from __future__ import annotations

import random
from itertools import combinations

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
                assert r.full(p.id, p.cost, f), (p.id, "full at", f, cf.text)
                for b in points(rng, budget + 1, f - 1):
                    assert not r.full(p.id, p.cost, b), (p.id, "not full before", f, b, cf.text)
                assert tuple(sorted(now - r.shortlist(f))) == tuple(sorted(cf.displaces)), (p.id, cf.text)
            checked += 2
        else:  # reserve
            if cf.budget is None:
                for b in points(rng, budget + 1, upto):
                    assert not r.status(p.id, b)[0], (p.id, "never above", b, cf.text)
            else:
                n = cf.budget
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
