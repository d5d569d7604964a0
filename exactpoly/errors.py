"""Exception hierarchy of exactpoly.

Every error raised on purpose by the package is an :class:`ExactpolyError`; each
subclass also derives from the builtin exception a Python user would expect, so
``except ValueError`` keeps working.
"""

from __future__ import annotations

__all__ = [
    "ExactpolyError",
    "NumberError",
    "NetworkFormatError",
    "ShapeError",
    "DomainError",
    "GeometryError",
    "ArrangementFormatError",
    "TableFormatError",
    "UnsupportedModelError",
    "MissingDependencyError",
    "BudgetExceededError",
    "OutputPathError",
    "OutputWriteError",
    "WorkerDiedError",
]


class ExactpolyError(Exception):
    """Base class of all errors raised by exactpoly."""


class NumberError(ExactpolyError, ValueError):
    """A value cannot be read as an exact rational (NaN, inf, bool, ``"1/0"``, ...)."""


class NetworkFormatError(ExactpolyError, ValueError):
    """A network file or mapping is malformed (bad JSON, missing key, wrong format tag)."""


class ShapeError(NetworkFormatError):
    """Weights or biases have inconsistent shapes; the message names layer and row."""


class DomainError(ExactpolyError, ValueError):
    """A bad domain: ``B <= 0``, a non-numeric box size, a dimension mismatch."""


class GeometryError(ExactpolyError, ArithmeticError):
    """An exact geometric computation met an impossible state (a bug or a cdd failure)."""


class ArrangementFormatError(ExactpolyError, ValueError):
    """An arrangement file or mapping is malformed (bad JSON, missing key, wrong tag,
    wrong row length, a bad number, a zero normal vector); the message names it."""


class TableFormatError(ExactpolyError, ValueError):
    """A table cannot be formatted: unknown format, ragged rows, an unsupported cell."""


class UnsupportedModelError(NetworkFormatError):
    """The model has a layer, parameter or structure exactpoly cannot import exactly."""


class MissingDependencyError(ExactpolyError, ImportError):
    """An optional dependency (PyTorch, matplotlib, ...) is needed but not installed."""


class BudgetExceededError(ExactpolyError, ArithmeticError):
    """An exact computation would cost more than its documented budget (the message names the
    budget and the environment variable that raises it); nothing approximate is returned instead."""


class OutputPathError(ExactpolyError, ValueError):
    """An output path that cannot be written as asked: empty, in a missing or read-only directory,
    a directory, an input file, or the path of another output; the message names the option and path."""


class OutputWriteError(ExactpolyError, OSError):
    """Writing an output failed (disk full, I/O error); the message names the option and the user's
    path. No output of the command was written and every existing file is left as it was."""


class WorkerDiedError(ExactpolyError, RuntimeError):
    """A worker process died (killed by a signal, the OOM killer, ``os._exit``) before
    finishing its tasks; raised in the main process instead of waiting forever.

    The CLI reports it as one line and exits with status 1 (a runtime failure, not bad input).
    """
