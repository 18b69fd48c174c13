"""Scoring: weighted criteria declared in the round's rules file, each with its reason.

Every criterion is a *measure*: a function with the same signature,
``measure(proposal, round, pool, options) -> (fraction, reason)``, where the
fraction is an exact :class:`~fractions.Fraction` from 0 to 1, or ``None``
when the proposal gives nothing to judge it by (no panel scores, no estimate
of reach: it then counts 0 and is shown as not scored), and *pool* is the
:class:`Pool` of every proposal being scored together (value for money is
judged against them).  A proposal's score is ``out_of`` times the weighted
mean of its fractions, held exactly and rounded once, half up, to thousandths
of a point (the integer *units* that ranking and selection use).

Scoring a round is n log n: the pool sorts the proposals' people reached per
pound once, and each proposal finds its standing by bisection.
"""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from fractions import Fraction
from typing import Callable, Iterable, Sequence

import attrs

from .. import fmt
from ..fmt import UNITS  # score units per point
from ..inputs import values
from ..errors import InputError, did_you_mean
from ..inputs.proposal import Proposal

__all__ = ["MEASURES", "UNITS", "Criterion", "Part", "Pool", "Rejudge", "Score", "Scoring", "Totals", "parse_scoring",
           "score_all"]


@attrs.frozen
class Criterion:
    """One weighted criterion of the scoring."""

    id: str
    name: str
    weight: Fraction
    measure: str
    field: str | None = None  # for "priorities": which list field
    weights: tuple[tuple[str, Fraction], ...] = ()  # per-priority weights (default 1)
    themes: Fraction = Fraction(0)  # for "priorities": what each cross-cutting theme counts
    full_marks_at: Fraction = Fraction(1)  # the amount that earns full marks


@attrs.frozen
class Scoring:
    """How a round scores proposals."""

    out_of: int
    criteria: tuple[Criterion, ...]
    consensus_min: int = 3  # panel consensus: every agency scores at least this

    def with_weight(self, criterion_id: str, weight: Fraction) -> "Scoring":
        ids = [c.id for c in self.criteria]
        if criterion_id not in ids:
            raise InputError(f"'{criterion_id}' is not a scoring criterion{did_you_mean(criterion_id, ids)}",
                             field="weight", fix="use one of: " + ", ".join(ids))
        return attrs.evolve(self, criteria=tuple(
            attrs.evolve(c, weight=weight) if c.id == criterion_id else c for c in self.criteria))


@attrs.frozen
class Part:
    """What one criterion gave a proposal."""

    criterion: str
    name: str
    points: Fraction  # out of max_points
    max_points: Fraction
    reason: str
    scored: bool = True  # False when the proposal gave nothing to judge this by (it then counts 0)


@attrs.frozen
class Score:
    """A proposal's score, its breakdown and its panel consensus."""

    units: int  # thousandths of a point, rounded once, half up
    out_of: int
    parts: tuple[Part, ...]
    consensus: bool
    panel_mean: Fraction | None
    exact: Fraction = Fraction(0)  # the total before rounding

    @property
    def points(self) -> Fraction:
        return Fraction(self.units, UNITS)

    @property
    def unscored(self) -> tuple[Part, ...]:
        """The criteria the proposal gave nothing to judge by."""
        return tuple(part for part in self.parts if not part.scored)

    @property
    def most(self) -> Fraction:
        """The most the proposal could score, given the criteria it cannot be scored on."""
        return self.out_of - sum((part.max_points for part in self.unscored), Fraction(0))

    def terms(self) -> list[tuple[Part, str]]:
        """Each part with its points as shown: one decimal, rounded so that the shown terms add up to the
        shown total (largest remainder); ``not scored`` for a criterion with nothing to judge by."""
        return list(self._terms)

    @functools.cached_property
    def _shown(self) -> tuple[tuple[Part, int], ...]:
        """Each scored part with its points as shown, in tenths, adding up to the score as shown: its thousandths
        rounded to one decimal, which may be a tenth more than the exact parts' sum rounded (8.54992 is held as
        8.550 and shown as 8.6).  Worked out once: the explanation and the JSON read them."""
        scored = [part for part in self.parts if part.scored]
        total = fmt.steps(self.points) if scored else None
        return tuple(zip(scored, fmt.rounded_steps([part.points for part in scored], total=total)))

    @functools.cached_property
    def _terms(self) -> tuple[tuple[Part, str], ...]:
        shown = iter(fmt.on_grid(tenths, 1) for _, tenths in self._shown)
        return tuple((part, next(shown) if part.scored else "not scored") for part in self.parts)

    @property
    def rounded(self) -> bool:
        """Whether some shown term differs from its exact value."""
        return any(tenths * part.points.denominator != 10 * part.points.numerator for part, tenths in self._shown)


