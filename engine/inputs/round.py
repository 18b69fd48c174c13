"""A funding round: its money, dates, priorities and eligibility rules, from one YAML file."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from ..decision import conditions
from .. import fmt
from . import provenance, values
from ..decision.conditions import Condition, Ref
from ..errors import InputError, InputErrors, InputWarning, did_you_mean
from ..decision.score import MEASURES, Scoring, default_scoring, parse_scoring
from .schema import Spec
from .yamlfile import Fields, YamlFile, looks_like, read

if TYPE_CHECKING:
    from .tactical import TacticalPot

__all__ = [
    "DEADLINES", "FIGURES", "INTERESTS", "LEFTOVER", "RULES_FIELDS", "SHORTLIST_POLICIES", "Agency", "Interest",
    "Panel", "Priority", "Round", "Rule", "load_round", "panel_findings", "panel_notes", "parse_rules",
    "unknown_agencies", "unknown_priorities",
]

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

# how a round's shortlist may be chosen within the upfront allocation: the two walks of
# engine.decision.select (rank, optimal), and consensus-first, the rank walk with panel consensus first
SHORTLIST_POLICIES = ("rank", "optimal", "consensus-first")

# the figures of a round a check may name instead of a value: name -> (kind, words)
FIGURES = {
    "financial_year.start": ("date", "the start of the financial year"),
    "financial_year.end": ("date", "the end of the financial year"),
    "money.grant": ("money", "the grant"),
    "money.upfront": ("money", "the upfront allocation"),
    "money.tactical": ("money", "the tactical pot"),
    **{f"deadlines.{name}": ("date", words) for name, words in DEADLINES.items()},
    "priorities.pcc": ("ids", "the round's PCC priorities"),
    "priorities.csa": ("ids", "the round's CSA priorities"),
    "priorities.cross_cutting": ("ids", "the round's cross-cutting themes"),
}

# what is done with a panel score from an agency that leads or partners the proposal it scores
INTERESTS = {
    "leave out": "a panel score from an agency that leads or partners the proposal is left out of its "
                 "panel mean and of its consensus",
    "count": "a panel score from an agency that leads or partners the proposal counts like any other",
}
PANEL_KEYS = ("agencies", "interests")  # what a panel section may list as assumed


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
class Agency:
    """An agency that scores proposals on the panel, and the organisations it speaks for."""

    id: str  # the key of its scores in a proposal's panel
    name: str
    speaks_for: tuple[str, ...]  # organisations as proposals name them (its own name first)


@attrs.frozen
class Interest:
    """A panel agency's interest in a proposal: an organisation it speaks for leads or partners it."""

    agency: Agency
    organisation: str  # as the proposal names it
    role: str  # "leads" | "partners"

    def words(self) -> str:
        """``Kent Police (kent-police), a partner``: the agency, and how it is tied to the proposal."""
        tie = "the lead agency" if self.role == "leads" else "a partner"
        who = f"{self.agency.name} ({self.agency.id})"
        if _organisation_key(self.organisation) != _organisation_key(self.agency.name):
            who += f", for {self.organisation}"
        return f"{who}, {tie}"


def _organisation_key(name: str) -> str:
    """A name as it is matched: case, spacing and '&' for 'and' do not matter."""
    return " ".join(name.casefold().replace("&", " and ").split())


# words that say what kind of body an organisation is, not which: two names alike only in these are not near
_KIND_WORDS = ("the", "and", "of", "council", "borough", "district")


def _own_words(name: str) -> str:
    """*name* without the words that say what kind of body it is, misspelt ones too ('Councel', 'Distric')."""
    return " ".join(word for word in _organisation_key(name).split()
                    if not difflib.get_close_matches(word, _KIND_WORDS, n=1, cutoff=0.8))


def _organisation_hint(name: str, known: list[str]) -> str:
    """`` (did you mean 'x'?)`` for the panel's organisation *name* nearly is, or ``''``: close as a whole name
    and in its own words ('Ashford Council' for 'Ashford Borough Council'; 'Medway Council' is no near miss of
    'Kent County Council', alike only in 'Council')."""
    own = _own_words(name)
    if not own or not known:
        return ""
    for close in difflib.get_close_matches(name, known, n=len(known), cutoff=0.6):  # the closest first
        if difflib.SequenceMatcher(None, own, _own_words(close)).ratio() >= 0.6:
            return f" (did you mean '{close}'?)"
    return ""


