"""Tests of engine.decision.conditions: the rule language, its evaluation and its negation.

The boundary tests run each kind of rule of the 2026/27 round through
``engine.decision.screen.screen`` with both engines, from one proposal that passes
every rule, changed one field at a time.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given, settings

from engine.decision import conditions
from engine.inputs import yamlfile
from engine.decision.conditions import All, Any_, Compare, Given, Includes, Not, OneOf
from engine.errors import InputError
from engine.inputs.proposal import Delivery, Proposal
from engine.inputs.round import load_round
from engine.decision.screen import ENGINES, screen

from . import strategies as S
from .conftest import PROPOSALS, RULES

ROUND = load_round(RULES / "kcsp-2026-27.yaml")
GOOD = Proposal.from_file(PROPOSALS / "2026-27-example" / "asb-community-mediation.yaml")
ENGINE = pytest.mark.parametrize("engine", ENGINES)


def screened(proposal: Proposal, engine: str):
    """The screening of one proposal against the 2026/27 round."""
    (result,) = screen(ROUND, [proposal], engine=engine)
    return result


def check(proposal: Proposal, engine: str, rule: str):
    """The result of one rule for one proposal."""
    return {c.rule: c for c in screened(proposal, engine).checks}[rule]


def with_dates(p: Proposal, start=None, end=None) -> Proposal:
    return attrs.evolve(p, delivery=Delivery(start or p.delivery.start, end or p.delivery.end))


@ENGINE
def test_good_proposal_passes_everything(engine):
    """The base proposal passes every rule, eligible with no concerns."""
    result = screened(GOOD, engine)
    assert result.eligible
    assert all(c.passed for c in result.checks)
    assert [c.rule for c in result.checks] == [r.id for r in ROUND.rules]
    assert result.concerns == ()


class TestDeadline:
    """received-by-deadline: submitted on or before deadlines.proposals_due"""

    @ENGINE
    def test_on_the_day_passes(self, engine):
        """A proposal received on 8 April 2026, the deadline, passes."""
        c = check(attrs.evolve(GOOD, submitted=dt.date(2026, 4, 8)), engine, "received-by-deadline")
        assert c.passed
        assert "received 8 April 2026" in c.reason

    @ENGINE
    def test_day_after_fails(self, engine):
        """A proposal received on 9 April 2026 fails, the reason giving both dates."""
        p = attrs.evolve(GOOD, submitted=dt.date(2026, 4, 9))
        c = check(p, engine, "received-by-deadline")
        assert not c.passed
        assert "received 9 April 2026" in c.reason
        assert "8 April 2026" in c.reason
        result = screened(p, engine)
        assert not result.eligible and result.status == "ineligible"
        assert [r.rule for r in result.rejections] == ["received-by-deadline"]
        assert "received 9 April 2026" in result.explanation()
        assert "received-by-deadline" in result.explanation()


class TestDeliveredByYearEnd:
    """delivered-by-year-end: delivery.end on or before financial_year.end"""

    @ENGINE
    def test_last_day_passes(self, engine):
        """Delivery ending 31 March 2027 passes."""
        assert check(with_dates(GOOD, end=dt.date(2027, 3, 31)), engine, "delivered-by-year-end").passed

    @ENGINE
    def test_day_after_fails(self, engine):
        """Delivery ending 1 April 2027 fails, naming both dates."""
        c = check(with_dates(GOOD, end=dt.date(2027, 4, 1)), engine, "delivered-by-year-end")
        assert not c.passed
        assert "1 April 2027" in c.reason and "31 March 2027" in c.reason
        assert c.severity == "reject"


class TestPriorities:
    """serves-pcc-plan and serves-csa: includes any of the round's priorities"""

    @ENGINE
    def test_no_pcc_priority_fails(self, engine):
        """A proposal naming no PCC priority fails serves-pcc-plan."""
        assert not check(attrs.evolve(GOOD, pcc_priorities=()), engine, "serves-pcc-plan").passed

    @ENGINE
    def test_only_unknown_pcc_priority_fails(self, engine):
        """A proposal naming only ids of another round fails, the reason naming what it gave."""
        c = check(attrs.evolve(GOOD, pcc_priorities=("victims-first",)), engine, "serves-pcc-plan")
        assert not c.passed
        assert "victims-first" in c.reason

    @ENGINE
    @pytest.mark.parametrize("pid", ["protecting-people", "productive-partnerships"])
    def test_one_pcc_priority_passes(self, engine, pid):
        """One PCC priority of the round is enough, and the reason names it."""
        c = check(attrs.evolve(GOOD, pcc_priorities=(pid,)), engine, "serves-pcc-plan")
        assert c.passed
        assert ROUND.priority_names()[pid] in c.reason

    @ENGINE
    def test_no_csa_priority_fails(self, engine):
        """A proposal naming no CSA priority fails serves-csa."""
        assert not check(attrs.evolve(GOOD, csa_priorities=()), engine, "serves-csa").passed

    @ENGINE
    def test_csa_id_of_another_round_fails(self, engine):
        """'asb', a 2021/22 CSA id, does not serve the 2026/27 CSA."""
        assert not check(attrs.evolve(GOOD, csa_priorities=("asb",)), engine, "serves-csa").passed

    @ENGINE
    def test_pcc_id_in_csa_list_fails(self, engine):
        """A PCC id listed as a CSA priority does not count."""
        assert not check(attrs.evolve(GOOD, csa_priorities=("protecting-people",)), engine, "serves-csa").passed

    @ENGINE
    def test_one_csa_priority_passes(self, engine):
        """One CSA priority among unknown ones is enough."""
        assert check(attrs.evolve(GOOD, csa_priorities=("asb", "vawg")), engine, "serves-csa").passed


