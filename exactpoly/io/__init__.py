"""Files in and out: exports of a complex and of tables, exact PyTorch/numpy import, atomic writes.

- :mod:`~exactpoly.io.atomic`: atomic file writes (never a half-written output);
- :mod:`~exactpoly.io.export`: the JSON summary and full complex, GraphML, CSV, Markdown/CSV/LaTeX tables;
- :mod:`~exactpoly.io.torch_import`: exact import of ``nn.Sequential`` models, ``state_dict``s and ``.npz``.

The package is named ``io`` after its role; inside exactpoly, ``import io`` still means the
standard library (absolute imports).
"""
