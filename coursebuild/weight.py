"""Page weight and offline safety of a notebook page: no CDN scripts, pruned inline CSS.

nbconvert (through mkdocs-jupyter) inlines about 600 KB of CSS into every notebook page
and writes loaders for MathJax and mermaid from CDNs. These functions drop the loaders,
prune the stylesheets to the rules and custom properties the page can use, and list every
reference to another host.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tinycss2

EXTERNAL_SCRIPT = re.compile(
    r"<script\b[^>]*\bsrc=[\"']https?://[^>]*>\s*</script>"  # a script from a CDN
    r"|<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->"  # MathJax and its config
    r"|<script type=\"module\">(?:(?!</script>).)*?https?://(?:(?!</script>).)*</script>",
    re.DOTALL,  # the last one: mermaid, imported from a CDN
)
EXTERNAL_REFERENCE = re.compile(
    r"""(?:\b(?:src|href)\s*=\s*["']?|url\(\s*["']?)(?P<url>(?:https?:)?//[^"'\s>)]*)"""
    r"""|@import\s+(?:url\()?\s*["']?(?P<imported>[^"'\s;)]*)""",
    re.IGNORECASE,
)
STYLE_BLOCK = re.compile(r"(?P<open><style\b[^>]*>)(?P<css>.*?)(?P<close></style>)", re.DOTALL)


def without_external_scripts(page: str) -> str:
    """Drop the CDN loaders nbconvert writes (MathJax, mermaid): the page needs neither."""
    return EXTERNAL_SCRIPT.sub("", page)


def external_references(page: str, site_url: str = "") -> list[str]:
    """Every ``src``, ``href``, ``url()`` or ``@import`` target on another host.

    Args:
        page: The built page.
        site_url: The site's own address, if it has one (``mkdocs serve`` sets it, and
            Material links the page's canonical address to it): not another host.
    """
    found = [m["url"] or m["imported"] for m in EXTERNAL_REFERENCE.finditer(page)]
    return [url for url in found if not (site_url and url.startswith(site_url))]


@dataclass(frozen=True)
class Used:
    """The class names, ids and element names a page uses."""

    classes: frozenset[str]
    ids: frozenset[str]
    tags: frozenset[str]


def used_names(page: str) -> Used:
    """Class names, ids and tags of ``page`` (style blocks excluded)."""
    markup = STYLE_BLOCK.sub("", page)
    classes = re.findall(r"\sclass\s*=\s*[\"']([^\"']*)[\"']", markup)
    return Used(
        frozenset(name for value in classes for name in value.split()),
        frozenset(re.findall(r"\sid\s*=\s*[\"']([^\"']*)[\"']", markup)),
        frozenset(tag.lower() for tag in re.findall(r"<([a-zA-Z][\w-]*)", markup)),
    )


def selector_may_match(selector: str, used: Used) -> bool:
    """Whether a CSS selector can match the page (conservative: unsure means yes)."""
    if "\\" in selector or ".md-" in selector or "data-md" in selector:
        return True
    bare = re.sub(r"\[[^\]]*\]", "", selector)
    bare = re.sub(r"\((?:[^()]|\([^()]*\))*\)", "", bare)
    classes = re.findall(r"\.(-?[_a-zA-Z][\w-]*)", bare)
    ids = re.findall(r"#(-?[_a-zA-Z][\w-]*)", bare)
    tags = re.findall(r"(?:^|[\s>+~])([a-zA-Z][\w-]*)", bare)
    return (
        all(name in used.classes for name in classes)
        and all(name in used.ids for name in ids)
        and all(tag.lower() in used.tags for tag in tags)
    )


def split_selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(prelude):
        depth += {"(": 1, "[": 1, ")": -1, "]": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(prelude[start:index].strip())
            start = index + 1
    return [*parts, prelude[start:].strip()]


GROUPING_RULES = {"media", "supports", "layer", "container"}
CSS_TOKEN = re.compile(r"/\*.*?\*/|\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|[{};]", re.DOTALL)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def css_statements(css: str) -> list[tuple[str, str | None]]:
    """Top-level statements of a stylesheet as ``(prelude, block)``; ``None``: no block.

    A scan over braces, semicolons, strings and comments only: much faster than a full
    tokenizer on mkdocs-jupyter's 600 KB of CSS.
    """
    statements: list[tuple[str, str | None]] = []
    depth = start = opening = 0
    for token in CSS_TOKEN.finditer(css):
        text = token.group(0)
        if text == "{":
            opening = token.start() if depth == 0 else opening
            depth += 1
        elif text == "}" and depth > 0:
            depth -= 1
            if depth == 0:
                statements.append((css[start:opening], css[opening + 1 : token.start()]))
                start = token.end()
        elif text == ";" and depth == 0:
            statements.append((css[start : token.start()], None))
            start = token.end()
    return statements


def kept_css(css: str, used: Used) -> str:
    """The statements of a stylesheet whose selectors may match the page."""
    kept = []
    for prelude, block in css_statements(css):
        head = CSS_COMMENT.sub("", prelude).strip()
        keyword = head[1:].split(maxsplit=1)[0].split("(")[0].lower() if head[:1] == "@" else ""
        if keyword in GROUPING_RULES and block is not None:
            inner = kept_css(block, used)
            kept += [f"{head}{{{inner}}}"] if inner else []
        elif keyword and keyword != "charset":
            kept.append(f"{head}{{{block}}}" if block is not None else f"{head};")
        elif not keyword and block is not None:
            matching = [s for s in split_selectors(head) if selector_may_match(s, used)]
            kept += [f"{','.join(matching)}{{{block}}}"] if matching else []
    return "\n".join(kept)


def _rule_list(content) -> list:
    return tinycss2.parse_rule_list(content, skip_comments=True, skip_whitespace=True)


VAR_USE = re.compile(r"var\(\s*(--[\w-]+)")


def _declarations(content) -> list:
    return tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True)


def _walk_declarations(rules: list):
    """Every declaration of a stylesheet, nested grouping rules included."""
    for rule in rules:
        if rule.type in {"qualified-rule", "at-rule"} and rule.content is not None:
            if rule.type == "at-rule" and rule.lower_at_keyword in GROUPING_RULES:
                yield from _walk_declarations(_rule_list(rule.content))
            else:
                yield from (d for d in _declarations(rule.content) if d.type == "declaration")


def used_variables(rules: list) -> set[str]:
    """Custom properties that a property uses, directly or through other variables."""
    uses: dict[str, set[str]] = {}
    roots: set[str] = set()
    for declaration in _walk_declarations(rules):
        referenced = set(VAR_USE.findall(tinycss2.serialize(declaration.value)))
        if declaration.name.startswith("--"):
            uses.setdefault(declaration.name, set()).update(referenced)
        else:
            roots |= referenced
    needed, queue = set(), list(roots)
    while queue:
        name = queue.pop()
        if name not in needed:
            needed.add(name)
            queue += uses.get(name, ())
    return needed


def _declaration_text(declaration) -> str:
    important = " !important" if declaration.important else ""
    return f"{declaration.name}:{tinycss2.serialize(declaration.value).strip()}{important}"


def without_variables(rules: list, keep: set[str]) -> str:
    """The stylesheet without the custom property definitions not in ``keep``."""
    out = []
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword in GROUPING_RULES and rule.content:
            inner = without_variables(_rule_list(rule.content), keep)
            out.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{inner}}}")
        elif rule.type == "qualified-rule":
            parts = [
                _declaration_text(d) if d.type == "declaration" else tinycss2.serialize([d])
                for d in _declarations(rule.content)
                if d.type != "declaration" or not d.name.startswith("--") or d.name in keep
            ]
            if parts:
                out.append(f"{tinycss2.serialize(rule.prelude).strip()}{{{';'.join(parts)}}}")
        else:
            out.append(tinycss2.serialize([rule]))
    return "\n".join(out)


def _parsed(css: str) -> list:
    return tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)


def lighter_page(page: str) -> str:
    """The page with its inline stylesheets pruned to the rules and variables it can use.

    Rules go first, block by block; then custom properties that no kept rule (of any
    block) and no ``style`` attribute uses, directly or through another variable.
    """
    used = used_names(page)
    blocks = [_parsed(kept_css(m["css"], used)) for m in STYLE_BLOCK.finditer(page)]
    attributes = "".join(re.findall(r"\sstyle\s*=\s*\"([^\"]*)\"", STYLE_BLOCK.sub("", page)))
    needed = used_variables([rule for block in blocks for rule in block])
    needed |= set(VAR_USE.findall(attributes))
    pruned = iter([without_variables(block, needed) for block in blocks])
    return STYLE_BLOCK.sub(lambda m: m["open"] + next(pruned) + m["close"], page)
