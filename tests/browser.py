"""Drive Debian's Chromium with Playwright against the built site, blocking other hosts."""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

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
LOCAL_HOSTS = {"127.0.0.1", "localhost", ""}
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def require_chromium() -> None:
    """Skip without Chromium locally; under CI a missing browser is a failure."""
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing under CI: .ci/run installs Debian's chromium")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install -y chromium)")


@dataclass
class Traffic:
    """Requests that left the site's origin (blocked), and console errors seen."""

    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)


def guard(context, traffic: Traffic) -> None:
    """Abort and record every request to a host other than this machine."""

    def route(request_route):
        host = urlparse(request_route.request.url).hostname or ""
        if urlparse(request_route.request.url).scheme in {"http", "https"} and (
            host not in LOCAL_HOSTS
        ):
            traffic.blocked.append(request_route.request.url)
            request_route.abort()
        else:
            request_route.continue_()

    context.route("**/*", route)


def watch_console(page, traffic: Traffic) -> None:
    """Record console errors and uncaught page errors."""
    page.on("console", lambda m: m.type == "error" and traffic.console_errors.append(m.text))
    page.on("pageerror", lambda e: traffic.console_errors.append(str(e)))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that does not log every request."""

    def log_message(self, *args) -> None:
        """Stay quiet."""


@contextlib.contextmanager
def serve_folder(folder: Path):
    """Serve ``folder`` on a free loopback port; yield the base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def save_screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under the git-ignored test-artifacts folder."""
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    return target


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
