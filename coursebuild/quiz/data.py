"""Chapter quiz data: questions in one YAML file, checked with file and line in every error."""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from coursebuild.page import bindings

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOP_KEYS = {"lesson", "pass_mark", "literals", "count", "questions"}
QUESTION_KEYS = {"id", "question", "options"}
OPTION_KEYS = {"text", "correct", "feedback"}
# Text that would end a <quiz> block early or turn it into a fill-in-the-blank quiz.
FORBIDDEN = ("<quiz>", "</quiz>", "[[", "]]")


@dataclass(frozen=True)
class Option:
    """One answer of a question, with the feedback shown after "Check score"."""

    text: str
    feedback: str
    correct: bool


@dataclass(frozen=True)
class Question:
    """One single-choice question and the line of the data file where it starts."""

    id: str
    text: str
    options: tuple[Option, ...]
    line: int


@dataclass(frozen=True)
class Quiz:
    """A checked quiz: the page it completes, its pass mark, literals and questions."""

    path: Path  # as shown in messages: relative to the project when inside it
    lesson: str
    pass_mark: int
    literals: tuple[str, ...]
    questions: tuple[Question, ...]


class Where:
    """Builds error messages that name the file and the line (and question id) at fault."""

    def __init__(self, path: Path, line: int, question: str | None = None) -> None:
        self.path, self.line, self.question = path, line, question

    def error(self, message: str) -> ValueError:
        """A ``ValueError`` that starts with ``path:line`` and the question id."""
        about = f"question {self.question!r}: " if self.question else ""
        return ValueError(f"{self.path}:{self.line}: {about}{message}")


