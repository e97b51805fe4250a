"""What Python code imports, read from its syntax tree (never by importing it)."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def imported(tree: ast.Module, module_level: bool = False) -> list[str]:
    """Absolute modules (dotted names) that ``tree`` imports, in source order.

    ``module_level``: only those imported when the module runs, outside functions and
    classes (inside ``if``, ``try`` or ``with`` blocks too).
    """
    nodes, pending = [], list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            nodes.append(node)
        elif not (module_level and isinstance(node, SCOPES)):
            pending += [child for child in ast.iter_child_nodes(node) if _statement(child)]
    names: list[str] = []
    for node in sorted(nodes, key=lambda n: (n.lineno, n.col_offset)):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif node.level == 0 and node.module:
            names.append(node.module)
    return names


def _statement(node: ast.AST) -> bool:
    """A node that may hold statements: a statement, an ``except`` clause, a ``case``."""
    return isinstance(node, ast.stmt | ast.excepthandler | ast.match_case)


def project_imports(root: Path) -> list[str]:
    """Installed modules the project's snippets import at module level, for the warm-up.

    The standard library and the project's own modules (under ``snippets``) are left out;
    so is a file that does not parse (its run reports that).
    """
    snippets = Path(root) / "snippets"
    files = sorted(snippets.rglob("*.py"))
    local = {path.stem for path in files} | {path.parent.name for path in files}
    found = set()
    for path in files:
        try:
            found.update(imported(ast.parse(path.read_bytes()), module_level=True))
        except (SyntaxError, ValueError):
            continue
    return sorted(name for name in found if _installed(name.partition(".")[0], local))


def _installed(top: str, local: set[str]) -> bool:
    if top in sys.stdlib_module_names or top in local:
        return False
    return importlib.util.find_spec(top) is not None  # a top-level name: nothing is imported
