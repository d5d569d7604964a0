"""Exact rational numbers: parsing, formatting, flint conversion.

This module is the only place where floats are touched. Every number that enters
exactpoly goes through :func:`to_fraction`; every number that leaves it is a
:class:`fractions.Fraction` or an ``int``.

Examples
--------
>>> from exactpoly.rational import to_fraction, format_fraction
>>> to_fraction("3/7"), to_fraction("0.125"), to_fraction(0.25)
(Fraction(3, 7), Fraction(1, 8), Fraction(1, 4))
>>> to_fraction(0.1) == Fraction(3602879701896397, 36028797018963968)
True
>>> format_fraction(Fraction(-6, 4)), format_fraction(Fraction(5))
('-3/2', '5')
"""

from __future__ import annotations

import math
import numbers
import sys
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any, cast

import flint

from .errors import NumberError

__all__ = ["Fraction", "to_fraction", "format_fraction", "to_fmpq", "from_fmpq"]


def to_fraction(value: Any, *, name: str = "value") -> Fraction:
    """Convert *value* exactly to a :class:`~fractions.Fraction`.

    Parameters
    ----------
    value : int, Fraction, float, str, Decimal, numpy scalar
        Integers and fractions are taken as they are; floats (also numpy floats,
        e.g. float32) as their exact binary value; strings as ``"p/q"``, integers
        or exact decimals (``"0.125"``, ``"1e-3"``).
    name : str
        Name of the argument, used in error messages.

    Returns
    -------
    Fraction

    Raises
    ------
    NumberError
        For bools, NaN, infinities, zero denominators, and anything that is not a
        number.

    Notes
    -----
    O(size of the number). Floats are never rounded: ``Fraction(float)`` is exact.

    Examples
    --------
    >>> to_fraction("-2"), to_fraction(" 5/10 ")
    (Fraction(-2, 1), Fraction(1, 2))
    """
    # numpy is not imported here (it costs a tenth of a second at start-up): a value can
    # only be a numpy scalar if numpy has been imported by someone
    np = sys.modules.get("numpy")
    if isinstance(value, bool) or (np is not None and isinstance(value, np.bool_)):
        raise NumberError(f"{name}: booleans are not numbers (got {value!r})")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, flint.fmpq):
        return Fraction(int(value.p), int(value.q))
    if isinstance(value, flint.fmpz):
        return Fraction(int(value))
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise NumberError(f"{name}: empty string is not a number")
        low = text.lower()
        if "nan" in low or "inf" in low:
            raise NumberError(f"{name}: {value!r} is not a finite number")
        try:
            return Fraction(text)
        except ZeroDivisionError:
            raise NumberError(f"{name}: zero denominator in {value!r}") from None
        except ValueError:
            raise NumberError(f"{name}: cannot read {value!r} as an exact rational "
                              "(use 'p/q', an integer or a decimal)") from None
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NumberError(f"{name}: {value!r} is not a finite number")
        return Fraction(value)
    if isinstance(value, numbers.Integral):  # numpy integers
        return Fraction(int(value))
    if isinstance(value, numbers.Real):  # float, numpy floats (float16 .. longdouble)
        if np is not None and isinstance(value, np.floating):
            if not np.isfinite(value):
                raise NumberError(f"{name}: {value!r} is not a finite number")
            p, q = value.as_integer_ratio()  # exact, also for longdouble
            return Fraction(int(p), int(q))
        f = float(value)
        if math.isnan(f) or math.isinf(f):
            raise NumberError(f"{name}: {value!r} is not a finite number")
        return Fraction(f)
    raise NumberError(f"{name}: expected a number, got {type(value).__name__} {value!r}")


def format_fraction(value: Fraction | int) -> str:
    """Format an exact rational as ``"p/q"``, or ``"p"`` when it is an integer.

    Examples
    --------
    >>> format_fraction(Fraction(2, 4))
    '1/2'
    """
    q = Fraction(value)
    return str(q.numerator) if q.denominator == 1 else f"{q.numerator}/{q.denominator}"


def _coprime_constructor() -> Callable[[int, int], Fraction]:
    """How this Python builds a Fraction from a reduced pair without a second gcd:
    ``Fraction._from_coprime_ints`` (3.12+), ``Fraction(n, d, _normalize=False)`` (3.11),
    else the ordinary constructor (which reduces again: the same value, only slower)."""
    fast = getattr(Fraction, "_from_coprime_ints", None)
    if fast is not None:
        return cast(Callable[[int, int], Fraction], fast)
    make: Any = Fraction
    try:
        make(1, 2, _normalize=False)
    except TypeError:  # pragma: no cover - neither private constructor exists
        return Fraction
    return lambda n, d: make(n, d, _normalize=False)


_from_coprime = _coprime_constructor()


def coprime_fraction(num: int, den: int) -> Fraction:
    """Internal: ``Fraction(num, den)`` for a pair already in lowest terms with
    ``den > 0`` (e.g. from a GMP gcd), skipping the constructor's own gcd (about as
    costly as the sum that made the pair when they have thousands of bits).

    Examples
    --------
    >>> coprime_fraction(-3, 4)
    Fraction(-3, 4)
    """
    return _from_coprime(num, den)


def to_fmpq(value: Fraction | int) -> flint.fmpq:
    """Internal: a Fraction as a python-flint ``fmpq`` (never returned to users)."""
    if isinstance(value, int):
        return flint.fmpq(value)
    return flint.fmpq(value.numerator, value.denominator)


def from_fmpq(value: Any) -> Fraction:
    """Internal: a python-flint ``fmpq``/``fmpz`` back to a Fraction."""
    if isinstance(value, flint.fmpz):
        return Fraction(int(value))
    return Fraction(int(value.p), int(value.q))
