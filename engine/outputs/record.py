"""Rendering the register: a run as recorded, the list of runs, a replay, two runs compared, a check.

Nothing here recomputes a decision: a run is shown from what it recorded.
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any, Sequence

from tabulate import tabulate

from .. import fmt
from ..errors import did_you_mean
from ..inputs.money import written
from ..record.changes import ABSENT
from .report import dumps

__all__ = [
    "decided_text", "decision_words", "diff_json", "diff_text", "funded_words", "history_json", "history_text",
    "rebuilt_note", "rebuilt_words", "recorded_text", "replaces_words", "replay_json", "replay_text", "show_json",
    "show_markdown", "show_text", "verify_text",
]


def _short(hash_: str) -> str:
    return hash_[:12]


def _files(run) -> str:
    proposals = run.inputs_of("proposal")
    scenarios = run.inputs_of("scenario")
    text = f"{run.rules.name} and {len(proposals)} proposal{'s' if len(proposals) != 1 else ''} in {run.folder}"
    if scenarios:
        text += "; scenario " + ", ".join(s.name for s in scenarios)
    return text


def _what_ifs(doc: dict) -> str:
    return "; ".join(o["text"] for o in doc["overrides"]) or "none"


def _made(run) -> str:
    return f"{fmt.timestamp(run.recorded_at)} by {run.by}, with crg {run.engine_version} (rule engine {run.engine})"


# --- crg record -------------------------------------------------------------------------------------


def recorded_text(run) -> str:
    """What ``crg record`` prints: the outcome, where it was kept, and the run's id alone on the last line."""
    return (f"{run.table}\nRecorded as run {run.id}: {_made(run)}; {len(run.inputs)} files kept; "
            f"hash {_short(run.hash)}.\n{run.id}\n")


# --- crg history ------------------------------------------------------------------------------------


def _decision_summary(d) -> dict[str, Any] | None:
    if d is None:
        return None
    return {"decision": d.id, "outcome": d.outcome, "by": d.by, "decided_at": d.decided_at, "note": d.note,
            "departures": [{"proposal": x.proposal, "recommended": x.recommended, "decided": x.decided,
                            "reason": x.reason} for x in d.departures],
            "hash": d.hash}


def _summary(rec) -> dict[str, Any]:
    run = rec.run
    doc = run.document()
    return {
        "run": run.id,
        "recorded_at": run.recorded_at,
        "by": run.by,
        "note": run.note,
        "engine_version": run.engine_version,
        "round": {"id": run.round_id, "name": run.round_name},
        "overrides": [o["text"] for o in doc["overrides"]],
        "policy": doc["policy"],
        "upfront": doc["upfront"],
        "allocated": doc["allocated"],
        "shortlist": [p["id"] for p in doc["proposals"] if p["status"] == "shortlisted"],
        "hash": run.hash,
        "decision": _decision_summary(rec.decision),
    }


def history_json(records) -> str:
    """``crg history --format json``: one object per run, oldest first, with the decision that stands."""
    return dumps([_summary(rec) for rec in records])


def _decided(d) -> str:
    if d is None:
        return "-"
    changes = f", {len(d.departures)} change{'s' if len(d.departures) != 1 else ''}" if d.outcome == "amended" else ""
    return f"{d.outcome} by {d.by}{changes}"


def history_text(records, round_id: str | None = None, rounds: Sequence[str] = ()) -> str:
    """``crg history``: one line per run, oldest first.  With none of round *round_id* while the register holds
    runs of *rounds*, it says so, naming the nearest (the id may be misspelt)."""
    if not records:
        if round_id is not None and rounds:
            return (f"No runs of round '{round_id}' recorded{did_you_mean(round_id, rounds)}; the register holds "
                    f"runs of {', '.join(rounds)}.\n")
        return "No runs recorded.\n"
    rows = []
    for rec in records:
        run, s = rec.run, _summary(rec)
        rows.append([run.id, fmt.timestamp(run.recorded_at), run.round_id, run.by, run.engine_version,
                     "; ".join(s["overrides"]) or "-", len(s["shortlist"]),
                     fmt.money(written(s["allocated"])), _decided(rec.decision), run.note or "-"])
    headers = ["run", "recorded", "round", "by", "crg", "what-ifs", "shortlisted", "allocated", "decision", "note"]
    return tabulate(rows, headers, tablefmt="simple", disable_numparse=True,
                    colalign=("right", "left", "left", "left", "left", "left", "right", "right", "left", "left")) + "\n"


# --- crg show ---------------------------------------------------------------------------------------


def _head(run) -> list[str]:
    doc = run.document()
    lines = [f"Run {run.id}: {run.round_name}",
             f"Recorded {_made(run)}."]
    if run.note:
        lines.append(f"Note: {run.note}")
    lines += [f"Files: {_files(run)}.", f"What-ifs: {_what_ifs(doc)}.", f"Hash: {run.hash}"]
    return lines


