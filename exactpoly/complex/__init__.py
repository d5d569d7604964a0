"""The region complex engine: layer-by-layer subdivision into exact activation regions.

Public: :func:`region_complex`, :func:`auto_box`, :func:`box_threshold`, :func:`parse_box` and the values
:class:`RegionComplex`, :class:`Region`, :class:`RegionFacet` (``docs/conventions.md`` §1).

Modules, from the data model down to the compiled core:

- :mod:`~exactpoly.complex.regions`: the public data model;
- :mod:`~exactpoly.complex.build`: :func:`region_complex`, :func:`auto_box`, the layer loop;
- :mod:`~exactpoly.complex.split`: one parent split by one layer;
- :mod:`~exactpoly.complex.local_maps`: the local affine maps (integer rows);
- :mod:`~exactpoly.complex.adjacency`: the facet join (box) and layer-by-layer adjacency (R^d);
- :mod:`~exactpoly.complex.workers`: what worker processes run; cells into Regions;
- :mod:`~exactpoly.complex.sums`: exact volume sums with small denominators;
- :mod:`~exactpoly.complex.point_region`: the certified region at a point, any input dimension;
- :mod:`~exactpoly.complex.kernels`: the one switch between the compiled core ``_fast``
  and its Python twins ``_kernels_py`` (``EXACTPOLY_PURE_PYTHON=1``).

>>> from exactpoly.network import network_from_layers
>>> cx = region_complex(network_from_layers(1, [([[1], [-1]], [0, 0]), ([[1, 1]], [0])]), box=2)
>>> [r.pattern_string for r in cx.regions], cx.volume_total
(['01', '10'], Fraction(4, 1))
"""

from __future__ import annotations

import warnings
from typing import Any

from .build import auto_box, box_threshold, cyclic_gc_paused, parse_box, region_complex
from .regions import Region, RegionComplex, RegionFacet

__all__ = ["Region", "RegionComplex", "RegionFacet", "auto_box", "box_threshold", "cyclic_gc_paused", "parse_box",
           "region_complex"]

_MOVED = {"summary": "exactpoly.io.export", "complex_to_mapping": "exactpoly.io.export"}


def __getattr__(name: str) -> Any:
    """``exactpoly.complex.summary`` and ``complex_to_mapping`` moved to :mod:`exactpoly.io.export`
    (also in ``exactpoly``'s namespace); the old names still work, with a DeprecationWarning."""
    if name in _MOVED:
        import importlib

        warnings.warn(f"exactpoly.complex.{name} moved to {_MOVED[name]}.{name} (also exactpoly.{name}); "
                      "the old name will be removed", DeprecationWarning, stacklevel=2)
        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module 'exactpoly.complex' has no attribute {name!r}")
