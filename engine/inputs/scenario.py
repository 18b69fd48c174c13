"""What-ifs: overrides of a round and its proposals, from flags or from scenario files.

An :class:`Overrides` value names every premise a run changes: the upfront
allocation, the policy, scoring weights, rules relaxed, proposals withdrawn
and costs changed.  Each is checked against the round and the proposals
(an unknown id is bad input, with the near names suggested) and described in
words, so a result never hides its premises.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Sequence

import attrs

from .. import fmt
from . import money, values
from ..errors import InputError, Problems, did_you_mean
from .proposal import Proposal
from .round import SHORTLIST_POLICIES, Round, policy as parse_policy
from .schema import Spec
from .yamlfile import YamlFile, read

__all__ = ["FIELDS", "Overrides", "Scenario", "apply", "load_scenario", "parse_cost", "parse_relax", "parse_weight",
           "run", "scenario_from_file"]

RELAX_MODES = ("off", "flag")


@attrs.frozen
class Overrides:
    """Changes to a round and its proposals for one run."""

    upfront: int | None = None
    policy: str | None = None
    weights: tuple[tuple[str, Fraction], ...] = ()
    relax: tuple[tuple[str, str], ...] = ()  # (rule id, "off" | "flag")
    without: tuple[str, ...] = ()
    costs: tuple[tuple[str, int], ...] = ()

    @classmethod
    def from_flags(cls, *, upfront=None, policy=None, weights=(), relax=(), without=(), costs=()) -> "Overrides":
        """The overrides given as command-line flags (texts), each checked."""
        return cls(
            upfront=_flag_amount(upfront, "--upfront"),
            policy=policy,
            weights=tuple(parse_weight(w) for w in weights),
            relax=tuple(parse_relax(r) for r in relax),
            without=tuple(dict.fromkeys(without)),
            costs=tuple(parse_cost(c) for c in costs),
        )

    def __bool__(self) -> bool:
        return any((self.upfront is not None, self.policy, self.weights, self.relax, self.without, self.costs))

    def then(self, other: "Overrides") -> "Overrides":
        """These overrides with *other* applied on top."""
        return Overrides(
            upfront=other.upfront if other.upfront is not None else self.upfront,
            policy=other.policy or self.policy,
            weights=_merge(self.weights, other.weights),
            relax=_merge(self.relax, other.relax),
            without=tuple(dict.fromkeys(self.without + other.without)),
            costs=_merge(self.costs, other.costs),
        )

    def as_mapping(self) -> dict:
        """These overrides as plain JSON values, exactly: pence as integers, weights as fractions ``"1/3"``."""
        return {
            "upfront": self.upfront,
            "policy": self.policy,
            "weights": [[cid, str(weight)] for cid, weight in self.weights],
            "relax": [[rule, mode] for rule, mode in self.relax],
            "without": list(self.without),
            "costs": [[pid, cost] for pid, cost in self.costs],
        }

    @classmethod
    def from_mapping(cls, data: dict) -> "Overrides":
        """The overrides written by :meth:`as_mapping`."""
        return cls(
            upfront=data["upfront"],
            policy=data["policy"],
            weights=tuple((cid, Fraction(weight)) for cid, weight in data["weights"]),
            relax=tuple((rule, mode) for rule, mode in data["relax"]),
            without=tuple(data["without"]),
            costs=tuple((pid, cost) for pid, cost in data["costs"]),
        )

    def describe(self) -> list[dict[str, str]]:
        """Each override as ``{"name", "value", "text"}``, in a fixed order."""
        out = []
        if self.upfront is not None:
            out.append({"name": "upfront", "value": fmt.money_json(self.upfront),
                        "text": f"upfront allocation set to {fmt.money_short(self.upfront)}"})
        if self.policy:
            out.append({"name": "policy", "value": self.policy, "text": f"policy set to {self.policy}"})
        for cid, weight in self.weights:
            out.append({"name": "weight", "value": f"{cid}={fmt.number(weight)}",
                        "text": f"weight of {cid} set to {fmt.number(weight)}"})
        for rule, mode in self.relax:
            out.append({"name": "relax", "value": f"{rule}={mode}",
                        "text": f"rule {rule} switched off" if mode == "off" else f"rule {rule} only flags"})
        for pid in self.without:
            out.append({"name": "without", "value": pid, "text": f"proposal {pid} withdrawn"})
        for pid, cost in self.costs:
            out.append({"name": "cost", "value": f"{pid}={fmt.money_json(cost)}",
                        "text": f"cost of {pid} set to {fmt.money_short(cost)}"})
        return out


def _flag_amount(text: str | None, flag: str) -> int | None:
    if text is None:
        return None
    try:
        return money.parse(text)
    except InputError as exc:
        raise InputError(exc.problem, field=flag, fix=exc.fix) from None


def _merge(a: tuple, b: tuple) -> tuple:
    merged = dict(a)
    merged.update(dict(b))
    return tuple(merged.items())


@attrs.frozen
class Scenario:
    """A named set of overrides, kept in a file."""

    name: str
    overrides: Overrides
    file: str = ""


# --- reading overrides from flags -----------------------------------------------------------------


def parse_weight(text: str) -> tuple[str, Fraction]:
    """``panel=3`` -> ``("panel", Fraction(3))``."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise InputError(f"'{text}' is not NAME=WEIGHT", field="--weight", fix="write it as --weight panel=3")
    try:
        return name.strip(), Fraction(values.number(value))
    except InputError as exc:
        raise InputError(exc.problem, field="--weight", fix="write it as --weight panel=3") from None


