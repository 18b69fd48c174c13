"""The recommendation to the Chair, as one document that every format is written from.

:func:`build` runs the round (with any what-ifs and scenarios) and returns one
plain, JSON-able mapping: every section the Chair reads, in the order they read
them.  The writers (:mod:`engine.outputs.writers`) read nothing else, and the
decision register stores this same mapping, so that a recommendation can be
written again later, in any format, exactly as it was.

The mapping holds no time stamp (the register records when), and no float for
money: sums are strings of pounds with two decimals (``"5595.00"``), as in
every JSON ``crg`` writes.  Dates are ``YYYY-MM-DD``.  The same inputs give the
same mapping, whatever the order of files on disk.

Sections, in order: ``round``, ``recommendation`` (one paragraph), ``money``,
``shortlist``, ``reserve``, ``tactical``, ``ineligible``, ``priorities``,
``proposals`` (each one's rationale, score breakdown and counterfactual, as
``crg screen --format json`` gives them), ``scenarios``, ``charts``,
``sweep`` (the intervals of ``crg sweep --format json``, each with its change
in words), ``provenance`` and ``decision``.

A sweep interval gives its shortlist by its ``size``, who ``entered`` it (at
which places of it: ``at``) and who ``left`` it since the interval before (the
first: everyone in it), not in full: a round of 1,000 proposals has tens of
thousands of intervals of hundreds of projects each, and the document is kept
with every recorded run.  Where those who stay are in another order than
before (the proposals' scores, and so their order, move with those eligible),
the ``shortlist`` is given in full too.  :func:`sweep_shortlists` gives each
one in full, in order.  A document of schema 1 (each interval's shortlist in
full) is read as schema 2 by :func:`upgraded`.

Written from the decision register (:func:`from_register`), the document
kept with a run gains ``record`` (the run's number, when it was recorded and
by whom, the version, the note, its hash, and whether the document was made
again from the run's files), and ``decision`` gains the Chair's decision
recorded on the run, if any (``recorded``).  Only there does a date appear.
"""

from __future__ import annotations

import collections
import hashlib
from fractions import Fraction
from importlib import metadata
from pathlib import Path
from typing import Any, Iterator, Sequence

from .. import fmt
from ..fmt import UNITS
from ..inputs.money import written
from ..inputs.round import Round
from ..inputs.scenario import Overrides, Scenario
from .report import comparison_doc, interval_doc, outcome_doc, round_header, shortlist_moves, sweep_change

__all__ = ["KIND", "LONGEST", "POLICY_WORDS", "SCHEMA", "build", "files_read", "from_outcomes", "from_register", "sweep_shortlists",
           "upgraded"]

KIND = "crg recommendation"
SCHEMA = 2

# the table of budgets is printed (on the web page and in the Word document) when it has at most this many rows:
# a round of many proposals has tens of thousands, which the chart draws, and the slider and the workbook give
LONGEST = 200

# how each policy chooses, as the recommendation says it
POLICY_WORDS = {
    "rank": "taking the proposals in order of score, each one that fits in what is left",
    "optimal": "as the set of proposals with the highest total score that fits",
    "consensus-first": ("taking first the proposals the panel agreed on, then the rest, each in order of score "
                        "and each one that fits in what is left"),
}


def build(round_: Round, proposals, overrides: Overrides = Overrides(), scenarios: Sequence[Scenario] = (), *,
          engine: str = "durable", stage=None) -> dict[str, Any]:
    """The recommendation for *round_* and *proposals* with *overrides*, each of *scenarios* compared with it.

    *stage*, if given, is called with a label as each long part of the work begins (the counterfactuals, the
    scenarios, the sweep of every allocation) and returns its progress callback ``(done, total)``, as
    :meth:`engine.cli.options.Progress.stage` does."""
    from ..decision.compare import compare_scenarios

    baseline, comparisons = compare_scenarios(round_, proposals, overrides, scenarios, engine=engine, stage=stage)
    return from_outcomes(baseline, comparisons, scenarios, files=files_read(round_, proposals, scenarios),
                         engine=engine, progress=stage("Sweeping budgets") if stage is not None else None)


