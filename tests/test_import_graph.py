"""The project's modules import each other one way: no circles, no bot-class back-imports.

The graph is read from the source (``ast``), so it sees every import: at module level, inside
functions, and under ``if TYPE_CHECKING:``. Type-checking-only imports count on purpose: a
circle through them is still a circle in the design (and the next runtime import closes it),
so the test is stricter than what Python itself would trip over.

Edges: ``import a.b.c`` and ``from a.b import c`` depend on ``a.b.c`` (or on ``a.b`` when
``c`` is a name in it) and on the packages above it that are not packages of the importing
module itself (those are already being imported when it runs).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "cogs", "curriculum", "bench")
# The bot class's module: only the command line and `coach doctor` may use it (and cogs, which
# bot.app loads by name, never by import). Background work takes a bot.runtime.host.Host.
BOT_CLASS = "bot.app"
MAY_IMPORT_THE_BOT = {"bot.cli", "bot.doctor"}


def modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imported(node: ast.AST, name: str, is_package: bool) -> Iterator[tuple[str, str | None]]:
    """(module, attribute) pairs an import statement names."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name, None
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            base = name.split(".") if is_package else name.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            module = ".".join([*base, node.module] if node.module else base)
        else:
            module = node.module or ""
        for alias in node.names:
            yield module, alias.name


def import_graph() -> dict[str, set[str]]:
    known = modules()
    graph: dict[str, set[str]] = {name: set() for name in known}
    for name, path in known.items():
        is_package = path.name == "__init__.py"
        own_packages = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            for module, attr in _imported(node, name, is_package):
                target = f"{module}.{attr}" if attr and f"{module}.{attr}" in known else module
                while target and target not in known:
                    target = target.rpartition(".")[0]
                if not target:
                    continue
                parts = target.split(".")
                for i in range(1, len(parts) + 1):
                    dep = ".".join(parts[:i])
                    if dep in known and dep != name and dep not in own_packages:
                        graph[name].add(dep)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_graph_sees_real_imports() -> None:
    graph = import_graph()
    assert "bot.runtime.host" in graph["bot.scheduling.runner"]
    assert "bot.leetcode.polling" in graph["bot.leetcode.service"]
    assert "bot.app" in graph["cogs.coach"]
    assert "bot.app" in graph["bot.cli"]  # imported inside a function: still an edge


def test_cycle_finder_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_nothing_but_the_command_line_imports_the_bot_class() -> None:
    graph = import_graph()
    importers = {m for m, deps in graph.items() if BOT_CLASS in deps and m.startswith("bot.")}
    assert importers <= MAY_IMPORT_THE_BOT, importers - MAY_IMPORT_THE_BOT
