"""split.sides_on: the signs a row takes on a polyhedron given by its generators."""

from __future__ import annotations

import pytest

from exactpoly.complex.split import sides_on
from exactpoly.geometry.dd import Generators

# the half-plane x >= 0 of R^2: the point (0, 0), the ray +x, the line along y (homogeneous: (q, q·v))
HALF_PLANE = Generators(((1, 0, 0),), ((0, 1, 0),), ((0, 0, 1),))
# the quadrant x, y >= 0 with apex (1, 1): no line
QUADRANT = Generators(((1, 1, 1),), ((0, 1, 0), (0, 0, 1)), ())


@pytest.mark.parametrize("g, row, expected", [
    (HALF_PLANE, (0, 1, 0), (True, False)),     # x: positive along the ray, zero at the point
    (HALF_PLANE, (1, -1, 0), (True, True)),     # 1 - x: positive at the point, negative far along the ray
    (HALF_PLANE, (1, 0, 1), (True, True)),      # 1 + y: both signs along the line
    (HALF_PLANE, (-1, 0, 0), (False, True)),    # the constant -1
    (QUADRANT, (-2, 1, 1), (True, False)),      # x + y - 2: zero at the apex, positive along both rays
    (QUADRANT, (0, 1, -1), (True, True)),       # x - y: zero at the apex, each sign along one ray
    (QUADRANT, (-3, 1, 0), (True, True)),       # x - 3: negative at the apex, positive along +x
])
def test_sides_on_reads_points_rays_and_lines(g, row, expected):
    assert sides_on(row, g) == expected