class TestUpfrontAllocation:
    """fits-upfront-allocation: when pot is upfront, cost at most money.upfront"""

    @ENGINE
    def test_whole_allocation_passes(self, engine):
        """An upfront bid of exactly £26,500.00 passes."""
        assert check(attrs.evolve(GOOD, cost=26_500_00), engine, "fits-upfront-allocation").passed

    @ENGINE
    def test_one_penny_more_fails(self, engine):
        """An upfront bid of £26,500.01 fails, the reason giving both sums."""
        c = check(attrs.evolve(GOOD, cost=26_500_01, minimum_cost=None), engine, "fits-upfront-allocation")
        assert not c.passed
        assert "£26,500.01" in c.reason and "£26,500" in c.reason

    @ENGINE
    def test_does_not_apply_to_tactical(self, engine):
        """A tactical bid of any size is not judged against the upfront allocation."""
        c = check(attrs.evolve(GOOD, pot="tactical", cost=26_500_01), engine, "fits-upfront-allocation")
        assert c.passed and not c.applies
        assert c.reason.startswith("does not apply")


class TestTacticalPot:
    """fits-tactical-pot: when pot is tactical, cost at most money.tactical"""

    @ENGINE
    def test_whole_pot_passes(self, engine):
        """A tactical bid of exactly £13,100.00 passes."""
        c = check(attrs.evolve(GOOD, pot="tactical", cost=13_100_00), engine, "fits-tactical-pot")
        assert c.passed and c.applies

    @ENGINE
    def test_one_penny_more_fails(self, engine):
        """A tactical bid of £13,100.01 fails and is ineligible."""
        p = attrs.evolve(GOOD, pot="tactical", cost=13_100_01)
        assert not check(p, engine, "fits-tactical-pot").passed
        assert not screened(p, engine).eligible

    @ENGINE
    def test_does_not_apply_to_upfront(self, engine):
        """An upfront bid over the tactical pot is not judged against it: the reason starts 'does not apply'."""
        c = check(attrs.evolve(GOOD, pot="upfront", cost=20_000_00), engine, "fits-tactical-pot")
        assert c.passed and not c.applies
        assert c.reason.startswith("does not apply")
        assert "upfront" in c.reason


