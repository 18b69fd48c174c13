"""The condition language of a rule, as a small tree of values.

A rule's ``check`` in a rules file is read into this tree once.  The tree
holds only literal values (dates as day numbers, money as pence), so the same
tree can be evaluated here in plain Python, compiled to durable-rules by
:mod:`engine.decision.durable_engine`, described in words for ``crg rules`` and used to
explain, with a proposal's own values, why a check passed or failed.

The language, as a council officer writes it::

    check:
      submitted: {on or before: deadlines.proposals_due}

    check:
      any of:
        - cost: {at most: money.upfront}
        - pot: {is: tactical}

A mapping of ``field: {test: value}`` lines must all hold; ``all of``,
``any of`` and ``not`` combine checks.  A value may name a figure of the
round (``deadlines.proposals_due``, ``money.upfront``, ``priorities.csa``).

The same language tests the year after the shortlist: a tactical pot gate
(when the pot opens, when it closes) reads :data:`STATE_FIELDS`, the state of
the year on a date, instead of a proposal's fields; and a rule for in-year
bids may name a figure of the year on the date (``tactical.left``), which is
:class:`Later`: the tree keeps its place and :func:`bind` fills it in when
the date is known.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any, Union

import attrs

from .. import fmt
from ..inputs import values
from ..errors import InputError, Problems, did_you_mean
from ..inputs.proposal import Proposal

__all__ = [
    "COMBINATOR_EXAMPLES", "FIELDS", "KIND_WORDS", "STATE_FIELDS", "TESTS", "All", "Any_", "Compare", "Condition",
    "Field", "Given", "Includes", "Later", "Not", "OneOf", "Ref", "bind", "describe", "evaluate", "example",
    "explain", "fields_of", "later_figures", "leaves", "negate", "parse", "rebind", "view",
]


# --- the fields a condition may test -------------------------------------------------------------


@attrs.frozen
class Field:
    """A field of a proposal that a condition can test."""

    name: str
    kind: str  # date | money | count | choice | text | list
    phrase: str  # "received", "costs": what the proposal does, before its value
    noun: str  # "the date received": the field named on its own
    required: bool = True
    item: str = ""  # for lists: "CSA priority"
    present: str = ""  # for a field of the year's state: what 'given: yes' means, in words
    absent: str = ""  # ... and what 'given: no' means


FIELDS: dict[str, Field] = {
    f.name: f
    for f in [
        Field("submitted", "date", "received", "the date received"),
        Field("delivery.start", "date", "delivery starts", "the start of delivery"),
        Field("delivery.end", "date", "delivery ends", "the end of delivery"),
        Field("cost", "money", "costs", "the cost"),
        Field("minimum_cost", "money", "can be delivered for", "a minimum cost", required=False),
        Field("reach", "count", "expects to reach", "an estimate of reach", required=False),
        Field("pot", "choice", "bids to the pot", "the pot"),
        Field("lead_agency", "choice", "is led by", "a lead agency"),
        Field("pcc_priorities", "list", "serves", "PCC priorities", item="PCC priority"),
        Field("csa_priorities", "list", "serves", "CSA priorities", item="CSA priority"),
        Field("cross_cutting", "list", "serves", "cross-cutting themes", item="cross-cutting theme"),
        Field("partners", "list", "works with", "partner agencies", item="partner"),
        Field("summary", "text", "", "a summary"),
        Field("outcomes", "text", "", "the outcomes", required=False),
        Field("evaluation", "text", "", "an evaluation plan", required=False),
        Field("panel", "text", "", "panel scores", required=False),
    ]
}

# the state of the year on a date, as a tactical pot gate sees it (engine.year.gates builds it)
STATE_FIELDS: dict[str, Field] = {
    f.name: f
    for f in [
        Field("today", "date", "it is", "the date"),
        Field("earlier_projects_open", "list", "still waiting for earlier years' projects:",
              "earlier years' projects still open", required=False, item="earlier project",
              present="a project of an earlier year's grant is still open",
              absent="every project of earlier years' grants is complete"),
        Field("cases_awaiting_approval", "list", "still waiting for the OPCC to approve the business case of",
              "business cases awaiting approval", required=False, item="project",
              present="a business case is still awaiting the OPCC's approval",
              absent="every upfront business case is approved"),
        Field("opened_by_opcc", "date", "the OPCC opened it on", "an opening by the OPCC", required=False,
              present="the OPCC has opened it", absent="the OPCC has not opened it"),
        Field("closed_by_opcc", "date", "the OPCC closed it on", "a closing by the OPCC", required=False,
              present="the OPCC has closed it", absent="the OPCC has not closed it"),
    ]
}


def _field(name: str) -> Field:
    """The field called *name*, of a proposal or of the year's state."""
    return FIELDS[name] if name in FIELDS else STATE_FIELDS[name]

