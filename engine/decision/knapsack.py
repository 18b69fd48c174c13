"""The exact 0-1 knapsack behind the ``optimal`` policy, with its three keys.

``knapsack(cost, score, budget)`` returns the positions of the one set, among
all sets whose total cost is within the budget, that comes first by

1. the greatest total score;
2. then the lowest total cost;
3. then the first by position (rank): compare the inclusion vectors in
   position order and prefer the set that includes the earlier item where
   they first differ.

Costs are whole pence (``>= 1``) and scores whole units (``>= 1``), all
``int``.  See :mod:`engine.decision.select` for the policy around it.

The order of sets
-----------------
Write ``X > Y`` when ``X`` comes first.  For two sets that differ only in
items inside the *core* (below), the third key is decided by the earliest
position where they differ.  Every comparison below is exact: scores, costs
and counts are integers; the only floating-point arithmetic is in bounds,
and a bound only deletes a state when it is below the threshold by far more
than any rounding could account for.

Expanding-core dynamic programme
--------------------------------
This is Pisinger's MINKNAP (1997) in exact integers.  Sort the items by score
per penny, highest first (exact ratio comparison, ties by position).  The
*break item* ``b`` is the first that does not fit when the sorted items are
taken greedily; the break solution holds items ``0..b-1``.  A *state* is a set
that differs from the break solution only inside the core ``[s, t]``
(``s <= b <= t + 1``), held as its cost ``mu``, score ``sigma``, count ``k``
and the list of items it flipped (a node of a shared tree of flips).  The
core grows one item at a time, alternately ``t += 1`` (each state may also add
item ``t``) and ``s -= 1`` (each state may also drop item ``s``); after each
step

- *dominance*: of two states with ``mu1 <= mu2`` where the first comes first
  under the keys at equal completion (``sigma1 > sigma2``, or equal scores
  with ``mu1 < mu2``, or both equal and the first earlier by position), the
  second is deleted: whatever completes it completes the first and better.
  The states are kept sorted by cost with strictly rising score;
- *incumbent*: the best state within the budget (the last one at or under
  it) replaces the incumbent if it comes first; the first incumbent is the
  break solution filled greedily;
- *bounds*: every bound used has the form: each completion ``X`` of the
  state satisfies ``score(X) <= u - rho * (budget - cost(X))`` for some
  ``rho >= 0``.  To come level with or beat the incumbent (score ``S``,
  cost ``C``), ``X`` needs a score above ``S``, or the score ``S`` at a cost
  ``<= C``, which by the bound needs ``u - S >= rho * (budget - C)``.  So a
  state is deleted when ``u - S < min(1, rho * (budget - C))``: scores are
  whole numbers, and the second term turns the slack the incumbent leaves
  into pruning power on the cost key.  The bounds:

  - Dantzig's (the linear relaxation), with ``rho = e[t+1]`` under the
    budget and ``rho = e[s-1]`` over it, ``u = sigma + rho*(budget - mu)``
    (``e`` = score per penny; items still to add are no more efficient than
    ``e[t+1]``, items still to drop no less than ``e[s-1]``);
  - once the states grow numerous, a Lagrangian bound with a cardinality
    cut, which is what tames strongly correlated rounds: no feasible set
    holds more than ``kmax`` items (the most of the cheapest that fit), so
    for any ``rho, lam >= 0`` and any completion ``X`` adding ``A`` (beyond
    ``t``) and dropping ``R`` (before ``s``)::

        score(X) <= sigma + rho*(cost(X) - mu) + lam*(kmax - k)
                    + sum over j > t of max(0, d_j) + sum over j < s of max(0, -d_j),
        d_j = s_j - rho*w_j - lam

    (add ``lam`` times the slack of the cut, >= 0, expand, and take the best
    case for each item).  ``rho`` and ``lam`` come from the linear relaxation
    with the cut: any values keep the bound valid, good ones make it tight.
    The sums are prefix sums, so each state costs O(1);
  - at the root, the first bound on the break solution with one item ``j``
    flipped (``rho = e[b]``) fixes ``j``: the core steps over it (Martello and
    Toth's reduction).  Once the cardinality bound is made it fixes items
    too: every set scores at most ``rho*budget + lam*kmax + sum of
    max(0, d_j)``, less ``|d_j|`` for each item it holds against the sign of
    ``d_j``, and an item whose ``|d_j|`` alone takes that below the incumbent
    keeps its place.  On strongly correlated rounds the items with small
    ``|d_j|`` lie all along the efficiency order; without this the core grows
    over hundreds of items it never needs to move.

The programme stops when no state is left or the core holds every item; the
incumbent is then the best set: every set is reached from the break solution
by a sequence of core steps, and along it the states that stand for it (or
dominate it) are only ever deleted by a bound showing that nothing through
them comes level with or beats the incumbent, which only improves.

*Two passes.*  The first pass keeps at most ``_BEAM`` states after each step
(those with the highest cardinality bound).  If it never had to drop one, it
was the exact programme and its answer stands.  Otherwise its incumbent,
usually the best set or close to it, starts a second, exact pass whose bounds
cut from the first step.  The narrowing decides where the exact pass starts,
never what it returns.

*Lists, then arrays.*  While there are at most ``_ARRAYS_AFTER`` states they
are a Python list of tuples; past that, numpy arrays (``int64`` while every sum
and product the bounds form fits in 62 bits, Python integers otherwise), so
each step is a handful of vector operations.  The flips are a tree of
``(item, parent)`` nodes, kept the same way and compacted when it grows large.

Performance: rounds where score is unrelated or loosely related to cost, or
panel-like with many ties, need a core of a few dozen items and run in
milliseconds at 1,000 items.  When many items near the break share one score
per penny, no bound can tell their subsets apart and the search becomes a
subset-sum over them.  Strongly correlated rounds (score = cost // 500 + 1000)
with costs spread up to 10^8 pence are the hard case for every exact method:
the cardinality bound is within a unit or two of the optimum, but many items
have ``|d_j|`` under one unit, so very many sets stay within reach, and the
cost key asks for the least of very many near-equal sums.
``bench/select_bench.py`` has the figures; ``bench/solver_stages.py`` gives
the same rounds to HiGHS and CP-SAT.
"""

