"""Shared pytest setup: one warm worker, and the few real builds, started in the background.

As soon as collection ends, the builds that the selected tests need start as processes:
the real site (cold, then warm: the second proves determinism and byte-identical replay)
and the project that carries every fault. Unit tests run in-process meanwhile; a test
that reads a build waits for it.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from coursebuild.engine import Runner, WorkerProcess, project_cache
from coursebuild.page.source import executed_snippets
from tests import fault_project
from tests.projects import ROOT, Build, finish, make_project, snapshot, start_build

BUILDS = pytest.StashKey[dict]()


@dataclass
class Background:
    """A build (or a chain of builds) running in a thread; ``result`` waits for it."""

    target: object
    done: threading.Event = field(default_factory=threading.Event)
    value: object = None
    error: BaseException | None = None

    def start(self) -> Background:
        """Run ``target`` in a daemon thread."""
        threading.Thread(target=self._run, daemon=True).start()
        return self

    def _run(self) -> None:
        try:
            self.value = self.target()
        except BaseException as error:  # handed to the test that waits
            self.error = error
        finally:
            self.done.set()

    def result(self):
        """The build's result, once it has finished."""
        self.done.wait()
        if self.error is not None:
            raise self.error
        return self.value


@dataclass
class RealSites:
    """The real project built twice: cold (cache refreshed), then warm (replayed)."""

    cold: Build
    cold_site: Path
    warm: Build
    warm_site: Path


def build_real_twice(base: Path) -> RealSites:
    """Build the real site cold, then warm, into two folders under ``base``."""
    cold_site, warm_site = base / "cold", base / "warm"
    cold = finish(
        start_build(ROOT, "--strict", "--site-dir", str(cold_site), COURSEBUILD_CACHE="refresh")
    )
    warm = finish(start_build(ROOT, "--strict", "--site-dir", str(warm_site)))
    return RealSites(cold, cold_site, warm, warm_site)


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
    build = finish(start_build(project, "--site-dir", str(site), TMPDIR=str(scratch)))
    return FaultBuild(build, project, site, lines, before, snapshot(project), scratch)


def pytest_collection_finish(session) -> None:
    """Start, in the background, the builds that the selected tests read."""
    wanted = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    base = Path(tempfile.mkdtemp(prefix="coursebuild-tests-"))
    builds = {"base": base}
    if wanted & {"built_site", "real_sites", "snippet_runner"}:
        builds["real"] = Background(lambda: build_real_twice(base / "real")).start()
    if "fault_build" in wanted:
        builds["fault"] = Background(lambda: build_faults(base / "faults")).start()
    session.config.stash[BUILDS] = builds


def pytest_sessionfinish(session) -> None:
    """Remove the builds' folders once the builds are over."""
    builds = session.config.stash.get(BUILDS, {})
    for name, background in builds.items():
        if name != "base":
            background.done.wait()
    if "base" in builds:
        shutil.rmtree(builds["base"], ignore_errors=True)


@pytest.fixture(scope="session")
def real_sites(request) -> RealSites:
    """The real site, built cold and then warm (``mkdocs build --strict``)."""
    sites = request.config.stash[BUILDS]["real"].result()
    assert sites.cold.returncode == 0, sites.cold.output
    return sites


@pytest.fixture(scope="session")
def built_site(real_sites) -> Path:
    """The real site, built once with ``mkdocs build --strict`` (cold: every snippet ran)."""
    return real_sites.cold_site


@pytest.fixture(scope="session")
def fault_build(request) -> FaultBuild:
    """The faults project's build."""
    return request.config.stash[BUILDS]["fault"].result()


@pytest.fixture(scope="session")
def worker():
    """One warm worker shared by every in-process runner of the session."""
    shared = WorkerProcess()
    yield shared
    shared.close()


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
    """Debian's Chromium, headless, driven by Playwright (skipped locally when absent)."""
    from tests.browser import CHROMIUM, FLAGS, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built site served over HTTP on the loopback interface."""
    from tests.browser import serve_folder

    with serve_folder(built_site) as url:
        yield url


@pytest.fixture
def visit(browser):
    """Open pages in fresh contexts that block and record every other host.

    ``visit(url, width=1280, scheme="light", height=900, **context_options)`` returns
    ``(page, traffic)``; after the test,
    no request may have left the site's origin and no console error may have occurred.
    """
    from tests.browser import Traffic, guard, watch_console

    contexts, traffics = [], []

    def open_page(url: str, width: int = 1280, scheme: str = "light", height: int = 900, **options):
        viewport = {"width": width, "height": height}
        context = browser.new_context(viewport=viewport, color_scheme=scheme, **options)
        contexts.append(context)
        traffic = Traffic()
        traffics.append(traffic)
        guard(context, traffic)
        page = context.new_page()
        watch_console(page, traffic)
        page.goto(url, wait_until="load")
        return page, traffic

    yield open_page
    for context in contexts:
        context.close()
    for traffic in traffics:
        assert traffic.blocked == []
        assert traffic.console_errors == []
