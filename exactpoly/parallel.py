"""Running the exact engine on several processes or on a Dask cluster.

A *runner* maps a function over a list of argument tuples and returns the results
**in order**, so a parallel build concatenates its pieces exactly as the serial
build would: results are identical whatever the runner.

Worker processes belong to the process that started them: they ignore Ctrl-C
(the main process handles it and stops them), die with their parent even when it is
killed with SIGKILL (``prctl(PR_SET_PDEATHSIG)`` on Linux, a watchdog thread
elsewhere), and a worker that dies is reported as :class:`WorkerDiedError`.

>>> with make_runner(workers=1) as r:
...     r.is_parallel, list(r.map(pow, [(2, 3), (3, 2)]))
(False, [8, 9])
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

# multiprocessing and concurrent.futures are imported when a pool is made: a serial
# run (the default) does not pay for them at start-up
from .errors import DomainError, WorkerDiedError

__all__ = ["Runner", "make_runner", "default_workers", "iter_completed", "WorkerDiedError"]

_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _watch_parent(parent: int) -> None:
    """Watchdog thread of a worker: exit as soon as *parent* is no longer the parent process."""
    import time

    while os.getppid() == parent:
        time.sleep(0.2)
    os._exit(1)


def _die_with_parent(parent: int) -> None:
    """Make this worker process exit when *parent* (the process that started it) dies.

    On Linux the kernel sends SIGKILL to the worker when its parent dies
    (``prctl(PR_SET_PDEATHSIG)``, O(1)); elsewhere, or if prctl is unavailable, a
    daemon thread polls ``os.getppid()`` five times a second.
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            ok = libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
        except (OSError, AttributeError):  # pragma: no cover - no usable libc
            ok = False
        if ok:
            if os.getppid() != parent:  # the parent died before prctl took effect
                os._exit(1)
            return
    import threading  # pragma: no cover - not Linux

    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()  # pragma: no cover


def _init_worker(parent: int) -> None:
    """Set up a worker process started by the process *parent*.

    Ctrl-C reaches the whole process group: workers ignore it and the main process,
    which owns the outputs, stops them. SIGTERM gets its default action back (the main
    process may catch it; ``Process.terminate`` must still end a worker). The worker
    dies with its parent (:func:`_die_with_parent`).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)


def _death_note(procs: list[Any]) -> str:
    """How the first dead process of *procs* ended: ``" (pid 12, killed by SIGKILL)"``, or ``""``."""
    from multiprocessing.connection import wait

    ended = set(wait([p.sentinel for p in procs], timeout=5))  # a worker whose pipe closed is exiting
    for p in procs:
        if p.sentinel not in ended:
            continue
        p.join(5)  # its exit status follows (a blocking waitpid): the sentinel closes slightly before
        code = p.exitcode
        if code:
            how = f"killed by {signal.Signals(-code).name}" if code < 0 else f"exit status {code}"
            return f" (pid {p.pid}, {how})"
    return ""


def _new_pool(workers: int) -> Any:
    """A ``ProcessPoolExecutor`` of *workers* processes set up by :func:`_init_worker`."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(os.getpid(),))


def _stop_pool(pool: Any, kill: bool) -> None:
    """Shut *pool* down; with *kill*, kill its processes first instead of waiting for their tasks.

    ``concurrent.futures`` (before Python 3.14) has no public way to stop running tasks,
    hence ``_processes``.
    """
    if kill:
        for p in list((getattr(pool, "_processes", None) or {}).values()):
            if p.is_alive():
                p.kill()
    pool.shutdown(wait=True, cancel_futures=True)


def _pool_died(when: str) -> WorkerDiedError:
    return WorkerDiedError(f"workers: a worker process died (killed by a signal or out of memory?) {when}")


def _pool_results(results: Iterator[Any]) -> Iterator[Any]:
    """The results of ``ProcessPoolExecutor.map``, a broken pool raising :class:`WorkerDiedError`."""
    from concurrent.futures.process import BrokenProcessPool

    k = 0
    try:
        for value in results:
            yield value
            k += 1
    except BrokenProcessPool:
        raise _pool_died(f"before task {k} was returned") from None


