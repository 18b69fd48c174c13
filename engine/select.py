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

How ``optimal`` is found (exactly)
----------------------------------
*One integer objective.*  Let the candidates be the items with score >= 1
and cost <= budget, ``n`` of them, at candidate positions ``r = 0..n-1`` in
rank order, and ``M = budget + 1``.  Give candidate ``r`` the profit::

    p_r = ((score_r * M - cost_r) << n) + 2 ** (n - 1 - r)

For a feasible set ``X`` the sum ``P(X) = ((S * M - C) << n) + L`` where
``S`` is its score, ``C <= budget < M`` its cost and ``L < 2 ** n`` the
binary number whose digits are its inclusion vector in rank order.  So
``P(X) > P(Y)`` exactly when ``X`` comes first under the three keys above:
a higher score outweighs any cost difference (``|C_X - C_Y| < M``), and at
equal score and cost the larger ``L`` is the set including the earlier item
where they first differ.  Every profit is positive, distinct sets have
distinct profits, and the problem becomes one ordinary 0-1 knapsack
(maximise ``P`` subject to cost <= budget) with a unique optimum.

*Expanding-core dynamic programme* (Pisinger's MINKNAP, 1997, in exact
integers).  Sort the candidates by efficiency ``p/w`` (cost ``w``), highest
first, comparing the ratios exactly; since ``p/w = (s*M - w)/w << n`` plus a
tiny lex part, this is the order of ``s/w``, the order of score per penny.
The break item ``b`` is the first that does not fit when the sorted items are
taken greedily; the break solution holds items ``0..b-1``.  A *state* is a
set that differs from the break solution only inside the core ``[s, t]``
(``s <= b <= t + 1``), held as its cost ``mu``, profit ``pi``, score
``sigma``, count ``k`` and a linked list of the items it flipped.  The core
grows one item at a time, alternately ``t += 1`` (each state may also add
item ``t``) and ``s -= 1`` (each state may also drop item ``s``); after each
step

- *dominance*: of two states with ``mu1 <= mu2`` and ``pi1 >= pi2`` the
  second is deleted: whatever completes it completes the first as well and
  better (a higher score, or the same score for less, or the same of both
  with an earlier item).  The list is kept sorted by cost with strictly
  rising profit, so this is a linear merge;
- *incumbent*: the best state with ``mu <= budget`` replaces the incumbent
  (score ``S``, cost ``C``) if its profit is higher; the first incumbent is
  the break solution filled greedily;
