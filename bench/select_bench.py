"""Time ``optimal`` and ``rank_walk`` on generated rounds, beside pabutools' exact welfare rule if installed.

Run:  python bench/select_bench.py [--kinds unrelated,hard] [--sizes 10,100,1000] [--rounds 5] [--cap 60]
                                   [--without-pabutools] [--quick]

Five kinds of round, costs in pence up to 10^8, budget half the total cost:

- ``unrelated``: score 0..10,000, drawn apart from the cost;
- ``proportional``: score about cost / 10^4, times a factor drawn from 0.9..1.1 in steps of 10^-6;
- ``proportional-21``: the same with the factor in steps of 0.01, so the items fall into 21
  classes of (almost) equal score per penny: within a class the bounds cannot tell sets
  apart, and the search becomes a subset-sum over the class;
- ``hard``: the strongly correlated case, score = cost // 500 + 1000;
- ``panel``: integer panel-like scores 0..25, many ties.

"optimal / fastest pabutools" compares the medians; "worst round" is the largest, over the rounds,
of ``optimal``'s time over the fastest pabutools method's time on that same round (``<x`` when
every pabutools method was stopped at the cap on it, so the true ratio is below ``x``).

Each call runs in a child process of its own (its own process group, so a solver it starts
goes with it) and is stopped after ``--cap`` seconds; a stopped call counts as slower than any
finished one, and a median that lands on one is shown as ``>cap``.  When pabutools is
importable (``pip install pabutools``: GPL, used here only), its rule
``max_additive_utilitarian_welfare`` is timed with both of its exact inner algorithms on the
same rounds, through a one-voter cardinal profile whose scores are ours
(``Additive_Cardinal_Sat``), so the welfare of each project is its score; each finished answer
is checked to have the same total score as ours.  No timing is asserted.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import os
import random
import signal
import statistics
import sys
import time
from pathlib import Path

from tabulate import tabulate

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.decision.select import Item, optimal, rank_walk  # noqa: E402

KINDS = ("unrelated", "proportional", "proportional-21", "hard", "panel")
MAX_COST = 10**8


def generate(kind: str, n: int, rng: random.Random) -> tuple[list[Item], int]:
    """A round of *n* items of *kind* and its budget (half the total cost)."""
    items = []
    for k in range(n):
        cost = rng.randint(1, MAX_COST)
        if kind == "unrelated":
            score = rng.randint(0, 10_000)
        elif kind == "proportional":
            score = cost * rng.randint(900_000, 1_100_000) // 10**11
        elif kind == "proportional-21":
            score = cost // 10**4 * rng.randint(90, 110) // 100
        elif kind == "hard":
            score = cost // 500 + 1000
        else:
            score = rng.randint(0, 25)
        items.append(Item(f"p{k}", cost, score))
    return items, sum(item.cost for item in items) // 2


def pabutools_methods():
    """``{name: function(items, budget) -> total score}`` for pabutools' two exact methods, or ``{}``."""
    try:
        from pabutools.election import Additive_Cardinal_Sat, CardinalBallot, CardinalProfile, Instance, Project
        from pabutools.rules import MaxAddUtilWelfareAlgo, max_additive_utilitarian_welfare
    except ImportError:
        return {}

    def run(algo):
        def solve(items: list[Item], budget: int) -> int:
            projects = {item.id: Project(item.id, item.cost) for item in items}
            instance = Instance(projects.values(), budget_limit=budget)
            ballot = CardinalBallot({projects[item.id]: item.score for item in items})
            profile = CardinalProfile([ballot], instance=instance)
            chosen = max_additive_utilitarian_welfare(
                instance, profile, sat_class=Additive_Cardinal_Sat, inner_algo=algo
            )
            by_id = {item.id: item for item in items}
            return sum(by_id[p.name].score for p in chosen)

        return solve

    return {
        "pabutools primal-dual": run(MaxAddUtilWelfareAlgo.PRIMAL_DUAL),
        "pabutools ILP (CBC)": run(MaxAddUtilWelfareAlgo.ILP_SOLVER),
    }


def _child(queue, solve, items, budget):
    os.setpgrp()  # a solver started from here shares our group and is stopped with us
    sys.setrecursionlimit(100_000)
    start = time.perf_counter()
    score = solve(items, budget)
    queue.put((time.perf_counter() - start, score))