def default_workers() -> int:
    """Number of usable cores (``os.sched_getaffinity`` where available)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def iter_completed(fn: Callable[[Any], Any], jobs: list, workers: int) -> Iterator[tuple[Any, Any]]:
    """``(job, fn(job))`` for every job, in completion order (sweeps over whole networks).

    With ``workers > 1`` the jobs run on a process pool (``fn`` must be picklable);
    results are yielded as they finish, so a caller can store each one at once and an
    interrupted sweep keeps what it finished. Closing the iterator, or an exception
    (Ctrl-C) while waiting, stops the workers at once; a worker that dies raises
    :class:`WorkerDiedError`.

    >>> sorted(iter_completed(abs, [-2, 1], workers=1))
    [(-2, 2), (1, 1)]
    """
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield job, fn(job)
        return
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    ex = _new_pool(min(workers, len(jobs)))
    finished = False
    try:
        futs = {ex.submit(fn, job): job for job in jobs}
        for done, fut in enumerate(as_completed(futs)):
            try:
                result = fut.result()
            except BrokenProcessPool:  # every unfinished job fails so: which one was lost is unknown
                raise _pool_died(f"with {len(jobs) - done} of {len(jobs)} jobs unfinished") from None
            yield futs[fut], result
        finished = True
    finally:
        _stop_pool(ex, kill=not finished)


def _star(item: tuple[Callable, tuple]) -> Any:
    fn, args = item
    return fn(*args)


# The state of a map_shared call, inherited by forked workers (never pickled).
_SHARED: Any = None


class Runner:
    """Serial runner; base class of the parallel ones.

    Attributes
    ----------
    workers : int
        Degree of parallelism (1 = serial, in this process).
    min_parents : int
        A layer with fewer parent regions than this is processed serially.
    """

    workers = 1
    min_parents = 1 << 62
    inherits_state = False  # do workers see map_shared's state without pickling (fork)?

    @property
    def is_parallel(self) -> bool:
        return self.workers > 1

    def chunks(self, n: int) -> list[tuple[int, int]]:
        """Split ``range(n)`` into contiguous ``(start, stop)`` pieces, about 16 per worker.

        Many small pieces balance uneven parents and let the main process take in
        results while the workers go on (3-40-20-1 on 2 cores: about 0.8 s less than
        with 4 per worker).
        """
        k = max(1, min(n, 16 * self.workers))
        bounds = [round(i * n / k) for i in range(k + 1)]
        return [(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]

    def map(self, fn: Callable, args: Iterable[tuple]) -> Iterator[Any]:
        """``fn(*a)`` for each ``a`` in *args*, in order."""
        return (fn(*a) for a in args)

    def map_shared(self, fn: Callable, state: Any, args: Iterable[tuple]) -> Iterator[Any]:
        """``fn(state, *a)`` for each ``a`` in *args*, in order.

        *state* is large and the same for every call (a whole layer of regions):
        local processes inherit it by ``fork`` instead of receiving a pickled copy
        per call; a Dask cluster receives it once per worker.
        """
        return (fn(state, *a) for a in args)

    def close(self) -> None:
        pass

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class ProcessRunner(Runner):
    """Local worker processes: forked ones sharing the main process's state (``map_shared``),
    else a ``concurrent.futures.ProcessPoolExecutor``."""

    min_parents = 16
    inherits_state = hasattr(os, "fork")

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: Any = None  # a concurrent.futures.ProcessPoolExecutor once used

    def map(self, fn: Callable, args: Iterable[tuple]) -> Iterator[Any]:
        if self._pool is None:
            self._pool = _new_pool(self.workers)
        return _pool_results(self._pool.map(_star, [(fn, a) for a in args]))

    def map_shared(self, fn: Callable, state: Any, args: Iterable[tuple]) -> Iterator[Any]:
        """``fn(state, *a)`` for each ``a``, in order, on ``workers - 1`` forked processes
        **and this one**.

        Every process takes the next task from one shared counter, so uneven tasks
        balance. The main process works too instead of waiting: on 2 cores, half
        the results need no pickling at all, and the main process's own
        bookkeeping (taking in results) simply leaves it fewer tasks. Workers send
        pickled results through pipes, read by one thread per pipe (reading
        releases the GIL) and unpickled here in task order. An exception in a
        task is raised here; a worker that dies makes this raise
        :class:`WorkerDiedError` instead of waiting forever.
        """
        if not self.inherits_state:  # pragma: no cover - no fork (Windows)
            yield from self.map(fn, [(state, *a) for a in args])
            return
        yield from _fork_map_shared(fn, state, list(args), self.workers - 1)

    def close(self) -> None:
        self._close(kill=False)

    def _close(self, kill: bool) -> None:
        if self._pool is not None:
            _stop_pool(self._pool, kill)
            self._pool = None

    def __exit__(self, *exc) -> None:
        self._close(kill=exc[0] is not None)  # an exception (Ctrl-C): do not wait for running tasks


def _claim(counter: Any, n: int) -> int:
    """The next unclaimed task index (``n`` when none is left)."""
    with counter.get_lock():
        i = counter.value
        if i < n:
            counter.value = i + 1
        return i


def _fork_worker(fn: Callable, args: list[tuple], counter: Any, conn: Any, parent: int, inherited: list) -> None:
    """Body of one forked worker: claim tasks until none is left, send each result.

    *inherited* are the read ends of the pipes, copied by ``fork``: closed here, so
    that only the main process reads them (a write to a pipe whose reader died fails).
    """
    import pickle

    _init_worker(parent)
    for other in inherited:
        other.close()
    try:
        while (i := _claim(counter, len(args))) < len(args):
            try:
                payload = pickle.dumps((i, True, fn(_SHARED, *args[i])), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as e:  # noqa: BLE001 - sent to the main process and raised there
                payload = pickle.dumps((i, False, e), protocol=pickle.HIGHEST_PROTOCOL)
                conn.send_bytes(payload)
                return
            conn.send_bytes(payload)
    finally:
        conn.close()


def _drain(conn: Any, inbox: Any) -> None:
    """Reader thread: move a worker's pickled results into *inbox*; None at the end."""
    try:
        while True:
            inbox.put(conn.recv_bytes())
    except (EOFError, OSError):
        pass
    finally:
        inbox.put(None)


