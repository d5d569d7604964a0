"""The resumable result store shared by the sweeps (Table I, histograms): where it lives and how a
result is keyed.

A finished network's result is stored under a key that hashes everything it depends on: the
cache format, the exactpoly version, the network (its exact mapping), the box and what was
computed. An interrupted sweep resumes from the store; ``--no-cache`` (``cache=False``) keeps
it in memory only.

>>> key = cache_key({"format": "exactpoly.relu-net/1"}, "1", what="facet-histogram")
>>> len(key), key == cache_key({"format": "exactpoly.relu-net/1"}, "1", what="facet-histogram")
(64, True)
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .._metadata import package_version
from ..io.atomic import JsonlStore

__all__ = ["CACHE_VERSION", "cache_key", "default_cache_dir", "open_cache", "JsonlStore"]

CACHE_VERSION = 1
"""Bumped whenever a stored result's meaning changes; old entries then miss."""


def cache_key(net_mapping: dict, box: str, **what: Any) -> str:
    """sha256 hex of the sorted-key JSON of the cache version, exactpoly's version, the network
    mapping, the box and the keyword arguments *what* (what was computed, and how). O(size of the net)."""
    blob = json.dumps({"cache": CACHE_VERSION, "exactpoly": package_version(), "network": net_mapping,
                       "box": box, **what}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/exactpoly``, or ``~/.cache/exactpoly``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "exactpoly"


def open_cache(cache: str | os.PathLike | bool | None, name: str) -> JsonlStore:
    """The resumable store *name* of a sweep: in :func:`default_cache_dir` for ``None``/``True``,
    in the directory *cache* otherwise, in memory only for ``False``."""
    if cache is False:
        return JsonlStore(None)
    directory = default_cache_dir() if cache is None or cache is True else Path(cache)
    return JsonlStore(directory / name)
