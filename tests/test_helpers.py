"""Tests of engine.decision.helpers: work shared out to forked helper processes gives what this process would have
worked out itself, whatever happens to a helper; and the counterfactuals under optimal are the same with or
without helpers, byte for byte."""

from __future__ import annotations

import os
import sys

import pytest

from engine.decision import helpers
from engine.decision.helpers import LEAST, Shared
from engine.inputs.proposal import load_proposals
from engine.inputs.round import load_round
from engine.outputs import report

from .conftest import REPO, ROUNDS

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="helpers are forked on Linux only")

PARENT = os.getpid()


def square(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


class TestShared:
    def test_as_worked_out_here(self):
        """Every key's result, worked out by helpers (other processes), the same as here."""
        keys = list(range(3 * LEAST))
        seen = []
        with Shared(square, keys, helpers=2) as shared:
            found = shared.results(lambda done, total: seen.append((done, total)))
        assert {k: v[0] for k, v in found.items()} == {k: k * k for k in keys}
        assert {pid for _, pid in found.values()} - {os.getpid()}  # the work was done elsewhere
        assert seen[-1][0] == seen[-1][1] and [d for d, _ in seen] == sorted(d for d, _ in seen)

    def test_this_process_takes_its_share(self):
        """Waiting for the results, this process works out the last pieces no helper has begun: both did some,
        and every key once."""
        import time

        def slow(n: int) -> tuple[int, int]:
            time.sleep(0.005)
            return square(n)

        keys = list(range(2 * LEAST))
        with Shared(slow, keys, helpers=1) as shared:
            found = shared.results()
        assert {k: v[0] for k, v in found.items()} == {k: k * k for k in keys}
        by = {pid for _, pid in found.values()}
        assert os.getpid() in by and len(by) == 2
        assert found[keys[-1]][1] == os.getpid()  # the last piece is this process's

    def test_little_work_done_here(self):
        """Below LEAST keys, or with no helper, nothing is forked and the work is done here, counted key by key."""
        for keys, helpers_ in ((list(range(LEAST - 1)), 2), (list(range(2 * LEAST)), 0)):
            seen = []
            with Shared(square, keys, helpers=helpers_) as shared:
                assert shared.pool is None
                found = shared.results(lambda done, total: seen.append((done, total)))
            assert {pid for _, pid in found.values()} == {os.getpid()}
            assert seen == [(i, len(keys)) for i in range(1, len(keys) + 1)]

    def test_a_helper_stopped(self):
        """A helper killed from outside (out of memory, say) loses nothing: what it was given is worked out here."""
        def dies(n: int) -> int:
            if os.getpid() != PARENT and n == 5:
                os._exit(9)
            return n + 1

        keys = list(range(2 * LEAST))
        with Shared(dies, keys, helpers=2) as shared:
            assert shared.results() == {k: k + 1 for k in keys}

    def test_a_failure_is_raised(self):
        """A task that fails in a helper fails the same way here."""
        def fails(n: int) -> int:
            if n == 7:
                raise ValueError("seven")
            return n

        with pytest.raises(ValueError, match="seven"):
            with Shared(fails, list(range(2 * LEAST)), helpers=2) as shared:
                shared.results()

    @pytest.mark.parametrize("given, count", [("0", 0), ("3", 3), (" 2 ", 2)])
    def test_number_from_the_environment(self, monkeypatch, given, count):
        """CRG_HELPERS sets how many helpers are forked; 0 forks none."""
        monkeypatch.setenv("CRG_HELPERS", given)
        assert helpers.available() == count

    @pytest.mark.parametrize("given", ["two", "-1", "1.5", "65"])
    def test_a_number_that_is_not_one(self, monkeypatch, given):
        """A CRG_HELPERS that is not a whole number up to 64 is a mistake, in one message, under optimal."""
        from .test_cli import crg

        monkeypatch.setenv("CRG_HELPERS", given)
        result = crg("screen", *ROUNDS["kcsp-2026-27"], "--policy", "optimal")
        assert (result.exit_code, result.stdout) == (2, "")
        assert result.stderr.endswith(f"Error: CRG_HELPERS: '{given}' is not a number of helper processes\n"
                                      "  fix: set a whole number from 0 (none) to 64, or unset it\n")

    def test_as_many_as_the_processors_allow(self, monkeypatch):
        """Unset, one helper for each processor this process may use but its own, and at most MOST."""
        monkeypatch.delenv("CRG_HELPERS", raising=False)
        usable = min(len(os.sched_getaffinity(0)), helpers._quota())
        assert helpers.available() == max(min(usable, helpers.MOST + 1) - 1, 0)

    def test_helpers_end_with_the_command(self, tmp_path):
        """Killed (SIGKILL: nothing of it runs after), the command's helpers end too, and a pipe reading its output
        ends: no helper keeps it open."""
        import signal
        import subprocess
        import time

        script = tmp_path / "slow.py"
        script.write_text(
            "import os, sys, time\n"
            "from engine.decision.helpers import Shared\n"
            "def slow(n):\n"
            "    time.sleep(0.2)\n"
            "    return n\n"
            "with Shared(slow, list(range(400)), helpers=2) as shared:\n"
            "    time.sleep(0.5)\n"
            "    print(' '.join(str(pid) for pid in shared.pool._processes), flush=True)\n"
            "    shared.results()\n", encoding="utf-8")
        command = subprocess.Popen([sys.executable, str(script)], cwd=REPO, stdout=subprocess.PIPE,
                                   env={**os.environ, "PYTHONPATH": str(REPO)})
        pids = [int(pid) for pid in command.stdout.readline().split()]
        assert len(pids) == 2
        command.send_signal(signal.SIGKILL)
        command.wait(timeout=10)
        import select

        readable, _, _ = select.select([command.stdout], [], [], 10)  # (a pipe held open would never end)
        assert readable and command.stdout.read() == b"", "a helper holds the command's output open"
        deadline = time.monotonic() + 10
        while any(_running(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in pids if _running(pid)]


def _running(pid: int) -> bool:
    """Whether process *pid* is there and not a zombie (one ended, waiting to be reaped)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


class TestSameFigures:
    def test_optimal_with_and_without_helpers(self, tmp_path, monkeypatch):
        """Under optimal, on generated rounds of 80 and 150 proposals at two allocations, with and without reduced
        offers, the JSON with every figure is the same with two helpers as with none."""
        import attrs

        from engine.decision.shortlist import decide

        sys.path.insert(0, str(REPO / "bench"))
        from scale_bench import write_round

        base = load_round(ROUNDS["kcsp-2026-27"][0])
        for n in (80, 150):
            write_round(tmp_path / f"g{n}", n, 7 + n)
            proposals = load_proposals(tmp_path / f"g{n}")
            for upfront in (base.upfront, base.upfront * 3):
                for offers in (False, True):
                    round_ = attrs.evolve(base, reduced_offers=offers)
                    made = {}
                    for count in ("0", "2"):
                        monkeypatch.setenv("CRG_HELPERS", count)
                        made[count] = report.outcome_json(decide(round_, proposals, policy="optimal", upfront=upfront))
                    assert made["0"] == made["2"], (n, upfront, offers)


def test_stopped_at_once_when_the_command_stops(tmp_path):
    """When the work is not wanted (Ctrl-C, or any failure of the command), the helpers are killed at once, not
    left to finish the pieces they were given."""
    import multiprocessing
    import time

    def slow(n: int) -> int:
        time.sleep(0.5)
        return n

    start = time.monotonic()
    forked = []
    with pytest.raises(KeyboardInterrupt):
        with Shared(slow, list(range(4 * LEAST)), helpers=2):
            time.sleep(0.3)
            forked = [child.pid for child in multiprocessing.active_children()]
            raise KeyboardInterrupt
    assert time.monotonic() - start < 3  # (left to finish their pieces of 8 keys, they would take 4 s)
    assert len(forked) == 2 and not [pid for pid in forked if _running(pid)]
