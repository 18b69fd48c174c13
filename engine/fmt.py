"""How figures are shown: money, scores, dates, ordinals and numbers, for every output.

One module, so that a figure reads the same in a table, a sentence, JSON and a
chart.  Scores are shown with one decimal everywhere (``8.0``, never ``8``),
rounded half up once from the exact value.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from fractions import Fraction
from typing import Any, Sequence

__all__ = [
    "PENCE", "count", "date", "found", "markdown", "money", "money_change", "money_json", "money_short", "number",
    "ordinal", "percent", "points", "points_change", "points_json", "pounds", "quoted", "rounded_parts",
    "rounded_steps", "on_grid", "score", "steps",
    "score_value", "short", "timestamp",
]

UNITS = 1000  # score units per point (see engine.decision.score)
PENCE = 100  # pence per pound
MINUS = "\u2212"  # the minus sign, for changes


# --- money (whole pence) ----------------------------------------------------------------------------


def money(pence: int) -> str:
    """``£3,703.20``: pounds with commas and always two decimals."""
    sign = "-" if pence < 0 else ""
    whole, rest = divmod(abs(pence), PENCE)
    return f"{sign}£{whole:,}.{rest:02d}"


def money_short(pence: int) -> str:
    """``£5,595`` for whole pounds, ``£3,703.20`` otherwise (for prose)."""
    if pence % PENCE == 0:
        sign = "-" if pence < 0 else ""
        return f"{sign}£{abs(pence) // PENCE:,}"
    return money(pence)


def money_json(pence: int) -> str:
    """``"5595.00"``: pounds as a string with two decimals, for JSON."""
    sign = "-" if pence < 0 else ""
    whole, rest = divmod(abs(pence), PENCE)
    return f"{sign}{whole}.{rest:02d}"


def pounds(pence: int) -> float:
    """Pounds as a plain number, to place a sum on a chart's axis (never to show it: use :func:`money`)."""
    return pence / PENCE


def money_change(pence: int) -> str:
    """A change of money: ``+£2,650.00``, ``−£1,000.00`` or ``no change``."""
    if pence == 0:
        return "no change"
    return ("+" if pence > 0 else MINUS) + money(abs(pence))


# --- scores ----------------------------------------------------------------------------------------


def points(value: Fraction | int, places: int = 1) -> str:
    """``7.4``: a number of points rounded half up to *places* decimals (``8.0``, not ``8``)."""
    return on_grid(steps(value, places), places)


def score(units: int) -> str:
    """A score held in integer units (thousandths of a point), shown as points with one decimal."""
    return points(Fraction(units, UNITS))


def points_change(units: int) -> str:
    """A change of score: ``+0.8``, ``−1.2`` or ``no change`` (from units, one decimal)."""
    if units == 0:
        return "no change"
    shown = points(Fraction(abs(units), UNITS))
    if shown == "0.0":
        return ("+" if units > 0 else MINUS) + "0.0"
    return ("+" if units > 0 else MINUS) + shown


def score_value(units: int) -> float:
    """Points as a plain number, to place a score on a chart's axis (never to show it: use :func:`score`)."""
    return units / UNITS


def points_json(value: Fraction | int) -> float:
    """A number of points for JSON: a number with at most three decimals (from the exact value, correctly
    rounded to a float first, as Fraction's own conversion does)."""
    return round(float(value), 3)


def rounded_parts(parts: Sequence[Fraction], places: int = 1) -> list[str]:
    """The *parts* rounded to *places* decimals so that they add up to their total rounded the same way
    (:func:`rounded_steps`), written as :func:`points` writes them."""
    return [on_grid(f, places) for f in rounded_steps(parts, places)]


def rounded_steps(parts: Sequence[Fraction], places: int = 1, total: int | None = None) -> list[int]:
    """The *parts* rounded to *places* decimals so that they add up to *total* steps (default: their own total
    rounded the same way), each as a whole number of steps of the last decimal.

    Largest remainder: each part is cut down to the grid, then the parts with the
    largest remainders (ties by position) get one step more until the sum matches
    (or, for a *total* below the sum of the parts cut down, those with the smallest
    remainders, ties by position from the last, one step less).  Worked out in
    whole numbers over the parts' least common denominator.
    """
    scale = 10 ** places
    parts = [p if isinstance(p, Fraction) else Fraction(p) for p in parts]
    common = math.lcm(*(p.denominator for p in parts)) if parts else 1
    exact = [p.numerator * (common // p.denominator) * scale for p in parts]  # each part * scale, over common
    if total is None:
        total = (2 * sum(exact) + common) // (2 * common)
    floors = [e // common for e in exact]
    short = total - sum(floors)
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] % common), i))
    for k in range(max(short, 0)):
        floors[order[k % len(order)]] += 1
    for k in range(max(-short, 0)):
        floors[order[-1 - k % len(order)]] -= 1
    return floors


