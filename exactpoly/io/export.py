"""Exports: the region complex as JSON, GraphML and CSV; tables as Markdown, CSV and LaTeX.

* :func:`summary` — the JSON region summary of ``docs/conventions.md`` §2.
* :func:`complex_to_mapping` / :func:`complex_to_json` — the whole complex, format
  ``exactpoly.region-complex/1`` (the ``exactpoly regions --out`` file).
* :func:`complex_to_graphml` — the region adjacency graph with region attributes,
  readable by ``networkx.read_graphml`` and Gephi.
* :func:`region_statistics` / :func:`region_statistics_csv` — one row per region.
* :func:`format_table` (and :func:`table_to_markdown`, :func:`table_to_csv`,
  :func:`table_to_latex`) — the one table formatter every table command uses.

Exact values stay exact: rationals are written as ``"p/q"`` strings (GraphML and CSV
have no rational type). The only float anywhere is GraphML's ``volume_float``, a
display value for graph viewers, never read back by exactpoly.

Examples
--------
>>> from exactpoly import network_from_layers, region_complex
>>> cx = region_complex(network_from_layers(1, [([[1]], [0]), ([[1]], [0])]), box=1)
>>> print(region_statistics_csv(cx), end="")
region,pattern,facets,vertices,neighbours,simplices,volume,rays,lines,interior_point
0,0,2,2,1,1,1,0,0,-1/2
1,1,2,2,1,1,1,0,0,1/2
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Sequence
from fractions import Fraction
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from ..complex import Region, RegionComplex
from ..complex.regions import REGION_COLUMNS, graph_attributes, region_node_attributes
from ..errors import BudgetExceededError, TableFormatError
from ..rational import format_fraction, format_ratio
from .atomic import atomic_write_text
from .jsontext import dumps_indented

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "summary",
    "complex_to_mapping",
    "region_to_mapping",
    "TABLE_FORMATS",
    "TableFormatError",
    "complex_to_json",
    "write_complex_json",
    "adjacency_graph",
    "complex_to_graphml",
    "write_graphml",
    "region_statistics",
    "region_statistics_csv",
    "write_region_csv",
    "format_table",
    "table_to_markdown",
    "table_to_csv",
    "table_to_latex",
    "summary_table",
]

#: Formats understood by :func:`format_table`.
TABLE_FORMATS = ("markdown", "csv", "latex")


def summary(cx: RegionComplex) -> dict:
    """The region summary of ``docs/conventions.md`` §2 as a JSON-ready dict.

    Keys: ``input_dim``, ``architecture``, ``domain``, ``regions``, ``facets_total``,
    ``facet_histogram``, ``max_facets``, ``average_facets``, ``vertices_total``,
    ``simplices_total``, ``volume_total``, ``adjacency_edges``, plus
    ``layer_regions`` (the per-layer history) and ``triangulation`` (the method).
    A triangulation-derived field over its budget (regions of dimension >= 4 whose
    canonical triangulation is too large, :func:`~exactpoly.geometry.triangulation.max_faces`)
    is null, and ``not_computed`` maps it to the reason; the key is absent otherwise.

    >>> from exactpoly.network import network_from_layers
    >>> net = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    >>> from exactpoly.complex import region_complex
    >>> s = summary(region_complex(net, box=1))
    >>> s["regions"], s["facet_histogram"], s["average_facets"], s["volume_total"]
    (4, {'4': 4}, '4', '4')
    """
    n_facets = [len(r.facets) for r in cx.regions]
    hist = Counter(n_facets)
    n = cx.n_regions
    ftot = sum(n_facets)
    domain = {"box": format_fraction(cx.box)} if cx.box is not None else {"unbounded": True}
    not_computed: dict[str, str] = {}
    simplices = _within_budget(lambda: cx.simplices_total, "simplices_total", not_computed)
    vol = _within_budget(lambda: cx.volume_total, "volume_total", not_computed)
    out = {
        "input_dim": cx.input_dim,
        "architecture": cx.network.architecture,
        "domain": domain,
        "regions": n,
        "facets_total": ftot,
        "facet_histogram": {str(k): hist[k] for k in sorted(hist)},
        "max_facets": max(hist) if hist else 0,
        "average_facets": format_fraction(Fraction(ftot, n)) if n else "0",
        "vertices_total": cx.vertices_total,
        "simplices_total": simplices,
        "volume_total": format_fraction(vol) if vol is not None else None,
        "adjacency_edges": len(cx.edges),
        "layer_regions": list(cx.history),
        "triangulation": "lexicographic-pulling",
    }
    if not_computed:
        out["not_computed"] = not_computed
    return out


def _simplex_lists(r: Region) -> list[list[int]]:
    return [list(s) for s in r.simplices]


def _volume_text(r: Region) -> str:
    return format_fraction(r.volume)


def _within_budget(compute: Callable[[], Any], key: str, not_computed: dict[str, str]) -> Any:
    """``compute()``, or None with the reason recorded under *key* when it is over its budget."""
    try:
        return compute()
    except BudgetExceededError as e:
        not_computed[key] = str(e)
        return None


def region_to_mapping(r: Region, bounded: bool) -> dict:
    """One region's item of :func:`complex_to_mapping` (``"regions"``), JSON-ready.

    *bounded*: the complex is of a box (simplices and volume), else of R^d (rays and
    lines). O(the region's size), plus its canonical triangulation when *bounded*.
    The streamed complex (:mod:`exactpoly.io.stream`) writes one such item per line.

    >>> from exactpoly import network_from_layers, region_complex
    >>> r = region_complex(network_from_layers(1, [([[1]], [0]), ([[1]], [0])]), box=1).regions[1]
    >>> region_to_mapping(r, True)["volume"], region_to_mapping(r, False)["rays"]
    ('1', [])
    """
    item: dict[str, object] = {
        "pattern": r.pattern_string,
        # r.vertices as text, straight from the homogeneous integer points (no Fractions)
        "vertices": [] if r.lines else [[format_ratio(x, p[0]) for x in p[1:]] for p in r.points],
        "facets": [{"row": [str(x) for x in f.row],
                    "neurons": [list(t) for t in f.neurons],
                    "walls": [list(t) for t in f.walls],
                    "vertices": list(f.vertices)} for f in r.facets],
        "interior_point": [format_fraction(x) for x in r.interior_point],
    }
    if bounded:
        skipped: dict[str, str] = {}
        simplices = _within_budget(partial(_simplex_lists, r), "simplices", skipped)
        volume = _within_budget(partial(_volume_text, r), "volume", skipped)
        item["simplices"] = simplices
        item["volume"] = volume
        if skipped:
            item["not_computed"] = skipped
    else:
        item["rays"] = [[str(x) for x in v] for v in r.rays]
        item["lines"] = [[str(x) for x in v] for v in r.lines]
    return item


def complex_to_mapping(cx: RegionComplex) -> dict:
    """The full complex as a JSON-ready dict (format ``exactpoly.region-complex/1``).

    Every region: pattern, facets (canonical row as integer strings, supporting
    neurons ``[layer, index]`` and walls ``[coordinate, side]``, vertex indices),
    vertices as ``"p/q"`` strings, rays, lines, interior point, and for a box the
    simplices of the canonical triangulation and the volume; plus the adjacency
    edges with their supporting neurons and the summary.
    """
    regions = [region_to_mapping(r, cx.box is not None) for r in cx.regions]
    edges = [{"regions": [u, v], "neurons": [list(t) for t in neurons]} for u, v, neurons in cx.edges]
    return {"format": "exactpoly.region-complex/1", "summary": summary(cx),
            "regions": regions, "edges": edges}


def _check_complex(cx: Any) -> RegionComplex:
    if not isinstance(cx, RegionComplex):
        raise TypeError(f"cx: expected a RegionComplex, got {type(cx).__name__}")
    return cx


# ----------------------------------------------------------------------------- JSON


def complex_to_json(cx: RegionComplex, *, indent: int | None = 1) -> str:
    """The complex as JSON text (format ``exactpoly.region-complex/1``), newline-terminated.

    The same text ``exactpoly regions NET.json --out FILE`` writes; see
    :func:`exactpoly.complex.complex_to_mapping` for the keys.

    Examples
    --------
    >>> import json
    >>> from exactpoly import network_from_layers, region_complex
    >>> cx = region_complex(network_from_layers(1, [([[1]], [0]), ([[1]], [0])]), box=1)
    >>> obj = json.loads(complex_to_json(cx))
    >>> obj["format"], [r["volume"] for r in obj["regions"]]
    ('exactpoly.region-complex/1', ['1', '1'])
    """
    m = complex_to_mapping(_check_complex(cx))
    # dumps_indented writes json.dumps's bytes, several times faster
    return (json.dumps(m) if indent is None else dumps_indented(m, indent)) + "\n"


def write_complex_json(cx: RegionComplex, path: str | os.PathLike[str]) -> None:
    """Write :func:`complex_to_json` to *path* atomically."""
    atomic_write_text(path, complex_to_json(cx))


# ----------------------------------------------------------------------------- GraphML


def _label_string(pairs: Sequence[tuple[int, int]]) -> str:
    return " ".join(f"{a}:{b}" for a, b in pairs)


def adjacency_graph(cx: RegionComplex) -> nx.Graph:
    """A copy of the adjacency graph with GraphML-ready region attributes.

    Nodes are region indices (the order of ``cx.regions``) with attributes
    ``pattern`` (str), ``facets``, ``vertices``, ``neighbours`` (int),
    ``bounded`` (bool), ``interior_point`` (``"p/q"`` coordinates separated by
    spaces) and, in a box, ``simplices`` (int), ``volume`` (exact ``"p/q"``) and
    ``volume_float`` (a float for display only). Edges carry ``neurons``: the
    supporting neurons of the shared face as ``"layer:index"`` separated by
    spaces. Graph attributes: ``format``, ``architecture``, ``domain``
    (``"box B"`` or ``"R^d"``).

    Examples
    --------
    >>> from exactpoly import network_from_layers, region_complex
    >>> cx = region_complex(network_from_layers(1, [([[1]], [0]), ([[1]], [0])]), box=1)
    >>> g = adjacency_graph(cx)
    >>> g.nodes[1]["pattern"], g.nodes[1]["volume"], g.edges[0, 1]["neurons"]
    ('1', '1', '0:0')
    """
    _check_complex(cx)
    import networkx as nx  # imported on use: it costs every CLI start-up about 85 ms

    g = nx.Graph(**graph_attributes(cx))
    degree = [len(cx.neighbors(i)) for i in range(cx.n_regions)]
    for i in range(cx.n_regions):
        g.add_node(i, **region_node_attributes(cx, i, degree[i]))
    for u, v, neurons in sorted(cx.edges):
        g.add_edge(u, v, neurons=_label_string(neurons))
    return g


def complex_to_graphml(cx: RegionComplex) -> str:
    """The adjacency graph (:func:`adjacency_graph`) as GraphML text.

    Read it back with ``networkx.read_graphml(path, node_type=int)``; Gephi opens it
    directly. Node ids are the region indices; the output is deterministic.

    Examples
    --------
    >>> import io, networkx as nx
    >>> from exactpoly import network_from_layers, region_complex
    >>> net = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    >>> text = complex_to_graphml(region_complex(net, box=1))
    >>> g = nx.read_graphml(io.BytesIO(text.encode()), node_type=int)
    >>> sorted(g.edges()), g.nodes[3]["pattern"], g.nodes[3]["facets"]
    ([(0, 1), (0, 2), (1, 3), (2, 3)], '11', 4)
    """
    import networkx as nx

    return "\n".join(nx.generate_graphml(adjacency_graph(cx))) + "\n"


def write_graphml(cx: RegionComplex, path: str | os.PathLike[str]) -> None:
    """Write :func:`complex_to_graphml` to *path* atomically."""
    atomic_write_text(path, complex_to_graphml(cx))


# ----------------------------------------------------------------------------- CSV of regions


def region_statistics(cx: RegionComplex) -> list[dict[str, Any]]:
    """Per-region statistics, one dict per region in the order of ``cx.regions``.

    Keys (also the CSV columns): ``region`` (index), ``pattern``, ``facets``,
    ``vertices``, ``neighbours`` (degree in the adjacency graph), ``simplices``
    (canonical triangulation; None when unbounded), ``volume`` (Fraction; None
    when unbounded), ``rays``, ``lines`` (numbers of extreme rays and lineality
    directions), ``interior_point`` (tuple of Fraction).

    Notes
    -----
    O(total size of the complex) plus the triangulations (cached on the regions).

    Examples
    --------
    >>> from exactpoly import network_from_layers, region_complex
    >>> cx = region_complex(network_from_layers(1, [([[1]], [0]), ([[1]], [0])]), box=None)
    >>> region_statistics(cx)[1]   # doctest: +NORMALIZE_WHITESPACE
    {'region': 1, 'pattern': '1', 'facets': 1, 'vertices': 1, 'neighbours': 1, 'simplices': None,
     'volume': None, 'rays': 1, 'lines': 0, 'interior_point': (Fraction(1, 1),)}
    """
    return _check_complex(cx).to_records()


def region_statistics_csv(cx: RegionComplex) -> str:
    """:func:`region_statistics` as CSV text (header row, ``\\n`` line ends).

    Fractions are ``"p/q"``; the interior point's coordinates are separated by
    spaces; an unbounded complex has empty ``simplices`` and ``volume`` cells.
    Read the ``pattern`` column as text (e.g. pandas ``dtype={"pattern": str}``),
    or leading zeros are lost.
    """
    rows = []
    for s in region_statistics(cx):
        rows.append([s["region"], s["pattern"], s["facets"], s["vertices"], s["neighbours"],
                     s["simplices"], s["volume"], s["rays"], s["lines"],
                     " ".join(format_fraction(x) for x in s["interior_point"])])
    return table_to_csv(REGION_COLUMNS, rows)


def write_region_csv(cx: RegionComplex, path: str | os.PathLike[str]) -> None:
    """Write :func:`region_statistics_csv` to *path* atomically."""
    atomic_write_text(path, region_statistics_csv(cx))


# ----------------------------------------------------------------------------- tables


def _is_numeric(x: Any) -> bool:
    return isinstance(x, (int, Fraction, float)) and not isinstance(x, bool)


def _plain(x: Any, none: str) -> str:
    if x is None:
        return none
    if isinstance(x, bool):
        return "true" if x else "false"
    if isinstance(x, (int, Fraction)):
        return format_fraction(x)
    if isinstance(x, float):
        return repr(x)
    if isinstance(x, str):
        return x
    raise TableFormatError(f"cell: expected str, int, Fraction, float, bool or None, "
                           f"got {type(x).__name__} {x!r}")


def _check_table(headers: Sequence[Any], rows: Sequence[Sequence[Any]]
                 ) -> tuple[list[str], list[list[Any]]]:
    if isinstance(headers, str) or not isinstance(headers, Sequence):
        raise TableFormatError(f"headers: expected a sequence of column names, got {headers!r}")
    head = [_plain(h, "") for h in headers]
    body = []
    for i, row in enumerate(rows):
        if isinstance(row, str) or not isinstance(row, Sequence):
            raise TableFormatError(f"rows[{i}]: expected a sequence of cells, got {row!r}")
        if len(row) != len(head):
            raise TableFormatError(f"rows[{i}]: expected {len(head)} cells (one per header), "
                                   f"got {len(row)}")
        for x in row:
            _plain(x, "")  # type check
        body.append(list(row))
    return head, body


def _right_aligned(body: list[list[Any]], ncols: int) -> list[bool]:
    return [any(_is_numeric(r[j]) for r in body)
            and all(_is_numeric(r[j]) or r[j] is None for r in body) for j in range(ncols)]


def table_to_markdown(headers: Sequence[Any], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub-flavoured Markdown table, columns padded, numeric columns right-aligned.

    ``None`` prints as ``-``; ``|`` in a cell is escaped.

    Examples
    --------
    >>> from fractions import Fraction
    >>> print(table_to_markdown(["net", "regions", "average"], [["2-3-1", 7, Fraction(18, 7)]]))
    | net   | regions | average |
    |-------|--------:|--------:|
    | 2-3-1 |       7 |    18/7 |
    """
    head, body = _check_table(headers, rows)
    right = _right_aligned(body, len(head))
    cells = [[_plain(x, "-").replace("|", "\\|") for x in r] for r in body]
    head = [h.replace("|", "\\|") for h in head]
    widths = [max([len(head[j]), 3, *(len(r[j]) for r in cells)]) for j in range(len(head))]

    def line(items: list[str]) -> str:
        return "| " + " | ".join(x.rjust(w) if rj else x.ljust(w)
                                 for x, w, rj in zip(items, widths, right)) + " |"
    rule = "|" + "|".join(("-" * (w + 1) + ":") if rj else "-" * (w + 2)
                          for w, rj in zip(widths, right)) + "|"
    return "\n".join([line(head), rule, *(line(r) for r in cells)])


def table_to_csv(headers: Sequence[Any], rows: Sequence[Sequence[Any]]) -> str:
    """CSV text (RFC 4180 quoting, ``\\n`` line ends); ``None`` is an empty cell.

    Examples
    --------
    >>> print(table_to_csv(["a", "b"], [[1, None], ["x,y", "1/2"]]), end="")
    a,b
    1,
    "x,y",1/2
    """
    head, body = _check_table(headers, rows)
    lines = [",".join(_csv_field(x) for x in head)]
    lines += [",".join(_csv_field(_plain(x, "")) for x in r) for r in body]
    # a line with a single empty field would read back as no fields at all
    return "\n".join(line or '""' for line in lines) + "\n"


def _csv_field(text: str) -> str:
    # RFC 4180: quote a field with a comma, a quote or a line break (also a lone "\r",
    # which csv.writer leaves unquoted when the line terminator is "\n")
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


_LATEX_SPECIAL = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                  "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}",
                  "^": r"\textasciicircum{}"}


