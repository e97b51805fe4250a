"""Drive Debian's Chromium with Playwright against the built site, blocking other hosts."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import re
import shutil
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
OTHER_HOSTS = re.compile(r"^(?:https?|wss?)://(?!(?:127\.0\.0\.1|localhost|\[::1\])(?:[:/]|$))")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
JPEG_MAX_HEIGHT = 65_500  # pixels
# A JavaScript function: whether an element is shown as Playwright's ``is_visible`` means it
# (a box of some size, and not ``visibility: hidden``), for checks over many elements at once.
IS_SHOWN = """(element) => {
  const { width, height } = element.getBoundingClientRect();
  return width > 0 && height > 0 && getComputedStyle(element).visibility !== "hidden";
}"""


def require_chromium() -> None:
    """Skip without Chromium locally; under CI a missing browser is a failure."""
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing under CI: .ci/run installs Debian's chromium")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")


@dataclass
class Traffic:
    """Requests to other hosts (each refused), console errors, responses (shared pages)."""

    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    responses: list = field(default_factory=list)


@contextlib.contextmanager
def refusing_proxy():
    """The address of a loopback port that refuses every connection, while the block lasts.

    The port is bound and never listened on, so no other process can take it. Chromium
    launched with it as its proxy (``launch_flags``) cannot reach another host: every
    request to one fails at the proxy, WebSockets and workers' requests included. Loopback
    addresses bypass a proxy in Chromium, so the site served here still loads.
    """
    with socket.socket() as port:
        port.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{port.getsockname()[1]}"


def launch_flags(proxy: str) -> list[str]:
    """Chromium's flags: the required ones, and ``proxy`` for every other host."""
    return [*FLAGS, f"--proxy-server={proxy}"]


def guard(target, traffic: Traffic) -> None:
    """Record every request of a page or context to a host other than this machine.

    The browser's proxy (``refusing_proxy``) already makes such a request fail; this only
    listens, so the site's own requests are neither paused nor kept out of the HTTP cache
    (a Playwright route would do both).
    """

    def record(request) -> None:
        if OTHER_HOSTS.match(request.url):
            traffic.blocked.append(request.url)

    target.on("request", record)


def watch_console(page, traffic: Traffic) -> None:
    """Record console errors and uncaught page errors."""
    page.on("console", lambda m: m.type == "error" and traffic.console_errors.append(m.text))
    page.on("pageerror", lambda e: traffic.console_errors.append(str(e)))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that does not log every request."""

    def log_message(self, *args) -> None:
        """Stay quiet."""


@contextlib.contextmanager
def running(server: http.server.ThreadingHTTPServer, url: str):
    """Run ``server`` in a thread while the block lasts; yield ``url``."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


@contextlib.contextmanager
def serve_folder(folder: Path):
    """Serve ``folder`` on a free loopback port; yield the base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    with running(server, f"http://127.0.0.1:{server.server_address[1]}/") as url:
        yield url


def network_address() -> str | None:
    """This machine's address on its network (not loopback), if it has one; sends nothing."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # a documentation address: this only picks a route
        except OSError:
            return None
        address = probe.getsockname()[0]
    return None if address.startswith("127.") else address


class RecordingHandler(QuietHandler):
    """Answer every GET with an empty page, and remember its path in ``server.seen``."""

    def do_GET(self) -> None:
        """Record the request; answer it."""
        self.server.seen.append(self.path)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()


@contextlib.contextmanager
def listening_on_the_network():
    """``(url, seen)``: a server on this machine's network address, and what reached it.

    It would answer the browser if the browser could reach it, so a guard that lets a
    request through shows in ``seen``. ``url`` is None on a machine without such an address.
    """
    address = network_address()
    if address is None:
        yield None, []
        return
    server = http.server.ThreadingHTTPServer((address, 0), RecordingHandler)
    server.seen = []
    with running(server, f"http://{address}:{server.server_address[1]}/") as url:
        yield url, server.seen


def load_lazy_images(page) -> None:
    """Load every lazy image of ``page`` now, and wait until all have arrived."""
    page.evaluate(
        "document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')"
    )
    page.wait_for_function("[...document.images].every(image => image.complete)")


