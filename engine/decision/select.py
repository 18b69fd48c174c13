"""Choosing which proposals to fund within a budget: the rank walk and the exact optimum.

Money is in whole pence and scores in whole units (``int`` throughout, never
``float``), items arrive in rank order (index 0 is rank 1) and ids are unique.

``rank_walk``
    Go down the ranked list and take each item whose cost fits in the money
    still left; skip the others and keep going.

``optimal``
    The one set of items, out of all sets whose total cost is within the
    budget, that comes first under three keys in turn:

    1. the greatest total score;
    2. then the lowest total cost;
    3. then the first by rank: compare the inclusion vectors in rank order and
       prefer the set that includes the earlier item where they first differ.

    An item scoring 0 only adds cost, so it is never chosen.

How ``optimal`` is found
------------------------
Exactly, by the expanding-core dynamic programme of :mod:`engine.decision.knapsack`
over the candidates: the items with score >= 1 and cost <= budget, in rank
order, so that its third key (first by position) is "first by rank".
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from ..errors import InputError, did_you_mean
from .knapsack import knapsack

__all__ = ["POLICIES", "Item", "Selection", "Step", "check", "optimal", "rank_walk", "select"]

POLICIES = ("rank", "optimal")


def _whole(minimum: int):
    def check(instance, attribute, value) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"'{attribute.name}' must be <int> (got {value!r})")
        if value < minimum:
            raise ValueError(f"'{attribute.name}' must be >= {minimum} (got {value!r})")

    return check


def _text(instance, attribute, value) -> None:
    if not isinstance(value, str):
        raise TypeError(f"'{attribute.name}' must be <str> (got {value!r})")


@attrs.frozen
class Item:
    """One proposal as the selection sees it: its id, its cost in pence and its score."""

    id: str = attrs.field(validator=_text)
    cost: int = attrs.field(validator=_whole(1))  # pence
    score: int = attrs.field(validator=_whole(0))  # integer units, higher is better


@attrs.frozen
class Step:
    """One item as the rank walk reaches it: the money left then, and whether it was taken."""

    id: str
    left_before: int
    taken: bool


@attrs.frozen
class Selection:
    """The items a policy chose within a budget, with one step per item in rank order."""

    policy: str
    budget: int
    chosen: tuple[str, ...]  # in rank order
    allocated: int
    remaining: int
    score: int
    steps: tuple[Step, ...]


def select(items: Sequence[Item], budget: int, policy: str) -> Selection:
    """The selection *policy* (one of :data:`POLICIES`) makes from *items* within *budget*."""
    if policy == "rank":
        return rank_walk(items, budget)
    if policy == "optimal":
        return optimal(items, budget)
    raise _unknown(policy)


def check(items: Sequence[Item], budget: int, policy: str) -> None:
    """Refuse what :func:`select` refuses (an unknown policy, bad items or budget), choosing nothing."""
    if policy not in POLICIES:
        raise _unknown(policy)
    _check(items, budget)


def _unknown(policy) -> InputError:
    return InputError(
        f"unknown policy {policy!r}{did_you_mean(str(policy), POLICIES)}",
        field="policy",
        fix="use one of: " + ", ".join(POLICIES),
    )


def rank_walk(items: Sequence[Item], budget: int) -> Selection:
    """Walk down the ranked *items*, taking each one whose cost fits in the money still left."""
    _check(items, budget)
    left = budget
    taken = []
    for item in items:
        fits = item.cost <= left
        taken.append(fits)
        if fits:
            left -= item.cost
    return _selection("rank", items, budget, taken)


def optimal(items: Sequence[Item], budget: int) -> Selection:
    """The best set within *budget*: greatest score, then lowest cost, then first by rank."""
    _check(items, budget)
    candidates = [r for r, item in enumerate(items) if item.score > 0 and item.cost <= budget]
    taken = [False] * len(items)
    for r in knapsack([items[r].cost for r in candidates], [items[r].score for r in candidates], budget):
        taken[candidates[r]] = True
    return _selection("optimal", items, budget, taken)


def _check(items: Sequence[Item], budget: int) -> None:
    if isinstance(budget, bool) or not isinstance(budget, int):
        raise TypeError(f"'budget' must be <int> pence (got {budget!r})")
    if budget < 0:
        raise ValueError(f"'budget' must be >= 0 (got {budget!r})")
    seen = set()
    for item in items:
        if not isinstance(item, Item):
            raise TypeError(f"items must be <Item> (got {item!r})")
        if item.id in seen:
            raise ValueError(f"ids must be unique (got {item.id!r} twice)")
        seen.add(item.id)


def _selection(policy: str, items: Sequence[Item], budget: int, taken: list[bool]) -> Selection:
    left = budget
    steps = []
    for item, take in zip(items, taken):
        steps.append(Step(item.id, left, take))
        if take:
            left -= item.cost
    chosen = tuple(item.id for item, take in zip(items, taken) if take)
    allocated = budget - left
    score = sum(item.score for item, take in zip(items, taken) if take)
    return Selection(policy, budget, chosen, allocated, left, score, tuple(steps))
