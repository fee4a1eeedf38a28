"""Read a package's import graph from its source with ``ast``, and check rules against it.

The rules live in ``test_import_rules.py``; this module only knows how to read a source tree
and how to answer the questions the rules ask (who imports what, which cycles exist).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Import:
    """One import statement's target, as seen from the module that wrote it."""

    importer: str  # dotted module name, e.g. "songgate.api.errors"
    target: str  # dotted name imported, resolved to the deepest module of the tree
    line: int

    def __str__(self) -> str:
        return f"{self.importer}:{self.line} imports {self.target}"


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Every module of ``package`` (a directory under ``root``) by its dotted name."""
    modules = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def read_imports(root: Path, package: str) -> list[Import]:
    """Every import in the package's modules, wherever it stands (functions and
    ``TYPE_CHECKING`` blocks too: a dependency is a dependency)."""
    modules = module_names(root, package)
    found: list[Import] = []
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.extend(Import(name, target, node.lineno)
                             for target in _targets(node, name, is_package, modules))
    return found


def _targets(
    node: ast.Import | ast.ImportFrom, importer: str, is_package: bool,
    modules: Mapping[str, Path],
) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    else:
        base = _absolute(node, importer, is_package)
        for alias in node.names:
            # ``from songgate.engine import song`` depends on the module, not the package
            inner = f"{base}.{alias.name}"
            yield inner if inner in modules else base


def _absolute(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = importer.split(".")
    if not is_package:
        parts.pop()
    if node.level > 1:
        parts = parts[: len(parts) - (node.level - 1)]
    return ".".join([*parts, node.module] if node.module else parts)


def within(name: str, prefix: str) -> bool:
    """Whether dotted ``name`` is ``prefix`` or inside it."""
    return name == prefix or name.startswith(prefix + ".")


def group_of(name: str, parent: str) -> str | None:
    """The child of ``parent`` that ``name`` lies in (``songgate.api.errors`` → ``songgate.api``
    for parent ``songgate``), or None outside ``parent``."""
    if not name.startswith(parent + "."):
        return None
    return f"{parent}.{name[len(parent) + 1:].split('.')[0]}"


def edges_between(imports: Iterable[Import], parent: str) -> dict[str, set[str]]:
    """Which children of ``parent`` import which others (an import within one child is no
    edge)."""
    edges: dict[str, set[str]] = {}
    for found in imports:
        source, target = group_of(found.importer, parent), group_of(found.target, parent)
        if source is not None and target is not None and source != target:
            edges.setdefault(source, set()).add(target)
    return edges


def cycles(edges: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for after in sorted(edges.get(node, ())):
            if after not in index:
                visit(after)
                low[node] = min(low[node], low[after])
            elif after in on_stack:
                low[node] = min(low[node], index[after])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(set(edges) | {n for after in edges.values() for n in after}):
        if node not in index:
            visit(node)
    return sorted(found)
