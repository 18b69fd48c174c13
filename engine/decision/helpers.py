"""Work shared out to helper processes, each a fork of this one, while this one goes on with its own.

The greatest cost of each reserve under ``optimal`` is an exact search of its
own (at 1,000 generated proposals, 950 searches and 6 s): the searches need
nothing of one another, nor of the best sets above the allocation that this
process works out meanwhile (the best sets below it go with them).  A helper
forked after the searches' inputs are made sees them as they are, so nothing
is copied to it but the keys it is given and the figures it sends back; each
figure is the one this process would have worked out itself, so the output is
the same, byte for byte.

Helpers are forked only where forking is safe and cheap (Linux), only for
enough work to pay for them (:data:`LEAST` searches), and as many as the
processors this process may use, less the one it keeps, and at most
:data:`MOST` (:func:`available`).  ``CRG_HELPERS`` in the environment sets that
number (0: none).  A helper ignores Ctrl-C; the command stops them all when it
stops, and a helper ends with the command however it ends (killed, say).
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["LEAST", "MOST", "Shared", "available"]

# the fewest pieces of work worth forking for (forking and the first results take some 50 ms)
LEAST = 64
# the most helpers forked unless CRG_HELPERS asks for more (past them, the best sets above the allocation, which
# the command works out alone, are the longest part), and the most it may ask for
MOST, GIVEN_MOST = 7, 64

# the task of the helpers being forked: each reads it as it was when it was forked
_TASK: Callable[[Any], Any] | None = None
# the process that forks them
_PARENT = 0
# prctl(2): the signal a process gets when its parent ends
_PR_SET_PDEATHSIG = 1


def available() -> int:
    """How many helpers to fork: ``CRG_HELPERS`` if set, else one for each processor this process may use but
    its own (as many as its CPU quota allows, where a container sets one), up to :data:`MOST`, on Linux
    (elsewhere forking is not the default, or not safe, and none are forked)."""
    given = os.environ.get("CRG_HELPERS", "").strip()
    if given:
        if not given.isdigit() or int(given) > GIVEN_MOST:
            from ..errors import InputError

            raise InputError(f"'{given}' is not a number of helper processes", field="CRG_HELPERS",
                             fix=f"set a whole number from 0 (none) to {GIVEN_MOST}, or unset it")
        return int(given)
    if not sys.platform.startswith("linux"):
        return 0
    return max(min(len(os.sched_getaffinity(0)), _quota(), MOST + 1) - 1, 0)


def _quota() -> int:
    """The processors a container's CPU quota allows this process (cgroup v2's ``cpu.max``; no quota: many)."""
    try:
        with open("/sys/fs/cgroup/cpu.max", encoding="ascii") as f:
            quota, period = f.read().split()[:2]
        return max(-(-int(quota) // int(period)), 1)
    except (OSError, ValueError):  # no such file, or "max": no quota
        return 1 << 16


class Shared:
    """``task(key)`` for each of *keys*, worked out by helper processes from now on; :meth:`results` waits for
    them.  With no helper (too little work, or none available) nothing is forked, and :meth:`results` works
    them out here, as it does what a helper could not finish (one killed, say).  Use as a context manager: the
    helpers are told to stop when it ends, whatever happened, and end with the command however it ends."""

    def __init__(self, task: Callable[[Any], Any], keys: Sequence, helpers: int | None = None):
        self.task, self.keys = task, list(keys)
        helpers = available() if helpers is None else helpers
        self.pool, self.pending = None, []
        if helpers < 1 or len(self.keys) < LEAST:
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        global _TASK, _PARENT
        sys.stdout.flush()  # (a helper flushes its copy of what is waiting to be written when it ends)
        sys.stderr.flush()
        _PARENT = os.getpid()
        self.pool = ProcessPoolExecutor(helpers, mp_context=multiprocessing.get_context("fork"),
                                        initializer=_start)
        # pieces small enough that the helpers, and this process, finish together: sixteen to a helper
        size = -(-len(self.keys) // (16 * helpers))
        _TASK = task  # the helpers are forked as the first piece is handed out: each sees the task
        try:
            self.pending = [(piece, self.pool.submit(_work, piece))
                            for piece in (self.keys[i:i + size] for i in range(0, len(self.keys), size))]
        finally:
            _TASK = None

    def results(self, progress: Callable[[int, int], None] | None = None) -> dict:
        """Each key's result, by key; *progress*, if given, is called with ``(done, total)``.

        This process takes its share too: the last pieces no helper has begun, one by one from the end, until
        the helpers reach them; then it waits for theirs."""
        from concurrent.futures import BrokenExecutor

        out: dict = {}
        if self.pool is None:
            for done, key in enumerate(self.keys, start=1):
                out[key] = self.task(key)
                if progress is not None:
                    progress(done, len(self.keys))
            return out
        done, total = 0, len(self.pending)
        waiting = list(self.pending)
        while waiting and waiting[-1][1].cancel():  # not begun: taken back, and worked out here
            piece, _ = waiting.pop()
            out.update((key, self.task(key)) for key in piece)
            done += 1
            if progress is not None:
                progress(done, total)
        for piece, future in waiting:
            try:
                out.update(future.result())
            except BrokenExecutor:  # a helper was stopped from outside: its work is done here
                out.update((key, self.task(key)) for key in piece)
            done += 1
            if progress is not None:
                progress(done, total)
        return out

    def __enter__(self) -> "Shared":
        return self

    def __exit__(self, *exc) -> None:
        if self.pool is None:
            return
        if exc[0] is not None:  # (Ctrl-C, say) the helpers' work is not wanted: they end now, not when it is done
            import multiprocessing

            helpers = multiprocessing.active_children()  # (the command forks no other)
            for helper in helpers:
                helper.kill()
            for helper in helpers:
                helper.join(5)
        self.pool.shutdown(wait=exc[0] is None, cancel_futures=True)


def _start() -> None:
    """In a helper, first: it ignores Ctrl-C (the command stops it), ends when the command ends however it ends
    (killed, say: a helper left waiting would keep the command's output open, and a pipe reading it would never
    end), and has nothing of the terminal's or the command's output to write to."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: a helper then ends with its work, or the command's shutdown
        pass
    if os.getppid() != _PARENT:  # the command ended before the line above
        os._exit(0)
    nothing = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(nothing, fd)
    os.close(nothing)


def _work(keys: Sequence) -> list[tuple[Any, Any]]:
    """In a helper: the task's result for each of *keys*."""
    return [(key, _TASK(key)) for key in keys]
