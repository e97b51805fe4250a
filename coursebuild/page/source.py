"""A page's source: its front matter, title and snippet folder, and the snippets it runs."""

from __future__ import annotations

from pathlib import Path

import yaml

from coursebuild.page import fences

FRONT_MATTER = "---\n"


def page_folder(page: str) -> str:
    """The snippet folder of a page: ``naive-bayes.md`` -> ``naive_bayes``."""
    return Path(page).with_suffix("").as_posix().replace("-", "_")


def front_matter_lines(source: str, markdown: str) -> int:
    """How many source lines (front matter) precede the Markdown a page renders."""
    if not source.endswith(markdown):
        return 0
    return source[: len(source) - len(markdown)].count("\n")


def front_matter(text: str) -> dict:
    """A page's YAML front matter (empty when it has none or it cannot be read)."""
    if not text.startswith(FRONT_MATTER) or "\n---" not in text[4:]:
        return {}
    try:
        meta = yaml.safe_load(text[4 : text.index("\n---", 4)])
    except yaml.YAMLError:
        return {}
    return meta if isinstance(meta, dict) else {}


def title_of(text: str, meta: dict, fallback: str) -> str:
    """A page's title: front matter ``title``, else its first level-1 heading."""
    if meta.get("title"):
        return str(meta["title"])
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return fallback


def executed_snippets(root: Path) -> list[Path]:
    """Every snippet that a page of the project executes, in page order, each once."""
    found = fences.executed_fences(root / "docs")
    paths = [(root / "snippets" / fence.include).resolve() for fence in found if fence.include]
    return list(dict.fromkeys(paths))
