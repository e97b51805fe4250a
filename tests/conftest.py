"""Shared pytest setup: one warm worker, and the few real builds, started in the background.

As soon as collection ends, the builds that the selected tests need start as processes:
the real site (cold, then warm: the second proves determinism and byte-identical replay),
the project that carries every fault, and a ``mkdocs serve`` session. Unit tests run
in-process meanwhile; a test that reads a build waits for it. Only the cold build runs at
normal priority (the browser tests wait for it); the rest is read at the end of the run.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from coursebuild.engine import Runner, WorkerProcess, project_cache, project_imports
from coursebuild.page.source import executed_snippets
from tests import fault_project
from tests import serve_session as serving
from tests.background import Background
from tests.projects import ROOT, SNIPPETS, Build, finish, make_project, snapshot, start_build

BUILDS = pytest.StashKey[dict]()
# The browser tests wait for the cold build, so it runs at normal priority; the others are
# read only at the end, so they take the CPU time that the tests leave idle.
BACKGROUND_NICE = 10
BASE = pytest.StashKey[Path]()


@dataclass
class RealSites:
    """The real project built twice: cold (cache refreshed), then warm (replayed)."""

    cold: Build
    cold_site: Path
    warm: Build
    warm_site: Path


def build_real(site: Path, nice: int = BACKGROUND_NICE, **env: str) -> Build:
    """``mkdocs build --strict`` of the real project into ``site`` (in the background)."""
    return finish(start_build(ROOT, "--strict", "--site-dir", str(site), nice=nice, **env))


@dataclass
class FaultBuild:
    """The build of the project that carries every fault."""

    build: Build
    project: Path
    site: Path
    lines: dict[str, int]
    before: dict[str, bytes]
    after: dict[str, bytes]
    scratch: Path


def build_faults(base: Path) -> FaultBuild:
    """Write the faults project and build it (its kernels' temporary folders in ``scratch``)."""
    project, scratch = base / "project", base / "scratch"
    scratch.mkdir(parents=True)
    files, lines = fault_project.project_files(str(project / "docs" / "index.md"))
    make_project(project, files, fault_project.NAV)
    before = snapshot(project)
    site = base / "site"
    build = finish(
        start_build(project, "--site-dir", str(site), nice=BACKGROUND_NICE, TMPDIR=str(scratch))
    )
    return FaultBuild(build, project, site, lines, before, snapshot(project), scratch)


BUILD_READERS = {"built_site", "real_sites", "snippet_runner", "fault_build", "serve_session"}
BROWSER_USERS = {"browser", "site_url", "visit", "read", "revisit", "shared_pages"}


def pytest_collection_modifyitems(items) -> None:
    """Unit tests first, then browser tests, then the other tests that read a build.

    The builds run meanwhile: the browser tests need only the cold build, which ends first,
    and the warm and faults builds go on under them while the browser spends time waiting.
    """

    def stage(item) -> int:
        names = set(getattr(item, "fixturenames", ()))
        return 1 if names & BROWSER_USERS else 2 if names & BUILD_READERS else 0

    items.sort(key=stage)


def pytest_configure(config) -> None:
    """The folder of this run's builds."""
    config.stash[BASE] = Path(tempfile.mkdtemp(prefix="coursebuild-tests-"))


def pytest_collection_finish(session) -> None:
    """Start, in the background, the builds that the selected tests read (none for --co)."""
    if session.config.option.collectonly:
        session.config.stash[BUILDS] = {}
        return
    wanted = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    base = session.config.stash[BASE]
    builds = {}
    if wanted & {"built_site", "real_sites", "snippet_runner"}:
        cold = Background(lambda: cold_build(base / "cold")).start()

        def after_the_cold_build():
            cold.result()  # the warm build replays what the cold one recorded
            return build_real(base / "warm")

        builds["cold"], builds["warm"] = cold, Background(after_the_cold_build).start()
    if "fault_build" in wanted:
        builds["fault"] = Background(lambda: build_faults(base / "faults")).start()
    if "serve_session" in wanted:
        play = functools.partial(serving.play, nice=BACKGROUND_NICE)
        builds["serve"] = Background(lambda: play(base / "serve")).start()
    session.config.stash[BUILDS] = builds


def pytest_sessionfinish(session) -> None:
    """Wait for the builds still running, then remove the builds' folder."""
    for background in session.config.stash.get(BUILDS, {}).values():
        background.done.wait()
    shutil.rmtree(session.config.stash[BASE], ignore_errors=True)


def cold_build(site: Path) -> Build:
    """The real site built with the run cache refreshed: every snippet runs."""
    return build_real(site, nice=0, COURSEBUILD_CACHE="refresh")


@pytest.fixture(scope="session")
def built_site(request) -> Path:
    """The real site, built once with ``mkdocs build --strict`` (cold: every snippet ran)."""
    cold = request.config.stash[BUILDS]["cold"].result()
    assert cold.returncode == 0, cold.output
    return request.config.stash[BASE] / "cold"


@pytest.fixture(scope="session")
def real_sites(request, built_site) -> RealSites:
    """The real site built cold, then warm from the cache the cold build filled."""
    builds = request.config.stash[BUILDS]
    cold, warm = builds["cold"].result(), builds["warm"].result()
    return RealSites(cold, built_site, warm, request.config.stash[BASE] / "warm")


@pytest.fixture(scope="session")
def fault_build(request) -> FaultBuild:
    """The faults project's build."""
    return request.config.stash[BUILDS]["fault"].result()


@pytest.fixture(scope="session")
def serve_session(request) -> serving.ServeSession:
    """What the ``mkdocs serve`` session played in the background recorded."""
    return request.config.stash[BUILDS]["serve"].result()


@pytest.fixture(scope="session")
def worker():
    """One warm worker shared by every in-process runner of the session."""
    shared = WorkerProcess(warm=project_imports(ROOT))  # the real project's figures use it too
    yield shared
    shared.close()


@pytest.fixture
def cli_on_the_shared_worker(monkeypatch, worker):
    """Make ``coursebuild.cli`` run snippets on the session's warm worker.

    A worker of its own costs each command two seconds of imports, and which process forks
    the children is not what a command's test is about.
    """
    from coursebuild import cli

    monkeypatch.setattr(cli, "Runner", functools.partial(Runner, worker=worker))


@pytest.fixture(scope="session")
def fresh_figure_runs(worker) -> dict:
    """Every figure snippet of the project run afresh (no cache), by resolved path, once."""
    runner = Runner(ROOT, worker=worker)
    futures = {p.resolve(): runner.submit(p) for p in SNIPPETS.glob("*/figure_*.py")}
    return {path: future.result() for path, future in futures.items()}


@pytest.fixture(scope="session")
def snippet_runner(built_site):
    """A runner of the real project with its cache (after the real build: runs replay)."""
    runner = Runner(ROOT, cache=project_cache(ROOT))
    for snippet in executed_snippets(ROOT):
        runner.submit(snippet)
    yield runner
    runner.close()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (skipped locally when absent).

    It reaches no other host: its proxy refuses every connection (``refusing_proxy``).
    """
    from tests.browser import CHROMIUM, launch_flags, refusing_proxy, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    with refusing_proxy() as proxy, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=launch_flags(proxy))
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built site served over HTTP on the loopback interface."""
    from tests.browser import serve_folder

    with serve_folder(built_site) as url:
        yield url


SHARED_VIEWS = [  # (page, width, scheme, tag): loaded together on the first request
    ("logistic-regression.html", 1280, "light", ""),
    ("logistic-regression.html", 390, "light", ""),
    ("logistic-regression.html", 1280, "dark", ""),
    ("linear-regression.html", 1280, "light", ""),
    ("linear-regression.html", 390, "light", ""),
    ("index.html", 1280, "light", ""),
    ("logistic-regression.html", 1280, "light", "explorer"),
    ("logistic-regression.html", 1280, "light", "quiz"),  # its first revisit finds it fresh
]


# Run in shared pages at DOMContentLoaded, before the widgets' own handlers draw them: the
# height each explorer reserves and how far below its top the next element starts (relative,
# so equations typeset above it later do not count as the widget's shift).
WIDGET_LAYOUT_PROBE = """document.addEventListener("DOMContentLoaded", () => {
  window.__layoutBeforeWidgets = [...document.querySelectorAll(".threshold-explorer")].map(
    (root) => [root.getBoundingClientRect().height,
               root.nextElementSibling.getBoundingClientRect().top
               - root.getBoundingClientRect().top]);
});"""


@pytest.fixture
def visit(browser):
    """Open pages in fresh contexts that block and record every other host.

    ``visit(url, width=1280, scheme="light", height=900, **context_options)`` returns
    ``(page, traffic)``. After the test, no request may have left the site's origin and no
    console error may have occurred. A context costs more than a shared page (``read``,
    ``revisit``): use one where the test needs its own options or its own history.
    """
    from tests.browser import open_page

    opened = []

    def visit_page(url, width=1280, scheme="light", height=900, **options):
        page, traffic = open_page(browser, url, width, scheme, height, **options)
        opened.append((page, traffic))
        page.goto(url, wait_until="load")
        return page, traffic

    yield visit_page
    for page, _ in opened:
        page.context.close()
    for _, traffic in opened:
        assert traffic.blocked == []
        assert traffic.console_errors == []


@pytest.fixture(scope="session")
def shared_pages(browser, site_url):
    """Pages of the real site loaded once per session (see ``read`` and ``revisit``)."""
    from tests.browser import SharedPages

    pages = SharedPages(browser, site_url, SHARED_VIEWS, init_script=WIDGET_LAYOUT_PROBE)
    yield pages
    pages.close()


def traffic_checker(shared_pages):
    """``(open, check)``: open shared pages; check that none asked another host or failed."""
    used = []

    def open_shared(name, width=1280, scheme="light", tag=""):
        page, traffic = shared_pages.get(name, width, scheme, tag)
        used.append(traffic)
        page.evaluate(
            "document.activeElement && document.activeElement.blur()"
        )  # keys go to the page
        return page

    def check():
        for traffic in used:
            blocked, errors = list(traffic.blocked), list(traffic.console_errors)
            traffic.blocked.clear()
            traffic.console_errors.clear()
            assert blocked == []
            assert errors == []

    return open_shared, check


@pytest.fixture
def read(shared_pages):
    """``read(name, width=1280, scheme="light")``: a shared page, for a test that only looks.

    The test may scroll, focus and open ``<details>`` it closes again (``details_open``),
    nothing more. After it, no request may have left the origin and no console error occurred.
    """
    open_shared, check = traffic_checker(shared_pages)
    yield open_shared
    check()


@pytest.fixture
def revisit(shared_pages):
    """``revisit(name, tag, width=1280, scheme="light")``: a shared page tests change, fresh again.

    Its storage is cleared and it is reloaded, as a first visit would find it (cheaper than
    a new browser context). The same checks as ``read`` follow the test.
    """
    from tests.browser import show

    open_shared, check = traffic_checker(shared_pages)

    def fresh(name, tag, width=1280, scheme="light"):
        first_use = shared_pages.untouched(name, 1280, "light", tag)
        page = open_shared(name, 1280, "light", tag)
        if first_use and (width, scheme) == (1280, "light"):
            return page
        page.evaluate("localStorage.clear(); sessionStorage.clear()")
        page.goto("about:blank")  # a new size is cheap for an empty page, dear for a chapter
        show(page, width, scheme)
        page.goto(shared_pages.url(name), wait_until="load")  # the test may have left it
        return page

    yield fresh
    check()
