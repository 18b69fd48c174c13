"""The one door to durable-rules: compile failure conditions, and run proposals through them.

Nothing else in ``crg`` imports :mod:`durable`.  The engine's known traps are
kept out here:

* rulesets are process-wide and cannot be registered twice, so each compiled
  program is named by a hash of its content and registered once;
* a proposal's fact is built only from checked values (pence and day numbers
  as ``int``, ids as 0/1 flags, choices as ``str``), so no type coercion or
  missing field can change an answer; every comparison is guarded by ``$ex``;
* negation is never handed to the engine: conditions arrive with every
  ``not`` already pushed down to the comparisons;
* every rule also requires ``t == "p"``, so a rule can never match the
  session's own state object;
* one proposal per session, deleted in ``finally`` (at most 1024 live
  sessions per ruleset; fact ids are 32-bit hashes);
* one lock around every call, and no background dispatch threads: every
  action runs inside :func:`Program.failures` on the caller's thread;
* every ruleset has a sentinel rule that fires for every proposal: deleting
  a session in which no action ran corrupts the engine's memory (a crash a
  few hundred proposals later), so no session is ever left without one;
* rules are spread over several rulesets so that no ruleset has more than
  :data:`MAX_TESTS` comparisons (error 303 is raised past 64 true at once).

Rules are compiled as the conditions under which they *fail*, so a proposal
that passes every rule fires only the sentinel, however many rules there are.
"""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any, Mapping

import attrs
from durable import engine as _durable

from .conditions import FIELDS, All, Any_, Compare, Condition, Given, Includes, Not, OneOf
from ..errors import EngineError, InputError

__all__ = ["MAX_TESTS", "Program", "compile_failures"]

MAX_TESTS = 60  # comparisons per ruleset; the engine fails past 64 true at once
MAX_KEYS = 250  # properties per fact; the engine fails past 255

_SENTINEL = "\0sentinel"  # cannot be a rule id (ids are slugs)
_LOCK = threading.RLock()
_PROGRAMS: dict[str, "Program"] = {}
_FIRED: list[str] = []
_host: "_Host | None" = None
_next_sid = 0


class _Host(_durable.Host):
    """A host without the background dispatch timers: actions run only inside ``assert_fact``."""

    def _run(self) -> None:  # noqa: D401 - replaces the timer threads of the base class
        return None


def _get_host() -> _Host:
    global _host
    if _host is None:
        _host = _Host()
    return _host


@attrs.frozen
class Slot:
    """One property of a proposal's fact: a field's value, or the flag of one id in a list field."""

    key: str
    field: str
    item: str | None = None


@attrs.frozen
class Program:
    """Failure conditions compiled to durable-rules rulesets, ready to run."""

    names: tuple[str, ...]
    slots: tuple[Slot, ...]
    rule_ids: tuple[str, ...]

    def fact(self, facts: Mapping[str, Any]) -> dict[str, Any]:
        """The engine's fact for a proposal's :func:`~engine.decision.conditions.view`."""
        out: dict[str, Any] = {"t": "p"}
        for slot in self.slots:
            value = facts[slot.field]
            kind = FIELDS[slot.field].kind
            if kind == "list":
                if slot.item is None:
                    if value:
                        out[slot.key] = 1
                else:
                    out[slot.key] = 1 if slot.item in value else 0
            elif value is None:
                continue
            elif kind == "text":
                out[slot.key] = 1
            elif isinstance(value, bool) or not isinstance(value, (int, str)):
                raise EngineError(f"field {slot.field} holds {type(value).__name__}, not int or str")
            else:
                out[slot.key] = value
        return out

    def failures(self, facts: Mapping[str, Any]) -> frozenset[str]:
        """The ids of the rules whose failure condition holds for a proposal's view."""
        global _next_sid
        fact = self.fact(facts)
        host = _get_host()
        with _LOCK:
            _FIRED.clear()
            for name in self.names:
                _next_sid += 1
                sid = str(_next_sid)
                try:
                    state = host.assert_fact(name, dict(fact, sid=sid))
                except Exception as exc:  # the engine's own errors (e.g. 303) carry no type of their own
                    raise EngineError(f"durable-rules failed on ruleset {name}: {exc}") from exc
                finally:
                    host.delete_state(name, sid)
                if isinstance(state, dict) and "exception" in state:
                    raise EngineError(f"a durable-rules action failed: {state['exception']}")
            if _FIRED.count(_SENTINEL) != len(self.names):
                raise EngineError("durable-rules did not run the sentinel rule of every ruleset")
            fired = frozenset(_FIRED) - {_SENTINEL}
            _FIRED.clear()
        return fired


