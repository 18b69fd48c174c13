"""Rendering results as a table, JSON or Markdown.  Rendering never decides anything."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice
from fractions import Fraction
from typing import Any

from ..decision import conditions
from .. import fmt
from ..fmt import UNITS
from ..inputs import provenance
from ..inputs.round import INTERESTS, LEFTOVER, RULES_FIELDS, Round
from .assumptions import assumption_lines, assumptions_markdown
from ..decision.screen import Screening

__all__ = ["FORMATS", "comparison_doc", "outcome_doc", "outcome_json", "outcome_json_parts", "outcome_text", "round_header", "rules_doc",
           "interval_doc", "shortlist_changes", "shortlist_moves", "sweep_change", "sweep_doc", "sweep_json", "sweep_json_parts"]

FORMATS = ("table", "json", "markdown")


def tabulate(*args, **kwargs) -> str:
    """``tabulate.tabulate``, imported on first use: JSON output never loads it."""
    from tabulate import tabulate as table

    return table(*args, **kwargs)


def round_header(round_: Round) -> dict[str, Any]:
    return {
        "id": round_.id,
        "name": round_.name,
        "financial_year": round_.financial_year,
        "file": round_.file,
    }


def check_json(screening: Screening) -> list[dict[str, Any]]:
    return [
        {"rule": c.rule, "passed": c.passed, "reason": c.reason, "severity": c.severity, "applies": c.applies,
         "source": c.source}
        for c in screening.checks
    ]


def dumps(doc: Any) -> str:
    return layout(doc) + "\n"


class _Unlaid(Exception):
    """A value :func:`layout` leaves to :func:`json.dumps`."""


def layout(doc: Any, indent: str = "") -> str:
    """``json.dumps(doc, indent=2, ensure_ascii=False)``, the same text written faster, every line after the
    first starting with *indent* more.

    With an indent the standard library encodes in Python, a generator per value; here strings are encoded in
    C and each value appended once.  Anything but strings, whole numbers, finite floats, booleans, ``None``,
    lists, tuples and dicts with string keys is left to :func:`json.dumps` (which says why it cannot be
    written)."""
    out: list[str] = []
    try:
        _lay(doc, out, "\n" + indent)
    except _Unlaid:
        # json.dumps escapes every line break inside a string, so each "\n" it writes starts a line
        return json.dumps(doc, indent=2, ensure_ascii=False).replace("\n", "\n" + indent)
    return "".join(out)


_encode = json.encoder.encode_basestring  # C where the standard library has it, as json.dumps uses


def _float(o: float) -> str:
    if o != o or o in (float("inf"), float("-inf")):
        raise _Unlaid
    return float.__repr__(o)


# how each plain value is written, by its exact type (subclasses go the long way, in _lay)
_WRITE = {str: _encode, int: int.__repr__, float: _float, bool: lambda o: "true" if o else "false",
          type(None): lambda o: "null"}


def _lay(o: Any, out: list[str], line: str) -> None:
    """Append *o* to *out*, each of its lines starting with *line* (a line break and the indent).

    A plain value inside a list or dict is written with the separator before it, in one piece."""
    write = _WRITE.get(type(o))
    if write is not None:
        out.append(write(o))
    elif type(o) is dict:
        if not o:
            out.append("{}")
            return
        inner = line + "  "
        before = "{" + inner
        for key, value in o.items():
            if type(key) is not str:
                raise _Unlaid
            write = _WRITE.get(type(value))
            if write is not None:
                out.append(before + _encode(key) + ": " + write(value))
            else:
                out.append(before + _encode(key) + ": ")
                _lay(value, out, inner)
            before = "," + inner
        out.append(line + "}")
    elif type(o) in (list, tuple):
        if not o:
            out.append("[]")
            return
        inner = line + "  "
        try:  # a list of texts (a shortlist: hundreds of ids in each of a sweep's thousands of intervals) in C
            out.append("[" + inner + ("," + inner).join(map(_encode, o)) + line + "]")
            return
        except TypeError:  # not all texts
            pass
        before = "[" + inner
        for value in o:
            write = _WRITE.get(type(value))
            if write is not None:
                out.append(before + write(value))
            else:
                out.append(before)
                _lay(value, out, inner)
            before = "," + inner
        out.append(line + "]")
    else:
        _lay_other(o, out, line)


def _lay_other(o: Any, out: list[str], line: str) -> None:
    """:func:`_lay` for a subclass of a plain type, as json.dumps writes it."""
    if isinstance(o, str):
        out.append(_encode(o))
    elif isinstance(o, int):
        out.append(int.__repr__(o))
    elif isinstance(o, float):
        out.append(_float(o))
    elif isinstance(o, (list, tuple)):
        _lay(list(o), out, line)
    elif isinstance(o, dict):
        _lay(dict(o), out, line)
    else:
        raise _Unlaid


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
    headings = {spec.name: spec.means for spec in RULES_FIELDS}
    for name, day in round_.deadlines:
        heading = headings[f"deadlines.{name}"].removeprefix("the ")
        out.append(f"{heading[0].upper()}{heading[1:]}: {fmt.date(day)}.")
    out.append("")
    for group, title in ((round_.pcc, "PCC plan priorities"), (round_.csa, "CSA priorities"),
                         (round_.cross_cutting, "Cross-cutting themes")):
        out.append(f"{title}: " + "; ".join(f"{p.name} ({p.id})" for p in group) + ".")
    out += ["", *_panel_words(round_)]
    out.append("")
    esc = _shown(form)
    out = [esc(line) for line in out]  # every line so far may hold text from the rules file
    out += _rules_words(round_.rules, form)
    pot = round_.tactical_pot
    if pot is not None:
        out = _trimmed(out) + ["", "## The tactical pot" if form == "markdown" else "The tactical pot", ""]
        for name, gate in (("opens", pot.opens), ("closes", pot.closes)):
            if gate is not None:
                out += [f"{'- ' if form == 'markdown' else ''}{name}: {esc(gate.says)}",
                        f"  when {esc(conditions.describe(gate.when))}", f"  source: {esc(gate.source)}", ""]
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
        return [tabulate(_cells(rows, fmt.markdown), ["rule", "severity", "says", "checks that", "source"],
                         tablefmt="github", disable_numparse=True)]
    out = []
    for rule_id, severity, says, test, source in rows:
        out += [f"{rule_id} [{severity}]", f"  {says}", f"  checks that {test}", f"  source: {source}", ""]
    return out


def _panel_words(round_: Round) -> list[str]:
    """The panel's agencies, whom each speaks for, and what is done with a score from an agency with an interest."""
    panel = round_.panel
    if not panel.agencies:
        return ["Panel: no agencies are listed, so every panel score counts and no interest is declared."]
    agencies = []
    for agency in panel.agencies:
        also = [name for name in agency.speaks_for if name != agency.name]
        agencies.append(f"{agency.name} ({agency.id})" + (f", also for {', '.join(also)}" if also else ""))
    out = ["Panel: " + "; ".join(agencies) + ".",
           f"Declared interests (interests: {panel.interests}): {INTERESTS[panel.interests]}."]
    if panel.assumed:
        out.append(f"Assumed, not given by the source: the panel's {' and '.join(panel.assumed)}.")
    return out