# test words -> (operator, kinds it applies to)
TESTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "on or before": ("le", ("date",)),
    "before": ("lt", ("date",)),
    "on or after": ("ge", ("date",)),
    "after": ("gt", ("date",)),
    "at most": ("le", ("money", "count")),
    "less than": ("lt", ("money", "count")),
    "at least": ("ge", ("money", "count")),
    "more than": ("gt", ("money", "count")),
    "is": ("eq", ("choice", "date", "money", "count")),
    "is not": ("ne", ("choice", "date", "money", "count")),
    "one of": ("in", ("choice",)),
    "not one of": ("not in", ("choice",)),
    "includes any of": ("any", ("list",)),
    "includes all of": ("all", ("list",)),
    "includes none of": ("none", ("list",)),
    "given": ("given", ("date", "money", "count", "choice", "text", "list")),
}

COMBINATORS = ("all of", "any of", "not")

# what each way of combining checks means, with an example
COMBINATOR_EXAMPLES = {
    "all of": ("every check under it holds (as do the lines of one check)",
               "all of: [{pot: {is: upfront}}, {cost: {at most: money.upfront}}]"),
    "any of": ("at least one check under it holds",
               "any of: [{pot: {is: tactical}}, {delivery.end: {on or before: financial_year.end}}]"),
    "not": ("the check under it does not hold", "not: {lead_agency: {is: Kent Police}}"),
}

# the field an example shows (the first of these the test applies to), and a value by kind or by test
_EXAMPLE_FIELDS = ("pot", "submitted", "cost", "csa_priorities")
_EXAMPLE_VALUES = {"date": "deadlines.proposals_due", "money": "money.upfront", "choice": "upfront",
                   "list": "priorities.csa"}
_EXAMPLE_BY_OP = {"in": "[upfront, tactical]", "not in": "[tactical]", "all": "[vawg, domestic-abuse]"}


# --- the tree ------------------------------------------------------------------------------------


@attrs.frozen
class Later:
    """A figure known only once a date is chosen (``tactical.left``): :func:`bind` puts in its value."""

    name: str


@attrs.frozen
class Ref:
    """A figure of the round that a rule refers to, with the words for it."""

    name: str  # "deadlines.proposals_due"
    kind: str
    value: Any  # int (day number, pence), tuple of ids, or Later
    label: str  # "the deadline"
    names: tuple[str, ...] = ()  # for id lists: the names of the ids


@attrs.frozen
class Compare:
    """``field op value``: false when the field is not given."""

    field: str
    op: str  # lt le gt ge eq ne
    value: int | str | Later
    label: str | None = None  # words for a referenced figure, e.g. "the deadline"
    ref: str | None = None  # the figure of the round the value was read from, e.g. "money.upfront"

    @functools.cached_property
    def target(self) -> str:
        """What the field is compared with, in words (``the deadline of 8 April 2026``): worked out once, as
        every proposal screened is explained against it."""
        return _target(self, _field(self.field))


@attrs.frozen
class OneOf:
    """The field's value is (``inside``) or is not one of *choices*; false when not given."""

    field: str
    choices: tuple[str, ...]
    inside: bool = True
    ref: str | None = None  # the figure of the round the choices were read from


