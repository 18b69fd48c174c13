"""Rendering results as a table, JSON or Markdown.  Rendering never decides anything."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from tabulate import tabulate

from ..decision import conditions
from .. import fmt
from ..fmt import UNITS
from ..inputs import provenance
from ..inputs.round import LEFTOVER, Round
from .assumptions import assumption_lines, assumptions_markdown
from ..decision.screen import Screening

__all__ = ["FORMATS", "outcome_doc", "outcome_json", "outcome_text", "round_header", "rules_doc"]

FORMATS = ("table", "json", "markdown")


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


def rules_doc(round_: Round, form: str = "table") -> str:
    """Every rule of the round in plain words (``crg rules``)."""
    out = [f"{round_.name} ({round_.file})", ""]
    out.append(f"Financial year {round_.financial_year}: {fmt.date(round_.year_start)} to {fmt.date(round_.year_end)}.")
    out.append(f"Grant {fmt.money_short(round_.grant)}: upfront allocation {fmt.money_short(round_.upfront)}, "
               f"tactical pot {fmt.money_short(round_.tactical)}. Upfront money left over: "
               f"{LEFTOVER[round_.leftover]}.")
    if round_.tactical_opens:
        out.append(f"The tactical pot opens {round_.tactical_opens}.")
    for name, day in round_.deadlines:
        out.append(f"{name.replace('_', ' ').capitalize()}: {fmt.date(day)}.")
    for w in round_.warnings:
        out.append(f"Warning: {w}")
    out.append("")
    for group, title in ((round_.pcc, "PCC plan priorities"), (round_.csa, "CSA priorities"),
                         (round_.cross_cutting, "Cross-cutting themes")):
        out.append(f"{title}: " + "; ".join(f"{p.name} ({p.id})" for p in group) + ".")
    out.append("")
    out += _rules_words(round_.rules, form)
    pot = round_.tactical_pot
    if pot is not None:
        out = _trimmed(out) + ["", "## The tactical pot" if form == "markdown" else "The tactical pot", ""]
        for name, gate in (("opens", pot.opens), ("closes", pot.closes)):
            if gate is not None:
                out += [f"{'- ' if form == 'markdown' else ''}{name}: {gate.says}",
                        f"  when {conditions.describe(gate.when)}", f"  source: {gate.source}", ""]
        if pot.rules:
            out += ["In-year bids:", ""] + _rules_words(pot.rules, form)
    assumed = provenance.assumptions(round_)
    if form == "markdown":
        out = _trimmed(out) + assumptions_markdown(assumed, "##")
    elif assumed:
        out = _trimmed(out) + ["", "Assumed (no published report gives these):"] + \
            [f"  {line}" for line in assumption_lines(assumed)]
    return "\n".join(out).rstrip() + "\n"


def _trimmed(lines: list[str]) -> list[str]:
    """*lines* without the blank lines at their end."""
    while lines and not lines[-1]:
        lines = lines[:-1]
    return lines


def _rules_words(rules, form: str) -> list[str]:
    rows = []
    for rule in rules:
        test = conditions.describe(rule.check)
        if rule.when is not None:
            test = f"when {conditions.describe(rule.when)}: {test}"
        rows.append([rule.id, rule.severity, rule.says, test, rule.source])
    if form == "markdown":
        return [tabulate(rows, ["rule", "severity", "says", "checks that", "source"], tablefmt="github",
                         disable_numparse=True)]
    out = []
    for rule_id, severity, says, test, source in rows:
        out += [f"{rule_id} [{severity}]", f"  {says}", f"  checks that {test}", f"  source: {source}", ""]
    return out


# --- the outcome: scores, ranks and the shortlist ----------------------------------------------------


def outcome_doc(outcome) -> dict[str, Any]:
    """The ``--format json`` document of ``crg screen``."""
    round_ = outcome.round
    return {
        "round": round_header(round_),
        "policy": outcome.policy,
        "upfront": fmt.money_json(outcome.upfront),
        "allocated": fmt.money_json(outcome.allocated),
        "remaining": fmt.money_json(outcome.remaining),
        "leftover": LEFTOVER[round_.leftover],
        "tactical": fmt.money_json(outcome.tactical),
        "returned": fmt.money_json(outcome.returned),
        "total_score": fmt.points_json(Fraction(outcome.score_total, UNITS)),
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
        "cost": fmt.money_json(d.proposal.cost),
        "pot": d.proposal.pot,
        "status": d.status,
        "rank": d.rank,
        "score": fmt.points_json(sc.points) if sc else None,
        "consensus": sc.consensus if sc else None,
        "offered": fmt.money_json(d.offered) if d.offered is not None else None,
        "score_breakdown": [
            {"criterion": part.criterion, "name": part.name, "points": fmt.points_json(part.points),
             "max_points": fmt.points_json(part.max_points), "reason": part.reason}
            for part in sc.parts
        ] if sc else [],
        "checks": check_json(d.screening),
        "explanation": d.explanation,
        "counterfactual": {
            "text": cf.text,
            "budget": fmt.money_json(cf.budget) if cf.budget is not None else None,
            "cost": fmt.money_json(cf.cost) if cf.cost is not None else None,
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
        return f"reduced offer of {fmt.money_short(d.offered)}"
    if d.status == "reserve":
        if cf is not None and cf.budget is not None:
            return f"shortlisted from {fmt.money_short(cf.budget)}"
        return "does not fit at any allocation"
    if cf is not None and cf.budget is not None:
        return f"drops out below {fmt.money_short(cf.budget)}"
    return "-"


def _concerns(d) -> str:
    return ", ".join(c.rule for c in d.screening.concerns)


def outcome_text(outcome, form: str) -> str:
    """The table (or Markdown section) of ``crg screen``: rank, score, cost, status and a short reason."""

    rows = []
    for d in outcome.decisions:
        rows.append([
            d.rank if d.rank is not None else "-",
            d.proposal.id,
            fmt.money(d.proposal.cost),
            fmt.points(d.score.points) if d.score else "-",
            d.status,
            _reason(d) or "-",
            _concerns(d) or "-",
        ])
    headers = ["rank", "id", "cost", "score", "status", "reason", "concerns"]
    align = ("right", "left", "right", "right", "left", "left", "left")
    counts = {s: sum(d.status == s for d in outcome.decisions) for s in ("shortlisted", "reserve", "tactical", "ineligible")}
    premises = "; ".join(o["text"] for o in outcome.overrides)
    totals = (f"What-if: {premises}.\n" if premises else "") + (
        f"Policy {outcome.policy}. Upfront allocation {fmt.money(outcome.upfront)}: {counts['shortlisted']} "
        f"shortlisted for {fmt.money(outcome.allocated)}, {fmt.money(outcome.remaining)} left "
        f"({LEFTOVER[outcome.round.leftover]}); tactical pot {fmt.money(outcome.tactical)}. "
        f"{counts['reserve']} in reserve, {counts['tactical']} tactical, {counts['ineligible']} ineligible.")
    if form == "markdown":
        out = [f"## {outcome.round.name}: recommended shortlist", "",
               tabulate(rows, headers, tablefmt="github", colalign=align, disable_numparse=True), "", totals, "",
               "### Every decision", ""]
        for d in outcome.decisions:
            out.append(f"- **{d.proposal.id}** ({d.proposal.title}, {fmt.money_short(d.proposal.cost)}): "
                       f"{d.explanation}" + (f" {d.counterfactual.text}" if d.counterfactual else ""))
        out += assumptions_markdown(provenance.assumptions(outcome.round, [d.proposal for d in outcome.decisions]))
        return "\n".join(out) + "\n"
    return (f"{outcome.round.name}\n\n" + tabulate(rows, headers, tablefmt="simple", colalign=align, disable_numparse=True)
            + f"\n\n{totals}\n")


# --- what-ifs: compare and sweep ---------------------------------------------------------------------


def comparison_json(baseline, comparisons) -> str:
    """The ``--format json`` document of ``crg compare``."""
    def side(name, outcome, overrides):
        return {
            "name": name,
            "overrides": list(overrides),
            "policy": outcome.policy,
            "upfront": fmt.money_json(outcome.upfront),
            "allocated": fmt.money_json(outcome.allocated),
            "remaining": fmt.money_json(outcome.remaining),
            "total_score": fmt.points_json(Fraction(outcome.score_total, UNITS)),
            "shortlist": [d.proposal.id for d in outcome.shortlist],
        }

    doc = {
        "round": round_header(baseline.round),
        "baseline": side("baseline", baseline, baseline.overrides),
        "scenarios": [
            dict(side(c.name, c.outcome, c.overrides),
                 entered=list(c.entered), left=list(c.left),
                 changes=[{"id": ch.id, "direction": ch.direction, "text": ch.text} for ch in c.changes],
                 allocated_change=_change_json(c.allocated_change),
                 remaining_change=_change_json(c.remaining_change),
                 total_score_change=fmt.points_json(Fraction(c.score_change, UNITS)))
            for c in comparisons
        ],
    }
    return dumps(doc)


def comparison_text(baseline, comparisons, form: str) -> str:
    """The table (or Markdown section) of ``crg compare``."""

    headers = ["", "baseline"] + [c.name for c in comparisons]
    outcomes = [baseline] + [c.outcome for c in comparisons]
    premises = ["; ".join(o["text"] for o in baseline.overrides) or "as the rules file says"] + \
        ["; ".join(o["text"] for o in c.overrides) or "no change" for c in comparisons]
    rows = [
        ["premises"] + premises,
        ["policy"] + [o.policy for o in outcomes],
        ["upfront"] + [fmt.money(o.upfront) for o in outcomes],
        ["allocated"] + [fmt.money(o.allocated) for o in outcomes],
        ["remaining"] + [fmt.money(o.remaining) for o in outcomes],
        ["total score"] + [fmt.score(o.score_total) for o in outcomes],
        ["shortlisted"] + [str(len(o.shortlist)) for o in outcomes],
        ["entered"] + ["-"] + [", ".join(c.entered) or "-" for c in comparisons],
        ["left"] + ["-"] + [", ".join(c.left) or "-" for c in comparisons],
    ]
    tablefmt = "github" if form == "markdown" else "simple"
    out = []
    if form == "markdown":
        out += [f"## What-ifs: {baseline.round.name}", ""]
    else:
        out += [f"{baseline.round.name}: what-ifs", ""]
    out.append(tabulate(rows, headers, tablefmt=tablefmt, disable_numparse=True))
    for c in comparisons:
        out += ["", f"{'### ' if form == 'markdown' else ''}{c.name}: allocated {fmt.money_change(c.allocated_change)}, "
                    f"remaining {fmt.money_change(c.remaining_change)}, total score {fmt.points_change(c.score_change)}"]
        if not c.changes:
            out.append("  the shortlist is the same")
        for ch in c.changes:
            out.append(f"{'- ' if form == 'markdown' else '  '}{ch.id} {ch.text}")
    return "\n".join(out) + "\n"


def sweep_doc(outcome) -> list[dict[str, Any]]:
    return [
        {
            "from": fmt.money_json(iv.start),
            "to": fmt.money_json(iv.end),
            "shortlist": list(iv.chosen),
            "allocated": fmt.money_json(iv.allocated),
            "score": fmt.points_json(Fraction(iv.score, UNITS)),
            **({"reduced_offer": {"id": iv.offer[0], "amount": fmt.money_json(iv.offer[1])}} if iv.offer else {}),
        }
        for iv in outcome.intervals
    ]


def sweep_json(outcome) -> str:
    """The ``--format json`` document of ``crg sweep``: a list of intervals."""
    return dumps(sweep_doc(outcome))


def sweep_text(outcome) -> str:
    """The table of ``crg sweep``: one row per interval of budgets with the same shortlist."""

    rows = []
    before: tuple[str, ...] = ()
    for iv in outcome.intervals:
        mark = " <" if iv.start <= outcome.upfront <= iv.end else ""
        change = [f"+{pid}" for pid in iv.chosen if pid not in before] + \
            [f"-{pid}" for pid in before if pid not in iv.chosen]
        if iv.offer:
            change.append(f"({iv.offer[0]} offered {fmt.money_short(iv.offer[1])})")
        rows.append([fmt.money(iv.start), fmt.money(iv.end) + mark, len(iv.chosen), fmt.money(iv.allocated),
                     fmt.score(iv.score), " ".join(change) or "-"])
        before = iv.chosen
    text = tabulate(rows, ["from", "to", "size", "allocated", "score", "change to the shortlist"], tablefmt="simple", disable_numparse=True,
                    colalign=("right", "right", "right", "right", "right", "left"))
    return (f"{outcome.round.name}: the shortlist at every upfront allocation (policy {outcome.policy})\n\n{text}\n\n"
            f"{len(outcome.intervals)} intervals, {max(len(outcome.intervals) - 1, 0)} breakpoints; "
            f"< marks the allocation in use, {fmt.money(outcome.upfront)}.\n")


def _change_json(pence: int) -> str:
    return ("+" if pence > 0 else "") + fmt.money_json(pence)