@attrs.frozen
class Pool:
    """The proposals scored together, with the people each reaches per pound sorted once."""

    proposals: tuple[Proposal, ...]
    ratios: tuple[Fraction, ...]  # people reached per pound of every proposal with an estimate, ascending
    rated: dict = attrs.field(eq=False, repr=False)  # id -> its own ratio
    members: dict = attrs.field(eq=False, repr=False, factory=dict)  # id -> (the proposal, its standing)

    @classmethod
    def of(cls, proposals: Sequence[Proposal]) -> "Pool":
        rated = {p.id: reach_per_pound(p) for p in proposals if p.reach is not None}
        by_ratio = sorted(rated, key=lambda pid: ratio_order(rated[pid]))
        ratios = tuple(rated[pid] for pid in by_ratio)
        # each member's standing, from one pass over the ratios in order: those in a run of equal ratios
        # stand above everything before the run and tie with the rest of the run
        standings = {}
        start = 0
        for end in range(1, len(ratios) + 1):
            if end == len(ratios) or ratios[end] != ratios[start]:
                for pid in by_ratio[start:end]:
                    standings[pid] = (start, end - start - 1, len(ratios) - 1)
                start = end
        members = {p.id: (p, standings.get(p.id)) for p in proposals}
        return cls(tuple(proposals), ratios, rated, members)

    def standing(self, p: Proposal) -> tuple[int, int, int]:
        """``(below, ties, others)``: how many other proposals reach fewer people per pound than *p*, as many,
        and how many others have an estimate at all (a pool member with *p*'s id is not an other).  A member's
        own standing was worked out with the pool; any other proposal's is found by bisection."""
        member, standing = self.members.get(p.id, (None, None))
        if member is p and standing is not None:
            return standing
        mine = reach_per_pound(p)
        below = bisect_left(self.ratios, mine)
        ties = bisect_right(self.ratios, mine) - below
        others = len(self.ratios)
        twin = self.rated.get(p.id)
        if twin is not None:
            others -= 1
            if twin < mine:
                below -= 1
            elif twin == mine:
                ties -= 1
        return below, ties, others


def reach_per_pound(p: Proposal) -> Fraction:
    """People reached per pound (pence are whole, so per pound is reach * 100 / cost)."""
    return Fraction(p.reach * 100, p.cost)


def ratio_order(ratio: Fraction) -> tuple[int, Fraction]:
    """A key that sorts people per pound as the ratios themselves sort: the ratio to 64 binary places, rounded
    down, as one whole number, then the ratio itself, so that sorting a pool's ratios compares whole numbers,
    and Fractions only for ratios that agree to 64 binary places."""
    return (ratio.numerator << 64) // ratio.denominator, ratio


ZERO, ONE = Fraction(0), Fraction(1)  # nothing, and full marks


# --- the measures ------------------------------------------------------------------------------


def share(amount: Fraction | int, full: Fraction) -> Fraction:
    """``min(1, amount / full)`` for *full* above 0: full marks from *full* on, that share of them below, worked
    out over whole numbers (one Fraction made, where the comparison and the division made two)."""
    n, d = amount.numerator * full.denominator, amount.denominator * full.numerator
    return ONE if n >= d else Fraction(n, d)


