"""The package knows no chapter: every chapter is a page, a snippet folder and its data files."""

from __future__ import annotations

import re

from coursebuild.page.source import executed_snippets, page_folder
from tests.projects import DOCS, ROOT, SNIPPETS


def chapter_names() -> set[str]:
    """Every name a chapter brings: its page stem, its snippet folder and its modules."""
    executed = set(executed_snippets(ROOT))
    names = set()
    for page in DOCS.glob("*.md"):
        if page.stem == "index":
            continue
        folder = page_folder(page.name)
        modules = [p.stem for p in (SNIPPETS / folder).glob("*.py") if p.resolve() not in executed]
        names |= {page.stem, folder, *modules}
    return names


def test_the_package_names_no_chapter():
    names = chapter_names()
    assert {"logistic-regression", "linear_regression", "logistic_scratch"} <= names
    sources = [p for p in (ROOT / "coursebuild").rglob("*") if p.suffix in {".py", ".js", ".css"}]
    assert sources, "the package was not found"
    named = sorted(
        f"{path.relative_to(ROOT)}: {name}"
        for path in sources
        for name in names
        if re.search(rf"\b{re.escape(name)}\b", path.read_text(encoding="utf-8"))
    )
    assert named == []


def test_both_chapters_are_served_by_the_same_machinery(built_site):
    for stem in ("linear-regression", "logistic-regression"):
        page = (built_site / f"{stem}.html").read_text(encoding="utf-8")
        assert 'class="lesson-quiz"' in page, f"{stem}: quiz"
        assert 'class="course-figure"' in page, f"{stem}: figures"
        assert (built_site / f"{stem}-lab.html").is_file(), f"{stem}: lab page"
        assert (built_site / f"{stem}-lab.zip").is_file(), f"{stem}: lab download"
