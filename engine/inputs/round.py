"""A funding round: its money, dates, priorities and eligibility rules, from one YAML file."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from ..decision import conditions
from .. import fmt
from . import provenance, values
from ..decision.conditions import Condition, Ref
from ..errors import InputError, did_you_mean
from ..decision.score import Scoring, default_scoring, parse_scoring
from .yamlfile import Fields, YamlFile, read

if TYPE_CHECKING:
    from .tactical import TacticalPot

__all__ = ["DEADLINES", "LEFTOVER", "Priority", "Round", "Rule", "load_round", "parse_rules", "unknown_priorities"]

# the deadlines a rules file may give, and the words used for each in explanations
DEADLINES = {
    "proposals_due": "the deadline",
    "working_group": "the Working Group meeting",
    "business_case_due": "the business case deadline",
    "delivery_end": "the delivery deadline",
    "tactical_closes": "the closing of the tactical pot",
}

# where upfront money left unallocated goes
LEFTOVER = {"tactical pot": "added to the tactical pot", "returned": "returned to the OPCC"}

SEVERITIES = ("reject", "flag")

# how the shortlist is chosen within the upfront allocation
POLICIES = ("rank", "optimal", "consensus-first")


@attrs.frozen
class Priority:
    """A priority or cross-cutting theme: its id and its name."""

    id: str
    name: str


@attrs.frozen
class Rule:
    """One eligibility rule of a round."""

    id: str
    says: str  # the rule in plain words
    source: str  # which document says so
    severity: str  # reject | flag
    check: Condition
    when: Condition | None = None  # the rule applies only to proposals for which this holds
    fails: Condition = attrs.field(init=False, eq=False, repr=False,
                                   default=attrs.Factory(lambda self: self._failure(), takes_self=True))

    def _failure(self) -> Condition:
        fails = conditions.negate(self.check)
        if self.when is None:
            return fails
        return conditions.All((conditions.push_down(self.when), fails))

    def failure(self) -> Condition:
        """The condition, with no ``not`` left in it, under which a proposal fails this rule."""
        return self.fails


@attrs.frozen
class Round:
    """A funding round, as read from its rules file."""

    id: str
    name: str
    financial_year: str  # "2026/27"
    year_start: dt.date
    year_end: dt.date
    grant: int  # pence
    upfront: int
    tactical: int
    leftover: str  # a key of LEFTOVER
    deadlines: tuple[tuple[str, dt.date], ...]
    pcc: tuple[Priority, ...]
    csa: tuple[Priority, ...]
    cross_cutting: tuple[Priority, ...]
    rules: tuple[Rule, ...]
    plan: str | None = None
    source: str | None = None
    money_source: str | None = None
    tactical_opens: str | None = None
    notes: str | None = None
    scoring: Scoring = attrs.field(factory=default_scoring)
    policy: str = "rank"
    reduced_offers: bool = False
    warnings: tuple[str, ...] = ()
    file: str = attrs.field(default="", eq=False)
    illustrative: bool | None = None  # None: the file does not say
    assumed: tuple[tuple[str, str], ...] = ()  # (key path, the value as written) of each assumed value
    sources: tuple[tuple[str, str], ...] = ()  # (section, source) of deadlines, priorities, selection
    tactical_pot: TacticalPot | None = None

    def deadline(self, name: str) -> dt.date | None:
        return dict(self.deadlines).get(name)

    def priority_names(self) -> dict[str, str]:
        """Every priority and theme id of the round, with its name."""
        return {p.id: p.name for group in (self.pcc, self.csa, self.cross_cutting) for p in group}

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise InputError(f"no rule '{rule_id}' in {self.file or self.id}{did_you_mean(rule_id, [r.id for r in self.rules])}",
                         fix="use one of: " + ", ".join(r.id for r in self.rules))


def parse_financial_year(value) -> tuple[str, dt.date, dt.date]:
    """``2026/27`` as its text, its first day and its last day."""
    text = values.text(value)
    match = re.fullmatch(r"(\d{4})/(\d{2})", text)
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise InputError(f"'{text}' is not a financial year", fix="write it as 2026/27 (1 April 2026 to 31 March 2027)")
    start = int(match[1])
    if not 1900 <= start <= 2998:
        raise InputError(f"'{text}' is not a financial year this tool can use",
                         fix="write a year such as 2026/27")
    return text, dt.date(start, 4, 1), dt.date(start + 1, 3, 31)


def _leftover(value) -> str:
    text = values.text(value)
    if text not in LEFTOVER:
        raise InputError(f"'{text}' is not where leftover money can go{did_you_mean(text, LEFTOVER)}",
                         fix="write 'tactical pot' or 'returned'")
    return text


def _priorities(f: Fields, key: str) -> tuple[Priority, ...]:
    group = f.sub(key)
    out = []
    for pid, name in group.data.items():
        try:
            values.slug(pid)
        except InputError as exc:
            raise group.file.error(group.path + (pid,), exc.problem, exc.fix, at_key=True) from None
        out.append(Priority(pid, group.take(pid, values.text)))
    group.done()
    if not out:
        raise f.error(key, "lists no priorities", fix="list each as 'id: name'")
    return tuple(out)


def _references(rnd: dict) -> dict[str, Ref]:
    refs = {
        "financial_year.start": Ref("financial_year.start", "date", rnd["year_start"].toordinal(),
                                    "the start of the financial year"),
        "financial_year.end": Ref("financial_year.end", "date", rnd["year_end"].toordinal(),
                                  "the end of the financial year"),
        "money.grant": Ref("money.grant", "money", rnd["grant"], "the grant"),
        "money.upfront": Ref("money.upfront", "money", rnd["upfront"], "the upfront allocation"),
        "money.tactical": Ref("money.tactical", "money", rnd["tactical"], "the tactical pot"),
    }
    for name, day in rnd["deadlines"]:
        refs[f"deadlines.{name}"] = Ref(f"deadlines.{name}", "date", day.toordinal(), DEADLINES[name])
    for group, label in (("pcc", "the round's PCC priorities"), ("csa", "the round's CSA priorities"),
                         ("cross_cutting", "the round's cross-cutting themes")):
        items = rnd[group]
        refs[f"priorities.{group}"] = Ref(f"priorities.{group}", "ids", tuple(p.id for p in items), label,
                                          tuple(p.name for p in items))
    return refs


def parse_rules(f: Fields, refs: dict[str, Ref], *, required: bool = True, later: bool = False) -> tuple[Rule, ...]:
    """The list of rules under ``rules:`` of *f*, their checks read with the figures *refs*.

    Only with *later* may a check name a figure of the year known on a date
    (``tactical.left``): the tactical pot's rules for in-year bids.
    """
    from .tactical import LATER

    refs = {**refs, **LATER}
    out: list[Rule] = []
    for path, item in f.items("rules", required=required):
        r = f.at(path)
        rule_id = r.take_new_id("id", {rule.id for rule in out}, "rule")
        severity = r.take_choice("severity", SEVERITIES, "a severity",
                                 fix="write 'reject' (the proposal is ineligible) or 'flag' (a concern only)")
        r._known.extend(["check", "when"])
        if r.data.get("check") is None:
            r.take("check")
        check = conditions.parse(r.data["check"], path + ("check",), f.file, refs)
        when = None
        if r.data.get("when") is not None:
            when = conditions.parse(r.data["when"], path + ("when",), f.file, refs)
        for key, cond in (("check", check), ("when", when)):
            named = [] if later or cond is None else conditions.later_figures(cond)
            if named:
                raise r.error(key, f"'{named[0]}' is known only on a date of the year, for in-year bids",
                              fix="use it in a rule under 'tactical_pot: rules:', or name a figure of the round")
        out.append(Rule(
            id=rule_id,
            says=r.take("says", values.text),
            source=r.take("source", values.text),
            severity=severity,
            check=check,
            when=when,
        ))
        r.done()
    return tuple(out)


def policy(value) -> str:
    """A selection policy's name."""
    text = values.text(value)
    if text not in POLICIES:
        raise InputError(f"'{text}' is not a policy{did_you_mean(text, POLICIES)}",
                         fix="write one of: " + ", ".join(POLICIES))
    return text


