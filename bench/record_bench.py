#!/usr/bin/env python3
"""What keeping a run costs: ``crg record`` against ``crg screen`` on the example round, whole process.

Run from anywhere (paths are taken from this file)::

    python bench/record_bench.py                 # 11 runs of each command
    python bench/record_bench.py --runs 31 --json bench/out/record.json

Each run of each command is one process, timed from start to exit with
``time.perf_counter``.  The commands take turns (screen, record, screen,
record, ...), after one untimed run of each, so that both see the same state
of the machine; the register is a new file in a temporary folder, so it holds
the runs recorded so far (about as many as ``--runs``).  After them, the
commands that read the register are timed the same way.  The figures are
medians; nothing is asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULES = "rules/kcsp-2026-27.yaml"
EXAMPLES = "proposals/2026-27-example"
LIMIT = 0.2  # seconds record may take beyond screen (issue 12)


def crg() -> list[str]:
    """The ``crg`` of this Python's environment, else one on PATH."""
    beside = Path(sys.executable).parent / "crg"
    found = str(beside) if beside.exists() else shutil.which("crg")
    return [found] if found else [sys.executable, "-c", "from engine.cli import main; main()"]


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, check=False)
    took = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.decode(errors='replace')}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=None, help="timed runs of each command (default 11, 1 with --quick)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: one timed run of each command")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    args = parser.parse_args()
    if args.runs is None:
        args.runs = 1 if args.quick else 11

    base = crg()
    with tempfile.TemporaryDirectory(prefix="crg-record-bench-") as folder:
        env = dict(os.environ, CRG_REGISTER=str(Path(folder) / "crg.db"))
        screen = base + ["screen", RULES, EXAMPLES]
        record = base + ["record", RULES, EXAMPLES, "--by", "bench"]
        timed(screen, env), timed(record, env)  # warm the file cache and make the register
        times: dict[str, list[float]] = {"screen": [], "record": []}
        for _ in range(args.runs):
            times["screen"].append(timed(screen, env))
            times["record"].append(timed(record, env))
        for name in ("history", "show 1", "replay 1", "verify"):
            times[name] = [timed(base + name.split(), env) for _ in range(args.runs)]
        held = sum(p.stat().st_size for p in Path(folder).glob("crg.db*"))

    medians = {name: statistics.median(t) for name, t in times.items()}
    extra = medians["record"] - medians["screen"]
    figures = {
        "machine": {"platform": platform.platform(), "python": platform.python_version(),
                    "cpus": os.cpu_count(), "load_average": os.getloadavg()},
        "runs": args.runs,
        "median_s": medians,
        "min_s": {name: min(t) for name, t in times.items()},
        "record_minus_screen_s": extra,
        "register_bytes": held,
    }
    print(f"{platform.platform()}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{args.runs} runs of each command on {EXAMPLES} (whole process, median and fastest):\n")
    for name in times:
        print(f"  crg {name:<9} {medians[name]:6.3f} s   {figures['min_s'][name]:6.3f} s")
    print(f"\nrecord - screen: {extra:+.3f} s (median of each); "
          f"{'within' if extra <= LIMIT else 'more than'} {LIMIT} s. "
          f"Register after {args.runs + 1} runs: {held / 1024:.0f} KiB.")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
