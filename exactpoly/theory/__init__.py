"""The theorems and constructions of the source papers, stated exactly and checked against the engine.

- :mod:`~exactpoly.theory.bounds`: every bound of arXiv 2305.09145 as a sympy expression with its
  hypotheses, and ``verify_network``;
- :mod:`~exactpoly.theory.constructions`: the Section IV networks (average and maximum #faces);
- :mod:`~exactpoly.theory.witnesses`: small networks witnessing the findings (Theorems 3, 11, 12, Theorem 1's step);
- :mod:`~exactpoly.theory.compositional`, :mod:`~exactpoly.theory.pieces`: 2^L-piece nets
  (arXiv 2311.18022) and the linear pieces of a complex;
- :mod:`~exactpoly.theory.fdim`: exact functional dimension (arXiv 2402.08269);
- :mod:`~exactpoly.theory.slices`: exact 2-D cross-sections of any network (Fig. 10).
"""
