"""One test per executed snippet: it must print exactly its committed record."""

from __future__ import annotations

import pytest

from hooks import runner

SNIPPETS = runner.all_snippets()


def test_the_site_executes_snippets():
    assert SNIPPETS, "no page executes a snippet: the build would check nothing"


@pytest.mark.parametrize("snippet", SNIPPETS, ids=runner.display)
def test_snippet_matches_record(snippet, snippet_runner):
    outcome = snippet_runner.check(snippet)
    if outcome.problem:
        pytest.fail(outcome.report(), pytrace=False)