# --- the outcome: scores, ranks and the shortlist ----------------------------------------------------


def outcome_doc(outcome) -> dict[str, Any]:
    """The ``--format json`` document of ``crg screen``."""
    return {**_outcome_head(outcome), "proposals": [_decision_doc(d) for d in outcome.decisions]}


def _outcome_head(outcome) -> dict[str, Any]:
    """:func:`outcome_doc` but for its proposals (its last key)."""
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
        "warnings": [str(w) for w in round_.warnings],
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
            {"criterion": part.criterion, "name": part.name,
             "points": fmt.points_json(part.points) if part.scored else None, "shown": shown,
             "max_points": fmt.points_json(part.max_points), "scored": part.scored, "reason": part.reason}
            for part, shown in sc.terms()
        ] if sc else [],
        "checks": check_json(d.screening),
        "explanation": d.explanation,
        "counterfactual": {
            "text": cf.text,
            "budget": _money_or_none(cf.budget),
            "cost": _money_or_none(cf.cost),
            "displaces": list(cf.displaces),
            "offer": _money_or_none(cf.offer),
            "cost_displaces": list(cf.cost_displaces),
            "first": {"from": fmt.money_json(cf.first[0]), "to": fmt.money_json(cf.first[1])} if cf.first else None,
        } if cf else None,
    }


