"""Internal file helpers: atomic writes (never a half-written output file) and the
append-only store that lets long sweeps resume."""

from __future__ import annotations

import json
import os

__all__ = ["atomic_write_text", "atomic_write_bytes", "JsonlStore"]


class JsonlStore:
    """Append-only JSON-lines store of finished results, ``{"key": ..., "result": ...}`` per line.

    Used by the sweeps (Table I, histograms) so that an interrupted run resumes where it
    stopped. Every record is flushed and fsynced as soon as it is known; a line cut short
    by an interruption is ignored on reading (and recomputed). ``path=None`` keeps the
    records in memory only.
    """

    def __init__(self, path: str | os.PathLike[str] | None) -> None:
        from pathlib import Path  # not at import time: pathlib costs CLI start-up

        self.path = None if path is None else Path(path)
        self.records: dict[str, dict] = {}
        if self.path is not None and self.path.exists():
            with open(self.path, encoding="utf-8") as fh:
                for line in fh:
                    try:
                        rec = json.loads(line)
                        self.records[rec["key"]] = rec["result"]
                    except (ValueError, KeyError, TypeError):
                        continue  # a line cut short by an interruption: recomputed

    def put(self, key: str, result: dict) -> None:
        self.records[key] = result
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps({"key": key, "result": result}, sort_keys=True) + "\n"
        with open(self.path, "a+b") as fh:
            fh.seek(0, os.SEEK_END)
            if fh.tell():
                fh.seek(-1, os.SEEK_END)
                if fh.read(1) != b"\n":  # finish a line cut short before
                    line = "\n" + line
            fh.write(line.encode())
            fh.flush()
            os.fsync(fh.fileno())


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write *text* (UTF-8) to *path* atomically; see :func:`atomic_write_bytes`."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write *data* to *path* atomically.

    The data go to a temporary file in the same directory which then replaces
    *path* (``os.replace``); on any error, including KeyboardInterrupt, the
    temporary file is removed and an existing *path* is left untouched.
    """
    path = os.fspath(path)
    directory, name = os.path.split(os.path.abspath(path))
    tmp = os.path.join(directory, f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # honours the umask
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
