"""What a snippet's code imports and binds, read from its syntax tree."""

from __future__ import annotations

import ast
import functools
import sys
from collections.abc import Iterable, Mapping

from coursebuild.engine.imports import imported


@functools.lru_cache(maxsize=512)
def parsed(code: str) -> ast.Module:
    """The syntax tree of ``code`` (read-only, shared); empty when it does not parse."""
    try:
        return ast.parse(code)
    except SyntaxError:
        return ast.Module(body=[], type_ignores=[])


def imported_modules(code: str) -> list[str]:
    """Top-level names of the modules ``code`` imports, in source order."""
    return list(dict.fromkeys(name.partition(".")[0] for name in imported(parsed(code))))


def local_modules(codes: Iterable[str], available: Mapping[str, str]) -> list[str]:
    """The local modules ``codes`` need, with their own local imports, in first-use order."""
    queue = [name for code in codes for name in imported_modules(code)]
    needed: list[str] = []
    while queue:
        name = queue.pop(0)
        if name in available and name not in needed:
            needed.append(name)
            queue += imported_modules(available[name])
    return needed


def third_party_modules(codes: Iterable[str], local: Iterable[str]) -> list[str]:
    """Imported top-level modules that are neither local nor in the standard library."""
    skip = set(local) | set(sys.stdlib_module_names) | {"__future__"}
    names = [name for code in codes for name in imported_modules(code)]
    return [name for name in dict.fromkeys(names) if name not in skip]


def assigned_names(code: str) -> set[str]:
    """Every name that ``code`` binds anywhere (assignments, loops, imports, definitions)."""
    names: set[str] = set()
    for node in ast.walk(parsed(code)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
    return names


def summary_of(code: str) -> str:
    """The snippet's first comment line, without the ``#`` (its one-line description)."""
    first = code.lstrip().splitlines()[0] if code.strip() else ""
    return first.lstrip("#").strip() if first.startswith("#") else ""
