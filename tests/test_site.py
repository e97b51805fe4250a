"""The real site builds cleanly, and two builds give the same bytes."""

from __future__ import annotations

from hooks.fences import scan
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
