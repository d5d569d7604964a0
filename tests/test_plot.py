"""Figures (exactpoly.plot): PNGs of the expected pixel size, written atomically."""

from __future__ import annotations

import pytest

from exactpoly import random_network
from exactpoly.errors import DomainError
from exactpoly.experiments.histograms import face_histograms, sweep
from exactpoly.experiments.sampling import sampling_vs_exact
from exactpoly.plot import plot_histograms, plot_sampling, plot_sweep, png_size


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
