"""Tests of engine.inputs.round: reading a round's rules file."""

from __future__ import annotations

import datetime as dt
import re

import attrs
import pytest
from hypothesis import given

from engine.decision import conditions
from engine.decision.conditions import Compare, Given, Includes, OneOf
from engine.errors import InputError, InputErrors
from engine.inputs.proposal import Proposal, load_proposals
from engine.inputs.round import DEADLINES, RULES_FIELDS, Panel, load_round, panel_notes, unknown_agencies
from . import strategies as S
from .conftest import PROPOSALS, ROUNDS, RULES, location

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
        assert r.rule("received-by-deadline").check == Compare("submitted", "le", deadline, "the deadline",
                                                                      "deadlines.proposals_due")
        assert r.rule("fits-upfront-allocation").check == Compare("cost", "le", 26_500_00, "the upfront allocation",
                                                                         "money.upfront")
        assert r.rule("fits-upfront-allocation").when == Compare("pot", "eq", "upfront", None)
        csa = r.rule("serves-csa").check
        assert isinstance(csa, Includes) and csa.mode == "any"
        assert csa.items == S.round_ids("kcsp-2026-27")[4:12]  # the eight CSA ids, in file order
        assert csa.ref == "priorities.csa"
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
        warning = str(r.warnings[0])
        line = R2526.read_text(encoding="utf-8").split("\nmoney:")[0].count("\n") + 2
        assert warning.startswith(f"{R2526}:{line}:1: money: ")
        assert "£1 short" in warning
        assert "£39,661" in warning and "£39,660" in warning

    def test_split_more_than_grant_warns(self, spoiled):
        """A split that adds up to more than the grant loads with a warning that says by how much."""
        name, _ = spoiled(R2627, "  tactical: £13,100", "  tactical: £13,100.50")
        r = load_round(name)
        assert len(r.warnings) == 1
        assert str(r.warnings[0]).startswith(name)
        assert "£0.50 more than" in str(r.warnings[0])

    def test_deadline_outside_the_year_warns(self, spoiled):
        """A deadline outside the round's financial year (a file copied from another year) is warned of, at its line."""
        name, line = spoiled(R2627, "  financial_year: 2026/27", "  financial_year: 2027/28")
        found = [str(w) for w in load_round(name).warnings]
        assert len(found) == 3  # proposals_due, working_group and delivery_end are all of 2026/27
        due = open(name, encoding="utf-8").read().splitlines().index("  proposals_due: 2026-04-08") + 1
        assert found[0].startswith(f"{name}:{due}:18: deadlines.proposals_due: 8 April 2026 is not in the financial "
                                   "year 2027/28 (1 April 2027 to 31 March 2028)")

    def test_deadlines_inside_the_year_no_warning(self, spoiled):
        """Deadlines on the first and last days of the year give no warning."""
        name, _ = spoiled(R2627, "  proposals_due: 2026-04-08", "  proposals_due: 2026-04-01")
        assert load_round(name).warnings == ()

    def test_every_mistake_of_the_file_at_once(self, tmp_path, monkeypatch):
        """Three mistakes in three sections of a rules file are all reported, in order of line."""
        monkeypatch.chdir(tmp_path)
        text = R2627.read_text(encoding="utf-8")
        text = text.replace("  upfront: £26,500", "  upfront: £26,50")
        text = text.replace("    severity: flag\n    check:\n      delivery.start:",
                            "    severity: flg\n    check:\n      delivery.start:")
        text = text.replace("      weight: 0.5", "      weight: half")
        (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
        with pytest.raises(InputErrors) as err:
            load_round("r.yaml")
        assert [e.field for e in err.value.errors] == [
            "money.upfront", "rules[starts-in-year].severity", "scoring.criteria[evaluation].weight"]
        assert err.value.summary() == "3 problems in 1 file"

    def test_misspelt_required_field_at_its_line(self, spoiled):
        """A required field misspelt points at the misspelt key's own line, once."""
        name, line = spoiled(R2627, "  grant: £39,600", "  grnat: £39,600")
        assert_names(error_of(name), name, line, "money.grant", "is it misspelt as 'grnat'?", "rename 'grnat'")

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
        assert_names(error_of(name), name, line, "rules[fits-tactical-pot].whn", "did you mean 'when'?")

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
        assert_names(error_of(name), name, line, "rules[received-by-deadline].severity", "'rejct' is not a severity",
                     "did you mean 'reject'?")

    def test_unknown_test_word_suggests(self, spoiled):
        """A misspelt test word is refused, suggesting the right one."""
        name, line = spoiled(R2627, "      submitted: {on or before: deadlines.proposals_due}",
                             "      submitted: {on or befor: deadlines.proposals_due}")
        assert_names(error_of(name), name, line, "rules[received-by-deadline].check.submitted.on or befor",
                     "'on or befor' is not a test", "did you mean 'on or before'?")

    def test_test_on_wrong_kind(self, spoiled):
        """A date test on the cost is refused, listing the tests that fit a sum of money."""
        name, line = spoiled(R2627, "      submitted: {on or before: deadlines.proposals_due}",
                             "      cost: {on or before: 2026-04-08}")
        message = error_of(name)
        assert_names(message, name, line, "rules[received-by-deadline].check.cost.on or before", "cannot test 'cost'", "at most")

    def test_unknown_figure_suggests(self, spoiled):
        """A reference to a figure the round does not have is refused, suggesting the right one."""
        name, line = spoiled(R2627, "      submitted: {on or before: deadlines.proposals_due}",
                             "      submitted: {on or before: deadlines.proposal_due}")
        assert_names(error_of(name), name, line, "rules[received-by-deadline].check.submitted.on or before",
                     "'deadlines.proposal_due' is not a figure of the round",
                     "did you mean 'deadlines.proposals_due'?")

    def test_unknown_money_figure_suggests(self, spoiled):
        """A misspelt money figure is refused, suggesting the right one."""
        name, line = spoiled(R2627, "      cost: {at most: money.upfront}", "      cost: {at most: money.upfrnt}")
        assert_names(error_of(name), name, line, "rules[fits-upfront-allocation].check.cost.at most", "did you mean 'money.upfront'?")

    def test_figure_of_wrong_kind(self, spoiled):
        """Comparing the cost with a date of the round is refused."""
        name, line = spoiled(R2627, "      cost: {at most: money.upfront}",
                             "      cost: {at most: deadlines.proposals_due}")
        assert_names(error_of(name), name, line, "rules[fits-upfront-allocation].check.cost.at most", "a date")

    def test_unknown_field_in_check_suggests(self, spoiled):
        """A misspelt proposal field in a check is refused with a suggestion."""
        name, line = spoiled(R2627, "      submitted: {on or before: deadlines.proposals_due}",
                             "      submited: {on or before: deadlines.proposals_due}")
        assert_names(error_of(name), name, line, "rules[received-by-deadline].check.submited", "did you mean 'submitted'?")

    def test_rule_id_twice(self, spoiled):
        """Two rules with one id are refused."""
        name, line = spoiled(R2627, "  - id: fits-tactical-pot", "  - id: fits-upfront-allocation")
        assert_names(error_of(name), name, line, "rules[fits-upfront-allocation].id", "used twice")

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

    def test_rules_with_another_upfront(self):
        """The rules asked for, read with another upfront allocation, are those of the round with it."""
        for key in ROUNDS:
            r = load_round(ROUNDS[key][0])
            ids = {rule.id for rule in r.rules[::2]}
            for upfront in (0, 1, r.upfront - 1, r.upfront * 3):
                assert r.rules_with_upfront(upfront, ids) == tuple(
                    rule for rule in r.with_upfront(upfront).rules if rule.id in ids)

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



class TestAssumedSources:
    """A rule's source says what of it the file assumes, so that no explanation citing it passes an assumption
    off as the report's."""

    def test_an_assumed_figure(self):
        """2024/25: the closing date is assumed; the rule that reads it cites the report, and says so."""
        source = load_round(RULES / "kcsp-2024-25.yaml").rule("received-by-deadline").source
        assert source == ("KCSP Working Group update, 4 July 2024 (para 2.4, proposals received for the meeting of "
                          "29 April 2024); the deadline is assumed, as no published report gives it")

    def test_an_assumed_rule_and_a_sourced_one(self):
        round_ = load_round(RULES / "kcsp-2026-27.yaml")
        assert round_.rule("starts-in-year").source.endswith(
            "; the rule itself is assumed, as no published report gives it")
        assert "assumed" not in round_.rule("received-by-deadline").source

    def test_kept_under_another_allocation(self):
        round_ = load_round(RULES / "kcsp-2024-25.yaml")
        assert round_.with_upfront(1).rule("received-by-deadline").source == round_.rule("received-by-deadline").source


class TestRulesFields:
    """RULES_FIELDS: the table the reference lists is the one the loader reads"""

    PLACES = {  # a line after which an unknown field is put -> the prefix of the table's names there
        "  id: kcsp-2026-27\n": ("round.zzzz", "round."),
        "  grant: £39,600\n": ("money.zzzz", "money."),
        "priorities:\n": ("priorities.zzzz", "priorities."),
        "  - id: received-by-deadline\n": ("rules[received-by-deadline].zzzz", "rules[]."),
        "  out_of: 10\n": ("scoring.zzzz", "scoring."),
        "    - id: pcc\n": ("scoring.criteria[pcc].zzzz", "scoring.criteria[]."),
        "  policy: rank\n": ("selection.zzzz", "selection."),
    }

    def test_table_matches_loader(self, tmp_path):
        """In each mapping of a rules file the loader knows exactly the fields the table names there."""
        text = R2627.read_text(encoding="utf-8")
        for line in self.PLACES:
            indent = len(line) - len(line.lstrip(" -")) + (2 if line.strip().endswith(":") else 0)
            text = text.replace(line, line + " " * indent + "zzzz: 1\n", 1)
        (tmp_path / "r.yaml").write_text(text + "zzzz: 1\n", encoding="utf-8")
        with pytest.raises(InputErrors) as err:
            load_round(tmp_path / "r.yaml")
        known = {e.field: set(e.fix.split("known fields are ")[1].split(", ")) for e in err.value.errors}
        names = [spec.name for spec in RULES_FIELDS]
        assert known.pop("zzzz") == {re.split(r"[.\[]", name)[0] for name in names}
        for field, prefix in self.PLACES.values():
            inside = {n[len(prefix):] for n in names if n.startswith(prefix)}
            assert known[field] == {re.split(r"[.\[]", n)[0] for n in inside}, field

    def test_deadlines_match(self):
        """The table names every deadline a rules file may give, and the section's source."""
        assert [s.name for s in RULES_FIELDS if s.name.startswith("deadlines.")] == \
            [f"deadlines.{name}" for name in DEADLINES] + ["deadlines.source"]


R2425 = RULES / "kcsp-2024-25.yaml"


def _proposal(lead: str, partners=(), panel=()) -> Proposal:
    """A proposal of the example round, in a file called p.yaml, with *lead*, *partners* and *panel* changed."""
    base = Proposal.from_file(PROPOSALS / "2026-27-example" / "asb-community-mediation.yaml")
    return attrs.evolve(base, lead_agency=lead, partners=tuple(partners), panel=tuple(sorted(panel)), file="p.yaml")


class TestPanel:
    """The panel section of a rules file: the agencies, whom each speaks for, and declared interests."""

    def test_2026_27_agencies(self):
        """Each agency is read in order, its own name first among those it speaks for."""
        panel = load_round(R2627).panel
        assert [a.id for a in panel.agencies] == ["kent-police", "kcc", "district-councils", "kfrs", "probation",
                                                  "nhs-kent-medway"]
        councils = panel.agencies[2]
        assert councils.speaks_for[0] == "District councils"
        assert "Dartford Borough Council" in councils.speaks_for and len(councils.speaks_for) == 13
        assert panel.agencies[0].speaks_for == ("Kent Police",)
        assert panel.interests == "leave out"
        assert panel.assumed == ()

    def test_real_round_lists_what_is_assumed(self):
        """The 2024/25 panel is not in the reports, and its file says so."""
        panel = load_round(R2425).panel
        assert panel.assumed == ("agencies", "interests")
        assert panel.source and panel.notes

    def test_no_panel_section(self):
        """A rules file without a panel lists no agencies, and so no score is ever left out."""
        r = load_round(R2526)
        assert r.panel.agencies == ()
        p = _proposal("Kent Police", panel=(("kent-police", 5),))
        assert r.panel.interests_in(p) == {} and r.panel.counted(p) == p.panel

    def test_interests_default_to_leave_out(self, spoiled):
        """Without an 'interests' line, scores from an agency with an interest are left out."""
        name, _ = spoiled(R2627, "  interests: leave out\n  agencies:", "  agencies:")
        assert load_round(name).panel.interests == "leave out"

    def test_interests_count(self, spoiled):
        """'interests: count' counts every score."""
        name, _ = spoiled(R2627, "  interests: leave out\n  agencies:", "  interests: count\n  agencies:")
        panel = load_round(name).panel
        p = _proposal("Kent Police", panel=(("kent-police", 5), ("kcc", 1)))
        assert panel.interests == "count"
        assert panel.counted(p) == p.panel
        assert [i.agency.id for i, _ in panel.declared(p)] == ["kent-police"]

    def test_matching_ignores_case_spacing_and_ampersand(self):
        """'kent  fire & rescue service' is the organisation the kfrs agency speaks for."""
        panel = load_round(R2627).panel
        p = _proposal("kent  fire & rescue service", ["KENT POLICE"])
        assert {a: i.role for a, i in panel.interests_in(p).items()} == {"kfrs": "leads", "kent-police": "partners"}

    def test_leading_comes_before_partnering(self):
        """An agency that speaks for the lead and for a partner is recorded as leading."""
        panel = load_round(R2627).panel
        p = _proposal("Dartford Borough Council", ["Canterbury City Council"])
        interest = panel.interests_in(p)["district-councils"]
        assert (interest.role, interest.organisation) == ("leads", "Dartford Borough Council")
        assert interest.words() == "District councils (district-councils), for Dartford Borough Council, the lead agency"

    def test_unknown_interests_word_suggests(self, spoiled):
        """A misspelt 'leave out' is refused at its line, with the right words suggested."""
        name, line = spoiled(R2627, "  interests: leave out\n  agencies:", "  interests: leave it out\n  agencies:")
        assert_names(error_of(name), name, line, "panel.interests", "did you mean 'leave out'?", "'count'")

    def test_unknown_agency_field_suggests(self, spoiled):
        """A misspelt field of an agency is refused at its key, with the right name suggested."""
        name, line = spoiled(R2627, "      speaks_for: [KFRS]", "      speaks_fr: [KFRS]")
        assert_names(error_of(name), name, line, "panel.agencies.kfrs.speaks_fr", "did you mean 'speaks_for'?")

    def test_agency_id_must_be_an_id(self, spoiled):
        """An agency id with capitals or spaces is refused at its key."""
        name, line = spoiled(R2627, "    kcc: Kent County Council", "    Kent CC: Kent County Council")
        assert_names(error_of(name), name, line, "panel.agencies.Kent CC", "not a valid id")

    def test_no_agencies(self, spoiled):
        """A panel with an empty list of agencies is refused."""
        text = R2627.read_text(encoding="utf-8")
        start = text.index("  agencies:\n    kent-police")
        name, line = spoiled(R2627, text[start:], "  agencies: {}\n")
        assert_names(error_of(name), name, line, "panel.agencies", "lists no agencies")

    def test_unknown_assumed_item(self, spoiled):
        """'assumed' may list only parts of the panel, with the near name suggested."""
        name, line = spoiled(R2425, "  assumed: [agencies, interests]", "  assumed: [agencys]")
        assert_names(error_of(name), name, line, "panel.assumed", "did you mean 'agencies'?")


class TestPanelNotes:
    """panel_notes"""

    def test_near_miss(self):
        """A misspelt organisation gets a note naming the near name; a score from an unlisted agency gets none
        (it is a mistake: see test_a_score_from_an_unlisted_agency_is_a_mistake)."""
        p = _proposal("Kent Polce", ["Housing associations"], [("kcc2", 3)])
        notes = panel_notes(load_round(R2627), [p])
        assert notes == [
            "p.yaml: lead_agency: 'Kent Polce' is not an organisation of the panel (did you mean 'Kent Police'?), "
            "so no declared interest is found for it",
        ]

    def test_a_score_from_an_unlisted_agency_is_a_mistake(self):
        """Whether an agency the panel does not list has an interest cannot be known: its score is a mistake,
        naming the near id and every listed one; listed agencies and a round listing none give no mistake."""
        round_ = load_round(R2627)
        mistakes = unknown_agencies(round_, [_proposal("Kent Police", [], [("kcc2", 3), ("kent-police", 5)])])
        assert [str(m) for m in mistakes] == [
            "p.yaml:24:3: panel: 'kcc2' is not an agency of this round's panel (did you mean 'kcc'?), so whether it "
            "has an interest in the proposal cannot be checked\n  fix: write the agency's id as it is listed under "
            f"panel in {round_.file} (kent-police, kcc, district-councils, kfrs, probation, nhs-kent-medway), or add "
            "the agency there"]
        assert unknown_agencies(round_, [_proposal("Kent Police", [], [("kcc", 3), ("kent-police", 5)])]) == []
        bare = attrs.evolve(round_, panel=Panel())
        assert unknown_agencies(bare, [_proposal("Kent Police", [], [("kcc2", 3)])]) == []

    def test_near_only_in_its_own_words(self):
        """A name alike a panel organisation's only in words such as 'Council' is another body and gets no note;
        one alike in its own words is a near miss, whatever words of that kind it leaves out."""
        round_ = load_round(R2627)
        assert panel_notes(round_, [_proposal("Kent Police", ["Medway Council", "Council"])]) == []
        notes = panel_notes(round_, [_proposal("Ashford Council", ["Kent Count Council", "Medway Council"])])
        assert notes == [
            "p.yaml: lead_agency: 'Ashford Council' is not an organisation of the panel (did you mean 'Ashford "
            "Borough Council'?), so no declared interest is found for it",
            "p.yaml: partners: 'Kent Count Council' is not an organisation of the panel (did you mean 'Kent County "
            "Council'?), so no declared interest is found for it",
        ]

    @pytest.mark.parametrize(("name", "meant"), [("Dover District Councel", "Dover District Council"),
                                                 ("Dover Distric Council", "Dover District Council"),
                                                 ("Swale Borough Counsil", "Swale Borough Council")])
    def test_a_misspelt_kind_of_body_is_a_near_miss(self, name, meant):
        """A misspelt 'Council', 'District' or 'Borough' is no word of the body's own: still a near miss."""
        assert panel_notes(load_round(R2627), [_proposal(name)]) == [
            f"p.yaml: lead_agency: '{name}' is not an organisation of the panel (did you mean '{meant}'?), so no "
            "declared interest is found for it"]

    def test_no_hint_without_organisations(self):
        """With no organisation to be near, a name has no hint (and no error)."""
        from engine.inputs.round import _organisation_hint

        assert _organisation_hint("Kent Polce", []) == ""
        assert _organisation_hint("Kent Polce", ["Kent Police"]) == " (did you mean 'Kent Police'?)"

    def test_no_notes_without_agencies(self):
        """A round that lists no agencies has nothing to say of them."""
        assert panel_notes(load_round(R2526), [_proposal("Kent Polce", panel=[("x", 1)])]) == []

    @pytest.mark.parametrize("key", sorted(ROUNDS))
    def test_shipped_rounds_have_no_notes(self, key):
        """Every organisation and agency named in the shipped proposals is either the panel's or far from it."""
        rules, folder = ROUNDS[key]
        assert panel_notes(load_round(rules), load_proposals(folder)) == []



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
