"""The chapter quiz and quick-check data, and the markers that place them on the page.

Questions have one correct option each, feedback everywhere and bound numbers; always choosing
the longest option fails the quiz; markers expand into mkdocs-quiz blocks.

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
CHECKS_FILE = SNIPPETS / "logistic_regression" / "checks.yml"
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
TARGET = "log-loss-not-squared-error"  # the question the bad-data tests spoil (option 3 correct)
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


# ---------------------------------------------------------------- bad data fails clearly


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
