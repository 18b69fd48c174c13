"""The JSON of every shipped round, under every policy, as it was before the speed work on counterfactuals and
regimes (kept from commit c4f6b44 on; each later change was also compared by md5 on generated rounds).

A change that means to alter a decision or a sentence updates these files in the same commit, with the
command that wrote them::

    for each round R (rules file F, folder D) and policy P:
        crg screen rules/F.yaml proposals/D --policy P --format json > tests/data/shipped-json/F-P.json
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.inputs.load import load_inputs
from engine.inputs.scenario import Overrides, run
from engine.outputs import report

from .conftest import REPO, ROUNDS

KEPT = Path(__file__).resolve().parent / "data" / "shipped-json"


@pytest.mark.parametrize("policy", ("rank", "optimal", "consensus-first"))
@pytest.mark.parametrize("name", sorted(ROUNDS))
def test_the_json_is_as_kept(name, policy, monkeypatch):
    monkeypatch.chdir(REPO)  # the files named as the command above names them
    rules, folder = (path.relative_to(REPO) for path in ROUNDS[name])
    inputs = load_inputs(rules, folder)
    outcome = run(inputs.round, inputs.proposals, Overrides(policy=policy))
    kept = (KEPT / f"{name}-{policy}.json").read_text(encoding="utf-8").splitlines()
    written = "".join(report.outcome_json_parts(outcome)).splitlines()
    if written != kept:
        line = next((i for i, (a, b) in enumerate(zip(written, kept), 1) if a != b), min(len(written), len(kept)) + 1)
        pytest.fail(f"{name}, {policy}: the JSON differs from tests/data/shipped-json/{name}-{policy}.json "
                    f"from line {line}")


def test_every_round_and_policy_is_kept():
    assert sorted(p.name for p in KEPT.glob("*.json")) == sorted(
        f"{name}-{policy}.json" for name in ROUNDS for policy in ("rank", "optimal", "consensus-first"))