class TestFlags:
    """starts-in-year and has-evaluation-plan: concerns that leave a proposal eligible"""

    @ENGINE
    def test_missing_evaluation_is_a_concern(self, engine):
        """A proposal without an evaluation plan stays eligible, with the rule among its concerns."""
        result = screened(attrs.evolve(GOOD, evaluation=None), engine)
        assert result.eligible
        assert [c.rule for c in result.concerns] == ["has-evaluation-plan"]
        assert "Concern:" in result.explanation()

    @ENGINE
    def test_start_before_year_is_a_concern(self, engine):
        """Delivery starting 31 March 2026 leaves the proposal eligible with a concern."""
        result = screened(with_dates(GOOD, start=dt.date(2026, 3, 31)), engine)
        assert result.eligible
        assert [c.rule for c in result.concerns] == ["starts-in-year"]
        assert "31 March 2026" in result.concerns[0].reason
        assert "1 April 2026" in result.concerns[0].reason

    @ENGINE
    def test_start_on_first_day_passes(self, engine):
        """Delivery starting 1 April 2026 raises no concern."""
        assert screened(with_dates(GOOD, start=dt.date(2026, 4, 1)), engine).concerns == ()

    @ENGINE
    def test_flag_and_reject_together(self, engine):
        """A late proposal without an evaluation is ineligible, and the concern is still listed."""
        result = screened(attrs.evolve(GOOD, evaluation=None, submitted=dt.date(2026, 5, 1)), engine)
        assert not result.eligible
        assert [c.rule for c in result.rejections] == ["received-by-deadline"]
        assert [c.rule for c in result.concerns] == ["has-evaluation-plan"]


# --- the tree: negation ------------------------------------------------------------------------

A = Compare("submitted", "le", 10)
B = Compare("cost", "gt", 5)
C = Given("evaluation", True)


class TestNegate:
    """conditions.negate"""

    @pytest.mark.parametrize("op, inverse", [("lt", "ge"), ("le", "gt"), ("gt", "le"), ("ge", "lt"),
                                             ("eq", "ne"), ("ne", "eq")])
    def test_compare_required_field(self, op, inverse):
        """A comparison of a required field flips its operator, keeping value and label."""
        assert conditions.negate(Compare("cost", op, 7, "x")) == Compare("cost", inverse, 7, "x")

    def test_compare_optional_field(self):
        """A comparison of an optional field also holds when the field is not given."""
        assert conditions.negate(Compare("reach", "ge", 1)) == Any_((Given("reach", False), Compare("reach", "lt", 1)))

    def test_oneof(self):
        """'one of' becomes 'not one of' (and also not given, for an optional field)."""
        assert conditions.negate(OneOf("pot", ("a",), True)) == OneOf("pot", ("a",), False)

    def test_includes(self):
        """any <-> none; 'all' fails when any one item is missing."""
        assert conditions.negate(Includes("csa_priorities", "any", ("a",), None, ("A",))).mode == "none"
        assert conditions.negate(Includes("csa_priorities", "none", ("a",), None, ("A",))).mode == "any"
        assert conditions.negate(Includes("csa_priorities", "all", ("a", "b"), None, ("A", "B"))) == Any_((
            Includes("csa_priorities", "none", ("a",), None, ("A",)),
            Includes("csa_priorities", "none", ("b",), None, ("B",))))

    def test_given(self):
        """given yes <-> given no."""
        assert conditions.negate(C) == Given("evaluation", False)

    def test_de_morgan(self):
        """not (a and b) is (not a) or (not b); not (a or b) is (not a) and (not b)."""
        na, nb = conditions.negate(A), conditions.negate(B)
        assert conditions.negate(All((A, B))) == Any_((na, nb))
        assert conditions.negate(Any_((A, B))) == All((na, nb))

    def test_double_negation(self):
        """negate(Not(x)) is x itself."""
        assert conditions.negate(Not(All((A, C)))) == All((A, C))

    @given(S.condition_trees())
    def test_no_not_remains(self, cond):
        """Neither negate nor push_down leaves a Not anywhere."""
        assert not S.has_not(conditions.negate(cond))
        assert not S.has_not(conditions.push_down(cond))

    @settings(max_examples=400)
    @given(S.condition_trees(), S.views())
    def test_negation_property(self, cond, view):
        """evaluate(negate(c), v) == not evaluate(c, v), for any tree over the fields and any view."""
        assert conditions.evaluate(conditions.negate(cond), view) == (not conditions.evaluate(cond, view))

    @given(S.condition_trees(), S.views())
    def test_negate_twice(self, cond, view):
        """Negating twice gives a condition that holds exactly when the first did."""
        twice = conditions.negate(conditions.negate(cond))
        assert conditions.evaluate(twice, view) == conditions.evaluate(cond, view)


