"""Hypothesis strategies shared by the tests: sums of money, ids, dates, proposals and condition trees.

Nothing here asks the code under test for an answer: expected values are built
from their parts (pounds and pence, days from a date) and the priority ids are
read from the rules files with PyYAML's own safe loader.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

import attrs
import yaml
from hypothesis import strategies as st

from engine.decision.conditions import All, Any_, Compare, Given, Includes, Not, OneOf
from engine.inputs.proposal import POTS, Delivery, Proposal

RULES = Path(__file__).resolve().parent.parent / "rules"

# --- money ---------------------------------------------------------------------------------------

MAX_PENCE = 10**11

pence = st.integers(min_value=0, max_value=MAX_PENCE)

# the forms a council officer writes a sum in
MONEY_FORMS = ("£5,595", "£3,703.20", "5595.00", "5595")


def money_text(pounds: int, pence_part: int, form: str) -> str:
    """*pounds* and *pence_part* written in *form* (whole-pound forms need ``pence_part == 0``)."""
    if form == "£5,595":
        assert pence_part == 0
        return "£" + _commas(pounds)
    if form == "£3,703.20":
        return f"£{_commas(pounds)}.{pence_part:02d}"
    if form == "5595.00":
        return f"{pounds}.{pence_part:02d}"
    assert form == "5595" and pence_part == 0
    return str(pounds)


def _commas(pounds: int) -> str:
    """Digits in groups of three, built by hand rather than with the ``,`` format spec."""
    digits = str(pounds)
    groups = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return ",".join(groups)


@st.composite
def money_strings(draw, forms=MONEY_FORMS, max_pounds: int = MAX_PENCE // 100):
    """``(text, pence)``: a sum written in one of the accepted *forms*, and its value in pence."""
    form = draw(st.sampled_from(forms))
    pounds = draw(st.integers(0, max_pounds))
    part = 0 if form in ("£5,595", "5595") else draw(st.integers(0, 99))
    return money_text(pounds, part, form), pounds * 100 + part


def money_for(amount: int):
    """The texts that write *amount* pence exactly, one per form that can."""
    pounds, part = divmod(amount, 100)
    forms = MONEY_FORMS if part == 0 else ("£3,703.20", "5595.00")
    return st.sampled_from([money_text(pounds, part, form) for form in forms])


# --- ids, dates, text ----------------------------------------------------------------------------

ids = st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True)

dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))


def days_around(day: dt.date, spread: int):
    """Dates within *spread* days of *day*, often the day itself or either neighbour."""
    offsets = st.one_of(st.sampled_from([-1, 0, 1]), st.integers(-spread, spread))
    return offsets.map(lambda n: day + dt.timedelta(days=n))


# text that survives a YAML double-quoted scalar and the loader's strip()
texts = st.text(
    alphabet=st.characters(categories=("L", "N", "P", "Zs"), max_codepoint=0xFFFF),
    min_size=1, max_size=30,
).filter(lambda s: s == s.strip() and s != "")

AGENCIES = ("Kent Police", "Kent County Council", "Kent Fire and Rescue Service", "Probation Service",
            "Dartford Borough Council")


@lru_cache(maxsize=None)
@lru_cache(maxsize=None)
def priority_groups(name: str) -> tuple[tuple[str, ...], ...]:
    """The PCC, CSA and cross-cutting ids of the named rules file, each group apart."""
    data = yaml.safe_load((RULES / f"{name}.yaml").read_text(encoding="utf-8"))
    return tuple(tuple(data["priorities"][group]) for group in ("pcc", "csa", "cross_cutting"))


def round_ids(*names: str) -> tuple[str, ...]:
    """Every priority and theme id of the named rules files, read with PyYAML's safe loader."""
    out: list[str] = []
    for name in names:
        for group in priority_groups(name):
            out += [pid for pid in group if pid not in out]
    return tuple(out)


ROUND_NAMES = ("kcsp-2021-22", "kcsp-2024-25", "kcsp-2025-26", "kcsp-2026-27")
UNKNOWN_IDS = ("asb", "covid-recovery", "not-a-priority", "vawg-2019")
IDS_2026_27 = round_ids("kcsp-2026-27") + UNKNOWN_IDS
IDS_ALL_ROUNDS = round_ids(*ROUND_NAMES) + UNKNOWN_IDS

DEADLINE_2026_27 = dt.date(2026, 4, 8)
YEAR_START_2026_27 = dt.date(2026, 4, 1)
YEAR_END_2026_27 = dt.date(2027, 3, 31)
UPFRONT_2026_27 = 26_500_00
TACTICAL_2026_27 = 13_100_00


# --- proposals -----------------------------------------------------------------------------------


