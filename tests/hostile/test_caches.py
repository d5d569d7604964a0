"""Hostile caches: a damaged, tampered or inconsistent line in table1.jsonl or histograms.jsonl is
never used. The CLI (a subprocess, under a timeout and a memory cap) prints the same table as
with a clean cache, says so in one warning line on stderr naming the cache file and the line,
drops the line from the file, and the next run is quiet: nothing to delete by hand."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from exactpoly.experiments.cache import MAX_LINE_BYTES, record_digest

ROOT = Path(__file__).resolve().parents[2]
MEMORY = 1 << 30  # bytes of address space for the child: a cache line must never be read whole into memory
TABLE1 = ["table1", "--archs", "2-3-1", "--seeds", "0-1", "--format", "csv", "--workers", "1", "--no-progress"]
HISTOGRAM = ["histogram", "--arch", "2-3-1", "--seeds", "0-1", "--format", "csv", "--workers", "1",
             "--no-progress"]


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_cli(args: list[str], cache: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXACTPOLY_")}
    env.update(PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(cache.parent / "xdg"))
    return subprocess.run([sys.executable, "-m", "exactpoly", *args, "--cache", str(cache)], capture_output=True,
                          text=True, env=env, timeout=300, preexec_fn=_cap_memory, cwd=cache.parent)


def _one_warning(proc: subprocess.CompletedProcess, *parts: str) -> str:
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("exactpoly: warning: cache ")
    for part in parts:
        assert part in lines[0]
    return lines[0]


def _records(path: Path) -> list[dict]:
    """Every line of the store, each checked: JSON, the three keys, a digest that matches."""
    recs = [json.loads(line) for line in path.read_bytes().decode("utf-8").splitlines()]
    for rec in recs:
        assert set(rec) == {"key", "result", "sha256"} and rec["sha256"] == record_digest(rec["key"], rec["result"])
    return recs


def _line(rec: dict, *, digest: bool = True) -> bytes:
    """A stored line for *rec*, with its digest recomputed (a well-formed forgery) or kept."""
    if digest:
        rec = {**rec, "sha256": record_digest(rec["key"], rec["result"])}
    return (json.dumps(rec, sort_keys=True) + "\n").encode()


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> dict[str, tuple[list[bytes], str]]:
    """The clean store lines and the output of each command, from an empty cache."""
    out = {}
    for name, args in (("table1.jsonl", TABLE1), ("histograms.jsonl", HISTOGRAM)):
        cache = tmp_path_factory.mktemp("clean") / "cache"
        proc = run_cli(args, cache)
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
        lines = (cache / name).read_bytes().splitlines(keepends=True)
        assert len(lines) == 2
        out[name] = (lines, proc.stdout)
    return out


def _store(tmp_path: Path, lines: list[bytes], name: str = "table1.jsonl") -> Path:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / name).write_bytes(b"".join(lines))
    return cache


def _seed_line(lines: list[bytes], seed: int) -> int:
    """Index of the line of *seed* (the order of a sweep's lines is that of completion)."""
    return next(i for i, ln in enumerate(lines) if json.loads(ln)["result"]["seed"] == seed)


def _after(cache: Path, name: str, clean_lines: list[bytes]) -> None:
    """The store holds exactly the clean records again (but for the machine-dependent seconds of a
    histogram), and nothing else is in the directory."""
    def timeless(result: dict) -> dict:
        return {k: v for k, v in result.items() if k != "seconds"}

    assert os.listdir(cache) == [name]
    got = {r["key"]: timeless(r["result"]) for r in _records(cache / name)}
    assert got == {json.loads(ln)["key"]: timeless(json.loads(ln)["result"]) for ln in clean_lines}


# item 11: a well-formed but wrong count is never printed silently

def test_count_edited_without_its_digest_fails_the_integrity_check(tmp_path, clean):
    lines, stdout = clean["table1.jsonl"]
    i = _seed_line(lines, 0)
    rec = json.loads(lines[i])
    rec["result"]["simplices"] += 1000
    cache = _store(tmp_path, [*lines[:i], _line(rec, digest=False), *lines[i + 1:]])
    proc = run_cli(TABLE1, cache)
    _one_warning(proc, str(cache / "table1.jsonl"), f"damaged line {i + 1} (integrity check failed) dropped")
    assert proc.stdout == stdout and "1014" not in proc.stdout
    _after(cache, "table1.jsonl", lines)


def test_forged_count_above_theorem1_is_recomputed(tmp_path, clean):
    lines, stdout = clean["table1.jsonl"]
    i = _seed_line(lines, 1)
    rec = json.loads(lines[i])
    rec["result"]["simplices"] += 1000  # digest recomputed: only the bound row can tell
    forged = rec["result"]["simplices"]
    cache = _store(tmp_path, [*lines[:i], _line(rec), *lines[i + 1:]])
    proc = run_cli(TABLE1, cache)
    _one_warning(proc, f"cache {cache / 'table1.jsonl'}: line {i + 1}: 2-3-1 seed 1: {forged} simplices exceed "
                       "the Theorem 1 upper bound 34; recomputed")
    assert proc.stdout == stdout and str(forged) not in proc.stdout
    again = run_cli(TABLE1, cache)  # the recomputed line supersedes the forged one: quiet
    assert (again.returncode, again.stderr, again.stdout) == (0, "", stdout)


def test_forged_counts_below_theorem2_are_recomputed(tmp_path, clean):
    lines, stdout = clean["table1.jsonl"]
    forged = []
    for ln in lines:
        rec = json.loads(ln)
        rec["result"]["simplices"] = 1
        forged.append(_line(rec))
    cache = _store(tmp_path, forged)
    proc = run_cli(TABLE1, cache)
    _one_warning(proc, "lines 1, 2: 2-3-1 the maximum 1 over the seeds is below the Theorem 2 lower bound 6; "
                       "recomputed")
    assert proc.stdout == stdout


def test_record_of_another_network_is_recomputed(tmp_path, clean):
    lines, stdout = clean["table1.jsonl"]
    a, b = (json.loads(ln) for ln in lines)
    a["result"], b["result"] = b["result"], a["result"]  # each under the other's key, digests recomputed
    cache = _store(tmp_path, [_line(a), _line(b)])
    proc = run_cli(TABLE1, cache)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    path = cache / "table1.jsonl"
    assert proc.stderr.splitlines() == [
        f"exactpoly: warning: cache {path}: line {n}: the record of 2-3-1 seed {theirs['result']['seed']} under the "
        f"key of 2-3-1 seed {mine['result']['seed']}; recomputed" for n, mine, theirs in ((1, b, a), (2, a, b))]
    assert proc.stdout == stdout


# item 12: damaged lines are skipped with one warning, recomputed, and dropped from the file

def _result_line(lines: list[bytes], result) -> bytes:
    key = json.loads(lines[1])["key"]
    return (json.dumps({"key": key, "result": result, "sha256": record_digest(key, result)}) + "\n").encode()


DAMAGE = {
    "byte 0xFF": (lambda lines: b"\xff\n", "not valid UTF-8"),
    "empty result": (lambda lines: _result_line(lines, {}), "'seed' missing or not a non-negative int"),
    "null result": (lambda lines: _result_line(lines, None), "result not an object"),
    "extra field": (lambda lines: lines[1].replace(b'"result": {', b'"x": 1, "result": {'), "not a record"),
    "string result": (lambda lines: _result_line(lines, "14"), "result not an object"),
    "string count": (lambda lines: _result_line(lines, {**json.loads(lines[1])["result"], "simplices": "14"}),
                     "'simplices' missing or not a non-negative int"),
    "no digest (old format)": (lambda lines: json.dumps({k: v for k, v in json.loads(lines[1]).items()
                                                         if k != "sha256"}).encode() + b"\n", "not a record"),
    "NaN": (lambda lines: lines[1].replace(b'"simplices": ', b'"simplices": NaN, "x": '), "not valid JSON"),
    "deep nesting": (lambda lines: b"[" * 200_000 + b"\n", "not valid JSON"),
    "line over 1 MiB": (lambda lines: b"x" * (2 * MAX_LINE_BYTES) + b"\n", f"longer than {MAX_LINE_BYTES} bytes"),
    "cut short": (lambda lines: lines[1][:40], "cut short"),
}


@pytest.mark.parametrize("kind", list(DAMAGE))
def test_damaged_line_is_dropped_and_recomputed(tmp_path, clean, kind):
    lines, stdout = clean["table1.jsonl"]
    damage, why = DAMAGE[kind]
    cache = _store(tmp_path, [lines[0], damage(lines)])
    proc = run_cli(TABLE1, cache)
    _one_warning(proc, str(cache / "table1.jsonl"), f"damaged line 2 ({why}", "dropped")
    assert proc.stdout == stdout
    _after(cache, "table1.jsonl", lines)


def test_every_damage_at_once_then_the_file_keeps_working(tmp_path, clean):
    lines, stdout = clean["table1.jsonl"]
    damaged = [damage(lines) for damage, _ in DAMAGE.values() if damage(lines) != lines[1][:40]]
    cache = _store(tmp_path, [lines[0], *(d if d.endswith(b"\n") else d + b"\n" for d in damaged)])
    proc = run_cli(TABLE1, cache)
    _one_warning(proc, "damaged lines 2 (not valid UTF-8), 3 (", f"and {len(damaged) - 5} more dropped")
    assert proc.stdout == stdout
    _after(cache, "table1.jsonl", lines)
    again = run_cli(TABLE1, cache)
    assert (again.returncode, again.stderr, again.stdout) == (0, "", stdout)


def test_histogram_cache_damaged_or_inconsistent(tmp_path, clean):
    lines, stdout = clean["histograms.jsonl"]
    rec = json.loads(lines[1])
    rec["result"]["regions"] += 1000  # digest recomputed; the histogram no longer counts the regions
    cache = _store(tmp_path, [b"\xff" + lines[0], _line(rec)], "histograms.jsonl")
    proc = run_cli(HISTOGRAM, cache)
    _one_warning(proc, str(cache / "histograms.jsonl"), "damaged lines 1 (not valid UTF-8), 2 (facet_histogram "
                 f"does not count the {rec['result']['regions']} regions) dropped")
    assert proc.stdout == stdout
    _after(cache, "histograms.jsonl", lines)


# the store itself

def test_append_waits_for_a_compaction_and_lands_in_the_new_file(tmp_path):
    import threading

    from exactpoly.experiments.cache import JsonlStore, _locked
    from exactpoly.io.atomic import atomic_write_bytes

    path = tmp_path / "table1.jsonl"
    JsonlStore(path).put("a", {"n": 1})
    store = JsonlStore(path)
    with _locked(path) as fh:  # another process compacting: holds the lock, then replaces the file
        writer = threading.Thread(target=store.put, args=("b", {"n": 2}))
        writer.start()
        writer.join(0.5)
        assert writer.is_alive()  # waits for the lock
        atomic_write_bytes(path, fh.read())
    writer.join(10)
    assert [r["key"] for r in _records(path)] == ["a", "b"] and JsonlStore(path).records == {"a": {"n": 1},
                                                                                              "b": {"n": 2}}