def files_read(round_: Round, proposals, scenarios: Sequence[Scenario] = ()) -> list[tuple[str, str, str]]:
    """The provenance's files, ``(role, name, SHA-256)``: the rules file, each proposal's (in order of id) and
    each scenario's, hashed from the disk."""
    return ([("rules", round_.file, _sha256(round_.file))]
            + [("proposal", p.file, _sha256(p.file)) for p in sorted(proposals, key=lambda p: p.id)]
            + [("scenario", s.file, _sha256(s.file)) for s in scenarios])


def from_outcomes(baseline, comparisons=(), scenarios: Sequence[Scenario] = (), *,
                  files: Sequence[tuple[str, str, str]], engine: str = "durable", progress=None) -> dict[str, Any]:
    """The document of an outcome already decided (*baseline*) and its scenario *comparisons*.

    *files* are what the provenance lists, ``(role, name, SHA-256)`` each (see
    :func:`files_read`).  *progress*, if given, is called with ``(done, total)`` as the
    shortlist at every allocation is worked out (:meth:`engine.decision.shortlist.Situation.sweep`).
    """
    if progress is not None:
        baseline.situation.sweep(progress)
    records = outcome_doc(baseline)["proposals"]
    by_id = {d.proposal.id: d.proposal for d in baseline.decisions}
    for record in records:
        p = by_id[record["id"]]
        record.update(lead_agency=p.lead_agency, submitted=p.submitted.isoformat(),
                      delivery={"start": p.delivery.start.isoformat(), "end": p.delivery.end.isoformat()},
                      pcc_priorities=list(p.pcc_priorities), csa_priorities=list(p.csa_priorities))
    status = {s: [r for r in records if r["status"] == s] for s in ("shortlisted", "reserve", "tactical", "ineligible")}
    sweep = _sweep(baseline)
    doc: dict[str, Any] = {
        "kind": KIND,
        "schema": SCHEMA,
        "title": f"{baseline.round.name}: recommendation to the Chair",
        "round": _round(baseline.round),
        "recommendation": _recommendation(baseline, status),
        "money": _money(baseline),
        "assumptions": _assumptions(baseline),
        "shortlist": [_entry(r, "offered", "rank", "score", "concerns") for r in status["shortlisted"]],
        "reserve": [_entry(r, "rank", "score", "concerns", "shortlisted_from") for r in status["reserve"]],
        "tactical": [_entry(r, "score", "concerns") for r in status["tactical"]],
        "ineligible": [_entry(r, "failed") for r in status["ineligible"]],
        "priorities": _priorities(baseline.round, status["shortlisted"]),
        "proposals": records,
        "scenarios": _scenarios(baseline, comparisons, scenarios),
        "charts": _charts(baseline, status["shortlisted"], sweep),
        "sweep": {"policy": baseline.policy, "upfront": fmt.money_json(baseline.upfront),
                  "round_upfront": fmt.money_json(baseline.round.upfront), "intervals": sweep},
        "provenance": _provenance(baseline, files, engine),
        "decision": {
            "text": "The Chair's decision on the recommendation above, with any change to it and the reason.",
            "fields": ["Decision", "Changes, if any, and why", "Name of the Chair", "Signature", "Date"],
        },
    }
    return doc


def _sweep(outcome) -> list[dict[str, Any]]:
    """The intervals of ``crg sweep --format json``, each with its change to the shortlist in the sweep table's words,
    and its shortlist as its size and who entered and left it."""
    costs = {d.proposal.id: d.proposal.cost for d in outcome.decisions}
    befores = (None,) + outcome.intervals
    return [{**_with_changes(interval_doc(iv, shortlist=False), fields),
             "change": sweep_change(before, iv, costs, (fields["entered"], fields["left"]))}
            for before, iv, fields in zip(befores, outcome.intervals, _shortlist_fields(outcome.intervals))]


