"""The documented limits that an environment variable can change, read in one way.

Every limit of ``docs/limits.md`` that a user can raise (``EXACTPOLY_MAX_DIGITS``,
``EXACTPOLY_MAX_INPUT_BYTES``, ``EXACTPOLY_MAX_BOX_DIM``, ``EXACTPOLY_MAX_TRIANGULATION_FACES``,
``EXACTPOLY_MAX_SIMPLICES``) is read by :func:`positive_int_setting`: unset or blank means the
default; anything but a positive integer of at most 18 digits is an error naming the variable.

>>> positive_int_setting("EXACTPOLY_NO_SUCH_SETTING", 7)
7
"""

from __future__ import annotations

import os

from .errors import DomainError, ExactpolyError

__all__ = ["positive_int_setting"]


def positive_int_setting(variable: str, default: int, error: type[ExactpolyError] = DomainError,
                         what: str = "") -> int:
    """The positive integer in the environment variable *variable*, else *default*.

    Raises *error* (an ExactpolyError subclass), naming the variable and quoting at most 40
    characters of its value, when it is set to anything else. *what* describes the unit in the
    message (e.g. ``" (a number of digits)"``). O(1).
    """
    raw = os.environ.get(variable)
    if raw is None or not raw.strip():
        return default
    text = raw.strip()
    if len(text) > 18 or not text.isdecimal() or int(text) < 1:
        raise error(f"{variable}: expected a positive integer{what}, got {raw[:40]!r}")
    return int(text)
