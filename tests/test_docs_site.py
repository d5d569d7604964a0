"""The docs site: its sources (reference complete, every page linked, tables that fit, the
Sphinx-role and math converters) and, when mkdocs is installed (``./dev docs`` makes
``.venv-docs``), the built site itself: ``mkdocs build --strict``, no raw Sphinx role,
math as MathML, nothing fetched from the network; when chromium is installed too, the
screenshots of ``tools/render_docs.py``."""

from __future__ import annotations

import importlib.util
import pkgutil
import re
import sys
from pathlib import Path

import pytest

import exactpoly

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
ROLE_NAMES = ("func", "class", "meth", "mod", "attr", "data", "exc", "obj", "const")
MAX_COLUMNS = {"experiments.md": 8}  # the experiments page's wide tables are split (issue 18)


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _render_docs():
    return _load(ROOT / "tools" / "render_docs.py", "render_docs")


def public_modules() -> set[str]:
    """Every importable module of the package with no ``_`` component, found by walking it."""
    return {m.name for m in pkgutil.walk_packages(exactpoly.__path__, "exactpoly.")
            if not any(part.startswith("_") for part in m.name.split("."))}


def reference_modules() -> list[str]:
    return re.findall(r"^::: (\S+)\s*$", (DOCS / "reference.md").read_text(), re.M)


# --- sources ------------------------------------------------------------------------------


def test_public_modules_walk_finds_the_package():
    found = public_modules()
    assert {"exactpoly.theory.bounds", "exactpoly.arrangements.catalog", "exactpoly.parallel"} <= found
    assert not any("._" in m for m in found)


def test_reference_lists_exactly_the_public_modules():
    listed = reference_modules()
    dupes = sorted({m for m in listed if listed.count(m) > 1})
    missing = sorted(public_modules() - set(listed))
    extra = sorted(set(listed) - public_modules())
    assert not missing, (f"docs/reference.md does not list the public module(s) {', '.join(missing)}: add a "
                         f"'::: <module>' line for each in its section")
    assert not extra, f"docs/reference.md lists {', '.join(extra)}, which is not a public module of exactpoly"
    assert not dupes, f"docs/reference.md lists {', '.join(dupes)} twice"


def nav_pages() -> list[str]:
    return re.findall(r":\s*(\S+\.md)\s*$", (ROOT / "mkdocs.yml").read_text(), re.M)


def test_nav_has_every_page_once():
    pages = sorted(p.name for p in DOCS.glob("*.md"))
    nav = nav_pages()
    assert sorted(nav) == pages, f"mkdocs.yml nav vs docs/*.md: {sorted(set(nav) ^ set(pages))}"


def test_index_links_every_page():
    index = (DOCS / "index.md").read_text()
    linked = set(re.findall(r"\]\(([\w-]+\.md)(?:#[\w-]*)?\)", index))
    unlinked = sorted(p.name for p in DOCS.glob("*.md") if p.name != "index.md" and p.name not in linked)
    assert not unlinked, f"docs/index.md links no page {', '.join(unlinked)}"


def markdown_tables(text: str) -> list[tuple[int, int]]:
    """(line number, columns) of every Markdown table of *text* (outside code fences)."""
    tables, fenced = [], False
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif (not fenced and line.startswith("|") and i + 1 < len(lines)
              and re.fullmatch(r"\|(\s*:?-+:?\s*\|)+", lines[i + 1].strip())):
            tables.append((i + 1, lines[i + 1].strip().count("|") - 1))
    return tables


def test_markdown_tables_are_found():
    text = "a\n\n| x | y |\n|---|--:|\n| 1 | 2 |\n\n```\n| p | q | r |\n|---|---|---|\n```\n"
    assert markdown_tables(text) == [(3, 2)]


@pytest.mark.parametrize("page", sorted(MAX_COLUMNS))
def test_tables_fit_the_page(page):
    tables = markdown_tables((DOCS / page).read_text())
    assert tables
    wide = [(line, n) for line, n in tables if n > MAX_COLUMNS[page]]
    assert not wide, f"docs/{page}: tables over {MAX_COLUMNS[page]} columns at (line, columns) {wide}"


# --- the Sphinx-role converter and the math hook --------------------------------------------


@pytest.fixture(scope="module")
def roles():
    return _load(DOCS / "_sphinx_roles.py", "_sphinx_roles")


def test_roles_become_cross_references(roles):
    known = {"exactpoly.rational.to_fraction": "exactpoly.rational.to_fraction", "pkg.T": "pkg.T"}
    text = ("Read with :func:`~exactpoly.rational.to_fraction`, see :class:`pkg.T`, "
            ":meth:`the map <pkg.T>`, :py:data:`~pkg.T` and :mod:`unknown.mod`.")
    assert roles.convert(text, known.get) == (
        "Read with [`to_fraction`][exactpoly.rational.to_fraction], see [`pkg.T`][pkg.T], "
        "[`the map`][pkg.T], [`T`][pkg.T] and `unknown.mod`.")


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_every_role_is_rewritten(roles, role):
    out = roles.convert(f"x :{role}:`a.b` y", lambda t: None)
    assert out == "x `a.b` y" and roles.ROLE.search(out) is None


