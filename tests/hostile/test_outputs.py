"""Hostile output paths: every output is checked before any work, never replaces an input, a link,
a FIFO or a device, keeps permission bits, and a command's outputs are written all or none.

Each case runs the CLI as a subprocess (timeout, address-space cap) and checks the exit status,
a one-line stderr without a traceback, and exactly which files are left behind. The disk-full
cases mount a 64 KiB tmpfs when run as root (skipped otherwise) and have in-process twins that
simulate ENOSPC, which always run.
"""

from __future__ import annotations

import errno
import json
import os
import resource
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from exactpoly.cli import main

ROOT = Path(__file__).resolve().parents[2]
NET = ROOT / "examples" / "random_3-7-1_seed0.json"  # 3-7-1: --out ~100 kB, --graphml ~26 kB, --csv ~8 kB
MEMORY = 3 << 30  # bytes of address space for the child (PyTorch needs ~2 GiB of it)


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def cli(cwd: Path, *argv: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m exactpoly ARGV`` in *cwd*, this worktree on PYTHONPATH, memory capped."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXACTPOLY_")}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run([sys.executable, "-m", "exactpoly", *argv], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout, preexec_fn=_cap_memory)


def one_line_error(p: subprocess.CompletedProcess[str], status: int, *fragments: str) -> str:
    """The single stderr line of a failed run, after checking status, traceback and *fragments*."""
    assert p.returncode == status, p.stderr
    assert "Traceback" not in p.stderr
    lines = p.stderr.splitlines()
    assert len(lines) == 1, p.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    assert ".tmp" not in lines[0]  # the user's path, never a temporary file
    return lines[0]


def listing(directory: Path) -> list[str]:
    """Every path under *directory*, relative, sorted (so stray temporary files show)."""
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*"))


@pytest.fixture
def net(tmp_path: Path) -> Path:
    path = tmp_path / "n.json"
    shutil.copyfile(NET, path)
    return path


# --------------------------------------------------------------- 13: checked before computing

# Inputs that do not exist or runs that would take minutes: an answer within the timeout naming
# the output proves the output was checked first.
BAD_BEFORE_WORK = [
    (["regions", "missing.json", "--out", "nodir/c.json"], "--out"),
    (["regions", "missing.json", "--graphml", "nodir/g.graphml"], "--graphml"),
    (["regions", "missing.json", "--csv", "nodir/c.csv"], "--csv"),
    (["random", "--arch", "3-7-1", "-o", "nodir/n.json"], "--output"),
    (["convert", "missing.npz", "-o", "nodir/n.json"], "--output"),
    (["table1", "--archs", "3-60-30-1", "--seeds", "0-9", "--no-cache", "--workers", "1", "-o", "nodir/t.md"],
     "--output"),
    (["histogram", "--arch", "3-60-30-1", "--seeds", "0-9", "--no-cache", "--plot", "nodir/h.png"], "--plot"),
    (["sweep", "--vary", "width", "--values", "300", "--no-cache", "-o", "nodir/s.md"], "--output"),
    (["sample", "missing.json", "--plot", "nodir/s.png"], "--plot"),
    (["slice", "missing.json", "--random-plane", "--plot", "nodir/s.png"], "--plot"),
    (["train", "--epochs", "100000", "--plot", "nodir/t.png"], "--plot"),
    (["train", "--epochs", "100000", "-o", "nodir/t.md"], "--output"),
]


@pytest.mark.parametrize("argv, option", BAD_BEFORE_WORK, ids=lambda v: " ".join(v) if isinstance(v, list) else v)
def test_missing_output_directory_is_refused_before_any_work(tmp_path, argv, option):
    p = cli(tmp_path, *argv, timeout=60)
    bad = argv[argv.index(option if option in argv else "-o") + 1]
    one_line_error(p, 2, option, repr(bad), "directory 'nodir' does not exist")
    assert listing(tmp_path) == []


def test_snapshots_under_a_file_is_refused_before_training(tmp_path):
    (tmp_path / "file").write_text("keep")
    p = cli(tmp_path, "train", "--epochs", "100000", "--snapshots", "file/snaps", timeout=60)
    one_line_error(p, 2, "--snapshots", "'file/snaps/epoch_000.json'", "Not a directory")
    assert listing(tmp_path) == ["file"] and (tmp_path / "file").read_text() == "keep"


