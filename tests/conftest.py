"""Shared pytest setup: one warm snippet worker for the whole session."""

from __future__ import annotations

import pytest

from coursebuild.engine import Runner, project_cache
from coursebuild.page.source import executed_snippets
from tests.project_copy import ROOT


@pytest.fixture(scope="session")
def snippet_runner():
    """The runner the MkDocs hook uses, with every snippet already submitted."""
    shared = Runner(ROOT, cache=project_cache(ROOT))
    for snippet in executed_snippets(ROOT):
        shared.submit(snippet)
    yield shared
    shared.close()


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The real project, built once with ``mkdocs build --strict`` into a temporary folder.

    Strict mode turns MkDocs' link validation (absolute links, anchors, omitted files,
    set to ``warn`` in mkdocs.yml) into failures.
    """
    from tests.project_copy import mkdocs_build

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