def plain_explain(cond, facts) -> str:
    """explain() as first written, every node evaluated afresh: what explaining with what is known must give."""
    holds = conditions.evaluate(cond, facts)
    if isinstance(cond, (All, Any_)):
        if isinstance(cond, All) == holds:
            chosen = cond.parts
        else:
            decided = tuple(part for part in cond.parts if conditions.evaluate(part, facts) == holds)
            chosen = decided[:1 if holds else None]
        joiner = "; " if holds else ("; and " if isinstance(cond, Any_) else "; ")
        return joiner.join(plain_explain(part, facts) for part in chosen)
    if isinstance(cond, Not):
        return plain_explain(cond.part, facts)
    return conditions._explain_leaf(cond, facts, holds)


class TestExplain:
    """conditions.explain, told whether the condition holds or not"""

    @given(S.condition_trees(), S.views())
    def test_explaining_what_is_known_is_explaining_afresh(self, cond, view):
        """Told whether a tree holds, or left to find out, explain says what evaluating every node afresh says."""
        holds = conditions.evaluate(cond, view)
        assert conditions.explain(cond, view, holds) == conditions.explain(cond, view) == plain_explain(cond, view)

    @given(S.priced_rounds(min_size=1, max_size=4))
    def test_a_checks_reason_is_its_rule_explained_afresh(self, pr):
        """Screening explains each rule of the round (its check, or why it does not apply) as explaining afresh does."""
        for proposal in pr.proposals:
            view = conditions.view(proposal)
            by_rule = {c.rule: c for c in screened(proposal, "python").checks}
            for rule in ROUND.rules:
                applies = rule.when is None or conditions.evaluate(rule.when, view)
                if applies:
                    assert by_rule[rule.id].reason == plain_explain(rule.check, view)
                else:
                    assert by_rule[rule.id].reason == "does not apply: " + plain_explain(rule.when, view)


class TestPushDown:
    """conditions.push_down"""

    def test_not_over_all(self):
        """not (a and b) is pushed to the leaves by De Morgan."""
        assert conditions.push_down(Not(All((A, B)))) == Any_((conditions.negate(A), conditions.negate(B)))

    def test_nested(self):
        """A Not deep inside is removed, the rest kept."""
        assert conditions.push_down(All((A, Any_((Not(C), B))))) == All((A, Any_((Given("evaluation", False), B))))

    def test_leaf_unchanged(self):
        """A tree with no Not comes back equal."""
        assert conditions.push_down(All((A, Any_((B, C))))) == All((A, Any_((B, C))))

    @settings(max_examples=300)
    @given(S.condition_trees(), S.views())
    def test_same_meaning(self, cond, view):
        """push_down(c) holds exactly when c does."""
        assert conditions.evaluate(conditions.push_down(cond), view) == conditions.evaluate(cond, view)


