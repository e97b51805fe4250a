"""The records the threshold explorer shows, read line by line (never typed in a test)."""

from __future__ import annotations

from tests.projects import SNIPPETS

FOLDER = SNIPPETS / "logistic_regression"


def record_lines(snippet: str) -> list[str]:
    """The lines of a snippet's record."""
    return (FOLDER / f"{snippet}.out").read_text(encoding="utf-8").splitlines()


def record_value(snippet: str, label: str) -> str:
    """The value of the ``label: value`` line of a record."""
    for line in record_lines(snippet):
        if line.startswith(f"{label}: "):
            return line.split(": ", 1)[1]
    raise AssertionError(f"{snippet}.out has no line '{label}: ...'")


def record_fields(snippet: str, key: str) -> dict[str, str]:
    """The ``field=value`` pairs of the record line that starts with ``key``."""
    for line in record_lines(snippet):
        if line.startswith(f"{key} "):
            return dict(pair.split("=", 1) for pair in line.split())
    raise AssertionError(f"{snippet}.out has no line starting with {key!r}")