def decision_words(d) -> str:
    """The Chair's decision *d* in a sentence: the outcome, who, when, and the note."""
    return (f"{d.outcome.capitalize()} by {d.by}, {fmt.timestamp(d.decided_at)}"
            + (f". Note: {d.note}" if d.note else "") + ".")


def replaces_words(rec) -> str | None:
    """The earlier decisions on the run of *rec* that the standing one replaces, in a sentence (None: none)."""
    if len(rec.decisions) < 2:
        return None
    return "It replaces " + ", ".join(f"decision {x.id} ({x.outcome} by {x.by}, {fmt.timestamp(x.decided_at)})"
                                      for x in rec.decisions[:-1]) + "."


def funded_words(rec) -> str:
    """What the standing decision on the run of *rec* funds, against the upfront allocation."""
    funded, upfront = rec.funded, rec.upfront
    n = sum(line.decided == "funded" for line in rec.lines())
    gap = upfront - funded
    where = (f"{fmt.money(-gap)} more than the upfront allocation of {fmt.money(upfront)}" if gap < 0 else
             f"within the upfront allocation of {fmt.money(upfront)}, {fmt.money(gap)} left")
    return f"Funded: {n} proposal{'s' if n != 1 else ''} for {fmt.money(funded)}, {where}."


def _side_by_side(rec, tablefmt: str) -> str:
    rows = [[line.id, fmt.money(line.amount), line.recommended, line.decided or "-",
             line.reason or ("-" if line.decided is None or (line.decided == "funded") == (line.recommended == "shortlisted")
                             else "")]
            for line in rec.lines()]
    return tabulate(rows, ["id", "amount", "recommended", "the Chair decided", "reason for a departure"],
                    tablefmt=tablefmt, disable_numparse=True, colalign=("left", "right", "left", "left", "left"))


def _decision_section(rec, markdown: bool) -> list[str]:
    d = rec.decision
    title = "## The Chair's decision" if markdown else "The Chair's decision"
    if d is None:
        return [title, "", f"Not recorded yet (crg decide {rec.run.id} --outcome approved|amended|declined --by NAME)."]
    out = [title, "", f"Decision {d.id}: {decision_words(d)}"]
    replaces = replaces_words(rec)
    if replaces:
        out.append(replaces)
    out += ["", _side_by_side(rec, "github" if markdown else "simple"), "", funded_words(rec)]
    return out


def show_text(rec) -> str:
    """``crg show``: the run's particulars, its outcome as printed when recorded, and the Chair's decision beside it."""
    return ("\n".join(_head(rec.run)) + "\n\n" + rec.run.table + "\n"
            + "\n".join(_decision_section(rec, markdown=False)) + "\n")


def show_json(rec) -> str:
    """``crg show --format json``: the run's particulars, its files, its outcome document and the decisions on it."""
    run = rec.run
    doc = {
        "run": run.id,
        "recorded_at": run.recorded_at,
        "by": run.by,
        "note": run.note,
        "engine_version": run.engine_version,
        "engine": run.engine,
        "round": {"id": run.round_id, "name": run.round_name},
        "folder": run.folder,
        "inputs": [{"kind": i.kind, "name": i.name, "key": i.key, "sha256": i.sha256} for i in run.inputs],
        "previous": run.previous,
        "hash": run.hash,
        "outcome": run.document(),
        "decisions": [_decision_summary(d) for d in rec.decisions],
        "decided": [{"id": line.id, "amount": fmt.money_json(line.amount), "recommended": line.recommended,
                     "decided": line.decided, "reason": line.reason} for line in rec.lines()],
    }
    return dumps(doc)


def show_markdown(rec) -> str:
    """``crg show --format markdown``: the run's shortlist and decisions, from the record, with the Chair's decision
    and the files screened (the whole document is ``crg report --run``'s)."""
    run = rec.run
    doc = run.document()
    out = [f"# {run.round_name}: the Working Group's recommendation", "",
           f"Run {run.id} of the decision register, recorded {_made(run)}." + (f" Note: {run.note}" if run.note else ""),
           "", f"What-ifs: {_what_ifs(doc)}.", "", run.markdown.rstrip(), ""]
    out += _decision_section(rec, markdown=True)
    out += ["", "## The files screened", "",
            tabulate([[i.kind, f"`{i.name}`", i.key, f"`{_short(i.sha256)}`"] for i in run.inputs],
                     ["kind", "file", "id", "SHA-256 (first 12)"], tablefmt="github", disable_numparse=True),
            "", f"`crg replay {run.id}` re-runs these files with the engine of the day; `crg verify` checks that "
                f"this record has not changed since (its hash: `{run.hash}`)."]
    return "\n".join(out) + "\n"


