r"""Render the pages' TeX to native MathML at build time: no script, no font, no network.

pymdownx.arithmatex (generic mode) protects formulas from Markdown and wraps them in
``<span class="arithmatex">\(...\)</span>`` or ``<div class="arithmatex">\[...\]</div>``.
This module swaps each wrapper for KaTeX's MathML (KaTeX runs inside the ``pykatex``
package), polished for MathML Core (:mod:`coursebuild.page.mathml`), and reports invalid TeX
with the page line that holds it.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

import pykatex

from coursebuild.page.mathml import polished

WRAPPED = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">\s*'
    r"(?P<open>\\\(|\\\[)(?P<tex>.*?)(?:\\\)|\\\])\s*</(?P=tag)>",
    re.DOTALL,
)


@dataclass
class TexError:
    """A formula KaTeX could not parse, with the line of the page that holds it."""

    line: int
    message: str


@functools.lru_cache(maxsize=4096)
def to_mathml(tex: str, display: bool) -> str:
    """MathML for one formula (raises ``pykatex.ParseError`` on invalid TeX).

    A pure function, remembered: ``mkdocs serve`` re-renders unchanged formulas for free.
    """
    rendered = polished(
        pykatex.renderToString(
            tex, displayMode=display, output="mathml", throwOnError=True, strict="error"
        )
    )
    tag = "div" if display else "span"
    return f'<{tag} class="math math-{"display" if display else "inline"}">{rendered}</{tag}>'


def source_line(markdown: str, tex: str, offset: int) -> int:
    """The first page line holding ``tex`` (its first line, for a multi-line formula)."""
    first = tex.strip().splitlines()[0] if tex.strip() else tex
    position = markdown.find(first)
    return markdown.count("\n", 0, max(position, 0)) + 1 + offset


def render_page(content: str, markdown: str, offset: int = 0) -> tuple[str, list[TexError]]:
    """Replace every arithmatex wrapper in ``content`` with MathML; collect TeX errors."""
    errors: list[TexError] = []

    def replace(match: re.Match) -> str:
        tex = html.unescape(match["tex"])
        try:
            return to_mathml(tex, display=match["open"] == "\\[")
        except pykatex.ParseError as error:
            errors.append(TexError(source_line(markdown, tex, offset), f"invalid TeX: {error}"))
            return match.group(0)

    return WRAPPED.sub(replace, content), errors
