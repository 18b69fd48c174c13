"""Work shared out to helper processes, each a fork of this one, while this one goes on with its own.

The greatest cost of each reserve under ``optimal`` is an exact search of its
own (at 1,000 generated proposals, 950 searches and 6 s): the searches need
nothing of one another, nor of the best sets below and above the allocation
that this process works out meanwhile.  A helper forked after the searches'
inputs are made sees them as they are, so nothing is copied to it but the ids
it is given and the figures it sends back; each figure is the one this process
would have worked out itself, so the output is the same, byte for byte.

Helpers are forked only where forking is safe and cheap (Linux), only for
enough work to pay for them (:data:`LEAST` searches), and as many as the
processors this process may use, less the one it keeps (:func:`available`).
``CRG_HELPERS`` in the environment sets that number (0: none).  A helper ignores
Ctrl-C; the command stops them all when it stops.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["LEAST", "Shared", "available"]

# the fewest pieces of work worth forking for (forking and the first results take some 50 ms)
LEAST = 64

# the task of the helpers being forked: each reads it as it was when it was forked
_TASK: Callable[[Any], Any] | None = None


def available() -> int:
    """How many helpers to fork: ``CRG_HELPERS`` if set, else one for each processor this process may use but
    its own, on Linux (elsewhere forking is not the default, or not safe, and none are forked)."""
    given = os.environ.get("CRG_HELPERS", "").strip()
    if given.isdigit():
        return int(given)
    if not sys.platform.startswith("linux"):
        return 0
    return max(len(os.sched_getaffinity(0)) - 1, 0)


class Shared:
    """``task(key)`` for each of *keys*, worked out by helper processes from now on; :meth:`results` waits for
    them.  With no helper (too little work, or none available) nothing is forked, and :meth:`results` works
    them out here, as it does what a helper could not finish (one killed, say).  Use as a context manager: the
    helpers are told to stop when it ends, whatever happened."""

    def __init__(self, task: Callable[[Any], Any], keys: Sequence, helpers: int | None = None):
        self.task, self.keys = task, list(keys)
        helpers = available() if helpers is None else helpers
        self.pool, self.pending = None, []
        if helpers < 1 or len(self.keys) < LEAST:
            return
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        global _TASK
        sys.stdout.flush()  # (a helper flushes its copy of what is waiting to be written when it ends)
        sys.stderr.flush()
        self.pool = ProcessPoolExecutor(helpers, mp_context=multiprocessing.get_context("fork"),
                                        initializer=_ignore_ctrl_c)
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
        if self.pool is not None:
            self.pool.shutdown(wait=exc[0] is None, cancel_futures=True)


def _ignore_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _work(keys: Sequence) -> list[tuple[Any, Any]]:
    """In a helper: the task's result for each of *keys*."""
    return [(key, _TASK(key)) for key in keys]