def decided_text(d) -> str:
    """What ``crg decide`` prints."""
    out = [f"Recorded the Chair's decision {d.id} on run {d.run}: {decision_words(d)}"]
    out += [f"  {x.proposal} ({x.recommended}): {x.decided}, because {x.reason}" for x in d.departures]
    return "\n".join(out) + "\n"


# --- crg report --run ------------------------------------------------------------------------------


def _reworded(kept) -> str:
    n = len(kept.reworded)
    return (f"the words of {fmt.count(n, 'proposal')} {'is' if n == 1 else 'are'} today's (crg replay {kept.run.id} "
            "shows them)") if n else "so is every word"


def rebuilt_words(kept) -> str | None:
    """How the recommendation *kept* (:class:`~engine.record.recommendation.Recommendation`) was made again from
    its run's files, for a run recorded before the register kept documents (None: it was kept as it was)."""
    if kept.rebuilt_with is None:
        return None
    run = kept.run
    return (f"Run {run.id} was recorded with crg {run.engine_version}, before the register kept the recommendation "
            f"document, so this one was made again from the files kept with the run, with crg {kept.rebuilt_with}. "
            f"Every decision is as recorded (each proposal's status, rank, score and amount, and the totals); "
            f"{_reworded(kept)}.")


def rebuilt_note(kept) -> str | None:
    """What ``crg report --run`` says on stderr of a document made again (None: it was kept as it was)."""
    if kept.rebuilt_with is None:
        return None
    return (f"run {kept.run.id} kept no recommendation document (recorded with crg {kept.run.engine_version}): "
            f"made again from its kept files with crg {kept.rebuilt_with}; every decision is as recorded, "
            f"{_reworded(kept)}")


# --- crg replay -------------------------------------------------------------------------------------


def _shown(value) -> str:
    if value == ABSENT:
        return ABSENT
    return json.dumps(value, ensure_ascii=False)


def _grouped(differences) -> list[str]:
    out = []
    owner = object()
    for d in differences:
        if d.owner != owner:
            owner = d.owner
            out.append(f"  {owner}" if owner is not None else "  the run")
        out.append(f"    {d.field}: {_shown(d.before)} → {_shown(d.after)}")
    return out


def _causes(replay) -> list[str]:
    run = replay.run
    out = []
    if replay.rules_read:
        out.append("a changed rule: today's crg reads the run's own rules file differently:")
        out += [f"    {d.path}: {_shown(d.before)} → {_shown(d.after)}" for d in replay.rules_read]
    if replay.newer_engine:
        out.append(f"a newer engine version: recorded with crg {run.engine_version}, replayed with crg "
                   f"{replay.engine_version}")
    if not out:
        out.append(f"the engine changed though its version did not (crg {run.engine_version} both times)")
    return out


def replay_text(replay) -> str:
    """``crg replay``: identical, or every difference and its cause."""
    run = replay.run
    head = f"Run {run.id} ({run.round_name}, recorded {fmt.timestamp(run.recorded_at)}) replayed with crg {replay.engine_version}"
    if replay.refused is not None:
        return f"{head}: today's crg refuses its files.\n  {replay.refused}\n" + \
            "".join(f"Cause: {c}\n" for c in _causes(replay))
    if replay.identical:
        n = len(run.document()["proposals"])
        return f"{head}: identical, every one of the {n} decisions as recorded.\n"
    owners = {d.owner for d in replay.differences if d.owner is not None}
    parts = [f"{len(owners)} proposal{'s differ' if len(owners) != 1 else ' differs'}"] if owners else []
    if len(owners) < len({d.owner for d in replay.differences}):
        parts.append("the run's own figures differ")
    out = [f"{head}: {' and '.join(parts)} from the record.", ""] + _grouped(replay.differences) + [""]
    causes = _causes(replay)
    out += [f"Cause: {causes[0]}"] + [c if c.startswith("    ") else f"Cause: {c}" for c in causes[1:]]
    return "\n".join(out) + "\n"


def _difference_json(d) -> dict[str, Any]:
    return {"proposal": d.owner, "field": d.field, "recorded": None if d.before == ABSENT else d.before,
            "now": None if d.after == ABSENT else d.after}


def replay_json(replay) -> str:
    """``crg replay --format json``."""
    return dumps({
        "run": replay.run.id,
        "identical": replay.identical,
        "recorded_with": replay.run.engine_version,
        "replayed_with": replay.engine_version,
        "refused": replay.refused,
        "differences": [_difference_json(d) for d in replay.differences],
        "rules_read_differently": [{"path": d.path, "recorded": d.before, "now": d.after} for d in replay.rules_read],
        "causes": [c.strip() for c in _causes(replay)] if not replay.identical else [],
    })


