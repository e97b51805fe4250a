"""Shared pytest setup: one warm snippet worker for the whole session."""

from __future__ import annotations

import pytest

from hooks import runner


@pytest.fixture(scope="session")
def snippet_runner():
    """The runner the MkDocs hook uses, with every snippet already submitted."""
    shared = runner.shared_runner()
    for snippet in runner.all_snippets():
        shared.submit(snippet)
    yield shared
    shared.close()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The real project, built once with ``mkdocs build --strict`` into a temporary folder.

    Strict mode turns MkDocs' link validation (absolute links, anchors, omitted files,
    set to ``warn`` in mkdocs.yml) into failures.
    """
    from tests.project_copy import ROOT, mkdocs_build

    site = tmp_path_factory.mktemp("site")
    build = mkdocs_build(ROOT, "--strict", "--site-dir", str(site))
    assert build.returncode == 0, build.output
    return site


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (skipped locally when absent)."""
    from tests.browser import CHROMIUM, FLAGS, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()
