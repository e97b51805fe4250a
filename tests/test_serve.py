"""``mkdocs serve``: problems shown without stopping; a prose edit runs nothing."""

from __future__ import annotations

import re

from tests import fault_project
from tests.projects import exec_fence, fetch, make_project, serving, wait_for

DRIFT = "# Prints a mean.\nprint('mean:', (1 + 2 + 4) / 3)\n"


def serve_project(root):
    """The healthy chapter of the faults project, and a page whose one snippet drifted."""
    files, _ = fault_project.project_files(str(root / "docs" / "index.md"))
    keep = {name: text for name, text in files.items() if "second_chapter" in name}
    keep["docs/second-chapter.md"] = files["docs/second-chapter.md"]
    keep["docs/index.md"] = "---\nlab: false\n---\n# Served\n\n" + exec_fence("index/hello.py")
    keep["snippets/index/hello.py"] = DRIFT
    keep["snippets/index/hello.out"] = "mean: 2.3433333333333333\n"
    return make_project(root, keep, ["index.md", "second-chapter.md"])


def rebuilds(log: str) -> list[tuple[int, int, int, int]]:
    """Per build: snippets run and replayed, lab notebooks executed and replayed."""
    found = re.findall(
        r"snippets: (\d+) ran, (\d+) replayed; lab notebooks: (\d+) executed, (\d+) replayed", log
    )
    return [tuple(map(int, numbers)) for numbers in found]


def test_serve_shows_problems_and_reruns_only_what_changed(tmp_path):
    project = serve_project(tmp_path)
    with serving(project) as (url, log):  # a new project: its cache starts empty
        page = wait_for(lambda: fetch(url + "index.html"))
        assert "snippet-problem" in page
        assert "2.34" in page
        assert "-&gt; 2.33" in page
        wait_for(lambda: rebuilds(log()))
        assert "ERROR" in log()
        assert "hello.py: printed something other" in log()
        assert rebuilds(log())[0] == (4, 0, 1, 0), "the first build runs everything"

        chapter = project / "docs" / "second-chapter.md"
        chapter.write_text(chapter.read_text().replace("beside the snippets", "next to them"))
        wait_for(lambda: len(rebuilds(log())) == 2)
        assert rebuilds(log())[1] == (0, 4, 0, 1), "a prose edit runs no snippet and no kernel"
        assert "next to them" in wait_for(lambda: fetch(url + "second-chapter.html"))

        snippet = project / "snippets" / "second_chapter" / "total.py"
        snippet.write_text(snippet.read_text().replace("# Adds", "# Sums"))
        wait_for(lambda: len(rebuilds(log())) == 3)
        assert rebuilds(log())[2] == (1, 3, 1, 0), "a snippet edit re-runs it and the lab"