def compile_failures(failing: Mapping[str, Condition]) -> Program:
    """Compile ``{rule id: condition under which it fails}`` (no :class:`Not` inside).

    The same conditions always give the same :class:`Program`, registered once per process.
    """
    slots: dict[tuple[str, str | None], Slot] = {}

    def key(field: str, item: str | None = None) -> str:
        if (field, item) not in slots:
            slots[(field, item)] = Slot(f"k{len(slots)}", field, item)
        return slots[(field, item)].key

    bodies = []
    for rule_id, cond in failing.items():
        body = _to_json(cond, key)
        bodies.append((rule_id, body, _count(body) + 1))
    if len(slots) > MAX_KEYS:
        raise InputError(f"the rules read {len(slots)} fields and ids, more than the {MAX_KEYS} the engine allows",
                         fix="split the rules, or name fewer ids in them")
    chunks: list[list[tuple[str, Any]]] = []
    size = MAX_TESTS
    # each ruleset also holds the sentinel rule: one comparison
    for rule_id, body, tests in bodies:
        if tests + 1 > MAX_TESTS:
            raise InputError(f"rule '{rule_id}' makes {tests} comparisons, more than the {MAX_TESTS} one rule may make",
                             fix="split it into smaller rules")
        if size + tests > MAX_TESTS:
            chunks.append([])
            size = 1
        chunks[-1].append((rule_id, body))
        size += tests
    digest = hashlib.sha256(json.dumps([[list(c) for c in chunks],
                                        [attrs.astuple(s) for s in slots.values()]]).encode()).hexdigest()[:20]
    with _LOCK:
        if digest in _PROGRAMS:
            return _PROGRAMS[digest]
        names = tuple(f"crg_{digest}_{i}" for i in range(len(chunks)))
        definitions = {}
        for name, chunk in zip(names, chunks):
            definitions[name] = {
                f"r{i}": {"all": [{"m": {"$and": [{"t": "p"}, body]}}], "run": _recorder(rule_id)}
                for i, (rule_id, body) in enumerate(chunk)
            }
            definitions[name]["sentinel"] = {"all": [{"m": {"t": "p"}}], "run": _recorder(_SENTINEL)}
        try:
            _get_host().set_rulesets(definitions)
        except Exception as exc:
            raise EngineError(f"durable-rules refused the compiled rules: {exc}") from exc
        program = Program(names, tuple(slots.values()), tuple(failing))
        _PROGRAMS[digest] = program
        return program


def _recorder(rule_id: str):
    def record(c) -> None:
        _FIRED.append(rule_id)
    return record


def _count(body) -> int:
    """The number of comparisons in a compiled condition."""
    if isinstance(body, dict):
        ((op, inner),) = body.items()
        if op in ("$and", "$or"):
            return sum(_count(part) for part in inner)
        return 1
    raise TypeError(body)


_OPS = {"lt": "$lt", "le": "$lte", "gt": "$gt", "ge": "$gte", "ne": "$neq"}


def _join(op: str, parts: list) -> Any:
    return parts[0] if len(parts) == 1 else {op: parts}


def _to_json(cond: Condition, key) -> Any:
    if isinstance(cond, Compare):
        k = key(cond.field)
        test = {k: cond.value} if cond.op == "eq" else {_OPS[cond.op]: {k: cond.value}}
        return {"$and": [{"$ex": {k: 1}}, test]}
    if isinstance(cond, OneOf):
        k = key(cond.field)
        if cond.inside:
            tests = _join("$or", [{k: choice} for choice in cond.choices])
        else:
            tests = _join("$and", [{"$neq": {k: choice}} for choice in cond.choices])
        return {"$and": [{"$ex": {k: 1}}, tests]}
    if isinstance(cond, Includes):
        flags = [key(cond.field, item) for item in cond.items]
        if cond.mode == "any":
            return _join("$or", [{k: 1} for k in flags])
        return _join("$and", [{k: 1 if cond.mode == "all" else 0} for k in flags])
    if isinstance(cond, Given):
        return {"$ex" if cond.yes else "$nex": {key(cond.field): 1}}
    if isinstance(cond, All):
        return _join("$and", [_to_json(part, key) for part in cond.parts])
    if isinstance(cond, Any_):
        return _join("$or", [_to_json(part, key) for part in cond.parts])
    if isinstance(cond, Not):
        raise EngineError("negation must be pushed down before compiling")
    raise TypeError(f"not a condition: {cond!r}")