def _money_or_none(pence: int | None) -> str | None:
    return fmt.money_json(pence) if pence is not None else None


def outcome_json(outcome) -> str:
    return dumps(outcome_doc(outcome))


def outcome_json_parts(outcome) -> Iterator[str]:
    """:func:`outcome_json`, the same text in pieces: the head, then one proposal at a time, so that a round of
    thousands of proposals is never held whole as JSON."""
    decisions = outcome.decisions
    head = dumps({**_outcome_head(outcome), "proposals": []})
    if not decisions:
        yield head
        return
    cut = head.rindex("[]")  # the empty list of proposals, at the end of the head
    yield head[:cut] + "[\n"
    for i, d in enumerate(decisions):
        yield ("    " if i == 0 else ",\n    ") + layout(_decision_doc(d), "    ")
    yield "\n  " + head[cut + 1:]


REASON_WIDTH = 60  # characters of a reason in the table; the explanation has all of it


def short_reason(d, outcome) -> str:
    """The table's reason for a decision, in words read from the decision itself (its ids stay in the JSON).

    The decisive fact, worded as its explanation words it: the first rule it
    fails, the money taken and left, a reduced offer; then the allocation at
    which the decision would change, if there is one.
    """
    p = d.proposal
    cf = d.counterfactual
    if d.status == "ineligible":
        more = len(d.screening.rejections) - 1
        return d.screening.rejections[0].reason + (f" (and {more} more)" if more else "")
    if d.status == "tactical":
        return "a bid to the tactical pot"
    if d.offered is not None and d.offered != p.cost:
        return f"offered {fmt.money_short(d.offered)} of its {fmt.money_short(p.cost)}, its minimum"
    walked = outcome.policy != "optimal" and d.left_before is not None
    if d.status == "shortlisted":
        why = (f"{fmt.money_short(p.cost)} taken, {fmt.money_short(d.left_before - p.cost)} left" if walked
               else "part of the highest-scoring set")
        then = f"kept from {fmt.money_short(cf.budget)}" if cf is not None and cf.budget is not None else ""
    else:
        if p.cost > outcome.upfront:
            why = f"its {fmt.money_short(p.cost)} is more than the whole allocation"
        elif walked:
            why = f"its {fmt.money_short(p.cost)} exceeds the {fmt.money_short(d.left_before)} left"
        else:
            why = "left out of the highest-scoring set"
        then = f"in at {fmt.money_short(cf.budget)}" if cf is not None and cf.budget is not None else ""
    return f"{why}; {then}" if then else why


def table_order(decisions) -> list:
    """Ranked proposals in rank order, then tactical bids, then ineligible ones, each by id."""
    group = {"tactical": 1, "ineligible": 2}
    return sorted(decisions, key=lambda d: (d.rank is None, d.rank or 0, group.get(d.status, 0), d.proposal.id))


def outcome_text(outcome, form: str) -> str:
    """The table (or Markdown section) of ``crg screen``: rank, score, cost, status and a short reason."""

    rows = []
    for d in table_order(outcome.decisions):
        rows.append([
            d.rank if d.rank is not None else "-",
            d.proposal.id,
            fmt.money(d.proposal.cost),
            fmt.points(d.score.points) if d.score else "-",
            d.status,
            fmt.short(short_reason(d, outcome), REASON_WIDTH),
        ])
    headers = ["rank", "id", "cost", "score", "status", "reason"]
    align = ("right", "left", "right", "right", "left", "left")
    counts = {s: sum(d.status == s for d in outcome.decisions) for s in ("shortlisted", "reserve", "tactical", "ineligible")}
    premises = "; ".join(o["text"] for o in outcome.overrides)
    totals = (f"What-if: {premises}.\n" if premises else "") + (
        f"Policy {outcome.policy}. Upfront allocation {fmt.money(outcome.upfront)}: {counts['shortlisted']} "
        f"shortlisted for {fmt.money(outcome.allocated)} (total score {fmt.score(outcome.score_total)}), "
        f"{fmt.money(outcome.remaining)} left ({_where_left(outcome)}); tactical pot "
        f"{fmt.money(outcome.tactical)}. {counts['reserve']} in reserve, {counts['tactical']} tactical, "
        f"{counts['ineligible']} ineligible.")
    concerns = [f"{d.proposal.id}: " + "; ".join(c.reason for c in d.screening.concerns)
                for d in table_order(outcome.decisions) if d.screening.concerns]
    if concerns:
        totals += "\nConcerns (rules that only flag): " + ". ".join(concerns) + "."
    if form == "markdown":
        md = fmt.markdown
        out = [f"## {md(outcome.round.name)}: recommended shortlist", "",
               tabulate(_cells(rows, md), headers, tablefmt="github", colalign=align, disable_numparse=True), "",
               md(totals), "", "### Every decision", ""]
        for d in table_order(outcome.decisions):
            out.append(f"- **{md(d.proposal.id)}** ({md(d.proposal.title)}, {fmt.money_short(d.proposal.cost)}): "
                       f"{md(d.explanation)}" + (f" {md(d.counterfactual.text)}" if d.counterfactual else ""))
        out += assumptions_markdown(provenance.assumptions(outcome.round, [d.proposal for d in outcome.decisions]))
        return "\n".join(out) + "\n"
    return (f"{outcome.round.name}\n\n" + tabulate(rows, headers, tablefmt="simple", colalign=align, disable_numparse=True)
            + f"\n\n{totals}\n")


