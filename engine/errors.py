"""The errors ``crg`` raises.

Each one is small: a user's mistake is an :class:`InputError`, which carries
where the mistake is and how to fix it, so the command line can print it as
one line and exit with status 2.  Anything else is a bug and keeps its
traceback.
"""

from __future__ import annotations

import difflib

import attrs

__all__ = ["CrgError", "EngineError", "InputError", "did_you_mean"]


class CrgError(Exception):
    """Base of every error raised on purpose by ``crg``."""


@attrs.define(eq=False)
class InputError(CrgError, ValueError):
    """A file, a flag or a value given by the user is wrong."""

    problem: str
    file: str | None = None
    field: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    fix: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        field = f"{self.field}: " if self.field else ""
        fix = f"\n  fix: {self.fix}" if self.fix else ""
        return f"{where}{field}{self.problem}{fix}"

    def located(self, file: str, line: int | None = None, column: int | None = None) -> "InputError":
        """The same error, placed in *file* (keeps a place already known)."""
        return attrs.evolve(
            self,
            file=self.file or file,
            line=self.line if self.line is not None else line,
            column=self.column if self.column is not None else column,
        )


class EngineError(CrgError, RuntimeError):
    """The rule engine failed in a way the inputs cannot explain."""


def did_you_mean(word: str, choices) -> str:
    """`` (did you mean 'x'?)`` for the closest of *choices*, or ``''``."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
