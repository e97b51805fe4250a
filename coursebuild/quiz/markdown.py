"""Chapter quizzes as mkdocs-quiz Markdown, with the wrapper the completion script reads.

A page asks for a quiz with a marker line such as ``<!-- quiz: chapter/quiz.yml -->`` (the
path is relative to ``snippets/``). :func:`expand_markers` replaces each marker with
:func:`quiz_markdown` of the checked data: one mkdocs-quiz ``<quiz>`` block per question,
with per-option feedback as ``>`` lines, inside a wrapper that the site's
``quiz-completion.js`` turns into "Check score" and "Retake" with a pass mark. Numbers in
the questions are bindings that the build resolves after the expansion.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

from coursebuild.page import bindings
from coursebuild.quiz.data import Quiz, load_quiz, question_markdown

MARKER = re.compile(r"^<!--\s*quiz:\s*(?P<path>[\w./-]+\.ya?ml)\s*-->[ \t]*$", re.MULTILINE)
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
    blocks = [opening, *(question_markdown(q) for q in quiz.questions), closing]
    return "\n\n".join(blocks) + "\n"


def bindings_used(quiz: Quiz) -> list[tuple[str, str]]:
    """Every ``(snippet, name)`` pair the quiz binds, in order of first use."""
    found = bindings.BINDING.finditer(quiz_markdown(quiz))
    return list(dict.fromkeys((match["ref"], match["name"]) for match in found))


def expand_markers(
    markdown: str,
    base: Path,
    finish: Callable[[str, re.Match], str] | None = None,
    shown: Callable[[Path], str] | None = None,
) -> str:
    """Replace every ``<!-- quiz: PATH -->`` line with the quiz at ``base / PATH``.

    Args:
        markdown: A page's Markdown.
        base: The folder that marker paths are relative to (``snippets/``).
        finish: Optional step applied to each generated quiz, given its marker (the build
            resolves the quiz's bindings there).
        shown: How messages name a quiz file (default: its path as found).

    Returns:
        The Markdown with each marker replaced by :func:`quiz_markdown`.

    Raises:
        ValueError: A quiz file is missing or malformed (see :func:`load_quiz`).
    """

    def replace(marker: re.Match) -> str:
        path = base / marker["path"]
        text = quiz_markdown(load_quiz(path, shown(path) if shown else None)).rstrip("\n")
        return finish(text, marker) if finish else text

    return MARKER.sub(replace, markdown)