def parse_relax(text: str) -> tuple[str, str]:
    """``RULE`` (switched off) or ``RULE=flag`` (a concern only)."""
    rule, sep, mode = text.partition("=")
    mode = mode.strip() if sep else "off"
    if mode not in RELAX_MODES:
        raise InputError(f"'{mode}' is not a way to relax a rule", field="--relax",
                         fix="write --relax RULE_ID to switch it off, or --relax RULE_ID=flag")
    return rule.strip(), mode


def parse_cost(text: str) -> tuple[str, int]:
    """``ID=AMOUNT`` -> ``(id, pence)``."""
    pid, sep, amount = text.partition("=")
    if not sep or not pid.strip():
        raise InputError(f"'{text}' is not ID=AMOUNT", field="--cost", fix="write it as --cost some-id=£4,000")
    try:
        return pid.strip(), values.amount_asked(amount)
    except InputError as exc:
        raise InputError(exc.problem, field="--cost", fix=exc.fix) from None


# --- scenario files -------------------------------------------------------------------------------


def _mapping(f, key: str, convert) -> tuple[tuple[str, object], ...]:
    """``(name, value)`` for each line of the optional mapping at *key*, each value converted."""
    sub = f.sub(key, required=False)
    if sub is None:
        return ()
    pairs = [(name, sub.take(name, convert)) for name in list(sub.data)]
    sub.done()
    return tuple((name, value) for name, value in pairs if value is not None)


def load_scenario(path: str | Path, *, name: str | None = None) -> Scenario:
    """Read a scenario file: a ``name`` and override keys named like the flags; every mistake at once."""
    return scenario_from_file(read(path, name=name))


def scenario_from_file(file: YamlFile) -> Scenario:
    """The scenario in a composed file (see :func:`load_scenario`)."""
    f = file.fields("a scenario")
    title = f.take("name", values.text)
    upfront = f.take("upfront", values.money_value, required=False)
    pol = f.take("policy", parse_policy, required=False)
    weights = tuple((key, Fraction(weight)) for key, weight in _mapping(f, "weights", values.number))
    if isinstance(f.data.get("relax"), dict):
        relax = _mapping(f, "relax", _mode)
    else:
        relax = tuple((rule, "off") for rule in f.take("relax", values.slug_list, required=False, default=()))
    without = f.take("without", values.slug_list, required=False, default=())
    costs = _mapping(f, "costs", values.amount_asked)
    f.done()
    return Scenario(title, Overrides(upfront, pol, weights, relax, without, costs), file.name)


def _mode(value) -> str:
    text = values.text(value)
    if text not in RELAX_MODES:
        raise InputError(f"{fmt.quoted(text)} is not a way to relax a rule", fix="write 'off' or 'flag'")
    return text


