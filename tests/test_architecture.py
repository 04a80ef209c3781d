"""The layers of plekken, read from the source: no import cycles and no upward imports.

The graph is built with :mod:`ast` from every ``import`` in ``plekken`` (at module level or
inside functions). An edge ``a -> b`` means module ``a`` names module ``b`` in an import; the
implicit import of a parent package is no edge.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "plekken"

#: What the pure analysis core may import besides the standard library and itself.
ANALYSIS_ALLOWED = {
    "geopandas", "shapely", "pyproj", "numpy", "scipy", "networkx", "pandas", "osmium",
    "plekken.vocab",
}  # fmt: skip
#: The only modules that wire the web pages and the API in.
WIRING = {"plekken", "plekken.cli"}
#: Layer -> what it must not reach, directly or through other plekken modules.
FORBIDDEN = {
    "plekken.storage": ("flask", "plekken.services", "plekken.maps", "plekken.web", "plekken.api"),
    "plekken.services": ("flask", "plekken.web", "plekken.api"),
    "plekken.maps": ("flask", "plekken.services", "plekken.web", "plekken.api"),
    "plekken.io": ("flask", "plekken.services", "plekken.web", "plekken.api"),
    "plekken.web": ("plekken.api",),
    "plekken.api": ("plekken.web",),
}


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base[: len(base) - node.level + (1 if is_package else 0)]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(path: Path, root: Path = PACKAGE) -> set[str]:
    """Every module ``path`` imports (``from a import b`` counts ``a.b`` when b is a module)."""
    module, tree = module_name(path, root), ast.parse(path.read_text(encoding="utf-8"))
    known = {module_name(p, root) for p in root.rglob("*.py")}
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(node, module, path.name == "__init__.py")
            subs = {f"{target}.{alias.name}" for alias in node.names}
            found |= subs & known
            if subs - known:  # names defined in the module ``target``
                found.add(target)
    return found


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> modules it imports, for every module under ``root`` but migrations."""
    return {
        module_name(path, root): imports_of(path, root)
        for path in sorted(root.rglob("*.py"))
        if "migrations" not in path.parts
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle among the modules of ``graph``, or ``None``."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ()) & graph.keys()):
            if state.get(nxt) == 1:
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        state[node] = 2
        path.pop()
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def reachable(graph: dict[str, set[str]], start: str) -> dict[str, list[str]]:
    """Every module ``start`` reaches, with one chain of imports that gets there."""
    chains = {start: [start]}
    todo = [start]
    while todo:
        node = todo.pop()
        for nxt in sorted(graph.get(node, ())):
            if nxt not in chains:
                chains[nxt] = chains[node] + [nxt]
                todo.append(nxt)
    return chains


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Imports that break the layering, each as a chain ``a -> b -> ... -> forbidden``."""
    problems = []
    for module in sorted(graph):
        rules = [bad for layer, bad in FORBIDDEN.items() if _within(module, layer)]
        for name, chain in reachable(graph, module).items():
            if any(_within(name, bad) for rule in rules for bad in rule):
                problems.append(" -> ".join(chain))
        if _within(module, "plekken.analysis"):
            problems += [
                f"{module} -> {name}" for name in graph[module]
                if not _analysis_may_import(name)
            ]  # fmt: skip
        if module not in WIRING:
            problems += [
                f"{module} -> {name}" for name in graph[module]
                if (_within(name, "plekken.web") and not _within(module, "plekken.web"))
                or (_within(name, "plekken.api") and not _within(module, "plekken.api"))
            ]  # fmt: skip
    return sorted(set(problems))


def _analysis_may_import(name: str) -> bool:
    top = name.split(".")[0]
    if top in sys.stdlib_module_names or _within(name, "plekken.analysis"):
        return True
    return any(_within(name, allowed) for allowed in ANALYSIS_ALLOWED)


def test_plekken_has_no_import_cycle():
    assert find_cycle(import_graph()) is None


def test_layers_import_only_downwards():
    assert upward_imports(import_graph()) == []


def test_the_graph_sees_the_layers():
    graph = import_graph()
    assert "plekken.storage" in graph["plekken.services.places"]
    assert "plekken.services.analysis" in graph["plekken.api.analysis"]
    assert "flask" in graph["plekken.http"]


# ---------------------------------------------------------------- the checks themselves


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "plekken"
    for name, body in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    return root


def test_a_cycle_is_found(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "", "a.py": "from . import b\n",
        "b.py": "def f():\n    from .a import g\n",
    })  # fmt: skip
    assert find_cycle(import_graph(root)) == ["plekken.a", "plekken.b", "plekken.a"]


@pytest.mark.parametrize(
    ("files", "culprit"),
    [
        ({"services/x.py": "import flask\n"}, "plekken.services.x -> flask"),
        (
            {"storage/x.py": "from ..services import y\n", "services/y.py": ""},
            "plekken.storage.x -> plekken.services.y",
        ),
        (
            {"services/x.py": "from ..glue import f\n", "glue.py": "from flask import g\n"},
            "plekken.services.x -> plekken.glue -> flask",
        ),
        ({"analysis/x.py": "import sqlalchemy\n"}, "plekken.analysis.x -> sqlalchemy"),
        (
            {"analysis/x.py": "from ..storage import y\n", "storage/y.py": ""},
            "plekken.analysis.x -> plekken.storage.y",
        ),
        (
            {"maps/x.py": "from ..web import views\n", "web/views.py": ""},
            "plekken.maps.x -> plekken.web.views",
        ),
    ],
)
def test_an_upward_import_is_found(tmp_path, files, culprit):
    folders = {path.split("/")[0] for path in files if "/" in path}
    inits = {"__init__.py": "", **{f"{folder}/__init__.py": "" for folder in folders}}
    root = _package(tmp_path, {**inits, **files})
    assert culprit in upward_imports(import_graph(root))
