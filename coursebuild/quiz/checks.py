"""Quick checks: one or two unscored questions placed inside a chapter, from one YAML file.

A chapter's ``checks.yml`` holds every quick check of the chapter, each under an id::

    literals: ["0.20"]
    checks:
      - id: threshold
        questions:
          - id: break-even
            question: ...
            options: [{text: ..., correct: true, feedback: ...}, ...]

Questions have the quiz's shape and pass the same checks (see :mod:`coursebuild.quiz.data`);
every error names the file and the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from coursebuild.quiz.data import (
    SLUG,
    Question,
    Where,
    check_typed_numbers,
    items,
    literals_of,
    questions_of,
    read_yaml,
    unique_ids,
    unknown_keys,
)

CHECK_QUESTIONS = (1, 2)  # fewest and most questions in one quick check
TOP_KEYS = {"literals", "checks"}
CHECK_KEYS = {"id", "questions"}


@dataclass(frozen=True)
class Check:
    """One quick check: its id (the marker's ``#ID``), questions and line in the file."""

    id: str
    questions: tuple[Question, ...]
    line: int


@dataclass(frozen=True)
class CheckFile:
    """A checked ``checks.yml``: its literals and its checks, in file order."""

    path: Path  # as shown in messages
    literals: tuple[str, ...]
    checks: tuple[Check, ...]

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question of every check."""
        return tuple(question for check in self.checks for question in check.questions)

    def check(self, check_id: str) -> Check:
        """The check named ``check_id``; a ``ValueError`` naming the file if there is none."""
        for check in self.checks:
            if check.id == check_id:
                return check
        known = ", ".join(repr(check.id) for check in self.checks)
        raise ValueError(f"{self.path}: no quick check {check_id!r} (the file has {known})")


def _check(value: Any, node: yaml.Node | None, path: Path, line: int) -> Check:
    """One check: a slug id and one or two questions."""
    check_id = value.get("id") if isinstance(value, dict) else None
    where = Where(path, line)
    value = unknown_keys(value, CHECK_KEYS, "a quick check", where)
    if not isinstance(check_id, str) or not SLUG.match(check_id):
        raise where.error(f"check id must be a kebab-case slug such as 'log-loss': {check_id!r}")
    questions = questions_of(value.get("questions"), path, items(node, "questions"))
    fewest, most = CHECK_QUESTIONS
    if not fewest <= len(questions) <= most:
        count = len(questions)
        raise where.error(f"check {check_id!r} needs {fewest} or {most} questions, found {count}")
    return Check(check_id, questions, line)


def _checks(raw: Any, root: yaml.Node | None, path: Path) -> tuple[Check, ...]:
    """Every check, each checked, then for unique check ids."""
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"{path}: 'checks' must be a non-empty list")
    nodes: list[yaml.Node | None] = list(items(root, "checks"))
    if len(nodes) != len(raw):
        nodes = [None] * len(raw)
    lines = [node.start_mark.line + 1 if node else 1 for node in nodes]
    pairs = zip(raw, nodes, lines, strict=True)
    checks = tuple(_check(value, node, path, line) for value, node, line in pairs)
    seen: dict[str, int] = {}
    for check in checks:
        if check.id in seen:
            message = f"duplicate check id {check.id!r} (first used at line {seen[check.id]})"
            raise Where(path, check.line).error(message)
        seen[check.id] = check.line
    return checks


def load_checks(path: Path | str, shown_as: str | None = None) -> CheckFile:
    """Read and check a quick-check file.

    Args:
        path: The YAML file (``literals``, ``checks``).
        shown_as: How messages name the file (default: ``path`` as given).

    Returns:
        The checked file, with whitespace in every text folded to single spaces.

    Raises:
        ValueError: The file is missing or malformed; the message starts with
            ``path:line`` and names the question id when one question is at fault.
    """
    source = Path(path)
    path = Path(shown_as) if shown_as is not None else source
    data, root = read_yaml(source, path, "quick-check")
    top = unknown_keys(data, TOP_KEYS, "the quick-check file", Where(path, 1))
    literals = literals_of(top, path)
    checks = _checks(top.get("checks"), root, path)
    found = CheckFile(path, literals, checks)
    unique_ids(path, found.questions)
    check_typed_numbers(path, found.questions, set(literals))
    return found