def timed(solve, items: list[Item], budget: int, cap: float) -> tuple[float, int | None]:
    """Seconds taken by ``solve(items, budget)`` in a child process and its answer (``inf, None`` past *cap*)."""
    queue = multiprocessing.Queue()
    child = multiprocessing.Process(target=_child, args=(queue, solve, items, budget))
    child.start()
    try:
        return queue.get(timeout=cap)
    except Exception:  # queue.Empty past the cap, or the child died
        return math.inf, None
    finally:
        if child.is_alive():
            try:
                os.killpg(child.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        child.join()


def ours_optimal(items: list[Item], budget: int) -> int:
    return optimal(items, budget).score


def ours_rank(items: list[Item], budget: int) -> int:
    return rank_walk(items, budget).score


def shown(seconds: float, cap: float) -> str:
    return f">{cap:g} s" if math.isinf(seconds) else f"{seconds * 1000:.2f}"


def ratio_of(ours: float, theirs: float, cap: float) -> tuple[float, bool]:
    """``ours / theirs`` and whether it is only an upper bound (theirs was stopped at the cap)."""
    if math.isinf(ours):
        return math.inf, False
    if math.isinf(theirs):
        return ours / cap, True
    return ours / theirs, False


def shown_ratio(ratio: tuple[float, bool]) -> str:
    value, below = ratio
    return "-" if math.isinf(value) else f"{'<' if below else ''}{value:.3g}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kinds", default=",".join(KINDS), help="kinds of round, comma-separated")
    parser.add_argument("--sizes", default="10,100,1000", help="round sizes, comma-separated")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per kind and size")
    parser.add_argument("--cap", type=float, default=60.0, help="seconds before a call is stopped")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--without-pabutools", action="store_true", help="time crg only")
    parser.add_argument("--quick", action="store_true", help="a smoke run: every kind, sizes 10,30, two rounds")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.rounds, args.cap = "10,30", 2, 30.0
    sizes = [int(size) for size in args.sizes.split(",")]
    others = {} if args.without_pabutools else pabutools_methods()
    methods = {"optimal": ours_optimal, "rank_walk": ours_rank, **others}
    if not others and not args.without_pabutools:
        print("pabutools is not importable: timing crg only (pip install pabutools to compare)\n")

    rows = []
    for kind in args.kinds.split(","):
        if kind not in KINDS:
            parser.error(f"unknown kind {kind!r}: choose from {', '.join(KINDS)}")
        for n in sizes:
            rng = random.Random(f"{args.seed}-{kind}-{n}")
            times = {name: [] for name in methods}
            agree = finished = 0
            for _ in range(args.rounds):
                items, budget = generate(kind, n, rng)
                best = None
                for name, solve in methods.items():
                    seconds, score = timed(solve, items, budget, args.cap)
                    times[name].append(seconds)
                    if name == "optimal":
                        best = score
                    elif name in others and score is not None and best is not None:
                        finished += 1
                        agree += score == best
            medians = {name: statistics.median(values) for name, values in times.items()}
            row = [kind, n, shown(max(times["optimal"]), args.cap)]
            row += [shown(medians[name], args.cap) for name in methods]
            if others:
                fastest = min(medians[name] for name in others)
                each = [
                    ratio_of(times["optimal"][r], min(times[name][r] for name in others), args.cap)
                    for r in range(args.rounds)
                ]
                row += [
                    shown_ratio(ratio_of(medians["optimal"], fastest, args.cap)),
                    shown_ratio(max(each, key=lambda x: (x[0], x[1]))),
                    f"{agree}/{finished}",
                ]
            rows.append(row)
            print(f"  done: {kind} {n}", file=sys.stderr, flush=True)

    headers = ["kind", "items", "optimal max ms"] + [f"{name} ms" for name in methods]
    if others:
        headers += ["optimal / fastest pabutools (medians)", "worst round", "same total score"]
    print(f"median over {args.rounds} rounds each; costs up to 10^8 pence; budget half the total cost")
    print(tabulate(rows, headers=headers, tablefmt="github"))


if __name__ == "__main__":
    main()
