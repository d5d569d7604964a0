"""The resumable result store shared by the sweeps (Table I, histograms): where it lives, how a
result is keyed, and how a damaged store is survived.

A finished network's result is stored under a key that hashes everything it depends on: the
cache format, the exactpoly version, the network (its exact mapping), the box and what was
computed. An interrupted sweep resumes from the store; ``--no-cache`` (``cache=False``) keeps
it in memory only.

Every stored line carries a sha256 of its key and its result (:func:`record_digest`). A line
that cannot be trusted — cut short, not UTF-8, not JSON, not a record, a failed integrity
check, or a result its sweep refuses (wrong types, missing keys) — is never used: one warning
line on stderr names the file and the line numbers, the line is dropped from the file, and
its result is recomputed when a sweep needs it.

>>> key = cache_key({"format": "exactpoly.relu-net/1"}, "1", what="facet-histogram")
>>> len(key), key == cache_key({"format": "exactpoly.relu-net/1"}, "1", what="facet-histogram")
(64, True)
>>> digest = record_digest(key, {"regions": 7})
>>> digest == record_digest(key, {"regions": 7}), digest == record_digest(key, {"regions": 8})
(True, False)
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .._metadata import package_version
from ..io.atomic import atomic_write_bytes

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX: damaged lines are skipped but stay in the file
    fcntl = None  # type: ignore[assignment]

__all__ = ["CACHE_VERSION", "MAX_LINE_BYTES", "JsonlStore", "Validator", "cache_key", "default_cache_dir",
           "open_cache", "record_digest"]

CACHE_VERSION = 1
"""Bumped whenever a stored result's meaning changes; old entries then miss."""

MAX_LINE_BYTES = 1 << 20
"""A stored line longer than this (1 MiB; a record is a few hundred bytes) is damaged, and is
skipped without being held in memory."""

Validator = Callable[[dict], str | None]
"""Checks a stored result: None if a sweep can use it, else what is wrong with it (a phrase)."""

_log = logging.getLogger(__name__)


