"""mkdocs hook for the docs site: math rendered at build time, nothing fetched.

``pymdownx.arithmatex`` (generic mode) marks ``$...$`` / ``\\(...\\)`` and ``$$...$$`` /
``\\[...\\]`` as ``<span class="arithmatex">`` and ``<div class="arithmatex">``. This
hook replaces each with MathML made by ``latex2mathml`` when the page is built, so the
site needs no JavaScript math renderer and no CDN: every browser with MathML Core
(Chromium 109+, Firefox, Safari) draws it, at build time and at view time offline.
``tests/test_docs_site.py`` checks that no ``arithmatex`` markup is left and that the
built HTML loads no ``http(s)`` script or stylesheet.

Enabled in ``mkdocs.yml`` as ``hooks: [docs/_hooks.py]``.
"""

from __future__ import annotations

import html
import re
from typing import Any

from latex2mathml.converter import convert as _to_mathml

_INLINE = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.S)
_BLOCK = re.compile(r'<div class="arithmatex">\\\[(.*?)\\\]</div>', re.S)


def render_math(text: str) -> str:
    """Every arithmatex span or div of the HTML *text* as MathML (inline or block)."""

    def inline(m: re.Match[str]) -> str:
        return _to_mathml(html.unescape(m.group(1)).strip())

    def block(m: re.Match[str]) -> str:
        return f'<div class="math-block">{_to_mathml(html.unescape(m.group(1)).strip(), display="block")}</div>'

    return _INLINE.sub(inline, _BLOCK.sub(block, text))


def on_page_content(html_text: str, **kwargs: Any) -> str:
    return render_math(html_text)
