"""Exercise self-checks, read from the chapter's ``exercises.yml`` beside its snippets.

Each entry names an exercise snippet (its stem) and lists the variables a learner sets,
with the labels of the solution's record lines that hold the lesson's values, plus the
hand-in code that sets those variables from the solution's own. Bad data fails with a
message that starts with ``path:line``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from coursebuild.page import bindings

FILE_NAME = "exercises.yml"
ANSWER_KEYS = {"name", "meaning", "label", "keys"}
ENTRY_KEYS = {"answers", "hand_in"}
HELPER_MODULE = "lab_check"


@dataclass(frozen=True)
class Answer:
    """A variable the learner sets, and the labels of the record lines that hold its value.

    ``labels`` is one label (a single value) or a dict of labels (a dict answer with
    those keys). Labels are the names :func:`coursebuild.page.bindings.values_of` gives.
    """

    name: str
    meaning: str
    labels: str | Mapping[object, str]


@dataclass(frozen=True)
class ExerciseCheck:
    """The answers of one exercise, and how the chapter's solution hands them in.

    ``hand_in`` is code that, run after the solution snippet's own code, sets the
    answers from the solution's variables. The tests paste solution plus hand-in into
    the learner's cell to prove that the self-check accepts the lesson's solution.
    """

    answers: tuple[Answer, ...]
    hand_in: str


def _lines(text: str) -> dict[str, int]:
    """1-based line of each top-level key of a YAML mapping."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return {}
    return {key.value: key.start_mark.line + 1 for key, _ in root.value}


def _answer(raw: Any, where: str) -> Answer:
    """One checked answer entry."""
    if not isinstance(raw, dict) or set(raw) - ANSWER_KEYS:
        raise ValueError(f"{where}: each answer is a mapping with keys {sorted(ANSWER_KEYS)}")
    name, meaning, label = raw.get("name"), raw.get("meaning"), raw.get("label")
    if not all(isinstance(value, str) and value.strip() for value in (name, meaning, label)):
        raise ValueError(f"{where}: an answer needs 'name', 'meaning' and 'label' as text")
    if not name.isidentifier():
        raise ValueError(f"{where}: answer name {name!r} is not a Python variable name")
    keys = raw.get("keys")
    if keys is None:
        return Answer(name, " ".join(meaning.split()), label)
    if not isinstance(keys, list) or not keys:
        raise ValueError(f"{where}: 'keys' of {name} must be a non-empty list")
    return Answer(name, " ".join(meaning.split()), {key: label.format(key=key) for key in keys})


def _entry(raw: Any, where: str) -> ExerciseCheck:
    """One checked exercise entry."""
    if not isinstance(raw, dict) or set(raw) != ENTRY_KEYS:
        raise ValueError(f"{where}: needs exactly the keys {sorted(ENTRY_KEYS)}")
    if not isinstance(raw["answers"], list) or not raw["answers"]:
        raise ValueError(f"{where}: 'answers' must be a non-empty list")
    if not isinstance(raw["hand_in"], str):
        raise ValueError(f"{where}: 'hand_in' must be code (text)")
    answers = tuple(_answer(item, where) for item in raw["answers"])
    return ExerciseCheck(answers, raw["hand_in"].rstrip("\n"))


def load_checks(path: Path, shown_as: str) -> dict[str, ExerciseCheck]:
    """The self-checks of a chapter, by exercise snippet stem (empty when there is no file).

    Raises:
        ValueError: The file is malformed; the message starts with ``shown_as:line``.
    """
    if not path.is_file():
        return {}
    text = path.read_text(encoding="utf-8")
    try:
        data, lines = yaml.safe_load(text) or {}, _lines(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{shown_as}:{mark.line + 1}" if mark else shown_as
        raise ValueError(f"{where}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise ValueError(f"{shown_as}:1: expected a mapping of exercise snippet names")
    return {
        str(stem): _entry(raw, f"{shown_as}:{lines.get(stem, 1)}: exercise {stem!r}")
        for stem, raw in data.items()
    }


def expected_answers(check: ExerciseCheck, record: str) -> tuple[dict[str, object], list[str]]:
    """The recorded value (text) of every answer, and the labels the record lacks."""
    values = bindings.values_of(record)
    expected: dict[str, object] = {}
    missing: list[str] = []
    for answer in check.answers:
        labels = {None: answer.labels} if isinstance(answer.labels, str) else answer.labels
        texts = {key: values.get(label) for key, label in labels.items()}
        missing += [label for key, label in labels.items() if texts[key] is None]
        expected[answer.name] = texts[None] if isinstance(answer.labels, str) else texts
    return expected, missing


def describe(answer: Answer) -> str:
    """One comment line telling the learner what to put into an answer variable."""
    if isinstance(answer.labels, str):
        return f"{answer.name}: {answer.meaning}"
    keys = ", ".join(repr(key) for key in answer.labels)
    return f"{answer.name}: {answer.meaning} (a dict with the keys {keys})"


def answer_cell_source(check: ExerciseCheck) -> str:
    """The learner's empty cell: only comments naming the variables to produce."""
    lines = ["# Your answer: write your code here and set"]
    for answer in check.answers:
        lines += textwrap.wrap(
            describe(answer), width=76, initial_indent="#   ", subsequent_indent="#       "
        )
    return "\n".join([*lines, "# then run the self-check cell below."])


def self_check_source(exercise: str) -> str:
    """The self-check cell: asks the helper about the learner's answers (values stay hidden)."""
    return (
        "# Self-check: says whether your answers match the lesson's numbers.\n"
        f"from {HELPER_MODULE} import check_answers\n\n"
        f"check_answers({exercise!r}, globals())"
    )