@attrs.frozen
class Includes:
    """A list field includes ``any``, ``all`` or ``none`` of *items*."""

    field: str
    mode: str  # any | all | none
    items: tuple[str, ...]
    label: str | None = None  # "the round's CSA priorities"
    names: tuple[str, ...] = ()  # display names of items, same order
    ref: str | None = None  # the figure of the round the items were read from, e.g. "priorities.csa"


@attrs.frozen
class Given:
    """The field is given (``yes``) or not given (``no``)."""

    field: str
    yes: bool = True


@attrs.frozen
class All:
    parts: tuple["Condition", ...]


@attrs.frozen
class Any_:
    parts: tuple["Condition", ...]


@attrs.frozen
class Not:
    part: "Condition"


Condition = Union[Compare, OneOf, Includes, Given, All, Any_, Not]
Leaf = (Compare, OneOf, Includes, Given)


# --- reading a check from a rules file -----------------------------------------------------------


def parse(data, path: tuple, file, refs: dict[str, Ref], fields: dict[str, Field] = FIELDS) -> Condition:
    """The condition written at *path* of *file* (a :class:`~engine.inputs.yamlfile.YamlFile`).

    *fields* are the fields it may test: a proposal's (:data:`FIELDS`), or the
    year's state for a tactical pot gate (:data:`STATE_FIELDS`).  Every mistake in it is
    raised at once (:class:`~engine.errors.InputErrors` when there are several).
    """
    if not isinstance(data, dict) or not data:
        raise file.error(path, "a check must be a mapping such as 'cost: {at most: money.upfront}'",
                         fix="write 'field: {test: value}', or 'all of', 'any of' or 'not' with checks under it")
    parts: list[Condition] = []
    problems = Problems()
    for key, value in data.items():
        here = path + (key,)
        if key in ("all of", "any of"):
            if not isinstance(value, list) or not value:
                problems.add(file.error(here, f"'{key}' needs a list of checks",
                                        fix="write each check on a '- ' line under it"))
                continue
            inner = [problems.attempt(parse, item, here + (i,), file, refs, fields) for i, item in enumerate(value)]
            if None not in inner:
                parts.append((All if key == "all of" else Any_)(tuple(inner)) if len(inner) > 1 else inner[0])
        elif key == "not":
            inner = problems.attempt(parse, value, here, file, refs, fields)
            if inner is not None:
                parts.append(Not(inner))
        elif key in fields:
            parts.extend(problems.attempt(_parse_tests, fields[key], value, here, file, refs) or ())
        else:
            whose = "a proposal field" if fields is FIELDS else "a field of the year's state"
            problems.add(file.error(here, f"{fmt.quoted(key)} is not a field or a way to combine checks"
                                    f"{did_you_mean(key, list(fields) + list(COMBINATORS))}",
                                    fix=f"use {whose} (" + ", ".join(fields) + ") or all of / any of / not",
                                    at_key=True))
    problems.check()
    return parts[0] if len(parts) == 1 else All(tuple(parts))


def _parse_tests(field: Field, tests, path, file, refs) -> list[Condition]:
    if not isinstance(tests, dict) or not tests:
        raise file.error(path, f"'{field.name}' needs a test such as {{{_example(field)}}}",
                         fix=f"write '{field.name}: {{{_example(field)}}}'")
    out = []
    problems = Problems()
    fitting = [w for w, (_, kinds) in TESTS.items() if field.kind in kinds]
    for word, raw in tests.items():
        here = path + (word,)
        if word not in TESTS and re.fullmatch(r"[0-9]+(\.[0-9]+)?", word):
            problems.add(file.error(here, f"'{word}' looks like the end of a sum of money split at its comma",
                                    fix="inside {...} a comma separates entries: write the amount without commas "
                                        "(26500) or in quotes ('£26,500')", at_key=True))
        elif word not in TESTS:
            problems.add(file.error(here, f"{fmt.quoted(word)} is not a test{did_you_mean(word, fitting)}",
                                    fix=f"the tests for '{field.name}' are: " + ", ".join(fitting), at_key=True))
        elif field.kind not in TESTS[word][1]:
            problems.add(file.error(here, f"'{word}' cannot test '{field.name}'",
                                    fix=f"the tests for '{field.name}' are: " + ", ".join(fitting), at_key=True))
        else:
            try:
                out.append(_leaf(field, TESTS[word][0], raw, refs))
            except InputError as exc:
                problems.add(file.error(here, exc.problem, exc.fix))
    problems.check()
    return out