def costs(around=(UPFRONT_2026_27, TACTICAL_2026_27)):
    """Pence, often within a few pence of the figures in *around* (an allocation), sometimes anywhere."""
    near = st.one_of(*[st.integers(max(0, x - 300), x + 300) for x in around])
    edge = st.sampled_from([x + d for x in around for d in (-1, 0, 1)])
    return st.one_of(edge, near, st.integers(0, 10_000_00), pence)


@lru_cache(maxsize=None)
def proposals(
    priority_ids=IDS_2026_27,
    deadline: dt.date = DEADLINE_2026_27,
    year_start: dt.date = YEAR_START_2026_27,
    year_end: dt.date = YEAR_END_2026_27,
    allocations=(UPFRONT_2026_27, TACTICAL_2026_27),
    full: bool = False,
    light: bool = False,
    panel_agencies: tuple[str, ...] = (),
):
    """Valid :class:`Proposal` values, their dates and cost near the edges of a round's rules.

    *panel_agencies*, if given, are the ids the panel scores are drawn under (a round that lists its panel
    refuses any other).

    *priority_ids* is where the priority lists are drawn from (a round's ids and some unknown
    ones); *full* also fills the fields no rule reads (assumed, source, notes, illustrative);
    *light* draws ids and free text from a few fixed words (faster, for tests that only care
    about what the rules read).  The strategies are built once per set of arguments.
    """
    ids_ = st.sampled_from(["a", "b-2", "proposal-x"]) if light else ids
    texts_ = st.sampled_from(["x", "A title", "Kent Police", "£5,595 & more"]) if light else texts
    maybe_text = st.one_of(st.none(), texts_)
    starts = days_around(year_start, 120)
    ends = days_around(year_end, 420)
    submitted = days_around(deadline, 40)
    cost_strategy = costs(allocations).filter(lambda pence: pence > 0)  # a bid asks for a penny at least
    prio = st.lists(st.sampled_from(priority_ids), unique=True, max_size=4).map(tuple)
    panel = st.dictionaries(st.sampled_from(panel_agencies) if panel_agencies else ids_, st.integers(0, 5),
                            max_size=4).map(lambda d: tuple(sorted(d.items())))
    partners = st.lists(texts_, unique=True, max_size=3).map(tuple)
    agencies = st.one_of(st.sampled_from(AGENCIES), texts_)
    pots = st.sampled_from(POTS)
    reach = st.one_of(st.none(), st.integers(0, 10**6))
    fields = Proposal.FIELDS + ("delivery.start", "delivery.end")
    assumed = st.lists(st.sampled_from(fields), unique=True, max_size=3).map(tuple)

    @st.composite
    def build(draw) -> Proposal:
        start, end = draw(starts), draw(ends)
        if end < start:
            start, end = end, start
        cost = draw(cost_strategy)
        extra = {}
        if full:
            extra = dict(assumed=draw(assumed), source=draw(maybe_text), notes=draw(maybe_text),
                         illustrative=draw(st.booleans()))
        return Proposal(
            id=draw(ids_),
            title=draw(texts_),
            lead_agency=draw(agencies),
            partners=draw(partners),
            submitted=draw(submitted),
            pot=draw(pots),
            cost=cost,
            minimum_cost=draw(st.one_of(st.none(), st.integers(1, cost))),
            pcc_priorities=draw(prio),
            csa_priorities=draw(prio),
            cross_cutting=draw(prio),
            delivery=Delivery(start, end),
            summary=draw(texts_),
            outcomes=draw(maybe_text),
            evaluation=draw(maybe_text),
            reach=draw(reach),
            panel=draw(panel),
            **extra,
        )

    return build()



# --- whole rounds of the 2026/27 rules, money to the penny (what the what-if tests run) ---------------------

PANEL_AGENCIES_2026_27 = ("kent-police", "kcc", "district-councils", "kfrs", "probation")


@attrs.frozen
class PricedRound:
    """Proposals of the 2026/27 round, an allocation, a policy and whether reduced offers are made."""

    proposals: tuple[Proposal, ...]
    budget: int  # pence
    policy: str
    reduced_offers: bool


def _one_in(n: int):
    """True about once in *n* draws."""
    return st.sampled_from((True,) + (False,) * (n - 1))


