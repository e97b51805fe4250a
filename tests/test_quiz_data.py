"""The chapter quiz and quick-check data, and the markers that place them on the page.

Questions have one correct option each, feedback everywhere and bound numbers; always choosing
the longest option fails the quiz; markers expand into mkdocs-quiz blocks. Bad data:
``test_quiz_data_errors.py``.
"""

from __future__ import annotations

import re

import pytest
import yaml
from mkdocs_quiz.plugin import MkDocsQuizPlugin

from coursebuild import quiz
from coursebuild.page import bindings, fences
from tests.lab_chapter import CHECKS_FILE, QUIZ_FILE
from tests.projects import DOCS, SNIPPETS

CHAPTER = DOCS / "logistic-regression.md"
MARKER = "<!-- quiz: logistic_regression/quiz.yml -->"
TOPICS = [
    "sigmoid-by-hand",
    "odds-factor",
    "log-loss-by-hand",
    "log-loss-not-squared-error",
    "gradient-sign",
    "threshold-on-validation",
    "cost-at-threshold",
    "precision-vs-recall",
    "accuracy-paradox",
    "ranking-vs-calibration",
]
# Where the chapter places each quick check: the section the marker closes.
CHECKS_PLACED = {
    "log-loss": "## Computing the loss stably",
    "threshold": "## Choosing a threshold on validation data",
    "calibration": "## Calibration",
}
LONGEST_GUESS_LIMIT = 4  # correct answers allowed to "always choose the longest option"


@pytest.fixture(scope="module")
def chapter_quiz() -> quiz.Quiz:
    return quiz.load_quiz(QUIZ_FILE)


@pytest.fixture(scope="module")
def chapter_checks() -> quiz.CheckFile:
    return quiz.load_checks(CHECKS_FILE)


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


def recorded_output(quiz_file):
    """A lookup for bindings: the record (``.out``) a snippet of the quiz's chapter printed."""

    def lookup(ref: str) -> str | None:
        record = (SNIPPETS / ref if "/" in ref else quiz_file.parent / ref).with_suffix(".out")
        return record.read_text(encoding="utf-8") if record.is_file() else None

    return lookup


def shown_text(text: str, lookup) -> str:
    """An option as the learner reads it: bindings resolved, code marks dropped."""
    resolved, issues = bindings.resolve(text, lookup)
    assert issues == [], issues
    return resolved.replace("`", "")


def longest_guess_score(data: quiz.Quiz, lookup) -> float:
    """Expected score of always choosing the longest option (a random one among ties)."""
    score = 0.0
    for question in data.questions:
        lengths = [len(shown_text(option.text, lookup)) for option in question.options]
        longest = [o for o, n in zip(question.options, lengths, strict=True) if n == max(lengths)]
        score += sum(option.correct for option in longest) / len(longest)
    return score


@pytest.mark.parametrize(
    "quiz_file", sorted(SNIPPETS.glob("*/quiz.yml")), ids=lambda p: str(p.relative_to(SNIPPETS))
)
def test_always_choosing_the_longest_option_fails_the_quiz(quiz_file):
    data = quiz.load_quiz(quiz_file)
    score = longest_guess_score(data, recorded_output(quiz_file))
    assert score <= LONGEST_GUESS_LIMIT < data.pass_mark, f"longest-option score {score:.2f}"


def test_the_guess_score_counts_ties_and_bound_values(chapter_quiz):
    values = {"long": "0.123456789", "short": "1"}
    lookup = lambda ref: "\n".join(f"{k}: {v}" for k, v in values.items())  # noqa: E731
    option = quiz.Option
    tied = quiz.Question("tied", "Q?", (option("ab", "f", True), option("cd", "f", False)), 1)
    bound = quiz.Question(
        "bound",
        "Q?",
        (option('{{ s "short" }}', "f", False), option('{{ s "long" }}', "f", True)),
        2,
    )
    data = quiz.Quiz(QUIZ_FILE, "x", 1, (), (tied, bound))
    assert longest_guess_score(data, lookup) == 1.5


def test_at_least_three_questions_ask_for_a_computed_number(chapter_quiz):
    computed = [
        q.id
        for q in chapter_quiz.questions
        if any(option.correct and bindings.BINDING.search(option.text) for option in q.options)
    ]
    assert len(computed) >= 3, computed


def parsed_blocks(markdown: str):
    """mkdocs-quiz's own reading of every ``<quiz>`` block in ``markdown``."""
    blocks = re.findall(r"<quiz>\n(.*?)\n</quiz>", markdown, re.DOTALL)
    parse = MkDocsQuizPlugin()._parse_quiz_question_and_answers
    return [(block, parse(block.splitlines())) for block in blocks]


@pytest.mark.parametrize("source", ["quiz", "checks"])
def test_markdown_is_what_mkdocs_quiz_parses(chapter_quiz, chapter_checks, source):
    if source == "quiz":
        markdown, questions = quiz.quiz_markdown(chapter_quiz), chapter_quiz.questions
        headings = [f'<h4 class="quiz-number">Question {n}</h4>\n\n' for n in range(1, 11)]
    else:
        markdown = "".join(quiz.check_markdown(check) for check in chapter_checks.checks)
        questions, headings = chapter_checks.questions, [""] * len(chapter_checks.questions)
    blocks = parsed_blocks(markdown)
    assert len(blocks) == len(questions)
    for (block, parsed), question, heading in zip(blocks, questions, headings, strict=True):
        text, answers, correct, feedback, content_start = parsed
        assert text == heading + question.text
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


