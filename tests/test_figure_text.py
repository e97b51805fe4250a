"""Every course figure reads on a phone: its smallest text is 11 CSS px at a 390 px screen.

A 390 px screen shows a figure 345 CSS px wide. The check reads the SVG alone: its
``viewBox`` gives the drawing's width in user units, each text its size in the same
units, so a size scales to the screen by 345 / width. The SVG must also be saved at one
of the style module's sizes, never grown by a legend or note outside the axes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from course_figures import SIZES, power_label

from tests.projects import ROOT, SNIPPETS

FIGURE_SNIPPETS = sorted(SNIPPETS.glob("*/figure_*.py"))
PHONE_FIGURE_PX = 345  # CSS px: a figure's width in the text column of a 390 px screen
MIN_TEXT_PX = 11
SVG = "{http://www.w3.org/2000/svg}"
POINT = 72  # SVG points per inch
UNITS = {"px": 1.0, "": 1.0, "pt": 4 / 3}  # CSS units in user units
FONT_SIZE = re.compile(r"(?:^|;)\s*font-size:\s*([\d.]+)(px|pt|)\s*(?:;|$)")
FONT = re.compile(r"(?:^|;)\s*font:[^;]*?([\d.]+)(px|pt)")


def display(path: Path) -> str:
    """A project-relative path, as the build names snippets."""
    return path.resolve().relative_to(ROOT).as_posix()


@pytest.fixture(scope="module")
def figure_svgs(fresh_figure_runs) -> dict[Path, bytes]:
    """The SVG each figure snippet publishes, from fresh runs (no cache)."""
    svgs = {}
    for snippet in FIGURE_SNIPPETS:
        outcome = fresh_figure_runs[snippet.resolve()]
        assert outcome.ran_cleanly, outcome.report()
        [svg] = [blob for name, blob in outcome.artifacts.items() if name.endswith(".svg")]
        svgs[snippet] = svg
    return svgs


def points(length: str) -> float:
    """An SVG length written in points, as a number."""
    assert length.endswith("pt"), f"SVG size {length!r} is not in points"
    return float(length.removesuffix("pt"))


def font_size(element: ET.Element) -> float | None:
    """A text element's font size in user units, from its style (or attribute)."""
    style = element.get("style", "")
    match = FONT_SIZE.search(style) or FONT.search(style)
    if match:
        return float(match[1]) * UNITS[match[2]]
    size = element.get("font-size")
    return float(size.removesuffix("px")) if size else None


def text_sizes(root: ET.Element) -> list[tuple[float | None, str]]:
    """(size, text) of every text and tspan element that holds characters."""
    found = []
    for element in root.iter():
        if element.tag in (f"{SVG}text", f"{SVG}tspan") and (element.text or "").strip():
            found.append((font_size(element), element.text.strip()))
    return found


def test_both_chapters_have_figures_under_the_check():
    folders = {p.parent.name for p in FIGURE_SNIPPETS}
    assert {"logistic_regression", "linear_regression"} <= folders


@pytest.mark.parametrize("snippet", FIGURE_SNIPPETS, ids=display)
def test_svg_is_saved_at_a_size_of_the_style_module(snippet, figure_svgs):
    root = ET.fromstring(figure_svgs[snippet])
    width, height = (points(root.get(side)) for side in ("width", "height"))
    size = (width / POINT, height / POINT)
    promised = [s for s in SIZES.values() if s == pytest.approx(size, abs=1e-4)]
    assert promised, f"{display(snippet)}: saved at {size} in, not one of {SIZES}"
    view_box = [float(v) for v in root.get("viewBox").split()]
    assert view_box[2:] == pytest.approx([width, height]), "user units are points"


@pytest.mark.parametrize("snippet", FIGURE_SNIPPETS, ids=display)
def test_smallest_text_is_at_least_11_px_on_a_phone(snippet, figure_svgs):
    root = ET.fromstring(figure_svgs[snippet])
    scale = PHONE_FIGURE_PX / float(root.get("viewBox").split()[2])
    sizes = text_sizes(root)
    assert sizes, f"{display(snippet)}: no text found in its SVG"
    unsized = [text for size, text in sizes if size is None]
    assert not unsized, f"{display(snippet)}: text without a font size: {unsized}"
    small = sorted((size * scale, text) for size, text in sizes if size * scale < MIN_TEXT_PX)
    shown = ", ".join(f"{text!r} at {px:.1f} px" for px, text in small[:5])
    assert not small, f"{display(snippet)}: text below {MIN_TEXT_PX} px on a phone: {shown}"


@pytest.mark.parametrize(
    ("value", "label"),
    [(0.001, "0.001"), (1.0, "1"), (100.0, "100"), (1e3, "1k"), (1e6, "1M"), (1e7, "10M")],
)
def test_log_ticks_read_as_plain_numbers(value, label):
    assert power_label(value) == label
