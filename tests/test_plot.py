"""Figures (exactpoly.plot): PNGs of the expected pixel size, written atomically."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from exactpoly import network_from_layers, random_network, region_complex
from exactpoly.cli import main
from exactpoly.errors import DomainError
from exactpoly.experiments.histograms import face_histograms, sweep
from exactpoly.experiments.sampling import sampling_vs_exact
from exactpoly.plot import (
    _numeric_positions,
    _numeric_scale,
    plot_histograms,
    plot_sampling,
    plot_sweep,
    png_size,
    pyplot,
)
from exactpoly.theory.slices import COLOURINGS, decision_segments, plot_complex, random_plane, slice_title


def _check_png(path, size):
    assert png_size(path) == size
    import matplotlib.image as mpimg

    img = mpimg.imread(str(path))
    assert img.shape[:2] == (size[1], size[0])
    assert img.min() < img.max()  # not blank
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_histogram_plot(tmp_path):
    hs = face_histograms(["3-5-1", "3-6-3-1"], "xavier_uniform,orthogonal", seeds="0", cache=False)
    p = tmp_path / "h.png"
    assert plot_histograms(hs, p, dpi=50) == str(p)
    _check_png(p, (400, 250))


def test_sweep_plot_with_a_skipped_setting(tmp_path):
    rows = sweep("width", [2, 3, 6], seeds="0", depth=1, max_regions=20, cache=False)
    assert rows[-1].histogram is None
    p = tmp_path / "w.png"
    plot_sweep(rows, p, dpi=40, width=6, height=3)
    _check_png(p, (240, 120))


def test_sampling_plot(tmp_path):
    rep = sampling_vs_exact(random_network("3-6-3-1", seed=0), n_samples=100)
    p = tmp_path / "s.png"
    plot_sampling(rep, p)
    _check_png(p, (800, 400))


def test_bad_arguments(tmp_path):
    with pytest.raises(DomainError, match="results"):
        plot_histograms([], tmp_path / "x.png")
    with pytest.raises(DomainError, match="dpi"):
        plot_sweep(sweep("width", [2], seeds="0", depth=1, cache=False), tmp_path / "x.png", dpi=0)
    (tmp_path / "t.txt").write_text("hello, world, this is text")
    with pytest.raises(DomainError, match="PNG"):
        png_size(tmp_path / "t.txt")
    assert not (tmp_path / "x.png").exists()


# ----------------------------------------------------------------------------- 2-D complexes

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _forward(net, x):
    """Exact Fraction forward pass, independent of the package's local maps (twin)."""
    h = [Fraction(t) for t in x]
    for layer, (W, b) in enumerate(zip(net.weights, net.biases)):
        z = [sum((w * t for w, t in zip(row, h)), Fraction(0)) + c for row, c in zip(W, b)]
        h = z if layer == len(net.weights) - 1 else [max(t, Fraction(0)) for t in z]
    return h


