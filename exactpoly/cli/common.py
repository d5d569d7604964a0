r"""What every command shares: one-line usage errors, argument types, progress lines, output.

>>> positive_int("3")
3
>>> emit("done\n", None)
done
>>> with_decimal("391/64")
'391/64 ≈ 6.109'
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from fractions import Fraction
from typing import NoReturn

from ..io.atomic import atomic_write_text

__all__ = ["UsageError", "Parser", "LayerProgress", "TaskProgress", "positive_int", "positive_float", "emit",
           "wants_progress", "with_decimal"]


class UsageError(Exception):
    """A command line that cannot be run as given: one line on stderr, exit status 2."""


class Parser(argparse.ArgumentParser):
    """An argparse parser whose errors are :class:`UsageError` (one line, exit 2) instead of a usage dump."""

    def error(self, message: str) -> NoReturn:  # one line, exit 2 (argparse's own convention)
        raise UsageError(f"{self.prog}: {message}")


def positive_int(text: str) -> int:
    """argparse type: an integer ``>= 1``."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def positive_float(text: str) -> float:
    """argparse type: a finite number ``> 0``."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return value


def with_decimal(text: object, digits: int = 3) -> str:
    """An exact rational as printed (``"p/q"``) with a rounded decimal beside it for reading.

    The decimal is a display companion only: it is *text* rounded to *digits* places
    (exactly, from the Fraction, half to even), after ``≈``. An integer, ``None`` or
    anything that is not a rational string is returned as ``str(text)``. Linear in the
    number of digits of *text*.

    Parameters
    ----------
    text : object
        Usually a rational string such as ``"391/64"`` from a summary.
    digits : int, optional
        Decimal places of the companion (default 3).

    Returns
    -------
    str

    Examples
    --------
    >>> with_decimal("391/64"), with_decimal("-1/3", 2), with_decimal("8"), with_decimal(None)
    ('391/64 ≈ 6.109', '-1/3 ≈ -0.33', '8', 'None')
    """
    if not isinstance(text, str) or "/" not in text:
        return str(text)
    try:
        q = Fraction(text)
    except ValueError:
        return text
    scaled = round(q * 10 ** digits)
    sign = "-" if scaled < 0 else ""
    whole, frac = divmod(abs(scaled), 10 ** digits)
    return f"{text} ≈ {sign}{whole}.{frac:0{digits}d}" if digits > 0 else f"{text} ≈ {sign}{whole}"


def wants_progress(args: argparse.Namespace) -> bool:
    """``--progress`` / ``--no-progress``, else whether stderr is a terminal."""
    flag = getattr(args, "progress", None)
    return bool(flag or (flag is None and sys.stderr.isatty()))


def emit(text: str, output: str | None) -> None:
    """Write *text* to the file *output* (atomically) or, when None, to stdout."""
    if output:
        atomic_write_text(output, text)
    else:
        sys.stdout.write(text)


class _ProgressLine:
    """A progress line on stderr, rewritten at most twice a second and ended when the work is done."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.t0 = time.perf_counter()
        self.last = 0.0

    def _show(self, done: int, total: int, message: Callable[[float], str]) -> None:
        now = time.perf_counter()
        if now - self.last < 0.5 and done != total:
            return
        self.last = now
        sys.stderr.write(f"\r{message(now - self.t0):<79}")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


class LayerProgress(_ProgressLine):
    """Progress of one complex: layer, parents done, regions so far, rate (``region_complex(progress=...)``)."""

    def __init__(self, enabled: bool, n_layers: int) -> None:
        super().__init__(enabled)
        self.n_layers = n_layers

    def __call__(self, layer: int, done: int, total: int, regions: int) -> None:
        if self.enabled:
            self._show(done, total, lambda dt: f"[exactpoly] layer {layer + 1}/{self.n_layers}: parent {done}/{total}, "
                                               f"{regions} regions, {regions / max(dt, 1e-9):.0f} regions/s")


class TaskProgress(_ProgressLine):
    """Progress of a sweep: items done, the current item, elapsed time."""

    def __init__(self, enabled: bool, what: str) -> None:
        super().__init__(enabled)
        self.what = what

    def __call__(self, done: int, total: int, label: str, cached: bool = False) -> None:
        if self.enabled:
            self._show(done, total, lambda dt: f"[exactpoly] {self.what} {done}/{total}: {label}"
                                               f"{' (cached)' if cached else ''}, {dt:.1f} s")
