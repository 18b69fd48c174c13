"""Pre-screening: every proposal checked against every rule of the round, with reasons."""

from __future__ import annotations

from typing import Iterable

import attrs

from . import conditions
from ..errors import EngineError, InputError, raise_all
from ..inputs.proposal import Proposal
from ..inputs.round import Round, Rule

__all__ = ["ENGINES", "Check", "Screening", "failures_python", "program_for", "screen"]

ENGINES = ("durable", "python")


@attrs.frozen
class Check:
    """The result of one rule for one proposal."""

    rule: str
    passed: bool
    reason: str  # in plain words, with the proposal's own values
    severity: str  # reject | flag
    source: str
    applies: bool = True


@attrs.frozen
class Screening:
    """A proposal with the result of every rule of the round."""

    proposal: Proposal
    checks: tuple[Check, ...]

    @property
    def eligible(self) -> bool:
        return not self.rejections

    @property
    def status(self) -> str:
        return "eligible" if self.eligible else "ineligible"

    @property
    def rejections(self) -> tuple[Check, ...]:
        """Failed checks that exclude the proposal."""
        return tuple(c for c in self.checks if not c.passed and c.severity == "reject")

    @property
    def concerns(self) -> tuple[Check, ...]:
        """Failed checks that only flag a concern."""
        return tuple(c for c in self.checks if not c.passed and c.severity == "flag")

    def explanation(self) -> str:
        """Why the proposal is eligible or not, in plain words."""
        if self.rejections:
            text = "Ineligible: " + "; ".join(_cite(c) for c in self.rejections) + "."
        else:
            text = f"Eligible: passes all {sum(c.severity == 'reject' for c in self.checks)} eligibility rules."
        return text + self.concern_words()

    def concern_words(self) -> str:
        """The concerns flagged, as a sentence to add to any explanation of this proposal ("" if none)."""
        if not self.concerns:
            return ""
        return " Concern: " + "; ".join(_cite(c) for c in self.concerns) + "."


def _cite(check: Check) -> str:
    return f"{check.reason} (rule {check.rule}; source: {check.source})"


def program_for(round_: Round):
    """The round's rules compiled for durable-rules (compiled once per process)."""
    from . import durable_engine

    return durable_engine.compile_failures({rule.id: rule.failure() for rule in round_.rules})


# durable-rules compares whole numbers exactly while they fit in 64 bits, and past that not at all
_DURABLE_MOST = 2**63 - 1
_NO_LIMIT = "screen with --engine python, which compares whole numbers of any size"


def _beyond_durable(round_: Round, failures_of: dict, proposals: list[Proposal], views: list[dict]) -> list[InputError]:
    """A mistake for each number durable-rules would be given that it cannot compare exactly: in the rules (a
    figure of the round, such as the allocation) and in the fields of the proposals the rules read (*views*:
    each one's :func:`~engine.decision.conditions.view`)."""
    out = []
    read: set[str] = set()
    for rule in round_.rules:
        failure = failures_of[rule.id]
        read |= conditions.fields_of(failure)
        for leaf in conditions.leaves(failure):
            value = getattr(leaf, "value", None)
            if isinstance(value, int) and abs(value) > _DURABLE_MOST:
                figure = f" ({leaf.ref})" if leaf.ref else ""
                out.append(InputError(
                    f"rule {rule.id} compares {leaf.field} with {conditions.shown(leaf.field, value)}{figure}, more than "
                    f"durable-rules can compare exactly (at most {conditions.shown(leaf.field, _DURABLE_MOST)})",
                    file=round_.file or None, fix=_NO_LIMIT))
    for p, facts in zip(proposals, views):
        for field in sorted(read):
            value = facts.get(field)
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _DURABLE_MOST:
                line, column = p.places.get(field, (None, None))
                out.append(InputError(
                    f"{conditions.shown(field, value)} is more than durable-rules can compare exactly (at most "
                    f"{conditions.shown(field, _DURABLE_MOST)})", file=p.file or None, field=field, line=line, column=column,
                    fix=_NO_LIMIT))
    return out


def failures_python(round_: Round, facts) -> frozenset[str]:
    """The ids of the rules a proposal's view fails, evaluated in plain Python from the same trees."""
    return frozenset(rule.id for rule in round_.rules if conditions.evaluate(rule.failure(), facts))


def screen(round_: Round, proposals: Iterable[Proposal], *, engine: str = "durable",
           progress=None) -> tuple[Screening, ...]:
    """Check every proposal against every rule of *round_*, in order of proposal id.

    The verdicts come from *engine* (``durable`` or ``python``); the reasons are
    worded from the same condition trees.  The two must agree: a disagreement is
    a bug and raises :class:`EngineError`.  *progress*, if given, is called with
    ``(proposals screened, proposals in all)`` after each proposal.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {ENGINES}")
    failures_of = {rule.id: rule.failure() for rule in round_.rules}
    ordered = sorted(proposals, key=lambda p: p.id)
    views = [conditions.view(p) for p in ordered]
    if engine == "durable":
        raise_all(_beyond_durable(round_, failures_of, ordered, views))
    program = program_for(round_) if engine == "durable" else None
    out = []
    for proposal, facts in zip(ordered, views):
        failed = program.failures(facts) if program is not None else None
        checks = []
        for rule in round_.rules:
            fails_here = conditions.evaluate(failures_of[rule.id], facts)
            if failed is not None and (rule.id in failed) != fails_here:
                raise EngineError(f"durable-rules and the plain evaluation disagree on rule {rule.id} "
                                  f"for proposal {proposal.id}")
            checks.append(_check(rule, facts, passed=not fails_here))
        out.append(Screening(proposal, tuple(checks)))
        if progress is not None:
            progress(len(out), len(ordered))
    return tuple(out)


def _check(rule: Rule, facts, *, passed: bool) -> Check:
    if rule.when is not None and not conditions.evaluate(rule.when, facts):
        reason = "does not apply: " + conditions.explain(rule.when, facts, holds=False)
        return Check(rule.id, True, reason, rule.severity, rule.source, applies=False)
    # the rule applies, so its check holds exactly when the proposal passes (it fails when it applies and the
    # check does not hold): the check is not evaluated again to be explained
    return Check(rule.id, passed, conditions.explain(rule.check, facts, holds=passed), rule.severity, rule.source)