def _shortlist_fields(intervals) -> Iterator[dict[str, Any]]:
    """For each of the budget *intervals* (each with its shortlist ``chosen``, in order), its shortlist as the
    document gives it: ``size``, ``entered``, ``at``, ``left``, and the ``shortlist`` in full where those who stay
    are in another order (checked by making it from the one before, as :func:`sweep_shortlists` does)."""
    made: list[str] | None = []  # the shortlist as made from the fields so far (None: the one before, in order)
    before: tuple[str, ...] = ()
    for iv, (entered, left, places) in zip(intervals, shortlist_moves(intervals)):
        chosen = iv.chosen
        if places is not None:  # the sweep says where they stand, and those who stay keep their order
            fields = {"size": len(chosen), "entered": entered, "at": list(places), "left": left}
            made = None
        else:
            at = _places(entered, chosen)
            made = _changed(list(before) if made is None else made, entered, at, left)
            fields = {"size": len(chosen), "entered": entered, "at": at, "left": left}
            if tuple(made) != chosen:
                fields["shortlist"] = made = list(chosen)
        before = chosen
        yield fields


def _places(ids: list[str], shortlist: tuple[str, ...]) -> list[int]:
    """Where each of *ids* (in the order of *shortlist*) stands in it."""
    if len(ids) <= 8:
        return [shortlist.index(pid) for pid in ids]
    wanted = set(ids)
    return [k for k, pid in enumerate(shortlist) if pid in wanted]


def _changed(shortlist: list[str], entered: list[str], at: list[int], left: list[str]) -> list[str]:
    """*shortlist* (not changed) with *left* taken out and *entered* put in at the places *at* (ascending)."""
    out = list(shortlist)
    for pid in left:
        out.remove(pid)
    for place, pid in zip(at, entered):
        out.insert(place, pid)
    return out


