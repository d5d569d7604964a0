"""2-D cross-sections (exactpoly.theory.slices): exact restriction to a plane, twins, plots, CLI."""

from __future__ import annotations

import json
from fractions import Fraction
from itertools import product

import pytest

from exactpoly import network_from_layers, random_network, region_complex, summary, write_network
from exactpoly.cli import main
from exactpoly.errors import DomainError
from exactpoly.geometry.polyhedron import canonical_row, is_strictly_feasible
from exactpoly.plot import png_size
from exactpoly.theory.slices import (
    Plane,
    parse_plane,
    plane_from,
    plot_slice,
    polygon,
    random_plane,
    restrict_to_plane,
    slice_complex,
    slice_summary,
)


def _pattern(net, x):
    """Exact activation pattern of the ORIGINAL network at x (bit 1 iff pre-activation > 0)."""
    h, bits = list(x), []
    for W, b in zip(net.weights[:-1], net.biases[:-1]):
        z = [sum((w * v for w, v in zip(row, h)), Fraction(0)) + c for row, c in zip(W, b)]
        bits += [int(v > 0) for v in z]
        h = [max(v, Fraction(0)) for v in z]
    return tuple(bits)


def _sample_points(region):
    """Points of the open region: its interior point c and (v + 3c)/4 for every vertex v."""
    c = region.interior_point
    pts = [c] + [tuple((vi + 3 * ci) / 4 for vi, ci in zip(v, c)) for v in region.vertices]
    return pts


def _plane_patterns(net, plane, B):
    """Brute force from the definition: the patterns p of the original net whose open set
    {(u, v) in (-B, B)^2 : x(u, v) has pattern p} is non-empty, a neuron identically zero
    on the plane piece being off (docs/conventions.md). All 2^N patterns, one exact LP each."""
    d, N = net.input_dim, net.n_hidden_neurons
    found = set()
    for p in product((0, 1), repeat=N):
        A = [[Fraction(int(i == j)) for j in range(d)] for i in range(d)]
        c = [Fraction(0)] * d
        rows = [canonical_row(r) for r in ((B, 1, 0), (B, -1, 0), (B, 0, 1), (B, 0, -1))]
        ok, pos = True, 0
        for layer, width in enumerate(net.hidden_widths):
            nA, nc = [], []
            for i in range(width):
                w = net.weights[layer][i]
                coef = [sum((w[k] * A[k][j] for k in range(len(w))), Fraction(0)) for j in range(d)]
                const = sum((w[k] * c[k] for k in range(len(w))), Fraction(0)) + net.biases[layer][i]
                # restrict z(x) = coef·x + const to x = x0 + u a + v b
                k0 = const + sum((q * x for q, x in zip(coef, plane.origin)), Fraction(0))
                ku = sum((q * x for q, x in zip(coef, plane.a)), Fraction(0))
                kv = sum((q * x for q, x in zip(coef, plane.b)), Fraction(0))
                bit = p[pos]
                pos += 1
                if ku == 0 and kv == 0:
                    ok = ok and bit == (1 if k0 > 0 else 0)
                else:
                    rows.append(canonical_row((k0, ku, kv) if bit else (-k0, -ku, -kv)))
                nA.append(coef if bit else [Fraction(0)] * d)
                nc.append(const if bit else Fraction(0))
            A, c = nA, nc
        if ok and is_strictly_feasible(rows):
            found.add(p)
    return found


NETS = [("3-3-3-1", 0), ("3-4-2-1", 3), ("4-3-3-1", 1), ("5-4-1", 2)]


@pytest.mark.parametrize("arch,seed", NETS)
def test_slice_regions_are_original_patterns_on_the_plane(arch, seed):
    net = random_network(arch, seed=seed)
    plane = random_plane(net.input_dim, seed=seed)
    cx = slice_complex(net, plane, box=2)
    assert cx.volume_total == 16
    for r in cx.regions:
        for uv in _sample_points(r):
            assert _pattern(net, plane.point(*uv)) == r.pattern
    assert {r.pattern for r in cx.regions} == _plane_patterns(net, plane, 2)