Measure = Callable[[Proposal, object, Pool, Criterion], tuple[Fraction | None, str]]


def _priorities(p: Proposal, round_, pool, c: Criterion) -> tuple[Fraction, str]:
    group = {"pcc_priorities": round_.pcc, "csa_priorities": round_.csa}[c.field]
    names = {q.id: q.name for q in group}
    served = [pid for pid in getattr(p, c.field) if pid in names]
    if c.themes:
        known = {q.id for q in round_.cross_cutting}
        themes = [t for t in p.cross_cutting if t in known]
    else:
        themes = []
    if not served and not themes:
        return ZERO, "serves none of the round's priorities"
    weights = dict(c.weights)
    amount = sum(weights.get(pid, 1) for pid in served)  # a whole number unless some weight is not
    if themes:
        amount += c.themes * len(themes)
    fraction = share(amount, c.full_marks_at)
    words = ", ".join(names[pid] + (f" (x{fmt.number(weights[pid])})" if weights.get(pid, 1) != 1 else "") for pid in served)
    text = f"serves {words or 'no priority'}"
    if themes:
        text += f"; {len(themes)} cross-cutting theme{'s' if len(themes) != 1 else ''} (x{fmt.number(c.themes)} each)"
    return fraction, f"{text}: counts {fmt.number(amount)}, {fmt.number(c.full_marks_at)} for full marks"


def _panel_mean(p: Proposal, round_, pool, c: Criterion) -> tuple[Fraction, str]:
    if not p.panel:
        return None, "not scored: no agency gave a panel score"
    counted = round_.panel.counted(p)
    why = _interest_words(p, round_.panel)
    if not counted:
        return None, f"not scored: no panel score counts{why}"
    given = sum(s for _, s in counted)
    mean = Fraction(given, len(counted))
    agencies = f"{len(counted)} agenc{'y' if len(counted) == 1 else 'ies'}"
    return Fraction(given, 5 * len(counted)), f"mean panel score {fmt.points(mean, 2)} of 5 from {agencies}{why}"


def _interest_words(p: Proposal, panel) -> str:
    """What the panel part says of declared interests: whose scores are left out (or counted), and why."""
    words = ""
    declared = panel.declared(p)
    if declared:
        words += ("; left out for declared interests: " if panel.interests == "leave out"
                  else "; counted, as this round counts declared interests: ")
        words += "; ".join(f"{score} from {interest.words()}" for interest, score in declared)
    for field, name, hint in panel.near_misses(p):
        words += f"; {field} '{name}' is not an organisation of the panel{hint}"
    return words


def _reach_per_pound(p: Proposal, round_, pool, c: Criterion) -> tuple[Fraction, str]:
    if p.reach is None:
        return None, "not scored: no estimate of the people it will reach"
    mine = reach_per_pound(p)
    below, ties, others = pool.standing(p)
    if not others:
        return ONE, f"{fmt.number(mine, 2)} people per £1; no other proposal to compare"
    fraction = Fraction(2 * below + ties, 2 * others)  # (below + ties / 2) / others, over one denominator
    return fraction, (f"{fmt.number(mine, 2)} people reached per £1, more than {below} of the {others} "
                      f"others (judged by rank, so one extreme estimate cannot dominate)")


def _time_to_spare(p: Proposal, round_, pool, c: Criterion) -> tuple[Fraction, str]:
    start, end = p.delivery.start, p.delivery.end
    if start < round_.year_start or end > round_.year_end:
        return ZERO, (f"delivery {fmt.date(start)} to {fmt.date(end)} is not inside the "
                      f"financial year {round_.financial_year}")
    spare = (round_.year_end - end).days
    full = c.full_marks_at
    # half for delivery inside the year, the other half for the days to spare up to full marks:
    # 1/2 + min(1, spare / full) / 2, which is (spare * d + n) / (2 * n) below full marks, for full = n / d
    fraction = ONE if spare >= full else Fraction(spare * full.denominator + full.numerator, 2 * full.numerator)
    return fraction, (f"delivered inside the financial year, ending {fmt.date(end)} with {spare} "
                      f"day{'s' if spare != 1 else ''} to spare ({fmt.number(c.full_marks_at)} for full marks)")


