"""Time ``sweep`` for both policies on generated rounds of realistic grant proposals.

Run:  python bench/sweep_bench.py [--sizes 15,50,200] [--rounds 5] [--quick]

Costs are £400 to £12,000 with pence parts (40,000 to 1,200,000 pence), scores 0 to 10,000
units drawn apart from the cost, and the sweep covers every budget from 0 to the total cost.
Printed: the median seconds and the median number of intervals (one more than the number of
budgets at which the choice changes).  No timing is asserted.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

from tabulate import tabulate

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.decision.select import POLICIES, Item  # noqa: E402
from engine.decision.sweep import sweep  # noqa: E402


def generate(n: int, rng: random.Random) -> list[Item]:
    """A round of *n* proposals with realistic costs and scores."""
    return [Item(f"p{k}", rng.randint(40_000, 1_200_000), rng.randint(0, 10_000)) for k in range(n)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="15,50,200", help="round sizes, comma-separated")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per size")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--quick", action="store_true", help="a smoke run: sizes 15,50, two rounds each")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.rounds = "15,50", 2

    rows = []
    for n in [int(size) for size in args.sizes.split(",")]:
        rng = random.Random(f"{args.seed}-{n}")
        rounds = [generate(n, rng) for _ in range(args.rounds)]
        for policy in POLICIES:
            seconds, counts = [], []
            for items in rounds:
                start = time.perf_counter()
                intervals = sweep(items, policy)
                seconds.append(time.perf_counter() - start)
                counts.append(len(intervals))
            total = statistics.median(sum(item.cost for item in items) for items in rounds)
            rows.append([
                n, policy, f"£{total / 100:,.0f}", statistics.median(counts), min(counts), max(counts),
                f"{statistics.median(seconds) * 1000:.1f}", f"{max(seconds) * 1000:.1f}",
            ])
    print(f"sweep over every budget from 0 to the total cost, in pence; {args.rounds} rounds each")
    print(tabulate(
        rows,
        headers=["items", "policy", "median total", "intervals (median)", "min", "max", "median ms", "max ms"],
        tablefmt="github",
    ))


if __name__ == "__main__":
    main()
