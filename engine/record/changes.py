"""What differs between two records: two outcomes, two readings of the rules, two versions of a file.

Every record here is plain data (a JSON document, or the mapping of a YAML
file), compared by :func:`flatten`-ing both into ``path -> value`` and
listing each path whose value differs.  Lists of mappings are keyed by their
``id`` (or ``rule``, ``criterion``) where that is unique, so a proposal moving
up the list is one change of rank, not a change at every position after it.
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import attrs

from .. import fmt
from ..errors import InputError
from ..inputs.money import written

__all__ = ["ABSENT", "Difference", "FileChange", "Move", "RunDiff", "decided_differences", "differences", "diff_runs",
           "flatten"]

ABSENT = "(absent)"  # the value of a path one side does not have

_KEYS = ("id", "rule", "criterion")


@attrs.frozen
class Difference:
    """One value that differs: where, before and after (:data:`ABSENT` when one side lacks it)."""

    path: str
    before: Any
    after: Any

    @property
    def owner(self) -> str | None:
        """The proposal a difference of an outcome belongs to (``proposals[ID]...``), if any."""
        if self.path.startswith("proposals[") and "]" in self.path:
            return self.path[len("proposals["):self.path.index("]")]
        return None

    @property
    def field(self) -> str:
        """The path within its proposal (``status``), or the whole path."""
        if self.owner is None:
            return self.path
        return self.path[self.path.index("]") + 1:].lstrip(".") or "(the proposal)"


def _key(items: list) -> str | None:
    """The field that names each mapping of *items* once, if there is one."""
    if not items or not all(isinstance(item, dict) for item in items):
        return None
    for key in _KEYS:
        names = [item.get(key) for item in items]
        if all(isinstance(n, str) for n in names) and len(set(names)) == len(names):
            return key
    return None


def flatten(value: Any, path: str = "") -> dict[str, Any]:
    """Every scalar of *value* by its path (``proposals[asb].checks[late].passed``); empty containers too."""
    out: dict[str, Any] = {}
    if isinstance(value, dict) and value:
        for name, item in value.items():
            out.update(flatten(item, f"{path}.{name}" if path else str(name)))
    elif isinstance(value, list) and value:
        key = _key(value)
        for i, item in enumerate(value):
            out.update(flatten(item, f"{path}[{item[key] if key else i + 1}]"))
    else:
        out[path] = value
    return out


def differences(before: Any, after: Any) -> list[Difference]:
    """Every path whose value differs between *before* and *after*, in the order of *before* then *after*."""
    a, b = flatten(before), flatten(after)
    paths = list(a) + [p for p in b if p not in a]
    return [Difference(p, a.get(p, ABSENT), b.get(p, ABSENT)) for p in paths
            if (p in a) != (p in b) or a[p] != b[p]]


# --- two runs ------------------------------------------------------------------------------------


@attrs.frozen
class FileChange:
    """A file of one run against the same file (by round, proposal id or scenario name) of another."""

    kind: str  # rules | proposal | scenario
    key: str
    change: str  # added | removed | edited | renamed
    before: str | None  # its name in the first run
    after: str | None  # its name in the second
    fields: tuple[Difference, ...] = ()  # for an edited file: the values that differ, as written


@attrs.frozen
class Move:
    """A proposal whose status or rank differs between two runs, and why."""

    id: str
    status: tuple[str, str]  # before, after (ABSENT when not in that run)
    rank: tuple[Any, Any]
    reasons: tuple[str, ...]


@attrs.frozen
class RunDiff:
    """What changed from one recorded run to another."""

    before: Any  # Run
    after: Any  # Run
    files: tuple[FileChange, ...]
    rules_read: tuple[Difference, ...]  # the rules and figures as each run's engine read them
    overrides: tuple[tuple[str, ...], tuple[str, ...]]  # the what-ifs of each, in words
    totals: tuple[Difference, ...]  # policy, upfront, allocated, remaining, tactical, returned, total score
    moves: tuple[Move, ...]
    reworded: tuple[str, ...]  # proposals that kept their place but whose score or words changed

    @property
    def same(self) -> bool:
        return not (self.files or self.rules_read or self.totals or self.moves or self.reworded
                    or self.overrides[0] != self.overrides[1])


_TOTALS = ("policy", "upfront", "allocated", "remaining", "tactical", "returned", "total_score")
_DECIDED = ("status", "rank", "score", "cost", "offered")  # what is decided of a proposal, its words apart


def decided_differences(before: dict[str, Any], after: dict[str, Any]) -> list[Difference]:
    """Where two outcome documents differ in what they decide: the totals, which proposals are in the round,
    and each proposal's status, rank, score, cost and offer.  Words (reasons, explanations) are left aside."""
    def decided(doc: dict[str, Any]) -> dict[str, Any]:
        return {**{k: doc.get(k) for k in _TOTALS},
                "proposals": [{k: p.get(k) for k in ("id",) + _DECIDED} for p in doc["proposals"]]}

    return differences(decided(before), decided(after))


