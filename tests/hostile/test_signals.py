"""Signals and dying processes (docs/limits.md, "Signals"): the CLI as a subprocess, killed,
interrupted or losing a worker, must give one line on stderr, the documented exit status,
no orphaned worker and no stray file.

Every child runs with a memory cap (``RLIMIT_AS``) and in its own session, so that a
signal sent to its process group reaches only the processes started here; every pid
seen is killed at the end of its test (only those).
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from exactpoly.parallel import WorkerDiedError, iter_completed, make_runner

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

ROOT = Path(__file__).resolve().parents[2]
MEMORY_CAP = 2 << 30  # bytes of address space per CLI process (3-60-30-1 needs less than 1 GiB)
TIMEOUT = 120  # seconds for one CLI run
# a pool of two networks, each running for seconds (the ProcessPoolExecutor path)
TABLE1 = ["table1", "--archs", "3-30-15-1", "--seeds", "0-1", "--box", "1", "--no-cache", "--workers", "2",
          "--no-progress"]


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}


class Cli:
    """One CLI run in *workdir*; stdout and stderr go to files outside it."""

    def __init__(self, argv: list[str], workdir: Path, logs: Path, env: dict[str, str]) -> None:
        self.out, self.err = open(logs / "stdout", "wb"), open(logs / "stderr", "wb")
        self.proc = subprocess.Popen([sys.executable, *argv], cwd=workdir, env=env, stdout=self.out,
                                     stderr=self.err, preexec_fn=_cap_memory, start_new_session=True)
        self.logs = logs
        self.seen: set[int] = set()  # the CLI's children ever seen (its workers)

    def children(self) -> set[int]:
        """Current children of the CLI process, from /proc (no psutil)."""
        kids: set[int] = set()
        try:
            for task in os.listdir(f"/proc/{self.proc.pid}/task"):
                with open(f"/proc/{self.proc.pid}/task/{task}/children") as fh:
                    kids |= {int(k) for k in fh.read().split()}
        except OSError:
            pass
        self.seen |= kids
        return kids

    def wait_for_workers(self, n: int = 1, timeout: float = 60) -> set[int]:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if len(kids := self.children()) >= n:
                return kids
            assert self.proc.poll() is None, f"the CLI ended before starting workers: {self.stderr()!r}"
            time.sleep(0.02)
        raise AssertionError(f"no {n} worker processes within {timeout} s")

    def wait(self) -> int:
        rc = self.proc.wait(timeout=TIMEOUT)
        self.out.close()
        self.err.close()
        return rc

    def stderr(self) -> str:
        return (self.logs / "stderr").read_text()

    def kill_all(self) -> None:
        """SIGKILL whatever is left of the processes started here (only those)."""
        for pid in [self.proc.pid, *self.seen]:
            if _is_running(pid):
                os.kill(pid, signal.SIGKILL)
        self.proc.wait(timeout=TIMEOUT)
        self.out.close()
        self.err.close()


def _is_running(pid: int) -> bool:
    """Whether *pid* exists and is not a zombie (a dead child nobody reaped)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _all_gone(pids: set[int], timeout: float = 5) -> set[int]:
    """The pids of *pids* still running after *timeout* seconds."""
    end = time.monotonic() + timeout
    while (alive := {p for p in pids if _is_running(p)}) and time.monotonic() < end:
        time.sleep(0.05)
    return alive


def _one_line(text: str) -> str:
    assert "Traceback" not in text
    assert text.count("\n") == 1 and text.endswith("\n"), f"expected one line on stderr, got {text!r}"
    return text


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


