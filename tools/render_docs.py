"""Build the docs site and screenshot its pages in headless Chromium, to look at them.

    python tools/render_docs.py                 # build/docs-site, build/docs-shots/*.png
    python tools/render_docs.py --no-build      # screenshots of an existing site only

``./dev docs`` runs this in the docs venv (``.venv-docs``, made from the ``docs`` extra of
``pyproject.toml``) after installing Debian's ``chromium`` when it is missing. Steps:

1. ``mkdocs build --strict`` into ``--site`` (any warning fails the build: an unresolved
   cross-reference, a page missing from the nav, a broken link);
2. one PNG per page of :data:`SHOTS` into ``--shots``, taken by ``chromium --headless``
   from the built files (``file://``) with every host name resolving to nothing, so a
   page that needed the network would show it (nothing is fetched: no CDN, no web font);
3. prints one line per screenshot: the file and its pixel size.

Then open the PNGs and look at them (``tests/test_docs_site.py`` runs steps 1-2 when
mkdocs and chromium are installed and checks the files; it cannot judge a layout).
Exit status 0, or 1 with one line on stderr when the build or a screenshot fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# (name of the PNG, page of the built site, window height in CSS pixels)
SHOTS = (
    ("index", "index.html", 1400),
    ("tutorial", "tutorial/index.html", 2400),
    ("example-notebook", "example-notebook/index.html", 3600),
    ("reference", "reference/index.html", 2400),
    ("reference-bounds", "reference/index.html#exactpoly.theory.bounds", 2400),
    ("reference-regioncomplex", "reference/index.html#exactpoly.complex.regions.RegionComplex.locate", 2000),
    ("experiments", "experiments/index.html#face-histograms", 2400),
)
WIDTH = 1280


def find_mkdocs() -> str | None:
    """``mkdocs`` next to this Python, in ``.venv-docs``, or on PATH."""
    for candidate in (Path(sys.executable).parent / "mkdocs", ROOT / ".venv-docs" / "bin" / "mkdocs"):
        if candidate.exists():
            return str(candidate)
    return shutil.which("mkdocs")


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) from the PNG header; ValueError when *path* is not a PNG."""
    head = path.read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path}: not a PNG file")
    return struct.unpack(">II", head[16:24])


def build(site: Path, mkdocs: str) -> None:
    res = subprocess.run([mkdocs, "build", "--strict", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
                         cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if res.returncode != 0:
        raise RuntimeError(f"mkdocs build --strict failed: {(res.stderr or res.stdout).strip()[-2000:]}")


def screenshot(chromium: str, url: str, out: Path, height: int, width: int = WIDTH) -> tuple[int, int]:
    """One PNG of *url* at ``width x height``; nothing is fetched from the network."""
    with tempfile.TemporaryDirectory(prefix="exactpoly-chromium-") as profile:
        cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
               "--disable-extensions", "--mute-audio", f"--user-data-dir={profile}",
               "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=3000",
               f"--window-size={width},{height}", f"--screenshot={out}", url]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if res.returncode != 0 or not out.exists():
        raise RuntimeError(f"chromium could not screenshot {url}: {res.stderr.strip()[-500:]}")
    return png_size(out)


def render(site: Path, shots: Path, chromium: str, pages=SHOTS) -> list[tuple[Path, tuple[int, int]]]:
    shots.mkdir(parents=True, exist_ok=True)
    made = []
    for name, page, height in pages:
        file, _, fragment = page.partition("#")
        url = (site / file).resolve().as_uri() + (f"#{fragment}" if fragment else "")
        out = shots / f"{name}.png"
        made.append((out, screenshot(chromium, url, out, height)))
    return made


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--site", type=Path, default=ROOT / "build" / "docs-site", help="built site (default %(default)s)")
    ap.add_argument("--shots", type=Path, default=ROOT / "build" / "docs-shots", help="PNG folder (default %(default)s)")
    ap.add_argument("--no-build", action="store_true", help="screenshot an existing site")
    args = ap.parse_args(argv)
    try:
        if not args.no_build:
            mkdocs = find_mkdocs()
            if mkdocs is None:
                raise RuntimeError("mkdocs is not installed: run ./dev docs (it makes .venv-docs)")
            build(args.site, mkdocs)
            print(f"built {args.site}")
        chromium = find_chromium()
        if chromium is None:
            raise RuntimeError("chromium is not installed: apt-get install chromium (./dev docs does)")
        for out, (w, h) in render(args.site, args.shots, chromium):
            print(f"{out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}: {w}x{h}")
    except (RuntimeError, subprocess.TimeoutExpired, ValueError) as exc:
        print(f"render_docs: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
