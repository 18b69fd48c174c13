"""Side-by-side what-ifs: a baseline outcome against scenario outcomes, each change explained.

Every proposal whose place changes is named: one that enters or leaves the
shortlist, one whose status changes otherwise (ineligible to reserve, say),
and one whose score moves, with why (a weight changed; its cost changed; or
value for money, judged by rank among the eligible proposals, moved because
another proposal became eligible or ineligible, was withdrawn or changed cost).
"""

from __future__ import annotations

from typing import Sequence

import attrs

from .. import fmt
from .shortlist import Outcome

__all__ = ["Change", "Comparison", "compare", "compare_scenarios"]


@attrs.frozen
class Change:
    """A proposal entering or leaving the shortlist, changing status or score, and why."""

    id: str
    direction: str  # entered | left | status | score
    text: str
    scores: tuple[int, int] | None = None  # for a change of score: before and after, in score units


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
    changes += _other_changes(baseline, scenario, set(entered) | set(left))
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


def _eligible(outcome: Outcome) -> set[str]:
    return {d.proposal.id for d in outcome.decisions if d.status != "ineligible"}


def _other_changes(baseline: Outcome, scenario: Outcome, named: set[str]) -> list[Change]:
    """A change of status (other than entering or leaving the shortlist) or of score, for each proposal, with why."""
    out = []
    for was in sorted(baseline.decisions, key=lambda d: d.proposal.id):
        pid = was.proposal.id
        now = _find(scenario, pid)
        if pid in named:
            continue
        if now is None:
            if was.status != "ineligible":
                out.append(Change(pid, "status", f"withdrawn (was {was.status})"))
            continue
        if now.status != was.status:
            out.append(Change(pid, "status", f"now {now.status}, was {was.status}: {_status_words(was, now)}"))
        elif was.score is not None and now.score is not None and was.score.units != now.score.units:
            out.append(Change(pid, "score", f"score {fmt.score(was.score.units)} → {fmt.score(now.score.units)}: "
                                            f"{_score_words(was, now, baseline, scenario)}",
                              (was.score.units, now.score.units)))
    return out


def _status_words(was, now) -> str:
    if now.status == "ineligible":
        return "ineligible under the scenario's rules (" + "; ".join(
            f"{c.reason}, rule {c.rule}" for c in now.screening.rejections) + ")"
    if was.status == "ineligible":
        return "eligible under the scenario's rules" + (f", ranked {fmt.ordinal(now.rank)}" if now.rank else "")
    if now.status == "tactical" or was.status == "tactical":
        return f"it bids to the {now.proposal.pot} pot"
    return f"ranked {fmt.ordinal(now.rank)}" if now.rank else "its place changed"


def _score_words(was, now, baseline: Outcome, scenario: Outcome) -> str:
    """Why a proposal's score moved: the parts that changed, each with its cause."""
    weights = {c.id: c.weight for c in baseline.round.scoring.criteria}
    changed_weights = [c for c in scenario.round.scoring.criteria if weights.get(c.id) != c.weight]
    if changed_weights:
        return "the weights changed (" + ", ".join(
            f"{c.id} {fmt.number(weights.get(c.id, 0))} to {fmt.number(c.weight)}" for c in changed_weights) + ")"
    measures = {c.id: c.measure for c in scenario.round.scoring.criteria}
    before = {part.criterion: part for part in was.score.parts}
    moved = [part.criterion for part in now.score.parts
             if part.criterion in before and before[part.criterion].points != part.points]
    if now.proposal.cost != was.proposal.cost:
        why = f"its cost changed from {fmt.money_short(was.proposal.cost)} to {fmt.money_short(now.proposal.cost)}"
    elif all(measures.get(c) == "reach per pound" for c in moved):
        why = "it is judged by rank among the eligible proposals, " + _pool_words(baseline, scenario)
    else:
        why = "; ".join(part.reason for part in now.score.parts if part.criterion in moved)
    return f"{', '.join(moved)} moved ({why})" if moved else "its parts round differently"


def _pool_words(baseline: Outcome, scenario: Outcome) -> str:
    """Who joined or left the proposals judged together, or whose cost changed."""
    before, after = _eligible(baseline), _eligible(scenario)
    present = {d.proposal.id for d in scenario.decisions}
    words = [f"{pid} became eligible" for pid in sorted(after - before)]
    words += [f"{pid} {'is no longer eligible' if pid in present else 'was withdrawn'}" for pid in sorted(before - after)]
    costs = {d.proposal.id: d.proposal.cost for d in baseline.decisions}
    words += [f"the cost of {d.proposal.id} changed" for d in sorted(scenario.decisions, key=lambda d: d.proposal.id)
              if d.proposal.id in before & after and costs[d.proposal.id] != d.proposal.cost]
    return "and " + ", ".join(words) if words else "which moved"


def compare_scenarios(round_, proposals, base, scenarios, *, engine: str = "durable", progress=None,
                      counterfactuals: bool = True, stage=None):
    """The baseline outcome (*round_* with the overrides *base*) and a :class:`Comparison` for each scenario.

    Each scenario's overrides are applied on top of *base*.  *progress*, if given, is
    called with ``(outcomes decided, outcomes in all)`` after the baseline and each scenario.
    A comparison reads the scenarios' shortlists, money and scores, never what would change
    their decisions, so their counterfactuals are not worked out; the baseline's are unless
    *counterfactuals* is false.

    *stage*, if given (and no *progress*), is called with a label as each part of the work
    begins, and returns that part's progress callback ``(done, total)``: the baseline's
    counterfactuals (``"Shortlisting and explaining"``), then the scenarios (``"Deciding each
    scenario"``), each only where there is one.
    """
    from ..inputs.scenario import run

    explaining = stage("Shortlisting and explaining") if stage is not None and counterfactuals else None
    baseline = run(round_, proposals, base, engine=engine, counterfactuals=counterfactuals, progress=explaining)
    if progress is None and stage is not None and scenarios:
        progress = stage("Deciding each scenario")
    report = progress or (lambda done, total: None)
    report(1, 1 + len(scenarios))
    results = []
    for sc in scenarios:
        both = base.then(sc.overrides)
        outcome = run(round_, proposals, both, engine=engine, where=sc.file, counterfactuals=False)
        results.append(compare(sc.name, both.describe(), baseline, outcome))
        report(1 + len(results), 1 + len(scenarios))
    return baseline, results
