"""Figures: face histograms (Figs. 4–6 of arXiv 2305.09145), sweeps, sampling against exact.

matplotlib is imported inside each function with the non-interactive ``Agg`` backend,
so ``import exactpoly`` never needs it. Every function writes a PNG of a fixed pixel
size (``figsize`` times ``dpi``, no tight bounding box) and returns the path. Counts
are exact; floats appear only here, as plot coordinates.

Examples
--------
>>> import os, tempfile
>>> from exactpoly.experiments.histograms import face_histograms
>>> hs = face_histograms(["2-3-1"], seeds="0", cache=False)
>>> path = plot_histograms(hs, os.path.join(tempfile.mkdtemp(), "h.png"), dpi=20)
>>> png_size(path)
(160, 100)
"""

from __future__ import annotations

import os
import struct
from collections.abc import Sequence
from typing import Any

from .errors import DomainError

__all__ = ["plot_histograms", "plot_sampling", "plot_sweep", "png_size", "pyplot", "save_figure", "check_dpi"]

_COLOURS = {"xavier_uniform": "#1f77b4", "xavier_normal": "#ff7f0e", "kaiming_normal": "#2ca02c",
            "orthogonal": "#d62728"}


def png_size(path: str | os.PathLike[str]) -> tuple[int, int]:
    """``(width, height)`` in pixels from a PNG file's IHDR header.

    Raises
    ------
    DomainError
        The file is not a PNG.
    """
    with open(path, "rb") as fh:
        head = fh.read(24)
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise DomainError(f"path: {os.fspath(path)!r} is not a PNG file")
    return struct.unpack(">II", head[16:24])