@st.composite
def priced_rounds(draw, min_size: int = 3, max_size: int = 9,
                  policies=("rank", "optimal", "consensus-first")) -> PricedRound:
    """A round of *min_size* to *max_size* proposals: costs to the penny (or in round £50s, so that sums meet),
    some with a least cost, some twins of an earlier one under another id (some k times as big for k times the
    money: the same score at another price, so that sets tie on score and differ in cost), some ineligible (late, no CSA
    priority of the round, delivered after the year, or dearer than the allocation) and some for the
    tactical pot; an allocation anywhere from £0 to the cost of every upfront bid (often enough for the dearest
    of them, so that all of them are eligible), or exactly the cost of some of them; one of *policies*; reduced offers on or off."""
    pcc, csa, themes = priority_groups("kcsp-2026-27")
    out: list[Proposal] = []
    for i in range(draw(st.integers(min_size, max_size))):
        if out and draw(_one_in(3)):  # a twin: the same bid again, or k times as big for k times the money
            twin, k = draw(st.sampled_from(out)), draw(st.sampled_from((1, 1, 2, 3)))
            out.append(attrs.evolve(twin, id=f"p{i}", cost=twin.cost * k, reach=twin.reach and twin.reach * k,
                                    minimum_cost=twin.minimum_cost if k == 1 else None))
            continue
        cost = draw(st.one_of(st.integers(1, 9_000_00), st.integers(1, 180).map(lambda n: n * 50_00)))
        minimum = draw(st.one_of(st.none(), st.none(), st.integers(1, cost)))
        late = draw(_one_in(15))
        out.append(Proposal(
            id=f"p{i}", title=f"Proposal {i}", lead_agency=draw(st.sampled_from(AGENCIES)),
            submitted=DEADLINE_2026_27 + dt.timedelta(days=1 if late else -draw(st.integers(0, 7))),
            pot=draw(st.sampled_from(("upfront",) * 7 + ("tactical",))), cost=cost, minimum_cost=minimum,
            pcc_priorities=tuple(draw(st.lists(st.sampled_from(pcc), min_size=1, max_size=2, unique=True))),
            csa_priorities=("asb",) if draw(_one_in(15)) else
            tuple(draw(st.lists(st.sampled_from(csa), min_size=1, max_size=2, unique=True))),
            cross_cutting=tuple(draw(st.lists(st.sampled_from(themes), max_size=2, unique=True))),
            delivery=Delivery(YEAR_START_2026_27, YEAR_END_2026_27 + dt.timedelta(
                days=draw(st.sampled_from((0, 0, 0, 0, -20, -60, 10))))),
            summary="s", evaluation=draw(st.sampled_from(("a plan", "a plan", None))),
            reach=draw(st.one_of(st.none(), st.integers(0, 3000))),
            panel=tuple(sorted(draw(st.dictionaries(st.sampled_from(PANEL_AGENCIES_2026_27), st.integers(1, 5),
                                                    max_size=3)).items())),
        ))
    upfront = [p.cost for p in out if p.pot == "upfront"]
    total = sum(upfront)
    some = draw(st.lists(st.sampled_from(upfront), min_size=1, max_size=4)) if upfront else []
    dearest = max(upfront, default=0)
    uniform = draw(st.randoms(use_true_random=True))  # a seeded Random: hypothesis's own draws lean to £0
    budget = draw(st.sampled_from((uniform.randint(0, total), uniform.randint(dearest, max(dearest, total)),
                                   uniform.randint(dearest, max(dearest, total)), sum(some))))
    return PricedRound(tuple(out), budget, draw(st.sampled_from(policies)), draw(st.booleans()))


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's quoting is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _flow(items) -> str:
    return "[" + ", ".join(_q(item) for item in items) + "]"


@st.composite
def proposal_files(draw, **kwargs) -> tuple[Proposal, str]:
    """``(proposal, text)``: a full proposal and a YAML file that writes it, in varied but valid ways."""
    p: Proposal = draw(proposals(full=True, **kwargs))
    lines = [
        f"id: {p.id}",
        f"title: {_q(p.title)}",
        f"lead_agency: {_q(p.lead_agency)}",
        f"submitted: {p.submitted.isoformat()}",
        f"pot: {p.pot}",
        f"cost: {draw(money_for(p.cost))}",
        f"pcc_priorities: [{', '.join(p.pcc_priorities)}]",
        f"csa_priorities: [{', '.join(p.csa_priorities)}]",
        f"cross_cutting: [{', '.join(p.cross_cutting)}]",
        f"delivery:\n  start: {p.delivery.start.isoformat()}\n  end: {p.delivery.end.isoformat()}",
        f"summary: {_q(p.summary)}",
    ]
    if p.partners:
        lines.append(f"partners: {_flow(p.partners)}")
    if p.minimum_cost is not None:
        lines.append(f"minimum_cost: {draw(money_for(p.minimum_cost))}")
    for key in ("outcomes", "evaluation", "source", "notes"):
        if getattr(p, key) is not None:
            lines.append(f"{key}: {_q(getattr(p, key))}")
    if p.reach is not None:
        lines.append(f"reach: {draw(st.sampled_from([str(p.reach), _commas(p.reach)]))}")
    if p.panel:
        lines.append("panel:" + "".join(f"\n  {agency}: {score}" for agency, score in p.panel))
    if p.assumed:
        lines.append(f"assumed: {_flow(p.assumed)}")
    if p.illustrative or draw(st.booleans()):
        lines.append(f"illustrative: {draw(st.sampled_from(['yes', 'true'] if p.illustrative else ['no', 'false']))}")
    # the order of fields in a file never matters (each entry of 'lines' is one whole field)
    return p, "\n".join(draw(st.permutations(lines))) + "\n"