@attrs.frozen
class Panel:
    """The panel of a round: its agencies, and what is done with a score from an agency with an interest."""

    agencies: tuple[Agency, ...] = ()
    interests: str = "leave out"  # a key of INTERESTS
    source: str | None = None
    assumed: tuple[str, ...] = ()
    notes: str | None = None
    _by_organisation: dict = attrs.field(init=False, eq=False, repr=False, default=attrs.Factory(
        lambda self: self._index(), takes_self=True))
    _hints: dict = attrs.field(init=False, eq=False, repr=False, factory=dict)  # name -> near-name hint, once each
    _named: dict = attrs.field(init=False, eq=False, repr=False, factory=dict)  # name -> its agencies, once each

    def _index(self) -> dict[str, tuple[Agency, ...]]:
        out: dict[str, tuple[Agency, ...]] = {}
        for agency in self.agencies:
            for name in agency.speaks_for:
                key = _organisation_key(name)
                if agency not in out.get(key, ()):
                    out[key] = out.get(key, ()) + (agency,)
        return out

    def agencies_for(self, name: str) -> tuple[Agency, ...]:
        """The agencies that speak for the organisation a proposal names *name* (none if it is not the panel's)."""
        # a round's proposals name the same few organisations over and over: each name is matched once
        agencies = self._named.get(name)
        if agencies is None:
            agencies = self._named[name] = self._by_organisation.get(_organisation_key(name), ())
        return agencies

    def interests_in(self, proposal) -> dict[str, Interest]:
        """Each agency with an interest in *proposal*, by agency id (leading counts before partnering)."""
        out: dict[str, Interest] = {}
        for role, names in (("leads", (proposal.lead_agency,)), ("partners", proposal.partners)):
            for name in names:
                for agency in self.agencies_for(name):
                    out.setdefault(agency.id, Interest(agency, name, role))
        return out

    def declared(self, proposal) -> tuple[tuple[Interest, int], ...]:
        """The panel scores of *proposal* from agencies with an interest in it, each with that interest."""
        interests = self.interests_in(proposal)
        return tuple((interests[agency], score) for agency, score in proposal.panel if agency in interests)

    def counted(self, proposal) -> tuple[tuple[str, int], ...]:
        """The panel scores of *proposal* that count: all, less those left out for a declared interest."""
        if self.interests == "count":
            return proposal.panel
        interested = {agency.id for name in (proposal.lead_agency, *proposal.partners)
                      for agency in self.agencies_for(name)}  # the agencies of interests_in(), named only
        return tuple((agency, score) for agency, score in proposal.panel if agency not in interested)

    def near_misses(self, proposal) -> list[tuple[str, str, str]]:
        """``(field, name, hint)`` for each organisation the proposal names that is close to, but not, one of the panel's."""
        out = []
        for field, names in (("lead_agency", (proposal.lead_agency,)), ("partners", proposal.partners)):
            for name in names:
                if not self.agencies_for(name):
                    if name not in self._hints:
                        known = sorted({known for agency in self.agencies for known in agency.speaks_for})
                        self._hints[name] = _organisation_hint(name, known)
                    if self._hints[name]:
                        out.append((field, name, self._hints[name]))
        return out


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
    panel: Panel = attrs.field(factory=Panel)
    warnings: tuple[InputWarning, ...] = attrs.field(default=(), eq=False)
    file: str = attrs.field(default="", eq=False)
    illustrative: bool | None = None  # None: the file does not say
    assumed: tuple[tuple[str, str], ...] = ()  # (key path, the value as written) of each assumed value
    sources: tuple[tuple[str, str], ...] = ()  # (section, source) of deadlines, priorities, selection
    tactical_pot: TacticalPot | None = None

    def with_upfront(self, upfront: int) -> "Round":
        """The same round with another upfront allocation, which every rule that names it then reads."""
        changed = attrs.evolve(self, upfront=upfront)
        return attrs.evolve(changed, rules=_rebound(self.rules, references(changed)))

    def rules_with_upfront(self, upfront: int, ids) -> tuple:
        """The rules of *ids* as they read with another upfront allocation (the round left as it is).

        Every other figure they name is already read from this round, so only the allocation is read again."""
        name = "money.upfront"
        ref = Ref(name, FIGURES[name][0], upfront, FIGURES[name][1])
        return _rebound([rule for rule in self.rules if rule.id in ids], {name: ref})

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
        raise InputError(f"{fmt.quoted(text)} is not a financial year",
                         fix="write it as 2026/27 (1 April 2026 to 31 March 2027)")
    start = int(match[1])
    if not 1900 <= start <= 2998:
        raise InputError(f"{fmt.quoted(text)} is not a financial year this tool can use",
                         fix="write a year such as 2026/27")
    return text, dt.date(start, 4, 1), dt.date(start + 1, 3, 31)