def _crosses(seg, p, q):
    """Whether the closed segments seg and pq meet (exact orientation tests)."""
    def orient(a, b, c):
        d = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return (d > 0) - (d < 0)

    def on(a, b, c):
        return min(a[0], b[0]) <= c[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= c[1] <= max(a[1], b[1])

    a, b = seg
    o1, o2, o3, o4 = orient(a, b, p), orient(a, b, q), orient(p, q, a), orient(p, q, b)
    if o1 != o2 and o3 != o4:
        return True
    return any(o == 0 and on(s, t, c) for o, (s, t, c) in
               ((o1, (a, b, p)), (o2, (a, b, q)), (o3, (p, q, a)), (o4, (p, q, b))))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_decision_segments_against_a_forward_pass(seed):
    net = random_network("2-6-4-1", seed=seed)
    cx = region_complex(net, box=1)
    segs = decision_segments(cx)
    assert segs == tuple(sorted(set(segs)))
    # sound: every endpoint and midpoint is exactly on output = 0, in the box
    for p, q in segs:
        assert p < q
        mid = ((p[0] + q[0]) / 2, (p[1] + q[1]) / 2)
        for pt in (p, q, mid):
            assert _forward(net, pt) == [0]
            assert all(abs(t) <= 1 for t in pt)
    # complete: where the (continuous) output changes sign along a grid line, a segment crosses it
    grid = [Fraction(k, 16) for k in range(-16, 17)]
    n_changes = 0
    for y in grid:
        for x0, x1 in zip(grid, grid[1:]):
            f0, f1 = _forward(net, (x0, y))[0], _forward(net, (x1, y))[0]
            if f0 * f1 < 0:
                n_changes += 1
                assert any(_crosses(s, (x0, y), (x1, y)) for s in segs), (x0, x1, y)
    assert n_changes > 0 or not segs


def test_decision_segments_of_a_known_network():
    # |x| - y on the box [-1, 1]^2: zero set is the graph of |x|, two segments meeting at 0
    net = network_from_layers(2, [([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 0, 0]), ([[1, 1, -1, 1]], [0])])
    F = Fraction
    assert decision_segments(region_complex(net, box=1)) == (
        ((F(-1), F(1)), (F(0), F(0))), ((F(0), F(0)), (F(1), F(1))))
    # relu(x) is identically zero on x < 0: that region adds nothing, x > 0 adds its edge x = 0
    flat = network_from_layers(2, [([[1, 0]], [0]), ([[1]], [0])])
    assert decision_segments(region_complex(flat, box=1)) == (((F(0), F(-1)), (F(0), F(1))),)


@pytest.mark.parametrize("colour", COLOURINGS)
def test_plot_complex_each_colouring(tmp_path, colour):
    cx = region_complex(random_network("2-6-4-1", seed=0), box=None)
    p = tmp_path / f"{colour}.png"
    assert plot_complex(cx, p, colour=colour, graph=colour == "facets", dpi=40) == str(p)
    _check_png(p, (280, 200))


def test_plot_complex_bad_arguments(tmp_path):
    cx3 = region_complex(random_network("3-4-1", seed=0), box=1)
    with pytest.raises(DomainError, match="cx: .*slice"):
        plot_complex(cx3, tmp_path / "x.png")
    cx = region_complex(random_network("2-4-2", seed=0), box=1)
    with pytest.raises(DomainError, match="colour"):
        plot_complex(cx, tmp_path / "x.png", colour="facet")
    with pytest.raises(DomainError, match="colour: 'output' needs one output"):
        plot_complex(cx, tmp_path / "x.png", colour="output")
    with pytest.raises(DomainError, match="cx: the decision boundary needs one output"):
        decision_segments(cx)
    plot_complex(cx, tmp_path / "g.png", colour="gradient", dpi=20)  # several outputs: gradient works
    assert not (tmp_path / "x.png").exists()


def test_slice_title_names_net_and_plane():
    net = random_network("40-3-1", seed=0)
    plane = random_plane(40, seed=0)
    title = slice_title("mnist.json", net, plane)
    assert title.startswith("mnist.json (40-3-1) on the plane")
    assert all(len(line) <= 90 for line in title.splitlines()) and title.count(", ...)") == 3


def test_sweep_axis_is_numeric_when_the_values_are_numbers():
    assert _numeric_positions(["0", "0.01", "1/10"]) == {"0": 0.0, "0.01": 0.01, "1/10": 0.1}
    assert _numeric_positions(["10", "160"]) == {"10": 10.0, "160": 160.0}
    assert _numeric_positions(["a", "b"]) == {"a": 0.0, "b": 1.0}
    plt = pyplot()
    fig, axes = plt.subplots(1, 3)
    try:
        _numeric_scale([axes[0]], [10.0, 20.0, 160.0])   # widths: log
        _numeric_scale([axes[1]], [0.0, 0.01, 0.1])      # biases with 0: symlog
        _numeric_scale([axes[2]], [2.0, 3.0, 5.0])       # depths: linear
        assert [ax.get_xscale() for ax in axes] == ["log", "symlog", "linear"]
    finally:
        plt.close(fig)


def test_cli_regions_plot(tmp_path, capsys):
    p = tmp_path / "r.png"
    assert main(["regions", str(EXAMPLES / "concurrent_and_duplicate_2d.json"), "--plot", str(p),
                 "--colour", "output"]) == 0
    assert "regions" in capsys.readouterr().out
    _check_png(p, (700, 500))
    q = tmp_path / "x.png"
    assert main(["regions", str(EXAMPLES / "random_3-7-1_seed0.json"), "--plot", str(q)]) == 2
    err = capsys.readouterr().err
    assert "--plot" in err and "exactpoly slice" in err and err.count("\n") == 1
    assert not q.exists()
