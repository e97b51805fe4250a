"""Chapter quizzes: checked YAML data, rendered as mkdocs-quiz Markdown."""

from coursebuild.quiz.data import (
    Option,
    Question,
    Quiz,
    load_quiz,
    question_markdown,
)
from coursebuild.quiz.markdown import (
    MARKER,
    bindings_used,
    expand_markers,
    quiz_markdown,
)

__all__ = [
    "MARKER",
    "Option",
    "Question",
    "Quiz",
    "bindings_used",
    "expand_markers",
    "load_quiz",
    "question_markdown",
    "quiz_markdown",
]
