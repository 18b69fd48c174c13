"""Exact sums of money, held as whole pence (``int``).

A sum is read from the forms a council officer writes (``£5,595``,
``£3,703.20``, ``5595.00``, ``5595``) and refused when it could be read two
ways (``£6,00``, ``£1.234,00``), has more than two decimals, is negative or
is not a sum of money at all.  Floats are never accepted: a float has
already lost the pence.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from .. import fmt
from ..errors import InputError

__all__ = ["parse", "written"]

_AMOUNT = re.compile(
    r"""
    (?P<pounds> \d{1,3}(?:,\d{3})+ | \d+ )   # 12,345 or 12345
    (?: \. (?P<pence> \d{1,2}) )?             # .5 or .50
    """,
    re.VERBOSE | re.ASCII,
)

_FIX = "write pounds with an optional £, commas between thousands and at most two decimals, e.g. £3,703.20 or 5595"


def parse(value, *, field: str | None = None) -> int:
    """Whole pence in *value*: a string such as ``'£3,703.20'``, an ``int`` of pounds or a ``Decimal``.

    Raises :class:`InputError` for anything that is not one exact, non-negative sum.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise InputError(
            f"{value!r} is not an exact sum of money", field=field, fix=_FIX
        )
    if isinstance(value, int):
        if value < 0:
            raise InputError(f"{value} is negative; sums of money here are never below zero", field=field, fix=_FIX)
        return value * 100
    if isinstance(value, Decimal):
        return _from_decimal(value, field)
    if not isinstance(value, str):
        raise InputError(f"expected a sum of money, got {type(value).__name__}", field=field, fix=_FIX)
    text = value.strip()
    shown = fmt.quoted(value.strip())
    if not text:
        raise InputError("no amount given", field=field, fix=_FIX)
    if text.startswith("-") or text.startswith("£-") or text.startswith("-£"):
        raise InputError(f"{shown} is negative; sums of money here are never below zero", field=field, fix=_FIX)
    if text.startswith("£"):
        text = text[1:].strip()
    match = _AMOUNT.fullmatch(text)
    if match is None and not re.search(r"[0-9]", text):
        raise InputError(f"{shown} is not a sum of money", field=field, fix=_FIX)
    if match is None:
        raise InputError(f"{shown} is not a sum of money that can be read one way only{_why(text)}", field=field, fix=_FIX)
    pounds = int(match["pounds"].replace(",", ""))
    pence = (match["pence"] or "0").ljust(2, "0")
    return pounds * 100 + int(pence)


def _why(text: str) -> str:
    """A short hint at why *text* was refused."""
    if re.fullmatch(r"\d{1,3}(,\d{3})*,\d{1,2}", text) or re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", text):
        return " (a comma or point in the wrong place: is it pounds or pence?)"
    if re.fullmatch(r"[\d,]*\d\.\d{3,}", text):
        return " (more than two decimals)"
    if re.fullmatch(r"\d{1,3}(,\d{1,3})+", text):
        return " (commas must separate groups of three digits)"
    return ""


def _from_decimal(value: Decimal, field: str | None) -> int:
    try:
        if not value.is_finite():
            raise InvalidOperation
        pence = value * 100
        if pence != pence.to_integral_value():
            raise InputError(f"{value} has more than two decimals", field=field, fix=_FIX)
    except InvalidOperation:
        raise InputError(f"{value} is not a sum of money", field=field, fix=_FIX) from None
    if value < 0:
        raise InputError(f"{value} is negative; sums of money here are never below zero", field=field, fix=_FIX)
    return int(pence)


_WRITTEN = re.compile(r"[0-9]+\.[0-9]{2}")  # a sum as crg writes it in a document: pounds and two decimals


def written(value) -> int:
    """Whole pence of a sum in a document crg wrote (``"5595.00"``), read at once (a large round's sweep has
    hundreds of thousands); anything else as :func:`parse` reads it.

    A sum that does not read is a ``ValueError`` of the document, not an :class:`InputError`: the user typed none
    of it (a register edited behind crg's back can hold anything, see :func:`engine.record.runs.as_recorded`)."""
    if isinstance(value, str) and _WRITTEN.fullmatch(value):
        return int(value[:-3]) * 100 + int(value[-2:])
    try:
        return parse(value)
    except InputError:
        raise ValueError(f"{value!r} is not a sum of money as crg writes one") from None
