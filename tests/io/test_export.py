"""Tests of exactpoly.io.export: JSON, GraphML and CSV of the complex, and the table formatters.

Round trips are checked exactly: GraphML read back by networkx has the same graph and
attributes as the complex, CSV volumes (``"p/q"``) sum exactly to ``(2B)^d``.
"""

from __future__ import annotations

import csv
import io
import json
import os
from fractions import Fraction as F

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactpoly import complex_to_mapping, region_complex, summary
from exactpoly.io.export import (
    TABLE_FORMATS,
    TableFormatError,
    adjacency_graph,
    complex_to_graphml,
    complex_to_json,
    format_table,
    region_statistics,
    region_statistics_csv,
    summary_table,
    table_to_csv,
    table_to_latex,
    table_to_markdown,
    write_complex_json,
    write_graphml,
    write_region_csv,
)
from exactpoly.network import network_from_layers
from exactpoly.strategies import boxes, relu_networks

SQUARE = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
# degenerate: a duplicated neuron and a second layer relaying the first neuron
DEGENERATE = network_from_layers(2, [([[1, 1], [2, 2], [1, -1]], [0, 0, "1/2"]),
                                     ([[1, 0, 0], [0, 0, 1]], [0, "-1/4"]),
                                     ([[1, 1]], [0])])
SMALL_NETS = relu_networks(input_dim=st.integers(1, 2),
                           widths=st.lists(st.integers(1, 3), min_size=1, max_size=2),
                           degenerate=True)
PROP = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_graphml_text(text: str) -> nx.Graph:
    return nx.read_graphml(io.BytesIO(text.encode("utf-8")), node_type=int)


# ----------------------------------------------------------------------------- JSON


def test_json_is_the_out_format(tmp_path):
    cx = region_complex(DEGENERATE, box=1)
    text = complex_to_json(cx)
    assert text.endswith("\n")
    assert json.loads(text) == json.loads(json.dumps(complex_to_mapping(cx)))
    path = tmp_path / "c.json"
    write_complex_json(cx, path)
    assert path.read_text() == text
    assert os.listdir(tmp_path) == ["c.json"]


def test_exports_reject_non_complexes():
    for f in (complex_to_json, complex_to_graphml, region_statistics, region_statistics_csv):
        with pytest.raises(TypeError, match="cx"):
            f(SQUARE)


# ----------------------------------------------------------------------------- GraphML


def _check_graphml(cx):
    g = read_graphml_text(complex_to_graphml(cx))
    assert sorted(g.nodes()) == list(range(cx.n_regions))
    assert sorted(tuple(sorted(e)) for e in g.edges()) == sorted(cx.graph.edges())
    stats = region_statistics(cx)
    for i, r in enumerate(cx.regions):
        a = g.nodes[i]
        assert a["pattern"] == r.pattern_string and isinstance(a["pattern"], str)
        assert a["facets"] == r.n_facets and a["vertices"] == r.n_vertices
        assert a["neighbours"] == cx.graph.degree(i) == stats[i]["neighbours"]
        assert a["bounded"] is r.is_bounded
        assert tuple(F(x) for x in a["interior_point"].split()) == r.interior_point
        if cx.box is not None:
            assert F(a["volume"]) == r.volume and a["simplices"] == r.n_simplices
            assert a["volume_float"] == float(r.volume)
        else:
            assert "volume" not in a and "simplices" not in a
    for u, v, data in cx.graph.edges(data=True):
        read = g.edges[u, v]["neurons"]
        assert read == " ".join(f"{l}:{i}" for l, i in data["neurons"])
    assert g.graph["architecture"] == cx.network.architecture
    return g


def test_graphml_square():
    cx = region_complex(SQUARE, box=1)
    g = _check_graphml(cx)
    assert g.graph["domain"] == "box 1"
    assert sum(F(g.nodes[i]["volume"]) for i in g) == 4


def test_graphml_unbounded_and_degenerate():
    _check_graphml(region_complex(DEGENERATE, box=None))
    _check_graphml(region_complex(DEGENERATE, box="3/2"))


def test_graphml_is_deterministic_and_written_atomically(tmp_path):
    cx = region_complex(DEGENERATE, box=1)
    text = complex_to_graphml(cx)
    assert text == complex_to_graphml(region_complex(DEGENERATE, box=1))
    write_graphml(cx, tmp_path / "g.graphml")
    assert (tmp_path / "g.graphml").read_text() == text
    assert os.listdir(tmp_path) == ["g.graphml"]


def test_adjacency_graph_is_a_copy():
    cx = region_complex(SQUARE, box=1)
    g = adjacency_graph(cx)
    g.add_node(99)
    assert 99 not in cx.graph


@PROP
@given(SMALL_NETS, boxes())
def test_graphml_round_trip_random_nets(net, B):
    _check_graphml(region_complex(net, box=B))


# ----------------------------------------------------------------------------- CSV of regions


def _read_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


