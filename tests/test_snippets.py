"""One test per executed snippet: it must print exactly its committed record."""

from __future__ import annotations

import pytest

from coursebuild.page.source import executed_snippets
from tests.projects import ROOT

SNIPPETS = executed_snippets(ROOT)


def test_the_site_executes_snippets():
    assert SNIPPETS, "no page executes a snippet: the build would check nothing"


@pytest.mark.parametrize("snippet", SNIPPETS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_snippet_matches_record(snippet, snippet_runner):
    outcome = snippet_runner.check(snippet)
    if outcome.problem:
        pytest.fail(outcome.report(), pytrace=False)