class TestEvaluate:
    """conditions.evaluate"""

    @settings(max_examples=300)
    @given(S.condition_trees(), S.views())
    def test_agrees_with_meaning(self, cond, view):
        """evaluate agrees with an evaluator written from the meaning of each node."""
        assert conditions.evaluate(cond, view) == S.holds(cond, view)

    def test_missing_value_is_false(self):
        """A comparison of a field not given is false, whichever way it compares."""
        view = {"reach": None}
        assert not conditions.evaluate(Compare("reach", "ge", 0), view)
        assert not conditions.evaluate(Compare("reach", "lt", 0), view)

    def test_empty_list_is_not_given(self):
        """An empty list counts as not given."""
        assert conditions.evaluate(Given("partners", False), {"partners": frozenset()})


class TestView:
    """conditions.view"""

    @given(S.proposals())
    def test_values(self, p):
        """Dates become day numbers, money stays pence, lists become sets, text fields None or given."""
        v = conditions.view(p)
        assert v["submitted"] == p.submitted.toordinal()
        assert v["delivery.end"] - v["delivery.start"] == (p.delivery.end - p.delivery.start).days
        assert v["cost"] == p.cost and v["minimum_cost"] == p.minimum_cost
        assert v["csa_priorities"] == frozenset(p.csa_priorities)
        assert (v["evaluation"] is None) == (p.evaluation is None)
        assert set(v) == set(conditions.FIELDS)


class TestParse:
    """conditions.parse"""

    REFS = {"money.upfront": conditions.Ref("money.upfront", "money", 26_500_00, "the upfront allocation")}

    def parse(self, text: str):
        f = yamlfile.parse(text.encode(), "r.yaml")
        return conditions.parse(f.data["check"], ("check",), f, self.REFS)

    def test_combinators(self):
        """'any of', 'all of' and 'not' build Any_, All and Not; several fields on one mapping must all hold."""
        cond = self.parse("check:\n  any of:\n    - cost: {at most: money.upfront}\n"
                          "    - not: {pot: {is: tactical}}\n  evaluation: {given: yes}\n")
        assert cond == All((Any_((Compare("cost", "le", 26_500_00, "the upfront allocation", "money.upfront"),
                                  Not(Compare("pot", "eq", "tactical")))), Given("evaluation", True)))

    def test_literals(self):
        """Literal dates, sums and counts become day numbers, pence and ints."""
        cond = self.parse("check:\n  submitted: {before: 2026-04-09}\n  cost: {more than: '£1,000.50'}\n"
                          "  reach: {at least: '1,200'}\n")
        assert cond == All((Compare("submitted", "lt", dt.date(2026, 4, 9).toordinal()),
                            Compare("cost", "gt", 1_000_50), Compare("reach", "ge", 1200)))

    def test_single_item_list_unwrapped(self):
        """'all of' with one check is that check."""
        assert self.parse("check:\n  all of:\n    - evaluation: {given: no}\n") == Given("evaluation", False)

    @pytest.mark.parametrize("text, words", [
        ("check: []\n", "must be a mapping"),
        ("check:\n  any of: []\n", "needs a list of checks"),
        ("check:\n  cost: 5\n", "needs a test"),
        ("check:\n  reach: {at least: lots}\n", "whole number"),
        ("check:\n  csa_priorities: {includes any of: []}\n", "empty"),
    ])
    def test_refused(self, text, words):
        """Malformed checks are refused with a message placed in the file."""
        with pytest.raises(InputError) as err:
            self.parse(text)
        assert words in str(err.value)
        assert str(err.value).startswith("r.yaml:")


class TestDescribe:
    """conditions.describe"""

    def test_rules_in_words(self):
        """Each rule of the round reads as plain words naming its figure."""
        assert conditions.describe(ROUND.rule("received-by-deadline").check) == \
            "the date received is on or before the deadline of 8 April 2026"
        assert "the upfront allocation of £26,500" in conditions.describe(ROUND.rule("fits-upfront-allocation").check)

    def test_state_fields_in_words(self):
        """A gate's test of the year's state reads as what it means, not as 'given'."""
        assert conditions.describe(Given("earlier_projects_open", False)) == \
            "every project of earlier years' grants is complete"
        assert conditions.describe(Given("opened_by_opcc", True)) == "the OPCC has opened it"

    def test_later_figure_by_its_label(self):
        """A figure known only on a date is named by its words."""
        cond = Compare("cost", "le", conditions.Later("tactical.left"), "the money left in the tactical pot")
        assert conditions.describe(cond) == "the cost is no more than the money left in the tactical pot"