# every field of a scenario file
FIELDS: tuple[Spec, ...] = (
    Spec("name", values.text, "what the scenario is called in the comparison", "cut to £20,000"),
    Spec("upfront", values.money_value, "the upfront allocation to use instead of the round's", "£20,000",
         required=False),
    Spec("policy", parse_policy, "how to choose the shortlist instead of the round's policy", "optimal",
         required=False, type="choice", form=" or ".join(SHORTLIST_POLICIES)),
    Spec("weights", values.number, "scoring weights to change, by criterion id", "{panel: 5}", required=False,
         type="mapping", form="one 'criterion-id: weight' line each"),
    Spec("relax", _mode, "rules to switch off (a list of ids), or to make flag a concern only", "{received-by-deadline: flag}",
         required=False, type="list or mapping", form="[rule-id, ...], or one 'rule-id: off' or 'rule-id: flag' line each"),
    Spec("without", values.slug_list, "proposals to leave out, as if withdrawn", "[countywide-cctv-upgrade]",
         required=False),
    Spec("costs", values.amount_asked, "proposal costs to change, by proposal id", "{asb-community-mediation: 5400}",
         required=False, type="mapping", form="one 'proposal-id: amount' line each"),
)


# --- applying overrides ---------------------------------------------------------------------------


def apply(round_: Round, proposals: Sequence[Proposal], o: Overrides,
          *, where: str | None = None) -> tuple[Round, tuple[Proposal, ...]]:
    """The round and proposals with *o* applied; every unknown id is an :class:`InputError`, all raised at once."""
    problems = Problems()
    scoring = round_.scoring
    for cid, weight in o.weights:
        try:
            scoring = scoring.with_weight(cid, weight)
        except InputError as exc:
            problems.add(exc.located(where))
    if o.weights and not any(c.weight for c in scoring.criteria):
        problems.add(InputError("every weight would be 0, so every proposal would score 0", file=where,
                                field="weights", fix="give at least one criterion a weight above 0"))
    rules = list(round_.rules)
    rule_ids = [r.id for r in rules]
    for rule_id, mode in o.relax:
        if rule_id not in rule_ids:
            problems.add(InputError(f"no rule '{rule_id}' in {round_.file or round_.id}"
                                    f"{did_you_mean(rule_id, rule_ids)}", file=where, field="relax",
                                    fix="use one of: " + ", ".join(rule_ids)))
        elif mode == "off":
            rules = [r for r in rules if r.id != rule_id]
        else:
            rules = [attrs.evolve(r, severity="flag") if r.id == rule_id else r for r in rules]
    ids = [p.id for p in proposals]
    for pid in dict.fromkeys(list(o.without) + [pid for pid, _ in o.costs]):
        if pid not in ids:
            problems.add(InputError(f"no proposal '{pid}'{did_you_mean(pid, ids)}", file=where,
                                    field="without" if pid in o.without else "costs",
                                    fix="use the id of a proposal in the folder"))
        elif pid in o.without and pid in dict(o.costs):
            problems.add(InputError(f"'{pid}' is given a cost and also taken out, so its cost would count for "
                                    "nothing", file=where, field="costs",
                                    fix="either take it out or give it a cost, not both"))
    problems.check()
    costs = dict(o.costs)
    changed = []
    for p in proposals:
        if p.id in o.without:
            continue
        if p.id in costs:
            minimum = p.minimum_cost if p.minimum_cost is None or p.minimum_cost <= costs[p.id] else None
            p = attrs.evolve(p, cost=costs[p.id], minimum_cost=minimum)
        changed.append(p)
    new_round = attrs.evolve(round_, rules=tuple(rules), scoring=scoring, policy=o.policy or round_.policy)
    if o.upfront is not None:
        new_round = new_round.with_upfront(o.upfront)
    return new_round, tuple(changed)


def run(round_: Round, proposals: Sequence[Proposal], overrides: Overrides = Overrides(), *,
        engine: str = "durable", where: str | None = None, progress=None, counterfactuals: bool = True):
    """The outcome of *round_* with *overrides* applied, carrying the overrides' descriptions."""
    from ..decision.shortlist import decide

    changed_round, changed = apply(round_, proposals, overrides, where=where)
    outcome = decide(changed_round, changed, engine=engine, progress=progress, counterfactuals=counterfactuals)
    return attrs.evolve(outcome, overrides=tuple(overrides.describe()))
