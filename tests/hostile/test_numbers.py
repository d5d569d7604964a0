"""Hostile numbers on the command line: one size limit (EXACTPOLY_MAX_DIGITS), one clear line, nothing left behind.

Each case runs ``python -m exactpoly`` as a child process with a timeout and a cap on its
address space, so a number like ``1e999999999999`` that used to hang (computing
``10**999999999999``) or exhaust memory fails the test instead of the machine.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MEMORY_CAP = 3 * 2 ** 30  # bytes of address space for the child
TIMEOUT = 120  # seconds; every case takes about one (the interpreter's start-up)
HUGE_EXPONENT = "1e999999999999"
LIMIT_MESSAGE = "is too large"


def _cap_memory() -> None:  # runs in the child, before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_cli(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python -m exactpoly ARGS`` in *cwd* with PYTHONPATH set, no EXACTPOLY_* from outside, *env* added."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("EXACTPOLY_")}
    base.update({"PYTHONPATH": str(ROOT), "HOME": str(cwd), "XDG_CACHE_HOME": str(cwd / ".cache"),
                 "OPENBLAS_NUM_THREADS": "1", **(env or {})})
    return subprocess.run([sys.executable, "-m", "exactpoly", *args], cwd=cwd, env=base, capture_output=True,
                          text=True, timeout=TIMEOUT, preexec_fn=_cap_memory, check=False)


def assert_one_line_error(proc: subprocess.CompletedProcess, *fragments: str, status: int = 2) -> None:
    assert proc.returncode == status, proc.stderr[-2000:]
    assert proc.stdout == ""
    assert proc.stderr.startswith("exactpoly: ") and proc.stderr.count("\n") == 1, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr) < 500  # the bad value is quoted by a short prefix, never echoed whole
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr


def _net(weight: str = "1", bias: str = "0") -> dict:
    return {"format": "exactpoly.relu-net/1", "input_dim": 2,
            "layers": [{"weight": [[weight, "0"]], "bias": [bias]}, {"weight": [["1"]], "bias": ["0"]}]}


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "net.json").write_text(json.dumps(_net()))
    return tmp_path


def _left(cwd: Path) -> set[str]:
    return {p.name for p in cwd.iterdir()}


@pytest.mark.parametrize("value", [HUGE_EXPONENT, "1e999999", "-1e-999999", "1" * 10 ** 6, "1/" + "7" * 5000],
                         ids=["exp12", "exp6", "negexp6", "digits1e6", "den5000"])
def test_network_weight(files, value):
    (files / "bad.json").write_text(json.dumps(_net(weight=value)))
    proc = run_cli(files, "regions", "bad.json", "--out", "out.json")
    assert_one_line_error(proc, "bad.json", "weight[0][0]", LIMIT_MESSAGE, "EXACTPOLY_MAX_DIGITS")
    assert _left(files) == {"net.json", "bad.json"}


def test_network_bias_at_the_limit_is_read_and_printed(files):
    """4300 digits are allowed; results with more (here the volume (2B)^2) are still printed."""
    (files / "ok.json").write_text(json.dumps(_net(bias="1e4299")))
    proc = run_cli(files, "regions", "ok.json", "--box", "1e4299", "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = json.loads(proc.stdout)
    assert summary["domain"]["box"] == "1" + "0" * 4299
    assert summary["volume_total"] == "4" + "0" * 8598  # (2 * 10^4299)^2, beyond Python's int->str limit


def test_arrangement_row(files):
    (files / "arr.json").write_text(json.dumps({"format": "exactpoly.arrangement/1", "dim": 2,
                                                "hyperplanes": [["1", "0", "1"], [HUGE_EXPONENT, "1", "0"]]}))
    proc = run_cli(files, "arrangement", "arr.json")
    assert_one_line_error(proc, "arr.json", "hyperplanes[1][0]", LIMIT_MESSAGE)


def test_fdim_sample(files):
    (files / "x.json").write_text(json.dumps([["1/2", "1/3"], ["0", "1e-999999"]]))
    proc = run_cli(files, "fdim", "net.json", "--samples", "x.json", "--json")
    assert_one_line_error(proc, "samples[1][1]", LIMIT_MESSAGE)


@pytest.mark.parametrize("box", [HUGE_EXPONENT, "1e999999", "1e4300", "1/" + "3" * 30000, "9" * 10 ** 5])
def test_regions_box(files, box):
    """The message names box and the limit, not Python's sys.set_int_max_str_digits() hint; no output file."""
    proc = run_cli(files, "regions", "net.json", "--box", box, "--out", "out.json", "--csv", "r.csv")
    assert_one_line_error(proc, "box", LIMIT_MESSAGE, "EXACTPOLY_MAX_DIGITS")
    assert "set_int_max_str_digits" not in proc.stderr
    assert _left(files) == {"net.json"}


def test_fdim_box(files):
    proc = run_cli(files, "fdim", "net.json", "--random-samples", "3", "--box", "1e999999")
    assert_one_line_error(proc, "box", LIMIT_MESSAGE)


def test_slice_dirs(files):
    proc = run_cli(files, "slice", "net.json", "--dirs", f"1,0;0,{HUGE_EXPONENT}")
    assert_one_line_error(proc, "--dirs[1]", LIMIT_MESSAGE)


def test_sweep_values(files):
    proc = run_cli(files, "sweep", "--vary", "bias", "--values", f"0,{HUGE_EXPONENT}", "--arch", "2-2-1",
                   "--seeds", "0", "--no-cache", "-o", "table.md")
    assert_one_line_error(proc, "values", LIMIT_MESSAGE)
    assert _left(files) == {"net.json"}  # no table, no cache directory


def test_limit_is_lowered_by_the_environment(files):
    ok = run_cli(files, "regions", "net.json", "--box", "99", "--json", env={"EXACTPOLY_MAX_DIGITS": "2"})
    assert ok.returncode == 0 and json.loads(ok.stdout)["domain"]["box"] == "99"
    proc = run_cli(files, "regions", "net.json", "--box", "100", env={"EXACTPOLY_MAX_DIGITS": "2"})
    assert_one_line_error(proc, "box", "limited to 2 digits", "EXACTPOLY_MAX_DIGITS")


def test_limit_is_raised_by_the_environment(files):
    """Beyond 4300 digits Python's own int <-> str limit must be raised too: the message says so."""
    proc = run_cli(files, "regions", "net.json", "--box", "1e4300", "--out", "out.json",
                   env={"EXACTPOLY_MAX_DIGITS": "4301"})
    assert_one_line_error(proc, "box", "PYTHONINTMAXSTRDIGITS", "EXACTPOLY_MAX_DIGITS")
    assert _left(files) == {"net.json"}
    proc = run_cli(files, "regions", "net.json", "--box", "1e4300", "--json",
                   env={"EXACTPOLY_MAX_DIGITS": "4301", "PYTHONINTMAXSTRDIGITS": "9000"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)["domain"]["box"] == "1" + "0" * 4300


@pytest.mark.parametrize("raw", ["many", "0", "-1"])
def test_bad_limit_setting(files, raw):
    proc = run_cli(files, "regions", "net.json", env={"EXACTPOLY_MAX_DIGITS": raw})
    assert_one_line_error(proc, "EXACTPOLY_MAX_DIGITS: expected a positive integer")