def example(word: str) -> str:
    """A check using the test *word*, as a rules file writes it: ``submitted: {on or before: deadlines.proposals_due}``."""
    op, kinds = TESTS[word]
    if op == "given":
        return "evaluation: {given: yes}"
    field = next(FIELDS[name] for name in _EXAMPLE_FIELDS if FIELDS[name].kind in kinds)
    return f"{field.name}: {{{word}: {_EXAMPLE_BY_OP.get(op) or _EXAMPLE_VALUES[field.kind]}}}"


def _example(field: Field) -> str:
    return {
        "date": "on or before: deadlines.proposals_due", "money": "at most: money.upfront",
        "count": "at least: 1", "choice": "is: upfront", "text": "given: yes",
        "list": "includes any of: priorities.csa",
    }[field.kind]


def _leaf(field: Field, op: str, raw, refs: dict[str, Ref]) -> Condition:
    if op == "given":
        return Given(field.name, values.yes_no(raw))
    if isinstance(raw, str) and raw.strip() in refs:
        ref = refs[raw.strip()]
        wanted = "ids" if field.kind in ("list", "choice") and op in ("any", "all", "none", "in", "not in") else field.kind
        if ref.kind != wanted:
            raise InputError(f"'{ref.name}' is {_kind_words(ref.kind)}, which cannot be compared with {field.noun}",
                             fix=f"refer to {_kind_words(wanted)}")
        if op in ("any", "all", "none"):
            return Includes(field.name, op, tuple(ref.value), ref.label, ref.names or tuple(ref.value), ref.name)
        if op in ("in", "not in"):
            return OneOf(field.name, tuple(ref.value), op == "in", ref.name)
        return Compare(field.name, op, ref.value, ref.label, ref.name)
    if isinstance(raw, str) and "." in raw and raw.split(".")[0] in {r.split(".")[0] for r in refs} \
            and field.kind not in ("money",):
        raise InputError(f"{fmt.quoted(raw)} is not a figure of the round{did_you_mean(raw, refs)}",
                         fix="refer to one of: " + ", ".join(sorted(refs)))
    if op in ("any", "all", "none"):
        items = values.slug_list(raw)
        if not items:
            raise InputError("the list is empty", fix="name at least one id")
        return Includes(field.name, op, items, None, items)
    if op in ("in", "not in"):
        choices = values.text_list(raw)
        return OneOf(field.name, choices, op == "in")
    return Compare(field.name, op, _literal(field, raw, refs))


def _literal(field: Field, raw, refs):
    try:
        if field.kind == "date":
            return values.date(raw).toordinal()
        if field.kind == "money":
            return values.money_value(raw)
        if field.kind == "count":
            return values.count(raw)
        return values.text(raw)
    except InputError as exc:
        hint = did_you_mean(raw, refs) if isinstance(raw, str) else ""
        if hint:
            raise InputError(f"{fmt.quoted(raw)} is not a figure of the round{hint}",
                             fix="refer to one of: " + ", ".join(sorted(refs))) from None
        raise exc


# each kind of value, in words
KIND_WORDS = {"date": "a date", "money": "a sum of money", "count": "a number", "ids": "a list of ids",
              "choice": "a choice", "text": "text", "list": "a list"}


def _kind_words(kind: str) -> str:
    return KIND_WORDS[kind]


# --- the view of a proposal that conditions see --------------------------------------------------


