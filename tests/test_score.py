"""Scoring: weighted criteria, exact fractions, one rounding, reasons with every part."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs
import pytest
from hypothesis import example, given, strategies as st

from engine.inputs.proposal import Delivery, Proposal
from engine.inputs.round import load_round
from engine.decision import score as scoring_module
from engine.decision.score import (MEASURES, UNITS, Criterion, Pool, Rejudge, Scoring, consensus, ratio_order,
                                  score_all, score_one, share, total, units_of)
from engine.inputs.round import Agency, Panel
from engine.fmt import points as fmt_points
from tests.conftest import ROUNDS
from tests.strategies import priced_rounds

ROUND = load_round(ROUNDS["kcsp-2026-27"][0])


def make(pid="p", **changes) -> Proposal:
    base = Proposal(
        id=pid, title="T", lead_agency="KCC", submitted=dt.date(2026, 4, 1), pot="upfront", cost=500000,
        pcc_priorities=("protecting-people",), csa_priorities=("vawg",),
        delivery=Delivery(dt.date(2026, 5, 1), dt.date(2027, 2, 28)), summary="s", evaluation="survey",
        reach=100, panel=(("a", 4), ("b", 3)),
    )
    return attrs.evolve(base, **changes)


class TestFmtPoints:
    def test_rounds_half_up(self):
        """Points are rounded half up, never to even."""
        assert fmt_points(Fraction(725, 100)) == "7.3"
        assert fmt_points(Fraction(745, 100), 1) == "7.5"
        assert fmt_points(Fraction(2, 3), 2) == "0.67"


class TestScoreOne:
    def test_breakdown_adds_up_to_total(self):
        """The parts of a score add up to its total, before the one rounding to thousandths."""
        p = make()
        s = score_one(p, ROUND, [p], ROUND.scoring)
        exact = sum(part.points for part in s.parts)
        assert s.units == int((exact * UNITS * 2 + 1) // 2)
        assert sum(part.max_points for part in s.parts) == ROUND.scoring.out_of

    def test_every_part_has_a_reason(self):
        """Every criterion gives a reason in words."""
        p = make()
        s = score_one(p, ROUND, [p], ROUND.scoring)
        assert [part.criterion for part in s.parts] == [c.id for c in ROUND.scoring.criteria]
        assert all(part.reason for part in s.parts)

    def test_priorities_full_marks_at(self):
        """Two PCC priorities earn the full 2 points; one earns half."""
        one = score_one(make(), ROUND, [make()], ROUND.scoring).parts[0]
        two = score_one(make(pcc_priorities=("protecting-people", "protecting-places")), ROUND, [make()],
                        ROUND.scoring).parts[0]
        assert (one.points, two.points) == (Fraction(1), Fraction(2))

    def test_unknown_priorities_count_nothing(self):
        """An id that is not one of the round's priorities earns nothing."""
        part = score_one(make(pcc_priorities=("asb",)), ROUND, [make()], ROUND.scoring).parts[0]
        assert part.points == 0
        assert "none" in part.reason

    def test_panel_mean_and_consensus(self):
        """The panel part is the mean score over 5; consensus needs every agency at 3 or more."""
        s = score_one(make(panel=(("a", 5), ("b", 2))), ROUND, [make()], ROUND.scoring)
        panel = next(p for p in s.parts if p.criterion == "panel")
        assert panel.points == Fraction(3) * Fraction(7, 2) / 5
        assert s.consensus is False
        assert score_one(make(), ROUND, [make()], ROUND.scoring).consensus is True

    def test_no_panel(self):
        """Without panel scores the panel part is zero and there is no consensus."""
        s = score_one(make(panel=()), ROUND, [make()], ROUND.scoring)
        assert next(p for p in s.parts if p.criterion == "panel").points == 0
        assert s.consensus is False

    def test_time_to_spare(self):
        """Delivery ending on 31 March earns half; 30 or more days to spare earns all; outside the year none."""
        def part(end, start=dt.date(2026, 5, 1)):
            p = make(delivery=Delivery(start, end))
            return next(x for x in score_one(p, ROUND, [p], ROUND.scoring).parts if x.criterion == "deliverability")
        assert part(dt.date(2027, 3, 31)).points == Fraction(1, 2)
        assert part(dt.date(2027, 3, 1)).points == 1
        assert part(dt.date(2027, 4, 1)).points == 0
        assert part(dt.date(2027, 1, 1), start=dt.date(2026, 3, 1)).points == 0


