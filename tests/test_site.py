"""The real site: builds clean, the same bytes cold and warm, every fence rendered."""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter

from coursebuild.page.fences import scan
from tests.projects import ROOT


def site_files(site):
    """Every built file except the compressed sitemap (gzip stores a time stamp)."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and p.suffix != ".gz"
    }


def test_cold_and_warm_builds_give_identical_files(real_sites):
    assert real_sites.warm.returncode == 0, real_sites.warm.output
    assert re.search(
        r"snippets: \d+ ran, 0 replayed; lab notebooks: \d+ executed", real_sites.cold.output
    )
    assert re.search(
        r"snippets: 0 ran, \d+ replayed; lab notebooks: 0 executed", real_sites.warm.output
    )
    first, second = site_files(real_sites.cold_site), site_files(real_sites.warm_site)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_the_console_shows_only_mkdocs_lines(real_sites):
    for build in (real_sites.cold, real_sites.warm):
        assert "without encryption" not in build.output
        strays = [line for line in build.output.splitlines() if not re.match(r"INFO\s+-  ", line)]
        assert strays == [], strays


def test_every_executed_fence_is_rendered_with_its_output(built_site):
    for page in sorted((ROOT / "docs").rglob("*.md")):
        name = page.relative_to(ROOT / "docs").as_posix()
        fences = [f for f in scan(page.read_text(encoding="utf-8"), name) if f.executed]
        built = (built_site / name).with_suffix(".html").read_text(encoding="utf-8")
        assert built.count('<div class="snippet-run"') == len(fences), name
        assert "snippet-problem" not in built
        for fence in fences:
            assert f'data-snippet="{fence.include}"' in built


# The numbers the chapter's issue lists; each must be on the built page (regenerated, not typed).
CHAPTER_NUMBERS = [
    *["0.018", "0.269", "0.500", "0.731", "0.982", "0.693", "0.198", "0.127", "4.018"],
    *["-1.75", "0.6830", "0.4072", "-4.894", "3.399", "-0.959", "0.268", "0.750"],
    *["$36", "$138", "$240", "0.96", "0.812", "0.139", "0.889", "0.209"],
    *["-4.914", "3.414", "-0.964", "0.800", "0.667"],
]


def visible_text(html: str) -> str:
    """Page text without tags, scripts or styles (entities decoded)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", html))


def test_chapter_shows_every_number_of_its_issue(built_site):
    text = visible_text((built_site / "logistic-regression.html").read_text(encoding="utf-8"))
    assert [number for number in CHAPTER_NUMBERS if number not in text] == []


def test_no_page_has_duplicate_element_ids(built_site):
    for page in sorted(built_site.glob("*.html")):
        ids = Counter(re.findall(r'\sid="([^"]+)"', page.read_text(encoding="utf-8")))
        assert ids, f"{page.name}: no ids found"
        duplicates = sorted(name for name, count in ids.items() if count > 1)
        assert duplicates == [], f"{page.name}: {duplicates[:10]}"
