"""crg: screen, score and shortlist Crime Reduction Grant proposals.

The flow runs one way: load (:func:`load_inputs`, which reads the rules, the
proposals and the scenarios and reports every mistake at once, or
:func:`load_round`, :func:`load_proposals`),
screen (:func:`screen`), score, rank and select (:func:`decide`), with what-ifs
applied by :func:`run` and compared by :func:`compare`.  After the shortlist,
the year runs from the round's ledger (:func:`load_ledger`): :func:`status_on`
a date, :func:`screen_bids` for the tactical pot, and :func:`close_out` at the
year's end.  :func:`assumptions` lists what a round rests on.  The ``crg``
command is a thin shell over these.

The names below are imported on first use, so that importing one part of the
package (the command line, say) does not load every other part.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

# public name -> module that defines it
_WHERE = {
    "CrgError": "errors", "EngineError": "errors", "InputError": "errors", "InputErrors": "errors",
    "InputWarning": "errors",
    "Inputs": "inputs.load", "load_inputs": "inputs.load",
    "Outcome": "decision.shortlist", "decide": "decision.shortlist",
    "Overrides": "inputs.scenario", "Scenario": "inputs.scenario", "load_scenario": "inputs.scenario",
    "run": "inputs.scenario",
    "Proposal": "inputs.proposal", "load_proposals": "inputs.proposal",
    "Round": "inputs.round", "load_round": "inputs.round",
    "compare": "decision.compare",
    "assumptions": "inputs.provenance", "require_sources": "inputs.provenance",
    "Ledger": "year.ledger", "load_ledger": "year.ledger", "replay": "year.ledger",
    "status_on": "year.status", "screen_bids": "year.bids", "Closeout": "year.closeout", "close_out": "year.closeout",
    "screen": "decision.screen",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module 'engine' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