def test_degenerate_net_on_the_plane():
    # neuron 2 is x3 - 1/2: identically zero on the plane x3 = 1/2 (off, cuts nothing);
    # neuron 3 duplicates neuron 0; the second layer has a neuron through the origin of the plane
    net = network_from_layers(3, [([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]], [0, 0, "-1/2", 0]),
                                  ([[1, 1, 0, 0], [1, -1, 5, 0]], [0, 0]), ([[1, 1]], [0])])
    plane = plane_from([0, 0, "1/2"], [1, 0, 0], [0, 1, 0])
    cx = slice_complex(net, plane, box=1)
    assert all(r.pattern[2] == 0 and r.pattern[0] == r.pattern[3] for r in cx.regions)
    assert {r.pattern for r in cx.regions} == _plane_patterns(net, plane, 1)
    for r in cx.regions:
        for uv in _sample_points(r):
            assert _pattern(net, plane.point(*uv)) == r.pattern
    assert cx.volume_total == 4


def test_unbounded_slice_points_and_window():
    net = random_network("4-4-3-1", seed=5)
    plane = random_plane(4, seed=5, origin=[0, "1/2", 0, 0])
    cx = slice_complex(net, plane, box=None)
    W = 7
    area = Fraction(0)
    for r in cx.regions:
        assert _pattern(net, plane.point(*r.interior_point)) == r.pattern
        poly = polygon(r, window=W)
        area += _shoelace(poly)
    assert area == (2 * W) ** 2
    assert cx.n_regions == slice_complex(net, plane, box="auto").n_regions


def _shoelace(poly):
    n = len(poly)
    return sum((poly[i][0] * poly[(i + 1) % n][1] - poly[(i + 1) % n][0] * poly[i][1] for i in range(n)),
               Fraction(0)) / 2


def test_polygons_are_counter_clockwise_with_the_exact_area():
    net = random_network("3-6-4-1", seed=1)
    cx = slice_complex(net, random_plane(3, seed=2), box="3/2")
    for r in cx.regions:
        poly = polygon(r)
        assert len(poly) == r.n_vertices >= 3
        assert _shoelace(poly) == r.volume  # positive: counter-clockwise
        n = len(poly)
        for i in range(n):  # strictly convex turn at every vertex
            (ax, ay), (bx, by), (qx, qy) = poly[i], poly[(i + 1) % n], poly[(i + 2) % n]
            assert (bx - ax) * (qy - by) - (by - ay) * (qx - bx) > 0


def test_coordinate_plane_equals_the_net_built_by_hand():
    net = random_network("3-5-3-1", seed=4)
    plane = plane_from([0, 0, 0], [1, 0, 0], [0, 1, 0])  # x3 = 0
    by_hand = network_from_layers(2, [([row[:2] for row in net.weights[0]], net.biases[0]),
                                      *zip(net.weights[1:], net.biases[1:])])
    assert restrict_to_plane(net, plane) == by_hand
    a, b = slice_complex(net, plane, box=1), region_complex(by_hand, box=1)
    assert [r.pattern for r in a.regions] == [r.pattern for r in b.regions]
    assert summary(a) == summary(b)
    # the plane x3 = 1/2 shifts the first-layer biases by W[:, 2] / 2
    shifted = restrict_to_plane(net, plane_from([0, 0, "1/2"], [1, 0, 0], [0, 1, 0]))
    assert shifted.biases[0] == tuple(c + row[2] / 2 for row, c in zip(net.weights[0], net.biases[0]))


def test_degenerate_and_mismatched_planes_raise():
    with pytest.raises(DomainError, match="dirs: the directions a and b are linearly dependent"):
        plane_from([0, 0, 0], [1, 2, 3], ["-1/2", -1, "-3/2"])
    with pytest.raises(DomainError, match="dirs"):
        plane_from([0, 0], [0, 0], [1, 0])
    with pytest.raises(DomainError, match="dirs: direction b has 2 coordinates"):
        plane_from([0, 0, 0], [1, 0, 0], [0, 1])
    with pytest.raises(DomainError, match="origin"):
        plane_from([0], [1], [2])
    with pytest.raises(ValueError, match=r"dirs\[1\]\[0\]"):
        plane_from([0, 0], [1, 0], [float("nan"), 1])
    net = random_network("3-2-1", seed=0)
    with pytest.raises(DomainError, match="plane: it lives in R.4"):
        restrict_to_plane(net, random_plane(4, seed=0))
    with pytest.raises(DomainError, match="--dirs: expected 3 comma-separated"):
        parse_plane(None, "1,0;0,1", 3)
    with pytest.raises(DomainError, match=r"--origin\[1\]"):
        parse_plane("0,x,0", "1,0,0;0,1,0", 3)
    with pytest.raises(DomainError, match="--dirs: the directions"):
        parse_plane(None, "1,1,1;2,2,2", 3)
    with pytest.raises(DomainError, match="input_dim"):
        random_plane(1)


