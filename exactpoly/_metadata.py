"""The installed package's version, read from its metadata once, on first use (no start-up cost)."""

from __future__ import annotations

from functools import cache

__all__ = ["package_version"]


@cache
def package_version() -> str:
    """``exactpoly``'s version from the installed distribution's metadata (``"0+unknown"`` when not installed).

    >>> package_version() == __import__("exactpoly").__version__
    True
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("exactpoly")
    except PackageNotFoundError:  # pragma: no cover - a source tree that is not installed
        return "0+unknown"
