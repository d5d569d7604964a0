"""The package's layering contract: no import cycles, no module importing another's private
name, and every import pointing down the layers

    cli -> experiments -> theory, arrangements -> complex -> geometry -> rational, errors

(``io``, ``plot``, ``network``, ``parallel`` and ``strategies`` have their places below).
Checked on the source with ``ast``, so a new import that breaks the picture fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "exactpoly"

# Rank of each module or subpackage: a module may import only modules of a rank <= its own
# (equal ranks: same subpackage or siblings that do not import each other in a cycle).
RANKS = {
    "exactpoly.errors": 0, "exactpoly._metadata": 0, "exactpoly.settings": 0,
    "exactpoly.rational": 1, "exactpoly.facet_statistics": 1,
    "exactpoly.io.atomic": 1, "exactpoly.io.jsonfile": 1, "exactpoly.io.outputs": 1,
    "exactpoly.io.jsontext": 1,
    "exactpoly.parallel": 1,
    "exactpoly.geometry": 2, "exactpoly.network": 3, "exactpoly.plot": 3,
    "exactpoly.complex": 4, "exactpoly.io.export": 5, "exactpoly.io.torch_import": 5, "exactpoly.io.stream": 5,
    "exactpoly.arrangements": 6, "exactpoly.theory": 7, "exactpoly.strategies": 8,
    "exactpoly.experiments": 8, "exactpoly.cli": 9, "exactpoly._compat": 10, "exactpoly": 10,
    "exactpoly.__main__": 10, "exactpoly.io": 10,
}


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _compiled() -> set[str]:
    """The compiled modules (``.pyx`` sources): imported as whole modules, never scanned."""
    return {_module_name(p) for p in PACKAGE.rglob("*.pyx")}


def _imports(name: str, path: Path) -> list[tuple[str, str, int]]:
    """(imported module, imported name or '', line) for every exactpoly import, lazy ones included."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            if base.startswith("exactpoly"):
                out += [(base, a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.Import):
            out += [(a.name, "", node.lineno) for a in node.names if a.name.startswith("exactpoly")]
    return out


def _rank(module: str) -> int:
    while module not in RANKS:
        module = module.rsplit(".", 1)[0]
    return RANKS[module]


def _target(module: str, name: str, modules: dict[str, Path]) -> str:
    full = f"{module}.{name}" if name else module
    return full if full in modules or full in _compiled() else module


def test_every_module_has_a_rank():
    assert [m for m in _modules() if m.split(".")[0] == "exactpoly" and not _has_rank(m)] == []


def _has_rank(module: str) -> bool:
    while module:
        if module in RANKS:
            return True
        module = module.rsplit(".", 1)[0] if "." in module else ""
    return False


def test_imports_point_down_the_layers():
    modules = _modules()
    bad = []
    for name, path in modules.items():
        for module, imported, line in _imports(name, path):
            target = _target(module, imported, modules)
            if target != name and _rank(target) > _rank(name):
                bad.append(f"{name}:{line} imports {target} (rank {_rank(target)} > {_rank(name)})")
    assert bad == []


def test_no_private_names_across_subpackages():
    """A module may use another module's ``_private`` name only inside its own subpackage."""
    modules = _modules()
    bad = []
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for module, imported, line in _imports(name, path):
            if not imported.startswith("_") or imported.startswith("__"):
                continue
            target = _target(module, imported, modules)
            if target == f"{module}.{imported}":
                continue  # a private module imported as a whole (e.g. complex._fast)
            if module.rsplit(".", 1)[0] != package or package == "exactpoly":
                bad.append(f"{name}:{line} imports {module}.{imported}")
    assert bad == []


def test_no_import_cycles():
    """No cycle among modules (package ``__init__`` re-exports excluded), lazy imports included."""
    modules = _modules()
    leaves = {m for m, p in modules.items() if p.name != "__init__.py"}
    graph = {m: {_target(mod, imp, modules) for mod, imp, _ in _imports(m, modules[m])} & leaves - {m}
             for m in leaves}
    state: dict[str, int] = {}
    cycles = []

    def visit(v: str, stack: list[str]) -> None:
        state[v] = 1
        stack.append(v)
        for w in sorted(graph[v]):
            if state.get(w) == 1:
                cycles.append(" -> ".join(stack[stack.index(w):] + [w]))
            elif w not in state:
                visit(w, stack)
        stack.pop()
        state[v] = 2

    for v in sorted(leaves):
        if v not in state:
            visit(v, [])
    assert cycles == []


@pytest.mark.parametrize("old, new", [("exactpoly.bounds", "exactpoly.theory.bounds"),
                                      ("exactpoly.tables", "exactpoly.experiments.tables"),
                                      ("exactpoly.polyhedron", "exactpoly.geometry.polyhedron")])
def test_old_import_paths_work_with_a_deprecation_warning(old, new):
    import importlib
    import sys

    sys.modules.pop(old, None)
    with pytest.warns(DeprecationWarning, match=new.replace(".", r"\.")):
        mod = importlib.import_module(old)
    target = importlib.import_module(new)
    assert all(getattr(mod, n) is getattr(target, n) for n in target.__all__)


def test_moved_complex_names_warn():
    import exactpoly
    import exactpoly.complex

    with pytest.warns(DeprecationWarning, match="exactpoly.io.export"):
        assert exactpoly.complex.summary is exactpoly.summary
    with pytest.warns(DeprecationWarning):
        from exactpoly.complex import complex_to_mapping  # noqa: F401
    with pytest.raises(AttributeError):
        exactpoly.complex.no_such_name  # noqa: B018


def import_graph(level: int = 2) -> dict[str, set[str]]:
    """Module imports collapsed to the first *level* name parts (``exactpoly.complex``, ...):
    which subpackage imports which, lazy imports included."""
    modules = _modules()

    def short(m: str) -> str:  # io's modules sit on different layers: keep them apart
        return ".".join(m.split(".")[:level + (m.startswith("exactpoly.io."))])

    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        for module, imported, _line in _imports(name, path):
            a, b = short(name), short(_target(module, imported, modules))
            if a != b:
                graph.setdefault(a, set()).add(b)
            graph.setdefault(a, set())
    return graph


if __name__ == "__main__":  # python tests/test_layers.py: the import graph, top layer first
    g = import_graph()
    for node in sorted(g, key=lambda m: (-_rank(m), m)):
        print(f"{node} (rank {_rank(node)}) -> {', '.join(sorted(g[node], key=lambda m: (-_rank(m), m))) or '-'}")
