"""Tests of exactpoly.rational: exact parsing and formatting of numbers."""

from decimal import Decimal
from fractions import Fraction

import flint
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from exactpoly.errors import NumberError
from exactpoly.rational import format_fraction, from_fmpq, to_fmpq, to_fraction


@pytest.mark.parametrize("value, expected", [
    ("3/7", Fraction(3, 7)),
    ("-2", Fraction(-2)),
    ("0.125", Fraction(1, 8)),
    ("1e-3", Fraction(1, 1000)),
    (" 5/10 ", Fraction(1, 2)),
    ("-0.1", Fraction(-1, 10)),
    (7, Fraction(7)),
    (-(10 ** 30), Fraction(-(10 ** 30))),
    (Fraction(2, 6), Fraction(1, 3)),
    (0.25, Fraction(1, 4)),
    (Decimal("0.1"), Fraction(1, 10)),
    (np.int64(-4), Fraction(-4)),
    (np.float64(0.5), Fraction(1, 2)),
    (flint.fmpq(2, 3), Fraction(2, 3)),
    (flint.fmpz(5), Fraction(5)),
])
def test_accepts(value, expected):
    result = to_fraction(value, name="x")
    assert result == expected
    assert type(result) is Fraction


def test_floats_are_taken_exactly():
    assert to_fraction(0.1) == Fraction(3602879701896397, 36028797018963968)
    assert to_fraction(np.float32(0.1)) == Fraction(13421773, 134217728)
    assert to_fraction(np.float32(0.1)) == Fraction(float(np.float32(0.1)))
    assert to_fraction(np.float16(0.1)) == Fraction(819, 8192)
    assert to_fraction(1e300) == Fraction(int(1e300))
    assert to_fraction(5e-324) == Fraction(1, 2 ** 1074)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_any_finite_float_is_exact(x):
    q = to_fraction(x)
    assert q == Fraction(x)
    assert float(q) == x


@pytest.mark.parametrize("value", [
    float("nan"), float("inf"), float("-inf"), np.float32("nan"), np.float64("-inf"),
    "nan", "NaN", "inf", "-inf", "Infinity", "-Infinity",
    True, False, np.True_, np.False_,
    "1/0", "abc", "", "   ", None, "1/2/3", [1], {}, 1j, Decimal("NaN"), Decimal("Infinity"),
])
def test_rejects(value):
    with pytest.raises(NumberError, match="my_arg"):
        to_fraction(value, name="my_arg")


def test_number_error_is_value_error():
    with pytest.raises(ValueError):
        to_fraction("abc")


@given(st.fractions())
def test_format_fraction_round_trips(q):
    text = format_fraction(q)
    assert to_fraction(text) == q
    assert ("/" in text) == (q.denominator != 1)


@pytest.mark.parametrize("value, text", [
    (Fraction(-6, 4), "-3/2"), (Fraction(5), "5"), (0, "0"), (-3, "-3"), (Fraction(1, 3), "1/3"),
])
def test_format_fraction_examples(value, text):
    assert format_fraction(value) == text


@given(st.fractions())
def test_flint_round_trip(q):
    back = from_fmpq(to_fmpq(q))
    assert back == q and type(back) is Fraction
