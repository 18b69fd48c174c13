"""The fields of each kind of file, as tables: what the loaders read and what ``crg fields`` lists.

A :class:`Spec` names one field, the converter that reads it (from
:mod:`engine.inputs.values` or the loader's own), whether it must be given,
what it means and an example.  The proposal loader reads its fields from its
table; the rules and scenario loaders are checked against theirs by the
tests, so the reference can never drift from what is read.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import attrs

from . import values
from .yamlfile import Fields

__all__ = ["KINDS", "Spec", "take_all"]

# converter -> (type, how to write it)
KINDS: dict[Callable, tuple[str, str]] = {
    values.text: ("text", "a line, or a paragraph after '>-'"),
    values.text_list: ("list of texts", "[a, b], or one '- a' line each"),
    values.slug: ("id", "lowercase letters, digits and single hyphens"),
    values.slug_list: ("list of ids", "[id-one, id-two], each id once"),
    values.date: ("date", "YYYY-MM-DD"),
    values.count: ("whole number", "digits, with commas between thousands if you like: 1,200"),
    values.number: ("number", "zero or more, with decimals if needed: 2.5"),
    values.money_value: ("money", "pounds, exact to the penny: £5,595, £3,703.20 or 5595"),
    values.amount_asked: ("money", "pounds, exact to the penny, £0.01 or more: £5,595, £3,703.20 or 5595"),
    values.yes_no: ("yes or no", "yes or no (true and false are read too)"),
}


@attrs.frozen
class Spec:
    """One field of a file: its name, how it is read, whether it must be given, what it means, an example."""

    name: str  # "cost", "delivery.start", "rules[].id"
    read: Callable[[Any], Any] | None
    means: str
    example: str
    required: bool = True
    type: str | None = None  # when the converter is not in KINDS
    form: str | None = None
    default: Any = None

    @property
    def kind(self) -> tuple[str, str]:
        """(type, how to write it)."""
        known = KINDS.get(self.read, ("", ""))
        return self.type or known[0], self.form or known[1]


def take_all(f: Fields, specs: Sequence[Spec]) -> dict[str, Any]:
    """Every field of *specs* read from the mapping *f* (``a.b`` from the mapping under ``a``), by name.

    A mistake is kept in the file, as :meth:`Fields.take` does; nested mappings are closed
    with ``done()`` here, the mapping *f* is left for the caller to close.
    """
    out: dict[str, Any] = {}
    nested: dict[str, Fields] = {}
    for spec in specs:
        head, dot, rest = spec.name.partition(".")
        if not dot:
            out[spec.name] = f.take(spec.name, spec.read, required=spec.required, default=spec.default)
            continue
        if head not in nested:
            nested[head] = f.sub(head, required=any(s.required for s in specs if s.name.startswith(head + ".")))
        sub = nested[head]
        out[spec.name] = spec.default if sub is None else sub.take(rest, spec.read, required=spec.required,
                                                                   default=spec.default)
    for sub in nested.values():
        if sub is not None:
            sub.done()
    return out
