"""The few array operations of the rank walk (:mod:`engine.decision.walk`), on Python lists.

The walk works on arrays of whole numbers: numpy's for a large round, these for a
small one, where importing numpy would cost a short command more than the walk
itself.  Only what the walk uses is here, with numpy's meaning: arithmetic and
comparison with a number, indexing by a position, a slice, a list of positions or
a mask, assignment through a list of positions, and the functions below.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

__all__ = ["LIMIT", "Array", "int32", "int64"]

# The largest whole number the package lets into numpy's 64-bit arrays: where every number an array would hold,
# and every sum or product worked out from them, is checked to stay below it, the arrays are exact with room to
# spare; past it the work is done on Python's whole numbers, which have no limit.
LIMIT = 2**62

int64 = int32 = int  # the kinds of number the walk stores (lists hold any whole number)


class Array:
    """A one-dimensional array of whole numbers (or, from a comparison, of truth values: a mask)."""

    __slots__ = ("v", "mask")

    def __init__(self, values, mask: bool = False):
        self.v = list(values)
        self.mask = mask

    def __len__(self) -> int:
        return len(self.v)

    def __iter__(self):
        return iter(self.v)

    def __getitem__(self, key):
        if isinstance(key, Array):
            if key.mask:
                return Array([x for x, keep in zip(self.v, key.v) if keep], self.mask)
            return Array([self.v[i] for i in key.v], self.mask)
        if isinstance(key, slice):
            return Array(self.v[key], self.mask)
        return self.v[key]

    def __setitem__(self, key: "Array", value: "int | Array") -> None:
        places = [i for i, keep in enumerate(key.v) if keep] if key.mask else key.v
        values = value.v if isinstance(value, Array) else [value] * len(places)
        for i, x in zip(places, values):
            self.v[i] = x

    def __add__(self, other: int) -> "Array":
        return Array([x + other for x in self.v])

    def __sub__(self, other: int) -> "Array":
        return Array([x - other for x in self.v])

    def __gt__(self, other: int) -> "Array":
        return Array([x > other for x in self.v], mask=True)

    def __le__(self, other: int) -> "Array":
        return Array([x <= other for x in self.v], mask=True)

    def __eq__(self, other: int) -> "Array":  # type: ignore[override]
        return Array([x == other for x in self.v], mask=True)

    __hash__ = None  # type: ignore[assignment]

    def astype(self, dtype) -> "Array":
        return Array(self.v, self.mask)

    def all(self) -> bool:
        return all(self.v)

    def tolist(self) -> list:
        return list(self.v)


def array(values, dtype=None) -> Array:
    return Array(values)


def asarray(values, dtype=None) -> Array:
    return values if isinstance(values, Array) else Array(values)


def zeros(n: int, dtype=None) -> Array:
    return Array([0] * n)


def full(n: int, value: int, dtype=None) -> Array:
    return Array([value] * n)


def arange(start: int, stop: int, dtype=None) -> Array:
    return Array(range(start, stop))


def flatnonzero(mask: Array) -> Array:
    return Array(i for i, keep in enumerate(mask.v) if keep)


def searchsorted(values: Array, x: int, side: str = "left") -> int:
    return (bisect_left if side == "left" else bisect_right)(values.v, x)


def insert(values: Array, slots: Array, new: Array) -> Array:
    """*new* put in before the positions *slots* (ascending) of *values*, as ``numpy.insert`` does."""
    out, j = [], 0
    for i, x in enumerate(values.v):
        while j < len(slots.v) and slots.v[j] <= i:
            out.append(new.v[j])
            j += 1
        out.append(x)
    out.extend(new.v[j:])
    return Array(out)


def concatenate(parts) -> Array:
    return Array(x for part in parts for x in part.v)


def array_equal(a: Array, b: Array) -> bool:
    return a.v == b.v


def where(mask: Array, yes: Array, no: Array) -> Array:
    return Array(y if keep else n for keep, y, n in zip(mask.v, yes.v, no.v))
