"""Reading JSON input files safely: a size cap, one-line errors, no recursion blow-up.

Every JSON file exactpoly reads (networks, arrangements, samples, caches) goes through
:func:`read_json_file`. A file larger than :func:`max_input_bytes` (default 1 GiB, raised
or lowered with the environment variable ``EXACTPOLY_MAX_INPUT_BYTES``) is refused before
it is read whole, so ``/dev/zero`` or ``/dev/urandom`` given as a network is one clear
error, not an exhausted memory; deeply nested JSON (``[[[[...]]]]``), which makes Python's
parser raise ``RecursionError``, is refused the same way. Every error names the file.

>>> import os, tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = os.path.join(tmp, "x.json")
...     with open(path, "w") as f:
...         _ = f.write('{"a": [1, 2]}')
...     read_json_file(path, what="samples file")
{'a': [1, 2]}
"""

from __future__ import annotations

import json
import os
from typing import Any

from ..errors import ExactpolyError, NetworkFormatError, NumberError
from ..rational import MAX_DIGITS_VARIABLE, max_digits
from ..settings import positive_int_setting

__all__ = ["DEFAULT_MAX_INPUT_BYTES", "max_input_bytes", "read_json_file", "loads_json"]

DEFAULT_MAX_INPUT_BYTES = 1 << 30
"""Default cap on the size of an input file: 1 GiB."""


def max_input_bytes() -> int:
    """The input size cap: ``EXACTPOLY_MAX_INPUT_BYTES`` when set to a positive integer, else 1 GiB.

    Raises
    ------
    NetworkFormatError
        When the variable is set to something that is not a positive integer.
    """
    return positive_int_setting("EXACTPOLY_MAX_INPUT_BYTES", DEFAULT_MAX_INPUT_BYTES, NetworkFormatError)


def loads_json(text: str | bytes, source: str, error: type[ExactpolyError] = NetworkFormatError) -> Any:
    """``json.loads`` with one-line errors that start with *source*: malformed JSON (line and
    column) or nesting too deep for the parser. O(len(text))."""
    try:
        return json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as e:
        raise error(f"{source}: malformed JSON at line {e.lineno} column {e.colno}: {e.msg}") from e
    except RecursionError:
        raise error(f"{source}: JSON nested too deeply to read") from None
    except NumberError as e:
        raise error(f"{source}: {e}") from None


def _parse_int(digits: str) -> int:
    """A JSON integer, refused (NumberError) beyond the digit limit of exactpoly.rational before conversion."""
    limit = max_digits()
    if len(digits) - digits.startswith("-") > limit:
        raise NumberError(f"a JSON integer has {len(digits)} digits, more than the limit of {limit} "
                          f"({MAX_DIGITS_VARIABLE})")
    return int(digits)


def read_json_file(path: str | os.PathLike[str], *, what: str = "file",
                   error: type[ExactpolyError] = NetworkFormatError) -> Any:
    """The parsed JSON content of the file *path* (UTF-8), read with the size cap of :func:`max_input_bytes`.

    Parameters
    ----------
    path : path-like
    what : str
        What the file is, for the messages (``"network file"``, ``"samples file"``, ...).
    error : ExactpolyError subclass
        The exception raised (default NetworkFormatError); every message starts with the path.

    Notes
    -----
    Reads at most cap + 1 bytes, so a device or pipe that never ends costs no more than the
    cap. O(file size).
    """
    name = os.fspath(path)
    cap = max_input_bytes()
    try:
        with open(name, "rb") as f:
            data = f.read(cap + 1)
    except OSError as e:
        raise error(f"{name}: cannot read {what}: {e.strerror or e}") from e
    if len(data) > cap:
        raise error(f"{name}: {what} larger than the input limit of {cap} bytes "
                    "(set EXACTPOLY_MAX_INPUT_BYTES to raise it)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise error(f"{name}: cannot read {what}: not UTF-8 text (byte {e.start})") from e
    return loads_json(text, name, error)