# --- what-ifs: compare and sweep ---------------------------------------------------------------------


def comparison_json(baseline, comparisons) -> str:
    """The ``--format json`` document of ``crg compare``."""
    return dumps(comparison_doc(baseline, comparisons))


def comparison_doc(baseline, comparisons) -> dict[str, Any]:
    """The baseline and each scenario: premises, money, total score, shortlist, and what changed."""
    def side(name, outcome, overrides):
        return {
            "name": name,
            "overrides": list(overrides),
            "policy": outcome.policy,
            "upfront": fmt.money_json(outcome.upfront),
            "allocated": fmt.money_json(outcome.allocated),
            "remaining": fmt.money_json(outcome.remaining),
            "tactical": fmt.money_json(outcome.tactical),
            "total_score": fmt.points_json(Fraction(outcome.score_total, UNITS)),
            "shortlist": [d.proposal.id for d in outcome.shortlist],
        }

    return {
        "round": round_header(baseline.round),
        "baseline": side("baseline", baseline, baseline.overrides),
        "scenarios": [
            dict(side(c.name, c.outcome, c.overrides),
                 entered=list(c.entered), left=list(c.left),
                 changes=[{"id": ch.id, "direction": ch.direction, "text": ch.text,
                           **({"score_before": fmt.points_json(Fraction(ch.scores[0], UNITS)),
                               "score_after": fmt.points_json(Fraction(ch.scores[1], UNITS))} if ch.scores else {})}
                          for ch in c.changes],
                 allocated_change=_change_json(c.allocated_change),
                 remaining_change=_change_json(c.remaining_change),
                 total_score_change=fmt.points_json(Fraction(c.score_change, UNITS)))
            for c in comparisons
        ],
    }


def comparison_text(baseline, comparisons, form: str) -> str:
    """The table (or Markdown section) of ``crg compare``."""

    headers = ["", "baseline"] + [c.name for c in comparisons]
    outcomes = [baseline] + [c.outcome for c in comparisons]
    premises = ["; ".join(o["text"] for o in baseline.overrides) or "as the rules file says"] + \
        ["; ".join(o["text"] for o in c.overrides) or "no change" for c in comparisons]
    rows = [
        ["what if"] + premises,
        ["policy"] + [o.policy for o in outcomes],
        ["upfront"] + [fmt.money(o.upfront) for o in outcomes],
        ["allocated"] + [fmt.money(o.allocated) for o in outcomes],
        ["remaining"] + [fmt.money(o.remaining) for o in outcomes],
        ["tactical pot"] + [fmt.money(o.tactical) for o in outcomes],
        ["total score"] + [fmt.score(o.score_total) for o in outcomes],
        ["shortlisted"] + [str(len(o.shortlist)) for o in outcomes],
        ["entered"] + ["-"] + [", ".join(c.entered) or "-" for c in comparisons],
        ["left"] + ["-"] + [", ".join(c.left) or "-" for c in comparisons],
    ]
    tablefmt = "github" if form == "markdown" else "simple"
    esc = _shown(form)
    out = []
    if form == "markdown":
        out += [f"## What-ifs: {esc(baseline.round.name)}", ""]
    else:
        out += [f"{baseline.round.name}: what-ifs", ""]
    out.append(tabulate(_cells(rows, esc), _cells([headers], esc)[0], tablefmt=tablefmt, disable_numparse=True))
    for c in comparisons:
        out += ["", f"{'### ' if form == 'markdown' else ''}{esc(c.name)}: allocated {fmt.money_change(c.allocated_change)}, "
                    f"remaining {fmt.money_change(c.remaining_change)}, total score {fmt.points_change(c.score_change)}"]
        bullet = "- " if form == "markdown" else "  "
        listed = [ch for ch in c.changes if ch.scores is None or fmt.score(ch.scores[0]) != fmt.score(ch.scores[1])]
        slight = [esc(ch.id) for ch in c.changes if ch not in listed]
        if not c.entered and not c.left:
            out.append(f"{bullet}the shortlist is the same")
        for ch in listed:
            out.append(f"{bullet}{esc(ch.id)} {esc(ch.text)}")
        if slight:
            out.append(f"{bullet}scores that moved too little to show at one decimal: {', '.join(slight)}")
    return "\n".join(out) + "\n"