@pytest.fixture(scope="module")
def nets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``big.json`` (3-60-30-1: about 10 s on 2 cores, 1e5 regions) and ``small.json`` (3-7-1)."""
    d = tmp_path_factory.mktemp("nets")
    for name, arch in (("big.json", "3-60-30-1"), ("small.json", "3-7-1")):
        subprocess.run([sys.executable, "-m", "exactpoly", "random", "--arch", arch, "--seed", "0", "-o", name],
                       cwd=d, env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True, timeout=TIMEOUT)
    return d


@pytest.fixture
def run(tmp_path: Path):
    """``run(argv)``: a :class:`Cli` in ``tmp_path / "work"``, everything it started killed afterwards."""
    started: list[Cli] = []
    (tmp_path / "work").mkdir()
    (tmp_path / "logs").mkdir()

    def start(argv: list[str], **env: str) -> Cli:
        cli = Cli(argv, tmp_path / "work", tmp_path / "logs", {**_env(tmp_path), **env})
        started.append(cli)
        return cli

    yield start
    for cli in started:
        cli.kill_all()


# item 8: SIGKILL to the main process (nothing can run in it) must not leave workers behind

@pytest.mark.parametrize(("argv", "n_workers"), [
    (["regions", "{nets}/big.json", "--workers", "2", "--no-progress", "--out", "complex.json"], 1),
    ([*TABLE1, "-o", "t.md"], 2),
], ids=["forked-workers", "process-pool"])
def test_sigkill_of_the_main_process_takes_the_workers_with_it(run, nets, tmp_path, argv, n_workers):
    cli = run(["-m", "exactpoly", *(a.format(nets=nets) for a in argv)])
    workers = cli.wait_for_workers(n_workers)
    time.sleep(0.5)  # the workers are busy now
    os.kill(cli.proc.pid, signal.SIGKILL)
    assert cli.wait() == -signal.SIGKILL
    assert _all_gone(workers) == set(), "workers outlived their parent"
    assert _files(tmp_path / "work") == []


# item 9: SIGTERM is handled like Ctrl-C: workers stopped, temporary files removed, one line

@pytest.mark.parametrize(("sig", "to_group", "status", "message"), [
    (signal.SIGTERM, False, 143, "exactpoly: terminated (SIGTERM)\n"),
    (signal.SIGTERM, True, 143, "exactpoly: terminated (SIGTERM)\n"),
    (signal.SIGINT, False, 130, "exactpoly: interrupted\n"),
    (signal.SIGINT, True, 130, "exactpoly: interrupted\n"),  # Ctrl-C in a terminal: the whole group
], ids=["term", "term-group", "int", "int-group"])
def test_signal_during_the_build_stops_workers(run, nets, tmp_path, sig, to_group, status, message):
    cli = run(["-m", "exactpoly", "regions", str(nets / "big.json"), "--workers", "2", "--no-progress",
               "--out", "complex.json"])
    workers = cli.wait_for_workers()
    time.sleep(0.5)
    (os.killpg if to_group else os.kill)(cli.proc.pid, sig)
    assert cli.wait() == status
    assert _one_line(cli.stderr()) == message
    assert _all_gone(workers) == set()
    assert _files(tmp_path / "work") == []


@pytest.mark.parametrize("argv", [["table1", "--archs", "3-30-15-1"], ["histogram", "--arch", "3-30-15-1"]],
                         ids=["table1", "histogram"])
def test_sigterm_stops_a_process_pool_without_waiting_for_its_jobs(run, tmp_path, argv):
    cli = run(["-m", "exactpoly", *argv, "--seeds", "0-1", "--box", "1", "--no-cache", "--workers", "2",
               "--no-progress", "-o", "out.txt"])
    workers = cli.wait_for_workers(2)
    time.sleep(0.5)
    t0 = time.monotonic()
    os.kill(cli.proc.pid, signal.SIGTERM)
    assert cli.wait() == 143
    assert time.monotonic() - t0 < 10, "the main process waited for the running jobs"
    assert _one_line(cli.stderr()) == "exactpoly: terminated (SIGTERM)\n"
    assert _all_gone(workers) == set()
    assert _files(tmp_path / "work") == []


# the final write, held open at its fsync: the temporary file exists when the signal comes
SLOW_FSYNC = """
import os, sys, time
_fsync = os.fsync
def held_fsync(fd):
    _fsync(fd)
    open(os.environ["EXACTPOLY_TEST_MARK"], "w").close()
    time.sleep(60)
