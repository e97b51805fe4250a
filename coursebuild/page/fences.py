"""Find the code fences of a Markdown page and check their options strictly.

pymdownx.superfences swallows errors raised while it formats a fence, so a typo in
an option leaves raw fence text on the page and the build still succeeds. This
module reads fences itself, with line numbers, so every malformed fence is reported
with its page and line before Markdown ever sees it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

OPENING = re.compile(r"^(?P<indent>[ \t]*)(?P<mark>`{3,}|~{3,})(?P<lang>[\w+-]*)(?P<rest>.*)$")
OPTION = re.compile(r'\s*(?P<key>[A-Za-z_][\w-]*)="(?P<value>[^"]*)"')
INCLUDE = re.compile(r'^(?P<indent>[ \t]*)--8<--\s+"(?P<path>[^"]+)"\s*$')

EXEC_OPTIONS = {
    "exec": {"on"},
    "source": {"above", "below", "tabbed-left", "tabbed-right"},
    "result": {"text"},
    "title": None,
}
PLAIN_OPTIONS = {"title": None, "linenums": None, "hl_lines": None}


@dataclass
class Fence:
    """One fenced code block of a page."""

    page: str
    line: int
    indent: str
    language: str
    options: dict[str, str]
    body: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    closed: bool = True

    @property
    def executed(self) -> bool:
        """Whether markdown-exec runs this fence."""
        return "exec" in self.options

    @property
    def include(self) -> str | None:
        """The path of the single ``--8<--`` include of the fence, if it has one."""
        lines = [line for line in self.body if line.strip()]
        match = INCLUDE.match(lines[0]) if len(lines) == 1 else None
        return match["path"] if match else None


# Split a fence header into options, reporting anything that is not key="value".
def parse_options(rest: str) -> tuple[dict[str, str], list[str]]:
    """Parse ``key="value"`` pairs; return them and the problems found."""
    options: dict[str, str] = {}
    problems: list[str] = []
    position = 0
    rest = rest.rstrip()
    while position < len(rest):
        match = OPTION.match(rest, position)
        if match is None:
            problems.append(f"cannot read fence options from {rest[position:].strip()!r}")
            break
        if match["key"] in options:
            problems.append(f"option {match['key']!r} is given twice")
        options[match["key"]] = match["value"]
        position = match.end()
    return options, problems


# Check option names and values against what the build supports.
def check_options(fence: Fence) -> None:
    """Append a problem for every unknown option or unsupported value."""
    allowed = EXEC_OPTIONS if fence.executed else PLAIN_OPTIONS
    for key, value in fence.options.items():
        if key not in allowed:
            fence.problems.append(f"unknown fence option {key}={value!r}")
        elif allowed[key] is not None and value not in allowed[key]:
            choices = ", ".join(sorted(allowed[key]))
            fence.problems.append(f"{key}={value!r} is not one of: {choices}")
    if fence.executed:
        check_exec_fence(fence)


def check_exec_fence(fence: Fence) -> None:
    """An executed fence must be Python, include exactly one snippet file and show it."""
    if fence.language != "python":
        fence.problems.append(f"only python fences are executed, not {fence.language!r}")
    if fence.include is None:
        fence.problems.append('an executed fence must hold exactly one --8<-- "path.py" line')
    elif "title" in fence.options and fence.options["title"] != fence.include:
        fence.problems.append(f"title {fence.options['title']!r} differs from the included file")
    for key in ("source", "result"):
        if key not in fence.options:
            fence.problems.append(f'an executed fence needs {key}="..."')


def _closes(line: str, mark: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(mark[0] * len(mark)) and stripped.strip(mark[0]) == ""


# Walk a page line by line and return its fences, each with its body.
def scan(text: str, page: str) -> list[Fence]:
    """Return every fenced block of ``text`` (a page called ``page``)."""
    fences: list[Fence] = []
    current: Fence | None = None
    mark = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if current is not None:
            if _closes(line, mark):
                current = None
            else:
                current.body.append(line)
            continue
        match = OPENING.match(line)
        if match:
            options, problems = parse_options(match["rest"])
            current = Fence(page, number, match["indent"], match["lang"], options, [], problems)
            mark = match["mark"]
            fences.append(current)
    if current is not None:
        current.closed = False
        current.problems.append("the fence is never closed")
    for fence in fences:
        check_options(fence)
    return fences


def code_lines(text: str, page: str = "") -> set[int]:
    """Line numbers (1-based) inside fenced code blocks, fence lines included."""
    total = text.count("\n") + 1
    covered: set[int] = set()
    for fence in scan(text, page):
        end = fence.line + len(fence.body) + 1 if fence.closed else total
        covered.update(range(fence.line, end + 1))
    return covered


# Every --8<-- include of a page whose file does not exist, with its line.
def missing_includes(text: str, bases: list[Path]) -> list[tuple[int, str]]:
    """Return ``(line, path)`` (1-based) for each include that no base folder holds."""
    missing = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = INCLUDE.match(line)
        if match and not any((base / match["path"]).is_file() for base in bases):
            missing.append((number, match["path"]))
    return missing


# All executed fences of the site, page by page, for pytest and the record command.
def executed_fences(docs_dir: Path) -> list[Fence]:
    """Scan every Markdown page under ``docs_dir`` and return its executed fences."""
    found = []
    for page in sorted(docs_dir.rglob("*.md")):
        text = page.read_text(encoding="utf-8")
        found += [f for f in scan(text, page.relative_to(docs_dir).as_posix()) if f.executed]
    return found
