"""Converters from the text of a YAML value to the value ``crg`` uses.

Each takes the raw value (a ``str``, ``list`` or ``dict`` from
:mod:`engine.inputs.yamlfile`) and returns a checked value or raises
:class:`~engine.errors.InputError` saying what is wrong and how to fix it.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from .. import fmt
from . import money
from ..errors import InputError

__all__ = [
    "amount_asked", "count", "date", "money_value", "number", "slug", "slug_list", "text", "text_list", "yes_no",
]

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def text(value) -> str:
    """A non-empty line or paragraph of text."""
    if not isinstance(value, str):
        raise InputError(f"expected text, found {fmt.found(value)}",
                         fix="write the value as words after the colon, on the same line (in quotes if they hold ': ')")
    value = value.strip()
    if not value:
        raise InputError("is empty", fix="write the text, or remove the field")
    return value


def text_list(value) -> tuple[str, ...]:
    """A list of texts (a single text is a list of one)."""
    items = value if isinstance(value, list) else [value]
    return tuple(text(item) for item in items)


def slug(value) -> str:
    """A short id: lowercase letters, digits and hyphens (``vawg-champions``)."""
    value = text(value)
    if not _SLUG.fullmatch(value):
        raise InputError(
            f"{fmt.quoted(value)} is not a valid id",
            fix="use lowercase letters, digits and single hyphens, e.g. 'domestic-abuse'",
        )
    return value


def slug_list(value) -> tuple[str, ...]:
    """A list of ids, each once, in the order given."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise InputError(f"expected a list of ids, found {fmt.found(value)}", fix="write [id-one, id-two]")
    out: list[str] = []
    for item in value:
        item = slug(item)
        if item in out:
            raise InputError(f"{fmt.quoted(item)} is listed twice", fix="list each id once")
        out.append(item)
    return tuple(out)


def date(value) -> dt.date:
    """A calendar date written ``YYYY-MM-DD``."""
    if not isinstance(value, str):
        raise InputError(f"expected a date, found {fmt.found(value)}", fix="write the date as YYYY-MM-DD, e.g. 2026-04-08")
    match = _DATE.fullmatch(value.strip())
    if not match:
        raise InputError(f"{fmt.quoted(value)} is not a date written YYYY-MM-DD", fix="write the date as YYYY-MM-DD, e.g. 2026-04-08")
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError as exc:
        raise InputError(f"{fmt.quoted(value)} is not a real date ({exc})", fix="check the day and the month") from None


def count(value) -> int:
    """A whole number of zero or more (``400``, ``1,200``)."""
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+|[0-9]+", value.strip()):
        return int(value.strip().replace(",", ""))
    raise InputError(f"expected a whole number of zero or more, found {fmt.found(value)}", fix="write digits only, e.g. 400")


def number(value) -> Decimal:
    """A non-negative decimal number (``2``, ``0.5``)."""
    if isinstance(value, str):
        try:
            result = Decimal(value.strip())
        except InvalidOperation:
            result = None
        if result is not None and result.is_finite() and result >= 0 and re.fullmatch(r"[0-9]+(\.[0-9]+)?", value.strip()):
            return result
    raise InputError(f"expected a number of zero or more, found {fmt.found(value)}", fix="write a number such as 2 or 0.5")


def money_value(value) -> int:
    """Whole pence in a sum of money."""
    if not isinstance(value, str):
        raise InputError(f"expected a sum of money, found {fmt.found(value)}", fix="write it as £5,595 or £3,703.20")
    return money.parse(value)


def amount_asked(value) -> int:
    """Whole pence that a bid asks for (its cost, or the least it could run on): a sum of money of a penny or more.
    A bid of £0 would take no money and divide its people by nothing for its value for money."""
    pence = money_value(value)
    if pence == 0:
        raise InputError("£0 is not an amount a bid can ask for",
                         fix="give the amount in pounds, at least £0.01 (a project that needs no money needs no bid)")
    return pence


def yes_no(value) -> bool:
    """``yes``/``no`` (also ``true``/``false``)."""
    if isinstance(value, str):
        low = value.strip().lower()
        if low in ("yes", "true"):
            return True
        if low in ("no", "false"):
            return False
    raise InputError(f"expected yes or no, found {fmt.found(value)}", fix="write yes or no")
