"""The real site builds cleanly, and two builds give the same bytes."""

from __future__ import annotations

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


def test_every_page_shows_its_executed_outputs(built_site):
    index = (built_site / "index.html").read_text(encoding="utf-8")
    assert "snippet-problem" not in index
    assert 'title="home/hello.py"' not in index
    assert "home/hello.py" in index
