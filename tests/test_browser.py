"""The built site in a real browser: offline equations, outputs, search, themes, no other host."""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from tests.browser import IS_SHOWN, details_open, listening_on_the_network, save_screenshot

PAGES = ["index.html", "logistic-regression.html"]
CHAPTER = "logistic-regression.html"
PROSE_TEXT = """() => {
  const article = document.querySelector("article").cloneNode(true);
  article.querySelectorAll("pre, code, annotation").forEach((node) => node.remove());
  return article.innerText;
}"""
# Whether a WebSocket to ``url`` opens or fails.
OPEN_SOCKET = """(url) => new Promise((resolve) => {
  const socket = new WebSocket(url);
  socket.onopen = () => resolve("opened");
  socket.onerror = () => resolve("failed");
})"""
# Each run's output (its last code block): whether it is shown, and its text.
OUTPUTS = f"""runs => runs.map((run) => {{
  const blocks = run.querySelectorAll(".highlight");
  const output = blocks[blocks.length - 1];
  return output ? [({IS_SHOWN})(output), output.innerText] : [false, ""];
}})"""


@pytest.mark.parametrize("name", PAGES)
def test_page_loads_clean_and_stays_on_its_origin(read, name):
    assert read(name).title()  # ``read`` checks the console and the hosts asked


@pytest.mark.parametrize("name", PAGES)
def test_equations_are_rendered_not_raw(read, name):
    page = read(name)
    text = page.evaluate(PROSE_TEXT)
    assert page.locator("article .arithmatex").count() == 0
    assert not re.search(r"\\\(|\\\[|\\frac|\\sigma|\$\$", text)
    if name == CHAPTER:
        assert page.locator("article math").count() >= 10
        box = page.locator("article .math-display math").first.bounding_box()
        assert box["height"] > 20


@pytest.mark.parametrize("name", PAGES)
def test_every_executed_output_is_visible(read, name):
    page = read(name)
    assert page.locator(".snippet-problem").count() == 0
    with details_open(page):  # one script call: a round trip per output costs more than all
        outputs = page.eval_on_selector_all("article .snippet-run", OUTPUTS)
    assert len(outputs) >= 1
    for index, (visible, text) in enumerate(outputs):
        assert visible, f"output of snippet {index} on {name} is hidden"
        assert text.strip(), f"output of snippet {index} on {name} is empty"


def search(page, query: str) -> list[str]:
    """Type ``query`` into Material's search and return the result titles."""
    page.wait_for_function("document.querySelector('.md-search__input') !== null")
    page.keyboard.press("s")  # Material's shortcut that opens search
    page.keyboard.type(query, delay=20)  # typed key by key: Material listens to key events
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15000)
    return results.all_inner_texts()


def test_the_guard_blocks_and_records_other_hosts(visit, site_url):
    page, traffic = visit(site_url + "index.html")
    with listening_on_the_network() as (nearby, seen):  # a server that would answer
        others = ["https://cdn.example.org/lib.js", "http://192.0.2.1/lib.js"]  # name, address
        others += [nearby + "lib.js"] if nearby else []
        for url in others:
            outcome = f"fetch({url!r}, {{mode: 'no-cors'}}).then(() => 'fetched', () => 'blocked')"
            assert page.evaluate(outcome) == "blocked", url
        if nearby:
            assert page.evaluate(OPEN_SOCKET, nearby.replace("http", "ws", 1)) == "failed"
        assert seen == [], "a request reached a server on this machine's network address"
    assert traffic.blocked == others
    traffic.blocked.clear()  # expected here; every other browser test fails on such a request
    traffic.console_errors.clear()


def test_search_finds_calibration(visit, site_url):
    page, traffic = visit(site_url + "index.html")
    assert any("alibration" in text for text in search(page, "calibration"))
    assert traffic.blocked == []


def test_dark_mode_toggle(visit, site_url):
    page, _ = visit(site_url + "index.html")  # the switch is the same on every page
    before = page.get_attribute("body", "data-md-color-scheme")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function(f"document.body.dataset.mdColorScheme !== {before!r}")
    after = page.get_attribute("body", "data-md-color-scheme")
    assert {before, after} == {"default", "slate"}
    save_screenshot(page, f"chapter-toggled-{after}")


def test_screenshots_light_dark_phone(read):
    for scheme, width, name, full_page in [
        ("light", 1280, "chapter-light", True),
        ("dark", 1280, "chapter-dark-system", False),  # the first screen; figures: test_reading
        ("light", 390, "chapter-phone", True),
    ]:
        page = read(CHAPTER, width=width, scheme=scheme)
        threshold = page.get_attribute(".threshold-explorer", "data-threshold")
        for picture in save_screenshot(page, name, full_page=full_page):
            assert picture.stat().st_size > 10_000, picture
        if full_page:  # it resizes the page for a moment: the explorer must not move
            assert page.get_attribute(".threshold-explorer", "data-threshold") == threshold
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, "the chapter scrolls sideways at phone width"


def test_chapter_from_file_url_has_equations_and_search(read, built_site):
    page = read((built_site / CHAPTER).as_uri())
    assert page.locator("article math").count() >= 10
    assert any("alibration" in text for text in search(page, "calibration"))
    page.keyboard.press("Escape")  # the page is shared: close the search again


class Links(HTMLParser):
    """Collect hrefs and ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs) -> None:
        """Remember links and anchor targets."""
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"])
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"])


@functools.cache
def parsed(path: Path) -> Links:
    """Links and ids of a built page (each page parsed once)."""
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


@pytest.mark.parametrize("name", PAGES)
def test_internal_links_and_anchors_resolve(built_site, name):
    page = built_site / name
    links = parsed(page)
    broken = []
    for href in links.hrefs:
        target = urlparse(href)
        if target.scheme or href.startswith("mailto:"):
            continue
        path = (page.parent / unquote(target.path)).resolve() if target.path else page
        if path.is_dir():
            path = path / "index.html"
        missing_anchor = (
            path.is_file()
            and target.fragment
            and path.suffix == ".html"
            and unquote(target.fragment) not in parsed(path).ids
        )
        if not path.is_file() or missing_anchor:
            broken.append(href)
    assert broken == []


def test_material_reader_features(visit, site_url):
    page, _ = visit(site_url + "index.html")
    next_link = page.locator("a.md-footer__link--next")
    assert next_link.get_attribute("href") == "linear-regression.html"  # the first chapter
    next_link.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("linear-regression.html")
    copy_buttons = page.locator('.md-code__button[data-md-type="copy"]')
    copy_buttons.first.wait_for(state="attached")
    assert copy_buttons.count() >= 10
    assert page.locator("nav.md-nav--secondary a").count() >= 10  # table of contents
    footnote = page.locator("a.footnote-ref").first
    footnote.hover()
    page.locator(".md-tooltip2--active, .md-tooltip--active").first.wait_for()
    assert page.locator(".md-tooltip2--active, .md-tooltip--active").count() >= 1
