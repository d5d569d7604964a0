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

Every number read is bounded in size (:func:`max_digits`, ``docs/limits.md``): at most
``EXACTPOLY_MAX_DIGITS`` (default 4300) digits in its numerator and in its denominator,
and a decimal exponent of at most that magnitude, checked before any big arithmetic.
"""

from __future__ import annotations

import math
import numbers
import os
import sys
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any, cast

import flint

from .errors import NumberError
from .settings import positive_int_setting

__all__ = ["Fraction", "to_fraction", "format_fraction", "format_ratio", "decimal_string", "to_fmpq", "from_fmpq",
           "max_digits", "dyadic_point", "MAX_DIGITS_VARIABLE", "DEFAULT_MAX_DIGITS"]

#: Environment variable that sets the size limit on every exact number read (:func:`max_digits`).
MAX_DIGITS_VARIABLE = "EXACTPOLY_MAX_DIGITS"
#: The default limit: Python's own default limit on int <-> str conversion, beyond which
#: exact double description (pycddlib converts through strings) and printing fail anyway.
DEFAULT_MAX_DIGITS = 4300
_SHOWN_CHARS = 40  # an error quotes at most this much of a bad value


def max_digits() -> int:
    """The size limit on exact numbers: ``EXACTPOLY_MAX_DIGITS``, else 4300.

    :func:`to_fraction` rejects a number whose numerator or denominator has more
    digits than this, a string or Decimal written with more digits than this in a
    numerator, denominator or mantissa, and a decimal exponent larger than this in
    magnitude; the checks come before any big arithmetic, so ``"1e999999999999"``
    fails at once instead of computing ``10**999999999999``.

    Returns
    -------
    int

    Raises
    ------
    NumberError
        When ``EXACTPOLY_MAX_DIGITS`` is set but is not a positive integer.

    Notes
    -----
    O(1): the variable is read on every call and its parsed value cached.

    Examples
    --------
    >>> import os
    >>> max_digits() == int(os.environ.get("EXACTPOLY_MAX_DIGITS", "4300"))
    True
    """
    return _parse_limit(os.environ.get(MAX_DIGITS_VARIABLE))


@lru_cache(maxsize=8)
def _parse_limit(raw: str | None) -> int:
    # raw is the cache key; the setting is read (and checked) by the one reader of limits
    return positive_int_setting(MAX_DIGITS_VARIABLE, DEFAULT_MAX_DIGITS, NumberError, " (a number of digits)")


@lru_cache(maxsize=8)
def _power_of_ten(k: int) -> int:
    return 10 ** k


def _has_at_most_digits(n: int, limit: int) -> bool:
    """``|n| < 10**limit`` without building ``10**limit`` unless *n* is about that size: O(size of n)."""
    bits = abs(n).bit_length()
    if bits * 1000000 <= limit * 3321928:  # 2**bits <= 10**limit (log2(10) > 3.321928)
        return True
    if (bits - 1) * 1000000 >= limit * 3321929:  # |n| >= 2**(bits-1) >= 10**limit
        return False
    return abs(n) < _power_of_ten(limit)


def _shown(value: Any) -> str:
    """*value* for an error message: its repr, cut to a short prefix (a bad value may be megabytes)."""
    if isinstance(value, int) and not _has_at_most_digits(value, _SHOWN_CHARS):
        return f"an integer of about {int(abs(value).bit_length() * 0.30103) + 1} digits"
    if isinstance(value, Fraction) and not (_has_at_most_digits(value.numerator, _SHOWN_CHARS)
                                            and _has_at_most_digits(value.denominator, _SHOWN_CHARS)):
        return (f"a Fraction of about {int(abs(value.numerator).bit_length() * 0.30103) + 1}"
                f"/{int(value.denominator.bit_length() * 0.30103) + 1} digits")
    if isinstance(value, str) and len(value) > _SHOWN_CHARS:
        return f"{value[:_SHOWN_CHARS]!r}... ({len(value)} characters)"
    try:
        text = repr(value)
    except ValueError:  # e.g. a container holding an integer too large to print
        return f"<{type(value).__name__} too large to print>"
    return text if len(text) <= _SHOWN_CHARS else f"{text[:_SHOWN_CHARS]}... ({len(text)} characters)"


def _too_large(name: str, value: Any, what: str, limit: int) -> NumberError:
    return NumberError(f"{name}: {_shown(value)} is too large: {what}; exact numbers are limited to {limit} digits "
                       f"(numerator, denominator, exponent), set by the environment variable {MAX_DIGITS_VARIABLE}")


def _beyond_python(name: str, value: Any, what: str, python_limit: int) -> NumberError:
    return NumberError(f"{name}: {_shown(value)} has {what}, more than Python converts between int and str "
                       f"(sys.get_int_max_str_digits() = {python_limit}); set the environment variable "
                       f"PYTHONINTMAXSTRDIGITS as well as {MAX_DIGITS_VARIABLE} to raise it")


def _n_decimal_digits(text: str) -> int:
    return sum(1 for ch in text if ch.isdecimal())


def _check_written_size(text: str, value: Any, name: str, limit: int) -> None:
    """Reject a number string whose digit runs or exponent exceed *limit*, before it is evaluated.

    O(len(text)). Only sizes are read; a string that is not a number is left to the parser.
    """
    python_limit = sys.get_int_max_str_digits()
    if "/" in text:
        parts = dict(zip(("numerator", "denominator"), text.split("/", 1)))
    else:
        mantissa, e, exponent = text.replace("E", "e").partition("e")
        parts = {"mantissa": mantissa}
        if e:
            digits = exponent[1:] if exponent[:1] in "+-" else exponent
            digits = digits.replace("_", "").lstrip("0")
            if digits.isdecimal() and (len(digits) > len(str(limit)) or int(digits) > limit):
                raise _too_large(name, value, f"its exponent is beyond +-{limit}", limit)
    for part, run in parts.items():
        if len(run) <= min(limit, python_limit or limit):
            continue
        n = _n_decimal_digits(run)
        if n > limit:
            raise _too_large(name, value, f"its {part} has {n} digits", limit)
        if python_limit and n > python_limit:
            raise _beyond_python(name, value, f"{n} digits in its {part}", python_limit)


def _checked(q: Fraction, value: Any, name: str, limit: int) -> Fraction:
    """*q* if its numerator and denominator have at most *limit* digits, else NumberError. O(size of q).

    When *limit* was raised above Python's own limit on int <-> str conversion, that one
    applies too (exact double description and output convert through strings), named."""
    python_limit = sys.get_int_max_str_digits()
    for part, n in (("numerator", q.numerator), ("denominator", q.denominator)):
        if not _has_at_most_digits(n, limit):
            raise _too_large(name, value, f"its {part} has more than {limit} digits", limit)
        if python_limit and python_limit < limit and not _has_at_most_digits(n, python_limit):
            raise _beyond_python(name, value, f"more than {python_limit} digits in its {part}", python_limit)
    return q


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
        For bools, NaN, infinities, zero denominators, anything that is not a
        number, and numbers beyond the size limit of :func:`max_digits` (more
        digits in the numerator or denominator, or a larger decimal exponent);
        the message names the limit and quotes at most a short prefix of *value*.

    Notes
    -----
    O(size of the number); a string's sizes are checked in O(its length) before it
    is evaluated. Floats are never rounded: ``Fraction(float)`` is exact.

    Examples
    --------
    >>> to_fraction("-2"), to_fraction(" 5/10 ")
    (Fraction(-2, 1), Fraction(1, 2))
    >>> to_fraction("1e999999999999", name="box")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    exactpoly.errors.NumberError: box: '1e999999999999' is too large: its exponent is beyond +-4300; ...
    """
    limit = max_digits()
    # numpy is not imported here (it costs a tenth of a second at start-up): a value can
    # only be a numpy scalar if numpy has been imported by someone
    np = sys.modules.get("numpy")
    if isinstance(value, bool) or (np is not None and isinstance(value, np.bool_)):
        raise NumberError(f"{name}: booleans are not numbers (got {value!r})")
    if isinstance(value, Fraction):
        return _checked(value, value, name, limit)
    if isinstance(value, int):
        return _checked(Fraction(value), value, name, limit)
    if isinstance(value, flint.fmpq):
        return _checked(Fraction(int(value.p), int(value.q)), value, name, limit)
    if isinstance(value, flint.fmpz):
        return _checked(Fraction(int(value)), value, name, limit)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise NumberError(f"{name}: empty string is not a number")
        low = text.lower()
        if "nan" in low or "inf" in low:
            raise NumberError(f"{name}: {_shown(value)} is not a finite number")
        _check_written_size(text, value, name, limit)
        try:
            q = Fraction(text)
        except ZeroDivisionError:
            raise NumberError(f"{name}: zero denominator in {_shown(value)}") from None
        except ValueError:
            raise NumberError(f"{name}: cannot read {_shown(value)} as an exact rational "
                              "(use 'p/q', an integer or a decimal)") from None
        return _checked(q, value, name, limit)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise NumberError(f"{name}: {_shown(value)} is not a finite number")
        _sign, digits, exponent = value.as_tuple()
        if len(digits) > limit:
            raise _too_large(name, value, f"its mantissa has {len(digits)} digits", limit)
        if abs(int(exponent)) > limit:
            raise _too_large(name, value, f"its exponent is beyond +-{limit}", limit)
        return _checked(Fraction(value), value, name, limit)
    if isinstance(value, numbers.Integral):  # numpy integers
        return _checked(Fraction(int(value)), value, name, limit)
    if isinstance(value, numbers.Real):  # float, numpy floats (float16 .. longdouble)
        if np is not None and isinstance(value, np.floating):
            if not np.isfinite(value):
                raise NumberError(f"{name}: {value!r} is not a finite number")
            p, q = value.as_integer_ratio()  # exact, also for longdouble
            return _checked(Fraction(int(p), int(q)), value, name, limit)
        f = float(value)
        if math.isnan(f) or math.isinf(f):
            raise NumberError(f"{name}: {_shown(value)} is not a finite number")
        return _checked(Fraction(f), value, name, limit)
    raise NumberError(f"{name}: expected a number, got {type(value).__name__} {_shown(value)}")


