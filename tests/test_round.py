"""Tests of engine.inputs.round: reading a round's rules file."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given

from engine.decision import conditions
from engine.decision.conditions import Compare, Given, Includes, OneOf
from engine.errors import InputError
from engine.inputs.round import load_round
from . import strategies as S
from .conftest import ROUNDS, RULES, location

R2627 = RULES / "kcsp-2026-27.yaml"
R2526 = RULES / "kcsp-2025-26.yaml"
RULE_IDS = ["received-by-deadline", "delivered-by-year-end", "serves-pcc-plan", "serves-csa",
            "fits-upfront-allocation", "fits-tactical-pot", "starts-in-year", "has-evaluation-plan"]


def error_of(name: str) -> str:
    """The message of the InputError raised loading the rules file *name*."""
    with pytest.raises(InputError) as err:
        load_round(name)
    return str(err.value)


def assert_names(message: str, file: str, line: int | None, field: str | None, *parts: str) -> None:
    """*message* starts with ``file:line:``, names *field* and holds each of *parts*."""
    assert location(message) == (file, line), message
    if field is not None:
        assert f": {field}: " in message.splitlines()[0], message
    for part in parts:
        assert part in message, (part, message)


class TestLoadRound:
    """load_round"""

    def test_2026_27(self):
        """The 2026/27 round is read with its money in pence, its dates and its rules in order."""
        r = load_round(R2627)
        assert r.id == "kcsp-2026-27"
        assert r.financial_year == "2026/27"
        assert (r.year_start, r.year_end) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))
        assert (r.grant, r.upfront, r.tactical) == (39_600_00, 26_500_00, 13_100_00)
        assert r.deadline("proposals_due") == dt.date(2026, 4, 8)
        assert r.deadline("delivery_end") == dt.date(2027, 3, 31)
        assert r.deadline("business_case_due") is None
        assert [rule.id for rule in r.rules] == RULE_IDS
        assert {rule.id: rule.severity for rule in r.rules}["has-evaluation-plan"] == "flag"
        assert r.warnings == ()
        assert r.file == str(R2627)

    def test_checks_read_into_trees(self):
        """Each check becomes a tree of literal values: day numbers, pence and ids from the file."""
        r = load_round(R2627)
        deadline = dt.date(2026, 4, 8).toordinal()
        assert r.rule("received-by-deadline").check == Compare("submitted", "le", deadline, "the deadline")
        assert r.rule("fits-upfront-allocation").check == Compare("cost", "le", 26_500_00, "the upfront allocation")
        assert r.rule("fits-upfront-allocation").when == Compare("pot", "eq", "upfront", None)
        csa = r.rule("serves-csa").check
        assert isinstance(csa, Includes) and csa.mode == "any"
        assert csa.items == S.round_ids("kcsp-2026-27")[4:12]  # the eight CSA ids, in file order
        assert r.rule("has-evaluation-plan").check == Given("evaluation", True)

    def test_priorities(self):
        """Priority ids and names are read in file order."""
        r = load_round(R2627)
        assert [p.id for p in r.pcc] == ["protecting-people", "protecting-places", "protecting-property",
                                         "productive-partnerships"]
        assert r.priority_names()["vawg"] == "Violence against women and girls"
        assert tuple(r.priority_names()) == S.round_ids("kcsp-2026-27")

    @pytest.mark.parametrize("key", sorted(ROUNDS))
    def test_every_shipped_round_loads(self, key):
        """Every shipped rules file loads, with the eight rules."""
        r = load_round(ROUNDS[key][0])
        assert r.id == key
        assert [rule.id for rule in r.rules] == RULE_IDS

    def test_split_short_of_grant_warns(self):
        """The 2025/26 split, £1 short of the grant, loads with a warning that says so."""
        r = load_round(R2526)
        assert (r.grant, r.upfront, r.tactical) == (39_661_00, 26_440_00, 13_220_00)
        assert len(r.warnings) == 1
        warning = r.warnings[0]
        assert warning.startswith(str(R2526))
        assert "£1 short" in warning
        assert "£39,661" in warning and "£39,660" in warning

    def test_split_more_than_grant_warns(self, spoiled):
        """A split that adds up to more than the grant loads with a warning that says by how much."""
        name, _ = spoiled(R2627, "  tactical: £13,100", "  tactical: £13,100.50")
        r = load_round(name)
        assert len(r.warnings) == 1
        assert r.warnings[0].startswith(name)
        assert "£0.50 more than" in r.warnings[0]

    @pytest.mark.parametrize("key", ["kcsp-2021-22", "kcsp-2024-25", "kcsp-2026-27"])
    def test_exact_split_no_warning(self, key):
        """A split that adds up to the grant gives no warning."""
        assert load_round(ROUNDS[key][0]).warnings == ()

    def test_bom_and_crlf_accepted(self, tmp_path):
        """A rules file with a byte-order mark and Windows line ends reads the same."""
        path = tmp_path / "r.yaml"
        path.write_bytes(b"\xef\xbb\xbf" + R2627.read_bytes().replace(b"\n", b"\r\n"))
        assert load_round(path) == load_round(R2627)

    # --- mistakes ----------------------------------------------------------------------------------

    def test_missing_file(self, tmp_path, monkeypatch):
        """A rules file that does not exist is refused, naming it."""
        monkeypatch.chdir(tmp_path)
        assert_names(error_of("rules/none.yaml"), "rules/none.yaml", None, None, "not found")

    def test_empty_file(self, tmp_path, monkeypatch):
        """An empty rules file is refused as empty."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "r.yaml").write_text("\n")
        assert_names(error_of("r.yaml"), "r.yaml", None, None, "empty")

    def test_comment_only_file(self, tmp_path, monkeypatch):
        """A rules file of only comments is refused as empty."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "r.yaml").write_text("# rules to come\n")
        assert_names(error_of("r.yaml"), "r.yaml", None, None, "empty")

    def test_non_utf8(self, tmp_path, monkeypatch):
        """A rules file saved in Latin-1 is refused."""
        monkeypatch.chdir(tmp_path)
        (tmp_path / "r.yaml").write_bytes(R2627.read_text(encoding="utf-8").encode("latin-1"))
        assert_names(error_of("r.yaml"), "r.yaml", None, None, "UTF-8")

    def test_malformed_yaml(self, spoiled):
        """Broken YAML is refused at (or just after) the broken line."""
        name, line = spoiled(R2627, "  grant: £39,600", "  grant: [£39,600")
        message = error_of(name)
        assert location(message)[0] == name
        assert location(message)[1] in (line, line + 1)
        assert "not valid YAML" in message

    def test_money_wrong_type(self, spoiled):
        """A list where a sum of money should be is refused."""
        name, line = spoiled(R2627, "  grant: £39,600", "  grant: [1, 2]")
        assert_names(error_of(name), name, line, "money.grant", "sum of money")

    def test_ambiguous_money(self, spoiled):
        """£26,50 is refused as a sum that can be read more than one way."""
        name, line = spoiled(R2627, "  upfront: £26,500", "  upfront: £26,50")
        assert_names(error_of(name), name, line, "money.upfront", "one way only")

    def test_impossible_date(self, spoiled):
        """A deadline of 30 February is refused."""
        name, line = spoiled(R2627, "  proposals_due: 2026-04-08", "  proposals_due: 2026-02-30")
        assert_names(error_of(name), name, line, "deadlines.proposals_due", "not a real date")

    def test_date_wrong_form(self, spoiled):
        """A deadline written 08/04/2026 is refused, asking for YYYY-MM-DD."""
        name, line = spoiled(R2627, "  proposals_due: 2026-04-08", "  proposals_due: 08/04/2026")
        assert_names(error_of(name), name, line, "deadlines.proposals_due", "'08/04/2026'", "YYYY-MM-DD")

    def test_unknown_field_suggests(self, spoiled):
        """A misspelt field is refused at its key with the right name suggested."""
        name, line = spoiled(R2627, "  source: KCSP Working Group update, 31 March 2026 (para 3.2)\n",
                             "  sourse: KCSP Working Group update, 31 March 2026 (para 3.2)\n")
        assert_names(error_of(name), name, line, "money.sourse", "did you mean 'source'?")

    def test_unknown_rule_field_suggests(self, spoiled):
        """A misspelt field of a rule is refused with the right name suggested."""
        name, line = spoiled(R2627, "    when:\n      pot: {is: tactical}", "    whn:\n      pot: {is: tactical}")
        assert_names(error_of(name), name, line, "rules[6].whn", "did you mean 'when'?")

    def test_python_tag(self, spoiled):
        """A python tag is refused at its line."""
        name, line = spoiled(R2627, "  grant: £39,600", '  grant: !!python/object/apply:os.system ["echo hi"]')
        assert_names(error_of(name), name, line, "money.grant", "tag")

    def test_binary_tag(self, spoiled):
        """A !!binary value is refused at its line."""
        name, line = spoiled(R2627, "  grant: £39,600", "  grant: !!binary aGk=")
        assert_names(error_of(name), name, line, "money.grant", "binary")

    def test_alias(self, spoiled):
        """A YAML alias is refused."""
        name, _ = spoiled(R2627, "  proposals_due: 2026-04-08\n  working_group: 2026-04-27",
                          "  proposals_due: &due 2026-04-08\n  working_group: *due")
        assert "alias" in error_of(name)

    def test_duplicate_key(self, spoiled):
        """A key given twice is refused at the second one."""
        name, line = spoiled(R2627, "  grant: £39,600", "  grant: £39,600\n  grant: £39,601")
        assert_names(error_of(name), name, line + 1, "money.grant", "given twice")

    def test_unknown_deadline_suggests(self, spoiled):
        """An unknown deadline name is refused, suggesting the right one."""
        name, line = spoiled(R2627, "  proposals_due: 2026-04-08", "  proposal_due: 2026-04-08")
        assert_names(error_of(name), name, line, "deadlines.proposal_due", "not a known deadline",
                     "did you mean 'proposals_due'?")

    def test_unknown_severity(self, spoiled):
        """A severity other than reject or flag is refused with a suggestion."""
        name, line = spoiled(R2627, "    severity: reject\n    check:\n      submitted:",
                             "    severity: rejct\n    check:\n      submitted:")
        assert_names(error_of(name), name, line, "rules[1].severity", "'rejct' is not a severity",
                     "did you mean 'reject'?")

    def test_unknown_test_word_suggests(self, spoiled):
        """A misspelt test word is refused, suggesting the right one."""
        name, line = spoiled(R2627, "      submitted: {on or before: deadlines.proposals_due}",
                             "      submitted: {on or befor: deadlines.proposals_due}")
        assert_names(error_of(name), name, line, "rules[1].check.submitted.on or befor",
                     "'on or befor' is not a test", "did you mean 'on or before'?")

    def test_test_on_wrong_kind(self, spoiled):
        """A date test on the cost is refused, listing the tests that fit a sum of money."""
        name, line = spoiled(R2627, "      submitted: {on or before: deadlines.proposals_due}",
                             "      cost: {on or before: 2026-04-08}")
        message = error_of(name)
        assert_names(message, name, line, "rules[1].check.cost.on or before", "cannot test 'cost'", "at most")

    def test_unknown_figure_suggests(self, spoiled):
        """A reference to a figure the round does not have is refused, suggesting the right one."""
        name, line = spoiled(R2627, "      submitted: {on or before: deadlines.proposals_due}",
                             "      submitted: {on or before: deadlines.proposal_due}")
        assert_names(error_of(name), name, line, "rules[1].check.submitted.on or before",
                     "'deadlines.proposal_due' is not a figure of the round",
                     "did you mean 'deadlines.proposals_due'?")

    def test_unknown_money_figure_suggests(self, spoiled):
        """A misspelt money figure is refused, suggesting the right one."""
        name, line = spoiled(R2627, "      cost: {at most: money.upfront}", "      cost: {at most: money.upfrnt}")
        assert_names(error_of(name), name, line, "rules[5].check.cost.at most", "did you mean 'money.upfront'?")

    def test_figure_of_wrong_kind(self, spoiled):
        """Comparing the cost with a date of the round is refused."""
        name, line = spoiled(R2627, "      cost: {at most: money.upfront}",
                             "      cost: {at most: deadlines.proposals_due}")
        assert_names(error_of(name), name, line, "rules[5].check.cost.at most", "a date")

    def test_unknown_field_in_check_suggests(self, spoiled):
        """A misspelt proposal field in a check is refused with a suggestion."""
        name, line = spoiled(R2627, "      submitted: {on or before: deadlines.proposals_due}",
                             "      submited: {on or before: deadlines.proposals_due}")
        assert_names(error_of(name), name, line, "rules[1].check.submited", "did you mean 'submitted'?")

    def test_rule_id_twice(self, spoiled):
        """Two rules with one id are refused."""
        name, line = spoiled(R2627, "  - id: has-evaluation-plan", "  - id: starts-in-year")
        assert_names(error_of(name), name, line, "rules[8].id", "used twice")

    @pytest.mark.parametrize("year", ["2026/28", "2026-27", "26/27"])
    def test_bad_financial_year(self, spoiled, year):
        """A financial year not written like 2026/27 is refused."""
        name, line = spoiled(R2627, "  financial_year: 2026/27", f"  financial_year: {year}")
        assert_names(error_of(name), name, line, "round.financial_year", "not a financial year")

    @pytest.mark.parametrize("year", ["9999/00", "0000/01"])
    def test_financial_year_out_of_calendar(self, spoiled, year):
        """A financial year whose dates no calendar holds is refused as an input error, not a crash."""
        name, line = spoiled(R2627, "  financial_year: 2026/27", f"  financial_year: {year}")
        assert location(error_of(name)) == (name, line)

    def test_oneof_from_literal_choices(self, spoiled):
        """A 'one of' test with literal choices is read as a OneOf with those choices."""
        name, _ = spoiled(R2627, "      pot: {is: tactical}", "      pot: {one of: [tactical, upfront]}")
        assert load_round(name).rule("fits-tactical-pot").when == OneOf("pot", ("tactical", "upfront"), True)


class TestRule:
    """Round.rule and Rule.failure"""

    def test_rule_lookup_suggests(self):
        """Asking for a rule that is not there suggests the nearest id."""
        r = load_round(R2627)
        with pytest.raises(InputError) as err:
            r.rule("serves-cs")
        assert "did you mean 'serves-csa'?" in str(err.value)

    def test_failure_has_no_not(self):
        """Every rule's failure condition is free of Not, ready for durable-rules."""
        for key in ROUNDS:
            for rule in load_round(ROUNDS[key][0]).rules:
                assert not S.has_not(rule.failure())

    def test_failure_of_rule_with_when(self):
        """A rule with 'when' fails only where it applies and its check fails."""
        rule = load_round(R2627).rule("fits-tactical-pot")
        base = {k: None for k in S.KINDS}
        for pot in ("upfront", "tactical"):
            for cost in (13_100_00, 13_100_01):
                facts = dict(base, pot=pot, cost=cost)
                expected = pot == "tactical" and cost > 13_100_00
                assert conditions.evaluate(rule.failure(), facts) is expected

    @given(S.proposals(priority_ids=S.IDS_ALL_ROUNDS))
    def test_failure_is_when_and_not_check(self, proposal):
        """For any proposal, a rule fails exactly when it applies and its check does not hold."""
        facts = conditions.view(proposal)
        for rule in load_round(R2627).rules:
            applies = rule.when is None or S.holds(rule.when, facts)
            assert conditions.evaluate(rule.failure(), facts) == (applies and not S.holds(rule.check, facts))



class TestRound2022:
    """load_round, for the 2022/23 round known from one report"""

    def test_2022_23(self):
        """2022/23: £39,661 with £13,220 tactical, the business case due 15 April 2022, the pot locked by 2021/22."""
        r = load_round(RULES / "kcsp-2022-23.yaml")
        assert (r.grant, r.tactical, r.upfront) == (39_661_00, 13_220_00, 26_441_00)
        assert r.deadline("business_case_due") == dt.date(2022, 4, 15)
        assert r.tactical_pot.opens.when == Given("earlier_projects_open", False)
        assert r.illustrative is False and "deadlines.proposals_due" in dict(r.assumed)
        assert r.warnings == ()