def sweep_doc(outcome) -> list[dict[str, Any]]:
    return [interval_doc(iv) for iv in outcome.intervals]


def interval_doc(iv, shortlist: bool = True) -> dict[str, Any]:
    """An interval of budgets as ``crg sweep --format json`` gives it (without its shortlist, if not *shortlist*)."""
    return {
        "from": fmt.money_json(iv.start),
        "to": fmt.money_json(iv.end),
        **({"shortlist": list(iv.chosen)} if shortlist else {}),
        "allocated": fmt.money_json(iv.allocated),
        "score": fmt.points_json(Fraction(iv.score, UNITS)),
        **({"reduced_offer": {"id": iv.offer[0], "amount": fmt.money_json(iv.offer[1])}} if iv.offer else {}),
    }


def sweep_json(outcome) -> str:
    """The ``--format json`` document of ``crg sweep``: a list of intervals."""
    return dumps(sweep_doc(outcome))


def sweep_json_parts(outcome) -> Iterator[str]:
    """:func:`sweep_json`, the same text in pieces, an interval at a time: a round of a thousand proposals has tens
    of thousands of intervals of hundreds of projects each, never held whole as JSON."""
    intervals = outcome.intervals
    if not intervals:
        yield dumps([])
        return
    yield "[\n"
    for i, iv in enumerate(intervals):
        yield ("  " if i == 0 else ",\n  ") + layout(interval_doc(iv), "  ")
    yield "\n]\n"


def shortlist_changes(intervals) -> Iterator[tuple[list[str], list[str]]]:
    """For each of the budget *intervals* in turn, who entered its shortlist and who left it since the interval
    before (the first: everyone in it), each in the order of the shortlist they are or were in."""
    return ((entered, left) for entered, left, _ in shortlist_moves(intervals))


def shortlist_moves(intervals) -> Iterator[tuple[list[str], list[str], tuple[int, ...] | None]]:
    """:func:`shortlist_changes`, each with the places where those who entered stand, where the sweep gives them
    (and those who stay keep their order), else ``None``.

    Where the sweep knows the change (an interval's ``since``, :data:`engine.decision.sweep.SINCE`: only for the
    very tuple of the interval read before it), it is read; otherwise one set of each shortlist is made and the
    few that change looked up: under ``optimal`` a round of 1,000 proposals has 185,000 intervals of 600
    projects each, and making their sets took 7 s."""
    before: tuple[str, ...] = ()
    was: frozenset[str] | None = frozenset()  # the set of *before*, if made
    for iv in intervals:
        since = getattr(iv, "since", None)
        if since is not None and since[0] is before:
            yield [iv.chosen[place] for place in since[2]], list(since[1]), since[2]
            was = None
        else:
            now = frozenset(iv.chosen)
            if was is None:
                was = frozenset(before)
            came, went = now - was, was - now
            yield _in_order(came, iv.chosen), _in_order(went, before), None
            was = now
        before = iv.chosen