class TestValueForMoney:
    def test_outlier_cannot_dominate(self):
        """An extreme reach estimate earns the top rank, and no more than any other top rank would."""
        pool = [make("a", reach=100), make("b", reach=200), make("c", reach=300)]
        modest = score_all(pool, ROUND, ROUND.scoring)
        pool[2] = make("c", reach=10**9)
        extreme = score_all(pool, ROUND, ROUND.scoring)
        assert {k: v.units for k, v in modest.items()} == {k: v.units for k, v in extreme.items()}

    def test_by_rank(self):
        """More reach per pound ranks higher; equal reach per pound shares a rank."""
        pool = [make("a", reach=100), make("b", reach=200), make("c", reach=200)]
        scores = score_all(pool, ROUND, ROUND.scoring)
        value = {pid: next(p for p in s.parts if p.criterion == "value").points for pid, s in scores.items()}
        assert value["a"] == 0
        assert value["b"] == value["c"] == Fraction(3, 4)  # above 1 of 2 others, tied with one: (1 + 1/2) / 2

    def test_no_reach(self):
        """A proposal without a reach estimate earns nothing for value for money."""
        s = score_one(make(reach=None), ROUND, [make()], ROUND.scoring)
        assert next(p for p in s.parts if p.criterion == "value").points == 0


