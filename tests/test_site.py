"""The real site builds cleanly, and two builds give the same bytes."""

from __future__ import annotations

from coursebuild.page.fences import scan
from tests.project_copy import ROOT, mkdocs_build


def site_files(site):
    """Every built file except the compressed sitemap (gzip stores a time stamp)."""
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and p.suffix != ".gz"
    }


def test_two_builds_give_identical_files(built_site, tmp_path):
    again = mkdocs_build(ROOT, "--site-dir", str(tmp_path / "again"))
    assert again.returncode == 0, again.output
    first, second = site_files(built_site), site_files(tmp_path / "again")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


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
    import html as html_lib
    import re

    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", html))


def test_chapter_shows_every_number_of_its_issue(built_site):
    text = visible_text((built_site / "logistic-regression.html").read_text(encoding="utf-8"))
    assert [number for number in CHAPTER_NUMBERS if number not in text] == []


def test_strict_build_rejects_a_broken_anchor(tmp_path):
    from tests.project_copy import copy_project

    project = copy_project(tmp_path)
    home = project / "docs" / "index.md"
    home.write_text(home.read_text() + "\nSee [nothing](logistic-regression.md#no-such-part).\n")
    build = mkdocs_build(project, "--strict")
    assert build.returncode != 0
    assert "no-such-part" in build.output