def format_fraction(value: Fraction | int) -> str:
    """Format an exact rational as ``"p/q"``, or ``"p"`` when it is an integer.

    Results may be much larger than inputs (a volume is ``(2B)^d``), so integers beyond
    Python's limit on int-to-str conversion (``sys.get_int_max_str_digits()``) are
    written by GMP instead of raising ValueError.

    Notes
    -----
    O(n^2) in the number n of digits below Python's limit, quasi-linear (GMP) above it.

    Examples
    --------
    >>> format_fraction(Fraction(2, 4))
    '1/2'
    >>> len(format_fraction(Fraction(1, 10 ** 5000)))
    5003
    """
    q = value if type(value) is Fraction else Fraction(value)
    num = _int_text(q.numerator)
    return num if q.denominator == 1 else f"{num}/{_int_text(q.denominator)}"


def decimal_string(value: Fraction | int, places: int = 3) -> str:
    """*value* rounded (half away from zero, exactly) to *places* decimals, for display.

    O(digits of *value*) integer operations.

    >>> decimal_string(Fraction(73, 19)), decimal_string(Fraction(-1, 8), 2), decimal_string(2, 1)
    ('3.842', '-0.13', '2.0')
    """
    q = Fraction(value) * 10 ** places
    n = (abs(q.numerator) * 2 + q.denominator) // (2 * q.denominator)
    sign = "-" if q < 0 and n else ""
    s = str(n).rjust(places + 1, "0")
    return f"{sign}{s[:-places]}.{s[-places:]}" if places else f"{sign}{s}"


