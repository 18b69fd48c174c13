"""Rendering results as a table, JSON or Markdown.  Rendering never decides anything."""

from __future__ import annotations

import json
from typing import Any, Sequence

from tabulate import tabulate

from . import conditions, money
from .round import LEFTOVER, Round
from .screen import Screening

__all__ = ["FORMATS", "round_header", "rules_doc", "screening_json", "screening_text", "short"]

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


def screening_json(round_: Round, screenings: Sequence[Screening]) -> str:
    """The ``--format json`` document of ``crg screen`` (screening only)."""
    doc = {
        "round": round_header(round_),
        "upfront": money.as_json(round_.upfront),
        "tactical": money.as_json(round_.tactical),
        "warnings": list(round_.warnings),
        "proposals": [
            {
                "id": s.proposal.id,
                "title": s.proposal.title,
                "cost": money.as_json(s.proposal.cost),
                "pot": s.proposal.pot,
                "status": s.status,
                "checks": check_json(s),
                "explanation": s.explanation(),
            }
            for s in screenings
        ],
    }
    return dumps(doc)


def dumps(doc: Any) -> str:
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def _failed(s: Screening) -> str:
    parts = [c.rule for c in s.rejections] + [f"({c.rule})" for c in s.concerns]
    return ", ".join(parts) or "-"


def screening_text(round_: Round, screenings: Sequence[Screening], fmt: str) -> str:
    """The table or Markdown output of ``crg screen`` (screening only)."""
    rows = [[s.proposal.id, short(s.proposal.title), money.fmt(s.proposal.cost), s.proposal.pot, s.status, _failed(s)]
            for s in screenings]
    headers = ["id", "title", "cost", "pot", "status", "failed checks"]
    eligible = sum(s.eligible for s in screenings)
    summary = (f"{eligible} of {len(screenings)} proposals eligible; upfront allocation {money.fmt(round_.upfront)}, "
               f"tactical pot {money.fmt(round_.tactical)}. Checks in brackets are concerns, not exclusions.")
    if fmt == "markdown":
        lines = [f"## Screening: {round_.name}", "", tabulate(rows, headers, tablefmt="github",
                                                              colalign=_align(headers)), "", summary, ""]
        lines += [f"- **{s.proposal.id}**: {s.explanation()}" for s in screenings]
        return "\n".join(lines) + "\n"
    return f"{round_.name}\n\n" + tabulate(rows, headers, tablefmt="simple", colalign=_align(headers)) + \
        f"\n\n{summary}\n"


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
