"""Highlighted code with fewer elements and the same look.

Pygments wraps every token in a ``<span>``, and every load of a page styles and lays out
each one; in a chapter they are most of the page's elements. Two kinds of span change
nothing on screen under Material's colours, so they go:

- names (class ``n``) are drawn in the colour of the code around them, and whitespace
  (``w``) and string prefixes such as the ``f`` of an f-string (``sa``) have no style at
  all: their spans are unwrapped, the text kept as it was escaped;
- neighbouring tokens drawn with the very same rule, such as the pieces of an f-string
  (``s2``, ``si``) or ``import`` and ``as``: they become one span, with the first one's class.

``tests/test_page.py`` checks Material's stylesheets for what this relies on.
"""

from __future__ import annotations

import re

UNSTYLED_TOKEN = re.compile(r'<span class="(?:n|w|sa)">([^<]*)</span>')
TOKEN = re.compile(r'<span class="(?P<kind>[a-z0-9]+)">(?P<text>[^<]*)</span>')
CODE_BLOCK = re.compile(r'(<div class="(?:[^"]* )?highlight(?: [^"]*)?">)(.*?)(</div>)', re.DOTALL)
SAME_COLOUR = {  # token classes whose rules in Material's stylesheets are identical
    "string": {"s", "s1", "s2", "sb", "sc", "si"},
    "number": {"m", "mb", "mf", "mh", "mi", "mo", "il"},
    "keyword": {"k", "kd", "kn", "kr"},
    "function": {"nn", "nf"},
}
COLOUR_OF = {kind: colour for colour, kinds in SAME_COLOUR.items() for kind in kinds}


def merged_neighbours(code: str) -> str:
    """``code`` with each run of adjacent same-colour token spans made one span."""
    pieces: list[str] = []
    run_colour, last = None, 0
    for token in TOKEN.finditer(code):
        colour = COLOUR_OF.get(token["kind"])
        if colour is not None and colour == run_colour and token.start() == last:
            pieces[-1] = pieces[-1].removesuffix("</span>") + token["text"] + "</span>"
        else:
            pieces += [code[last : token.start()], token[0]]
            run_colour = colour
        last = token.end()
    pieces.append(code[last:])
    return "".join(pieces)


def lighter_code(code: str) -> str:
    """The inside of one highlighted block, with fewer spans and the same look."""
    return merged_neighbours(UNSTYLED_TOKEN.sub(r"\1", code))


def lighter_highlighting(html: str) -> str:
    """``html`` with the code of every highlighted block made lighter (see the module)."""
    return CODE_BLOCK.sub(lambda block: block[1] + lighter_code(block[2]) + block[3], html)
