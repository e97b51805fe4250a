"""Chapter quizzes and quick checks: checked YAML data, rendered as mkdocs-quiz Markdown."""

from coursebuild.quiz.checks import Check, CheckFile, load_checks
from coursebuild.quiz.data import (
    Option,
    Question,
    Quiz,
    load_quiz,
    question_markdown,
)
from coursebuild.quiz.markdown import (
    MARKER,
    PAGE_OPTIONS,
    bindings_used,
    check_markdown,
    expand_markers,
    quiz_markdown,
)

__all__ = [
    "MARKER",
    "PAGE_OPTIONS",
    "Check",
    "CheckFile",
    "Option",
    "Question",
    "Quiz",
    "bindings_used",
    "check_markdown",
    "expand_markers",
    "load_checks",
    "load_quiz",
    "question_markdown",
    "quiz_markdown",
]