class TestWholeNumbers:
    @given(st.fractions())
    @example(Fraction(1, 2 * UNITS))
    @example(Fraction(-1, 2 * UNITS))
    @example(Fraction(7, 2 * UNITS))
    def test_units_are_the_exact_score_rounded_half_up(self, exact):
        """units_of, in whole numbers, is the Fraction exact * UNITS + 1/2 rounded down, halves and below 0 too."""
        assert units_of(exact) == int((exact * UNITS * 2 + 1) // 2)

    @given(st.fractions() | st.integers(), st.fractions(min_value=0, max_denominator=100).filter(lambda f: f > 0))
    @example(Fraction(2), Fraction(2))
    def test_a_share_is_the_amount_over_full_marks_at_most_one(self, amount, full):
        """share(amount, full), over whole numbers, is min(1, amount / full) in Fractions, a Fraction either way."""
        got = share(amount, full)
        assert type(got) is Fraction and got == min(Fraction(1), amount / full)

    @given(st.lists(st.fractions(), max_size=8))
    def test_the_total_is_the_sum_of_the_fractions(self, points):
        """total, over one denominator reduced once, is the Fractions added one by one (0 for none)."""
        got = total(points)
        assert type(got) is Fraction and got == sum(points, Fraction(0))


def plain_measure(p, round_, pool, c):
    """A measure as it was first written, one Fraction operation at a time: what the measures must still give."""
    fmt = scoring_module.fmt
    if c.measure == "priorities":
        group = {"pcc_priorities": round_.pcc, "csa_priorities": round_.csa}[c.field]
        names = {q.id: q.name for q in group}
        weights = dict(c.weights)
        served = [pid for pid in getattr(p, c.field) if pid in names]
        themes = [t for t in p.cross_cutting if t in {q.id for q in round_.cross_cutting}] if c.themes else []
        amount = sum((weights.get(pid, Fraction(1)) for pid in served), Fraction(0)) + c.themes * len(themes)
        fraction = min(Fraction(1), amount / c.full_marks_at)
        if not served and not themes:
            return Fraction(0), "serves none of the round's priorities"
        words = ", ".join(names[pid] + (f" (x{fmt.number(weights[pid])})" if weights.get(pid, 1) != 1 else "")
                          for pid in served)
        text = f"serves {words or 'no priority'}"
        if themes:
            text += (f"; {len(themes)} cross-cutting theme{'s' if len(themes) != 1 else ''} "
                     f"(x{fmt.number(c.themes)} each)")
        return fraction, f"{text}: counts {fmt.number(amount)}, {fmt.number(c.full_marks_at)} for full marks"
    if c.measure == "panel mean":
        if not p.panel:
            return None, "not scored: no agency gave a panel score"
        counted = round_.panel.counted(p)
        why = scoring_module._interest_words(p, round_.panel)
        if not counted:
            return None, f"not scored: no panel score counts{why}"
        mean = Fraction(sum(s for _, s in counted), len(counted))
        agencies = f"{len(counted)} agenc{'y' if len(counted) == 1 else 'ies'}"
        return mean / 5, f"mean panel score {fmt.points(mean, 2)} of 5 from {agencies}{why}"
    if c.measure == "reach per pound":
        if p.reach is None:
            return None, "not scored: no estimate of the people it will reach"
        mine = Fraction(p.reach * 100, p.cost)
        below, ties, others = pool.standing(p)
        if not others:
            return Fraction(1), f"{fmt.number(mine, 2)} people per £1; no other proposal to compare"
        fraction = (below + Fraction(ties, 2)) / others
        return fraction, (f"{fmt.number(mine, 2)} people reached per £1, more than {below} of the {others} "
                          f"others (judged by rank, so one extreme estimate cannot dominate)")
    if c.measure == "time to spare":
        start, end = p.delivery.start, p.delivery.end
        if start < round_.year_start or end > round_.year_end:
            return Fraction(0), (f"delivery {fmt.date(start)} to {fmt.date(end)} is not inside the "
                                 f"financial year {round_.financial_year}")
        spare = (round_.year_end - end).days
        fraction = Fraction(1, 2) + Fraction(1, 2) * min(Fraction(1), Fraction(spare) / c.full_marks_at)
        return fraction, (f"delivered inside the financial year, ending {fmt.date(end)} with {spare} "
                          f"day{'s' if spare != 1 else ''} to spare ({fmt.number(c.full_marks_at)} for full marks)")
    return MEASURES[c.measure](p, round_, pool, c)


amounts = st.fractions(min_value=0, max_value=3, max_denominator=6)
full_marks = st.fractions(min_value=Fraction(1, 6), max_value=70, max_denominator=6)


@st.composite
def criteria(draw):
    """The shipped round's criteria with other weights for its priorities, themes and full marks."""
    out = []
    for c in ROUND.scoring.criteria:
        if c.measure == "priorities":
            group = ROUND.pcc if c.field == "pcc_priorities" else ROUND.csa
            ids = draw(st.lists(st.sampled_from([q.id for q in group]), unique=True))
            c = attrs.evolve(c, weights=tuple((pid, draw(amounts)) for pid in ids), themes=draw(amounts),
                             full_marks_at=draw(full_marks))
        elif c.measure == "time to spare":
            c = attrs.evolve(c, full_marks_at=draw(full_marks))
        out.append(c)
    return out


class TestMeasures:
    @given(priced_rounds(min_size=1, max_size=10), criteria(), st.lists(st.integers(-40, 400), max_size=10))
    def test_each_measure_gives_what_plain_fractions_give(self, pr, judged_by, days_to_spare):
        """Every measure gives the fraction and the reason that Fraction arithmetic step by step gives, whatever
        the weights, themes and full marks, and whenever delivery ends."""
        proposals = [attrs.evolve(p, delivery=Delivery(p.delivery.start, ROUND.year_end - dt.timedelta(days=days)))
                     for p, days in zip(pr.proposals, days_to_spare)] + list(pr.proposals[len(days_to_spare):])
        pool = Pool.of(proposals)
        for p in proposals:
            for c in judged_by:
                got, want = MEASURES[c.measure](p, ROUND, pool, c), plain_measure(p, ROUND, pool, c)
                assert got == want and type(got[0]) is type(want[0]), (p.id, c.id)


class TestPool:
    @given(st.lists(st.fractions(min_value=0, max_denominator=10**7) | st.sampled_from(
        [Fraction(1, 3), Fraction(1, 3) + Fraction(1, 2**66), Fraction(1, 3) - Fraction(1, 2**66)])))
    def test_ratios_sort_by_their_order_as_they_sort_themselves(self, ratios):
        """Sorting by ratio_order, whole numbers first, is sorting the ratios, near ties and equal ones included."""
        assert sorted(ratios, key=ratio_order) == sorted(ratios)

    @given(priced_rounds(min_size=1, max_size=12), st.data())
    def test_a_members_standing_is_the_one_bisection_finds(self, pr, data):
        """Each member's standing, worked out once when the pool is made, is the one the pool finds by bisection
        for any proposal (a copy is not a member), ties and a second proposal under one id included."""
        proposals = list(pr.proposals)
        if data.draw(st.booleans()):  # the later of two proposals under one id is the member
            again = data.draw(st.sampled_from(proposals))
            proposals.append(attrs.evolve(again, reach=data.draw(st.one_of(st.none(), st.integers(0, 3000)))))
        pool = Pool.of(proposals)
        for p in proposals:
            if p.reach is not None:
                assert pool.standing(p) == pool.standing(attrs.evolve(p))


class TestRejudge:
    @given(priced_rounds(min_size=2, max_size=12), st.randoms(use_true_random=False))
    def test_totals_of_any_pool_are_scoring_it(self, pr, rng):
        """The totals Rejudge gives any pool drawn from a set (only value for money depends on the pool) are
        the ones scoring that pool from scratch gives, unit for unit, with the same consensus."""
        proposals = pr.proposals
        judge = Rejudge(score_all(proposals, ROUND, ROUND.scoring), proposals, ROUND, ROUND.scoring)
        pool = [p for p in proposals if rng.random() < 0.6]
        fresh = score_all(pool, ROUND, ROUND.scoring)
        assert {pid: (t.units, t.consensus) for pid, t in judge.totals(pool).items()} == \
            {pid: (s.units, s.consensus) for pid, s in fresh.items()}


class TestWeights:
    @given(st.integers(min_value=0, max_value=20))
    def test_with_weight_changes_only_that_weight(self, w):
        """Changing one weight keeps the other criteria and the total out of 10."""
        changed = ROUND.scoring.with_weight("panel", Fraction(w))
        assert [c.id for c in changed.criteria] == [c.id for c in ROUND.scoring.criteria]
        p = make()
        s = score_one(p, ROUND, [p], changed)
        assert sum(part.max_points for part in s.parts) == (10 if sum(c.weight for c in changed.criteria) else 0)

    def test_unknown_weight_name(self):
        """An unknown criterion name is bad input, with the near name suggested."""
        from engine.errors import InputError

        with pytest.raises(InputError, match="did you mean 'panel'"):
            ROUND.scoring.with_weight("panle", Fraction(2))

    @given(st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=6))
    def test_score_within_bounds(self, panel):
        """A score is between 0 and out_of, in whole units."""
        p = make(panel=tuple((f"a{i}", s) for i, s in enumerate(panel)))
        s = score_one(p, ROUND, [p], ROUND.scoring)
        assert 0 <= s.units <= ROUND.scoring.out_of * UNITS


