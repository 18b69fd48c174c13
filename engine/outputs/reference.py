"""The reference of every file's fields and of the rules language, made from the code's own tables.

Nothing here is written by hand: the fields come from the tables the loaders
read (:data:`engine.inputs.proposal.FIELDS`, :data:`engine.inputs.round.RULES_FIELDS`,
:data:`engine.inputs.scenario.FIELDS`), the checks from
:data:`engine.decision.conditions.FIELDS` and ``TESTS``, and the figures a
check may name from :data:`engine.inputs.round.FIGURES`.  ``docs/fields.md`` is
this reference in Markdown, kept current by the same check as the README.
"""

from __future__ import annotations

from typing import Sequence

from tabulate import tabulate

__all__ = ["fields_doc"]

def _specs(specs, form: str) -> list[str]:
    if form == "markdown":
        rows = [[f"`{s.name}`", "yes" if s.required else "no", s.kind[0], s.kind[1], f"`{s.example}`", s.means]
                for s in specs]
        return [tabulate(rows, ["field", "required", "type", "how to write it", "example", "what it is"],
                         tablefmt="github", disable_numparse=True)]
    out = []
    width = max(len(s.name) for s in specs) + 2
    for s in specs:
        kind, form_words = s.kind
        out.append(f"  {s.name:<{width}}{'required' if s.required else 'optional'}; {kind}: {form_words}")
        out.append(f"  {'':<{width}}{s.means}")
        out.append(f"  {'':<{width}}e.g. {s.example}")
    return out


def _table(rows: Sequence[Sequence[str]], headers: Sequence[str], form: str) -> list[str]:
    if form == "markdown":
        rows = [[f"`{row[0]}`", *row[1:]] for row in rows]
    return [tabulate(rows, headers, tablefmt="github" if form == "markdown" else "simple", disable_numparse=True)]


def fields_doc(form: str = "table") -> str:
    """Every field of a proposal, rules and scenario file, and the rules language, as a table or Markdown."""
    from ..decision import conditions
    from ..inputs import proposal, round as rounds, scenario

    def heading(text: str) -> list[str]:
        return [f"## {text}", ""] if form == "markdown" else [text, "-" * len(text), ""]

    out = ["# The fields of crg's files" if form == "markdown" else "The fields of crg's files", ""]
    out += ["Dates are written YYYY-MM-DD and sums of money as £5,595 or £3,703.20 (never £6,00, which reads "
            "two ways). A field marked optional may be left out.", ""]
    out += heading("Proposal file: one per proposal, in the round's folder")
    out += _specs(proposal.FIELDS, form) + [""]
    out += heading("Rules file: one per round")
    out += ["A name with [] is a field of each item of that list.", ""]
    out += _specs(rounds.RULES_FIELDS, form) + [""]
    out += heading("Scenario file: a what-if kept for crg compare")
    out += _specs(scenario.FIELDS, form) + [""]

    out += heading("Checks: what a rule's check and when test")
    out += ["A check is 'field: {test: value}' lines, all of which must hold. The fields a check can test, "
            "and the tests each takes:", ""]
    rows = [[f.name, conditions.KIND_WORDS[f.kind], ", ".join(w for w, (_, kinds) in conditions.TESTS.items() if f.kind in kinds)]
            for f in conditions.FIELDS.values()]
    out += _table(rows, ["field", "kind", "tests"], form) + [""]
    out += ["Each test, with an example:", ""]
    rows = [[word, conditions.example(word)] for word in conditions.TESTS]
    out += _table(rows, ["test", "example"], form) + [""]
    out += ["Checks combine with:", ""]
    rows = [[word, means, example] for word, (means, example) in conditions.COMBINATOR_EXAMPLES.items()]
    out += _table(rows, ["word", "means", "example"], form) + [""]
    out += ["A value may name a figure of the round instead of repeating it:", ""]
    rows = [[name, conditions.KIND_WORDS[kind], words] for name, (kind, words) in rounds.FIGURES.items()]
    out += _table(rows, ["figure", "kind", "what it is"], form)
    return "\n".join(out).rstrip() + "\n"