def _leftover(value) -> str:
    text = values.text(value)
    if text not in LEFTOVER:
        raise InputError(f"{fmt.quoted(text)} is not where leftover money can go{did_you_mean(text, LEFTOVER)}",
                         fix="write 'tactical pot' or 'returned'")
    return text


def _ids(group: Fields):
    """The keys of *group* that are ids, in order; a key that is not is reported where it is written and taken
    (so that it is not also a field left unread)."""
    for key in list(group.data):
        try:
            values.slug(key)
        except InputError as exc:
            group.file.problem(group.file.error(group.path + (key,), exc.problem, exc.fix, at_key=True))
            group.take(key)
            continue
        yield key


def _priorities(f: Fields, key: str) -> tuple[Priority, ...]:
    group = f.sub(key)
    out = []
    for pid in _ids(group):
        name = group.take(pid, values.text)
        if name is not None:
            out.append(Priority(pid, name))
    group.done()
    if not out and not group.data and isinstance(f.data.get(key), dict):
        f.refuse(key, "lists no priorities", fix="list each as 'id: name'")
    return tuple(out)


def _rebound(rules, refs) -> tuple:
    """*rules* with every reference in their conditions read from *refs*."""
    return tuple(attrs.evolve(rule, check=conditions.rebind(rule.check, refs),
                              when=None if rule.when is None else conditions.rebind(rule.when, refs))
                 for rule in rules)


def references(rnd, unread=()) -> dict[str, Ref]:
    """The figures of a round (a :class:`Round`, or the mapping it is being built from) that a check may
    name; one that could not be read (or the *unread* deadlines) stands in as nothing, its mistake being
    reported where it is written."""
    if isinstance(rnd, Round):
        rnd = attrs.asdict(rnd, recurse=False)
    given = {
        "financial_year.start": rnd["year_start"].toordinal() if rnd["year_start"] else 0,
        "financial_year.end": rnd["year_end"].toordinal() if rnd["year_end"] else 0,
        "money.grant": rnd["grant"] or 0,
        "money.upfront": rnd["upfront"] or 0,
        "money.tactical": rnd["tactical"] or 0,
        **{f"deadlines.{name}": 0 for name in unread},
        **{f"deadlines.{name}": day.toordinal() for name, day in rnd["deadlines"]},
    }
    refs = {name: Ref(name, FIGURES[name][0], value, FIGURES[name][1]) for name, value in given.items()}
    for group in ("pcc", "csa", "cross_cutting"):
        name = f"priorities.{group}"
        items = rnd[group]
        refs[name] = Ref(name, "ids", tuple(p.id for p in items), FIGURES[name][1], tuple(p.name for p in items))
    return refs


def _condition(r: Fields, key: str, refs: dict[str, Ref], *, required: bool) -> Condition | None:
    """The check at *key* of a rule, or ``None`` (its mistakes are kept in the file)."""
    if r.data.get(key) is None:
        r.take(key, required=required)
        return None
    r.take(key)
    try:
        return conditions.parse(r.data[key], r.path + (key,), r.file, refs)
    except InputErrors as exc:
        r.file.problems.add(exc)
    except InputError as exc:
        r.file.problem(exc)
    return None