class TestParseScoring:
    def test_rules_file_scoring(self):
        """The shipped scoring has six criteria whose weights are their points out of 10."""
        assert [c.id for c in ROUND.scoring.criteria] == ["pcc", "csa", "panel", "value", "deliverability",
                                                          "evaluation"]
        assert sum(c.weight for c in ROUND.scoring.criteria) == 10

    def test_unknown_measure(self, tmp_path):
        """An unknown measure is refused with the near name."""
        from engine.errors import InputError

        text = ROUNDS["kcsp-2026-27"][0].read_text().replace("measure: panel mean", "measure: panel meen")
        (tmp_path / "r.yaml").write_text(text)
        with pytest.raises(InputError, match="did you mean 'panel mean'"):
            load_round(tmp_path / "r.yaml")

    def test_weights_not_adding_up_warn(self, tmp_path):
        """Weights that do not add up to out_of are rescaled, with a warning saying to what."""
        text = ROUNDS["kcsp-2026-27"][0].read_text().replace("      weight: 3\n", "      weight: 5\n")
        (tmp_path / "r.yaml").write_text(text)
        r = load_round(tmp_path / "r.yaml")
        (w,) = r.warnings
        assert w.field == "scoring.criteria"
        assert w.problem == ("the weights add up to 12, not 10 (out_of): they are rescaled to add up to 10: "
                             "pcc 1.667, csa 2.083, panel 4.167, value 0.833, deliverability 0.833, evaluation 0.417")
        parts = score_one(make(), r, [make()], r.scoring).parts
        assert sum(part.max_points for part in parts) == 10

    def test_weights_adding_up_no_warning(self):
        """The shipped weights add up to out_of: no warning."""
        assert ROUND.warnings == ()

    def test_all_weights_zero_refused(self, tmp_path):
        """Weights that are all 0 would score every proposal 0: refused."""
        from engine.errors import InputError

        text = ROUNDS["kcsp-2026-27"][0].read_text()
        for w in ("2", "2.5", "3", "1", "0.5"):
            text = text.replace(f"      weight: {w}\n", "      weight: 0\n")
        (tmp_path / "r.yaml").write_text(text)
        with pytest.raises(InputError, match="every weight is 0") as err:
            load_round(tmp_path / "r.yaml")
        assert err.value.field == "scoring.criteria"

    def test_scoring_criterion_is_frozen(self):
        """Criteria are frozen values."""
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            ROUND.scoring.criteria[0].weight = 3  # type: ignore[misc]

    def test_default_scoring_without_section(self, tmp_path):
        """A rules file without scoring uses priorities and panel only."""
        text = ROUNDS["kcsp-2026-27"][0].read_text()
        text = text[: text.index("# How eligible proposals are scored")]
        (tmp_path / "r.yaml").write_text(text)
        r = load_round(tmp_path / "r.yaml")
        assert isinstance(r.scoring, Scoring) and [c.measure for c in r.scoring.criteria] == [
            "priorities", "priorities", "panel mean"]
        assert isinstance(r.scoring.criteria[0], Criterion)