from __future__ import annotations

from bisect import bisect_right
from fractions import Fraction

import attrs

from .arrays import LIMIT

__all__ = ["knapsack"]


class _Numpy:
    """numpy, imported when a search first grows past :data:`_ARRAYS_AFTER` states: a partnership's round
    never does, and the import costs a short command a third of its time."""

    def __getattr__(self, name: str):
        import numpy

        globals()["np"] = numpy
        return getattr(numpy, name)


np = _Numpy()

# Past this many states the cardinality bound is worth its set-up.
_CARD_AFTER = 400
# The first pass keeps at most this many states (None: no limit); see "Two passes".
_BEAM = 3000
# A float bound deletes a state only when below the threshold by more than this share of its terms.
_TOLERANCE = 1e-9
# The tree of flips is compacted when it holds this many nodes more than at the last compaction.
_COMPACT_AFTER = 2_000_000
# Past this many states they move from Python lists to numpy arrays.
_ARRAYS_AFTER = 100


def knapsack(cost: list[int], score: list[int], budget: int) -> list[int]:
    """Positions (into *cost*, *score*) of the unique best set within *budget*, in order."""
    n = len(cost)
    if sum(cost) <= budget:
        return list(range(n))
    shift = 2 * max(cost).bit_length()  # 2**shift > w_i * w_j: distinct ratios get distinct keys
    if n > _ARRAYS_AFTER and max(score) << shift < LIMIT:  # the keys fit in 64 bits: sorted on an array
        keys = (np.asarray(score, dtype=np.int64) << shift) // np.asarray(cost, dtype=np.int64)
        order = np.argsort(-keys, kind="stable").tolist()  # stable: ties by position
    else:
        keys = [-((s << shift) // w) for s, w in zip(score, cost)]
        order = sorted(range(n), key=keys.__getitem__)  # stable: ties by position
    problem = _Problem.of([cost[r] for r in order], [score[r] for r in order], order, budget)

    inc, card, narrowed = _search(problem, problem.greedy(), None, _BEAM)
    if narrowed:
        inc, _, _ = _search(problem, inc, card, None)
    inside = set(range(problem.b)) ^ problem.tree.flips(inc.node)
    return sorted(order[j] for j in inside)


@attrs.frozen
class _Incumbent:
    """The best set found so far: its score, cost and node of flips from the break solution."""

    score: int
    cost: int
    node: int


class _Tree:
    """The flips of every state: node ``i`` flips item ``item[i]`` on top of node ``parent[i]`` (-1: none).

    Python lists while the states are few (:class:`_Few` adds lists of parents), numpy arrays from
    the first time many are added at once (:class:`_States` adds arrays).
    """

    def __init__(self) -> None:
        self.item: list[int] | np.ndarray = []
        self.parent: list[int] | np.ndarray = []
        self.size = 0
        self.compacted_at = 0

    def add(self, j: int, parents):
        """New nodes flipping item *j* on top of each of *parents* (a list or an array); returns their
        numbers, as the same kind of sequence."""
        m, start = len(parents), self.size
        if isinstance(parents, list) and isinstance(self.item, list):
            self.item.extend([j] * m)
            self.parent.extend(parents)
            self.size += m
            return list(range(start, start + m))
        self._arrays(start + m)
        self.item[start : start + m] = j
        self.parent[start : start + m] = parents
        self.size += m
        nodes = np.arange(start, start + m, dtype=np.int64)
        return nodes.tolist() if isinstance(parents, list) else nodes

    def _arrays(self, room: int) -> None:
        """Hold the nodes in arrays with room for *room* of them."""
        if isinstance(self.item, list):
            self.item = np.array(self.item, dtype=np.int64)
            self.parent = np.array(self.parent, dtype=np.int64)
        if room > len(self.item):
            grown = max(2 * len(self.item), room, 1024)
            self.item = np.resize(self.item, grown)
            self.parent = np.resize(self.parent, grown)

    def flips(self, node: int) -> set[int]:
        """The items flipped by *node*."""
        out = set()
        while node >= 0:
            out.add(int(self.item[node]))
            node = int(self.parent[node])
        return out

    def compact(self, live: np.ndarray) -> np.ndarray:
        """Keep only the nodes *live* reaches; returns *live* renumbered."""
        self._arrays(self.size)
        keep = np.zeros(self.size, dtype=bool)
        frontier = np.unique(live[live >= 0])
        while frontier.size:
            keep[frontier] = True
            up = self.parent[frontier]
            up = up[up >= 0]
            frontier = np.unique(up[~keep[up]])
        number = np.cumsum(keep) - 1
        parent = self.parent[: self.size][keep]
        self.item = self.item[: self.size][keep].copy()
        self.parent = np.where(parent >= 0, number[np.maximum(parent, 0)], -1)
        self.size = len(self.item)
        self.compacted_at = self.size
        return np.where(live >= 0, number[np.maximum(live, 0)], -1)


@attrs.define
class _Problem:
    """The items in efficiency order (cost ``W``, score ``S``, position ``pos``), the budget and the break."""

    W: list[int]
    S: list[int]
    pos: list[int]
    cap: int
    b: int
    mu: int
    sigma: int
    dtype: object  # "int64", or object for Python integers
    tree: _Tree

    @classmethod
    def of(cls, W: list[int], S: list[int], pos: list[int], cap: int) -> "_Problem":
        b = mu = sigma = 0
        while W[b] + mu <= cap:  # stops before the end: not everything fits
            mu += W[b]
            sigma += S[b]
            b += 1
        total_w, total_s = sum(W), sum(S)
        # int64 while every product the Dantzig test forms fits (score sums times a cost and back)
        fits = 4 * (total_s + 1) * (max(W) + total_w + cap + 1) < LIMIT
        return cls(W, S, pos, cap, b, mu, sigma, "int64" if fits else object, _Tree())

    def greedy(self) -> _Incumbent:
        """The break solution filled greedily with the items after the break."""
        score, cost, node = self.sigma, self.mu, -1
        for j in range(self.b + 1, len(self.W)):
            if self.W[j] <= self.cap - cost:
                score, cost = score + self.S[j], cost + self.W[j]
                node = self.tree.add(j, [node])[0]
        return _Incumbent(score, cost, node)

    def earlier(self, a: int, b: int) -> bool:
        """Whether the set of node *a* comes before that of node *b* at equal score and cost."""
        flips = self.tree.flips(a)
        differ = flips ^ self.tree.flips(b)
        if not differ:  # the same set
            return False
        first = min(differ, key=lambda j: self.pos[j])
        return (first < self.b) != (first in flips)  # whether a's set holds it


def _cost(row: tuple) -> int:
    return row[0]


@attrs.define
class _Few:
    """Few states, as tuples ``(cost, score, count, node)`` sorted by cost with strictly rising score.

    While the states are few, plain Python lists are faster than arrays (each array operation has a
    fixed cost of a microsecond or so); past ``_ARRAYS_AFTER`` states the search moves to
    :class:`_States`.  The two classes keep exactly the same states.
    """

    rows: list[tuple]

    def __len__(self) -> int:
        return len(self.rows)

    def nodes(self) -> list[int]:
        return [row[3] for row in self.rows]

    def with_nodes(self, nodes: np.ndarray) -> "_Few":
        return _Few([(m, s, k, int(node)) for (m, s, k, _), node in zip(self.rows, nodes)])

    def arrays(self, dtype) -> "_States":
        rows = self.rows
        return _States(
            np.array([r[0] for r in rows], dtype=dtype), np.array([r[1] for r in rows], dtype=dtype),
            np.array([r[2] for r in rows], dtype=dtype), np.array(self.nodes(), dtype=np.int64),
        )

    def merge(self, problem: _Problem, j: int, sign: int) -> "_Few":
        w, sc = sign * problem.W[j], sign * problem.S[j]
        nodes = problem.tree.add(j, self.nodes())
        moved = [(m + w, s + sc, k + sign, node) for (m, s, k, _), node in zip(self.rows, nodes)]
        out: list[tuple] = []
        for row in sorted(self.rows + moved, key=_cost):  # stable: two sorted runs
            if out and out[-1][0] == row[0]:  # equal cost: the one that comes first stays
                last = out[-1]
                if row[1] < last[1] or (row[1] == last[1] and not problem.earlier(row[3], last[3])):
                    continue
                out.pop()
            if not out or row[1] > out[-1][1]:
                out.append(row)
        return _Few(out)

    def improve(self, problem: _Problem, inc: _Incumbent) -> _Incumbent:
        i = bisect_right(self.rows, problem.cap, key=_cost) - 1
        if i < 0:
            return inc
        cost, score, _, node = self.rows[i]
        return _better(problem, inc, cost, score, node)

    def prune(self, problem: _Problem, inc: _Incumbent, s: int, t: int, card) -> "_Few":
        W, S, cap = problem.W, problem.S, problem.cap
        zs, slack = inc.score, cap - inc.cost
        kept = []
        if t + 1 < len(W):
            wa, sa = W[t + 1], S[t + 1]
            need = min(wa, sa * slack)
            kept = [r for r in self.rows if r[0] <= cap and (r[1] - zs) * wa + sa * (cap - r[0]) >= need]
        if s > 0:
            wr, sr = W[s - 1], S[s - 1]
            need = min(wr, sr * slack)
            kept += [r for r in self.rows if r[0] > cap and (r[1] - zs) * wr - sr * (r[0] - cap) >= need]
        if card is not None and kept:
            reach = card.may_reach(_Few(kept).arrays(problem.dtype), zs, slack, cap, s, t)
            kept = [r for r, ok in zip(kept, reach) if ok]
        return _Few(kept)

    def narrow(self, problem: _Problem, limit: int, card: "_Cardinality") -> "_States":
        return self.arrays(problem.dtype).narrow(problem, limit, card)


@attrs.define
class _States:
    """Many states, as arrays sorted by cost with strictly rising score: cost, score, count, node."""

    mu: np.ndarray
    sigma: np.ndarray
    k: np.ndarray
    node: np.ndarray

    def __len__(self) -> int:
        return len(self.mu)

    def take(self, keep) -> "_States":
        return _States(self.mu[keep], self.sigma[keep], self.k[keep], self.node[keep])

    def nodes(self) -> np.ndarray:
        return self.node

    def with_nodes(self, nodes: np.ndarray) -> "_States":
        return _States(self.mu, self.sigma, self.k, nodes)

    def merge(self, problem: _Problem, j: int, sign: int) -> "_States":
        """The states and the states moved by item *j* (added if *sign* is 1, dropped if -1),
        merged by cost with dominated ones deleted."""
        w, sc = sign * problem.W[j], sign * problem.S[j]
        mu = np.concatenate((self.mu, self.mu + w))
        sigma = np.concatenate((self.sigma, self.sigma + sc))
        k = np.concatenate((self.k, self.k + sign))
        node = np.concatenate((self.node, problem.tree.add(j, self.node)))
        by_cost = np.argsort(mu, kind="stable")  # two sorted runs
        mu, sigma, k, node = mu[by_cost], sigma[by_cost], k[by_cost], node[by_cost]
        same = np.flatnonzero(mu[1:] == mu[:-1])
        keep = np.ones(len(mu), dtype=bool)
        for i in same:  # equal cost (rare): the second of the pair stays only if it comes first
            a = _survivor(keep, i)
            if sigma[i + 1] > sigma[a] or (
                sigma[i + 1] == sigma[a] and problem.earlier(int(node[i + 1]), int(node[a]))
            ):
                keep[a] = False
            else:
                keep[i + 1] = False
        if len(same):
            mu, sigma, k, node = mu[keep], sigma[keep], k[keep], node[keep]
        rising = np.empty(len(sigma), dtype=bool)
        rising[0] = True
        rising[1:] = sigma[1:] > np.maximum.accumulate(sigma)[:-1]
        return _States(mu[rising], sigma[rising], k[rising], node[rising])

    def improve(self, problem: _Problem, inc: _Incumbent) -> _Incumbent:
        """The incumbent, replaced by the best state within the budget if that comes first."""
        i = int(np.searchsorted(self.mu, problem.cap, side="right")) - 1
        return _better(problem, inc, int(self.mu[i]), int(self.sigma[i]), int(self.node[i])) if i >= 0 else inc

    def prune(self, problem: _Problem, inc: _Incumbent, s: int, t: int, card) -> "_States":
        """The states that may still come level with or beat the incumbent (:func:`_reaches`)."""
        W, S, cap = problem.W, problem.S, problem.cap
        zs, slack = inc.score, cap - inc.cost
        split = int(np.searchsorted(self.mu, cap, side="right"))  # [:split] are within the budget
        if t + 1 < len(W):  # under the budget: Dantzig's bound with the next item to add
            wa, sa = W[t + 1], S[t + 1]
            mu, sigma = self.mu[:split], self.sigma[:split]
            under = (sigma - zs) * wa + sa * (cap - mu) >= min(wa, sa * slack)
        else:  # nothing left to add: dropping items only loses score, and the state itself was offered
            under = np.zeros(split, dtype=bool)
        if s > 0:  # over the budget: Dantzig's bound with the next item to drop
            wr, sr = W[s - 1], S[s - 1]
            mu, sigma = self.mu[split:], self.sigma[split:]
            over = (sigma - zs) * wr - sr * (mu - cap) >= min(wr, sr * slack)
        else:
            over = np.zeros(len(self) - split, dtype=bool)
        states = self.take(np.concatenate((under, over)))
        if card is not None and len(states):
            states = states.take(card.may_reach(states, zs, slack, cap, s, t))
        return states

    def narrow(self, problem: _Problem, limit: int, card: "_Cardinality") -> "_States":
        """The *limit* states with the highest cardinality bound, still in cost order.

        A subset of states sorted by cost with rising score is still one, so what is kept stays
        correct; only the guarantee is lost: the pass that narrows finds a good incumbent, not a
        proven one.
        """
        best = np.argsort(-card.value(self), kind="stable")[:limit]
        return self.take(np.sort(best))


def _survivor(keep: np.ndarray, i: int) -> int:
    """The state kept so far among the run of equal costs that ends at *i*."""
    while not keep[i]:
        i -= 1
    return i


def _better(problem: _Problem, inc: _Incumbent, cost: int, score: int, node: int) -> _Incumbent:
    """The incumbent, or the state (*cost*, *score*, *node*) within the budget if it comes first."""
    if (score, -cost) > (inc.score, -inc.cost) or (
        (score, cost) == (inc.score, inc.cost) and problem.earlier(node, inc.node)
    ):
        return _Incumbent(score, cost, node)
    return inc


def _search(problem: _Problem, inc: _Incumbent, card, limit):
    """The expanding-core programme from the break solution with incumbent *inc* and the cardinality
    bound *card* if already made.

    With a *limit*, at most that many states are kept after each step (``narrow``): the search
    is then a heuristic unless it never had to narrow.  Returns the final incumbent, the cardinality
    bound (``None`` if never needed) and whether any state was dropped that way.
    """
    W, S, b, cap = problem.W, problem.S, problem.b, problem.cap
    n = len(W)

    def fixed(j: int) -> bool:
        """Whether item *j* keeps its place in the break solution in every set that could beat the incumbent."""
        sign = 1 if j >= b else -1
        if not _reaches(problem.sigma + sign * S[j], problem.mu + sign * W[j], S[b], W[b], cap, inc):
            return True
        return card is not None and card.fixes(j, j < b, cap, inc)

    states = _Few([(problem.mu, problem.sigma, b, -1)])
    s, t = b, b - 1
    narrowed = False
    alive = True
    sure = _fixed_from_start(problem, inc)
    # step i considers item b + i (added at the top of the core), then item b - 1 - i (dropped at its bottom)
    steps = range(max(b, n - b)) if sure is None else np.flatnonzero(
        ~(_padded(sure[b:], max(b, n - b)) & _padded(sure[:b][::-1], max(b, n - b)))).tolist()
    for i in steps:
        if not alive:
            break
        # as the steps passed over (each item fixed on both sides) would have left the core's ends
        s, t = max(b - i, 0), min(b + i - 1, n - 1)
        for j, sign in ((b + i, 1), (b - 1 - i, -1)):
            if not (alive and 0 <= j < n):
                continue
            if sign > 0:
                t = j
            else:
                s = j
            if (sure is not None and sure[j]) or fixed(j):
                continue
            states = states.merge(problem, j, sign)
            inc = states.improve(problem, inc)
            if card is None and len(states) > _CARD_AFTER:
                card = _Cardinality.of(W, S, cap)
            states = states.prune(problem, inc, s, t, card)
            if limit is not None and len(states) > limit:
                card = card or _Cardinality.of(W, S, cap)
                states, narrowed = states.narrow(problem, limit, card), True
            if isinstance(states, _Few) and len(states) > _ARRAYS_AFTER:
                states = states.arrays(problem.dtype)
            if problem.tree.size - problem.tree.compacted_at > _COMPACT_AFTER:
                live = problem.tree.compact(np.append(np.asarray(states.nodes(), dtype=np.int64), inc.node))
                states, inc = states.with_nodes(live[:-1]), attrs.evolve(inc, node=int(live[-1]))
            alive = len(states) > 0
    return inc, card, narrowed


def _fixed_from_start(problem: _Problem, inc: _Incumbent):
    """For each item, whether the first bound fixes it against *inc* (``None`` for a small problem, or one
    whose sums outgrow 64-bit numbers: each item is then tested as the core reaches it).

    An item fixed against the incumbent the search starts from is fixed against every later one, so the steps
    that would only pass over such items are skipped, in one array operation.  A later incumbent comes first:
    it scores more (by a whole unit at least), or the same for no more; the test (:func:`_reaches`) keeps an
    item when ``(sigma - score) * den + num * (cap - mu) >= min(den, num * (cap - cost))``, whose left side
    falls by ``den`` or more when the score rises by one, while the right side falls by at most ``den``; and
    at the same score the right side can only rise as the cost falls."""
    n = len(problem.W)
    if n <= _ARRAYS_AFTER or problem.dtype != "int64":
        return None
    W = np.asarray(problem.W, dtype=np.int64)
    S = np.asarray(problem.S, dtype=np.int64)
    sign = np.where(np.arange(n) >= problem.b, 1, -1)
    num, den, cap = problem.S[problem.b], problem.W[problem.b], problem.cap
    slack = (problem.sigma + sign * S - inc.score) * den + num * (cap - (problem.mu + sign * W))
    return slack < min(den, num * (cap - inc.cost))


def _padded(flags, length: int):
    """*flags* followed by ``True`` up to *length* (a side of the core that has run out has nothing to do)."""
    out = np.ones(length, dtype=bool)
    out[:len(flags)] = flags
    return out


def _reaches(sigma: int, mu: int, num: int, den: int, cap: int, inc: _Incumbent) -> bool:
    """Whether a state whose completions all satisfy ``score <= sigma + rho*(cost - mu)``
    (``rho = num/den >= 0``) may still come level with or beat the incumbent.

    Beating needs a score above the incumbent's, or the same score at a cost no higher.  The
    bound at ``cost <= cap`` gives the first; at the same score it gives
    ``cost >= cap - (bound - score) / rho``, so the state is kept when
    ``bound - inc.score >= min(1, rho * (cap - inc.cost))``.  (``prune`` does this for many states.)
    """
    return (sigma - inc.score) * den + num * (cap - mu) >= min(den, num * (cap - inc.cost))


@attrs.frozen
class _Cardinality:
    """The Lagrangian bound with the cut ``count <= kmax``, multipliers ``rho`` and ``lam``.

    With ``d_i = s_i - rho*w_i - lam`` (exact fractions, ``red``), ``gain[j]`` sums ``max(0, d_i)``
    over ``i >= j`` and ``loss[j]`` sums ``max(0, -d_i)`` over ``i < j``, kept as floats for the
    arrays; ``top = rho*cap + lam*kmax + gain[0]`` (exact) bounds the score of every set.
    """

    rho: float
    lam: float
    kmax: int
    red: list[Fraction]
    top: Fraction
    slope: Fraction  # rho, exactly
    gain: list[float]
    loss: list[float]

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
        rho_q, lam_q = Fraction(rho), Fraction(lam)  # exactly the floats found
        red = [s - rho_q * w - lam_q for w, s in zip(W, S)]
        gain = [Fraction(0)] * (len(W) + 1)
        for j in range(len(W) - 1, -1, -1):
            gain[j] = gain[j + 1] + max(0, red[j])
        loss = [Fraction(0)] * (len(W) + 1)
        for j, r in enumerate(red):
            loss[j + 1] = loss[j] + max(0, -r)
        top = rho_q * cap + lam_q * kmax + gain[0]
        return cls(rho, lam, kmax, red, top, rho_q, [float(g) for g in gain], [float(x) for x in loss])

    def value(self, states: _States) -> np.ndarray:
        """``sigma - rho*mu - lam*k`` of each state, in floating point (to rank them only)."""
        return states.sigma.astype(float) - self.rho * states.mu.astype(float) - self.lam * states.k.astype(float)

    def may_reach(self, states: _States, zs: int, slack: int, cap: int, s: int, t: int) -> np.ndarray:
        """For each state, False only where the bound shows it cannot come level with the incumbent.

        The bound is formed in floating point; a state is deleted only when it falls short by more
        than ``_TOLERANCE`` times the sum of the sizes of its terms (far beyond any rounding).
        """
        rho, lam = self.rho, self.lam
        need = min(1.0, rho * slack)
        rest = lam * self.kmax + self.gain[t + 1] + self.loss[s] - need
        gap = states.sigma.astype(float) - zs
        room = rho * (cap - states.mu.astype(float))
        count = lam * states.k.astype(float)
        size = np.abs(gap).max() + np.abs(room).max() + count.max() + abs(rest) + 1.0
        return gap + room - count + rest >= -_TOLERANCE * size

    def fixes(self, j: int, inside: bool, cap: int, inc: _Incumbent) -> bool:
        """Whether no set that moves item *j* (in the break solution if *inside*) can come level with
        or beat the incumbent: every set scores at most ``top``, less ``|d_j|`` when it holds *j*
        against the sign of ``d_j`` (exact fractions)."""
        r = self.red[j]
        if r == 0 or (r > 0) != inside:  # moving j goes with its sign: no loss to show
            return False
        return self.top - abs(r) - inc.score < min(1, self.slope * (cap - inc.cost))


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