@pytest.fixture(params=["quiz", "checks"])
def chapter_data(request, chapter_quiz, chapter_checks):
    """The chapter's quiz, then its quick checks: both follow the same rules."""
    return chapter_quiz if request.param == "quiz" else chapter_checks


def test_typed_numbers_are_only_the_declared_literals(chapter_data):
    markdown = "\n".join(quiz.question_markdown(q) for q in chapter_data.questions)
    assert bindings.audit(markdown, set(chapter_data.literals)) == []
    typed = {re.search(r"'([^']+)'", i.message)[1] for i in bindings.audit(markdown, set())}
    assert typed == set(chapter_data.literals), "declared literals should be exactly those typed"


def test_every_binding_names_a_value_its_snippet_prints(chapter_data, snippet_runner):
    missing = []
    for ref, name in quiz.bindings_used(chapter_data):
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


def test_chapter_quiz_numbers_its_own_questions(chapter_quiz):
    markdown = quiz.quiz_markdown(chapter_quiz)
    numbers = re.findall(r'<h4 class="quiz-number">Question (\d+)</h4>', markdown)
    assert numbers == [str(n) for n in range(1, len(chapter_quiz.questions) + 1)]
    assert quiz.PAGE_OPTIONS == {"enabled": True, "auto_number": False}, (
        "mkdocs-quiz's auto_number would count the quick checks before the quiz"
    )


def test_check_marker_becomes_an_unscored_box_of_mkdocs_quiz_blocks(chapter_checks):
    check = chapter_checks.check("threshold")
    marker = "<!-- check: logistic_regression/checks.yml#threshold -->"
    assert quiz.MARKER.search(marker), "the adapter enables mkdocs-quiz on MARKER pages"
    expanded = quiz.expand_markers(f"Before.\n\n{marker}\n\nAfter.\n", SNIPPETS)
    box = expanded.removeprefix("Before.\n\n").removesuffix("\n\nAfter.\n")
    assert box.startswith('<div class="admonition question quick-check"')
    assert box.endswith("</div>")
    assert 'data-check="threshold"' in box
    assert ">Quick check</p>" in box
    assert "do not count towards the chapter quiz" in box
    assert box.count("<quiz>") == len(check.questions) == 2
    assert "lesson-quiz" not in box
    assert "quiz-number" not in box


def test_one_page_expands_the_quiz_and_every_check():
    page = CHAPTER.read_text(encoding="utf-8")
    expanded = quiz.expand_markers(page, SNIPPETS)
    assert quiz.MARKER.search(expanded) is None
    assert expanded.count('class="lesson-quiz"') == 1
    assert expanded.count('quick-check"') == len(CHECKS_PLACED)
    assert expanded.index("quick-check") < expanded.index("lesson-quiz")


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            "<!-- check: logistic_regression/checks.yml#nope -->",
            "no quick check 'nope' (the file has 'log-loss', 'threshold', 'calibration')",
        ),
        ("<!-- check: logistic_regression/checks.yml -->", "a check marker ends with '#ID'"),
        ("<!-- quiz: logistic_regression/quiz.yml#x -->", "a quiz marker takes no '#ID'"),
        (
            "<!-- check: logistic_regression/checks.yml#threshold -->\n" * 2,
            "this quick check is already on the page",
        ),
    ],
    ids=["unknown-id", "check-without-id", "quiz-with-id", "repeated"],
)
def test_bad_marker_is_refused_naming_it(page, expected):
    with pytest.raises(ValueError, match=re.escape(expected)):
        quiz.expand_markers(page, SNIPPETS)


def test_chapter_page_declares_the_literals_and_shows_the_bound_snippets(chapter_data):
    text = CHAPTER.read_text(encoding="utf-8")
    assert MARKER in text
    front = yaml.safe_load(text.split("---\n")[1]) if text.startswith("---\n") else {}
    declared = {bindings._bare(str(token)) for token in front.get("literals", [])}
    assert {bindings._bare(t) for t in chapter_data.literals} <= declared
    shown = {f.include for f in fences.executed_fences(DOCS) if f.include}
    bound = {f"logistic_regression/{ref}.py" for ref, _ in quiz.bindings_used(chapter_data)}
    assert bound - shown == set(), "bound snippets that no page executes"


def test_chapter_places_each_quick_check_at_the_end_of_its_section(chapter_checks):
    lines = CHAPTER.read_text(encoding="utf-8").splitlines()
    placed = {}
    for number, line in enumerate(lines):
        marker = quiz.MARKER.match(line)
        if marker and marker["kind"] == "check":
            headings = [h for h in lines[:number] if h.startswith("## ")]
            following = next(h for h in lines[number + 1 :] if h.strip())
            assert following.startswith("## "), f"{marker['check']}: not at a section's end"
            placed[marker["check"]] = headings[-1]
    assert placed == CHECKS_PLACED
    assert set(placed) == {check.id for check in chapter_checks.checks}
