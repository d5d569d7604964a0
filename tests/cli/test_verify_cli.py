"""`exactpoly verify` and `exactpoly table1`: output, exit status 0 for failed claims,
one line and exit 2 for bad input, atomic output files, a fast --help."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from exactpoly.cli import main
from exactpoly.network import network_from_layers, write_network

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"claim", "applicable", "bound", "value", "holds", "witness"}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cube_cut(tmp_path):
    path = tmp_path / "cube_cut.json"
    write_network(network_from_layers(3, [([[1, 1, 1]], [0]), ([[1]], [0])]), path)
    return str(path)


def test_verify_json_reports_a_failed_claim_with_exit_0(capsys, cube_cut):
    code, out, err = run(capsys, "verify", cube_cut, "--box", "1", "--json")
    assert code == 0 and err == ""
    items = json.loads(out)
    assert all(KEYS <= set(it) for it in items)
    by = {it["claim"]: it for it in items}
    r = by["theorem3 [lexicographic-pulling]"]
    assert (r["applicable"], r["bound"], r["value"], r["holds"]) == (True, "14", "15", False)
    assert by["theorem1_step [lexicographic-pulling]"]["witness"]["region"] == "1"
    na = by["theorem8_large_n"]
    assert na["applicable"] is False and na["holds"] is None and na["failed_hypotheses"]
    assert {it["network"] for it in items} == {cube_cut} and {it["box"] for it in items} == {"1"}


def test_verify_text(capsys, cube_cut):
    code, out, _ = run(capsys, "verify", cube_cut)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"network {cube_cut}, box [-") and lines[1].startswith("claim")
    assert any(ln.split()[:7] == ["theorem3", "[lexicographic-pulling]", "theorem", "NO", "15", "<=", "14"]
               for ln in lines)
    assert lines[-1].endswith("not applicable") and "fail" in lines[-1]
    # Theorem 3 fails on the cube cut by a hexagon: counted as a theorem, apart from the proof steps
    assert "theorems," in lines[-1] and "proof steps" in lines[-1] and " 0 theorems" not in lines[-1]


def test_verify_json_adds_relation_and_claim_kind(capsys, cube_cut):
    code, out, _ = run(capsys, "verify", cube_cut, "--box", "1", "--json")
    by = {it["claim"]: it for it in json.loads(out)}
    assert all(KEYS | {"source", "kind", "scope", "failed_hypotheses", "relation", "claim_kind"} <= set(it)
               for it in by.values())
    assert (by["theorem3 [delaunay]"]["relation"], by["theorem3 [delaunay]"]["claim_kind"]) == ("<=", "theorem")
    assert by["theorem4_step [delaunay]"]["claim_kind"] == "proof step"
    assert (by["lemma4"]["relation"], by["lemma4"]["kind"], by["lemma4"]["claim_kind"]) == \
        ("Theta", "asymptotic", "lemma")


def test_verify_several_networks_summarises_one_line_per_claim(capsys):
    argv = ["verify", "--arch", "2-3-1", "--seeds", "0-2", "--bias", "0.2", "--no-progress"]
    code, out, err = run(capsys, *argv, "--json")
    items = json.loads(out)
    code, text, err = run(capsys, *argv)
    assert code == 0 and err == ""
    lines = text.splitlines()
    claims = list(dict.fromkeys(it["claim"] for it in items))
    assert lines[0].startswith("2-3-1 xavier_uniform bias 0.2, seeds 0-2,") and "summary over 3 networks" in lines[0]
    assert len(lines) == len(claims) + 3
    # independent twin: the same counts from the JSON list
    for claim, line in zip(claims, lines[2:-1], strict=True):
        mine = [it for it in items if it["claim"] == claim]
        failing = [it["network"].rsplit(" ", 1)[1] for it in mine if it["holds"] is False]
        assert line.startswith(claim) and f" {mine[0]['claim_kind']} " in line and f" {mine[0]['relation']} " in line
        if failing:
            assert f"fails on {len(failing)}/3, witness seed {failing[0]}" in line
        else:
            assert "fails" not in line
    kinds = [next(it["claim_kind"] for it in items if it["claim"] == c) for c in claims
             if any(it["holds"] is False for it in items if it["claim"] == c)]
    assert ", ".join(f"{kinds.count(k)} {k}{'s' if kinds.count(k) != 1 else ''}"
                     for k in ("theorem", "lemma", "proof step")) in lines[-1]
    code, full, _ = run(capsys, *argv, "--per-network")
    assert full.endswith(text) and full.count("network 2-3-1 xavier_uniform bias 0.2 seed ") == 3


def test_verify_reports_a_bound_added_to_the_registry(capsys, cube_cut, monkeypatch):
    from exactpoly.theory import bounds

    toy = bounds.Bound("toy_regions", "toy", "#regions <= d", "regions", "<=", bounds.d, (bounds.d,), "exact",
                       hypotheses=("one_hidden_layer",))
    monkeypatch.setattr(bounds, "BOUNDS", {**bounds.BOUNDS, "toy_regions": toy})
    code, out, _ = run(capsys, "verify", cube_cut, "--box", "1", "--json")
    assert code == 0
    item = json.loads(out)[-1]
    assert (item["claim"], item["bound"], item["value"], item["holds"]) == ("toy_regions", "3", "2", True)
    code, out, _ = run(capsys, "verify", cube_cut, "--box", "1")
    assert out.splitlines()[-2].split() == ["toy_regions", "other", "yes", "2", "<=", "3"]


def test_verify_random_networks(capsys):
    code, out, err = run(capsys, "verify", "--arch", "2-3-1", "--seeds", "0-1", "--bias", "0.2", "--json",
                         "--no-progress")
    assert code == 0 and err == ""
    items = json.loads(out)
    assert {it["network"] for it in items} == {"2-3-1 xavier_uniform bias 0.2 seed 0",
                                               "2-3-1 xavier_uniform bias 0.2 seed 1"}
    assert all(it["holds"] is not False for it in items if it["claim"].startswith(("lemma2", "theorem4 ")))


def test_verify_progress_on_stderr(capsys):
    code, _, err = run(capsys, "verify", "--arch", "2-2-1", "--progress")
    assert code == 0 and "[exactpoly] verify: network 1/1" in err


@pytest.mark.parametrize("argv, fragment", [
    (["verify"], "either a network file"),
    (["verify", "X.json", "--arch", "2-2-1"], "either a network file"),
    (["verify", "X.json", "--seeds", "0-3"], "apply only to --arch"),
    (["verify", "--arch", "2-2-1", "--seeds", "a-b"], "seeds"),
    (["verify", "--arch", "2-x-1"], "architecture"),
    (["verify", "--arch", "2-2-1", "--box", "-1"], "box"),
    (["verify", "/nonexistent/net.json"], "nonexistent"),
    (["table1", "--format", "html"], "invalid choice"),
    (["table1", "--archs", "3-7-x", "--no-cache"], "architecture"),
    (["table1", "--seeds", "9-1", "--no-cache"], "seeds"),
    (["table1", "--box", "0", "--no-cache"], "box"),
    (["table1", "--workers", "0"], "positive integer"),
])
def test_bad_input_one_line_exit_2(capsys, argv, fragment):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and fragment in err


def test_table1_formats_and_atomic_output(capsys, tmp_path):
    cache = tmp_path / "cache"
    args = ["table1", "--archs", "2-3-1,2-4-1", "--seeds", "0-1", "--cache", str(cache), "--workers", "1"]
    code, out, err = run(capsys, *args, "--format", "json")
    assert code == 0 and err == ""
    rows = json.loads(out)
    assert [list(r) for r in rows] == [["architecture", "upper_bound", "enumeration", "lower_bound",
                                        "paper_enumeration", "regions", "facets_total", "seed",
                                        "enumeration_delaunay"]] * 2
    assert rows[0]["upper_bound"] == 34 and rows[0]["paper_enumeration"] is None
    assert len((cache / "table1.jsonl").read_text().splitlines()) == 4
    code, md, _ = run(capsys, *args)
    assert md.startswith("| | 2-3-1 | 2-4-1 |") and "Protocol: for every architecture and every seed in 0-1" in md
    _, csv, _ = run(capsys, *args, "--format", "csv")
    assert csv.splitlines()[1].startswith("2-3-1,34,")
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "t.tex"
    code, out, err = run(capsys, *args, "--format", "latex", "-o", str(target))
    assert code == 0 and out == "" and os.listdir(out_dir) == ["t.tex"]
    assert "\\begin{tabular}{lrr}" in target.read_text()
    # same command, same table (deterministic), from the cache or not
    code, md2, _ = run(capsys, *args[:-4], "--no-cache", "--workers", "2")
    assert md2 == md


def test_table1_bound_rows_of_the_paper(capsys):
    code, out, _ = run(capsys, "table1", "--seeds", "0", "--no-cache", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [(r["upper_bound"], r["lower_bound"], r["paper_enumeration"]) for r in rows] == \
        [(482, 77, 446), (686, 116, 663), (942, 166, 893), (1256, 230, 1140)]


def test_help_is_fast_and_lazy():
    code = ("import sys, exactpoly.cli; "
            "print(sorted(m for m in ('exactpoly.theory.bounds', 'exactpoly.experiments.tables', "
            "'exactpoly.theory.constructions') "
            "if m in sys.modules))")
    res = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert res.returncode == 0 and res.stdout.strip() == "[]"
    res = subprocess.run([sys.executable, "-m", "exactpoly", "--help"], check=False, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert res.returncode == 0 and "verify" in res.stdout and "table1" in res.stdout