def _latex_escape(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(c, c) for c in text)


def _latex_cell(x: Any) -> str:
    if isinstance(x, Fraction) and x.denominator != 1:
        sign = "-" if x < 0 else ""
        return f"${sign}\\frac{{{abs(x.numerator)}}}{{{x.denominator}}}$"
    if _is_numeric(x) and not isinstance(x, float) and x < 0:
        return f"${format_fraction(x)}$"  # a real minus sign
    return _latex_escape(_plain(x, "--"))


def table_to_latex(headers: Sequence[Any], rows: Sequence[Sequence[Any]], *,
                   caption: str | None = None, label: str | None = None) -> str:
    """A booktabs ``tabular`` (in a ``table`` float when *caption* or *label* is given).

    Non-integer Fractions print as ``$\\frac{p}{q}$``; text is escaped; ``None`` prints
    as ``--``. Needs ``\\usepackage{booktabs}``.

    Examples
    --------
    >>> from fractions import Fraction
    >>> print(table_to_latex(["net", "avg"], [["3-7_1", Fraction(-18, 7)]]))
    \\begin{tabular}{lr}
    \\toprule
    net & avg \\\\
    \\midrule
    3-7\\_1 & $-\\frac{18}{7}$ \\\\
    \\bottomrule
    \\end{tabular}
    """
    head, body = _check_table(headers, rows)
    right = _right_aligned(body, len(head))
    lines = [f"\\begin{{tabular}}{{{''.join('r' if rj else 'l' for rj in right)}}}", "\\toprule",
             " & ".join(_latex_escape(h) for h in head) + " \\\\", "\\midrule"]
    lines += [" & ".join(_latex_cell(x) for x in r) + " \\\\" for r in body]
    lines += ["\\bottomrule", "\\end{tabular}"]
    if caption is None and label is None:
        return "\n".join(lines)
    out = ["\\begin{table}", "\\centering", *lines]
    if caption is not None:
        out.append(f"\\caption{{{_latex_escape(caption)}}}")
    if label is not None:
        out.append(f"\\label{{{label}}}")
    out.append("\\end{table}")
    return "\n".join(out)