def _in_order(some: frozenset[str], shortlist: tuple[str, ...]) -> list[str]:
    """The ids *some* of *shortlist*, in its order."""
    if len(some) <= 1:
        return list(some)
    if len(some) > 8:
        return [pid for pid in shortlist if pid in some]
    return sorted(some, key=shortlist.index)


def sweep_change(before, iv, costs: dict[str, int], change: tuple[list[str], list[str]] | None = None) -> str:
    """What changed in the shortlist from the interval *before* to *iv*: who entered, who left, and any reduced offer
    made, changed or raised to the full cost (*change*: who entered and left, as :func:`shortlist_changes` gives
    them, if known)."""
    if before is None:
        return " ".join(f"+{pid}" for pid in iv.chosen) or "none shortlisted"
    entered, left = change or next(islice(shortlist_changes((before, iv)), 1, None))
    parts = [f"+{pid}" for pid in entered]
    parts += [f"-{pid}" for pid in left]
    if iv.offer and iv.offer != before.offer:
        pid, amount = iv.offer
        offer = f"offered {fmt.money_short(amount)} of its {fmt.money_short(costs[pid])}"
        if f"+{pid}" in parts:
            parts[parts.index(f"+{pid}")] += f" ({offer})"
        else:
            parts.append(f"({pid} {offer})")
    if before.offer and before.offer[0] in iv.chosen and (iv.offer is None or iv.offer[0] != before.offer[0]):
        pid = before.offer[0]
        parts.append(f"({pid} now offered its full {fmt.money_short(costs[pid])})")
    if not parts and iv.eligible != before.eligible:  # the same shortlist, scored against other proposals
        joined = sorted(iv.eligible - before.eligible)
        gone = sorted(before.eligible - iv.eligible)
        words = [f"{', '.join(joined)} now eligible"] if joined else []
        words += [f"{', '.join(gone)} no longer eligible"] if gone else []
        parts.append(f"(scores move: {'; '.join(words)})")
    return " ".join(parts)


def sweep_text(outcome, form: str = "table") -> str:
    """The table (or Markdown section) of ``crg sweep``: one row per interval of budgets with the same shortlist."""

    costs = {d.proposal.id: d.proposal.cost for d in outcome.decisions}
    rows = []
    before = None
    for iv, change in zip(outcome.intervals, shortlist_changes(outcome.intervals)):
        mark = " <" if iv.start <= outcome.upfront <= iv.end else ""
        rows.append([fmt.money(iv.start), fmt.money(iv.end) + mark, len(iv.chosen), fmt.money(iv.allocated),
                     fmt.score(iv.score), sweep_change(before, iv, costs, change)])
        before = iv
    title = f"{outcome.round.name}: the shortlist at every upfront allocation (policy {outcome.policy})"
    text = tabulate(rows, ["from", "to", "size", "allocated", "score", "change to the shortlist"],
                    tablefmt="github" if form == "markdown" else "simple", disable_numparse=True,
                    colalign=("right", "right", "right", "right", "right", "left"))
    premises = "; ".join(o["text"] for o in outcome.overrides)
    foot = (f"{len(outcome.intervals)} intervals, {max(len(outcome.intervals) - 1, 0)} breakpoints; "
            f"< marks the allocation in use, {fmt.money(outcome.upfront)}." + (f" What-if: {premises}." if premises else ""))
    if form == "markdown":
        return f"## {fmt.markdown(title)}\n\n{text}\n\n{fmt.markdown(foot)}\n"
    return f"{title}\n\n{text}\n\n{foot}\n"


def _shown(form: str):
    """How text from a file is put in output of *form*: escaped in Markdown, as it is elsewhere."""
    return fmt.markdown if form == "markdown" else str


def _cells(rows, shown) -> list[list]:
    """Every cell of *rows* passed through *shown* (numbers stay numbers)."""
    return [[shown(c) if isinstance(c, str) else c for c in row] for row in rows]


def _change_json(pence: int) -> str:
    return ("+" if pence > 0 else "") + fmt.money_json(pence)


def _where_left(outcome) -> str:
    """Where what is left of the upfront allocation goes, as far as it is money of the grant."""
    where = LEFTOVER[outcome.round.leftover]
    if outcome.held == outcome.remaining:
        return where
    return f"{fmt.money(outcome.held)} of it money of the grant, {where}" if outcome.held else \
        f"none of it money of the grant, so nothing {where}"