def format_ratio(numerator: int, denominator: int) -> str:
    """``format_fraction(Fraction(numerator, denominator))`` without building the Fraction.

    For writing homogeneous integer points ``(q, p_1, ..., p_d)`` as ``"p/q"`` text in bulk.

    Raises
    ------
    ZeroDivisionError
        When *denominator* is 0.

    Notes
    -----
    One gcd; O(n^2) in the number n of digits, like :func:`format_fraction`.

    Examples
    --------
    >>> format_ratio(6, -4), format_ratio(0, 7), format_ratio(-8, 2)
    ('-3/2', '0', '-4')
    """
    if denominator == 0:
        raise ZeroDivisionError("format_ratio: denominator is 0")
    g = math.gcd(numerator, denominator)
    if denominator < 0:
        g = -g
    numerator //= g
    denominator //= g
    num = _int_text(numerator)
    return num if denominator == 1 else f"{num}/{_int_text(denominator)}"


def _int_text(n: int) -> str:
    """``str(n)``, through GMP when *n* has more digits than Python converts."""
    try:
        return str(n)
    except ValueError:
        return str(flint.fmpz(n))


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


def dyadic_point(values: Any, bits: int = 60) -> tuple[int, ...]:
    """Internal: a float vector rounded to a dyadic grid, as a homogeneous integer point.

    Returns ``(2^k, n_1, ..., n_d)`` with ``n_j = round(v_j 2^k)`` (k the largest integer
    with every ``|n_j| < 2^bits``; k may be negative, then the point is ``(1, n_j 2^-k)``).
    The rounding is deliberate: floating-point LP solutions only *propose* points, which
    are then checked exactly, and a coarse grid keeps the exact checks cheap. Only the
    float's exact value is used (scaling by a power of two and ``rint`` are exact in
    binary floating point). O(d); NaN or infinity: NumberError.

    >>> dyadic_point([0.5, -0.25, 3.0], bits=8)
    (32, 16, -8, 96)
    """
    import numpy as np

    v = np.asarray(values, dtype=np.float64)
    if not np.all(np.isfinite(v)):
        raise NumberError("values: NaN or infinity in a floating-point proposal")
    top = float(np.max(np.abs(v))) if v.size else 0.0
    e = math.frexp(top)[1] if top else 0  # top < 2^e
    k = bits - 1 - e
    n = np.rint(np.ldexp(v, k)).astype(np.int64).tolist()
    if k >= 0:
        return (1 << k, *n)
    return (1, *[t << -k for t in n])