def format_table(headers: Sequence[Any], rows: Sequence[Sequence[Any]],
                 fmt: Literal["markdown", "csv", "latex"] | str = "markdown", *,
                 caption: str | None = None, label: str | None = None) -> str:
    """Format a table as ``"markdown"``, ``"csv"`` or ``"latex"`` (see :data:`TABLE_FORMATS`).

    Parameters
    ----------
    headers : sequence of str
        Column names.
    rows : sequence of sequences
        Cells: str, int, Fraction (written exactly, ``"p/q"``), bool, None (a
        missing value), or float (e.g. seconds; written with ``repr``).
    fmt : {"markdown", "csv", "latex"}
    caption, label : str, optional
        LaTeX only: wrap the tabular in a ``table`` float.

    Returns
    -------
    str
        CSV ends with a newline; Markdown and LaTeX do not.

    Raises
    ------
    TableFormatError
        Unknown *fmt*, a row of the wrong length, an unsupported cell type.

    Examples
    --------
    >>> format_table(["k", "n"], [["4", 7]], "csv")
    'k,n\\n4,7\\n'
    >>> format_table(["k"], [], "html")
    Traceback (most recent call last):
        ...
    exactpoly.errors.TableFormatError: fmt: expected one of markdown, csv, latex, got 'html'
    """
    if fmt == "markdown":
        if caption is not None or label is not None:
            raise TableFormatError("caption/label: only the latex format has them")
        return table_to_markdown(headers, rows)
    if fmt == "csv":
        if caption is not None or label is not None:
            raise TableFormatError("caption/label: only the latex format has them")
        return table_to_csv(headers, rows)
    if fmt == "latex":
        return table_to_latex(headers, rows, caption=caption, label=label)
    raise TableFormatError(f"fmt: expected one of {', '.join(TABLE_FORMATS)}, got {fmt!r}")


