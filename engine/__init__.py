"""crg: screen, score and shortlist Crime Reduction Grant proposals.

The flow runs one way: load (:func:`load_round`, :func:`load_proposals`),
screen (:func:`screen`), score, rank and select (:func:`decide`), with what-ifs
applied by :func:`run` and compared by :func:`compare`.  The ``crg`` command is
a thin shell over these.
"""

from .decision.compare import compare
from .errors import CrgError, EngineError, InputError
from .inputs.proposal import Proposal, load_proposals
from .inputs.round import Round, load_round
from .inputs.scenario import Overrides, Scenario, load_scenario, run
from .decision.screen import screen
from .decision.shortlist import Outcome, decide

__all__ = [
    "CrgError", "EngineError", "InputError", "Outcome", "Overrides", "Proposal", "Round", "Scenario",
    "compare", "decide", "load_proposals", "load_round", "load_scenario", "run", "screen",
]