# --- declared interests -------------------------------------------------------------------------

PANEL_PART = next(c for c in ROUND.scoring.criteria if c.id == "panel")
PANEL_POINTS = ROUND.scoring.out_of * PANEL_PART.weight / sum(c.weight for c in ROUND.scoring.criteria)


def panel_part(p: Proposal, round_=ROUND):
    return next(x for x in score_one(p, round_, [p], round_.scoring).parts if x.criterion == "panel")


class TestDeclaredInterests:
    """The panel mean and consensus leave out a score from an agency that leads or partners the proposal."""

    def test_lead_agency_score_left_out(self):
        """Kent County Council leads: its 5 is left out, and the mean is that of the other two, as the reason says."""
        p = make(lead_agency="Kent County Council", partners=("Youth charities",),
                 panel=(("district-councils", 3), ("kcc", 5), ("kfrs", 2)))
        part = panel_part(p)
        assert part.points == PANEL_POINTS * Fraction(5, 2) / 5
        assert part.reason == ("mean panel score 2.50 of 5 from 2 agencies; left out for declared interests: "
                               "5 from Kent County Council (kcc), the lead agency")
        assert score_one(p, ROUND, [p], ROUND.scoring).panel_mean == Fraction(5, 2)

    def test_partner_and_spoken_for_organisation_left_out(self):
        """A partner's agency, and the agency speaking for the lead council, are both left out, each named."""
        p = make(lead_agency="Dartford Borough Council", partners=("Kent Police",),
                 panel=(("district-councils", 5), ("kcc", 1), ("kent-police", 4)))
        part = panel_part(p)
        assert part.points == PANEL_POINTS * Fraction(1, 5)
        assert part.reason == (
            "mean panel score 1.00 of 5 from 1 agency; left out for declared interests: "
            "5 from District councils (district-councils), for Dartford Borough Council, the lead agency; "
            "4 from Kent Police (kent-police), a partner")

    def test_interests_count(self):
        """With 'interests: count' every score counts, and the reason still names the interest."""
        counting = attrs.evolve(ROUND, panel=attrs.evolve(ROUND.panel, interests="count"))
        p = make(lead_agency="Kent County Council", panel=(("district-councils", 3), ("kcc", 5), ("kfrs", 2)))
        part = panel_part(p, counting)
        assert part.points == PANEL_POINTS * Fraction(10, 3) / 5
        assert part.reason == ("mean panel score 3.33 of 5 from 3 agencies; counted, as this round counts declared "
                               "interests: 5 from Kent County Council (kcc), the lead agency")

    def test_consensus_without_the_interested_score(self):
        """A low score from the lead's own agency no longer blocks consensus; a high one no longer makes it."""
        low = make(lead_agency="Kent Police", panel=(("kcc", 4), ("kent-police", 1)))
        high = make(lead_agency="Kent Police", panel=(("kcc", 2), ("kent-police", 5)))
        assert score_one(low, ROUND, [low], ROUND.scoring).consensus is True
        assert score_one(high, ROUND, [high], ROUND.scoring).consensus is False
        assert consensus(low, ROUND.scoring) is False  # without the round, every score counts

    def test_every_score_left_out(self):
        """When every agency that scored has an interest, no panel score counts: no points and no consensus."""
        p = make(lead_agency="Kent Police", partners=("Kent County Council",), panel=(("kcc", 5), ("kent-police", 5)))
        s = score_one(p, ROUND, [p], ROUND.scoring)
        assert panel_part(p).points == 0 and not panel_part(p).scored
        assert panel_part(p).reason.startswith("not scored: no panel score counts; left out for declared interests: ")
        assert (s.consensus, s.panel_mean) == (False, None)

    def test_near_miss_named_in_the_reason(self):
        """A lead agency misspelt is not matched, and the reason names the organisation it is close to."""
        p = make(lead_agency="Kent Polce", panel=(("kent-police", 5),))
        assert panel_part(p).reason == ("mean panel score 5.00 of 5 from 1 agency; lead_agency 'Kent Polce' is not "
                                        "an organisation of the panel (did you mean 'Kent Police'?)")

    @given(st.data())
    def test_non_conflicted_score_never_left_out(self, data):
        """A score from an agency that speaks for neither the lead nor a partner always counts, and the mean is theirs."""
        names = ["Kent Police", "Kent County Council", "Dartford Borough Council", "Youth charities", "NHS Kent and Medway"]
        cased = st.sampled_from(names).flatmap(lambda n: st.sampled_from([n, n.upper(), n.lower()]))
        agency_ids = ["a", "b", "c", "d"]
        agencies = tuple(
            Agency(aid, data.draw(st.sampled_from(names)), tuple(data.draw(st.lists(st.sampled_from(names), min_size=1,
                                                                                   max_size=3, unique=True))))
            for aid in agency_ids)
        panel = Panel(agencies=agencies, interests=data.draw(st.sampled_from(["leave out", "count"])))
        scores = data.draw(st.dictionaries(st.sampled_from(agency_ids + ["e"]), st.integers(0, 5), min_size=1))
        p = make(lead_agency=data.draw(cased), partners=tuple(data.draw(st.lists(cased, max_size=3, unique=True))),
                 panel=tuple(sorted(scores.items())))
        ties = {n.casefold() for n in (p.lead_agency,) + p.partners}
        conflicted = {a.id for a in agencies if ties & {n.casefold() for n in a.speaks_for}}
        counted = panel.counted(p)
        for agency, score in p.panel:
            if agency not in conflicted:
                assert (agency, score) in counted
        expected = [s for a, s in p.panel if panel.interests == "count" or a not in conflicted]
        round_ = attrs.evolve(ROUND, panel=panel)
        part = panel_part(p, round_)
        assert part.points == (PANEL_POINTS * Fraction(sum(expected), len(expected)) / 5 if expected else 0)
        assert score_one(p, round_, [p], ROUND.scoring).consensus == (
            bool(expected) and all(s >= ROUND.scoring.consensus_min for s in expected))