def _evaluation_plan(p: Proposal, round_, pool, c: Criterion) -> tuple[Fraction, str]:
    if p.evaluation:
        return Fraction(1), "says how success will be measured"
    return Fraction(0), "no evaluation plan"


MEASURES: dict[str, Measure] = {
    "priorities": _priorities,
    "panel mean": _panel_mean,
    "reach per pound": _reach_per_pound,
    "time to spare": _time_to_spare,
    "evaluation plan": _evaluation_plan,
}


# --- scoring a round ---------------------------------------------------------------------------


def consensus(p: Proposal, scoring: Scoring, round_=None) -> bool:
    """Whether every agency on the panel scored the proposal at least ``consensus_min``.

    With *round_*, the scores the round's panel leaves out for a declared interest do not count.
    """
    return agreed(round_.panel.counted(p) if round_ is not None else p.panel, scoring)


def agreed(counted: Sequence[tuple[str, int]], scoring: Scoring) -> bool:
    """Whether there are *counted* panel scores and every one is at least ``consensus_min``."""
    return bool(counted) and all(s >= scoring.consensus_min for _, s in counted)


def max_points(scoring: Scoring) -> dict[str, Fraction]:
    """The most each criterion can give: ``out_of`` shared by weight."""
    total_weight = sum((c.weight for c in scoring.criteria), Fraction(0))
    return {c.id: scoring.out_of * c.weight / total_weight if total_weight else Fraction(0)
            for c in scoring.criteria}


def units_of(exact: Fraction) -> int:
    """An exact score in units, rounded once, half up: ``exact * UNITS + 1/2`` rounded down, worked out in whole
    numbers (``(2 * UNITS * n + d) // (2 * d)`` for ``exact = n / d``)."""
    n, d = exact.numerator, exact.denominator
    return (2 * UNITS * n + d) // (2 * d)


def total(points: Iterable[Fraction]) -> Fraction:
    """The sum of *points*, added as whole numbers over the product of their denominators and reduced once at
    the end: the same sum as adding the fractions one by one, which reduces after every addition."""
    n, d = 0, 1
    for value in points:
        n, d = n * value.denominator + value.numerator * d, d * value.denominator
    return Fraction(n, d)


def score_one(p: Proposal, round_, pool: Pool | Sequence[Proposal], scoring: Scoring,
              most: dict[str, Fraction] | None = None) -> Score:
    """The score of *p* judged within *pool* (*most*: :func:`max_points` of *scoring*, if already worked out)."""
    if not isinstance(pool, Pool):
        pool = Pool.of(pool)
    most = most or max_points(scoring)
    parts = []
    for c in scoring.criteria:
        fraction, reason = MEASURES[c.measure](p, round_, pool, c)
        points = most[c.id] * fraction if fraction else ZERO
        parts.append(Part(c.id, c.name, points, most[c.id], reason, fraction is not None))
    exact = total(part.points for part in parts)
    counted = round_.panel.counted(p)
    mean = Fraction(sum(s for _, s in counted), len(counted)) if counted else None
    return Score(units_of(exact), scoring.out_of, tuple(parts), agreed(counted, scoring), mean, exact)


def score_all(proposals: Sequence[Proposal], round_, scoring: Scoring) -> dict[str, Score]:
    """The score of each proposal, judged together (for value for money)."""
    pool = Pool.of(proposals)
    most = max_points(scoring)
    return {p.id: score_one(p, round_, pool, scoring, most) for p in proposals}


@attrs.frozen(slots=True)
class Totals:
    """A score's total alone: what ranking and selection read (at an allocation other than the one in use,
    where no sentence is written from it)."""

    units: int
    consensus: bool


