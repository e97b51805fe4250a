"""Bound values and the number audit: prose takes its result numbers from snippet output.

A binding ``{{ roc_auc "validation AUC" }}`` is replaced by the value a snippet printed
on a ``validation AUC: 0.812`` line; ``{{ threshold_costs "t=0.20 cost" }}`` takes the
``cost=`` field of the line that starts with ``t=0.20``. An optional format spec
follows a colon: ``{{ roc_auc "validation AUC" :.0% }}`` gives ``81%``.

The audit then reads every number-like token left in the page's text (outside code
and bindings): each must be declared in the page's front matter under ``literals``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from coursebuild.page.fences import code_lines

BINDING = re.compile(r'\{\{\s*(?P<ref>[\w/]+)\s+"(?P<name>[^"]+)"\s*(?::(?P<spec>[^\s}]+))?\s*\}\}')
LABEL_LINE = re.compile(r"^\s*(?P<label>[^:=]*[^\s:=])\s*:\s+(?P<value>.+?)\s*$")
FIELD = re.compile(r"(?P<key>[A-Za-z_][\w@.-]*)=\s*(?P<value>\[[^\]]*\]|\S+)")
NUMBER_TOKEN = re.compile(
    r"(?P<token>\b[A-Z]+-\d+\b|(?<![\w.^_\\])\$?\d+(?:,\d{3})*(?:\.\d+)?%?(?![\w]))"
)
SKIPPED = re.compile(
    r"`[^`]*`"  # inline code
    r"|\[\^[^\]]+\]"  # footnote markers
    r"|\]\([^)]*\)"  # link targets
    r"|<[^>]+>"  # HTML tags and their attributes
    r"|\{:[^}]*\}|\{\s*[.#][^}]*\}"  # attribute lists
)


@dataclass
class Issue:
    """A problem with a binding or a typed number, at a line of the page."""

    line: int
    message: str


# Every value a snippet's output offers, by the name a binding uses.
def values_of(output: str) -> dict[str, str]:
    """Map ``label`` and ``first-token key`` names to the printed values."""
    values: dict[str, str] = {}
    for line in output.splitlines():
        fields = list(FIELD.finditer(line))
        if fields and line.lstrip().startswith(fields[0]["key"] + "="):
            head = f"{fields[0]['key']}={fields[0]['value']}"
            values.update({f"{head} {f['key']}": f["value"] for f in fields[1:]})
            continue
        match = LABEL_LINE.match(line)
        if match:
            values.setdefault(match["label"], match["value"])
    return values


# Apply an author's format spec to a printed value, keeping a currency sign.
def formatted(value: str, spec: str | None) -> str:
    """Return ``value`` as printed, or re-formatted with ``spec`` (for example ``.0%``)."""
    if not spec:
        return value
    prefix = "$" if value.startswith("$") else ""
    return prefix + format(float(value.removeprefix("$")), spec)


def _code_mask(markdown: str) -> list[bool]:
    """True for lines inside fenced code blocks (and the fence lines themselves)."""
    covered = code_lines(markdown)
    return [number in covered for number in range(1, markdown.count("\n") + 2)]


# Replace every binding of the page with its value, reporting what cannot be resolved.
def resolve(
    markdown: str, lookup: Callable[[str], str | None], offset: int = 0
) -> tuple[str, list[Issue]]:
    """Substitute bindings outside code; ``lookup(ref)`` returns a snippet's output."""
    issues: list[Issue] = []
    lines = markdown.split("\n")
    for index, in_code in enumerate(_code_mask(markdown)):
        if not in_code:
            lines[index] = BINDING.sub(
                lambda m, n=index: _value(m, lookup, n + 1 + offset, issues), lines[index]
            )
    return "\n".join(lines), issues


def _value(match: re.Match, lookup, line: int, issues: list[Issue]) -> str:
    output = lookup(match["ref"])
    if output is None:
        message = f"{match.group(0)}: no snippet {match['ref']!r} that a page shows and ran cleanly"
        issues.append(Issue(line, message))
        return match.group(0)
    values = values_of(output)
    if match["name"] not in values:
        known = ", ".join(repr(name) for name in values) or "none"
        message = f"{match['ref']} prints no value named {match['name']!r} (it has: {known})"
        issues.append(Issue(line, message))
        return match.group(0)
    try:
        return formatted(values[match["name"]], match["spec"])
    except ValueError as error:
        issues.append(Issue(line, f"cannot format {match.group(0)}: {error}"))
        return match.group(0)


# Find every typed number that is not a declared literal.
def audit(markdown: str, literals: set[str], offset: int = 0) -> list[Issue]:
    """Report number-like tokens in prose that the page did not declare as literals."""
    allowed = {_bare(token) for token in literals}
    lines = markdown.split("\n")
    issues = []
    for index, in_code in enumerate(_code_mask(markdown)):
        if in_code:
            continue
        text = SKIPPED.sub(" ", BINDING.sub(" ", lines[index]))
        for match in NUMBER_TOKEN.finditer(text):
            if _bare(match["token"]) not in allowed:
                issues.append(Issue(index + 1 + offset, _typed_message(match["token"])))
    return issues


def _bare(token: str) -> str:
    return token.removeprefix("$").removesuffix("%").replace(",", "")


def _typed_message(token: str) -> str:
    return (
        f"typed number {token!r}: bind it to a snippet's output "
        f'({{{{ snippet "label" }}}}) or, if it is an input or convention, '
        f"declare it under 'literals' in the page's front matter"
    )
