"""Tests of engine.decision.durable_engine: durable-rules gives the same answers as the plain-Python evaluation."""

from __future__ import annotations

import math
import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.decision import conditions, durable_engine
from engine.decision.conditions import All, Any_, Compare, Given, Includes, Not, OneOf
from engine.errors import EngineError, InputError
from engine.inputs.round import load_round
from engine.decision.screen import failures_python, program_for

from . import strategies as S
from .conftest import DEEP, PROPOSALS, REPO, ROUNDS

LOADED = {key: load_round(rules) for key, (rules, _) in ROUNDS.items()}


def round_proposals(key: str):
    """Proposals with dates and costs near the edges of the rules of round *key*."""
    r = LOADED[key]
    return S.proposals(
        priority_ids=S.IDS_ALL_ROUNDS,
        deadline=r.deadline("proposals_due"),
        year_start=r.year_start,
        year_end=r.year_end,
        allocations=(r.upfront, r.tactical),
        light=True,
    )


any_round_proposal = st.one_of(*[round_proposals(key) for key in sorted(LOADED)])


class TestAgreement:
    """Program.failures against screen.failures_python, on every shipped round"""

    @settings(DEEP)
    @given(any_round_proposal)
    def test_every_round_every_rule(self, proposal):
        """For any proposal, durable-rules and plain Python fail the same rules of each of the four rounds."""
        facts = conditions.view(proposal)
        for r in LOADED.values():
            assert program_for(r).failures(facts) == failures_python(r, facts), r.id

    @pytest.mark.parametrize("key", sorted(ROUNDS))
    def test_shipped_proposals(self, key):
        """On the shipped proposals of each round the two agree."""
        from engine.inputs.proposal import load_proposals
        r = LOADED[key]
        for p in load_proposals(ROUNDS[key][1]):
            facts = conditions.view(p)
            assert program_for(r).failures(facts) == failures_python(r, facts)

    def test_example_failures(self):
        """On the 2026/27 examples, durable-rules fails exactly the rules each was written to fail."""
        from engine.inputs.proposal import load_proposals
        r = LOADED["kcsp-2026-27"]
        found = {p.id: program_for(r).failures(conditions.view(p)) for p in load_proposals(ROUNDS["kcsp-2026-27"][1])}
        assert found["underage-vape-test-purchases"] == {"received-by-deadline"}
        assert found["youth-diversion-programme"] == {"delivered-by-year-end"}
        assert found["rural-crime-tracker-kits"] == {"serves-csa"}
        assert found["countywide-cctv-upgrade"] == {"fits-upfront-allocation"}
        assert found["dhr-learning-webinars"] == {"has-evaluation-plan"}
        assert found["nte-welfare-training"] == {"starts-in-year"}
        assert found["asb-community-mediation"] == frozenset()


class TestCompileFailures:
    """durable_engine.compile_failures"""

    @settings(max_examples=300)
    @given(S.condition_trees(max_leaves=5), st.lists(S.views(), min_size=1, max_size=4))
    def test_random_trees_agree(self, tree, views):
        """A random condition tree, with its Nots pushed down, fires exactly when evaluate says it holds."""
        program = durable_engine.compile_failures({"x": conditions.push_down(tree)})
        for view in views:
            assert ("x" in program.failures(view)) == conditions.evaluate(tree, view)

    @settings(max_examples=100)
    @given(st.lists(S.condition_trees(max_leaves=3, with_not=False), min_size=2, max_size=6), S.views())
    def test_several_rules_agree(self, trees, view):
        """Several rules compiled together each fire exactly when they hold."""
        program = durable_engine.compile_failures({f"r{i}": t for i, t in enumerate(trees)})
        expected = {f"r{i}" for i, t in enumerate(trees) if conditions.evaluate(t, view)}
        assert program.failures(view) == expected

    def test_cached(self):
        """The same conditions compile once: the same Program comes back."""
        failing = {"late": Compare("submitted", "gt", 739_000)}
        assert durable_engine.compile_failures(failing) is durable_engine.compile_failures(dict(failing))

    def test_not_refused(self):
        """A condition with a Not inside is refused: negation is never handed to the engine."""
        with pytest.raises(EngineError):
            durable_engine.compile_failures({"x": All((Not(Given("evaluation", True)), Given("reach", True)))})

    def test_many_comparisons_spread_over_rulesets(self):
        """More comparisons than MAX_TESTS are spread over several rulesets and still agree, all true at once."""
        n = 2 * durable_engine.MAX_TESTS + 5
        failing = {f"over-{i}": Compare("cost", "ge", i * 100) for i in range(n)}
        failing["flagged"] = Any_((Given("evaluation", False),
                                   Includes("csa_priorities", "all", ("a", "b"), None, ("A", "B"))))
        program = durable_engine.compile_failures(failing)
        assert len(program.names) >= math.ceil(n / durable_engine.MAX_TESTS) >= 3
        base = {k: None for k in conditions.FIELDS}
        base.update(csa_priorities=frozenset({"a", "b"}), pcc_priorities=frozenset(), cross_cutting=frozenset(),
                    partners=frozenset())
        for cost in (0, 50 * 100, n * 100, 10**11):  # none, some, all but one, all of the comparisons true
            for evaluation in (None, "given"):
                view = dict(base, cost=cost, evaluation=evaluation)
                expected = {rule for rule, cond in failing.items() if conditions.evaluate(cond, view)}
                assert program.failures(view) == expected

    def test_rule_too_big(self):
        """One rule with more comparisons than MAX_TESTS is refused with an InputError naming it."""
        big = Any_(tuple(Compare("cost", "eq", i) for i in range(durable_engine.MAX_TESTS)))
        with pytest.raises(InputError) as err:
            durable_engine.compile_failures({"huge-rule": big})
        assert "huge-rule" in str(err.value)

    def test_strings_compared_as_text(self):
        """Choices that look like numbers or booleans match only the same text."""
        program = durable_engine.compile_failures({"x": OneOf("lead_agency", ("1", "true", 'say "hi"'), True)})
        base = {k: None for k in conditions.FIELDS}
        for value, expected in [("1", True), ("01", False), ("1.0", False), ("true", True), ("True", False),
                                ('say "hi"', True), ("say hi", False)]:
            assert ("x" in program.failures(dict(base, lead_agency=value))) is expected, value

    def test_large_sums(self):
        """Sums of money up to £1,000,000,000 are compared to the penny."""
        top = 10**11
        program = durable_engine.compile_failures({"x": Compare("cost", "gt", top - 1)})
        base = {k: None for k in conditions.FIELDS}
        assert program.failures(dict(base, cost=top)) == {"x"}
        assert program.failures(dict(base, cost=top - 1)) == frozenset()


