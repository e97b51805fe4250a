"""Per-snippet limits, read from a ``# runner: timeout=SECONDS memory=SIZE`` header line.

The line may stand among the first five lines of a snippet; either setting may be left out.
Sizes take a unit: ``512M`` or ``6G``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TIMEOUT = 60.0
DEFAULT_MEMORY = 4 << 30  # bytes a snippet may allocate on top of the warm worker
HEADER = re.compile(r"^#\s*runner:(?P<settings>.*)$")
SETTING = re.compile(r"^(?P<key>[a-z]+)=(?P<value>\S+)$")
SECONDS = re.compile(r"^\d+(?:\.\d+)?$")
SIZE = re.compile(r"^(?P<number>\d+(?:\.\d+)?)(?P<unit>[MG])$")
UNITS = {"M": 1 << 20, "G": 1 << 30}
HEADER_LINES = 5


@dataclass(frozen=True)
class Limits:
    """How long a snippet may run and how much memory it may add."""

    timeout: float = DEFAULT_TIMEOUT
    memory: int = DEFAULT_MEMORY

    def describe_memory(self) -> str:
        """The memory limit as an author writes it (``4G``, ``512M``)."""
        if self.memory % UNITS["G"] == 0:
            return f"{self.memory // UNITS['G']}G"
        return f"{self.memory / UNITS['M']:g}M"


class LimitError(ValueError):
    """A header line that cannot be read; carries the line number."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def parse_setting(text: str, line: int) -> tuple[str, float | int]:
    """One ``key=value`` setting of the header, checked."""
    match = SETTING.match(text)
    key, value = (match["key"], match["value"]) if match else ("", "")
    if key == "timeout" and SECONDS.match(value) and float(value) > 0:
        return key, float(value)
    if key == "memory" and SIZE.match(value):
        size = SIZE.match(value)
        return key, int(float(size["number"]) * UNITS[size["unit"]])
    raise LimitError(
        line,
        f"cannot read runner setting {text!r}: write timeout=SECONDS or memory=SIZE "
        "(for example timeout=120 memory=6G)",
    )


def limits_from_text(code: str) -> Limits:
    """The limits a snippet's header asks for (defaults otherwise).

    Raises:
        LimitError: A ``# runner:`` line with an unknown or malformed setting.
    """
    settings: dict[str, float | int] = {}
    for number, line in enumerate(code.splitlines()[:HEADER_LINES], start=1):
        match = HEADER.match(line.strip())
        if match:
            for text in match["settings"].split():
                key, value = parse_setting(text, number)
                settings[key] = value
    return Limits(**settings)


def limits_of(snippet: Path) -> Limits:
    """The limits of a snippet file (see :func:`limits_from_text`)."""
    return limits_from_text(snippet.read_text(encoding="utf-8"))
