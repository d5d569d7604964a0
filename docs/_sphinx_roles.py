"""Griffe extension for the docs site: Sphinx roles in docstrings become cross-references.

The docstrings are numpydoc and name other objects with Sphinx roles, ``:func:`x```,
``:class:`~a.b.C```, ``:meth:`T.m```, ``:mod:`...```, ``:attr:`...```, ``:data:`...```,
``:exc:`...```. mkdocstrings does not read roles (it would print them literally), so
before rendering every role is rewritten to a Markdown cross-reference
``[`C`][a.b.C]`` that mkdocs-autorefs resolves to the object's anchor on the
reference page, or to plain code ``C`` when the object is not rendered there
(private, undocumented or outside the package).

A relative target is resolved as Python would see the name from the docstring's
object: the enclosing class, then the enclosing modules, then the package root;
an alias (a re-export) is followed to the object it names. The display text follows
Sphinx: ``~a.b.C`` shows ``C``, ``title <target>`` shows *title*.

Enabled in ``mkdocs.yml`` under the python handler's ``extensions`` as
``docs/_sphinx_roles.py:SphinxRoles``; :func:`convert` (no griffe needed) is tested
in ``tests/test_docs_site.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

ROLE = re.compile(r":(?:py:)?(func|class|meth|mod|attr|data|exc|obj|const):`([^`]+)`")
_TITLED = re.compile(r"(.*?)\s*<([^<>]+)>")


def convert(text: str, resolve: Callable[[str], str | None]) -> str:
    """Rewrite every Sphinx role in *text*: ``[`shown`][path]`` when ``resolve(target)``
    gives a path, else ``` `shown` ```.

    >>> convert("see :func:`~a.b.f` and :class:`T <a.T>`", {"a.b.f": "a.b.f"}.get)
    'see [`f`][a.b.f] and `T`'
    """

    def sub(m: re.Match[str]) -> str:
        body = m.group(2).strip()
        titled = _TITLED.fullmatch(body)
        title, target = (titled.group(1).strip(), titled.group(2).strip()) if titled else (None, body)
        short = target.startswith("~")
        target = target.lstrip("~!.")
        if not title:
            title = target.rsplit(".", 1)[-1] if short else target
        path = resolve(target)
        return f"[`{title}`][{path}]" if path else f"`{title}`"

    return ROLE.sub(sub, text)


_SECTION_RULE = re.compile(r"\s*-{3,}\s*")


def fence_doctests(text: str) -> str:
    """Fence the doctest blocks of a docstring outside its Examples section as ``pycon``
    code; griffe parses only those of an Examples section, and Markdown would otherwise
    read ``>>>`` as a quote, ``>>> # x`` as a heading and ``[a][b]`` as a link.

    >>> fence_doctests("Text.\\n\\n>>> 1 + 1\\n2").split("\\n")
    ['Text.', '', '```pycon', '>>> 1 + 1', '2', '```']
    """
    lines = text.split("\n")
    out: list[str] = []
    section = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        if i + 1 < len(lines) and line.strip() and _SECTION_RULE.fullmatch(lines[i + 1]):
            section = line.strip().lower()
        elif section != "examples" and line.lstrip().startswith(">>>") and (i == 0 or not lines[i - 1].strip()):
            j = i
            while j < len(lines) and lines[j].strip():
                j += 1
            indent = line[: len(line) - len(line.lstrip())]
            out += [f"{indent}```pycon", *lines[i:j], f"{indent}```"]
            i = j
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


def _rendered(obj: Any) -> bool:
    """Whether mkdocstrings renders *obj* on the reference page (so that it has an anchor):
    public all the way down from the package, and documented unless it is a module."""
    if any(part.startswith("_") for part in obj.path.split(".")):
        return False
    node = obj
    while node is not None and not node.is_module:
        if not node.docstring:
            return False
        node = node.parent
    return True


def _final(obj: Any) -> Any:
    try:
        while obj.is_alias:
            obj = obj.final_target
    except Exception:  # an alias to something griffe did not load (a third-party object)
        return None
    return obj


def _lookup(collection: Any, path: str) -> Any:
    head, _, rest = path.partition(".")
    try:
        obj = collection[head]
        for part in rest.split(".") if rest else ():
            obj = _final(obj)
            if obj is None:
                return None
            obj = obj.members[part]
    except (KeyError, AttributeError):
        return None
    return _final(obj)


def resolver(obj: Any, collection: Any, package: str) -> Callable[[str], str | None]:
    """The resolve function for the docstring of *obj* (see :func:`convert`)."""
    scopes = []
    node = obj
    while node is not None:
        if node.is_class or node.is_module:
            scopes.append(node.path)
        node = node.parent

    def resolve(target: str) -> str | None:
        candidates = [target] if target.split(".")[0] == package else []
        candidates += [f"{scope}.{target}" for scope in scopes] + [f"{package}.{target}", target]
        for path in candidates:
            found = _lookup(collection, path)
            if found is not None:
                return found.path if _rendered(found) else None
        return None

    return resolve


try:
    import griffe
except ImportError:  # the docs tests import convert() without the docs tool chain
    griffe = None  # type: ignore[assignment]

if griffe is not None:

    class SphinxRoles(griffe.Extension):
        """Rewrite the roles (and fence the free doctests) of every docstring of the package."""

        def on_package(self, *, pkg: Any, loader: Any, **kwargs: Any) -> None:
            self._walk(pkg, loader.modules_collection, pkg.name)

        def on_package_loaded(self, *, pkg: Any, loader: Any, **kwargs: Any) -> None:  # griffe < 1.14
            self._walk(pkg, loader.modules_collection, pkg.name)

        def _walk(self, obj: Any, collection: Any, package: str) -> None:
            if obj.docstring is not None:
                text = fence_doctests(obj.docstring.value)
                if ROLE.search(text):
                    text = convert(text, resolver(obj, collection, package))
                obj.docstring.value = text
            for member in obj.members.values():
                if not member.is_alias:
                    self._walk(member, collection, package)