def parse_rules(f: Fields, refs: dict[str, Ref], *, required: bool = True, later: bool = False) -> tuple[Rule, ...]:
    """The list of rules under ``rules:`` of *f*, their checks read with the figures *refs*.

    Only with *later* may a check name a figure of the year known on a date
    (``tactical.left``): the tactical pot's rules for in-year bids.
    """
    from .tactical import LATER

    refs = {**refs, **LATER}
    out: list[Rule] = []
    ids: set[str] = set()
    for path, item in f.items("rules", required=required):
        r = f.at(path)
        rule_id = r.take_new_id("id", ids, "rule")
        ids.add(rule_id)
        severity = r.take_choice("severity", SEVERITIES, "a severity",
                                 fix="write 'reject' (the proposal is ineligible) or 'flag' (a concern only)")
        says = r.take("says", values.text)
        source = r.take("source", values.text)
        check = _condition(r, "check", refs, required=True)
        when = _condition(r, "when", refs, required=False)
        for key, cond in (("check", check), ("when", when)):
            named = [] if later or cond is None else conditions.later_figures(cond)
            if named:
                r.refuse(key, f"'{named[0]}' is known only on a date of the year, for in-year bids",
                         fix="use it in a rule under 'tactical_pot: rules:', or name a figure of the round")
        r.done()
        if None not in (rule_id, severity, says, source, check):
            out.append(Rule(id=rule_id, says=says, source=source, severity=severity, check=check, when=when))
    return tuple(out)


def policy(value) -> str:
    """A selection policy's name."""
    text = values.text(value)
    if text not in SHORTLIST_POLICIES:
        raise InputError(f"{fmt.quoted(text)} is not a policy{did_you_mean(text, SHORTLIST_POLICIES)}",
                         fix="write one of: " + ", ".join(SHORTLIST_POLICIES))
    return text


def round_from_file(file: YamlFile) -> Round:
    """Read and check a whole rules file; every mistake in it is raised at once."""
    f = file.fields("a round's rules")
    other = looks_like(file.data)
    if other is not None and other[0] != "a rules file":
        kind, marks = other
        fix = ("give the round's rules file here; its ledger comes after it (crg status RULES LEDGER)"
               if kind == "a ledger" else "give the round's rules file here (rules/kcsp-2026-27.yaml, say)")
        raise file.error((), f"this looks like {kind}, not a rules file (it has {', '.join(marks)})", fix=fix)
    head = f.sub("round")
    fy_text, start, end = head.take("financial_year", parse_financial_year, default=(None, None, None))
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
    if None not in (rnd["grant"], rnd["upfront"], rnd["tactical"]):
        split = rnd["upfront"] + rnd["tactical"]
        if split != rnd["grant"]:
            gap = rnd["grant"] - split
            file.warning(("money",), (
                f"the upfront allocation {fmt.money_short(rnd['upfront'])} and the tactical pot "
                f"{fmt.money_short(rnd['tactical'])} add up to {fmt.money_short(split)}, "
                f"{fmt.money_short(abs(gap))} {'short of' if gap > 0 else 'more than'} the grant of "
                f"{fmt.money_short(rnd['grant'])}"), at_key=True)

    dates = f.sub("deadlines")
    deadlines = []
    unread = set()  # deadlines given but not read: checks may still name them
    _section_source(dates, "deadlines", sources)
    for name in list(dates.data):
        if name == "source":
            continue
        if name not in DEADLINES:
            dates.file.problem(dates.file.error(
                dates.path + (name,), f"{fmt.quoted(name)} is not a known deadline{did_you_mean(name, DEADLINES)}",
                fix="use one of: " + ", ".join(DEADLINES), at_key=True))
            dates.take(name, required=False)
            unread.update(difflib.get_close_matches(name, DEADLINES, n=1, cutoff=0.6))
            continue
        day = dates.take(name, values.date, required=False)
        if day is None:
            unread.add(name)
        else:
            deadlines.append((name, day))
            if start is not None and not start <= day <= end:
                dates.warn(name, f"{fmt.date(day)} is not in the financial year {fy_text} ({fmt.date(start)} to "
                                 f"{fmt.date(end)})", fix="check it is this round's date, not one copied from another year")
    dates.done()
    rnd["deadlines"] = tuple(deadlines)

    prio = f.sub("priorities")
    _section_source(prio, "priorities", sources)
    rnd.update(pcc=_priorities(prio, "pcc"), csa=_priorities(prio, "csa"),
               cross_cutting=_priorities(prio, "cross_cutting"))
    prio.done()

    refs = references(rnd, unread)
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
    panel = f.sub("panel", required=False)
    if panel is not None:
        rnd["panel"] = _panel(panel)
    rnd["assumed"] = provenance.assumed_values(f) + _panel_assumed_values(f.data, rnd.get("panel"))
    if rnd.get("rules"):
        rnd["rules"] = tuple(_cited(rule, {path for path, _ in rnd["assumed"]}) for rule in rnd["rules"])
    f.done()
    return Round(**rnd, warnings=tuple(file.warnings), file=file.name, sources=tuple(sources))


