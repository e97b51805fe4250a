"""The threshold explorer of the logistic-regression chapter, in a real browser.

At the chapter's threshold it shows the recorded counts and cost (read from the records, never
typed here); it agrees with the chapter's Python module; crossing a validation probability
moves exactly one request; keyboard and pointer both move it; it fits a 390 px screen, follows
the colour scheme, shifts no layout, works from ``file://`` and without other hosts, and the
page stays light. The script itself: ``test_explorer_script.py``.
"""

from __future__ import annotations

import gzip
import json
import re

import pytest
from access_requests import FN_COST, FP_COST, X_train_raw, X_val_raw, val_ids, y_train, y_val
from logistic_scratch import (
    add_intercept,
    confusion_matrix_at_threshold,
    fit_logistic,
    precision_recall_f1,
    predict_proba,
    total_cost,
)

from tests.browser import ARTIFACTS, load_lazy_images
from tests.explorer_records import record_fields, record_value

CHAPTER = "logistic-regression.html"
ROOT = ".threshold-explorer"
HANDLE = ".threshold-explorer .te-handle"
FIELD = ".threshold-explorer input[type=number]"
PAGE_BUDGET = 1_000_000  # bytes transferred (gzip, as a static host serves text) for the page
STATE = """() => {
  const root = document.querySelector(".threshold-explorer");
  const text = (sel) => root.querySelector(sel).textContent.trim();
  const state = {t: Number(root.dataset.threshold), live: text(".te-live")};
  for (const key of ["tp", "fp", "fn", "tn"]) {
    state[key] = Number(text(`[data-cell=${key}] .te-count`));
  }
  for (const key of ["precision", "recall", "f1", "fpr", "cost"]) {
    state[key] = text(`[data-metric=${key}]`);
  }
  return state;
}"""


# ------------------------------------------------------------------ records and the module


@pytest.fixture(scope="module")
def validation():
    """The validation probabilities of the chapter's module, fitted on the training rows."""
    w = fit_logistic(add_intercept(X_train_raw), y_train)
    return predict_proba(add_intercept(X_val_raw), w)


def python_state(p_val, t: float) -> dict:
    """What the chapter's module says at threshold ``t``, formatted as the widget shows it."""
    cm = confusion_matrix_at_threshold(y_val, p_val, t)
    precision, recall, f1 = precision_recall_f1(cm)
    fpr = cm["fp"] / (cm["fp"] + cm["tn"])
    cost = total_cost(cm, FN_COST, FP_COST)
    shown = {"precision": precision, "recall": recall, "f1": f1, "fpr": fpr}
    return {**cm, **{k: f"{v:.3f}" for k, v in shown.items()}, "cost": f"${cost:,.0f}"}


def widget_numbers(state: dict) -> dict:
    """The widget's counts and metrics, the cost without its breakdown."""
    keys = ("tp", "fp", "fn", "tn", "precision", "recall", "f1", "fpr")
    return {**{k: state[k] for k in keys}, "cost": state["cost"].split(" = ")[0]}


# ------------------------------------------------------------------ browser fixtures


@pytest.fixture
def explorer(read):
    """The chapter's shared explorer page, its widget reset to the chosen threshold.

    Only the widget changes in these tests, so its own reset button (tested on a fresh page
    below) brings the page back to where a visit starts, without reloading it.
    """
    page = ready(read(CHAPTER, tag="explorer"))
    page.mouse.up()
    page.evaluate(
        "document.activeElement && document.activeElement.blur();"
        f" document.querySelector('{ROOT} .te-reset').click(); window.scrollTo(0, 0)"
    )
    chosen = float(record_value("threshold_explorer", "chosen threshold"))
    assert state(page)["t"] == chosen
    return page


def ready(page):
    """Wait until the widget has drawn and announced its first state."""
    page.wait_for_function(
        "() => { const live = document.querySelector('.threshold-explorer .te-live');"
        " return live !== null && live.textContent.includes('cost'); }"
    )
    return page


