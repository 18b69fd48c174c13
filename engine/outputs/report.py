"""Rendering results as a table, JSON or Markdown.  Rendering never decides anything."""

from __future__ import annotations

import json
from typing import Any, Sequence

from tabulate import tabulate

from ..decision import conditions
from ..inputs import money
from ..inputs.round import LEFTOVER, Round
from ..decision.screen import Screening

__all__ = ["FORMATS", "outcome_doc", "outcome_json", "outcome_text", "round_header", "rules_doc", "short"]

FORMATS = ("table", "json", "markdown")


def short(text: str, width: int = 44) -> str:
    """*text* cut to *width* characters with an ellipsis."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def round_header(round_: Round) -> dict[str, Any]:
    return {
        "id": round_.id,
        "name": round_.name,
        "financial_year": round_.financial_year,
        "file": round_.file,
    }


def check_json(screening: Screening) -> list[dict[str, Any]]:
    return [
        {"rule": c.rule, "passed": c.passed, "reason": c.reason, "severity": c.severity, "applies": c.applies}
        for c in screening.checks
    ]


def dumps(doc: Any) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _align(headers):
    return tuple("right" if h == "cost" else "left" for h in headers)


def rules_doc(round_: Round, fmt: str = "table") -> str:
    """Every rule of the round in plain words (``crg rules``)."""
    out = [f"{round_.name} ({round_.file})", ""]
    out.append(f"Financial year {round_.financial_year}: {round_.year_start:%-d %B %Y} to {round_.year_end:%-d %B %Y}.")
    out.append(f"Grant {money.fmt_short(round_.grant)}: upfront allocation {money.fmt_short(round_.upfront)}, "
               f"tactical pot {money.fmt_short(round_.tactical)}. Upfront money left over: "
               f"{LEFTOVER[round_.leftover]}.")
    if round_.tactical_opens:
        out.append(f"The tactical pot opens {round_.tactical_opens}.")
    for name, day in round_.deadlines:
        out.append(f"{name.replace('_', ' ').capitalize()}: {day:%-d %B %Y}.")
    for w in round_.warnings:
        out.append(f"Warning: {w}")
    out.append("")
    for group, title in ((round_.pcc, "PCC plan priorities"), (round_.csa, "CSA priorities"),
                         (round_.cross_cutting, "Cross-cutting themes")):
        out.append(f"{title}: " + "; ".join(f"{p.name} ({p.id})" for p in group) + ".")
    out.append("")
    rows = []
    for rule in round_.rules:
        test = conditions.describe(rule.check)
        if rule.when is not None:
            test = f"when {conditions.describe(rule.when)}: {test}"
        rows.append([rule.id, rule.severity, rule.says, test, rule.source])
    tablefmt = "github" if fmt == "markdown" else "simple"
    if fmt == "markdown":
        out.append(tabulate(rows, ["rule", "severity", "says", "checks that", "source"], tablefmt=tablefmt))
    else:
        for rule_id, severity, says, test, source in rows:
            out += [f"{rule_id} [{severity}]", f"  {says}", f"  checks that {test}", f"  source: {source}", ""]
    return "\n".join(out).rstrip() + "\n"


# --- the outcome: scores, ranks and the shortlist ----------------------------------------------------


def _points(value) -> float:
    """A score for JSON: a number with at most three decimals."""
    return round(float(value), 3)


def outcome_doc(outcome) -> dict[str, Any]:
    """The ``--format json`` document of ``crg screen``."""
    round_ = outcome.round
    return {
        "round": round_header(round_),
        "policy": outcome.policy,
        "upfront": money.as_json(outcome.upfront),
        "allocated": money.as_json(outcome.allocated),
        "remaining": money.as_json(outcome.remaining),
        "leftover": LEFTOVER[round_.leftover],
        "tactical": money.as_json(outcome.tactical),
        "returned": money.as_json(outcome.returned),
        "total_score": _points(outcome.score_total / 1000),
        "overrides": list(outcome.overrides),
        "warnings": list(round_.warnings),
        "proposals": [_decision_doc(d) for d in outcome.decisions],
    }


def _decision_doc(d) -> dict[str, Any]:
    sc = d.score
    cf = d.counterfactual
    return {
        "id": d.proposal.id,
        "title": d.proposal.title,
        "cost": money.as_json(d.proposal.cost),
        "pot": d.proposal.pot,
        "status": d.status,
        "rank": d.rank,
        "score": _points(sc.points) if sc else None,
        "consensus": sc.consensus if sc else None,
        "offered": money.as_json(d.offered) if d.offered is not None else None,
        "score_breakdown": [
            {"criterion": part.criterion, "name": part.name, "points": _points(part.points),
             "max_points": _points(part.max_points), "reason": part.reason}
            for part in sc.parts
        ] if sc else [],
        "checks": check_json(d.screening),
        "explanation": d.explanation,
        "counterfactual": {
            "text": cf.text,
            "budget": money.as_json(cf.budget) if cf.budget is not None else None,
            "cost": money.as_json(cf.cost) if cf.cost is not None else None,
        } if cf else None,
    }


def outcome_json(outcome) -> str:
    return dumps(outcome_doc(outcome))


def _reason(d) -> str:
    if d.status == "ineligible":
        return "; ".join(c.rule for c in d.screening.rejections)
    if d.status == "tactical":
        return "tactical pot bid"
    cf = d.counterfactual
    if d.offered is not None and d.offered != d.proposal.cost:
        return f"reduced offer of {money.fmt_short(d.offered)}"
    if d.status == "reserve":
        if cf is not None and cf.budget is not None:
            return f"shortlisted from {money.fmt_short(cf.budget)}"
        return "does not fit at any allocation"
    if cf is not None and cf.budget is not None:
        return f"drops out below {money.fmt_short(cf.budget)}"
    return "-"


def _concerns(d) -> str:
    return ", ".join(c.rule for c in d.screening.concerns)


def outcome_text(outcome, fmt: str) -> str:
    """The table (or Markdown section) of ``crg screen``: rank, score, cost, status and a short reason."""
    from ..decision.score import fmt_points

    rows = []
    for d in outcome.decisions:
        rows.append([
            d.rank if d.rank is not None else "-",
            d.proposal.id,
            money.fmt(d.proposal.cost),
            fmt_points(d.score.points) if d.score else "-",
            d.status,
            _reason(d) or "-",
            _concerns(d) or "-",
        ])
    headers = ["rank", "id", "cost", "score", "status", "reason", "concerns"]
    align = ("right", "left", "right", "right", "left", "left", "left")
    counts = {s: sum(d.status == s for d in outcome.decisions) for s in ("shortlisted", "reserve", "tactical", "ineligible")}
    premises = "; ".join(o["text"] for o in outcome.overrides)
    totals = (f"What-if: {premises}.\n" if premises else "") + (
        f"Policy {outcome.policy}. Upfront allocation {money.fmt(outcome.upfront)}: {counts['shortlisted']} "
        f"shortlisted for {money.fmt(outcome.allocated)}, {money.fmt(outcome.remaining)} left "
        f"({LEFTOVER[outcome.round.leftover]}); tactical pot {money.fmt(outcome.tactical)}. "
        f"{counts['reserve']} in reserve, {counts['tactical']} tactical, {counts['ineligible']} ineligible.")
    if fmt == "markdown":
        out = [f"## {outcome.round.name}: recommended shortlist", "",
               tabulate(rows, headers, tablefmt="github", colalign=align), "", totals, "",
               "### Every decision", ""]
        for d in outcome.decisions:
            out.append(f"- **{d.proposal.id}** ({d.proposal.title}, {money.fmt_short(d.proposal.cost)}): "
                       f"{d.explanation}" + (f" {d.counterfactual.text}" if d.counterfactual else ""))
        return "\n".join(out) + "\n"
    return (f"{outcome.round.name}\n\n" + tabulate(rows, headers, tablefmt="simple", colalign=align)
            + f"\n\n{totals}\n")


# --- what-ifs: compare and sweep ---------------------------------------------------------------------


def _units(units: int) -> float:
    return _points(units / 1000)


def comparison_json(baseline, comparisons) -> str:
    """The ``--format json`` document of ``crg compare``."""
    def side(name, outcome, overrides):
        return {
            "name": name,
            "overrides": list(overrides),
            "policy": outcome.policy,
            "upfront": money.as_json(outcome.upfront),
            "allocated": money.as_json(outcome.allocated),
            "remaining": money.as_json(outcome.remaining),
            "total_score": _units(outcome.score_total),
            "shortlist": [d.proposal.id for d in outcome.shortlist],
        }

    doc = {
        "round": round_header(baseline.round),
        "baseline": side("baseline", baseline, baseline.overrides),
        "scenarios": [
            dict(side(c.name, c.outcome, c.overrides),
                 entered=list(c.entered), left=list(c.left),
                 changes=[{"id": ch.id, "direction": ch.direction, "text": ch.text} for ch in c.changes],
                 allocated_change=_signed_json(c.allocated_change),
                 remaining_change=_signed_json(c.remaining_change),
                 total_score_change=_units(c.score_change))
            for c in comparisons
        ],
    }
    return dumps(doc)


def _signed_json(pence: int) -> str:
    return ("+" if pence > 0 else "") + money.as_json(pence)


def _signed(pence: int) -> str:
    return ("+" if pence > 0 else "") + money.fmt(pence)


def comparison_text(baseline, comparisons, fmt: str) -> str:
    """The table (or Markdown section) of ``crg compare``."""
    from ..decision.score import fmt_points

    headers = ["", "baseline"] + [c.name for c in comparisons]
    outcomes = [baseline] + [c.outcome for c in comparisons]
    premises = ["; ".join(o["text"] for o in baseline.overrides) or "as the rules file says"] + \
        ["; ".join(o["text"] for o in c.overrides) or "no change" for c in comparisons]
    rows = [
        ["premises"] + premises,
        ["policy"] + [o.policy for o in outcomes],
        ["upfront"] + [money.fmt(o.upfront) for o in outcomes],
        ["allocated"] + [money.fmt(o.allocated) for o in outcomes],
        ["remaining"] + [money.fmt(o.remaining) for o in outcomes],
        ["total score"] + [fmt_points(_frac(o.score_total), 2) for o in outcomes],
        ["shortlisted"] + [str(len(o.shortlist)) for o in outcomes],
        ["entered"] + ["-"] + [", ".join(c.entered) or "-" for c in comparisons],
        ["left"] + ["-"] + [", ".join(c.left) or "-" for c in comparisons],
    ]
    tablefmt = "github" if fmt == "markdown" else "simple"
    out = []
    if fmt == "markdown":
        out += [f"## What-ifs: {baseline.round.name}", ""]
    else:
        out += [f"{baseline.round.name}: what-ifs", ""]
    out.append(tabulate(rows, headers, tablefmt=tablefmt))
    for c in comparisons:
        out += ["", f"{'### ' if fmt == 'markdown' else ''}{c.name}: allocated {_signed(c.allocated_change)}, "
                    f"remaining {_signed(c.remaining_change)}, total score {_signed_points(c.score_change)}"]
        if not c.changes:
            out.append("  the shortlist is the same")
        for ch in c.changes:
            out.append(f"{'- ' if fmt == 'markdown' else '  '}{ch.id} {ch.text}")
    return "\n".join(out) + "\n"


def _signed_points(units: int) -> str:
    from ..decision.score import fmt_points

    sign = "+" if units > 0 else "-" if units < 0 else ""
    return sign + fmt_points(_frac(abs(units)), 2)


def _frac(units: int):
    from fractions import Fraction

    return Fraction(units, 1000)


def sweep_doc(outcome) -> list[dict[str, Any]]:
    return [
        {
            "from": money.as_json(iv.start),
            "to": money.as_json(iv.end),
            "shortlist": list(iv.chosen),
            "allocated": money.as_json(iv.allocated),
            "score": _units(iv.score),
            **({"reduced_offer": {"id": iv.offer[0], "amount": money.as_json(iv.offer[1])}} if iv.offer else {}),
        }
        for iv in outcome.intervals
    ]


def sweep_json(outcome) -> str:
    """The ``--format json`` document of ``crg sweep``: a list of intervals."""
    return dumps(sweep_doc(outcome))


def sweep_text(outcome) -> str:
    """The table of ``crg sweep``: one row per interval of budgets with the same shortlist."""
    from ..decision.score import fmt_points

    rows = []
    before: tuple[str, ...] = ()
    for iv in outcome.intervals:
        mark = " <" if iv.start <= outcome.upfront <= iv.end else ""
        change = [f"+{pid}" for pid in iv.chosen if pid not in before] + \
            [f"-{pid}" for pid in before if pid not in iv.chosen]
        if iv.offer:
            change.append(f"({iv.offer[0]} offered {money.fmt_short(iv.offer[1])})")
        rows.append([money.fmt(iv.start), money.fmt(iv.end) + mark, len(iv.chosen), money.fmt(iv.allocated),
                     fmt_points(_frac(iv.score), 2), " ".join(change) or "-"])
        before = iv.chosen
    text = tabulate(rows, ["from", "to", "size", "allocated", "score", "change to the shortlist"], tablefmt="simple",
                    colalign=("right", "right", "right", "right", "right", "left"))
    return (f"{outcome.round.name}: the shortlist at every upfront allocation (policy {outcome.policy})\n\n{text}\n\n"
            f"{len(outcome.intervals)} intervals, {max(len(outcome.intervals) - 1, 0)} breakpoints; "
            f"< marks the allocation in use, {money.fmt(outcome.upfront)}.\n")