# Read the file once and parse it twice: as data, and as a node tree that knows each line.
def read_yaml(source: Path, path: Path, kind: str = "quiz") -> tuple[Any, yaml.Node | None]:
    """Parse ``source``; raise ``ValueError`` naming it as ``path`` if it cannot be read."""
    try:
        text = source.read_text(encoding="utf-8")
    except OSError as error:
        raise ValueError(f"{path}: cannot read the {kind} file ({error.strerror})") from error
    try:
        data, nodes = _parsed(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise ValueError(f"{where}: not valid YAML: {error}") from error
    return copy.deepcopy(data), nodes


@functools.lru_cache(maxsize=64)
def _parsed(text: str) -> tuple[Any, yaml.Node | None]:
    """The data and the node tree of a YAML text (remembered; callers get a copy of the data)."""
    return yaml.safe_load(text), yaml.compose(text, Loader=yaml.SafeLoader)


def items(node: yaml.Node | None, key: str) -> list[yaml.Node]:
    """The item nodes of the sequence under ``key`` in the mapping ``node`` (or none)."""
    if not isinstance(node, yaml.MappingNode):
        return []
    for key_node, value in node.value:
        if key_node.value == key and isinstance(value, yaml.SequenceNode):
            return list(value.value)
    return []


def lines_of(nodes: list[yaml.Node], count: int) -> list[int]:
    """1-based first line of each node; line 1 for all when they do not match the data."""
    lines = [node.start_mark.line + 1 for node in nodes]
    return lines if len(lines) == count else [1] * count


def _text(value: Any, what: str, where: Where) -> str:
    """A non-empty string with its whitespace folded to single spaces."""
    if not isinstance(value, str) or not value.strip():
        raise where.error(f"{what} must be a non-empty string")
    folded = " ".join(value.split())
    for token in FORBIDDEN:
        if token in folded:
            raise where.error(f"{what} must not contain {token!r} (mkdocs-quiz syntax)")
    if folded.count("{{") != len(bindings.BINDING.findall(folded)):
        raise where.error(f'{what} has a malformed binding; write {{{{ snippet "NAME" }}}}')
    return folded


def unknown_keys(value: Any, allowed: set[str], what: str, where: Where) -> dict:
    """Return ``value`` as a mapping, refusing keys outside ``allowed`` (typos hide answers)."""
    if not isinstance(value, dict):
        raise where.error(f"{what} must be a mapping")
    extra = sorted(set(value) - allowed)
    if extra:
        raise where.error(f"{what} has unknown key(s) {extra}; allowed: {sorted(allowed)}")
    return value


def _option(value: Any, number: int, where: Where) -> Option:
    """One checked option; ``number`` counts from 1 for messages."""
    what = f"option {number}"
    value = unknown_keys(value, OPTION_KEYS, what, where)
    correct = value.get("correct", False)
    if not isinstance(correct, bool):
        raise where.error(f"{what}: 'correct' must be true or false, not {correct!r}")
    text = _text(value.get("text"), f"{what} text", where)
    return Option(text, _text(value.get("feedback"), f"{what} feedback", where), correct)


def checked_question(value: Any, path: Path, line: int) -> Question:
    """One checked question: id, text, two or more options, exactly one of them correct."""
    qid = value.get("id") if isinstance(value, dict) else None
    where = Where(path, line, qid if isinstance(qid, str) else None)
    value = unknown_keys(value, QUESTION_KEYS, "a question", where)
    if not isinstance(qid, str) or not SLUG.match(qid):
        raise where.error(f"id must be a kebab-case slug such as 'gradient-sign', not {qid!r}")
    text = _text(value.get("question"), "question text", where)
    raw = value.get("options")
    if not isinstance(raw, list) or len(raw) < 2:
        raise where.error("needs a list of at least two options")
    options = tuple(_option(item, n, where) for n, item in enumerate(raw, start=1))
    correct = sum(option.correct for option in options)
    if correct != 1:
        raise where.error(f"needs exactly one option with 'correct: true' (found {correct})")
    return Question(qid, text, options, line)


def questions_of(raw: Any, path: Path, nodes: list[yaml.Node]) -> tuple[Question, ...]:
    """A list of questions, each checked, with the line of each from its node."""
    if not isinstance(raw, list):
        raise ValueError(f"{path}: 'questions' must be a list")
    lines = lines_of(nodes, len(raw))
    return tuple(checked_question(item, path, line) for item, line in zip(raw, lines, strict=True))


def unique_ids(path: Path, questions: tuple[Question, ...]) -> None:
    """Refuse a question id used twice in one file, naming both lines."""
    seen: dict[str, int] = {}
    for each in questions:
        if each.id in seen:
            where = Where(path, each.line, each.id)
            raise where.error(f"duplicate id (first used at line {seen[each.id]})")
        seen[each.id] = each.line


def question_markdown(question: Question, number: int | None = None) -> str:
    """One question in mkdocs-quiz syntax: text, ``- [x]``/``- [ ]`` options, ``>`` feedback.

    With ``number``, the question starts with a "Question N" heading (mkdocs-quiz's own
    ``auto_number`` counts every block on the page, quick checks included).
    """
    heading = [f'<h4 class="quiz-number">Question {number}</h4>', ""] if number else []
    lines = ["<quiz>", *heading, question.text]
    for option in question.options:
        lines += [f"- [{'x' if option.correct else ' '}] {option.text}", f"> {option.feedback}"]
    return "\n".join([*lines, "</quiz>"])


def check_typed_numbers(path: Path, questions: tuple[Question, ...], literals: set[str]) -> None:
    """Every number typed outside a binding must be declared under ``literals``."""
    for each in questions:
        issues = bindings.audit(question_markdown(each), literals)
        if issues:
            where = Where(path, each.line, each.id)
            message = f"{issues[0].message}; list it under 'literals' in {path.name} too"
            raise where.error(message)


def load_quiz(path: Path | str, shown_as: str | None = None) -> Quiz:
    """Read and check a quiz file.

    Args:
        path: The YAML file (``lesson``, ``pass_mark``, ``literals``, ``questions``).
        shown_as: How messages name the file (default: ``path`` as given).

    Returns:
        The checked quiz, with whitespace in every text folded to single spaces.

    Raises:
        ValueError: The file is missing or malformed; the message starts with
            ``path:line`` and names the question id when one question is at fault.
    """
    source = Path(path)
    path = Path(shown_as) if shown_as is not None else source
    data, root = read_yaml(source, path)
    top = unknown_keys(data, TOP_KEYS, "the quiz file", Where(path, 1))
    lesson, pass_mark = top.get("lesson"), top.get("pass_mark")
    if not isinstance(lesson, str) or not SLUG.match(lesson):
        raise ValueError(f"{path}: 'lesson' must be the page stem, such as 'naive-bayes'")
    literals = literals_of(top, path)
    questions = questions_of(top.get("questions"), path, items(root, "questions"))
    check_count(path, questions, top.get("count"))
    unique_ids(path, questions)
    whole = isinstance(pass_mark, int) and not isinstance(pass_mark, bool)
    if not whole or not 0 < pass_mark <= len(questions):
        raise ValueError(f"{path}: 'pass_mark' must be a whole number from 1 to {len(questions)}")
    check_typed_numbers(path, questions, set(literals))
    return Quiz(path, lesson, pass_mark, literals, questions)


def check_count(path: Path, questions: tuple[Question, ...], count: Any) -> None:
    """At least one question; exactly ``count`` when the file pins it (a lost question shows)."""
    if not questions:
        raise ValueError(f"{path}: 'questions' must hold at least one question")
    if count is None:
        return
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise ValueError(f"{path}: 'count' must be a whole number of questions, not {count!r}")
    if len(questions) != count:
        raise ValueError(f"{path}: needs exactly {count} questions, found {len(questions)}")


def literals_of(top: dict, path: Path) -> tuple[str, ...]:
    """The file's ``literals``: the numbers its questions may type by hand."""
    literals = top.get("literals", [])
    if not isinstance(literals, list) or not all(isinstance(item, str) for item in literals):
        raise ValueError(f"{path}: 'literals' must be a list of strings")
    return tuple(literals)