def test_free_doctests_are_fenced_not_examples(roles):
    text = ("Intro.\n\n>>> [1][0]\n1\n\nExamples\n--------\n>>> 2\n2\n\n"
            "Notes\n-----\nText.\n\n    >>> # a comment\n    >>> 3\n    3")
    assert roles.fence_doctests(text) == (
        "Intro.\n\n```pycon\n>>> [1][0]\n1\n```\n\nExamples\n--------\n>>> 2\n2\n\n"
        "Notes\n-----\nText.\n\n    ```pycon\n    >>> # a comment\n    >>> 3\n    3\n    ```")


def test_math_hook_makes_mathml():
    pytest.importorskip("latex2mathml")
    hooks = _load(DOCS / "_hooks.py", "_hooks")
    page = ('<p>the map <span class="arithmatex">\\(a_1 u + c\\)</span></p>'
            '<div class="arithmatex">\\[x &lt; 1\\]</div>')
    out = hooks.render_math(page)
    assert "arithmatex" not in out
    assert out.count("<math") == 2 and 'display="block"' in out and "&lt;" in out
    assert "<msub><mi>a</mi><mn>1</mn></msub>" in out


# --- the built site (needs mkdocs; ./dev docs installs it into .venv-docs) -------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    render = _render_docs()
    mkdocs = render.find_mkdocs()
    if mkdocs is None:
        pytest.skip("mkdocs is not installed (./dev docs makes .venv-docs with it)")
    out = tmp_path_factory.mktemp("site")
    render.build(out, mkdocs)  # --strict: any warning (unresolved cross-reference, broken link) fails
    return out


def _html(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}


def test_site_has_every_page(site):
    built = _html(site)
    for page in nav_pages():
        name = "index.html" if page == "index.md" else f"{page[:-3]}/index.html"
        assert name in built, f"{page} was not built"
    assert not list(site.rglob("*.py")), "the build's Python files were copied into the site"


def test_site_shows_no_sphinx_role(site):
    raw = re.compile(r":(?:py:)?(?:" + "|".join(ROLE_NAMES) + r"):(?:`|<code>|&#96;)")
    found = {name: raw.findall(text) for name, text in _html(site).items()}
    found = {name: len(hits) for name, hits in found.items() if hits}
    assert not found, f"raw Sphinx roles in the built HTML: {found}"


def test_reference_has_every_module_with_typed_signatures(site):
    ref = (site / "reference" / "index.html").read_text(encoding="utf-8")
    missing = [m for m in public_modules() if f'id="{m}"' not in ref]
    assert not missing, f"no section for {missing} in the built reference"
    links = re.findall(r'<a class="autorefs autorefs-internal"[^>]*href="([^"]*)"', ref)
    assert "<blockquote" not in ref, "a doctest outside an Examples section rendered as a quote"
    assert len(links) > 100  # the roles of the docstrings are links now
    assert all("#exactpoly." in href for href in links)
    # signatures carry the annotations: region_complex's box and its return type
    block = ref[ref.index('id="exactpoly.complex.build.region_complex"'):][:20000]
    assert "RegionComplex" in block and "box" in block


def test_site_renders_math_and_fetches_nothing(site):
    pages = _html(site)
    assert "<math" in pages["example-notebook/index.html"] and "<math" in pages["index.html"]
    assert not [n for n, t in pages.items() if 'class="arithmatex"' in t], "math left for a JavaScript renderer"
    remote = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=\"(?:https?:)?//", re.I)
    fetching = {n: remote.findall(t) for n, t in pages.items() if remote.search(t)}
    assert not fetching, f"pages that load something from the network: {fetching}"
    css = [p.read_text(encoding="utf-8", errors="replace") for p in site.rglob("*.css")]
    assert not [c for c in css if re.search(r"@import\s+url\(\s*['\"]?https?:", c)], "a stylesheet imports a web font"


@pytest.fixture(scope="module")
def chromium():
    path = _render_docs().find_chromium()
    if path is None:
        pytest.skip("chromium is not installed (apt-get install chromium; ./dev docs does)")
    return path


def test_pages_in_a_real_browser(site, chromium):
    """Headless Chromium: the pages load only local files, and the math is laid out."""
    render = _render_docs()
    with render.Browser(chromium) as browser:
        browser.open(render.page_url(site, "example-notebook/index.html"), 1000)
        maths = browser.evaluate("Array.from(document.querySelectorAll('math'),"
                                 " m => m.getBoundingClientRect().width)")
        styled = browser.evaluate("getComputedStyle(document.querySelector('.md-header')).position")
        requests = list(browser.requests)
    assert len(maths) >= 5 and all(w > 0 for w in maths)  # MathML drawn by the browser itself
    assert styled == "sticky"  # the theme's stylesheet was loaded (from a file)
    assert any(u.startswith("file:") and u.endswith(".css") for u in requests)
    assert [u for u in requests if not u.startswith(("file:", "data:", "about:", "blob:"))] == []


def test_screenshots_of_the_pages(site, chromium, tmp_path):
    """tools/render_docs.py's screenshots (the documented check: then look at them)."""
    render = _render_docs()
    pages = [s for s in render.SHOTS if s[0] in ("index", "tutorial", "reference", "example-notebook")]
    made = render.render(site, tmp_path, chromium, pages)
    assert [(out.name, size) for out, size in made] == [(f"{n}.png", (render.WIDTH, h)) for n, _, h in pages]
    # a blank page compresses to almost nothing (about 10 kB); a rendered one does not
    assert all(out.stat().st_size > 50_000 for out, _ in made)
