"""Tests of exactpoly.rational: exact parsing and formatting of numbers."""

import sys
import time
from decimal import Decimal
from fractions import Fraction

import flint
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exactpoly.errors import NumberError
from exactpoly.rational import format_fraction, from_fmpq, max_digits, to_fmpq, to_fraction


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


# ---- the size limit on exact numbers (docs/limits.md, EXACTPOLY_MAX_DIGITS) ----

HUGE = [
    "1e999999999999", "1E-999999999999", "-1e+999999", "1e4301", "1e-4301", "1.5e99999",
    "1" * 10 ** 6, "1/" + "3" * 5000, "3" * 5000 + "/7", "0." + "0" * 5000 + "1", "1" + "_0" * 4400,
    10 ** 4300, -(10 ** 10 ** 6), Fraction(1, 3 ** 30000), Fraction(10 ** 5000, 7),
    Decimal("1e999999999999"), Decimal("1e-99999"), Decimal("1" * 5000),
    flint.fmpz(10) ** 5000, flint.fmpq(1, 3) ** 10000, np.longdouble(2) ** -16000,
]


@pytest.mark.parametrize("value", HUGE, ids=range(len(HUGE)))
def test_rejects_numbers_beyond_the_limit_quickly_and_briefly(value):
    t0 = time.perf_counter()
    with pytest.raises(NumberError, match="my_arg: .* is too large: .*EXACTPOLY_MAX_DIGITS") as info:
        to_fraction(value, name="my_arg")
    assert time.perf_counter() - t0 < 5  # checked before the arithmetic (10**999999999999 never ends)
    message = str(info.value)
    assert len(message) < 300 and "\n" not in message  # quotes a prefix of the value, never all of it


@pytest.mark.parametrize("value, expected", [
    ("1e4299", Fraction(10 ** 4299)),
    ("1e-4299", Fraction(1, 10 ** 4299)),
    ("9" * 4300, Fraction(10 ** 4300 - 1)),
    ("1/" + "9" * 4300, Fraction(1, 10 ** 4300 - 1)),
    (-(10 ** 4300 - 1), Fraction(-(10 ** 4300 - 1))),
    ("1e" + "0" * 50 + "5", Fraction(10 ** 5)),  # leading zeros of an exponent are no size
    (Decimal("1e4299"), Fraction(10 ** 4299)),
    (5e-324, Fraction(1, 2 ** 1074)),
    (np.longdouble(2) ** -1000, Fraction(1, 2 ** 1000)),
])
def test_accepts_numbers_at_the_limit(value, expected):
    assert to_fraction(value) == expected


def test_limit_is_set_by_the_environment(monkeypatch):
    monkeypatch.setenv("EXACTPOLY_MAX_DIGITS", "3")
    assert max_digits() == 3
    assert to_fraction("999") == 999 and to_fraction("1e2") == 100 and to_fraction("1/999") == Fraction(1, 999)
    for value in ("1000", "1e3", "1e-3", "1/1000", 1000, Fraction(1, 1000), 0.1, "0.0001", Decimal("1e4")):
        with pytest.raises(NumberError, match="EXACTPOLY_MAX_DIGITS"):
            to_fraction(value)
    monkeypatch.setenv("EXACTPOLY_MAX_DIGITS", "20000")
    for value in ("1" * 5000, 10 ** 10000, Fraction(1, 3 ** 10000)):
        with pytest.raises(NumberError, match="PYTHONINTMAXSTRDIGITS"):  # Python's own limit, named
            to_fraction(value)
    old_python_limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        assert to_fraction(10 ** 10000) == 10 ** 10000
        assert to_fraction("1e19999") == 10 ** 19999
        with pytest.raises(NumberError, match="EXACTPOLY_MAX_DIGITS"):
            to_fraction("1e20000")
    finally:
        sys.set_int_max_str_digits(old_python_limit)
    monkeypatch.delenv("EXACTPOLY_MAX_DIGITS")
    assert max_digits() == 4300


@pytest.mark.parametrize("raw", ["abc", "0", "-5", "1.5", "9" * 100])
def test_bad_limit_setting_is_named(monkeypatch, raw):
    monkeypatch.setenv("EXACTPOLY_MAX_DIGITS", raw)
    with pytest.raises(NumberError, match="EXACTPOLY_MAX_DIGITS: expected a positive integer"):
        to_fraction("1")


@pytest.mark.parametrize("value", ["x" * 10 ** 6, "nan" * 10 ** 5, "1/0" + " " * 10 ** 5 + "0", [10 ** 5000]])
def test_error_messages_quote_a_short_prefix(value):
    with pytest.raises(NumberError) as info:
        to_fraction(value, name="w")
    assert len(str(info.value)) < 200


def test_format_fraction_beyond_pythons_string_limit():
    big = Fraction(10 ** 9000 + 1, 3 ** 10000)
    text = format_fraction(big)
    num, den = text.split("/")
    assert num == "1" + "0" * 8999 + "1"
    assert len(den) == 4772 and int(den[:40]) == 3 ** 10000 // 10 ** (4772 - 40)
    assert int(den[-40:]) == 3 ** 10000 % 10 ** 40
    assert format_fraction(-(10 ** 9000)) == "-1" + "0" * 9000


@settings(max_examples=300, deadline=None)
@given(st.integers(), st.integers().filter(lambda q: q != 0))
def test_format_ratio_is_format_fraction_of_the_fraction(p, q):
    from exactpoly.rational import format_ratio

    assert format_ratio(p, q) == format_fraction(Fraction(p, q))


def test_format_ratio_refuses_a_zero_denominator():
    from exactpoly.rational import format_ratio

    with pytest.raises(ZeroDivisionError, match="denominator"):
        format_ratio(1, 0)
