"""parse_fixed_box: the fixed box ``[-B, B]^d`` that the experiments need, on top of parse_box."""

from __future__ import annotations

from fractions import Fraction

import pytest

from exactpoly.complex.build import parse_fixed_box
from exactpoly.errors import DomainError, ExactpolyError


@pytest.mark.parametrize("box, B", [(1, Fraction(1)), ("3/2", Fraction(3, 2)), (0.25, Fraction(1, 4))])
def test_parse_fixed_box_reads_positive_rationals(box, B):
    assert parse_fixed_box(box, "sampling needs") == B


@pytest.mark.parametrize("box, message", [
    ("auto", "box: sampling needs a fixed box [-B, B]^d (a positive rational), got 'auto'"),
    (" Auto ", "box: sampling needs a fixed box [-B, B]^d (a positive rational), got 'auto'"),
    (None, "box: sampling needs a bounded domain (a positive rational)"),
    (0, "box: the half-width B must be positive, got 0"),
    ("x", "box: cannot read 'x' as an exact rational (use 'p/q', an integer or a decimal); "
          "box must be a positive rational, 'auto' or None"),
])
def test_parse_fixed_box_refuses_naming_box_and_the_caller(box, message):
    with pytest.raises(DomainError) as e:
        parse_fixed_box(box, "sampling needs")
    assert str(e.value) == message and isinstance(e.value, ExactpolyError)
