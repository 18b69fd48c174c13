#!/usr/bin/env python3
"""Benchmark of ``crg report``: whole-process time of each format, for the example round and for many proposals.

Run from the repository root (or anywhere; paths are taken from this file)::

    python bench/report_bench.py                  # the example round and 200 proposals, four formats each
    python bench/report_bench.py --quick          # one run each, 30 generated proposals (the tests run it)
    python bench/report_bench.py --sizes 200,1000 --runs 5 --json bench/out/report.json

For each case and each format (.html, .docx, .xlsx, .md) it runs the installed
``crg report RULES DIR -o FILE`` as a new process, once to warm the file cache
and then ``--runs`` times, and reports the median and the largest wall-clock
time and the median CPU time (user + system) of the process.  The generated
proposals are those of ``bench/screen_bench.py`` (the same seed gives the same
ones), written as YAML files for ``rules/kcsp-2026-27.yaml``.  The machine's
load average is printed before and after: other work on the CPUs makes the
wall-clock figures larger than the CPU figures.  Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for path in (str(ROOT), str(HERE)):
    if path not in sys.path:
        sys.path.insert(0, path)

import yaml  # noqa: E402
from tabulate import tabulate  # noqa: E402

from engine import fmt  # noqa: E402
from engine.inputs.round import load_round  # noqa: E402
from screen_bench import DEFAULT_SEED, crg_command, generate, load_average  # noqa: E402

RULES = ROOT / "rules" / "kcsp-2026-27.yaml"
EXAMPLES = ROOT / "proposals" / "2026-27-example"
FORMATS = (".html", ".docx", ".xlsx", ".md")


def proposal_yaml(p) -> str:
    """A generated proposal as the YAML file a partner would send."""
    data = {
        "id": p.id, "title": p.title, "lead_agency": p.lead_agency, "partners": list(p.partners),
        "submitted": p.submitted.isoformat(), "pot": p.pot, "cost": fmt.money(p.cost),
        "pcc_priorities": list(p.pcc_priorities), "csa_priorities": list(p.csa_priorities),
        "cross_cutting": list(p.cross_cutting),
        "delivery": {"start": p.delivery.start.isoformat(), "end": p.delivery.end.isoformat()},
        "summary": p.summary, "illustrative": "yes",
    }
    if p.minimum_cost is not None:
        data["minimum_cost"] = fmt.money(p.minimum_cost)
    for field in ("outcomes", "evaluation", "reach", "notes"):
        if getattr(p, field) is not None:
            data[field] = getattr(p, field)
    if p.panel:
        data["panel"] = dict(p.panel)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def write_round(folder: Path, n: int, seed: int) -> Path:
    round_ = load_round(RULES)
    for proposal, _ in generate(round_, n, seed):
        (folder / proposal.file).write_text(proposal_yaml(proposal), encoding="utf-8")
    return folder


def time_report(proposals: Path, suffix: str, runs: int, out: Path, warm: bool = True) -> dict:
    target = out / f"recommendation{suffix}"
    cmd = crg_command() + ["report", str(RULES), str(proposals), "-o", str(target)]
    if warm:
        subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False)  # warm the file cache
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if done.returncode != 0:
            return {"error": (done.stderr.decode(errors="replace").strip().splitlines() or ["(no message)"])[-1]}
    return {"median_s": statistics.median(walls), "max_s": max(walls), "cpu_median_s": statistics.median(cpus),
            "runs": runs, "bytes": target.stat().st_size}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=None, help="numbers of generated proposals (default 200, 30 with --quick)")
    parser.add_argument("--runs", type=int, default=None, help="timed runs of each command (default 7, 1 with --quick)")
    parser.add_argument("--quick", action="store_true",
                        help="one run of each, no warm-up, 30 generated proposals: to check that the script works")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    args = parser.parse_args(argv)
    runs = args.runs or (1 if args.quick else 7)
    sizes = [int(s) for s in (args.sizes or ("30" if args.quick else "200")).split(",") if s]
    print(f"crg report, whole process; {runs} runs each; load average at start {load_average()}", file=sys.stderr)
    results, failed = [], False
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cases = [("example round (12 proposals)", EXAMPLES)]
        for n in sizes:
            folder = tmp / f"generated-{n}"
            folder.mkdir()
            cases.append((f"{n:,} generated proposals", write_round(folder, n, args.seed)))
        for name, folder in cases:
            for suffix in FORMATS:
                print(f"  {name} {suffix} ...", file=sys.stderr)
                figures = time_report(folder, suffix, runs, tmp, warm=not args.quick)
                failed |= "error" in figures
                results.append({"case": name, "format": suffix, **figures})
    rows = [[r["case"], r["format"], *(("error", r["error"], "", "") if "error" in r else
             (f"{r['median_s']:.2f}", f"{r['max_s']:.2f}", f"{r['cpu_median_s']:.2f}", f"{r['bytes']:,}"))]
            for r in results]
    print(tabulate(rows, ["case", "format", "median s", "max s", "CPU median s", "bytes"], tablefmt="github",
                      disable_numparse=True))
    print(f"\nload average at the end: {load_average()}; machine CPUs: {os.cpu_count()}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