def summary_table(summary: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The region summary (:func:`exactpoly.complex.summary`) as ``(headers, rows)``.

    One row per quantity, then one row per facet count of the histogram; pass the
    result to :func:`format_table`. ``average_facets`` and ``volume_total`` become
    Fractions again.

    Examples
    --------
    >>> from exactpoly import network_from_layers, region_complex, summary
    >>> net = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    >>> headers, rows = summary_table(summary(region_complex(net, box=1)))
    >>> print(format_table(headers, rows[:3] + rows[-1:]))
    | quantity              | value |
    |-----------------------|-------|
    | architecture          | 2-2-1 |
    | domain                | box 1 |
    | regions               | 4     |
    | regions with 4 facets | 4     |
    """
    def frac(x: str | None) -> Fraction | None:
        return None if x is None else Fraction(x)
    dom = summary["domain"]
    rows: list[list[Any]] = [
        ["architecture", summary["architecture"]],
        ["domain", f"box {dom['box']}" if "box" in dom else f"R^{summary['input_dim']}"],
        ["regions", summary["regions"]],
        ["regions after each layer", " -> ".join(map(str, summary.get("layer_regions", [])))],
        ["facets total", summary["facets_total"]],
        ["average facets", frac(summary["average_facets"])],
        ["max facets", summary["max_facets"]],
        ["vertices total", summary["vertices_total"]],
        ["simplices total", summary["simplices_total"]],
        ["volume total", frac(summary["volume_total"])],
        ["adjacency edges", summary["adjacency_edges"]],
    ]
    rows += [[f"regions with {k} facets", v] for k, v in summary["facet_histogram"].items()]
    return ["quantity", "value"], rows