@PROP
@given(SMALL_NETS, boxes())
def test_region_csv_sums(net, B):
    cx = region_complex(net, box=B)
    rows = _read_csv(region_statistics_csv(cx))
    assert [r["pattern"] for r in rows] == [r.pattern_string for r in cx.regions]
    assert [int(r["region"]) for r in rows] == list(range(cx.n_regions))
    assert sum(F(r["volume"]) for r in rows) == (2 * B) ** net.input_dim
    assert sum(int(r["facets"]) for r in rows) == cx.facets_total
    assert sum(int(r["vertices"]) for r in rows) == cx.vertices_total
    assert sum(int(r["simplices"]) for r in rows) == cx.simplices_total
    assert sum(int(r["neighbours"]) for r in rows) == 2 * cx.graph.number_of_edges()
    for r, region in zip(rows, cx.regions):
        assert tuple(F(x) for x in r["interior_point"].split()) == region.interior_point


def test_region_csv_unbounded(tmp_path):
    cx = region_complex(DEGENERATE, box=None)
    text = region_statistics_csv(cx)
    rows = _read_csv(text)
    assert list(rows[0]) == ["region", "pattern", "facets", "vertices", "neighbours", "simplices",
                             "volume", "rays", "lines", "interior_point"]
    assert all(r["simplices"] == "" and r["volume"] == "" for r in rows)
    assert sum(int(r["rays"]) + int(r["lines"]) for r in rows) > 0
    write_region_csv(cx, tmp_path / "r.csv")
    assert (tmp_path / "r.csv").read_text() == text


# ----------------------------------------------------------------------------- tables

HEADERS = ["architecture", "regions", "average", "note"]
ROWS = [["3-7-1", 57, F(249, 41), None], ["3-8-1", 1256, F(-3), "a|b"]]


def test_markdown_table():
    assert table_to_markdown(HEADERS, ROWS) == "\n".join([
        "| architecture | regions | average | note |",
        "|--------------|--------:|--------:|------|",
        "| 3-7-1        |      57 |  249/41 | -    |",
        "| 3-8-1        |    1256 |      -3 | a\\|b |",
    ])


def test_csv_table_round_trips():
    text = table_to_csv(HEADERS, ROWS)
    assert list(csv.reader(io.StringIO(text))) == [
        HEADERS, ["3-7-1", "57", "249/41", ""], ["3-8-1", "1256", "-3", "a|b"]]


def test_latex_table():
    text = table_to_latex(["net", "avg", "note"], [["3_7", F(-1, 2), "50% & more"], ["x", 2, None]],
                          caption="Table I, exactly", label="tab:one")
    assert text.splitlines() == [
        "\\begin{table}", "\\centering",
        "\\begin{tabular}{lrl}", "\\toprule",
        "net & avg & note \\\\", "\\midrule",
        "3\\_7 & $-\\frac{1}{2}$ & 50\\% \\& more \\\\",
        "x & 2 & -- \\\\",
        "\\bottomrule", "\\end{tabular}",
        "\\caption{Table I, exactly}", "\\label{tab:one}", "\\end{table}"]


def test_format_table_dispatch_and_errors():
    for fmt in TABLE_FORMATS:
        assert format_table(HEADERS, ROWS, fmt) == {"markdown": table_to_markdown, "csv": table_to_csv,
                                                    "latex": table_to_latex}[fmt](HEADERS, ROWS)
    with pytest.raises(TableFormatError, match="^fmt"):
        format_table(HEADERS, ROWS, "html")
    with pytest.raises(TableFormatError, match=r"^rows\[1\]: expected 4 cells"):
        format_table(HEADERS, [ROWS[0], ROWS[1][:3]])
    with pytest.raises(TableFormatError, match="^cell"):
        format_table(["a"], [[object()]])
    with pytest.raises(TableFormatError, match="^headers"):
        format_table("abc", [])
    with pytest.raises(TableFormatError, match="^caption"):
        format_table(HEADERS, ROWS, "csv", caption="x")
    assert isinstance(TableFormatError("x"), ValueError)


def test_bools_and_floats_in_tables():
    assert table_to_csv(["ok", "seconds"], [[True, 0.25], [False, None]]) == \
        "ok,seconds\ntrue,0.25\nfalse,\n"


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 3).flatmap(lambda n: st.tuples(
    st.lists(st.text(), min_size=n, max_size=n),
    st.lists(st.lists(st.text(), min_size=n, max_size=n), max_size=4))))
def test_csv_round_trips_any_text(table):
    # any text, including "\r", quotes, commas and a lone empty cell, reads back unchanged
    headers, rows = table
    text = table_to_csv(headers, rows)
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert back == [headers, *rows]


def test_csv_carriage_return_and_empty_cell():
    assert table_to_csv(["a", "b"], [["", "\r"]]) == 'a,b\n,"\r"\n'
    assert table_to_csv(["a"], [[""], [None]]) == 'a\n""\n""\n'


def test_summary_table_has_every_quantity():
    cx = region_complex(DEGENERATE, box=1)
    s = summary(cx)
    headers, rows = summary_table(s)
    assert headers == ["quantity", "value"]
    values = dict((k, v) for k, v in rows)
    assert values["regions"] == s["regions"] and values["volume total"] == 4
    assert values["average facets"] == F(s["facets_total"], s["regions"])
    hist = {k: v for k, v in rows if k.startswith("regions with")}
    assert sum(hist.values()) == s["regions"]
    s_unbounded = summary(region_complex(DEGENERATE, box=None))
    _, rows = summary_table(s_unbounded)
    assert dict(rows)["volume total"] is None and dict(rows)["domain"] == "R^2"
    for fmt in TABLE_FORMATS:
        format_table(*summary_table(s_unbounded), fmt)
