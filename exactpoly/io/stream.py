"""The region complex streamed to disk: JSON lines, one region per line, in bounded memory.

:func:`write_regions_jsonl` streams the final regions of a network
(:mod:`exactpoly.complex.stream`) into a directory of part files
``part-00000.jsonl``, ``part-00001.jsonl``, ...: one JSON object per line, each the
region's item of :func:`~exactpoly.io.export.complex_to_mapping` (``"regions"``:
pattern, facets, vertices, interior point, and for a box its canonical simplices and
volume; :func:`~exactpoly.io.export.region_to_mapping`). Concatenated in name order the
part files list the regions in the stream order of
:func:`~exactpoly.complex.stream.iter_final_regions` (one part per piece of the first
layer, each in increasing pattern order), whatever the number of workers; sorted by
pattern they are ``region_complex(net, box).regions``. Adjacency edges are not written
(they need the whole complex). Each part is written to a temporary file and renamed when
complete, so a part file that exists is whole; a ``manifest.json`` (the network's
architecture, the box, the statistics and the parts) is written last.

Examples
--------
>>> import json, os, tempfile
>>> from exactpoly import network_from_layers, region_complex, complex_to_mapping
>>> net = network_from_layers(2, [([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
>>> d = tempfile.mkdtemp()
>>> stats = write_regions_jsonl(net, d, box=1)
>>> lines = [json.loads(x) for x in read_regions_jsonl(d)]
>>> by_pattern = sorted(lines, key=lambda r: r["pattern"])
>>> stats.n_regions, by_pattern == complex_to_mapping(region_complex(net, box=1))["regions"]
(4, True)
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from ..complex.regions import Region
from ..complex.stream import StreamStatistics, stream_box, stream_statistics
from ..errors import DomainError
from ..network import ReluNetwork
from ..rational import format_fraction
from .atomic import atomic_write_text
from .export import region_to_mapping

__all__ = ["JsonlRegionSink", "write_regions_jsonl", "read_regions_jsonl", "part_name"]


def part_name(chunk: int) -> str:
    """The file name of part *chunk*: ``part-00007.jsonl`` (names sort in chunk order)."""
    return f"part-{chunk:05d}.jsonl"


class JsonlRegionSink:
    """A :class:`~exactpoly.complex.stream.RegionSink` writing ``DIRECTORY/part-NNNNN.jsonl``.

    Picklable (it holds the directory and the domain kind), so Dask workers write the parts
    themselves: the directory must then be on a file system they share.
    """

    def __init__(self, directory: str | os.PathLike[str], bounded: bool) -> None:
        self.directory = os.fspath(directory)
        self.bounded = bounded

    @contextmanager
    def open(self, chunk: int) -> Iterator[Callable[[Region], None]]:
        """Write part *chunk*: a temporary file, renamed onto the part when the chunk is complete."""
        target = os.path.join(self.directory, part_name(chunk))
        tmp = os.path.join(self.directory, f".{part_name(chunk)}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
        bounded = self.bounded
        f = open(tmp, "w", encoding="utf-8")  # noqa: SIM115 - closed below, renamed only when complete
        try:
            def put(r: Region) -> None:
                f.write(json.dumps(region_to_mapping(r, bounded), separators=(",", ":")))
                f.write("\n")

            yield put
            f.close()
            os.replace(tmp, target)
        except BaseException:
            f.close()
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise


def write_regions_jsonl(net: ReluNetwork, directory: str | os.PathLike[str], box: Any = 1, *,
                        workers: int | None = 1, scheduler: str | None = None,
                        progress: Callable[[int, int, int], None] | None = None) -> StreamStatistics:
    """Stream every region of *net* to JSON lines in *directory*; returns the statistics.

    Parameters
    ----------
    net : ReluNetwork
    directory : path
        Created if missing; must not already hold part files (they would mix with these).
    box, workers, scheduler, progress
        As in :func:`~exactpoly.complex.stream.stream_statistics`.

    Raises
    ------
    DomainError
        Naming ``directory`` when it holds part files already or is not a directory.

    Notes
    -----
    Memory as :func:`~exactpoly.complex.stream.stream_statistics`; time plus each region's
    canonical triangulation (box) and its JSON text. Disk: a few kB per region.
    """
    directory = os.fspath(directory)
    if os.path.exists(directory) and not os.path.isdir(directory):
        raise DomainError(f"directory: {directory!r} exists and is not a directory")
    os.makedirs(directory, exist_ok=True)
    if any(n.startswith("part-") and n.endswith(".jsonl") for n in os.listdir(directory)):
        raise DomainError(f"directory: {directory!r} already holds part-*.jsonl files; use an empty directory")
    B = stream_box(net, box)
    stats = stream_statistics(net, B, workers=workers, scheduler=scheduler,
                              sink=JsonlRegionSink(directory, B is not None), progress=progress)
    parts = sorted(n for n in os.listdir(directory) if n.startswith("part-") and n.endswith(".jsonl"))
    manifest = {"format": "exactpoly.region-stream/1", "architecture": net.architecture,
                "box": None if B is None else format_fraction(B), "regions": stats.n_regions,
                "facet_histogram": {str(k): c for k, c in stats.histogram}, "parts": parts}
    atomic_write_text(os.path.join(directory, "manifest.json"), json.dumps(manifest, indent=1) + "\n")
    return stats


def read_regions_jsonl(directory: str | os.PathLike[str]) -> Iterator[str]:
    """The lines of the part files in *directory*, in order (one region's JSON text each, no newline).

    One line in memory at a time.
    """
    directory = os.fspath(directory)
    for name in sorted(n for n in os.listdir(directory) if n.startswith("part-") and n.endswith(".jsonl")):
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            for line in f:
                yield line.rstrip("\n")