def test_random_plane_is_seeded_and_rational():
    p = random_plane(34, seed=7)
    assert p == random_plane(34, seed=7) != random_plane(34, seed=8)
    assert all(isinstance(x, Fraction) and 64 % x.denominator == 0 for x in p.origin + p.a + p.b)
    assert isinstance(p, Plane) and p.input_dim == 34
    q = random_plane(34, seed=7, origin=[1] * 34)
    assert (q.a, q.b) == (p.a, p.b) and q.origin == (Fraction(1),) * 34


def test_summary_counts_interior_polygons():
    net = random_network("3-6-4-1", seed=1)
    plane = random_plane(3, seed=2)
    cx = slice_complex(net, plane, box=1)
    s = slice_summary(net, plane, cx)
    assert s["network"] == "3-6-4-1" and s["slice_architecture"] == "2-6-4-1"
    assert s["edge_histogram"] == s["facet_histogram"]
    assert sum(s["interior_edge_histogram"].values()) == s["interior_regions"]
    tq = sum(v for k, v in s["edge_histogram"].items() if int(k) <= 4)
    assert Fraction(s["triangles_and_quadrilaterals"]) == Fraction(tq, s["regions"])
    assert s["plane"] == plane.to_mapping()


def test_mean_edges_is_four_when_interior_vertices_have_degree_four():
    # Euler: in a subdivision of a square whose interior vertices all have degree 4
    # (generic cuts: the zero sets of neurons are curves without endpoints inside), the
    # mean number of edges per polygon is exactly 4.
    net = random_network("3-8-6-1", seed=3)
    cx = slice_complex(net, random_plane(3, seed=3), box=1)
    assert Fraction(summary(cx)["average_facets"]) == 4


def test_plot_slice(tmp_path):
    net = random_network("3-6-4-1", seed=1)
    cx = slice_complex(net, random_plane(3, seed=2), box=1)
    p = tmp_path / "s.png"
    assert plot_slice(cx, p, graph=True, dpi=40) == str(p)
    assert png_size(p) == (240, 200)
    import matplotlib.image as mpimg

    img = mpimg.imread(str(p))
    assert img.shape[:2] == (200, 240) and img.min() < img.max()
    q = tmp_path / "u.png"
    plot_slice(slice_complex(net, random_plane(3, seed=2), box=None), q, dpi=30, width=4, height=4)
    assert png_size(q) == (120, 120)
    with pytest.raises(DomainError, match="cx: expected a 2-D"):
        plot_slice(region_complex(net, box=1), tmp_path / "x.png")
    assert sorted(x.name for x in tmp_path.iterdir()) == ["s.png", "u.png"]


def test_cli_slice(tmp_path, capsys):
    net = random_network("4-5-3-1", seed=2)
    path = tmp_path / "n.json"
    write_network(net, path)
    png = tmp_path / "s.png"
    assert main(["slice", str(path), "--origin", "0,1/2,0,0", "--dirs", "1,0,0,0;0,0,1,1", "--box", "2",
                 "--json", "--plot", str(png), "--graph"]) == 0
    s = json.loads(capsys.readouterr().out)
    plane = plane_from([0, "1/2", 0, 0], [1, 0, 0, 0], [0, 0, 1, 1])
    assert s == slice_summary(net, plane, slice_complex(net, plane, box=2))
    assert png_size(png) == (600, 500)
    assert main(["slice", str(path), "--random-plane", "--seed", "3", "--unbounded"]) == 0
    out = capsys.readouterr().out
    assert "slice network" in out and "2-5-3-1" in out and "R^2" in out


@pytest.mark.parametrize("argv,message", [
    (["--dirs", "1,0,0,0;2,0,0,0"], "--dirs: the directions a and b are linearly dependent"),
    (["--dirs", "1,0,0,0"], "--dirs: expected two directions"),
    (["--dirs", "1,0,0;0,1,0"], "--dirs: expected 4 comma-separated"),
    (["--dirs", "1,0,0,0;0,1,0,0", "--origin", "0,0"], "--origin: expected 4"),
    ([], "--dirs: required"),
    (["--dirs", "1,0,0,0;0,1,0,0", "--seed", "1"], "--seed: applies only to --random-plane"),
    (["--random-plane", "--dirs", "1,0,0,0;0,1,0,0"], "--dirs: give either"),
    (["--random-plane", "--box", "0"], "box"),
])
def test_cli_slice_errors(tmp_path, capsys, argv, message):
    path = tmp_path / "n.json"
    write_network(random_network("4-3-1", seed=0), path)
    assert main(["slice", str(path), *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