@pytest.mark.parametrize("argv", [
    ["regions", "n.json", "--out", ""], ["regions", "n.json", "--graphml", ""], ["regions", "n.json", "--csv", ""],
    ["random", "--arch", "2-3-1", "-o", ""], ["convert", "n.json", "-o", ""], ["sample", "n.json", "--plot", ""],
    ["slice", "n.json", "--random-plane", "--plot", ""], ["train", "--epochs", "100000", "--snapshots", ""],
], ids=" ".join)
def test_empty_output_path_is_an_error(tmp_path, net, argv):
    p = cli(tmp_path, *argv, timeout=60)
    one_line_error(p, 2, "empty path")
    assert listing(tmp_path) == ["n.json"]


def test_directory_as_output_is_refused(tmp_path, net):
    (tmp_path / "d").mkdir()
    p = cli(tmp_path, "regions", "n.json", "--out", "d")
    one_line_error(p, 2, "--out", "'d'", "is a directory")
    assert listing(tmp_path) == ["d", "n.json"]


def test_read_only_directory_is_refused(tmp_path, net):
    if os.geteuid() == 0:
        pytest.skip("root may write into a read-only directory")
    (tmp_path / "ro").mkdir(mode=0o555)
    p = cli(tmp_path, "regions", "n.json", "--out", "ro/c.json")
    one_line_error(p, 2, "--out", "'ro/c.json'", "not writable")


# --------------------------------------------------------------- 14: never replace the wrong thing

@pytest.mark.parametrize("argv", [
    ["regions", "n.json", "--out", "n.json"],
    ["regions", "n.json", "--out", "./n.json"],
    ["regions", "n.json", "--csv", "hard.json"],      # a hard link to the input
    ["regions", "n.json", "--graphml", "link.json"],  # a symbolic link to the input
    ["regions", "link.json", "--out", "n.json"],
    ["convert", "n.json", "-o", "n.json"],
    ["sample", "n.json", "--plot", "n.json"],
    ["slice", "n.json", "--random-plane", "--plot", "hard.json"],
], ids=" ".join)
def test_input_file_is_never_overwritten(tmp_path, net, argv):
    os.link(net, tmp_path / "hard.json")
    os.symlink("n.json", tmp_path / "link.json")
    before = net.read_bytes()
    p = cli(tmp_path, *argv)
    one_line_error(p, 2, "refusing to overwrite the input file")
    assert net.read_bytes() == before and os.path.islink(tmp_path / "link.json")
    assert listing(tmp_path) == ["hard.json", "link.json", "n.json"]


@pytest.mark.parametrize("second", ["a.json", "./a.json", "same.json"])
def test_two_outputs_at_one_path_are_refused(tmp_path, net, second):
    (tmp_path / "a.json").write_text("old")
    os.link(tmp_path / "a.json", tmp_path / "same.json")
    p = cli(tmp_path, "regions", "n.json", "--out", "a.json", "--csv", second)
    one_line_error(p, 2, "--csv", f"{second!r} is also the path of --out ('a.json')")
    assert (tmp_path / "a.json").read_text() == "old"
    assert listing(tmp_path) == ["a.json", "n.json", "same.json"]


def test_outputs_written_through_symlinks(tmp_path, net):
    (tmp_path / "real.json").write_text("old")
    os.symlink("real.json", tmp_path / "link.json")
    os.symlink("sub/new.csv", tmp_path / "dangling.csv")
    (tmp_path / "sub").mkdir()
    p = cli(tmp_path, "regions", "n.json", "--out", "link.json", "--csv", "dangling.csv")
    assert p.returncode == 0 and p.stderr == ""
    assert os.readlink(tmp_path / "link.json") == "real.json"
    assert os.readlink(tmp_path / "dangling.csv") == "sub/new.csv"
    assert json.loads((tmp_path / "real.json").read_text())["format"] == "exactpoly.region-complex/1"
    assert (tmp_path / "sub" / "new.csv").read_text().startswith("region,")
    assert listing(tmp_path) == ["dangling.csv", "link.json", "n.json", "real.json", "sub", "sub/new.csv"]


@pytest.mark.parametrize("mode", [0o640, 0o600, 0o755])
def test_permission_bits_of_a_replaced_file_are_kept(tmp_path, net, mode):
    out = tmp_path / "c.json"
    out.write_text("old")
    os.chmod(out, mode)
    p = cli(tmp_path, "regions", "n.json", "--out", "c.json")
    assert p.returncode == 0
    assert stat.S_IMODE(os.stat(out).st_mode) == mode and out.read_text().startswith("{")


