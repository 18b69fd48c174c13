"""Every input of a command read at once: the rules file, a folder of proposals and scenario files.

:func:`load_inputs` reads them all before it stops, so a user sees every
mistake in every file in one run, and gathers every warning (of the rules
file, of the folder, and of the proposals read against the round).
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import attrs

from .. import fmt
from ..errors import InputError, InputWarning, Problems, raise_all
from .lint import proposal_warnings
from .proposal import Folder, Proposal, read_folder
from .round import LEFTOVER, Round, load_round, unknown_agencies
from .scenario import Overrides, Scenario, apply, load_scenario

__all__ = ["Inputs", "load_inputs"]


@attrs.frozen
class Inputs:
    """What a command reads, checked, with the warnings found on the way."""

    round: Round
    proposals: tuple[Proposal, ...] = ()
    scenarios: tuple[Scenario, ...] = ()
    warnings: tuple[InputWarning, ...] = ()  # notes included (InputWarning.note)


def load_inputs(rules: str | Path, proposals: str | Path | None = None, scenarios: Sequence[str | Path] = (),
                *, overrides: Overrides = Overrides(), strict: bool = False, progress=None) -> Inputs:
    """Read the rules file, the folder of *proposals* (if given) and the *scenarios*, every one before stopping.

    Every mistake in every file is raised at once, in order of file and line.
    The *overrides* (from flags) and each scenario on top of them are checked
    against the round and the proposals too (a rule or proposal id they name
    must exist).  With *strict*, a warning is a mistake (notes stay notes).  *progress*, if given,
    is called with ``(files read, files in all)`` as the proposal files are read.
    """
    problems = Problems()
    round_ = problems.attempt(load_round, rules)
    before = len(problems.found)
    folder = read_folder(proposals, problems, progress=progress) if proposals is not None else Folder(())
    whole = len(problems.found) == before  # every proposal file read well
    loaded = tuple(problems.attempt(load_scenario, path) for path in scenarios)
    read = [s for s in loaded if s is not None]
    if round_ is not None and folder is not None:
        # the proposals read well are checked with the round in the same run; the ids a what-if names only when
        # none is missing for a mistake of its own
        read_together(problems, round_, folder.proposals, read, overrides, whole=whole)
    # the warnings of what did read: shown with the mistakes, so that one run tells everything there is to mend
    warnings = sorted((round_.warnings if round_ is not None else ()) + (folder.skipped if folder is not None else ())
                      + (together_warnings(round_, folder.proposals, read, overrides)
                         if round_ is not None and folder is not None else ()), key=InputWarning.sort_key)
    if strict:  # a warning is a mistake, listed with the others
        problems.add_each(w.as_error() for w in warnings if not w.note)
        warnings = [w for w in warnings if w.note]
    problems.warnings.extend(warnings)
    problems.check()
    return Inputs(round_, folder.proposals, loaded, tuple(warnings))


def validated(rules: str | Path, proposals: str | Path | None = None, scenarios: Sequence[str | Path] = (), *,
              strict: bool = False, progress=None) -> Inputs:
    """:func:`load_inputs` as ``crg validate`` checks them: with *strict*, every warning a mistake and every value
    of a real round's files sourced or assumed (:func:`engine.inputs.provenance.require_sources`), the mistakes of
    all three kinds raised together."""
    from .provenance import require_sources

    problems = Problems()
    inputs = problems.attempt(load_inputs, rules, proposals, scenarios, progress=progress)
    if strict:  # the warnings of the files read, or of what read before a mistake stopped them
        problems.add_each(w.as_error() for w in (inputs.warnings if inputs is not None else problems.warnings)
                          if not w.note)
        problems.warnings = [w for w in problems.warnings if w.note]
        problems.attempt(require_sources, rules, proposals)
    problems.check()
    return inputs


def read_together(problems: Problems, round_: Round, proposals: Sequence[Proposal], scenarios: Sequence[Scenario],
                  overrides: Overrides = Overrides(), *, whole: bool = True) -> None:
    """Add to *problems* every mistake of the files read together (each read well on its own): two scenarios of
    one name, a panel score from an agency the round does not list, an override or a scenario naming a rule or
    proposal the round does not have.  Every command that screens files goes through here, a recorded run's
    included."""
    named: dict[str, str] = {"baseline": "the run without the scenarios, which every comparison shows first"}
    for scenario in scenarios:
        if scenario.name in named:
            problems.add(InputError(f"'{scenario.name}' is also the name of {named[scenario.name]}, so the two would "
                                    "be told apart by nothing in the comparison", file=scenario.file, field="name",
                                    fix="give each scenario a name of its own"))
        named.setdefault(scenario.name, scenario.file)
    for mistake in unknown_agencies(round_, proposals):
        problems.add(mistake)
    if not whole:  # (with *whole* false, some proposal files could not be read: the ids are not checked)
        return
    problems.attempt(apply, round_, proposals, overrides)
    for scenario in scenarios:
        problems.attempt(apply, round_, proposals, overrides.then(scenario.overrides), where=scenario.file)


def together_warnings(round_: Round, proposals: Sequence[Proposal], scenarios: Sequence[Scenario],
                      overrides: Overrides = Overrides()) -> tuple[InputWarning, ...]:
    """The warnings of the files read together: each proposal's against the round, and an upfront allocation
    beyond the grant."""
    beyond = list(_beyond_the_grant(round_, overrides, None))
    for scenario in scenarios:
        beyond += _beyond_the_grant(round_, overrides.then(scenario.overrides), scenario.file)
    return proposal_warnings(round_, proposals) + tuple(beyond)


def _beyond_the_grant(round_: Round, overrides: Overrides, where: str | None):
    """A warning if *overrides* (from flags, or a scenario in the file *where*) set an upfront allocation that,
    with the tactical pot the rules file gives, comes to more than the grant: the run then commits money the round
    does not have, and only what the grant holds of what is left goes on to the tactical pot (or back)."""
    upfront = overrides.upfront
    if upfront is None or upfront == round_.upfront or not round_.grant or upfront + round_.tactical <= round_.grant:
        return
    m = fmt.money_short
    yield InputWarning(f"the upfront allocation of {m(upfront)} and the tactical pot of {m(round_.tactical)} come to "
                       f"{m(upfront + round_.tactical - round_.grant)} more than the grant of {m(round_.grant)}, so the "
                       f"run assumes money the round does not have (only money of the grant left over is "
                       f"{LEFTOVER[round_.leftover]})", file=where, field="upfront" if where else "--upfront",
                       fix=f"keep the allocation within {m(max(0, round_.grant - round_.tactical))}, the grant less the "
                           "tactical pot, unless the what-if is meant to go beyond it")