def pyplot():
    """``matplotlib.pyplot`` on the non-interactive Agg backend (imported on first use; every figure module uses it)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _integer_locator():
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def save_figure(fig, path: str | os.PathLike[str], dpi: int) -> str:
    """Render *fig* as PNG to memory, then write it to *path* atomically (temporary file + ``os.replace``);
    returns the path as a string."""
    import io

    from .io.atomic import atomic_write_bytes

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    atomic_write_bytes(path, buf.getvalue())
    return os.fspath(path)


def check_dpi(dpi: Any) -> int:
    """*dpi* checked: a positive int (DomainError naming ``dpi`` otherwise)."""
    if isinstance(dpi, bool) or not isinstance(dpi, int) or dpi < 1:
        raise DomainError(f"dpi: expected a positive int, got {dpi!r}")
    return dpi


def _numeric_positions(values: Sequence[Any]) -> dict[Any, float]:
    """x positions of sweep values: the numbers themselves when every value is one (a numeric
    axis), else 0, 1, 2, ... (a categorical axis)."""
    from fractions import Fraction

    try:
        return {v: float(Fraction(str(v))) for v in values}
    except (ValueError, ZeroDivisionError):
        return {v: float(i) for i, v in enumerate(values)}


def _numeric_scale(axes: Sequence[Any], xs: Sequence[float]) -> None:
    """Log x-axis for positive values spanning a factor >= 8 (widths, depths), symlog when 0 is one
    of them (biases), linear otherwise."""
    pos = [x for x in xs if x > 0]
    if len(pos) < 2 or max(pos) < 8 * min(pos) or any(x < 0 for x in xs):
        return
    for ax in axes:
        if len(pos) == len(xs):
            ax.set_xscale("log", base=2)
        else:
            ax.set_xscale("symlog", linthresh=min(pos), linscale=1)


def plot_histograms(results: Sequence[Any], path: str | os.PathLike[str], *, dpi: int = 100,
                    width: float = 8.0, height: float = 5.0) -> str:
    """Face histograms: one panel per architecture, grouped bars per initialiser, Γ/2 marked.

    Parameters
    ----------
    results : sequence of FacetHistogram
        From :func:`~exactpoly.experiments.histograms.face_histograms` (or the done rows of a sweep).
    path : path
        The PNG to write (atomically).
    dpi, width, height
        The image is ``round(width * dpi) x round(height * dpi)`` pixels.

    Returns
    -------
    str
        *path*.
    """
    check_dpi(dpi)
    if not results:
        raise DomainError("results: nothing to plot")
    plt = pyplot()
    archs = list(dict.fromkeys(h.architecture for h in results))
    fig, axes = plt.subplots(1, len(archs), figsize=(width, height), squeeze=False, layout="constrained")
    for ax, arch in zip(axes[0], archs):
        group = [h for h in results if h.architecture == arch]
        n = len(group)
        bw = 0.8 / n
        for j, h in enumerate(group):
            ks = [k for k, _ in h.histogram]
            cs = [c for _, c in h.histogram]
            ax.bar([k - 0.4 + bw * (j + 0.5) for k in ks], cs, width=bw,
                   color=_COLOURS.get(h.init, None), label=f"{h.init} (mean {float(h.mean_facets):.3f})")
        thr = float(group[0].threshold)
        ax.axvline(thr, color="black", linestyle="--", linewidth=1)
        ax.annotate(f"Γ/2 = {group[0].threshold}", xy=(thr, 0.95), xycoords=("data", "axes fraction"),
                    ha="right", va="top", fontsize=8, rotation=90)
        d = arch.split("-")[0]
        ax.set_title(f"{arch}, box [-{group[0].box}, {group[0].box}]^{d}, {len(group[0].seeds)} seed(s)", fontsize=9)
        ax.set_xlabel("#facets of a region")
        ax.set_ylabel("#regions (all seeds)")
        ax.xaxis.set_major_locator(_integer_locator())
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=2)  # below: covers no bar
    try:
        return save_figure(fig, path, dpi)
    finally:
        plt.close(fig)


def plot_sweep(rows: Sequence[Any], path: str | os.PathLike[str], *, dpi: int = 100, width: float = 8.0,
               height: float = 4.0) -> str:
    """A sweep: mean #regions per network (log scale) and mean #facets per region against the varied value.

    One line per initialiser; settings where every network was skipped are left out
    (their x position is kept and marked "skipped").

    Parameters
    ----------
    rows : sequence of SweepRow
        From :func:`~exactpoly.experiments.histograms.sweep`.
    path, dpi, width, height
        As in :func:`plot_histograms`.
    """
    check_dpi(dpi)
    if not rows:
        raise DomainError("rows: nothing to plot")
    plt = pyplot()
    values = list(dict.fromkeys(r.value for r in rows))
    pos = _numeric_positions(values)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(width, height), layout="constrained")
    for init in dict.fromkeys(r.init for r in rows):
        pts = [(pos[r.value], r.histogram) for r in rows if r.init == init and r.histogram is not None]
        xs = [x for x, _ in pts]
        colour = _COLOURS.get(init, None)
        ax1.plot(xs, [float(h.n_regions) / len(h.seeds) for _, h in pts], "o-", color=colour, label=init)
        ax2.plot(xs, [float(h.mean_facets) for _, h in pts], "o-", color=colour, label=init)
    for r in rows:
        if r.histogram is None:
            ax1.annotate("skipped", xy=(pos[r.value], 0.05), xycoords=("data", "axes fraction"), ha="center",
                         fontsize=7, rotation=90)
    vary = rows[0].vary
    _numeric_scale((ax1, ax2), list(pos.values()))
    for ax in (ax1, ax2):
        for x in pos.values():  # a faint line per setting; also keeps every setting inside the x range
            ax.axvline(x, color="0.9", linewidth=0.6, zorder=0)
        ax.set_xticks([pos[v] for v in values], [str(v) for v in values])
        ax.minorticks_off()
        ax.set_xlabel(vary if vary != "depth" else "depth (hidden layers)")
    ax1.set_yscale("log")
    ax1.set_ylabel("#regions per network (mean over seeds)")
    ax2.set_ylabel("mean #facets per region")
    fig.legend(*ax1.get_legend_handles_labels(), loc="outside lower center", ncols=4, fontsize=7)
    fig.suptitle(f"sweep over {vary}: " + ", ".join(dict.fromkeys(r.architecture for r in rows)), fontsize=9)
    try:
        return save_figure(fig, path, dpi)
    finally:
        plt.close(fig)


def plot_sampling(report: Any, path: str | os.PathLike[str], *, dpi: int = 100, width: float = 8.0,
                  height: float = 4.0) -> str:
    """Sampling against exact: found and missed regions by volume class and by #facets (stacked bars).

    Parameters
    ----------
    report : SamplingReport
        From :func:`~exactpoly.experiments.sampling.sampling_vs_exact`.
    path, dpi, width, height
        As in :func:`plot_histograms`.
    """
    check_dpi(dpi)
    plt = pyplot()
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(width, height), layout="constrained")
    s = report.volume_step
    xs = [s * (j + 1) for j, *_ in report.by_volume]  # class j: volume share > 2^-(s(j+1))
    found = [f for _, _, f, _ in report.by_volume]
    missed = [n - f for _, n, f, _ in report.by_volume]
    ax1.bar(xs, found, width=0.8 * s, color="#2ca02c", label="found by sampling")
    ax1.bar(xs, missed, width=0.8 * s, bottom=found, color="#d62728", label="missed")
    ax1.xaxis.set_major_locator(_integer_locator())
    ax1.set_xlabel("volume share of the box greater than $2^{-k}$, k")
    ax1.set_ylabel("#regions (exact)")
    fig.legend(*ax1.get_legend_handles_labels(), loc="outside lower center", ncols=2, fontsize=7)
    ks = [k for k, _, _ in report.by_facets]
    found = [f for _, _, f in report.by_facets]
    missed = [n - f for _, n, f in report.by_facets]
    ax2.bar(ks, found, color="#2ca02c")
    ax2.bar(ks, missed, bottom=found, color="#d62728")
    ax2.set_xlabel("#facets of a region")
    ax2.set_ylabel("#regions (exact)")
    ax2.xaxis.set_major_locator(_integer_locator())
    cx = report.complex
    fig.suptitle(f"{cx.network.architecture}: {report.n_samples} samples find {report.n_found} of "
                 f"{report.n_regions} regions", fontsize=9)
    try:
        return save_figure(fig, path, dpi)
    finally:
        plt.close(fig)
