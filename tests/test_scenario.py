"""What-if overrides: parsed from flags and files, checked, applied, described."""

from __future__ import annotations

from fractions import Fraction

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine.errors import InputError, InputErrors
from engine.inputs.proposal import load_proposals
from engine.inputs.round import load_round
from engine.inputs.scenario import FIELDS, Overrides, apply, load_scenario, parse_cost, parse_relax, parse_weight
from tests.conftest import REPO, ROUNDS

RULES, FOLDER = ROUNDS["kcsp-2026-27"]
ROUND = load_round(RULES)
PROPOSALS = load_proposals(FOLDER)


class TestParseFlags:
    def test_weight(self):
        """--weight NAME=WEIGHT gives the name and an exact weight."""
        assert parse_weight("panel=2.5") == ("panel", Fraction(5, 2))

    @pytest.mark.parametrize("bad", ["panel", "=3", "panel=-1", "panel=x", "panel=1e3"])
    def test_bad_weight(self, bad):
        """A malformed --weight is bad input naming the flag."""
        with pytest.raises(InputError) as err:
            parse_weight(bad)
        assert err.value.field == "--weight"

    def test_relax(self):
        """--relax RULE switches it off; RULE=flag makes it a concern only."""
        assert parse_relax("serves-csa") == ("serves-csa", "off")
        assert parse_relax("serves-csa=flag") == ("serves-csa", "flag")
        with pytest.raises(InputError):
            parse_relax("serves-csa=maybe")

    def test_cost(self):
        """--cost ID=AMOUNT is parsed as exact money, and an ambiguous amount is refused."""
        assert parse_cost("a=£4,000.50") == ("a", 400050)
        with pytest.raises(InputError, match="one way"):
            parse_cost("a=£6,00")


class TestApply:
    def test_nothing_changes_without_overrides(self):
        """No overrides leave the round and the proposals as they are."""
        r, ps = apply(ROUND, PROPOSALS, Overrides())
        assert r == ROUND and ps == PROPOSALS

    def test_upfront_and_policy(self):
        """The allocation and the policy are replaced."""
        r, _ = apply(ROUND, PROPOSALS, Overrides(upfront=2000000, policy="optimal"))
        assert (r.upfront, r.policy) == (2000000, "optimal")

    def test_relax_off_and_flag(self):
        """A relaxed rule is removed, or kept as a flag."""
        r, _ = apply(ROUND, PROPOSALS, Overrides(relax=(("serves-csa", "off"), ("received-by-deadline", "flag"))))
        ids = {rule.id: rule.severity for rule in r.rules}
        assert "serves-csa" not in ids and ids["received-by-deadline"] == "flag"

    def test_unknown_rule_suggests(self):
        """An unknown rule id is bad input with the near name."""
        with pytest.raises(InputError, match="did you mean 'serves-csa'"):
            apply(ROUND, PROPOSALS, Overrides(relax=(("serves-cs", "off"),)))

    def test_without_and_cost(self):
        """A withdrawn proposal is gone; a changed cost is used."""
        _, ps = apply(ROUND, PROPOSALS, Overrides(without=("e-scooter-safety-schools",),
                                                  costs=(("dhr-learning-webinars", 100000),)))
        ids = {p.id: p.cost for p in ps}
        assert "e-scooter-safety-schools" not in ids and ids["dhr-learning-webinars"] == 100000

    def test_cost_below_minimum_drops_minimum(self):
        """A cost set below the proposal's minimum makes the minimum meaningless, so it is dropped."""
        _, ps = apply(ROUND, PROPOSALS, Overrides(costs=(("asb-community-mediation", 100000),)))
        p = next(p for p in ps if p.id == "asb-community-mediation")
        assert (p.cost, p.minimum_cost) == (100000, None)

    def test_unknown_proposal_suggests(self):
        """An unknown proposal id is bad input with the near name."""
        with pytest.raises(InputError, match="did you mean 'dhr-learning-webinars'"):
            apply(ROUND, PROPOSALS, Overrides(without=("dhr-learning-webinar",)))

    def test_a_cost_for_a_proposal_taken_out(self):
        """A cost given to a proposal the same what-ifs take out would count for nothing: refused."""
        with pytest.raises(InputError, match="'nte-welfare-training' is given a cost and also taken out"):
            apply(ROUND, PROPOSALS, Overrides(without=("nte-welfare-training",),
                                              costs=(("nte-welfare-training", 400000),)))


class TestDescribe:
    def test_every_override_is_described(self):
        """Each override is named, valued and worded, in a fixed order."""
        o = Overrides(upfront=2000000, policy="optimal", weights=(("panel", Fraction(3)),),
                      relax=(("serves-csa", "flag"),), without=("a",), costs=(("b", 12345),))
        names = [d["name"] for d in o.describe()]
        assert names == ["upfront", "policy", "weight", "relax", "without", "cost"]
        assert o.describe()[0] == {"name": "upfront", "value": "20000.00",
                                   "text": "upfront allocation set to £20,000"}
        assert o.describe()[-1]["value"] == "b=123.45"

    def test_then_layers(self):
        """Scenario overrides apply on top of the flags: later values win, lists join."""
        base = Overrides(upfront=100, without=("a",), weights=(("panel", Fraction(1)),))
        both = base.then(Overrides(upfront=200, without=("b",), weights=(("panel", Fraction(2)),)))
        assert both.upfront == 200 and both.without == ("a", "b") and dict(both.weights)["panel"] == 2