def steps(value: Fraction | int, places: int = 1) -> int:
    """*value* in whole steps of the last of *places* decimals, rounded half away from zero: what
    :func:`points` shows."""
    value = value if isinstance(value, Fraction) else Fraction(value)
    n, d = value.numerator, value.denominator
    whole = (abs(n) * 10 ** places * 2 + d) // (2 * d)  # |value| * 10**places, rounded half up, in whole numbers
    return -whole if n < 0 else whole


def on_grid(steps: int, places: int) -> str:
    """*steps* steps of the last of *places* decimals, written as :func:`points` writes it."""
    scale = 10 ** places
    whole = abs(steps)
    sign = "-" if steps < 0 else ""
    return f"{sign}{whole // scale}" + (f".{whole % scale:0{places}d}" if places else "")


# --- dates, counts and words ------------------------------------------------------------------------


# the months by name, in English whatever the machine's locale (the reasons of every proposal show dates,
# and reading the name from this list is much quicker than strftime)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def date(day: dt.date) -> str:
    """``8 April 2026``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def timestamp(text: str) -> str:
    """``27 April 2026, 10:00 UTC`` for the UTC time ``2026-04-27T10:00:00Z``."""
    moment = dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")
    return f"{date(moment.date())}, {moment:%H:%M} UTC"


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``11th``."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def count(n: int, thing: str | None = None, things: str | None = None) -> str:
    """``1,200``: a whole number of things, with commas; with a noun, ``1 project`` or ``6 projects``
    (*things* where the plural is not *thing* + s)."""
    if thing is None:
        return f"{n:,}"
    return f"{n:,} {thing if n == 1 else (things or thing + 's')}"


def percent(part: int, whole: int) -> str:
    """``28%``: *part* of *whole* as a whole percentage, rounded half up (``0%`` of nothing)."""
    if whole <= 0:
        return "0%"
    return f"{(200 * part + whole) // (2 * whole)}%"


def number(value: Fraction | int, places: int = 3) -> str:
    """``2``, ``2.5``, ``0.333``: a plain number with no trailing zeros."""
    if not isinstance(value, Fraction):  # a fraction is shown as it is, not made again
        value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    return points(value, places).rstrip("0").rstrip(".")


def short(text: str, width: int = 44) -> str:
    """*text* cut to *width* characters with an ellipsis."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def quoted(value: Any, width: int = 40) -> str:
    """``'abc'``: a value quoted on one line, cut to *width* characters, for a message that cites it."""
    return repr(short(" ".join(str(value).split()), width))


def found(value: Any, width: int = 40) -> str:
    """What a file holds where something else was expected, in a few words: ``the text 'abc'``, ``a list``."""
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"the text {quoted(value, width)}"


# --- Markdown ---------------------------------------------------------------------------------------

_MD_ALWAYS = frozenset("\\`*_[]<>&|~@")  # emphasis, code, links, HTML, entities, tables, strikethrough, e-mail links
_MD_BREAK = re.compile(r"[ \t]*[\r\n\v\f\x85\u2028\u2029]+[ \t]*")
# a character escaped wherever it is, or the colon of "://" (the dot of "www." is looked for apart)
_MD_ESCAPED = re.compile(r"[\\`*_\[\]<>&|~@]|://")
# what makes a block of a line that starts with it: a heading, a list item, a rule or an underline
_MD_LINE_START = re.compile(r"#{1,6}(?=[ \t]|$)|[-+](?=[ \t]|$)|-(?=[- \t]*$)|=+(?=[= \t]*$)|\d{1,9}(?=[.)]([ \t]|$))")


def markdown(text: str) -> str:
    """*text* from a file, to put in Markdown so that it shows as written.

    It cannot add a link (bracketed, ``<...>`` or a bare address), emphasis,
    code, HTML, an entity, a table cell, a heading, a list or a line break:
    the characters that would are escaped with a backslash (``\\*``), a line
    break becomes a space, and ``www.``, ``://`` and ``@`` are split so that no
    renderer makes an address of them.  Leading blanks are dropped (Markdown
    would drop them, or make code of them).
    """
    text = _MD_BREAK.sub(" ", str(text)).lstrip(" \t")
    start = _MD_LINE_START.match(text)
    if start is None and _MD_ESCAPED.search(text) is None and "www." not in text.lower():
        return text  # nothing to escape (most texts: ids, sums, words)
    marker = -1 if start is None else (start.end() if start.group()[0].isdigit() else 0)
    out = []
    for i, ch in enumerate(text):
        if (ch in _MD_ALWAYS or i == marker
                or (ch == ":" and text.startswith("//", i + 1))
                or (ch == "." and text[max(i - 3, 0):i].lower() == "www")):
            out.append("\\")
        out.append(ch)
    return "".join(out)
