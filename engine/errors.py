"""The errors ``crg`` raises, and the warnings it gives.

Each one is small: a user's mistake is an :class:`InputError`, which carries
where the mistake is and how to fix it, so the command line can print it as
one line and exit with status 2.  Several mistakes found together travel as
one :class:`InputErrors`, so the user sees every one of them at once; a
loader gathers them in a :class:`Problems`.  Something a file allows but that
is probably a mistake is an :class:`InputWarning`.  Anything else is a bug
and keeps its traceback.
"""

from __future__ import annotations

import contextlib
import difflib
from typing import Iterable

import attrs

__all__ = ["CrgError", "EngineError", "InputError", "InputErrors", "InputWarning", "Problems", "did_you_mean",
           "raise_all", "told_with"]


class CrgError(Exception):
    """Base of every error raised on purpose by ``crg``."""


def _where(file: str | None, line: int | None, column: int | None, field: str | None) -> str:
    """``file:line:column: field: ``, as much of it as is known."""
    where = ""
    if file is not None:
        where = file
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        where += ": "
    return where + (f"{field}: " if field else "")


def _order(found) -> tuple:
    return (found.file or "", found.line or 0, found.column or 0, found.field or "", found.problem)


@attrs.define(eq=False)
class InputError(CrgError, ValueError):
    """A file, a flag or a value given by the user is wrong."""

    problem: str
    file: str | None = None
    field: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    fix: str | None = None
    # the warnings of the files read before the mistake stopped them, shown with it (see Problems.check)
    warnings: tuple = attrs.field(default=(), kw_only=True, repr=False)

    def __str__(self) -> str:
        fix = f"\n  fix: {self.fix}" if self.fix else ""
        return f"{_where(self.file, self.line, self.column, self.field)}{self.problem}{fix}"

    def located(self, file: str, line: int | None = None, column: int | None = None) -> "InputError":
        """The same error, placed in *file* (keeps a place already known)."""
        return attrs.evolve(
            self,
            file=self.file or file,
            line=self.line if self.line is not None else line,
            column=self.column if self.column is not None else column,
        )

    def sort_key(self) -> tuple:
        """File, then line, then column: the order in which mistakes are listed."""
        return _order(self)


class InputErrors(CrgError, ValueError):
    """Several mistakes in the inputs, found together: each an :class:`InputError`."""

    def __init__(self, errors: Iterable[InputError]):
        unique: dict[str, InputError] = {}
        for error in sorted(errors, key=InputError.sort_key):
            unique.setdefault(str(error), error)
        self.errors: tuple[InputError, ...] = tuple(unique.values())
        self.warnings: tuple = ()  # as InputError.warnings
        super().__init__(self.summary())

    def summary(self) -> str:
        """``3 problems in 2 files``."""
        files = {e.file for e in self.errors if e.file is not None}
        text = f"{len(self.errors)} problem{'s' if len(self.errors) != 1 else ''}"
        if files:
            text += f" in {len(files)} file{'s' if len(files) != 1 else ''}"
        return text

    def __str__(self) -> str:
        return "\n".join(f"Error: {e}" for e in self.errors) + f"\n{self.summary()}"


@contextlib.contextmanager
def told_with(warnings: Iterable["InputWarning"]):
    """The mistakes raised inside come with *warnings* (found before them, in files read already), for the
    command to show first."""
    try:
        yield
    except (InputError, InputErrors) as exc:
        exc.warnings = tuple(sorted((*warnings, *exc.warnings), key=InputWarning.sort_key))
        raise


def raise_all(errors: Iterable[InputError], warnings: Iterable["InputWarning"] = ()) -> None:
    """Raise nothing, the one error, or every error as one :class:`InputErrors`; with the *warnings* found beside
    them (in order of file and line), for the command to show first."""
    errors = list(errors)
    if not errors:
        return
    exc = errors[0] if len(errors) == 1 else InputErrors(errors)
    exc.warnings = tuple(sorted(warnings, key=InputWarning.sort_key))
    raise exc


class Problems:
    """The mistakes found so far while reading inputs, to be reported together by :meth:`check`."""

    def __init__(self) -> None:
        self.found: list[InputError] = []
        self.warnings: list[InputWarning] = []  # found beside them: shown with them, if they are raised

    def __bool__(self) -> bool:
        return bool(self.found)

    def add(self, exc: InputError | InputErrors) -> None:
        """Keep *exc* (one mistake, or several) for the report, and the warnings it carries."""
        self.found.extend(exc.errors if isinstance(exc, InputErrors) else [exc])
        self.warnings.extend(exc.warnings)

    def add_all(self, other: "Problems") -> None:
        """Keep the mistakes *other* found too, and its warnings."""
        self.found.extend(other.found)
        self.warnings.extend(other.warnings)

    def add_each(self, errors: Iterable[InputError]) -> None:
        """Keep each of *errors*."""
        self.found.extend(errors)

    def attempt(self, func, *args, **kwargs):
        """``func(*args, **kwargs)``; if it finds mistakes, keep them and give ``None``."""
        try:
            return func(*args, **kwargs)
        except (InputError, InputErrors) as exc:
            self.add(exc)
            return None

    def check(self) -> None:
        """Raise every mistake kept so far, with the warnings kept (see :func:`raise_all`)."""
        raise_all(self.found, self.warnings)


@attrs.frozen
class InputWarning:
    """Something a file allows that is probably a mistake: a copied date, weights that do not add up.

    Printed on one line; ``--strict`` turns it into an :class:`InputError`.
    A *note* only says what was done (a stray file skipped) and is never an error.
    """

    problem: str
    file: str | None = None
    field: str | None = None
    line: int | None = None
    column: int | None = None
    fix: str | None = None
    note: bool = False

    def __str__(self) -> str:
        fix = f"; {self.fix}" if self.fix else ""
        return f"{_where(self.file, self.line, self.column, self.field)}{self.problem}{fix}"

    def as_error(self) -> InputError:
        """The same finding as a mistake (for ``--strict``)."""
        return InputError(self.problem, file=self.file, field=self.field, line=self.line, column=self.column,
                          fix=self.fix)

    def sort_key(self) -> tuple:
        """File, then line, then column: the order in which warnings are listed."""
        return _order(self)


class EngineError(CrgError, RuntimeError):
    """The rule engine failed in a way the inputs cannot explain."""


def did_you_mean(word: str, choices) -> str:
    """`` (did you mean 'x'?)`` for the closest of *choices*, or ``''``."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
