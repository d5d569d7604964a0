"""Old import paths of the flat layout (before Dec 2026), kept working with a DeprecationWarning.

``import exactpoly.bounds`` (and ``from exactpoly.tables import table1``, ...) still work:
a meta-path finder answers each old name with a module that holds the new module's
public names and warns once on import. New code imports the new paths (the table below).
"""

from __future__ import annotations

import importlib
import importlib.machinery
import sys
import warnings
from types import ModuleType

__all__ = ["MOVED"]

MOVED = {
    "exactpoly.polyhedron": "exactpoly.geometry.polyhedron",
    "exactpoly.triangulation": "exactpoly.geometry.triangulation",
    "exactpoly.arrangement": "exactpoly.arrangements.arrangement",
    "exactpoly.catalog": "exactpoly.arrangements.catalog",
    "exactpoly.bounds": "exactpoly.theory.bounds",
    "exactpoly.constructions": "exactpoly.theory.constructions",
    "exactpoly.compositional": "exactpoly.theory.compositional",
    "exactpoly.pieces": "exactpoly.theory.pieces",
    "exactpoly.fdim": "exactpoly.theory.fdim",
    "exactpoly.slices": "exactpoly.theory.slices",
    "exactpoly.tables": "exactpoly.experiments.tables",
    "exactpoly.histograms": "exactpoly.experiments.histograms",
    "exactpoly.sampling": "exactpoly.experiments.sampling",
    "exactpoly.training": "exactpoly.experiments.training",
    "exactpoly.export": "exactpoly.io.export",
    "exactpoly.torch_import": "exactpoly.io.torch_import",
}
"""Old module path -> new module path."""


class _Loader:  # the loader protocol; not importlib.abc, whose import costs start-up ~10 ms
    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None  # a fresh module; exec_module fills it

    def exec_module(self, module: ModuleType) -> None:
        new = MOVED[module.__name__]
        warnings.warn(f"{module.__name__} moved to {new}; the old path will be removed",
                      DeprecationWarning, stacklevel=2)
        target = importlib.import_module(new)
        names = getattr(target, "__all__", None) or [n for n in vars(target) if not n.startswith("_")]
        module.__dict__.update({n: getattr(target, n) for n in names if hasattr(target, n)})
        module.__doc__ = f"Deprecated alias of :mod:`{new}`."
        module.__all__ = list(names)  # type: ignore[attr-defined]


class _Finder:  # the meta-path finder protocol
    def find_spec(self, fullname, path=None, target=None):  # noqa: ANN001 - the MetaPathFinder signature
        if fullname in MOVED:
            return importlib.machinery.ModuleSpec(fullname, _Loader())  # type: ignore[arg-type]  # a Loader by protocol
        return None


if not any(isinstance(f, _Finder) for f in sys.meta_path):
    sys.meta_path.append(_Finder())