class TestStateFields:
    """conditions.parse over STATE_FIELDS, and conditions.explain of the year's state"""

    def parse(self, text: str):
        f = yamlfile.parse(text.encode(), "r.yaml")
        return conditions.parse(f.data["when"], ("when",), f, {}, conditions.STATE_FIELDS)

    def test_parse(self):
        """A gate's 'when' reads the fields of the year's state."""
        assert self.parse("when:\n  any of:\n    - earlier_projects_open: {given: no}\n"
                          "    - today: {after: 2022-02-01}\n") == \
            Any_((Given("earlier_projects_open", False), Compare("today", "gt", dt.date(2022, 2, 1).toordinal())))

    def test_proposal_fields_refused(self):
        """A proposal's field is not a field of the year's state."""
        with pytest.raises(InputError, match="'cost' is not a field or a way to combine checks"):
            self.parse("when:\n  cost: {at most: '£1'}\n")

    def test_state_fields_refused_in_rules(self):
        """A rule about a proposal cannot test the year's state."""
        f = yamlfile.parse(b"check:\n  today: {after: 2022-02-01}\n", "r.yaml")
        with pytest.raises(InputError, match="'today' is not a field"):
            conditions.parse(f.data["check"], ("check",), f, {})

    def test_explain_names_what_is_open(self):
        """A list of the year's state is explained by its items; an absent date by what it means."""
        facts = {"earlier_projects_open": frozenset({"B (2020/21)", "A (2019/20)"}), "opened_by_opcc": None}
        cond = Any_((Given("earlier_projects_open", False), Given("opened_by_opcc", True)))
        assert conditions.explain(cond, facts) == \
            "still waiting for earlier years' projects: A (2019/20), B (2020/21); and the OPCC has not opened it"
        facts["opened_by_opcc"] = dt.date(2022, 1, 31).toordinal()
        assert conditions.explain(cond, facts) == "the OPCC opened it on 31 January 2022"

    def test_negate_optional_date(self):
        """An optional date of the state negates like an optional field of a proposal."""
        cond = Compare("closed_by_opcc", "le", 5)
        assert conditions.negate(cond) == Any_((Given("closed_by_opcc", False), Compare("closed_by_opcc", "gt", 5)))


class TestBind:
    """conditions.bind"""

    def test_fills_later_figures(self):
        """Each Later figure takes its value; the rest of the tree is unchanged."""
        later = Compare("cost", "le", conditions.Later("tactical.left"), "the money left in the tactical pot")
        tree = All((later, Not(Given("evaluation", True)), Any_((Compare("reach", "ge", 1),))))
        bound = conditions.bind(tree, {"tactical.left": 500})
        assert bound == All((attrs.evolve(later, value=500), Not(Given("evaluation", True)),
                             Any_((Compare("reach", "ge", 1),))))

    def test_unbound_cannot_be_evaluated(self):
        """Evaluating a tree with an unbound figure is a bug, not a silent answer."""
        later = Compare("cost", "le", conditions.Later("tactical.left"))
        with pytest.raises(TypeError, match="bind"):
            conditions.evaluate(later, {"cost": 1})

    def test_later_figures(self):
        """later_figures names the figures a tree still waits for; a bound tree waits for none."""
        later = Compare("cost", "le", conditions.Later("tactical.left"))
        tree = Any_((Given("evaluation", True), Not(later)))
        assert conditions.later_figures(tree) == ["tactical.left"]
        assert conditions.later_figures(conditions.bind(tree, {"tactical.left": 1})) == []
