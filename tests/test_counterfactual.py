"""Every figure of every sentence checked by running the what-if it names, on generated rounds.

A round of the 2026/27 rules is drawn with money to the penny (tests/strategies.py
``priced_rounds``), screened through the public path, and each counterfactual
figure is run again as the what-if it names (tests/whatif.py): at the figure it
holds, a penny beyond it does not, and so at random points of the range it
speaks for.  Each explanation's figures are checked too: the parts of a score
add up to its total, the money left when a proposal's turn came, the best set
on the other side of an optimal decision (by brute force), and the allocation a
cost is compared with.
"""

from __future__ import annotations

import functools
import random

import attrs
from hypothesis import example, given, settings, strategies as st

from engine.inputs.proposal import load_proposals
from engine.inputs.round import load_round, round_from_file
from engine.inputs.scenario import Overrides, run
from engine.inputs.yamlfile import parse
from tests.conftest import PROFILE, REPO, ROUNDS
from tests.strategies import PricedRound, priced_rounds
from tests.whatif import Round, check_explanations, check_outcome

ROUND_2026_27 = load_round(ROUNDS["kcsp-2026-27"][0])
RULES = {on: attrs.evolve(ROUND_2026_27, reduced_offers=on) for on in (True, False)}
# five generated bids whose greatest costs, under rank at £6,630.62 with bids eligible at most £4,000 or at least
# the allocation, once made the search move the others' order over two crossings at once, in the wrong order
CUT_EXAMPLE = load_proposals(REPO / "tests" / "data" / "cut-below-allocation")


def _checked(pr, rng, engine: str = "durable") -> int:
    round_ = RULES[pr.reduced_offers]
    outcome = run(round_, pr.proposals, Overrides(upfront=pr.budget, policy=pr.policy), engine=engine)
    r = Round(round_, pr.proposals, pr.policy, pr.budget)
    return check_outcome(r, outcome, rng) + check_explanations(r, outcome)


@settings(max_examples=300 if PROFILE == "ci" else 40)
@given(priced_rounds(), st.randoms(use_true_random=False))
def test_every_figure_comes_true(pr, rng):
    """Every counterfactual and explanation figure holds when its what-if is run, and fails a penny beyond."""
    _checked(pr, rng)


@settings(max_examples=120 if PROFILE == "ci" else 15, deadline=None)
@given(priced_rounds(), st.sampled_from((2**42, 2**62, 2**64 + 1)), st.randoms(use_true_random=False))
def test_every_figure_comes_true_past_64_bits(pr, scale, rng):
    """Money has no upper limit: with every amount *scale* times as large (past what 64-bit numbers hold, for the
    larger two), every figure under every policy still holds when its what-if is run, and fails a penny beyond
    (screened in plain Python: durable-rules refuses numbers past 64 bits)."""
    proposals = tuple(attrs.evolve(p, cost=p.cost * scale, minimum_cost=p.minimum_cost and p.minimum_cost * scale)
                      for p in pr.proposals)
    _checked(attrs.evolve(pr, proposals=proposals, budget=pr.budget * scale), rng, engine="python")


@functools.lru_cache(maxsize=None)
def _cut_round(pounds: int, reduced_offers: bool):
    """The 2026/27 round with no rule that a bid fit the allocation, and one that it cost at most £*pounds* or at
    least the whole allocation: a bid's eligibility then changes at costs below the allocation, more than once."""
    text = ROUNDS["kcsp-2026-27"][0].read_text(encoding="utf-8").replace("\nrules:\n", (
        "\nrules:\n  - id: cheap-or-whole\n    says: A bid is small, or the whole allocation.\n    source: a test\n"
        f"    severity: reject\n    check: {{any of: [{{cost: {{at most: {pounds}}}}}, "
        "{cost: {at least: money.upfront}}]}\n\n"), 1)
    round_ = round_from_file(parse(text.encode("utf-8"), "cut.yaml"))
    rules = tuple(rule for rule in round_.rules if rule.id != "fits-upfront-allocation")
    return attrs.evolve(round_, rules=rules, reduced_offers=reduced_offers)


@settings(max_examples=150 if PROFILE == "ci" else 25)
@given(priced_rounds(), st.sampled_from((500, 2_000, 4_000, 6_000)), st.randoms(use_true_random=False))
@example(PricedRound(tuple(CUT_EXAMPLE), 663_062, "rank", True), 4_000, random.Random(0))
def test_every_figure_comes_true_where_eligibility_turns_below_the_allocation(pr, pounds, rng):
    """With a bid eligible only when small or the whole allocation, every figure holds when its what-if is run,
    and fails a penny beyond: the search for a reserve's greatest cost goes down over several stretches of
    eligibility, the others' order carried from one to the next."""
    round_ = _cut_round(pounds, pr.reduced_offers)
    outcome = run(round_, pr.proposals, Overrides(upfront=pr.budget, policy=pr.policy))
    r = Round(round_, pr.proposals, pr.policy, pr.budget)
    check_outcome(r, outcome, rng)
    check_explanations(r, outcome)


@settings(max_examples=60 if PROFILE == "ci" else 10)
@given(priced_rounds(min_size=6, max_size=12, policies=("optimal",)), st.randoms(use_true_random=False))
def test_optimal_sentences_on_larger_rounds(pr, rng):
    """Under optimal, on rounds of up to 12 proposals, every tie and best set told is the brute force's."""
    _checked(pr, rng)



class TestProgress:
    """The counterfactuals' progress: the best sets below and above the allocation are worked out first, and
    take seconds in a large round under optimal; they are counted too, before any proposal's figures."""

    def test_counted_from_the_start(self, tmp_path, monkeypatch):
        """On 80 generated proposals (read from arrays) and the example round, under each policy: one total,
        never going back, and the end reached; under optimal, half of it reached before the first proposal's
        figures are worked out (each one's tie with or without it, the first thing asked of it)."""
        import sys

        from engine.decision import counterfactual
        from engine.decision.shortlist import decide

        sys.path.insert(0, str(REPO / "bench"))
        from scale_bench import write_round

        seen: list[tuple[int, int]] = []
        first: list[tuple[int, int] | None] = []  # the last tick before a proposal's figures were first asked for

        def noted(work):
            def asked(*args, **kwargs):
                if not first:
                    first.append(seen[-1] if seen else None)
                return work(*args, **kwargs)
            return asked

        for name in ("_tie_with", "_tie_without"):
            monkeypatch.setattr(counterfactual, name, noted(getattr(counterfactual, name)))
        write_round(tmp_path / "g80", 80, 20262027)
        for folder in (tmp_path / "g80", ROUNDS["kcsp-2026-27"][1]):
            for policy in ("optimal", "rank"):
                seen.clear()
                first.clear()
                decide(ROUND_2026_27, load_proposals(folder), policy=policy,
                       progress=lambda d, t: seen.append((d, t)))
                total = seen[-1][1]
                assert {t for _, t in seen} == {total} and seen[-1] == (total, total), (folder, policy)
                done = [d for d, _ in seen]
                assert done == sorted(done), (folder, policy)
                if policy == "optimal":
                    assert first[0] is not None and first[0][0] >= total // 2 - 1, (folder, first)