def _cited(rule: Rule, assumed: set[str]) -> Rule:
    """*rule* with its source saying what of it no published report gives: the rule itself, or a figure of the
    round it reads (the deadline), where the file lists them as assumed; an explanation that names the source
    then does not pass an assumption off as the report's."""
    def is_assumed(path: str) -> bool:
        return any(path == a or path.startswith(a + ".") for a in assumed)

    notes = []
    if is_assumed(f"rules.{rule.id}"):
        notes.append("the rule itself is assumed, as no published report gives it")
    read = [getattr(leaf, "ref", None) for cond in (rule.check, rule.when) if cond is not None
            for leaf in conditions.leaves(cond)]
    for ref in dict.fromkeys(r for r in read if r and is_assumed(r)):
        notes.append(f"{FIGURES[ref][1]} is assumed, as no published report gives it")
    return attrs.evolve(rule, source="; ".join((rule.source, *notes))) if notes else rule


def _panel_assumed_values(data: dict, panel: "Panel | None") -> tuple[tuple[str, str], ...]:
    """``(path, the value as written)`` of each part of the panel its own ``assumed:`` lists (``panel.agencies``),
    unless the file's ``assumed:`` already names the whole panel."""
    if panel is None or "panel" in (data.get("assumed") or ()):
        return ()
    written = data.get("panel") or {}
    return tuple((f"panel.{part}", provenance.shown(written.get(part, panel.interests if part == "interests" else None)))
                 for part in panel.assumed)


def _section_source(f: Fields, section: str, sources: list) -> None:
    """Keep the ``source:`` of a section that may give one."""
    text = f.take("source", values.text, required=False)
    if text is not None:
        sources.append((section, text))


