"""The one switch between the compiled core and its Python twins.

The engine's inner loops exist twice: compiled (``_fast.pyx``, Cython with GMP arithmetic,
built by ``setup.py`` when a C compiler is present) and in pure Python
(:mod:`exactpoly.complex._kernels_py`, the same algorithms line for line). This module
decides once, at import, which one the engine calls, in the spirit of sympy's
``external/gmpy.py``:

- the compiled module when it is built, unless the environment variable
  ``EXACTPOLY_PURE_PYTHON`` is set to a non-empty value other than ``0``;
- the Python twins otherwise (identical results, slower).

The engine calls every kernel through this module's attributes (``kernels.next_cut(...)``),
so :func:`pure_python` switches a whole process, forked workers included, for the tests
that compare both paths. :data:`COMPILED` tells which path is in use.

>>> from exactpoly.complex import kernels
>>> kernels.sum_fractions([(1, 2), (1, 3)])
(5, 6)
>>> with kernels.pure_python():
...     kernels.COMPILED, kernels.sum_fractions([(1, 2), (1, 3)])
(False, (5, 6))
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType
from typing import Any

from ..geometry.rows import IntRow
from . import _kernels_py as _py
from ._kernels_py import Child, FacetData

__all__ = ["COMPILED", "KERNELS", "is_available", "pure_python", "vertex_values", "affine_rows", "bit_changes",
           "next_cut", "sum_fractions", "region_order", "split_parts", "volume_numerator", "pulling_simplices",
           "pulling_count_volume"]

KERNELS = ("vertex_values", "affine_rows", "bit_changes", "next_cut", "sum_fractions", "region_order",
           "split_parts", "volume_numerator", "pulling_simplices", "pulling_count_volume")
"""The kernels this module switches, each ``kernels.NAME``."""

_fast: ModuleType | None
try:
    from . import _fast
except ImportError:  # pragma: no cover - built without a C compiler
    _fast = None


def is_available() -> bool:
    """True when the compiled core is built (whether or not it is in use)."""
    return _fast is not None


def _compiled_table(fast: Any) -> dict[str, Callable]:
    """The kernels of the compiled module *fast*, with the Python twins where it declines
    (more than 64 vertices or facets for the 3-d simplices, no vertex for the split, ``d > 64``
    or a count over 64 bits for the pulling walk) or has no version (``d != 3`` for simplices,
    ``d > 64`` for volumes)."""

    def split_parts(pts: tuple[IntRow, ...], allvals: list[tuple[int, ...]], facets: list[FacetData], t: int,
                    key: IntRow, nkey: IntRow, lab: frozenset) -> tuple[Child, Child]:
        parts = fast.split_parts(pts, allvals, facets, t, key, nkey, lab)
        return parts if parts is not None else _py.split_parts(pts, allvals, facets, t, key, nkey, lab)

    def volume_numerator(hom: tuple[IntRow, ...], simplices: Sequence[tuple[int, ...]], d: int) -> tuple[int, int]:
        if d == 3:
            return fast.volume_numerator_3d(tuple(hom), simplices)  # tuple(): a no-op on tuples
        if 0 < d <= 64:
            return fast.volume_numerator_nd(tuple(hom), simplices, d)
        return _py.volume_numerator(hom, simplices)

    def pulling_simplices(n: int, facets: list[tuple[int, ...]], d: int) -> list[tuple[int, ...]]:
        if d == 3:
            simplices = fast.pulling_simplices_3d(n, facets)
            if simplices is not None:  # None: more than 64 vertices or facets
                return simplices
        return _py.pulling_simplices(n, facets, d)

    def pulling_count_volume(n: int, facets: list[tuple[int, ...]], d: int, max_faces: int, max_simplices: int,
                             hom: tuple[IntRow, ...] | None, listing: bool = False
                             ) -> tuple[int, tuple[int, int] | None, list[tuple[int, ...]] | None]:
        got = fast.pulling_count_volume(n, facets, d, max_faces, max_simplices, hom, listing)
        if got is not None:  # None: d > 64 or a count over 64 bits
            return got
        return _py.pulling_count_volume(n, facets, d, max_faces, max_simplices, hom, listing)

    return {"pulling_count_volume": pulling_count_volume,
            "vertex_values": fast.vertex_values, "affine_rows": fast.affine_rows, "bit_changes": fast.bit_changes,
            "next_cut": fast.next_cut, "sum_fractions": fast.sum_fractions, "region_order": fast.region_order,
            "split_parts": split_parts, "volume_numerator": volume_numerator, "pulling_simplices": pulling_simplices}


def _python_volume_numerator(hom: tuple[IntRow, ...], simplices: Sequence[tuple[int, ...]], d: int
                             ) -> tuple[int, int]:
    return _py.volume_numerator(hom, simplices)


_PYTHON: dict[str, Callable] = {name: getattr(_py, name) for name in KERNELS}
_PYTHON["volume_numerator"] = _python_volume_numerator

vertex_values: Callable
affine_rows: Callable
bit_changes: Callable
next_cut: Callable
sum_fractions: Callable
region_order: Callable
split_parts: Callable
volume_numerator: Callable
pulling_simplices: Callable
pulling_count_volume: Callable
COMPILED: bool
"""True when the engine calls the compiled core."""


def _install(compiled: bool) -> None:
    global COMPILED
    globals().update(_compiled_table(_fast) if compiled else _PYTHON)
    COMPILED = compiled


@contextmanager
def pure_python() -> Iterator[None]:
    """Run the block on the Python twins (for tests comparing both paths), then restore the previous choice."""
    was = COMPILED
    _install(False)
    try:
        yield
    finally:
        _install(was)


_install(_fast is not None and os.environ.get("EXACTPOLY_PURE_PYTHON", "") in ("", "0"))
