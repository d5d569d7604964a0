"""Internal file helpers: atomic writes (never a half-written output file).

The append-only store that lets long sweeps resume is
:class:`exactpoly.experiments.cache.JsonlStore`."""

from __future__ import annotations

import os
import stat

__all__ = ["atomic_write_text", "atomic_write_bytes", "output_target"]


def output_target(path: str | os.PathLike[str]) -> tuple[str, os.stat_result | None]:
    """Where bytes written to *path* go, and what is there now.

    Returns ``(target, st)``: *st* is ``os.stat`` of *path* (symbolic links followed), None when
    nothing is there; *target* is the file a symbolic link finally names (``os.path.realpath``),
    or *path* itself when it exists and is not a regular file (a directory, a FIFO, a device such
    as ``/dev/null``, a ``/dev/fd/N`` pipe), which is written in place and never replaced.
    O(length of the path and of its links).

    Examples
    --------
    >>> import os, tempfile
    >>> d = os.path.realpath(tempfile.mkdtemp())
    >>> os.symlink("real.txt", os.path.join(d, "link.txt"))
    >>> target, st = output_target(os.path.join(d, "link.txt"))
    >>> os.path.relpath(target, d), st is None
    ('real.txt', True)
    >>> output_target("/dev/null")[0]
    '/dev/null'
    """
    path = os.fspath(path)
    try:
        st: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        st = None  # nothing there, or a link to nothing: written to the link's target
    if st is not None and not stat.S_ISREG(st.st_mode):
        return path, st
    return os.path.realpath(path), st


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write *text* (UTF-8) to *path* atomically; see :func:`atomic_write_bytes`."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write *data* to *path* atomically, never replacing what is not a regular file.

    A regular file (or a new one) is written as a temporary file in the directory of the file
    *path* names - symbolic links are followed, so a link stays a link to the new contents -
    which then replaces that file (``os.replace``) with the permission bits of the file it
    replaces. On any error, including KeyboardInterrupt, the temporary file is removed and an
    existing file is left untouched. An existing path that is not a regular file (a FIFO, a
    device such as ``/dev/null``) is written in place. An ``OSError`` names *path*, never the
    temporary file. O(len(data)).

    Examples
    --------
    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> p = os.path.join(d, "a.txt")
    >>> atomic_write_bytes(p, b"one"); os.chmod(p, 0o640); atomic_write_bytes(p, b"two")
    >>> open(p, "rb").read(), oct(os.stat(p).st_mode & 0o777), os.listdir(d)
    (b'two', '0o640', ['a.txt'])
    """
    path = os.fspath(path)
    try:
        target, st = output_target(path)
        if st is not None and not stat.S_ISREG(st.st_mode):
            with open(target, "wb") as f:  # a FIFO or a device: written in place
                f.write(data)
            return
        _replace_with(target, data, None if st is None else stat.S_IMODE(st.st_mode))
    except OSError as e:
        if e.errno is None or e.filename == path:
            raise
        raise type(e)(e.errno, e.strerror, path) from None  # the user's path, not the temporary file


def _replace_with(target: str, data: bytes, mode: int | None) -> None:
    """Write *data* to a temporary file next to *target*, then rename it onto *target*."""
    directory, name = os.path.split(target)
    tmp = os.path.join(directory, f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # honours the umask
    try:
        with os.fdopen(fd, "wb") as f:
            if mode is not None:
                os.fchmod(f.fileno(), mode)  # the replaced file's permission bits
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
