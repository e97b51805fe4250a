"""A lab notebook as HTML for its page: mkdocs-jupyter's converter, replayed when unchanged.

The converter (nbconvert with mkdocs-jupyter's templates) takes about a second per notebook
and half a second to import, so it is imported only on a cache miss. The page's table of
contents and the text given to the site search (headings and prose, no code or figures)
are read from the converted HTML.
"""

from __future__ import annotations

import html
import itertools
import re
from pathlib import Path

from coursebuild.engine import RunCache

CONVERTER = {  # what mkdocs-jupyter's plugin would pass: executed by us, no CDN MathJax
    "execute": False,
    "kernel_name": "",
    "theme": "",
    "allow_errors": False,
    "show_input": True,
    "no_input": False,
    "no_prompt": False,
    "remove_tag_config": {},
    "highlight_extra_classes": "",
    "include_requirejs": False,
    "custom_mathjax_url": "",
}
HEADING = re.compile(
    r'<h(?P<level>[1-6]) id="(?P<id>[^"]+)"[^>]*>(?P<text>.*?)</h(?P=level)>', re.DOTALL
)
TAG = re.compile(r"<[^>]+>")
CELL = re.compile(
    r'<div class="jp-Cell jp-(?P<kind>CodeCell|MarkdownCell|RawCell)[^>]*>'
    r"|</div> <!-- jp-Notebook -->"
)


def notebook_html(path: Path, cache: RunCache | None) -> str:
    """The notebook converted to HTML (replayed for the same bytes, options and environment)."""
    key = (repr(sorted(CONVERTER.items())), path.read_bytes())
    stored = cache.recall("notebook-html", *key) if cache else None
    if stored is not None:
        return stored.decode("utf-8")
    from mkdocs_jupyter.convert import nb2html  # half a second: only when needed

    converted = nb2html(str(path), **CONVERTER)
    if cache is not None:
        cache.keep("notebook-html", converted.encode("utf-8"), *key)
    return converted


def toc_tokens(content: str, depth: int = 3) -> list[dict]:
    """The headings of a converted notebook as table-of-contents tokens (nested by level)."""
    root: list[dict] = []
    stack: list[tuple[int, list[dict]]] = [(0, root)]
    for match in HEADING.finditer(content):
        level = int(match["level"])
        if level > depth:
            continue
        name = html.unescape(TAG.sub("", match["text"])).replace("¶", "").strip()
        token = {"level": level, "id": match["id"], "name": name, "children": []}
        while stack[-1][0] >= level:
            stack.pop()
        stack[-1][1].append(token)
        stack.append((level, token["children"]))
    return root


def prose_of(content: str) -> str:
    """Only the Markdown cells of a converted notebook: what the site search should index."""
    bounds = list(CELL.finditer(content))
    parts = [
        content[here.start() : following.start()]
        for here, following in itertools.pairwise(bounds)
        if here["kind"] == "MarkdownCell"
    ]
    return "\n".join(parts)