# every field of a rules file, in the order of the shipped files; checked against the loader by the tests
RULES_FIELDS: tuple[Spec, ...] = (
    Spec("round.id", values.slug, "a short id for the round", "kcsp-2026-27"),
    Spec("round.name", values.text, "the round's name, as outputs show it", "KCSP Crime Reduction Grant 2026/27"),
    Spec("round.financial_year", parse_financial_year, "the financial year the grant is for (1 April to 31 March)",
         "2026/27", type="financial year", form="YYYY/YY, the second year one after the first"),
    Spec("round.plan", values.text, "the Police and Crime Plan in force", "Cut Crime, Support Victims, Build Trust",
         required=False),
    Spec("round.source", values.text, "the document the round's facts come from",
         "KCSP Working Group update, 31 March 2026", required=False),
    Spec("round.notes", values.text, "anything else worth knowing", "The tactical pot closed early.",
         required=False),
    Spec("round.illustrative", values.yes_no, "no for a real round, whose every value must be sourced or assumed "
         "(crg validate --strict); yes for a made-up example", "no", required=False),
    Spec("money.grant", values.money_value, "the whole Crime Reduction Grant", "£39,600"),
    Spec("money.upfront", values.money_value, "the upfront allocation the shortlist must fit in", "£26,500"),
    Spec("money.tactical", values.money_value, "the tactical pot, held for needs that emerge in the year",
         "£13,100"),
    Spec("money.leftover", _leftover, "where upfront money left unallocated goes", "tactical pot", type="choice",
         form=" or ".join(f"'{k}'" for k in LEFTOVER)),
    Spec("money.tactical_opens", values.text, "when the tactical pot opens, in words",
         "once every upfront business case has been approved", required=False),
    Spec("money.source", values.text, "the document the money comes from",
         "KCSP Working Group update, 31 March 2026 (section 3.2)", required=False),
    Spec("deadlines.proposals_due", values.date, "the closing date for proposals", "2026-04-08", required=False),
    Spec("deadlines.working_group", values.date, "the Working Group's shortlisting meeting", "2026-04-27",
         required=False),
    Spec("deadlines.business_case_due", values.date, "the deadline for the business case to the OPCC", "2026-05-09",
         required=False),
    Spec("deadlines.delivery_end", values.date, "the end of delivery", "2027-03-31", required=False),
    Spec("deadlines.tactical_closes", values.date, "the tactical pot's closing date", "2026-12-31",
         required=False),
    Spec("deadlines.source", values.text, "the document the dates come from",
         "KCSP Working Group update, 31 March 2026 (timetable)", required=False),
    Spec("priorities.pcc", None, "the Police and Crime Plan priorities", "protecting-people: Protecting people",
         type="mapping", form="one 'id: name' line each"),
    Spec("priorities.csa", None, "the Community Safety Agreement priorities", "vawg: Violence against women and girls",
         type="mapping", form="one 'id: name' line each"),
    Spec("priorities.cross_cutting", None, "the CSA's cross-cutting themes",
         "early-intervention: Early intervention, prevention and education", type="mapping",
         form="one 'id: name' line each"),
    Spec("priorities.source", values.text, "the documents the priorities come from",
         "Police and Crime Plan 2025 to 2029; Kent Community Safety Agreement", required=False),
    Spec("rules[].id", values.slug, "a short id for the rule, unique in the file", "received-by-deadline"),
    Spec("rules[].says", values.text, "the rule in plain words", "A proposal must arrive by the closing date."),
    Spec("rules[].source", values.text, "the document the rule comes from", "PCC grant conditions"),
    Spec("rules[].severity", values.text, "what failing it means", "reject", type="choice",
         form=" or ".join(SEVERITIES) + " (reject: ineligible; flag: a concern only)"),
    Spec("rules[].check", None, "what a proposal must satisfy (see the checks below)",
         "{submitted: {on or before: deadlines.proposals_due}}", type="check", form="field: {test: value} lines"),
    Spec("rules[].when", None, "the rule applies only to proposals for which this check holds", "{pot: {is: upfront}}",
         required=False, type="check", form="field: {test: value} lines"),
    Spec("scoring.out_of", values.count, "the points a proposal can score", "10"),
    Spec("scoring.consensus_at_least", values.count, "panel consensus: every agency scores at least this",
         "3", required=False, default=3),
    Spec("scoring.criteria[].id", values.slug, "a short id for the criterion, unique in the file", "panel"),
    Spec("scoring.criteria[].name", values.text, "the criterion in words", "Partners' shortlisting scores"),
    Spec("scoring.criteria[].measure", values.text, "how the criterion is measured", "panel mean", type="choice",
         form=", ".join(MEASURES)),
    Spec("scoring.criteria[].weight", values.number, "its share of the points (the weights should add up to out_of)",
         "3"),
    Spec("scoring.criteria[].field", values.text, "for 'priorities': which list of priorities it counts",
         "csa_priorities", required=False, type="choice", form="pcc_priorities or csa_priorities"),
    Spec("scoring.criteria[].weights", values.number, "for 'priorities': what some priorities count (1 otherwise)",
         "{vawg: 2}", required=False, type="mapping", form="one 'priority-id: number' line each"),
    Spec("scoring.criteria[].themes", values.number, "for 'priorities': what each cross-cutting theme counts",
         "0.5", required=False),
    Spec("scoring.criteria[].full_marks_at", values.number, "the amount that earns full marks (30 days to spare "
         "for 'time to spare', 1 otherwise)", "2", required=False),
    Spec("selection.policy", policy, "how the shortlist is chosen within the upfront allocation", "rank",
         required=False, default="rank", type="choice", form=" or ".join(SHORTLIST_POLICIES)),
    Spec("selection.reduced_offers", values.yes_no, "whether a proposal with a minimum_cost may be offered what "
         "is left", "yes", required=False, default=False),
    Spec("selection.source", values.text, "the document the selection comes from",
         "KCSP Working Group update, 4 July 2024 (para 2.4)", required=False),
    Spec("panel.agencies", None, "the agencies that score proposals, and the organisations each speaks for",
         "kent-police: Kent Police", required=False, type="mapping",
         form="'id: name' lines, or 'id:' with 'name' and a 'speaks_for' list"),
    Spec("panel.interests", values.text, "what a score from an agency that leads or partners the proposal counts "
         "for", "leave out", required=False, default="leave out", type="choice",
         form=" or ".join(f"'{k}'" for k in INTERESTS)),
    Spec("panel.source", values.text, "the document the panel comes from", "KCSP Working Group terms of reference",
         required=False),
    Spec("panel.assumed", values.text_list, "the parts of the panel the reports do not give", "[agencies]",
         required=False, type="list", form="agencies, interests"),
    Spec("panel.notes", values.text, "anything else worth knowing", "Kent Police partners most proposals.",
         required=False),
    Spec("tactical_pot.opens", None, "when the tactical pot can be used: a 'says', a 'source' and a 'when' check "
         "of the year's state", "{says: ..., source: ..., when: {cases_awaiting_approval: {given: no}}}",
         required=False, type="gate", form="says, source and when lines"),
    Spec("tactical_pot.closes", None, "when it stops being usable, before the year ends",
         "{says: ..., source: ..., when: {today: {after: deadlines.tactical_closes}}}", required=False, type="gate",
         form="says, source and when lines"),
    Spec("tactical_pot.rules", None, "rules for in-year bids, written like the rules above (they may name "
         "tactical.left)", "[{id: fits-what-is-left, ...}]", required=False, type="list of rules",
         form="'- id: ...' items, as under rules"),
    Spec("assumed", None, "the values no source gives, by their place in the file", "[money.leftover, scoring]",
         required=False, type="list of key paths", form="paths with dots, list items by their id"),
)