@given(st.lists(st.tuples(st.fractions(min_value=0, max_value=5, max_denominator=1000), st.booleans()),
                min_size=1, max_size=7))
@example([(Fraction(2), True), (Fraction(5, 2), True), (Fraction(44, 100), True), (Fraction(76, 100), True)])
@example([(Fraction(1, 2), True), (Fraction(0), False)])
def test_a_score_shows_its_parts_and_says_where_they_are_rounded(drawn):
    """Each scored part is shown as the largest-remainder rounding shows it, an unscored one as 'not scored', and
    the score is 'rounded' exactly where some shown part is not its exact value."""
    from engine import fmt
    from engine.decision.score import Part, Score

    parts = tuple(Part(f"c{i}", f"criterion {i}", points if scored else Fraction(0), Fraction(5), "", scored)
                  for i, (points, scored) in enumerate(drawn))
    exact = sum((p.points for p in parts), Fraction(0))
    sc = Score((2 * exact * UNITS + 1) // 2, 10, parts, False, None, exact)  # thousandths, rounded half up
    terms = sc.terms()
    assert [p for p, _ in terms] == list(parts)
    assert [text for p, text in terms if not p.scored] == ["not scored"] * sum(not p.scored for p in parts)
    shown = [Fraction(text) for p, text in terms if p.scored]
    # the shown parts add up to the score as shown (its thousandths to one decimal), each within a step of its own
    assert sum(shown) == Fraction(fmt.score(sc.units))
    assert all(abs(s - p.points) < Fraction(1, 10) for s, p in zip(shown, [p for p in parts if p.scored]))
    assert sc.rounded == any(p.scored and Fraction(text) != p.points for p, text in terms)


@given(st.lists(st.fractions(min_value=0, max_value=5, max_denominator=10_000), min_size=1, max_size=7))
@example([Fraction(5566, 651) - 8, Fraction(8)])  # 8.54992, held as 8.550: shown as 8.6
def test_the_parts_add_up_to_the_score_as_shown_when_thousandths_round_it_up(points):
    """A score whose thousandths round up past the exact total's own rounding to one decimal (8.54992 is held as
    8.550 and shown as 8.6) has parts that add up to what is shown, each within a step of its exact value."""
    from engine import fmt
    from engine.decision.score import Part, Score

    parts = tuple(Part(f"c{i}", f"criterion {i}", p, Fraction(5), "") for i, p in enumerate(points))
    exact = sum(points, Fraction(0))
    sc = Score((2 * exact * UNITS + 1) // 2, 10, parts, False, None, exact)
    shown = [Fraction(text) for _, text in sc.terms()]
    assert sum(shown) == Fraction(fmt.score(sc.units))
    assert all(abs(s - p) < Fraction(1, 10) for s, p in zip(shown, points))


def test_the_reported_weights_show_parts_that_add_up():
    """With the panel weighted 2.3 (and the others as reported), every proposal of the example round has parts that
    add up to its score as the table shows it: doorstep-crime-door-chains, 5566/651 = 8.54992, shows 8.6."""
    from engine import fmt
    from engine.inputs.proposal import load_proposals
    from tests.conftest import PROPOSALS

    proposals = [p for p in load_proposals(PROPOSALS / "2026-27-example") if p.pot == "upfront"]
    for weights in ({"panel": Fraction(23, 10)}, {"deliverability": Fraction(17, 10)}, {"value": Fraction(31, 10)},
                    {"pcc": Fraction(43, 10)}):
        scoring = ROUND.scoring
        for cid, weight in weights.items():
            scoring = scoring.with_weight(cid, weight)
        for pid, sc in score_all(proposals, ROUND, scoring).items():
            shown = sum(Fraction(text) for p, text in sc.terms() if p.scored)
            assert shown == Fraction(fmt.score(sc.units)), (weights, pid, sc.terms(), sc.units)