def diff_runs(before, after) -> RunDiff:
    """What changed from run *before* to run *after*, from what each recorded (never the disk)."""
    a, b = before.document(), after.document()
    files = _file_changes(before.inputs, after.inputs)
    edited = {f.key: f for f in files if f.kind == "proposal"}
    totals = tuple(d for d in differences({k: a.get(k) for k in _TOTALS}, {k: b.get(k) for k in _TOTALS}))
    words = (tuple(o["text"] for o in a["overrides"]), tuple(o["text"] for o in b["overrides"]))
    context = _round_changes(before, after, files, words)
    pa = {p["id"]: p for p in a["proposals"]}
    pb = {p["id"]: p for p in b["proposals"]}
    moves, reworded = [], []
    for pid in list(pa) + [pid for pid in pb if pid not in pa]:
        x, y = pa.get(pid), pb.get(pid)
        status = (x["status"] if x else ABSENT, y["status"] if y else ABSENT)
        rank = (x["rank"] if x else ABSENT, y["rank"] if y else ABSENT)
        if status[0] != status[1] or rank[0] != rank[1]:
            moves.append(Move(pid, status, rank, tuple(_reasons(x, y, edited.get(pid), context))))
        elif x != y:
            reworded.append(pid)
    return RunDiff(before, after, tuple(files),
                   tuple(differences(json.loads(before.reading), json.loads(after.reading))),
                   words, totals, tuple(moves), tuple(reworded))


def _file_changes(before, after) -> list[FileChange]:
    out = []
    for kind in ("rules", "proposal", "scenario"):
        a = {i.key: i for i in before if i.kind == kind}
        b = {i.key: i for i in after if i.kind == kind}
        if kind == "rules":  # one rules file a run: the same file, whatever its round's id
            a, b = ({"": i for i in a.values()}, {"": i for i in b.values()})
        for key in list(a) + [k for k in b if k not in a]:
            x, y = a.get(key), b.get(key)
            label = key or (y or x).key
            if x is None:
                out.append(FileChange(kind, label, "added", None, y.name))
            elif y is None:
                out.append(FileChange(kind, label, "removed", x.name, None))
            elif x.sha256 != y.sha256:
                out.append(FileChange(kind, label, "edited", x.name, y.name, tuple(_written(x, y))))
            elif x.name != y.name:
                out.append(FileChange(kind, label, "renamed", x.name, y.name))
    return out


def _written(x, y) -> list[Difference]:
    """The values of two versions of a file that differ, as written in them (none when the register has lost the
    bytes of either, or they no longer read)."""
    if x.data is None or y.data is None:
        return []
    try:
        return differences(x.source().yaml().data, y.source().yaml().data)
    except (InputError, TypeError):  # no longer readable
        return []


def _round_changes(before, after, files, words) -> list[str]:
    """What changed for every proposal at once: the what-ifs, the rules file, the engine."""
    out = []
    if words[0] != words[1]:
        out.append(f"the what-ifs went from {'; '.join(words[0]) or 'none'} to {'; '.join(words[1]) or 'none'}")
    if any(f.kind == "rules" and f.change == "edited" for f in files):
        out.append("the rules file changed")
    if any(f.kind == "scenario" for f in files):
        out.append("the scenario files changed")
    if before.engine_version != after.engine_version:
        out.append(f"the engine went from crg {before.engine_version} to crg {after.engine_version}")
    return out


def _reasons(x, y, file: FileChange | None, context: list[str]) -> list[str]:
    """Why proposal *x* of the first run became *y* of the second (either may be None).

    Its own changes first (its file, its checks, its score); when it has none,
    what changed for the whole round (*context*).
    """
    if x is None:
        return ["its file is new" if file is not None and file.change == "added" else
                "it was withdrawn (what-if) in the first run"]
    if y is None:
        return ["its file was taken out" if file is not None and file.change == "removed" else
                "it is withdrawn (what-if) in the second run"]
    out = []
    if file is not None and file.change == "edited":
        out.append("its file changed" + (": " + "; ".join(f"{d.path} {_written_value(d.before)} → "
                                                          f"{_written_value(d.after)}" for d in file.fields)
                                         if file.fields else ""))
    checks = {c["rule"]: c for c in x["checks"]}
    for c in y["checks"]:
        was = checks.get(c["rule"])
        if was is None:
            out.append(f"rule {c['rule']} is new" + ("" if c["passed"] else f" and it fails: {c['reason']}"))
        elif was["passed"] != c["passed"]:
            out.append(f"rule {c['rule']} now " + ("passes" if c["passed"] else f"fails: {c['reason']}"))
    edited_cost = file is not None and any(d.path == "cost" for d in file.fields)  # said with the file
    if x.get("cost") != y.get("cost") and not edited_cost and None not in (x.get("cost"), y.get("cost")):
        out.append(f"its cost went from {fmt.money(written(x['cost']))} to {fmt.money(written(y['cost']))}")
    if None not in (x["score"], y["score"]) and x["score"] != y["score"]:
        was, now = _points(x["score"]), _points(y["score"])
        out.append(f"its score went from {was} to {now}" if was != now
                   else f"its score moved too little to show at one decimal ({now})")
    if not out:
        out.append("nothing of its own changed; " + ("; ".join(context) if context else "other proposals did"))
    out.append(f"now: {y['explanation']}")
    return out


def _points(value: float) -> str:
    """A score as the record holds it (three decimals), shown with one, as every command shows a score."""
    return fmt.points(Fraction(str(value)))


def _written_value(value) -> str:
    return value if value == ABSENT else repr(value)