# --- condition trees over the fields of a proposal -----------------------------------------------

# a small world, so that generated values and the values in conditions often meet
DAY0 = dt.date(2026, 4, 7).toordinal()
DAY_POOL = tuple(range(DAY0, DAY0 + 4))
MONEY_POOL = (0, 100, UPFRONT_2026_27 - 1, UPFRONT_2026_27, UPFRONT_2026_27 + 1)
COUNT_POOL = (0, 1, 400, 1_200)
CHOICE_POOL = {"pot": ("upfront", "tactical"),
               "lead_agency": ("Kent Police", "Kent County Council", 'say "hi"', "1", "true")}
ITEM_POOL = ("a", "b", "c", "d")

KINDS = {
    "submitted": "date", "delivery.start": "date", "delivery.end": "date",
    "cost": "money", "minimum_cost": "money", "reach": "count",
    "pot": "choice", "lead_agency": "choice",
    "pcc_priorities": "list", "csa_priorities": "list", "cross_cutting": "list", "partners": "list",
    "summary": "text", "outcomes": "text", "evaluation": "text", "panel": "text",
}
OPTIONAL = {"minimum_cost", "reach", "outcomes", "evaluation", "panel"}
_POOLS = {"date": DAY_POOL, "money": MONEY_POOL, "count": COUNT_POOL}


def _value_for(field: str):
    kind = KINDS[field]
    if kind == "list":
        value = st.frozensets(st.sampled_from(ITEM_POOL))
    elif kind == "text":
        value = st.just("given")
    elif kind == "choice":
        value = st.sampled_from(CHOICE_POOL[field] + ("other", "01", "True"))
    else:
        value = st.sampled_from(_POOLS[kind])
    return st.one_of(st.none(), value) if field in OPTIONAL else value


def views():
    """A proposal as conditions see it (:func:`engine.decision.conditions.view`), over the small world."""
    return st.fixed_dictionaries({field: _value_for(field) for field in KINDS})


def _leaf_for(field: str):
    kind = KINDS[field]
    given = st.builds(Given, st.just(field), st.booleans())
    if kind in _POOLS:
        compare = st.builds(Compare, st.just(field), st.sampled_from(["lt", "le", "gt", "ge", "eq", "ne"]),
                            st.sampled_from(_POOLS[kind]))
        return st.one_of(compare, given)
    if kind == "choice":
        pool = CHOICE_POOL[field]
        compare = st.builds(Compare, st.just(field), st.sampled_from(["eq", "ne"]), st.sampled_from(pool))
        one_of = st.builds(OneOf, st.just(field), st.lists(st.sampled_from(pool), min_size=1, max_size=3,
                                                           unique=True).map(tuple), st.booleans())
        return st.one_of(compare, one_of, given)
    if kind == "list":
        items = st.lists(st.sampled_from(ITEM_POOL), min_size=1, max_size=3, unique=True).map(tuple)
        includes = st.builds(
            lambda mode, chosen: Includes(field, mode, chosen, None, tuple(i.upper() for i in chosen)),
            st.sampled_from(["any", "all", "none"]), items,
        )
        return st.one_of(includes, given)
    return given


leaves = st.one_of(*[_leaf_for(field) for field in sorted(KINDS)])


def condition_trees(max_leaves: int = 8, with_not: bool = True):
    """Condition trees built from every kind of leaf, combined with All, Any_ and (optionally) Not."""
    def extend(children):
        parts = st.lists(children, min_size=1, max_size=3).map(tuple)
        combined = [st.builds(All, parts), st.builds(Any_, parts)]
        if with_not:
            combined.append(st.builds(Not, children))
        return st.one_of(*combined)
    return st.recursive(leaves, extend, max_leaves=max_leaves)


def has_not(cond) -> bool:
    """Whether *cond* holds a :class:`Not` anywhere."""
    if isinstance(cond, Not):
        return True
    if isinstance(cond, (All, Any_)):
        return any(has_not(part) for part in cond.parts)
    return False


def holds(cond, view: dict) -> bool:
    """An evaluator written here, from the meaning of each node, to check ``conditions.evaluate`` against."""
    if isinstance(cond, Compare):
        value = view[cond.field]
        if value is None:
            return False
        return {"lt": value < cond.value, "le": value <= cond.value, "gt": value > cond.value,
                "ge": value >= cond.value, "eq": value == cond.value, "ne": value != cond.value}[cond.op]
    if isinstance(cond, OneOf):
        value = view[cond.field]
        return value is not None and (value in cond.choices) is cond.inside
    if isinstance(cond, Includes):
        have = set(view[cond.field]) & set(cond.items)
        return {"any": bool(have), "all": have == set(cond.items), "none": not have}[cond.mode]
    if isinstance(cond, Given):
        value = view[cond.field]
        return (value is not None and value != frozenset()) is cond.yes
    if isinstance(cond, All):
        return all(holds(part, view) for part in cond.parts)
    if isinstance(cond, Any_):
        return any(holds(part, view) for part in cond.parts)
    if isinstance(cond, Not):
        return not holds(cond.part, view)
    raise TypeError(cond)


