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
