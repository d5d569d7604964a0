"""Statistics of a facet histogram: the one implementation behind face histograms, training
runs and streamed complexes.

A *facet histogram* is ``((k, number of regions with k facets), ...)`` with k
increasing (box walls count as facets, docs/conventions.md). Section V of arXiv
2305.09145 summarises it by the mean and maximum number of faces and by the share of
*simple* regions, those with fewer faces than Γ/2, Γ the number of hidden neurons
(Preliminary 3). :class:`FacetStatistics` gives these, exactly, to the frozen
dataclasses that hold a histogram:
:class:`~exactpoly.experiments.histograms.FacetHistogram`,
:class:`~exactpoly.experiments.training.EpochStats` and
:class:`~exactpoly.complex.stream.StreamStatistics`.

Examples
--------
>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Pooled(FacetStatistics):
...     histogram: tuple[tuple[int, int], ...]
...     n_neurons: int
...     n_regions: int
>>> s = Pooled(((3, 1), (4, 2)), 8, 3)
>>> s.facets_total, s.mean_facets, s.max_facets, s.threshold, s.n_simple, s.simple_share
(11, Fraction(11, 3), 4, Fraction(4, 1), 1, Fraction(1, 3))
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .rational import decimal_string, format_fraction

__all__ = ["FacetStatistics"]


class FacetStatistics:
    """The statistics of a facet histogram, for frozen dataclasses that hold one.

    A class using it provides ``histogram`` (``(k, count)`` pairs, k increasing),
    ``n_neurons`` (Γ) and ``n_regions`` (the sum of the counts); it gets the exact
    statistics below as read-only properties, each O(len(histogram)), and
    :meth:`statistics_mapping` for its JSON form. It holds no state of its own.
    """

    __slots__ = ()

    histogram: tuple[tuple[int, int], ...]
    n_neurons: int
    if TYPE_CHECKING:  # a field of one class using this, a property of another

        @property
        def n_regions(self) -> int: ...

    @property
    def facets_total(self) -> int:
        """Sum over the regions of their #facets."""
        return sum(k * c for k, c in self.histogram)

    @property
    def mean_facets(self) -> Fraction:
        """Mean #facets per region (exact); 0 without regions."""
        return Fraction(self.facets_total, self.n_regions) if self.n_regions else Fraction(0)

    @property
    def max_facets(self) -> int:
        """The largest #facets of a region; 0 without regions."""
        return max((k for k, _ in self.histogram), default=0)

    @property
    def threshold(self) -> Fraction:
        """The simplicity threshold Γ/2 (Preliminary 3)."""
        return Fraction(self.n_neurons, 2)

    @property
    def n_simple(self) -> int:
        """Regions with #facets < Γ/2 (strictly, as in Preliminary 3)."""
        return sum(c for k, c in self.histogram if k < self.threshold)

    @property
    def simple_share(self) -> Fraction:
        """The share of simple regions (exact); 0 without regions."""
        return Fraction(self.n_simple, self.n_regions) if self.n_regions else Fraction(0)

    def statistics_mapping(self) -> dict[str, Any]:
        """The statistics as JSON-ready items: exact rationals as ``"p/q"`` strings, decimals beside them."""
        return {"regions": self.n_regions, "facets_total": self.facets_total,
                "facet_histogram": {str(k): c for k, c in self.histogram},
                "mean_facets": format_fraction(self.mean_facets),
                "mean_facets_decimal": decimal_string(self.mean_facets),
                "max_facets": self.max_facets, "neurons": self.n_neurons,
                "simplicity_threshold": format_fraction(self.threshold), "simple_regions": self.n_simple,
                "simple_share": format_fraction(self.simple_share),
                "simple_share_decimal": decimal_string(self.simple_share)}
