"""Hostile input files through the CLI: deeply nested JSON and endless devices are one line, exit 2.

Each case runs ``python -m exactpoly`` as a subprocess with a timeout and an address-space
cap, and checks the exit status, a single stderr line without a traceback, and that no file
was left behind.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MEMORY_CAP = 4 << 30  # bytes of address space for the child (torch needs more than 2 GiB)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_cli(args: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 60):
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "exactpoly", *args], cwd=cwd, env=full_env, capture_output=True,
                          text=True, timeout=timeout, preexec_fn=_limit_memory, check=False)


def assert_one_line_error(res, status: int, *fragments: str) -> None:
    lines = res.stderr.strip().splitlines()
    assert res.returncode == status, res.stderr[-2000:]
    assert len(lines) == 1, res.stderr[-2000:]
    assert "Traceback" not in res.stderr
    for frag in fragments:
        assert frag in lines[0], lines[0]


NESTED = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize("argv, name", [
    (["regions", "deep.json"], "deep.json"),
    (["verify", "deep.json"], "deep.json"),
    (["arrangement", "deep.json"], "deep.json"),
    (["fdim", "net.json", "--samples", "deep.json"], "deep.json"),
])
def test_deeply_nested_json_is_one_line(tmp_path, argv, name):
    (tmp_path / "deep.json").write_text(NESTED)
    (tmp_path / "net.json").write_text('{"format": "exactpoly.relu-net/1", "input_dim": 1, "layers": '
                                       '[{"weight": [["1"]], "bias": ["0"]}, {"weight": [["1"]], "bias": ["0"]}]}')
    before = sorted(p.name for p in tmp_path.iterdir())
    res = run_cli(argv, tmp_path)
    assert_one_line_error(res, 2, name)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_endless_device_as_network_hits_the_size_cap(tmp_path, device):
    res = run_cli(["regions", device], tmp_path, env={"EXACTPOLY_MAX_INPUT_BYTES": "1000000"}, timeout=30)
    assert_one_line_error(res, 2, device, "input limit of 1000000 bytes", "EXACTPOLY_MAX_INPUT_BYTES")


def test_default_cap_is_reported_without_reading_everything(tmp_path):
    """The default cap (1 GiB) with a 2 GiB address space: /dev/zero stops at the cap, no MemoryError."""
    res = run_cli(["regions", "/dev/zero"], tmp_path, timeout=120)
    assert_one_line_error(res, 2, "/dev/zero", "input limit")


def test_bad_cap_setting_is_one_line(tmp_path):
    (tmp_path / "n.json").write_text("{}")
    res = run_cli(["regions", "n.json"], tmp_path, env={"EXACTPOLY_MAX_INPUT_BYTES": "lots"})
    assert_one_line_error(res, 2, "EXACTPOLY_MAX_INPUT_BYTES")


@pytest.mark.parametrize("name, content, fragment", [
    ("random.npz", os.urandom(4000), "not a .npz archive"),
    ("random.pt", os.urandom(4000), "cannot load a PyTorch file"),
    ("zipstub.pt", b"PK\x03\x04garbage", "not a PyTorch file"),
])
def test_convert_garbage_never_suggests_unsafe_loading(tmp_path, name, content, fragment):
    (tmp_path / name).write_bytes(content)
    res = run_cli(["convert", name, "-o", "out.json"], tmp_path, timeout=120)
    assert_one_line_error(res, 2, name, fragment)
    for advice in ("weights_only", "allow_pickle", "pickle.load", "trust"):
        assert advice not in res.stderr
    assert not (tmp_path / "out.json").exists()


def test_high_dimensional_box_is_refused_up_front(tmp_path):
    res = run_cli(["random", "--arch", "10000-1-1", "-o", "n.json"], tmp_path, timeout=120)
    assert res.returncode == 0, res.stderr
    res = run_cli(["regions", "n.json", "--out", "c.json"], tmp_path, timeout=60)
    assert_one_line_error(res, 2, "box", "2^10000 vertices", "EXACTPOLY_MAX_BOX_DIM")
    assert not (tmp_path / "c.json").exists()


def test_triangulation_over_budget_is_null_with_a_reason(tmp_path):
    """A 12-input net with one neuron: 2 regions, no memory blow-up; the triangulation fields are
    reported as not computed, never a crash."""
    import json

    assert run_cli(["random", "--arch", "12-1-1", "-o", "n.json"], tmp_path).returncode == 0
    res = run_cli(["regions", "n.json", "--json"], tmp_path, timeout=120)
    assert res.returncode == 0, res.stderr
    s = json.loads(res.stdout)
    assert s["regions"] == 2 and s["simplices_total"] is None and s["volume_total"] is None
    assert set(s["not_computed"]) == {"simplices_total", "volume_total"}
    assert "EXACTPOLY_MAX_TRIANGULATION_FACES" in s["not_computed"]["simplices_total"]


def test_huge_plain_json_integer_is_one_line(tmp_path):
    (tmp_path / "n.json").write_text('{"format": "exactpoly.relu-net/1", "input_dim": 1, "layers": [{"weight": [['
                                     + "9" * 6000 + ']], "bias": [0]}, {"weight": [[1]], "bias": [0]}]}')
    res = run_cli(["regions", "n.json"], tmp_path)
    assert_one_line_error(res, 2, "n.json", "6000 digits", "EXACTPOLY_MAX_DIGITS")


@pytest.mark.parametrize("argv, fragment", [
    (["table1", "--archs", "", "--no-cache"], "--archs"),
    (["sweep", "--vary", "width", "--values", "", "--no-cache"], "--values"),
    (["verify", "--arch", "3-2-1", "--seeds", "0-99999999999"], "seeds"),
    (["table1", "--seeds", "0-99999999999", "--no-cache"], "seeds"),
    (["histogram", "--arch", "3-2-1", "--seeds", "0-99999999999", "--no-cache"], "seeds"),
    (["fdim", "net.json", "--random-samples", "100000000000"], "coordinates"),
    (["sample", "net.json", "--samples", "100000000000"], "coordinates"),
    (["sweep", "--vary", "width", "--values", "1000000", "--max-regions", "10", "--no-cache"], "weights"),
    (["random", "--arch", "3-100000-100000-1"], "weights"),
])
def test_absurd_counts_and_empty_lists_are_refused_up_front(tmp_path, argv, fragment):
    (tmp_path / "net.json").write_text('{"format": "exactpoly.relu-net/1", "input_dim": 3, "layers": '
                                       '[{"weight": [["1", "0", "0"]], "bias": ["0"]}, '
                                       '{"weight": [["1"]], "bias": ["0"]}]}')
    res = run_cli(argv, tmp_path, timeout=30)
    assert_one_line_error(res, 2, fragment)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.json"]


def test_diverging_training_says_so(tmp_path):
    pytest.importorskip("torch")
    res = run_cli(["train", "--arch", "3-4-1", "--epochs", "2", "--lr", "1e30", "-o", "t.md"], tmp_path, timeout=300)
    assert_one_line_error(res, 2, "training diverged", "learning rate")
    assert "nan" not in res.stderr and not (tmp_path / "t.md").exists()