def _panel(f: Fields) -> Panel:
    """The ``panel`` section: each agency as ``id: name``, or ``id:`` with ``name`` and ``speaks_for``."""
    group = f.sub("agencies")
    agencies = []
    for agency_id in _ids(group):
        if isinstance(group.data[agency_id], dict):
            entry = group.sub(agency_id)
            name = entry.take("name", values.text)
            speaks_for = entry.take("speaks_for", values.text_list, required=False, default=())
            entry.done()
        else:
            name, speaks_for = group.take(agency_id, values.text), ()
        if name is not None:
            agencies.append(Agency(agency_id, name, tuple(dict.fromkeys((name,) + speaks_for))))
    group.done()
    if not group.data and isinstance(f.data.get("agencies"), dict):
        f.refuse("agencies", "lists no agencies", fix="list each as 'id: name'")
    panel = Panel(
        agencies=tuple(agencies),
        interests=f.take_choice("interests", INTERESTS, "what can be done with a declared interest",
                                fix="write 'leave out' or 'count'", required=False, default="leave out"),
        source=f.take("source", values.text, required=False),
        assumed=f.take("assumed", _panel_assumed, required=False, default=()),
        notes=f.take("notes", values.text, required=False),
    )
    f.done()
    return panel


def _panel_assumed(value) -> tuple[str, ...]:
    items = values.text_list(value)
    for item in items:
        if item not in PANEL_KEYS:
            raise InputError(f"'{item}' in 'assumed' is not a part of the panel{did_you_mean(item, PANEL_KEYS)}",
                             fix="list what the reports do not give: " + ", ".join(PANEL_KEYS))
    return items


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


def panel_findings(round_: Round, proposal):
    """``(field, what)`` for each organisation *proposal* names that nearly matches one the panel speaks for."""
    if not round_.panel.agencies:
        return
    for field, name, hint in round_.panel.near_misses(proposal):
        yield field, f"'{name}' is not an organisation of the panel{hint}, so no declared interest is found for it"


def unknown_agencies(round_: Round, proposals) -> list[InputError]:
    """A mistake for each panel score of *proposals* from an agency the round's panel does not list (where it
    lists any): whether such an agency has an interest in the proposal cannot be known, so its score cannot be
    counted or left out as the round says."""
    agencies = [a.id for a in round_.panel.agencies]
    if not agencies:
        return []
    where = f"under panel in {round_.file}" if round_.file else "under the rules file's panel"
    out = []
    for proposal in proposals:
        line, column = proposal.places.get("panel", (None, None))
        out += [InputError(f"'{agency}' is not an agency of this round's panel{did_you_mean(agency, agencies)}, so "
                           "whether it has an interest in the proposal cannot be checked",
                           file=proposal.file or None, field="panel", line=line, column=column,
                           fix=f"write the agency's id as it is listed {where} ({', '.join(agencies)}), or add the "
                               "agency there")
                for agency, _ in proposal.panel if agency not in agencies]
    return out


def panel_notes(round_: Round, proposals) -> list[str]:
    """A note for each of the :func:`panel_findings` of *proposals*."""
    return [f"{p.file}: {field}: {what}" for p in proposals for field, what in panel_findings(round_, p)]
