"""Side-by-side what-ifs: a baseline outcome against scenario outcomes, each change explained."""

from __future__ import annotations

from typing import Sequence

import attrs

from .. import fmt
from .shortlist import Outcome

__all__ = ["Change", "Comparison", "compare", "compare_scenarios"]


@attrs.frozen
class Change:
    """A proposal entering or leaving the shortlist, and why."""

    id: str
    direction: str  # entered | left
    text: str


@attrs.frozen
class Comparison:
    """One scenario against the baseline."""

    name: str
    overrides: tuple[dict, ...]
    outcome: Outcome
    entered: tuple[str, ...]
    left: tuple[str, ...]
    changes: tuple[Change, ...]
    allocated_change: int
    remaining_change: int
    score_change: int  # in score units


def compare(name: str, overrides: Sequence[dict], baseline: Outcome, scenario: Outcome) -> Comparison:
    """How *scenario* differs from *baseline*, with every change explained."""
    before = [d.proposal.id for d in baseline.shortlist]
    after = [d.proposal.id for d in scenario.shortlist]
    entered = tuple(pid for pid in after if pid not in before)
    left = tuple(pid for pid in before if pid not in after)
    changes = [Change(pid, "left", _left_words(pid, scenario)) for pid in left]
    changes += [Change(pid, "entered", _entered_words(pid, baseline, scenario)) for pid in entered]
    return Comparison(name, tuple(overrides), scenario, entered, left, tuple(changes),
                      scenario.allocated - baseline.allocated, scenario.remaining - baseline.remaining,
                      scenario.score_total - baseline.score_total)


def _find(outcome: Outcome, pid: str):
    return next((d for d in outcome.decisions if d.proposal.id == pid), None)


def _left_words(pid: str, scenario: Outcome) -> str:
    d = _find(scenario, pid)
    at = fmt.money_short(scenario.upfront)
    if d is None:
        return "leaves: withdrawn from the round"
    if d.status == "ineligible":
        return "leaves: now ineligible (" + "; ".join(f"{c.reason}, rule {c.rule}" for c in d.screening.rejections) + ")"
    if d.status == "tactical":
        return "leaves: now a tactical bid"
    if scenario.policy == "optimal" or d.left_before is None:
        return (f"leaves: at {at}, the highest-scoring set that fits no longer includes it "
                f"(ranked {fmt.ordinal(d.rank)}, {fmt.money_short(d.proposal.cost)})")
    return (f"leaves: at {at}, its {fmt.money_short(d.proposal.cost)} no longer fits in the "
            f"{fmt.money_short(d.left_before)} left when its turn came (ranked {fmt.ordinal(d.rank)})")


def _entered_words(pid: str, baseline: Outcome, scenario: Outcome) -> str:
    d = _find(scenario, pid)
    was = _find(baseline, pid)
    at = fmt.money_short(scenario.upfront)
    if was is not None and was.status == "ineligible":
        return f"enters: eligible under the scenario's rules, ranked {fmt.ordinal(d.rank)}"
    cost = fmt.money_short(d.offered if d.offered is not None else d.proposal.cost)
    if scenario.policy == "optimal" or d.left_before is None:
        return f"enters: at {at}, the highest-scoring set that fits includes it (ranked {fmt.ordinal(d.rank)}, {cost})"
    return (f"enters: at {at}, its {cost} fits in the {fmt.money_short(d.left_before)} left when its turn "
            f"came (ranked {fmt.ordinal(d.rank)})")


def compare_scenarios(round_, proposals, base, scenarios, *, engine: str = "durable", progress=None):
    """The baseline outcome (*round_* with the overrides *base*) and a :class:`Comparison` for each scenario.

    Each scenario's overrides are applied on top of *base*.  *progress*, if given, is
    called with ``(outcomes decided, outcomes in all)`` after the baseline and each scenario.
    """
    from ..inputs.scenario import run

    report = progress or (lambda done, total: None)
    baseline = run(round_, proposals, base, engine=engine)
    report(1, 1 + len(scenarios))
    results = []
    for sc in scenarios:
        both = base.then(sc.overrides)
        outcome = run(round_, proposals, both, engine=engine, where=sc.file)
        results.append(compare(sc.name, both.describe(), baseline, outcome))
        report(1 + len(results), 1 + len(scenarios))
    return baseline, results
