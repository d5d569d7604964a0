"""Hyperplane arrangements: :class:`~exactpoly.arrangements.arrangement.Arrangement`, its intersection
poset, Möbius function, characteristic polynomial, Zaslavsky and Stanley counts, face vectors, the
layer-by-layer checks of a region complex, and a catalog of classic arrangements with closed forms.

- :mod:`~exactpoly.arrangements.arrangement`: values, invariants, files, ``check_layer_counts``;
- :mod:`~exactpoly.arrangements.catalog`: braid, Shi, Catalan, generic, coordinate, ... arrangements.
"""
