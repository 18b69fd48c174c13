"""What the commands that check or write files print: a line per file, then a count.

Kept apart from the reports so that ``crg validate`` and ``crg import`` load nothing of the
decision.
"""

from __future__ import annotations

__all__ = ["imported", "validated"]


def validated(inputs, rules, proposals) -> str:
    """What ``crg validate`` prints when every file is valid."""
    text = f"{rules}: valid ({len(inputs.round.rules)} rules)\n"
    if proposals:
        text += f"{proposals}: valid ({len(inputs.proposals)} proposals)\n"
    return text + "".join(f"{s.file}: valid (scenario '{s.name}')\n" for s in inputs.scenarios)


def imported(done, out) -> str:
    """What ``crg import`` prints: each file written and where it came from, then a count."""
    lines = [f"{file}  ({where}{', replaced' if replaced else ''})" for file, where, replaced in done.written]
    count = len(done.written)
    lines.append(f"{count} proposal file{'s' if count != 1 else ''} written to {out}"
                 + (f", with the panel's scores from {done.panel}." if done.panel else "."))
    return "\n".join(lines) + "\n"
