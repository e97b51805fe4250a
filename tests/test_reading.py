"""The chapters as a learner reads them, at 1280 px and at 390 px: what the page shows.

Screenshots of each checked item go to test-artifacts/ (desktop and phone).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.browser import details_open, save_element_screenshot

CHAPTERS = ["logistic-regression.html", "linear-regression.html"]
WIDTHS = [1280, 390]
BOLD_LETTERS = re.compile("[\U0001d400-\U0001d433]")
# Every element wider than the screen must sit inside a box that scrolls (or clips) it.
OUTSIDE_A_SCROLL_BOX = """() => {
  const found = [];
  for (const el of document.querySelectorAll("article *")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || (box.right <= innerWidth + 1 && box.left >= -1)) continue;
    let parent = el.parentElement, held = false;
    while (parent && parent !== document.body) {
      const style = getComputedStyle(parent);
      const edge = parent.getBoundingClientRect();
      if (style.overflowX !== "visible" && edge.right <= innerWidth + 1 && edge.left >= -1) {
        held = true;
        break;
      }
      parent = parent.parentElement;
    }
    if (!held) found.push(`${el.tagName}.${el.className} ${Math.round(box.right)}`);
  }
  return found.slice(0, 10);
}"""
SMALLEST_FIGURE_TEXT = """async () => {
  let smallest = Infinity;
  for (const img of document.querySelectorAll("figure.course-figure img")) {
    const source = await (await fetch(img.src)).text();
    const svg = new DOMParser().parseFromString(source, "image/svg+xml");
    const width = parseFloat(svg.documentElement.getAttribute("viewBox").split(" ")[2]);
    const style = getComputedStyle(img);
    const padding = parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
    const scale = (img.getBoundingClientRect().width - padding) / width;
    for (const text of svg.querySelectorAll("text")) {
      const css = text.getAttribute("style") || "";
      const size = parseFloat(css.match(/font-size:\\s*([\\d.]+)px/)?.[1]);
      if (size) smallest = Math.min(smallest, size * scale);
    }
  }
  return smallest;
}"""


class Visible(HTMLParser):
    """The text a reader sees: no scripts, styles, or MathML annotations."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        """Start skipping hidden parts."""
        if tag in {"script", "style", "annotation"}:
            self.skip += 1

    def handle_endtag(self, tag):
        """Stop skipping."""
        if tag in {"script", "style", "annotation"}:
            self.skip -= 1

    def handle_data(self, data):
        """Keep what shows."""
        if not self.skip:
            self.text.append(data)


@pytest.mark.parametrize("name", CHAPTERS)
def test_bold_vectors_are_bold_letters_in_the_mathml(built_site, name):
    page = (built_site / name).read_text(encoding="utf-8")
    assert 'mathvariant="bold"' not in page, "Chromium would show a plain italic letter"
    if name == "logistic-regression.html":
        assert len(BOLD_LETTERS.findall(page)) >= 20
        assert '<mi mathvariant="normal">TP</mi>' in page, "TP reads as one name, not a product"


@pytest.mark.parametrize("name", CHAPTERS)
def test_fingerprint_lines_stay_in_the_records_but_off_the_page(built_site, name):
    parser = Visible()
    parser.feed((built_site / name).read_text(encoding="utf-8"))
    text = "".join(parser.text)
    assert " digest: " not in text
    assert not re.search(r"^figure \S+: ", text, re.MULTILINE)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", CHAPTERS)
def test_nothing_is_wider_than_the_screen_outside_a_scroll_box(read, name, width):
    page = read(name, width=width)
    with details_open(page):
        assert page.evaluate(OUTSIDE_A_SCROLL_BOX) == []
    if width == 390:
        wide = page.locator(".math-display").evaluate_all(
            "all => all.filter(e => e.scrollWidth > e.clientWidth).length"
        )
        assert wide >= 1, "at least one equation scrolls inside its box at phone width"
        tag = name.removesuffix(".html")
        equation = page.locator(".math-display").nth(1)
        save_element_screenshot(equation, f"{tag}-equation-{width}")


FIGURE_BOXES = """all => all.map((image) => {
  const style = getComputedStyle(image);
  const pad = (a, b) => parseFloat(style[a]) + parseFloat(style[b]);
  return [image.getBoundingClientRect().width - pad("paddingLeft", "paddingRight"),
          image.getBoundingClientRect().height - pad("paddingTop", "paddingBottom"),
          image.getAttribute("height") / image.getAttribute("width")];
})"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", CHAPTERS)
def test_figure_code_is_collapsed_and_figure_text_readable(read, name, width):
    page = read(name, width=width)
    runs = page.locator(".snippet-run:has(figure.course-figure)")
    assert runs.count() >= 4
    # Loaded or not (lazy), each image's box has the shape its width and height attributes
    # give (tests/test_figures.py checks those against the drawings), padding aside.
    for shown_width, shown_height, ratio in page.eval_on_selector_all(
        ".course-figure img", FIGURE_BOXES
    ):
        assert shown_height > 150, "a figure without a box until it loads"
        assert abs(shown_height - shown_width * ratio) < 2, (shown_width, shown_height, ratio)
    for index in range(runs.count()):
        box = runs.nth(index).locator("details.snippet-source")
        assert box.count() == 1
        assert box.evaluate("d => d.open") is False, "the drawing code starts closed"
        assert box.locator("summary").is_visible()
        assert "/<wbr>" in box.locator("summary code").inner_html(), "breaks after the slash"
        assert not box.locator("pre").is_visible()
        assert runs.nth(index).locator("figure img").is_visible()
    first = runs.first
    first.scroll_into_view_if_needed()
    save_element_screenshot(first, f"{name.removesuffix('.html')}-figure-{width}")
    if width == 390:
        assert page.evaluate(SMALLEST_FIGURE_TEXT) >= 11


def test_adjacent_footnote_markers_are_separated(read):
    page = read("logistic-regression.html")
    second = page.locator("sup[id^='fnref'] + sup[id^='fnref']").first
    assert second.count() == 1
    assert second.evaluate("s => getComputedStyle(s, '::before').content") == '","'
    save_element_screenshot(second.locator("xpath=.."), "logistic-regression-footnotes-1280")


@pytest.mark.parametrize("name", CHAPTERS)
def test_the_chapter_links_to_its_lab_near_the_top(built_site, name):
    page = (built_site / name).read_text(encoding="utf-8")
    lab = f'href="{name.removesuffix(".html")}-lab.html"'
    first_heading = page.index("<h2")
    assert lab in page[:first_heading], "a link to the lab before the first section"