class TestLoadScenario:
    def test_shipped_scenarios(self):
        """The example scenarios load."""
        folder = REPO / "scenarios" / "2026-27-example"
        loaded = {p.name: load_scenario(p) for p in sorted(folder.glob("*.yaml"))}
        cut = loaded["cut-to-20000.yaml"]
        assert cut.name == "cut to £20,000" and cut.overrides.upfront == 2000000
        assert loaded["late-proposal-accepted.yaml"].overrides.relax == (("received-by-deadline", "flag"),)

    def test_relax_as_list(self, tmp_path):
        """relax may be a list of rule ids, each switched off."""
        path = tmp_path / "s.yaml"
        path.write_text("name: x\nrelax: [serves-csa, serves-pcc-plan]\n")
        assert load_scenario(path).overrides.relax == (("serves-csa", "off"), ("serves-pcc-plan", "off"))

    def test_unknown_key_suggests(self, tmp_path):
        """A misspelt key is bad input with the near name and the file's line."""
        path = tmp_path / "s.yaml"
        path.write_text("name: x\nupfornt: £20,000\n")
        with pytest.raises(InputError) as err:
            load_scenario(path)
        assert "did you mean 'upfront'" in str(err.value) and err.value.line == 2

    def test_bad_amount(self, tmp_path):
        """An amount that can be read two ways is refused."""
        path = tmp_path / "s.yaml"
        path.write_text("name: x\nupfront: £20,00\n")
        with pytest.raises(InputError, match="one way"):
            load_scenario(path)

    def test_a_cost_of_nothing(self, tmp_path):
        """A scenario may not set a proposal's cost to £0, as its file may not."""
        (tmp_path / "s.yaml").write_text("name: x\ncosts:\n  a: £0\n")
        with pytest.raises(InputError, match="£0 is not an amount") as err:
            load_scenario(tmp_path / "s.yaml")
        assert err.value.field == "costs.a"

    def test_every_mistake_at_once(self, tmp_path):
        """Several mistakes in one scenario file are reported together, in order of line."""
        (tmp_path / "s.yaml").write_text("name: x\nupfront: £6,00\ncosts:\n  a: lots\nweights:\n  panel: -1\n")
        with pytest.raises(InputErrors) as err:
            load_scenario(tmp_path / "s.yaml")
        assert [e.field for e in err.value.errors] == ["upfront", "costs.a", "weights.panel"]

    def test_table_matches_loader(self, tmp_path):
        """The fields the loader knows are exactly those of the table the reference lists."""
        (tmp_path / "s.yaml").write_text("name: x\nzzzz: 1\n")
        with pytest.raises(InputError) as err:
            load_scenario(tmp_path / "s.yaml")
        assert set(err.value.fix.split("known fields are ")[1].split(", ")) == {s.name for s in FIELDS}


class TestApplyMistakes:
    def test_every_unknown_id_at_once(self):
        """Every id an override names that is not there is reported in one go."""
        o = Overrides(relax=(("nope", "off"),), without=("nobody",), weights=(("panle", Fraction(1)),))
        with pytest.raises(InputErrors) as err:
            apply(ROUND, PROPOSALS, o, where="s.yaml")
        assert sorted(e.field for e in err.value.errors) == ["relax", "weight", "without"]
        assert {e.file for e in err.value.errors} == {"s.yaml"}

    def test_all_weights_zero(self):
        """Weights set to 0 everywhere would score every proposal 0: refused."""
        o = Overrides(weights=tuple((c.id, Fraction(0)) for c in ROUND.scoring.criteria))
        with pytest.raises(InputError, match="every weight would be 0"):
            apply(ROUND, PROPOSALS, o)

overrides = st.builds(
    Overrides,
    upfront=st.one_of(st.none(), st.integers(0, 10**11)),
    policy=st.sampled_from([None, "rank", "optimal", "consensus-first"]),
    weights=st.lists(st.tuples(st.sampled_from(["pcc", "csa", "panel"]), st.fractions(min_value=0)), max_size=3).map(tuple),
    relax=st.lists(st.tuples(st.sampled_from(["serves-csa", "starts-in-year"]), st.sampled_from(["off", "flag"])),
                   max_size=2).map(tuple),
    without=st.lists(st.sampled_from(["a", "b-2"]), unique=True, max_size=2).map(tuple),
    costs=st.lists(st.tuples(st.sampled_from(["a", "b-2"]), st.integers(0, 10**9)), max_size=2).map(tuple),
)


class TestOverridesMapping:
    @given(overrides)
    def test_round_trip_through_json(self, o):
        """Overrides written as a mapping, through JSON, read back exactly (weights as exact fractions)."""
        assert Overrides.from_mapping(json.loads(json.dumps(o.as_mapping()))) == o