# --- crg diff ---------------------------------------------------------------------------------------


def _status(status: str, rank) -> str:
    if status == ABSENT:
        return "not in the run"
    return status + (f" ({fmt.ordinal(rank)})" if isinstance(rank, int) else "")


_TOTAL_NAMES = {"policy": "policy", "upfront": "upfront allocation", "allocated": "allocated", "remaining": "remaining",
                "tactical": "tactical pot", "returned": "returned", "total_score": "total score"}


def _total(name: str, value) -> str:
    if value is None or value == ABSENT or name == "policy":
        return str(value)
    if name == "total_score":
        return fmt.points(Fraction(str(value)))
    return fmt.money(written(value))


def diff_text(d) -> str:
    """``crg diff``: the files, what-ifs and totals that changed, and each decision that moved with its reason."""
    a, b = d.before, d.after
    out = [f"Run {a.id} ({fmt.timestamp(a.recorded_at)}, crg {a.engine_version}) → "
           f"run {b.id} ({fmt.timestamp(b.recorded_at)}, crg {b.engine_version})"]
    if d.same:
        return out[0] + ": nothing changed.\n"
    out.append("")
    out.append("Files:" if d.files else "Files: the same.")
    for f in d.files:
        name = f.after or f.before
        if f.change == "renamed":
            out.append(f"  {f.kind} {f.key}: renamed {f.before} → {f.after}")
        else:
            out.append(f"  {f.kind} {f.key} ({name}): {f.change}")
        for field in f.fields:
            out.append(f"    {field.path}: {_shown(field.before)} → {_shown(field.after)}")
    if d.rules_read:
        out.append("Rules as read:")
        out += [f"  {x.path}: {_shown(x.before)} → {_shown(x.after)}" for x in d.rules_read]
    if d.overrides[0] != d.overrides[1]:
        out.append(f"What-ifs: {'; '.join(d.overrides[0]) or 'none'} → {'; '.join(d.overrides[1]) or 'none'}")
    if d.totals:
        out.append("Totals: " + "; ".join(f"{_TOTAL_NAMES[x.path]} {_total(x.path, x.before)} → {_total(x.path, x.after)}"
                                          for x in d.totals))
    out.append("")
    if not d.moves:
        out.append("No decision moved.")
    else:
        out.append("Decisions that moved:")
    for m in d.moves:
        out.append(f"  {m.id}: {_status(m.status[0], m.rank[0])} → {_status(m.status[1], m.rank[1])}")
        out += [f"    {reason}" for reason in m.reasons]
    if d.reworded:
        out += ["", "Kept their place, with other figures or words: " + ", ".join(d.reworded)]
    return "\n".join(out) + "\n"


def diff_json(d) -> str:
    """``crg diff --format json``."""
    def plain(x):
        return None if x == ABSENT else x

    return dumps({
        "before": d.before.id,
        "after": d.after.id,
        "same": d.same,
        "engine_versions": [d.before.engine_version, d.after.engine_version],
        "files": [{"kind": f.kind, "id": f.key, "change": f.change, "before": f.before, "after": f.after,
                   "fields": [{"path": x.path, "before": plain(x.before), "after": plain(x.after)} for x in f.fields]}
                  for f in d.files],
        "rules_read": [{"path": x.path, "before": plain(x.before), "after": plain(x.after)} for x in d.rules_read],
        "overrides": {"before": list(d.overrides[0]), "after": list(d.overrides[1])},
        "totals": [{"name": x.path, "before": plain(x.before), "after": plain(x.after)} for x in d.totals],
        "moved": [{"id": m.id, "status": [plain(s) for s in m.status], "rank": [plain(r) for r in m.rank],
                   "reasons": list(m.reasons)} for m in d.moves],
        "reworded": list(d.reworded),
    })


# --- crg verify -------------------------------------------------------------------------------------


def verify_text(v) -> str:
    """``crg verify``: the register is as written, or the first run that is not, then every problem."""
    runs = f"{v.runs} run{'s' if v.runs != 1 else ''}"
    decisions = f"{v.decisions} decision{'s' if v.decisions != 1 else ''} of the Chair"
    if v.sound:
        return (f"The register holds {runs} and {decisions}, every one as recorded; both chains are whole.\n"
                f"Hash of the last run: {v.head}\n"
                f"Hash of the last decision: {v.decisions_head}\n")
    first = v.first
    where = f"Run {first.run}" if first.run is not None else "The register"
    out = [f"{where} is not as recorded: {first.text}."]
    out += [f"  {'run ' + str(p.run) if p.run is not None else 'the file'}: {p.text}" for p in v.problems[1:]]
    return "\n".join(out) + "\n"