os.fsync = held_fsync
from exactpoly.cli import main
sys.exit(main())
"""


@pytest.mark.parametrize(("sig", "status"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)], ids=["term", "int"])
@pytest.mark.parametrize("existing", [False, True], ids=["new", "existing"])
def test_signal_during_the_final_write_leaves_no_temporary_file(run, nets, tmp_path, sig, status, existing):
    mark = tmp_path / "logs" / "writing"
    old = b"an earlier result\n"
    if existing:
        (tmp_path / "work" / "complex.json").write_bytes(old)
    cli = run(["-c", SLOW_FSYNC, "regions", str(nets / "small.json"), "--out", "complex.json"],
              EXACTPOLY_TEST_MARK=str(mark))
    end = time.monotonic() + 60
    while not mark.exists():
        assert cli.proc.poll() is None and time.monotonic() < end, cli.stderr()
        time.sleep(0.02)
    assert [n for n in _files(tmp_path / "work") if n.endswith(".tmp")], "the write had not started"
    os.kill(cli.proc.pid, sig)
    assert cli.wait() == status
    assert _one_line(cli.stderr()).startswith("exactpoly: ")
    assert _files(tmp_path / "work") == (["complex.json"] if existing else [])
    if existing:
        assert (tmp_path / "work" / "complex.json").read_bytes() == old


# item 10: a worker that dies is one line and exit status 1

@pytest.mark.parametrize(("argv", "n_workers"), [
    (["regions", "{nets}/big.json", "--workers", "2", "--no-progress", "--out", "complex.json"], 1),
    ([*TABLE1, "-o", "t.md"], 2),
], ids=["forked-workers", "process-pool"])
def test_a_dead_worker_is_one_line_and_status_1(run, nets, tmp_path, argv, n_workers):
    cli = run(["-m", "exactpoly", *(a.format(nets=nets) for a in argv)])
    workers = cli.wait_for_workers(n_workers)
    time.sleep(0.5)
    victim = min(workers)
    os.kill(victim, signal.SIGKILL)  # as the OOM killer would
    assert cli.wait() == 1
    line = _one_line(cli.stderr())
    assert line.startswith("exactpoly: error: workers: a worker process died")
    assert _all_gone(workers) == set()
    assert _files(tmp_path / "work") == []


# the same, in this process (fast): every pool reports WorkerDiedError, a RuntimeError

def _exit_in_worker(job: int) -> int:
    if job == 3:
        os._exit(7)
    return job


def _exit_outside(state: tuple[int, str], i: int) -> int:
    parent, flag = state
    if os.getpid() != parent:
        open(flag, "w").close()
        os._exit(7)
    end = time.monotonic() + 60
    while not os.path.exists(flag) and time.monotonic() < end:  # leave tasks until a worker took one
        time.sleep(0.01)
    return i


def test_iter_completed_reports_a_dead_worker():
    with pytest.raises(WorkerDiedError, match=r"workers: a worker process died .* jobs unfinished$"):
        list(iter_completed(_exit_in_worker, list(range(6)), workers=2))


def test_process_runner_map_reports_a_dead_worker():
    with make_runner(2) as r, pytest.raises(WorkerDiedError, match="worker process died"):
        list(r.map(_exit_in_worker, [(i,) for i in range(6)]))


def test_forked_map_shared_names_how_the_worker_died(tmp_path):
    with make_runner(2) as r, pytest.raises(WorkerDiedError, match=r"exit status 7\)$"):
        list(r.map_shared(_exit_outside, (os.getpid(), str(tmp_path / "died")), [(i,) for i in range(50)]))
    assert issubclass(WorkerDiedError, RuntimeError)


def test_main_restores_the_signal_handlers(capsys):
    from exactpoly.cli import main

    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    assert main(["random", "--arch", "1-2-1"]) == 0
    assert '"input_dim": 1' in capsys.readouterr().out
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before
