"""Bad quiz and quick-check data fail with a message that names the file, the line and the id.

Each test spoils one thing in a copy of the chapter's own data (a question with two correct
options, a typo in a key, a typed number, an unknown binding...) and reads the error.
"""

from __future__ import annotations

import copy
import re

import pytest
import yaml

from coursebuild import quiz
from tests.lab_chapter import CHECKS_FILE, QUIZ_FILE

TARGET = "log-loss-not-squared-error"  # the question the bad-data tests spoil (option 3 correct)


def valid_data() -> dict:
    return yaml.safe_load(QUIZ_FILE.read_text(encoding="utf-8"))


def write(tmp_path, data: dict, name: str = "quiz.yml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False, width=1000), encoding="utf-8")
    return path


def line_of(path, item_id: str) -> int:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return lines.index(f"- id: {item_id}") + 1


def question_of(data: dict, qid: str) -> dict:
    return next(q for q in data["questions"] if q["id"] == qid)


# Each spoils one question whose third option is the correct one.
def two_correct(question):
    question["options"][0]["correct"] = True


def none_correct(question):
    question["options"][2]["correct"] = False


def no_feedback(question):
    del question["options"][1]["feedback"]


def typo_key(question):
    question["options"][1]["corect"] = True


def not_boolean(question):
    question["options"][2]["correct"] = "yes"


def typed_number(question):
    question["options"][1]["text"] += " The weight moves by 0.73."


def bad_binding(question):
    question["options"][1]["feedback"] += " See {{ gradient_check dL/dw1 }}."


def blank_syntax(question):
    question["question"] += " Fill in [[this]]."


def one_option(question):
    question["options"] = question["options"][:1]


BAD_QUESTIONS = [
    (two_correct, "exactly one option with 'correct: true' (found 2)"),
    (none_correct, "exactly one option with 'correct: true' (found 0)"),
    (no_feedback, "option 2 feedback must be a non-empty string"),
    (typo_key, "option 2 has unknown key(s) ['corect']"),
    (not_boolean, "option 3: 'correct' must be true or false"),
    (typed_number, "typed number '0.73'"),
    (bad_binding, "malformed binding"),
    (blank_syntax, "must not contain '[['"),
    (one_option, "at least two options"),
]


@pytest.mark.parametrize(
    ("spoil", "expected"), BAD_QUESTIONS, ids=[s.__name__ for s, _ in BAD_QUESTIONS]
)
def test_bad_question_names_file_line_and_id(tmp_path, spoil, expected):
    data = valid_data()
    spoil(question_of(data, TARGET))
    path = write(tmp_path, data)
    with pytest.raises(ValueError, match=re.escape(expected)) as failure:
        quiz.load_quiz(path)
    assert str(failure.value).startswith(f"{path}:{line_of(path, TARGET)}: ")
    assert f"question {TARGET!r}" in str(failure.value)


def test_duplicate_id_names_both_lines(tmp_path):
    data = valid_data()
    data["questions"][5]["id"] = "gradient-sign"
    path = write(tmp_path, data)
    text = path.read_text(encoding="utf-8").splitlines()
    first, second = [i + 1 for i, line in enumerate(text) if line == "- id: gradient-sign"]
    message = (
        f"{path}:{second}: question 'gradient-sign': duplicate id (first used at line {first})"
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        quiz.load_quiz(path)


def test_bad_slug_is_refused(tmp_path):
    data = valid_data()
    data["questions"][0]["id"] = "Sigmoid Question"
    path = write(tmp_path, data)
    with pytest.raises(ValueError, match=r"quiz\.yml:\d+: question 'Sigmoid Question': id must be"):
        quiz.load_quiz(path)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["questions"].pop(), "needs exactly 10 questions, found 9"),
        (lambda d: d["questions"].append(copy.deepcopy(d["questions"][0])), "found 11"),
        (lambda d: d.update(pass_mark=11), "'pass_mark' must be a whole number from 1 to 10"),
        (lambda d: d.update(pass_mark=True), "'pass_mark' must be a whole number from 1 to 10"),
        (lambda d: d.update(lesson="Logistic Regression"), "'lesson' must be the page stem"),
        (lambda d: d.update(extra=True), "unknown key(s) ['extra']"),
    ],
    ids=["nine", "eleven", "pass-mark", "pass-mark-bool", "lesson", "unknown-top-key"],
)
def test_bad_file_is_refused_with_its_name(tmp_path, change, expected):
    data = valid_data()
    change(data)
    path = write(tmp_path, data)
    with pytest.raises(ValueError, match=re.escape(expected)) as failure:
        quiz.load_quiz(path)
    assert str(failure.value).startswith(str(path))


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "quiz.yml"
    path.write_text("lesson: x\nquestions:\n  - id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ValueError, match=rf"^{re.escape(str(path))}:\d+: not valid YAML"):
        quiz.load_quiz(path)


def test_missing_file_is_named(tmp_path):
    with pytest.raises(ValueError, match=r"nowhere\.yml: cannot read the quiz file"):
        quiz.load_quiz(tmp_path / "nowhere.yml")
    with pytest.raises(ValueError, match=r"nowhere\.yml"):
        quiz.expand_markers("<!-- quiz: nowhere.yml -->\n", tmp_path)


# ---------------------------------------------------------------- bad quick checks fail clearly

CHECK_TARGET = ("calibration", "read-a-bin")  # a check question whose third option is correct


def valid_checks() -> dict:
    return yaml.safe_load(CHECKS_FILE.read_text(encoding="utf-8"))


def check_of(data: dict, check_id: str) -> dict:
    return next(check for check in data["checks"] if check["id"] == check_id)


@pytest.mark.parametrize(
    ("spoil", "expected"), BAD_QUESTIONS, ids=[s.__name__ for s, _ in BAD_QUESTIONS]
)
def test_bad_check_question_names_file_line_and_id(tmp_path, spoil, expected):
    check_id, question_id = CHECK_TARGET
    data = valid_checks()
    spoil(question_of(check_of(data, check_id), question_id))
    path = write(tmp_path, data, "checks.yml")
    with pytest.raises(ValueError, match=re.escape(expected)) as failure:
        quiz.load_checks(path)
    assert str(failure.value).startswith(f"{path}:{line_of(path, question_id)}: ")
    assert f"question {question_id!r}" in str(failure.value)


def three_questions(data):
    check_of(data, "calibration")["questions"].append(valid_checks()["checks"][0]["questions"][0])


@pytest.mark.parametrize(
    ("change", "at", "expected"),
    [
        (three_questions, "calibration", "check 'calibration' needs 1 or 2 questions, found 3"),
        (
            lambda d: check_of(d, "calibration").update(questions=[]),
            "calibration",
            "needs 1 or 2 questions, found 0",
        ),
        (
            lambda d: check_of(d, "calibration").update(title="Bins"),
            "calibration",
            "a quick check has unknown key(s) ['title']",
        ),
        (
            lambda d: check_of(d, "calibration").update(id="Calibration Check"),
            "Calibration Check",
            "check id must be a kebab-case slug",
        ),
        (
            lambda d: check_of(d, "calibration").update(id="threshold"),
            "threshold",
            "duplicate check id 'threshold' (first used at line",
        ),
        (
            lambda d: check_of(d, "calibration")["questions"][0].update(id="break-even"),
            "break-even",
            "question 'break-even': duplicate id (first used at line",
        ),
    ],
    ids=["three", "none", "unknown-key", "slug", "duplicate-check", "duplicate-question"],
)
def test_bad_check_names_file_and_line(tmp_path, change, at, expected):
    data = valid_checks()
    change(data)
    path = write(tmp_path, data, "checks.yml")
    lines = [i + 1 for i, line in enumerate(path.read_text().splitlines()) if f"id: {at}" in line]
    with pytest.raises(ValueError, match=re.escape(expected)) as failure:
        quiz.load_checks(path)
    assert str(failure.value).startswith(f"{path}:{lines[-1]}: ")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(checks=[]), "'checks' must be a non-empty list"),
        (lambda d: d.update(extra=True), "unknown key(s) ['extra']"),
        (lambda d: d.update(literals="0.20"), "'literals' must be a list of strings"),
    ],
    ids=["no-checks", "unknown-top-key", "literals"],
)
def test_bad_check_file_is_refused_with_its_name(tmp_path, change, expected):
    data = valid_checks()
    change(data)
    path = write(tmp_path, data, "checks.yml")
    with pytest.raises(ValueError, match=re.escape(expected)) as failure:
        quiz.load_checks(path)
    assert str(failure.value).startswith(str(path))
    with pytest.raises(ValueError, match=r"nowhere\.yml: cannot read the quick-check file"):
        quiz.load_checks(tmp_path / "nowhere.yml")
