"""Affine hyperplane arrangements over the rationals: exact combinatorial invariants.

This module gathers the public names of the arrangement modules, which hold them:

- :mod:`~exactpoly.arrangements.hyperplanes`: :class:`Hyperplane`, :class:`Arrangement`,
  their constructors and JSON files;
- :mod:`~exactpoly.arrangements.poset`: :class:`Flat`, :class:`IntersectionPoset`, the
  Möbius function;
- :mod:`~exactpoly.arrangements.operations`: deletion, restriction, direct sum,
  essentialization;
- :mod:`~exactpoly.arrangements.invariants`: the characteristic polynomial, Zaslavsky and
  Stanley counts (in R^d or inside an open convex set), face vectors, general position;
- :mod:`~exactpoly.arrangements.layer_checks`: :func:`check_layer_counts` of a region complex.

Everything is exact (docs/conventions.md, "Rows and hyperplanes"). References: Zaslavsky,
*Facing up to arrangements*, Mem. AMS 154 (1975); Stanley, *An Introduction to Hyperplane
Arrangements* (2007), Theorem 2.4 (Whitney) and Theorem 2.5 (Zaslavsky), both quoted as
Lemma 5 of arXiv 2305.09145; Lemma 1 of arXiv 2305.09145 is Zaslavsky's bound.

Examples
--------
>>> from exactpoly.geometry.polyhedron import polyhedron_from_box
>>> A = arrangement_from_rows([(0, 1, 0), (0, 0, 1), (-1, 1, 1)])   # x=0, y=0, x+y=1
>>> characteristic_polynomial(A)
Poly(t**2 - 3*t + 3, t, domain='ZZ')
>>> n_regions(A), n_bounded_regions(A), face_vector(A)
(7, 1, [3, 9, 7])
>>> n_regions(A, domain=polyhedron_from_box("1/4", 2))   # only x=0 and y=0 cut (-1/4, 1/4)^2
4
"""

from __future__ import annotations

from ..errors import ArrangementFormatError
from .hyperplanes import (
    ARRANGEMENT_FORMAT_TAG,
    Arrangement,
    Hyperplane,
    arrangement_from_mapping,
    arrangement_from_network,
    arrangement_from_rows,
    arrangement_to_mapping,
    hyperplane_from_row,
    read_arrangement,
    write_arrangement,
)
from .invariants import (
    T,
    arrangement_rank,
    arrangement_summary,
    characteristic_polynomial,
    face_vector,
    format_polynomial,
    is_central,
    is_essential,
    is_general_position,
    n_bounded_regions,
    n_regions,
    n_regions_central_subsets,
    whitney_numbers,
    zaslavsky_bound,
)
from .layer_checks import CountCheck, CountReport, check_layer_counts
from .operations import deletion, direct_sum, essentialization, restriction
from .poset import Flat, IntersectionPoset, intersection_poset, mobius

__all__ = [
    "ARRANGEMENT_FORMAT_TAG",
    "Arrangement",
    "ArrangementFormatError",
    "CountCheck",
    "CountReport",
    "Flat",
    "Hyperplane",
    "IntersectionPoset",
    "T",
    "arrangement_from_mapping",
    "arrangement_from_network",
    "arrangement_from_rows",
    "arrangement_rank",
    "arrangement_summary",
    "arrangement_to_mapping",
    "characteristic_polynomial",
    "check_layer_counts",
    "deletion",
    "direct_sum",
    "essentialization",
    "face_vector",
    "format_polynomial",
    "hyperplane_from_row",
    "intersection_poset",
    "is_central",
    "is_essential",
    "is_general_position",
    "mobius",
    "n_bounded_regions",
    "n_regions",
    "n_regions_central_subsets",
    "read_arrangement",
    "restriction",
    "whitney_numbers",
    "write_arrangement",
    "zaslavsky_bound",
]
