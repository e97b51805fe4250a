"""The logistic chapter as the tests see it: its names and files, its page read, its records."""

from __future__ import annotations

from coursebuild.engine import read_record
from coursebuild.lab.chapter import Chapter, read_chapter
from coursebuild.lab.exercises import load_checks
from coursebuild.lab.notebook import ROLE_KEY
from tests.projects import DOCS, SNIPPETS

PAGE = "logistic-regression.md"
FOLDER = "logistic_regression"
STEM = "logistic-regression-lab"
NOTEBOOK = f"{STEM}.ipynb"
LAB_PAGE = f"{STEM}.html"
CHAPTER = SNIPPETS / FOLDER
CHECKS = load_checks(CHAPTER / "exercises.yml", "exercises.yml")
QUIZ_FILE = CHAPTER / "quiz.yml"
CHECKS_FILE = CHAPTER / "checks.yml"  # the quick checks (CHECKS: the exercises' self-checks)


def chapter() -> Chapter:
    """The lessons and exercises of the chapter page, as the generator reads them."""
    return read_chapter((DOCS / PAGE).read_text(encoding="utf-8"), FOLDER, PAGE)


def record_of(include: str) -> str:
    """The committed record of a snippet."""
    return read_record(SNIPPETS / include)


def roles(nb, role: str) -> list:
    """The notebook's cells of one role (setup, lesson, answer, self-check)."""
    return [c for c in nb.cells if c.metadata.get(ROLE_KEY, {}).get("role") == role]
