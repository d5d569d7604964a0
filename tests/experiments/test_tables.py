"""Table I: the bound rows equal the paper's, the enumeration is exact and deterministic,
the cache resumes an interrupted sweep, and every format renders the same rows."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from exactpoly.complex import region_complex
from exactpoly.errors import DomainError
from exactpoly.experiments import tables
from exactpoly.experiments.tables import (
    PAPER_TABLE1,
    TABLE1_ARCHITECTURES,
    TABLE1_KEYS,
    format_table1,
    parse_seeds,
    table1,
    table1_net,
    table1_protocol,
)
from exactpoly.network import random_network
from exactpoly.theory.bounds import delaunay_count

DOC = Path(__file__).resolve().parents[2] / "docs" / "table1.md"


def test_bound_rows_equal_the_papers():
    rows = table1(seeds=[0], cache=False)
    assert [r["architecture"] for r in rows] == list(TABLE1_ARCHITECTURES)
    assert [r["upper_bound"] for r in rows] == [482, 686, 942, 1256]
    assert [r["lower_bound"] for r in rows] == [77, 116, 166, 230]
    for r in rows:
        paper = PAPER_TABLE1[r["architecture"]]
        assert (r["upper_bound"], r["lower_bound"], r["paper_enumeration"]) == \
            (paper["upper_bound"], paper["lower_bound"], paper["enumeration"])
        assert r["lower_bound"] <= r["enumeration"] <= r["upper_bound"]
        assert list(r) == list(TABLE1_KEYS)


def _doc_table() -> dict[str, list[str]]:
    text = DOC.read_text().splitlines()
    start = text.index("| | 3-7-1 | 3-8-1 | 3-9-1 | 3-10-1 |")
    lines = []
    for ln in text[start:]:
        if not ln.startswith("|"):
            break
        if not ln.startswith("|---"):
            lines.append(ln)
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = {}
    for ln in lines[1:]:
        cells = [c.strip() for c in ln.strip("|").split("|")]
        rows[cells[0]] = dict(zip(header[1:], cells[1:]))
    return rows


def test_first_columns_exact_and_as_in_the_docs(tmp_path):
    rows = table1(["3-7-1", "3-8-1"], seeds="0-9", cache=tmp_path, workers=2)
    got = {r["architecture"]: r for r in rows}
    assert {k: got["3-7-1"][k] for k in ("enumeration", "seed", "regions", "facets_total",
                                         "enumeration_delaunay")} == \
        {"enumeration": 409, "seed": 6, "regions": 64, "facets_total": 394, "enumeration_delaunay": 416}
    assert {k: got["3-8-1"][k] for k in ("enumeration", "seed", "regions", "facets_total",
                                         "enumeration_delaunay")} == \
        {"enumeration": 583, "seed": 9, "regions": 93, "facets_total": 570, "enumeration_delaunay": 600}
    doc = _doc_table()
    md = format_table1(rows, "markdown")
    for line in md.splitlines()[2:10]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert [doc[cells[0]][a] for a in ("3-7-1", "3-8-1")] == cells[1:]


def test_cache_resumes_and_survives_a_cut_line(tmp_path, monkeypatch, caplog):
    calls = []
    real = tables.table1_net

    def counting(*args, **kw):
        calls.append(args[:2])
        return real(*args, **kw)

    monkeypatch.setattr(tables, "table1_net", counting)
    first = table1(["2-3-1"], seeds="0-2", cache=tmp_path)
    path = tmp_path / "table1.jsonl"
    assert len(calls) == 3 and len(path.read_text().splitlines()) == 3
    # an interrupted write leaves half a line: it is dropped with a warning naming it
    with open(path, "a") as fh:
        fh.write('{"key": "abc", "res')
    calls.clear()
    again = table1(["2-3-1"], seeds="0-3", cache=tmp_path)
    assert calls == [("2-3-1", 3)]
    assert again[0]["enumeration"] >= first[0]["enumeration"]
    assert [r.getMessage() for r in caplog.records] == \
        [f"exactpoly: warning: cache {path}: damaged line 4 (cut short) dropped; results recomputed when needed"]
    lines = path.read_text().splitlines()
    assert len(lines) == 4 and json.loads(lines[-1])["result"]["seed"] == 3 and '"res' not in path.read_text()[-5:]
    calls.clear()
    assert table1(["2-3-1"], seeds="0-3", cache=tmp_path) == again and calls == []
    # everything that determines the counts is in the key
    table1(["2-3-1"], seeds="0", bias="0.02", cache=tmp_path)
    table1(["2-3-1"], seeds="0", box=2, cache=tmp_path)
    table1(["2-3-1"], seeds="0", init="orthogonal", cache=tmp_path)
    assert len(calls) == 3


def test_workers_and_progress_do_not_change_the_result():
    seen = []
    a = table1(["2-4-1", "2-2-2-1"], seeds="0-3", cache=False, workers=2,
               progress=lambda done, total, label, cached: seen.append((done, total, cached)))
    b = table1(["2-4-1", "2-2-2-1"], seeds=range(4), cache=False)
    assert a == b
    assert [s[0] for s in seen] == list(range(1, 9)) and {s[1] for s in seen} == {8}


def test_deeper_networks_have_no_bound_rows():
    (row,) = table1(["2-2-2-1"], seeds=[0, 1], cache=False)
    assert row["upper_bound"] is None and row["lower_bound"] is None and row["paper_enumeration"] is None
    md = format_table1([row], "markdown")
    assert "| Upper bound (Theorem 1) | — |" in md


def test_formats_render_the_same_rows():
    rows = table1(["2-3-1", "2-4-1"], seeds=[0, 1], cache=False)
    js = json.loads(format_table1(rows, "json"))
    assert js == rows and all(list(r) == list(TABLE1_KEYS) for r in js)
    csv = format_table1(rows, "csv").splitlines()
    assert csv[0] == ",".join(TABLE1_KEYS) and csv[1].startswith("2-3-1,34,") and ",," in csv[1]
    md = format_table1(rows, "markdown")
    assert md.splitlines()[0] == "| | 2-3-1 | 2-4-1 |" and "Protocol:" in md
    assert md == format_table1(table1(["2-3-1", "2-4-1"], seeds=[0, 1], cache=False), "markdown")
    tex = format_table1(rows, "latex")
    assert "\\begin{tabular}{lrr}" in tex and "2-3-1 & 2-4-1 \\\\" in tex and "\\_" in tex
    assert re.search(r"Upper bound \(Theorem 1\) & 34 & \d+ \\\\", tex)
    with pytest.raises(DomainError, match="fmt"):
        format_table1(rows, "html")


def test_protocol_text():
    p = table1_protocol()
    assert "seed in 0-9" in p and "box='auto'" in p and "333/2" in p and "lexicographic pulling" in p
    assert "seed in 0-2,5" in table1_protocol("0-2,5", box=1) and "[-1, 1]^d" in table1_protocol(box=1)


def test_parse_seeds():
    assert parse_seeds("0-9") == list(range(10))
    assert parse_seeds(" 3 , 1-2") == [1, 2, 3]
    for bad in ("", "a", "3-1", "1-", "-2", "1,,2"):
        with pytest.raises(DomainError, match="seeds"):
            parse_seeds(bad)
    with pytest.raises(DomainError):
        parse_seeds([-1])


def test_bad_arguments():
    with pytest.raises(ValueError):
        table1(["3-x-1"], cache=False)
    with pytest.raises(DomainError, match="box"):
        table1(["2-2-1"], box=0, cache=False)
    with pytest.raises(DomainError, match="workers"):
        table1(["2-2-1"], workers=0, cache=False)


def test_integer_scaleddelaunay_count_is_the_librarys():
    for arch, seed in (("3-5-1", 0), ("2-4-3-1", 1)):
        cx = region_complex(random_network(arch, seed=seed), box="auto")
        assert [delaunay_count(r) for r in cx.regions] == [len(r.delaunay_simplices) for r in cx.regions]


def test_fresh_count_beyond_a_bound_row_is_printed_with_a_warning(tmp_path, monkeypatch, caplog):
    calls = []
    real = tables.table1_net

    def beyond(arch, seed, *args, **kw):  # stands for a network on which Theorem 1 fails
        calls.append(seed)
        res = real(arch, seed, *args, **kw)
        return {**res, "simplices": 1000} if seed == 1 else res

    monkeypatch.setattr(tables, "table1_net", beyond)
    warning = ("exactpoly: warning: 2-3-1 seed 1: 1000 simplices exceed the Theorem 1 upper bound 34 (an exact count, "
               "checked without the cache; docs/table1.md lists networks where the paper's bounds fail)")
    (row,) = table1(["2-3-1"], seeds="0-1", cache=tmp_path)
    assert (row["enumeration"], row["seed"], calls) == (1000, 1, [0, 1])
    assert [r.getMessage() for r in caplog.records] == [warning]
    last = json.loads((tmp_path / "table1.jsonl").read_text().splitlines()[-1])["result"]
    assert last["seed"] == 1 and last["confirmed"] is True
    # confirmed without the cache: taken from it next time, and still said
    caplog.clear()
    calls.clear()
    assert table1(["2-3-1"], seeds="0-1", cache=tmp_path) == [row] and calls == []
    assert [r.getMessage() for r in caplog.records] == [warning]


def test_record_problem_names_the_bad_field():
    good = table1_net("2-3-1", 0)
    assert tables._record_problem(good) is None
    for field, value in (("simplices", -1), ("simplices", True), ("regions", 1.5), ("seed", None), ("box", 1)):
        assert field in tables._record_problem({**good, field: value})