# --- YAML text, well formed or spoiled -----------------------------------------------------------

YAML_SCALARS = ("x", "é café", "£5,595", "2026-04-01", "null", "~", "", "'q'", '"d \\" e"', "yes", "010",
                "a b", "😀", "'it''s'", "[]", "{}")
# pieces that YAML gives a meaning to, and characters the two parsers have been seen to read differently
YAML_PIECES = ("a", "é", "£", "😀", " ", "\t", "\n", "\r\n", "\r", ":", ": ", "- ", "?", "? ", "[", "]", "{", "}",
               ",", "'", '"', "#", " #", "|", ">", "|-", ">+", "|2", "&a ", "*a", "!", "!!str ", "!x ",
               "!<tag:yaml.org,2002:str> ", "%YAML 1.1\n", "%TAG !e! tag:yaml.org,2002:\n", "!e!str ", "---\n",
               "...\n", "\\", "@", "`", "\x00", "\x85", "\ufeff", "\u2028", "null", "{a: }", "{a: 1, b: }",
               "[a: ]", "{a}", "[? a]", "\\x41")


@st.composite
def _yaml_value(draw, indent: str, depth: int) -> str:
    kind = draw(st.sampled_from(("scalar", "flow list", "flow map", "block text", "list", "map"))
                if depth < 2 else st.just("scalar"))
    if kind == "scalar":
        return " " + draw(st.sampled_from(YAML_SCALARS))
    if kind == "flow list":
        return " [" + ", ".join(draw(st.lists(st.sampled_from(YAML_SCALARS), max_size=3))) + "]"
    if kind == "flow map":
        values = draw(st.lists(st.sampled_from(("", " ", " x", " [a]")), max_size=3))
        return " {" + ", ".join(f"k{i}:{v}" for i, v in enumerate(values)) + "}"
    if kind == "block text":
        lines = draw(st.lists(st.sampled_from(("line", "é £", "  more")), max_size=2))
        return " |" + draw(st.sampled_from(("", "-", "+"))) + "".join(f"\n{indent}  {ln}" for ln in lines)
    if kind == "list":
        items = draw(st.lists(st.sampled_from(YAML_SCALARS), min_size=1, max_size=3))
        return "".join(f"\n{indent}  -{' ' + item if item else ''}" for item in items)
    return "\n" + draw(_yaml_mapping(indent + "  ", depth + 1))


@st.composite
def _yaml_mapping(draw, indent: str = "", depth: int = 0) -> str:
    keys = draw(st.lists(st.sampled_from(("id", "cost", "title", "delivery", "k1", "k2")), min_size=1, max_size=5))
    return "\n".join(f"{indent}{key}:{draw(_yaml_value(indent, depth))}{draw(st.sampled_from(('', ' # note')))}"
                     for key in keys)


@st.composite
def yaml_texts(draw) -> str:
    """The text of a YAML file: a mapping of nested values in the block and flow styles, often spoiled.

    Spoiling inserts a piece from :data:`YAML_PIECES` or cuts a few characters, so that about half
    the texts are not valid YAML, or use tags, aliases and keys given twice.
    """
    text = draw(_yaml_mapping()) + draw(st.sampled_from(("", "\n")))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()):
            text = text[:at] + draw(st.sampled_from(YAML_PIECES)) + text[at:]
        else:
            text = text[:at] + text[at + draw(st.integers(1, 3)):]
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return draw(st.sampled_from(("", "\ufeff"))) + text


# --- a grant year: a valid ledger, simulated here event by event -----------------------------------

# the 2026/27 round's figures (rules/kcsp-2026-27.yaml): the ledgers below are for that round
GRANT_2026_27 = 39_600_00
LEDGER_POTS = ("upfront", "tactical", None)  # None: the pot is not reported
# the order in which the engine takes the events of one day (engine.year.ledger.EVENTS)
DAY_ORDER = ("paid", "business case approved", "moved", "tactical pot opened", "tactical bid approved",
             "cost revised", "spent", "carried", "completed", "withdrawn", "tactical pot closed", "closed out")


def _pence_text(pence: int) -> str:
    pounds, part = divmod(pence, 100)
    return f"£{_commas(pounds)}.{part:02d}"


