"""``mkdocs serve``: problems shown without stopping; a prose edit runs nothing.

The session itself is played in the background from the start of the test run
(``serve_session.py``); this test reads what it recorded.
"""

from __future__ import annotations

from tests.serve_session import PROSE_EDIT, rebuilds


def test_serve_shows_problems_and_reruns_only_what_changed(serve_session):
    session = serve_session
    assert "snippet-problem" in session.first_page
    assert "2.34" in session.first_page
    assert "-&gt; 2.33" in session.first_page
    assert "ERROR" in session.first_log
    assert "hello.py: printed something other" in session.first_log
    assert rebuilds(session.first_log)[0] == (4, 0, 1, 0), "the first build runs everything"

    prose_rebuild = rebuilds(session.prose_log)[1]
    assert prose_rebuild == (0, 4, 0, 1), "a prose edit runs no snippet and no kernel"
    assert PROSE_EDIT[1] in session.prose_page

    assert rebuilds(session.snippet_log)[2] == (1, 3, 1, 0), "a snippet edit re-runs it and the lab"
    assert session.still_serving, "mkdocs serve stopped: " + session.snippet_log
