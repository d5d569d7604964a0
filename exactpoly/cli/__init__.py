"""The ``exactpoly`` command line: a thin layer over the library (it imports the library, never the reverse).

:func:`main` is the console script. Each command group lives in its own module; the
shared argument types, error handling and progress lines are in :mod:`~exactpoly.cli.common`.
"""

from .app import main

__all__ = ["main"]