@st.composite
def ledger_years(draw, max_projects: int = 5, max_days: int = 8):
    """``(text, expected)``: a ledger of the 2026/27 round that replays, and what it must come to.

    The year is simulated here, day by day, drawing only events that the state
    allows (a spend within a project's cost and within what the OPCC has paid,
    a move within what a pot has left, a tactical award only while the pot is
    open, a cost above an allocation only as far as its pot can meet it, ...).  The events of one day are written
    in the engine's order for a day, each kind at most once per project, so
    that no order within a day can change the result.  *expected* holds, built
    from the drawn amounts, each project's ``allocation``, ``spent``,
    ``carried`` and ``withdrawn``, and ``paid``.
    """
    sizes = {"upfront": UPFRONT_2026_27, "tactical": TACTICAL_2026_27}
    projects: dict[str, dict] = {}

    def allocated(pot="all"):
        return sum(p["allocation"] for p in projects.values() if pot == "all" or p["pot"] == pot)

    def freed(p):  # as the engine counts it: allocated money not needed, below zero when dearer
        committed = 0 if p["withdrawn"] else max(p["cost"] - p["spent"] - p["carried"], 0)
        return p["allocation"] - p["spent"] - p["carried"] - committed

    def freed_in(pot):
        return sum(freed(p) for p in projects.values() if p["pot"] == pot)

    def over(pot="all"):  # cost above allocations the pot's freed money does not meet
        if pot == "all":
            return sum(over(group) for group in LEDGER_POTS)
        return max(0, -freed_in(pot))

    def left(pot):
        grant_left = GRANT_2026_27 - allocated() - over()
        own = sizes[pot] - allocated(pot) - over(pot)
        return min(own, grant_left) if any(p["pot"] is None for p in projects.values()) else own

    def dearer_by(pot):
        """The most a cost in *pot* may rise by and its pot, and the grant, still meet it."""
        room = freed_in(pot) + GRANT_2026_27 - allocated() - over() + over(pot)
        if pot is not None:
            room = min(room, freed_in(pot) + sizes[pot] - allocated(pot))
        return room

    for i in range(draw(st.integers(1, max_projects))):
        pot = draw(st.sampled_from(LEDGER_POTS))
        room = GRANT_2026_27 - allocated()
        if pot is not None:
            room = min(room, sizes[pot] - allocated(pot))
        if room >= 1:
            amount = draw(st.integers(1, min(room, 900_000)))
            projects[f"p{i}"] = dict(pot=pot, allocation=amount, cost=amount, spent=0, carried=0,
                                     withdrawn=False, completed=False)
    shortlisted = dt.date(2026, 4, 1) + dt.timedelta(days=draw(st.integers(0, 60)))
    days = sorted(draw(st.lists(st.integers(0, 300), max_size=max_days, unique=True)))
    state = dict(paid=0, opened=False, closed=False, approved=not any(p["pot"] != "tactical" for p in projects.values()))
    events: list[str] = []

    def event(day, kind, **fields):
        lines = [f"  - date: {day.isoformat()}", f"    event: {kind}"]
        for key, value in fields.items():
            lines.append(f"    {key}: {value}")
        lines.append(f"    source: {_q('drawn ' + kind)}")
        events.append("\n".join(lines))

    bids = 0
    for offset in days:
        day = shortlisted + dt.timedelta(days=offset)
        if day > YEAR_END_2026_27:
            break
        live = [pid for pid, p in projects.items() if not p["withdrawn"]]
        if draw(st.booleans()) and state["paid"] < GRANT_2026_27:
            amount = draw(st.integers(1, GRANT_2026_27 - state["paid"]))
            state["paid"] += amount
            event(day, "paid", amount=_pence_text(amount))
        if draw(st.booleans()):
            state["approved"] = True  # every upfront (or unreported) project's case: the 2026/27 pot's condition
            event(day, "business case approved")
        if draw(st.booleans()):
            source, target = draw(st.sampled_from([("upfront", "tactical"), ("tactical", "upfront")]))
            if left(source) >= 1:
                amount = draw(st.integers(1, left(source)))
                sizes[source] -= amount
                sizes[target] += amount
                event(day, "moved", amount=_pence_text(amount), **{"from": source, "to": target})
        if not state["opened"] and not state["closed"] and draw(st.booleans()):
            state["opened"] = True
            event(day, "tactical pot opened")
        pot_open = (state["approved"] or state["opened"]) and not state["closed"]  # a closing comes last in a day
        if pot_open and draw(st.booleans()) and left("tactical") >= 1:
            amount = draw(st.integers(1, left("tactical")))
            pid = f"bid{bids}"
            bids += 1
            projects[pid] = dict(pot="tactical", allocation=amount, cost=amount, spent=0, carried=0,
                                 withdrawn=False, completed=False)
            event(day, "tactical bid approved", project=pid, title=_q("Bid " + pid), amount=_pence_text(amount))
            live.append(pid)
        revised = draw(st.lists(st.sampled_from(live), unique=True, max_size=2)) if live else []
        for pid in sorted(revised):
            p = projects[pid]
            highest = max(p["cost"] + dearer_by(p["pot"]), p["spent"] + p["carried"])
            cost = draw(st.integers(p["spent"] + p["carried"], min(p["allocation"] * 2 + 100, highest)))
            p["cost"] = cost
            event(day, "cost revised", project=pid, cost=_pence_text(cost))
        for kind in ("spent", "carried"):
            chosen = draw(st.lists(st.sampled_from(live), unique=True, max_size=3)) if live else []
            for pid in sorted(chosen):
                p = projects[pid]
                out = sum(q["spent"] + q["carried"] for q in projects.values())
                room = min(p["cost"] - p["spent"] - p["carried"], state["paid"] - out)
                if room >= 1:
                    amount = draw(st.integers(1, room))
                    p[kind] += amount
                    event(day, kind, project=pid, amount=_pence_text(amount))
        for pid in sorted(draw(st.lists(st.sampled_from(live), unique=True, max_size=1)) if live else []):
            if not projects[pid]["completed"]:
                projects[pid]["completed"] = True
                event(day, "completed", project=pid)
        for pid in sorted(draw(st.lists(st.sampled_from(live), unique=True, max_size=1)) if live else []):
            projects[pid]["withdrawn"] = True
            event(day, "withdrawn", project=pid, reason=_q("it does not go ahead"))
        if not state["closed"] and draw(st.booleans()):
            state["closed"] = True
            event(day, "tactical pot closed")
    if draw(st.booleans()):
        last = max([shortlisted + dt.timedelta(days=d) for d in days if shortlisted + dt.timedelta(days=d)
                    <= YEAR_END_2026_27] + [shortlisted])
        event(last, "closed out")

    head = ["round: kcsp-2026-27", f"shortlisted: {shortlisted.isoformat()}", "source: drawn", "projects:"]
    for pid, p in projects.items():
        if pid.startswith("bid"):
            continue
        pot = p["pot"] or "not reported"
        head.append(f"  - id: {pid}\n    title: {_q('Project ' + pid)}\n    pot: {pot}\n"
                    f"    allocation: {_pence_text(p['allocation'])}")
    text = "\n".join(head) + ("\nevents:\n" + "\n".join(events) if events else "") + "\n"
    expected = dict(paid=state["paid"], projects={pid: dict(allocation=p["allocation"], spent=p["spent"],
                                                            carried=p["carried"], withdrawn=p["withdrawn"])
                                                  for pid, p in projects.items()})
    return text, expected


