"""Reproducible experiments of the papers, exactly: Table I, face histograms and sweeps (Figs. 4-6),
sampling versus the exact complex, regions during training (Fig. 7).

- :mod:`~exactpoly.experiments.tables`: Table I (cached, resumable, per-net parallel);
- :mod:`~exactpoly.experiments.histograms`: exact face histograms and sweeps;
- :mod:`~exactpoly.experiments.sampling`: the paper's sampling protocol and hit-and-run estimator;
- :mod:`~exactpoly.experiments.training`: exact complexes of PyTorch training snapshots;
- :mod:`~exactpoly.experiments.cache`: the resumable result store shared by the sweeps.
"""
