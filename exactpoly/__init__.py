"""exactpoly: exact computational geometry of ReLU networks.

Activation regions, their facets, vertices, canonical triangulations, volumes and
adjacency, computed in rational arithmetic with no tolerance anywhere.

This namespace holds the core API. The subpackages, from the bottom layer up (each
imports only those below it): :mod:`~exactpoly.geometry` (rows, exact linear algebra,
double description, polyhedra, triangulations), :mod:`~exactpoly.complex` (the region
complex engine), :mod:`~exactpoly.arrangements` (hyperplane arrangements and their
invariants), :mod:`~exactpoly.theory` (the bounds and constructions of the papers),
:mod:`~exactpoly.experiments` (tables, histograms, sampling, training), :mod:`~exactpoly.io`
(exports, PyTorch import, atomic files) and :mod:`~exactpoly.cli`.

>>> from exactpoly import network_from_layers, region_complex
>>> net = network_from_layers(1, [([[1], [-1]], [0, 0]), ([[1, 1]], [0])])
>>> [r.pattern_string for r in region_complex(net, box=2).regions]
['01', '10']
"""

from . import _compat  # noqa: F401 - installs the finder that keeps the old import paths working
from .complex import Region, RegionComplex, RegionFacet, auto_box, region_complex
from .complex.point_region import CertifiedRegion, check_certificates, region_at
from .errors import DomainError, ExactpolyError, GeometryError, NetworkFormatError, NumberError, ShapeError
from .geometry.polyhedron import Facet, Polyhedron, polyhedron_from_box, polyhedron_from_rows
from .geometry.triangulation import pulling_triangulation, simplex_volume
from .io.export import complex_to_mapping, summary
from .network import (
    INITIALISERS,
    ReluNetwork,
    network_from_layers,
    network_from_mapping,
    network_from_numpy,
    network_to_mapping,
    parse_architecture,
    permute_neurons,
    random_network,
    read_network,
    rescale_neuron,
    write_network,
)
from .rational import format_fraction, to_fraction

__all__ = [
    "__version__", "DomainError", "ExactpolyError", "Facet", "GeometryError", "INITIALISERS", "NetworkFormatError",
    "NumberError", "Polyhedron", "Region", "RegionComplex", "RegionFacet", "ReluNetwork", "ShapeError",
    "auto_box", "complex_to_mapping", "format_fraction", "network_from_layers", "network_from_mapping",
    "network_from_numpy", "network_to_mapping", "parse_architecture", "permute_neurons",
    "polyhedron_from_box", "polyhedron_from_rows", "pulling_triangulation", "random_network",
    "read_network", "region_complex", "rescale_neuron", "simplex_volume", "summary", "to_fraction",
    "write_network",
    "CertifiedRegion", "check_certificates", "region_at",
]


def __getattr__(name: str):
    """``__version__`` from the installed package's metadata, read on first use (no start-up cost)."""
    if name == "__version__":
        from ._metadata import package_version

        globals()["__version__"] = value = package_version()
        return value
    raise AttributeError(f"module 'exactpoly' has no attribute {name!r}")
