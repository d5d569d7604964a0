"""Output files of a command: every path checked before anything is computed, all written or none.

A command first turns each output option into an :class:`OutputPath` with
:func:`check_output_paths` (or :func:`check_output_path`), so that a missing directory, a
directory, an input file or two outputs at one path are refused at once, naming the option and
the user's path. When its results are known it hands every output to :func:`write_outputs`,
which writes them all to temporary files and renames them into place only when every one is
written; on any failure (disk full, an error while rendering, KeyboardInterrupt) the temporary
files are removed, no output is written and every existing file keeps its contents.

Examples
--------
>>> import os, tempfile
>>> d = tempfile.mkdtemp()
>>> outs = check_output_paths([("--out", os.path.join(d, "a.json")), ("--csv", None)])
>>> list(outs)
['--out']
>>> write_outputs([(outs["--out"], "{}\\n")])
>>> os.listdir(d), open(os.path.join(d, "a.json")).read()
(['a.json'], '{}\\n')
>>> check_output_path(os.path.join(d, "nodir", "c.json"), "--out")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
exactpoly.errors.OutputPathError: --out: cannot write '.../nodir/c.json': directory '.../nodir' does not exist
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..errors import OutputPathError, OutputWriteError
from .atomic import output_target

__all__ = ["OutputPath", "Content", "check_output_path", "check_output_paths", "check_distinct_outputs",
           "write_outputs"]

#: What an output holds: text (written as UTF-8), bytes, or a function writing the file at the path it is given.
Content = str | bytes | Callable[[str], object]


@dataclass(frozen=True)
class OutputPath:
    """An output path, checked.

    Attributes
    ----------
    option : str
        The command-line option that named it (``"--out"``), for messages.
    path : str
        The path as the user gave it, for messages.
    target : str
        Where the bytes go: the file a symbolic link names, or *path* itself when written in place.
    in_place : bool
        *path* is an existing FIFO or device (``/dev/null``): written in place, never replaced.
    new_directories : tuple of str
        Missing directories :func:`write_outputs` creates, outermost first (only with
        ``make_directories=True``).
    """

    option: str
    path: str
    target: str
    in_place: bool = False
    new_directories: tuple[str, ...] = ()


def _missing_directories(directory: str) -> tuple[str, ...]:
    """The missing directories on the way to *directory*, outermost first; *directory* is absolute."""
    missing = []
    while not os.path.lexists(directory):
        missing.append(directory)
        directory = os.path.dirname(directory)
    return tuple(reversed(missing))


def check_output_path(path: str | os.PathLike[str] | None, option: str, *, inputs: Iterable[str] = (),
                      make_directories: bool = False) -> OutputPath:
    """*path*, given with the option *option*, checked as an output file before anything is computed.

    Refused (:class:`~exactpoly.errors.OutputPathError`, naming *option* and *path*): an empty
    path; a directory; one of the *inputs* (same file: device and inode, through links); a path
    whose directory is missing (unless *make_directories*: then its nearest existing ancestor must
    be a directory), not a directory, or not writable. An existing regular file, a symbolic link
    (written through to its target) and a FIFO or device (written in place) are accepted.
    O(number of inputs + depth of the path).

    Examples
    --------
    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> check_output_path("/dev/null", "--out").in_place
    True
    >>> out = check_output_path(os.path.join(d, "s", "e.json"), "--snapshots", make_directories=True)
    >>> [os.path.basename(p) for p in out.new_directories]
    ['s']
    >>> check_output_path("", "--out")
    Traceback (most recent call last):
    ...
    exactpoly.errors.OutputPathError: --out: empty path
    """
    if path is None or os.fspath(path) == "":
        raise OutputPathError(f"{option}: empty path")
    path = os.fspath(path)
    try:
        target, st = output_target(path)
    except OSError as e:
        raise OutputPathError(f"{option}: cannot write {path!r}: {e.strerror or e}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputPathError(f"{option}: cannot write {path!r}: it is a directory")
    if st is not None:
        for name in inputs:
            try:
                ist = os.stat(name)
            except OSError:
                continue  # an unreadable input is reported when it is read
            if (ist.st_dev, ist.st_ino) == (st.st_dev, st.st_ino):
                same = "" if os.path.abspath(name) == os.path.abspath(path) else f" (the same file as {path!r})"
                raise OutputPathError(f"{option}: refusing to overwrite the input file {name!r}{same}")
        if not stat.S_ISREG(st.st_mode):
            return OutputPath(option, path, target, in_place=True)
    directory = os.path.dirname(target)
    shown = directory if os.path.islink(path) else (os.path.dirname(path) or ".")
    new: tuple[str, ...] = ()
    if not os.path.isdir(directory):
        if os.path.lexists(directory) or not make_directories:
            what = "is not a directory" if os.path.lexists(directory) else "does not exist"
            raise OutputPathError(f"{option}: cannot write {path!r}: directory {shown!r} {what}")
        new = _missing_directories(directory)
        directory = os.path.dirname(new[0])
        if not os.path.isdir(directory):
            raise OutputPathError(f"{option}: cannot write {path!r}: {directory!r} is not a directory")
        shown = directory
    if not os.access(directory, os.W_OK | os.X_OK):
        raise OutputPathError(f"{option}: cannot write {path!r}: directory {shown!r} is not writable")
    return OutputPath(option, path, target, new_directories=new)


def check_distinct_outputs(outputs: Sequence[OutputPath]) -> None:
    """Refuse two outputs that are one file (same target, or same device and inode); outputs
    written in place (``/dev/null`` twice) may repeat. O(n) stats.

    >>> check_distinct_outputs([OutputPath("--out", "a", "/x/a"), OutputPath("--csv", "b", "/x/a")])
    Traceback (most recent call last):
    ...
    exactpoly.errors.OutputPathError: --csv: 'b' is also the path of --out ('a')
    """
    seen: dict[object, OutputPath] = {}
    for out in outputs:
        if out.in_place:
            continue
        keys: list[object] = [out.target]
        try:
            st = os.stat(out.target)
            keys.append((st.st_dev, st.st_ino))
        except OSError:
            pass
        for key in keys:
            if key in seen:
                first = seen[key]
                raise OutputPathError(f"{out.option}: {out.path!r} is also the path of {first.option} ({first.path!r})")
            seen[key] = out


def check_output_paths(options: Iterable[tuple[str, str | None]], *,
                       inputs: Iterable[str | None] = ()) -> dict[str, OutputPath]:
    """Check the outputs ``(option, path)`` that were given (path not None) with :func:`check_output_path`
    and :func:`check_distinct_outputs`; returns them by option. O(outputs x inputs).

    >>> check_output_paths([("--out", "/dev/null"), ("--plot", None)])["--out"].in_place
    True
    """
    names = [name for name in inputs if name]
    outs = {option: check_output_path(path, option, inputs=names) for option, path in options if path is not None}
    check_distinct_outputs(list(outs.values()))
    return outs


def _fill(tmp: str, content: Content) -> None:
    """Write *content* to the file *tmp* (which exists)."""
    if callable(content):
        content(tmp)
        return
    data = content.encode("utf-8") if isinstance(content, str) else content
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _new_temporary(out: OutputPath) -> str:
    """An empty new file for *out*: next to its target, or in the temporary directory when written in place."""
    if out.in_place:
        import tempfile  # imported on use: tempfile and shutil cost every CLI start-up a few ms

        fd, tmp = tempfile.mkstemp(prefix="exactpoly-", suffix=".tmp")
    else:
        directory, name = os.path.split(out.target)
        tmp = os.path.join(directory, f".{name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # honours the umask
    os.close(fd)
    return tmp


def write_outputs(items: Sequence[tuple[OutputPath, Content]]) -> None:
    """Write every output or none.

    Each content goes to a new temporary file (next to its target, so the final rename is
    atomic; in the temporary directory for an output written in place), a function being
    called with that file's path. Only when all are written are the temporary files copied into
    FIFOs and devices and renamed onto their targets, keeping the permission bits of a replaced
    file. On any error (including KeyboardInterrupt) the temporary files and the directories
    created here are removed and the error is raised again; an ``OSError`` becomes
    :class:`~exactpoly.errors.OutputWriteError` naming the option and the user's path. Only a
    failing rename (the directory changed during the run) can leave some outputs replaced.
    O(total size of the outputs).

    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> a, b = (check_output_path(os.path.join(d, n), o) for n, o in (("a.txt", "--out"), ("b.txt", "--csv")))
    >>> def fail(path):
    ...     raise OSError(28, "No space left on device")
    >>> write_outputs([(a, "A"), (b, fail)])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    exactpoly.errors.OutputWriteError: --csv: cannot write '.../b.txt': No space left on device
    >>> os.listdir(d)
    []
    """
    staged: list[tuple[OutputPath, str]] = []
    created: list[str] = []
    current: OutputPath | None = None
    try:
        for current, content in items:
            for directory in current.new_directories:
                if not os.path.isdir(directory):
                    os.mkdir(directory)
                    created.append(directory)
            tmp = _new_temporary(current)
            staged.append((current, tmp))
            _fill(tmp, content)
            if not current.in_place:
                try:
                    st = os.stat(current.target)
                except FileNotFoundError:
                    continue
                if stat.S_ISREG(st.st_mode):
                    os.chmod(tmp, stat.S_IMODE(st.st_mode))
        for current, tmp in staged:
            if current.in_place:
                import shutil

                with open(tmp, "rb") as src, open(current.target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
        for current, tmp in staged:
            if not current.in_place:
                os.replace(tmp, current.target)
    except BaseException as e:
        for _, tmp in staged:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        for directory in reversed(created):
            try:
                os.rmdir(directory)
            except OSError:
                pass
        if isinstance(e, OSError) and current is not None and not isinstance(e, OutputWriteError):
            raise OutputWriteError(f"{current.option}: cannot write {current.path!r}: {e.strerror or e}") from None
        raise
    for current, tmp in staged:
        if current.in_place:
            os.unlink(tmp)