class Rejudge:
    """The totals of any pool drawn from one set of proposals, each judged within its pool, worked out fast.

    Only value for money depends on the pool, and only through a proposal's standing: how many of the
    pool reach fewer people per pound, and how many as many.  So the set's people per pound are ranked
    once (ties sharing a rank), every other part of each score is summed once, and a pool's totals are
    whole-number arithmetic: with ``base = bn / bd`` the rest of the score, ``value = vn / vd`` the most
    value for money gives, ``s`` twice the proposal's standing and ``o`` the others with an estimate,
    the exact score is ``base + value * s / (2 * o)``, rounded once, half up, as :func:`units_of` does.
    """

    def __init__(self, known: dict[str, Score], proposals: Sequence[Proposal], round_, scoring: Scoring):
        most = max_points(scoring)
        valued = {c.id for c in scoring.criteria if c.measure == "reach per pound"}
        value = sum((most[c] for c in valued), Fraction(0))
        pool = None
        self._consensus: dict[str, bool] = {}
        self._fixed: dict[str, int] = {}  # units of a proposal value for money cannot move
        self._terms: dict[str, tuple[int, int, int, int]] = {}  # id -> (bn * vd, vn * bd, bd * vd, its rank)
        self._full: dict[str, int] = {}  # units of a rated proposal alone in its pool (it then gets it all)
        ratios = {p.id: reach_per_pound(p) for p in proposals if p.reach is not None}
        ranks = {r: i for i, r in enumerate(sorted(set(ratios.values())))}
        self._ranks = len(ranks)
        for p in proposals:
            score = known.get(p.id)
            if score is None:
                pool = pool or Pool.of(proposals)
                score = score_one(p, round_, pool, scoring)
            self._consensus[p.id] = score.consensus
            base = score.exact - sum((part.points for part in score.parts if part.criterion in valued), Fraction(0))
            if p.id not in ratios or not value:
                self._fixed[p.id] = units_of(base)
                continue
            self._full[p.id] = units_of(base + value)
            self._terms[p.id] = (base.numerator * value.denominator, value.numerator * base.denominator,
                                 base.denominator * value.denominator, ranks[ratios[p.id]])

    @property
    def ranks(self) -> int:
        """How many different people-per-pound figures the set has (ranks run from 0 to one less)."""
        return self._ranks

    def terms(self, p: Proposal) -> tuple[int, int, int, int, int] | None:
        """For a proposal value for money moves: ``(a, b, d, its rank, its units alone in its pool)``, so that
        with ``t`` twice the others with an estimate and ``s`` twice its standing its exact score is
        ``(a * t + b * s) / (d * t)``; ``None`` for one whose units are :meth:`fixed`."""
        term = self._terms.get(p.id)
        return None if term is None else term + (self._full[p.id],)

    def fixed(self, p: Proposal) -> int | None:
        """The units of a proposal value for money cannot move (``None`` for one it can)."""
        return self._fixed.get(p.id)

    def consensus(self, p: Proposal) -> bool:
        return self._consensus[p.id]

    def totals(self, pool: Sequence[Proposal]) -> dict[str, Totals]:
        """Each of *pool*'s totals, judged within *pool* (every one of them drawn from the set)."""
        terms = self._terms
        counts = [0] * (self._ranks + 1)
        rated = 0
        for p in pool:
            term = terms.get(p.id)
            if term is not None:
                counts[term[3]] += 1
                rated += 1
        below = [0] * (self._ranks + 1)  # how many of the pool rank below each rank
        running = 0
        for r in range(self._ranks + 1):
            below[r] = running
            running += counts[r]
        twice_others = 2 * (rated - 1)
        unit2 = 2 * UNITS
        out = {}
        for p in pool:
            term = terms.get(p.id)
            if term is None:
                units = self._fixed[p.id]
            elif not twice_others:
                units = self._full[p.id]
            else:
                a, b, d, r = term
                s = 2 * below[r] + counts[r] - 1
                numerator, denominator = a * twice_others + b * s, d * twice_others
                units = (unit2 * numerator + denominator) // (2 * denominator)
            out[p.id] = Totals(units, self._consensus[p.id])
        return out


# --- reading the scoring section of a rules file --------------------------------------------------


