"""The tactical pot's rules, from the ``tactical_pot:`` section of a rules file.

Three parts, each optional, all in the language of every other rule
(:mod:`engine.decision.conditions`)::

    tactical_pot:
      opens:                      # when the pot can be used
        says: ...
        source: ...
        when:
          any of:
            - earlier_projects_open: {given: no}
            - opened_by_opcc: {given: yes}
      closes:                     # when it stops being usable, before the year ends
        says: ...
        source: ...
        when:
          today: {after: deadlines.tactical_closes}
      rules:                      # what an in-year bid must meet, like the round's rules
        - id: fits-what-is-left
          ...
          check:
            cost: {at most: tactical.left}

A gate's ``when`` reads the state of the year on a date
(:data:`~engine.decision.conditions.STATE_FIELDS`); a bid rule reads the bid's
own fields and may name ``tactical.left``, the money left in the pot on the
date.  With no ``opens`` the pot is open from the start of the year; with no
``closes`` it closes at the end of the year.
"""

from __future__ import annotations

import attrs

from ..decision import conditions
from ..decision.conditions import STATE_FIELDS, Condition, Later, Ref
from ..errors import InputError, InputErrors
from . import values
from .yamlfile import Fields

__all__ = ["LATER", "Gate", "TacticalPot", "parse_tactical_pot"]

# the figures of the year a bid rule may name, known once the date is chosen
LATER = {
    "tactical.left": Ref("tactical.left", "money", Later("tactical.left"), "the money left in the tactical pot"),
}


@attrs.frozen
class Gate:
    """When the tactical pot opens, or closes: a condition on the state of the year, in plain words."""

    says: str
    source: str
    when: Condition


@attrs.frozen
class TacticalPot:
    """The rules of a round's tactical pot."""

    opens: Gate | None = None
    closes: Gate | None = None
    rules: tuple = ()  # of engine.inputs.round.Rule, for in-year bids


def _gate(f: Fields, key: str, refs: dict[str, Ref]) -> Gate | None:
    g = f.sub(key, required=False)
    if g is None:
        return None
    says, source = g.take("says", values.text), g.take("source", values.text)
    when = None
    if g.data.get("when") is None:
        g.take("when")
    else:
        g.take("when")
        try:
            when = conditions.parse(g.data["when"], g.path + ("when",), g.file, refs, STATE_FIELDS)
        except InputErrors as exc:
            g.file.problems.add(exc)
        except InputError as exc:
            g.file.problem(exc)
    g.done()
    return None if None in (says, source, when) else Gate(says=says, source=source, when=when)


def parse_tactical_pot(f: Fields, refs: dict[str, Ref]) -> TacticalPot:
    """Read the ``tactical_pot:`` section *f*, with the round's figures *refs*."""
    from .round import parse_rules

    pot = TacticalPot(
        opens=_gate(f, "opens", refs),
        closes=_gate(f, "closes", refs),
        rules=parse_rules(f, refs, required=False, later=True),
    )
    f.done()
    return pot
