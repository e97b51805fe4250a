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
from collections.abc import Callable
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

    line: int | None
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


def source_line(markdown: str, tex: str, offset: int = 0) -> int | None:
    """The line of ``markdown`` holding ``tex``, plus ``offset``; None when it is not there.

    A multi-line formula is found by its first line.
    """
    first = tex.strip().splitlines()[0] if tex.strip() else tex
    position = markdown.find(first)
    if position < 0:
        return None
    return markdown.count("\n", 0, position) + 1 + offset


def render_page(content: str, locate: Callable[[str], int | None]) -> tuple[str, list[TexError]]:
    """Replace every arithmatex wrapper in ``content`` with MathML; collect TeX errors.

    ``locate`` gives the page line of a formula's TeX (None if it cannot be found).
    """
    errors: list[TexError] = []

    def replace(match: re.Match) -> str:
        tex = html.unescape(match["tex"])
        try:
            return to_mathml(tex, display=match["open"] == "\\[")
        except pykatex.ParseError as error:
            errors.append(TexError(locate(tex), f"invalid TeX: {error}"))
            return match.group(0)

    return WRAPPED.sub(replace, content), errors