def shuffled_events(text: str, order) -> str:
    """The ledger *text* with its events in another *order* (a permutation of their indexes)."""
    head, _, body = text.partition("events:\n")
    if not body:
        return text
    blocks = ["  - date:" + block for block in body.split("  - date:")[1:]]
    blocks = [b.rstrip("\n") for b in blocks]
    return head + "events:\n" + "\n".join(blocks[i] for i in order) + "\n"


@st.composite
def proposal_folders(draw, min_size: int = 1, max_size: int = 6, **kwargs) -> tuple[tuple[str, str], ...]:
    """``((file name, text), ...)``: the files of a folder of proposals, each with its own id."""
    files = draw(st.lists(proposal_files(**kwargs), min_size=min_size, max_size=max_size,
                          unique_by=lambda pair: pair[0].id))
    return tuple((f"{p.id}.yaml", text) for p, text in files)


# --- rounds with their money on a grid (the plain reference of tests/reference.py scans them) ---------------

GRID = 10_000  # the grid unit: £100 (tests.reference.G)
GRID_REACHES = (None, 0, 100, 200, 400)  # people reached: any two in a ratio of 1, 2 or 4, or none
PCC_2026_27 = ("protecting-people", "protecting-places", "protecting-property", "productive-partnerships")
CSA_2026_27 = ("domestic-abuse", "road-safety", "substance-misuse", "neighbourhood-crime-asb", "vawg")
THEMES_2026_27 = ("early-intervention", "reoffending-victims", "community-resilience")
PANEL_2026_27 = ("kent-police", "kcc", "district-councils", "kfrs", "probation")
LEADS = ("Kent Police", "Kent County Council", "Swale Borough Council", "KFRS", "Kent Search and Rescue")


@attrs.frozen
class GridRound:
    """Proposals of the 2026/27 round with their money on the grid, an allocation on it, and how to choose."""

    proposals: tuple[Proposal, ...]
    budget: int  # pence, a multiple of GRID
    policy: str
    reduced_offers: bool
    capped: bool = True  # whether an upfront bid must cost no more than the allocation (fits-upfront-allocation)
    floored: bool = False  # whether an upfront bid must cost at least £1,200 (tests/test_fastpath.py FLOOR_RULE)