def state(page) -> dict:
    """What the widget shows now."""
    return page.evaluate(STATE)


def type_threshold(page, t: float) -> dict:
    """Type ``t`` into the number field and return what the widget shows."""
    page.fill(FIELD, str(t))
    page.wait_for_function(f"Number(document.querySelector('{ROOT}').dataset.threshold) === {t}")
    return state(page)


def save_widget(page, name: str):
    """Scroll the widget just under the header and save a screenshot of it alone."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate(
        f"window.scrollBy(0, document.querySelector('{ROOT}').getBoundingClientRect().top - 72)"
    )
    target = ARTIFACTS / f"{name}.png"
    page.locator(ROOT).screenshot(path=str(target))
    return target


def strip_x(page, t: float) -> tuple[float, float]:
    """Viewport coordinates of threshold ``t`` on the probability strip (from its ticks)."""
    ticks = page.eval_on_selector_all(
        f"{ROOT} .te-strip text.te-tick",
        "nodes => nodes.map(n => [n.textContent, n.getBoundingClientRect()])",
    )
    centre = {label: box["x"] + box["width"] / 2 for label, box in ticks}
    box = page.locator(f"{ROOT} .te-strip").bounding_box()
    return centre["0"] + t * (centre["1"] - centre["0"]), box["y"] + box["height"] / 2


# ------------------------------------------------------------------ the recorded policy


def test_chosen_threshold_shows_the_recorded_counts_and_cost(read):
    chosen = record_value("threshold_explorer", "chosen threshold")
    expected = record_fields("threshold_explorer", f"t={chosen}")
    assert expected["cost"] == record_fields("threshold_costs", f"t={chosen}")["cost"]
    page = ready(read(CHAPTER))  # as loaded: nothing has moved it; the test resets it at the end
    shown = state(page)
    assert shown["t"] == float(chosen)
    for key in ("tp", "fp", "fn", "tn"):
        assert shown[key] == int(expected[key]), key
    for key in ("precision", "recall", "f1", "fpr"):
        assert shown[key] == expected[key], key
    assert shown["cost"].startswith(expected["cost"] + " = ")
    assert f"cost {expected['cost']}" in shown["live"]
    assert page.get_attribute(HANDLE, "aria-valuenow") == str(float(chosen))
    assert page.input_value(FIELD) == chosen
    type_threshold(page, 0.9)
    page.get_by_role("button", name=f"Reset to {chosen}").click()
    assert widget_numbers(state(page))["cost"] == expected["cost"]
    assert page.input_value(FIELD) == chosen
    page.evaluate("document.activeElement.blur()")  # the page is shared


def test_the_page_data_is_the_modules_output(built_site, validation):
    html = (built_site / CHAPTER).read_text(encoding="utf-8")
    match = re.search(r'id="course-data-threshold-explorer">(.*?)</script>', html)
    data = json.loads(match[1])
    assert [r["id"] for r in data["requests"]] == list(val_ids)
    assert [r["y"] for r in data["requests"]] == [int(y) for y in y_val]
    assert [r["p"] for r in data["requests"]] == pytest.approx(list(validation), abs=1e-6)
    assert (data["fn_cost"], data["fp_cost"]) == (FN_COST, FP_COST)
    assert f"{data['chosen']:.2f}" == record_value("threshold_explorer", "chosen threshold")


@pytest.mark.parametrize("t", [0.0, 0.15, 0.3, 0.61, 0.98])
def test_widget_agrees_with_the_python_module(explorer, validation, t):
    assert widget_numbers(type_threshold(explorer, t)) == python_state(validation, t)


# ------------------------------------------------------------------ keyboard


def test_each_validation_probability_moves_exactly_one_request(explorer, validation):
    page = explorer
    page.focus(HANDLE)
    page.keyboard.press("Home")
    before = state(page)
    assert before["t"] == 0
    crossed = []
    while before["t"] < 1:
        page.keyboard.press("ArrowRight")
        after = state(page)
        assert after["t"] > before["t"]
        passed = [k for k, p in enumerate(validation) if before["t"] <= p < after["t"]]
        change = {key: after[key] - before[key] for key in ("tp", "fp", "fn", "tn")}
        moved = {1: {"tp": -1, "fp": 0, "fn": 1, "tn": 0}, 0: {"tp": 0, "fp": -1, "fn": 0, "tn": 1}}
        if passed:
            assert len(passed) == 1, f"two probabilities within one step at t={after['t']}"
            assert change == moved[int(y_val[passed[0]])], (after["t"], change)
            crossed.extend(passed)
        else:
            assert set(change.values()) == {0}, (after["t"], change)
        before = after
    assert sorted(crossed) == list(range(len(validation)))


def test_keyboard_alone_moves_and_resets_the_threshold(explorer):
    chosen = record_value("threshold_explorer", "chosen threshold")
    page = explorer
    page.focus(FIELD)
    page.keyboard.press("Shift+Tab")  # the handle comes just before the field in tab order
    assert page.evaluate("document.activeElement.getAttribute('role')") == "slider"
    ring = page.eval_on_selector(f"{HANDLE} .te-focus", "el => getComputedStyle(el).stroke")
    assert ring != "none", "the focused handle shows no focus ring"
    steps = [("End", 1.0), ("PageDown", 0.9), ("ArrowLeft", 0.89), ("ArrowDown", 0.88)]
    steps += [("ArrowUp", 0.89), ("PageUp", 0.99), ("ArrowRight", 1.0), ("Home", 0.0)]
    for key, expected in steps:
        page.keyboard.press(key)
        assert state(page)["t"] == pytest.approx(expected), key
        assert float(page.get_attribute(HANDLE, "aria-valuenow")) == pytest.approx(expected)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "number"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the reset button
    assert state(page)["t"] == float(chosen)
    page.wait_for_function(
        f"document.querySelector('{ROOT} .te-live').textContent.includes('t = {chosen}')"
    )


# ------------------------------------------------------------------ pointer


def test_dragging_to_the_cheapest_region_shows_the_lowest_cost(explorer, validation):
    low = float(record_value("figure_threshold_cost", "cheapest thresholds above"))
    high = float(record_value("figure_threshold_cost", "cheapest thresholds up to"))
    lowest = record_value("figure_threshold_cost", "lowest validation cost")
    page = explorer
    page.locator(ROOT).scroll_into_view_if_needed()
    start_x, y = strip_x(page, 0.9)
    page.mouse.move(start_x, y)
    page.mouse.down()
    assert state(page)["t"] == pytest.approx(0.9, abs=0.011)
    target = (low + high) / 2
    page.mouse.move(*strip_x(page, target), steps=12)
    page.mouse.up()
    shown = state(page)
    assert low < shown["t"] <= high
    assert widget_numbers(shown)["cost"] == lowest
    assert widget_numbers(shown) == python_state(validation, shown["t"])
    page.mouse.move(*strip_x(page, 0.6))  # no button held: nothing moves
    assert state(page)["t"] == shown["t"]
    assert page.evaluate("document.activeElement.getAttribute('role')") == "slider"


def test_the_cost_curve_can_be_dragged_too(explorer, validation):
    page = explorer
    chart = page.locator(f"{ROOT} .te-chart--cost")
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    page.mouse.click(box["x"] + box["width"] - 20, box["y"] + box["height"] / 2)
    shown = state(page)
    assert shown["t"] > 0.9
    assert widget_numbers(shown) == python_state(validation, shown["t"])


# ------------------------------------------------------------------ layout, themes, fallbacks


@pytest.mark.parametrize("width", [1280, 390])
def test_no_layout_shift_and_nothing_wider_than_the_screen(read, width):
    page = ready(read(CHAPTER, width=width))
    measure = f"""() => {{
      const root = document.querySelector('{ROOT}');
      const top = root.getBoundingClientRect().top;
      return [root.getBoundingClientRect().height,
              root.nextElementSibling.getBoundingClientRect().top - top];
    }}"""
    before = page.evaluate("window.__layoutBeforeWidgets[0]")  # recorded by the shared pages
    after = page.evaluate(measure)
    assert before == pytest.approx(after, abs=1), "the widget changed the page's layout"
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    widest = page.eval_on_selector_all(
        f"{ROOT} *", "nodes => Math.max(...nodes.map(n => n.getBoundingClientRect().right))"
    )
    assert widest <= width
    name = "explorer-phone" if width < 500 else "explorer-desktop"
    assert save_widget(page, name).stat().st_size > 10_000


def test_phone_drag_reaches_the_lowest_cost(visit, site_url):
    lowest = record_value("figure_threshold_cost", "lowest validation cost")
    low = float(record_value("figure_threshold_cost", "cheapest thresholds above"))
    high = float(record_value("figure_threshold_cost", "cheapest thresholds up to"))
    page = ready(visit(site_url + CHAPTER, width=390, height=1400, has_touch=True)[0])
    page.locator(ROOT).scroll_into_view_if_needed()
    page.mouse.move(*strip_x(page, 0.95))
    page.mouse.down()
    page.mouse.move(*strip_x(page, (low + high) / 2), steps=8)
    page.mouse.up()
    assert widget_numbers(state(page))["cost"] == lowest


def luminance(css_colour: str) -> float:
    """Relative brightness (0 to 1) of an ``rgb()``/``rgba()`` colour, ignoring alpha."""
    red, green, blue = (int(v) / 255 for v in re.findall(r"[\d.]+", css_colour)[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_follows_the_colour_scheme(read, scheme):
    page = ready(read(CHAPTER, scheme=scheme))
    text = page.eval_on_selector(f"{ROOT} .te-axis-title", "el => getComputedStyle(el).fill")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    light_text = luminance(text) > 0.5
    assert light_text == (scheme == "dark")
    assert abs(luminance(text) - luminance(background)) > 0.5
    page.focus(HANDLE)
    save_widget(page, f"explorer-{scheme}-focused")
    page.evaluate("document.activeElement.blur()")


def test_without_scripts_the_static_figure_and_tables_remain(visit, site_url):
    page = visit(site_url + CHAPTER, java_script_enabled=False)[0]
    assert page.locator(f"{ROOT} .threshold-explorer__fallback").is_visible()
    assert page.locator(f"{ROOT} svg").count() == 0
    assert page.locator(f"{ROOT}").bounding_box()["height"] < 150  # no empty reserved box
    assert page.locator("#figure-logistic-threshold-cost img").count() == 1
    assert page.locator("article table").count() >= 2


def test_works_from_a_file_url(read, built_site, validation):
    page = ready(read((built_site / CHAPTER).as_uri()))
    assert widget_numbers(type_threshold(page, 0.5)) == python_state(validation, 0.5)
    page.evaluate(f"document.querySelector('{ROOT} .te-reset').click()")


def test_the_page_stays_under_a_megabyte(shared_pages):
    page, traffic = shared_pages.get(CHAPTER)  # its responses recorded from the first request
    load_lazy_images(page)
    page.wait_for_load_state("networkidle")
    responses = traffic.responses
    raw = wire = 0
    for response in responses:
        body = response.body() if response.status == 200 else b""
        raw += len(body)
        wire += len(body) if response.url.endswith(".png") else len(gzip.compress(body, 6))
    print(f"chapter page: {len(responses)} responses, {raw:,} bytes, {wire:,} bytes gzipped")
    assert wire < PAGE_BUDGET
