"""The import graph, read from the source: one direction between packages, and interfaces on top.

`../shared/design/architecture.md` draws the layers. The test reads every `import` of `src/redline` with `ast`
(nothing is imported or run) and checks, for the top-level packages: no cycle; no core package imports an
interface; the server's two faces (api, web) never import each other; and it prints how many internal modules
each interface imports besides the service layer and the model, so a note can quote the figure.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "redline"
INTERFACES = {"cli", "server", "api", "web", "shared", "mcp"}
# Below the interfaces; `redline` itself (its version), `settings` and `home` are the ground floor.
CORE = {
    "model", "data", "sources", "store", "catalog", "resolve", "status", "screen", "impact", "news", "services",
    "settings", "home", "redline", "certificates", "atomic",
}  # fmt: skip


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").exists() or path.is_dir()


def import_graph() -> dict[str, set[str]]:
    """Module -> the redline modules it imports (relative imports resolved)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        module = _module(path)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    names = [".".join([*base, node.module] if node.module else base)]
                else:
                    names = [node.module or ""]
                # `from redline.x import y` may name a submodule y: count it as importing that submodule.
                names += [f"{names[0]}.{alias.name}" for alias in node.names if _is_module(f"{names[0]}.{alias.name}")]
            else:
                continue
            graph[module].update(name for name in names if name == "redline" or name.startswith("redline."))
    return graph


def top(module: str) -> str:
    """The package a module belongs to: 'redline.status.engine' -> 'status'. The server's parts count on their own:
    its faces 'api' and 'web', what they share ('shared'), and the composition root ('server': app, runner)."""
    parts = module.split(".")
    if len(parts) > 2 and parts[1] == "server" and parts[2] in {"api", "web", "shared"}:
        return parts[2]
    return parts[1] if len(parts) > 1 else "redline"


def package_edges() -> dict[str, dict[str, set[str]]]:
    edges: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for module, imported in import_graph().items():
        for name in imported:
            if top(module) != top(name):
                edges[top(module)][top(name)].add(f"{module} -> {name}")
    return edges


def _cycles(edges: dict[str, dict[str, set[str]]]) -> list[list[str]]:
    """Strongly connected components of more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in edges.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in list(edges):
        if node not in index:
            visit(node)
    return found


def test_no_cycle_between_top_level_packages() -> None:
    edges = package_edges()
    cycles = _cycles(edges)
    detail = [
        f"{a} -> {b}: {sorted(edges[a][b])[:3]}" for cycle in cycles for a in cycle for b in cycle if b in edges[a]
    ]
    assert not cycles, f"package cycles {cycles}:\n" + "\n".join(detail)


def test_no_core_package_imports_an_interface() -> None:
    edges = package_edges()
    wrong = [f"{a} -> {b}: {sorted(edges[a][b])}" for a in CORE for b in edges.get(a, {}) if b in INTERFACES]
    assert not wrong, "\n".join(wrong)


def test_the_server_faces_are_siblings() -> None:
    edges = package_edges()
    assert not edges.get("web", {}).get("api"), sorted(edges["web"]["api"])
    assert not edges.get("api", {}).get("web"), sorted(edges["api"]["web"])


def interface_reach() -> dict[str, set[str]]:
    """Per interface, the internal modules it imports besides services, model, settings and its own package."""
    allowed = {
        "services",
        "model",
        "settings",
        "redline",
        "certificates",
        "atomic",
    }  # pure types and ground-floor tools
    reach: dict[str, set[str]] = defaultdict(set)
    for module, imported in import_graph().items():
        face = top(module)
        if face in INTERFACES:
            reach[face].update(name for name in imported if top(name) not in allowed | INTERFACES | {face})
    return reach


def test_interfaces_reach_below_the_services_only_where_listed() -> None:
    """A ratchet: today's count per interface may shrink, never grow (the issue's note quotes the figures)."""
    # server: the composition root (app.py) opens the stores once per process (store.stores) and answers a storage
    # failure that escapes a service with one 503 for both faces (store.errors); building the stores is its job.
    ceiling = {"cli": 0, "api": 0, "web": 0, "server": 2, "shared": 0, "mcp": 0}
    reach = interface_reach()
    print({face: len(modules) for face, modules in reach.items()})
    for face, modules in reach.items():
        assert len(modules) <= ceiling.get(face, 0), (
            f"{face} imports {len(modules)} modules below services: {sorted(modules)}"
        )