def _with_changes(interval: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
    """*interval* (with no shortlist) with its shortlist's *fields* where the shortlist was: after its ends."""
    items = list(interval.items())
    return {**dict(items[:2]), **fields, **dict(items[2:])}


def sweep_shortlists(intervals: list[dict[str, Any]]) -> Iterator[list[str]]:
    """The shortlist of each of the document's sweep *intervals*, in full and in order, one after the other."""
    shortlist: list[str] = []
    for iv in intervals:
        shortlist = (list(iv["shortlist"]) if "shortlist" in iv
                     else _changed(shortlist, iv["entered"], iv["at"], iv["left"]))
        yield shortlist


def upgraded(doc: dict[str, Any]) -> dict[str, Any]:
    """*doc* as schema :data:`SCHEMA` has it: a document of schema 1 has each sweep interval's shortlist in full,
    and says the table of budgets gives them however many there are."""
    if doc.get("schema") != 1:
        return doc
    old = doc["sweep"]["intervals"]
    shortlists = [_Shortlist(tuple(iv["shortlist"])) for iv in old]
    intervals = [_with_changes({k: v for k, v in iv.items() if k != "shortlist"}, fields)
                 for iv, fields in zip(old, _shortlist_fields(shortlists))]
    charts = doc["charts"]
    words = charts["sweep"]["description"]
    if len(intervals) > LONGEST and words.endswith(_TABLE_WORDS):
        charts = {**charts, "sweep": {**charts["sweep"], "description": words[:-len(_TABLE_WORDS)] + _NO_TABLE_WORDS}}
    return {**doc, "schema": SCHEMA, "charts": charts, "sweep": {**doc["sweep"], "intervals": intervals}}


_Shortlist = collections.namedtuple("_Shortlist", "chosen")  # a schema 1 interval's, as shortlist_moves reads it


def _round(round_: Round) -> dict[str, Any]:
    return {
        **round_header(round_),
        "plan": round_.plan,
        "year_start": round_.year_start.isoformat(),
        "year_end": round_.year_end.isoformat(),
        "tactical_opens": round_.tactical_opens,
        "deadlines": [{"name": name, "label": name.replace("_", " ").capitalize(), "date": day.isoformat()}
                      for name, day in round_.deadlines],
        "warnings": [str(w) for w in round_.warnings],
    }


def _money(outcome) -> dict[str, str]:
    round_ = outcome.round
    return {
        "grant": fmt.money_json(round_.grant),
        "upfront": fmt.money_json(outcome.upfront),
        "allocated": fmt.money_json(outcome.allocated),
        "remaining": fmt.money_json(outcome.remaining),
        "leftover": outcome.leftover_words(),
        "tactical_pot": fmt.money_json(round_.tactical),
        "tactical": fmt.money_json(outcome.tactical),
        "returned": fmt.money_json(outcome.returned),
    }


def _entry(record: dict[str, Any], *extra: str) -> dict[str, Any]:
    """A proposal's line in one of the lists (shortlist, reserve, tactical bids, ineligible)."""
    entry = {key: record[key] for key in ("id", "title", "lead_agency", "submitted", "cost")}
    failed = [c for c in record["checks"] if not c["passed"]]
    values = {
        "offered": record["offered"],
        "rank": record["rank"],
        "score": record["score"],
        "concerns": [c["rule"] for c in failed if c["severity"] == "flag"],
        "failed": [{key: c[key] for key in ("rule", "reason", "source")} for c in failed if c["severity"] == "reject"],
        "shortlisted_from": (record["counterfactual"] or {}).get("budget"),
    }
    entry.update((key, values[key]) for key in extra)
    return entry


def _recommendation(outcome, status: dict[str, list]) -> str:
    shortlisted = status["shortlisted"]
    if shortlisted:
        text = (f"The Working Group recommends {fmt.count(len(shortlisted), 'project')} for "
                f"{fmt.money_short(outcome.allocated)} of the upfront allocation of {fmt.money_short(outcome.upfront)}, "
                f"chosen {POLICY_WORDS[outcome.policy]}.")
    else:
        text = (f"The Working Group recommends no project from the upfront allocation of "
                f"{fmt.money_short(outcome.upfront)}: no eligible proposal fits.")
    reduced = [r for r in shortlisted if r["offered"] != r["cost"]]
    for r in reduced:
        text += f" {r['id']} is offered a reduced {fmt.money_short(written(r['offered']))}, the least it can be delivered for."
    text += " " + outcome.leftover_words()
    rest = [f"{len(status[key])} {'is' if len(status[key]) == 1 else 'are'} {words}"
            for key, words in (("reserve", "kept in reserve should money come free"),
                               ("tactical", "for the tactical pot"),
                               ("ineligible", "not eligible under the round's rules")) if status[key]]
    if rest:
        text += " Of the other proposals, " + (", ".join(rest[:-1]) + " and " + rest[-1] if len(rest) > 1 else rest[0]) + "."
    if outcome.overrides:
        text += " These figures take the what-if: " + "; ".join(o["text"] for o in outcome.overrides) + "."
    return text


def _priorities(round_: Round, shortlisted: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Each PCC and CSA priority of the round, with the shortlisted projects that serve it (none: left without)."""
    return {
        field: [{"id": p.id, "name": p.name,
                 "served_by": [r["id"] for r in shortlisted if p.id in r[f"{field}_priorities"]]} for p in group]
        for field, group in (("pcc", round_.pcc), ("csa", round_.csa))
    }


def _scenarios(baseline, comparisons, scenarios: Sequence[Scenario]) -> dict[str, Any]:
    doc = comparison_doc(baseline, comparisons)
    for side, scenario in zip(doc["scenarios"], scenarios):
        side["file"] = scenario.file
    return {"baseline": doc["baseline"], "scenarios": doc["scenarios"]}


# the sweep chart's last words: where every interval is given, as the table of budgets is printed or not
_TABLE_WORDS = "The table of budgets gives the shortlist of every interval."
_NO_TABLE_WORDS = ("The workbook's Budgets sheet gives every interval, and the web page's budget slider the shortlist "
                   "at any budget.")


def _charts(outcome, shortlisted: list[dict[str, Any]], intervals: list[dict[str, Any]]) -> dict[str, Any]:
    upfront = outcome.upfront
    parts = [f"{r['id']} {fmt.money_short(written(r['offered']))} ({fmt.percent(written(r['offered']), upfront)})"
             for r in shortlisted]
    parts.append(f"left {fmt.money_short(outcome.remaining)} ({fmt.percent(outcome.remaining, upfront)})")
    sweep = outcome.intervals
    used = next(iv for iv in sweep if iv.start <= upfront <= iv.end)
    most = max(sweep, key=lambda iv: (len(iv.chosen), -iv.start))
    top = sweep[-1].end
    # budgets at which a project comes in or goes out (not those at which the same projects are only reordered),
    # read from the document's intervals (*intervals*, :func:`_sweep`)
    changes = sum(1 for iv in intervals[1:] if iv["entered"] or iv["left"])
    return {
        "allocation": {
            "title": f"How the upfront allocation of {fmt.money_short(upfront)} is shared",
            "description": "One bar for each shortlisted project, with its amount and its share of the upfront "
                           "allocation, and one for what is left: " + "; ".join(parts) + ".",
        },
        "sweep": {
            "title": "Total score and number of projects shortlisted at every upfront allocation",
            "description": (
                f"From £0 to {fmt.money_short(top)} the shortlist changes at {fmt.count(changes, 'budget')}. "
                f"At the allocation used, {fmt.money_short(upfront)}, {fmt.count(len(used.chosen), 'project')} "
                f"{'is' if len(used.chosen) == 1 else 'are'} shortlisted for "
                f"{fmt.money_short(used.allocated)}, with a total score of "
                f"{fmt.points(Fraction(str(fmt.points_json(Fraction(used.score, UNITS)))))}. The most shortlisted at "
                f"once is "
                f"{fmt.count(len(most.chosen), 'project')}, from {fmt.money_short(most.start)}. "
                + (_TABLE_WORDS if len(sweep) <= LONGEST else _NO_TABLE_WORDS)),
        },
    }


def _assumptions(outcome) -> list[dict[str, str]]:
    """Every value the round and its proposals take as assumed (no published report gives it), in the order of
    :func:`engine.inputs.provenance.assumptions`: whose it is (``rules`` or a proposal's id), the field and the value
    (``""`` for free text)."""
    from ..inputs import provenance

    return [{"file": a.owner, "field": a.path, "value": a.value}
            for a in provenance.assumptions(outcome.round, [d.proposal for d in outcome.decisions])]


def _provenance(outcome, files: Sequence[tuple[str, str, str]], engine: str) -> dict[str, Any]:
    return {
        "engine": f"crg {metadata.version('crg')}",
        "rule_engine": engine,
        "policy": outcome.policy,
        "overrides": list(outcome.overrides),
        "files": [{"role": role, "name": name, "sha256": sha256} for role, name, sha256 in files],
    }


def _sha256(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def from_register(kept) -> dict[str, Any]:
    """The recommendation *kept* with a run (:class:`~engine.record.recommendation.Recommendation`), with the
    run's particulars (``record``) and the Chair's decision recorded on it, if any (``decision.recorded``)."""
    from . import record as words

    rec = kept.recorded
    run = rec.run
    doc = dict(kept.document)
    doc["record"] = {
        "run": run.id,
        "recorded_at": run.recorded_at,
        "recorded": fmt.timestamp(run.recorded_at),
        "by": run.by,
        "note": run.note,
        "engine_version": run.engine_version,
        "rule_engine": run.engine,
        "hash": run.hash,
        "rebuilt": words.rebuilt_words(kept),
    }
    d = rec.decision
    recorded = None
    if d is not None:
        lines = {line.id: line for line in rec.lines()}
        recorded = {
            "decision": d.id,
            "outcome": d.outcome,
            "by": d.by,
            "decided_at": d.decided_at,
            "note": d.note,
            "text": words.decision_words(d),
            "replaces": words.replaces_words(rec),
            "departures": [{"id": x.proposal, "title": lines[x.proposal].title,
                            "amount": fmt.money_json(lines[x.proposal].amount), "recommended": x.recommended,
                            "decided": x.decided, "reason": x.reason} for x in d.departures],
            "funded": words.funded_words(rec),
        }
    doc["decision"] = {**doc["decision"], "run": run.id, "recorded": recorded}
    return doc
