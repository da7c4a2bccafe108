"""The import structure: no cycles, no private names across modules, layers point one way.

The modules are read from the folders that ``pyproject.toml`` maps into the package ``tsg``
(``package-dir``), so the test sees the same names as an installed toolkit.
"""

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Layers from the top (application) to the bottom; a module may import only its own layer
#: or layers below it.
LAYERS = ("tsg", "tsg.scaling", "tsg.optimisation", "tsg.grid", "tsg.buildings", "tsg.common")


def _modules() -> dict[str, Path]:
    package_dir = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-dir"
    ]
    modules = {}
    for package, folder in package_dir.items():
        for file in (ROOT / folder).rglob("*.py"):
            parts = list(file.relative_to(ROOT / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join([package, *parts])] = file
    return modules


MODULES = _modules()


def _imports(file: Path) -> list[tuple[str, str]]:
    """``(module, name)`` of every absolute ``from tsg... import name`` (name '' for import)."""
    found = []
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "tsg" or node.module.startswith("tsg."):
                found += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(a.name, "") for a in node.names if a.name.startswith("tsg.")]
    return found


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name, file in MODULES.items():
        for module, imported in _imports(file):
            target = f"{module}.{imported}" if f"{module}.{imported}" in MODULES else module
            if target in MODULES and target != name:
                graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (iterative Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _layer(module: str) -> int:
    return max(
        i for i, layer in enumerate(LAYERS) if module == layer or module.startswith(layer + ".")
    )


def test_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_every_package_folder_is_found():
    assert {"tsg.cli", "tsg.grid.network", "tsg.optimisation.sizing.solve"} <= set(MODULES)
    assert len(MODULES) > 100


def test_no_import_cycles():
    assert _cycles(_graph()) == []


def test_no_private_names_imported_across_modules():
    private = [
        f"{name}: from {module} import {imported}"
        for name, file in MODULES.items()
        for module, imported in _imports(file)
        if imported.startswith("_") and not imported.startswith("__")
    ]
    assert private == []


def test_layers_point_one_way():
    upward = [
        f"{name} -> {target}"
        for name, targets in _graph().items()
        for target in targets
        if _layer(target) < _layer(name)
    ]
    assert upward == []


#: Longest module allowed [lines]: small modules with one job each.
MAX_MODULE_LINES = 400


def test_no_module_is_longer_than_the_limit():
    long = {
        name: n
        for name, file in MODULES.items()
        if (n := len(file.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}
