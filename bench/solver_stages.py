"""Time general exact solvers on the selection's first two keys, beside ``optimal``.

Run:  python bench/solver_stages.py [--kind hard] [--size 100] [--rounds 4] [--limit 60] [--quick]

``optimal`` chooses the set with the most score, then the least cost, then the first by rank.
A general solver can only be given those keys one after another: stage 1 maximises the score
within the budget; stage 2 fixes the score at stage 1's optimum and minimises the cost.  This
script gives the same generated rounds as ``bench/select_bench.py`` (same kinds, same seeds) to
HiGHS (``pip install highspy``) and OR-Tools CP-SAT (``pip install ortools``), whichever is
importable, with the relative and absolute gaps set to zero and a time limit per stage, and
prints each stage's status, time and value beside ``optimal``'s time and answer (which also
settles the third key).  A stage that reports anything but optimal, or a value other than
``optimal``'s, is marked.  Nothing here is imported by ``engine/``; no timing is asserted.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from tabulate import tabulate

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.decision.select import Item, optimal  # noqa: E402
from select_bench import KINDS, generate  # noqa: E402


def highs_stages(items: list[Item], budget: int, limit: float):
    """HiGHS on the two stages: ``[(status, seconds, value), ...]``."""
    import highspy
    import numpy as np

    cost = [item.cost for item in items]
    score = [item.score for item in items]

    def solve(objective, rows, lower, upper, maximise):
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 0.0)
        h.setOptionValue("time_limit", float(limit))
        h.setOptionValue("threads", 1)
        n = len(objective)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, len(rows)
        lp.col_cost_ = np.array(objective, dtype=float)
        lp.col_lower_, lp.col_upper_ = np.zeros(n), np.ones(n)
        lp.row_lower_, lp.row_upper_ = np.array(lower, dtype=float), np.array(upper, dtype=float)
        lp.sense_ = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n
        matrix = highspy.HighsSparseMatrix()
        matrix.format_ = highspy.MatrixFormat.kRowwise
        matrix.start_ = [k * n for k in range(len(rows) + 1)]
        matrix.index_ = [j for _ in rows for j in range(n)]
        matrix.value_ = np.array([v for row in rows for v in row], dtype=float)
        matrix.num_col_, matrix.num_row_ = n, len(rows)
        lp.a_matrix_ = matrix
        h.passModel(lp)
        start = time.perf_counter()
        h.run()
        seconds = time.perf_counter() - start
        status = h.modelStatusToString(h.getModelStatus())
        x = [round(v) for v in h.getSolution().col_value] if status == "Optimal" else None
        return status, seconds, x

    status, seconds, x = solve(score, [cost], [0], [budget], True)
    first = sum(s for s, take in zip(score, x) if take) if x else None
    out = [(status, seconds, first)]
    if first is not None:
        status, seconds, x = solve(cost, [cost, score], [0, first], [budget, 1e30], False)
        out.append((status, seconds, sum(c for c, take in zip(cost, x) if take) if x else None))
    return out


def cpsat_stages(items: list[Item], budget: int, limit: float):
    """OR-Tools CP-SAT on the two stages: ``[(status, seconds, value), ...]``."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x = [model.NewBoolVar(item.id) for item in items]
    total_cost = sum(item.cost * v for item, v in zip(items, x))
    total_score = sum(item.score * v for item, v in zip(items, x))
    model.Add(total_cost <= budget)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = limit
    solver.parameters.num_workers = 1
    solver.parameters.relative_gap_limit = 0.0
    solver.parameters.absolute_gap_limit = 0.0
    out = []
    model.Maximize(total_score)
    start = time.perf_counter()
    status = solver.StatusName(solver.Solve(model))
    first = int(solver.ObjectiveValue()) if status == "OPTIMAL" else None
    out.append((status.capitalize(), time.perf_counter() - start, first))
    if first is not None:
        model.Add(total_score >= first)
        model.Minimize(total_cost)
        start = time.perf_counter()
        status = solver.StatusName(solver.Solve(model))
        second = int(solver.ObjectiveValue()) if status == "OPTIMAL" else None
        out.append((status.capitalize(), time.perf_counter() - start, second))
    return out


def solvers() -> dict:
    found = {}
    try:
        import highspy  # noqa: F401

        found["HiGHS"] = highs_stages
    except ImportError:
        pass
    try:
        from ortools.sat.python import cp_model  # noqa: F401

        found["CP-SAT"] = cpsat_stages
    except ImportError:
        pass
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", default="hard", choices=KINDS)
    parser.add_argument("--size", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--limit", type=float, default=60.0, help="seconds per solver stage")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--only", choices=["HiGHS", "CP-SAT"], help="run one solver only")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 20 items, two rounds, 10 s per stage")
    args = parser.parse_args(argv)
    if args.quick:
        args.size, args.rounds, args.limit = 20, 2, 10.0
    found = {name: run for name, run in solvers().items() if args.only in (None, name)}
    if not found:
        print("neither highspy nor ortools is importable (pip install highspy ortools): timing optimal only\n")
    rng = random.Random(f"{args.seed}-{args.kind}-{args.size}")  # the rounds of select_bench.py
    rows = []
    for r in range(args.rounds):
        items, budget = generate(args.kind, args.size, rng)
        start = time.perf_counter()
        best = optimal(items, budget)
        ours = time.perf_counter() - start
        row = [r + 1, f"{ours:.3f}"]
        for name, stages in found.items():
            answers = stages(items, budget, args.limit)
            for (status, seconds, value), expected in zip(answers, (best.score, best.allocated)):
                mark = "" if status == "Optimal" and value == expected else " (differs)"
                row.append(f"{status}{mark} {seconds:.3f}")
            row += ["-"] * (2 - len(answers))
        rows.append(row)
        print(f"  done: round {r + 1}", file=sys.stderr, flush=True)
    headers = ["round", "optimal s"]
    for name in found:
        headers += [f"{name} stage 1 (score) s", f"{name} stage 2 (cost) s"]
    print(f"{args.kind}, {args.size} items, gaps 0, {args.limit:g} s limit per stage, one thread")
    print(tabulate(rows, headers=headers, tablefmt="github"))


if __name__ == "__main__":
    main()