def test_fifo_is_written_in_place(tmp_path, net):
    expected = cli(tmp_path, "regions", "n.json", "--out", "expected.json")
    assert expected.returncode == 0
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    p = cli(tmp_path, "regions", "n.json", "--out", "fifo", timeout=60)
    reader.join(30)
    assert p.returncode == 0 and p.stderr == ""
    assert got == [(tmp_path / "expected.json").read_bytes()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert listing(tmp_path) == ["expected.json", "fifo", "n.json"]


def test_device_stays_a_device(tmp_path, net):
    # as root, a private null device (a regression replaces it, not the machine's /dev/null);
    # other users cannot replace /dev/null, so they test that
    null = "/dev/null"
    if os.geteuid() == 0:
        null = str(tmp_path / "null")
        os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    before = os.stat(null)
    p = cli(tmp_path, "regions", "n.json", "--out", null, "--graphml", null, "--csv", null)
    assert p.returncode == 0 and p.stderr == ""
    after = os.lstat(null)
    assert stat.S_ISCHR(after.st_mode) and (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert listing(tmp_path) == sorted(["n.json", *(["null"] if null != "/dev/null" else [])])


def test_train_writes_snapshots_into_new_directories(tmp_path):
    p = cli(tmp_path, "train", "--arch", "3-2-1", "--epochs", "1", "--snapshots", "runs/a", "-o", "t.md",
            "--plot", "t.png")
    assert p.returncode == 0, p.stderr
    assert listing(tmp_path) == ["runs", "runs/a", "runs/a/epoch_000.json", "runs/a/epoch_001.json", "t.md", "t.png"]


# --------------------------------------------------------------- 15: disk full (a 64 KiB tmpfs, as root)

@pytest.fixture
def full(tmp_path: Path):
    """A directory on a full 64 KiB tmpfs holding ``old.json`` ("old") and a filler."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    d = tmp_path / "full"
    d.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(d)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        (d / "old.json").write_text("old")
        with open(d / "filler", "wb", buffering=0) as fh:
            try:
                while True:
                    fh.write(b"x" * 4096)
            except OSError as e:
                assert e.errno == errno.ENOSPC
        yield d
    finally:
        subprocess.run(["umount", str(d)], check=True)


def test_disk_full_keeps_the_old_file_and_names_the_path(tmp_path, net, full):
    p = cli(tmp_path, "regions", "n.json", "--out", "full/old.json")
    one_line_error(p, 1, "--out: cannot write 'full/old.json': No space left on device")
    assert (full / "old.json").read_text() == "old"
    assert listing(full) == ["filler", "old.json"]


def test_outputs_are_written_all_or_none(tmp_path, net, full):
    (tmp_path / "c.json").write_text("old")
    p = cli(tmp_path, "regions", "n.json", "--out", "c.json", "--graphml", "full/g.graphml", "--csv", "c.csv")
    one_line_error(p, 1, "--graphml: cannot write 'full/g.graphml': No space left on device")
    assert (tmp_path / "c.json").read_text() == "old"
    assert listing(tmp_path) == ["c.json", "full", "full/filler", "full/old.json", "n.json"]


def test_train_leaves_no_snapshot_directory_when_a_write_fails(tmp_path, full):
    p = cli(tmp_path, "train", "--arch", "3-2-1", "--epochs", "1", "--snapshots", "runs/a", "-o", "full/t.md")
    one_line_error(p, 1, "--output: cannot write 'full/t.md': No space left on device")
    assert listing(tmp_path) == ["full", "full/filler", "full/old.json"]


# --------------------------------------------------------------- 15: in-process twins (any user)

def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_disk_full_in_process_names_the_path(tmp_path, net, monkeypatch, capsys):
    out = tmp_path / "c.json"
    out.write_text("old")
    monkeypatch.setattr(os, "fsync", _enospc)
    code = main(["regions", str(net), "--out", str(out)])
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert code == 1 and err == f"exactpoly: error: --out: cannot write {str(out)!r}: No space left on device\n"
    assert out.read_text() == "old" and listing(tmp_path) == ["c.json", "n.json"]


@pytest.mark.parametrize("failure, status", [(_enospc, 1), (KeyboardInterrupt, 130)])
def test_all_or_none_in_process(tmp_path, net, monkeypatch, capsys, failure, status):
    import exactpoly.io.export as export

    def fail(cx, path):
        raise failure()

    (tmp_path / "c.json").write_text("old")
    monkeypatch.setattr(export, "write_region_csv", fail)  # --csv is written after --out and --graphml
    code = main(["regions", str(net), "--out", str(tmp_path / "c.json"), "--graphml", str(tmp_path / "g.graphml"),
                 "--csv", str(tmp_path / "c.csv")])
    err = capsys.readouterr().err
    assert code == status and len(err.splitlines()) == 1
    assert (tmp_path / "c.json").read_text() == "old" and listing(tmp_path) == ["c.json", "n.json"]
