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

import attrs
from hypothesis import given, settings, strategies as st

from engine.inputs.round import load_round
from engine.inputs.scenario import Overrides, run
from tests.conftest import PROFILE, ROUNDS
from tests.strategies import priced_rounds
from tests.whatif import Round, check_explanations, check_outcome

ROUND_2026_27 = load_round(ROUNDS["kcsp-2026-27"][0])
RULES = {on: attrs.evolve(ROUND_2026_27, reduced_offers=on) for on in (True, False)}


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


@settings(max_examples=60 if PROFILE == "ci" else 10)
@given(priced_rounds(min_size=6, max_size=12, policies=("optimal",)), st.randoms(use_true_random=False))
def test_optimal_sentences_on_larger_rounds(pr, rng):
    """Under optimal, on rounds of up to 12 proposals, every tie and best set told is the brute force's."""
    _checked(pr, rng)