def view(proposal: Proposal) -> dict[str, Any]:
    """The values of *proposal* as conditions see them: day numbers, pence, ids.

    A field that is not given is ``None``; lists are ``frozenset`` (empty when not given).
    """
    return {
        "submitted": proposal.submitted.toordinal(),
        "delivery.start": proposal.delivery.start.toordinal(),
        "delivery.end": proposal.delivery.end.toordinal(),
        "cost": proposal.cost,
        "minimum_cost": proposal.minimum_cost,
        "reach": proposal.reach,
        "pot": proposal.pot,
        "lead_agency": proposal.lead_agency,
        "pcc_priorities": frozenset(proposal.pcc_priorities),
        "csa_priorities": frozenset(proposal.csa_priorities),
        "cross_cutting": frozenset(proposal.cross_cutting),
        "partners": frozenset(proposal.partners),
        "summary": proposal.summary,
        "outcomes": proposal.outcomes,
        "evaluation": proposal.evaluation,
        "panel": "given" if proposal.panel else None,
    }


def _is_given(value) -> bool:
    return value is not None and value != frozenset()


# --- evaluation in plain Python ------------------------------------------------------------------

_OPS = {
    "lt": lambda a, b: a < b, "le": lambda a, b: a <= b, "gt": lambda a, b: a > b,
    "ge": lambda a, b: a >= b, "eq": lambda a, b: a == b, "ne": lambda a, b: a != b,
}
_INVERSE = {"lt": "ge", "le": "gt", "gt": "le", "ge": "lt", "eq": "ne", "ne": "eq"}


def evaluate(cond: Condition, facts: dict[str, Any]) -> bool:
    """Whether *cond* holds for a proposal's :func:`view`."""
    if isinstance(cond, Compare):
        if isinstance(cond.value, Later):
            raise TypeError(f"{cond.value.name} has no value yet: bind() the condition first")
        value = facts[cond.field]
        return value is not None and _OPS[cond.op](value, cond.value)
    if isinstance(cond, OneOf):
        value = facts[cond.field]
        return value is not None and ((value in cond.choices) == cond.inside)
    if isinstance(cond, Includes):
        have = facts[cond.field]
        hits = sum(1 for item in cond.items if item in have)
        return {"any": hits > 0, "all": hits == len(cond.items), "none": hits == 0}[cond.mode]
    if isinstance(cond, Given):
        return _is_given(facts[cond.field]) == cond.yes
    if isinstance(cond, All):
        return all(evaluate(part, facts) for part in cond.parts)
    if isinstance(cond, Any_):
        return any(evaluate(part, facts) for part in cond.parts)
    if isinstance(cond, Not):
        return not evaluate(cond.part, facts)
    raise TypeError(f"not a condition: {cond!r}")


def negate(cond: Condition) -> Condition:
    """A condition with no :class:`Not` that holds exactly when *cond* does not."""
    if isinstance(cond, Not):
        return push_down(cond.part)
    if isinstance(cond, Compare):
        flipped = attrs.evolve(cond, op=_INVERSE[cond.op])
        return flipped if _field(cond.field).required else Any_((Given(cond.field, False), flipped))
    if isinstance(cond, OneOf):
        flipped = attrs.evolve(cond, inside=not cond.inside)
        return flipped if _field(cond.field).required else Any_((Given(cond.field, False), flipped))
    if isinstance(cond, Includes):
        if cond.mode == "any":
            return attrs.evolve(cond, mode="none")
        if cond.mode == "none":
            return attrs.evolve(cond, mode="any")
        missing = tuple(Includes(cond.field, "none", (item,), cond.label, (name,), cond.ref)
                        for item, name in zip(cond.items, cond.names))
        return missing[0] if len(missing) == 1 else Any_(missing)
    if isinstance(cond, Given):
        return Given(cond.field, not cond.yes)
    if isinstance(cond, All):
        return Any_(tuple(negate(part) for part in cond.parts))
    if isinstance(cond, Any_):
        return All(tuple(negate(part) for part in cond.parts))
    raise TypeError(f"not a condition: {cond!r}")


def bind(cond: Condition, figures: dict[str, int]) -> Condition:
    """*cond* with each :class:`Later` figure replaced by its value in *figures*."""
    if isinstance(cond, Compare) and isinstance(cond.value, Later):
        return attrs.evolve(cond, value=figures[cond.value.name])
    if isinstance(cond, (All, Any_)):
        return type(cond)(tuple(bind(part, figures) for part in cond.parts))
    if isinstance(cond, Not):
        return Not(bind(cond.part, figures))
    return cond