def cache_key(net_mapping: dict, box: str, **what: Any) -> str:
    """sha256 hex of the sorted-key JSON of the cache version, exactpoly's version, the network
    mapping, the box and the keyword arguments *what* (what was computed, and how). O(size of the net)."""
    blob = json.dumps({"cache": CACHE_VERSION, "exactpoly": package_version(), "network": net_mapping,
                       "box": box, **what}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def record_digest(key: str, result: Any) -> str:
    """The integrity check stored with a result: sha256 hex of *key*, a newline and the canonical
    JSON of *result* (sorted keys, no spaces, ASCII). O(size of the result).

    Raises ValueError for a result that JSON cannot represent exactly (NaN, infinities).
    """
    canonical = json.dumps(result, sort_keys=True, separators=(",", ":"), ensure_ascii=True, allow_nan=False)
    return hashlib.sha256(f"{key}\n{canonical}".encode()).hexdigest()


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/exactpoly``, or ``~/.cache/exactpoly``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "exactpoly"


def open_cache(cache: str | os.PathLike | bool | None, name: str, validate: Validator | None = None) -> JsonlStore:
    """The resumable store *name* of a sweep: in :func:`default_cache_dir` for ``None``/``True``,
    in the directory *cache* otherwise, in memory only for ``False``; *validate* checks each
    stored result (see :class:`JsonlStore`)."""
    if cache is False:
        return JsonlStore(None, validate)
    directory = default_cache_dir() if cache is None or cache is True else Path(cache)
    return JsonlStore(directory / name, validate)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number")


def _read_record(raw: bytes, validate: Validator | None) -> tuple[str, dict] | str:
    """``(key, result)`` of one stored line, or what is wrong with it."""
    cut = not raw.endswith(b"\n")
    try:
        record = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except UnicodeDecodeError:
        return "cut short" if cut else "not valid UTF-8"
    except (ValueError, RecursionError):
        return "cut short" if cut else "not valid JSON"
    if not isinstance(record, dict) or set(record) != {"key", "result", "sha256"}:
        return "not a record with exactly the keys key, result, sha256"
    key, result, digest = record["key"], record["result"], record["sha256"]
    if not isinstance(key, str) or not isinstance(digest, str):
        return "key or sha256 not a string"
    if not isinstance(result, dict):
        return "result not an object"
    if digest != record_digest(key, result):
        return "integrity check failed"
    problem = validate(result) if validate is not None else None
    return problem if problem is not None else (key, result)


def _iter_lines(fh: IO[bytes]) -> Iterator[tuple[int, bytes | None]]:
    """``(line number, line)`` of a binary file, None for a line over :data:`MAX_LINE_BYTES`
    (read past, never held). O(file size) time, O(MAX_LINE_BYTES) memory per line."""
    number = 0
    while raw := fh.readline(MAX_LINE_BYTES + 1):
        number += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n"):
                raw = fh.readline(MAX_LINE_BYTES + 1)
            yield number, None
        else:
            yield number, raw


def _parse(fh: IO[bytes], validate: Validator | None) -> tuple[list[tuple[int, str, dict, bytes]],
                                                               list[tuple[int, str]]]:
    """The usable lines ``(number, key, result, line)`` and the damaged ones ``(number, why)``;
    blank lines are neither."""
    good, damaged = [], []
    for number, raw in _iter_lines(fh):
        if raw is None:
            damaged.append((number, f"longer than {MAX_LINE_BYTES} bytes"))
        elif raw.strip():
            got = _read_record(raw, validate)
            if isinstance(got, str):
                damaged.append((number, got))
            else:
                good.append((number, got[0], got[1], raw))
    return good, damaged


@contextmanager
def _locked(path: Path) -> Iterator[IO[bytes]]:
    """*path* opened for reading and appending, at offset 0, under an exclusive advisory lock
    (where the platform has ``fcntl``) that is held on the file now at *path*, even when another
    process replaced it while this one waited."""
    while True:
        fh = open(path, "a+b")
        try:
            if fcntl is None:  # pragma: no cover - not POSIX
                break
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            mine, now = os.fstat(fh.fileno()), os.stat(path)
            if (mine.st_dev, mine.st_ino) == (now.st_dev, now.st_ino):
                break
        except FileNotFoundError:
            pass  # removed while waiting: open it again
        except BaseException:
            fh.close()
            raise
        fh.close()
    try:
        fh.seek(0)
        yield fh
    finally:
        fh.close()


def _lines_phrase(numbers: list[int]) -> str:
    return f"line {numbers[0]}" if len(numbers) == 1 else "lines " + ", ".join(map(str, numbers))


def _one_line(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


class JsonlStore:
    """Append-only JSON-lines store of finished results, ``{"key", "result", "sha256"}`` per line.

    Used by the sweeps (Table I, histograms) so that an interrupted run resumes where it
    stopped. Every record is flushed and fsynced as soon as it is known. On opening, a line
    that cannot be trusted (cut short, not UTF-8 or JSON, over :data:`MAX_LINE_BYTES`, not a
    record, a failed :func:`record_digest` check, or a result that *validate* refuses) is
    left out of :attr:`records`, named in one warning on stderr (logger
    ``exactpoly.experiments.cache``), and dropped from the file (rewritten atomically under an
    advisory lock), so the next run is quiet. When a key occurs on several lines the last one
    counts. ``path=None`` keeps the records in memory only.

    Reading is O(file size); :meth:`put` appends one line.

    Examples
    --------
    >>> store = JsonlStore(None)
    >>> store.put("k", {"regions": 7})
    >>> store.records
    {'k': {'regions': 7}}
    """

    def __init__(self, path: str | os.PathLike[str] | None, validate: Validator | None = None) -> None:
        self.path = None if path is None else Path(path)
        self.validate = validate
        self.records: dict[str, dict] = {}
        self._lines: dict[str, int] = {}  # line number of each record read from the file
        if self.path is None or not self.path.exists():
            return
        with open(self.path, "rb") as fh:
            good, damaged = _parse(fh, validate)
        if not damaged:
            self._keep(good, renumber=False)
            return
        dropped = False
        if fcntl is not None:
            try:
                with _locked(self.path) as fh:  # parse again: another process may have appended
                    good, damaged = _parse(fh, validate)
                    atomic_write_bytes(self.path, b"".join(raw if raw.endswith(b"\n") else raw + b"\n"
                                                            for _, _, _, raw in good))
                dropped = True
            except OSError:
                pass  # e.g. a read-only directory: the lines stay, and are skipped again next time
        self._keep(good, renumber=dropped)
        shown = ", ".join(f"{n} ({why})" for n, why in damaged[:5])
        more = f" and {len(damaged) - 5} more" if len(damaged) > 5 else ""
        _log.warning(_one_line(f"exactpoly: warning: cache {self.path}: damaged line{'s' if len(damaged) > 1 else ''} "
                               f"{shown}{more} {'dropped' if dropped else 'ignored'}; results recomputed when needed"))

    def _keep(self, good: list[tuple[int, str, dict, bytes]], renumber: bool) -> None:
        for i, (number, key, result, _) in enumerate(good, 1):
            self.records[key] = result
            self._lines[key] = i if renumber else number

    def put(self, key: str, result: dict) -> None:
        """Store *result* under *key* (in memory, and appended to the file with its digest)."""
        self.records[key] = result
        self._lines.pop(key, None)
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"key": key, "result": result, "sha256": record_digest(key, result)}, sort_keys=True) + "\n"
        with _locked(self.path) as fh:
            fh.seek(0, os.SEEK_END)
            if fh.tell():
                fh.seek(-1, os.SEEK_END)
                if fh.read(1) != b"\n":  # finish a line cut short before
                    line = "\n" + line
            fh.write(line.encode())
            fh.flush()
            os.fsync(fh.fileno())

    def discard(self, keys: list[str], reason: str) -> None:
        """Forget the stored results of *keys* (to be recomputed), with one warning line on
        stderr naming the file, their line numbers and *reason*. Their lines are superseded
        by the recomputed ones, which :meth:`put` appends."""
        numbers = sorted(self._lines.pop(k) for k in keys if k in self._lines)
        for k in keys:
            self.records.pop(k, None)
        where = f"cache {self.path}: {_lines_phrase(numbers)}" if numbers else f"cache {self.path}"
        _log.warning(_one_line(f"exactpoly: warning: {where}: {reason}; recomputed"))
