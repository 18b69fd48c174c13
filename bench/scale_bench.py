#!/usr/bin/env python3
"""Whole-process time and peak memory of ``crg screen`` from 12 to 10,000 proposals, beside their floors.

Run from the repository root (or anywhere; paths are taken from this file)::

    python bench/scale_bench.py                       # 12, 50, 200, 1,000 and 10,000 proposals
    python bench/scale_bench.py --quick               # smoke run: 12 and 20 proposals, one run each
    python bench/scale_bench.py --sizes 12,200 --repeat 3 --timeout 60

Each size is a round of proposals that all pass the 2026/27 rules (upfront bids of £300 to
£9,000 in whole pounds against an upfront allocation of £26,500), written as YAML files in a
temporary folder; 12 is the shipped example round.  For each size and policy it times the whole
process a user runs, ``crg screen rules/kcsp-2026-27.yaml DIR --format json --policy P`` (rank
only at 10,000), and measures its peak RSS; and, in the same run, two floors:

- the import floor: ``python -c "import durable.lang, yaml, attrs, tabulate"``, the libraries
  every ``crg`` run needs, started as a whole process;
- the read floor of each size: one Python process reading the same files with
  ``yaml.load(..., Loader=yaml.CSafeLoader)``.

Then ``crg sweep`` on the 200-proposal round, both policies.  Each process is started by a small
launcher (a Python without site packages, ``-S``) that times it and reads its peak RSS from
``os.wait4``, so that neither this script's memory nor the launcher's start-up is counted.  A
size and policy whose single run passes ``--timeout`` is stopped, reported, and not run again
(nor at larger sizes).  Medians of ``--repeat`` runs; peak RSS is the largest of the runs.
Nothing here asserts a time; the exit status is 1 only if a command failed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, crg_command, load_average, machine, shown  # noqa: E402

RULES = "rules/kcsp-2026-27.yaml"  # relative to ROOT
EXAMPLES = "proposals/2026-27-example"
SIZES = (12, 50, 200, 1_000, 10_000)
QUICK_SIZES = (12, 20)
POLICIES = ("rank", "optimal")
RANK_ONLY_FROM = 10_000  # sizes from which only --policy rank is run
SWEEP_SIZE = 200
DEFAULT_SEED = 20262027

IMPORTS = "import durable.lang, yaml, attrs, tabulate"
READ = ("import sys, pathlib, yaml\n"
        "for path in sorted(pathlib.Path(sys.argv[1]).glob('*.yaml')):\n"
        "    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)")
# runs argv[2:] and writes "exit-status seconds peak-rss-kb" to argv[1]
LAUNCH = ("import os, sys, time\n"
          "start = time.perf_counter()\n"
          "pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)\n"
          "_, status, usage = os.wait4(pid, 0)\n"
          "seconds = time.perf_counter() - start\n"
          "with open(sys.argv[1], 'w') as out:\n"
          "    out.write(f'{os.waitstatus_to_exitcode(status)} {seconds} {usage.ru_maxrss}')")


def note(text: str) -> None:
    """Progress, on stderr so that stdout holds only the report."""
    print(f"[scale] {text}", file=sys.stderr, flush=True)


# --- the rounds --------------------------------------------------------------------------------------

AGENCIES = ("Kent Police", "Kent County Council", "Kent Fire and Rescue Service", "Probation Service",
            "Dartford Borough Council", "Maidstone Borough Council", "Canterbury City Council",
            "Medway Council", "Swale Borough Council", "Thanet District Council")
PANEL = ("kent-police", "kcc", "district-councils", "kfrs", "probation")
TOPICS = ("mediation", "CCTV", "awareness training", "diversion activities", "reassurance events",
          "target-hardening kits", "school sessions", "webinars", "outreach", "victim support")


def write_round(folder: Path, n: int, seed: int) -> None:
    """*n* proposal files in *folder* that pass every rule of the 2026/27 round; the same for the same seed."""
    rules = yaml.load((ROOT / RULES).read_bytes(), Loader=yaml.CSafeLoader)
    priorities = rules["priorities"]
    pcc, csa, themes = (sorted(priorities[key]) for key in ("pcc", "csa", "cross_cutting"))
    due = str(rules["deadlines"]["proposals_due"])  # 2026-04-08
    rng = random.Random(f"{seed}-{n}")
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        topic, lead = rng.choice(TOPICS), rng.choice(AGENCIES)
        start_month = rng.randint(4, 9)
        panel = "".join(f"\n  {agency}: {rng.randint(1, 5)}" for agency in PANEL)
        text = (
            f"id: scale-{i:05d}\n"
            f"title: {topic.capitalize()} in district {i % 12 + 1}\n"
            f"lead_agency: {lead}\n"
            f"partners: [{', '.join(rng.sample(AGENCIES, 2))}]\n"
            f"submitted: 2026-03-{rng.randint(1, 31):02d}\n"
            f"pot: upfront\n"
            f"cost: £{rng.randint(300, 9_000):,}\n"
            f"pcc_priorities: [{', '.join(rng.sample(pcc, rng.randint(1, 2)))}]\n"
            f"csa_priorities: [{', '.join(rng.sample(csa, rng.randint(1, 2)))}]\n"
            f"cross_cutting: [{', '.join(rng.sample(themes, rng.randint(0, 2)))}]\n"
            f"delivery:\n  start: 2026-{start_month:02d}-01\n  end: 2027-{rng.randint(1, 3):02d}-{rng.randint(1, 28):02d}\n"
            f"summary: {lead} proposes {topic} for the 2026/27 round (proposals due {due}).\n"
            f"outcomes: Less harm from crime and anti-social behaviour through {topic}.\n"
            f"evaluation: Counts of people reached, and a survey before and after.\n"
            f"reach: {rng.randint(10, 5_000)}\n"
            f"panel:{panel}\n"
            f"illustrative: true\n"
        )
        (folder / f"scale-{i:05d}.yaml").write_text(text, encoding="utf-8")


# --- running a process ------------------------------------------------------------------------------


class Run:
    """One finished process: exit status, seconds, peak RSS in KB, and the end of its stderr."""

    def __init__(self, status: int, seconds: float, peak_kb: int, stderr: str):
        self.status, self.seconds, self.peak_kb, self.stderr = status, seconds, peak_kb, stderr


# Every command runs as on a user's machine, where Python keeps the modules it compiles: a shell that turns
# that off (PYTHONDONTWRITEBYTECODE) would have crg compile its own modules on every run, while the libraries of
# the floors came compiled from pip.  The warm-up run writes them.
RUN_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def launch(cmd: list[str], timeout: float, stdout: Path) -> Run | None:
    """Run *cmd* from the repository root through the launcher; None if it passed *timeout* and was stopped."""
    with tempfile.NamedTemporaryFile("r", suffix=".run") as figures, open(stdout, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-S", "-c", LAUNCH, figures.name, *cmd], cwd=ROOT, env=RUN_ENV,
                                stdout=out, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the launcher and the command it started
            proc.communicate()
            return None
        status, seconds, peak = figures.read().split()
    return Run(int(status), float(seconds), int(peak), err.decode(errors="replace").strip())


class Measure:
    """The runs of one command: median seconds and largest peak RSS, or why there are none."""

    def __init__(self, runs: list[Run], problem: str | None = None):
        self.runs, self.problem = runs, problem

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_kb for r in self.runs) / 1024

    def cell(self) -> tuple[str, str]:
        if self.problem:
            return self.problem, "-"
        return f"{self.seconds:.3f}", f"{self.peak_mb:.0f}"


def measure(cmd: list[str], repeat: int, timeout: float, stdout: Path, check=None) -> Measure:
    """*repeat* runs of *cmd* (the first stopped at *timeout* stops the rest); *check* reads the first output."""
    runs = []
    for _ in range(repeat):
        run = launch(cmd, timeout, stdout)
        if run is None:
            return Measure(runs, f"> {timeout:g} s")
        if run.status != 0:
            last = (run.stderr.splitlines() or ["(no message)"])[-1]
            return Measure(runs, f"FAILED (exit {run.status}: {last})")
        if check is not None and not runs:
            problem = check(stdout)
            if problem:
                return Measure(runs, f"FAILED ({problem})")
        runs.append(run)
    return Measure(runs)


def all_eligible(n: int):
    """A check that the JSON of ``crg screen`` holds *n* proposals, none of them ineligible."""

    def check(path: Path) -> str | None:
        doc = json.loads(path.read_bytes())
        statuses = [p["status"] for p in doc["proposals"]]
        if len(statuses) != n:
            return f"{len(statuses)} proposals in the output, not {n}"
        if "ineligible" in statuses:
            return f"{statuses.count('ineligible')} ineligible"
        return None

    return check


# --- the run ----------------------------------------------------------------------------------------


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", help="numbers of proposals, comma-separated (default 12,50,200,1000,10000); "
                                    "12 is the example round")
    ap.add_argument("--repeat", type=int, help="runs of each command (default 5, or 3 from 1,000 proposals)")
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds before a run is stopped (default 300)")
    ap.add_argument("--sweep-size", type=int, help=f"proposals of the crg sweep runs (default {SWEEP_SIZE})")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"seed of the generator (default {DEFAULT_SEED})")
    ap.add_argument("--quick", action="store_true", help="a smoke run: 12 and 20 proposals, one run each")
    ap.add_argument("--pipeline", type=int, metavar="N",
                    help="also time, once each, the rest of the pipeline on N proposals: crg sweep (JSON, and under "
                         "optimal), crg report in each format, crg record and crg report --run (20 with --quick)")
    args = ap.parse_args(argv)
    try:
        args.sizes = (tuple(sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()}))
                      if args.sizes else QUICK_SIZES if args.quick else SIZES)
    except ValueError:
        ap.error("--sizes takes whole numbers separated by commas, e.g. 12,200,1000")
    if not args.sizes or min(args.sizes) < 1:
        ap.error("--sizes must be positive")
    if args.sweep_size is None:
        args.sweep_size = QUICK_SIZES[-1] if args.quick else SWEEP_SIZE
    if args.quick and args.repeat is None:
        args.repeat = 1
    if args.quick and args.pipeline is None:
        args.pipeline = QUICK_SIZES[-1]
    if args.pipeline is not None and args.pipeline < 1:
        ap.error("--pipeline must be positive")
    return args


def repeats(args, n: int) -> int:
    return args.repeat or (3 if n >= 1_000 else 5)


def main(argv=None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    info = machine()
    crg = crg_command()
    python = sys.executable
    failed = False
    with tempfile.TemporaryDirectory(prefix="crg-scale-") as tmp:
        work = Path(tmp)
        out = work / "stdout"
        if not args.quick:
            note("warming up")
            for policy in POLICIES:
                subprocess.run(crg + ["screen", RULES, EXAMPLES, "--policy", policy], cwd=ROOT, env=RUN_ENV,
                               capture_output=True, check=False)
        note("import floor")
        imports = measure([python, "-c", IMPORTS], 3 if args.quick else 11, args.timeout, out)

        folders, rows, stopped = {}, {}, set()
        for n in args.sizes:
            folder = ROOT / EXAMPLES if n == 12 else work / f"round-{n}"
            if n != 12:
                note(f"writing {n:,} proposals")
                write_round(folder, n, args.seed)
            folders[n] = folder
            note(f"read floor, {n:,} files")
            rows[n] = {"read": measure([python, "-c", READ, str(folder)], repeats(args, n), args.timeout, out)}
            for policy in POLICIES:
                if n >= RANK_ONLY_FROM and policy != "rank":
                    continue
                if policy in stopped:
                    rows[n][policy] = Measure([], "not run")
                    continue
                note(f"crg screen, {n:,} proposals, --policy {policy}")
                check = None if n == 12 else all_eligible(n)
                rows[n][policy] = got = measure(
                    crg + ["screen", RULES, str(folder), "--format", "json", "--policy", policy],
                    repeats(args, n), args.timeout, out, check)
                if got.problem:
                    stopped.add(policy)
                    failed = failed or got.problem.startswith("FAILED")

        sweep_folder = folders.get(args.sweep_size)
        if sweep_folder is None:
            sweep_folder = work / f"round-{args.sweep_size}"
            write_round(sweep_folder, args.sweep_size, args.seed)
        sweeps = {}
        for policy in POLICIES:
            note(f"crg sweep, {args.sweep_size:,} proposals, --policy {policy}")
            sweeps[policy] = measure(crg + ["sweep", RULES, str(sweep_folder), "--policy", policy],
                                     repeats(args, args.sweep_size), args.timeout, out)
            failed = failed or (sweeps[policy].problem or "").startswith("FAILED")

        pipeline = []
        if args.pipeline is not None:
            folder = folders.get(args.pipeline)
            if folder is None:
                folder = work / f"round-{args.pipeline}"
                write_round(folder, args.pipeline, args.seed)
            pipeline = run_pipeline(crg, folder, work, args)
            failed = failed or any((got.problem or "").startswith("FAILED") for _, got, _ in pipeline)

    print(report(args, info, crg, imports, rows, sweeps, pipeline, time.perf_counter() - started))
    return 1 if failed else 0


def run_pipeline(crg: list[str], folder: Path, work: Path, args) -> list[tuple[str, "Measure", float | None]]:
    """The rest of the pipeline on the round in *folder*, each command run once: ``(command, its measure, MB it
    wrote)``, what it wrote being its output file, its standard output, or what the register grew by."""
    out, register = work / "pipeline-stdout", work / "crg.db"
    written = work / "written"
    found = []

    def timed(label: str, cmd: list[str], target: Path) -> None:
        note(label)
        before = register.stat().st_size if target == register and register.exists() else 0
        got = measure(cmd, 1, args.timeout, out)
        size = (target.stat().st_size - before) / 2**20 if not got.problem and target.exists() else None
        found.append((label, got, size))

    for policy, fmt in (("rank", ["--format", "json"]), ("optimal", [])):
        timed(f"crg sweep --policy {policy}" + (" --format json" if fmt else ""),
              crg + ["sweep", RULES, str(folder), "--policy", policy, *fmt], out)
    for suffix in (".html", ".docx", ".xlsx", ".md"):
        target = written.with_suffix(suffix)
        timed(f"crg report -o FILE{suffix}", crg + ["report", RULES, str(folder), "-o", str(target)], target)
    timed("crg record", crg + ["record", RULES, str(folder), "--register", str(register), "--by", "bench",
                                "--note", "bench"], register)
    target = written.with_suffix(".run.html")
    timed("crg report --run 1 -o FILE.html", crg + ["report", "--run", "1", "--register", str(register), "-o",
                                                     str(target)], target)
    return found


# --- the report -------------------------------------------------------------------------------------


def ratio(measure: Measure, floor: Measure) -> str:
    if measure.problem or floor.problem:
        return "-"
    return f"{measure.seconds / floor.seconds:.1f}×"


def report(args, info, crg, imports: Measure, rows: dict, sweeps: dict, pipeline: list, took: float) -> str:
    lines = []
    say = lines.append
    say("crg scale benchmark")
    say("===================")
    say(f"python {info['python']}; {info['platform']}; {info['cpu']}, {info['cpus_usable'] or info['cpu_count']} "
        f"CPU(s) usable")
    say(f"crg {info['crg']}, commit {info['commit'] or '?'}; durable-rules {info['durable_rules']}; {info['date']}")
    say(f"load average {info['load_average_start']} at start, {load_average()} at end (1, 5, 15 min)")
    say(f"command: {shown(crg[0])} screen {RULES} DIR --format json --policy P, from the repository root; "
        f"seed {args.seed}; timeout {args.timeout:g} s")
    say("")
    say(f"import floor (`python -c \"{IMPORTS}\"`): {imports.cell()[0]} s, peak {imports.cell()[1]} MB "
        f"(median of {len(imports.runs)})")
    say("")
    say("| proposals | runs | rank s | rank peak MB | optimal s | optimal peak MB | read floor s | read floor peak MB "
        "| rank / read floor | optimal / read floor |")
    say("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n, row in rows.items():
        rank = row.get("rank", Measure([], "not run"))
        best = row.get("optimal", Measure([], "rank only" if n >= RANK_ONLY_FROM else "not run"))
        label = f"{n:,}" + (" (example round)" if n == 12 else "")
        say(f"| {label} | {repeats(args, n)} | {' | '.join(rank.cell())} | {' | '.join(best.cell())} | "
            f"{' | '.join(row['read'].cell())} | {ratio(rank, row['read'])} | {ratio(best, row['read'])} |")
    say("")
    say(f"Seconds: median of the runs of the whole process; peak MB: the largest peak RSS (ru_maxrss) of a run. "
        f"\"> {args.timeout:g} s\": the first run was stopped there, and larger sizes of that policy were not run.")
    say("")
    say(f"crg sweep, {args.sweep_size:,} proposals (table output)")
    say("")
    say("| policy | runs | seconds | peak MB |")
    say("|---|---:|---:|---:|")
    for policy, got in sweeps.items():
        say(f"| {policy} | {len(got.runs)} | {' | '.join(got.cell())} |")
    if pipeline:
        say("")
        say(f"The rest of the pipeline, {args.pipeline:,} proposals (policy rank unless named; one run each)")
        say("")
        say("| command | seconds | peak MB | written MB |")
        say("|---|---:|---:|---:|")
        for label, got, size in pipeline:
            say(f"| {label} | {' | '.join(got.cell())} | {'-' if size is None else f'{size:.2f}'} |")
        say("")
        say("Written: the file written, the standard output, or what the register grew by (crg record).")
    say("")
    say("Against the targets of the scale work")
    say("")
    for line in targets(rows, imports, sweeps, args.sweep_size):
        say(f"- {line}")
    say("")
    say(f"(benchmark took {took:.0f} s)")
    return "\n".join(lines)


def targets(rows: dict, imports: Measure, sweeps: dict, sweep_size: int) -> list[str]:
    """Each target of the scale work, with the figure of this run and whether it is met."""
    def verdict(ok: bool) -> str:
        return "met" if ok else "not met"

    out = []
    example = rows.get(12, {}).get("rank")
    if example and not example.problem and not imports.problem:
        times = example.seconds / imports.seconds
        out.append(f"example round, rank: {example.seconds:.3f} s, {times:.1f}× the import floor "
                   f"(target at most 2×): {verdict(times <= 2)}")
    for policy in POLICIES:
        got = rows.get(1_000, {}).get(policy)
        if got is not None:
            read = rows[1_000]["read"]
            if got.problem or read.problem:
                out.append(f"1,000 proposals, {policy}: {got.problem or read.problem} (target at most 5× the read "
                           f"floor): not met")
            else:
                times = got.seconds / read.seconds
                out.append(f"1,000 proposals, {policy}: {got.seconds:.2f} s, {times:.1f}× the read floor "
                           f"(target at most 5×): {verdict(times <= 5)}")
    big, base = rows.get(10_000, {}).get("rank"), rows.get(1_000, {}).get("rank")
    if big is not None:
        if big.problem or base is None or base.problem:
            out.append(f"10,000 proposals, rank: {big.problem or 'no 1,000 figure'} (target at most 12× the "
                       f"1,000 time, peak under 200 MB): not met")
        else:
            times = big.seconds / base.seconds
            out.append(f"10,000 proposals, rank: {big.seconds:.2f} s, {times:.1f}× the 1,000 time (target at most "
                       f"12×), peak {big.peak_mb:.0f} MB (target under 200 MB): "
                       f"{verdict(times <= 12 and big.peak_mb < 200)}")
    if sweep_size == SWEEP_SIZE:
        for policy, limit in (("rank", 1.0), ("optimal", 3.0)):
            got = sweeps[policy]
            figure = got.problem or f"{got.seconds:.2f} s"
            out.append(f"crg sweep, 200 proposals, {policy}: {figure} (target under {limit:g} s): "
                       f"{verdict(not got.problem and got.seconds < limit)}")
    return out


if __name__ == "__main__":
    sys.exit(main())
