"""Chapter quizzes and quick checks as mkdocs-quiz Markdown, in the wrappers the site reads.

A page asks for a quiz with a marker line such as ``<!-- quiz: chapter/quiz.yml -->``, and
for a quick check with ``<!-- check: chapter/checks.yml#ID -->`` (paths are relative to
``snippets/``). :func:`expand_markers` replaces each marker with the checked data as
mkdocs-quiz ``<quiz>`` blocks, one per question, with per-option feedback as ``>`` lines:

- :func:`quiz_markdown` wraps the chapter quiz in ``.lesson-quiz``, which the site's
  ``quiz-completion.js`` turns into "Check score" and "Retake" with a pass mark;
- :func:`check_markdown` wraps a quick check in a "Quick check" box outside
  ``.lesson-quiz``: mkdocs-quiz gives feedback as soon as an answer is chosen, and the
  check counts towards nothing.

Numbers in the questions are bindings that the build resolves after the expansion.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

from coursebuild.page import bindings
from coursebuild.quiz.checks import Check, CheckFile, load_checks
from coursebuild.quiz.data import Quiz, load_quiz, question_markdown

MARKER = re.compile(
    r"^<!--\s*(?P<kind>quiz|check):\s*(?P<path>[\w./-]+\.ya?ml)(?:#(?P<check>[\w-]+))?"
    r"\s*-->[ \t]*$",
    re.MULTILINE,
)
# mkdocs-quiz's options for a page with a marker (its front-matter ``quiz`` key): on, and no
# "Question N" of its own, which would count the quick checks too; quiz_markdown numbers.
PAGE_OPTIONS = {"enabled": True, "auto_number": False}
CHECK_NOTE = (
    "Not scored: choose an answer to see at once why it is right or wrong. "
    "Quick checks do not count towards the chapter quiz."
)
WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _in_words(number: int) -> str:
    """Small counts in words, so the intro types no number for the page's audit."""
    return WORDS[number] if number < len(WORDS) else str(number)


def quiz_markdown(quiz: Quiz) -> str:
    """The Markdown that replaces a quiz marker: the wrapper, the questions, the controls.

    Args:
        quiz: A quiz returned by :func:`load_quiz`.

    Returns:
        Markdown for the page; its bindings are still to be resolved by the build.
    """
    total, needed = _in_words(len(quiz.questions)), _in_words(quiz.pass_mark).capitalize()
    opening = (
        f'<div class="lesson-quiz" data-lesson="{html.escape(quiz.lesson)}" '
        f'data-pass-mark="{quiz.pass_mark}" data-total="{len(quiz.questions)}">\n'
        f'<p class="lesson-quiz-intro">Answer all {total} questions, then choose '
        f"<strong>Check score</strong> to see your score and the feedback on each answer. "
        f"{needed} or more correct answers mark this lesson complete. "
        f"Your result is kept in this browser only.</p>"
    )
    closing = (
        '<div class="lesson-quiz-controls">\n'
        '<button type="button" class="md-button md-button--primary lesson-quiz-check">'
        "Check score</button>\n"
        '<button type="button" class="md-button lesson-quiz-retake" hidden>Retake</button>\n'
        "</div>\n"
        '<p class="lesson-quiz-score" role="status" aria-live="polite" aria-atomic="true"></p>\n'
        "</div>"
    )
    numbered = (question_markdown(q, n) for n, q in enumerate(quiz.questions, start=1))
    blocks = [opening, *numbered, closing]
    return "\n\n".join(blocks) + "\n"


def check_markdown(check: Check) -> str:
    """The Markdown that replaces a check marker: a labelled box around the questions.

    Args:
        check: One check of a file returned by :func:`load_checks`.

    Returns:
        Markdown for the page; its bindings are still to be resolved by the build.
    """
    title = f"quick-check-{check.id}"
    opening = (
        f'<div class="admonition question quick-check" id="{title}-box" data-check="{check.id}" '
        f'role="group" aria-labelledby="{title}">\n'
        f'<p class="admonition-title" id="{title}">Quick check</p>\n'
        f'<p class="quick-check-note">{CHECK_NOTE}</p>\n'
        '<p class="quick-check-status" role="status" aria-live="polite"></p>'
    )
    blocks = [opening, *(question_markdown(question) for question in check.questions), "</div>"]
    return "\n\n".join(blocks) + "\n"


def bindings_used(data: Quiz | CheckFile) -> list[tuple[str, str]]:
    """Every ``(snippet, name)`` pair a quiz or a check file binds, in order of first use."""
    text = "\n".join(question_markdown(question) for question in data.questions)
    found = bindings.BINDING.finditer(text)
    return list(dict.fromkeys((match["ref"], match["name"]) for match in found))


def expand_markers(
    markdown: str,
    base: Path,
    finish: Callable[[str, re.Match], str] | None = None,
    shown: Callable[[Path], str] | None = None,
    failed: Callable[[ValueError, re.Match], None] | None = None,
) -> str:
    """Replace every quiz and check marker line with its checked questions.

    Args:
        markdown: A page's Markdown.
        base: The folder that marker paths are relative to (``snippets/``).
        finish: Optional step applied to each generated block, given its marker (the build
            resolves the block's bindings there).
        shown: How messages name a data file (default: its path as found).
        failed: Optional handler of a marker's error, given the marker (which then stays
            unexpanded); without it the first error is raised.

    Returns:
        The Markdown with each ``<!-- quiz: PATH -->`` replaced by :func:`quiz_markdown`
        and each ``<!-- check: PATH#ID -->`` by :func:`check_markdown`.

    Raises:
        ValueError: A data file is missing or malformed (see :func:`load_quiz` and
            :func:`load_checks`), or a marker is malformed or repeated.
    """
    files: dict[Path, CheckFile] = {}
    placed: set[str] = set()

    def name(path: Path) -> str | None:
        return shown(path) if shown else None

    def replace(marker: re.Match) -> str:
        try:
            return expanded(marker)
        except ValueError as error:
            if failed is None:
                raise
            failed(error, marker)
            return marker.group(0)

    def expanded(marker: re.Match) -> str:
        path, check_id = base / marker["path"], marker["check"]
        if marker["kind"] == "quiz":
            if check_id:
                raise ValueError(f"{marker.group(0)}: a quiz marker takes no '#ID'")
            text = quiz_markdown(load_quiz(path, name(path)))
        else:
            if not check_id:
                raise ValueError(f"{marker.group(0)}: a check marker ends with '#ID'")
            if marker.group(0) in placed:
                raise ValueError(f"{marker.group(0)}: this quick check is already on the page")
            placed.add(marker.group(0))
            if path not in files:
                files[path] = load_checks(path, name(path))
            text = check_markdown(files[path].check(check_id))
        text = text.rstrip("\n")
        return finish(text, marker) if finish else text

    return MARKER.sub(replace, markdown)
