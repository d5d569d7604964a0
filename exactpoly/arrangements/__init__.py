"""Hyperplane arrangements: :class:`~exactpoly.arrangements.hyperplanes.Arrangement`, its intersection
poset, Möbius function, characteristic polynomial, Zaslavsky and Stanley counts, face vectors, the
layer-by-layer checks of a region complex, and a catalog of classic arrangements with closed forms.

- :mod:`~exactpoly.arrangements.hyperplanes`: hyperplane and arrangement values, constructors, files;
- :mod:`~exactpoly.arrangements.poset`: flats, the intersection poset, the Möbius function;
- :mod:`~exactpoly.arrangements.operations`: deletion, restriction, direct sum, essentialization;
- :mod:`~exactpoly.arrangements.invariants`: characteristic polynomial, region counts, face vectors;
- :mod:`~exactpoly.arrangements.layer_checks`: ``check_layer_counts`` of a region complex;
- :mod:`~exactpoly.arrangements.catalog`: braid, Shi, Catalan, generic, coordinate, ... arrangements;
- :mod:`~exactpoly.arrangements.arrangement`: all the public names of the first five in one place.
"""
