"""Where each value of a file comes from: a source that gives it, or an assumption listed as such.

A rules file, a proposal and a ledger may each list under ``assumed:`` the
values that no published report gives.  An entry is a key path, written with
dots: ``money.leftover``, ``deadlines.proposals_due``, ``delivery.start``, and
an item of a list of things with ids is named by its id:
``rules.starts-in-year``, ``scoring.criteria.panel.weight``.  A path covers
everything below it (``scoring`` assumes the whole of the scoring).

A value is *sourced* when a mapping on its way down from the top of the file
(the file itself included) has a ``source:``.  A file of a real round says so
with ``illustrative: false``; :func:`unsourced` then finds every value that is
neither sourced nor assumed, for ``crg validate --strict``.
:func:`assumptions` lists what a round rests on, for ``crg rules``, ``crg
screen --format markdown`` and the recommendation report.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Iterable, Iterator

import attrs

from .. import fmt
from ..errors import InputError, did_you_mean, raise_all
from .yamlfile import Fields, YamlFile, read

__all__ = ["META", "Assumption", "assumed_paths", "assumed_values", "assumptions", "is_real", "key_path", "require_sources", "resolve",
           "shown", "unsourced", "unsourced_in", "value_at"]

# keys that say where a value comes from, or name and describe it, rather than give a figure
META = frozenset({"source", "notes", "assumed", "illustrative", "says", "name", "id"})


@attrs.frozen
class Assumption:
    """One value that rests on an assumption: where it is, and what it says."""

    owner: str  # "rules", a proposal's id, or "ledger"
    path: str  # "money.leftover"
    value: str  # the value as written, in a few words
    file: str = ""


# --- key paths ------------------------------------------------------------------------------------


def resolve(data: Any, path: str) -> tuple | None:
    """The place (keys and list indexes) of the dotted *path* in *data*, or ``None`` if it names nothing."""
    here: tuple = ()
    value = data
    for part in path.split("."):
        if isinstance(value, dict) and part in value:
            here, value = here + (part,), value[part]
            continue
        if isinstance(value, list):
            index = next((i for i, item in enumerate(value) if isinstance(item, dict) and item.get("id") == part),
                         None)
            if index is not None:
                here, value = here + (index,), value[index]
                continue
        return None
    return here


def key_path(data: Any, place: tuple) -> str:
    """The dotted path of *place* in *data*, naming list items by their id where they have one."""
    parts = []
    value = data
    for part in place:
        item = value[part]
        if isinstance(part, int):
            parts.append(str(item["id"]) if isinstance(item, dict) and isinstance(item.get("id"), str)
                         else str(part + 1))
        else:
            parts.append(str(part))
        value = item
    return ".".join(parts)


def _all_paths(data: Any, place: tuple = ()) -> Iterator[tuple]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key not in META:
                yield place + (key,)
                yield from _all_paths(value, place + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield place + (i,)
            yield from _all_paths(value, place + (i,))


def assumed_paths(f: Fields, key: str = "assumed", *, known: Iterable[str] = ()) -> tuple[str, ...]:
    """The key paths listed under *key* of the mapping *f*, each checked to name a value of that mapping.

    A name in *known* is accepted even when the file does not give it (a field
    of a proposal, say, that is assumed to be absent).
    """
    if isinstance(f.data.get(key), str):  # one path written on its own
        f._known.append(key)
        entries = [(f.path + (key,), f.data[key])]
    else:
        entries = f.items(key, required=False)
    out: list[str] = []
    for place, raw in entries:
        if not isinstance(raw, str) or not raw.strip():
            f.file.problem(f.file.error(place, f"expected the path of a value, found {fmt.found(raw)}",
                                        fix="write the names of the assumed values, e.g. [money.leftover, "
                                            "deadlines.proposals_due]"))
            continue
        path = raw.strip()
        if path not in known and resolve(f.data, path) is None:
            choices = sorted({key_path(f.data, p) for p in _all_paths(f.data)} | set(known))
            f.file.problem(f.file.error(place, f"'{path}' in '{key}' names no value of this file"
                                               f"{did_you_mean(path, choices)}",
                                        fix="write the path with dots, naming items of a list by their id "
                                            "(e.g. rules.starts-in-year)"))
            continue
        if path in out:
            f.file.problem(f.file.error(place, f"'{path}' is listed twice", fix="list each path once"))
            continue
        out.append(path)
    return tuple(out)


def assumed_values(f: Fields, key: str = "assumed") -> tuple[tuple[str, str], ...]:
    """``(path, the value as written)`` for each path listed under *key* of the mapping *f*."""
    return tuple((path, shown(value_at(f.data, resolve(f.data, path)))) for path in assumed_paths(f, key))


def shown(value: Any, width: int = 60) -> str:
    """A value of a file (text, list or mapping) in a few words."""
    if isinstance(value, dict) and isinstance(value.get("says"), str):  # a rule: what it says
        text = " ".join(value["says"].split())
    elif isinstance(value, dict):
        text = "; ".join(f"{k}: {shown(v, width)}" for k, v in value.items() if k not in META)
    elif isinstance(value, (list, tuple)):  # items with ids by their ids
        text = ", ".join(v["id"] if isinstance(v, dict) and isinstance(v.get("id"), str) else shown(v, width)
                         for v in value)
    elif isinstance(value, dt.date):
        text = fmt.date(value)
    elif value is None:
        text = "-"
    else:
        text = " ".join(str(value).split())
    return fmt.short(text, width)


def value_at(data: Any, place: tuple) -> Any:
    """The value at *place* (keys and list indexes) of *data*."""
    for part in place:
        data = data[part]
    return data


# --- is every value sourced or assumed? ------------------------------------------------------------


def is_real(file: YamlFile) -> bool:
    """Whether the file says it holds a real round (``illustrative: false``, at the top or under ``round:``)."""
    data = file.data
    heads = [data] + ([data["round"]] if isinstance(data.get("round"), dict) else [])
    return any(isinstance(head.get("illustrative"), str) and head["illustrative"].strip().lower() in ("no", "false")
               for head in heads)


def unsourced_in(file: YamlFile) -> list[InputError]:
    """Every value of a real round's file that has neither a source above it nor a place under ``assumed:``.

    A file that does not say it is real (``illustrative: false``) has nothing to
    answer for here.  Each problem is an :class:`InputError` placed at the value.
    """
    if not is_real(file):
        return []
    data = file.data
    assumed = {resolve(data, p) for p in _listed(data.get("assumed"))} - {None}
    out: list[InputError] = []

    def walk(value, place: tuple, sourced: bool) -> None:
        if place in assumed:
            return
        if isinstance(value, dict):
            sourced = sourced or isinstance(value.get("source"), str)
            for key, item in value.items():
                if key not in META:
                    walk(item, place + (key,), sourced)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, place + (i,), sourced)
        elif not sourced:
            path = key_path(data, place)
            section = path.split(".")[0]
            holder = "the file" if section == path else f"'{section}'"
            line, column = file.place(place)
            out.append(InputError(
                "a value of a real round with no source, and not listed under 'assumed:'",
                file=file.name, field=path, line=line, column=column,
                fix=f"give {holder} a 'source:' naming the report that gives it, "
                    f"or list '{path}' under 'assumed:'",
            ))

    walk(data, (), False)
    return out


def unsourced(path: str | Path, *, name: str | None = None) -> list[InputError]:
    """:func:`unsourced_in` for the file at *path*."""
    return unsourced_in(read(path, name=name))


def require_sources(rules: str | Path, proposals: str | Path | None = None) -> None:
    """Refuse every value of a real round's files that is neither sourced nor assumed, all at once.

    The rules file is checked, and each proposal file of the folder *proposals*, found as the loader finds them
    (a stray file skipped, ``.YAML`` read like ``.yaml``).
    """
    from .proposal import proposal_sources

    files = [read(rules, name=str(rules))]
    if proposals is not None:
        files += [source.yaml() for source in proposal_sources(proposals)]
    raise_all(problem for file in files for problem in unsourced_in(file))


def _listed(raw) -> list[str]:
    if isinstance(raw, str):
        return [raw.strip()]
    if isinstance(raw, list):
        return [item.strip() for item in raw if isinstance(item, str)]
    return []


# --- what a round rests on -------------------------------------------------------------------------


def assumptions(round_, proposals=(), ledger=None) -> tuple[Assumption, ...]:
    """Every value the round, its proposals and its ledger take as assumed, in a fixed order.

    The rules file's first (in the order listed), then each proposal's by id,
    then the ledger's.
    """
    out = [Assumption("rules", path, value, round_.file) for path, value in getattr(round_, "assumed", ())]
    for proposal in sorted(proposals, key=lambda p: p.id):
        for path in proposal.assumed:
            out.append(Assumption(proposal.id, path, proposal_value(proposal, path), proposal.file))
    if ledger is not None:
        out += ledger.assumptions()
    return tuple(out)


_MONEY = ("cost", "minimum_cost")
_WORDS = ("title", "lead_agency", "partners", "summary", "outcomes", "evaluation")  # shown by name only


def proposal_value(proposal, path: str) -> str:
    """The value of a proposal at *path*, in a few words ("" for free text, named by its field alone)."""
    head, _, rest = path.partition(".")
    if head in _WORDS:
        return ""
    value = getattr(proposal, head, None)
    if head == "panel":
        value = dict(value)
        if rest:
            value = value.get(rest)
        return shown(value)
    if rest and value is not None:
        value = getattr(value, rest, None)
    if head in _MONEY and isinstance(value, int):
        return fmt.money_short(value)
    if head == "delivery" and not rest and value is not None:
        return f"{fmt.date(value.start)} to {fmt.date(value.end)}"
    return shown(value)