class TestProgramFact:
    """Program.fact"""

    def test_values_and_flags(self):
        """A fact holds ints and strs only: day numbers, pence, 0/1 flags for ids, and nothing for missing values."""
        program = durable_engine.compile_failures({
            "a": Compare("cost", "le", 5),
            "b": Includes("csa_priorities", "any", ("vawg", "road-safety"), None, ("V", "R")),
            "c": Given("evaluation", True),
            "d": Compare("reach", "ge", 1),
        })
        view = {k: None for k in conditions.FIELDS}
        view.update(cost=7, csa_priorities=frozenset({"vawg"}), evaluation="Counts", reach=None)
        fact = program.fact(view)
        assert fact["t"] == "p"
        assert sorted(v for v in fact.values() if isinstance(v, int)) == [0, 1, 1, 7]
        assert all(type(v) in (int, str) for v in fact.values())
        assert program.failures(view) == {"b", "c"}

    @pytest.mark.parametrize("bad", [5.0, True, None])
    def test_unconverted_value_refused(self, bad):
        """A float or bool where pence should be is an EngineError, never sent to the engine."""
        program = durable_engine.compile_failures({"a": Compare("cost", "le", 5)})
        view = {k: None for k in conditions.FIELDS}
        view["cost"] = bad
        if bad is None:  # missing: no property at all, and the comparison does not hold
            assert program.failures(view) == frozenset()
        else:
            with pytest.raises(EngineError):
                program.failures(view)


def _run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, capture_output=True,
                          text=True, timeout=120)


class TestProcess:
    """durable-rules over many proposals, in a fresh process so that a crash cannot take the test run with it"""

    def test_3000_passing_proposals(self):
        """3,000 proposals that pass every rule run through one program without a crash.

        durable-rules corrupted its memory when a session in which no action ran was deleted;
        the sentinel rule prevents it.
        """
        result = _run(f"""
            import attrs
            from engine.decision import conditions
            from engine.inputs.proposal import Proposal
            from engine.inputs.round import load_round
            from engine.decision.screen import failures_python, program_for
            round_ = load_round({str(ROUNDS['kcsp-2026-27'][0])!r})
            base = Proposal.from_file({str(PROPOSALS / '2026-27-example' / 'asb-community-mediation.yaml')!r})
            program = program_for(round_)
            for i in range(3000):
                view = conditions.view(attrs.evolve(base, cost=100 + i, minimum_cost=None, reach=i))
                assert program.failures(view) == frozenset(), i
                assert failures_python(round_, view) == frozenset(), i
            print("done", i + 1)
        """)
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.stdout.strip() == "done 3000"

    def test_threads(self):
        """Calls from several threads at once give the right answers and do not crash."""
        result = _run(f"""
            import attrs
            from concurrent.futures import ThreadPoolExecutor
            from engine.decision import conditions
            from engine.inputs.proposal import Proposal
            from engine.inputs.round import load_round
            from engine.decision.screen import failures_python, program_for
            round_ = load_round({str(ROUNDS['kcsp-2026-27'][0])!r})
            base = Proposal.from_file({str(PROPOSALS / '2026-27-example' / 'asb-community-mediation.yaml')!r})
            program = program_for(round_)
            def work(t):
                for i in range(300):
                    view = conditions.view(attrs.evolve(base, cost=2_649_900 + 50 * t + i % 3, pot=("upfront", "tactical")[i % 2],
                                                        evaluation=None if i % 5 == 0 else "yes"))
                    assert program.failures(view) == failures_python(round_, view), (t, i)
                return True
            with ThreadPoolExecutor(4) as pool:
                assert all(pool.map(work, range(8)))
            print("ok")
        """)
        assert result.returncode == 0, result.stderr[-2000:]
        assert result.stdout.strip() == "ok"