def _fork_map_shared(fn: Callable, state: Any, args: list[tuple], n_forked: int) -> Iterator[Any]:
    """``fn(state, *a)`` for each ``a``, in order, on *n_forked* forked processes and this one."""
    import multiprocessing
    import pickle
    import queue
    import threading

    global _SHARED
    n = len(args)
    ctx = multiprocessing.get_context("fork")
    counter = ctx.Value("q", 0)
    inbox: queue.Queue = queue.Queue()
    procs, threads, recvs = [], [], []
    _SHARED = state
    try:
        for _ in range(min(n_forked, max(0, n - 1))):
            recv, send = ctx.Pipe(duplex=False)
            recvs.append(recv)
            p = ctx.Process(target=_fork_worker, args=(fn, args, counter, send, os.getpid(), recvs))
            p.start()
            send.close()
            procs.append(p)
            t = threading.Thread(target=_drain, args=(recv, inbox), daemon=True)
            t.start()
            threads.append(t)
        done: dict[int, Any] = {}
        open_pipes = len(threads)
        for k in range(n):
            while k not in done:
                try:  # results already here first: they may be the one wanted
                    data = inbox.get_nowait()
                except queue.Empty:
                    i = _claim(counter, n)
                    if i < n:  # work instead of waiting
                        done[i] = fn(state, *args[i])
                        continue
                    if not open_pipes:
                        raise WorkerDiedError(f"workers: a worker process died before finishing task {k} of {n}"
                                              f"{_death_note(procs)}") from None
                    data = inbox.get()
                if data is None:
                    open_pipes -= 1
                    if counter.value < n:  # a worker stops early only by dying (errors come first)
                        raise WorkerDiedError(f"workers: a worker process died with tasks left (task {k} of {n} "
                                              f"awaited){_death_note(procs)}")
                    continue
                i, ok, value = pickle.loads(data)
                if not ok:
                    raise value
                done[i] = value
            yield done.pop(k)
    finally:
        _SHARED = None
        for p in procs:
            if p.is_alive():
                p.terminate()
            p.join()
        for t in threads:
            t.join()


class DaskRunner(Runner):
    """A Dask distributed cluster (``pip install exactpoly[distributed]``)."""

    min_parents = 16

    def __init__(self, address: str) -> None:
        try:
            from dask.distributed import Client
        except ImportError as e:  # pragma: no cover - depends on the extra
            raise DomainError("scheduler: Dask is not installed; install exactpoly[distributed]") from e
        try:
            self._client = Client(address, timeout="20s")
        except (OSError, TimeoutError) as e:
            raise DomainError(f"scheduler: cannot connect to {address!r}: {e}") from e
        info = self._client.scheduler_info()
        self.workers = max(2, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))

    def map(self, fn: Callable, args: Iterable[tuple]) -> Iterator[Any]:
        return _dask_results(self._client.map(_star, [(fn, a) for a in args], pure=False))

    def map_shared(self, fn: Callable, state: Any, args: Iterable[tuple]) -> Iterator[Any]:
        shared = self._client.scatter(state, broadcast=True)
        return _dask_results([self._client.submit(fn, shared, *a, pure=False) for a in args])

    def close(self) -> None:
        self._client.close()


def _dask_results(futures: list) -> Iterator[Any]:
    """The results of Dask *futures* in order; a task whose workers kept dying raises WorkerDiedError."""
    from distributed import KilledWorker

    for k, f in enumerate(futures):
        try:
            yield f.result()
        except KilledWorker as e:
            why = " ".join(str(e).split())  # one line
            raise WorkerDiedError(f"scheduler: Dask workers died running task {k} of {len(futures)}: {why}") from None


def make_runner(workers: int | None = 1, scheduler: str | None = None) -> Runner:
    """A runner for *workers* local processes, or for the Dask scheduler at *scheduler*.

    Parameters
    ----------
    workers : int or None
        1 (default) runs serially in this process; None means all usable cores.
    scheduler : str, optional
        Address of a Dask distributed scheduler (``tcp://HOST:PORT``); overrides
        *workers*.
    """
    if scheduler is not None:
        return DaskRunner(scheduler)
    if workers is None:
        workers = default_workers()
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise DomainError(f"workers: expected a positive integer, got {workers!r}")
    return Runner() if workers == 1 else ProcessRunner(workers)