def _weight(value) -> Fraction:
    return Fraction(values.number(value))


def parse_scoring(f, round_fields) -> Scoring:
    """The ``scoring`` section (a :class:`~engine.inputs.yamlfile.Fields`), checked.

    Weights that do not add up to ``out_of`` are rescaled, with a warning saying to what;
    weights that are all 0 are refused.
    """
    out_of = f.take("out_of", values.count)
    consensus_min = f.take("consensus_at_least", values.count, required=False, default=3)
    if consensus_min > 5:
        f.refuse("consensus_at_least", "panel scores run from 0 to 5", fix="write a number from 0 to 5")
    criteria = []
    for path, _ in f.items("criteria"):
        c = f.at(path)
        cid = c.take_new_id("id", {x.id for x in criteria}, "criterion")
        measure = c.take_choice("measure", MEASURES, "a measure", fix="use one of: " + ", ".join(MEASURES))
        field = None
        weights: tuple = ()
        themes = Fraction(0)
        if measure == "priorities":
            field = c.take("field", values.text)
            if field is not None and field not in ("pcc_priorities", "csa_priorities"):
                c.refuse("field", f"{fmt.quoted(field)} is not a priority field",
                         fix="write pcc_priorities or csa_priorities")
                field = None
            known = {q.id for q in round_fields[{"pcc_priorities": "pcc", "csa_priorities": "csa"}[field]]} \
                if field else set()
            sub = c.sub("weights", required=False)
            if sub is not None:
                pairs = []
                for pid in list(sub.data):
                    weight = sub.take(pid, _weight)
                    if field and pid not in known:
                        sub.file.problem(sub.file.error(sub.path + (pid,), f"{fmt.quoted(pid)} is not a priority of "
                                                        f"this round{did_you_mean(pid, known)}",
                                                        fix="use an id listed under priorities", at_key=True))
                    elif weight is not None:
                        pairs.append((pid, weight))
                sub.done()
                weights = tuple(pairs)
            themes = c.take("themes", _weight, required=False, default=Fraction(0))
        default_full = {"time to spare": Fraction(30)}.get(measure, Fraction(1))
        full = c.take("full_marks_at", _weight, required=False, default=default_full)
        if full is not None and full <= 0:
            c.refuse("full_marks_at", "must be more than 0", fix="write a number such as 2")
        name = c.take("name", values.text)
        weight = c.take("weight", _weight)
        c.done()
        if None not in (cid, measure, name, weight) and (measure != "priorities" or field):
            criteria.append(Criterion(id=cid, name=name, weight=weight, measure=measure, field=field,
                                      weights=weights, themes=themes, full_marks_at=full))
    if not criteria and isinstance(f.data.get("criteria"), list) and not f.data["criteria"]:
        f.refuse("criteria", "lists no criteria", fix="add at least one criterion")
    f.done()
    scoring = Scoring(out_of, tuple(criteria), consensus_min)
    if out_of is not None and criteria and len(criteria) == len(f.data.get("criteria") or ()):
        total = sum((c.weight for c in criteria), Fraction(0))
        if total == 0:
            f.refuse("criteria", "every weight is 0, so every proposal would score 0",
                     fix="give at least one criterion a weight above 0")
        elif total != out_of:
            f.warn("criteria", f"the weights add up to {fmt.number(total)}, not {out_of} (out_of): they are rescaled "
                               f"to add up to {out_of}: " + ", ".join(
                                   f"{c.id} {fmt.number(out_of * c.weight / total)}" for c in criteria),
                   fix=f"make the weights add up to {out_of} to say what each is worth")
    return scoring


def default_scoring() -> Scoring:
    """The scoring used when a rules file has none: priorities and panel only."""
    return Scoring(10, (
        Criterion("pcc", "Police and Crime Plan priorities", Fraction(3), "priorities", field="pcc_priorities"),
        Criterion("csa", "Community Safety Agreement priorities", Fraction(3), "priorities", field="csa_priorities"),
        Criterion("panel", "Partners' panel scores", Fraction(4), "panel mean"),
    ))