def push_down(cond: Condition) -> Condition:
    """The same condition with every :class:`Not` pushed down to the leaves and removed."""
    if isinstance(cond, Not):
        return negate(cond.part)
    if isinstance(cond, All):
        return All(tuple(push_down(part) for part in cond.parts))
    if isinstance(cond, Any_):
        return Any_(tuple(push_down(part) for part in cond.parts))
    return cond


def rebind(cond: Condition, refs: dict[str, Ref]) -> Condition:
    """*cond* with every value read from a figure of the round replaced by that figure's value in *refs*.

    A what-if that changes a figure (the upfront allocation, say) rebinds every
    rule to it, so the checks and their reasons both follow it.
    """
    if isinstance(cond, (All, Any_)):
        return type(cond)(tuple(rebind(part, refs) for part in cond.parts))
    if isinstance(cond, Not):
        return Not(rebind(cond.part, refs))
    ref = refs.get(getattr(cond, "ref", None))
    if ref is None:
        return cond
    if isinstance(cond, Compare):
        return attrs.evolve(cond, value=ref.value, label=ref.label)
    if isinstance(cond, OneOf):
        return attrs.evolve(cond, choices=tuple(ref.value))
    if isinstance(cond, Includes) and len(cond.items) == len(ref.value):
        return attrs.evolve(cond, items=tuple(ref.value), names=ref.names or tuple(ref.value), label=ref.label)
    return cond


def leaves(cond: Condition):
    """Every leaf of *cond*, in order."""
    if isinstance(cond, (All, Any_)):
        for part in cond.parts:
            yield from leaves(part)
    elif isinstance(cond, Not):
        yield from leaves(cond.part)
    else:
        yield cond


def later_figures(cond: Condition) -> list[str]:
    """The names of the :class:`Later` figures *cond* still waits for, in order."""
    return [leaf.value.name for leaf in leaves(cond) if isinstance(leaf, Compare) and isinstance(leaf.value, Later)]


def fields_of(cond: Condition) -> set[str]:
    """The names of the fields *cond* reads."""
    return {leaf.field for leaf in leaves(cond)}


# --- words ---------------------------------------------------------------------------------------

_DATE_WORDS = {"le": ("on or before", "after"), "lt": ("before", "on or after"), "ge": ("on or after", "before"),
               "gt": ("after", "on or before"), "eq": ("on", "not on"), "ne": ("not on", "on")}
_NUMBER_WORDS = {"le": ("no more than", "more than"), "lt": ("less than", "not less than"),
                 "ge": ("at least", "less than"), "gt": ("more than", "no more than"), "eq": ("exactly", "not"),
                 "ne": ("not", "exactly")}


def _show(field: Field, value) -> str:
    if field.kind == "date":
        return fmt.date(dt.date.fromordinal(value))
    if field.kind == "money":
        return fmt.money_short(value)
    if field.kind == "count":
        return fmt.count(value)
    return f"'{value}'"


def shown(name: str, value) -> str:
    """*value* of the field *name* as the explanations write it (``£5,595``, ``3 June 2026``, ``12``)."""
    return _show(FIELDS[name], value)


def _target(cond: Compare, field: Field) -> str:
    if isinstance(cond.value, Later):
        return cond.label or cond.value.name
    shown = _show(field, cond.value)
    return f"{cond.label} of {shown}" if cond.label else shown


def _relation(cond: Compare, field: Field, holds: bool) -> str:
    words = _DATE_WORDS if field.kind == "date" else _NUMBER_WORDS
    return words[cond.op][0 if holds else 1]


