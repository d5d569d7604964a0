"""Exact polyhedral geometry, the bottom layer: integer rows, exact linear algebra (python-flint
inside), double description (the only user of ``cdd.gmp``), polyhedra and triangulations.

- :mod:`~exactpoly.geometry.rows`: ``IntRow``, dot products, primitive rows, hyperplane keys;
- :mod:`~exactpoly.geometry.linalg`: exact rank, determinant, primitive vectors;
- :mod:`~exactpoly.geometry.dd`: the V-representation, hull facets, strict feasibility (cdd);
- :mod:`~exactpoly.geometry.polyhedron`: :class:`~exactpoly.geometry.polyhedron.Polyhedron` and facets;
- :mod:`~exactpoly.geometry.triangulation`: lexicographic pulling and exact Delaunay triangulations.
"""
