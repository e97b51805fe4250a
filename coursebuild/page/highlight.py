"""Highlighted code with fewer elements and the same look.

Pygments wraps every token in a ``<span>``. Under Material's colours a name (class ``n``)
is drawn in the colour of the code around it, and whitespace (``w``) and string prefixes
such as the ``f`` of an f-string (``sa``) have no style at all, so their spans change
nothing on screen. They are over a quarter of a chapter's elements, and every load of the
page styles and lays out each one, so they are unwrapped: the text stays, escaped as it
was. ``tests/test_page.py`` checks Material's stylesheets for what this relies on.
"""

from __future__ import annotations

import re

UNSTYLED_TOKEN = re.compile(r'<span class="(?:n|w|sa)">([^<]*)</span>')
CODE_BLOCK = re.compile(r'(<div class="(?:[^"]* )?highlight(?: [^"]*)?">)(.*?)(</div>)', re.DOTALL)


def unwrap_unstyled_tokens(html: str) -> str:
    """``html`` with the name, whitespace and string-prefix spans of its code unwrapped."""
    return CODE_BLOCK.sub(
        lambda block: block[1] + UNSTYLED_TOKEN.sub(r"\1", block[2]) + block[3], html
    )
