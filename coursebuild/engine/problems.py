"""What a build found wrong: one problem type, and one report that owns a build's problems."""

from __future__ import annotations

from dataclasses import dataclass, field

RECORD_COMMAND = "python -m coursebuild record"


@dataclass(frozen=True)
class Problem:
    """One thing wrong, with where it is.

    Attributes:
        page: The file at fault, relative to its folder (``naive-bayes.md``,
            ``snippets/x/quiz.yml``), or None for the whole build.
        line: The 1-based line in ``page``, if known.
        message: The first line of the account (without the location).
        snippet: The snippet concerned (``snippets/x/y.py``), if any.
        details: Further lines: a traceback, the moved numbers, a diff, the fix.
    """

    page: str | None
    line: int | None
    message: str
    snippet: str | None = None
    details: str = ""

    @property
    def where(self) -> str:
        """``page:line``, ``page`` or an empty string."""
        if self.page is None:
            return ""
        return f"{self.page}:{self.line}" if self.line is not None else self.page

    def __str__(self) -> str:
        head = f"{self.snippet}: {self.message}" if self.snippet else self.message
        text = f"{self.where}  {head}" if self.where else head
        return f"{text}\n{self.details}" if self.details else text


@dataclass
class Report:
    """The problems of one build, in the order found (each reported once)."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        """Remember a problem, unless the same one is already known."""
        if problem not in self.problems:
            self.problems.append(problem)

    def extend(self, problems) -> None:
        """Remember several problems."""
        for problem in problems:
            self.add(problem)

    def __len__(self) -> int:
        return len(self.problems)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def summary(self) -> str:
        """Every problem, then how to re-record after an intended change."""
        body = "\n\n".join(str(problem) for problem in self.problems)
        return (
            f"{len(self.problems)} problem(s) found by the build check:\n\n{body}\n\n"
            f"After an intended change, re-record with: {RECORD_COMMAND} [PATH ...]"
        )
