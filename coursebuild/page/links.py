"""Internal links and anchors of a page, checked against the pages and files of the site.

MkDocs only warns about a broken internal link or anchor (``validation:`` levels), so a plain
build would publish it. The build reports each one as a problem, with the line of the page.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from coursebuild.page.fences import code_lines

INLINE = re.compile(r"\]\((?P<target><[^>]*>|[^)\s]+)(?:\s+\"[^\"]*\")?\)")
REFERENCE = re.compile(r"^\s{0,3}\[(?!\^)[^\]]+\]:\s*(?P<target>\S+)")
HTML_LINK = re.compile(r"<a\s[^>]*\bhref=\"(?P<target>[^\"]+)\"")
CODE_SPAN = re.compile(r"`[^`]*`")
ID = re.compile(r"\sid=\"([^\"]+)\"")
PAGES = (".md", ".ipynb")


@dataclass(frozen=True)
class Link:
    """A link written in a page's Markdown, and its line."""

    line: int
    target: str


def links_of(markdown: str, offset: int = 0) -> list[Link]:
    """Every link target outside code, with its page line (``offset``: front matter lines)."""
    skipped = code_lines(markdown)
    found = []
    for number, line in enumerate(markdown.split("\n"), start=1):
        if number in skipped:
            continue
        text = CODE_SPAN.sub("", line)
        matches = [*INLINE.finditer(text), *REFERENCE.finditer(text), *HTML_LINK.finditer(text)]
        found += [Link(number + offset, m["target"].strip("<>")) for m in matches]
    return found


def ids_of(html: str) -> set[str]:
    """Every element id of a rendered page."""
    return set(ID.findall(html))


def problem_of(page: str, target: str, files: set[str], ids: dict[str, set[str]]) -> str | None:
    """Why an internal link of ``page`` is broken, or None (external links are not checked).

    Args:
        page: The linking page, relative to the docs folder.
        target: The link as written.
        files: Every file of the site, relative to the docs folder.
        ids: The element ids of each rendered page.
    """
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or (target.startswith("#") and not parts.fragment):
        return None
    path = unquote(parts.path)
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path)) if path else page
    if resolved not in files:
        return f"broken link {target!r}: the site has no {resolved}"
    fragment = unquote(parts.fragment)
    if fragment and resolved.endswith(PAGES) and fragment not in ids.get(resolved, set()):
        return f"broken link {target!r}: {resolved} has no anchor #{fragment}"
    return None