def round_from_file(file: YamlFile) -> Round:
    """Read and check a whole rules file."""
    f = file.fields("a round's rules")
    head = f.sub("round")
    fy_text, start, end = head.take("financial_year", parse_financial_year)
    rnd = dict(
        id=head.take("id", values.slug),
        name=head.take("name", values.text),
        financial_year=fy_text, year_start=start, year_end=end,
        plan=head.take("plan", values.text, required=False),
        source=head.take("source", values.text, required=False),
        notes=head.take("notes", values.text, required=False),
        illustrative=head.take("illustrative", values.yes_no, required=False),
    )
    head.done()
    sources = []

    cash = f.sub("money")
    rnd.update(
        grant=cash.take("grant", values.money_value),
        upfront=cash.take("upfront", values.money_value),
        tactical=cash.take("tactical", values.money_value),
        leftover=cash.take("leftover", _leftover),
        tactical_opens=cash.take("tactical_opens", values.text, required=False),
        money_source=cash.take("source", values.text, required=False),
    )
    cash.done()
    warnings = []
    split = rnd["upfront"] + rnd["tactical"]
    if split != rnd["grant"]:
        gap = rnd["grant"] - split
        warnings.append(
            f"{file.name}: money: the upfront allocation {fmt.money_short(rnd['upfront'])} and the tactical pot "
            f"{fmt.money_short(rnd['tactical'])} add up to {fmt.money_short(split)}, "
            f"{fmt.money_short(abs(gap))} {'short of' if gap > 0 else 'more than'} the grant of "
            f"{fmt.money_short(rnd['grant'])}"
        )

    dates = f.sub("deadlines")
    deadlines = []
    _section_source(dates, "deadlines", sources)
    for name in dates.data:
        if name == "source":
            continue
        if name not in DEADLINES:
            raise dates.file.error(dates.path + (name,), f"'{name}' is not a known deadline{did_you_mean(name, DEADLINES)}",
                                   fix="use one of: " + ", ".join(DEADLINES), at_key=True)
        day = dates.take(name, values.date, required=False)
        if day is not None:
            deadlines.append((name, day))
    dates.done()
    rnd["deadlines"] = tuple(deadlines)

    prio = f.sub("priorities")
    _section_source(prio, "priorities", sources)
    rnd.update(pcc=_priorities(prio, "pcc"), csa=_priorities(prio, "csa"),
               cross_cutting=_priorities(prio, "cross_cutting"))
    prio.done()

    refs = _references(rnd)
    rnd["rules"] = parse_rules(f, refs)
    pot = f.sub("tactical_pot", required=False)
    if pot is not None:
        from .tactical import parse_tactical_pot

        rnd["tactical_pot"] = parse_tactical_pot(pot, refs)
    scoring = f.sub("scoring", required=False)
    if scoring is not None:
        rnd["scoring"] = parse_scoring(scoring, rnd)
    selection = f.sub("selection", required=False)
    if selection is not None:
        rnd["policy"] = selection.take("policy", policy, required=False, default="rank")
        rnd["reduced_offers"] = selection.take("reduced_offers", values.yes_no, required=False, default=False)
        _section_source(selection, "selection", sources)
        selection.done()
    rnd["assumed"] = provenance.assumed_values(f)
    f.done()
    return Round(**rnd, warnings=tuple(warnings), file=file.name, sources=tuple(sources))


def _section_source(f: Fields, section: str, sources: list) -> None:
    """Keep the ``source:`` of a section that may give one."""
    text = f.take("source", values.text, required=False)
    if text is not None:
        sources.append((section, text))


def load_round(path: str | Path, *, name: str | None = None) -> Round:
    """Load and check the rules file at *path*."""
    return round_from_file(read(path, name=name))


def unknown_priorities(round_: Round, proposals) -> list[str]:
    """A note for each priority or theme id a proposal names that the round does not list."""
    known = round_.priority_names()
    notes = []
    for proposal in proposals:
        for field in ("pcc_priorities", "csa_priorities", "cross_cutting"):
            for pid in getattr(proposal, field):
                if pid not in known:
                    notes.append(f"{proposal.file}: {field}: '{pid}' is not an id of this round"
                                 f"{did_you_mean(pid, known)}")
    return notes
