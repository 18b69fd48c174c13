"""The values a round rests on that no report gives, in words (see :func:`engine.inputs.provenance.assumptions`)."""

from __future__ import annotations

from itertools import groupby

from .. import fmt


__all__ = ["assumption_lines", "assumptions_markdown"]


def _by_owner(items):
    return [(owner, list(group)) for owner, group in groupby(items, key=lambda a: a.owner)]


def assumption_lines(items) -> list[str]:
    """One line per assumption, ``money.leftover (tactical pot)``, named by its file when several files assume."""
    several = len({a.owner for a in items}) > 1
    return [(f"{a.owner}: " if several else "") + _one(a.path, a) for a in items]


def _one(name: str, a, shown=str) -> str:
    return f"{name} ({shown(a.value)})" if a.value else name


def assumptions_markdown(items, heading: str = "###") -> list[str]:
    """A Markdown section listing *items*, or nothing when there are none."""
    if not items:
        return []
    rows = [[fmt.markdown(owner), "; ".join(_one(f"`{a.path}`", a, fmt.markdown) for a in group)]
            for owner, group in _by_owner(items)]
    return ["", f"{heading} What rests on assumptions", "",
            "These values are not given by any published report; each file lists them under `assumed:`.", "",
            _table(rows)]


def _table(rows) -> str:
    from tabulate import tabulate  # here: JSON output never loads it

    return tabulate(rows, ["file", "assumed"], tablefmt="github", disable_numparse=True)
