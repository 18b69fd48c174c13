"""crg: screen, score and shortlist Crime Reduction Grant proposals.

The flow runs one way: load (:func:`load_round`, :func:`load_proposals`),
screen (:func:`screen`), score, rank and select (:func:`decide`), with what-ifs
applied by :func:`run` and compared by :func:`compare`.  The ``crg`` command is
a thin shell over these.
"""

from .compare import compare
from .errors import CrgError, EngineError, InputError
from .proposal import Proposal, load_proposals
from .round import Round, load_round
from .scenario import Overrides, Scenario, load_scenario, run
from .screen import screen
from .shortlist import Outcome, decide

__all__ = [
    "CrgError", "EngineError", "InputError", "Outcome", "Overrides", "Proposal", "Round", "Scenario",
    "compare", "decide", "load_proposals", "load_round", "load_scenario", "run", "screen",
]
