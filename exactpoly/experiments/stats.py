"""Facet histograms of region complexes, and the statistics the experiments report.

A *facet histogram* is ``((k, number of regions with k facets), ...)`` with k
increasing (box walls count as facets, docs/conventions.md). :func:`complex_histogram`
reads it off a region complex. Its statistics (Section V of arXiv 2305.09145: mean and
maximum number of faces, the share of *simple* regions, Preliminary 3) are those of
:class:`~exactpoly.facet_statistics.FacetStatistics`, shared by
:class:`~exactpoly.experiments.histograms.FacetHistogram`,
:class:`~exactpoly.experiments.training.EpochStats` and
:class:`~exactpoly.complex.stream.StreamStatistics`; it and
:func:`~exactpoly.rational.decimal_string` are re-exported here.

Examples
--------
>>> from exactpoly import network_from_layers, region_complex
>>> complex_histogram(region_complex(network_from_layers(1, [([[1]], ["1/2"]), ([[1]], [0])]), box=1))
{2: 2}
"""

from __future__ import annotations

from collections import Counter

from ..facet_statistics import FacetStatistics
from ..rational import decimal_string

__all__ = ["FacetStatistics", "complex_histogram", "decimal_string"]


def complex_histogram(cx) -> dict[int, int]:
    """``{k: number of regions of cx with k facets}``, k increasing.

    O(regions) plus sorting the distinct facet counts.

    >>> from exactpoly import network_from_layers, region_complex
    >>> complex_histogram(region_complex(network_from_layers(2, [([[1, 0]], [0]), ([[1]], [0])]), box=1))
    {4: 2}
    """
    hist = Counter(r.n_facets for r in cx.regions)
    return {k: hist[k] for k in sorted(hist)}
