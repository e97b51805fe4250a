"""A ``mkdocs serve`` session on a small project, played beside the other tests.

Serving spends most of its time waiting for rebuilds, so the session runs in the
background at a lower CPU priority (see ``conftest.py``) and records what it saw at each
step; ``test_serve.py`` asserts on that record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tests import fault_project
from tests.projects import exec_fence, fetch, make_project, serving, wait_for

DRIFT = "# Prints a mean.\nprint('mean:', (1 + 2 + 4) / 3)\n"
PROSE_EDIT = ("beside the snippets", "next to them")
SNIPPET_EDIT = ("# Adds", "# Sums")


@dataclass
class ServeSession:
    """What one served project showed: pages and the log after each step."""

    first_page: str  # index.html as first served
    first_log: str  # once the first build's counts were logged
    prose_log: str  # once the prose edit's rebuild was logged
    prose_page: str  # second-chapter.html after that rebuild
    snippet_log: str  # once the snippet edit's rebuild was logged
    still_serving: bool  # the server was alive after all three builds


def serve_project(root: Path) -> Path:
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


def edit(path: Path, change: tuple[str, str]) -> None:
    """Replace ``change[0]`` by ``change[1]`` in ``path``."""
    path.write_text(path.read_text().replace(*change))


def play(root: Path, nice: int = 0) -> ServeSession:
    """Serve a new project in ``root`` (its cache empty), edit prose, then a snippet."""
    project = serve_project(root)
    with serving(project, nice=nice) as (url, log, process):
        first_page = wait_for(lambda: fetch(url + "index.html"))
        wait_for(lambda: rebuilds(log()))
        first_log = log()

        edit(project / "docs" / "second-chapter.md", PROSE_EDIT)
        wait_for(lambda: len(rebuilds(log())) == 2)
        prose_log = log()
        prose_page = wait_for(lambda: fetch(url + "second-chapter.html"))

        edit(project / "snippets" / "second_chapter" / "total.py", SNIPPET_EDIT)
        wait_for(lambda: len(rebuilds(log())) == 3)
        return ServeSession(
            first_page, first_log, prose_log, prose_page, log(), process.poll() is None
        )