- *bounds*: every bound used has the form: each completion ``X`` of the
  state satisfies ``score(X) <= u - rho * (budget - cost(X))`` for some
  ``rho >= 0``.  To come level with or beat the incumbent, ``X`` needs a
  score above ``S``, or the score ``S`` at a cost ``<= C``, which by the
  bound needs ``u - S >= rho * (budget - C)``.  So a state is deleted when
  ``u - S < min(1, rho * (budget - C))``: scores are whole numbers, and the
  second term turns the slack the incumbent leaves into pruning power on
  the cost tie-break.  The bounds:

  - Dantzig's (the linear relaxation), with ``rho = e[t+1]`` under the
    budget and ``rho = e[s-1]`` over it, ``u = sigma + rho*(budget - mu)``
    (``e`` = score per penny; items still to add are no more efficient than
    ``e[t+1]``, items still to drop no less than ``e[s-1]``);
  - once the states grow numerous, a Lagrangian bound with a cardinality
    cut, which is what tames strongly correlated rounds: no feasible set
    holds more than ``kmax`` candidates (the most of the cheapest that fit),
    so for any ``rho, lam >= 0`` and any completion ``X`` adding ``A``
    (beyond ``t``) and dropping ``R`` (before ``s``)::

        score(X) <= sigma + rho*(cost(X) - mu) + lam*(kmax - k)
                    + sum over j > t of max(0, d_j) + sum over j < s of max(0, -d_j),
        d_j = s_j - rho*w_j - lam

    (add ``lam`` times the slack of the cut, >= 0, expand, and take the best
    case for each item).  ``rho`` and ``lam`` come from the linear relaxation
    with the cut, found in floating point and then made exact fractions: any
    values keep the bound valid, good ones only make it tight.  The sums are
    prefix sums, so each state costs O(1);
  - at the root, the same test on the break solution with one item ``j``
    flipped (``rho = e[b]``, the slope of the relaxation there) fixes ``j``:
    the core steps over it (Martello and Toth's reduction).

The programme stops when no state is left or the core holds every item; the
incumbent is then optimal: every set is reached from the break solution by a
sequence of core steps, and along it the states that stand for it (or
dominate it) are only ever deleted by a bound showing that nothing through
them comes level with or beats the incumbent, which only improves.  All
arithmetic is on Python integers (the multipliers are fractions), so nothing
is lost to rounding, and the answer is the unique maximiser of ``P``: the
same on every run and equal to brute force.

Performance: rounds where score is unrelated or loosely related to cost, or
panel-like with many ties, need a core of a few dozen items and run in
milliseconds at 1,000 items.  When many items near the break share one score
per penny (say score = cost times one of a few factors), no bound can tell
their subsets apart and the search becomes a subset-sum over them: exact, but
a few hundred milliseconds at 1,000 items.  Strongly correlated rounds (score = cost // 500
+ 1000) with costs spread up to 10^8 pence are hard for every exact method:
the cardinality bound is within about one unit of the optimum, but every
item near the break has a reduced score ``d_j`` within about one unit too,
so very many sets stay within reach, and the cost tie-break asks for the
least of very many near-equal sums.  They are solved exactly, usually in
well under a second at 100 to 1,000 items, but some take minutes.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from fractions import Fraction

import attrs

from .errors import InputError, did_you_mean

__all__ = ["POLICIES", "Item", "Selection", "Step", "optimal", "rank_walk", "select"]

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
    raise InputError(
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
    for r in _knapsack([items[r].cost for r in candidates], [items[r].score for r in candidates], budget):
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


# -- the exact knapsack ------------------------------------------------------

# Past this many states the cardinality bound is worth its set-up.
_CARD_AFTER = 400


def _knapsack(w: list[int], score: list[int], cap: int) -> list[int]:
    """Positions (into *w*, *score*) of the unique best set: see the module docstring."""
    n = len(w)
    if sum(w) <= cap:
        return list(range(n))
    big = cap + 1
    p = [((score[r] * big - w[r]) << n) + (1 << (n - 1 - r)) for r in range(n)]
    shift = 2 * max(w).bit_length()  # 2**shift > w_i * w_j: distinct ratios get distinct keys
    order = sorted(range(n), key=lambda r: -((p[r] << shift) // w[r]))
    W = [w[r] for r in order]
    S = [score[r] for r in order]
    P = [p[r] for r in order]

    b = 0
    mu = sigma = pi = 0
    while W[b] + mu <= cap:  # stops before n: not everything fits
        mu += W[b]
        sigma += S[b]
        pi += P[b]
        b += 1
    inc = _Incumbent(pi, sigma, mu, None)  # the break solution, then filled greedily
    for j in range(b + 1, n):
        if W[j] <= cap - inc.cost:
            inc = _Incumbent(inc.profit + P[j], inc.score + S[j], inc.cost + W[j], (j, inc.link))

    inc = _search(W, S, P, b, mu, sigma, pi, cap, inc)

    inside = set(range(b))
    link = inc.link
    while link is not None:
        j, link = link
        inside.symmetric_difference_update((j,))
    return sorted(order[j] for j in inside)


def _search(W, S, P, b, mu, sigma, pi, cap, inc):
    """The expanding-core programme from the break solution ``0..b-1`` (cost *mu*, score *sigma*,
    profit *pi*) and the incumbent *inc*; returns the final incumbent.
    """
    n = len(W)

    def fixed(j: int) -> bool:
        """Whether item *j* keeps its place in the break solution in every set that could beat the incumbent."""
        sign = 1 if j >= b else -1
        return not _reaches(sigma + sign * S[j], mu + sign * W[j], S[b], W[b], cap, inc, 0)

    states = [(mu, pi, sigma, b, None)]  # see _merge
    s, t = b, b - 1
    card = None
    while states and (s > 0 or t < n - 1):
        if t + 1 < n:
            t += 1
            if not fixed(t):
                states = _merge(states, W[t], P[t], S[t], 1, t)
                inc = _improve(states, cap, inc)
                if card is None and len(states) > _CARD_AFTER:
                    card = _Cardinality.of(W, S, cap)
                states = _prune(states, cap, inc, W, S, s, t, card)
        if states and s > 0:
            s -= 1
            if not fixed(s):
                states = _merge(states, -W[s], -P[s], -S[s], -1, s)
                inc = _improve(states, cap, inc)
                states = _prune(states, cap, inc, W, S, s, t, card)
    return inc


@attrs.frozen
class _Incumbent:
    """The best set found so far: its profit, score, cost and the items flipped from the break solution."""

    profit: int
    score: int
    cost: int
    link: tuple | None


# A state is a tuple (cost, profit, score, count, link), the link a nested pair (item, link)
# listing the items flipped from the break solution.  The states are kept sorted by cost with
# strictly rising profit.  Profits are distinct (each set has its own), so tuples never
# compare past the profit.


def _merge(states: list[tuple], dw: int, dp: int, ds: int, dk: int, j: int) -> list[tuple]:
    """The states and the states moved by item *j*, merged by cost with dominated ones deleted."""
    moved = [(w + dw, p + dp, s + ds, k + dk, (j, link)) for w, p, s, k, link in states]
    both = states + moved
    both.sort()  # two sorted runs: a linear merge
    out = []
    best = None
    for state in both:
        if best is None or state[1] > best:
            if out and out[-1][0] == state[0]:  # same cost, more profit: replaces the last
                out[-1] = state
            else:
                out.append(state)
            best = state[1]
    return out


def _improve(states: list[tuple], cap: int, inc: _Incumbent) -> _Incumbent:
    """The incumbent, replaced by the best state within the budget if that is better."""
    k = bisect_right(states, cap, key=_cost) - 1
    if k >= 0 and states[k][1] > inc.profit:
        w, p, s, _, link = states[k]
        return _Incumbent(p, s, w, link)
    return inc


def _cost(state: tuple) -> int:
    return state[0]


def _reaches(sigma: int, mu: int, num: int, den: int, cap: int, inc: _Incumbent, extra: int) -> bool:
    """Whether a state whose completions all satisfy ``score <= sigma + rho*(cost - mu) + extra/den``
    (``rho = num/den >= 0``) may still come level with or beat the incumbent.

    Beating needs a score above the incumbent's, or the same score at a cost no higher.  The
    bound at ``cost <= cap`` gives the first; at the same score it gives
    ``cost >= cap - (bound - score) / rho``, so the state is kept when
    ``bound - inc.score >= min(1, rho * (cap - inc.cost))``.  (:func:`_prune` inlines this.)
    """
    return (sigma - inc.score) * den + num * (cap - mu) + extra >= min(den, num * (cap - inc.cost))


def _prune(states: list[tuple], cap: int, inc: _Incumbent, W, S, s: int, t: int, card) -> list[tuple]:
    """The states that may still come level with or beat the incumbent (:func:`_reaches`, inlined)."""
    zs, slack = inc.score, cap - inc.cost
    if t + 1 < len(W):  # under the budget: Dantzig's bound with the next item to add
        wa, sa = W[t + 1], S[t + 1]
        need = min(wa, sa * slack)
        under = [x for x in states if x[0] <= cap and (x[2] - zs) * wa + sa * (cap - x[0]) >= need]
    else:  # nothing left to add: dropping items only loses score, and the state itself was offered
        under = []
    if s > 0:  # over the budget: Dantzig's bound with the next item to drop
        wr, sr = W[s - 1], S[s - 1]
        need = min(wr, sr * slack)
        over = [x for x in states if x[0] > cap and (x[2] - zs) * wr - sr * (x[0] - cap) >= need]
    else:
        over = []
    kept = under + over
    if card is None:
        return kept
    d, rn, ln = card.d, card.rn, card.ln
    need = min(d, rn * slack)
    base = ln * card.kmax + card.gain[t + 1] + card.loss[s] - need
    return [x for x in kept if (x[2] - zs) * d + rn * (cap - x[0]) - ln * x[3] + base >= 0]


@attrs.frozen
class _Cardinality:
    """The Lagrangian bound with the cut ``count <= kmax``, in score units scaled by ``d``.

    ``rho = rn/d`` and ``lam = ln/d``; ``gain[j]`` sums ``max(0, d_i)`` over ``i >= j`` and
    ``loss[j]`` sums ``max(0, -d_i)`` over ``i < j``, with ``d_i = s_i - rho*w_i - lam`` (times ``d``).
    """

    d: int
    rn: int
    ln: int
    kmax: int
    gain: list[int]
    loss: list[int]

    @classmethod
    def of(cls, W: list[int], S: list[int], cap: int) -> "_Cardinality":
        kmax = 0
        room = cap
        for w in sorted(W):
            if w > room:
                break
            room -= w
            kmax += 1
        rho, lam = _multipliers(W, S, cap, kmax)
        rho = Fraction(rho).limit_denominator(10**9)
        lam = Fraction(lam).limit_denominator(10**9)
        d = rho.denominator * lam.denominator
        rn = rho.numerator * lam.denominator
        ln = lam.numerator * rho.denominator
        red = [s * d - rn * w - ln for w, s in zip(W, S)]
        gain = [0] * (len(W) + 1)
        for j in range(len(W) - 1, -1, -1):
            gain[j] = gain[j + 1] + max(0, red[j])
        loss = [0] * (len(W) + 1)
        for j, r in enumerate(red):
            loss[j + 1] = loss[j] + max(0, -r)
        return cls(d, rn, ln, kmax, gain, loss)


def _multipliers(W: list[int], S: list[int], cap: int, kmax: int) -> tuple[float, float]:
    """Good (not necessarily optimal) floats ``rho, lam >= 0`` for the relaxation with the cut."""

    def relax(lam: float) -> tuple[float, float]:
        kept = sorted((j for j in range(len(W)) if S[j] > lam), key=lambda j: (lam - S[j]) / W[j])
        room, count = cap, 0.0
        for j in kept:
            if W[j] <= room:
                room -= W[j]
                count += 1
            else:
                return count + room / W[j], (S[j] - lam) / W[j]
        return count, 0.0

    count, rho = relax(0.0)
    if count <= kmax:
        return rho, 0.0
    lo, hi = 0.0, float(max(S))
    for _ in range(50):
        mid = (lo + hi) / 2
        if relax(mid)[0] > kmax:
            lo = mid
        else:
            hi = mid
    return relax(hi)[1], hi