class _Drawn:
    """Draws made by hypothesis (shrinkable)."""

    def __init__(self, draw):
        self.draw = draw

    def integer(self, low: int, high: int) -> int:
        return self.draw(st.integers(low, high))

    def choice(self, options):
        return self.draw(st.sampled_from(options))


class _Seeded:
    """The same draws made by a seeded :class:`random.Random` (a round stands for its seed)."""

    def __init__(self, seed: int):
        import random

        self.rng = random.Random(seed)

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def choice(self, options):
        return self.rng.choice(options)


def _some(draws, options, low: int, high: int) -> tuple:
    """*low* to *high* of *options*, none twice, in the order drawn."""
    left, out = list(options), []
    for _ in range(draws.integer(low, min(high, len(options)))):
        out.append(left.pop(draws.integer(0, len(left) - 1)))
    return tuple(out)


def _grid_proposal(draws, pid: str, earlier: list, sizes: int, any_reach: bool) -> Proposal:
    """A proposal of the 2026/27 round whose cost is ``4 * GRID`` times 1 to *sizes*, any minimum a multiple of
    GRID, and reach one of :data:`GRID_REACHES` (or, with *any_reach*, none or any number up to 3,000);
    sometimes one of the *earlier* proposals again under another id (a twin), late, for the tactical pot,
    delivered after the year's end or serving no CSA priority."""
    if earlier and draws.integer(0, 6) == 6:
        return attrs.evolve(draws.choice(earlier), id=pid)
    cost = 4 * GRID * draws.integer(1, sizes)
    minimum = draws.integer(1, cost // GRID) * GRID if draws.integer(0, 2) == 2 else None
    end = YEAR_END_2026_27 - dt.timedelta(days=draws.choice((0, 0, 10, 30, 45, -30)))
    csa = ("asb",) if draws.integer(0, 15) == 15 else _some(draws, CSA_2026_27, 1, 2)
    panel = _some(draws, PANEL_2026_27, 0, 3)
    return Proposal(
        id=pid, title=f"Proposal {pid}", lead_agency=draws.choice(LEADS),
        submitted=dt.date(2026, 4, draws.integer(1, 9)),  # the 9th is a day late
        pot=draws.choice(("upfront",) * 9 + ("tactical",)), cost=cost, minimum_cost=minimum,
        pcc_priorities=_some(draws, PCC_2026_27, 1, 2), csa_priorities=csa,
        cross_cutting=_some(draws, THEMES_2026_27, 0, 2),
        delivery=Delivery(draws.choice((dt.date(2026, 5, 1), dt.date(2026, 3, 16))), end), summary="s",
        evaluation=draws.choice(("a plan", "a plan", "a plan", None)),
        reach=draws.choice((None, draws.integer(0, 3000))) if any_reach else draws.choice(GRID_REACHES),
        panel=tuple(sorted((agency, draws.integer(1, 5)) for agency in panel)),
    )


def _grid_round(draws, min_size: int, max_size: int, sizes: int, policies, any_reach: bool) -> GridRound:
    out: list[Proposal] = []
    for i in range(draws.integer(min_size, max_size)):
        out.append(_grid_proposal(draws, f"p{i:02d}", out, sizes, any_reach))
    total = sum(p.cost for p in out if p.pot == "upfront") // GRID
    budget = GRID * (draws.integer(0, total) if draws.integer(0, 1) else draws.integer(total // 4, total // 2))
    return GridRound(tuple(out), budget, draws.choice(policies), bool(draws.integer(0, 1)),
                     bool(draws.integer(0, 1)), draws.integer(0, 3) == 3)


@st.composite
def grid_rounds(draw, min_size: int = 5, max_size: int = 12, sizes: int = 6,
                policies=("rank", "optimal", "consensus-first"), any_reach: bool = False) -> GridRound:
    """A :class:`GridRound` of *min_size* to *max_size* proposals, costs of 1 to *sizes* steps of ``4 * GRID``,
    an allocation on the grid from £0 to the cost of every upfront bid, one of *policies*, reduced offers on or
    off, the rule that caps an upfront bid at the allocation kept or not (without it, eligibility never
    moves with the allocation), and sometimes a least cost for an upfront bid (``floored``).  With *any_reach*,
    reach is any number, so that value for money crosses between grid points."""
    return _grid_round(_Drawn(draw), min_size, max_size, sizes, policies, any_reach)


def seeded_grid_round(seed: int, min_size: int = 5, max_size: int = 12, sizes: int = 6,
                      policies=("rank", "optimal", "consensus-first"), any_reach: bool = False) -> GridRound:
    """The round :func:`grid_rounds` could draw, drawn from *seed* (for large rounds, where hypothesis's
    simplest examples would be all twins and its shrinking too slow to help)."""
    return _grid_round(_Seeded(seed), min_size, max_size, sizes, policies, any_reach)