def save_screenshot(page, name: str, full_page: bool = False) -> list[Path]:
    """Save a screenshot under the git-ignored test-artifacts folder; return its files.

    The viewport is saved as one PNG. A whole page (its lazy figures loaded first) is saved
    as JPEG, since encoding a chapter over 50,000 px tall as PNG takes seconds; a page
    taller than JPEG allows is cut into parts from the top, ``NAME-1.jpg``, ``NAME-2.jpg``.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    if not full_page:
        target = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(target))
        return [target]
    load_lazy_images(page)  # lazy figures far down the page would be empty boxes in the picture
    width, height = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    parts = -(-height // JPEG_MAX_HEIGHT)
    part_height = -(-height // parts)
    targets = []
    for part in range(parts):
        top = part * part_height
        suffix = f"-{part + 1}" if parts > 1 else ""
        target = ARTIFACTS / f"{name}{suffix}.jpg"
        clip = {"x": 0, "y": top, "width": width, "height": min(part_height, height - top)}
        page.screenshot(path=str(target), full_page=True, type="jpeg", quality=80, clip=clip)
        targets.append(target)
    return targets


def copy_site(site: Path, target: Path) -> Path:
    """A copy of the built site (for file:// tests that must not touch the original)."""
    shutil.copytree(site, target)
    return target


def save_element_screenshot(locator, name: str) -> Path:
    """A screenshot of one element (the page is too long for a readable full-page one).

    The sticky header and the "Back to top" button are hidden while shooting: they would
    cover the element.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    locator.screenshot(path=str(target), style=".md-header, .md-top { visibility: hidden; }")
    return target


def open_page(browser, url: str, width: int, scheme: str, height: int = 900, **options):
    """A page in a fresh context that blocks other hosts; ``(page, traffic)``, not yet loaded."""
    viewport = {"width": width, "height": height}
    context = browser.new_context(viewport=viewport, color_scheme=scheme, **options)
    traffic = Traffic()
    guard(context, traffic)
    page = context.new_page()
    watch_console(page, traffic)
    return page, traffic


class SharedPages:
    """Pages loaded once per session and shared between tests.

    A chapter costs over a second of browser time to load, and a browser context more on top,
    so tests that only look at a page share one per ``(name, width, scheme, tag)``. Untagged
    pages of one colour scheme share one context; each tag (a quiz, the explorer: pages that
    tests change) has its own, so what they store stays apart. The first request starts every
    view in ``views`` loading at once. ``init_script`` runs in every shared page before the
    page's own scripts.
    """

    def __init__(self, browser, base_url: str, views: list[tuple], init_script: str = "") -> None:
        self.browser, self.base_url, self.views = browser, base_url, views
        self.init_script = init_script
        self.contexts: dict[str, object] = {}
        self.pages: dict[tuple, tuple] = {}
        self.handed_out: set[tuple] = set()

    def url(self, name: str) -> str:
        """The address of ``name`` (a page of the site, or already a whole URL)."""
        return name if "://" in name else self.base_url + name

    def _context(self, tag: str, scheme: str):
        key = f"{tag}:{scheme}"  # Material remembers the palette in storage, so schemes split
        if key not in self.contexts:
            self.contexts[key] = self.browser.new_context(color_scheme=scheme)
            if self.init_script:
                self.contexts[key].add_init_script(self.init_script)
        return self.contexts[key]

    def _start(self, view: tuple) -> None:
        name, width, scheme, tag = view
        page, traffic = self._context(tag, scheme).new_page(), Traffic()
        guard(page, traffic)
        watch_console(page, traffic)
        page.on("response", lambda response: traffic.responses.append(response))
        show(page, width, scheme)
        page.goto(self.url(name), wait_until="commit")
        self.pages[view] = (page, traffic)

    def get(self, name: str, width: int = 1280, scheme: str = "light", tag: str = ""):
        """The loaded page of this view and its traffic."""
        view = (name, width, scheme, tag)
        if not self.pages:
            for planned in self.views:
                self._start(planned)
        if view not in self.pages:
            self._start(view)
        page, traffic = self.pages[view]
        page.bring_to_front()  # pages of one context are tabs: only the front one renders
        page.wait_for_load_state("load")
        self.handed_out.add(view)
        return page, traffic

    def untouched(self, name: str, width: int = 1280, scheme: str = "light", tag: str = ""):
        """Whether no test has had this view yet (it is as a first visit left it)."""
        return (name, width, scheme, tag) not in self.handed_out

    def close(self) -> None:
        """Close every shared context."""
        for context in self.contexts.values():
            context.close()


def show(page, width: int, scheme: str, height: int = 900) -> None:
    """Give ``page`` a ``width`` px viewport and the ``scheme`` colour preference."""
    page.set_viewport_size({"width": width, "height": height})
    page.emulate_media(color_scheme=scheme)


@contextlib.contextmanager
def details_open(page, scope: str = "article"):
    """Open every closed ``<details>`` under ``scope``, and close them again afterwards."""
    page.locator(f"{scope} details:not([open])").evaluate_all(
        "all => all.forEach(d => { d.dataset.openedByTest = '1'; d.open = true; })"
    )
    try:
        yield
    finally:
        page.locator("details[data-opened-by-test]").evaluate_all(
            "all => all.forEach(d => { delete d.dataset.openedByTest; d.open = false; })"
        )
