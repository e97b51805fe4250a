"""A chapter page read as a lab: its lesson snippets and its exercises, in page order."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coursebuild.page import fences

HEADING = re.compile(r"^(?P<hashes>#{2,3})\s+(?P<title>.+?)\s*$")
SOLUTION_BLOCK = re.compile(r'^\s*\?\?\?\+?\s+[\w-]+\s+"Solution"')


class ChapterError(ValueError):
    """A chapter page that cannot be read as a lab; ``line`` (1-based) is where."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Lesson:
    """A lesson snippet of the page: its include path and the section that shows it."""

    include: str
    section: str


@dataclass(frozen=True)
class Exercise:
    """An exercise of the page: its solution snippet, title and prompt (page Markdown)."""

    include: str
    title: str
    prompt: str


@dataclass(frozen=True)
class Chapter:
    """The executed snippets of a chapter page, split into lessons and exercises."""

    lessons: tuple[Lesson, ...]
    exercises: tuple[Exercise, ...]
    exercises_intro: str = ""  # the page's prose between the exercises' heading and the first


def headings_of(lines: list[str], code_lines: set[int]) -> list[tuple[int, int, str]]:
    """Level-2 and level-3 headings outside code as ``(line, level, title)``, 1-based."""
    found = []
    for number, line in enumerate(lines, start=1):
        match = HEADING.match(line)
        if match and number not in code_lines:
            found.append((number, len(match["hashes"]), match["title"]))
    return found


def last_heading(headings: list[tuple[int, int, str]], line: int, level: int) -> tuple[int, str]:
    """The nearest heading of ``level`` above ``line`` as ``(line, title)``."""
    above = [(number, title) for number, lvl, title in headings if lvl == level and number < line]
    return above[-1] if above else (0, "")


def solution_opening(lines: list[str], fence: fences.Fence) -> int | None:
    """The line (1-based) of the ``??? success "Solution"`` block holding ``fence``, if any."""
    if not fence.indent:
        return None
    for number in range(fence.line - 1, 0, -1):
        line = lines[number - 1]
        if line.strip() and len(line) - len(line.lstrip()) < len(fence.indent):
            return number if SOLUTION_BLOCK.match(line) else None
    return None


def read_chapter(text: str, chapter: str, page: str) -> Chapter:
    """Split the executed fences of ``page`` whose snippets live in ``chapter`` (a folder)."""
    lines = text.splitlines()
    found = fences.scan(text, page)
    headings = headings_of(lines, fences.code_lines(text, page))
    lessons, exercises, first_start = [], [], 0
    for fence in found:
        if not (fence.executed and fence.include and fence.include.startswith(f"{chapter}/")):
            continue
        opening = solution_opening(lines, fence)
        if opening is None:
            lessons.append(Lesson(fence.include, last_heading(headings, fence.line, 2)[1]))
            continue
        start, title = last_heading(headings, opening, 3)
        if not start:
            raise ChapterError(opening, 'a "Solution" block needs an exercise heading (###) above')
        first_start = first_start or start
        prompt = "\n".join(lines[start : opening - 1]).strip()
        exercises.append(Exercise(fence.include, title, prompt))
    intro = exercises_intro(lines, headings, first_start) if exercises else ""
    return Chapter(tuple(lessons), tuple(exercises), intro)


def exercises_intro(lines: list[str], headings: list[tuple[int, int, str]], start: int) -> str:
    """The prose between the exercises' section heading and the first exercise's (at ``start``)."""
    section, _ = last_heading(headings, start, 2)
    return "\n".join(lines[section : start - 1]).strip() if section else ""