def describe(cond: Condition) -> str:
    """What *cond* asks of a proposal, in plain words (for ``crg rules``)."""
    if isinstance(cond, Compare):
        field = _field(cond.field)
        relation = _relation(cond, field, True)
        if field.kind == "choice":
            relation = "is" if cond.op == "eq" else "is not"
            return f"{field.noun} {relation} {_target(cond, field)}"
        return f"{field.noun} is {relation} {_target(cond, field)}"
    if isinstance(cond, OneOf):
        field = _field(cond.field)
        return f"{field.noun} is {'' if cond.inside else 'not '}one of " + ", ".join(f"'{c}'" for c in cond.choices)
    if isinstance(cond, Includes):
        field = _field(cond.field)
        what = cond.label or ", ".join(cond.names)
        return {"any": f"{field.noun} include at least one of {what}",
                "all": f"{field.noun} include all of {what}",
                "none": f"{field.noun} include none of {what}"}[cond.mode]
    if isinstance(cond, Given):
        field = _field(cond.field)
        if field.present:
            return field.present if cond.yes else field.absent
        return f"{field.noun} is {'given' if cond.yes else 'not given'}"
    if isinstance(cond, All):
        return "; and ".join(describe(part) for part in cond.parts)
    if isinstance(cond, Any_):
        return "either " + "; or ".join(describe(part) for part in cond.parts)
    if isinstance(cond, Not):
        return f"not ({describe(cond.part)})"
    raise TypeError(f"not a condition: {cond!r}")


def explain(cond: Condition, facts: dict[str, Any], holds: bool | None = None) -> str:
    """Why *cond* holds or fails for a proposal's :func:`view`, with its values (*holds*: whether it does, where
    that is already known, so that it is not evaluated again)."""
    if holds is None:
        holds = evaluate(cond, facts)
    if isinstance(cond, (All, Any_)):
        if isinstance(cond, All) == holds:  # all held, or none of the alternatives did
            chosen = cond.parts
        else:  # the parts that decided it
            chosen = tuple(part for part in cond.parts if evaluate(part, facts) == holds)[:1 if holds else None]
        joiner = "; " if holds else ("; and " if isinstance(cond, Any_) else "; ")
        # every part chosen went the way the whole did
        return joiner.join(explain(part, facts, holds) for part in chosen)
    if isinstance(cond, Not):
        return explain(cond.part, facts, not holds)
    return _explain_leaf(cond, facts, holds)


def _explain_leaf(cond, facts, holds: bool) -> str:
    field = _field(cond.field)
    value = facts[cond.field]
    if isinstance(cond, Given):
        given = _is_given(value)
        if field.present:
            return f"{field.phrase} {_show_given(field, value)}" if given else field.absent
        return f"{field.noun} is given" if given else f"no {_bare(field.noun)} is given"
    if isinstance(cond, Includes):
        chosen = [(item, name) for item, name in zip(cond.items, cond.names) if item in value]
        what = cond.label or "the listed ones"
        if cond.mode == "any":
            if chosen:
                return f"{field.phrase} {what}: " + ", ".join(name for _, name in chosen)
            others = f" (it names {', '.join(sorted(value))})" if value else f" (it names no {field.item})"
            return f"names none of {what}{others}"
        if cond.mode == "none":
            if not chosen:
                return f"names none of {what}"
            return f"{field.phrase} " + ", ".join(name for _, name in chosen)
        missing = [name for item, name in zip(cond.items, cond.names) if item not in value]
        return f"{field.phrase} all of {what}" if not missing else "does not serve " + ", ".join(missing)
    if value is None:
        return f"no {_bare(field.noun)} is given"
    if isinstance(cond, OneOf):
        choices = " or ".join(f"'{c}'" for c in cond.choices)
        rel = "is" if (value in cond.choices) else "is not"
        return f"{field.noun} is '{value}', which {rel} {choices}"
    shown = _show(field, value)
    if field.kind == "choice":
        rel = "as required" if holds else "not " + _show(field, cond.value)
        return f"{field.noun} is {shown}, {rel}"
    # the value is given, so the comparison holds exactly when the condition does
    return f"{field.phrase} {shown}, {_relation(cond, field, holds)} {cond.target}"


def _show_given(field: Field, value) -> str:
    if field.kind == "list":
        return ", ".join(sorted(value))
    return _show(field, value)


def _bare(noun: str) -> str:
    for article in ("the ", "a ", "an "):
        if noun.startswith(article):
            return noun[len(article):]
    return noun
