"""The chapter quiz data: ten questions, one correct option each, feedback, bound numbers.

Bad data must fail with a message that names the file, the line and the question id.
"""

from __future__ import annotations

import copy
import re

import pytest
import yaml
from mkdocs_quiz.plugin import MkDocsQuizPlugin

from coursebuild import quiz
from coursebuild.page import bindings, fences
from tests.projects import DOCS, SNIPPETS

QUIZ_FILE = SNIPPETS / "logistic_regression" / "quiz.yml"
CHAPTER = DOCS / "logistic-regression.md"
MARKER = "<!-- quiz: logistic_regression/quiz.yml -->"
TOPICS = [
    "sigmoid-log-odds",
    "log-loss-not-squared-error",
    "gradient-sign",
    "threshold-on-validation",
    "cost-aware-threshold",
    "precision-vs-recall",
    "accuracy-paradox",
    "auc-meaning",
    "ranking-vs-calibration",
    "sklearn-parity",
]


@pytest.fixture(scope="module")
def chapter_quiz() -> quiz.Quiz:
    return quiz.load_quiz(QUIZ_FILE)


def test_ten_questions_one_correct_option_feedback_everywhere(chapter_quiz):
    assert [q.id for q in chapter_quiz.questions] == TOPICS
    for question in chapter_quiz.questions:
        assert sum(option.correct for option in question.options) == 1, question.id
        assert len(question.options) >= 3, question.id
        assert all(option.feedback.strip() for option in question.options), question.id
    assert chapter_quiz.pass_mark / len(chapter_quiz.questions) > 0.75


def test_correct_answers_are_not_always_in_the_same_place(chapter_quiz):
    places = {[o.correct for o in q.options].index(True) for q in chapter_quiz.questions}
    assert len(places) >= 3


def test_markdown_is_what_mkdocs_quiz_parses(chapter_quiz):
    blocks = re.findall(r"<quiz>\n(.*?)\n</quiz>", quiz.quiz_markdown(chapter_quiz), re.DOTALL)
    assert len(blocks) == len(chapter_quiz.questions)
    parse = MkDocsQuizPlugin()._parse_quiz_question_and_answers
    for block, question in zip(blocks, chapter_quiz.questions, strict=True):
        text, answers, correct, feedback, content_start = parse(block.splitlines())
        assert text == question.text
        assert answers == [option.text for option in question.options]
        assert correct == [option.text for option in question.options if option.correct]
        assert feedback == [option.feedback for option in question.options]
        assert content_start == len(block.splitlines()), f"{question.id}: trailing content"


def test_wrapper_carries_lesson_pass_mark_and_live_region(chapter_quiz):
    markdown = quiz.quiz_markdown(chapter_quiz)
    assert markdown.startswith('<div class="lesson-quiz" data-lesson="logistic-regression"')
    assert 'data-pass-mark="8"' in markdown
    assert 'role="status" aria-live="polite"' in markdown
    assert markdown.rstrip().endswith("</div>")


def test_typed_numbers_are_only_the_declared_literals(chapter_quiz):
    markdown = quiz.quiz_markdown(chapter_quiz)
    assert bindings.audit(markdown, set(chapter_quiz.literals)) == []
    typed = {re.search(r"'([^']+)'", i.message)[1] for i in bindings.audit(markdown, set())}
    assert typed == set(chapter_quiz.literals), "declared literals should be exactly those typed"


def test_every_binding_names_a_value_its_snippet_prints(chapter_quiz, snippet_runner):
    missing = []
    for ref, name in quiz.bindings_used(chapter_quiz):
        outcome = snippet_runner.check(SNIPPETS / "logistic_regression" / f"{ref}.py")
        assert outcome.status == "ok", outcome.report()
        if name not in bindings.values_of(outcome.stdout):
            missing.append(f"{ref} {name!r}")
    assert missing == []


def test_expand_markers_replaces_only_the_marker_line(chapter_quiz):
    page = f"# Title\n\nBefore.\n\n{MARKER}\n\nAfter.\n"
    expanded = quiz.expand_markers(page, SNIPPETS)
    assert expanded.startswith('# Title\n\nBefore.\n\n<div class="lesson-quiz"')
    assert expanded.endswith("</div>\n\nAfter.\n")
    assert expanded.count("<quiz>") == len(chapter_quiz.questions)
    assert quiz.expand_markers("No marker.\n", SNIPPETS) == "No marker.\n"


def test_expand_markers_applies_the_finishing_step_per_marker():
    page = f"{MARKER}\n"
    seen = []
    expanded = quiz.expand_markers(page, SNIPPETS, lambda text, m: seen.append(m) or "X")
    assert expanded == "X\n"
    assert [m["path"] for m in seen] == ["logistic_regression/quiz.yml"]


def test_chapter_page_declares_the_literals_and_shows_the_bound_snippets(chapter_quiz):
    text = CHAPTER.read_text(encoding="utf-8")
    assert MARKER in text
    front = yaml.safe_load(text.split("---\n")[1]) if text.startswith("---\n") else {}
    declared = {bindings._bare(str(token)) for token in front.get("literals", [])}
    assert {bindings._bare(t) for t in chapter_quiz.literals} <= declared
    shown = {f.include for f in fences.executed_fences(DOCS) if f.include}
    bound = {f"logistic_regression/{ref}.py" for ref, _ in quiz.bindings_used(chapter_quiz)}
    assert bound - shown == set(), "bound snippets that no page executes"


# ---------------------------------------------------------------- bad data fails clearly


def valid_data() -> dict:
    return yaml.safe_load(QUIZ_FILE.read_text(encoding="utf-8"))


def write(tmp_path, data: dict):
    path = tmp_path / "quiz.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, width=1000), encoding="utf-8")
    return path


def line_of(path, qid: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines.index(f"- id: {qid}") + 1


def option(data: dict, question: int, number: int) -> dict:
    return data["questions"][question]["options"][number]


def two_correct(data):
    option(data, 2, 0)["correct"] = True


def none_correct(data):
    option(data, 2, 2)["correct"] = False


def no_feedback(data):
    del option(data, 2, 1)["feedback"]


def typo_key(data):
    option(data, 2, 1)["corect"] = True


def not_boolean(data):
    option(data, 2, 2)["correct"] = "yes"


def typed_number(data):
    option(data, 2, 1)["text"] += " The weight moves by 0.73."


def bad_binding(data):
    option(data, 2, 1)["feedback"] += " See {{ gradient_check dL/dw1 }}."


def blank_syntax(data):
    data["questions"][2]["question"] += " Fill in [[this]]."


def one_option(data):
    data["questions"][2]["options"] = data["questions"][2]["options"][:1]


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
    spoil(data)
    path = write(tmp_path, data)
    with pytest.raises(ValueError, match=re.escape(expected)) as failure:
        quiz.load_quiz(path)
    assert str(failure.value).startswith(f"{path}:{line_of(path, 'gradient-sign')}: ")
    assert "question 'gradient-sign'" in str(failure.value)


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
