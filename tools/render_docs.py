"""Build the docs site and screenshot its pages in headless Chromium, to look at them.

    python tools/render_docs.py                 # build/docs-site, build/docs-shots/*.png
    python tools/render_docs.py --no-build      # screenshots of an existing site only

``./dev docs`` runs this in the docs venv (``.venv-docs``, made from the ``docs`` extra of
``pyproject.toml``) after installing Debian's ``chromium`` when it is missing. Steps:

1. ``mkdocs build --strict`` into ``--site`` (any warning fails the build: an unresolved
   cross-reference, a page missing from the nav, a broken link);
2. one PNG per page of :data:`SHOTS` into ``--shots``, taken by headless Chromium (driven
   over the DevTools protocol, :class:`Browser`) from the built files (``file://``) with
   every host name resolving to nothing; a request for anything but a local file fails
   the run (nothing may be fetched: no CDN, no web font);
3. prints one line per screenshot: the file and its pixel size.

Then open the PNGs and look at them (``tests/test_docs_site.py`` runs steps 1-2 when
mkdocs and chromium are installed and checks the files; it cannot judge a layout).
Exit status 0, or 1 with one line on stderr when the build or a screenshot fails.
"""

from __future__ import annotations

import argparse
import base64
import json
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
    ("experiments-sweeps", "experiments/index.html#width", 2400),
    ("table1-findings", "table1/index.html#the-bounds-as-objects", 2400),
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


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``:
    JSON messages separated by NUL bytes on the child's file descriptors 3 and 4), standard
    library only. Every host name resolves to nothing, so a page cannot fetch from the network;
    :attr:`requests` records every URL that the pages asked for.

    Use as a context manager; :meth:`shot` takes one PNG of a page (or of the part of it
    from an anchor down), which the command-line ``--screenshot`` cannot do on a long page.
    """

    def __init__(self, chromium: str, width: int = WIDTH) -> None:
        self.width = width
        self.requests: list[str] = []
        self._profile = tempfile.TemporaryDirectory(prefix="exactpoly-chromium-")
        to_child, self._out_fd = os.pipe()
        self._in_fd, from_child = os.pipe()

        def on_fds_3_and_4() -> None:  # in the child, before exec
            os.dup2(to_child, 3)
            os.dup2(from_child, 4)

        self._proc = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
             "--disable-extensions", "--mute-audio", "--remote-debugging-pipe",
             f"--user-data-dir={self._profile.name}", "--host-resolver-rules=MAP * ~NOTFOUND", "about:blank"],
            pass_fds=tuple(sorted({to_child, from_child, 3, 4})), preexec_fn=on_fds_3_and_4,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child)
        os.close(from_child)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Network"):
            self.call(f"{domain}.enable", session=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (RuntimeError, OSError):
            pass
        for fd in (self._out_fd, self._in_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            self._proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._profile.cleanup()

    def _receive(self) -> dict:
        while b"\0" not in self._buffer:
            chunk = os.read(self._in_fd, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        msg = json.loads(message)
        if msg.get("method") == "Network.requestWillBeSent":
            self.requests.append(msg["params"]["request"]["url"])
        return msg

    def call(self, method: str, params: dict | None = None, *, session: bool = False) -> dict:
        self._next_id += 1
        mid = self._next_id
        msg: dict = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self._session
        os.write(self._out_fd, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._receive()
            if reply.get("id") == mid:
                if "error" in reply:
                    raise RuntimeError(f"chromium: {method}: {reply['error'].get('message')}")
                return reply["result"]
            if "method" in reply:
                self._events.append(reply)

    def _wait_event(self, method: str) -> None:
        while True:
            for i, event in enumerate(self._events):
                if event["method"] == method:
                    del self._events[: i + 1]
                    return
            self._events.append(self._receive())

    def open(self, url: str, height: int) -> None:
        """Load *url* in a window ``width x height`` and wait for its load event."""
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": self.width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=True)
        self._events.clear()
        self.call("Page.navigate", {"url": url}, session=True)
        self._wait_event("Page.loadEventFired")

    def evaluate(self, expression: str):
        """The JSON value of a JavaScript *expression* on the open page."""
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                "awaitPromise": True}, session=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"chromium: {expression[:60]}: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def shot(self, url: str, out: Path, height: int) -> tuple[int, int]:
        """A PNG of *url*, ``width x height``: from the top, or from the anchor of its fragment."""
        page, _, fragment = url.partition("#")
        self.open(page, height)
        top = 0.0
        if fragment:
            top = self.evaluate(f"(() => {{ const e = document.getElementById({json.dumps(fragment)});"
                                " return e ? e.getBoundingClientRect().top + window.scrollY : null; })()")
            if top is None:
                raise RuntimeError(f"{page}: no element with id {fragment!r}")
            top = max(0.0, top - 80)  # below the fixed header
        self.evaluate("document.fonts.ready.then(() => true)")
        png = self.call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": top, "width": self.width, "height": height, "scale": 1}}, session=True)
        out.write_bytes(base64.b64decode(png["data"]))
        return png_size(out)


def page_url(site: Path, page: str) -> str:
    file, _, fragment = page.partition("#")
    return (site / file).resolve().as_uri() + (f"#{fragment}" if fragment else "")


def render(site: Path, shots: Path, chromium: str, pages=SHOTS) -> list[tuple[Path, tuple[int, int]]]:
    """Screenshot *pages* of the built *site* into *shots*; [(png, (width, height)), ...]."""
    shots.mkdir(parents=True, exist_ok=True)
    made = []
    with Browser(chromium) as browser:
        for name, page, height in pages:
            out = shots / f"{name}.png"
            made.append((out, browser.shot(page_url(site, page), out, height)))
        remote = [u for u in browser.requests if not u.startswith(("file:", "data:", "about:", "blob:"))]
    if remote:
        raise RuntimeError(f"the pages asked the network for {remote[:5]}")
    return made


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--site", type=Path, default=ROOT / "build" / "docs-site", help="built site (default %(default)s)")
    ap.add_argument("--shots", type=Path, default=ROOT / "build" / "docs-shots",
                    help="PNG folder (default %(default)s)")
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
