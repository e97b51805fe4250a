"""Runs compared with their records: what a snippet printed, and how it differs from the record.

A record is plain text beside its snippet (``name.py`` -> ``name.out``): exactly what the
snippet printed (the page may hide some lines of it, such as figure fingerprints). Only
``python -m coursebuild record`` writes records.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from coursebuild.engine.limits import Limits
from coursebuild.engine.problems import RECORD_COMMAND, Problem

NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def record_path(snippet: Path) -> Path:
    """The record that belongs to ``snippet``."""
    return snippet.with_suffix(".out")


def read_record(snippet: Path) -> str | None:
    """The committed record of ``snippet``, or None when it has none."""
    path = record_path(snippet)
    return path.read_text(encoding="utf-8") if path.is_file() else None


@dataclass
class Outcome:
    """What one run of a snippet printed, and how that compares with its record.

    ``name`` is the snippet's path relative to the project root, as messages show it.
    ``reads`` maps every project file the run read to its digest; ``replayed`` says the
    run came from the cache.
    """

    name: str
    status: str
    stdout: str = ""
    stderr: str = ""
    seconds: float = 0.0
    artifacts: dict[str, bytes] = field(default_factory=dict)
    record: str | None = None
    reads: dict[str, str] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)
    replayed: bool = False

    @property
    def ran_cleanly(self) -> bool:
        """Whether the snippet finished without error and wrote nothing to stderr."""
        return self.status == "ok" and not self.stderr

    @property
    def problem(self) -> str | None:
        """A one-line name of what is wrong, or None when the run matches its record."""
        return _problem_line(self)

    def details(self) -> str:
        """The lines under the problem: the error, the moved numbers, the fix."""
        parts = []
        if self.status in {"error", "timeout", "memory", "invalid"} or self.stderr:
            parts.append(_indent(self.stderr.rstrip() or "(nothing on stderr)"))
        if self.status == "timeout":
            parts.append("  raise it with a first-lines comment: # runner: timeout=SECONDS")
        if self.status == "memory":
            parts.append("  raise it with a first-lines comment: # runner: memory=SIZE (e.g. 8G)")
        if self.ran_cleanly and self.problem:
            parts.append(drift_report(self))
            parts.append(f"  re-record on purpose: {RECORD_COMMAND} {self.name}")
        return "\n".join(part for part in parts if part)

    def problem_at(self, page: str | None, line: int | None) -> Problem:
        """This outcome's problem, located at a page line."""
        return Problem(page, line, self.problem or "", self.name, self.details())

    def report(self) -> str:
        """The problem without a page location (for the command line)."""
        return str(self.problem_at(None, None))


def _problem_line(outcome: Outcome) -> str | None:
    messages = {
        "missing": "snippet file is missing",
        "timeout": f"ran past its time limit of {outcome.limits.timeout:g} s",
        "memory": f"ran out of its memory limit of {outcome.limits.describe_memory()}",
        "refused": "tried to change the project tree: " + ", ".join(outcome.refused),
        "invalid": "has an unreadable '# runner:' line",
        "error": "raised an exception",
    }
    if outcome.status in messages:
        return messages[outcome.status]
    if outcome.stderr:
        return "wrote to stderr (a warning?)"
    if outcome.record is None:
        return "has no record"
    if outcome.stdout != outcome.record:
        return "printed something other than its record"
    return None


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


# Show the moved numbers first, then the unified diff of the whole output.
def drift_report(outcome: Outcome) -> str:
    """Moved numbers (``old -> new``) and a unified diff of record versus this run."""
    old = (outcome.record or "").splitlines(keepends=True)
    new = outcome.stdout.splitlines(keepends=True)
    moved = moved_numbers(old, new)
    name = str(record_path(Path(outcome.name)))
    diff = difflib.unified_diff(old, new, f"{name} (recorded)", f"{name} (this run)")
    text = "".join(line if line.endswith("\n") else line + "\n" for line in diff)
    lines = ["  moved numbers:", *(f"    {line}" for line in moved)] if moved else []
    return "\n".join([*lines, _indent(text.rstrip())])


def moved_numbers(old: list[str], new: list[str]) -> list[str]:
    """Pair changed lines that differ only in numbers and render them as ``old -> new``."""
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    moved = []
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "replace":
            moved += [m for m in map(_merge_numbers, old[a0:a1], new[b0:b1]) if m]
    return moved


def _merge_numbers(before: str, after: str) -> str | None:
    if NUMBER.sub("#", before) != NUMBER.sub("#", after):
        return None
    olds, news = NUMBER.findall(before), NUMBER.findall(after)
    pieces = NUMBER.split(after.rstrip("\n"))
    merged = [pieces[0]]
    for old, new, tail in zip(olds, news, pieces[1:], strict=True):
        merged.append(new if old == new else f"{old} -> {new}")
        merged.append(tail)
    return "".join(merged)
