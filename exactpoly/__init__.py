"""exactpoly: exact computational geometry of ReLU networks.

Activation regions, their facets, vertices, canonical triangulations, volumes and
adjacency, computed in rational arithmetic with no tolerance anywhere.

>>> from exactpoly import network_from_layers, region_complex
>>> net = network_from_layers(1, [([[1], [-1]], [0, 0]), ([[1, 1]], [0])])
>>> [r.pattern_string for r in region_complex(net, box=2).regions]
['01', '10']
"""

from .complex import Region, RegionComplex, RegionFacet, auto_box, complex_to_mapping, region_complex, summary
from .errors import DomainError, ExactpolyError, GeometryError, NetworkFormatError, NumberError, ShapeError
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
from .polyhedron import Facet, Polyhedron, polyhedron_from_box, polyhedron_from_rows
from .rational import format_fraction, to_fraction
from .triangulation import pulling_triangulation, simplex_volume

__version__ = "0.1.0"

__all__ = [
    "DomainError", "ExactpolyError", "Facet", "GeometryError", "INITIALISERS", "NetworkFormatError",
    "NumberError", "Polyhedron", "Region", "RegionComplex", "RegionFacet", "ReluNetwork", "ShapeError",
    "auto_box", "complex_to_mapping", "format_fraction", "network_from_layers", "network_from_mapping",
    "network_from_numpy", "network_to_mapping", "parse_architecture", "permute_neurons",
    "polyhedron_from_box", "polyhedron_from_rows", "pulling_triangulation", "random_network",
    "read_network", "region_complex", "rescale_neuron", "simplex_volume", "summary", "to_fraction",
    "write_network",
]
